import Foundation

/// An account's behaviour signals and the score they add up to, with the measurements behind them.
public struct BehaviourProfile: Sendable {
    /// Signal values in [0, 1], indexed by ``BehaviourSignal`` raw value.
    public var signals = [Double](repeating: 0, count: BehaviourSignal.allCases.count)
    /// Behaviour score in [0, 1] after trust priors.
    public var score: Double = 0
    /// Score before trust priors.
    public var rawScore: Double = 0
    /// Share of the quietest 6 hours of the day in the account's requests (0.25 = perfectly flat).
    public var quietestSixHourShare: Double = 0
    /// Active hours over the hours between first and last request.
    public var duty: Double = 0
    /// Requests per hour between first and last request.
    public var requestsPerHour: Double = 0
    /// Standard deviation of log inter-arrival gaps.
    public var logGapSD: Double = 0
    public var singleTurnShare: Double = 0
    /// Follow-up turns counted as single-turn because they carry none of their conversation's context.
    public var contextlessTurns = 0
    public var reasoningShare: Double = 0
    public var extractionShare: Double = 0
    /// Distinct templates over requests with text.
    public var distinctTemplateRatio: Double = 0
    /// Template discovery rate in the later half of the account's life over the earlier half.
    public var coverageGrowth: Double = 0
    /// Share of requests carrying the account's most common system prompt.
    public var topTemplateShare: Double = 0
    public var distinctIPs: Double = 0
    /// Hours from sign-up to first request, when sign-up time is known.
    public var ageAtFirstUseHours: Double?
    /// Trust prior applied (1 = none).
    public var trustFactor: Double = 1
    public var verified = false
    public var established = false
    /// On a paid tier (the account record names a tier other than free or trial).
    public var paidTier = false
    /// Raw behaviour score of the group of thin accounts this one belongs to, judged as one actor
    /// (``init(pooling:freshShare:config:)``), when the account is too thin to judge on its own and strongly
    /// tied to enough others like it; nil otherwise.
    public var pooledRawScore: Double?
    /// Accounts in that group.
    public var pooledAccounts = 0
    /// The group's strongest signals, as short readable reasons.
    public var pooledReasons: [String] = []
    /// When that group is a disposable fleet, what made it one; nil for a pool tied by infrastructure.
    public var pooledFleet: FleetBasis?
    /// A group's profile (``init(pooling:freshShare:config:)``), not one account's.
    public var isPool = false
    /// `fresh_account_hours` of the config a group's profile was made with (for its explanation).
    var freshAccountHours = 0.0
    /// The factor on the behaviour sum for the signals the log does not record
    /// (``LogCoverage/evidenceScale(_:)``; 1 for a complete log).
    public var evidenceScale = 1.0

    public func value(_ s: BehaviourSignal) -> Double { signals[s.rawValue] }

    /// The raw score that clustering and campaign scores use: the group's where it is higher than the account's
    /// own. An account's own findings entry keeps its own score.
    var groupRawScore: Double { max(rawScore, pooledRawScore ?? 0) }
    /// ``groupRawScore`` after the account's own trust priors.
    var groupScore: Double { groupRawScore * trustFactor }
}

