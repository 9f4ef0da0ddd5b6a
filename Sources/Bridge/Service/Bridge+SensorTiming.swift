import Foundation

/// BinarySensor `HoldTime` and `RestTime` carried out by the bridge, for sensors that have no
/// radio setting behind them (a BLE motion sensor, a ZigBee IAS zone): many such sensors only
/// say "detected" and never clear, or fire on every movement. Both are off (0) until a
/// controller sets them; a mapping that backs the parameter with a radio unit takes
/// precedence, and then the device applies it itself.
///
/// - HoldTime: `HoldTime` ms after the last detection the bridge sets Value to false (a later
///   detection restarts the wait; the device clearing earlier clears at once).
/// - RestTime: for `RestTime` ms after an accepted detection, further detections are ignored
///   (no Value change, no LastChange, no re-arming of HoldTime); a clear still goes through.
extension Bridge {
    static let timedSettings = ["HoldTime", "RestTime"]

    /// Milliseconds of a bridge-side timing setting of a capability, when it applies.
    func bridgeTiming(_ addr: String, _ key: String, _ cap: ResolvedCapability, _ parameter: String) -> UInt32? {
        guard cap.mapping.capabilityClass == .binarySensor, cap.settings[parameter] == nil,
              let text = records[addr]?.capabilities[key]?.settings[parameter], let ms = UInt32(text), ms > 0 else { return nil }
        return ms
    }

    /// Decides whether a BinarySensor report goes through, and arms the hold timer; false
    /// when the report falls in the rest period of the previous activation.
    func gateBinarySensor(_ addr: String, _ key: String, _ cap: ResolvedCapability, _ text: String, at date: Date) -> Bool {
        guard cap.mapping.capabilityClass == .binarySensor, !cap.mapping.isEvent else { return true }
        let id = addr + "|" + key
        guard text == "true" else {
            holdTimers.removeValue(forKey: id)?.cancel()
            return true
        }
        if let rest = bridgeTiming(addr, key, cap, "RestTime"), let since = activations[id],
           date.timeIntervalSince(since) * 1000 < Double(rest) {
            return false
        }
        // An accepted detection starts the next rest period (while RestTime is set).
        activations[id] = bridgeTiming(addr, key, cap, "RestTime") != nil ? date : nil
        holdTimers.removeValue(forKey: id)?.cancel()
        if let hold = bridgeTiming(addr, key, cap, "HoldTime") { armHold(addr, key, after: Double(hold)) }
        return true
    }

    /// Clears Value `ms` milliseconds from now (replacing a pending clear).
    func armHold(_ addr: String, _ key: String, after ms: Double) {
        let id = addr + "|" + key
        holdTimers.removeValue(forKey: id)?.cancel()
        holdTimers[id] = Task { [weak self] in
            try? await Task.sleep(for: .milliseconds(Int(ms)))
            guard !Task.isCancelled else { return }
            await self?.holdExpired(addr, key)
        }
    }

    /// After a restart: a sensor restored as detected gets its bridge-side HoldTime again,
    /// counted from its last change (at once when that is long past), so it does not stay
    /// "true" until the device happens to report.
    func armRestoredHoldTimers(_ addr: String) {
        guard let caps = resolved[addr], let r = records[addr] else { return }
        for (key, cap) in caps {
            guard let hold = bridgeTiming(addr, key, cap, "HoldTime"), let c = r.capabilities[key], c.value == "true" else { continue }
            let elapsed = c.lastChange.map { Date().timeIntervalSince($0) * 1000 } ?? Double(hold)
            armHold(addr, key, after: max(0, Double(hold) - max(0, elapsed)))
        }
    }

    func holdExpired(_ addr: String, _ key: String) {
        let id = addr + "|" + key
        guard holdTimers.removeValue(forKey: id) != nil, records[addr]?.present == true,
              records[addr]?.capabilities[key]?.value == "true" else { return }
        setValue(addr, key, "false", at: Date())
    }

    /// Drops the timers of a device that left.
    func cancelSensorTimers(_ addr: String) {
        let prefix = addr + "|"
        for (id, t) in holdTimers where id.hasPrefix(prefix) { t.cancel(); holdTimers[id] = nil }
        for id in activations.keys where id.hasPrefix(prefix) { activations[id] = nil }
    }
}
