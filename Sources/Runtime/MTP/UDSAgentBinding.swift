import Agent
import Foundation
import Logging
import UDSTransport
import USPMessages

/// The agent's UNIX domain socket MTP (TR-369 "UNIX Domain Socket Binding") as the socket
/// server: it listens at the configured path, completes the handshake with each controller
/// that connects, hands every received Record to the agent and sends the answer back on the
/// same connection. The endpoint ID a controller gave in its Handshake is where its
/// notifications go, for as long as that connection lasts.
///
/// A Record that cannot be parsed gets an Error frame and the connection is closed
/// (R-UDS.23); other connections are not affected.
public actor UDSAgentBinding: MessageSender {
    let agent: USPAgent
    public nonisolated let server: UDSServer
    let logger: Logger
    /// Each controller's open connections, oldest first; messages go on the newest. (Several
    /// processes may share an endpoint ID, e.g. a CLI `subscribe` and a `get`.)
    var routes: [String: [UDSConnection]] = [:]
    var open: [ObjectIdentifier: UDSConnection] = [:]
    public private(set) var handledRecords = 0

    public init(agent: USPAgent, path: String, permissions: UInt32 = 0o660, logger: Logger = Logger(label: "usp.mtp.uds")) {
        self.agent = agent
        self.server = UDSServer(path: path, permissions: permissions)
        self.logger = logger
    }

    public nonisolated var path: String { server.path }

    /// Endpoint IDs of the controllers connected now (handshake complete).
    public var connectedControllers: [String] { routes.keys.sorted() }

    /// Listens until cancelled; then stops accepting, closes every connection and removes the
    /// socket file. Throws when the socket cannot be created.
    public func run() async throws {
        let dir = (server.path as NSString).deletingLastPathComponent
        if !dir.isEmpty { try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        try server.start()
        logger.info("USP agent \(agent.endpointID) listening on UNIX socket \(server.path)")
        let connections = server.connections
        await withTaskGroup(of: Void.self) { group in
            await withTaskCancellationHandler {
                for await fd in connections {
                    guard let c = accept(fd) else { continue }
                    group.addTask { await self.serve(c) }
                }
            } onCancel: { [server] in
                server.stop()
            }
            server.stop()
            for c in open.values { await c.close() }
            await group.waitForAll()
        }
    }

    func accept(_ fd: Int32) -> UDSConnection? {
        do {
            let c = try UDSConnection(adopting: fd, role: .server, localEndpointID: agent.endpointID,
                                      name: "\(server.path)#\(fd)", logger: logger)
            open[ObjectIdentifier(c)] = c
            return c
        } catch {
            logger.warning("could not take a connection on \(server.path): \(error)")
            return nil
        }
    }

    func serve(_ c: UDSConnection) async {
        await c.start()
        var peer: String?
        for await event in c.events {
            switch event {
            case .established(let endpoint):
                peer = endpoint
                routes[endpoint, default: []].append(c)
                logger.info("controller \(endpoint) connected on \(server.path)")
                // R-MTP.6: tell the controller it reached us over this MTP.
                if let bytes = try? USPRecord.udsConnect(to: endpoint, from: agent.endpointID).encoded() {
                    try? await c.send(record: bytes)
                }
            case .record(let bytes):
                await handle(bytes, on: c, from: peer ?? "")
            case .closed(let reason):
                logger.info("UDS connection \(peer.map { "of \($0) " } ?? "")closed: \(reason.detail)")
            }
        }
        open[ObjectIdentifier(c)] = nil
        if let peer {
            routes[peer]?.removeAll { $0 === c }
            if routes[peer]?.isEmpty == true { routes[peer] = nil }
        }
    }

    func handle(_ bytes: [UInt8], on c: UDSConnection, from peer: String) async {
        // R-UDS.23: a record that cannot be extracted ends the connection.
        guard let record = try? USPRecord.decode(bytes) else {
            logger.notice("unparsable USP record (\(bytes.count) bytes) from \(peer); closing its connection")
            await c.reject("the USP Record could not be parsed")
            return
        }
        if record.fromID != peer {
            logger.debug("record from '\(record.fromID)' on the connection of \(peer)")
        }
        handledRecords += 1
        guard let reply = await agent.handleRecord(bytes) else { return }
        do {
            try await c.send(record: try reply.encoded())
        } catch {
            logger.info("could not answer \(reply.toID) on \(server.path): \(error)")
        }
    }

    /// Sends an agent-originated message (a Notify) to a controller connected now.
    public func send(_ msg: Usp_Msg, to controller: String) async -> Bool {
        guard let c = routes[controller]?.last,
              let bytes = try? USPRecord.noSession(to: controller, from: agent.endpointID, msg: msg).encoded() else { return false }
        do {
            try await c.send(record: bytes)
            return true
        } catch {
            return false
        }
    }
}
