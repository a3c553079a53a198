import Foundation
import Testing

@testable import RetortCore

/// A campaign spread thin over unique cards, IPs and clients, each account chatting in daytime like a heavy
/// individual user but asking for reasoning traces on a quarter of its requests through the operators' shared
/// wrappers: reported as one campaign (a harvest cohort). Not when the share is ordinary, and not when the same
/// trace-heavy accounts share nothing (individual users who like step-by-step answers).
@Suite struct DetCohortTests {
    static let agents = [
        "Mozilla/5.0 (Windows NT 10.0)", "Mozilla/5.0 (Macintosh)", "python-requests/2.31", "node-fetch/3.3",
        "Mozilla/5.0 (X11; Linux x86_64)", "okhttp/4.12",
    ]

    /// Thirty days (`days` from `startDay`) of one account: ~0.7 requests an hour from 08:00 to 22:00 UTC, fewer at night, multi-turn
    /// chats about everyday topics; `traceShare` of its requests wrap a question in a chain-of-thought wrapper:
    /// the operators' (`ownWrapper` nil) or the account's own phrasing.
    /// `harvestingClient`: max_tokens at the ceiling on every request, as a harvesting client asks (whole
    /// answers); otherwise a person's usual 2048. `restsAtNight`: nothing from 22:00 to 08:00.
    static func account(
        _ t: inout DetTestTraffic, _ id: String, traceShare: Double, ownWrapper: String? = nil,
        harvestingClient: Bool = false, restsAtNight: Bool = false, office: String? = nil, startDay: Int = 0,
        days: Int = 30
    ) {
        signUp(&t, id, minAgeDays: 20, ageSpread: 200) { "mail\($0.next() % 3).example" }
        let wrappers = [
            "Think step by step and show your full reasoning before you answer:"
        ]
        var agent = agents[Int(t.next() % UInt64(agents.count))]
        var ip = IPAddress("198.18.\(t.next() % 250).\(t.next() % 250 + 1)")
        if let office {
            // A team's office: one network, one client.
            agent = agents[0]
            ip = IPAddress("\(office).\(t.next() % 250 + 1)")
        }
        let start = DetTestTraffic.t0 + Int64(startDay) * 86_400_000
        var ts = start + Int64(t.next() % 86_400_000)
        let end = start + Int64(days) * 86_400_000
        var turn = 1
        var conv = 0
        var k = Int(t.next() % 1000)
        while ts < end {
            var e = t.event(id, ts: ts)
            k += 1
            e.model = "model-large"
            e.userAgent = agent
            e.ip = ip
            e.maxTokens = 2048
            e.temperature = [0.2, 0.7, 1.0][Int(t.next() % 3)]
            if harvestingClient { e.maxTokens = DetectionConfig.default.behaviour.maxTokensCeiling }
            let text = t.everydayText()
            let openers = [
                "Could you help me with my", "I need some fresh ideas for my", "What is a good way to plan my",
                "Give me practical tips on my", "Can you review and improve my",
            ]
            let chat = openers[Int(t.next() % UInt64(openers.count))] + " \(text)?"
            if t.uniform() < traceShare {
                // The operators' wrappers carry items of their shared question list; a person wraps their own chat.
                e.prompt =
                    ownWrapper.map { $0 + " " + chat }
                    ?? (wrappers[Int(t.next() % UInt64(wrappers.count))] + "\n\n"
                        + DetTestTraffic.questions[k % DetTestTraffic.questions.count] + " (case \(k))")
                turn = 1
                conv += 1
            } else {
                e.prompt = chat
                t.nextTurn(&turn, &conv, newOneIn: 2)
            }
            e.turn = turn
            e.conversationID = "\(id)-c\(conv)"
            t.events.append(e)
            let hour = (ts / 3_600_000) % 24
            let perHour = hour >= 8 && hour < 22 ? 0.7 : 0.1
            ts += Int64(-log(max(1e-9, t.uniform())) * 3_600_000 / perHour)
            if restsAtNight, case let h = (ts / 3_600_000) % 24, h < 8 || h >= 22 {
                // Sleep until 08:00 and a little.
                ts += ((8 - h + 24) % 24) * 3_600_000 - ts % 3_600_000 + Int64(t.next() % 3_600_000)
            }
        }
    }

