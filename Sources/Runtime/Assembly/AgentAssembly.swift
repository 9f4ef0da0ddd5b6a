import Agent
import DataModel
import Foundation
import Logging
import USPMessages

/// Builds the agent: the supported data model, the database, factory defaults from the
/// configuration, and the LocalAgent/DeviceInfo values computed at run time.
public enum AgentAssembly {
    /// TR-181 subtrees this agent implements, generated from the Broadband Forum XML.
    public static let standardSubtrees = [
        "Device.DeviceInfo.", "Device.LocalAgent.", "Device.MQTT.", "Device.ProxiedDevice.",
        "Device.UnixDomainSockets.", "Device.USPServices.",
    ]

    /// The supported data model: the standard subtrees, the LocalAgent objects the XML
    /// excerpt lacks, and any vendor extensions (e.g. the bridge's `X_USPBRIDGE_` objects).
    public static func schema(extensions: [ObjectSchema] = []) throws -> Schema {
        var b = SchemaBuilder()
        try b.addTR181(under: standardSubtrees)
        for o in LocalAgentSupplement.objects { b.add(o) }
        for o in extensions { try b.addExtension(o) }
        return try b.build()
    }

    /// The endpoint ID from the configuration, or `os::` + host name (TR-369 authority scheme).
    public static func endpointID(_ config: BridgeConfiguration) -> String {
        if let e = config.agent.endpointID, !e.isEmpty { return e }
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "gateway"
        return "os::\(config.agent.manufacturerOUI)-\(host)"
    }

    public static func agentTopic(_ config: BridgeConfiguration, endpointID: String) -> String {
        config.mqtt?.agentTopic ?? "usp/agent/\(endpointID.replacingOccurrences(of: ":", with: "_"))"
    }

    /// Opens the database in the data directory (moving a corrupt one aside), restores the
    /// agent's persisted state, and seeds factory defaults on first start.
    public static func makeAgent(config: BridgeConfiguration, schema: Schema, logger: Logger,
                                 started: Date = Date()) async throws -> (USPAgent, AgentDatabase) {
        try FileManager.default.createDirectory(atPath: config.dataDirectory, withIntermediateDirectories: true)
        let dbPath = (config.dataDirectory as NSString).appendingPathComponent("usp-bridge.sqlite")
        let (db, recovery) = try AgentDatabase.open(path: dbPath, logger: logger)
        if let recovery { logger.error("\(recovery)") }
        let endpoint = endpointID(config)
        let agent = USPAgent(endpointID: endpoint, schema: schema, logger: logger)
        try await agent.attach(database: db)
        let fresh = try db.metadata("factory-defaults-applied") == nil
        if fresh {
            try await seedFactoryDefaults(agent: agent, config: config, endpointID: endpoint)
            try db.setMetadata("factory-defaults-applied", USPDateTime.render(Date()))
            logger.info("applied factory defaults from the configuration (\(config.controllers.count) controllers, \(config.roles.count) roles)")
        }
        await installRuntimeValues(agent: agent, config: config, endpointID: endpoint, started: started)
        return (agent, db)
    }

