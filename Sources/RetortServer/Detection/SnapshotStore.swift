import Synchronization

/// Holds the current `RiskSnapshot`; readers take a reference under a short lock, writers swap it.
public final class SnapshotStore: Sendable {
    private let current: Mutex<RiskSnapshot>

    public init(_ initial: RiskSnapshot = .empty) {
        current = Mutex(initial)
    }

    /// The snapshot in force.
    public var snapshot: RiskSnapshot { current.withLock { $0 } }

    /// Replaces the snapshot.
    public func publish(_ snapshot: RiskSnapshot) {
        current.withLock { $0 = snapshot }
    }
}
