import Agent
import DataModel
import Foundation

extension Bridge {
    /// Sends a command to a device: straight away to an awake device; for a sleepy one, after it
    /// reports itself awake (or fails after `wakeTimeout`).
    func execute(_ command: DeviceCommand, on addr: String, wakeTimeout: Duration) async throws(BridgeFailure) -> RadioValue? {
        guard let r = records[addr], r.present, adapters.indices.contains(r.radio) else {
            throw .gone(device: records[addr]?.address ?? .ieee(0))
        }
        if r.identity.isPassive { throw .passive(device: r.address) }
        if r.identity.isSleepy {
            let id = nextCommandID
            nextCommandID += 1
            let action = await withCheckedContinuation { (cont: CheckedContinuation<SleepyCommandQueue.Action, Never>) in
                waiters[id] = cont
                for a in queues[addr, default: SleepyCommandQueue()].handle(.submit(id: id)) { apply(a) }
                if waiters[id] != nil {
                    Task { [weak self] in
                        try? await Task.sleep(for: wakeTimeout)
                        await self?.deadline(addr, id)
                    }
                }
            }
            switch action {
            case .send: break
            case .expire: throw .asleep(device: r.address, waited: wakeTimeout)
            case .drop: throw .gone(device: r.address)
            }
        }
        let adapter = adapters[r.radio]
        let outcome: CommandOutcome
        do throws(AdapterError) {
            outcome = try await adapter.send(command, to: r.address, timeout: options.commandTimeout)
        } catch {
            if error.code == .unreachable { contact(addr, online: false, at: nil) }
            throw .radio(error, device: r.address)
        }
        switch outcome {
        case .success(let v):
            contact(addr, online: true, at: Date())
            return v
        case .rejected(let status, let reason):
            throw .rejected(status: status, reason: reason, device: r.address)
        }
    }

    func apply(_ action: SleepyCommandQueue.Action) {
        switch action {
        case .send(let id), .expire(let id), .drop(let id):
            waiters.removeValue(forKey: id)?.resume(returning: action)
        }
    }

    func deadline(_ addr: String, _ id: UInt64) {
        for a in queues[addr, default: SleepyCommandQueue()].handle(.deadline(id: id)) { apply(a) }
    }

    /// A sleepy device woke up: send what waits, and stay "awake" for the awake window.
    func wake(_ addr: String) {
        for a in queues[addr, default: SleepyCommandQueue()].handle(.awake) { apply(a) }
        asleepTasks[addr]?.cancel()
        let window = options.awakeWindow
        asleepTasks[addr] = Task { [weak self] in
            try? await Task.sleep(for: window)
            guard !Task.isCancelled else { return }
            await self?.fallAsleep(addr)
        }
    }

    func fallAsleep(_ addr: String) {
        _ = queues[addr, default: SleepyCommandQueue()].handle(.asleep)
        asleepTasks[addr] = nil
    }

    // MARK: registration

    func registerCommands() async {
        let schema = self.schema
        for table in [BridgePaths.deviceCapability, BridgePaths.nodeCapability] {
            for (cls, names) in [("BinaryControl", ["Toggle"]), ("LevelControl", ["StepUp", "StepDown"]), ("EnumControl", ["StepUp", "StepDown"])] {
                let obj = table + cls + "."
                for name in names where schema[obj]?.command(name) != nil {
                    await agent.registerCommand(obj, name) { [weak self] inv throws(USPError) in
                        guard let self else { throw USPError(.commandFailure, "the bridge is gone") }
                        return try await self.capabilityCommand(inv)
                    }
                }
            }
        }
        if schema[BridgePaths.device]?.command("X_USPBRIDGE_Refresh") != nil {
            await agent.registerCommand(BridgePaths.device, "X_USPBRIDGE_Refresh") { [weak self] inv throws(USPError) in
                guard let self else { throw USPError(.commandFailure, "the bridge is gone") }
                return try await self.refreshCommand(inv)
            }
        }
        if schema[BridgePaths.device]?.command("X_USPBRIDGE_Reinterview") != nil {
            await agent.registerCommand(BridgePaths.device, "X_USPBRIDGE_Reinterview") { [weak self] inv throws(USPError) in
                guard let self else { throw USPError(.commandFailure, "the bridge is gone") }
                return try await self.reinterviewCommand(inv)
            }
        }
        for name in ["PermitJoin", "RemoveDevice", "Refresh"] where schema[BridgePaths.radio]?.command(name) != nil {
            await agent.registerCommand(BridgePaths.radio, name) { [weak self] inv throws(USPError) in
                guard let self else { throw USPError(.commandFailure, "the bridge is gone") }
                return try await self.radioCommand(inv)
            }
        }
    }

