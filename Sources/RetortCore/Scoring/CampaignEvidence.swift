import Foundation

/// How one kind of link holds a cluster together.
struct LinkStat {
    var keys = 0
    var covered = Set<Int32>()
    var minSize = Int.max
    var maxSize = 0
    var cohort = false
    var keySet: [UInt64] = []
}

/// The evidence that a cluster is a campaign, its score and its human-readable signals.
struct CampaignEvidence {
    var score: Double = 0
    var signals: [Findings.Signal] = []
    var behaviourMean = 0.0
    var harvestMean = 0.0
    var linkMean = 0.0
    var identityShare = 0.0
    var trustShare = 0.0
    /// Share of members running evaluations in bursts (``isEvaluationRun``) and the discount it takes.
    var evaluationShare = 0.0
    var evaluationDiscount = 0.0
    var coordination = 0.0
    /// Members whose traffic is mixed (many end users, conversations): counted by request.
    var mixedMembers: [Int32] = []

    init(
        members: [Int32], investigation inv: Investigation, profiles: [BehaviourProfile], linkWeight: [Double],
        linkStats: [LinkStat]
    ) {
        let n = Double(members.count)
        let cfg = inv.config
        func pct(_ x: Double) -> String { "\(Int((x * 100).rounded()))%" }
        var fresh = 0
        var trusted = 0
        var evaluators: [Int32] = []
        for m in members {
            let p = profiles[Int(m)]
            behaviourMean += p.groupRawScore
            harvestMean += Self.harvest(p)
            linkMean += min(1, linkWeight[Int(m)] / 3)
            if p.value(.freshAccount) > 0 { fresh += 1 }
            // A verified identity vouches for a cluster; age and tier alone do not (resellers are old,
            // paying accounts), they only lower the members' own behaviour scores.
            if p.verified { trusted += 1 }
            if Self.isEvaluationRun(p, inv.states[Int(m)], cfg.scoring) { evaluators.append(m) }
        }
        behaviourMean /= n
        harvestMean /= n
        linkMean /= n
        trustShare = Double(trusted) / n
        // A customer's few accounts run evaluations; an operation's hundreds are not discounted however they pace.
        evaluationShare = members.count <= cfg.scoring.evaluationMaxMembers ? Double(evaluators.count) / n : 0
        evaluationDiscount = max(0, min(1, cfg.scoring.evaluationDiscount))
        var identityCovered = Set<Int32>()
        for k in [LinkKindID.payment, .cardBINWeek, .signupIP, .emailPattern, .signupBurst] {
            identityCovered.formUnion(linkStats[k.rawValue].covered)
        }
        for m in members where profiles[Int(m)].value(.freshAccount) > 0 { identityCovered.insert(m) }
        identityShare = Double(identityCovered.count) / n

        // Coordination: even load, synchronized model switches, replacement accounts.
        let volumes = members.map { Double(inv.states[Int($0)].events) }
        var w = Welford()
        for v in volumes { w.add(v) }
        let cv = w.coefficientOfVariation
        var coordSignals: [Findings.Signal] = []
        if members.count >= 3 && cv < 0.35 {
            coordSignals.append(
                .init(
                    name: "even_load", strength: round4(1 - cv / 0.35),
                    detail:
                        "load spread evenly across members (volume cv \(fmt(cv)), \(fmt(w.mean)) requests each): round-robin"
                ))
        }
        if let sw = Self.modelSwitch(members: members, inv: inv) {
            coordSignals.append(sw)
        }
        if let rep = Self.replacement(members: members, inv: inv) {
            coordSignals.append(rep)
        }
        coordination = min(1, coordSignals.map(\.strength).reduce(0, +))

        // Links and identity only support: a cluster of ordinary users is not a campaign however it is
        // linked. What it does (behaviour, harvest-like content, coordination) carries the score.
        let base = Self.base(behaviour: behaviourMean, harvest: harvestMean, coordination: coordination)
        // A lone account (admitted only through the solo gate) has no links to support it and needs none.
        let support = n == 1 ? 1 : 0.6 + 0.4 * max(linkMean, identityShare)
        score = Self.score(
            base: base, support: support, sizeFactor: Self.sizeFactor(members: members.count, behaviour: behaviourMean),
            trustShare: trustShare, evaluation: evaluationDiscount * evaluationShare)

        // Link signals.
        for kind in LinkKindID.allCases {
            let s = linkStats[kind.rawValue]
            guard s.covered.count >= 2 else { continue }
            let weight = cfg.links.kinds[kind.name]?.weight ?? 0
            var detail = "\(s.covered.count) accounts share \(s.keys) \(kind.noun)"
            if s.maxSize > 0 && s.keys > 1 {
                detail +=
                    s.minSize == s.maxSize ? " (\(s.minSize) accounts each)" : " (groups of \(s.minSize)-\(s.maxSize))"
            }
            if s.cohort { detail += "; values used almost only by suspicious accounts" }
            if kind == .template || kind == .frame || kind == .systemPrompt {
                let keys = Set(s.keySet)
                var hit = 0
                var total = 0
                for m in members {
                    let st = inv.states[Int(m)]
                    total += st.withText
                    let (held, counts) =
                        kind == .template
                        ? (st.templates.keys, st.templates.counts)
                        : (kind == .frame
                            ? (st.frames.keys, st.frames.counts) : (st.systemPrompts.keys, st.systemPrompts.counts))
                    for (k, c) in zip(held, counts) where keys.contains(k) { hit += Int(c) }
                }
                if total > 0 {
                    detail += "; \(pct(min(1, Double(hit) / Double(total)))) of their prompts match them"
                }
            }
            signals.append(
                .init(
                    name: kind.signalName, strength: round4(Double(s.covered.count) / n * min(1, weight / 1.5)),
                    detail: detail))
        }
        // Behaviour signals: share of members showing each.
        for sig in BehaviourSignal.allCases {
            let showing = members.filter { profiles[Int($0)].value(sig) >= 0.5 }
            let share = Double(showing.count) / n
            guard share >= 0.3 else { continue }
            let detail: String
            switch sig {
            case .noDiurnalRest:
                let rates = showing.map { profiles[Int($0)].requestsPerHour }.sorted()
                let lo = rates[rates.count / 10]
                let hi = rates[min(rates.count - 1, rates.count * 9 / 10)]
                detail = "\(pct(share)) of accounts active 24 h a day at \(fmt(lo))-\(fmt(hi)) requests/hour each"
            case .reasoningElicitation:
                let r = members.map { profiles[Int($0)].reasoningShare }.reduce(0, +) / n
                detail = "\(pct(r)) of their prompts elicit a chain of thought / reasoning trace"
            case .freshAccount:
                detail =
                    "\(pct(share)) made their first request within \(fmt(cfg.behaviour.freshAccountHours)) h of sign-up"
            case .apiExtraction:
                detail =
                    "\(pct(share)) probe the API surface (logit_bias, top_logprobs, max_tokens<=2 on repeated prompts)"
            case .datasetSweep:
                detail = "\(pct(share)) sweep content like a dataset (distinct templates, coverage still growing)"
            case .ipRotation:
                detail = "\(pct(share)) rotate IPs on nearly every request (proxy pool)"
            default:
                let example = profiles[Int(showing[0])].describe(sig)
                detail = "\(pct(share)) of accounts: \(example)"
            }
            signals.append(.init(name: sig.name, strength: round4(share), detail: detail))
        }
        // Thin members judged together (their own profiles show no time shape).
        let pooled = members.filter { profiles[Int($0)].pooledRawScore != nil && profiles[Int($0)].pooledFleet == nil }
        if pooled.count >= 2, let first = pooled.first.map({ profiles[Int($0)] }) {
            let volumes = pooled.map { inv.states[Int($0)].events }
            let sizes = Set(pooled.map { profiles[Int($0)].pooledAccounts }).sorted()
            let groups = sizes.count == 1 ? "\(sizes[0])" : "\(sizes[0])-\(sizes[sizes.count - 1])"
            signals.append(
                .init(
                    name: "pooled_behaviour", strength: round4(Double(pooled.count) / n),
                    detail:
                        "\(pooled.count) accounts with \(volumes.min()!)-\(volumes.max()!) requests each, too few to "
                        + "judge one by one; taken together with the thin accounts sharing their infrastructure "
                        + "(cards, proxies, networks, sign-ups, clients, active days; groups of \(groups)), they behave "
                        + "as one actor with score "
                        + "\(fmt(first.pooledRawScore ?? 0)): " + first.pooledReasons.joined(separator: "; ")))
        }
        if let fleet = Self.fleetSignal(members: members, inv: inv, profiles: profiles) { signals.append(fleet) }
        signals += coordSignals
        if trustShare > 0 {
            signals.append(
                .init(
                    name: "trust_prior", strength: round4(-trustShare),
                    detail: "\(pct(trustShare)) of accounts verified (lowers the score)"))
        }
        if evaluationShare > 0 && evaluationDiscount > 0 {
            let paces = evaluators.map { Self.pace(inv.states[Int($0)]) }.sorted()
            let hours = evaluators.map { inv.states[Int($0)].activeHours }.sorted()
            let range: ([Double]) -> String = {
                $0.count == 1 ? fmt($0[0]) : "\(fmt($0[0]))-\(fmt($0[$0.count - 1]))"
            }
            signals.append(
                .init(
                    name: "evaluation_runs", strength: round4(-evaluationDiscount * evaluationShare),
                    detail:
                        "\(evaluators.count) of \(members.count) accounts, on a paid tier and at least "
                        + "\(fmt(cfg.scoring.evaluationMinAgeDays)) days old at their first request, send their requests "
                        + "in bursts of \(range(paces)) requests per active hour over \(range(hours.map(Double.init))) active "
                        + "hours: evaluation runs rather than a standing harvest (lowers the score)"))
        }
        signals.sort { $0.strength != $1.strength ? $0.strength > $1.strength : $0.name < $1.name }
    }

