/// Time-stamps the first bytes a virtual stick receives after it is armed, for "command → first
/// byte" benchmarks. Lives inside a stick's actor.
struct ArrivalProbe {
    private var armed = false
    private var arrival: ContinuousClock.Instant?
    private var waiter: CheckedContinuation<ContinuousClock.Instant, Never>?

    mutating func arm() { armed = true; arrival = nil }

    /// Call when bytes arrive.
    mutating func bytesArrived() {
        guard armed else { return }
        let t = ContinuousClock.now
        armed = false
        arrival = t
        waiter?.resume(returning: t)
        waiter = nil
    }

    /// The recorded instant, or nil (then `wait(_:)` the continuation).
    var recorded: ContinuousClock.Instant? { arrival }
    mutating func wait(_ k: CheckedContinuation<ContinuousClock.Instant, Never>) { waiter = k }
}
