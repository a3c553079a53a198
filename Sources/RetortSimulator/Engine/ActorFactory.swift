import RetortCore

/// Builds the actors of a scenario: accounts (with their sign-up records and truth lines) and the
/// traffic generators that use them.
enum ActorFactory {
    static func build(ctx: SimContext) -> [any TrafficActor] {
        var actors: [any TrafficActor] = []
        let sc = ctx.scenario
        for (pi, pop) in sc.populations.enumerated() {
            var rng = SimRandom(seed: sc.seed, stream: 1000 + UInt64(pi))
            switch pop.kind {
            case "benign-app": apps(pop, &rng, ctx, &actors)
            case "benign-enterprise", "benign-team": organisations(pop, &rng, ctx, &actors)
            case "benign-campus": campuses(pop, &rng, ctx, &actors)
            case "benign-benchmark": benchmarks(pop, &rng, ctx, &actors)
            default: people(pop, &rng, ctx, &actors)
            }
        }
        for (ci, c) in sc.campaigns.enumerated() {
            var rng = SimRandom(seed: sc.seed, stream: 5000 + UInt64(ci))
            switch c.mechanism {
            case "hydra":
                for i in 0..<max(1, c.accounts) {
                    actors.append(HydraReseller(spec: c, index: i, rng: SimRandom(seed: rng.next()), ctx: ctx))
                }
            case "logit":
                let pool = ctx.corpus.prompts(.general) + ctx.corpus.prompts(.reasoning)
                let targets = (0..<max(1, c.targetPrompts)).map { _ in rng.pick(pool) }
                let proxies = PoolCampaign.proxyPool(c, geo: ctx.geo, rng: &rng)
                for _ in 0..<max(1, c.accounts) {
                    actors.append(
                        LogitProber(
                            spec: c, targets: targets, proxies: proxies, rng: SimRandom(seed: rng.next()), ctx: ctx))
                }
            default:
                actors.append(PoolCampaign(spec: c, rng: SimRandom(seed: rng.next()), ctx: ctx))
            }
        }
        return actors
    }

    /// Sign-up time of a genuine account: accounts of all ages, some created during the window.
    static func signup(_ rng: inout SimRandom, ctx: SimContext) -> (created: Int64, activeFrom: Int64) {
        let span = ctx.endMs - ctx.startMs
        if rng.chance(0.2) {
            let at = ctx.startMs + Int64(rng.uniform() * Double(span) * 0.9)
            return (at, at + Int64(rng.uniform(0.05, 6) * 3_600_000))
        }
        let ageDays = rng.chance(0.5) ? rng.uniform(1, 180) : rng.uniform(180, 1100)
        return (ctx.startMs - Int64(ageDays * 86_400_000), ctx.startMs)
    }

    static func personalAccount(
        _ ctx: SimContext, _ rng: inout SimRandom, created: Int64, country: String, signupIP: IPAddress,
        domain: String? = nil, paid: Double = 0.55
    ) -> Account {
        var a = Account(accountID: ctx.newAccountID())
        a.createdAt = created
        a.emailDomain = domain ?? rng.pick(Identity.freeMail)
        a.emailLocal = Identity.realisticLocal(&rng)
        if rng.chance(paid) {
            a.paymentFingerprint = Identity.card(&rng)
            a.cardBIN = rng.pick(Identity.cardBINs)
            a.tier = rng.pick(["tier-1", "tier-1", "tier-2", "tier-3"])
        } else {
            a.tier = "free"
        }
        a.signupIP = signupIP
        a.country = country
        return a
    }

