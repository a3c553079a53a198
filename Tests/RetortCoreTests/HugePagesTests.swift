import Testing

@testable import RetortCore

/// Tables large enough to ask for huge pages (4 MiB and up) hold exactly what smaller ones hold.
@Suite struct HugePagesTests {
    @Test func largeMapAgreesWithDictionary() {
        // Grows past 4 MiB of slots (24 bytes a slot for Int values), several doublings.
        var map = UInt64Map<Int>(capacity: 16)
        var reference: [UInt64: Int] = [:]
        var x: UInt64 = 99
        for i in 0..<400_000 {
            x = Hash64.mix(x)
            let k = i % 5 == 0 ? UInt64(i / 5) : x
            map[k] = i
            reference[k] = i
        }
        #expect(map.count == reference.count)
        #expect(map.slotBytes >= 4 << 20)
        for (k, v) in reference { #expect(map[k] == v) }
    }

    @Test func grownArrayKeepsItsElementsInOrder() {
        // Elements with heap storage (copied into the new storage, released from the old). Below 4 MiB the array
        // grows by `reserveCapacity`, which may get more than it asked for (malloc's usable size), so the number
        // of elements at which growth reaches the huge-page path varies: append at least 300,000 and until it has.
        var grown: [[Int]] = []
        var appended: [[Int]] = []
        var hugeGrowths = 0
        var i = 0
        while i < 300_000 || hugeGrowths == 0 {
            if grown.count == grown.capacity {
                if 2 * grown.capacity * MemoryLayout<[Int]>.stride >= 4 << 20 { hugeGrowths += 1 }
                grown.growWithHugePages()
            }
            grown.append([i, i * 2])
            appended.append([i, i * 2])
            i += 1
        }
        #expect(hugeGrowths >= 1)
        #expect(grown.capacity * MemoryLayout<[Int]>.stride >= 4 << 20)
        #expect(grown == appended)
        var small = [1, 2, 3]
        small.growWithHugePages()
        #expect(small == [1, 2, 3] && small.capacity >= 16)
    }

    @Test func largeCacheGivesTheAnalysersResults() {
        // 1,048,576 slots: tags and values in blocks of 16 and ~130 MiB.
        let analyzer = ContentAnalyzer()
        let cache = AnalysisCache(analyzer: analyzer, capacity: 1 << 20)
        for e in AnalysisCacheTests.events(500) + AnalysisCacheTests.events(500) {
            #expect(cache.analyze(e) == analyzer.analyze(e))
        }
        #expect(cache.counts.hits >= 400)
    }
}