    /// One person's own way of asking for reasoning: its first words differ from everyone else's.
    static func ownWrapper(_ i: Int) -> String {
        let w = DetTestTraffic.everydayWords
        return "\(w[i % w.count]) and \(w[(i * 7 + 1) % w.count]) again: step by step please."
    }

    /// Account ids in no meaningful order (link groups are chained in id order, as with real random ids).
    static func id(_ name: String, _ i: Int) -> String {
        String(Hash64.mix(UInt64(i) &* 7919 &+ UInt64(name.utf8.count)) % 1_000_000_007, radix: 36) + "-\(name)\(i)"
    }

    /// Findings for 14 cohort accounts (`traceShare`, operators' wrappers or each its own), 30 heavy ordinary
    /// users (1% step-by-step requests in their own words) and 40 casual users.
    /// `tier`: every account's plan (none by default); `config`: the detection config.
    static func investigate(
        traceShare: Double, ownWrappers: Bool = false, tier: String? = nil, config: DetectionConfig = .default,
        familyCardOf cohortMember: Int? = nil
    ) -> (Findings, Investigation) {
        var t = DetTestTraffic(seed: 23)
        for i in 0..<14 {
            account(
                &t, Self.id("cohort", i), traceShare: traceShare,
                ownWrapper: ownWrappers ? Self.ownWrapper(i) : nil)
        }
        for i in 0..<30 {
            account(&t, Self.id("heavy", i), traceShare: 0.01, ownWrapper: Self.ownWrapper(20 + i))
        }
        for i in 0..<40 { t.casual(Self.id("user", i), days: 30) }
        for i in t.accounts.indices { t.accounts[i].tier = tier }
        if let k = cohortMember {
            // One cohort account pays with a card two heavy ordinary users also use.
            let family: Set<String> = [Self.id("cohort", k), Self.id("heavy", 0), Self.id("heavy", 1)]
            for i in t.accounts.indices where family.contains(t.accounts[i].accountID) {
                t.accounts[i].paymentFingerprint = "family-card"
            }
        }
        t.sortByTime()
        let inv = t.investigation(config: config)
        return (inv.run(input: InputSummary(events: t.events.count)), inv)
    }

    @Test func thinCampaignIsOneCohort() throws {
        let (f, inv) = Self.investigate(traceShare: 0.25)
        // Each member on its own looks like a heavy individual: no infrastructure ties, behaviour below the
        // suspicious bar.
        for i in 0..<14 {
            let idx = Int(inv.index[Self.id("cohort", i)]!)
            #expect(inv.latestProfiles[idx].score < DetectionConfig.default.clustering.suspiciousBehaviour)
        }
        let c = try #require(f.campaigns.first { $0.signals.contains { $0.name == "harvest_cohort" } })
        #expect(c.accounts.allSatisfy { $0.contains("-cohort") })
        #expect(c.accounts.count >= 12)
        let signal = try #require(c.signals.first { $0.name == "harvest_cohort" })
        #expect(signal.detail.contains("reasoning trace"))
        #expect(f.campaigns.allSatisfy { $0.accounts.allSatisfy { $0.contains("-cohort") } })
    }

    /// Evaluation runners are no cohort candidates: with a pace bar every account here clears (each sends at
    /// least one request per active hour) and paid accounts 20 days old or more, the same 14 accounts are
    /// evaluation runners, and no cohort forms; with the evaluation rules off it does. (The cohort has more
    /// than `evaluation_max_members`, so no discount is involved.)
    @Test func evaluationRunnersAreNoCohortCandidates() {
        var runners = DetectionConfig.default
        runners.scoring.evaluationPace = 0.5
        runners.scoring.evaluationMinAgeDays = 10
        func cohort(_ f: Findings) -> Bool {
            f.campaigns.contains { $0.signals.contains { $0.name == "harvest_cohort" } }
        }
        #expect(!cohort(Self.investigate(traceShare: 0.25, tier: "tier-2", config: runners).0))
        var off = runners
        off.scoring.evaluationDiscount = 0
        #expect(cohort(Self.investigate(traceShare: 0.25, tier: "tier-2", config: off).0))
        // A free tier is no evaluation runner.
        #expect(cohort(Self.investigate(traceShare: 0.25, tier: "free", config: runners).0))
    }

