@testable import Bridge
import Foundation
import Testing

@Suite struct DateRenderingTests {
    /// The direct rendering gives the same text as Foundation's ISO 8601 format style.
    @Test func renderMatchesTheISO8601FormatStyle() {
        var dates: [Date] = [Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: -1), Date(timeIntervalSince1970: 951_782_400),
                             Date(timeIntervalSince1970: 1_796_400_000.999), Date(timeIntervalSince1970: -2_208_988_800.5),
                             Date(timeIntervalSinceReferenceDate: 0), Date()]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 { dates.append(Date(timeIntervalSince1970: Double.random(in: -5e10...2.5e11, using: &generator))) }
        for d in dates {
            #expect(Bridge.render(d) == d.formatted(Bridge.iso8601), "\(d.timeIntervalSince1970)")
        }
    }
}
