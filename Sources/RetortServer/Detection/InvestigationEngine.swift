import RetortCore
import Synchronization

/// The full detector of RetortCore (`Investigation`) behind the server's `RiskEngine` protocol.
///
/// Events update per-account sketches in O(1); `recluster` runs the whole clustering and scoring on the
/// accumulated state (the same computation as `retort investigate` on the same events). The investigation
/// is guarded by a mutex, so ingest waits while a re-clustering runs (the ingest queue absorbs the pause).
public final class InvestigationEngine: RiskEngine {
    private let investigation: Mutex<Investigation>

    public init(config: DetectionConfig = .default) {
        investigation = Mutex(Investigation(config: config))
    }

    public func ingest(_ events: [Event]) {
        investigation.withLock { inv in
            for e in events { inv.add(e) }
        }
    }

    public func add(_ accounts: [Account]) {
        investigation.withLock { inv in
            for a in accounts { inv.add(a) }
        }
    }

    public func recluster() -> EngineResult {
        let findings = investigation.withLock { inv in inv.run(input: InputSummary(events: inv.eventsAdded)) }
        return Self.result(findings)
    }

    /// Maps findings (formats.md section 4) to the server's view.
    static func result(_ f: Findings) -> EngineResult {
        var accounts: [String: AccountRisk] = [:]
        for a in f.accounts {
            accounts[a.accountID] = AccountRisk(score: a.score, campaignID: a.campaign, reasons: a.reasons)
        }
        let campaigns = f.campaigns.map { c in
            CampaignRisk(
                id: c.id, score: c.score, accounts: c.accounts.sorted(), exchanges: c.exchanges,
                inputTokens: c.inputTokens, outputTokens: c.outputTokens,
                signals: c.signals.map { "\($0.name): \($0.detail)" })
        }
        for c in campaigns {
            for m in c.accounts where accounts[m] == nil {
                accounts[m] = AccountRisk(score: c.score, campaignID: c.id, reasons: ["member of campaign \(c.id)"])
            }
        }
        return EngineResult(accounts: accounts, campaigns: campaigns, events: f.input.events)
    }
}
