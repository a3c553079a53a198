import RetortCore
import Synchronization

/// A small self-contained engine: per-account counters updated in O(1) per event, and re-clustering by
/// shared prompt templates and shared payment instruments (union-find over accounts, no pairwise pass).
///
/// It is the server's fallback when no richer engine is plugged in; `InvestigationEngine` wraps the full
/// detector of RetortCore.
public final class BasicRiskEngine: RiskEngine {
    struct AccountState {
        var exchanges = 0
        var inputTokens = 0
        var outputTokens = 0
        var singleTurn = 0
        var lastMaxTokens: Int?
        var sameMaxTokens = 0
        var templates: [UInt64] = []
    }

    struct State {
        var accounts: [String: AccountState] = [:]
        var templateAccounts: [UInt64: [String]] = [:]
        var records: [String: Account] = [:]
        var events = 0
    }

    /// Most distinct templates remembered per account.
    let maxTemplatesPerAccount = 32
    /// A template shared by more accounts than this is treated as common (a public benchmark, a greeting).
    let maxTemplateSharing = 500
    /// Smallest linked group reported as a campaign.
    let minCampaignSize = 3

    private let state = Mutex(State())

    public init() {}

    public func ingest(_ events: [Event]) {
        state.withLock { s in
            for e in events {
                s.events += 1
                var a = s.accounts[e.accountID] ?? AccountState()
                a.exchanges += 1
                a.inputTokens += e.inputTokens ?? 0
                a.outputTokens += e.outputTokens ?? 0
                if let turn = e.turn, turn <= 1 { a.singleTurn += 1 }
                if let m = e.maxTokens {
                    if m == a.lastMaxTokens { a.sameMaxTokens += 1 }
                    a.lastMaxTokens = m
                }
                if let key = BasicRiskEngine.templateKey(e), a.templates.count < maxTemplatesPerAccount,
                    !a.templates.contains(key)
                {
                    a.templates.append(key)
                    var list = s.templateAccounts[key, default: []]
                    if list.count <= maxTemplateSharing { list.append(e.accountID) }
                    s.templateAccounts[key] = list
                }
                s.accounts[e.accountID] = a
            }
        }
    }

    public func add(_ accounts: [Account]) {
        state.withLock { s in
            for a in accounts { s.records[a.accountID] = a }
        }
    }

    public func recluster() -> EngineResult {
        state.withLock { s in BasicRiskEngine.cluster(s, minSize: minCampaignSize, maxShare: maxTemplateSharing) }
    }

    /// Template key of a prompt: its hash when given, else the prompt with digits masked and case folded.
    static func templateKey(_ e: Event) -> UInt64? {
        if let h = e.promptSHA256 { return Hash64.string(h) }
        guard let p = e.prompt else { return nil }
        var skeleton = ""
        var inDigits = false
        for ch in p.lowercased() {
            if ch.isNumber {
                if !inDigits { skeleton.append("#") }
                inDigits = true
            } else {
                skeleton.append(ch)
                inDigits = false
            }
        }
        return Hash64.string(skeleton)
    }

    static func cluster(_ s: State, minSize: Int, maxShare: Int) -> EngineResult {
        let ids = s.accounts.keys.sorted()
        var index: [String: Int] = [:]
        for (i, id) in ids.enumerated() { index[id] = i }
        var parent = Array(0..<ids.count)
        func find(_ x: Int) -> Int {
            var x = x
            while parent[x] != x {
                parent[x] = parent[parent[x]]
                x = parent[x]
            }
            return x
        }
        func union(_ a: Int, _ b: Int) {
            let ra = find(a), rb = find(b)
            if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
        }
        // Two accounts are linked when they share at least two templates (one shared template is common).
        var pairCounts: [UInt64: Int] = [:]
        var sharedTemplates = [Int](repeating: 0, count: ids.count)
        for (_, members) in s.templateAccounts where members.count >= 2 && members.count <= maxShare {
            let sortedMembers = members.compactMap { index[$0] }.sorted()
            for m in sortedMembers { sharedTemplates[m] += 1 }
            // Chain neighbours only: linear in members, enough for connectivity of dense groups.
            for k in 1..<sortedMembers.count {
                let key = UInt64(sortedMembers[k - 1]) << 32 | UInt64(sortedMembers[k])
                pairCounts[key, default: 0] += 1
            }
        }
        for (key, n) in pairCounts where n >= 2 { union(Int(key >> 32), Int(key & 0xffff_ffff)) }
        var byPayment: [String: Int] = [:]
        for (id, rec) in s.records {
            guard let i = index[id], let p = rec.paymentFingerprint else { continue }
            if let j = byPayment[p] { union(i, j) } else { byPayment[p] = i }
        }
        var groups: [Int: [Int]] = [:]
        for i in 0..<ids.count { groups[find(i), default: []].append(i) }

        var accounts: [String: AccountRisk] = [:]
        var campaigns: [CampaignRisk] = []
        for (_, members) in groups {
            let verifiedShare =
                Double(members.filter { s.records[ids[$0]]?.verified == true }.count) / Double(members.count)
            var behaviour = 0.0
            for m in members {
                let a = s.accounts[ids[m]]!
                let single = Double(a.singleTurn) / Double(max(a.exchanges, 1))
                let fixed = Double(a.sameMaxTokens) / Double(max(a.exchanges - 1, 1))
                behaviour += 0.5 * single + 0.5 * min(fixed, 1)
            }
            behaviour /= Double(members.count)
            if members.count >= minSize && verifiedShare < 0.5 {
                let memberIDs = members.map { ids[$0] }.sorted()
                let sizeFactor = 1 - 1 / Double(members.count - 1)
                let score = min(1, 0.45 + 0.35 * sizeFactor + 0.2 * behaviour)
                var h: UInt64 = 0xcbf2_9ce4_8422_2325
                for id in memberIDs { h = Hash64.mix(h ^ Hash64.string(id)) }
                let id = "C-" + String(h >> 16, radix: 16)
                var ex = 0, inT = 0, outT = 0
                for m in memberIDs {
                    let a = s.accounts[m]!
                    ex += a.exchanges
                    inT += a.inputTokens
                    outT += a.outputTokens
                }
                let shared = members.map { sharedTemplates[$0] }.max() ?? 0
                campaigns.append(
                    CampaignRisk(
                        id: id, score: score, accounts: memberIDs, exchanges: ex, inputTokens: inT,
                        outputTokens: outT,
                        signals: [
                            "shared_templates: \(memberIDs.count) accounts share prompt templates (up to \(shared))",
                            "behaviour: single-turn and fixed-parameter share \(Int(behaviour * 100))%",
                        ]))
                for m in memberIDs {
                    accounts[m] = AccountRisk(
                        score: score, campaignID: id,
                        reasons: ["member of campaign \(id) (\(memberIDs.count) accounts linked by shared templates)"])
                }
            } else {
                for m in members {
                    let a = s.accounts[ids[m]]!
                    let single = Double(a.singleTurn) / Double(max(a.exchanges, 1))
                    let fixed = Double(a.sameMaxTokens) / Double(max(a.exchanges - 1, 1))
                    let score = a.exchanges >= 50 ? 0.2 * single + 0.2 * min(fixed, 1) : 0
                    if score > 0 {
                        accounts[ids[m]] = AccountRisk(
                            score: score, reasons: ["single-turn \(Int(single * 100))%, fixed max_tokens"])
                    }
                }
            }
        }
        campaigns.sort { $0.score != $1.score ? $0.score > $1.score : $0.id < $1.id }
        return EngineResult(accounts: accounts, campaigns: campaigns, events: s.events)
    }
}
