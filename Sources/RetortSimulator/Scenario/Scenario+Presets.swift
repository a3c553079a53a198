/// Built-in scenarios. Their parameters are drawn from ranges with the seed, so each seed gives a
/// different world and a different adversary; `--print-scenario` shows the values drawn.
extension Scenario {
    /// Names accepted by ``preset(_:seed:)``.
    public static let presetNames = [
        "small", "seed-scale", "replay", "stealth", "hydra", "logit", "mixed", "diurnal-mimic",
    ]

    /// The named preset for `seed`, or `nil` for an unknown name.
    public static func preset(_ name: String, seed: UInt64) -> Scenario? {
        var rng = SimRandom(seed: seed, stream: 0xC0FFEE)
        var s = Scenario()
        s.seed = seed
        s.models.newModelDay = rng.int(30...60)
        switch name {
        case "small":
            s.populations = background(&rng, scale: 1)
            s.campaigns = [
                pool(&rng, id: "C-1", style: "distill", accounts: rng.int(150...300), rate: 1.0, days: rng.int(6...12)),
                stealth(&rng, id: "C-2", accounts: rng.int(50...120), days: rng.int(8...14)),
                hydra(&rng, id: "C-3", accounts: 1),
                logit(&rng, id: "C-4", accounts: rng.int(2...4)),
            ]
        case "replay":
            s.populations = background(&rng, scale: 1)
            var c = pool(
                &rng, id: "C-1", style: "replay", accounts: rng.int(120...250), rate: rng.uniform(0.6, 1.2),
                days: rng.int(8...14))
            c.promptMix = ["replay": rng.uniform(0.5, 0.8), "coding": 0.2, "general": 0.1]
            c.multiTurnShare = rng.uniform(0.2, 0.5)
            c.cotShare = rng.uniform(0.1, 0.4)
            s.campaigns = [c]
        case "stealth":
            s.populations = background(&rng, scale: 1)
            s.campaigns = [stealth(&rng, id: "C-1", accounts: rng.int(150...300), days: rng.int(10...20))]
        case "diurnal-mimic":
            s.populations = background(&rng, scale: 1)
            var c = stealth(&rng, id: "C-1", accounts: rng.int(150...300), days: rng.int(10...20))
            c.style = "diurnal-mimic"
            c.diurnal = true
            c.timezone = rng.pick([-5, -8, 1, 5.5])
            c.scheduling = "random"
            s.campaigns = [c]
        case "hydra":
            s.populations = background(&rng, scale: 1)
            s.campaigns = [hydra(&rng, id: "C-1", accounts: rng.int(1...3))]
        case "logit":
            s.populations = background(&rng, scale: 1)
            s.campaigns = [logit(&rng, id: "C-1", accounts: rng.int(3...8))]
        case "mixed":
            s.populations = background(&rng, scale: 1)
            var a = pool(
                &rng, id: "C-1", style: "agentic", accounts: rng.int(80...160), rate: rng.uniform(0.5, 1.0),
                days: rng.int(6...10))
            a.promptMix = ["agentic": 0.6, "coding": 0.3, "replay": 0.1]
            a.network = "mixed"
            var m = pool(
                &rng, id: "C-2", style: "math", accounts: rng.int(60...120), rate: rng.uniform(0.8, 1.5),
                days: rng.int(5...9))
            m.promptMix = ["math": 0.6, "benchmark": 0.2, "reasoning": 0.2]
            m.email = "random"
            m.cards = "none"
            s.campaigns = [
                a, m, stealth(&rng, id: "C-3", accounts: rng.int(40...90), days: rng.int(6...12)),
                hydra(&rng, id: "C-4", accounts: 1),
            ]
        case "seed-scale":
            s.populations = background(&rng, scale: 1)
            s.populations = seedScaleBackground()
            var c1 = pool(&rng, id: "C-1", style: "distill", accounts: 12_000, rate: 1.0, days: 91)
            c1.concurrent = 6_900
            c1.proxyPool = 4_000
            var c2 = stealth(&rng, id: "C-2", accounts: 8_000, days: 91)
            c2.concurrent = 4_000
            c2.rate = 1.0
            c2.proxyPool = 20_000
            var c3 = pool(&rng, id: "C-3", style: "replay", accounts: 4_990, rate: 1.0, days: 91)
            c3.concurrent = 2_300
            c3.network = "mixed"
            c3.promptMix = ["replay": 0.6, "coding": 0.2, "math": 0.2]
            c3.multiTurnShare = 0.3
            c3.proxyPool = 6_000
            var h = hydra(&rng, id: "C-4", accounts: 8)
            h.days = 91
            h.startDay = 0
            var l = logit(&rng, id: "C-5", accounts: 2)
            l.days = 91
            s.campaigns = [c1, c2, c3, h, l]
        default:
            return nil
        }
        return s
    }

