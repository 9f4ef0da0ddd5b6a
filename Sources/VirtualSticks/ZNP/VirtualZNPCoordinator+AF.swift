import ZigbeeCore
import ZigbeeZNP

// AF: endpoint registration, data requests, and network events turned into AREQs.
extension VirtualZNPCoordinator {
    mutating func af(_ frame: MTFrame) -> [MTFrame] {
        var r = ZNPDeviceFrames.Reader(frame.payload)
        switch frame.commandID {
        case 0x00:  // AF_REGISTER
            guard let endpoint = r.u8(), let profile = r.u16(), let device = r.u16(), let version = r.u8(), r.u8() != nil,
                  let inputs = r.u16List(), let outputs = r.u16List() else { return invalidLength(frame) }
            guard (1...240).contains(endpoint) else { return [ZNPDeviceFrames.status(frame, .invalidParameter)] }
            guard endpoints[endpoint] == nil else { return [ZNPDeviceFrames.status(frame, .apsDuplicateEntry)] }
            endpoints[endpoint] = AFEndpoint(endpoint: endpoint, profileID: profile, deviceID: device, deviceVersion: version,
                                             inputClusters: inputs, outputClusters: outputs)
            return [ZNPDeviceFrames.status(frame, .success)]
        case 0x01:  // AF_DATA_REQUEST
            guard let destination = r.u16(), let destinationEndpoint = r.u8(), let sourceEndpoint = r.u8(),
                  let cluster = r.u16(), let transactionID = r.u8(), r.u8() != nil, r.u8() != nil,
                  let data = r.short() else { return invalidLength(frame) }
            // The source endpoint supplies the profile; Z-Stack refuses one nobody registered.
            let profile: UInt16
            if sourceEndpoint == 0 {
                profile = ZigbeeAPSMessage.zdoProfile
            } else if let registered = endpoints[sourceEndpoint] {
                profile = registered.profileID
            } else {
                return [ZNPDeviceFrames.status(frame, .invalidParameter)]
            }
            let message = ZigbeeAPSMessage(source: 0x0000, sourceEndpoint: sourceEndpoint, destination: destination,
                                           destinationEndpoint: destinationEndpoint, profileId: profile, clusterId: cluster, payload: data)
            return [ZNPDeviceFrames.status(frame, .success)] + transmit(message, transactionID: transactionID)
        default:
            return [ZNPDeviceFrames.rpcError(.invalidCommandID, for: frame)]
        }
    }

    /// AF_DATA_CONFIRM for one transmission, then what the network answers.
    private mutating func transmit(_ message: ZigbeeAPSMessage, transactionID: UInt8) -> [MTFrame] {
        let confirm = { (status: MTStatus) in
            ZNPDeviceFrames.dataConfirm(status, endpoint: message.sourceEndpoint, transactionID: transactionID)
        }
        guard isUp else { return [confirm(.nwkInvalidRequest)] }
        if message.destination >= 0xFFF8 {
            return [confirm(.success)] + frames(for: network.send(message, at: now))
        }
        if message.destination == 0x0000 { return [confirm(.success)] }
        guard network.isMember(message.destination) else {
            // A device that was in the scenario but left does not acknowledge; an address nobody
            // ever had has no route.
            let known = network.devices.contains { $0.networkAddress == message.destination }
            return [confirm(known ? .macNoAck : .nwkNoRoute)]
        }
        return [confirm(.success)] + frames(for: network.send(message, at: now))
    }

    /// Network events as the AREQs the firmware sends, while the coordinator runs; nothing otherwise
    /// (a coordinator that is down hears nobody).
    mutating func frames(for events: [VirtualZigbeeNetwork.Event]) -> [MTFrame] {
        guard isUp else { return [] }
        var out: [MTFrame] = []
        for event in events {
            switch event {
            case .joined(let ieee, let address, _):
                out.append(ZNPDeviceFrames.trustCenterDevice(networkAddress: address, ieee: ieee, parent: 0x0000))
            case .left(let ieee, let address):
                out.append(ZNPDeviceFrames.leaveIndication(networkAddress: address, ieee: ieee))
            case .message(let m) where m.isZDO:
                if m.clusterId == ZDOClusterID.deviceAnnounce {
                    guard let f = try? ZDOFrame(clusterId: m.clusterId, bytes: m.payload),
                          case .request(.deviceAnnounce(let a)) = f.message else { continue }
                    out.append(ZNPDeviceFrames.endDeviceAnnounce(source: m.source, networkAddress: a.networkAddress,
                                                                 ieee: a.ieeeAddress, capabilities: a.capabilities.rawValue))
                } else if let frame = ZNPDeviceFrames.zdoResponse(m) {
                    out.append(frame)
                }
            case .message(let m):
                // Delivered only to an endpoint the host registered.
                guard endpoints[m.destinationEndpoint] != nil else { continue }
                incomingSequence &+= 1
                out.append(ZNPDeviceFrames.incomingMessage(m, wasBroadcast: m.destination >= 0xFFF8,
                                                           timestamp: UInt32(truncatingIfNeeded: Int64(now * 1000)),
                                                           transactionSequence: incomingSequence))
            }
        }
        return out
    }

    /// Opens the network to joining; the waiting devices' joins arrive `joinDelay` later.
    mutating func openJoining(seconds: UInt8) {
        let events = network.permitJoin(seconds: Double(seconds == 0xFF ? 254 : seconds), at: now)
        if !events.isEmpty { deferred.append((now + configuration.joinDelay, events)) }
    }
}
