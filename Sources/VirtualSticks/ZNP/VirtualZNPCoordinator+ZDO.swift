import ZigbeeCore
import ZigbeeZNP

// ZDO: the MT ZDO requests ZigbeeZNP's `ZNPRequest` types. Each SRSP only says the request was
// accepted; the remote answer follows as the ZDO_*_RSP AREQ, built from the network's ZDP reply.
extension VirtualZNPCoordinator {
    mutating func zdo(_ frame: MTFrame) -> [MTFrame] {
        var r = ZNPDeviceFrames.Reader(frame.payload)
        let destination: UInt16
        let request: ZDORequest
        switch frame.commandID {
        case 0x02:  // ZDO_NODE_DESC_REQ: DstAddr, NWKAddrOfInterest
            guard let dst = r.u16(), let interest = r.u16() else { return invalidLength(frame) }
            (destination, request) = (dst, .nodeDescriptor(networkAddress: interest))
        case 0x04:  // ZDO_SIMPLE_DESC_REQ: DstAddr, NWKAddrOfInterest, Endpoint
            guard let dst = r.u16(), let interest = r.u16(), let endpoint = r.u8() else { return invalidLength(frame) }
            (destination, request) = (dst, .simpleDescriptor(networkAddress: interest, endpoint: endpoint))
        case 0x05:  // ZDO_ACTIVE_EP_REQ: DstAddr, NWKAddrOfInterest
            guard let dst = r.u16(), let interest = r.u16() else { return invalidLength(frame) }
            (destination, request) = (dst, .activeEndpoints(networkAddress: interest))
        case 0x21, 0x22:  // ZDO_BIND_REQ / ZDO_UNBIND_REQ
            guard let dst = r.u16(), let sourceIEEE = r.ieee(), let sourceEndpoint = r.u8(), let cluster = r.u16(), let mode = r.u8(),
                  let address = r.ieee(), let endpoint = r.u8() else { return invalidLength(frame) }
            let target: ZigbeeCore.ZDOBindDestination = mode == 0x01 ? .group(UInt16(truncatingIfNeeded: address.rawValue))
                                                                       : .device(address, endpoint: endpoint)
            let binding = ZDOBinding(sourceAddress: sourceIEEE, sourceEndpoint: sourceEndpoint, clusterId: cluster, destination: target)
            (destination, request) = (dst, frame.commandID == 0x21 ? .bind(binding) : .unbind(binding))
        case 0x34:  // ZDO_MGMT_LEAVE_REQ: DstAddr, DeviceAddr (IEEE), RemoveChildren_Rejoin
            guard let dst = r.u16(), let device = r.ieee(), let flags = r.u8() else { return invalidLength(frame) }
            (destination, request) = (dst, .mgmtLeave(ieee: device, removeChildren: flags & 0x02 != 0, rejoin: flags & 0x01 != 0))
        case 0x36:  // ZDO_MGMT_PERMIT_JOIN_REQ: AddrMode, DstAddr, Duration, TCSignificance
            guard r.u8() != nil, let dst = r.u16(), let seconds = r.u8(), r.u8() != nil else { return invalidLength(frame) }
            (destination, request) = (dst, .mgmtPermitJoining(durationSeconds: seconds))
        case 0x40:  // ZDO_STARTUP_FROM_APP
            guard r.u16() != nil else { return invalidLength(frame) }
            return startupFromApp()
        default:
            return [ZNPDeviceFrames.rpcError(.invalidCommandID, for: frame)]
        }
        // Off the network there is nobody to ask.
        guard isUp else { return [ZNPDeviceFrames.status(frame, .nwkInvalidRequest)] }
        return [ZNPDeviceFrames.status(frame, .success)] + send(request, to: destination)
    }

    /// ZDO_STARTUP_FROM_APP: restores a formed network (0x00), forms one when there is none (0x01),
    /// or stays down when the device is not configured as a coordinator (0x02).
    private mutating func startupFromApp() -> [MTFrame] {
        let respond = { (state: ZNPStartupState) in ZNPDeviceFrames.srsp(.zdo, 0x40, [state.rawValue]) }
        if isUp {
            // Already running: it says so again, so a host that restarted learns the state.
            return [respond(.restoredNetwork), ZNPDeviceFrames.stateChanged(.coordinator)]
        }
        guard flash.items[NVItemID.logicalType.rawValue]?.first == 0x00 else { return [respond(.notStarted)] }
        if flash.network != nil {
            return [respond(.restoredNetwork)] + comeUp(formed: false)
        }
        flash.network = formNetwork()
        return [respond(.newNetwork)] + comeUp(formed: true)
    }

