import Testing

@testable import RetortCore

@Suite struct DetSketchTests {
    @Test func spaceSavingKeepsHeavyHitters() {
        var s = SpaceSaving(capacity: 16)
        for i in 0..<1000 { s.add(UInt64(i % 10 == 0 ? 7 : 100 + i)) }
        #expect(s.topKey == 7)
        #expect(s.topCount >= 100)
    }

    @Test func hyperLogLogEstimates() {
        var h = HyperLogLog()
        for i in 0..<1000 { h.add(hash: UInt64(i)) }
        #expect(h.estimate > 700 && h.estimate < 1300)
        var small = HyperLogLog()
        for i in 0..<5 { small.add(hash: UInt64(i)) }
        #expect(small.estimate > 3 && small.estimate < 8)
    }

    @Test func minHashSimilarity() {
        var a = OnePermutationMinHash(binCount: 64)
        var b = OnePermutationMinHash(binCount: 64)
        var c = OnePermutationMinHash(binCount: 64)
        for i in 0..<200 {
            a.add(hash: UInt64(i))
            b.add(hash: UInt64(i + 20))
            c.add(hash: UInt64(i + 10_000))
        }
        #expect(a.similarity(b) > 0.6)
        #expect(a.similarity(c) < 0.2)
    }

    /// Densification as first defined: each empty bin takes the nearest filled bin to its right
    /// (circularly), plus its distance times 2^32.
    static func densifiedByDefinition(_ bins: [UInt64]) -> [UInt64] {
        let n = bins.count
        guard bins.contains(where: { $0 != .max }) else { return bins }
        var out = bins
        for i in 0..<n where bins[i] == .max {
            var j = 1
            while bins[(i + j) % n] == .max { j += 1 }
            out[i] = bins[(i + j) % n] &+ UInt64(j) &* 0x1_0000_0000
        }
        return out
    }

    @Test func densifyMatchesItsDefinition() {
        var x: UInt64 = 99
        for round in 0..<300 {
            let n = 1 + round % 40
            var bins = [UInt64](repeating: .max, count: n)
            for i in 0..<n {
                x = Hash64.mix(x)
                if x % 3 == 0 { bins[i] = x & 0xffff_ffff }  // about a third filled, some rounds none
            }
            var got = bins
            got.withUnsafeMutableBufferPointer { OnePermutationMinHash.densify($0) }
            #expect(got == Self.densifiedByDefinition(bins))
        }
    }

    @Test func bandKeysInlineMatchArray() {
        var mh = OnePermutationMinHash(binCount: 16)
        for i in 0..<50 { mh.add(hash: Hash64.mix(UInt64(i))) }
        mh.densify()
        let array = mh.bandKeys(rows: 4)
        let inline = BandKeys(array)
        #expect(array.count == 4)
        #expect(Array(inline) == array)
        #expect(inline == BandKeys(array))
        #expect(inline != BandKeys(array.dropLast()))
        #expect(BandKeys((0..<20).map { UInt64($0) }).count == BandKeys.capacity)
    }

    @Test func welfordAndWilson() {
        var w = Welford()
        for x in [2.0, 4, 4, 4, 5, 5, 7, 9] { w.add(x) }
        #expect(abs(w.mean - 5) < 1e-9)
        #expect(abs(w.variance - 32.0 / 7) < 1e-9)
        let (lo, hi) = wilsonShare(successes: 50, trials: 100)
        #expect(lo >= 0.39 && lo <= 0.41 && hi >= 0.59 && hi <= 0.61)
    }

    @Test func unionFind() {
        var u = UnionFind(count: 5)
        u.union(0, 1)
        u.union(3, 4)
        #expect(u.find(0) == u.find(1))
        #expect(u.find(1) != u.find(3))
    }
}
