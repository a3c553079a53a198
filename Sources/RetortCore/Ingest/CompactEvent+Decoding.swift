/// The texts of a decoded record that its prompt analysis needs, and their hashes.
///
/// The spans point into the chunk of lines the record was decoded from, and are valid only while that
/// chunk's bytes are (the worker that decodes a chunk analyses it before handing it on).
struct PromptInput {
    /// Raw JSON string spans (still escaped when the flag says so); empty when absent.
    var prompt = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    var system = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    var promptEscaped = false
    var systemEscaped = false
    /// Whether the raw spans are all ASCII (their texts then need no UTF-8 check).
    var promptASCII = false
    var systemASCII = false
    /// `Hash64.textPair` of the prompt's text with ``promptSeeds``, when it is non-empty.
    var promptLanes: (UInt64, UInt64) = (0, 0)
    /// `Hash64.bytesPair` of the system prompt's text with ``systemSeeds``, when it is non-empty.
    var systemLanes: (UInt64, UInt64) = (0, 0)
    /// `Hash64.string(prompt_sha256.lowercased(), seed: 0x736861)`, when `prompt_sha256` is non-empty.
    var sha: UInt64?

    static let promptSeeds: (UInt64, UInt64) = (0x7261_77, 0x6361_6368)
    static let systemSeeds: (UInt64, UInt64) = (0x7379_73, 0x7379_7332)
    static let shaSeed: UInt64 = 0x736861
}

extension CompactEvent: EventFieldSink {
    var hasAccount: Bool { !accountID.isEmpty }
    var hasRequest: Bool { hasRequestID }

    @inline(__always)
    mutating func string(
        _ field: Int, _ span: UnsafeBufferPointer<UInt8>, escaped: Bool, ascii: Bool, interner: inout StringInterner,
        scratch: inout [UInt8]
    ) {
        @inline(__always) func hash(_ seed: UInt64 = 0) -> UInt64 {
            JSONScanner.withText(span, escaped: escaped, ascii: ascii, scratch: &scratch) {
                Hash64.bytes($0, seed: seed)
            }
        }
        switch field {
        case 1:
            accountID = escaped ? JSONScanner.unescape(span) : String(decoding: span, as: UTF8.self)
            accountKey = hash(Investigation.accountKeySeed)
        case 2:
            requestKey = hash(requestKeySeed)
            hasRequestID = span.count > 0
        case 3: set(.apiKeyID, hash())
        case 4: orgID = escaped ? JSONScanner.unescape(span) : interner.string(span)
        case 5: set(.endUserID, hash())
        case 9: set(.userAgent, hash())
        case 10: set(.tlsFingerprint, hash())
        case 11: set(.endpoint, hash())
        case 12: set(.model, hash())
        case 28: if span.count > 0 { set(.conversation, hash()) } else { present.remove(.conversation) }
        case 30:
            text.system = span
            text.systemEscaped = escaped
            text.systemASCII = ascii
            if span.count > 0 {
                text.systemLanes = JSONScanner.withText(span, escaped: escaped, ascii: ascii, scratch: &scratch) {
                    Hash64.bytesPair($0, seeds: PromptInput.systemSeeds)
                }
                set(.system, text.systemLanes.0)
            } else {
                present.remove(.system)
            }
        case 31:
            text.prompt = span
            text.promptEscaped = escaped
            text.promptASCII = ascii
            if span.count > 0 {
                text.promptLanes = JSONScanner.withText(span, escaped: escaped, ascii: ascii, scratch: &scratch) {
                    Hash64.textPair($0, seeds: PromptInput.promptSeeds)
                }
            }
        case 32:
            text.sha = span.count > 0 ? Self.shaHash(span, escaped: escaped, ascii: ascii, scratch: &scratch) : nil
        default: break  // country: not kept (the walk has validated them)
        }
    }

    /// `Hash64.string(sha.lowercased(), seed: PromptInput.shaSeed)` of the field's text.
    static func shaHash(
        _ span: UnsafeBufferPointer<UInt8>, escaped: Bool, ascii: Bool = false, scratch: inout [UInt8]
    ) -> UInt64 {
        let lowered: UInt64? = JSONScanner.withText(span, escaped: escaped, ascii: ascii, scratch: &scratch) { bytes in
            // A hex digest is ASCII, lowercased byte by byte as `String.lowercased()` lowercases ASCII.
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(1, bytes.count)) { low in
                for i in bytes.indices { low[i] = bytes[i] >= 0x41 && bytes[i] <= 0x5A ? bytes[i] | 0x20 : bytes[i] }
                return Hash64.bytes(UnsafeBufferPointer(rebasing: low[0..<bytes.count]), seed: PromptInput.shaSeed)
            }
        }
        if let lowered { return lowered }
        var s = (escaped ? JSONScanner.unescape(span) : String(decoding: span, as: UTF8.self)).lowercased()
        return s.withUTF8 { Hash64.bytes($0, seed: PromptInput.shaSeed) }
    }

    @inline(__always)
    mutating func integer(_ field: Int, _ v: Int) {
        switch field {
        case 7: asn = v
        case 13: inputTokens = v
        case 14: outputTokens = v
        case 15: reasoningTokens = v
        case 16: maxTokens = v
        case 19: n = v
        case 21: topLogprobs = v
        case 22: logitBiasSize = v
        case 23: tools = v
        case 26: status = v
        case 27: break  // latency: not kept
        default: turn = v
        }
    }

    @inline(__always)
    mutating func number(_ field: Int, _ v: Double) {
        if field == 17 { temperature = v }
    }

    @inline(__always)
    mutating func bool(_ field: Int, _ v: Bool) {
        if field == 24 { thinking = v }
    }

    @inline(__always)
    mutating func ip(_ v: IPAddress) { ip = v }
}