    // MARK: capability commands

    /// Toggle(), StepUp(), StepDown() (asynchronous in TR-181: OperationComplete carries the outcome).
    func capabilityCommand(_ inv: CommandInvocation) async throws(USPError) -> [String: String] {
        guard case .capabilityClass(let d, let node, let c, _)? = BridgePaths.locate(inv.objectPath),
              let (addr, key) = capability(device: d, node: node, instance: c), let cap = resolved[addr]?[key] else {
            throw USPError(.commandFailure, "\(inv.objectPath) does not exist any more")
        }
        let m = cap.mapping
        guard let binding = m.binding(forCommand: inv.command) else {
            throw USPError(.commandFailure, "\(inv.command)() is not available on this device (its mapping defines no device command for it)")
        }
        do throws(BridgeFailure) {
            switch binding {
            case .invoke(let action, var args):
                if inv.command != "Toggle", let stepText = records[addr]?.capabilities[key]?.settings["StepValue"],
                   let stepRadio = m.conversion.radioValue(stepText, class: m.capabilityClass, properties: cap.unit.properties) {
                    args["step"] = args["step"] ?? stepRadio
                }
                let outcome = try await execute(.invoke(cap.unit.key, action: action, args: args), on: addr,
                                                wakeTimeout: options.commandWakeTimeout)
                applyOutcome(addr, key, outcome, written: outcome == nil ? emulatedTarget(addr, key, inv.command) : nil)
            case .write, .emulate:
                guard let target = emulatedTarget(addr, key, inv.command) else {
                    throw BridgeFailure.notSupported("the current value is not known yet, so \(inv.command)() cannot compute the new one; read or Set it first")
                }
                if target == records[addr]?.capabilities[key]?.value { return [:] }
                try await setCapabilityValue(addr, key, target, wakeTimeout: options.commandWakeTimeout)
            }
            return [:]
        } catch {
            throw error.commandError
        }
    }

    /// The value Toggle/StepUp/StepDown leads to from the current one (TR-181: steps clamp to
    /// Min/Max for LevelControl and cycle through ValidValues for EnumControl).
    func emulatedTarget(_ addr: String, _ key: String, _ command: String) -> String? {
        guard let cap = resolved[addr]?[key], let c = records[addr]?.capabilities[key], let current = c.value else { return nil }
        let m = cap.mapping
        switch (m.capabilityClass, command) {
        case (.binaryControl, "Toggle"):
            return current == "true" ? "false" : "true"
        case (.levelControl, "StepUp"), (.levelControl, "StepDown"):
            guard let x = Double(current), let step = c.settings["StepValue"].flatMap(Double.init) ?? m.step else { return nil }
            var y = command == "StepUp" ? x + step : x - step
            if let lo = m.min { y = Swift.max(lo, y) }
            if let hi = m.max { y = Swift.min(hi, y) }
            return ValueConversion.render(decimals: m.conversion.decimals)(y)
        case (.enumControl, "StepUp"), (.enumControl, "StepDown"):
            let vals = m.effectiveValidValues
            guard !vals.isEmpty else { return nil }
            let i = vals.firstIndex(of: current) ?? 0
            let j = command == "StepUp" ? (i + 1) % vals.count : (i + vals.count - 1) % vals.count
            return vals[j]
        default:
            return nil
        }
    }

