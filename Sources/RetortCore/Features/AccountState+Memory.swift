extension AccountState {
    /// Heap bytes this state holds outside its inline storage, malloc chunk headers included, by part
    /// (diagnostics: `RETORT_DEBUG=1` prints the sums over accounts).
    var heapBytesByPart: [(part: String, bytes: Int)] {
        [
            ("activeDays", MemoryProbe.heapBytes(activeDays)),
            ("coverageSnapshots", MemoryProbe.heapBytes(coverageSnapshots)),
            ("boundedSet x3 past two values", userAgents.heapBytes + tlsFingerprints.heapBytes + apiKeys.heapBytes),
        ]
    }
}
