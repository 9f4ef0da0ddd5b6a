import DataModel
import Testing

/// The TR-369 path grammar ("Data Model Path Grammar", "Searching with Expressions",
/// "Reference Following") against a table of valid and invalid paths. Valid rows give the
/// canonical rendering and the leaf; invalid rows give the 1-based position the error names.
struct PathRow: CustomTestStringConvertible, Sendable {
    let text: String
    /// nil for an invalid path.
    let canonical: String?
    let leaf: String
    let segments: Int
    let errorPosition: Int?
    var testDescription: String { text }

    static func ok(_ text: String, _ leaf: String, segments: Int, canonical: String? = nil) -> PathRow {
        PathRow(text: text, canonical: canonical ?? text, leaf: leaf, segments: segments, errorPosition: nil)
    }
    static func bad(_ text: String, at position: Int) -> PathRow {
        PathRow(text: text, canonical: nil, leaf: "", segments: 0, errorPosition: position)
    }
}

let pathTable: [PathRow] = [
    // Object, instance, parameter, command and event paths.
    .ok("Device.", "object", segments: 1),
    .ok("Device.LocalAgent.", "object", segments: 2),
    .ok("Device.LocalAgent.EndpointID", "param", segments: 2),
    .ok("Device.LocalAgent.Controller.", "object", segments: 3),
    .ok("Device.LocalAgent.Controller.1.", "object", segments: 4),
    .ok("Device.LocalAgent.Controller.12.MTP.3.Enable", "param", segments: 6),
    .bad("Device.IP.Interface.3", at: 22),
    .ok("Device.Reboot()", "command", segments: 1),
    .ok("Device.IP.Interface.[Name==\"eth0\"].Reset()", "command", segments: 4),
    .ok("Device.Boot!", "event", segments: 1),
    .ok("Device.LocalAgent.Periodic!", "event", segments: 2),
    .ok("Device.X_ACME-COM_Thing.", "object", segments: 0).invalidAt(14),
    .ok("Device.X_ACME_Thing.Value_2", "param", segments: 2),
    .ok("Device._private.", "object", segments: 2),
    .ok("Device.A.4294967295.", "object", segments: 3),
    // Wildcards and search expressions (TR-369 examples).
    .ok("Device.IP.Interface.*.", "object", segments: 4),
    .ok("Device.IP.Interface.*.Type", "param", segments: 4),
    .ok("Device.IP.Interface.[Name==\"eth0\"].", "object", segments: 4),
    .bad("Device.IP.Interface.[Alias==\"WAN\"]", at: 35),
    .ok("Device.NAT.PortMapping.[RemoteHost==\"\"&&ExternalPort==0&&Protocol==\"TCP\"].", "object", segments: 4),
    .ok("Device.IP.Interface.[Type==\"Normal\"].Status", "param", segments: 4),
    .ok("Device.IP.Interface.[Type==\"Normal\"].IPv4Address.[AddressingType==\"Static\"].IPAddress", "param", segments: 6),
    .ok("Device.IP.Interface.[Type==\"Normal\"&&Stats.ErrorsSent>0].IPv4Address.[AddressingType==\"Static\"].IPAddress", "param", segments: 6),
    .ok("Device.DSL.Line.[Enable==true].CurrentProfile", "param", segments: 4),
    .ok("Device.DSL.Line.[Enable==1].CurrentProfile", "param", segments: 4),
    .ok("Device.IP.Interface.*.IPv6Address.[ValidLifetime<2021-06-06T08:00:00Z].IPAddress", "param", segments: 6),
    .ok("Device.USB.USBHosts.Host.*.Device.[DeviceClass==08].", "object", segments: 7),
    .ok("Device.PCP.Client.*.Server.[Capabilities~=\"IPv6Firewall\"].", "object", segments: 6),
    .ok("Device.PeriodicStatistics.SampleSet.[SampleSeconds~=5].", "object", segments: 4),
    .ok("Device.IP.Interface.[Stats.BytesSent>=1000&&Stats.BytesSent<=2000].Name", "param", segments: 4),
    .ok("Device.A.[B!=-5].", "object", segments: 3),
    .ok("Device.A.[B<+5].", "object", segments: 3),
    .ok("Device.A.[B>0].", "object", segments: 3),
    .ok("Device.A.[B == \"x\"].", "object", segments: 3, canonical: "Device.A.[B==\"x\"]."),
    .ok("Device.A.[B==\"say %22hi%22 100%25\"].", "object", segments: 3),
    .ok("Device.A.[B==\"a,b\"].C", "param", segments: 3),
    // Reference following.
    .ok("Device.NAT.PortMapping.1.Interface+.Name", "param", segments: 5),
    .ok("Device.WiFi.SSID.1.LowerLayers#1+.Name", "param", segments: 5, canonical: "Device.WiFi.SSID.1.LowerLayers+.Name"),
    .ok("Device.WiFi.SSID.1.LowerLayers#2+.Name", "param", segments: 5),
    .ok("Device.WiFi.SSID.1.LowerLayers#*+.Name", "param", segments: 5),
    .ok("Device.WiFi.SSID.1.LowerLayers#*+.", "object", segments: 5),
    .ok("Device.NAT.PortMapping.1.Interface+", "object", segments: 5, canonical: "Device.NAT.PortMapping.1.Interface+."),
    .ok("Device.WiFi.AccessPoint.[SSIDReference+.SSID==\"MyHome\"].AssociatedDevice.[OperatingStandard==\"ac\"].SignalStrength", "param", segments: 6),
    // Invalid: the TR-369 "NOT VALID" examples and friends.
    .bad("Device.IP.Interface.[].", at: 22),
    .bad("Device.IP.Interface.[Type==\"Normal\"&&IPv4Address.*.AddressingType==\"Static\"].Status", at: 50),
    .bad("Device.IP.Interface.{Type==\"Normal\"}.Status", at: 21),
    .bad("", at: 0),
    .bad("Device", at: 7),
    .bad(".Device.", at: 1),
    .bad("Device..", at: 8),
    .bad("Device.LocalAgent..", at: 19),
    .bad("Device.1.", at: 8),
    .bad("Device.A.0.", at: 10),
    .bad("Device.A.01.", at: 10),
    .bad("Device.A.4294967296.", at: 10),
    .bad("Device.A.*.*.", at: 12),
    .bad("Device.A.1.2.", at: 12),
    .bad("Device.A.*", at: 11),
    .bad("Device.A.3", at: 0).validInstead(),
    .bad("Device.9A.", at: 8),
    .bad("Device.A-B.", at: 9),
    .bad("Device.A B.", at: 9),
    .bad("Device.Reboot(", at: 15),
    .bad("Device.Reboot().", at: 16),
    .bad("Device.Boot!.", at: 13),
    .bad("Device.Reboot(x)", at: 15),
    .bad("Device.A.[B==\"x\"", at: 17),
    .bad("Device.A.[B==\"x].", at: 18),
    .bad("Device.A.[B=\"x\"].", at: 12),
    .bad("Device.A.[B==].", at: 14),
    .bad("Device.A.[==1].", at: 11),
    .bad("Device.A.[B==1&&].", at: 17),
    .bad("Device.A.[B==1&C==2].", at: 16),
    .bad("Device.A.[B==1||C==2].", at: 15),
    .bad("Device.A.[B==1]C.", at: 16),
    .bad("Device.A.[B==\"%2\"].", at: 0),
    .bad("Device.A.[B.1.C==1].", at: 13),
    .bad("Device.A.[B+==1].", at: 13),
    .bad("Device.A.B#+.", at: 12),
    .bad("Device.A.B#0+.", at: 12),
    .bad("Device.A.B#1.", at: 13),
    .bad("Device.A.B+C", at: 12),
    .bad("Device.A.[B==(1)].", at: 14),
]

