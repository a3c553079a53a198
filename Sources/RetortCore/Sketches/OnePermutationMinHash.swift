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
        bins.withUnsafeMutableBufferPointer { Self.add(hash: hash, to: $0) }
        isEmpty = false
    }

    /// ``add(hash:)`` on bins held by the caller (all `.max` at the start), for signatures that need no
    /// heap array.
    @inline(__always)
    public static func add(hash: UInt64, to bins: UnsafeMutableBufferPointer<UInt64>) {
        let h = Hash64.mix(hash ^ 0x6d69_6e68_6173_6821)
        let bin = Int((h >> 32) % UInt64(bins.count))
        let value = h & 0xffff_ffff
        if value < bins[bin] { bins[bin] = value }
    }

    /// ``add(hash:to:)`` for a power-of-two number of bins, `binMask` being that number less one: the same
    /// bin as the remainder, without a division.
    @inline(__always)
    public static func add(hash: UInt64, to bins: UnsafeMutableBufferPointer<UInt64>, binMask: UInt64) {
        let h = Hash64.mix(hash ^ 0x6d69_6e68_6173_6821)
        let bin = Int((h >> 32) & binMask)
        // Branch-free: which shingle lowers a bin is unpredictable.
        bins[bin] = min(bins[bin], h & 0xffff_ffff)
    }

    /// Fills empty bins from the next non-empty bin to the right (circularly), with a per-distance offset.
    public mutating func densify() {
        guard !isEmpty else { return }
        bins.withUnsafeMutableBufferPointer { Self.densify($0) }
    }

    /// ``densify()`` on caller-held bins (no change when all are empty): one pass leftwards from the
    /// rightmost filled bin, carrying the nearest filled bin to the right and the distance to it.
    public static func densify(_ bins: UnsafeMutableBufferPointer<UInt64>) {
        let n = bins.count
        guard n > 0 else { return }
        var start = n - 1
        while bins[start] == .max {
            start -= 1
            if start < 0 { return }
        }
        var next = bins[start]
        var distance = 0
        var i = start
        for _ in 0..<(n - 1) {
            i = i == 0 ? n - 1 : i - 1
            if bins[i] == .max {
                distance += 1
                bins[i] = next &+ UInt64(distance) &* 0x1_0000_0000
            } else {
                next = bins[i]
                distance = 0
            }
        }
    }

    /// LSH band keys: the signature cut into bands of `rows` bins, each band hashed with its index.
    public func bandKeys(rows: Int) -> [UInt64] {
        guard !isEmpty, rows > 0 else { return [] }
        var keys: [UInt64] = []
        bins.withUnsafeBufferPointer { b in Self.forEachBandKey(b, rows: rows) { keys.append($0) } }
        return keys
    }

    /// The band keys of caller-held bins, in band order.
    @inline(__always)
    public static func forEachBandKey(
        _ bins: UnsafeBufferPointer<UInt64>, rows: Int, _ body: (UInt64) -> Void
    ) {
        guard rows > 0 else { return }
        var band = 0
        var i = 0
        while i + rows <= bins.count {
            var h = Hash64.mix(UInt64(band) &+ 0xba4d)
            for k in i..<(i + rows) { h = Hash64.mix(h ^ bins[k]) }
            body(h)
            band += 1
            i += rows
        }
    }

    /// Estimated Jaccard similarity with another signature of the same size.
    public func similarity(_ other: OnePermutationMinHash) -> Double {
        guard bins.count == other.bins.count, !bins.isEmpty else { return 0 }
        var same = 0
        for i in bins.indices where bins[i] == other.bins[i] { same += 1 }
        return Double(same) / Double(bins.count)
    }
}