extension BehaviourProfile {
    /// Computes the profile of one account from its state, its account record (if any) and the config.
    /// `coverage` says which fields the log records: where it records no field a signal is built on, the signals
    /// it does record weigh more (``LogCoverage/evidenceScale(_:)``). `logStart` is the time of the log's first
    /// request: with it, an old paying account is established only when its own first request falls within
    /// `scoring.established_active_within_days` of it (without it, age and tier alone decide).
    /// `product` scales the templated-product signal by its exclusivity: 1 for a template that is the account's
    /// customer's own, less for one many customers send (``Investigation/productExclusivity()``). A template
    /// asking for reasoning lowers the signal (harvesters' wrappers do), except for a product's own: a template
    /// wholly the customer's, sent by at most `product_reasoning_max_senders` accounts, fronting 20 end users or
    /// more, when nearly every request in the template elicits reasoning (the template asks for it: a tutoring app
    /// that asks for worked steps on every student's question); reasoning outside the template still counts.
    public init(
        state st: AccountState, meta: AccountMeta?, config: DetectionConfig, coverage: LogCoverage = .complete,
        logStart: Int64? = nil, product: ProductShare = ProductShare()
    ) {
        self.init()
        let c = config.behaviour
        evidenceScale = coverage.evidenceScale(c)
        let n = Double(st.events)
        guard st.events > 0 else { return }
        func set(_ s: BehaviourSignal, _ v: Double) { signals[s.rawValue] = min(1, max(0, v.isFinite ? v : 0)) }

        let spanHours = max(1, Double(st.lastTs - st.firstTs) / 3_600_000)
        requestsPerHour = n / spanHours
        let activeHours = Double(st.activeHours)
        duty = min(1, activeHours / max(1, spanHours.rounded(.up)))
        let hist = (0..<24).map { Double(st.hourOfDay[$0]) }
        var quietest = 1.0
        for start in 0..<24 {
            var s = 0.0
            for k in 0..<6 { s += hist[(start + k) % 24] }
            quietest = min(quietest, s / n)
        }
        quietestSixHourShare = quietest
        logGapSD = st.logGaps.standardDeviation
        let enoughForShape = st.events >= c.minEventsForShape && spanHours >= 48
        if enoughForShape {
            set(.noDiurnalRest, quietest / 0.18)
            set(.dutyCycle, (duty - 0.2) / 0.4)
            set(.regularTiming, (2.0 - logGapSD) / 1.0)
        }
        singleTurnShare = Double(st.singleTurn) / n
        contextlessTurns = st.contextlessTurns
        set(.singleTurn, (singleTurnShare - 0.5) / 0.45 * (st.maxTurn >= 6 ? 0.5 : 1))
        let mtTop = Double(st.maxTokensValues.topCount) / n
        let tempTop = Double(st.temperatureValues.topCount) / n
        if st.events >= 10 {
            let setMax = st.maxTokensValues.topKey != 0
            set(.parameterFixity, setMax ? (mtTop * tempTop - 0.8) / 0.18 : 0)
        }
        set(.maxTokensCeiling, Double(st.maxTokensAtCeiling) / n / 0.5)
        set(.multipleCompletions, Double(st.multipleCompletions) / n / 0.3)
        set(.thinking, Double(st.thinking) / n / 0.6)
        set(.clientChurn, Double(st.userAgents.count + st.tlsFingerprints.count - 3) / 8)
        set(.keyRotation, Double(st.apiKeys.count - 2) / 8)
        distinctIPs = st.distinctIPs.estimate
        if st.events >= 10 {
            set(.ipRotation, (distinctIPs / min(n, 200) - 0.15) / 0.35)
        }
        if let created = meta?.createdAt, st.firstTs != .max {
            let age = Double(st.firstTs - created) / 3_600_000
            ageAtFirstUseHours = age
            set(.freshAccount, age < c.freshAccountHours ? 1 : 0)
        }
        set(.rateLimit, Double(st.status429) / n / 0.05)
        reasoningShare = Double(st.reasoningElicited) / n
        set(.reasoningElicitation, (reasoningShare - 0.1) / 0.4)
        extractionShare = Double(max(st.logitBias, st.topLogprobs, st.tinyMaxTokens)) / n
        let repeatShare = Double(st.repeatedPrompts) / n
        // Logit-bias sweeps and logprobs over whole answers extract on their own; one-token answers and their
        // logprobs do only on prompts sent again and again (probing a target), not once per distinct item (a
        // multiple-choice evaluation harness).
        let probes = Double(max(st.topLogprobs - st.longLogprobs, st.tinyMaxTokens)) / n
        let extraction = max(
            Double(st.logitBias) / n, Double(st.longLogprobs) / n, probes * min(1, 2 * repeatShare))
        set(.apiExtraction, (extraction - 0.05) / 0.3 * (0.5 + min(0.5, repeatShare)))
        if st.withText >= 32 {
            distinctTemplateRatio = min(1, st.distinctTemplates.estimate / Double(st.withText))
            let snaps = st.coverageSnapshots
            if snaps.count >= 4 {
                // Discovery rate between the last two snapshots vs between the 2nd and 3rd-last-but-one.
                let k = snaps.count - 1
                let late = Double(snaps[k] - snaps[k - 1]) / Double(1 << (k - 1))
                let early = Double(snaps[k - 1] - snaps[k - 3]) / Double(3 << (k - 3))
                coverageGrowth = early > 0 ? late / early : 0
            }
            set(.datasetSweep, distinctTemplateRatio * min(1, coverageGrowth) * singleTurnShare)
        }
        // A product sends one system prompt on nearly every request, without harvest-like content.
        // (or one fixed prompt frame around varying input).
        let frameShare = st.withText > 0 ? Double(st.frames.topCount) / Double(st.withText) : 0
        topTemplateShare = min(1, max(Double(st.systemPrompts.topCount) / n, frameShare))
        if st.events >= 32 {
            // The template itself asks for reasoning when nearly all the requests in it do (the reasoning share
            // is at least the template's); only then is the reasoning the product's, and only what lies outside
            // the template counts against it.
            let ownProduct =
                product.exclusivity >= 1 && product.senders <= c.productReasoningMaxSenders
                && st.endUsers.estimate >= 20 && reasoningShare >= topTemplateShare - 0.05
            let reasoning = max(0, 1 - 2 * (ownProduct ? max(0, reasoningShare - topTemplateShare) : reasoningShare))
            set(.templatedProduct, (topTemplateShare - 0.5) / 0.4 * reasoning * max(0, 1 - 3 * extractionShare))
            // Varying input inside one template is not a dataset sweep, whoever else sends the template.
            signals[BehaviourSignal.datasetSweep.rawValue] *= 1 - value(.templatedProduct)
            signals[BehaviourSignal.templatedProduct.rawValue] *= product.exclusivity
        }

        rawScore = Self.combine(signals, c, scale: evidenceScale)
        if meta?.verified == true {
            verified = true
            trustFactor *= config.scoring.verifiedFactor
        }
        if let tier = meta?.tier?.lowercased(), !tier.isEmpty, tier != "free", tier != "trial" { paidTier = true }
        let within = config.scoring.establishedActiveWithinDays
        let inUseAtStart = within <= 0 || logStart.map { Double(st.firstTs - $0) <= within * 86_400_000 } ?? true
        if let age = ageAtFirstUseHours, age >= config.scoring.establishedAccountDays * 24, paidTier, inUseAtStart {
            established = true
            trustFactor *= config.scoring.establishedFactor
        }
        score = rawScore * trustFactor
    }

