import DataModel
import Foundation
import Testing

/// Canonical rendering and validation of TR-106 types, and search comparison semantics
/// (TR-369 "Searching with Expressions").
@Suite struct ValueSyntaxTests {
    @Test(arguments: [
        (ValueSyntax.boolean, "1", "true"), (.boolean, "0", "false"), (.boolean, "true", "true"), (.boolean, "false", "false"),
        (.int, "+123", "123"), (.int, "0123", "123"), (.int, "-0", "0"), (.int, "-2147483648", "-2147483648"),
        (.unsignedInt, "4294967295", "4294967295"), (.long, "-9223372036854775808", "-9223372036854775808"),
        (.unsignedLong, "18446744073709551615", "18446744073709551615"),
        (.decimal, "+1.50", "1.50"), (.decimal, "-0.5", "-0.5"), (.decimal, ".5", ".5"),
        (.dateTime, "2026-11-24T21:32:20Z", "2026-11-24T21:32:20Z"),
        (.dateTime, "2026-11-24T23:32:20+02:00", "2026-11-24T21:32:20Z"),
        (.dateTime, "2026-11-24T21:32:20.125-01:30", "2026-11-24T23:02:20.125Z"),
        (.dateTime, "0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z"),
        (.dateTime, "2024-02-29T00:00:00Z", "2024-02-29T00:00:00Z"),
        (.hexBinary, "DEADbeef", "deadbeef"), (.hexBinary, "", ""),
        (.base64, "aGVsbG8=", "aGVsbG8="),
        (.string, "anything, really", "anything, really"),
    ])
    func canonical(_ syntax: ValueSyntax, _ input: String, _ expected: String) throws {
        #expect(try syntax.canonicalValue(input) == expected)
    }

    @Test(arguments: [
        (ValueSyntax.boolean, "yes", 7011), (.boolean, "", 7011), (.boolean, "TRUE", 7011),
        (.int, "12a", 7011), (.int, "", 7011), (.int, "1.0", 7011), (.int, "2147483648", 7012), (.int, "-2147483649", 7012),
        (.unsignedInt, "-1", 7012), (.unsignedInt, "4294967296", 7012), (.unsignedLong, "18446744073709551616", 7012),
        (.long, "9223372036854775808", 7012),
        (.decimal, "1.2.3", 7011), (.decimal, "e5", 7011), (.decimal, ".", 7011),
        (.dateTime, "2026-13-01T00:00:00Z", 7011), (.dateTime, "2023-02-29T00:00:00Z", 7011), (.dateTime, "2026-11-24 21:32:20Z", 7011),
        (.dateTime, "2026-11-24T21:32:20", 7011), (.dateTime, "2026-11-24T25:00:00Z", 7011),
        (.hexBinary, "abc", 7011), (.hexBinary, "zz", 7011),
        (.base64, "not base64!", 7011),
    ])
    func rejected(_ syntax: ValueSyntax, _ input: String, _ code: UInt32) {
        do {
            let v = try syntax.canonicalValue(input)
            Issue.record("\(input) accepted as \(v)")
        } catch {
            #expect(error.code.rawValue == code, "\(input): \(error.message)")
            #expect(error.message.contains(input) || input.isEmpty || error.message.contains("long"), "message names the value")
        }
    }

