/// Where ``EventDecoder``'s JSON walk puts the fields of a record: an ``Event`` (``EventFields``), or the
/// investigation's ``CompactEvent``, which keeps hashes of the strings it only compares.
///
/// Fields are the indices of ``Event/fieldNames``. A field given twice keeps its last value; `null` leaves
/// a field as it was.
protocol EventFieldSink {
    /// A string field as its raw span between the quotes, validated (see ``JSONScanner/scanTextSpan()``);
    /// `escaped` when it has backslash escapes, `ascii` when all its bytes are ASCII.
    /// ``JSONScanner/withText(_:escaped:ascii:scratch:_:)`` gives the text's bytes.
    mutating func string(
        _ field: Int, _ span: UnsafeBufferPointer<UInt8>, escaped: Bool, ascii: Bool, interner: inout StringInterner,
        scratch: inout [UInt8])
    mutating func integer(_ field: Int, _ value: Int)
    mutating func number(_ field: Int, _ value: Double)
    mutating func bool(_ field: Int, _ value: Bool)
    mutating func ip(_ value: IPAddress)
    /// The record's time, set once the record is known to be good.
    var ts: Int64 { get set }
    /// Whether the record has a non-empty `account_id`, and a non-empty `request_id`.
    var hasAccount: Bool { get }
    var hasRequest: Bool { get }
}

/// The sink that makes an ``Event``.
struct EventFields: EventFieldSink {
    var event = Event(ts: 0, accountID: "", requestID: "")
    var account: String?
    var request: String?

    var ts: Int64 {
        get { event.ts }
        set {
            event.ts = newValue
            event.accountID = account ?? ""
            event.requestID = request ?? ""
        }
    }
    var hasAccount: Bool { !(account?.isEmpty ?? true) }
    var hasRequest: Bool { !(request?.isEmpty ?? true) }

    @inline(__always)
    mutating func string(
        _ field: Int, _ span: UnsafeBufferPointer<UInt8>, escaped: Bool, ascii: Bool, interner: inout StringInterner,
        scratch: inout [UInt8]
    ) {
        let v: String
        if escaped {
            v = JSONScanner.unescape(span)
        } else if EventDecoder.interned[field] {
            v = interner.string(span)
        } else {
            v = String(decoding: span, as: UTF8.self)
        }
        switch field {
        case 1: account = v
        case 2: request = v
        case 3: event.apiKeyID = v
        case 4: event.orgID = v
        case 5: event.endUserID = v
        case 8: event.country = v
        case 9: event.userAgent = v
        case 10: event.tlsFingerprint = v
        case 11: event.endpoint = v
        case 12: event.model = v
        case 28: event.conversationID = v
        case 30: event.system = v
        case 31: event.prompt = v
        default: event.promptSHA256 = v
        }
    }

    @inline(__always)
    mutating func integer(_ field: Int, _ v: Int) {
        switch field {
        case 7: event.asn = v
        case 13: event.inputTokens = v
        case 14: event.outputTokens = v
        case 15: event.reasoningTokens = v
        case 16: event.maxTokens = v
        case 19: event.n = v
        case 21: event.topLogprobs = v
        case 22: event.logitBiasSize = v
        case 23: event.tools = v
        case 26: event.status = v
        case 27: event.latencyMs = v
        default: event.turn = v
        }
    }

    @inline(__always)
    mutating func number(_ field: Int, _ v: Double) {
        if field == 17 { event.temperature = v } else { event.topP = v }
    }

    @inline(__always)
    mutating func bool(_ field: Int, _ v: Bool) {
        switch field {
        case 20: event.logprobs = v
        case 24: event.thinking = v
        default: event.stream = v
        }
    }

    @inline(__always)
    mutating func ip(_ v: IPAddress) { event.ip = v }
}
