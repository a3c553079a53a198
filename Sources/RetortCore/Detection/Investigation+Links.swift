import Foundation

extension Investigation {
    /// Every shared value that could link accounts, grouped by kind and value, members ascending.
    /// Groups come out sorted by (kind, key) so everything downstream is deterministic.
    func linkGroups(profiles: [BehaviourProfile], order: [Int32], rank: [Int32]) -> [LinkGroup] {
        var perKind = [[UInt64: [Int32]]](repeating: [:], count: LinkKindID.allCases.count)

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
        let weeks = Double(max(1, lastWeek - firstWeek + 1))
        var binOfKey: [UInt64: UInt64] = [:]

        // Accounts in id order, so member lists (and everything built on them) do not depend on the order
        // in which accounts were first seen.
        for ai in order {
            let i = Int(ai)
            func put(_ k: LinkKindID, _ key: UInt64) {
                guard key != 0 else { return }
                perKind[k.rawValue][key, default: []].append(ai)
            }
            if let m = metas[i] {
                put(.payment, m.payment)
                if m.cardBIN != 0, let c = m.createdAt {
                    let key = Hash64.mix(m.cardBIN ^ UInt64(bitPattern: floorDiv(c, week))) | 1
                    binOfKey[key] = m.cardBIN
                    put(.cardBINWeek, key)
                }
                put(.signupIP, m.signupIP)
                put(.emailPattern, m.emailPattern)
                if let c = m.createdAt {
                    let b = floorDiv(c, burstWidth)
                    if (bucketCounts[b] ?? 0) >= burstMin { put(.signupBurst, Hash64.mix(UInt64(bitPattern: b)) | 1) }
                }
            }
            let st = states[i]
            guard st.events > 0 else { continue }
            for k in st.ips.keys { put(.ip, k) }
            for k in st.networks.keys { put(.network, Hash64.mix(k)) }
            for k in st.asns.keys { put(.asn, Hash64.mix(k ^ 0x61736e)) }
            for k in st.tlsFingerprints.values { put(.tls, k) }
            for k in st.userAgents.values { put(.userAgent, k) }
            for (k, c) in zip(st.templates.keys, st.templates.counts) where c >= 2 { put(.template, k) }
            let frameMin = UInt32(max(2, st.withText / 10))
            for (k, c) in zip(st.frames.keys, st.frames.counts) where c >= frameMin { put(.frame, k) }
            for (k, c) in zip(st.systemPrompts.keys, st.systemPrompts.counts) where c >= 2 { put(.systemPrompt, k) }
            if st.events >= 10 {
                let p = profiles[i]
                var h = Hash64.mix(st.maxTokensValues.topKey ?? 0)
                h = Hash64.mix(h ^ (st.temperatureValues.topKey ?? 0))
                h = Hash64.mix(h ^ (st.models.topKey ?? 0))
                h = Hash64.mix(h ^ (st.endpoints.topKey ?? 0))
                h = Hash64.mix(h ^ UInt64(p.value(.thinking) >= 0.5 ? 1 : 0))
                put(.behaviourFingerprint, h | 1)
            }
            if st.activeDays.count >= 3 {
                var mh = OnePermutationMinHash(binCount: 12)
                for d in st.activeDays { mh.add(hash: d >> 24) }
                mh.densify()
                for k in mh.bandKeys(rows: 4) { put(.lockstep, k) }
            }
        }

        var groups: [LinkGroup] = []
        for kind in LinkKindID.allCases {
            let table = perKind[kind.rawValue]
            for key in table.keys.sorted() {
                let members = table[key]!
                if kind == .cardBINWeek, let bin = binOfKey[key],
                    Double(members.count) < config.links.cardBINBurstFactor * Double(binTotal[bin] ?? 0) / weeks
                {
                    continue
                }
                if members.count >= 2 {
                    groups.append(LinkGroup(kind: kind, key: key, members: members, sharedBy: members.count))
                }
            }
        }
        // The shared content table.
        var contentGroups: [LinkGroup] = []
        for (key, e) in content.entries where e.accounts >= 2 && e.members.count >= 2 {
            let kind: LinkKindID = e.kind == .exact ? .exactPrompt : .nearDuplicate
            contentGroups.append(
                LinkGroup(
                    kind: kind, key: key, members: e.members.sorted { rank[Int($0)] < rank[Int($1)] },
                    sharedBy: Int(e.accounts)))
        }
        contentGroups.sort { ($0.kind.rawValue, $0.key) < ($1.kind.rawValue, $1.key) }
        groups += contentGroups
        groups.sort { ($0.kind.rawValue, $0.key) < ($1.kind.rawValue, $1.key) }
        return groups
    }

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
