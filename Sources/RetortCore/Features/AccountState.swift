/// Everything kept about one account while events stream in: fixed-size counters and bounded sketches,
/// no per-event storage. The sketches are stored inline (one value, no heap buffer each); only
/// ``activeDays``, ``coverageSnapshots`` and sets past two values grow on the heap. Updated in O(1) amortised per event by ``update(_:analysis:config:)``.
public struct AccountState: Sendable {
    // Volume.
    public var events: Int = 0
    public var inputTokens: Int = 0
    public var outputTokens: Int = 0
    public var reasoningTokens: Int = 0
    public var firstTs: Int64 = .max
    public var lastTs: Int64 = .min

    // Time shape.
    /// Requests per hour of day (UTC).
    public var hourOfDay = InlineArray<24, UInt32>(repeating: 0)
    /// Active hours, as sorted `day << 24 | hour mask` words (one word per active day).
    public var activeDays: [UInt64] = []
    /// Gaps between consecutive requests, in log-seconds.
    public var logGaps = Welford()
    var previousTs: Int64 = .min

    // Conversation and parameters.
    public var status429: Int = 0
    /// Requests known to open a conversation (`turn` 1); a request without `turn` counts as unknown, not as
    /// single-turn (a log without conversation fields must not make every account look single-turn).
    public var singleTurn: Int = 0
    /// Requests carrying `turn`.
    public var turnKnown: Int = 0
    public var maxTurn: Int = 0
    /// Follow-up turns whose input tokens do not carry their conversation's earlier context (counted in
    /// ``singleTurn`` too): a conversation id and turn number a client made up.
    public var contextlessTurns: Int = 0
    /// The last two conversations seen, most recent first.
    var conversations = InlineArray<2, OpenConversation>(repeating: OpenConversation())
    public var maxTokensValues = InlineSpaceSaving<4>()
    public var temperatureValues = InlineSpaceSaving<4>()
    public var maxTokensAtCeiling: Int = 0
    public var multipleCompletions: Int = 0
    public var thinking: Int = 0
    public var tools: Int = 0

    // API-surface extraction.
    public var logitBias: Int = 0
    public var topLogprobs: Int = 0
    /// Requests asking top_logprobs over an answer longer than a few tokens (a probability distribution per
    /// token of a full answer: soft labels), as opposed to a one-token answer (a multiple-choice evaluation).
    public var longLogprobs: Int = 0
    public var tinyMaxTokens: Int = 0
    /// Requests whose exact prompt this account had already sent (from a small per-account memory).
    public var repeatedPrompts: Int = 0
    var recentPrompts = InlineSpaceSaving<8>()

    // Client identity churn.
    public var userAgents = BoundedSet(capacity: 16)
    public var tlsFingerprints = BoundedSet(capacity: 16)
    public var apiKeys = BoundedSet(capacity: 32)
    public var endUsers = HyperLogLog()

    // Infrastructure heavy hitters.
    public var ips = InlineSpaceSaving<4>()
    public var networks = InlineSpaceSaving<4>()
    public var asns = InlineSpaceSaving<3>()
    public var distinctIPs = HyperLogLog()
    public var models = InlineSpaceSaving<4>()
    /// First time each of the (up to 4) models was used: model hash → first ts.
    public var modelFirstUse = ModelFirstUse()
    public var endpoints = InlineSpaceSaving<2>()

    // Content.
    public var withText: Int = 0
    public var reasoningElicited: Int = 0
    /// Requests per ``Capability`` (by raw value).
    public var capabilityCounts = InlineArray<6, UInt32>(repeating: 0)
    public var templates = InlineSpaceSaving<8>()
    public var frames = InlineSpaceSaving<8>()
    /// The least count of a prompt frame that the account sends as its own, not in passing: on a tenth of its
    /// requests with text, and at least twice (as frame links and product templates count it).
    public var sentFrameMin: UInt32 { UInt32(max(2, withText / 10)) }
    public var systemPrompts = InlineSpaceSaving<2>()
    public var distinctTemplates = HyperLogLog()
    /// Distinct-template estimates at event counts 2^k (coverage growth: sweep or product).
    public var coverageSnapshots: [Float] = []
    /// Requests judged harvest-like one by one (for reseller estimates).
    public var harvestLike: Int = 0
    /// Requests that ask for a reasoning trace one by one: chain-of-thought elicitation, n > 1, or thinking at
    /// the token ceiling (``harvestLike`` without API probing, which evaluation harnesses also do).
    public var traceHarvest: Int = 0

    public init() {}
}

/// A conversation as its last request left it: the hash of its `conversation_id` (0 for a free slot), the turn
/// it was at and the input tokens its next turn would reach if the client resent the history
/// (``DetectionConfig/Behaviour/continuationContextShare``).
struct OpenConversation: Sendable {
    var key: UInt64 = 0
    var context: UInt32 = 0
    var turn: UInt32 = 0
}
