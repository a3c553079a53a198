import Synchronization

/// A bounded memo of ``ContentAnalyzer`` results, shared by the threads that analyse prompts.
///
/// Request logs repeat prompts: templated apps, benchmark suites, replayed instruction sets and harvest
/// lists send the same text many times (90% of the prompts of the seed-scale simulation at 1.9M events
/// are repeats). The analysis of a prompt depends only on its text and its system prompt, so a repeat can
/// reuse it: the cache is keyed by two independent 64-bit hashes of both texts (a false hit would need a
/// 128-bit collision). `prompt_sha256` and the tool count are applied outside the cache, so results are
/// exactly those of ``ContentAnalyzer/analyze(prompt:system:promptSHA256:tools:)``.
///
/// Four-way set-associative (a newer prompt replaces the oldest of the four in its set), split into
/// independently locked stripes so that worker threads rarely wait on each other. Memory is fixed by `capacity`
/// (~150 bytes a slot).
public final class AnalysisCache: Sendable {
    public let analyzer: ContentAnalyzer
    private let stripes: [Stripe]
    private let stripeShift: Int
    private let slotMask: Int
    /// Slots a prompt may occupy (set-associative: prompts that share a slot do not keep evicting each other).
    static let ways = 4

    private struct Slots: ~Copyable {
        var keys: [UInt64]
        var checks: [UInt64]
        var values: [PromptAnalysis]
        var hits = 0
        var misses = 0
    }

    private final class Stripe: Sendable {
        let slots: Mutex<Slots>
        init(size: Int) {
            slots = Mutex(
                Slots(
                    keys: Array(repeating: 0, count: size),
                    checks: Array(repeating: 0, count: size),
                    values: Array(repeating: PromptAnalysis(), count: size)))
        }
    }

    /// A cache of about `capacity` analyses (rounded to a power of two; 0 disables caching).
    public init(analyzer: ContentAnalyzer, capacity: Int = 1 << 18) {
        self.analyzer = analyzer
        let stripeCount = 64
        var perStripe = Self.ways
        while perStripe * stripeCount < capacity { perStripe <<= 1 }
        if capacity <= 0 { perStripe = 0 }
        stripes = (0..<stripeCount).map { _ in Stripe(size: perStripe) }
        stripeShift = 64 - 6
        slotMask = perStripe - 1
    }

    /// Analyses (or recalls) one event's prompt.
    @inline(__always)
    public func analyze(_ event: Event) -> PromptAnalysis {
        analyze(prompt: event.prompt, system: event.system, promptSHA256: event.promptSHA256, tools: event.tools)
    }

    /// Same result as `analyzer.analyze(prompt:system:promptSHA256:tools:)`.
    public func analyze(prompt: String?, system: String?, promptSHA256: String?, tools: Int?) -> PromptAnalysis {
        guard slotMask >= 0, var text = prompt, !text.isEmpty else {
            return analyzer.analyze(prompt: prompt, system: system, promptSHA256: promptSHA256, tools: tools)
        }
        // Lane 0 of the prompt's hash is the analyser's raw exact hash (same function, same seed).
        let (rawExact, promptCheck) = text.withUTF8 { Hash64.bytesPair($0, seeds: (0x7261_77, 0x6361_6368)) }
        var systemKey: (UInt64, UInt64) = (0x6e6f_7379, 0x6e6f_7379)
        if var s = system, !s.isEmpty {
            systemKey = s.withUTF8 { Hash64.bytesPair($0, seeds: (0x7379_73, 0x7379_7332)) }
        }
        let key = Hash64.mix(rawExact ^ Hash64.mix(systemKey.0)) | 1
        let check = Hash64.mix(promptCheck &+ systemKey.1)
        let stripe = stripes[Int(truncatingIfNeeded: key >> UInt64(stripeShift))]
        let set = Int(truncatingIfNeeded: key) & slotMask & ~(Self.ways - 1)
        var a: PromptAnalysis
        let cached: PromptAnalysis? = stripe.slots.withLock { s in
            for slot in set..<(set + Self.ways) where s.keys[slot] == key && s.checks[slot] == check {
                s.hits += 1
                return s.values[slot]
            }
            s.misses += 1
            return nil
        }
        if let cached {
            a = cached
        } else {
            a = analyzer.analyze(prompt: text, system: system, promptSHA256: nil, tools: nil)
            let value = a
            stripe.slots.withLock { s in
                // Replace the set's ways in turn (a newer prompt evicts the oldest of its set).
                let slot = set + s.misses & (Self.ways - 1)
                s.keys[slot] = key
                s.checks[slot] = check
                s.values[slot] = value
            }
        }
        // What depends on more than the two texts.
        if let sha = promptSHA256, !sha.isEmpty {
            a.exactHash = Hash64.string(sha.lowercased(), seed: 0x736861)
        } else {
            a.exactHash = rawExact
        }
        if let tools, tools > 0 { a.capabilities |= 1 << UInt8(Capability.agentic.rawValue) }
        return a
    }

    /// Lookups answered from the cache and lookups that ran the analyser, so far.
    public var counts: (hits: Int, misses: Int) {
        var hits = 0
        var misses = 0
        for stripe in stripes {
            stripe.slots.withLock { s in
                hits += s.hits
                misses += s.misses
            }
        }
        return (hits, misses)
    }
}
