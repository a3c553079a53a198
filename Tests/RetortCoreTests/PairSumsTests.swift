import Testing

@testable import RetortCore

@Suite struct PairSumsTests {
    /// Random pair keys (many repeated, the table growing several times) against a `Dictionary` summed in
    /// the same order: same keys, bit-identical sums (inexact units, so the order of additions shows), and
    /// ascending keys.
    @Test func agreesWithDictionarySummedInOrder() {
        var sums = PairSums(capacity: 2)
        var reference: [UInt64: Double] = [:]
        var rng = SystemRandomNumberGenerator()
        let units = [0.5, 0.1, 1.0 / 3.0, 0.0625]
        for _ in 0..<50_000 {
            let a = UInt64(rng.next() % 700)
            let b = a + 1 + UInt64(rng.next() % 300)
            let key = a << 32 | b
            let unit = units[Int(rng.next() % 4)]
            sums.add(key, unit)
            reference[key, default: 0] += unit
        }
        #expect(sums.count == reference.count)
        let sorted = sums.sortedByKey()
        #expect(sorted.map(\.key) == reference.keys.sorted())
        for (k, s) in sorted { #expect(s.bitPattern == reference[k]!.bitPattern, "sum of \(k)") }
    }

    @Test func smallKeysAndEmptyTable() {
        var sums = PairSums()
        #expect(sums.sortedByKey().isEmpty)
        sums.add(1, 0.25)
        sums.add(UInt64.max, 2)
        sums.add(1, 0.25)
        #expect(sums.sortedByKey().map(\.key) == [1, .max])
        #expect(sums.sortedByKey().map(\.sum) == [0.5, 2])
    }
}
