import Foundation
import Testing

@testable import RetortCore

/// The fast paths of the scanner (8-byte string scanning, run-copying unescape, short-decimal parsing, the
/// field hash) must agree with Foundation on the same input.
@Suite struct JSONScannerTests {
    static func decodePrompt(_ json: String) throws -> String? {
        try EventDecoder().decode(#"{"ts":1,"account_id":"a","request_id":"r","prompt":\#(json)}"#).prompt
    }

    @Test func stringsAgreeWithFoundation() throws {
        var rng: UInt64 = 42
        let alphabet: [Character] = Array("ab \"\\/\n\t\r\u{01}\u{1F}é€😀𝄞xyz0123456789{}[]:,")
        for length in [0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 300] {
            for _ in 0..<20 {
                var s = ""
                for _ in 0..<length {
                    rng = Hash64.mix(rng &+ 1)
                    s.append(alphabet[Int(rng % UInt64(alphabet.count))])
                }
                let variants: [JSONSerialization.WritingOptions] = [
                    [.fragmentsAllowed], [.fragmentsAllowed, .withoutEscapingSlashes],
                ]
                for options in variants {
                    let data = try JSONSerialization.data(withJSONObject: s, options: options)
                    let json = String(decoding: data, as: UTF8.self)
                    #expect(try Self.decodePrompt(json) == s)
                }
            }
        }
    }

    @Test func longRunsBetweenEscapesAgreeWithFoundation() throws {
        // Runs of 0 to 40 plain characters (multi-byte ones among them) between escapes, so that the
        // unescaper's copy of the run before each backslash starts and stops at every offset and at the span's
        // end; through the decoder (a `String`) and through the scratch buffer the analyses read.
        let plain: [Character] = Array("abcdé€xyz 0123😀")
        let escapes = ["\n", "\"", "\\", "\u{01}", "\t", "/"]
        var scratch: [UInt8] = []
        for run in 0...40 {
            for (k, escape) in escapes.enumerated() {
                var s = ""
                for r in 0..<(3 + k) {
                    for c in 0..<run { s.append(plain[(c + r * 7) % plain.count]) }
                    s += escape
                }
                if run % 2 == 1 { s.removeLast() }  // some texts end in a run, not an escape
                let data = try JSONSerialization.data(withJSONObject: s, options: [.fragmentsAllowed])
                let json = String(decoding: data, as: UTF8.self)
                #expect(try Self.decodePrompt(json) == s, "run \(run), escape \(k)")
                let raw = Array(data.dropFirst().dropLast())  // the span between the quotes
                let text = raw.withUnsafeBufferPointer { span in
                    JSONScanner.withText(span, escaped: true, scratch: &scratch) { Array($0) }
                }
                #expect(text == Array(s.utf8), "run \(run), escape \(k)")
            }
        }
    }

    @Test func unicodeEscapesAndSurrogates() throws {
        #expect(try Self.decodePrompt(#""\u00e9\u00E9\u20ac\ud83d\ude00x""#) == "éé€😀x")
        #expect(try Self.decodePrompt(#""\ud83d""#) == "\u{FFFD}")
        #expect(try Self.decodePrompt(#""a\ud83dz""#) == "a\u{FFFD}z")
        #expect(throws: RecordError.self) { try Self.decodePrompt(#""\u12g4""#) }
        #expect(throws: RecordError.self) { try Self.decodePrompt("\"a\u{01}b\"") }
        #expect(throws: RecordError.self) { try Self.decodePrompt(#""abcdefghijklmnop"#) }
    }

    @Test func decimalsAgreeWithTheFullParse() throws {
        let texts = [
            "0.7", "0.1", "1.0", "-0.25", "0.30000000000000004", "123456.789012345", "9007199254740.993",
            "0.000001", "1e3", "2.5E-3", "-0.0", "99999999999999.9", "1234567890.12345",
        ]
        for t in texts {
            let e = try EventDecoder().decode(#"{"ts":1,"account_id":"a","request_id":"r","top_p":\#(t)}"#)
            #expect(e.topP == Double(t), "\(t)")
        }
    }

    @Test func everyFieldNameIsFoundAndNearMissesAreNot() {
        let table = FieldTable(Event.fieldNames)
        for (i, name) in Event.fieldNames.enumerated() {
            var n = name
            #expect(n.withUTF8 { table.index(of: $0) } == i)
            for variant in [name + "x", String(name.dropLast()), name.uppercased(), "_" + name.dropFirst()] {
                var v = variant
                #expect(v.withUTF8 { table.index(of: $0) } == nil, "\(variant)")
            }
            // A change of any one byte, anywhere in the name, is not the field (every byte is compared).
            for position in 0..<name.utf8.count {
                var bytes = Array(name.utf8)
                bytes[position] ^= 0x01
                #expect(bytes.withUnsafeBufferPointer { table.index(of: $0) } == nil, "\(name) byte \(position)")
            }
        }
    }
}
