import Agent
import Bridge
import DataModel

/// The agent's real supported model for bridge tests: the generated TR-181 ProxiedDevice and
/// LocalAgent objects, the LocalAgent supplement (Request table for async commands) and the
/// bridge's vendor extensions.
enum BridgeTestSchema {
    static func make() throws -> Schema {
        var b = SchemaBuilder()
        try b.addTR181(under: ["Device.ProxiedDevice.", "Device.LocalAgent."])
        for o in LocalAgentSupplement.objects { b.add(o) }
        try BridgeSchema.addExtensions(to: &b)
        return try b.build()
    }
}
