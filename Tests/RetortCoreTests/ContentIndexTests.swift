import Testing

@testable import RetortCore

@Suite struct ContentIndexTests {
    /// What the index must hold, kept the plain way: each key's accounts in order of arrival up to the cap, and
    /// its distinct-account count (exact up to the cap, then counting every unremembered sender again).
    struct Model {
        var members: [UInt64: [Int32]] = [:]
        var accounts: [UInt64: Int32] = [:]
        var kinds: [UInt64: ContentIndex.Kind] = [:]
        var dropped = 0
        let capacity: Int
        let cap: Int

        mutating func add(_ key: UInt64, _ kind: ContentIndex.Kind, _ account: Int32) -> Bool {
            let k = ContentIndex.slotKey(key, kind)
            guard var m = members[k] else {
                guard members.count < capacity else {
                    dropped += 1
                    return false
                }
                members[k] = [account]
                accounts[k] = 1
                kinds[k] = kind
                return false
            }
            if m.contains(account) { return true }
            if m.count < cap { m.append(account) }
            members[k] = m
            accounts[k, default: 0] += 1
            return false
        }
    }

    static func check(_ index: ContentIndex, _ model: Model) {
        #expect(index.entries.count == model.members.count)
        #expect(index.dropped == model.dropped)
        for (k, e) in index.entries {
            #expect(index.members(of: e) == model.members[k])
            #expect(e.memberCount == model.members[k]?.count)
            #expect(e.accounts == model.accounts[k])
            #expect(e.kind == model.kinds[k])
            var walked: [Int32] = []
            index.forEachMember(of: e) { walked.append($0) }
            #expect(walked == model.members[k])
        }
    }

    @Test(arguments: [1, 2, 3, 64, 200])
    func holdsWhatTheModelHolds(cap: Int) {
        // Small segments (2^16 accounts), so that blocks fill several and are freed and reused as keys grow.
        let index = ContentIndex(capacity: 3_000, memberCap: cap, segmentBits: 16)
        var model = Model(capacity: 3_000, cap: cap)
        var x: UInt64 = 7
        for _ in 0..<200_000 {
            x = Hash64.mix(x)
            // Keys of very different popularity: a few held by hundreds of accounts, most by a handful.
            let key = x % 4 == 0 ? (x >> 8) % 20 : (x >> 8) % 4_000
            let kind: ContentIndex.Kind = x & 16 == 0 ? .exact : .nearDuplicate
            let account = Int32((x >> 32) % 700)
            #expect(index.add(key: key, kind: kind, account: account) == model.add(key, kind, account))
        }
        #expect(model.dropped > 0)
        Self.check(index, model)
        if cap >= 64 { #expect(index.memberSegments >= 2) }
    }

    @Test func prefetchingChangesNothing() {
        let plain = ContentIndex(capacity: 100, memberCap: 8)
        let hinted = ContentIndex(capacity: 100, memberCap: 8)
        for i in 0..<2_000 {
            let key = UInt64(i % 37)
            let account = Int32(i % 11)
            hinted.prefetch(key: key, kind: .exact)
            hinted.prefetchMembers(key: key, kind: .exact)
            hinted.prefetchMembers(key: key + 1_000, kind: .nearDuplicate)  // absent: nothing to load
            #expect(
                plain.add(key: key, kind: .exact, account: account)
                    == hinted.add(key: key, kind: .exact, account: account))
        }
        for (k, e) in plain.entries {
            let other = hinted.entries[k]
            #expect(other.map { hinted.members(of: $0) } == plain.members(of: e))
        }
    }

    @Test func keyThatSaltsToZeroIsHeldLikeAnyOther() {
        // The exact kind's salt turns this key into table key 0, which the table keeps outside its slots.
        let key: UInt64 = 1 &* 0x9E37_79B9_7F4A_7C15
        #expect(ContentIndex.slotKey(key, .exact) == 0)
        let index = ContentIndex(capacity: 10, memberCap: 3)
        var model = Model(capacity: 10, cap: 3)
        for account: Int32 in [4, 4, 9, 2, 9, 7, 8] {
            #expect(index.add(key: key, kind: .exact, account: account) == model.add(key, .exact, account))
        }
        Self.check(index, model)
    }

    @Test func blockSizes() {
        #expect((0...9).map { MemberStore.blockSize($0) } == [1, 1, 2, 4, 4, 8, 8, 8, 8, 16])
        #expect(MemberStore.blockSize(65_535) == 65_536)
    }
}
