import DataModel
import Foundation
import Testing

@Suite struct USPDateTimeTests {
    static let utc = Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!)

    /// The arithmetic rendering gives the text of Foundation's ISO 8601 format style (from
    /// 1600 on: before the Gregorian reform the format style switches to the Julian calendar,
    /// while TR-106/ISO 8601 use the proleptic Gregorian one).
    @Test func renderMatchesTheISO8601FormatStyle() {
        var dates: [Date] = [Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: -1), Date(timeIntervalSince1970: 951_782_400),
                             Date(timeIntervalSince1970: 1_796_400_000.999), Date(timeIntervalSince1970: -2_208_988_800.5),
                             Date(timeIntervalSinceReferenceDate: 0), Date(), Date(timeIntervalSince1970: 253_402_300_799)]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 { dates.append(Date(timeIntervalSince1970: Double.random(in: -11_676_096_000...253_402_300_799, using: &generator))) }
        for d in dates {
            #expect(USPDateTime.render(d) == d.formatted(Self.utc), "\(d.timeIntervalSince1970)")
        }
    }

    @Test func prolepticGregorianEndsAndClamps() {
        #expect(USPDateTime.render(Date(timeIntervalSince1970: -62_135_596_800)) == "0001-01-01T00:00:00Z")
        #expect(USPDateTime.render(Date(timeIntervalSince1970: -62_135_596_800 - 86_400 * 400)) == "0001-01-01T00:00:00Z")
        #expect(USPDateTime.render(Date(timeIntervalSince1970: 1e15)) == "9999-12-31T23:59:59Z")
        #expect(USPDateTime.render(Date(timeIntervalSince1970: .nan)) == USPDateTime.unknown)
        // 1582-10-15 (Gregorian) is the day after 1582-10-04 (Julian): proleptic Gregorian has no gap.
        #expect(USPDateTime.render(Date(timeIntervalSince1970: -12_219_292_800)) == "1582-10-15T00:00:00Z")
        #expect(USPDateTime.render(Date(timeIntervalSince1970: -12_219_379_200)) == "1582-10-14T00:00:00Z")
    }

    @Test func parseRoundTrips() throws {
        for t in [0.0, 1_796_400_000, -12_219_292_800, 253_402_300_799, -62_135_596_800] {
            let text = USPDateTime.render(Date(timeIntervalSince1970: t))
            #expect(try #require(USPDateTime.date(text)).timeIntervalSince1970 == t, "\(text)")
        }
        #expect(USPDateTime.date("2026-12-04T12:00:00+01:00")?.timeIntervalSince1970 == 1_796_382_000)
        #expect(USPDateTime.date("2026-13-01T00:00:00Z") == nil)
        #expect(USPDateTime.date("yesterday") == nil)
    }
}
