extension AccountState {
    /// Heap bytes this state holds outside its inline storage, malloc chunk headers included, by part
    /// (diagnostics: `RETORT_DEBUG=1` prints the sums over accounts).
    var heapBytesByPart: [(part: String, bytes: Int)] {
        let spaceSaving = [
            maxTokensValues, temperatureValues, recentPrompts, ips, networks, asns, models, endpoints, templates,
            frames, systemPrompts,
        ].reduce(0) { $0 + $1.heapBytes }
        return [
            ("hourOfDay+capabilityCounts", MemoryProbe.heapBytes(hourOfDay) + MemoryProbe.heapBytes(capabilityCounts)),
            ("activeDays", MemoryProbe.heapBytes(activeDays)),
            ("coverageSnapshots", MemoryProbe.heapBytes(coverageSnapshots)),
            ("modelFirstUse", MemoryProbe.heapBytes(modelFirstUse)),
            ("spaceSaving x11", spaceSaving),
            ("boundedSet x3", userAgents.heapBytes + tlsFingerprints.heapBytes + apiKeys.heapBytes),
            ("hyperLogLog x3", endUsers.heapBytes + distinctIPs.heapBytes + distinctTemplates.heapBytes),
        ]
    }
}