    /// Casual users, power users and users behind mobile carriers' CGNAT.
    static func people(
        _ pop: PopulationSpec, _ rng: inout SimRandom, _ ctx: SimContext, _ actors: inout [any TrafficActor]
    ) {
        let hours = Double(ctx.endMs - ctx.startMs) / 3_600_000
        var cgnatPools: [String: ([IPAddress], Geo.Network)] = [:]
        for _ in 0..<max(0, pop.count) {
            var r = SimRandom(seed: rng.next())
            let country = ctx.geo.country(&r, allowed: pop.countries)
            let (created, from) = signup(&r, ctx: ctx)
            var until = ctx.endMs
            if r.chance(0.15) { until = from + Int64(r.uniform(0.05, 1) * Double(ctx.endMs - from)) }
            let activeHours = max(1, Double(until - from) / 3_600_000)
            let network: ChatUser.Network
            var profile = Profile.diurnal
            var turns = pop.turns
            var perHour: Double
            let volume = r.lognormal(median: pop.volume, sigma: pop.volumeSigma)
            switch pop.kind {
            case "benign-power":
                profile = .flat
                perHour = volume / max(1.2, turns)
                network = .home(ctx.geo.residentialNetwork(country.code, &r), ipv6: r.chance(pop.ipv6Share))
                turns = max(turns, 3)
            case "benign-cgnat":
                // Subscribers of one carrier share a small pool of public addresses.
                var entry: ([IPAddress], Geo.Network)
                if let existing = cgnatPools[country.code] {
                    entry = existing
                } else {
                    let net = ctx.geo.mobileNetwork(country.code, &rng)
                    let base = net.subnet24(&rng)
                    entry = ((0..<8).map { _ in IPAddress(v4: base | UInt32(rng.int(2...254))) }, net)
                    cgnatPools[country.code] = entry
                }
                network = .cgnat(pool: entry.0, network: entry.1)
                perHour = volume / hours * (hours / activeHours)
            default:
                network = .home(ctx.geo.residentialNetwork(country.code, &r), ipv6: r.chance(pop.ipv6Share))
                perHour = volume / hours * (hours / activeHours)
            }
            let signupIP: IPAddress
            switch network {
            case .home(let n, _): signupIP = n.address(&r)
            case .cgnat(let pool, _): signupIP = pool[0]
            case .shared(let nat, _, _, _): signupIP = nat[0]
            }
            let a = personalAccount(
                ctx, &r, created: created, country: country.code, signupIP: signupIP,
                paid: pop.kind == "benign-power" ? 1 : 0.55)
            ctx.register(a, kind: pop.kind, campaign: nil)
            let clients =
                pop.kind == "benign-power"
                ? [r.pick(Client.sdks), r.pick(Client.browsers)]
                : (r.chance(0.25) ? [r.pick(Client.browsers), r.pick(Client.browsers)] : [r.pick(Client.browsers)])
            let setup = ChatUser.Setup(
                account: a, kind: pop.kind, eventOrgID: nil, profile: profile,
                offsetMinutes: country.utcOffsetMinutes, conversationsPerHour: perHour, activeFrom: from,
                activeUntil: until, turnsMean: turns, network: network, clients: clients, topics: .personal,
                system: r.chance(0.1) ? "You are a helpful assistant." : nil, cotShare: pop.cotShare)
            actors.append(ChatUser(setup: setup, rng: SimRandom(seed: r.next()), ctx: ctx))
        }
    }

