import Runtime
import Testing

/// The `uds` section: parsing, MQTT becoming optional, and located errors.
@Suite struct UDSConfigurationTests {
    @Test func udsAloneTurnsMQTTOff() throws {
        let c = try ConfigurationLoader.parse("uds:\n  path: /run/usp-bridge/agent.sock\n  mode: server\n")
        #expect(c.uds == .init(path: "/run/usp-bridge/agent.sock", mode: "server"))
        #expect(c.mqtt == nil)
        #expect(c.uds?.permissionBits == nil)
    }

    @Test func udsAndMQTTTogether() throws {
        let c = try ConfigurationLoader.parse("mqtt:\n  port: 1884\nuds: { path: /tmp/a.sock, permissions: \"0666\" }\n")
        #expect(c.mqtt?.port == 1884)
        #expect(c.uds?.path == "/tmp/a.sock")
        #expect(c.uds?.permissionBits == 0o666)
    }

    @Test func withoutEitherMQTTKeepsItsDefaults() throws {
        let c = try ConfigurationLoader.parse("agent:\n  endpointID: proto::x\n")
        #expect(c.mqtt?.port == 1883)
        #expect(c.uds == nil)
    }

    @Test(arguments: [
        ("agent:\n  endpointID: x\nmqtt:\n", 3, "mqtt"),
        ("uds:\n  mode: server\n", 2, "uds.path"),
        ("uds:\n  path: relative.sock\n", 2, "uds.path"),
        ("uds:\n  path: /tmp/\(String(repeating: "s", count: 120)).sock\n", 2, "uds.path"),
        ("uds:\n  path: /tmp/a.sock\n  mode: client\n", 3, "uds.mode"),
        ("uds:\n  path: /tmp/a.sock\n  permissions: rw-rw----\n", 3, "uds.permissions"),
        ("uds:\n  path: /tmp/a.sock\n  perms: \"0660\"\n", 3, "uds.perms"),
    ])
    func badUDSSectionsNameLineAndField(_ yaml: String, _ line: Int, _ field: String) {
        do {
            _ = try ConfigurationLoader.parse(yaml, file: "bad.yaml")
            Issue.record("accepted: \(yaml)")
        } catch {
            #expect(error.line == line, "\(error)")
            #expect(error.field == field, "\(error)")
        }
    }
}
