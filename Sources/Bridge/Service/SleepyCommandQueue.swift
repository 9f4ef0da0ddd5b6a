/// The per-device queue of commands for a sleepy device, as a state machine: commands wait
/// until the device reports itself awake, or until their deadline passes. Deadlines and wake-ups
/// are events fed in by the bridge; the queue itself keeps no timers.
struct SleepyCommandQueue: Sendable {
    enum Event: Sendable, Equatable {
        /// A new command; `awake` says whether the device is inside its awake window now.
        case submit(id: UInt64)
        /// The device is awake (until `asleep`).
        case awake
        /// The awake window ended.
        case asleep
        /// The command's deadline passed.
        case deadline(id: UInt64)
        /// The device left: every waiting command fails.
        case gone
    }
    enum Action: Sendable, Equatable {
        /// Send the command to the radio now.
        case send(id: UInt64)
        /// Give up on the command: it waited too long.
        case expire(id: UInt64)
        /// Give up: the device is gone.
        case drop(id: UInt64)
    }

    private(set) var waiting: [UInt64] = []
    private(set) var isAwake = false

    mutating func handle(_ event: Event) -> [Action] {
        switch event {
        case .submit(let id):
            if isAwake { return [.send(id: id)] }
            waiting.append(id)
            return []
        case .awake:
            isAwake = true
            defer { waiting.removeAll() }
            return waiting.map { .send(id: $0) }
        case .asleep:
            isAwake = false
            return []
        case .deadline(let id):
            guard let i = waiting.firstIndex(of: id) else { return [] }
            waiting.remove(at: i)
            return [.expire(id: id)]
        case .gone:
            isAwake = false
            defer { waiting.removeAll() }
            return waiting.map { .drop(id: $0) }
        }
    }
}
