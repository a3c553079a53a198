import Testing

@testable import RetortCore

@Suite struct CompactUInt64SetTests {
    /// Inserts `keys` into a compact set and a `Set`, checking every answer; `0x5555…5555` stands for zero
    /// in both, as in ``UInt64Set``.
    static func check(_ keys: [UInt64]) {
        var set = CompactUInt64Set()
        var reference = Set<UInt64>()
        for (step, key) in keys.enumerated() {
            let fresh = reference.insert(CompactUInt64Set.slotKey(key)).inserted
            // The hints touch no state (and must stay inside the directory and the keys).
            set.prefetchDirectory(key)
            set.prefetch(key)
            let inserted = set.insert(key)
            #expect(inserted == fresh)
            if step % 997 == 0 {
                #expect(set.contains(key))
                #expect(set.count == reference.count)
            }
        }
        #expect(set.count == reference.count)
        for key in keys.prefix(5_000) { #expect(set.contains(key)) }
        var x: UInt64 = 0xfeed
        for _ in 0..<5_000 {
            x = Hash64.mix(x)
            #expect(set.contains(x) == reference.contains(CompactUInt64Set.slotKey(x)))
        }
    }

    @Test func uniformKeysWithRepeats() {
        // Past several merges (the recent table holds 8,192 keys, then 1/16 of the sorted ones).
        var x: UInt64 = 7
        var keys: [UInt64] = []
        for step in 0..<300_000 {
            x = Hash64.mix(x)
            keys.append(step % 4 == 3 ? keys[Int(x % UInt64(keys.count))] : x)
        }
        Self.check(keys)
    }

    @Test func unevenKeysFallBackToBisection() {
        // Small integers, clusters near the ends of the range, and zero with its stand-in.
        var keys: [UInt64] = [0, 0x5555_5555_5555_5555, .max, .max - 1, 1]
        for i in 0..<40_000 as Range<UInt64> {
            keys.append(i * 3)
            keys.append(.max - i * 7)
            keys.append(1 << (i % 64))
            keys.append(i % 5_000)
        }
        Self.check(keys)
    }

    @Test func emptyAndSmall() {
        var set = CompactUInt64Set()
        #expect(!set.contains(0))
        #expect(set.count == 0)
        let first = set.insert(42)
        let again = set.insert(42)
        #expect(first && !again)
        #expect(set.contains(42) && !set.contains(43))
    }
}
