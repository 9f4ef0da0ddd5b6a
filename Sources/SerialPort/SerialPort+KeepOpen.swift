import Logging

extension SerialPort {
    /// Keeps a stick's port open for as long as the calling task runs: opens `address`, hands
    /// the port to `serve` until it returns (the port closed or the stick vanished), and opens it
    /// again after `reopenInterval`. A port that cannot be opened is retried at the same pace;
    /// the first failure of a run is logged as an error with its cause, repeats are not.
    public static func keepOpen(_ address: PortAddress, settings: SerialSettings, reopenInterval: Duration,
                                label: String, logger: Logger, serve: @Sendable (SerialPort) async -> Void) async {
        var reported = false
        while !Task.isCancelled {
            let opened: SerialPort
            do { opened = try SerialPort.open(address, settings: settings) } catch {
                if !reported { logger.error("\(label) \(address): \(error.message); retrying every \(reopenInterval)") }
                reported = true
                try? await Task.sleep(for: reopenInterval)
                continue
            }
            reported = false
            await serve(opened)
            guard !Task.isCancelled else { break }
            try? await Task.sleep(for: reopenInterval)
        }
    }
}
