import Foundation

extension Investigation {
    /// Turns scored campaigns into findings: counts, estimates, capabilities, account scores and reasons.
    func assemble(
        campaigns: [CampaignCandidate], profiles: [BehaviourProfile], input: InputSummary, linking: [LinkGroup],
        linkWeight: [Double], coverage: LogCoverage
    ) -> Findings {
        let n = ids.count
        let cfg = config
        var campaignOf = [Int](repeating: -1, count: n)
        var out: [Findings.Campaign] = []
        var campaignIDs: [String] = []
        for (ci, c) in campaigns.enumerated() {
            for m in c.members { campaignOf[Int(m)] = ci }
            campaignIDs.append(Self.campaignID(members: c.members.map { ids[Int($0)] }))
        }

        // Per-account link summaries, for reasons.
        var linkedBy = [[(LinkKindID, Int)]](repeating: [], count: n)
        for g in linking {
            for m in g.members where linkedBy[Int(m)].count < 6 && !linkedBy[Int(m)].contains(where: { $0.0 == g.kind })
            {
                linkedBy[Int(m)].append((g.kind, g.sharedBy))
            }
        }

        MemoryProbe.log("assemble: link summaries")
        // Calibration of the per-request harvest test: its hit rate on campaign members that only harvest
        // (sensitivity) and on accounts in no campaign (false positives).
        var sensitivity = (hits: 0, trials: 0)
        var falsePositive = (hits: 0, trials: 0)
        var perCampaign = [(hits: Int, trials: Int)](repeating: (0, 0), count: campaigns.count)
        for i in 0..<n where states[i].events > 0 {
            let st = states[i]
            if campaignOf[i] < 0 {
                falsePositive.hits += st.harvestLike
                falsePositive.trials += st.events
            } else if !Self.isMixed(st, profiles[i]) {
                sensitivity.hits += st.harvestLike
                sensitivity.trials += st.events
                perCampaign[campaignOf[i]].hits += st.harvestLike
                perCampaign[campaignOf[i]].trials += st.events
            }
        }
        let rates = perCampaign.filter { $0.trials >= cfg.scoring.calibrationMinRequests / 5 }
            .map { Double($0.hits) / Double($0.trials) }
        let spread = rates.isEmpty ? nil : (rates.min()!, rates.max()!)
        let unrecorded = unrecordedSignal(coverage)

        for (ci, c) in campaigns.enumerated() {
            var exchanges = 0
            var inTok = 0
            var outTok = 0
            var first = Int64.max
            var last = Int64.min
            var caps = [Double](repeating: 0, count: Capability.allCases.count)
            var withText = 0
            var pure = 0
            var mixedN = 0
            var mixedH = 0
            for m in c.members {
                let st = states[Int(m)]
                exchanges += st.events
                inTok += st.inputTokens
                outTok += st.outputTokens
                first = min(first, st.firstTs)
                last = max(last, st.lastTs)
                withText += st.withText
                for k in caps.indices { caps[k] += Double(st.capabilityCounts[k]) }
                if Self.isMixed(st, profiles[Int(m)]) {
                    mixedN += st.events
                    mixedH += st.harvestLike
                } else {
                    pure += st.events
                }
            }
            let mixed = HarvestEstimate(
                flagged: mixedH, trials: mixedN, sensitivity: sensitivity, sensitivitySpread: spread,
                falsePositive: falsePositive,
                minCalibration: cfg.scoring.calibrationMinRequests, sensitivityFloor: cfg.scoring.sensitivityFloor)
            let estimate = Findings.Estimate(
                value: pure + mixed.value, low: pure + mixed.low, high: pure + mixed.high)
            var capabilities: [String: Double] = [:]
            for cap in Capability.allCases {
                capabilities[cap.name] = withText > 0 ? round4(caps[cap.rawValue] / Double(withText)) : 0
            }
            var signals = c.evidence.signals
            if mixedN > 0 {
                let calibrationText =
                    mixed.calibrated
                    ? "\(pctText(sensitivity)), measured on \(sensitivity.trials) requests of pure harvesters"
                        + (spread.map { ", \(Int($0.0 * 100))-\(Int($0.1 * 100))% between campaigns" } ?? "")
                    : "not measurable here, taken as \(Int(cfg.scoring.sensitivityFloor * 100))-100%"
                signals.append(
                    .init(
                        name: "mixed_traffic", strength: round4(Double(mixed.value) / Double(max(1, mixedN))),
                        detail:
                            "\(mixedN) requests from accounts serving many end users or conversations; \(mixedH) flagged harvest-like one by one; "
                            + "corrected for the test's misses (sensitivity \(calibrationText)) and false flags "
                            + "(\(pctText(falsePositive)) of other accounts' requests): ~\(mixed.value) harvesting "
                            + "(95% interval \(mixed.low)-\(mixed.high))"
                    ))
            }
            if let u = unrecorded { signals.append(u) }
            out.append(
                Findings.Campaign(
                    id: campaignIDs[ci], accounts: c.members.map { ids[Int($0)] }.sorted(), exchanges: exchanges,
                    exchangesEstimate: estimate, inputTokens: inTok, outputTokens: outTok,
                    firstSeen: Timestamp.format(first), lastSeen: Timestamp.format(last), score: c.score,
                    capabilities: capabilities, signals: signals))
        }

        MemoryProbe.log("assemble: campaigns")
        var scores: [String: Double] = [:]
        var explanations: [String: [String]] = [:]
        var accounts: [Findings.AccountFinding] = []
        for i in 0..<n {
            let p = profiles[i]
            let ci = campaignOf[i]
            let score: Double
            var reasons: [String] = []
            if ci >= 0 {
                let c = campaigns[ci]
                score = round4(max(p.score, c.score))
                let kinds = linkedBy[i].map { $0.0.signalName }
                reasons.append(
                    "member of campaign \(campaignIDs[ci]) (\(c.members.count) accounts, score \(fmt(c.score)))"
                        + (kinds.isEmpty ? "" : "; linked by " + kinds.joined(separator: ", ")))
                if let pooled = p.pooledRawScore, let fleet = p.pooledFleet {
                    reasons.append(
                        "used for \(fmt(Double(states[i].lastTs - states[i].firstTs) / 3_600_000)) h "
                            + "(\(states[i].events) requests) soon after sign-up, like the \(p.pooledAccounts - 1) other "
                            + "disposable accounts sending its \(fleet.noun); judged together with them, behaviour "
                            + "\(fmt(pooled)): " + p.pooledReasons.joined(separator: "; "))
                } else if let pooled = p.pooledRawScore {
                    reasons.append(
                        "too little traffic (\(states[i].events) requests over "
                            + "\(fmt(Double(states[i].lastTs - states[i].firstTs) / 3_600_000)) h) to judge on its own; "
                            + "judged together with the \(p.pooledAccounts) thin accounts sharing its infrastructure, "
                            + "behaviour \(fmt(pooled)): " + p.pooledReasons.joined(separator: "; "))
                }
                if let mate = c.thinMates[Int32(i)], c.fleetReserves.contains(Int32(i)) {
                    let others = mate.holders - mate.members - 1
                    reasons.append(
                        "attached: never sent a request; pays with a card used by \(mate.members) of the campaign's "
                            + "accounts (of its disposable fleet) and by \(others) other account"
                            + (others == 1 ? "" : "s") + " that never sent a request either: an account opened ahead "
                            + "of use")
                } else if let mate = c.thinMates[Int32(i)] {
                    let requests = "\(states[i].events) request\(states[i].events == 1 ? "" : "s")"
                    reasons.append(
                        mate.kind == .payment
                            ? "attached: pays with a card that \(mate.members) of the campaign's accounts use "
                                + "(\(mate.holders) holders); \(requests), too few to judge on its own: a reserve or "
                                + "replacement account"
                            : "attached: used one of the campaign's \(mate.kind.noun) (\(mate.holders) holders, "
                                + "\(mate.members) of them campaign members) inside its operating window; \(requests), "
                                + "too few to judge on its own")
                }
                if let a = c.addressMates[Int32(i)] {
                    reasons.append(
                        a.addresses >= 2
                            ? "attached: holds \(a.addresses) of the campaign's IP addresses and sign-up IPs, each held "
                                + "mostly by campaign members (up to \(a.holders) holders, \(a.members) of them campaign "
                                + "members), behaves like its members and keeps their pace"
                            : "attached: shares one of the campaign's \(a.kind.noun) (\(a.holders) holders, \(a.members) "
                                + "of them campaign members) and asks for harvest-like requests on "
                                + "\(fmt(100 * Self.harvestShare(states[i])))% of its \(states[i].events) requests")
                }
                if c.conductMates.contains(Int32(i)) {
                    reasons.append(
                        "attached: asks for a reasoning trace on \(fmt(100 * traceShare(states[i])))% of its "
                            + "\(states[i].events) requests, behaves like the campaign's members and was active almost "
                            + "only inside its operating window (joined by its conduct, not by a value it shares with them)"
                    )
                }
                if let t = c.tieMates[Int32(i)] {
                    reasons.append(
                        "attached: asks for a reasoning trace on \(fmt(100 * traceShare(states[i])))% of its "
                            + "\(states[i].events) requests, behaves like the campaign's members and holds \(t.ties) ties "
                            + "to them (weight \(fmt(t.weight))), \(fmt(t.weight / max(t.chance, 1e-9)))x what its ties to "
                            + "all accounts give by chance (\(fmt(t.chance)))")
                }
                if let a = c.attached[Int32(i)] {
                    reasons.append(
                        "attached: holds one of the campaign's \(a.kind.noun) (\(a.holders) holders, nearly all of them "
                            + "campaign members or accounts behaving like them) and behaves like its members")
                }
            } else {
                score = round4(p.score * 0.6)
            }
            reasons += p.reasons(config: cfg)
            for (kind, shared) in linkedBy[i].prefix(3) {
                reasons.append("shares \(kind.noun) with \(shared - 1) other account\(shared == 2 ? "" : "s")")
            }
            scores[ids[i]] = score
            if score >= cfg.scoring.reportThreshold {
                accounts.append(
                    .init(accountID: ids[i], score: score, campaign: ci >= 0 ? campaignIDs[ci] : nil, reasons: reasons))
            }
            explanations[ids[i]] = ["score \(fmt(score)) (behaviour \(fmt(p.score)))"] + reasons
        }
        MemoryProbe.log("assemble: accounts")
        latestScores = scores
        latestExplanations = explanations
        accounts.sort { $0.score != $1.score ? $0.score > $1.score : $0.accountID < $1.accountID }
        out.sort { $0.exchanges != $1.exchanges ? $0.exchanges > $1.exchanges : $0.id < $1.id }

        let (first, last) = logWindow ?? (0, 0)
        return Findings(
            generatedAt: Timestamp.format(Int64(Date().timeIntervalSince1970 * 1000), fractional: false),
            window: .init(from: Timestamp.format(first), to: Timestamp.format(last)),
            input: .init(
                events: input.events, badRecords: input.badRecords, duplicates: input.duplicates,
                accounts: input.accounts ?? n),
            campaigns: out, accounts: accounts)
    }

