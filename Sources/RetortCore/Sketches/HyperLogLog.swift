import Foundation

/// A small HyperLogLog distinct counter (64 one-byte registers, about 13% standard error).
///
/// Enough to tell "a handful" from "hundreds" of distinct templates, user agents or keys per account
/// in 64 bytes, independent of the order of updates. The registers are stored inline (no heap buffer), so
/// a per-account counter costs its 64 bytes and nothing else.
public struct HyperLogLog: Sendable, Equatable {
    public static let registerCount = 64
    private var registers = InlineArray<64, UInt8>(repeating: 0)

    public init() {}

    /// Adds an already-hashed value (use ``Hash64``).
    @inline(__always)
    public mutating func add(hash: UInt64) {
        let h = Hash64.mix(hash)
        let index = Int(h & 63)
        let rest = h >> 6
        let rank = UInt8(min(rest.trailingZeroBitCount + 1, 58))
        if rank > registers[index] { registers[index] = rank }
    }

    /// The estimated number of distinct values added.
    public var estimate: Double {
        let m = Double(HyperLogLog.registerCount)
        var sum = 0.0
        var zeros = 0
        for i in 0..<HyperLogLog.registerCount {
            let r = registers[i]
            sum += 1.0 / Double(UInt64(1) << UInt64(r))
            if r == 0 { zeros += 1 }
        }
        let alpha = 0.709
        let raw = alpha * m * m / sum
        if raw <= 2.5 * m && zeros > 0 {
            return m * log(m / Double(zeros))
        }
        return raw
    }

    /// Merges another counter (union of the two sets).
    public mutating func merge(_ other: HyperLogLog) {
        for i in 0..<HyperLogLog.registerCount where other.registers[i] > registers[i] {
            registers[i] = other.registers[i]
        }
    }

    public static func == (a: HyperLogLog, b: HyperLogLog) -> Bool {
        for i in 0..<HyperLogLog.registerCount where a.registers[i] != b.registers[i] { return false }
        return true
    }
}

extension HyperLogLog {
    /// Heap bytes held (diagnostics): none, the registers are inline.
    var heapBytes: Int { 0 }
}
