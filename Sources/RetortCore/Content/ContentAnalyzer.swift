/// Turns a request's prompt into fingerprints (template, frames, exact, MinHash LSH bands) and content
/// flags (reasoning-trace elicitation, capability areas), in one pass over the skeleton tokens.
///
/// Keyword and phrase matching uses hashed token n-grams, so its cost does not grow with the number of
/// phrases. Works on `prompt_sha256` alone (only ``PromptAnalysis/exactHash`` is set).
public struct ContentAnalyzer: Sendable {
    public let normalizer: TemplateNormalizer
    public let minHashBins: Int
    public let bandRows: Int
    /// Tokens in the prefix and suffix frames.
    public let frameTokens: Int

    /// Phrase hash → flag bits (bit 7 = reasoning elicitation, bits 0-5 = capabilities). Looked up three
    /// times per token, so an open-addressing table rather than a `Dictionary`.
    private let phrases: UInt64Map<UInt8>
    /// A bit per first word of a phrase (by the word hash's top ``phraseStartBits`` bits): a token whose bit is
    /// clear starts no phrase, and its three lookups are skipped (most tokens; same flags as without it).
    private let phraseStarts: [UInt64]
    static let phraseStartBits: UInt64 = 14

    static let reasoningBit: UInt8 = 0x80

    public init(minHashBins: Int = 16, bandRows: Int = 4, frameTokens: Int = 6, maxBytes: Int = 4096) {
        self.normalizer = TemplateNormalizer(maxBytes: maxBytes)
        self.minHashBins = minHashBins
        self.bandRows = bandRows
        self.frameTokens = frameTokens
        var table = UInt64Map<UInt8>(capacity: 1024)
        var starts = [UInt64](repeating: 0, count: 1 << (Self.phraseStartBits - 6))
        func put(_ words: [String], _ bits: UInt8) {
            for phrase in words {
                let toks = phrase.split(separator: " ").map { Self.wordHash(String($0)) }
                let h = Self.gramHash(toks[...])
                table[h] = (table[h] ?? 0) | bits
                let bit = Int(truncatingIfNeeded: toks[0] >> (64 - Self.phraseStartBits))
                starts[bit >> 6] |= 1 << UInt64(bit & 63)
            }
        }
        put(ContentLexicon.reasoningElicitation, Self.reasoningBit)
        put(ContentLexicon.coding, 1 << UInt8(Capability.coding.rawValue))
        put(ContentLexicon.math, 1 << UInt8(Capability.math.rawValue))
        put(ContentLexicon.reasoning, 1 << UInt8(Capability.reasoning.rawValue))
        put(ContentLexicon.agentic, 1 << UInt8(Capability.agentic.rawValue))
        put(ContentLexicon.writing, 1 << UInt8(Capability.writing.rawValue))
        put(ContentLexicon.multilingual, 1 << UInt8(Capability.multilingual.rawValue))
        phrases = table
        phraseStarts = starts
    }

    static func wordHash(_ w: String) -> UInt64 {
        var s = w.lowercased()
        return s.withUTF8 { Hash64.bytes($0, seed: 0x746f_6b) }
    }

    @inline(__always)
    static func gramHash(_ toks: ArraySlice<UInt64>) -> UInt64 {
        toks.withUnsafeBufferPointer { gramHash($0) }
    }

    @inline(__always)
    static func gramHash(_ toks: UnsafeBufferPointer<UInt64>) -> UInt64 {
        var h: UInt64 = 0x6772_616d
        for t in toks { h = Hash64.mix(h ^ t) }
        return h
    }

    /// Analyses one event's prompt, system prompt, `prompt_sha256` and tool count.
    @inline(__always)
    public func analyze(_ event: Event) -> PromptAnalysis {
        analyze(prompt: event.prompt, system: event.system, promptSHA256: event.promptSHA256, tools: event.tools)
    }

    /// Analyses one request. `tools` > 0 marks it agentic.
    public func analyze(prompt: String?, system: String?, promptSHA256: String?, tools: Int?) -> PromptAnalysis {
        var sha: UInt64?
        if let s = promptSHA256, !s.isEmpty { sha = Hash64.string(s.lowercased(), seed: 0x736861) }
        return Self.withUTF8(system) { system in
            Self.withUTF8(prompt) { prompt in analyze(prompt: prompt, system: system, sha: sha, tools: tools) }
        }
    }