    /// Requests per active hour.
    static func pace(_ st: AccountState) -> Double { Double(st.events) / Double(max(1, st.activeHours)) }

    /// A member running evaluations in bursts: on a paid tier, not a fresh account (at least
    /// `evaluation_min_age_days` old at its first request, from the account record) and sending at least
    /// `evaluation_pace` requests per active hour, without probing the API surface (its `api_extraction` signal
    /// below `evaluation_max_extraction`). Harvesting accounts spread their requests to stay unseen (about one an
    /// hour in the known cases); an evaluation harness sends a dataset in one go, from an account its owner has
    /// had for a while, and reads the answers rather than sweeping logit biases over them.
    static func isEvaluationRun(_ p: BehaviourProfile, _ st: AccountState, _ s: DetectionConfig.Scoring) -> Bool {
        guard s.evaluationDiscount > 0, p.paidTier, let age = p.ageAtFirstUseHours,
            age >= s.evaluationMinAgeDays * 24, p.value(.apiExtraction) < s.evaluationMaxExtraction
        else { return false }
        return pace(st) >= s.evaluationPace
    }

    /// What the members do: behaviour, harvest-like content and coordination.
    static func base(behaviour: Double, harvest: Double, coordination: Double) -> Double {
        0.45 * behaviour + 0.35 * harvest + 0.2 * coordination
    }

