import Foundation
import Testing

@testable import RetortCore

/// Address pools: accounts in no campaign, each somewhat suspicious, rotating over rare IP addresses they share
/// with each other, are a candidate campaign; people sharing a carrier's NAT addresses the same way, a pair on
/// one address, or a crowded address are not.
@Suite struct DetAddressPoolTests {
    /// Rotating addresses over `ids`: address k is held by ids k..k+3 (wrapping), so each account shares an
    /// address with six others.
    static func rotation(_ ids: [String], firstKey: UInt64) -> [(key: UInt64, holders: [String])] {
        (0..<ids.count).map { k in (firstKey + UInt64(k), (0..<4).map { ids[(k + $0) % ids.count] }) }
    }

    static func pools(
        _ t: DetTestTraffic, groups: [(key: UInt64, holders: [String])], _ config: DetectionConfig = .default
    ) throws -> [Set<String>] {
        let inv = t.investigation(config: config)
        _ = inv.run(input: InputSummary(events: t.events.count))
        let linkGroups = try groups.map { g in
            let h = try g.holders.map { try #require(inv.index[$0]) }.sorted()
            return LinkGroup(kind: .ip, key: g.key, members: h, sharedBy: h.count)
        }
        let rank = (0..<inv.ids.count).map { Int32($0) }
        let outside = [Bool](repeating: false, count: inv.ids.count)
        return inv.addressPools(outside: outside, groups: linkGroups, profiles: inv.latestProfiles, rank: rank)
            .map { Set($0.map { inv.ids[Int($0)] }) }
    }

    @Test func suspiciousAccountsRotatingOverSharedAddressesArePooled() throws {
        var t = DetTestTraffic(seed: 23)
        let harvesters = (0..<12).map { "h\($0)" }
        let people = (0..<12).map { "p\($0)" }
        for h in harvesters { t.harvester(h) }
        for (k, p) in people.enumerated() { DetAddressMateTests.person(&t, p, ip: "192.0.2.\(k + 1)", traceShare: 0) }
        t.harvester("pairA")
        t.harvester("pairB")
        t.sortByTime()
        let groups =
            Self.rotation(harvesters, firstKey: 1) + Self.rotation(people, firstKey: 100)
            + [(200, ["pairA", "pairB"])]
        #expect(try Self.pools(t, groups: groups) == [Set(harvesters)])
        // The same rotation over nine holders an address (above the IP kind's `rare_at`) is no rare address.
        let crowded = (0..<12).map { k in (UInt64(300 + k), (0..<9).map { harvesters[(k + $0) % 12] }) }
        #expect(try Self.pools(t, groups: crowded).isEmpty)
        // Fewer accounts than `pool_min_members`, or the rule off: no pool.
        #expect(try Self.pools(t, groups: Self.rotation(Array(harvesters.prefix(8)), firstKey: 1)).isEmpty)
        var off = DetectionConfig.default
        off.clustering.addressPoolMinTies = 0
        #expect(try Self.pools(t, groups: groups, off).isEmpty)
    }

    @Test func signalSaysHowClosedThePoolIs() throws {
        var t = DetTestTraffic(seed: 23)
        let harvesters = (0..<12).map { "h\($0)" }
        for h in harvesters { t.harvester(h) }
        DetAddressMateTests.person(&t, "outsider", ip: "192.0.2.99", traceShare: 0)
        t.sortByTime()
        let inv = t.investigation()
        let id = { (s: String) in inv.index[s]! }
        var groups = Self.rotation(harvesters, firstKey: 1).map {
            LinkGroup(kind: .ip, key: $0.key, members: $0.holders.map(id).sorted(), sharedBy: 4)
        }
        // One of the pool's addresses is also used by an outsider: 48 of 49 holders are the pool's.
        groups[0] = LinkGroup(
            kind: .ip, key: 1, members: (groups[0].members + [id("outsider")]).sorted(), sharedBy: 5)
        let signal = inv.addressPoolSignal(harvesters.map(id), groups: groups)
        #expect(signal.name == "address_pool")
        #expect(signal.strength == 0.9796)
        #expect(
            signal.detail.hasPrefix("12 accounts, each with a behaviour score of 0.2 or more, share 12 IP addresses"))
    }
}
