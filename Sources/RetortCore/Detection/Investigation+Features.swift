extension Investigation {
    /// The latest run's per-account features as tab-separated values (header first, accounts by id):
    /// volume, behaviour score, every behaviour signal, cluster size before scoring, link weight and the counts of
    /// harvest-like and trace-asking requests, and for a thin account judged with others like it the pooled
    /// group's raw score and size (0 and 0 otherwise).
    public func featureTable() -> String {
        var lines = [
            ([
                "account_id", "events", "behaviour", "raw", "harvest", "cluster", "link_weight", "end_users",
                "harvest_like", "trace_harvest", "pooled", "pool_size",
            ]
                + BehaviourSignal.allCases.map(\.name)).joined(separator: "\t")
        ]
        guard latestProfiles.count == ids.count else { return lines[0] + "\n" }
        for i in (0..<ids.count).sorted(by: { ids[$0] < ids[$1] }) {
            let p = latestProfiles[i]
            var row = [
                ids[i], String(states[i].events), fmt4(p.score), fmt4(p.rawScore), fmt4(CampaignEvidence.harvest(p)),
                String(latestClusterSize[i]), fmt4(latestLinkWeight[i]),
                String(Int(states[i].endUsers.estimate.rounded())), String(states[i].harvestLike),
                String(states[i].traceHarvest), fmt4(p.pooledRawScore ?? 0), String(p.pooledAccounts),
            ]
            row += p.signals.map(fmt4)
            lines.append(row.joined(separator: "\t"))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

func fmt4(_ x: Double) -> String { String((x * 10_000).rounded() / 10_000) }
