import Foundation
import Testing

@testable import RetortCore

/// One test per behaviour signal, each on a hand-made account whose answer is known.
@Suite struct DetBehaviourTests {
    let config = DetectionConfig.default
    let t0 = DetTestTraffic.t0

    func state(_ events: [Event]) -> AccountState {
        var st = AccountState()
        let an = ContentAnalyzer()
        for e in events {
            st.update(
                e,
                analysis: an.analyze(prompt: e.prompt, system: e.system, promptSHA256: e.promptSHA256, tools: e.tools),
                config: config)
        }
        return st
    }

    func profile(_ events: [Event], account: Account? = nil) -> BehaviourProfile {
        BehaviourProfile(state: state(events), meta: account.map(AccountMeta.init), config: config)
    }

    func hourly(count: Int, step: Int64 = 3_600_000, _ edit: (inout Event, Int) -> Void = { _, _ in }) -> [Event] {
        (0..<count).map { i in
            var e = Event(ts: t0 + Int64(i) * step + Int64((i * 7919) % 900_000), accountID: "a", requestID: "r\(i)")
            edit(&e, i)
            return e
        }
    }

    func daytime(days: Int, perDay: Int) -> [Event] {
        var out: [Event] = []
        for d in 0..<days {
            for k in 0..<perDay {
                let ts = t0 + Int64(d) * 86_400_000 + Int64(9 * 3_600_000 + k * 1_200_000 + (d * 37 % 5) * 60_000)
                out.append(Event(ts: ts, accountID: "a", requestID: "r\(d)-\(k)"))
            }
        }
        return out
    }

    @Test func noDiurnalRestAndDutyCycle() {
        let bot = profile(hourly(count: 24 * 5))
        let human = profile(daytime(days: 5, perDay: 20))
        #expect(bot.value(.noDiurnalRest) > 0.9)
        #expect(human.value(.noDiurnalRest) < 0.1)
        #expect(bot.value(.dutyCycle) > 0.9)
        #expect(human.value(.dutyCycle) < 0.5)
    }

    @Test func regularTiming() {
        let metronome = profile(hourly(count: 100))
        var bursty: [Event] = []
        // Sessions of five quick requests, three sessions a day, hours apart.
        for d in 0..<6 {
            for s in 0..<3 {
                for k in 0..<5 {
                    let ts =
                        t0 + Int64(d) * 86_400_000 + Int64(s) * 10_800_000 + Int64(k) * 40_000 + Int64(d * s * 7_000)
                    bursty.append(Event(ts: ts, accountID: "a", requestID: "\(d)-\(s)-\(k)"))
                }
            }
        }
        #expect(metronome.value(.regularTiming) > 0.9)
        #expect(profile(bursty).value(.regularTiming) < 0.3)
    }

    @Test func singleTurnAndDepth() {
        let single = profile(hourly(count: 50) { e, _ in e.turn = 1 })
        let deep = profile(hourly(count: 50) { e, i in e.turn = i % 8 + 1 })
        #expect(single.value(.singleTurn) == 1)
        #expect(deep.value(.singleTurn) == 0)
    }

    @Test func requestsWithoutTurnAreNotSingleTurn() {
        // A log without conversation fields says nothing about conversation depth: unknown, not single-turn.
        let unknown = profile(hourly(count: 50))
        #expect(unknown.value(.singleTurn) == 0)
        // Where half the requests carry turn 1, half the evidence.
        let half = profile(hourly(count: 50) { e, i in e.turn = i % 2 == 0 ? 1 : nil })
        #expect(half.value(.singleTurn) == 0)
        let mostly = profile(hourly(count: 50) { e, i in e.turn = i % 10 == 0 ? nil : 1 })
        #expect(mostly.value(.singleTurn) > 0.8 && mostly.value(.singleTurn) < 1)
    }

    /// Conversations of four turns, one every hour; `input(c, t, history)` gives turn `t`'s input tokens of
    /// conversation `c`, where `history` is what resending the history would make them.
    func conversations(_ count: Int, input: (Int, Int, Int) -> Int) -> [Event] {
        var out: [Event] = []
        for c in 0..<count {
            var history = 40
            for t in 1...4 {
                var e = Event(ts: t0 + Int64(out.count) * 3_600_000, accountID: "a", requestID: "r\(c)-\(t)")
                e.conversationID = "conv-\(c)"
                e.turn = t
                e.inputTokens = input(c, t, history + 60)
                e.outputTokens = 500
                history = e.inputTokens! + e.outputTokens!
                out.append(e)
            }
        }
        return out
    }

