/// A fixed number of slots that several threads fill at once, each slot written by one thread only, read once
/// they have all finished (e.g. after `DispatchQueue.concurrentPerform` returns): the results of independent
/// parts of a computation, kept in their order.
final class DisjointSlots<Element>: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<Element?>

    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }

    deinit {
        _ = slots.deinitialize()
        slots.deallocate()
    }

    /// Slot `i`; nil until written. Each slot must be written by one thread, and read after the writes.
    subscript(i: Int) -> Element? {
        get { slots[i] }
        set { slots[i] = newValue }
    }

    /// The written values in slot order (every slot must have been written).
    var values: [Element] { slots.map { $0! } }
}
