import Foundation
extension PathExpression {
    public static func parse(_ text: String) throws(USPError) -> PathExpression { fatalError() }
    public static func parseSupported(_ text: String) throws(USPError) -> String { fatalError() }
}
extension ValueSyntax {
    public func canonicalValue(_ text: String) throws(USPError) -> String { fatalError() }
    public func matches(_ value: String, _ op: PathExpression.SearchOperator, _ constant: PathExpression.SearchValue) throws(USPError) -> Bool { fatalError() }
}
public enum USPDateTime { public static let unknown = "0001-01-01T00:00:00Z"; public static func render(_ d: Date) -> String { fatalError() } }
extension PathExpression { public var isSearchPath: Bool { fatalError() } }
