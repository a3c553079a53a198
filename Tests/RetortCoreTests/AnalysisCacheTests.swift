import Dispatch
import Testing

@testable import RetortCore

@Suite struct AnalysisCacheTests {
    /// Prompts with repeats, shared templates, system prompts, hashes and tools, in a fixed order.
    static func requests(_ n: Int) -> [(prompt: String?, system: String?, sha: String?, tools: Int?)] {
        let systems: [String?] = [nil, "", "You are a careful math tutor.", "Translate into French."]
        var out: [(String?, String?, String?, Int?)] = []
        var x: UInt64 = 12345
        for i in 0..<n {
            x = Hash64.mix(x)
            let topic = Int(x % 97)
            let prompt: String? =
                i % 23 == 0
                ? nil
                : "Think step by step: explain item \(topic) of the list, then write a function that sorts it."
            let sha: String? = i % 5 == 0 ? String(format64: x) : nil
            out.append((prompt, systems[Int(x >> 20) % systems.count], sha, i % 7 == 0 ? 2 : nil))
        }
        return out
    }

    @Test func sameResultsAsTheAnalyser() {
        let analyzer = ContentAnalyzer()
        // A small cache, so that prompts evict each other.
        let cache = AnalysisCache(analyzer: analyzer, capacity: 64)
        for r in Self.requests(3000) {
            let want = analyzer.analyze(prompt: r.prompt, system: r.system, promptSHA256: r.sha, tools: r.tools)
            let got = cache.analyze(prompt: r.prompt, system: r.system, promptSHA256: r.sha, tools: r.tools)
            #expect(got == want)
        }
        let (hits, misses) = cache.counts
        #expect(hits > 0 && misses > 0)
    }

    /// Events of `requests(_:)`, for the batch form.
    static func events(_ n: Int) -> [Event] {
        requests(n).enumerated().map { i, r in
            var e = Event(ts: Int64(i), accountID: "a\(i % 11)", requestID: "r\(i)")
            e.prompt = r.prompt
            e.system = r.system
            e.promptSHA256 = r.sha
            e.tools = r.tools
            return e
        }
    }

    @Test func batchesGiveTheAnalysersResultsInOrder() {
        let analyzer = ContentAnalyzer()
        let events = Self.events(3000)
        for capacity in [0, 64, 1 << 12] {
            let cache = AnalysisCache(analyzer: analyzer, capacity: capacity)
            var got: [PromptAnalysis] = []
            // Batches of several sizes, the same prompt often twice in one batch.
            var start = 0
            for size in [1, 7, 500, 0, 1200, 2000] where start < events.count {
                let end = min(events.count, start + size)
                events[start..<end].withUnsafeBufferPointer { cache.analyze($0, into: &got) }
                start = end
            }
            #expect(got.count == events.count)
            for (e, a) in zip(events, got) { #expect(a == analyzer.analyze(e)) }
            if capacity > 0 { #expect(cache.counts.hits > 0 && cache.counts.misses > 0) }
        }
    }

    @Test func batchesOnSeveralThreadsShareOneCache() {
        let analyzer = ContentAnalyzer()
        let cache = AnalysisCache(analyzer: analyzer, capacity: 256)
        let events = Self.events(2000)
        let want = events.map { analyzer.analyze($0) }
        let wrong = Counter()
        DispatchQueue.concurrentPerform(iterations: 4) { t in
            var got: [PromptAnalysis] = []
            let mine = Array(events.dropFirst(t * 100))
            mine.withUnsafeBufferPointer { cache.analyze($0, into: &got) }
            for (k, a) in got.enumerated() where a != want[t * 100 + k] { wrong.add() }
        }
        #expect(wrong.value == 0)
        #expect(cache.counts.hits > 0)
    }

    @Test func systemPromptIsPartOfTheKey() {
        let cache = AnalysisCache(analyzer: ContentAnalyzer())
        let p = "List three prime numbers."
        let plain = cache.analyze(prompt: p, system: nil, promptSHA256: nil, tools: nil)
        let coding = cache.analyze(prompt: p, system: "Write Python code for the user.", promptSHA256: nil, tools: nil)
        #expect(!plain.has(.coding))
        #expect(coding.has(.coding))
        #expect(cache.counts.hits == 0)
    }

    @Test func disabledCacheStillAnalyses() {
        let analyzer = ContentAnalyzer()
        let cache = AnalysisCache(analyzer: analyzer, capacity: 0)
        for r in Self.requests(200) {
            let want = analyzer.analyze(prompt: r.prompt, system: r.system, promptSHA256: r.sha, tools: r.tools)
            #expect(cache.analyze(prompt: r.prompt, system: r.system, promptSHA256: r.sha, tools: r.tools) == want)
        }
        #expect(cache.counts.hits == 0)
    }

    @Test func threadsShareOneCache() {
        let analyzer = ContentAnalyzer()
        let cache = AnalysisCache(analyzer: analyzer, capacity: 256)
        let requests = Self.requests(2000)
        let wrong = Counter()
        DispatchQueue.concurrentPerform(iterations: 4) { t in
            for r in requests.dropFirst(t * 100) {
                let want = analyzer.analyze(prompt: r.prompt, system: r.system, promptSHA256: r.sha, tools: r.tools)
                let got = cache.analyze(prompt: r.prompt, system: r.system, promptSHA256: r.sha, tools: r.tools)
                if got != want { wrong.add() }
            }
        }
        #expect(wrong.value == 0)
        #expect(cache.counts.hits > 0)
    }

    @Test func pairHashFirstLaneIsBytesHash() {
        for text in ["", "a", "12345678", "a longer text of several words and 8-byte words"] {
            var s = text
            s.withUTF8 { b in
                let (first, second) = Hash64.bytesPair(b, seeds: (7, 8))
                #expect(first == Hash64.bytes(b, seed: 7))
                #expect(second != first)
            }
        }
    }
}

private final class Counter: @unchecked Sendable {
    private let lock = DispatchQueue(label: "counter")
    private var n = 0
    func add() { lock.sync { n += 1 } }
    var value: Int { lock.sync { n } }
}

extension String {
    fileprivate init(format64 x: UInt64) {
        self = String(x, radix: 16)
    }
}
