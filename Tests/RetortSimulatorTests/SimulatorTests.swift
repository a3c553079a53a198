import Foundation
import RetortCore
import Testing

@testable import RetortSimulator

/// Runs small scenarios and checks the output: determinism, validity, and the statistical shape of the
/// populations. Tests that need the real prompt corpora are skipped when the folder is absent.
@Suite(.serialized) struct SimulatorTests {
    static let corpusFolder = PromptCorpus.defaultFolder()
    static let hasCorpus = FileManager.default.fileExists(atPath: corpusFolder + "/benign-dolly.jsonl.gz")

    /// A two-week world with every genuine population and a default campaign.
    static func scenario(seed: UInt64) -> Scenario {
        var s = Scenario()
        s.seed = seed
        s.weeks = 2
        var casual = PopulationSpec(kind: "benign-casual", count: 300, volume: 3)
        casual.countries = ["DE", "IN", "JP", "BR"]
        s.populations = [
            casual,
            PopulationSpec(kind: "benign-app", count: 2, volume: 3, volumeSigma: 0.3),
            PopulationSpec(kind: "benign-enterprise", count: 2, members: [5, 8], volume: 4),
            PopulationSpec(kind: "benign-campus", count: 1, members: [20, 30], volume: 3),
            PopulationSpec(kind: "benign-benchmark", count: 2, members: [1, 2], volume: 3),
            PopulationSpec(kind: "benign-power", count: 1, volume: 1),
            PopulationSpec(kind: "benign-team", count: 1, members: [3, 4], volume: 4),
            PopulationSpec(kind: "benign-cgnat", count: 30, volume: 3),
        ]
        var c = CampaignSpec()
        c.id = "C-1"
        c.accounts = 40
        c.startDay = 2
        c.days = 7
        var h = CampaignSpec()
        h.id = "C-2"
        h.style = "hydra"
        h.mechanism = "hydra"
        h.accounts = 1
        h.rate = 6
        h.days = 10
        var l = CampaignSpec()
        l.id = "C-3"
        l.style = "logit"
        l.mechanism = "logit"
        l.accounts = 2
        l.rate = 3
        l.days = 5
        s.campaigns = [c, h, l]
        return s
    }

    static func corpus() throws -> PromptCorpus {
        try PromptCorpus.shared(folder: corpusFolder)
    }