    /// The genuine populations of the evaluation presets (about 150k events over 13 weeks).
    static func background(_ rng: inout SimRandom, scale: Double) -> [PopulationSpec] {
        func n(_ range: ClosedRange<Int>) -> Int { max(1, Int(Double(rng.int(range)) * scale)) }
        var casual = PopulationSpec(kind: "benign-casual", count: n(2500...3500), volume: 3, volumeSigma: 1.0)
        casual.turns = 2.5
        var campus = PopulationSpec(kind: "benign-campus", count: 1, members: [60, 140], volume: 3)
        campus.turns = 2.2
        var enterprise = PopulationSpec(
            kind: "benign-enterprise", count: n(2...3), members: [12, 40], volume: 4,
            volumeSigma: 0.6)
        enterprise.turns = 1.8
        var team = PopulationSpec(kind: "benign-team", count: n(2...4), members: [3, 6], volume: 5, volumeSigma: 0.6)
        team.turns = 1.8
        var power = PopulationSpec(kind: "benign-power", count: n(2...4), volume: 1.0, volumeSigma: 0.4)
        power.turns = 3
        return [
            casual,
            PopulationSpec(kind: "benign-app", count: n(5...8), volume: 5, volumeSigma: 0.7),
            enterprise,
            campus,
            PopulationSpec(kind: "benign-benchmark", count: n(2...4), members: [1, 3], volume: 4, volumeSigma: 0.5),
            power,
            team,
            PopulationSpec(kind: "benign-cgnat", count: n(100...200), volume: 3, volumeSigma: 0.9),
        ]
    }

    /// The genuine populations of `seed-scale` (over 100M events).
    static func seedScaleBackground() -> [PopulationSpec] {
        var campus = PopulationSpec(kind: "benign-campus", count: 40, members: [200, 800], volume: 3)
        campus.turns = 2.2
        var enterprise = PopulationSpec(
            kind: "benign-enterprise", count: 120, members: [20, 400], volume: 4,
            volumeSigma: 0.6)
        enterprise.turns = 1.8
        return [
            PopulationSpec(kind: "benign-casual", count: 400_000, volume: 3, volumeSigma: 1.0),
            PopulationSpec(kind: "benign-app", count: 300, volume: 100, volumeSigma: 0.8),
            enterprise,
            campus,
            PopulationSpec(kind: "benign-benchmark", count: 60, members: [1, 4], volume: 6, volumeSigma: 0.5),
            PopulationSpec(kind: "benign-power", count: 300, volume: 1.0, volumeSigma: 0.4),
            PopulationSpec(kind: "benign-team", count: 300, members: [3, 8], volume: 5, volumeSigma: 0.6),
            PopulationSpec(kind: "benign-cgnat", count: 20_000, volume: 3, volumeSigma: 0.9),
        ]
    }

