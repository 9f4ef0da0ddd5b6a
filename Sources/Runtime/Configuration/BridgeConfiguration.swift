import Foundation

/// The usp-bridge configuration file (YAML). Every field has a default, so an empty file
/// is a valid configuration; `docs/configuration.md` documents each one.
public struct BridgeConfiguration: Codable, Sendable, Equatable {
    public var agent = AgentSection()
    /// The MQTT MTP. Present by default; absent when the file configures `uds` and no `mqtt`.
    public var mqtt: MQTTSection? = MQTTSection()
    /// The UNIX domain socket MTP (TR-369), off by default.
    public var uds: UDSSection?
    public var controllers: [ControllerSection] = []
    public var roles: [RoleSection] = []
    /// Name of the role given to controllers that are not in `controllers`.
    public var untrustedRole: String?
    /// Where the SQLite database lives.
    public var dataDirectory = "/var/lib/usp-bridge"
    /// A directory of user mapping files that override the shipped ones.
    public var mappingsDirectory: String?
    public var radios: [RadioSection] = []
    public var bluetooth = BluetoothSection()

    public init() {}

    public struct AgentSection: Codable, Sendable, Equatable {
        /// TR-369 endpoint ID (`proto::…`, `os::OUI-Serial` …). Default: `os::` + host name.
        public var endpointID: String?
        public var manufacturer = "USPBridge"
        public var manufacturerOUI = "000000"
        public var productClass = "usp-bridge"
        public var serialNumber: String?
        public init() {}
    }

    public struct MQTTSection: Codable, Sendable, Equatable {
        public var host = "127.0.0.1"
        public var port = 1883
        /// "5.0" or "3.1.1".
        public var version = "5.0"
        /// Persisted in the database once chosen; default: derived from the endpoint ID.
        public var clientID: String?
        /// The topic the agent subscribes to. Default: `usp/agent/<endpointID>`.
        public var agentTopic: String?
        public var keepAlive = 60
        public var qos = 1
        public var username: String?
        public var password: String?
        public var tls: TLSSection?
        /// TR-181 MQTT.Client retry parameters (seconds, per mille, seconds).
        public var connectRetryTime = 5
        public var connectRetryIntervalMultiplier = 2000
        public var connectRetryMaxInterval = 30720
        public init() {}
    }

    public struct UDSSection: Codable, Sendable, Equatable {
        /// The socket file (`sockaddr_un` allows at most 107 bytes).
        public var path: String
        /// `server`: the agent listens at `path` and controllers connect to it.
        public var mode = "server"
        /// The socket file's mode as octal text, e.g. "0660" (default) or "0666".
        public var permissions: String?
        public init(path: String, mode: String = "server", permissions: String? = nil) {
            self.path = path; self.mode = mode; self.permissions = permissions
        }

        /// `permissions` as mode bits, nil when absent or not octal in 0…0777.
        public var permissionBits: UInt32? {
            guard let p = permissions, let v = UInt32(p.hasPrefix("0o") ? String(p.dropFirst(2)) : p, radix: 8), v <= 0o777 else { return nil }
            return v
        }
    }

    public struct TLSSection: Codable, Sendable, Equatable {
        public var caFile: String
        public var certFile: String?
        public var keyFile: String?
        public var verifyHostname = true
    }

    public struct ControllerSection: Codable, Sendable, Equatable {
        public var endpointID: String
        /// The controller's MQTT topic (where the agent sends notifications).
        public var topic: String?
        /// Name of a role in `roles`; default: full access ("full").
        public var role: String?
        /// Send an OnBoardRequest to this controller at first start.
        public var onboard = false
        public var periodicNotifInterval: Int?
        public init(endpointID: String, topic: String? = nil, role: String? = nil, onboard: Bool = false, periodicNotifInterval: Int? = nil) {
            self.endpointID = endpointID; self.topic = topic; self.role = role; self.onboard = onboard
            self.periodicNotifInterval = periodicNotifInterval
        }
    }

    public struct RoleSection: Codable, Sendable, Equatable {
        public var name: String
        public var permissions: [PermissionSection]
        public init(name: String, permissions: [PermissionSection]) { self.name = name; self.permissions = permissions }
    }

