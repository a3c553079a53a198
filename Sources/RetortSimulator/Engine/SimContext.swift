import Crypto
import RetortCore

/// State shared by all actors of one run: the window, prompts, address space, the buffer of events not
/// yet written, and the account and truth registries.
final class SimContext {
    let scenario: Scenario
    let corpus: PromptCorpus
    let geo = Geo()
    let startMs: Int64
    let endMs: Int64
    /// Release time of the new model, or `Int64.max`.
    let releaseMs: Int64
    let hashPrompts: Bool
    /// Events generated but not yet written (any order; sorted per hour on output).
    var pending: [Event] = []
    private(set) var accounts: [Account] = []
    private(set) var truth: [TruthLine] = []
    private var truthIndex: [String: Int] = [:]
    private var idCounter: UInt64 = 0
    private var convCounter: UInt64 = 0
    private let idSalt: UInt64

    struct TruthLine {
        var accountID: String
        var campaign: String?
        var kind: String
        var harvestExchanges: Int?
    }

    init(scenario: Scenario, corpus: PromptCorpus) {
        self.scenario = scenario
        self.corpus = corpus
        startMs = scenario.startMs
        endMs = scenario.endMs
        releaseMs =
            scenario.models.newModelDay >= 0
            ? startMs + Int64(scenario.models.newModelDay) * 86_400_000 : Int64.max
        hashPrompts = scenario.output.promptText == "sha256"
        idSalt = Hash64.mix(scenario.seed ^ 0x5EED_1D5)
    }

    /// Queues an event for output. Events may lie in later hours; none may lie before the current hour.
    /// `campaign` marks requests of campaign accounts (for the run summary only).
    @inline(__always)
    func emit(_ e: Event, campaign: Bool = false) {
        if e.ts >= endMs || e.ts < startMs { return }
        requestCounter += 1
        if campaign { campaignEvents += 1 }
        var h = e
        h.requestID = "req_" + SimContext.base36(SimContext.scramble(requestCounter &+ idSalt, bits: 56), digits: 11)
        if hashPrompts {
            if let p = h.prompt { h.promptSHA256 = SimContext.sha256(normalising: p) }
            h.prompt = nil
            h.system = nil
        }
        pending.append(h)
    }

    /// Requests emitted so far, and those of campaign accounts.
    private(set) var requestCounter: UInt64 = 0
    private(set) var campaignEvents = 0

    /// Registers a new account and its truth line, returning its id.
    func register(_ account: Account, kind: String, campaign: String?) {
        truthIndex[account.accountID] = truth.count
        accounts.append(account)
        truth.append(TruthLine(accountID: account.accountID, campaign: campaign, kind: kind))
    }

    func addHarvest(_ accountID: String, _ n: Int) {
        if let i = truthIndex[accountID] { truth[i].harvestExchanges = (truth[i].harvestExchanges ?? 0) + n }
    }

    /// A fresh opaque account id (`acct_` and 10 base-36 digits, short enough to be stored inline), unique in the run.
    func newAccountID() -> String {
        idCounter += 1
        return "acct_" + SimContext.base36(SimContext.scramble(idCounter &+ idSalt, bits: 51), digits: 10)
    }

    /// A fresh opaque conversation id.
    func newConversationID() -> String {
        convCounter += 1
        return "conv_" + SimContext.base36(SimContext.scramble(convCounter &+ (idSalt >> 7), bits: 51), digits: 10)
    }

    /// A fresh API key id.
    func newKeyID(_ rng: inout SimRandom) -> String {
        "key_" + rng.token(10)
    }

    /// A bijection on `bits`-bit integers (xorshift and odd multiplications modulo 2^bits), so distinct
    /// counters give distinct, random-looking ids. 36^10 > 2^51 and 36^11 > 2^56, so ids never collide.
    static func scramble(_ v: UInt64, bits: UInt64) -> UInt64 {
        let mask: UInt64 = (1 << bits) - 1
        var x = v & mask
        x ^= x >> (bits / 2)
        x = (x &* 0x9E37_79B9_7F4A_7C15) & mask
        x ^= x >> (bits / 2 - 3)
        x = (x &* 0xBF58_476D_1CE4_E5B9) & mask
        x ^= x >> (bits / 2)
        return x
    }

    static func base36(_ v: UInt64, digits: Int) -> String {
        let alphabet = Array("0123456789abcdefghijklmnopqrstuvwxyz".utf8)
        var out = [UInt8](repeating: 48, count: digits)
        var x = v
        for i in stride(from: digits - 1, through: 0, by: -1) {
            out[i] = alphabet[Int(x % 36)]
            x /= 36
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Prompt normalisation for `prompt_sha256`: trimmed, whitespace runs collapsed to one space, lowercased.
    static func normalise(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        var space = false
        for ch in s.lowercased() {
            if ch.isWhitespace {
                space = !out.isEmpty
            } else {
                if space { out.append(" ") }
                space = false
                out.append(ch)
            }
        }
        return out
    }

    static func sha256(normalising s: String) -> String {
        let digest = SHA256.hash(data: Array(normalise(s).utf8))
        let hex = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for b in digest {
            out.append(hex[Int(b >> 4)])
            out.append(hex[Int(b & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: Shared request helpers

    /// The model a genuine account asks for at `ms`: the flagship, moving to the new model gradually
    /// after its release (each account at its own time, fixed by `adopter` in [0, 1)).
    func benignModel(_ ms: Int64, adopter: Double) -> String {
        let m = scenario.models
        guard ms >= releaseMs else { return m.flagship }
        let days = Double(ms - releaseMs) / 86_400_000
        let share = min(0.9, m.benignAdoption * days / 30)
        return adopter < share ? m.newModel : m.flagship
    }

    /// Token estimate of a text (about four bytes a token).
    @inline(__always)
    static func tokens(_ s: String?) -> Int {
        guard let s else { return 0 }
        return max(1, s.utf8.count / 4)
    }

    /// Output length: log-normal around `median` tokens, capped by `maxTokens`.
    func outputTokens(_ rng: inout SimRandom, median: Double, sigma: Double = 0.7, maxTokens: Int?) -> Int {
        let v = Int(rng.lognormal(median: median, sigma: sigma)) + 1
        return min(v, maxTokens ?? 16_384)
    }

    /// Latency of a response with `output` tokens.
    func latency(_ rng: inout SimRandom, output: Int, reasoning: Int = 0) -> Int {
        Int(rng.lognormal(median: 350, sigma: 0.4)) + Int(Double(output + reasoning) * rng.uniform(9, 22))
    }
}