    /// Few members are weak evidence of coordination, unless the members' own behaviour already is strong
    /// evidence (a pair of reseller accounts): the size penalty fades as their mean behaviour goes from 0.5 to
    /// 0.8. A lone account (admitted only through the solo gate) is not penalised.
    static func sizeFactor(members: Int, behaviour: Double) -> Double {
        guard members > 1 else { return 1 }
        let own = min(1, max(0, (behaviour - 0.5) / 0.3))
        return (1 - exp(-(Double(members) + 1) / 3)) * (1 - own) + own
    }

    /// The score with stronger harvest evidence than the members' profiles show, where a separate test stands
    /// for the links' support: a reseller's harvest is diluted in its account-level profile by its customers'
    /// traffic (a one-account campaign); a harvest cohort's members are each measured against ordinary
    /// accounts and tied to each other far more densely than ordinary accounts are.
    /// `coordination`, when given, is the cohort's tie lift turned into coordination evidence.
    mutating func raiseHarvest(to h: Double, members: Int, coordination c: Double = 0) {
        guard h > harvestMean || c > coordination else { return }
        harvestMean = max(harvestMean, h)
        coordination = max(coordination, c)
        let base = Self.base(behaviour: behaviourMean, harvest: harvestMean, coordination: coordination)
        score = Self.score(
            base: base, support: 1, sizeFactor: Self.sizeFactor(members: members, behaviour: behaviourMean),
            trustShare: trustShare, evaluation: evaluationDiscount * evaluationShare)
    }

    /// The campaign score from what the members do (`base`), how links support it, the size factor and the
    /// share of verified members; `evaluation` is the evaluation-run discount times the share of such members.
    static func score(
        base: Double, support: Double, sizeFactor: Double, trustShare: Double, evaluation: Double = 0
    ) -> Double {
        round4(min(1, base / 0.8 * support) * sizeFactor * (1 - 0.9 * trustShare) * (1 - evaluation))
    }

    /// Harvest-content evidence of one account: the strongest of its content and API-surface signals.
    static func harvest(_ p: BehaviourProfile) -> Double {
        max(
            p.value(.reasoningElicitation), p.value(.apiExtraction), p.value(.datasetSweep),
            p.value(.multipleCompletions), 0.5 * p.value(.maxTokensCeiling), 0.5 * p.value(.thinking))
    }

