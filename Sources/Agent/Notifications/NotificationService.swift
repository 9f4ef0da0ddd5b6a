import DataModel
import Foundation
import Logging
import USPMessages

/// Delivers USP messages the agent originates (Notify) to a controller over whatever MTP
/// reaches it. Returns false when there is no route right now.
public protocol MessageSender: Sendable {
    func send(_ msg: Usp_Msg, to controller: String) async -> Bool
}

/// Turns data-model changes into Notify messages for the matching subscriptions
/// (`Device.LocalAgent.Subscription.{i}.`), push-driven: a change is notified as soon as it
/// is committed, no polling. Retries Notify with `send_resp` per R-NOT.1 until a NotifyResp
/// arrives or NotifExpiration passes; deletes subscriptions whose TimeToLive runs out.
public actor NotificationService {
    struct Subscription {
        var path: String
        var id: String
        var controller: String
        var controllerPath: String
        var type: String
        var references: [PathExpression]
        var retry: Bool
        var expiration: UInt32
    }

    struct Pending {
        var msg: Usp_Msg
        var controller: String
        var controllerPath: String
        var attempts: Int
        var deadline: Date?
    }

    let agent: USPAgent
    let sender: any MessageSender
    let logger: Logger
    /// Scales every retry and time-to-live delay (tests use a small factor).
    let timeScale: Double
    var subscriptions: [Subscription] = []
    var pending: [String: Pending] = [:]
    var ttlTasks: [String: Task<Void, Never>] = [:]
    /// `Device.LocalAgent.Periodic!` timers, one per subscription that asks for it.
    var periodicTasks: [String: Task<Void, Never>] = [:]
    var counter: UInt64 = 0
    /// Notifications sent, for tests and metrics.
    public private(set) var sentCount = 0

    public init(agent: USPAgent, sender: any MessageSender, timeScale: Double = 1, logger: Logger = Logger(label: "usp.notify")) {
        self.agent = agent
        self.sender = sender
        self.timeScale = timeScale
        self.logger = logger
    }

    /// Takes the current subscriptions and starts consuming the agent's changes; returns the
    /// consuming task. Start it before the agent handles messages, so that every change is
    /// matched against the subscriptions of its time.
    public func start() async -> Task<Void, Never> {
        await agent.setNotifyResponseHandler { [weak self] msgID, _, _ in
            Task { await self?.acknowledged(msgID) }
        }
        await reload()
        return Task { await self.consume() }
    }

    /// Starts and runs until cancelled.
    public func run() async {
        let t = await start()
        await withTaskCancellationHandler { await t.value } onCancel: { t.cancel() }
    }

    func consume() async {
        for await change in agent.changes {
            await handle(change)
            if Task.isCancelled { break }
        }
        for t in ttlTasks.values { t.cancel() }
        for t in periodicTasks.values { t.cancel() }
    }

    func acknowledged(_ msgID: String) {
        if pending.removeValue(forKey: msgID) != nil {
            logger.debug("notification \(msgID) acknowledged")
        }
    }

    /// Messages still waiting for a NotifyResp.
    public var pendingMessageIDs: [String] { Array(pending.keys) }

    func handle(_ change: DataModelChange) async {
        if case .subscriptionsUpdated(let subs) = change {
            apply(subs)
            return
        }
        for sub in subscriptions {
            guard let notification = await notification(for: change, sub) else { continue }
            guard await permitted(change, sub.controller) else { continue }
            await deliver(notification, sub)
        }
    }

    func notification(for change: DataModelChange, _ sub: Subscription) async -> Usp_Notify.OneOf_Notification? {
        func matches(_ path: String, _ subject: PathMatcher.Subject) async -> Bool {
            for ref in sub.references {
                guard let searches = PathMatcher.match(ref, path, as: subject) else { continue }
                var ok = true
                for s in searches where !(await agent.instanceMatches(s.components, instancePath: s.instancePath)) { ok = false; break }
                if ok { return true }
            }
            return false
        }
        switch change {
        case .valueChanged(let path, let value):
            guard sub.type == "ValueChange", await agent.valueChangeAllowed(path), await matches(path, .parameter) else { return nil }
            var vc = Usp_Notify.ValueChange(); vc.paramPath = path; vc.paramValue = value
            return .valueChange(vc)
        case .objectCreated(let path, let keys):
            guard sub.type == "ObjectCreation", await matches(path, .instance) else { return nil }
            var oc = Usp_Notify.ObjectCreation(); oc.objPath = path
            // Keys served by a provider (the bridge) are read now, through the provider.
            oc.uniqueKeys = keys.merging(await agent.uniqueKeyValues(of: path)) { stored, read in read.isEmpty ? stored : read }
            return .objCreation(oc)
        case .objectDeleted(let path):
            guard sub.type == "ObjectDeletion", await matches(path, .instance) else { return nil }
            var od = Usp_Notify.ObjectDeletion(); od.objPath = path
            return .objDeletion(od)
        case .event(let obj, let name, let args):
            guard sub.type == "Event", await matches(obj + name + "!", .commandOrEvent) else { return nil }
            var ev = Usp_Notify.Event(); ev.objPath = obj; ev.eventName = name + "!"; ev.params = args
            return .event(ev)
        case .subscriptionsUpdated:
            return nil
        case .operationComplete(let obj, let command, let key, let result):
            guard sub.type == "OperationComplete", await matches(obj + command, .commandOrEvent) else { return nil }
            var oc = Usp_Notify.OperationComplete(); oc.objPath = obj; oc.commandName = command; oc.commandKey = key
            switch result {
            case .success(let out): oc.reqOutputArgs.outputArgs = out
            case .failure(let e): oc.cmdFailure.errCode = e.code.rawValue; oc.cmdFailure.errMsg = e.message
            }
            return .operComplete(oc)
        }
    }

    /// The controller's `n` permission for what the notification is about.
    func permitted(_ change: DataModelChange, _ controller: String) async -> Bool {
        switch change {
        case .valueChanged(let p, _): return await agent.allowsNotification(controller, .param, p)
        case .objectCreated(let p, _):
            let table = String(p.dropLast().prefix(upTo: p.dropLast().lastIndex(of: ".") ?? p.startIndex)) + "."
            return await agent.allowsNotification(controller, .obj, table)
        case .objectDeleted(let p): return await agent.allowsNotification(controller, .instantiatedObj, p)
        case .event(let o, let n, _): return await agent.allowsNotification(controller, .commandEvent, o + n + "!")
        case .operationComplete(let o, let c, _, _): return await agent.allowsNotification(controller, .commandEvent, o + c)
        case .subscriptionsUpdated: return false
        }
    }

    func deliver(_ body: Usp_Notify.OneOf_Notification, _ sub: Subscription) async {
        counter += 1
        var notify = Usp_Notify()
        notify.subscriptionID = sub.id
        notify.sendResp = sub.retry
        notify.notification = body
        let msgID = "notify-\(sub.id)-\(counter)"
        let msg = Usp_Msg.request(id: msgID, type: .notify, .notify(notify))
        if sub.retry {
            let deadline = sub.expiration > 0 ? Date().addingTimeInterval(Double(sub.expiration) * timeScale) : nil
            pending[msgID] = Pending(msg: msg, controller: sub.controller, controllerPath: sub.controllerPath, attempts: 0, deadline: deadline)
        }
        await send(msgID, msg, to: sub.controller)
        if sub.retry { scheduleRetry(msgID) }
    }

    /// Sends an OnBoardRequest (R-NOT.5/6: send_resp true, retried until answered).
    public func sendOnBoardRequest(to controller: String, controllerPath: String, oui: String, productClass: String, serialNumber: String) async {
        counter += 1
        var ob = Usp_Notify.OnBoardRequest()
        ob.oui = oui; ob.productClass = productClass; ob.serialNumber = serialNumber
        ob.agentSupportedProtocolVersions = USPRecord.supportedVersions.joined(separator: ",")
        var notify = Usp_Notify(); notify.sendResp = true; notify.onBoardReq = ob
        let msgID = "onboard-\(counter)"
        let msg = Usp_Msg.request(id: msgID, type: .notify, .notify(notify))
        pending[msgID] = Pending(msg: msg, controller: controller, controllerPath: controllerPath, attempts: 0, deadline: nil)
        await send(msgID, msg, to: controller)
        scheduleRetry(msgID)
    }

    func send(_ id: String, _ msg: Usp_Msg, to controller: String) async {
        sentCount += 1
        if !(await sender.send(msg, to: controller)) {
            logger.info("no route to \(controller) for \(id) right now")
        }
    }

    func scheduleRetry(_ msgID: String) {
        guard var p = pending[msgID] else { return }
        p.attempts += 1
        pending[msgID] = p
        let attempt = p.attempts
        Task { [weak self] in
            guard let self else { return }
            let (m, k) = await self.agent.notifRetryParameters(controllerPath: p.controllerPath)
            let delay = RetryPolicy.delay(attempt: attempt, minimumWait: m, multiplier: k, random: Double.random(in: 0...1))
            try? await Task.sleep(for: .seconds(delay * self.timeScale))
            await self.retry(msgID)
        }
    }

    func retry(_ msgID: String) async {
        guard let p = pending[msgID] else { return }
        if let deadline = p.deadline, Date() >= deadline {
            pending[msgID] = nil
            logger.info("notification \(msgID) expired unacknowledged after \(p.attempts) attempts")
            return
        }
        await send(msgID, p.msg, to: p.controller)
        scheduleRetry(msgID)
    }

    func reload() async {
        apply(await agent.subscriptionSnapshot())
    }

    func apply(_ subs: [SubscriptionInfo]) {
        subscriptions = subs.compactMap { s in
            guard s.enabled else { return nil }
            let refs = s.references.compactMap { try? PathExpression.parse($0) }
            return Subscription(path: s.path, id: s.id, controller: s.controllerEndpoint, controllerPath: s.controllerPath,
                                type: s.type, references: refs, retry: s.retry, expiration: s.expiration)
        }
        // Time to live: delete the subscription once it has run out.
        for s in subs where s.timeToLive > 0 && ttlTasks[s.path] == nil {
            let remaining = max(0, Double(s.timeToLive) - Date().timeIntervalSince(s.created))
            let path = s.path
            ttlTasks[path] = Task { [weak self] in
                try? await Task.sleep(for: .seconds(remaining * (self?.timeScale ?? 1)))
                guard !Task.isCancelled, let self else { return }
                await self.agent.deleteInstance(path)
            }
        }
        for (path, task) in ttlTasks where !subs.contains(where: { $0.path == path }) {
            task.cancel(); ttlTasks[path] = nil
        }
        // Periodic! is sent to each subscribed controller at its own PeriodicNotifInterval.
        let periodicPath = "Device.LocalAgent.Periodic!"
        let wantsPeriodic = Set(subscriptions.filter { s in
            s.type == "Event" && s.references.contains { PathMatcher.match($0, periodicPath, as: .commandOrEvent)?.isEmpty == true }
        }.map(\.path))
        for (path, task) in periodicTasks where !wantsPeriodic.contains(path) { task.cancel(); periodicTasks[path] = nil }
        for sub in subscriptions where wantsPeriodic.contains(sub.path) && periodicTasks[sub.path] == nil {
            periodicTasks[sub.path] = Task { [weak self] in
                while !Task.isCancelled {
                    guard let self else { return }
                    let interval = await self.agent.periodicNotifInterval(controllerPath: sub.controllerPath)
                    try? await Task.sleep(for: .seconds(interval * self.timeScale))
                    if Task.isCancelled { return }
                    var ev = Usp_Notify.Event(); ev.objPath = "Device.LocalAgent."; ev.eventName = "Periodic!"
                    await self.deliver(.event(ev), sub)
                }
            }
        }
    }
}

/// The retry interval rule shared by notifications (R-NOT.1) and MTP reconnects: attempt n
/// waits a random time in [m·k^(n-1), m·k^n] seconds, k = multiplier/1000, from the tenth
/// attempt on always the tenth range.
public enum RetryPolicy {
    public static func delay(attempt: Int, minimumWait m: Double, multiplier: Double, random: Double) -> Double {
        let k = multiplier / 1000
        let n = Double(min(max(attempt, 1), 10))
        let low = m * pow(k, n - 1)
        let high = m * pow(k, n)
        return low + (high - low) * min(max(random, 0), 1)
    }
}