extension PathRow {
    /// Marks a row as invalid at `position` (used where a name breaks the BNF).
    func invalidAt(_ position: Int, when invalid: Bool = true) -> PathRow {
        invalid ? PathRow(text: text, canonical: nil, leaf: "", segments: 0, errorPosition: position) : self
    }
    /// `Device.A.3` is a parameter named "3"? No: names cannot start with a digit, but an
    /// instance number may end a path only before '.', so it is invalid at the end.
    func validInstead() -> PathRow { PathRow(text: text, canonical: nil, leaf: "", segments: 0, errorPosition: 11) }
}

@Suite struct PathGrammarTests {
    @Test func tableIsLargeEnough() {
        #expect(pathTable.count >= 60)
        #expect(pathTable.filter { $0.errorPosition == nil }.count >= 25)
        #expect(pathTable.filter { $0.errorPosition != nil }.count >= 30)
    }

    @Test(arguments: pathTable) func row(_ row: PathRow) throws {
        if let position = row.errorPosition {
            do {
                let parsed = try PathExpression.parse(row.text)
                Issue.record("\(row.text) parsed as \(parsed) but is invalid")
            } catch {
                #expect(error.code == .invalidPathSyntax)
                if position > 0 {
                    #expect(error.message.contains("position \(position)"), "\(error.message)")
                }
            }
            return
        }
        let parsed = try PathExpression.parse(row.text)
        let leaf: String
        switch parsed.leaf {
        case .object: leaf = "object"
        case .parameter: leaf = "param"
        case .command: leaf = "command"
        case .event: leaf = "event"
        }
        #expect(leaf == row.leaf)
        #expect(parsed.segments.count == row.segments)
        #expect(parsed.description == row.canonical)
        // The canonical text parses back to the same value.
        #expect(try PathExpression.parse(parsed.description) == parsed)
    }

