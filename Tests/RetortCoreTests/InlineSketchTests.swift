import Foundation
import Testing

@testable import RetortCore

/// The inline per-account sketches against simple references: the heap ``SpaceSaving``, an array-backed set,
/// a dictionary, and HyperLogLog registers in an array.
@Suite struct InlineSketchTests {
    /// Streams of keys from a few distributions: few distinct keys, many, and heavy hitters among noise.
    static func stream(seed: UInt64, length: Int, distinct: UInt64) -> [UInt64] {
        var x = seed
        return (0..<length).map { _ in
            x = Hash64.mix(x)
            return x % 4 == 0 ? x % 3 : (x >> 8) % distinct
        }
    }

    static func check<let n: Int>(_ inline: InlineSpaceSaving<n>, _ reference: SpaceSaving) {
        #expect(inline.keys == reference.keys)
        #expect(inline.counts == reference.counts)
        #expect(inline.count == reference.keys.count)
        #expect(inline.topKey == reference.topKey)
        #expect(inline.topCount == reference.topCount)
        #expect(inline.sorted.map(\.key) == reference.sorted.map(\.key))
        #expect(inline.sorted.map(\.count) == reference.sorted.map(\.count))
    }

    static func run<let n: Int>(_ sketch: InlineSpaceSaving<n>, seed: UInt64, distinct: UInt64) {
        var inline = sketch
        var reference = SpaceSaving(capacity: n)
        check(inline, reference)
        for (i, k) in stream(seed: seed, length: 400, distinct: distinct).enumerated() {
            let weight = UInt32(1 + i % 3)
            #expect(inline.contains(k) == reference.keys.contains(k))
            inline.add(k, weight: weight)
            reference.add(k, weight: weight)
            if i % 37 == 0 { check(inline, reference) }
        }
        check(inline, reference)
    }

    @Test(arguments: [1, 2, 3, 5, 40, 1000] as [UInt64])
    func inlineSpaceSavingMatchesSpaceSaving(distinct: UInt64) {
        for seed in 1...5 as ClosedRange<UInt64> {
            Self.run(InlineSpaceSaving<2>(), seed: seed, distinct: distinct)
            Self.run(InlineSpaceSaving<3>(), seed: seed, distinct: distinct)
            Self.run(InlineSpaceSaving<4>(), seed: seed, distinct: distinct)
            Self.run(InlineSpaceSaving<8>(), seed: seed, distinct: distinct)
        }
    }

    @Test func inlineSpaceSavingEquality() {
        var a = InlineSpaceSaving<4>()
        var b = InlineSpaceSaving<4>()
        #expect(a == b)
        a.add(5)
        #expect(a != b)
        b.add(5)
        #expect(a == b)
        a.add(6)
        b.add(7)
        #expect(a != b)
    }

    @Test(arguments: [1, 2, 3, 16, 32] as [Int])
    func boundedSetMatchesArrayReference(capacity: Int) {
        for (seed, distinct) in [(1, 1), (2, 2), (3, 3), (4, 10), (5, 100)] as [(UInt64, UInt64)] {
            var set = BoundedSet(capacity: capacity)
            var values: [UInt64] = []
            var overflowed = false
            for k in Self.stream(seed: seed, length: 300, distinct: distinct) {
                #expect(set.contains(k) == values.contains(k))
                set.insert(k)
                if !values.contains(k) {
                    if values.count < capacity { values.append(k) } else { overflowed = true }
                }
                #expect(set.count == values.count)
            }
            #expect(set.values == values)
            #expect(set.overflowed == overflowed)
        }
    }

    @Test func boundedSetEquality() {
        var a = BoundedSet(capacity: 2)
        var b = BoundedSet(capacity: 2)
        for k in [1, 2, 3] as [UInt64] {
            a.insert(k)
            b.insert(k)
        }
        #expect(a == b)
        b.insert(4)
        #expect(a == b)  // both overflowed already, same values
        #expect(BoundedSet(capacity: 2) != BoundedSet(capacity: 3))
    }

    @Test func modelFirstUseMatchesDictionaryReference() {
        for seed in 1...20 as ClosedRange<UInt64> {
            var uses = ModelFirstUse()
            var reference: [UInt64: Int64] = [:]
            var order: [UInt64] = []
            var x = seed
            for _ in 0..<200 {
                x = Hash64.mix(x)
                let model = (x >> 3) % (2 + seed % 6)  // 2 to 7 models, model 0 included
                let ts = Int64(x % 1_000_000)
                uses.note(model: model, at: ts)
                // As the old per-account dictionary was updated: earliest time, first four models only.
                if let t = reference[model] {
                    reference[model] = min(t, ts)
                } else if reference.count < 4 {
                    reference[model] = ts
                    order.append(model)
                }
            }
            #expect(uses.count == reference.count)
            #expect(uses.map(\.key) == order)
            for (model, ts) in uses { #expect(reference[model] == ts) }
            #expect(uses[999] == nil)
        }
    }

    /// HyperLogLog as before its registers moved inline: an array of 64 registers, the same estimator.
    struct ArrayHyperLogLog {
        var registers = [UInt8](repeating: 0, count: 64)

        mutating func add(hash: UInt64) {
            let h = Hash64.mix(hash)
            let rank = UInt8(min((h >> 6).trailingZeroBitCount + 1, 58))
            registers[Int(h & 63)] = max(registers[Int(h & 63)], rank)
        }

        var estimate: Double {
            var sum = 0.0
            for r in registers { sum += 1.0 / Double(UInt64(1) << UInt64(r)) }
            let zeros = registers.filter { $0 == 0 }.count
            let raw = 0.709 * 64 * 64 / sum
            return raw <= 2.5 * 64 && zeros > 0 ? 64 * log(64 / Double(zeros)) : raw
        }
    }

    @Test(arguments: [0, 1, 5, 60, 1000, 100_000] as [Int])
    func hyperLogLogMatchesArrayReference(distinct: Int) {
        var h = HyperLogLog()
        var reference = ArrayHyperLogLog()
        var other = HyperLogLog()
        for i in 0..<distinct {
            h.add(hash: UInt64(i))
            reference.add(hash: UInt64(i))
            if i % 2 == 0 { other.add(hash: UInt64(i) &* 31 &+ 1_000_003) }
        }
        #expect(h.estimate == reference.estimate)
        var merged = h
        merged.merge(other)
        var mergedReference = reference
        for i in stride(from: 0, to: distinct, by: 2) { mergedReference.add(hash: UInt64(i) &* 31 &+ 1_000_003) }
        #expect(merged.estimate == mergedReference.estimate)
        #expect((h == other) == (distinct == 0))
    }

    @Test func capabilityCountsHoldEveryCapability() {
        let st = AccountState()
        #expect(st.capabilityCounts.count == Capability.allCases.count)
        #expect(st.hourOfDay.count == 24)
    }
}
