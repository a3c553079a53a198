/// What an investigation keeps of one ``Event``: the fields that ``AccountState`` and the content index
/// read, with the strings that are only ever compared (user agent, TLS fingerprint, API key, end user,
/// model, endpoint, system prompt, conversation id) held as the 64-bit hashes the account state takes of them, so that
/// the thread that adds events in file order hashes nothing and frees no strings.
///
/// Made from an ``Event`` (``init(_:)``), or decoded from a record's bytes (an ``EventFieldSink``), where
/// no string but the account id and organisation is made: prompt, system prompt and request id are hashed
/// in place (``JSONScanner/withText(_:escaped:scratch:_:)``), and the prompt texts stay in the decoded
/// chunk for the analyser. Both give the same values for the same record.
struct CompactEvent {
    var ts: Int64 = 0
    var accountID = ""
    /// ``Investigation/accountKey(_:)`` of the account id.
    var accountKey: UInt64 = 0
    var orgID: String?
    var ip: IPAddress?
    var asn: Int?
    var inputTokens: Int?
    var outputTokens: Int?
    var reasoningTokens: Int?
    var maxTokens: Int?
    var temperature: Double?
    var n: Int?
    var topLogprobs: Int?
    var logitBiasSize: Int?
    var tools: Int?
    var status: Int?
    var turn: Int?
    var thinking: Bool?

    /// `Hash64.string` of the field's text (the system prompt's with seed ``systemSeed``), valid where
    /// ``present`` has the field's bit.
    var userAgent: UInt64 = 0
    var tlsFingerprint: UInt64 = 0
    var apiKeyID: UInt64 = 0
    var endUserID: UInt64 = 0
    var model: UInt64 = 0
    var endpoint: UInt64 = 0
    /// The system prompt's hash, present only when it is non-empty.
    var system: UInt64 = 0
    var conversation: UInt64 = 0
    var present: Present = []

    /// ``requestKey(_:)`` of the request id, and whether the id is non-empty (decoded records only).
    var requestKey: UInt64 = 0
    var hasRequestID = false
    /// What the prompt analysis reads (decoded records only).
    var text = PromptInput()

    struct Present: OptionSet {
        let rawValue: UInt8
        static let userAgent = Present(rawValue: 1)
        static let tlsFingerprint = Present(rawValue: 2)
        static let apiKeyID = Present(rawValue: 4)
        static let endUserID = Present(rawValue: 8)
        static let model = Present(rawValue: 16)
        static let endpoint = Present(rawValue: 32)
        static let system = Present(rawValue: 64)
        static let conversation = Present(rawValue: 128)
    }

    static let systemSeed: UInt64 = 0x737973

    init() {}

    /// The compact form of `e` (hashes of its strings; no prompt inputs, which ``init(_:)`` callers have
    /// analysed already).
    init(_ e: Event) {
        ts = e.ts
        accountID = e.accountID
        accountKey = Investigation.accountKey(e.accountID)
        orgID = e.orgID
        ip = e.ip
        asn = e.asn
        inputTokens = e.inputTokens
        outputTokens = e.outputTokens
        reasoningTokens = e.reasoningTokens
        maxTokens = e.maxTokens
        temperature = e.temperature
        n = e.n
        topLogprobs = e.topLogprobs
        logitBiasSize = e.logitBiasSize
        tools = e.tools
        status = e.status
        turn = e.turn
        thinking = e.thinking
        if let v = e.userAgent { set(.userAgent, Hash64.string(v)) }
        if let v = e.tlsFingerprint { set(.tlsFingerprint, Hash64.string(v)) }
        if let v = e.apiKeyID { set(.apiKeyID, Hash64.string(v)) }
        if let v = e.endUserID { set(.endUserID, Hash64.string(v)) }
        if let v = e.model { set(.model, Hash64.string(v)) }
        if let v = e.endpoint { set(.endpoint, Hash64.string(v)) }
        if let v = e.system, !v.isEmpty { set(.system, Hash64.string(v, seed: Self.systemSeed)) }
        if let v = e.conversationID, !v.isEmpty { set(.conversation, Hash64.string(v)) }
    }

    @inline(__always)
    mutating func set(_ field: Present, _ hash: UInt64) {
        present.insert(field)
        switch field {
        case .userAgent: userAgent = hash
        case .tlsFingerprint: tlsFingerprint = hash
        case .apiKeyID: apiKeyID = hash
        case .endUserID: endUserID = hash
        case .model: model = hash
        case .endpoint: endpoint = hash
        case .conversation: conversation = hash
        default: system = hash
        }
    }
}
