import RetortCore

/// The detection engine as the server sees it: per-event state updates and periodic re-clustering.
///
/// Implementations must make `ingest` cheap (O(1) per event) and may make `recluster` expensive.
public protocol RiskEngine: Sendable {
    /// Adds events (already de-duplicated by request id).
    func ingest(_ events: [Event])
    /// Adds or replaces account records.
    func add(_ accounts: [Account])
    /// Re-clusters everything seen so far.
    func recluster() -> EngineResult
}