    public struct PermissionSection: Codable, Sendable, Equatable {
        public var targets: [String]
        /// `rwxn` strings, `-` for a missing right (TR-181 ControllerTrust.Role.{i}.Permission.{i}.).
        public var param = "----"
        public var obj = "----"
        public var instantiatedObj = "----"
        public var commandEvent = "----"
        public var order = 0
        public init(targets: [String], param: String = "----", obj: String = "----", instantiatedObj: String = "----",
                    commandEvent: String = "----", order: Int = 0) {
            self.targets = targets; self.param = param; self.obj = obj; self.instantiatedObj = instantiatedObj
            self.commandEvent = commandEvent; self.order = order
        }
    }

    public struct RadioSection: Codable, Sendable, Equatable {
        public var name: String?
        /// zigbee, zwave or bluetooth.
        public var `protocol`: String
        /// ezsp, znp, hci …
        public var stack: String
        /// A serial device, `tcp://host:port`, `bluez:hci0`, `usb:VID:PID`, or `virtual` for a built-in virtual stick.
        public var port: String
        public var baud = 115200
        /// none, hardware (RTS/CTS) or software (XON/XOFF).
        public var flowControl = "none"
        /// Scenario file for a virtual stick.
        public var scenario: String?
        public init(name: String? = nil, protocol proto: String, stack: String, port: String, baud: Int = 115200,
                    flowControl: String = "none", scenario: String? = nil) {
            self.name = name; self.protocol = proto; self.stack = stack; self.port = port; self.baud = baud
            self.flowControl = flowControl; self.scenario = scenario
        }
    }

    public struct BluetoothSection: Codable, Sendable, Equatable {
        /// BTHome/MiBeacon bind keys by device address (`AA:BB:CC:DD:EE:FF: 00112233…`, 32 hex
        /// digits): encrypted advertisements of that device are decrypted with it, and plain ones
        /// under its address are dropped.
        public var bindkeys: [String: String] = [:]
        /// Seconds without an advertisement before a sensor is offline.
        public var offlineAfter = 600
        /// Addresses of devices with rotating private addresses that are tracked anyway.
        public var devices: [String] = []
        public init() {}
    }
}

extension BridgeConfiguration {
    /// Every key the file may contain, per section; anything else is a typo and an error.
    static let allowedKeys: [String: Set<String>] = [
        "": ["agent", "mqtt", "uds", "controllers", "roles", "untrustedRole", "dataDirectory", "mappingsDirectory", "radios", "bluetooth"],
        "agent": ["endpointID", "manufacturer", "manufacturerOUI", "productClass", "serialNumber"],
        "mqtt": ["host", "port", "version", "clientID", "agentTopic", "keepAlive", "qos", "username", "password", "tls",
                 "connectRetryTime", "connectRetryIntervalMultiplier", "connectRetryMaxInterval"],
        "mqtt.tls": ["caFile", "certFile", "keyFile", "verifyHostname"],
        "uds": ["path", "mode", "permissions"],
        "controllers[]": ["endpointID", "topic", "role", "onboard", "periodicNotifInterval"],
        "roles[]": ["name", "permissions"],
        "roles[].permissions[]": ["targets", "param", "obj", "instantiatedObj", "commandEvent", "order"],
        "radios[]": ["name", "protocol", "stack", "port", "baud", "flowControl", "scenario"],
        "bluetooth": ["bindkeys", "offlineAfter", "devices"],
    ]
}

extension KeyedDecodingContainer {
    /// The value at `key`, or `fallback` when the key is absent (a wrong type still throws).
    func value<T: Decodable>(_ key: Key, or fallback: T) throws -> T {
        try decodeIfPresent(T.self, forKey: key) ?? fallback
    }
}

// Decoding with defaults: a configuration file names only what differs from the defaults.
extension BridgeConfiguration {
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = BridgeConfiguration()
        agent = try c.value(.agent, or: d.agent)
        uds = try c.decodeIfPresent(UDSSection.self, forKey: .uds)
        // Without an `mqtt` key MQTT keeps its defaults, unless the file chose the UNIX socket.
        mqtt = try c.decodeIfPresent(MQTTSection.self, forKey: .mqtt) ?? (c.contains(.mqtt) || uds != nil ? nil : d.mqtt)
        controllers = try c.value(.controllers, or: d.controllers)
        roles = try c.value(.roles, or: d.roles)
        untrustedRole = try c.decodeIfPresent(String.self, forKey: .untrustedRole)
        dataDirectory = try c.value(.dataDirectory, or: d.dataDirectory)
        mappingsDirectory = try c.decodeIfPresent(String.self, forKey: .mappingsDirectory)
        radios = try c.value(.radios, or: d.radios)
        bluetooth = try c.value(.bluetooth, or: d.bluetooth)
    }
}

