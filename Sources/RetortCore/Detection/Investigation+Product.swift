import Foundation

extension Investigation {
    /// For each account, how much its template is its own customer's (1) rather than one that many customers
    /// send (0): from the number of distinct customers sending its product template, by `product_rare_at` and
    /// `product_common_at` (`behaviour`), log-linear between. An account's product template is its top system
    /// prompt when that is on half its requests or more, else its top prompt frame when that is on half its
    /// requests with text; an account with neither, or fewer than 32 requests (the templated-product signal's
    /// own bar), gets 1. A customer is a declared organisation, else a payment card, else the account itself.
    /// A template is sent by an account when it sent it twice or more (a frame: ``AccountState/sentFrameMin``). Also returns how many accounts send each account's product template (1 for an
    /// account without one).
    func productExclusivity() -> [ProductShare] {
        let n = ids.count
        var out = [ProductShare](repeating: ProductShare(), count: n)
        let rareAt = config.behaviour.productRareAt
        let commonAt = config.behaviour.productCommonAt
        guard commonAt > 0 else { return out }
        // The product template of each account that has one (system prompts and frames hash apart: seeded).
        var product = [UInt64](repeating: 0, count: n)
        var wanted: [UInt64: Set<UInt64>] = [:]
        var senders: [UInt64: Int] = [:]
        for i in 0..<n {
            let st = states[i]
            guard st.events >= 32 else { continue }
            if let k = st.systemPrompts.topKey, k != 0, Double(st.systemPrompts.topCount) >= 0.5 * Double(st.events) {
                product[i] = Hash64.mix(k ^ 0x7379_73)
            } else if st.withText > 0, let k = st.frames.topKey, k != 0,
                Double(st.frames.topCount) >= 0.5 * Double(st.withText)
            {
                product[i] = Hash64.mix(k ^ 0x6672_6d)
            }
            if product[i] != 0 { wanted[product[i]] = [] }
        }
        guard !wanted.isEmpty else { return out }
        // Customers sending each wanted template, counted up to `commonAt` (past that the value no longer matters).
        for i in 0..<n {
            let st = states[i]
            guard st.events > 0 else { continue }
            let customer: UInt64
            if let org = declaredOrg(i), !org.isEmpty {
                customer = Hash64.string(org, seed: 0x6f72_67)
            } else if let pay = metas[i]?.payment, pay != 0 {
                customer = Hash64.mix(pay ^ 0x7061_79)
            } else {
                customer = Hash64.mix(UInt64(i) ^ 0x6163_63)
            }
            func note(_ key: UInt64) {
                guard var set = wanted[key] else { return }
                senders[key, default: 0] += 1
                guard set.count < commonAt else { return }
                set.insert(customer)
                wanted[key] = set
            }
            for j in 0..<st.systemPrompts.count where st.systemPrompts.count(at: j) >= 2 {
                note(Hash64.mix(st.systemPrompts.key(at: j) ^ 0x7379_73))
            }
            for j in 0..<st.frames.count where st.frames.count(at: j) >= st.sentFrameMin {
                note(Hash64.mix(st.frames.key(at: j) ^ 0x6672_6d))
            }
        }
        for i in 0..<n where product[i] != 0 {
            out[i].senders = max(1, senders[product[i]] ?? 1)
            let customers = max(1, wanted[product[i]]?.count ?? 1)
            if customers <= rareAt { continue }
            if customers >= commonAt || commonAt <= rareAt {
                out[i].exclusivity = 0
            } else {
                out[i].exclusivity =
                    log(Double(commonAt) / Double(customers)) / log(Double(commonAt) / Double(rareAt))
            }
        }
        return out
    }
}

/// How much an account's product template is its customer's own (``Investigation/productExclusivity()``).
public struct ProductShare: Sendable, Equatable {
    /// 1 for a template of at most `product_rare_at` customers (or an account without one), 0 from
    /// `product_common_at`, log-linear between.
    public var exclusivity = 1.0
    /// The accounts sending the template (twice or more); 1 for an account without one.
    public var senders = 1

    public init(exclusivity: Double = 1, senders: Int = 1) {
        self.exclusivity = exclusivity
        self.senders = senders
    }
}