    /// What a campaign's explanation says when the log does not record some fields its behaviour signals need:
    /// which, and how much more the signals it records weigh (``LogCoverage/evidenceScale(_:)``); nil for a
    /// complete log. Strength: the share of a member's behaviour evidence that stands for the unrecorded signals.
    func unrecordedSignal(_ coverage: LogCoverage) -> Findings.Signal? {
        let scale = coverage.evidenceScale(config.behaviour)
        guard scale > 1 else { return nil }
        let missing = coverage.unrecordedSignals.map(\.name)
        let shown = BehaviourSignal.allCases.filter {
            coverage.records($0) && (config.behaviour.weights[$0.name] ?? 0) > 0
        }
        return Findings.Signal(
            name: "unrecorded_fields", strength: round4(1 - 1 / scale),
            detail: "the log records no " + coverage.unrecordedFields.joined(separator: ", ")
                + ", so \(missing.joined(separator: ", ")) cannot be measured; every account's behaviour score "
                + "weighs the \(shown.count) signals the log does show "
                + String(format: "%.2fx (at most %.2fx)", scale, config.behaviour.unrecordedScaleCap)
                + ", as if the missing ones were as strong as those")
    }

    /// An account whose traffic mixes many end users and conversations (a reseller) is counted request by
    /// request rather than wholesale. Conversations count where requests carry `turn`.
    static func isMixed(_ st: AccountState, _ p: BehaviourProfile) -> Bool {
        frontsManyEndUsers(st) || (st.turnKnown >= 20 && Double(st.singleTurn) < 0.6 * Double(st.turnKnown))
    }

    /// A service fronting 20 or more end users (a reseller, a product built on the API).
    static func frontsManyEndUsers(_ st: AccountState) -> Bool { st.endUsers.estimate >= 20 }

    /// Times of the first and the last request over all accounts; nil before any request.
    var logWindow: (first: Int64, last: Int64)? {
        var first = Int64.max
        var last = Int64.min
        for st in states where st.events > 0 {
            first = min(first, st.firstTs)
            last = max(last, st.lastTs)
        }
        return first == .max ? nil : (first, last)
    }
}

/// A hit rate as a whole percentage.
func pctText(_ x: (hits: Int, trials: Int)) -> String {
    x.trials > 0 ? "\(Int((Double(x.hits) / Double(x.trials) * 100).rounded()))%" : "-"
}
