import CRetortShims

/// One table of prompt fingerprints shared by all accounts: each key (an exact prompt or an LSH band of a
/// prompt's MinHash) remembers which accounts sent it (up to a cap) and how many did.
///
/// Bounded: at most `capacity` keys; once full, only keys already present are updated. The content is
/// a function of the sequence of updates only, so replaying the same input gives the same table.
///
/// A key's first account is kept in its entry; the others in a ``MemberStore`` block that the entry points to,
/// so that an entry is plain data (reading one retains nothing) and the thread that adds events can ask for
/// a key's members to be loaded before it needs them (``prefetchMembers(key:kind:)``).
public final class ContentIndex {
    public enum Kind: UInt8, Sendable {
        case exact = 1
        case nearDuplicate = 2
    }

    /// 14 bytes (24 with its key in the table): the kind shares a word with the first account.
    public struct Entry: Sendable {
        /// The first account (bits 0-30; account indices are not negative) and the kind (bit 31 set for
        /// ``Kind/nearDuplicate``).
        private let firstAndKind: UInt32
        /// Distinct accounts (exact up to the member cap, then an upper bound).
        public var accounts: Int32
        /// The block of the accounts after the first in the member store; meaningful when `more` > 0.
        var block: UInt32 = 0
        /// Accounts after the first, in order of arrival (up to the member cap); the block holds the smallest
        /// power of two at least this many.
        var more: UInt16 = 0

        init(first: Int32, kind: Kind) {
            precondition(first >= 0, "account indices are not negative")
            self.firstAndKind = UInt32(bitPattern: first) | (kind == .nearDuplicate ? 1 << 31 : 0)
            self.accounts = 1
        }

        /// The first account; kept in the entry itself, since most keys are only ever sent by one.
        var first: Int32 { Int32(bitPattern: firstAndKind & 0x7fff_ffff) }

        public var kind: Kind { firstAndKind >> 31 == 1 ? .nearDuplicate : .exact }

        /// Number of accounts remembered.
        public var memberCount: Int { 1 + Int(more) }
    }

    /// Entries by (kind-salted) key; an open-addressing table, iterated in slot order. (Without the runtime's
    /// exclusivity checks, as the properties ``Investigation`` touches per event: the index is used by one
    /// thread at a time and none of its methods reenters another.)
    @exclusivity(unchecked) public private(set) var entries = UInt64Map<Entry>()
    @exclusivity(unchecked) private var store: MemberStore
    public let capacity: Int
    /// Accounts remembered per key (at most 65,536).
    public let memberCap: Int
    /// Keys not added because the table was full.
    @exclusivity(unchecked) public private(set) var dropped = 0

    public convenience init(capacity: Int, memberCap: Int) {
        self.init(capacity: capacity, memberCap: memberCap, segmentBits: MemberStore.defaultSegmentBits)
    }

    /// `segmentBits`: the member store's segments hold 2^segmentBits accounts (tests use small ones).
    init(capacity: Int, memberCap: Int, segmentBits: Int) {
        self.capacity = capacity
        self.memberCap = min(max(1, memberCap), Int(UInt16.max) + 1)
        store = MemberStore(segmentBits: segmentBits)
    }

    deinit { store.release() }

    @inline(__always)
    static func slotKey(_ key: UInt64, _ kind: Kind) -> UInt64 { key ^ UInt64(kind.rawValue) &* 0x9E37_79B9_7F4A_7C15 }

    /// The accounts remembered under an entry, in order of arrival (up to the member cap).
    public func members(of e: Entry) -> [Int32] {
        var out: [Int32] = []
        out.reserveCapacity(e.memberCount)
        forEachMember(of: e) { out.append($0) }
        return out
    }

    /// Calls `body` with each account remembered under an entry, in order of arrival (no array built).
    @inline(__always)
    public func forEachMember(of e: Entry, _ body: (Int32) -> Void) {
        body(e.first)
        if e.more > 0 {
            let p = store.pointer(e.block)
            for i in 0..<Int(e.more) { body(p[i]) }
        }
    }

    /// Starts loading the slot of `key` (the first hint for an ``add(key:kind:account:)`` coming soon).
    @inline(__always)
    public func prefetch(key: UInt64, kind: Kind) {
        entries.prefetch(Self.slotKey(key, kind))
    }

    /// Starts loading the accounts remembered under `key` (the second hint, after ``prefetch(key:kind:)``: it
    /// reads the slot).
    @inline(__always)
    public func prefetchMembers(key: UInt64, kind: Kind) {
        guard let i = entries.index(of: Self.slotKey(key, kind)) else { return }
        let more = Int(entries[at: i].more)
        guard more > 0 else { return }
        let p = store.pointer(entries[at: i].block)
        // At most four cache lines (the default cap of 64 members).
        var offset = 0
        while offset < min(more, 64) {
            retort_prefetch(p + offset)
            offset += 16
        }
    }