    /// A cohort account whose card two ordinary heavy users also use is one of their family or team: no cohort
    /// candidate (`team_card_min_others`); with the rule off it stays in the cohort.
    @Test func teamMembersAreNoCohortCandidates() throws {
        let (f, _) = Self.investigate(traceShare: 0.25)
        let c = try #require(f.campaigns.first { $0.signals.contains { $0.name == "harvest_cohort" } })
        let k = try #require((0..<14).first { c.accounts.contains(Self.id("cohort", $0)) })
        func cohortMembers(_ f: Findings) -> Set<String> {
            Set(f.campaigns.filter { $0.signals.contains { $0.name == "harvest_cohort" } }.flatMap(\.accounts))
        }
        var off = DetectionConfig.default
        off.clustering.teamCardMinOthers = 0
        let without = cohortMembers(Self.investigate(traceShare: 0.25, config: off, familyCardOf: k).0)
        #expect(without.contains(Self.id("cohort", k)))
        let with = cohortMembers(Self.investigate(traceShare: 0.25, familyCardOf: k).0)
        #expect(!with.isEmpty)
        #expect(!with.contains(Self.id("cohort", k)))
        #expect(!with.contains(Self.id("heavy", 0)) && !with.contains(Self.id("heavy", 1)))
    }

    @Test func ordinaryShareIsNotACohort() {
        let (f, _) = Self.investigate(traceShare: 0.03)
        #expect(f.campaigns.isEmpty)
    }

    @Test func traceHeavyUsersSharingNothingAreNotACohort() {
        let (f, inv) = Self.investigate(traceShare: 0.25, ownWrappers: true)
        #expect(f.campaigns.isEmpty)
        // They do ask for traces far more often than the others: the share alone would have flagged them.
        let st = inv.states[Int(inv.index[Self.id("cohort", 0)]!)]
        #expect(Double(st.traceHarvest) >= 0.15 * Double(st.events))
    }

    /// A population where genuine heavy users ask for step-by-step answers a lot themselves: 30 heavy users
    /// wrapping 15% of their chats in their own step-by-step phrasing (the median share of heavy accounts is
    /// then ~14%, and 3x it is above the 28% below), and 14 accounts asking for a trace on 28% of their
    /// requests through the operators' shared wrappers and question list, either from a harvesting client
    /// (`harvestingClient`: max_tokens at the ceiling, requests at night too, own IPs and clients) or as a team
    /// of people in one office (genuine step-by-step users who use the same popular phrasing and questions,
    /// with a person's max_tokens, a night's rest, one network and one client).
    static func investigateTraceHeavyPopulation(
        harvestingClient: Bool, lookAlikes: Int = 0, config: DetectionConfig = .default
    ) -> (Findings, Investigation) {
        var t = DetTestTraffic(seed: 29)
        for i in 0..<14 {
            account(
                &t, Self.id("cohort", i), traceShare: 0.28, harvestingClient: harvestingClient,
                restsAtNight: !harvestingClient, office: harvestingClient ? nil : "192.0.2")
        }
        for i in 0..<30 {
            account(&t, Self.id("heavy", i), traceShare: 0.15, ownWrapper: Self.ownWrapper(20 + i))
        }
        for i in 0..<40 { t.casual(Self.id("user", i), days: 30) }
        for i in 0..<lookAlikes {
            account(&t, Self.id("alike", i), traceShare: 0.1, harvestingClient: true)
        }
        t.sortByTime()
        let inv = t.investigation(config: config)
        return (inv.run(input: InputSummary(events: t.events.count)), inv)
    }

