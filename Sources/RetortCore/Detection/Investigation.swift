/// A streaming investigation: feed accounts and events in any batches, then ``run(input:)`` to cluster,
/// score, count and explain. Memory is bounded per account (sketches, no per-event storage) plus one
/// bounded shared content table.
///
/// Not `Sendable`: callers that share it across tasks wrap it (an actor or a lock).
public final class Investigation {
    public let config: DetectionConfig
    let analyzer: ContentAnalyzer
    let cache: AnalysisCache

    // The properties that every event touches are marked `@exclusivity(unchecked)`: each access to a class's
    // stored property otherwise calls the runtime's exclusivity check (swift_beginAccess and a thread-local
    // access set), which took ~7% of all CPU when reading the 12M-event file. The investigation is used by one
    // thread at a time and its per-event code does not reenter itself, so no access overlaps another.

    /// Interned account ids.
    var index: [String: Int32] = [:]
    /// Account indices by ``accountKey(_:)`` of their id, checked against `ids` (a key shared by two ids
    /// keeps the first; the other is found through `index`): one hash computed on a reader's worker and one
    /// slot instead of hashing the id again on the thread that adds events.
    @exclusivity(unchecked) var indexByKey = UInt64Map<Int32>(capacity: 1024)
    @exclusivity(unchecked) var ids: [String] = []
    @exclusivity(unchecked) var states: [AccountState] = []
    var metas: [AccountMeta?] = []
    /// Organisation declared on events (when the account record has none).
    @exclusivity(unchecked) var eventOrg: [String?] = []

    /// The organisation account `i` declares: on its record, else on its events.
    func declaredOrg(_ i: Int) -> String? { metas[i]?.orgID ?? eventOrg[i] }

    /// Account `i` is verified or of a declared organisation (on its record or its events) that is not suspect: its
    /// shared cards and addresses are explained, so card mates, address mates and address pools pass it by.
    func isVouchedFor(_ i: Int) -> Bool {
        if metas[i]?.verified ?? false { return true }
        guard let org = declaredOrg(i) else { return false }
        return !suspectOrganisations.contains(org)
    }
    /// Unverified organisations with at least `clustering.suspect_org_min_suspicious` suspicious accounts in the latest
    /// run: declaring an organisation costs nothing, so such a one vouches for none of its accounts
    /// (``isVouchedFor(_:)``: infrastructure links, thin-account pools, card mates, address mates, address pools).
    var suspectOrganisations: Set<String> = []
    let content: ContentIndex
    @exclusivity(unchecked) var eventCount = 0
    /// Which optional fields the events added so far carry (``LogCoverage``).
    @exclusivity(unchecked) var coverage = LogCoverage()

    /// Account scores from the latest ``run(input:)``.
    var latestScores: [String: Double] = [:]
    /// Explanations from the latest run, for `--explain`.
    var latestExplanations: [String: [String]] = [:]

    /// Per-account diagnostics of the latest run (profile, cluster size, link weight), for `--features`.
    var latestProfiles: [BehaviourProfile] = []
    var latestClusterSize: [Int32] = []
    var latestLinkWeight: [Double] = []

    /// Account pairs of content groups counted in one pass of ``run(input:)``: its per-pair table holds at
    /// most this many pairs (~340 MB); more pairs take more passes, with the same results.
    var contentPairsPerPass = 8_000_000
    /// Passes the latest ``run(input:)`` took over the content pairs.
    var latestContentPairPasses = 0

    /// Whether to keep template skeletons for display (`--show-prompts`); off by default.
    public var showPrompts = false

    public init(config: DetectionConfig = .default) {
        self.config = config
        self.analyzer = ContentAnalyzer(
            minHashBins: config.content.minHashBins, bandRows: config.content.bandRows,
            frameTokens: config.content.frameTokens, maxBytes: config.content.maxPromptBytes)
        self.cache = AnalysisCache(analyzer: analyzer, capacity: config.content.analysisCacheSlots)
        self.content = ContentIndex(
            capacity: config.links.contentTableCapacity, memberCap: config.links.contentKeyMemberCap)
    }

    /// Number of accounts seen (in account records or events).
    public var accountCount: Int { ids.count }
    /// Number of events added.
    public var eventsAdded: Int { eventCount }

    /// Which optional fields the log records, from the events and account records added so far.
    public var logCoverage: LogCoverage {
        var c = coverage
        c.signupTimes = metas.contains { $0?.createdAt != nil }
        return c
    }

    @inline(__always)
    func intern(_ id: String) -> Int32 {
        if let i = index[id] { return i }
        let i = Int32(ids.count)
        index[id] = i
        ids.append(id)
        if states.count == states.capacity { states.growWithHugePages() }
        states.append(AccountState())
        metas.append(nil)
        eventOrg.append(nil)
        return i
    }

