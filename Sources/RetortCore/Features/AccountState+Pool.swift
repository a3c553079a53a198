extension AccountState {
    /// The requests of several accounts counted as if one account had sent them all: volume, times, active
    /// hours, conversation and parameter counters, content counts and the heavy hitters of max_tokens,
    /// temperature, system prompts and frames (merged by adding each account's counted keys). What only makes
    /// sense per account is left empty: clients, keys, IPs, end users, gaps between requests and the template
    /// sketches (a group always has many clients and addresses, and its requests interleave).
    ///
    /// For judging a group of accounts that are each too thin to judge on their own
    /// (``BehaviourProfile/init(pooling:freshShare:config:)``).
    static func pooled(_ members: [AccountState]) -> AccountState {
        var p = AccountState()
        var days: [Int64: UInt64] = [:]
        for s in members where s.events > 0 {
            p.events += s.events
            p.inputTokens += s.inputTokens
            p.outputTokens += s.outputTokens
            p.reasoningTokens += s.reasoningTokens
            p.firstTs = min(p.firstTs, s.firstTs)
            p.lastTs = max(p.lastTs, s.lastTs)
            for h in 0..<24 { p.hourOfDay[h] &+= s.hourOfDay[h] }
            for w in s.activeDays { days[Int64(bitPattern: w) >> 24, default: 0] |= w & 0xff_ffff }
            p.status429 += s.status429
            p.singleTurn += s.singleTurn
            p.turnKnown += s.turnKnown
            p.contextlessTurns += s.contextlessTurns
            p.maxTurn = max(p.maxTurn, s.maxTurn)
            for i in 0..<s.maxTokensValues.count {
                p.maxTokensValues.add(s.maxTokensValues.key(at: i), weight: s.maxTokensValues.count(at: i))
            }
            for i in 0..<s.temperatureValues.count {
                p.temperatureValues.add(s.temperatureValues.key(at: i), weight: s.temperatureValues.count(at: i))
            }
            for i in 0..<s.systemPrompts.count {
                p.systemPrompts.add(s.systemPrompts.key(at: i), weight: s.systemPrompts.count(at: i))
            }
            for i in 0..<s.frames.count { p.frames.add(s.frames.key(at: i), weight: s.frames.count(at: i)) }
            p.maxTokensAtCeiling += s.maxTokensAtCeiling
            p.multipleCompletions += s.multipleCompletions
            p.thinking += s.thinking
            p.tools += s.tools
            p.logitBias += s.logitBias
            p.topLogprobs += s.topLogprobs
            p.longLogprobs += s.longLogprobs
            p.tinyMaxTokens += s.tinyMaxTokens
            p.repeatedPrompts += s.repeatedPrompts
            p.withText += s.withText
            p.reasoningElicited += s.reasoningElicited
            for c in 0..<6 { p.capabilityCounts[c] &+= s.capabilityCounts[c] }
            p.harvestLike += s.harvestLike
            p.traceHarvest += s.traceHarvest
        }
        p.activeDays = days.keys.sorted().map { (UInt64(bitPattern: $0) << 24) | days[$0]! }
        return p
    }
}
