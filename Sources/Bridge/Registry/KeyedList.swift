/// A few values keyed by string, stored as one array: a device has a handful of capabilities,
/// and a linear search over four entries is as fast as hashing while taking about half the
/// memory of a `Dictionary` (which reserves buckets beyond its count). Used for the
/// per-device tables the bridge keeps for every device (1,000 devices, 4,000 entries).
/// Order is insertion order; equality ignores it, as a dictionary's does.
struct KeyedList<Value>: Sequence, ExpressibleByDictionaryLiteral {
    typealias Element = (key: String, value: Value)
    private var items: [Element] = []

    init() {}
    init(dictionaryLiteral elements: (String, Value)...) {
        for (k, v) in elements { self[k] = v }
    }

    subscript(key: String) -> Value? {
        get {
            for e in items where e.key == key { return e.value }
            return nil
        }
        set {
            if let i = items.firstIndex(where: { $0.key == key }) {
                if let newValue { items[i].value = newValue } else { items.remove(at: i) }
            } else if let newValue {
                items.append((key, newValue))
            }
        }
    }

    var keys: [String] { items.map(\.key) }
    var values: [Value] { items.map(\.value) }
    var count: Int { items.count }
    var isEmpty: Bool { items.isEmpty }

    func makeIterator() -> IndexingIterator<[Element]> { items.makeIterator() }
}

extension KeyedList: Sendable where Value: Sendable {}

extension KeyedList: Equatable where Value: Equatable {
    static func == (a: KeyedList, b: KeyedList) -> Bool {
        a.count == b.count && a.items.allSatisfy { e in b[e.key] == e.value }
    }
}

extension KeyedList: Hashable where Value: Hashable {
    func hash(into h: inout Hasher) {
        // Order-independent, like Dictionary's.
        var combined = 0
        for e in items {
            var eh = Hasher()
            eh.combine(e.key)
            eh.combine(e.value)
            combined ^= eh.finalize()
        }
        h.combine(count)
        h.combine(combined)
    }
}
