import CRetortShims
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
/// independently locked stripes so that worker threads rarely wait on each other. Memory is fixed by `capacity`:
/// 16 bytes of tags and a value of 32 bytes plus 8 per LSH band a slot (64 bytes, one cache line, with the
/// default four bands).
public final class AnalysisCache: Sendable {
    public let analyzer: ContentAnalyzer
    private let stripes: [Stripe]
    private let stripeShift: Int
    private let slotMask: Int
    /// Slots a prompt may occupy (set-associative: prompts that share a slot do not keep evicting each other).
    static let ways = 4

    private struct Counts: ~Copyable {
        var hits = 0
        var misses = 0
    }

    /// One stripe: its slots' tags and values, read and written only under its lock, with its counts. The tags
    /// of slot `i` (key and check) are at `2 * i`, `2 * i + 1`, so that a lookup that finds its key reads its
    /// check from the same cache line (separate arrays cost a second cache miss per hit). Tags and values
    /// stay at fixed addresses, so that ``AnalysisCache/analyze(_:into:)`` can ask the CPU to load them before
    /// it takes the lock.
    private final class Stripe: @unchecked Sendable {
        let counts = Mutex(Counts())
        let tags: UnsafeMutablePointer<UInt64>
        /// Slot `i`'s value: ``Storage/valueWords`` words from `values + i * valueWords`.
        let values: UnsafeMutablePointer<UInt64>
        let valueWords: Int
        /// Holds the memory of every stripe's tags and values.
        let storage: Storage
        init(_ storage: Storage, index: Int) {
            self.storage = storage
            valueWords = storage.valueWords
            tags = storage.tags + 2 * storage.perStripe * index
            values = storage.values + storage.valueWords * storage.perStripe * index
        }

        /// The slot of `p`'s set holding its analysis, or nil. Call under the lock.
        @inline(__always)
        func find(_ p: Probe) -> Int? {
            for slot in p.set..<(p.set + AnalysisCache.ways)
            where tags[2 * slot] == p.key && tags[2 * slot + 1] == p.check {
                return slot
            }
            return nil
        }

        @inline(__always)
        func value(_ slot: Int) -> UnsafeMutablePointer<UInt64> { values + valueWords * slot }
    }

    /// The tags and values of all stripes in two blocks (one per kind), so that huge pages can back them: a
    /// stripe's own 2 MiB of values was never aligned to a huge page.
    private final class Storage: @unchecked Sendable {
        let tags: UnsafeMutablePointer<UInt64>
        let values: UnsafeMutablePointer<UInt64>
        let perStripe: Int
        let slots: Int
        /// Words of one value: ``CachedAnalysis/headerWords`` and one per band key.
        let valueWords: Int
        init(stripes: Int, perStripe: Int, bands: Int) {
            self.perStripe = perStripe
            slots = max(1, stripes * perStripe)
            valueWords = CachedAnalysis.headerWords + bands
            let tagBytes = 2 * slots * MemoryLayout<UInt64>.stride
            let valueBytes = valueWords * slots * MemoryLayout<UInt64>.stride
            // Cache-line aligned: with four bands a value is exactly one line.
            tags = UnsafeMutableRawPointer.allocate(byteCount: tagBytes, alignment: 64).bindMemory(
                to: UInt64.self, capacity: 2 * slots)
            values = UnsafeMutableRawPointer.allocate(byteCount: valueBytes, alignment: 64).bindMemory(
                to: UInt64.self, capacity: valueWords * slots)
            retort_advise_huge_pages(tags, tagBytes)
            retort_advise_huge_pages(values, valueBytes)
            tags.initialize(repeating: 0, count: 2 * slots)
            values.initialize(repeating: 0, count: valueWords * slots)
        }
        deinit {
            values.deallocate()
            tags.deallocate()
        }
    }

    /// How a ``PromptAnalysis`` is kept in a slot: what depends on the two texts alone, in words (the exact
    /// hash and the tool flag are applied on the way out).
    enum CachedAnalysis {
        /// Template, prefix and suffix hashes, then flags, band count and token count packed in one word.
        static let headerWords = 4

