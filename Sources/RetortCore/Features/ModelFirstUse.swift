/// The first time each of an account's first four models was used: model hash → earliest timestamp, stored
/// inline (no hash table per account). Iteration follows the order in which the models first arrived.
public struct ModelFirstUse: Sendable, Equatable, Sequence {
    public static let capacity = 4
    private var models = InlineArray<4, UInt64>(repeating: 0)
    private var times = InlineArray<4, Int64>(repeating: 0)
    /// Number of models held (at most ``capacity``).
    public private(set) var count = 0

    public init() {}

    /// Records a use of `model` at `ts`: keeps the earliest time of a held model, adds a new model while
    /// fewer than ``capacity`` are held, and ignores it otherwise.
    @inline(__always)
    public mutating func note(model: UInt64, at ts: Int64) {
        for i in 0..<count where models[i] == model {
            if ts < times[i] { times[i] = ts }
            return
        }
        guard count < Self.capacity else { return }
        models[count] = model
        times[count] = ts
        count += 1
    }

    /// The earliest use of `model`, if held.
    public subscript(model: UInt64) -> Int64? {
        for i in 0..<count where models[i] == model { return times[i] }
        return nil
    }

    public var isEmpty: Bool { count == 0 }

    public struct Iterator: IteratorProtocol {
        let source: ModelFirstUse
        var position = 0

        public mutating func next() -> (key: UInt64, value: Int64)? {
            guard position < source.count else { return nil }
            defer { position += 1 }
            return (key: source.models[position], value: source.times[position])
        }
    }

    public func makeIterator() -> Iterator { Iterator(source: self) }

    public static func == (a: ModelFirstUse, b: ModelFirstUse) -> Bool {
        guard a.count == b.count else { return false }
        for i in 0..<a.count where a.models[i] != b.models[i] || a.times[i] != b.times[i] { return false }
        return true
    }
}