    /// The behaviour of a group of accounts, each too thin to judge on its own (fewer requests than
    /// `min_events_for_shape`, or less than two days of them), taken as one actor: its requests pooled
    /// (``AccountState/pooled(_:)``), so that the time shape, conversation depth and parameters of the whole
    /// group show although no single account has enough requests to show them. Signals that a group shows
    /// by being many accounts are left out: duty cycle (many accounts cover many hours), timing regularity
    /// (their requests interleave), client, key and IP churn, and dataset sweep. `freshShare` (the share of
    /// members that made their first request soon after sign-up) stands for the fresh-account signal. No trust
    /// prior is applied: each member keeps its own. `product` scales the templated-product signal as for one
    /// account (``Investigation/productExclusivity()``); by default the group's template counts as its own.
    public init(
        pooling members: [AccountState], freshShare: Double, config: DetectionConfig,
        coverage: LogCoverage = .complete, product: ProductShare = ProductShare()
    ) {
        self.init(state: AccountState.pooled(members), meta: nil, config: config, coverage: coverage, product: product)
        for s in [BehaviourSignal.dutyCycle, .regularTiming, .clientChurn, .keyRotation, .ipRotation, .datasetSweep] {
            signals[s.rawValue] = 0
        }
        signals[BehaviourSignal.freshAccount.rawValue] = min(1, max(0, freshShare))
        rawScore = Self.combine(signals, config.behaviour, scale: evidenceScale)
        score = rawScore
        isPool = true
        freshAccountHours = config.behaviour.freshAccountHours
    }

