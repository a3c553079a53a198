extension Investigation {
    /// Reads one events file with `reader`: decoding and prompt analysis run on the reader's worker
    /// threads, and the events are added on this thread in file order, which gives the same state as
    /// adding them one by one with ``add(_:)``. Lines are decoded into ``CompactEvent``s: the strings that
    /// are only compared are hashed on the workers, and prompts are analysed from the lines' bytes.
    ///
    /// Defined here rather than by callers so that the reader's generic code is specialised for
    /// ``PromptAnalysis`` (across modules it ran unspecialised, copying each analysis through value
    /// witnesses).
    public func read(path: String, with reader: ParallelEventReader, progress: ((Int64, Int64) -> Void)? = nil)
        throws
    {
        let cache = self.cache
        try reader.read(
            path: path, as: CompactEvent.self, progress: progress, prepareBatch: { cache.analyze($0, into: &$1) },
            lookahead: Lookahead(
                far: { event, analysis in self.prefetch(event, analysis: analysis) },
                near: { event, analysis in self.prefetchNear(event, analysis: analysis) })
        ) { event, analysis in
            self.add(event, analysis: analysis)
        }
    }
}
