import Foundation

extension EvaluationReport {
    /// The report as a plain-text table (what `retort evaluate` prints).
    public func table() -> String {
        func f(_ x: Double) -> String { String(format: "%.4f", x) }
        func pad(_ s: String, _ w: Int) -> String { s.count >= w ? s : s + String(repeating: " ", count: w - s.count) }
        var lines: [String] = []
        lines.append("Campaign recall (account level)")
        lines.append(
            pad("campaign", 28) + pad("kind", 26) + pad("accounts", 10) + pad("found", 8) + pad("recall", 9) + "split")
        for c in campaigns {
            lines.append(
                pad(c.campaign, 28) + pad(c.kind ?? "-", 26) + pad(String(c.accounts), 10) + pad(String(c.found), 8)
                    + pad(f(c.recall), 9) + String(c.foundIn))
        }
        lines.append("")
        lines.append("Benign populations")
        lines.append(pad("kind", 28) + pad("accounts", 10) + pad("false pos", 11) + "rate")
        for b in benign {
            lines.append(pad(b.kind, 28) + pad(String(b.accounts), 10) + pad(String(b.falsePositives), 11) + f(b.rate))
        }
        lines.append("")
        lines.append(
            "overall: precision \(f(overall.precision))  recall \(f(overall.recall))  F1 \(f(overall.f1))  "
                + "(tp \(overall.truePositives), fp \(overall.falsePositives), fn \(overall.falseNegatives))")
        lines.append("benign false-positive rate: \(String(format: "%.2e", benignFalsePositiveRate))")
        lines.append(
            "found campaigns: \(found.count), mean purity \(f(meanPurity)), whole false campaigns: \(wholeFalseCampaigns)"
        )
        for w in found where w.wholeFalse {
            lines.append("  false campaign \(w.id): \(w.accounts) accounts, mostly \(w.benignKind ?? "?")")
        }
        for w in found where w.trueHarvest != nil {
            lines.append(
                "  harvest estimate \(w.id): \(w.estimate) [\(w.estimateLow)-\(w.estimateHigh)] vs true \(w.trueHarvest!)"
            )
        }
        if let e = harvestRelativeError { lines.append("harvest exchange relative error: \(f(e))") }
        return lines.joined(separator: "\n")
    }
}