        @inline(__always)
        static func store(_ a: PromptAnalysis, to w: UnsafeMutablePointer<UInt64>, bands: Int) {
            w[0] = a.templateHash
            w[1] = a.prefixHash
            w[2] = a.suffixHash
            let n = min(a.bandKeys.count, bands)
            w[3] =
                UInt64(a.capabilities) | (a.elicitsReasoning ? 1 << 8 : 0) | UInt64(n) << 12
                | UInt64(UInt32(clamping: a.tokenCount)) << 32
            for i in 0..<n { w[headerWords + i] = a.bandKeys[i] }
        }

        @inline(__always)
        static func load(_ w: UnsafePointer<UInt64>) -> PromptAnalysis {
            var a = PromptAnalysis()
            a.templateHash = w[0]
            a.prefixHash = w[1]
            a.suffixHash = w[2]
            let packed = w[3]
            a.capabilities = UInt8(truncatingIfNeeded: packed)
            a.elicitsReasoning = packed & (1 << 8) != 0
            a.tokenCount = Int(packed >> 32)
            for i in 0..<Int((packed >> 12) & 0xf) { a.bandKeys.append(w[headerWords + i]) }
            return a
        }
    }

    /// Band keys a value holds: as many as the analyser makes.
    private let bands: Int

    /// A cache of about `capacity` analyses (rounded to a power of two; 0 disables caching).
    public init(analyzer: ContentAnalyzer, capacity: Int = 1 << 18) {
        self.analyzer = analyzer
        bands = min(BandKeys.capacity, analyzer.minHashBins / max(1, analyzer.bandRows))
        let stripeCount = 64
        var perStripe = Self.ways
        while perStripe * stripeCount < capacity { perStripe <<= 1 }
        if capacity <= 0 { perStripe = 0 }
        let storage = Storage(stripes: stripeCount, perStripe: perStripe, bands: bands)
        stripes = (0..<stripeCount).map { Stripe(storage, index: $0) }
        stripeShift = 64 - 6
        slotMask = perStripe - 1
    }

    /// Bytes of tags and values (diagnostics).
    var bytes: Int { stripes.first.map { 8 * (2 + $0.valueWords) * $0.storage.slots } ?? 0 }

    /// Analyses (or recalls) one event's prompt.
    @inline(__always)
    public func analyze(_ event: Event) -> PromptAnalysis {
        analyze(prompt: event.prompt, system: event.system, promptSHA256: event.promptSHA256, tools: event.tools)
    }

    /// Analyses (or recalls) the prompts of a batch of events, appending the results to `out` in order: the
    /// same results as ``analyze(_:)`` one by one. All the batch's cache keys are computed first, each set's
    /// tags requested from memory as its key is known, so that the lookups then find them in the CPU's cache
    /// (one at a time, each lookup waited for memory: most of the time of a recalled analysis at 1.9M events).
    public func analyze(_ events: UnsafeBufferPointer<Event>, into out: inout [PromptAnalysis]) {
        // Fields are read in place: a whole `Event` taken from the buffer is copied (every string retained).
        guard slotMask >= 0 else {
            for i in events.indices { out.append(analyze(events[i])) }
            return
        }
        var probes: [Probe?] = []
        probes.reserveCapacity(events.count)
        for i in events.indices {
            let p = probe(prompt: events[i].prompt, system: events[i].system)
            if let p { retort_prefetch(stripes[p.stripe].tags + 2 * p.set) }
            probes.append(p)
        }
        prefetchRecalled(probes)
        for i in events.indices {
            if let p = probes[i] {
                out.append(
                    lookup(
                        p, prompt: events[i].prompt!, system: events[i].system,
                        promptSHA256: events[i].promptSHA256, tools: events[i].tools))
            } else {
                out.append(analyzer.analyze(events[i]))
            }
        }
    }

