import Foundation
import RetortCore

/// The terminal summary of findings.
enum Summary {
    static func render(_ f: Findings, topCampaigns: Int = 10) -> String {
        var lines: [String] = []
        let members = f.campaigns.reduce(0) { $0 + $1.accounts.count }
        let exchanges = f.campaigns.reduce(0) { $0 + $1.exchanges }
        lines.append(
            "Window \(f.window.from) to \(f.window.to): \(f.input.events) events, \(f.input.accounts) accounts, "
                + "\(f.input.badRecords) bad records, \(f.input.duplicates) duplicates")
        lines.append(
            "Found \(f.campaigns.count) campaign(s): \(members) accounts, \(exchanges) exchanges; "
                + "\(f.accounts.count) accounts at or above the reporting threshold")
        // The same note on every campaign of a log that does not record some fields: said once, up front.
        if let note = f.campaigns.lazy.compactMap({ $0.signals.first { $0.name == "unrecorded_fields" } }).first {
            lines.append("Note: " + note.detail)
        }
        for c in f.campaigns.prefix(topCampaigns) {
            lines.append("")
            let est = c.exchangesEstimate
            var head =
                "\(c.id)  score \(String(format: "%.2f", c.score))  \(c.accounts.count) accounts  "
                + "\(c.exchanges) exchanges  \(c.inputTokens + c.outputTokens) tokens  \(c.firstSeen) .. \(c.lastSeen)"
            if est.value != c.exchanges { head += "  harvesting ~\(est.value) [\(est.low)-\(est.high)]" }
            lines.append(head)
            let caps = c.capabilities.filter { $0.value >= 0.1 }.sorted { $0.value > $1.value }
                .map { "\($0.key) \(Int(($0.value * 100).rounded()))%" }
            if !caps.isEmpty { lines.append("  capabilities: " + caps.joined(separator: ", ")) }
            for s in c.signals.lazy.filter({ $0.name != "unrecorded_fields" }).prefix(5) {
                lines.append("  - \(s.detail)")
            }
        }
        if f.campaigns.count > topCampaigns { lines.append("\n... and \(f.campaigns.count - topCampaigns) more") }
        return lines.joined(separator: "\n")
    }
}
