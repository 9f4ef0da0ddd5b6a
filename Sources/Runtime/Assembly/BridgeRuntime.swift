import Agent
import Bridge
import DataModel
import Foundation
import Logging
import MQTTTransport
import ServiceLifecycle
import UDSTransport
import USPMessages

/// The whole agent-and-bridge process: database, data model, MTPs (MQTT and/or a UNIX domain
/// socket), notifications and the bridge with its radio adapters, run as
/// swift-service-lifecycle services with graceful shutdown on SIGINT/SIGTERM.
public struct BridgeRuntime: Sendable {
    public let agent: USPAgent
    public let database: AgentDatabase
    public let binding: MQTTAgentBinding?
    /// The UNIX domain socket MTP, when `uds` is configured.
    public let udsBinding: UDSAgentBinding?
    public let notifications: NotificationService
    public let bridge: Bridge
    public let agentTopic: String
    public let mappingErrors: [String]
    let config: BridgeConfiguration
    let logger: Logger

    /// Builds every part; nothing runs yet.
    public static func make(config: BridgeConfiguration, adapters: [any RadioAdapter], logger: Logger) async throws -> BridgeRuntime {
        let schema = try AgentAssembly.schema(extensions: BridgeSchema.objects)
        let (agent, db) = try await AgentAssembly.makeAgent(config: config, schema: schema, logger: logger)
        let endpoint = agent.endpointID
        let topic = AgentAssembly.agentTopic(config, endpointID: endpoint)
        var binding: MQTTAgentBinding?
        if let m = config.mqtt {
            // R-MQTT.11: keep the same client ID across connections and restarts.
            let stored = try db.metadata("mqtt-client-id")
            let clientID = m.clientID ?? stored ?? "usp-bridge-\(UUID().uuidString.prefix(8).lowercased())"
            if stored != clientID { try db.setMetadata("mqtt-client-id", clientID) }
            await agent.setStoredValues("Device.MQTT.Client.1.", ["ClientID": clientID])
            let version: MQTTConfiguration.ProtocolVersion = m.version == "3.1.1" ? .v311 : .v5
            let mc = MQTTConfiguration(
                host: m.host, port: m.port, clientID: clientID, version: version, keepAlive: m.keepAlive,
                username: m.username, password: m.password,
                tls: m.tls.map { MQTTTLSConfiguration(caFile: $0.caFile, certFile: $0.certFile, keyFile: $0.keyFile, verifyHostname: $0.verifyHostname) },
                subscriptions: [MQTTAgentBinding.subscription(for: topic)], qos: m.qos,
                retry: MQTTRetryPolicy(minimumWait: Double(m.connectRetryTime), multiplier: Double(m.connectRetryIntervalMultiplier),
                                       maxInterval: Double(m.connectRetryMaxInterval)),
                connectUserProperties: [("usp-endpoint-id", endpoint)], requestResponseInformation: true)
            let client = MQTTClient(configuration: mc, logger: logger)
            let b = MQTTAgentBinding(agent: agent, client: client, agentTopic: topic, logger: logger)
            await b.setClientIDAssignedHandler { [db] assigned in
                // R-MQTT.9: an assigned client identifier becomes the configured one.
                try? db.setMetadata("mqtt-client-id", assigned)
            }
            await agent.mount(MQTTStatusProvider(client: client), object: "Device.MQTT.Client.{i}.", parameters: ["Status"])
            binding = b
        }
        var uds: UDSAgentBinding?
        if let u = config.uds {
            uds = UDSAgentBinding(agent: agent, path: u.path, permissions: u.permissionBits ?? 0o660, logger: logger)
        }
        let senders: [any MessageSender] = [uds as (any MessageSender)?, binding].compactMap { $0 }
        let sender: any MessageSender = senders.isEmpty ? NoRoute() : MTPRouter(senders: senders)
        let notifications = NotificationService(agent: agent, sender: sender, logger: logger)
        let user = config.mappingsDirectory.map { URL(fileURLWithPath: $0) }
        let catalog = MappingCatalog.load(shipped: MappingCatalog.defaultShippedDirectory(), user: user, logger: logger)
        let bridge = try Bridge(agent: agent, database: db, adapters: adapters, mappings: catalog, options: BridgeOptions(), logger: logger)
        return BridgeRuntime(agent: agent, database: db, binding: binding, udsBinding: uds, notifications: notifications, bridge: bridge,
                             agentTopic: topic, mappingErrors: catalog.errors.map { "\($0)" }, config: config, logger: logger)
    }

    /// Runs every service until SIGINT/SIGTERM (graceful) or cancellation.
    public func run() async throws {
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: NotificationRunner(service: notifications, agent: agent, database: database,
                                              onboard: config.controllers.filter(\.onboard).map(\.endpointID), identity: config.agent)),
            .init(service: bridge),
        ]
        if let binding { services.append(.init(service: BindingRunner(binding: binding))) }
        if let udsBinding { services.append(.init(service: BindingRunner(binding: udsBinding))) }
        var config = ServiceGroupConfiguration(services: services, logger: logger)
        config.gracefulShutdownSignals = [.sigterm, .sigint]
        let group = ServiceGroup(configuration: config)
        if binding != nil { logger.info("USP agent \(agent.endpointID) listening on MQTT topic \(agentTopic)") }
        try await group.run()
        logger.info("stopped")
    }
}

struct NoRoute: MessageSender {
    func send(_ msg: Usp_Msg, to controller: String) async -> Bool { false }
}

/// Starts notifications, then announces Boot! and the OnBoardRequests the configuration asks for.
struct NotificationRunner: Service {
    let service: NotificationService
    let agent: USPAgent
    let database: AgentDatabase
    let onboard: [String]
    let identity: BridgeConfiguration.AgentSection
    func run() async throws {
        await cancelWhenGracefulShutdown {
            let task = await service.start()
            agent.announceBoot()
            for endpoint in onboard where (try? database.metadata("onboarded:\(endpoint)")) == nil {
                guard let path = await agent.controllerPath(endpointID: endpoint) else { continue }
                await service.sendOnBoardRequest(to: endpoint, controllerPath: path, oui: identity.manufacturerOUI,
                                                 productClass: identity.productClass,
                                                 serialNumber: identity.serialNumber ?? ProcessInfo.processInfo.hostName)
                try? database.setMetadata("onboarded:\(endpoint)", USPDateTime.render(Date()))
            }
            await withTaskCancellationHandler { await task.value } onCancel: { task.cancel() }
        }
    }
}

struct BindingRunner: Service {
    let binding: any MTPBinding
    func run() async throws {
        try await cancelWhenGracefulShutdown { try await binding.run() }
    }
}

/// `Device.MQTT.Client.{i}.Status` from the live connection.
struct MQTTStatusProvider: ParameterProvider {
    let client: MQTTClient
    func read(_ objects: [ObjectRead]) async -> [String: [String: String]] {
        let status = client.isConnected ? "Connected" : "Connecting"
        var out: [String: [String: String]] = [:]
        for o in objects { out[o.path] = ["Status": status] }
        return out
    }
}
