@testable import Bridge
import Testing

@Suite struct SeamTests {
    @Test func addressesAndUnitKeysRoundTrip() {
        let addrs: [DeviceAddress] = [.ieee(0x00124B0012345678), .zwave(homeID: 0xC0FFEE01, nodeID: 5), .bluetooth(0xA4C138001122)]
        for a in addrs { #expect(DeviceAddress(a.description) == a) }
        #expect(DeviceAddress.ieee(1).description == "zigbee:0000000000000001")
        let keys: [UnitKey] = [.zigbee(endpoint: 1, cluster: 6, attribute: 0), .zwave(endpoint: 0, commandClass: 0x25, property: "currentValue"),
                               .ble(objectID: 0x3A, index: 1)]
        for k in keys { #expect(UnitKey(k.description) == k) }
        #expect(UnitKey.zigbee(endpoint: 1, cluster: 6, attribute: 0).description == "zigbee/1/0x0006/0x0000")
        for bad in ["", "zigbee:", "zigbee:12", "zigbee:zzzzzzzzzzzzzzzz", "zwave:1:2", "ble:1", "x:y", "zwave:c0ffee01:99999"] {
            #expect(DeviceAddress(bad) == nil, "\(bad)")
        }
        for bad in ["", "zigbee/1/2", "zigbee/300/1/1", "zwave/0/0x25/", "ble/x/0", "other/1/2/3"] { #expect(UnitKey(bad) == nil, "\(bad)") }
    }

    @Test func sleepyQueueWaitsForWakeAndExpires() {
        var q = SleepyCommandQueue()
        #expect(q.handle(.submit(id: 1)) == [])
        #expect(q.handle(.submit(id: 2)) == [])
        #expect(q.waiting == [1, 2])
        #expect(q.handle(.deadline(id: 1)) == [.expire(id: 1)])
        #expect(q.handle(.deadline(id: 1)) == [])
        #expect(q.handle(.awake) == [.send(id: 2)])
        #expect(q.waiting.isEmpty)
        // Inside the awake window new commands go straight out; a late deadline does nothing.
        #expect(q.handle(.submit(id: 3)) == [.send(id: 3)])
        #expect(q.handle(.deadline(id: 2)) == [])
        #expect(q.handle(.asleep) == [])
        #expect(q.handle(.submit(id: 4)) == [])
        #expect(q.handle(.gone) == [.drop(id: 4)])
        #expect(q.waiting.isEmpty)
    }

    @Test func conversionsRoundTripAndRejectBadInput() {
        var c = ValueConversion()
        c.scale = 0.01
        c.decimals = 2
        #expect(c.tr181Value(.double(.nan), class: .levelSensor) == nil)
        #expect(c.tr181Value(.string("abc"), class: .levelSensor) == nil)
        #expect(c.tr181Value(.list([.int(1)]), class: .levelSensor) == nil)
        #expect(c.radioValue("1e300", class: .levelControl) == nil)
        #expect(c.radioValue("12.34", class: .levelControl) == .int(1234))
        var b = ValueConversion()
        b.invert = true
        #expect(b.tr181Value(.bool(true), class: .binaryControl) == "false")
        #expect(b.radioValue("true", class: .binaryControl) == .bool(false))
        b.bit = 70
        #expect(b.tr181Value(.int(1), class: .binarySensor) == "true")   // out-of-range bit reads as 0, inverted
        var e = ValueConversion()
        e.enumTable = [(0, "Off"), (1, "Heat"), (3, "Cool")]
        #expect(e.tr181Value(.enumeration(3), class: .enumControl) == "Cool")
        #expect(e.tr181Value(.enumeration(2), class: .enumControl) == nil)
        #expect(e.radioValue("Heat", class: .enumControl) == .enumeration(1))
        #expect(e.radioValue("Fan", class: .enumControl) == nil)
        var m = ValueConversion()
        m.scale = 0.1
        #expect(m.tr181Value(.list([.int(10), .int(-25)]), class: .multiLevelSensor) == "1,-2.5")
        var d = ValueConversion()
        d.divisorProperty = "div"
        #expect(d.tr181Value(.int(5), class: .levelSensor, properties: ["div": .int(0)]) == nil)
    }
}
