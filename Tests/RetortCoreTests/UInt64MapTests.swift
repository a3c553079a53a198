import Testing

@testable import RetortCore

@Suite struct UInt64MapTests {
    /// Random keys (some colliding in their low bits, plus zero and all-ones) against a `Dictionary`.
    @Test func agreesWithDictionary() {
        var map = UInt64Map<Int>(capacity: 4)
        var reference: [UInt64: Int] = [:]
        var rng = SystemRandomNumberGenerator()
        var keys: [UInt64] = [0, .max, 1 << 40, 2 << 40, 3 << 40]
        for _ in 0..<5_000 { keys.append(rng.next() & 0xffff_ffff_ffff) }
        for (i, k) in keys.enumerated() {
            map[k] = (map[k] ?? 0) + i
            reference[k, default: 0] += i
        }
        #expect(map.count == reference.count)
        for (k, v) in reference { #expect(map[k] == v) }
        #expect(map[12345 << 50] == nil)
        var seen: [UInt64: Int] = [:]
        for (k, v) in map {
            #expect(seen[k] == nil, "key \(k) iterated twice")
            seen[k] = v
        }
        #expect(seen == reference)
    }

    @Test func updatesInPlaceOnlyWhenPresent() {
        var map = UInt64Map<[Int32]>()
        #expect(!map.update(7) { $0.append(1) })
        #expect(!map.update(0) { $0.append(1) })
        map[7] = [1]
        map[0] = [2]
        #expect(map.update(7) { $0.append(3) })
        #expect(map.update(0) { $0.append(4) })
        #expect(map[7] == [1, 3])
        #expect(map[0] == [2, 4])
        #expect(map.count == 2)
    }

    @Test func contentIndexCountsDistinctAccountsUpToItsCaps() {
        let index = ContentIndex(capacity: 2, memberCap: 3)
        for account: Int32 in [5, 5, 6, 5, 7, 8, 9] { index.add(key: 42, kind: .exact, account: account) }
        index.add(key: 42, kind: .nearDuplicate, account: 1)  // another key: same hash, other kind
        index.add(key: 43, kind: .exact, account: 1)  // table full
        #expect(index.entries.count == 2)
        #expect(index.dropped == 1)
        let exact = index.entries.first { $0.value.kind == .exact }?.value
        #expect(exact.map { index.members(of: $0) } == [5, 6, 7])
        #expect(exact?.accounts == 5)
        let near = index.entries.first { $0.value.kind == .nearDuplicate }?.value
        #expect(near.map { index.members(of: $0) } == [1])
        #expect(near?.accounts == 1)
    }

    @Test func contentIndexEntryKeepsKindAndFirstAccountApart() {
        // The kind shares a word with the first account: the largest account index and both kinds.
        let index = ContentIndex(capacity: 8, memberCap: 4)
        for (key, account) in [(1, Int32.max), (2, 0), (3, Int32.max - 1)] as [(UInt64, Int32)] {
            index.add(key: key, kind: .nearDuplicate, account: account)
            index.add(key: key, kind: .exact, account: account)
            index.add(key: key, kind: .exact, account: 77)
        }
        #expect(index.entries.count == 6)
        for (_, e) in index.entries {
            #expect(index.members(of: e).count == (e.kind == .exact ? 2 : 1))
            #expect([Int32.max, 0, Int32.max - 1].contains(index.members(of: e)[0]))
            #expect(e.accounts == (e.kind == .exact ? 2 : 1))
        }
        // A slot (key and entry) stays 24 bytes.
        #expect(MemoryLayout<ContentIndex.Entry?>.stride == 16)
    }

    @Test func shardedSetFindsEveryRepeat() {
        var set = ShardedUInt64Set(capacity: 16)
        var reference = Set<UInt64>()
        var x: UInt64 = 7
        var repeats = 0
        for step in 0..<200_000 {
            x = Hash64.mix(x)
            // A third of the keys repeat an earlier one; key 0 is a key like any other.
            let key = step % 3 == 0 ? UInt64(step / 3 % 5_000) : x
            let fresh = reference.insert(key).inserted
            if !fresh { repeats += 1 }
            #expect(set.insert(key) == fresh)
        }
        #expect(repeats > 0)
        #expect(set.count == reference.count)
        #expect(set.contains(0) && set.contains(4_999))
        #expect(!set.contains(Hash64.mix(12_345_678)))
    }
}
