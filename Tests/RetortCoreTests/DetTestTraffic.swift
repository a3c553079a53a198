import Foundation
import Testing

@testable import RetortCore

/// Small hand-made traffic for detector tests: a few accounts whose right answer is known.
struct DetTestTraffic {
    var rng: UInt64
    var events: [Event] = []
    var accounts: [Account] = []
    var requestCounter = 0
    static let t0: Int64 = 1_775_001_600_000  // 2026-04-01T00:00:00Z

    init(seed: UInt64 = 1) { rng = seed }

    mutating func next() -> UInt64 {
        rng = rng &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Hash64.mix(rng)
    }

    mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// A request of `account` at `ts`, with one API key per account and status 200: a log that records every
    /// field (``LogCoverage``), as the detector's thresholds assume.
    mutating func event(_ account: String, ts: Int64) -> Event {
        requestCounter += 1
        var e = Event(ts: ts, accountID: account, requestID: "r\(requestCounter)")
        e.apiKeyID = "key-" + account
        e.status = 200
        return e
    }

    static let questions = [
        "How many apples does Tom have if he buys 3 bags of 12 apples and eats 5?",
        "Write a Python function that returns the nth Fibonacci number using memoization.",
        "Which of the following best explains why the sky appears blue during the day?",
        "A train leaves at 3 pm travelling 60 km per hour; when does it reach a city 210 km away?",
        "Implement a binary search over a sorted array in JavaScript and explain its complexity.",
        "Prove that the sum of two even integers is always even.",
        "What is the derivative of x squared times the sine of x?",
        "Write a SQL query that finds the second highest salary in an employees table.",
        "Explain the difference between a process and a thread in an operating system.",
        "If a rectangle has a perimeter of 36 and a length twice its width, what is its area?",
    ]

    /// A harvesting account: ~1 request/hour around the clock, single-turn, fixed parameters, CoT wrapper.
    mutating func harvester(_ id: String, days: Int = 6, card: String? = nil, ip: String? = nil, created: Int64? = nil)
    {
        var a = Account(accountID: id)
        a.createdAt = created ?? (Self.t0 - 3_600_000)
        a.paymentFingerprint = card ?? "card-\(id)"
        a.emailLocal = "Anna.Berg\(next() % 9000 + 1000)"
        a.emailDomain = "mail.example"
        accounts.append(a)
        var ts = Self.t0 + Int64(next() % 3_600_000)
        let end = Self.t0 + Int64(days) * 86_400_000
        var k = Int(next() % 1000)
        while ts < end {
            var e = event(id, ts: ts)
            k += 1
            let q = Self.questions[k % Self.questions.count] + " (variant \(k))"
            e.prompt =
                "Solve the following problem. Think step by step and show your reasoning before the final answer.\n\n"
                + q
            e.maxTokens = 8192
            e.temperature = 0.7
            e.turn = 1
            e.model = "model-large"
            e.endpoint = "chat.completions"
            e.userAgent = "python-httpx/0.27"
            e.ip = IPAddress(ip ?? "203.0.\(next() % 200).\(next() % 250 + 1)")
            e.inputTokens = 120
            e.outputTokens = 900
            events.append(e)
            ts += Int64(-log(max(1e-9, uniform())) * 3_600_000)
        }
    }

    /// One evaluation run of `id` from `start`: each item in the harvesters' chain-of-thought wrapper, two seconds
    /// apart, single-turn, temperature 0, max_tokens 1024, from one IP.
    mutating func evaluationRun(_ id: String, items: [String], start: Int64) {
        var ts = start
        for item in items {
            var e = event(id, ts: ts)
            e.prompt =
                "Solve the following problem. Think step by step and show your reasoning before the final answer.\n\n"
                + item
            e.maxTokens = 1024
            e.temperature = 0
            e.turn = 1
            e.model = "model-large"
            e.ip = IPAddress("192.0.2.77")
            events.append(e)
            ts += 2_000
        }
    }

