import CRetortShims

/// An open-addressing map from 64-bit keys to small values, for hot tables whose keys are hashes already
/// (prompt fingerprints, phrase hashes): linear probing over a power-of-two array of keys, at most half
/// full, with the values in a parallel array. Every key is allowed; key zero, which marks an empty slot,
/// is kept on the side.
///
/// Unlike `Dictionary` it hashes with one `Hash64.mix` instead of a seeded SipHash, and a miss usually
/// costs one load. Iteration order is the slot order (a function of the keys inserted and their order,
/// stable across runs); callers that need an order sort.
public struct UInt64Map<Value>: Sequence {
    /// A key and its value side by side, so that a probe touches one cache line.
    fileprivate struct Slot {
        var key: UInt64
        var value: Value?
    }

    private var slots: [Slot]
    private var mask: Int
    private var zeroValue: Value?
    /// Number of keys present.
    public private(set) var count = 0

    /// - Parameter capacity: keys expected; the table grows past it as needed.
    public init(capacity: Int = 16) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Self.emptySlots(size)
        mask = size - 1
    }

    /// `count` empty slots; a table of 4 MiB or more asks for huge pages before its memory is first touched
    /// (at millions of keys its random probes otherwise miss the TLB as well as the cache).
    private static func emptySlots(_ count: Int) -> [Slot] {
        Array(unsafeUninitializedCapacity: count) { buffer, initialized in
            if let base = buffer.baseAddress, count * MemoryLayout<Slot>.stride >= 4 << 20 {
                retort_advise_huge_pages(base, count * MemoryLayout<Slot>.stride)
            }
            buffer.initialize(repeating: Slot(key: 0, value: nil))
            initialized = count
        }
    }

    @inline(__always)
    private func slot(of key: UInt64) -> Int {
        var i = Int(truncatingIfNeeded: Hash64.mix(key)) & mask
        while true {
            let k = slots[i].key
            if k == key || k == 0 { return i }
            i = (i + 1) & mask
        }
    }

    /// The value stored under `key`; setting `nil` is not supported (nothing is ever removed).
    public subscript(key: UInt64) -> Value? {
        @inline(__always) get {
            if key == 0 { return zeroValue }
            return slots[slot(of: key)].value
        }
        @inline(__always) set {
            guard let newValue else {
                precondition(self[key] == nil, "UInt64Map does not remove keys")
                return
            }
            if key == 0 {
                if zeroValue == nil { count += 1 }
                zeroValue = newValue
                return
            }
            var i = slot(of: key)
            if slots[i].key == 0 {
                if (count + 1) * 2 > slots.count {
                    grow()
                    i = slot(of: key)
                }
                slots[i].key = key
                count += 1
            }
            slots[i].value = newValue
        }
    }

    /// The slot holding `key`, for ``subscript(at:)``; nil when absent, and always for key zero (kept outside
    /// the slots: use the key subscript). Valid until the next insertion.
    @inline(__always)
    public func index(of key: UInt64) -> Int? {
        guard key != 0 else { return nil }
        let i = slot(of: key)
        return slots[i].key == 0 ? nil : i
    }

    /// The value in a slot that ``index(of:)`` returned: one lookup for a read and a write.
    public subscript(at index: Int) -> Value {
        @inline(__always) get { slots[index].value! }
        @inline(__always) set { slots[index].value = newValue }
    }

    /// Starts loading the slot where `key` would be found (a hint for a lookup coming soon). `mutating` only so
    /// that it runs in place: called on a copy (a table held in a class's property), it retained and released
    /// the slot array around each prefetch.
    @inline(__always)
    public mutating func prefetch(_ key: UInt64) {
        let i = Int(truncatingIfNeeded: Hash64.mix(key)) & mask
        slots.withUnsafeBufferPointer { retort_prefetch($0.baseAddress! + i) }
    }

    /// Applies `body` to the value under `key` in place, if present; returns whether it was.
    @inline(__always)
    public mutating func update(_ key: UInt64, _ body: (inout Value) -> Void) -> Bool {
        if key == 0 {
            guard zeroValue != nil else { return false }
            body(&zeroValue!)
            return true
        }
        let i = slot(of: key)
        guard slots[i].key != 0 else { return false }
        body(&slots[i].value!)
        return true
    }

    private mutating func grow() {
        var old: [Slot] = []
        swap(&old, &slots)
        slots = Self.emptySlots(old.count * 2)
        mask = slots.count - 1
        for s in old where s.key != 0 {
            slots[slot(of: s.key)] = s
        }
    }

    /// Number of slots (diagnostics).
    var slotCount: Int { slots.count }
    /// Bytes of the slot array (diagnostics).
    var slotBytes: Int { slots.capacity * MemoryLayout<Slot>.stride }

    /// Key-value pairs in slot order (key zero first, when present).
    public func makeIterator() -> Iterator {
        Iterator(slots: slots, zero: zeroValue)
    }

    /// Walks the slot array (a struct, not a boxed `AnyIterator`: the run phase walks tables of millions of
    /// keys).
    public struct Iterator: IteratorProtocol {
        fileprivate let slots: [Slot]
        fileprivate var zero: Value?
        fileprivate var position = 0

        fileprivate init(slots: [Slot], zero: Value?) {
            self.slots = slots
            self.zero = zero
        }

        public mutating func next() -> (key: UInt64, value: Value)? {
            if let z = zero {
                zero = nil
                return (key: 0, value: z)
            }
            while position < slots.count {
                let j = position
                position += 1
                if slots[j].key != 0, let v = slots[j].value { return (key: slots[j].key, value: v) }
            }
            return nil
        }
    }
}

extension UInt64Map: Sendable where Value: Sendable {}

extension UInt64Map.Slot: Sendable where Value: Sendable {}