    /// Enterprises (verified org, one card, one NAT, business hours) and small teams sharing a card.
    static func organisations(
        _ pop: PopulationSpec, _ rng: inout SimRandom, _ ctx: SimContext, _ actors: inout [any TrafficActor]
    ) {
        let enterprise = pop.kind == "benign-enterprise"
        for _ in 0..<max(0, pop.count) {
            var r = SimRandom(seed: rng.next())
            let country = ctx.geo.country(&r, allowed: pop.countries)
            let lo = max(1, pop.members.first ?? 1)
            let n = r.int(lo...max(lo, pop.members.last ?? lo))
            let org = "org_" + r.token(12)
            let domain =
                r.pick([
                    "acme", "globex", "initech", "umbrella", "hooli", "vandelay", "stark", "wayne",
                    "cyberdyne", "soylent", "tyrell", "wonka",
                ]) + "-" + r.token(3) + (enterprise ? ".com" : ".io")
            let card = Identity.card(&r)
            let bin = r.pick(Identity.cardBINs)
            let office = ctx.geo.residentialNetwork(country.code, &r)
            let natBase = office.subnet24(&r)
            let nat = (0..<(enterprise ? r.int(1...2) : 1)).map { _ in IPAddress(v4: natBase | UInt32(r.int(2...254))) }
            let created = ctx.startMs - Int64(r.uniform(30, 700) * 86_400_000)
            let tool = r.pick(Client.sdks)
            for _ in 0..<n {
                var a = Account(accountID: ctx.newAccountID())
                a.createdAt = created + Int64(r.uniform(0, 25) * 86_400_000)
                a.emailDomain = domain
                a.emailLocal = Identity.realisticLocal(&r)
                a.paymentFingerprint = card
                a.cardBIN = bin
                a.signupIP = nat[0]
                a.country = country.code
                if enterprise {
                    a.orgID = org
                    a.verified = true
                    a.tier = "enterprise"
                } else {
                    a.tier = "tier-2"
                }
                ctx.register(a, kind: pop.kind, campaign: nil)
                let perDay = r.lognormal(median: pop.volume, sigma: pop.volumeSigma)
                let turns = max(1.2, pop.turns)
                let home = ctx.geo.residentialNetwork(country.code, &r)
                let setup = ChatUser.Setup(
                    account: a, kind: pop.kind, eventOrgID: enterprise ? org : nil, profile: .business,
                    offsetMinutes: country.utcOffsetMinutes, conversationsPerHour: perDay / 24 / turns,
                    activeFrom: max(ctx.startMs, a.createdAt ?? ctx.startMs), activeUntil: ctx.endMs, turnsMean: turns,
                    network: enterprise
                        ? .shared(nat: nat, natNetwork: office, share: 0.92, home: home)
                        : .home(home, ipv6: r.chance(pop.ipv6Share)),
                    clients: enterprise && r.chance(0.6) ? [tool] : [r.pick(Client.browsers), tool],
                    topics: .work,
                    system: enterprise && r.chance(0.3) ? "You are \(domain)'s internal assistant." : nil,
                    cotShare: pop.cotShare)
                actors.append(ChatUser(setup: setup, rng: SimRandom(seed: r.next()), ctx: ctx))
            }
        }
    }

    /// Campuses: many unrelated students and staff behind one university NAT.
    static func campuses(
        _ pop: PopulationSpec, _ rng: inout SimRandom, _ ctx: SimContext, _ actors: inout [any TrafficActor]
    ) {
        let hours = Double(ctx.endMs - ctx.startMs) / 3_600_000
        for _ in 0..<max(0, pop.count) {
            var r = SimRandom(seed: rng.next())
            let country = ctx.geo.country(&r, allowed: pop.countries)
            let lo = max(1, pop.members.first ?? 1)
            let n = r.int(lo...max(lo, pop.members.last ?? lo))
            let uniNet = ctx.geo.universityNetwork(country.code)
            let base = uniNet.subnet24(&r)
            let nat = (0..<r.int(1...3)).map { _ in IPAddress(v4: base | UInt32(r.int(2...254))) }
            let domain = r.pick(["uni", "state", "tech", "college", "poly"]) + r.token(3) + ".edu"
            for _ in 0..<n {
                let (created, from) = signup(&r, ctx: ctx)
                let home = ctx.geo.residentialNetwork(country.code, &r)
                let a = personalAccount(
                    ctx, &r, created: created, country: country.code, signupIP: nat[0],
                    domain: domain, paid: 0.35)
                ctx.register(a, kind: pop.kind, campaign: nil)
                let volume = r.lognormal(median: pop.volume, sigma: pop.volumeSigma)
                let activeHours = max(1, Double(ctx.endMs - from) / 3_600_000)
                let setup = ChatUser.Setup(
                    account: a, kind: pop.kind, eventOrgID: nil, profile: .diurnal,
                    offsetMinutes: country.utcOffsetMinutes, conversationsPerHour: volume / hours * hours / activeHours,
                    activeFrom: from, activeUntil: ctx.endMs, turnsMean: pop.turns,
                    network: .shared(nat: nat, natNetwork: uniNet, share: 0.8, home: home),
                    clients: [r.pick(Client.browsers)], topics: r.chance(0.5) ? .work : .personal, system: nil,
                    cotShare: pop.cotShare)
                actors.append(ChatUser(setup: setup, rng: SimRandom(seed: r.next()), ctx: ctx))
            }
        }
    }

