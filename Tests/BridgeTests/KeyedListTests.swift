@testable import Bridge
import Testing

@Suite struct KeyedListTests {
    @Test func behavesLikeADictionary() {
        var l: KeyedList<Int> = ["a": 1, "b": 2]
        #expect(l["a"] == 1 && l["b"] == 2 && l["c"] == nil)
        l["c"] = 3
        l["a"] = 10                       // replaces in place
        #expect(l.keys == ["a", "b", "c"])
        #expect(l.values == [10, 2, 3])
        l["b"] = nil                      // removes
        #expect(l.count == 2 && l["b"] == nil)
        l["zz"] = nil                     // removing a missing key is a no-op
        #expect(l.count == 2)
        var seen: [String: Int] = [:]
        for (k, v) in l { seen[k] = v }
        #expect(seen == ["a": 10, "c": 3])
        #expect(l.filter { $0.value > 5 }.map(\.key) == ["a"])
    }

    @Test func equalityAndHashIgnoreOrder() {
        let x: KeyedList<String> = ["p": "1", "q": "2"]
        let y: KeyedList<String> = ["q": "2", "p": "1"]
        let z: KeyedList<String> = ["p": "1", "q": "3"]
        #expect(x == y)
        #expect(x.hashValue == y.hashValue)
        #expect(x != z)
        #expect(KeyedList<String>() != x)
    }
}