    @Test func harvestersAmongTraceHeavyUsersAreACohortByTheLowBand() throws {
        let (f, inv) = Self.investigateTraceHeavyPopulation(harvestingClient: true)
        let cfg = DetectionConfig.default.clustering
        // The median is high: the members' share is below the usual bar, within the low band.
        let b = inv.cohortBaseline(outside: [Bool](repeating: false, count: inv.ids.count))
        var inBand = 0
        for i in 0..<14 {
            let idx = Int(inv.index[Self.id("cohort", i)]!)
            let share = inv.traceShare(inv.states[idx])
            #expect(share < cfg.harvestCohortMedianFactor * b.medianShare)
            if share >= cfg.harvestCohortLowFactor * b.medianShare { inBand += 1 }
            #expect(inv.latestProfiles[idx].score >= cfg.harvestCohortLowBehaviour)
        }
        #expect(inBand >= 12)
        let c = try #require(f.campaigns.first { $0.signals.contains { $0.name == "harvest_cohort" } })
        #expect(c.accounts.count >= 12)
        let signal = try #require(c.signals.first { $0.name == "harvest_cohort" })
        #expect(signal.detail.contains("of them below"))
        // No genuine heavy or casual user is reported, in the cohort or anywhere else.
        #expect(f.campaigns.allSatisfy { $0.accounts.allSatisfy { $0.contains("-cohort") } })
        // Without the low band the cohort is missed (the bar is 3x the median).
        var off = DetectionConfig.default
        off.clustering.harvestCohortLowFactor = off.clustering.harvestCohortMedianFactor
        let (g, _) = Self.investigateTraceHeavyPopulation(harvestingClient: true, config: off)
        #expect(!g.campaigns.contains { $0.signals.contains { $0.name == "harvest_cohort" } })
    }

    @Test func genuineTraceHeavyTeamSharingPhrasingIsNotACohort() {
        let (f, inv) = Self.investigateTraceHeavyPopulation(harvestingClient: false)
        #expect(f.campaigns.isEmpty)
        // They ask for traces as often as the harvesters above, but behave as people: below the low band's bar.
        let cfg = DetectionConfig.default.clustering
        let b = inv.cohortBaseline(outside: [Bool](repeating: false, count: inv.ids.count))
        for i in 0..<14 {
            let idx = Int(inv.index[Self.id("cohort", i)]!)
            #expect(inv.traceShare(inv.states[idx]) < cfg.harvestCohortMedianFactor * b.medianShare)
            #expect(inv.latestProfiles[idx].score < cfg.harvestCohortLowBehaviour)
        }
        // They are tied like a cohort all the same (office, client, phrasing): without the behaviour bar the low
        // band would report them.
        var loose = DetectionConfig.default
        loose.clustering.harvestCohortLowBehaviour = 0
        let (g, _) = Self.investigateTraceHeavyPopulation(harvestingClient: false, config: loose)
        #expect(g.campaigns.contains { $0.signals.contains { $0.name == "harvest_cohort" } })
    }

    /// Attachment by a signature: an account behaving like campaign members that shares a value almost only the
    /// campaign uses joins an ordinary campaign; it joins a harvest cohort by a client, schedule or sign-up value
    /// only when it is a trace harvester itself, but by the cohort's prompt frame (its harvesting wrapper) as
    /// before.
    @Test func harvestCohortAttachesOnlyTraceHarvesters() throws {
        // Four look-alikes from the same kind of client asking for a trace on a tenth of their requests, below
        // the low band; attach_behaviour lowered so that each behaves enough like the members to count.
        var cfg = DetectionConfig.default
        cfg.clustering.attachBehaviour = 0.1
        let (_, inv) = Self.investigateTraceHeavyPopulation(harvestingClient: true, lookAlikes: 4, config: cfg)
        let cohort = (0..<14).map { inv.index[Self.id("cohort", $0)]! }
        let alikes = (0..<4).map { inv.index[Self.id("alike", $0)]! }
        let profiles = inv.latestProfiles
        let b = inv.cohortBaseline(outside: [Bool](repeating: false, count: inv.ids.count))
        for m in alikes {
            #expect(profiles[Int(m)].score >= cfg.clustering.attachBehaviour)
            #expect(CampaignEvidence.harvest(profiles[Int(m)]) >= cfg.clustering.attachHarvest)
            #expect(!inv.isTraceHarvester(Int(m), profile: profiles[Int(m)], baseline: b))
        }
        // The campaign holds 13 of the cohort; the 14th and the look-alikes share a value with it (18 holders).
        let left = cohort[13]
        #expect(inv.isTraceHarvester(Int(left), profile: profiles[Int(left)], baseline: b))
        let members = Array(cohort.prefix(13))
        let evidence = inv.scoreClusters([members], edges: [], linking: [], profiles: profiles).evidence[0]
        func attached(harvestCohort: Bool, by kind: LinkKindID) -> Set<Int32> {
            var campaigns = [
                CampaignCandidate(
                    members: members, score: 0.8, evidence: evidence, component: 0, harvestCohort: harvestCohort)
            ]
            let group = LinkGroup(kind: kind, key: 1, members: cohort + alikes, sharedBy: 18)
            inv.attach(to: &campaigns, groups: [group], profiles: profiles, cohortBaseline: b)
            return Set(campaigns[0].attached.keys)
        }
        #expect(attached(harvestCohort: false, by: .behaviourFingerprint) == Set(alikes + [left]))
        #expect(attached(harvestCohort: true, by: .behaviourFingerprint) == [left])
        #expect(attached(harvestCohort: true, by: .frame) == Set(alikes + [left]))
    }

