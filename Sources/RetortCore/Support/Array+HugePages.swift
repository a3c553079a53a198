import CRetortShims

extension Array {
    /// Doubles the capacity (at least 16 elements) into new storage that, from 4 MiB on, asks for huge pages
    /// before it is touched (see `retort_advise_huge_pages`): for large arrays of per-account state, read at
    /// random, one TLB entry then covers 2 MiB. The elements and their order are unchanged.
    mutating func growWithHugePages() {
        let capacity = Swift.max(16, 2 * self.capacity)
        let bytes = capacity * MemoryLayout<Element>.stride
        guard bytes >= 4 << 20 else {
            reserveCapacity(capacity)
            return
        }
        let old = self
        self = Array(unsafeUninitializedCapacity: capacity) { buffer, initialized in
            retort_advise_huge_pages(buffer.baseAddress!, bytes)
            old.withUnsafeBufferPointer { source in
                if let from = source.baseAddress { buffer.baseAddress!.initialize(from: from, count: source.count) }
            }
            initialized = old.count
        }
    }
}
