/// One-permutation MinHash (Li, Owen, Zhang 2012) with rotation densification (Shrivastava 2017).
///
/// One hash per shingle picks a bin and a value; each bin keeps its minimum. Two sets' signatures agree
/// in a bin with probability close to their Jaccard similarity. ``bandKeys(rows:)`` turns a signature
/// into LSH band keys: sets with high similarity share at least one band key with high probability.
public struct OnePermutationMinHash: Sendable, Equatable {
    public private(set) var bins: [UInt64]
    public private(set) var isEmpty = true

    public init(binCount: Int) {
        bins = [UInt64](repeating: .max, count: binCount)
    }

    @inline(__always)
    public mutating func add(hash: UInt64) {
        let h = Hash64.mix(hash ^ 0x6d69_6e68_6173_6821)
        let bin = Int((h >> 32) % UInt64(bins.count))
        let value = h & 0xffff_ffff
        if value < bins[bin] { bins[bin] = value }
        isEmpty = false
    }

    /// Fills empty bins from the next non-empty bin to the right (circularly), with a per-distance offset.
    public mutating func densify() {
        guard !isEmpty else { return }
        let n = bins.count
        var filled = bins
        for i in 0..<n where bins[i] == .max {
            var j = 1
            while bins[(i + j) % n] == .max { j += 1 }
            filled[i] = bins[(i + j) % n] &+ UInt64(j) &* 0x1_0000_0000
        }
        bins = filled
    }

    /// LSH band keys: the signature cut into bands of `rows` bins, each band hashed with its index.
    public func bandKeys(rows: Int) -> [UInt64] {
        guard !isEmpty, rows > 0 else { return [] }
        var keys: [UInt64] = []
        var band = 0
        var i = 0
        while i + rows <= bins.count {
            var h = Hash64.mix(UInt64(band) &+ 0xba4d)
            for k in i..<(i + rows) { h = Hash64.mix(h ^ bins[k]) }
            keys.append(h)
            band += 1
            i += rows
        }
        return keys
    }

    /// Estimated Jaccard similarity with another signature of the same size.
    public func similarity(_ other: OnePermutationMinHash) -> Double {
        guard bins.count == other.bins.count, !bins.isEmpty else { return 0 }
        var same = 0
        for i in bins.indices where bins[i] == other.bins[i] { same += 1 }
        return Double(same) / Double(bins.count)
    }
}