    /// Members judged together as a disposable fleet (``Investigation/poolDisposableFleets(_:groups:product:coverage:)``):
    /// how briefly and how soon after sign-up each was used, and the value they share.
    static func fleetSignal(members: [Int32], inv: Investigation, profiles: [BehaviourProfile]) -> Findings.Signal? {
        let fleet = members.filter { profiles[Int($0)].pooledFleet != nil }
        guard fleet.count >= 2, let first = fleet.first.map({ profiles[Int($0)] }), let basis = first.pooledFleet
        else { return nil }
        let volumes = fleet.map { inv.states[Int($0)].events }.sorted()
        let lives = fleet.map { Double(inv.states[Int($0)].lastTs - inv.states[Int($0)].firstTs) / 60_000 }.sorted()
        let life = lives[lives.count / 2]
        let cfg = inv.config
        return .init(
            name: "disposable_fleet", strength: round4(Double(fleet.count) / Double(members.count)),
            detail:
                "\(fleet.count) accounts each made their first request within \(fmt(cfg.behaviour.freshAccountHours)) h "
                + "of sign-up and their last within \(fmt(cfg.clustering.fleetLifeHours)) h of their first (median "
                + (life < 120 ? "\(fmt(life)) minutes" : "\(fmt(life / 60)) hours") + " of use, "
                + "\(volumes[0])-\(volumes[volumes.count - 1]) requests each), first used on \(basis.days) different "
                + "days, one after another: a fleet of disposable accounts. They send one \(basis.noun) that "
                + "\(basis.holders) accounts with requests send, too many to link them by it, but nearly all of them "
                + "such accounts; taken together they behave as one actor with score \(fmt(first.pooledRawScore ?? 0)): "
                + first.pooledReasons.joined(separator: "; "))
    }

    /// Members switching to a new model within one day of each other.
    static func modelSwitch(members: [Int32], inv: Investigation) -> Findings.Signal? {
        guard members.count >= 3 else { return nil }
        var firstUse: [UInt64: [Int64]] = [:]
        var earliest: [UInt64: Int64] = [:]
        for m in members {
            let st = inv.states[Int(m)]
            for (model, ts) in st.modelFirstUse where ts > st.firstTs + 3_600_000 {
                firstUse[model, default: []].append(ts)
            }
            for (model, ts) in st.modelFirstUse { earliest[model] = min(earliest[model] ?? .max, ts) }
        }
        var best: (share: Double, spanH: Double)?
        for model in firstUse.keys.sorted() {
            let times = firstUse[model]!.sorted()
            guard times.count >= 2, Double(times.count) >= 0.5 * Double(members.count) else { continue }
            // Shortest window holding 80% of the switches, and at least two of them: one switch alone spans no
            // time, which said "within 0 h" of two accounts that switched weeks apart.
            let k = max(2, Int(Double(times.count) * 0.8))
            var span = Int64.max
            for i in 0...(times.count - k) { span = min(span, times[i + k - 1] - times[i]) }
            let spanH = Double(span) / 3_600_000
            if spanH <= 24 {
                let share = Double(times.count) / Double(members.count)
                if best == nil || share > best!.share { best = (share, spanH) }
            }
        }
        guard let b = best else { return nil }
        return .init(
            name: "synchronized_model_switch", strength: round4(b.share),
            detail:
                "\(Int((b.share * 100).rounded()))% of accounts switched to a new model within \(fmt(b.spanH)) h of each other"
        )
    }

    /// Accounts that start within 48 h after other members stop (replacements after bans).
    static func replacement(members: [Int32], inv: Investigation) -> Findings.Signal? {
        guard members.count >= 4 else { return nil }
        let firsts = members.map { inv.states[Int($0)].firstTs }
        let lasts = members.map { inv.states[Int($0)].lastTs }
        guard let windowStart = firsts.min(), let windowEnd = lasts.max() else { return nil }
        let day: Int64 = 86_400_000
        let stops = lasts.filter { $0 < windowEnd - 2 * day }.sorted()
        let lateStarts = firsts.filter { $0 > windowStart + 2 * day }
        guard stops.count >= 2, lateStarts.count >= 2 else { return nil }
        var replaced = 0
        for s in lateStarts {
            // Any stop in [s - 48 h, s]?
            var lo = 0
            var hi = stops.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if stops[mid] < s - 2 * day { lo = mid + 1 } else { hi = mid }
            }
            if lo < stops.count && stops[lo] <= s { replaced += 1 }
        }
        guard replaced >= 2 else { return nil }
        let share = Double(replaced) / Double(members.count)
        return .init(
            name: "replacement_accounts", strength: round4(min(1, share * 2)),
            detail: "\(replaced) accounts started within 48 h after other members stopped (replacements)")
    }
}

func round4(_ x: Double) -> Double { (x * 10_000).rounded() / 10_000 }