    @inline(__always)
    static func withUTF8<R>(_ s: String?, _ body: (UnsafeBufferPointer<UInt8>?) -> R) -> R {
        guard var s else { return body(nil) }
        return s.withUTF8 { body($0) }
    }

    /// Analyses one request from the UTF-8 of its prompt and system prompt (nil or empty when absent) and
    /// the hash of its `prompt_sha256` (`Hash64.string(sha.lowercased(), seed: 0x736861)`, nil when absent or
    /// empty): the same analysis as ``analyze(prompt:system:promptSHA256:tools:)`` of those texts.
    func analyze(
        prompt: UnsafeBufferPointer<UInt8>?, system: UnsafeBufferPointer<UInt8>?, sha: UInt64?, tools: Int?
    ) -> PromptAnalysis {
        // One allocation for the scratch tokens (a token takes at least one byte and its separator, mostly).
        var tokens: [UInt64] = []
        tokens.reserveCapacity(max(prompt?.count ?? 0, system?.count ?? 0) / 2 + 16)
        var systemFlags: UInt8 = 0
        if let buf = system, !buf.isEmpty { systemFlags = self.systemFlags(buf, tokens: &tokens) }
        return analyze(prompt: prompt, systemFlags: systemFlags, sha: sha, tools: tools, tokens: &tokens)
    }

    /// The flag bits (``reasoningBit`` and capability bits) of a system prompt's text, which is analysed for
    /// them alone; `tokens` is scratch space.
    func systemFlags(_ system: UnsafeBufferPointer<UInt8>, tokens: inout [UInt64]) -> UInt8 {
        tokens.removeAll(keepingCapacity: true)
        normalizer.tokenHashes(system, into: &tokens)
        return tokens.withUnsafeBufferPointer { flags($0) }
    }

    /// ``analyze(prompt:system:sha:tools:)`` with the system prompt's ``systemFlags(_:tokens:)`` given (0 when
    /// there is none). `tokens` is scratch space, reused across calls. With `exact` false the exact hash of
    /// the text is left for the caller (``AnalysisCache`` has it from its key).
    func analyze(
        prompt: UnsafeBufferPointer<UInt8>?, systemFlags: UInt8, sha: UInt64?, tools: Int?, exact: Bool = true,
        tokens: inout [UInt64]
    ) -> PromptAnalysis {
        var a = PromptAnalysis()
        if let sha { a.exactHash = sha }
        if let tools, tools > 0 { a.capabilities |= 1 << UInt8(Capability.agentic.rawValue) }
        a.capabilities |= systemFlags & 0x3f
        if systemFlags & Self.reasoningBit != 0 { a.elicitsReasoning = true }
        guard let buf = prompt, !buf.isEmpty else { return a }
        if a.exactHash == 0 && exact { a.exactHash = Hash64.text(buf, seed: PromptInput.promptSeeds.0) }
        tokens.removeAll(keepingCapacity: true)
        normalizer.tokenHashes(buf, into: &tokens)
        tokens.withUnsafeBufferPointer { toks in
            a.tokenCount = toks.count
            a.templateHash = Self.gramHash(toks) | 1
            if toks.count >= frameTokens * 2 {
                a.prefixHash =
                    Hash64.mix(Self.gramHash(UnsafeBufferPointer(rebasing: toks[0..<frameTokens])) ^ 0x70) | 1
                a.suffixHash =
                    Hash64.mix(Self.gramHash(UnsafeBufferPointer(rebasing: toks[(toks.count - frameTokens)...])) ^ 0x73)
                    | 1
            }
            let f = flags(toks)
            if f & Self.reasoningBit != 0 { a.elicitsReasoning = true }
            a.capabilities |= f & 0x3f
            if nonASCIIShare(buf) > 0.3 { a.capabilities |= 1 << UInt8(Capability.multilingual.rawValue) }
            if toks.contains(Self.codeMask) { a.capabilities |= 1 << UInt8(Capability.coding.rawValue) }
            guard !toks.isEmpty else { return }
            a.bandKeys = bandKeys(toks)
        }
        return a
    }