    // MARK: device and radio commands

    /// `ProxiedDevice.{i}.X_USPBRIDGE_Refresh()`: asks the radio to read every unit again.
    func refreshCommand(_ inv: CommandInvocation) async throws(USPError) -> [String: String] {
        guard case .device(let d)? = BridgePaths.locate(inv.objectPath), let r = record(instance: d), r.present else {
            throw USPError(.commandFailure, "\(inv.objectPath) does not exist any more")
        }
        if r.identity.isPassive { throw BridgeFailure.passive(device: r.address).commandError }
        guard adapters.indices.contains(r.radio) else { throw USPError(.commandFailure, "the radio of this device is not configured") }
        do throws(AdapterError) {
            try await adapters[r.radio].refresh(device: r.address, unit: nil)
        } catch {
            throw BridgeFailure.radio(error, device: r.address).commandError
        }
        return [:]
    }

    /// `ProxiedDevice.{i}.X_USPBRIDGE_Reinterview()`: asks the radio to interview the device again
    /// (descriptors, endpoints, clusters); the result arrives as a `deviceUpdated` event.
    func reinterviewCommand(_ inv: CommandInvocation) async throws(USPError) -> [String: String] {
        guard case .device(let d)? = BridgePaths.locate(inv.objectPath), let r = record(instance: d), r.present else {
            throw USPError(.commandFailure, "\(inv.objectPath) does not exist any more")
        }
        if r.identity.isPassive { throw BridgeFailure.passive(device: r.address).commandError }
        guard adapters.indices.contains(r.radio) else { throw USPError(.commandFailure, "the radio of this device is not configured") }
        do throws(AdapterError) {
            try await adapters[r.radio].reinterview(device: r.address)
        } catch {
            throw BridgeFailure.radio(error, device: r.address).commandError
        }
        return [:]
    }

    /// `Device.X_USPBRIDGE_Radio.{i}.PermitJoin(Duration)`, `RemoveDevice(Device)`, `Refresh()`.
    func radioCommand(_ inv: CommandInvocation) async throws(USPError) -> [String: String] {
        guard let (_, n) = InstanceStore.splitInstancePath(inv.objectPath), n >= 1, adapters.indices.contains(Int(n) - 1) else {
            throw USPError(.commandFailure, "\(inv.objectPath) is not a configured radio")
        }
        let i = Int(n) - 1
        let adapter = adapters[i]
        var removeTarget: DeviceAddress?
        var joinSeconds = 0
        switch inv.command {
        case "PermitJoin":
            guard let s = inv.inputs["Duration"].flatMap(Int.init), (0...254).contains(s) else {
                throw USPError(.invalidCommandArguments, "Duration must be 0…254 seconds")
            }
            joinSeconds = s
        case "RemoveDevice":
            let target = inv.inputs["Device"] ?? ""
            guard case .device(let d)? = BridgePaths.locate(target.hasSuffix(".") ? target : target + "."),
                  let r = record(instance: d), r.present, r.radio == i else {
                throw USPError(.invalidCommandArguments, "Device '\(target)' is not a device of this radio")
            }
            removeTarget = r.address
        case "Refresh": break
        default:
            throw USPError(.commandFailure, "unknown command \(inv.command)()")
        }
        do throws(AdapterError) {
            if let removeTarget {
                try await adapter.remove(device: removeTarget)
            } else if inv.command == "PermitJoin" {
                try await adapter.permitJoin(seconds: joinSeconds)
            } else {
                let devices = records.values.filter { $0.present && $0.radio == i && !$0.identity.isPassive }.sorted { $0.instance < $1.instance }
                for r in devices { try await adapter.refresh(device: r.address, unit: nil) }
            }
        } catch {
            throw USPError(.commandFailure, "radio \(n): \(error.message)")
        }
        return [:]
    }
}
