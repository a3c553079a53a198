import Foundation

/// How an account's requests are made, as counts of requests with each of a few yes-or-no traits that one
/// request shows on its own (no time shape, no history): opens a conversation, sets no `max_tokens`, sets no
/// temperature, asks for the token ceiling, several completions, thinking, a reasoning trace, probes the API,
/// sends tools. The accounts of one operation run the same software, so their requests share these traits;
/// a person's browser chats do not share them with a script's requests.
///
/// Counts add up, so the conduct of a group is the sum of its members'. ``logLikelihoodRatio(_:_:)`` compares
/// one account's requests with two such sums.
public struct RequestConduct: Sendable {
    /// Requests with each trait, by trait index.
    public var yes = InlineArray<9, Int>(repeating: 0)
    /// Requests that could show each trait (all requests, or those carrying `turn`, or those with text).
    public var of = InlineArray<9, Int>(repeating: 0)

    public static var traitCount: Int { 9 }

    public init() {}

    /// The conduct counted in an account's state. The requests without `max_tokens` or temperature are read
    /// from the heavy hitters of those values (exact while an account has used at most four values of each,
    /// as a thin account nearly always has; otherwise a lower bound).
    public init(_ st: AccountState) {
        self.init()
        let n = st.events
        func absent(_ s: InlineSpaceSaving<4>) -> Int {
            for i in 0..<s.count where s.key(at: i) == 0 { return Int(s.count(at: i)) }
            return 0
        }
        let traits: InlineArray<9, (Int, Int)> = [
            (st.singleTurn, st.turnKnown),
            (absent(st.maxTokensValues), n),
            (absent(st.temperatureValues), n),
            (st.maxTokensAtCeiling, n),
            (st.multipleCompletions, n),
            (st.thinking, n),
            (st.reasoningElicited, st.withText),
            (max(st.logitBias, st.topLogprobs, st.tinyMaxTokens), n),
            (st.tools, n),
        ]
        for i in 0..<Self.traitCount {
            yes[i] = min(traits[i].0, traits[i].1)
            of[i] = traits[i].1
        }
    }

    public static func + (a: Self, b: Self) -> Self {
        var c = a
        c += b
        return c
    }

    public static func += (a: inout Self, b: Self) {
        for i in 0..<traitCount {
            a.yes[i] += b.yes[i]
            a.of[i] += b.of[i]
        }
    }

    public static func - (a: Self, b: Self) -> Self {
        var c = a
        for i in 0..<traitCount {
            c.yes[i] -= b.yes[i]
            c.of[i] -= b.of[i]
        }
        return c
    }

    /// The share of requests with each trait, smoothed by half a request each way (a group's, request-weighted).
    public var shares: TraitShares {
        var t = TraitShares()
        for i in 0..<Self.traitCount { t.share[i] = (Double(yes[i]) + 0.5) / (Double(of[i]) + 1) }
        return t
    }

    /// The log-likelihood ratio (natural log) of this account's requests under the trait shares of `group`
    /// against those of `background`, each trait taken as independent: positive when its requests look like
    /// the group's, negative when they look like the background's, near 0 when the two do not differ or the
    /// account shows too little.
    public func logLikelihoodRatio(_ group: TraitShares, _ background: TraitShares) -> Double {
        var llr = 0.0
        for i in 0..<Self.traitCount where of[i] > 0 {
            let p = group.share[i]
            let q = background.share[i]
            let k = Double(yes[i])
            let rest = Double(of[i] - yes[i])
            llr += k * log(p / q) + rest * log((1 - p) / (1 - q))
        }
        return llr
    }
}

/// Shares of requests with each ``RequestConduct`` trait, each in (0, 1).
public struct TraitShares: Sendable {
    public var share = InlineArray<9, Double>(repeating: 0.5)
    public init() {}
}

/// The conduct of many accounts, each weighing one (not by its requests): the typical account's share of each
/// trait, which a few heavy accounts (an app's hundred thousand requests at a fixed `max_tokens`) do not set.
/// Accounts add and subtract, so the background of a group is everyone's mix less the group's.
public struct ConductMix: Sendable {
    var sum = InlineArray<9, Double>(repeating: 0)
    var accounts = InlineArray<9, Double>(repeating: 0)

    public init() {}

    public mutating func add(_ c: RequestConduct, sign: Double = 1) {
        for i in 0..<RequestConduct.traitCount where c.of[i] > 0 {
            sum[i] += sign * Double(c.yes[i]) / Double(c.of[i])
            accounts[i] += sign
        }
    }

    /// The mean share of each trait over the accounts that could show it, smoothed by half an account each way.
    public var shares: TraitShares {
        var t = TraitShares()
        for i in 0..<RequestConduct.traitCount { t.share[i] = (max(0, sum[i]) + 0.5) / (max(0, accounts[i]) + 1) }
        return t
    }
}
