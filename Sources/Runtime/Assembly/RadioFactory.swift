import Bridge
import Foundation
import Logging

/// Turns the configuration's `radios` into adapters.
public enum RadioFactory {
    public struct UnsupportedRadio: Error, CustomStringConvertible {
        public var description: String
    }

    public static func adapters(for config: BridgeConfiguration, logger: Logger) throws -> [any RadioAdapter] {
        var out: [any RadioAdapter] = []
        for (i, r) in config.radios.enumerated() {
            guard let make = registry["\(r.protocol)/\(r.stack)"] else {
                throw UnsupportedRadio(description: "radios[\(i)]: no adapter for protocol \(r.protocol) with stack \(r.stack) in this build (available: \(registry.keys.sorted().joined(separator: ", ")))")
            }
            out.append(try make(r, config, logger))
        }
        return out
    }

    public typealias Constructor = @Sendable (BridgeConfiguration.RadioSection, BridgeConfiguration, Logger) throws -> any RadioAdapter

    /// Adapter constructors by "protocol/stack". Tests may add their own.
    nonisolated(unsafe) public static var registry: [String: Constructor] = builtIn

    /// The stacks whose constructor accepts `port: virtual` (a built-in virtual stick on a
    /// pseudo-terminal, or the simulated ZigBee network); the demo starts one of each.
    public static let virtualCapable: [String] = ["zigbee/ezsp", "bluetooth/hci"]
}
