import Foundation
import RadioSeam
import ZigbeeCore

extension ZigbeeRadioAdapter {
    public func send(_ command: DeviceCommand, to device: DeviceAddress, timeout: Duration) async throws(AdapterError) -> CommandOutcome {
        let (ieee, known) = try knownDevice(device)
        guard case .zigbee(let endpoint, let cluster, let attribute) = command.unit else {
            throw AdapterError(.unsupported, "\(command.unit) is not a ZigBee unit")
        }
        var command = command
        if case .invoke(let unit, let action, var args) = command, cluster == ZCLClusterID.colorControl,
           action == .named("move_to_color_x") || action == .named("move_to_color_y"), args["other"] == nil {
            let otherKey = UnitKey.zigbee(endpoint: endpoint, cluster: cluster, attribute: attribute == 0x0003 ? 0x0004 : 0x0003)
            args["other"] = known.units.first { $0.key == otherKey }?.value ?? .int(0x5000)
            command = .invoke(unit, action: action, args: args)
        }
        let frame = try Self.frame(for: command, cluster: cluster, attribute: attribute, sequence: nextSequence())
        let answer = try await zcl(frame, to: known.networkAddress, endpoint: endpoint, cluster: cluster, timeout: timeout)
        let status: ZCLStatus
        switch try? answer.globalCommand() {
        case .defaultResponse(_, let s)?: status = s
        case .writeAttributesResponse(let records)?: status = records.first { $0.status != .success }?.status ?? .success
        default: status = .success // a cluster-specific answer means the device took the command
        }
        guard status == .success else {
            return .rejected(status: Int(status.rawValue), reason: "device \(ieee) answered ZCL status \(status) (0x\(String(status.rawValue, radix: 16)))")
        }
        // The device confirmed; its attribute report (bound) or the next read carries the new value.
        if case .write(_, let v) = command { return .success(v) }
        return .success(nil)
    }

    func knownDevice(_ device: DeviceAddress) throws(AdapterError) -> (IEEEAddress, Known) {
        guard case .ieee(let raw) = device else { throw AdapterError(.unsupported, "\(device) is not a ZigBee device") }
        let ieee = IEEEAddress(raw)
        guard let known = devices[ieee], known.description != nil else { throw AdapterError(.unreachable, "ZigBee device \(ieee) is not in the network") }
        return (ieee, known)
    }