    /// Records that `account` sent `key`. Returns true when the table already remembered the account
    /// among the key's senders (nothing changed).
    @inline(__always)
    @discardableResult
    public func add(key: UInt64, kind: Kind, account: Int32) -> Bool {
        let k = Self.slotKey(key, kind)
        if let i = entries.index(of: k) {
            var e = entries[at: i]
            if e.first == account { return true }
            let more = Int(e.more)
            if more > 0 {
                let p = store.pointer(e.block)
                for m in 0..<more where p[m] == account { return true }
            }
            if more + 1 < memberCap {
                e.block = store.append(account, to: e.block, count: more)
                e.more += 1
            }
            e.accounts &+= 1
            entries[at: i] = e
            return false
        }
        if k == 0, entries[k] != nil {
            // The zero key lives outside the slots; handled through the subscript (never seen in practice).
            var e = entries[k]!
            var held = e.first == account
            forEachMember(of: e) { if $0 == account { held = true } }
            if held { return true }
            if e.memberCount < memberCap {
                e.block = store.append(account, to: e.block, count: Int(e.more))
                e.more += 1
            }
            e.accounts &+= 1
            entries[k] = e
            return false
        }
        guard entries.count < capacity else {
            dropped += 1
            return false
        }
        entries[k] = Entry(first: account, kind: kind)
        return false
    }

    /// Segments of the member store (diagnostics, tests).
    var memberSegments: Int { store.segmentCount }

    /// Keys with two or more accounts, and the bytes their member blocks take (diagnostics).
    var memberBytes: (keys: Int, bytes: Int, reserved: Int) {
        var keys = 0
        var bytes = 0
        for (_, e) in entries where e.more > 0 {
            keys += 1
            bytes += 4 * MemberStore.blockSize(Int(e.more))
        }
        return (keys, bytes, store.reservedBytes)
    }
}

/// The accounts after the first of every content key, in blocks of a power of two of 32-bit account
/// indices inside segments (of 16 MiB by default): no heap buffer, header or reference count per key, and a
/// block is found from its 32-bit address alone. A full block is replaced by one twice its size, and the old one
/// is reused for the next block of its size.
struct MemberStore {
    static let defaultSegmentBits = 22
    /// Accounts per segment: 2^segmentBits, at least the largest block (2^16).
    let segmentBits: Int
    let segmentSize: Int
    private var segments: [UnsafeMutablePointer<Int32>] = []
    /// Next free position in the last segment.
    private var used: Int
    /// Free blocks by size class (block size 2^class).
    private var free: [[UInt32]] = Array(repeating: [], count: 17)

    init(segmentBits: Int = defaultSegmentBits) {
        self.segmentBits = max(16, min(segmentBits, 30))
        segmentSize = 1 << self.segmentBits
        used = segmentSize
    }

    /// Block size for `count` members: the smallest power of two at least `count`.
    @inline(__always)
    static func blockSize(_ count: Int) -> Int {
        count <= 1 ? 1 : 1 << (Int.bitWidth - (count - 1).leadingZeroBitCount)
    }

    @inline(__always)
    func pointer(_ block: UInt32) -> UnsafeMutablePointer<Int32> {
        segments[Int(block >> UInt32(segmentBits))] + Int(block & UInt32(segmentSize - 1))
    }

    /// Appends `account` to the block at `block` holding `count` members (none: a new block); returns the
    /// block's address, moved when it was full.
    @inline(__always)
    mutating func append(_ account: Int32, to block: UInt32, count: Int) -> UInt32 {
        if count > 0 && count & (count - 1) != 0 {
            pointer(block)[count] = account
            return block
        }
        // No block yet, or a full one (a power of two): a block twice the size.
        let fresh = allocate(sizeClass: count == 0 ? 0 : count.trailingZeroBitCount + 1)
        let p = pointer(fresh)
        if count > 0 {
            p.update(from: pointer(block), count: count)
            free[count.trailingZeroBitCount].append(block)
        }
        p[count] = account
        return fresh
    }

    private mutating func allocate(sizeClass c: Int) -> UInt32 {
        if let b = free[c].popLast() { return b }
        let size = 1 << c
        if used + size > segmentSize {
            // The rest of the last segment becomes free blocks of the sizes it holds.
            var rest = segmentSize - used
            while rest > 0 && !segments.isEmpty {
                let k = min(Int.bitWidth - 1 - rest.leadingZeroBitCount, free.count - 1)
                free[k].append(UInt32((segments.count - 1) << segmentBits + used))
                used += 1 << k
                rest = segmentSize - used
            }
            precondition((segments.count + 1) << segmentBits <= 1 << 32, "content member store full (16 GiB)")
            let segment = UnsafeMutablePointer<Int32>.allocate(capacity: segmentSize)
            retort_advise_huge_pages(segment, segmentSize * MemoryLayout<Int32>.stride)
            segments.append(segment)
            used = 0
        }
        let b = UInt32((segments.count - 1) << segmentBits + used)
        used += size
        return b
    }

    /// Bytes of the segments allocated.
    var reservedBytes: Int { segments.count * segmentSize * MemoryLayout<Int32>.stride }

    /// Segments allocated (diagnostics, tests).
    var segmentCount: Int { segments.count }

    /// Frees the segments (the store is not used afterwards).
    mutating func release() {
        for s in segments { s.deallocate() }
        segments = []
        used = segmentSize
        free = Array(repeating: [], count: free.count)
    }
}
