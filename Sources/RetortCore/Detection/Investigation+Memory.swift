extension Investigation {
    /// Where the accumulated state's memory is, part by part, as estimated from the layouts and the bytes
    /// malloc reserved for each heap buffer (diagnostics, for `RETORT_DEBUG=1`; walks every account).
    public func memoryReport() -> String {
        let n = states.count
        var lines: [String] = []
        func add(_ part: String, _ bytes: Int) {
            let perAccount = n > 0 ? bytes / n : 0
            lines.append("  \(part): \(bytes >> 20) MiB (\(perAccount) B per account)")
        }
        add(
            "AccountState inline (\(MemoryLayout<AccountState>.stride) B stride)",
            states.capacity * MemoryLayout<AccountState>.stride)
        var parts: [String: Int] = [:]
        var order: [String] = []
        for st in states {
            for (p, b) in st.heapBytesByPart {
                if parts[p] == nil { order.append(p) }
                parts[p, default: 0] += b
            }
        }
        for p in order { add("AccountState heap: \(p)", parts[p]!) }
        add("metas inline", metas.capacity * MemoryLayout<AccountMeta?>.stride)
        add("eventOrg inline", eventOrg.capacity * MemoryLayout<String?>.stride)
        add("ids + index", MemoryProbe.heapBytes(ids) + MemoryProbe.heapBytes(index))
        let members = content.memberBytes
        add(
            "content index slots (\(content.entries.count) keys, \(content.entries.slotCount) slots)",
            content.entries.slotBytes)
        add(
            "content index member blocks (\(members.keys) keys with 2+ accounts; "
                + "\(members.bytes >> 20) MiB in use)", members.reserved)
        add("prompt analysis cache", cache.bytes)
        lines.append(
            "  per request in flight: \(MemoryLayout<CompactEvent>.stride) B record, "
                + "\(MemoryLayout<PromptAnalysis>.stride) B analysis")
        return "accounts \(n):\n" + lines.joined(separator: "\n")
    }
}