    /// The ZCL frame that carries out a seam command on a unit.
    static func frame(for command: DeviceCommand, cluster: UInt16, attribute: UInt16, sequence: UInt8) throws(AdapterError) -> ZCLFrame {
        func specific(_ id: UInt8, _ payload: [UInt8]) -> ZCLFrame {
            ZCLFrame(frameType: .clusterSpecific, direction: .clientToServer, transactionSequence: sequence, commandId: id, payload: payload)
        }
        func int(_ args: [String: RadioValue], _ name: String) -> Int? { args[name]?.number.map { Int($0.rounded()) } }
        do {
            switch (command, cluster) {
            case (.write(_, let v), ZCLClusterID.onOff):
                guard let n = v.number else { throw AdapterError(.unsupported, "On/Off takes true or false, not \(v)") }
                let c: OnOffCommand = n != 0 ? .on : .off
                return specific(c.commandId, try c.encodedPayload())
            case (.invoke(_, .toggle, _), ZCLClusterID.onOff):
                return specific(OnOffCommand.toggle.commandId, [])
            case (.invoke(_, let action, let args), ZCLClusterID.levelControl):
                let transition = UInt16(clamping: int(args, "transition_time") ?? 0)
                let c: LevelControlCommand
                switch action {
                case .named("move_to_level"), .named("move_to_level_with_on_off"):
                    guard let level = int(args, "value") else { throw AdapterError(.unsupported, "move_to_level needs a value") }
                    c = .moveToLevel(level: UInt8(clamping: level), transitionTime: transition, withOnOff: action == .named("move_to_level_with_on_off"))
                case .stepUp, .stepDown:
                    c = .step(mode: action == .stepUp ? .up : .down, stepSize: UInt8(clamping: int(args, "step") ?? 25), transitionTime: transition, withOnOff: true)
                default:
                    throw AdapterError(.unsupported, "Level Control has no command \(action)")
                }
                return specific(c.commandId, try c.encodedPayload())
            case (.write(_, let v), ZCLClusterID.doorLock):
                guard let n = v.number else { throw AdapterError(.unsupported, "a lock takes true (locked) or false, not \(v)") }
                let c: DoorLockCommand = n != 0 ? .lock() : .unlock()
                return specific(c.commandId, try c.encodedPayload())
            case (.invoke(_, .named("go_to_lift_percentage"), let args), ZCLClusterID.windowCovering):
                guard let p = int(args, "value") else { throw AdapterError(.unsupported, "go_to_lift_percentage needs a value") }
                let c = WindowCoveringCommand.goToLiftPercentage(UInt8(clamping: min(max(p, 0), 100)))
                return specific(c.commandId, try c.encodedPayload())
            case (.invoke(_, .named("move_to_hue"), let args), ZCLClusterID.colorControl):
                guard let h = int(args, "value") else { throw AdapterError(.unsupported, "move_to_hue needs a value") }
                let c = ColorControlCommand.moveToHue(hue: UInt8(clamping: min(h, 254)), direction: .shortestDistance,
                                                     transitionTime: UInt16(clamping: int(args, "transition_time") ?? 0))
                return specific(c.commandId, try c.encodedPayload())
            case (.invoke(_, .named("move_to_saturation"), let args), ZCLClusterID.colorControl):
                guard let v = int(args, "value") else { throw AdapterError(.unsupported, "move_to_saturation needs a value") }
                let c = ColorControlCommand.moveToSaturation(saturation: UInt8(clamping: min(v, 254)),
                                                            transitionTime: UInt16(clamping: int(args, "transition_time") ?? 0))
                return specific(c.commandId, try c.encodedPayload())
            case (.invoke(_, .named("move_to_color_x"), let args), ZCLClusterID.colorControl),
                 (.invoke(_, .named("move_to_color_y"), let args), ZCLClusterID.colorControl):
                // Move To Color takes both coordinates: the other one is its last known value.
                guard let v = int(args, "value"), let other = int(args, "other") else {
                    throw AdapterError(.unsupported, "move_to_color needs a value and the other coordinate")
                }
                let isX = attribute == 0x0003
                let c = ColorControlCommand.moveToColor(x: UInt16(clamping: isX ? v : other), y: UInt16(clamping: isX ? other : v),
                                                       transitionTime: UInt16(clamping: int(args, "transition_time") ?? 0))
                return specific(c.commandId, try c.encodedPayload())
            case (.invoke(_, .named("move_to_color_temperature"), let args), ZCLClusterID.colorControl):
                guard let mireds = int(args, "value") else { throw AdapterError(.unsupported, "move_to_color_temperature needs a value") }
                let c = ColorControlCommand.moveToColorTemperature(mireds: UInt16(clamping: mireds), transitionTime: UInt16(clamping: int(args, "transition_time") ?? 0))
                return specific(c.commandId, try c.encodedPayload())
            case (.write(_, let v), _):
                guard let def = ZCLClusterLibrary.attribute(cluster: cluster, attribute: attribute) else {
                    throw AdapterError(.unsupported, "attribute 0x\(String(attribute, radix: 16)) of cluster 0x\(String(cluster, radix: 16)) is not known")
                }
                guard let value = zclValue(v, as: def.dataType) else {
                    throw AdapterError(.unsupported, "\(v) does not fit attribute \(def.name) (\(def.dataType))")
                }
                return try ZCLFrame.global(.writeAttributes([ZCLAttributeValue(attributeId: attribute, value: value)]), transactionSequence: sequence)
            case (.invoke(_, let action, _), _):
                throw AdapterError(.unsupported, "cluster 0x\(String(cluster, radix: 16)) has no command \(action)")
            }
        } catch let e as AdapterError {
            throw e
        } catch {
            throw AdapterError(.other, "cannot encode the command: \(error)")
        }
    }

