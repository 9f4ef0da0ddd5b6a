import DataModel

extension Bridge {
    /// Brings the agent's instances of one device (ProxiedDevice, Nodes, IoTCapabilities) in line
    /// with the registry: adds what is missing with the registry's numbers (ObjectCreation) and
    /// deletes what is gone (ObjectDeletion). Idempotent; runs serially.
    /// With `announce` false (restoring at start-up) the instances appear without ObjectCreation.
    func materialize(_ addr: String, announce: Bool = true) async {
        guard let r = records[addr] else { return }
        let devPath = BridgePaths.device(r.instance)
        let exists = await agent.instances(ofTable: BridgePaths.deviceTable).contains(r.instance)
        guard r.present else {
            if exists { await agent.deleteInstance(devPath) }
            return
        }
        do throws(USPError) {
            if !exists { try await agent.addInstance(table: BridgePaths.deviceTable, number: r.instance, announce: announce) }
            let active = r.capabilities.values.filter(\.active)
            let wantedNodes = Set(active.compactMap { c in c.node.flatMap { r.nodes[$0] } })
            let nodeTable = devPath + "Node."
            if schema[BridgePaths.node] != nil {
                let haveNodes = await agent.instances(ofTable: nodeTable)
                for n in haveNodes where !wantedNodes.contains(n) { await agent.deleteInstance("\(nodeTable)\(n).") }
                for n in wantedNodes.sorted() where !haveNodes.contains(n) { try await agent.addInstance(table: nodeTable, number: n, announce: announce) }
            }
            var tables: [UInt32?] = [nil]
            tables += wantedNodes.sorted().map { Optional($0) }
            for node in tables {
                let table = BridgePaths.capabilityTable(r.instance, node: node)
                let wanted = Set(active.filter { c in c.node.flatMap { r.nodes[$0] } == node }.map(\.instance))
                let have = await agent.instances(ofTable: table)
                for n in have where !wanted.contains(n) { await agent.deleteInstance("\(table)\(n).") }
                for n in wanted.sorted() where !have.contains(n) { try await agent.addInstance(table: table, number: n, announce: announce) }
                for c in active where c.node.flatMap({ r.nodes[$0] }) == node {
                    if let cls = resolved[addr]?[c.unitKey.description]?.mapping.capabilityClass {
                        await agent.setObjectPresent("\(table)\(c.instance).\(cls.rawValue).")
                    }
                }
            }
        } catch {
            logger.error("could not show device \(addr) as \(devPath): \(error)")
        }
    }
}