    /// Sends a ZDP request to `destination` and returns the AREQs its answers become.
    private mutating func send(_ request: ZDORequest, to destination: UInt16) -> [MTFrame] {
        zdpSequence &+= 1
        let sequence = zdpSequence
        if case .mgmtPermitJoining(let seconds, _) = request {
            // The coordinator applies it too (always for a broadcast, and when addressed itself).
            if destination == 0x0000 || destination >= 0xFFF8 {
                openJoining(seconds: seconds)
                return frames(for: [.message(zdpReply(.mgmtPermitJoining(.success), from: 0x0000, sequence: sequence))])
            }
        }
        if destination == 0x0000 {
            return frames(for: [.message(zdpReply(ownAnswer(request), from: 0x0000, sequence: sequence))])
        }
        guard let payload = try? ZDOFrame(transactionSequence: sequence, message: .request(request)).encoded() else { return [] }
        let message = ZigbeeAPSMessage(source: 0x0000, sourceEndpoint: 0, destination: destination, destinationEndpoint: 0,
                                       profileId: ZigbeeAPSMessage.zdoProfile, clusterId: request.clusterId, payload: payload)
        // An absent device never answers; the host's wait for the ZDO_*_RSP times out.
        return frames(for: network.send(message, at: now))
    }

    /// The coordinator's own answers to requests about itself.
    private func ownAnswer(_ request: ZDORequest) -> ZDOResponse {
        switch request {
        case .nodeDescriptor:
            return .nodeDescriptor(status: .success, networkAddress: 0x0000, descriptor: ZigbeeNodeDescriptor(
                logicalType: .coordinator,
                macCapabilities: [.alternatePANCoordinator, .fullFunctionDevice, .mainsPowered, .receiverOnWhenIdle, .allocateAddress],
                manufacturerCode: 0x0000))
        case .activeEndpoints:
            return .activeEndpoints(status: .success, networkAddress: 0x0000, endpoints: endpoints.keys.sorted())
        case .simpleDescriptor(_, let endpoint):
            guard let e = endpoints[endpoint] else {
                return .simpleDescriptor(status: .notActive, networkAddress: 0x0000, descriptor: nil)
            }
            return .simpleDescriptor(status: .success, networkAddress: 0x0000, descriptor: ZigbeeSimpleDescriptor(
                endpoint: e.endpoint, profileId: e.profileID, deviceId: e.deviceID, deviceVersion: e.deviceVersion,
                inputClusters: e.inputClusters, outputClusters: e.outputClusters))
        case .bind: return .bind(.success)
        case .unbind: return .unbind(.success)
        case .mgmtLeave: return .mgmtLeave(.notSupported)
        case .mgmtPermitJoining: return .mgmtPermitJoining(.success)
        case .mgmtLqi: return .mgmtLqi(ZDOMgmtLqiResponse(status: .success))
        case .ieeeAddress:
            return .ieeeAddress(ZDOAddressResponse(status: .success, ieeeAddress: configuration.ieee, networkAddress: 0x0000))
        case .networkAddress:
            return .networkAddress(ZDOAddressResponse(status: .success, ieeeAddress: configuration.ieee, networkAddress: 0x0000))
        case .deviceAnnounce:
            return .mgmtLeave(.notSupported)
        }
    }

    private func zdpReply(_ response: ZDOResponse, from source: UInt16, sequence: UInt8) -> ZigbeeAPSMessage {
        let payload = (try? ZDOFrame(transactionSequence: sequence, message: .response(response)).encoded()) ?? [sequence]
        return ZigbeeAPSMessage(source: source, sourceEndpoint: 0, destination: 0x0000, destinationEndpoint: 0,
                                profileId: ZigbeeAPSMessage.zdoProfile, clusterId: response.clusterId, payload: payload)
    }
}