    static func zclValue(_ v: RadioValue, as type: ZCLDataType) -> ZCLValue? {
        guard let n = v.number else { return nil }
        let i = Int64(n.rounded())
        switch type {
        case .bool: return .bool(n != 0)
        case .uint8: return i >= 0 && i <= 0xFF ? .unsigned(UInt64(i), .bits8) : nil
        case .uint16: return i >= 0 && i <= 0xFFFF ? .unsigned(UInt64(i), .bits16) : nil
        case .uint32: return i >= 0 && i <= 0xFFFF_FFFF ? .unsigned(UInt64(i), .bits32) : nil
        case .int8: return i >= -128 && i <= 127 ? .signed(i, .bits8) : nil
        case .int16: return i >= -32768 && i <= 32767 ? .signed(i, .bits16) : nil
        case .enum8: return i >= 0 && i <= 0xFF ? .enum8(UInt8(i)) : nil
        case .enum16: return i >= 0 && i <= 0xFFFF ? .enum16(UInt16(i)) : nil
        default: return nil
        }
    }

    public func permitJoin(seconds: Int) async throws(AdapterError) {
        do { try await stack.permitJoin(seconds: UInt8(clamping: seconds)) } catch {
            throw AdapterError(error.code == .notReady ? .adapterDown : .other, error.message)
        }
        setState(seconds > 0 ? .permitJoin : .running)
        if seconds > 0 {
            Task {
                try? await Task.sleep(for: .seconds(seconds))
                if self.state == .permitJoin { self.setState(.running) }
            }
        }
    }

    public func remove(device: DeviceAddress) async throws(AdapterError) {
        let (ieee, known) = try knownDevice(device)
        let leave = ZDOFrame(transactionSequence: nextSequence(), message: .request(.mgmtLeave(ieee: ieee)))
        do { _ = try await zdo(leave, to: known.networkAddress, timeout: configuration.requestTimeout) } catch {
            logger.notice("ZigBee device \(ieee) did not confirm the leave request (\(error.message)); forgetting it anyway")
        }
        if devices.removeValue(forKey: ieee) != nil { continuation.yield(.deviceLeft(device)) }
    }

    public func reinterview(device: DeviceAddress) async throws(AdapterError) {
        let (ieee, _) = try knownDevice(device)
        devices[ieee]?.interviewing = true
        await interview(ieee, update: true)
    }

    public func refresh(device: DeviceAddress, unit: UnitKey?) async throws(AdapterError) {
        let (ieee, known) = try knownDevice(device)
        var byCluster: [UInt16: (UInt8, [UInt16])] = [:]
        for u in known.units where unit == nil || u.key == unit {
            guard case .zigbee(let ep, let c, let a) = u.key else { continue }
            byCluster[c, default: (ep, [])].1.append(a)
        }
        for (cluster, (ep, attributes)) in byCluster.sorted(by: { $0.key < $1.key }) {
            let frame: ZCLFrame
            do { frame = try ZCLFrame.global(.readAttributes(attributes), transactionSequence: nextSequence()) } catch { continue }
            let answer = try await zcl(frame, to: known.networkAddress, endpoint: ep, cluster: cluster, timeout: configuration.requestTimeout)
            let m = ZigbeeAPSMessage(source: known.networkAddress, sourceEndpoint: ep, destination: 0, destinationEndpoint: 1,
                                     profileId: ZigbeeAPSMessage.homeAutomationProfile, clusterId: cluster, payload: answer.encoded())
            report(ieee, m, answer)
        }
    }
}