    /// With the probes' tags in cache: finds each recalled analysis and starts loading it (the lookups that
    /// follow check the tags again: another thread may have replaced the slot in between).
    private func prefetchRecalled(_ probes: [Probe?]) {
        for p in probes {
            guard let p else { continue }
            let stripe = stripes[p.stripe]
            if let slot = stripe.counts.withLock({ _ in stripe.find(p) }) {
                let v = stripe.value(slot)
                retort_prefetch(v)
                if stripe.valueWords > 8 { retort_prefetch(v + 8) }
            }
        }
    }

    /// Analyses (or recalls) the prompts of a batch of decoded records like ``analyze(_:into:)`` does for
    /// events, from the hashes the decoder took of their texts; only an analysis that is not recalled reads
    /// the texts (unescaped as needed, ``PromptInput``: the chunk's bytes must still be there). The same
    /// results as ``analyze(_:)`` of the events the records were decoded from.
    func analyze(_ records: UnsafeBufferPointer<CompactEvent>, into out: inout [PromptAnalysis]) {
        var scratch: [UInt8] = []
        var systemScratch: [UInt8] = []
        var tokens: [UInt64] = []
        tokens.reserveCapacity(256)
        // System prompts repeat far more than prompts (an app sends one with every request): the flags of
        // each one in this batch are found once, by its two hashes.
        var systemFlags: [UInt64: (check: UInt64, flags: UInt8)] = [:]
        func flags(_ t: PromptInput) -> UInt8 {
            guard t.system.count > 0 else { return 0 }
            if let known = systemFlags[t.systemLanes.0], known.check == t.systemLanes.1 { return known.flags }
            let f = JSONScanner.withText(
                t.system, escaped: t.systemEscaped, ascii: t.systemASCII, scratch: &systemScratch
            ) { system in
                analyzer.systemFlags(system, tokens: &tokens)
            }
            systemFlags[t.systemLanes.0] = (t.systemLanes.1, f)
            return f
        }
        func analyse(_ t: PromptInput, sha: UInt64?, tools: Int?, exact: Bool) -> PromptAnalysis {
            let f = flags(t)
            return JSONScanner.withText(t.prompt, escaped: t.promptEscaped, ascii: t.promptASCII, scratch: &scratch) {
                prompt in
                analyzer.analyze(prompt: prompt, systemFlags: f, sha: sha, tools: tools, exact: exact, tokens: &tokens)
            }
        }
        guard slotMask >= 0 else {
            for i in records.indices {
                out.append(analyse(records[i].text, sha: records[i].text.sha, tools: records[i].tools, exact: true))
            }
            return
        }
        var probes: [Probe?] = []
        probes.reserveCapacity(records.count)
        for i in records.indices {
            let t = records[i].text
            guard t.prompt.count > 0 else {
                probes.append(nil)
                continue
            }
            let p = probe(promptLanes: t.promptLanes, systemLanes: t.system.count > 0 ? t.systemLanes : nil)
            retort_prefetch(stripes[p.stripe].tags + 2 * p.set)
            probes.append(p)
        }
        prefetchRecalled(probes)
        for i in records.indices {
            let t = records[i].text
            if let p = probes[i] {
                out.append(
                    lookup(p, sha: t.sha, tools: records[i].tools) { analyse(t, sha: nil, tools: nil, exact: false) })
            } else {
                out.append(analyse(t, sha: t.sha, tools: records[i].tools, exact: true))
            }
        }
    }

    /// Same result as `analyzer.analyze(prompt:system:promptSHA256:tools:)`.
    public func analyze(prompt: String?, system: String?, promptSHA256: String?, tools: Int?) -> PromptAnalysis {
        guard slotMask >= 0, let text = prompt, let p = probe(prompt: text, system: system) else {
            return analyzer.analyze(prompt: prompt, system: system, promptSHA256: promptSHA256, tools: tools)
        }
        return lookup(p, prompt: text, system: system, promptSHA256: promptSHA256, tools: tools)
    }

    /// A request's place in the cache: its stripe, set, key and check, and the analyser's raw exact hash.
    struct Probe {
        var stripe: Int
        var set: Int
        var key: UInt64
        var check: UInt64
        var rawExact: UInt64
    }

