/// Compares findings with ground truth at the account level. An account counts as flagged when findings
/// place it in a campaign; accounts absent from the truth, or listed without a campaign, are benign.
public func evaluate(findings: Findings, truth: TruthSet) -> EvaluationReport {
    var truthCampaign: [String: String] = [:]
    var kindOf: [String: String] = [:]
    for r in truth.records {
        if let c = r.campaign { truthCampaign[r.accountID] = c }
        if let k = r.kind { kindOf[r.accountID] = k }
    }
    var flagged: [String: String] = [:]
    for c in findings.campaigns { for a in c.accounts { flagged[a] = c.id } }

    var tp = 0
    var fp = 0
    var fn = 0
    var perCampaign: [String: (accounts: Int, found: Int, foundIn: Set<String>, kind: String?)] = [:]
    var perKind: [String: (accounts: Int, fp: Int)] = [:]
    for r in truth.records {
        if let c = r.campaign {
            var e = perCampaign[c] ?? (0, 0, [], r.kind)
            e.accounts += 1
            if let f = flagged[r.accountID] {
                e.found += 1
                e.foundIn.insert(f)
                tp += 1
            } else {
                fn += 1
            }
            perCampaign[c] = e
        } else {
            let k = r.kind ?? "benign"
            var e = perKind[k] ?? (0, 0)
            e.accounts += 1
            if flagged[r.accountID] != nil {
                e.fp += 1
                fp += 1
            }
            perKind[k] = e
        }
    }
    // Flagged accounts the truth does not list at all are benign of unknown kind.
    let listed = Set(truth.records.map(\.accountID))
    for (a, _) in flagged where !listed.contains(a) {
        fp += 1
        var e = perKind["unlisted"] ?? (0, 0)
        e.accounts += 1
        e.fp += 1
        perKind["unlisted"] = e
    }

    var found: [EvaluationReport.FoundCampaign] = []
    var purityWeighted = 0.0
    var purityAccounts = 0
    var errSum = 0.0
    var errTotal = 0.0
    for c in findings.campaigns {
        var counts: [String: Int] = [:]
        var benignKinds: [String: Int] = [:]
        for a in c.accounts {
            if let t = truthCampaign[a] {
                counts[t, default: 0] += 1
            } else {
                benignKinds[kindOf[a] ?? "unlisted", default: 0] += 1
            }
        }
        let dominant = counts.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }
        let purity = Double(dominant?.value ?? 0) / Double(max(1, c.accounts.count))
        purityWeighted += purity * Double(c.accounts.count)
        purityAccounts += c.accounts.count
        // The true harvest is known when every member is a reseller (with `harvest_exchanges`) or benign
        // (harvests nothing); members of other campaigns harvest all they send, which the truth does not count.
        let knowable = c.accounts.allSatisfy { truth.harvestExchanges[$0] != nil || truthCampaign[$0] == nil }
        let harvest =
            knowable && c.accounts.contains { truth.harvestExchanges[$0] != nil }
            ? c.accounts.reduce(0) { $0 + (truth.harvestExchanges[$1] ?? 0) } : nil
        let anyHarvest = c.accounts.contains { truth.harvestExchanges[$0] != nil }
        if anyHarvest {
            // Members without a harvest count harvest everything they send; only resellers mix.
            let trueH = c.accounts.reduce(0) { $0 + (truth.harvestExchanges[$1] ?? 0) }
            let mixedPart = Double(trueH)
            if mixedPart > 0, let h = harvest {
                errSum += abs(Double(c.exchangesEstimate.value - h))
                errTotal += Double(h)
            }
        }
        found.append(
            .init(
                id: c.id, accounts: c.accounts.count, purity: purity, dominant: dominant?.key,
                wholeFalse: counts.isEmpty,
                benignKind: counts.isEmpty
                    ? benignKinds.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }?.key : nil,
                exchanges: c.exchanges, estimate: c.exchangesEstimate.value, trueHarvest: harvest,
                estimateLow: c.exchangesEstimate.low, estimateHigh: c.exchangesEstimate.high))
    }
    let benignTotal = perKind.values.reduce(0) { $0 + $1.accounts }
    let benignFP = perKind.values.reduce(0) { $0 + $1.fp }
    return EvaluationReport(
        overall: .init(truePositives: tp, falsePositives: fp, falseNegatives: fn),
        campaigns: perCampaign.keys.sorted().map { k in
            let e = perCampaign[k]!
            return .init(campaign: k, kind: e.kind, accounts: e.accounts, found: e.found, foundIn: e.foundIn.count)
        },
        benign: perKind.keys.sorted().map {
            .init(kind: $0, accounts: perKind[$0]!.accounts, falsePositives: perKind[$0]!.fp)
        },
        found: found,
        benignFalsePositiveRate: benignTotal > 0 ? Double(benignFP) / Double(benignTotal) : 0,
        wholeFalseCampaigns: found.filter(\.wholeFalse).count,
        meanPurity: purityAccounts > 0 ? purityWeighted / Double(purityAccounts) : 1,
        harvestRelativeError: errTotal > 0 ? errSum / errTotal : nil)
}
