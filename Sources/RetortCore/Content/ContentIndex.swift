/// One table of prompt fingerprints shared by all accounts: each key (an exact prompt or an LSH band of a
/// prompt's MinHash) remembers which accounts sent it (up to a cap) and how many did.
///
/// Bounded: at most `capacity` keys; once full, only keys already present are updated. The content is
/// a function of the sequence of updates only, so replaying the same input gives the same table.
public struct ContentIndex: Sendable {
    public enum Kind: UInt8, Sendable {
        case exact = 1
        case nearDuplicate = 2
    }

    /// 16 bytes (24 with its key in the table): the kind shares a word with the first account.
    public struct Entry: Sendable {
        /// The first account (bits 0-30; account indices are not negative) and the kind (bit 31 set for
        /// ``Kind/nearDuplicate``).
        private let firstAndKind: UInt32
        /// Distinct accounts (exact up to the member cap, then an upper bound).
        public var accounts: Int32
        /// Accounts after the first, in order of arrival (up to the member cap); nil while there are none.
        var more: [Int32]?

        init(first: Int32, kind: Kind) {
            precondition(first >= 0, "account indices are not negative")
            self.firstAndKind = UInt32(bitPattern: first) | (kind == .nearDuplicate ? 1 << 31 : 0)
            self.accounts = 1
        }

        /// The first account; kept in the entry itself, since most keys are only ever sent by one.
        var first: Int32 { Int32(bitPattern: firstAndKind & 0x7fff_ffff) }

        public var kind: Kind { firstAndKind >> 31 == 1 ? .nearDuplicate : .exact }

        /// The accounts remembered, in order of arrival (up to the member cap).
        public var members: [Int32] { [first] + (more ?? []) }

        /// Calls `body` with each account remembered, in order of arrival (no array built).
        @inline(__always)
        func forEachMember(_ body: (Int32) -> Void) {
            body(first)
            if let more { for m in more { body(m) } }
        }

        /// Number of accounts remembered.
        public var memberCount: Int { 1 + (more?.count ?? 0) }

        @inline(__always)
        func contains(_ account: Int32) -> Bool {
            first == account || (more?.contains(account) ?? false)
        }
    }

    /// Entries by (kind-salted) key; an open-addressing table, iterated in slot order.
    public private(set) var entries = UInt64Map<Entry>()
    public let capacity: Int
    public let memberCap: Int
    /// Keys not added because the table was full.
    public private(set) var dropped = 0

    public init(capacity: Int, memberCap: Int) {
        self.capacity = capacity
        self.memberCap = memberCap
    }

    /// Starts loading the slot of `key` (a hint for an ``add(key:kind:account:)`` coming soon). `mutating`
    /// only so that a caller holding the index in a class's property calls it in place: a non-mutating call
    /// copied the index (a retain and a release of its table) for every key.
    @inline(__always)
    public mutating func prefetch(key: UInt64, kind: Kind) {
        entries.prefetch(key ^ UInt64(kind.rawValue) &* 0x9E37_79B9_7F4A_7C15)
    }

    /// Records that `account` sent `key`. Returns true when the table already remembered the account
    /// among the key's senders (nothing changed).
    @inline(__always)
    @discardableResult
    public mutating func add(key: UInt64, kind: Kind, account: Int32) -> Bool {
        let k = key ^ UInt64(kind.rawValue) &* 0x9E37_79B9_7F4A_7C15
        let cap = memberCap
        var held = false
        let found = entries.update(k) { e in
            if e.contains(account) {
                held = true
                return
            }
            if e.memberCount < cap {
                if e.more == nil { e.more = [account] } else { e.more!.append(account) }
            }
            e.accounts &+= 1
        }
        if found { return held }
        guard entries.count < capacity else {
            dropped += 1
            return false
        }
        entries[k] = Entry(first: account, kind: kind)
        return false
    }
}