extension BridgeConfiguration.AgentSection {
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Self()
        endpointID = try c.decodeIfPresent(String.self, forKey: .endpointID)
        manufacturer = try c.value(.manufacturer, or: d.manufacturer)
        manufacturerOUI = try c.value(.manufacturerOUI, or: d.manufacturerOUI)
        productClass = try c.value(.productClass, or: d.productClass)
        serialNumber = try c.decodeIfPresent(String.self, forKey: .serialNumber)
    }
}

extension BridgeConfiguration.MQTTSection {
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Self()
        host = try c.value(.host, or: d.host)
        port = try c.value(.port, or: d.port)
        version = try c.value(.version, or: d.version)
        clientID = try c.decodeIfPresent(String.self, forKey: .clientID)
        agentTopic = try c.decodeIfPresent(String.self, forKey: .agentTopic)
        keepAlive = try c.value(.keepAlive, or: d.keepAlive)
        qos = try c.value(.qos, or: d.qos)
        username = try c.decodeIfPresent(String.self, forKey: .username)
        password = try c.decodeIfPresent(String.self, forKey: .password)
        tls = try c.decodeIfPresent(BridgeConfiguration.TLSSection.self, forKey: .tls)
        connectRetryTime = try c.value(.connectRetryTime, or: d.connectRetryTime)
        connectRetryIntervalMultiplier = try c.value(.connectRetryIntervalMultiplier, or: d.connectRetryIntervalMultiplier)
        connectRetryMaxInterval = try c.value(.connectRetryMaxInterval, or: d.connectRetryMaxInterval)
    }
}

extension BridgeConfiguration.UDSSection {
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        path = try c.decode(String.self, forKey: .path)
        mode = try c.value(.mode, or: "server")
        permissions = try c.decodeIfPresent(String.self, forKey: .permissions)
    }
}

extension BridgeConfiguration.TLSSection {
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        caFile = try c.decode(String.self, forKey: .caFile)
        certFile = try c.decodeIfPresent(String.self, forKey: .certFile)
        keyFile = try c.decodeIfPresent(String.self, forKey: .keyFile)
        verifyHostname = try c.value(.verifyHostname, or: true)
    }
}

extension BridgeConfiguration.ControllerSection {
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        endpointID = try c.decode(String.self, forKey: .endpointID)
        topic = try c.decodeIfPresent(String.self, forKey: .topic)
        role = try c.decodeIfPresent(String.self, forKey: .role)
        onboard = try c.value(.onboard, or: false)
        periodicNotifInterval = try c.decodeIfPresent(Int.self, forKey: .periodicNotifInterval)
    }
}

extension BridgeConfiguration.PermissionSection {
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        targets = try c.decode([String].self, forKey: .targets)
        param = try c.value(.param, or: "----")
        obj = try c.value(.obj, or: "----")
        instantiatedObj = try c.value(.instantiatedObj, or: "----")
        commandEvent = try c.value(.commandEvent, or: "----")
        order = try c.value(.order, or: 0)
    }
}

extension BridgeConfiguration.RadioSection {
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        `protocol` = try c.decode(String.self, forKey: .protocol)
        stack = try c.decode(String.self, forKey: .stack)
        port = try c.decode(String.self, forKey: .port)
        baud = try c.value(.baud, or: 115200)
        flowControl = try c.value(.flowControl, or: "none")
        scenario = try c.decodeIfPresent(String.self, forKey: .scenario)
    }
}

extension BridgeConfiguration.BluetoothSection {
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Self()
        bindkeys = try c.value(.bindkeys, or: d.bindkeys)
        offlineAfter = try c.value(.offlineAfter, or: d.offlineAfter)
        devices = try c.value(.devices, or: d.devices)
    }

    /// A bindkey's 16 bytes from its 32 hex digits; nil when it is not that.
    public static func parseBindkey(_ text: String) -> [UInt8]? {
        let digits = Array(text.trimmingCharacters(in: .whitespaces))
        guard digits.count == 32 else { return nil }
        var out: [UInt8] = []
        for i in stride(from: 0, to: 32, by: 2) {
            guard let b = UInt8(String(digits[i...(i + 1)]), radix: 16) else { return nil }
            out.append(b)
        }
        return out
    }
}