    static func pool(
        _ rng: inout SimRandom, id: String, style: String, accounts: Int, rate: Double, days: Int
    ) -> CampaignSpec {
        var c = CampaignSpec()
        c.id = id
        c.style = style
        c.accounts = accounts
        c.concurrent = Int(Double(accounts) * rng.uniform(0.6, 0.85))
        c.rate = rate
        c.rateJitter = rng.uniform(0.1, 0.35)
        c.startDay = rng.int(0...max(0, 88 - days))
        c.days = days
        c.timezone = rng.pick([8, 8, 3, -5, 5.5])
        c.signupBurstHours = rng.uniform(2, 12)
        c.cardBatch = [12, 14]
        c.email = rng.chance(0.6) ? "name_year" : "random"
        c.network = rng.chance(0.6) ? "datacenter" : "mixed"
        c.proxyPool = max(20, accounts)
        c.ipRotation = rng.pick(["request", "session", "sticky"])
        c.promptMix = [
            "coding": rng.uniform(0.5, 2), "math": rng.uniform(0.2, 1.5), "reasoning": rng.uniform(0.2, 1),
            "agentic": rng.uniform(0, 0.6), "general": rng.uniform(0.2, 1), "replay": rng.uniform(0.1, 0.6),
        ]
        c.cotShare = rng.uniform(0.3, 0.8)
        c.thinkingShare = rng.uniform(0.1, 0.5)
        c.maxTokens = rng.pick([4096, 8192, 16_000])
        c.temperature = rng.chance(0.5) ? rng.pick([0.0, 0.7, 1.0]) : -1
        c.modelSwitch = rng.chance(0.8)
        return c
    }

    static func stealth(_ rng: inout SimRandom, id: String, accounts: Int, days: Int) -> CampaignSpec {
        var c = pool(&rng, id: id, style: "stealth", accounts: accounts, rate: rng.uniform(0.4, 1.0), days: days)
        c.cards = "unique"
        c.email = "realistic"
        c.network = "residential"
        c.ipRotation = rng.chance(0.5) ? "sticky" : "session"
        c.proxyPool = accounts * 3
        c.client = "random"
        c.signup = "trickle"
        c.scheduling = "random"
        c.multiTurnShare = rng.uniform(0.2, 0.5)
        c.cotShare = rng.uniform(0.1, 0.35)
        c.promptMix["replay"] = rng.uniform(0.8, 2.0)
        c.diurnal = rng.chance(0.5)
        c.timezone = rng.pick([-5, -8, 0, 1])
        c.temperature = -1
        return c
    }

    static func hydra(_ rng: inout SimRandom, id: String, accounts: Int) -> CampaignSpec {
        var c = CampaignSpec()
        c.id = id
        c.style = "hydra"
        c.mechanism = "hydra"
        c.accounts = accounts
        c.rate = rng.uniform(4, 12)
        c.harvestShare = rng.uniform(0.2, 0.5)
        c.endUsers = rng.int(150...900)
        c.days = rng.int(30...60)
        c.startDay = rng.int(0...(91 - c.days))
        c.promptMix = ["coding": 1, "math": 0.7, "reasoning": 0.7, "general": 0.5]
        c.cotShare = rng.uniform(0.3, 0.7)
        c.thinkingShare = rng.uniform(0.1, 0.4)
        return c
    }

    static func logit(_ rng: inout SimRandom, id: String, accounts: Int) -> CampaignSpec {
        var c = CampaignSpec()
        c.id = id
        c.style = "logit"
        c.mechanism = "logit"
        c.accounts = accounts
        c.rate = rng.uniform(2, 6)
        c.days = rng.int(7...20)
        c.startDay = rng.int(0...(91 - c.days))
        c.targetPrompts = rng.int(5...40)
        c.network = rng.chance(0.5) ? "datacenter" : "residential"
        c.proxyPool = rng.int(5...60)
        c.cards = rng.chance(0.5) ? "unique" : "none"
        c.email = rng.chance(0.5) ? "random" : "name_year"
        c.client = rng.chance(0.5) ? "random" : "fixed"
        return c
    }
}
