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