    /// Accounts paying with one card are one customer: ties among them do not hold them in a cohort. Fourteen
    /// trace harvesters on hand-made edges: nine in a ring (two ties each), five sharing a card in a clique
    /// with one tie to the ring; the other accounts in a ring of their own (ordinary weak ties).
    @Test func oneCustomersAccountsDoNotHoldEachOtherInACohort() {
        var cfg = DetectionConfig.default
        cfg.clustering.harvestCohortMinMembers = 5
        let (_, inv) = Self.investigateTraceHeavyPopulation(harvestingClient: true, config: cfg)
        let cohort = (0..<14).map { inv.index[Self.id("cohort", $0)]! }
        let ring = Array(cohort.prefix(9))
        let team = Array(cohort.suffix(5))
        var edges: [(a: Int32, b: Int32, w: Double)] = []
        for k in ring.indices { edges.append((ring[k], ring[(k + 1) % ring.count], 0.6)) }
        for x in team.indices { for y in (x + 1)..<team.count { edges.append((team[x], team[y], 4.5)) } }
        edges.append((team[0], ring[0], 0.6))
        let others = (0..<Int32(inv.ids.count)).filter { !cohort.contains($0) }
        for k in others.indices { edges.append((others[k], others[(k + 1) % others.count], 0.6)) }
        let rank = (0..<Int32(inv.ids.count)).map { $0 }
        let outside = [Bool](repeating: false, count: inv.ids.count)
        let profiles = inv.latestProfiles
        let card = LinkGroup(kind: .payment, key: 7, members: team, sharedBy: team.count)
        // Without the card the team's clique holds it: one cohort of all fourteen.
        let unaware = inv.harvestCohorts(outside: outside, edges: edges, profiles: profiles, rank: rank).cohorts
        #expect(unaware.map { Set($0.members) } == [Set(cohort)])
        // With it, the team's members have one tie (or none) to other customers and leave; the ring stays.
        let aware = inv.harvestCohorts(
            outside: outside, edges: edges, profiles: profiles, rank: rank, payGroups: [card]
        ).cohorts
        #expect(aware.map { Set($0.members) } == [Set(ring)])
    }

    /// The account record of `id`: created `minAgeDays` to `minAgeDays + ageSpread - 1` days before
    /// `DetTestTraffic.t0`, its own card, an e-mail local part of its id and a number, the domain `domain` draws.
    static func signUp(
        _ t: inout DetTestTraffic, _ id: String, minAgeDays: Int64, ageSpread: UInt64,
        domain: (inout DetTestTraffic) -> String
    ) {
        var a = Account(accountID: id)
        a.createdAt = DetTestTraffic.t0 - (minAgeDays + Int64(t.next() % ageSpread)) * 86_400_000
        a.paymentFingerprint = "card-\(id)"
        a.emailLocal = "\(id).\(t.next() % 1000)"
        a.emailDomain = domain(&t)
        t.accounts.append(a)
    }