    /// A casual user: a few conversations in daytime hours of a few days, multi-turn.
    mutating func casual(_ id: String, days: Int = 6, ip: String? = nil) {
        var a = Account(accountID: id)
        a.createdAt = Self.t0 - 86_400_000 * Int64(30 + next() % 300)
        a.paymentFingerprint = "card-\(id)"
        a.emailLocal = "user\(next() % 100000)"
        a.emailDomain = "gmail.com"
        accounts.append(a)
        for d in 0..<days where next() % 3 != 0 {
            var ts = Self.t0 + Int64(d) * 86_400_000 + Int64(9 + next() % 10) * 3_600_000
            let turns = Int(next() % 4) + 1
            let conv = "c\(id)-\(d)"
            for t in 1...turns {
                var e = event(id, ts: ts)
                e.prompt = Self.questions[Int(next() % UInt64(Self.questions.count))] + " Also, thanks!"
                e.turn = t
                e.conversationID = conv
                e.model = "model-large"
                e.ip = IPAddress(ip ?? "198.51.100.\(next() % 250 + 1)")
                e.userAgent = "Mozilla/5.0"
                e.temperature = t % 2 == 0 ? 1.0 : 0.3
                e.maxTokens = [512, 1024, 2048][Int(next() % 3)]
                events.append(e)
                ts += Int64(60_000 + next() % 600_000)
            }
        }
    }

    /// Everyday topics of genuine chat requests.
    static let everydayWords = [
        "budget", "garden", "invoice", "recipe", "travel", "poem", "email", "schedule", "meeting", "summary",
        "translate", "letter", "story", "marketing", "resume", "workout", "lesson", "review", "plan", "guide",
        "birthday", "apartment", "contract", "podcast", "newsletter", "holiday", "interview", "speech", "menu",
        "product",
    ]

    /// Six to fifteen everyday words at random: the topic of a genuine chat request.
    mutating func everydayText() -> String {
        let n = 6 + Int(next() % 10)
        let words = Self.everydayWords
        return (0..<n).map { _ in words[Int(next() % UInt64(words.count))] }.joined(separator: " ")
    }

    /// The next turn of a chat: a new conversation one time in `newOneIn`, else the next turn of this one.
    mutating func nextTurn(_ turn: inout Int, _ conv: inout Int, newOneIn k: UInt64) {
        if next() % k == 0 {
            turn = 1
            conv += 1
        } else {
            turn += 1
        }
    }

    /// Twelve harvesters h0-h11 on two cards of six (an operation's card batches), plus the accounts `extra`
    /// adds, sorted by time.
    static func operation(seed: UInt64, _ extra: (inout DetTestTraffic) -> Void = { _ in }) -> DetTestTraffic {
        var t = DetTestTraffic(seed: seed)
        for i in 0..<12 { t.harvester("h\(i)", days: 6, card: i < 6 ? "op-card-1" : "op-card-2") }
        extra(&t)
        t.sortByTime()
        return t
    }

    /// An investigation holding these accounts, then these events, added in order (not yet run).
    func investigation(config: DetectionConfig = DetectionConfig()) -> Investigation {
        let inv = Investigation(config: config)
        for a in accounts { inv.add(a) }
        for e in events { inv.add(e) }
        return inv
    }

    /// This traffic run through an investigation, with one campaign candidate of `members` built the way the
    /// detector builds one (scored on its own, score 0.9) and the campaign index of every account (-1: none), for
    /// tests of the attachment steps that follow clustering.
    func oneCampaign(
        of members: [String], config: DetectionConfig = .default
    ) throws -> (inv: Investigation, campaigns: [CampaignCandidate], campaignOf: [Int32]) {
        let inv = investigation(config: config)
        _ = inv.run(input: InputSummary(events: events.count))
        let m = try members.map { try #require(inv.index[$0]) }
        let evidence = inv.scoreClusters([m], edges: [], linking: [], profiles: inv.latestProfiles).evidence[0]
        var campaignOf = [Int32](repeating: -1, count: inv.ids.count)
        for i in m { campaignOf[Int(i)] = 0 }
        return (inv, [CampaignCandidate(members: m, score: 0.9, evidence: evidence, component: 0)], campaignOf)
    }

    /// Sorts events by time (as a log file would be).
    mutating func sortByTime() {
        events.sort { $0.ts != $1.ts ? $0.ts < $1.ts : $0.requestID < $1.requestID }
    }
}