    @Test func followUpsWithoutTheirContextAreSingleTurn() {
        // A client resending the history: every follow-up's input holds the earlier turns.
        let real = profile(conversations(20) { _, _, history in history })
        #expect(real.contextlessTurns == 0)
        #expect(real.value(.singleTurn) == 0)
        // The same conversation ids and turn numbers over prompts sent alone (input ~ one prompt): the follow-ups
        // carry nothing of the turns before, and count as opening requests.
        let madeUp = profile(conversations(20) { c, t, _ in 90 + (c * 7 + t * 13) % 60 })
        #expect(madeUp.contextlessTurns == 60)
        #expect(madeUp.singleTurnShare == 1)
        #expect(madeUp.value(.singleTurn) == 1)
        #expect(madeUp.describe(.singleTurn).contains("60 of them numbered as follow-up turns"))
        // A client trimming a long history to a window keeps thousands of tokens: a continuation.
        let trimmed = profile(conversations(20) { _, t, history in t == 1 ? history : 6000 })
        #expect(trimmed.contextlessTurns == 0)
        // A retried or regenerated turn (same number again) and interleaved conversations are not judged.
        var retried = conversations(10) { _, _, history in history }
        for i in stride(from: 3, to: retried.count, by: 4) {
            var again = retried[i]
            again.requestID += "-again"
            again.ts += 1000
            again.inputTokens = retried[i].inputTokens
            retried.append(again)
        }
        retried.sort { $0.ts < $1.ts }
        #expect(profile(retried).contextlessTurns == 0)
        // The test off: made-up follow-ups count as follow-ups again.
        var off = config
        off.behaviour.continuationContextShare = 0
        var st = AccountState()
        for e in conversations(20, input: { c, t, _ in 90 + (c * 7 + t * 13) % 60 }) {
            st.update(e, analysis: PromptAnalysis(), config: off)
        }
        #expect(st.contextlessTurns == 0)
        #expect(st.singleTurn == 20)
    }

    @Test func parameterFixityAndCeiling() {
        let fixed = profile(
            hourly(count: 50) { e, _ in
                e.maxTokens = 8192
                e.temperature = 0.7
            })
        let varied = profile(
            hourly(count: 50) { e, i in
                e.maxTokens = [256, 512, 1024, 300][i % 4]
                e.temperature = Double(i % 5) / 4
            })
        #expect(fixed.value(.parameterFixity) == 1)
        #expect(varied.value(.parameterFixity) == 0)
        #expect(fixed.value(.maxTokensCeiling) == 1)
        #expect(varied.value(.maxTokensCeiling) == 0)
    }

    @Test func multipleCompletionsAndThinking() {
        let p = profile(
            hourly(count: 20) { e, _ in
                e.n = 4
                e.thinking = true
            })
        #expect(p.value(.multipleCompletions) == 1)
        #expect(p.value(.thinking) == 1)
        #expect(profile(hourly(count: 20)).value(.multipleCompletions) == 0)
    }

    @Test func capabilityCountsCountEachCapabilityOfEachRequest() {
        // Analyses with every combination of the six capability bits (and the two unused high bits set, which
        // name no capability): each capability counts the requests whose analysis has it, nothing else.
        var st = AccountState()
        var expected = [UInt32](repeating: 0, count: Capability.allCases.count)
        for (i, e) in hourly(count: 256).enumerated() {
            var a = PromptAnalysis()
            a.capabilities = UInt8(i)
            for c in Capability.allCases where a.has(c) { expected[c.rawValue] += 1 }
            st.update(e, analysis: a, config: config)
        }
        for c in Capability.allCases {
            #expect(st.capabilityCounts[c.rawValue] == expected[c.rawValue], "\(c)")
            #expect(expected[c.rawValue] == 128)
        }
    }

    @Test func clientChurnKeyAndIPRotation() {
        let churn = profile(
            hourly(count: 60) { e, i in
                e.userAgent = "sdk/\(i % 12)"
                e.tlsFingerprint = "ja3-\(i % 10)"
                e.apiKeyID = "k\(i % 20)"
                e.ip = IPAddress(v4: UInt32(0x0A00_0000 + i * 977))
            })
        let stable = profile(
            hourly(count: 60) { e, _ in
                e.userAgent = "sdk/1"
                e.tlsFingerprint = "ja3"
                e.apiKeyID = "k"
                e.ip = IPAddress("192.0.2.1")
            })
        #expect(churn.value(.clientChurn) == 1)
        #expect(churn.value(.keyRotation) == 1)
        #expect(churn.value(.ipRotation) > 0.8)
        #expect(stable.value(.clientChurn) == 0 && stable.value(.keyRotation) == 0 && stable.value(.ipRotation) == 0)
    }