    @Test func astOfASearchWithReferenceFollowing() throws {
        let p = try PathExpression.parse("Device.WiFi.AccessPoint.[SSIDReference+.SSID==\"MyHome\"&&Enable==true].Name")
        #expect(p.leaf == .parameter("Name"))
        guard case .instance(.expression(let comps)) = p.segments[3] else { Issue.record("no expression"); return }
        #expect(comps.count == 2)
        #expect(comps[0].path == [.init(name: "SSIDReference", follow: .item(1)), .init(name: "SSID")])
        #expect(comps[0].op == .equal)
        #expect(comps[0].value == .quoted("MyHome"))
        #expect(comps[1].value == .bare("true"))
    }

    @Test func percentEscapesDecodeInQuotedValues() throws {
        let p = try PathExpression.parse("Device.A.[B==\"50%25 %22off%22\"].")
        guard case .instance(.expression(let comps)) = p.segments[2] else { Issue.record("no expression"); return }
        #expect(comps[0].value == .quoted("50% \"off\""))
        #expect(p.description == "Device.A.[B==\"50%25 %22off%22\"].")
    }

    @Test func errorMessagesNameTheCharacter() {
        #expect(throws: USPError.self) { try PathExpression.parse("Device.IP.Interface.{i}.") }
        do {
            _ = try PathExpression.parse("Device.IP.Interface.{i}.")
        } catch {
            #expect(error.message.contains("'{'"))
            #expect(error.message.contains("position 21"))
        }
    }

    @Test(arguments: [
        ("Device.LocalAgent.Controller.{i}.", "Device.LocalAgent.Controller.{i}."),
        ("Device.LocalAgent.Controller.3.MTP.", "Device.LocalAgent.Controller.{i}.MTP."),
        ("Device.LocalAgent.Controller.", "Device.LocalAgent.Controller."),
        ("Device.LocalAgent.Controller.{i}.Enable", "Device.LocalAgent.Controller.{i}.Enable"),
        ("Device.Reboot()", "Device.Reboot()"),
        ("Device.Boot!", "Device.Boot!"),
    ])
    func supportedPaths(_ input: String, _ expected: String) throws {
        #expect(try PathExpression.parseSupported(input) == expected)
    }

    @Test(arguments: ["Device.{i}.", "Device.A.{j}.", "Device.A.{i}.{i}.", "Device..", "Device.A.[x].", ""])
    func badSupportedPaths(_ input: String) {
        #expect(throws: USPError.self) { try PathExpression.parseSupported(input) }
    }
}
