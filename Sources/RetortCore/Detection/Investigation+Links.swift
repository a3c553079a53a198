import Foundation

extension Investigation {
    /// Every shared value that could link accounts, grouped by kind and value, members ascending.
    /// Groups come out sorted by (kind, key) so everything downstream is deterministic.
    ///
    /// Values are collected as flat (value, account) lists per kind and sorted, not as a table of member
    /// arrays: most values (an IP, a payment fingerprint, a template) belong to one account, and a heap array
    /// for each cost ~80 bytes a value (~1 GiB at 500k accounts) where a list entry costs 16.
    func linkGroups(profiles: [BehaviourProfile], order: [Int32], rank: [Int32]) -> [LinkGroup] {
        var perKind = [[(key: UInt64, account: Int32)]](repeating: [], count: LinkKindID.allCases.count)

        // Sign-up bursts: buckets holding many times the usual number of sign-ups.
        let burstWidth = max(60_000, Int64(config.links.signupBurstMinutes * 60_000))
        var bucketCounts: [Int64: Int] = [:]
        for m in metas { if let c = m?.createdAt { bucketCounts[floorDiv(c, burstWidth), default: 0] += 1 } }
        let counts = bucketCounts.values.sorted()
        let median = counts.isEmpty ? 0 : counts[counts.count / 2]
        let burstMin = max(
            config.links.signupBurstMinAccounts, Int((config.links.signupBurstFactor * Double(median)).rounded(.up)))

        // Card BINs: sign-ups per BIN over the whole span of sign-up dates, for the BIN's weekly base rate.
        let week: Int64 = 7 * 86_400_000
        var binTotal: [UInt64: Int] = [:]
        var firstWeek = Int64.max
        var lastWeek = Int64.min
        for m in metas {
            guard let m, m.cardBIN != 0, let c = m.createdAt else { continue }
            binTotal[m.cardBIN, default: 0] += 1
            firstWeek = min(firstWeek, floorDiv(c, week))
            lastWeek = max(lastWeek, floorDiv(c, week))
        }
        let weeks = binTotal.isEmpty ? 1 : Double(max(1, lastWeek - firstWeek + 1))
        var binOfKey: [UInt64: UInt64] = [:]
        // Days the whole input spans: an account active on nearly all of them is always on (an app, a power
        // user, a reseller), and always-on accounts share their set of active days by nature, not by plan.
        var firstDay = Int64.max
        var lastDay = Int64.min
        for st in states where st.events > 0 {
            firstDay = min(firstDay, floorDiv(st.firstTs, 86_400_000))
            lastDay = max(lastDay, floorDiv(st.lastTs, 86_400_000))
        }
        let windowDays = firstDay <= lastDay ? Int(lastDay - firstDay + 1) : 0

        // Accounts in id order, so member lists (and everything built on them) do not depend on the order
        // in which accounts were first seen.
        for ai in order {
            let i = Int(ai)
            func put(_ k: LinkKindID, _ key: UInt64) {
                guard key != 0 else { return }
                perKind[k.rawValue].append((key, ai))
            }
            if let m = metas[i] {
                put(.payment, m.payment)
                if m.cardBIN != 0, let c = m.createdAt {
                    let key = Hash64.mix(m.cardBIN ^ UInt64(bitPattern: floorDiv(c, week))) | 1
                    binOfKey[key] = m.cardBIN
                    put(.cardBINWeek, key)
                }
                put(.signupIP, m.signupIP)
                put(.signupNetwork, m.signupNetwork)
                put(.emailPattern, m.emailPattern)
                if let c = m.createdAt {
                    let b = floorDiv(c, burstWidth)
                    if (bucketCounts[b] ?? 0) >= burstMin { put(.signupBurst, Hash64.mix(UInt64(bitPattern: b)) | 1) }
                }
            }
            let st = states[i]
            guard st.events > 0 else { continue }
            for j in 0..<st.ips.count { put(.ip, st.ips.key(at: j)) }
            for j in 0..<st.networks.count { put(.network, Hash64.mix(st.networks.key(at: j))) }
            for j in 0..<st.asns.count { put(.asn, Hash64.mix(st.asns.key(at: j) ^ 0x61736e)) }
            for k in st.tlsFingerprints.values { put(.tls, k) }
            for k in st.userAgents.values { put(.userAgent, k) }
            for j in 0..<st.templates.count where st.templates.count(at: j) >= 2 {
                put(.template, st.templates.key(at: j))
            }
            for j in 0..<st.frames.count where st.frames.count(at: j) >= st.sentFrameMin {
                put(.frame, st.frames.key(at: j))
            }
            for j in 0..<st.systemPrompts.count where st.systemPrompts.count(at: j) >= 2 {
                put(.systemPrompt, st.systemPrompts.key(at: j))
            }
            if st.events >= 10 {
                let p = profiles[i]
                var h = Hash64.mix(st.maxTokensValues.topKey ?? 0)
                h = Hash64.mix(h ^ (st.temperatureValues.topKey ?? 0))
                h = Hash64.mix(h ^ (st.models.topKey ?? 0))
                h = Hash64.mix(h ^ (st.endpoints.topKey ?? 0))
                h = Hash64.mix(h ^ UInt64(p.value(.thinking) >= 0.5 ? 1 : 0))
                put(.behaviourFingerprint, h | 1)
            }
            if st.activeDays.count >= 3 && Double(st.activeDays.count) < 0.9 * Double(windowDays)
                && !Self.isCensoredRun(st.activeDays, firstDay: firstDay, lastDay: lastDay)
            {
                var mh = OnePermutationMinHash(binCount: 12)
                for d in st.activeDays { mh.add(hash: d >> 24) }
                mh.densify()
                for k in mh.bandKeys(rows: 4) { put(.lockstep, k) }
            }
        }

        MemoryProbe.log("link values listed")
        // Each kind's list sorted by value, and by account order within a value (the order they were added
        // in), gives every value's holders as one run.
        // The lists are sorted on all cores (each list by one thread; equal elements are identical, so the
        // order is the same whichever thread sorts).
        let sortedLists = DisjointSlots<[(key: UInt64, account: Int32)]>(count: perKind.count)
        for k in perKind.indices {
            var list: [(key: UInt64, account: Int32)] = []
            swap(&list, &perKind[k])
            sortedLists[k] = list
        }
        let kindCount = perKind.count
        let threads = min(kindCount, ParallelEventReader.processorCount)
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            for k in stride(from: t, to: kindCount, by: threads) {
                var list = sortedLists[k]!
                sortedLists[k] = nil  // the list's only reference: sorted in place
                list.sort { $0.key != $1.key ? $0.key < $1.key : rank[Int($0.account)] < rank[Int($1.account)] }
                sortedLists[k] = list
            }
        }
        MemoryProbe.log("link values sorted")
        var groups: [LinkGroup] = []
        var held = [[(kind: Int, key: UInt64, size: Int)]](repeating: [], count: ids.count)
        for kind in LinkKindID.allCases {
            let list = sortedLists[kind.rawValue]!
            sortedLists[kind.rawValue] = nil
            let coKind = Self.coOccurrenceKinds.firstIndex(of: kind)
            let rareAt = config.links.kinds[kind.name]?.rareAt
            var start = 0
            while start < list.count {
                let key = list[start].key
                var end = start + 1
                while end < list.count && list[end].key == key { end += 1 }
                let size = end - start
                defer { start = end }
                if let coKind, let rareAt, size > rareAt {
                    for t in start..<end { held[Int(list[t].account)].append((coKind, key, size)) }
                }
                if kind == .cardBINWeek, let bin = binOfKey[key],
                    Double(size) < config.links.cardBINBurstFactor * Double(binTotal[bin] ?? 0) / weeks
                {
                    continue
                }
                if size >= 2 {
                    groups.append(
                        LinkGroup(kind: kind, key: key, members: list[start..<end].map(\.account), sharedBy: size))
                }
            }
        }
        MemoryProbe.log("link values grouped")
        groups += coOccurrenceGroups(held: held, order: order)
        MemoryProbe.log("co-occurrence groups")
        // The shared content table. Only keys that ``run(input:)`` can count as shared prompts: at most
        // `content_pair_group` members, not too common (rarity above 0), a kind with weight. The others would
        // be skipped there; left out here, their member lists are never copied.
        var contentGroups: [LinkGroup] = []
        for (key, e) in content.entries
        where e.accounts >= 2 && e.memberCount >= 2 && e.memberCount <= config.links.contentPairGroup {
            let kind: LinkKindID = e.kind == .exact ? .exactPrompt : .nearDuplicate
            guard let k = config.links.kinds[kind.name], k.weight > 0, Self.rarity(Int(e.accounts), k) > 0 else {
                continue
            }
            contentGroups.append(
                LinkGroup(
                    kind: kind, key: key, members: content.members(of: e).sorted { rank[Int($0)] < rank[Int($1)] },
                    sharedBy: Int(e.accounts)))
        }
        contentGroups.sort { ($0.kind.rawValue, $0.key) < ($1.kind.rawValue, $1.key) }
        MemoryProbe.log("content groups")
        groups += contentGroups
        groups.sort { ($0.kind.rawValue, $0.key) < ($1.kind.rawValue, $1.key) }
        return groups
    }

    /// Pairs of common values of different kinds that many accounts hold together, far beyond what chance
    /// would give: each value alone is too common to link anyone (a popular system prompt, being active every
    /// day of a quarter), but a few hundred accounts that all hold both are one operation. Per account at
    /// most two values of each kind (the most widely shared) enter, so the work stays linear in accounts.
    /// `held` lists each account's common values (held by more than the kind's `rare_at` accounts) of the
    /// ``coOccurrenceKinds``: (index in that list, value, holders), in any order.
    func coOccurrenceGroups(held: [[(kind: Int, key: UInt64, size: Int)]], order: [Int32]) -> [LinkGroup] {
        let minMembers = config.clustering.cohortMinMembers
        let population = Double(states.reduce(0) { $0 + ($1.events > 0 ? 1 : 0) })
        guard population > 0 else { return [] }
        // Every (pair, account) in one flat list, sorted by pair and then by the order accounts were added in:
        // each pair's holders form one run, in account order, and the pair's value sizes are those of its
        // first holder. (A table of member arrays per pair took 2.5 s at seed scale.)
        var pairs: [(key: UInt64, seq: UInt32, account: Int32, s1: Int32, s2: Int32)] = []
        var mine: [(kind: Int, key: UInt64, size: Int)] = []
        var top: [(kind: Int, key: UInt64, size: Int)] = []
        for ai in order {
            guard held[Int(ai)].count >= 2 else { continue }
            mine.removeAll(keepingCapacity: true)
            mine.append(contentsOf: held[Int(ai)])
            mine.sort { ($0.kind, -$0.size, $0.key) < ($1.kind, -$1.size, $1.key) }
            top.removeAll(keepingCapacity: true)
            for v in mine {
                var sameKind = 0
                for t in top where t.kind == v.kind { sameKind += 1 }
                if sameKind < 2 { top.append(v) }
            }
            for x in 0..<top.count {
                for y in (x + 1)..<top.count where top[x].kind != top[y].kind {
                    let key = Hash64.mix(top[x].key ^ Hash64.mix(top[y].key ^ 0x636f)) | 1
                    pairs.append((key, UInt32(pairs.count), ai, Int32(top[x].size), Int32(top[y].size)))
                }
            }
        }
        pairs.sort { $0.key != $1.key ? $0.key < $1.key : $0.seq < $1.seq }
        var out: [LinkGroup] = []
        var start = 0
        while start < pairs.count {
            var end = start + 1
            while end < pairs.count && pairs[end].key == pairs[start].key { end += 1 }
            defer { start = end }
            let holders = end - start
            guard holders >= minMembers else { continue }
            let expected = Double(pairs[start].s1) * Double(pairs[start].s2) / population
            if Double(holders) >= config.links.coOccurrenceLift * max(expected, 1) {
                out.append(
                    LinkGroup(
                        kind: .coOccurrence, key: pairs[start].key, members: pairs[start..<end].map(\.account),
                        sharedBy: holders))
            }
        }
        return out
    }

    /// ``coOccurrenceGroups(held:order:)`` from value tables (kind → value → holders), as tests state them.
    func coOccurrenceGroups(_ perKind: [[UInt64: [Int32]]], order: [Int32]) -> [LinkGroup] {
        var held = [[(kind: Int, key: UInt64, size: Int)]](repeating: [], count: ids.count)
        for (ki, kind) in Self.coOccurrenceKinds.enumerated() {
            guard let k = config.links.kinds[kind.name] else { continue }
            for (key, members) in perKind[kind.rawValue] where members.count > k.rareAt {
                for m in members { held[Int(m)].append((ki, key, members.count)) }
            }
        }
        return coOccurrenceGroups(held: held, order: order)
    }

    /// Whether a set of active days (``AccountState/activeDays``: day in the bits above 24) is one unbroken run
    /// (active on at least 90% of the days from its first to its last) that reaches the first or the last day
    /// of the input. Such a set says only when the account started (or stopped): an always-on account that
    /// signed up mid-window and is still active at the end matches every other one that started within a few
    /// days of it (the MinHash similarity of two runs to the same end is their overlap), which is a weak
    /// coincidence of start dates, not accounts starting and stopping together. Start dates have their own
    /// chance-corrected test (`signup_burst`).
    static func isCensoredRun(_ days: [UInt64], firstDay: Int64, lastDay: Int64) -> Bool {
        guard let first = days.first.map({ Int64(bitPattern: $0) >> 24 }),
            let last = days.last.map({ Int64(bitPattern: $0) >> 24 })
        else { return false }
        let span = Double(last - first + 1)
        return Double(days.count) >= 0.9 * span && (first == firstDay || last == lastDay)
    }

    /// The kinds whose common values can link in pairs (``coOccurrenceGroups(held:order:)``).
    static let coOccurrenceKinds: [LinkKindID] = [.systemPrompt, .lockstep, .behaviourFingerprint, .frame, .userAgent]

    /// How rare a value shared by `sharedBy` accounts is: 1 up to `rareAt`, 0 from `commonAt`, log-linear between.
    static func rarity(_ sharedBy: Int, _ k: DetectionConfig.LinkKind) -> Double {
        if sharedBy <= k.rareAt { return 1 }
        if sharedBy >= k.commonAt || k.commonAt <= k.rareAt { return 0 }
        return log(Double(k.commonAt) / Double(sharedBy)) / log(Double(k.commonAt) / Double(k.rareAt))
    }
}

@inline(__always)
func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    a >= 0 ? a / b : (a - b + 1) / b
}
