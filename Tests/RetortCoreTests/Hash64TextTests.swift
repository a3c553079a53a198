import Testing

@testable import RetortCore

/// ``Hash64/text(_:seed:)`` and its pair: every byte counts at every length (the short, 16-byte and 48-byte
/// paths), the two lanes are the two seeds' hashes, and strings hash as their UTF-8.
@Suite struct Hash64TextTests {
    /// Deterministic bytes: a xorshift stream.
    static func bytes(_ n: Int, seed: UInt64 = 0x1234_5678) -> [UInt8] {
        var x = seed
        return (0..<n).map { _ in
            x ^= x << 13
            x ^= x >> 7
            x ^= x << 17
            return UInt8(truncatingIfNeeded: x >> 24)
        }
    }

    @Test func everyByteAndTheLengthCount() {
        var seen = Set<UInt64>()
        let data = Self.bytes(200)
        for n in 0...200 {
            let prefix = Array(data.prefix(n))
            let h = prefix.withUnsafeBufferPointer { Hash64.text($0, seed: 7) }
            #expect(seen.insert(h).inserted, "length \(n) collides with a shorter prefix")
            // Flipping any one bit of any byte changes the hash.
            for i in 0..<n {
                var changed = prefix
                changed[i] ^= 0x10
                let g = changed.withUnsafeBufferPointer { Hash64.text($0, seed: 7) }
                #expect(g != h, "byte \(i) of \(n) ignored")
            }
        }
        // Zero bytes of different lengths differ too (the length is mixed in).
        let zeros = (0...64).map { n in
            [UInt8](repeating: 0, count: n).withUnsafeBufferPointer { Hash64.text($0, seed: 7) }
        }
        #expect(Set(zeros).count == zeros.count)
    }

    @Test func pairLanesAreTheTwoSeedsHashes() {
        for n in [0, 1, 3, 4, 8, 15, 16, 17, 32, 47, 48, 49, 96, 97, 500] {
            Self.bytes(n).withUnsafeBufferPointer { b in
                let (first, second) = Hash64.textPair(b, seeds: (0x7261_77, 0x9e37))
                #expect(first == Hash64.text(b, seed: 0x7261_77))
                #expect(second == Hash64.text(b, seed: 0x9e37))
                #expect(first != second)
            }
        }
    }

    @Test func stringsHashAsTheirUTF8() {
        for text in ["", "a", "café ✓", String(repeating: "a longer prompt of several words. ", count: 9)] {
            let utf8 = Array(text.utf8)
            let expected = utf8.withUnsafeBufferPointer { Hash64.textPair($0, seeds: (1, 2)) }
            #expect(Hash64.textStringPair(text, seeds: (1, 2)) == expected)
            // A substring's contents, copied into a new string, hash the same.
            let copy = String(Substring(text))
            #expect(Hash64.textStringPair(copy, seeds: (1, 2)) == expected)
        }
    }

    /// Known answers from wyhash's reference C code (final version 4's function with the constants
    /// 0xa0761d6478bd642f, 0xe7037ed1a0b428db, 0x8ebc6af09c88c6e3, 0x589965cc75374cc3), seed 0x726177, one
    /// text per path: empty, under 4 bytes, 17..48 bytes, over 48 bytes.
    @Test func valuesMatchTheReferenceCode() {
        let cases: [(String, UInt64)] = [
            ("", 0x4160_8c4f_9e59_0970),
            ("abc", 0x2155_0455_2797_d304),
            ("Summarise the following text in three bullet points.", 0x85eb_23b0_ca71_c021),
            (
                "A prompt that is long enough to take the forty-eight byte path twice over, and then some more "
                    + "bytes at the end.", 0xe606_9277_8697_8476
            ),
        ]
        for (text, expected) in cases {
            var s = text
            #expect(s.withUTF8 { Hash64.text($0, seed: 0x7261_77) } == expected, "\(text)")
        }
    }
}
