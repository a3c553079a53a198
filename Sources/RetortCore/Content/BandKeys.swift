/// A prompt's LSH band keys, stored inline (no heap array per request): at most ``capacity`` keys.
public struct BandKeys: RandomAccessCollection, Equatable, Hashable, Sendable {
    /// The most bands a prompt fingerprint may have (`min_hash_bins / band_rows`).
    public static let capacity = 8

    private var storage: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
    public private(set) var count = 0

    public init() {}

    /// Keys from a sequence (at most ``capacity`` are kept).
    public init<S: Sequence>(_ keys: S) where S.Element == UInt64 {
        for k in keys where count < Self.capacity { append(k) }
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    public subscript(position: Int) -> UInt64 {
        precondition(position >= 0 && position < count, "band key index out of range")
        return withUnsafeBytes(of: storage) { $0.load(fromByteOffset: position * 8, as: UInt64.self) }
    }

    /// Appends a key; precondition: fewer than ``capacity`` keys so far.
    public mutating func append(_ key: UInt64) {
        precondition(count < Self.capacity, "more than \(Self.capacity) band keys")
        let i = count
        withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: key, toByteOffset: i * 8, as: UInt64.self) }
        count += 1
    }

    public static func == (a: BandKeys, b: BandKeys) -> Bool {
        a.count == b.count && a.elementsEqual(b)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        for k in self { hasher.combine(k) }
    }
}