    /// Developers' production apps.
    static func apps(
        _ pop: PopulationSpec, _ rng: inout SimRandom, _ ctx: SimContext, _ actors: inout [any TrafficActor]
    ) {
        for _ in 0..<max(0, pop.count) {
            var r = SimRandom(seed: rng.next())
            let country = ctx.geo.country(&r, allowed: pop.countries)
            let (created, from) = signup(&r, ctx: ctx)
            var a = Account(accountID: ctx.newAccountID())
            a.createdAt = created
            a.emailDomain = r.chance(0.6) ? r.token(6) + ".io" : r.pick(Identity.freeMail)
            a.emailLocal = Identity.realisticLocal(&r)
            a.paymentFingerprint = Identity.card(&r)
            a.cardBIN = r.pick(Identity.cardBINs)
            a.signupIP = ctx.geo.residentialNetwork(country.code, &r).address(&r)
            a.country = country.code
            let org: String? = r.chance(0.5) ? "org_" + r.token(12) : nil
            a.orgID = org
            a.verified = org != nil && r.chance(0.5) ? true : nil
            a.tier = r.pick(["tier-3", "tier-4", "tier-5"])
            ctx.register(a, kind: pop.kind, campaign: nil)
            let perHour = r.lognormal(median: pop.volume, sigma: pop.volumeSigma)
            actors.append(
                AppService(
                    account: a, orgID: org, perHour: perHour, offsetMinutes: country.utcOffsetMinutes, activeFrom: from,
                    activeUntil: ctx.endMs, rng: SimRandom(seed: r.next()), ctx: ctx))
        }
    }

    /// Customers running benchmark suites, sometimes from several accounts of one org.
    static func benchmarks(
        _ pop: PopulationSpec, _ rng: inout SimRandom, _ ctx: SimContext, _ actors: inout [any TrafficActor]
    ) {
        for _ in 0..<max(0, pop.count) {
            var r = SimRandom(seed: rng.next())
            let country = ctx.geo.country(&r, allowed: pop.countries)
            let lo = max(1, pop.members.first ?? 1)
            let n = r.int(lo...max(lo, pop.members.last ?? lo))
            let org: String? = n > 1 || r.chance(0.5) ? "org_" + r.token(12) : nil
            let domain = r.pick(["evals", "ml", "research", "ai"]) + r.token(4) + ".ai"
            let shared = r.chance(0.6) ? Identity.card(&r) : nil
            var accounts: [Account] = []
            for _ in 0..<n {
                var a = Account(accountID: ctx.newAccountID())
                a.createdAt = ctx.startMs - Int64(r.uniform(5, 500) * 86_400_000)
                a.emailDomain = domain
                a.emailLocal = Identity.realisticLocal(&r)
                a.paymentFingerprint = shared ?? Identity.card(&r)
                a.cardBIN = r.pick(Identity.cardBINs)
                a.signupIP = ctx.geo.residentialNetwork(country.code, &r).address(&r)
                a.country = country.code
                a.orgID = org
                a.verified = org != nil ? r.chance(0.6) : nil
                a.tier = "tier-4"
                ctx.register(a, kind: pop.kind, campaign: nil)
                accounts.append(a)
            }
            let runs = r.lognormal(median: pop.volume, sigma: pop.volumeSigma)
            actors.append(
                BenchmarkRunner(
                    accounts: accounts, orgID: org, runs: runs, offsetMinutes: country.utcOffsetMinutes,
                    cotShare: pop.cotShare, rng: SimRandom(seed: r.next()), ctx: ctx))
        }
    }
}
