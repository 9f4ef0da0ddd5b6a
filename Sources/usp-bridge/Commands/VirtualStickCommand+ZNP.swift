import ArgumentParser
import Foundation
import Logging
import VirtualSticks

extension VirtualStickCommand {
    /// `virtual-stick znp`: a Z-Stack ZNP coordinator hosting a ZigBee scenario.
    func runZNP(logger: Logger) async throws {
        let home: ZigbeeScenario
        if let scenario {
            do { home = try ZigbeeScenario.load(path: scenario) } catch {
                FileHandle.standardError.write(Data("usp-bridge virtual-stick: \(error.description)\n".utf8))
                throw ExitCode(65)
            }
        } else {
            home = .home
        }
        let stick: VirtualZNPStick
        do { stick = try VirtualZNPStick(link: link, network: home.network(), timeScale: timeScale, logger: logger) } catch {
            FileHandle.standardError.write(Data("usp-bridge virtual-stick: \(error.message)\n".utf8))
            throw ExitCode(73)
        }
        print("virtual \(kind.rawValue) stick on \(stick.terminal.slavePath), linked at \(link); \(home.devices.count) devices")
        fflush(nil)
        let task = Task { await stick.run() }
        // Ctrl-C / SIGTERM: stop, which removes the link.
        let signals = [SIGINT, SIGTERM].map { sig -> DispatchSourceSignal in
            signal(sig, SIG_IGN)
            let s = DispatchSource.makeSignalSource(signal: sig)
            s.setEventHandler { task.cancel() }
            s.resume()
            return s
        }
        await task.value
        signals.forEach { $0.cancel() }
    }
}