    @Test func freshAccountAndTrustPriors() {
        var a = Account(accountID: "a")
        a.createdAt = t0 - 3_600_000
        let fresh = profile(hourly(count: 10), account: a)
        #expect(fresh.value(.freshAccount) == 1)
        var old = Account(accountID: "a")
        old.createdAt = t0 - 400 * 86_400_000
        old.tier = "tier-3"
        old.verified = true
        let trusted = profile(hourly(count: 10), account: old)
        #expect(trusted.value(.freshAccount) == 0)
        #expect(trusted.verified && trusted.established)
        #expect(trusted.score < trusted.rawScore * 0.3)
    }

    /// An old paying account is established when it is in use as the log opens; one first used weeks into the
    /// log (idle until then, signed up long before) is not, and keeps its whole score.
    @Test func establishedNeedsUseWhenTheLogOpens() {
        var old = Account(accountID: "a")
        old.createdAt = t0 - 400 * 86_400_000
        old.tier = "tier-2"
        let st = state(hourly(count: 30))
        let meta = AccountMeta(old)
        let inUse = BehaviourProfile(state: st, meta: meta, config: config, logStart: t0 - 2 * 86_400_000)
        #expect(inUse.established && inUse.score < inUse.rawScore)
        let woken = BehaviourProfile(state: st, meta: meta, config: config, logStart: t0 - 20 * 86_400_000)
        #expect(!woken.established && woken.score == woken.rawScore)
        // Without the log's start, or with the test off, age and tier alone decide.
        #expect(BehaviourProfile(state: st, meta: meta, config: config).established)
        var off = config
        off.scoring.establishedActiveWithinDays = 0
        #expect(BehaviourProfile(state: st, meta: meta, config: off, logStart: t0 - 20 * 86_400_000).established)
    }

    @Test func rateLimitRiding() {
        let p = profile(hourly(count: 40) { e, i in e.status = i % 5 == 0 ? 429 : 200 })
        #expect(p.value(.rateLimit) == 1)
        #expect(profile(hourly(count: 40) { e, _ in e.status = 200 }).value(.rateLimit) == 0)
    }

    @Test func reasoningElicitation() {
        let p = profile(
            hourly(count: 20) { e, i in e.prompt = "Think step by step and show your reasoning: what is \(i)+\(i)?" })
        #expect(p.value(.reasoningElicitation) == 1)
        let q = profile(hourly(count: 20) { e, i in e.prompt = "What is \(i)+\(i)?" })
        #expect(q.value(.reasoningElicitation) == 0)
    }

    @Test func apiSurfaceExtraction() {
        let p = profile(
            hourly(count: 40) { e, i in
                e.prompt = "The capital of France is"
                e.maxTokens = 1
                e.logitBiasSize = 50
                e.topLogprobs = 20
            })
        #expect(p.value(.apiExtraction) > 0.9)
        #expect(profile(hourly(count: 40) { e, _ in e.maxTokens = 500 }).value(.apiExtraction) == 0)
        // Logprobs over whole answers (soft labels) extract without repeats or logit_bias.
        let soft = profile(
            hourly(count: 40) { e, i in
                e.prompt = "Write a short story about a lighthouse keeper, number \(i)."
                e.maxTokens = 1024
                e.topLogprobs = 5
            })
        #expect(soft.value(.apiExtraction) > 0.9)
    }

    /// A multiple-choice evaluation: each distinct item once, a one-token answer with its logprobs. Not
    /// extraction; the same one-token probes on a few prompts sent again and again are.
    @Test func evaluationHarnessIsNotExtraction() {
        let questions = DetTestTraffic.questions
        let harness = profile(
            hourly(count: 40) { e, i in
                e.prompt = questions[i % questions.count] + " Item \(i). Answer with A, B, C or D."
                e.maxTokens = 1
                e.topLogprobs = 5
            })
        #expect(harness.value(.apiExtraction) == 0)
        let probe = profile(
            hourly(count: 40) { e, i in
                e.prompt = ["The capital of France is", "The best programming language is"][i % 2]
                e.maxTokens = 1
                e.topLogprobs = 5
            })
        #expect(probe.value(.apiExtraction) > 0.9)
    }

    @Test func datasetSweepVersusProduct() {
        let words = ["alpha", "beta", "gamma", "delta", "omega", "sigma", "kappa", "theta", "zeta", "lambda"]
        let sweep = profile(
            hourly(count: 256) { e, i in
                e.prompt = "explain \(words[i % 10]) \(words[(i / 10) % 10]) \(words[(i / 100) % 10]) in detail"
                e.turn = 1
            })
        let product = profile(
            hourly(count: 256) { e, i in
                e.prompt = "classify ticket \(i) from customer Bob: printer broken"
                e.turn = 1
            })
        #expect(sweep.value(.datasetSweep) > 0.6)
        #expect(product.value(.datasetSweep) < 0.1)
    }
}