    static func run(_ s: Scenario) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("retort-sim-\(UUID().uuidString)").path
        _ = try Simulator(scenario: s, corpus: try corpus()).run(directory: dir)
        return dir
    }

    struct Output {
        var events: [Event] = []
        var accounts: [String: Account] = [:]
        var kind: [String: String] = [:]
        var campaign: [String: String] = [:]
        var report = IngestReport()
        var accountReport = IngestReport()
    }

    static func read(_ dir: String) throws -> Output {
        var o = Output()
        let reader = EventReader()
        try reader.read(path: dir + "/events.jsonl.gz") { o.events.append($0) }
        o.report = reader.report
        let ar = AccountReader()
        try ar.read(path: dir + "/accounts.jsonl") { o.accounts[$0.accountID] = $0 }
        o.accountReport = ar.report
        let text = try String(contentsOfFile: dir + "/truth.jsonl", encoding: .utf8)
        for line in text.split(separator: "\n") {
            let t = try JSONDecoder().decode(TruthRecord.self, from: Data(line.utf8))
            o.kind[t.accountID] = t.kind
            if let c = t.campaign { o.campaign[t.accountID] = c }
        }
        return o
    }

    static let shared: Result<Output, any Error> = Result {
        let dir = try run(scenario(seed: 11))
        defer { try? FileManager.default.removeItem(atPath: dir) }
        return try read(dir)
    }

    @Test func sameSeedGivesIdenticalBytesAndOtherSeedsDiffer() throws {
        var s = SimulatorTests.scenario(seed: 5)
        s.weeks = 1
        s.populations[0].count = 100
        let a = try SimulatorTests.run(s)
        let b = try SimulatorTests.run(s)
        s.seed = 6
        let c = try SimulatorTests.run(s)
        defer { for d in [a, b, c] { try? FileManager.default.removeItem(atPath: d) } }
        for file in ["events.jsonl.gz", "accounts.jsonl", "truth.jsonl"] {
            let x = try Data(contentsOf: URL(fileURLWithPath: a + "/" + file))
            let y = try Data(contentsOf: URL(fileURLWithPath: b + "/" + file))
            let z = try Data(contentsOf: URL(fileURLWithPath: c + "/" + file))
            #expect(x.count > 100)
            #expect(x == y, "\(file) differs between two runs with one seed")
            #expect(x != z, "\(file) is the same for two seeds")
        }
    }

    @Test func outputParsesCleanlyInTimeOrder() throws {
        let o = try SimulatorTests.shared.get()
        #expect(o.report.badRecords == 0)
        #expect(o.report.duplicates == 0)
        #expect(o.report.fileErrors.isEmpty)
        #expect(o.accountReport.badRecords == 0)
        #expect(o.accountReport.duplicates == 0)
        #expect(o.events.count > 5_000)
        #expect(zip(o.events, o.events.dropFirst()).allSatisfy { $0.ts <= $1.ts })
        // Every event's account has an account record and a truth line.
        #expect(o.events.allSatisfy { o.accounts[$0.accountID] != nil && o.kind[$0.accountID] != nil })
        #expect(o.accounts.count == o.kind.count)
        let kinds = Set(o.kind.values)
        for k in [
            "benign-casual", "benign-app", "benign-enterprise", "benign-campus", "benign-benchmark",
            "benign-power", "benign-team", "benign-cgnat", "campaign-distill", "campaign-hydra", "campaign-logit",
        ] {
            #expect(kinds.contains(k), "no accounts of kind \(k)")
        }
    }

    @Test func casualUsersAreDiurnalInTheirOwnTimeZone() throws {
        let o = try SimulatorTests.shared.get()
        let offsets = ["DE": 60, "IN": 330, "JP": 540, "BR": -180]
        var day = 0
        var night = 0
        for e in o.events where o.kind[e.accountID] == "benign-casual" {
            let offset = try #require(offsets[e.country ?? ""])
            let hour = Profile.local(e.ts, offsetMinutes: offset).hour
            if (9..<21).contains(hour) { day += 1 }
            if (1..<6).contains(hour) { night += 1 }
        }
        let ratio = (Double(day) / 12) / (Double(max(night, 1)) / 5)
        #expect(day + night > 1_000)
        #expect(ratio > 3, "day/night ratio \(ratio)")
    }

    @Test func campaignAccountsAverageAboutOneRequestAnHour() throws {
        let o = try SimulatorTests.shared.get()
        var perAccount: [String: Int] = [:]
        for e in o.events where o.campaign[e.accountID] == "C-1" { perAccount[e.accountID, default: 0] += 1 }
        #expect(perAccount.count == 40)
        let hours = 7.0 * 24
        let rates = perAccount.values.map { Double($0) / hours }
        let mean = rates.reduce(0, +) / Double(rates.count)
        #expect(mean > 0.85 && mean < 1.2, "mean rate \(mean)/h")
        #expect(rates.allSatisfy { $0 > 0.3 && $0 < 3 })
        // Active around the clock: every UTC hour of the day is used.
        let hoursUsed = Set(o.events.filter { o.campaign[$0.accountID] == "C-1" }.map { ($0.ts / 3_600_000) % 24 })
        #expect(hoursUsed.count == 24)
    }

    @Test func enterpriseAccountsShareCardAndVerifiedOrg() throws {
        let o = try SimulatorTests.shared.get()
        let members = o.accounts.values.filter { o.kind[$0.accountID] == "benign-enterprise" }
        let orgs = Dictionary(grouping: members) { $0.orgID ?? "" }
        #expect(orgs.count == 2)
        for (org, accounts) in orgs {
            #expect(!org.isEmpty)
            #expect(accounts.count >= 5)
            #expect(Set(accounts.map(\.paymentFingerprint)).count == 1)
            #expect(accounts.allSatisfy { $0.verified == true })
        }
    }

    @Test func campusAccountsShareAnAddress() throws {
        let o = try SimulatorTests.shared.get()
        var users: [IPAddress: Set<String>] = [:]
        for e in o.events where o.kind[e.accountID] == "benign-campus" {
            if let ip = e.ip { users[ip, default: []].insert(e.accountID) }
        }
        let campus = Set(o.kind.filter { $0.value == "benign-campus" }.keys)
        let active = Set(users.values.flatMap { $0 })
        let busiest = users.values.map(\.count).max() ?? 0
        #expect(campus.count >= 20)
        #expect(Double(busiest) >= 0.4 * Double(active.count), "busiest address has \(busiest) of \(active.count)")
        let cards = Set(o.accounts.values.filter { campus.contains($0.accountID) }.compactMap(\.paymentFingerprint))
        #expect(
            cards.count
                == o.accounts.values.filter { campus.contains($0.accountID) && $0.paymentFingerprint != nil }.count)
    }

    @Test(.enabled(if: SimulatorTests.hasCorpus, "prompt corpora folder not found (set RETORT_PROMPTS)"))
    func benchmarkPromptsComeFromBenchmarkCorpora() throws {
        let o = try SimulatorTests.shared.get()
        let c = try SimulatorTests.corpus()
        let suites = Set(c.prompts(.mmlu) + c.prompts(.gsm8k) + c.prompts(.humaneval))
        let prompts = o.events.filter { o.kind[$0.accountID] == "benign-benchmark" }.compactMap(\.prompt)
        #expect(prompts.count > 100)
        #expect(prompts.allSatisfy { suites.contains($0) })
        #expect(o.events.filter { o.kind[$0.accountID] == "benign-benchmark" }.allSatisfy { $0.temperature == 0 })
    }

    @Test(.enabled(if: SimulatorTests.hasCorpus, "prompt corpora folder not found (set RETORT_PROMPTS)"))
    func campaignsReplayRealUserPromptsAndHarvestCorpora() throws {
        let o = try SimulatorTests.shared.get()
        let c = try SimulatorTests.corpus()
        let benign = Set(c.prompts(.benign) + c.conversations.flatMap { $0 })
        let campaign = o.events.filter { o.campaign[$0.accountID] == "C-1" }.compactMap(\.prompt)
        let replayed = campaign.filter { benign.contains($0) }.count
        #expect(replayed > 0)
        #expect(replayed < campaign.count)
        #expect(campaign.contains { $0.lowercased().contains("step by step") })
    }

    @Test func hydraTruthCountsItsHarvesting() throws {
        var s = SimulatorTests.scenario(seed: 3)
        s.weeks = 1
        s.populations = []
        s.campaigns = [s.campaigns[1]]
        let dir = try SimulatorTests.run(s)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let o = try SimulatorTests.read(dir)
        let truth = try String(contentsOfFile: dir + "/truth.jsonl", encoding: .utf8)
        let match = try #require(truth.firstMatch(of: /"harvest_exchanges":(\d+)/))
        let harvest = try #require(Int(match.1))
        let share = Double(harvest) / Double(o.events.count)
        #expect(share > 0.25 && share < 0.55, "harvest share \(share)")
        #expect(Set(o.events.compactMap(\.endUserID)).count > 50)
    }

    @Test func logitProbesRepeatPromptsWithTinyOutputs() throws {
        let o = try SimulatorTests.shared.get()
        let probes = o.events.filter { o.campaign[$0.accountID] == "C-3" }
        #expect(probes.count > 100)
        #expect(probes.allSatisfy { ($0.maxTokens ?? 99) <= 2 && $0.logprobs == true && $0.topLogprobs != nil })
        #expect(Set(probes.compactMap(\.logitBiasSize)).count > 5)
        #expect(Set(probes.compactMap(\.prompt)).count <= 20)
    }

    @Test func hashedPromptModeWritesNoText() throws {
        var s = SimulatorTests.scenario(seed: 4)
        s.weeks = 1
        s.populations = [PopulationSpec(kind: "benign-casual", count: 50, volume: 3)]
        s.campaigns = []
        s.output.promptText = "sha256"
        s.output.timeFormat = .epochMs
        let dir = try SimulatorTests.run(s)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let o = try SimulatorTests.read(dir)
        #expect(!o.events.isEmpty)
        #expect(o.events.allSatisfy { $0.prompt == nil && ($0.promptSHA256?.utf8.count ?? 0) == 64 })
        #expect(SimContext.normalise("  Hello\n\n  World ") == "hello world")
    }
}
