import Foundation
import Runtime
import Testing

@Suite struct ConfigurationTests {
    @Test func emptyFileGivesDefaults() throws {
        let c = try ConfigurationLoader.parse("")
        #expect(c == BridgeConfiguration())
        #expect(c.mqtt?.port == 1883)
        #expect(c.mqtt?.version == "5.0")
    }

    @Test func shippedExampleParses() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../examples/usp-bridge.yaml").standardized.path
        let c = try ConfigurationLoader.load(path: path)
        #expect(c.radios.first?.protocol == "bluetooth" && c.radios.first?.flowControl == "hardware")
        #expect(c.controllers.count == 2 && c.roles.first?.name == "viewer")
        #expect(c.bluetooth.bindkeys.count == 1)
    }

    @Test func fullFileParses() throws {
        let yaml = """
        agent:
          endpointID: "os::012345-gw1"
        mqtt:
          host: broker.lan
          port: 8883
          version: "3.1.1"
          qos: 2
        controllers:
          - endpointID: "self::ctrl"
            topic: usp/controller
            role: viewer
        roles:
          - name: viewer
            permissions:
              - targets: ["Device."]
                param: "r--n"
                obj: "r---"
                instantiatedObj: "r---"
                commandEvent: "r---"
        radios:
          - protocol: zigbee
            stack: ezsp
            port: /dev/ttyUSB0
            flowControl: hardware
        bluetooth:
          bindkeys:
            "A4:C1:38:00:11:22": "231d39c1d7cc1ab1aee224cd096db932"
        """
        let c = try ConfigurationLoader.parse(yaml)
        #expect(c.agent.endpointID == "os::012345-gw1")
        #expect(c.mqtt?.port == 8883 && c.mqtt?.version == "3.1.1" && c.mqtt?.qos == 2)
        #expect(c.controllers.first?.role == "viewer")
        #expect(c.roles.first?.permissions.first?.param == "r--n")
        #expect(c.radios.first?.stack == "ezsp" && c.radios.first?.flowControl == "hardware" && c.radios.first?.baud == 115200)
        #expect(c.bluetooth.bindkeys.count == 1)
    }

    @Test(arguments: [
        ("mqtt:\n  port: 99999\n", 2, "mqtt.port"),
        ("mqtt:\n  prot: 1883\n", 2, "mqtt.prot"),
        ("agent:\n  endpointID: x\nmqtt:\n  port: eighty\n", 4, "mqtt.port"),
        ("controllers:\n  - topic: t\n", 2, "controllers.0.endpointID"),
        ("controllers:\n  - endpointID: c\n    role: admin\n", 3, "controllers.0.role"),
        ("roles:\n  - name: r\n    permissions:\n      - targets: [Device.]\n        param: rwx\n", 5, "roles.0.permissions.0.param"),
        ("radios:\n  - protocol: lora\n    stack: x\n    port: /dev/x\n", 2, "radios.0.protocol"),
        ("bluetooth:\n  devices: []\n  offlineAfter: 2\n", 3, "bluetooth.offlineAfter"),
        ("bluetooth:\n  bindkeys:\n    \"A4:C1:38:00:11:22\": \"231d39c1\"\n", 3, "bluetooth.bindkeys.A4:C1:38:00:11:22"),
        ("bluetooth:\n  offlineAfter: 60\n  bindkeys:\n    \"A4:C1:38:00:11:22\": \"x31d39c1d7cc1ab1aee224cd096db932\"\n", 4, "bluetooth.bindkeys.A4:C1:38:00:11:22"),
        ("bluetooth:\n  bindkeys:\n    A4-C1-38: \"231d39c1d7cc1ab1aee224cd096db932\"\n", 3, "bluetooth.bindkeys.A4-C1-38"),
        ("mqtt: [1, 2\n", 2, ""),
        ("- just\n- a list\n", 1, ""),
    ])
    func badFilesNameLineAndField(_ yaml: String, _ line: Int, _ field: String) {
        do {
            _ = try ConfigurationLoader.parse(yaml, file: "bad.yaml")
            Issue.record("accepted")
        } catch {
            #expect(error.file == "bad.yaml")
            #expect(error.line == line, "\(error)")
            #expect(error.field == field, "\(error)")
            #expect(error.description.hasPrefix("bad.yaml:\(line):"))
        }
    }
}