    /// LSH band keys of the one-permutation MinHash of the token 3-shingles (the tokens themselves for
    /// fewer than three), computed in a stack buffer.
    func bandKeys(_ t: UnsafeBufferPointer<UInt64>) -> BandKeys {
        var keys = BandKeys()
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: minHashBins) { bins in
            bins.initialize(repeating: .max)
            if t.count < 3 {
                for x in t { OnePermutationMinHash.add(hash: x, to: bins) }
            } else if minHashBins & (minHashBins - 1) == 0 {
                // A power-of-two bin count: the bin is picked by a mask (the same bin as the remainder).
                let mask = UInt64(minHashBins - 1)
                for i in 0..<(t.count - 2) {
                    let shingle = Hash64.mix(t[i] ^ Hash64.mix(t[i + 1] ^ Hash64.mix(t[i + 2])))
                    OnePermutationMinHash.add(hash: shingle, to: bins, binMask: mask)
                }
            } else {
                for i in 0..<(t.count - 2) {
                    let shingle = Hash64.mix(t[i] ^ Hash64.mix(t[i + 1] ^ Hash64.mix(t[i + 2])))
                    OnePermutationMinHash.add(hash: shingle, to: bins)
                }
            }
            OnePermutationMinHash.densify(bins)
            OnePermutationMinHash.forEachBandKey(UnsafeBufferPointer(bins), rows: bandRows) { k in
                if keys.count < BandKeys.capacity { keys.append(k) }
            }
        }
        return keys
    }

    static let codeMask = Hash64.mix(0x6d61_736b_0000_0000 | UInt64(TemplateNormalizer.Mask.code.rawValue))

    @inline(__always)
    func flags(_ t: UnsafeBufferPointer<UInt64>) -> UInt8 {
        var f: UInt8 = 0
        let n = t.count
        phraseStarts.withUnsafeBufferPointer { starts in
            for i in 0..<n {
                let bit = Int(truncatingIfNeeded: t[i] >> (64 - Self.phraseStartBits))
                guard starts[bit >> 6] & (1 << UInt64(bit & 63)) != 0 else { continue }
                // gramHash of t[i..<i+1], [i..<i+2], [i..<i+3], folded one token at a time.
                var h: UInt64 = 0x6772_616d
                for k in i..<min(i + 3, n) {
                    h = Hash64.mix(h ^ t[k])
                    if let bits = phrases[h] { f |= bits }
                }
            }
        }
        return f
    }

    func nonASCIIShare(_ buf: UnsafeBufferPointer<UInt8>) -> Double {
        let n = min(buf.count, 2048)
        guard n > 0, let base = buf.baseAddress else { return 0 }
        var high = 0
        var letters = 0
        // A UTF-8 lead byte (0xC0 and up) counts as a high letter; an ASCII byte is a letter when, with the case
        // bit set, it falls in a-z. Eight bytes at a time (SWAR), counted per byte lane for up to 255 words.
        let raw = UnsafeRawPointer(base)
        let top: UInt64 = 0x8080_8080_8080_8080
        var i = 0
        while i + 8 <= n {
            var leads: UInt64 = 0
            var ascii: UInt64 = 0
            let end = min(n, i + 8 * 255)
            while i + 8 <= end {
                let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                let folded = (w & 0x7f7f_7f7f_7f7f_7f7f) | 0x2020_2020_2020_2020
                let letter = (folded &+ 0x1f1f_1f1f_1f1f_1f1f) & ~(folded &+ 0x0505_0505_0505_0505) & ~w & top
                leads &+= (w & (w << 1) & top) >> 7
                ascii &+= letter >> 7
                i += 8
            }
            high += Self.laneSum(leads)
            letters += Self.laneSum(ascii)
        }
        while i < n {
            let b = buf[i]
            if b >= 0xC0 { high += 1 } else if (b | 0x20) &- 97 < 26 { letters += 1 }
            i += 1
        }
        letters += high
        return letters > 0 ? Double(high) / Double(letters) : 0
    }

    /// The sum of the eight byte lanes of `x`.
    @inline(__always)
    static func laneSum(_ x: UInt64) -> Int {
        let pairs = (x & 0x00ff_00ff_00ff_00ff) &+ ((x >> 8) & 0x00ff_00ff_00ff_00ff)
        return Int((pairs &* 0x0001_0001_0001_0001) >> 48)
    }
}