    /// A light account on a campus network: 18-24 requests over a week of daytime chats with a person's varied
    /// parameters. With `traceEvery` n > 0, every n-th request asks for a step-by-step answer with the popular
    /// wrapper and questions the operators above use; with n < 0, all but every -n-th does (n must not be 0).
    static func lightAccount(_ t: inout DetTestTraffic, _ id: String, traceEvery: Int) {
        signUp(&t, id, minAgeDays: 30, ageSpread: 300) { _ in "campus.example" }
        let count = 18 + Int(t.next() % 7)
        var turn = 1
        var conv = 0
        for k in 0..<count {
            let day = Int64(k * 7 / count)
            var e = t.event(id, ts: DetTestTraffic.t0 + day * 86_400_000 + Int64(10 + t.next() % 9) * 3_600_000)
            e.model = "model-large"
            e.userAgent = agents[0]
            e.ip = IPAddress("203.0.113.\(t.next() % 4 + 1)")
            e.maxTokens = [512, 1024, 2048][Int(t.next() % 3)]
            e.temperature = [0.2, 0.7, 1.0][Int(t.next() % 3)]
            let trace = traceEvery > 0 ? k % traceEvery == 0 : k % -traceEvery != 0
            if trace {
                e.prompt =
                    "Think step by step and show your full reasoning before you answer:\n\n"
                    + DetTestTraffic.questions[Int(t.next() % UInt64(DetTestTraffic.questions.count))]
                turn = 1
                conv += 1
            } else {
                e.prompt = "Could you help me with my \(t.everydayText())?"
                t.nextTurn(&turn, &conv, newOneIn: 2)
            }
            e.turn = turn
            e.conversationID = "\(id)-c\(conv)"
            t.events.append(e)
        }
    }

    /// Light accounts (fewer than `harvest_cohort_light_requests` requests) in the high band: the share of a
    /// few requests is too uncertain to compare as it is with the median of heavy accounts. Beside heavy users
    /// asking for step-by-step answers on 12% of their requests (the bar is then 3 x ~12%), four campus students
    /// ask on half of 18-24 requests: above the bar, but the lower end of the share's 95% interval is below it
    /// and their behaviour is a person's, so none is a trace harvester (with the rule off, 0, each is). Two
    /// light accounts asking on three quarters of theirs are trace harvesters all the same: the interval clears
    /// the bar. No student is reported.
    @Test func lightAccountsInTheHighBandNeedASureShare() {
        func run(_ config: DetectionConfig) -> (Findings, Investigation) {
            var t = DetTestTraffic(seed: 31)
            for i in 0..<30 {
                Self.account(&t, Self.id("heavy", i), traceShare: 0.12, ownWrapper: Self.ownWrapper(20 + i))
            }
            for i in 0..<40 { t.casual(Self.id("user", i), days: 30) }
            for i in 0..<4 { Self.lightAccount(&t, Self.id("student", i), traceEvery: 2) }
            for i in 0..<2 { Self.lightAccount(&t, Self.id("light", i), traceEvery: -4) }
            t.sortByTime()
            let inv = t.investigation(config: config)
            return (inv.run(input: InputSummary(events: t.events.count)), inv)
        }
        let cfg = DetectionConfig.default.clustering
        let (f, inv) = run(.default)
        var off = DetectionConfig.default
        off.clustering.harvestCohortLightRequests = 0
        let (_, loose) = run(off)
        let b = inv.cohortBaseline(outside: [Bool](repeating: false, count: inv.ids.count))
        let bar = cfg.harvestCohortMedianFactor * b.medianShare
        #expect(b.medianShare > 0.08 && b.medianShare < 0.16)
        for name in ["student", "light"] {
            for i in 0..<(name == "student" ? 4 : 2) {
                let idx = Int(inv.index[Self.id(name, i)]!)
                let st = inv.states[idx]
                #expect(st.events < cfg.harvestCohortLightRequests)
                #expect(inv.traceShare(st) >= bar)
                #expect(inv.latestProfiles[idx].score < cfg.harvestCohortLowBehaviour)
                let sure = wilsonShare(successes: st.traceHarvest, trials: st.events).0 >= bar
                #expect(sure == (name == "light"))
                #expect(inv.isTraceHarvester(idx, profile: inv.latestProfiles[idx], baseline: b) == sure)
                #expect(loose.isTraceHarvester(idx, profile: loose.latestProfiles[idx], baseline: b))
            }
        }
        #expect(f.campaigns.allSatisfy { $0.accounts.allSatisfy { !$0.contains("-student") } })
    }

    @Test func chanceTiesFollowTheConfigurationModel() {
        // Ten ties in all; accounts 0 and 1 hold 4 and 6 of the 20 ends: (4 + 6)^2 / (4 * 10) = 2.5 expected.
        let ties: [Int32] = [4, 6, 10]
        #expect(abs(Investigation.chanceTies([0, 1], ties: ties, allTies: 10) - 2.5) < 1e-12)
        #expect(Investigation.chanceTies([0], ties: ties, allTies: 0) == 0)
    }
}
