extension Investigation {
    /// What the per-request harvest test flags in ordinary traffic (accounts in no campaign).
    struct HarvestBaseline {
        /// The 90th percentile of the harvest-like share among accounts in no campaign with at least 50
        /// requests, when there are 20 or more of them: a high percentile, so that one odd population does not
        /// make everyone look abnormal, and a percentile rather than a pooled rate, so that the few accounts
        /// under judgement do not raise their own bar.
        var percentile: Double?
        var hits = 0
        var trials = 0

        /// The bar for account `st`: the percentile, or else the pooled rate of the other accounts.
        func rate(excluding st: AccountState) -> Double {
            if let percentile { return percentile }
            let t = trials - st.events
            return t > 0 ? Double(hits - st.harvestLike) / Double(t) : 0
        }
    }

    /// An account's share of harvest-like requests (``AccountState/harvestLike``: reasoning traces, API probing).
    static func harvestShare(_ st: AccountState) -> Double {
        st.events > 0 ? Double(st.harvestLike) / Double(st.events) : 0
    }

    func harvestBaseline(outside inCampaign: [Bool]) -> HarvestBaseline {
        var b = HarvestBaseline()
        var shares: [Double] = []
        for i in states.indices where !inCampaign[i] && states[i].events > 0 {
            b.hits += states[i].harvestLike
            b.trials += states[i].events
            if states[i].events >= 50 { shares.append(Self.harvestShare(states[i])) }
        }
        if shares.count >= 20 {
            shares.sort()
            b.percentile = shares[min(shares.count - 1, Int(Double(shares.count) * 0.9))]
        }
        return b
    }

    /// A reseller that harvests through its own customers' traffic: it fronts many end users (mixed
    /// traffic), is not a templated product (one system prompt or prompt frame on `reseller_max_template_share`
    /// of its requests or more: a product whose own template asks for reasoning sends nothing else),
    /// and a minority of its requests that is still far above what ordinary accounts send is harvest-like
    /// one by one (chain-of-thought elicitation, n > 1, thinking at the token ceiling, API probing), while its
    /// content as a whole shows harvest evidence. Its behaviour alone is diluted by the genuine customers, so
    /// the solo gate's behaviour bar does not apply.
    func isHarvestingReseller(_ i: Int, profile p: BehaviourProfile, baseline b: HarvestBaseline) -> Bool {
        let st = states[i]
        let s = config.scoring
        guard st.events > 0, Self.isMixed(st, p), p.topTemplateShare < s.resellerMaxTemplateShare else { return false }
        guard st.harvestLike >= s.resellerMinRequests, p.score >= config.clustering.suspiciousBehaviour else {
            return false
        }
        let share = Self.harvestShare(st)
        return share >= s.resellerMinShare && share >= s.resellerBaselineFactor * b.rate(excluding: st)
            && CampaignEvidence.harvest(p) >= s.resellerHarvest
    }

    /// The evidence line of a harvesting reseller; its strength (the harvest-like share against
    /// `reseller_min_share`, 1 at four times it) stands for its harvest evidence in the campaign score.
    func resellerSignal(_ i: Int, baseline b: HarvestBaseline) -> Findings.Signal {
        let st = states[i]
        let baseline = b.rate(excluding: st)
        let of =
            b.percentile != nil ? "the 90th percentile of accounts in no campaign" : "the rate of the other accounts"
        let share = Self.harvestShare(st)
        let users = Int(st.endUsers.estimate.rounded())
        let ratio = baseline > 0 ? "\(fmt(share / baseline))x" : "far above"
        return .init(
            name: "reseller_harvest", strength: round4(min(1, share / max(config.scoring.resellerMinShare, 1e-9) / 4)),
            detail:
                "fronts about \(users) end users; \(st.harvestLike) of its \(st.events) requests "
                + "(\(Int((share * 100).rounded()))%) are harvest-like one by one (chain-of-thought elicitation, "
                + "n > 1, thinking at the token ceiling, API probing), \(ratio) \(of) "
                + "(\(fmt(baseline * 100))%)")
    }
}
