/// What the content analyser found in one request's prompt.
public struct PromptAnalysis: Sendable, Equatable {
    /// Hash of the whole skeleton (an exact template); 0 when there was no prompt text.
    public var templateHash: UInt64 = 0
    /// Hash of the skeleton's first tokens (a shared instruction frame), 0 for short prompts.
    public var prefixHash: UInt64 = 0
    /// Hash of the skeleton's last tokens (a shared trailing instruction), 0 for short prompts.
    public var suffixHash: UInt64 = 0
    /// Hash of the exact prompt (`prompt_sha256` where given, else the raw text); 0 when neither.
    public var exactHash: UInt64 = 0
    /// LSH band keys of the skeleton's shingle MinHash (near-duplicate prompts share one).
    public var bandKeys = BandKeys()
    /// The prompt asks for a visible chain of thought or reasoning trace.
    public var elicitsReasoning = false
    /// Capability areas the prompt probes, as a bit set of ``Capability`` raw values.
    public var capabilities: UInt8 = 0
    /// Skeleton token count.
    public var tokenCount = 0

    public init() {}

    public func has(_ c: Capability) -> Bool { capabilities & (1 << UInt8(c.rawValue)) != 0 }
}