    /// `sigmoid(bias + scale × Σ weight × signal)`: `scale` multiplies negative weights too (a templated product
    /// is held down by its template in proportion to what its other signals gain). At scale 1 the terms are
    /// added in the order they always were, so a complete log's scores stay bit for bit the same.
    static func combine(_ signals: [Double], _ c: DetectionConfig.Behaviour, scale: Double = 1) -> Double {
        var sum = c.bias
        if scale == 1 {
            for s in BehaviourSignal.allCases { sum += (c.weights[s.name] ?? 0) * signals[s.rawValue] }
        } else {
            var evidence = 0.0
            for s in BehaviourSignal.allCases { evidence += (c.weights[s.name] ?? 0) * signals[s.rawValue] }
            sum += scale * evidence
        }
        return 1 / (1 + exp(-sum))
    }

    /// The strongest contributing signals, as short readable reasons.
    public func reasons(config: DetectionConfig, limit: Int = 4) -> [String] {
        var contrib: [(BehaviourSignal, Double)] = []
        for s in BehaviourSignal.allCases {
            let v = (config.behaviour.weights[s.name] ?? 0) * signals[s.rawValue] * evidenceScale
            if v > 0.25 { contrib.append((s, v)) }
        }
        contrib.sort { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0.rawValue < $1.0.rawValue }
        var out = contrib.prefix(limit).map { describe($0.0) }
        if value(.templatedProduct) >= 0.5 { out.append(describe(.templatedProduct) + " lowers suspicion") }
        if verified { out.append("verified organisation lowers suspicion") }
        if established { out.append("established paying account lowers suspicion") }
        return out
    }

    func describe(_ s: BehaviourSignal) -> String {
        func pct(_ x: Double) -> String { "\(Int((x * 100).rounded()))%" }
        switch s {
        case .noDiurnalRest: return "no diurnal rest (quietest 6 h hold \(pct(quietestSixHourShare)) of requests)"
        case .dutyCycle: return "active in \(pct(duty)) of hours at \(fmt(requestsPerHour)) requests/hour"
        case .regularTiming: return "machine-regular timing (log-gap sd \(fmt(logGapSD)))"
        case .singleTurn:
            guard contextlessTurns > 0 else { return "\(pct(singleTurnShare)) single-turn requests" }
            return "\(pct(singleTurnShare)) single-turn requests (\(contextlessTurns) of them numbered as follow-up "
                + "turns but carrying none of their conversation's earlier context)"
        case .parameterFixity: return "same max_tokens and temperature on nearly every request"
        case .maxTokensCeiling: return "max_tokens at the ceiling on \(pct(value(.maxTokensCeiling) * 0.5)) or more"
        case .multipleCompletions: return "asks for several completions (n>1)"
        case .thinking: return "extended thinking requested on most requests"
        case .clientChurn: return "rotates user agents / TLS fingerprints"
        case .keyRotation: return "rotates many API keys"
        case .ipRotation: return "about \(Int(distinctIPs)) distinct IPs (proxy rotation)"
        case .freshAccount:
            if isPool {
                return "\(pct(value(.freshAccount))) of them made their first request within "
                    + "\(fmt(freshAccountHours)) h of sign-up"
            }
            return "first request \(fmt(ageAtFirstUseHours ?? 0)) h after sign-up"
        case .rateLimit: return "rides the rate limit (429 responses)"
        case .reasoningElicitation: return "\(pct(reasoningShare)) of prompts elicit a reasoning trace"
        case .apiExtraction:
            return "API-surface extraction (logit_bias/top_logprobs/max_tokens<=2) on \(pct(extractionShare))"
        case .templatedProduct:
            return "product traffic (one system prompt or prompt frame on \(pct(topTemplateShare)) of requests)"
        case .datasetSweep:
            return "dataset-like sweep: \(pct(distinctTemplateRatio)) distinct templates, coverage still growing"
        }
    }
}

func fmt(_ x: Double) -> String {
    if !x.isFinite { return "0" }
    if abs(x) >= 100 { return String(Int(x.rounded())) }
    return String(format: "%.1f", x)
}