    /// Where a request's analysis is cached; nil when the cache is off or the prompt is empty (not cached).
    @inline(__always)
    func probe(prompt: String?, system: String?) -> Probe? {
        guard slotMask >= 0, let text = prompt, !text.isEmpty else { return nil }
        // Lane 0 of the prompt's hash is the analyser's raw exact hash (same function, same seed).
        let promptLanes = Hash64.textStringPair(text, seeds: PromptInput.promptSeeds)
        var systemLanes: (UInt64, UInt64)?
        if let s = system, !s.isEmpty { systemLanes = Hash64.stringPair(s, seeds: PromptInput.systemSeeds) }
        return probe(promptLanes: promptLanes, systemLanes: systemLanes)
    }

    /// ``probe(prompt:system:)`` from the two texts' hashes (a non-empty prompt's, and the system prompt's
    /// when it is non-empty), ``PromptInput``'s lanes.
    @inline(__always)
    func probe(promptLanes: (UInt64, UInt64), systemLanes: (UInt64, UInt64)?) -> Probe {
        let (rawExact, promptCheck) = promptLanes
        let systemKey = systemLanes ?? (0x6e6f_7379, 0x6e6f_7379)
        let key = Hash64.mix(rawExact ^ Hash64.mix(systemKey.0)) | 1
        let check = Hash64.mix(promptCheck &+ systemKey.1)
        return Probe(
            stripe: Int(truncatingIfNeeded: key >> UInt64(stripeShift)),
            set: Int(truncatingIfNeeded: key) & slotMask & ~(Self.ways - 1), key: key, check: check,
            rawExact: rawExact)
    }

    /// The analysis of a probed request: recalled, or computed and remembered.
    @inline(__always)
    func lookup(_ p: Probe, prompt text: String, system: String?, promptSHA256: String?, tools: Int?)
        -> PromptAnalysis
    {
        var sha: UInt64?
        if let s = promptSHA256, !s.isEmpty { sha = Hash64.string(s.lowercased(), seed: PromptInput.shaSeed) }
        return lookup(p, sha: sha, tools: tools) {
            analyzer.analyze(prompt: text, system: system, promptSHA256: nil, tools: nil)
        }
    }

    /// The analysis of a probed request: recalled, or computed by `analyse` (the analysis of the two texts
    /// alone, without `prompt_sha256` and tools) and remembered. `sha` as in
    /// ``ContentAnalyzer/analyze(prompt:system:sha:tools:)``.
    @inline(__always)
    func lookup(_ p: Probe, sha: UInt64?, tools: Int?, analyse: () -> PromptAnalysis) -> PromptAnalysis {
        let stripe = stripes[p.stripe]
        var a: PromptAnalysis
        let cached: PromptAnalysis? = stripe.counts.withLock { s in
            if let slot = stripe.find(p) {
                s.hits += 1
                return CachedAnalysis.load(stripe.value(slot))
            }
            s.misses += 1
            return nil
        }
        if let cached {
            a = cached
        } else {
            a = analyse()
            let value = a
            let bands = self.bands
            stripe.counts.withLock { s in
                // Replace the set's ways in turn (a newer prompt evicts the oldest of its set).
                let slot = p.set + s.misses & (Self.ways - 1)
                stripe.tags[2 * slot] = p.key
                stripe.tags[2 * slot + 1] = p.check
                CachedAnalysis.store(value, to: stripe.value(slot), bands: bands)
            }
        }
        // What depends on more than the two texts.
        a.exactHash = sha ?? p.rawExact
        if let tools, tools > 0 { a.capabilities |= 1 << UInt8(Capability.agentic.rawValue) }
        return a
    }

    /// Lookups answered from the cache and lookups that ran the analyser, so far.
    public var counts: (hits: Int, misses: Int) {
        var hits = 0
        var misses = 0
        for stripe in stripes {
            stripe.counts.withLock { s in
                hits += s.hits
                misses += s.misses
            }
        }
        return (hits, misses)
    }
}
