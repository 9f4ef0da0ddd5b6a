import RadioSeam
import ZigbeeCore

extension ZigbeeRadioAdapter {
    /// Sends `message` and waits for the answer that `key` names (the device's network address
    /// and the transaction sequence number), at most `timeout`.
    func request(_ message: ZigbeeAPSMessage, awaiting key: Pending, timeout: Duration) async throws(AdapterError) -> ZigbeeAPSMessage {
        guard state == .running || state == .permitJoin else { throw AdapterError(.adapterDown, "the ZigBee network is not up (\(state.rawValue))") }
        let answer: ZigbeeAPSMessage? = await withCheckedContinuation { (k: CheckedContinuation<ZigbeeAPSMessage?, Never>) in
            if let old = waiting.updateValue(k, forKey: key) { old.resume(returning: nil) }
            Task {
                do {
                    try await stack.send(message)
                } catch {
                    self.resolve(key, nil, failure: (error as? ZigbeeStackError) ?? ZigbeeStackError(.other, "\(error)"))
                    return
                }
                try? await Task.sleep(for: timeout)
                self.resolve(key, nil, failure: nil)
            }
        }
        if let answer { return answer }
        if let f = lastFailure.removeValue(forKey: key) {
            throw AdapterError(f.code == .notReady ? .adapterDown : f.code == .busy ? .busy : .unreachable, f.message)
        }
        throw AdapterError(.timeout, "no answer from 0x\(String(message.destination, radix: 16)) within \(timeout)")
    }

    func resolve(_ key: Pending, _ answer: ZigbeeAPSMessage?, failure: ZigbeeStackError?) {
        guard let k = waiting.removeValue(forKey: key) else { return }
        if let failure { lastFailure[key] = failure }
        k.resume(returning: answer)
    }

    func failAllWaiting() {
        let all = waiting
        waiting.removeAll()
        for (_, k) in all { k.resume(returning: nil) }
    }

    /// A ZCL request to one endpoint of a device; the answer is the device's frame with the same
    /// transaction sequence number.
    func zcl(_ frame: ZCLFrame, to nwk: UInt16, endpoint: UInt8, cluster: UInt16, timeout: Duration) async throws(AdapterError) -> ZCLFrame {
        let m = ZigbeeAPSMessage(source: 0, sourceEndpoint: 1, destination: nwk, destinationEndpoint: endpoint,
                                 profileId: ZigbeeAPSMessage.homeAutomationProfile, clusterId: cluster, payload: frame.encoded())
        let answer = try await request(m, awaiting: .zcl(nwk, frame.transactionSequence), timeout: timeout)
        do { return try ZCLFrame(decoding: answer.payload) } catch {
            throw AdapterError(.other, "undecodable answer from 0x\(String(nwk, radix: 16)): \(error)")
        }
    }

    func zdo(_ frame: ZDOFrame, to nwk: UInt16, timeout: Duration) async throws(AdapterError) -> ZDOFrame {
        let payload: [UInt8]
        do { payload = try frame.encoded() } catch { throw AdapterError(.other, "cannot encode ZDO request: \(error)") }
        let m = ZigbeeAPSMessage(source: 0, sourceEndpoint: 0, destination: nwk, destinationEndpoint: 0,
                                 profileId: ZigbeeAPSMessage.zdoProfile, clusterId: frame.clusterId, payload: payload)
        let answer = try await request(m, awaiting: .zdo(nwk, frame.transactionSequence), timeout: timeout)
        do { return try ZDOFrame(clusterId: answer.clusterId, bytes: answer.payload) } catch {
            throw AdapterError(.other, "undecodable ZDO answer from 0x\(String(nwk, radix: 16)): \(error)")
        }
    }
}
