import Foundation

extension AccountState {
    /// Folds one event into the state. `analysis` is the event's content analysis.
    @inline(__always)
    public mutating func update(_ e: Event, analysis a: PromptAnalysis, config: DetectionConfig) {
        var compact = CompactEvent(e)
        withUnsafePointer(to: &compact) { update($0, analysis: a, config: config) }
    }

    /// Folds one event into the state, from the fields (and string hashes) it keeps: the same state as
    /// ``update(_:analysis:config:)`` with the event that `e` was made or decoded from. Read through a pointer
    /// (a record of a few hundred bytes passed as a value was copied for every call).
    @inline(__always)
    mutating func update(_ e: UnsafePointer<CompactEvent>, analysis a: PromptAnalysis, config: DetectionConfig) {
        events += 1
        inputTokens += max(0, e.pointee.inputTokens ?? 0)
        outputTokens += max(0, e.pointee.outputTokens ?? 0)
        reasoningTokens += max(0, e.pointee.reasoningTokens ?? 0)
        firstTs = min(firstTs, e.pointee.ts)
        lastTs = max(lastTs, e.pointee.ts)

        let hourIndex = e.pointee.ts >= 0 ? e.pointee.ts / 3_600_000 : (e.pointee.ts - 3_599_999) / 3_600_000
        let day = hourIndex >= 0 ? hourIndex / 24 : (hourIndex - 23) / 24
        let hour = Int(hourIndex - day * 24)
        hourOfDay[hour] &+= 1
        markActive(day: day, hour: hour)
        if previousTs != .min {
            let gap = Double(abs(e.pointee.ts - previousTs)) / 1000
            logGaps.add(log1p(gap))
        }
        previousTs = e.pointee.ts

        if e.pointee.status == 429 { status429 += 1 }
        if let turn = e.pointee.turn {
            turnKnown += 1
            // A follow-up that carries none of its conversation's context counts as the turn 1 it is.
            let contextless = turn > 1 && continuesWithoutContext(e, config: config)
            if contextless { contextlessTurns += 1 }
            if turn <= 1 || contextless { singleTurn += 1 }
            maxTurn = max(maxTurn, contextless ? 1 : turn)
        }
        noteConversation(e, config: config)
        if let m = e.pointee.maxTokens {
            maxTokensValues.add(UInt64(bitPattern: Int64(m)) &+ 1)
            if m >= config.behaviour.maxTokensCeiling { maxTokensAtCeiling += 1 }
            if m <= 2 { tinyMaxTokens += 1 }
        } else {
            maxTokensValues.add(0)
        }
        if let t = e.pointee.temperature {
            temperatureValues.add(UInt64(bitPattern: Int64((t * 100).rounded())) &+ 1)
        } else {
            temperatureValues.add(0)
        }
        if let n = e.pointee.n, n > 1 { multipleCompletions += 1 }
        if e.pointee.thinking == true || (e.pointee.reasoningTokens ?? 0) > 0 { thinking += 1 }
        if let t = e.pointee.tools, t > 0 { tools += 1 }
        if let lb = e.pointee.logitBiasSize, lb > 0 { logitBias += 1 }
        if let tl = e.pointee.topLogprobs, tl > 0 {
            topLogprobs += 1
            if (e.pointee.maxTokens ?? Int.max) > 16 { longLogprobs += 1 }
        }

        if e.pointee.present.contains(.userAgent) { userAgents.insert(e.pointee.userAgent) }
        if e.pointee.present.contains(.tlsFingerprint) { tlsFingerprints.insert(e.pointee.tlsFingerprint) }
        if e.pointee.present.contains(.apiKeyID) { apiKeys.insert(e.pointee.apiKeyID) }
        if e.pointee.present.contains(.endUserID) { endUsers.add(hash: e.pointee.endUserID) }
        if let ip = e.pointee.ip {
            let k = Hash64.mix(ip.high ^ Hash64.mix(ip.low))
            ips.add(k)
            distinctIPs.add(hash: k)
            networks.add(ip.networkKey)
        }
        if let asn = e.pointee.asn { asns.add(UInt64(bitPattern: Int64(asn))) }
        let modelKey = e.pointee.present.contains(.model) ? e.pointee.model : 0
        models.add(modelKey)
        modelFirstUse.note(model: modelKey, at: e.pointee.ts)
        endpoints.add(e.pointee.present.contains(.endpoint) ? e.pointee.endpoint : 0)

        if a.exactHash != 0 {
            if recentPrompts.contains(a.exactHash) { repeatedPrompts += 1 }
            recentPrompts.add(a.exactHash)
        }
        if a.templateHash != 0 || a.exactHash != 0 {
            withText += 1
            let t = a.templateHash != 0 ? a.templateHash : a.exactHash
            templates.add(t)
            distinctTemplates.add(hash: t)
            if events & (events - 1) == 0 {  // a power of two
                coverageSnapshots.append(Float(distinctTemplates.estimate))
            }
        }
        if a.prefixHash != 0 { frames.add(a.prefixHash) }
        if a.suffixHash != 0 { frames.add(a.suffixHash) }
        if e.pointee.present.contains(.system) { systemPrompts.add(e.pointee.system) }
        if a.elicitsReasoning { reasoningElicited += 1 }
        // The capability bits set, lowest first (bit `c.rawValue` is ``PromptAnalysis/has(_:)``'s test).
        var bits = a.capabilities & UInt8(truncatingIfNeeded: (1 << capabilityCounts.count) - 1)
        while bits != 0 {
            capabilityCounts[bits.trailingZeroBitCount] &+= 1
            bits &= bits - 1
        }

        // One request on its own looks like harvesting when it asks for a reasoning trace or probes the API.
        let trace = Self.asksForTrace(e, a, config: config)
        if trace || Self.probesAPI(e) { harvestLike += 1 }
        if trace { traceHarvest += 1 }
    }