    /// The account id's index, looked up by `key` (``accountKey(_:)`` of `id`) first.
    @inline(__always)
    func intern(_ id: String, key: UInt64) -> Int32 {
        if let i = indexByKey[key], ids[Int(i)] == id { return i }
        let i = intern(id)
        if indexByKey[key] == nil { indexByKey[key] = i }
        return i
    }

    static let accountKeySeed: UInt64 = 0x6163_636f_756e_74

    /// The 64-bit hash under which ``intern(_:key:)`` finds an account id.
    static func accountKey(_ id: String) -> UInt64 { Hash64.string(id, seed: accountKeySeed) }

    /// Adds an account record (before or during events). A later record for the same id replaces it.
    public func add(_ account: Account) {
        let i = Int(intern(account.accountID))
        metas[i] = AccountMeta(account)
    }

    /// The analyser that ``add(_:)`` runs on each event's prompt. A `Sendable` value: callers may run it on
    /// other threads and hand its result to ``add(_:analysis:)``.
    public var contentAnalyzer: ContentAnalyzer { analyzer }

    /// The analyser behind a memo of repeated prompts, as ``add(_:)`` uses it; safe to call from several
    /// threads at once, same results as ``contentAnalyzer``.
    public var analysisCache: AnalysisCache { cache }

    /// Adds one event: O(1) amortised, no per-event storage.
    public func add(_ event: Event) {
        add(event, analysis: cache.analyze(event))
    }

    /// Adds one event whose prompt was analysed already with ``contentAnalyzer``
    /// (`contentAnalyzer.analyze(event)`, on any thread). Adding the same events in the same order gives the
    /// same state as ``add(_:)``, whichever thread analysed them.
    public func add(_ event: Event, analysis a: PromptAnalysis) {
        var compact = CompactEvent(event)
        var analysis = a
        add(&compact, analysis: &analysis)
    }

    /// Adds one event in the form the investigation keeps of it, read in place (the record and the analysis
    /// are not copied); the same state as ``add(_:analysis:)`` with the event it was made or decoded from.
    @inline(__always)
    func add(_ event: UnsafeMutablePointer<CompactEvent>, analysis analysisPointer: UnsafePointer<PromptAnalysis>) {
        let a = analysisPointer.pointee
        let i = intern(event.pointee.accountID, key: event.pointee.accountKey)
        states[Int(i)].update(event, analysis: a, config: config)
        coverage.note(event, a)
        if eventOrg[Int(i)] == nil, let org = event.pointee.orgID, !org.isEmpty { eventOrg[Int(i)] = org }
        eventCount += 1
        // An account that sent this exact prompt before sent its bands too: they are skipped (most of
        // the table's work, and repeats no longer count an account twice under a key past the member cap).
        if a.exactHash != 0, content.add(key: a.exactHash, kind: .exact, account: i) { return }
        for k in a.bandKeys { content.add(key: k, kind: .nearDuplicate, account: i) }
    }

    /// A hint that an event with this analysis will be added soon: starts loading the content table's
    /// slots it will touch. Callers that hold a batch of events call it a few events ahead of
    /// ``add(_:analysis:)``; results are the same with or without it.
    @inline(__always)
    public func prefetch(analysis a: PromptAnalysis) {
        if a.exactHash != 0 { content.prefetch(key: a.exactHash, kind: .exact) }
        for k in a.bandKeys { content.prefetch(key: k, kind: .nearDuplicate) }
    }

    /// The first of two hints for a decoded record that ``add(_:analysis:)`` will get soon (about 16 records
    /// ahead): the content table's slots of its prompt.
    @inline(__always)
    func prefetch(_ event: UnsafePointer<CompactEvent>, analysis: UnsafePointer<PromptAnalysis>) {
        prefetch(analysis: analysis.pointee)
    }

    /// The second hint (about 8 records ahead), which reads the slots the first loaded: the accounts remembered
    /// under the prompt's content keys. (Loading the account's state as well made no measurable difference at
    /// 34M events.)
    @inline(__always)
    func prefetchNear(_ event: UnsafePointer<CompactEvent>, analysis: UnsafePointer<PromptAnalysis>) {
        let a = analysis.pointee
        if a.exactHash != 0 { content.prefetchMembers(key: a.exactHash, kind: .exact) }
        for k in a.bandKeys { content.prefetchMembers(key: k, kind: .nearDuplicate) }
    }

    /// The latest score of an account after ``run(input:)``, `nil` if unknown.
    public func accountScore(_ accountID: String) -> Double? {
        latestScores[accountID]
    }

    /// Why an account scored as it did in the latest run (empty if unknown).
    public func explain(_ accountID: String) -> [String] {
        latestExplanations[accountID] ?? []
    }
}
