import ZigbeeEZSP

/// Bytes from a hex string ("27 80 01" or "278001").
func hex(_ text: String) -> [UInt8] {
    let digits = text.filter { !$0.isWhitespace }
    var out: [UInt8] = []
    var index = digits.startIndex
    while index < digits.endIndex {
        let next = digits.index(index, offsetBy: 2)
        out.append(UInt8(digits[index..<next], radix: 16)!)
        index = next
    }
    return out
}

/// The EZSP payload of the single ASH DATA frame in `raw` (as captured on the wire).
func ezspPayload(ofASH raw: [UInt8]) -> [UInt8]? {
    var decoder = ASHDecoder()
    for output in decoder.feed(raw) {
        if case let .frame(.data(_, _, _, payload)) = output { return payload }
    }
    return nil
}