    /// Whether a follow-up turn's input tokens fall short of what an earlier turn of its conversation (seen
    /// among the account's last two conversations) would make them if the client resent the history. False
    /// when no earlier turn was seen (a retried or regenerated turn, a branch from an earlier message, or a
    /// conversation interleaved with others), or token counts are missing.
    @inline(__always)
    func continuesWithoutContext(_ e: UnsafePointer<CompactEvent>, config: DetectionConfig) -> Bool {
        guard config.behaviour.continuationContextShare > 0, e.pointee.present.contains(.conversation),
            let turn = e.pointee.turn, let input = e.pointee.inputTokens,
            input < config.behaviour.continuationTruncationTokens
        else { return false }
        let key = e.pointee.conversation | 1
        for slot in 0..<2 where conversations[slot].key == key {
            return turn > Int(conversations[slot].turn) && input < Int(conversations[slot].context)
        }
        return false
    }

    /// Remembers the input tokens the next turn of this request's conversation would reach.
    @inline(__always)
    mutating func noteConversation(_ e: UnsafePointer<CompactEvent>, config: DetectionConfig) {
        guard e.pointee.present.contains(.conversation), let input = e.pointee.inputTokens else { return }
        let key = e.pointee.conversation | 1  // never 0, the free slot
        let output = Double(max(0, e.pointee.outputTokens ?? 0))
        let next = Double(max(0, input)) + config.behaviour.continuationContextShare * output
        if conversations[0].key != key { conversations[1] = conversations[0] }
        conversations[0] = OpenConversation(
            key: key, context: UInt32(min(next, Double(UInt32.max))),
            turn: UInt32(clamping: max(0, e.pointee.turn ?? 0)))
    }

    /// A request that asks for a reasoning trace: it elicits one in its prompt, or asks for several completions
    /// or a maximal answer with thinking on.
    static func asksForTrace(_ e: UnsafePointer<CompactEvent>, _ a: PromptAnalysis, config: DetectionConfig) -> Bool {
        a.elicitsReasoning || (e.pointee.n ?? 1) > 1
            || (e.pointee.thinking == true && (e.pointee.maxTokens ?? 0) >= config.behaviour.maxTokensCeiling)
    }

    /// A request that probes the API surface: logit bias, top logprobs, a one-token answer.
    static func probesAPI(_ e: UnsafePointer<CompactEvent>) -> Bool {
        (e.pointee.logitBiasSize ?? 0) > 0 || (e.pointee.topLogprobs ?? 0) > 0
            || (e.pointee.maxTokens.map { $0 <= 2 } ?? false)
    }

    mutating func markActive(day: Int64, hour: Int) {
        let bit = UInt64(1) << UInt64(hour)
        let tag = UInt64(bitPattern: day) << 24
        if let last = activeDays.last, last >> 24 == tag >> 24 {
            activeDays[activeDays.count - 1] = last | bit
            return
        }
        if let last = activeDays.last, last >> 24 < tag >> 24 {
            activeDays.append(tag | bit)
            return
        }
        // Out of order: binary search.
        var lo = 0
        var hi = activeDays.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if activeDays[mid] >> 24 < tag >> 24 { lo = mid + 1 } else { hi = mid }
        }
        if lo < activeDays.count && activeDays[lo] >> 24 == tag >> 24 {
            activeDays[lo] |= bit
        } else {
            activeDays.insert(tag | bit, at: lo)
        }
    }

    /// Number of distinct active hours.
    public var activeHours: Int {
        activeDays.reduce(0) { $0 + ($1 & 0xff_ffff).nonzeroBitCount }
    }
}
