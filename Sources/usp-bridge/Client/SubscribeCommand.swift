import ArgumentParser
import Dispatch
import Foundation
import USPClient

struct SubscribeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "subscribe",
        abstract: "Subscribe to notifications and print them as they arrive.",
        discussion: """
        Creates a Device.LocalAgent.Subscription instance (NotifType, ReferenceList, Enable), \
        prints each notification on its own line (JSON lines with --json), and deletes the \
        subscription again on exit, after --count notifications, after --duration seconds or on \
        Ctrl-C. The agent sends notifications only to controllers it knows: use --endpoint-id \
        and --reply-topic of a controller configured in Device.LocalAgent.Controller.

        Example: usp-bridge subscribe ValueChange 'Device.ProxiedDevice.*.Temperature' --count 5
        """)

    enum NotificationType: String, CaseIterable, ExpressibleByArgument {
        case valueChange = "ValueChange"
        case objectCreation = "ObjectCreation"
        case objectDeletion = "ObjectDeletion"
        case operationComplete = "OperationComplete"
        case event = "Event"

        init?(argument: String) {
            let wanted = argument.lowercased().replacingOccurrences(of: "-", with: "")
            guard let t = Self.allCases.first(where: { $0.rawValue.lowercased() == wanted }) else { return nil }
            self = t
        }
    }

    @Argument(help: "ValueChange, ObjectCreation, ObjectDeletion, OperationComplete or Event.")
    var type: NotificationType

    @Argument(help: "Paths for the ReferenceList, e.g. Device.LocalAgent.Controller.*.Enable")
    var paths: [String]

    @Option(help: "Stop after this many notifications.")
    var count: Int?

    @Option(help: "Stop after this many seconds (the subscription gets a TimeToLive a little longer).")
    var duration: Double?

    @OptionGroup var client: ClientOptions

    func validate() throws {
        guard !paths.isEmpty else { throw ValidationError("give at least one path") }
        if let count, count < 1 { throw ValidationError("--count must be at least 1") }
        if let duration, !(duration > 0 && duration <= 31_536_000) { throw ValidationError("--duration must be between 0 and one year") }
    }

    func run() async throws {
        try await client.run { controller in
            let id = "usp-bridge-cli-\(getpid())-\(UInt16.random(in: 0...UInt16.max))"
            var params = [
                ParameterSetting("ID", id), ParameterSetting("NotifType", type.rawValue),
                ParameterSetting("ReferenceList", paths.joined(separator: ",")), ParameterSetting("Enable", "true"),
            ]
            // If this process dies without deleting it, the agent removes it by itself.
            if let duration { params.append(ParameterSetting("TimeToLive", String(Int(duration.rounded(.up)) + 30))) }
            let added = try await controller.add("Device.LocalAgent.Subscription.", params, timeout: client.requestTimeout)
            let created = added.createdObjResults.first.flatMap { r -> String? in
                guard case .operSuccess(let s)? = r.operStatus.operStatus else { return nil }
                return s.instantiatedPath
            }
            guard USPResultFormatter.failures(of: .addResp(added)).isEmpty, let path = created, !path.isEmpty else {
                return client.output(.addResp(added))
            }
            await warnIfNotRecipient(controller, path)
            ClientOptions.printError("subscribed as \(path) (ID \(id)); waiting for \(type.rawValue) notifications, Ctrl-C to stop")
            let received = await listen(controller, subscriptionID: id)
            do {
                let deleted = try await controller.delete([path], timeout: client.requestTimeout)
                let failures = USPResultFormatter.failures(of: .deleteResp(deleted))
                if !failures.isEmpty { ClientOptions.printError("could not delete \(path): " + failures.map(\.line).joined(separator: "; ")) }
            } catch {
                ClientOptions.printError("could not delete \(path): \(error)")
            }
            ClientOptions.printError("received \(received) notification\(received == 1 ? "" : "s")")
            return ClientOutput(text: "", failed: false)
        }
    }

    /// Prints notifications for `subscriptionID` until --count, --duration, SIGINT or SIGTERM.
    func listen(_ controller: USPController, subscriptionID: String) async -> Int {
        let stream = controller.notifications
        let format = client.format
        let limit = count
        let listener = Task { () -> Int in
            var n = 0
            for await notify in stream where notify.subscriptionID == subscriptionID {
                ClientOptions.printOut(USPResultFormatter.render(notify, as: format))
                n += 1
                if let limit, n >= limit { break }
            }
            return n
        }
        var sources: [any DispatchSourceSignal] = []
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { listener.cancel() }
            source.resume()
            sources.append(source)
        }
        let timer = duration.map { seconds in
            Task {
                try? await Task.sleep(for: .milliseconds(Int64(seconds * 1000)))
                listener.cancel()
            }
        }
        let n = await listener.value
        timer?.cancel()
        for s in sources { s.cancel() }
        for sig in [SIGINT, SIGTERM] { signal(sig, SIG_DFL) }
        return n
    }

    /// The agent fills Recipient only for controllers it knows; without one it notifies no one.
    func warnIfNotRecipient(_ controller: USPController, _ path: String) async {
        guard let resp = try? await controller.get([path + "Recipient"], timeout: client.requestTimeout) else { return }
        let recipient = resp.reqPathResults.first?.resolvedPathResults.first?.resultParams["Recipient"] ?? ""
        if recipient.isEmpty {
            ClientOptions.printError("""
                warning: the agent has no Device.LocalAgent.Controller with EndpointID \(controller.configuration.endpointID); \
                it will not send notifications to this controller (use --endpoint-id/--reply-topic of a configured controller)
                """)
        }
    }
}
