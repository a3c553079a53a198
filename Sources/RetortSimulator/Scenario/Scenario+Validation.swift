import RetortCore

extension Scenario {
    /// Kinds of genuine population the simulator knows.
    public static let populationKinds = [
        "benign-casual", "benign-app", "benign-enterprise", "benign-campus", "benign-benchmark", "benign-power",
        "benign-team", "benign-cgnat",
    ]

    /// Problems that make the scenario unusable or that would be silently ignored (unknown names,
    /// out-of-range values), each naming the key. Empty when the scenario is valid.
    public func problems() -> [String] {
        var out: [String] = []
        func check(_ ok: Bool, _ message: @autoclosure () -> String) { if !ok { out.append(message()) } }
        func oneOf(_ value: String, _ allowed: [String], _ key: String) {
            check(allowed.contains(value), "\(key): '\(value)' is not one of \(allowed.joined(separator: ", "))")
        }
        check(Timestamp.parseRFC3339(start) != nil, "start: '\(start)' is not an RFC 3339 date-time")
        check(weeks >= 1 && weeks <= 260, "weeks: must be between 1 and 260")
        oneOf(output.promptText, ["raw", "sha256"], "output.prompt_text")
        check((0...9).contains(output.compressionLevel), "output.compression_level: must be 0-9")
        check(models.benignAdoption >= 0 && models.benignAdoption <= 1, "models.benign_adoption: must be in [0, 1]")
        for (i, p) in populations.enumerated() {
            let key = "populations[\(i)]"
            oneOf(p.kind, Scenario.populationKinds, key + ".kind")
            check(p.count >= 0, key + ".count: must not be negative")
            check(
                p.members.count == 2 && p.members[0] >= 1 && p.members[0] <= p.members[1],
                key + ".members: must be [low, high] with 1 <= low <= high")
            check(p.volume >= 0, key + ".volume: must not be negative")
            check(p.volumeSigma >= 0, key + ".volume_sigma: must not be negative")
            check(p.turns >= 1, key + ".turns: must be at least 1")
            check(p.ipv6Share >= 0 && p.ipv6Share <= 1, key + ".ipv6_share: must be in [0, 1]")
            check(p.cotShare >= 0 && p.cotShare <= 1, key + ".cot_share: must be in [0, 1]")
        }
        var ids = Set<String>()
        for (i, c) in campaigns.enumerated() {
            let key = "campaigns[\(i)]"
            check(!c.id.isEmpty, key + ".id: must not be empty")
            check(ids.insert(c.id).inserted, key + ".id: '\(c.id)' is used twice")
            oneOf(c.mechanism, ["pool", "hydra", "logit"], key + ".mechanism")
            oneOf(c.scheduling, ["round_robin", "random"], key + ".scheduling")
            oneOf(c.signup, ["burst", "trickle"], key + ".signup")
            oneOf(c.cards, ["batch", "unique", "none"], key + ".cards")
            oneOf(c.email, ["name_year", "random", "realistic"], key + ".email")
            oneOf(c.network, ["residential", "datacenter", "mixed"], key + ".network")
            oneOf(c.ipRotation, ["request", "session", "sticky"], key + ".ip_rotation")
            oneOf(c.client, ["fixed", "random"], key + ".client")
            check(c.accounts >= 1, key + ".accounts: must be at least 1")
            check(c.concurrent >= 0, key + ".concurrent: must not be negative")
            check(c.rate >= 0, key + ".rate: must not be negative")
            check(c.days >= 1 && c.startDay >= 0, key + ".start_day/days: start_day >= 0 and days >= 1")
            check(
                c.cardBatch.count == 2 && c.cardBatch[0] >= 1 && c.cardBatch[0] <= c.cardBatch[1],
                key + ".card_batch: must be [low, high] with 1 <= low <= high")
            check(c.proxyPool >= 1, key + ".proxy_pool: must be at least 1")
            for (name, w) in c.promptMix.sorted(by: { $0.key < $1.key }) {
                oneOf(name, Harvest.categories, key + ".prompt_mix key")
                check(w >= 0, key + ".prompt_mix.\(name): must not be negative")
            }
            for (name, v) in [
                ("cot_share", c.cotShare), ("multi_turn_share", c.multiTurnShare),
                ("thinking_share", c.thinkingShare), ("harvest_share", c.harvestShare),
            ] {
                check(v >= 0 && v <= 1, key + ".\(name): must be in [0, 1]")
            }
        }
        return out
    }
}
