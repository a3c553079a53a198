import RetortCore
import Synchronization

/// Account records (formats.md section 2) known to the server, from the accounts file or `POST /v1/accounts`.
public final class AccountDirectory: Sendable {
    private let records = Mutex<[String: Account]>([:])

    public init() {}

    /// Adds or replaces records.
    public func add(_ accounts: [Account]) {
        records.withLock { r in
            for a in accounts { r[a.accountID] = a }
        }
    }

    /// A copy of all records.
    public var all: [String: Account] { records.withLock { $0 } }

    public var count: Int { records.withLock { $0.count } }
}