    @Test func facets() throws {
        let level = ValueSyntax(.int, ranges: [.init(min: "0", max: "100")])
        #expect(try level.canonicalValue("100") == "100")
        #expect(throws: USPError.self) { try level.canonicalValue("101") }
        let twoRanges = ValueSyntax(.unsignedInt, ranges: [.init(min: "1", max: "5"), .init(min: "10")])
        #expect(try twoRanges.canonicalValue("12") == "12")
        #expect((try? twoRanges.canonicalValue("7")) == nil)
        let e = ValueSyntax(.string, enumeration: ["MQTT", "WebSocket"])
        #expect(try e.canonicalValue("MQTT") == "MQTT")
        do { _ = try e.canonicalValue("mqtt"); Issue.record("accepted") } catch { #expect(error.code == .invalidValue) }
        let short = ValueSyntax(.string, minLength: 1, maxLength: 4)
        #expect((try? short.canonicalValue("")) == nil)
        #expect((try? short.canonicalValue("12345")) == nil)
        #expect(try short.canonicalValue("1234") == "1234")
        let hex = ValueSyntax(.hexBinary, maxLength: 2)
        #expect((try? hex.canonicalValue("aabbcc")) == nil)
    }

    @Test func lists() throws {
        let ints = ValueSyntax(.unsignedInt, list: .init(minItems: 1, maxItems: 3))
        #expect(try ints.canonicalValue("1, 02,+3") == "1,2,3")
        #expect((try? ints.canonicalValue("")) == nil)
        #expect((try? ints.canonicalValue("1,2,3,4")) == nil)
        do { _ = try ints.canonicalValue("1,x"); Issue.record("accepted") } catch { #expect(error.code == .invalidType) }
        let strings = ValueSyntax(.string, list: .init(maxLength: 10))
        #expect(try strings.canonicalValue("") == "")
        #expect((try? strings.canonicalValue("abcdef,ghijkl")) == nil)
        let enums = ValueSyntax(.string, list: .init(), enumeration: ["A", "B"])
        #expect(try enums.canonicalValue("A,B") == "A,B")
        #expect((try? enums.canonicalValue("A,C")) == nil)
    }

    @Test func searchComparison() throws {
        #expect(try ValueSyntax.int.matches("10", .greater, .bare("9")))
        #expect(try ValueSyntax.int.matches("123", .equal, .bare("+0123")))
        #expect(try !ValueSyntax.int.matches("5", .lessOrEqual, .bare("4")))
        #expect(try ValueSyntax.unsignedLong.matches("18446744073709551615", .greater, .bare("18446744073709551614")))
        #expect(try ValueSyntax.decimal.matches("1.25", .less, .bare("1.3")))
        #expect(try ValueSyntax.boolean.matches("true", .equal, .bare("1")))
        #expect(try ValueSyntax.boolean.matches("false", .notEqual, .bare("true")))
        #expect(try ValueSyntax.string.matches("eth0", .equal, .quoted("eth0")))
        #expect(try ValueSyntax.dateTime.matches("2021-06-01T00:00:00Z", .less, .bare("2021-06-06T08:00:00Z")))
        #expect(try ValueSyntax.dateTime.matches("2021-06-06T10:00:00+02:00", .equal, .bare("2021-06-06T08:00:00Z")))
        let list = ValueSyntax(.string, list: .init())
        #expect(try list.matches("IPv4Firewall,IPv6Firewall", .contains, .quoted("IPv6Firewall")))
        #expect(try !list.matches("IPv4Firewall", .contains, .quoted("IPv6")))
        #expect(try ValueSyntax(.unsignedInt, list: .init()).matches("1,5,10", .contains, .bare("05")))
    }

    @Test(arguments: [
        (ValueSyntax.boolean, PathExpression.SearchOperator.equal, PathExpression.SearchValue.quoted("true")),
        (.boolean, .less, .bare("true")),
        (.string, .greater, .quoted("a")),
        (.string, .equal, .bare("eth0")),
        (.int, .equal, .quoted("5")),
        (.int, .contains, .bare("5")),
        (.int, .equal, .bare("five")),
        (.dateTime, .less, .bare("0001-01-01T00:00:00Z")),
    ])
    func invalidSearches(_ syntax: ValueSyntax, _ op: PathExpression.SearchOperator, _ c: PathExpression.SearchValue) {
        do {
            _ = try syntax.matches("1", op, c)
            Issue.record("accepted")
        } catch {
            #expect(error.code == .invalidPathSyntax)
        }
    }

    @Test func dateTimeRendering() {
        #expect(USPDateTime.render(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
        #expect(USPDateTime.unknown == "0001-01-01T00:00:00Z")
    }
}