    /// Controllers, roles, the MQTT client and the agent MTPs, from the configuration.
    static func seedFactoryDefaults(agent: USPAgent, config: BridgeConfiguration, endpointID: String) async throws {
        // Roles: a built-in "full" role, then the configured ones.
        var rolePaths: [String: String] = [:]
        if !config.roles.isEmpty || config.controllers.contains(where: { $0.role != nil }) {
            var roles = config.roles
            if !roles.contains(where: { $0.name == "full" }) {
                roles.insert(.init(name: "full", permissions: [.init(targets: ["Device."], param: "rw-n", obj: "rw-n",
                                                                     instantiatedObj: "rw-n", commandEvent: "r-xn", order: 0)]), at: 0)
            }
            for role in roles {
                let n = try await agent.addInstance(table: "Device.LocalAgent.ControllerTrust.Role.",
                                                    values: ["Enable": "true", "Name": role.name, "Alias": "cpe-role-\(role.name)"])
                let rp = "Device.LocalAgent.ControllerTrust.Role.\(n)."
                rolePaths[role.name] = String(rp.dropLast())
                for (i, p) in role.permissions.enumerated() {
                    try await agent.addInstance(table: rp + "Permission.", values: [
                        "Enable": "true", "Alias": "cpe-\(i + 1)", "Order": String(p.order),
                        "Targets": p.targets.joined(separator: ","), "Param": p.param, "Obj": p.obj,
                        "InstantiatedObj": p.instantiatedObj, "CommandEvent": p.commandEvent,
                    ])
                }
            }
            if let u = config.untrustedRole, let path = rolePaths[u] {
                await agent.setStoredValues("Device.LocalAgent.ControllerTrust.", ["UntrustedRole": path])
            }
        }
        if let m = config.mqtt {
            let n = try await agent.addInstance(table: "Device.MQTT.Client.", values: [
                "Enable": "true", "Alias": "cpe-agent", "Name": "agent", "BrokerAddress": m.host, "BrokerPort": String(m.port),
                "ProtocolVersion": m.version == "3.1.1" ? "3.1.1" : "5.0",
                "ClientID": m.clientID ?? "", "KeepAliveTime": String(m.keepAlive),
                "ConnectRetryTime": String(m.connectRetryTime),
                "ConnectRetryIntervalMultiplier": String(m.connectRetryIntervalMultiplier),
                "ConnectRetryMaxInterval": String(m.connectRetryMaxInterval),
                "TransportProtocol": m.tls == nil ? "TCP/IP" : "TLS",
                "Username": m.username ?? "",
            ])
            let mtp = try await agent.addInstance(table: "Device.LocalAgent.MTP.", values: [
                "Enable": "true", "Alias": "cpe-mqtt", "Protocol": "MQTT",
            ])
            await agent.setStoredValues("Device.LocalAgent.MTP.\(mtp).MQTT.", [
                "Reference": "Device.MQTT.Client.\(n)",
                "ResponseTopicConfigured": agentTopic(config, endpointID: endpointID),
                "PublishQoS": String(m.qos),
            ])
        }
        if config.uds != nil {
            // The socket itself (Device.UnixDomainSockets.UnixDomainSocket.1) is not persisted:
            // it is recreated from the configuration at every start.
            let mtp = try await agent.addInstance(table: "Device.LocalAgent.MTP.", values: [
                "Enable": "true", "Alias": "cpe-uds", "Protocol": "UDS",
            ])
            await agent.setStoredValues("Device.LocalAgent.MTP.\(mtp).UDS.", ["UnixDomainSocketRef": udsSocketPath])
        }
        for c in config.controllers {
            var values = ["Enable": "true", "EndpointID": c.endpointID, "Alias": "cpe-\(c.endpointID.filter { $0.isLetter || $0.isNumber })"]
            if let role = rolePaths[c.role ?? "full"] { values["AssignedRole"] = role }
            if let p = c.periodicNotifInterval { values["PeriodicNotifInterval"] = String(p) }
            let n = try await agent.addInstance(table: "Device.LocalAgent.Controller.", values: values)
            if let topic = c.topic {
                let m = try await agent.addInstance(table: "Device.LocalAgent.Controller.\(n).MTP.",
                                                    values: ["Enable": "true", "Protocol": "MQTT", "Alias": "cpe-mqtt"])
                await agent.setStoredValues("Device.LocalAgent.Controller.\(n).MTP.\(m).MQTT.", ["Topic": topic, "Reference": "Device.MQTT.Client.1"])
            }
        }
    }

    /// The UnixDomainSocket row the agent's UDS MTP refers to.
    static let udsSocketPath = "Device.UnixDomainSockets.UnixDomainSocket.1"

    /// Values known only at run time: identity, software version, up time, the UNIX socket.
    static func installRuntimeValues(agent: USPAgent, config: BridgeConfiguration, endpointID: String, started: Date) async {
        let serial = config.agent.serialNumber ?? ProcessInfo.processInfo.hostName
        await agent.setStoredValues("Device.LocalAgent.", [
            "EndpointID": endpointID, "SoftwareVersion": USPBridgeVersion.current, "SupportedProtocols": "MQTT,UDS",
        ])
        if let u = config.uds, (try? await agent.addInstance(table: "Device.UnixDomainSockets.UnixDomainSocket.", number: 1,
                                                          values: ["Alias": "cpe-agent", "Mode": "Listen", "Path": u.path],
                                                          announce: false)) == nil {
            await agent.setStoredValues(udsSocketPath + ".", ["Mode": "Listen", "Path": u.path])
        }
        await agent.setStoredValues("Device.DeviceInfo.", [
            "Manufacturer": config.agent.manufacturer, "ManufacturerOUI": config.agent.manufacturerOUI,
            "ProductClass": config.agent.productClass, "SerialNumber": serial, "SoftwareVersion": USPBridgeVersion.current,
            "ModelName": "usp-bridge", "Description": "USP agent bridging ZigBee, Z-Wave and Bluetooth LE devices",
        ])
        let clock = UpTimeProvider(started: started)
        await agent.mount(clock, object: "Device.LocalAgent.", parameters: ["UpTime"])
        await agent.mount(clock, object: "Device.DeviceInfo.", parameters: ["UpTime"])
        await agent.setCreationHook("Device.LocalAgent.Subscription.{i}.") { ctx in
            ["Recipient": ctx.controllerPath.map { String($0.dropLast()) } ?? "", "CreationDate": USPDateTime.render(Date()),
             "ID": "cpe-\(ctx.instance)"]
        }
    }
}

/// Seconds since the agent started, read at Get time.
struct UpTimeProvider: ParameterProvider {
    let started: Date
    func read(_ objects: [ObjectRead]) async -> [String: [String: String]] {
        let up = String(Int(max(0, Date().timeIntervalSince(started))))
        var out: [String: [String: String]] = [:]
        for o in objects where o.parameters.contains("UpTime") { out[o.path] = ["UpTime": up] }
        return out
    }
}

public enum USPBridgeVersion {
    public static let current = "0.1.0"
}
