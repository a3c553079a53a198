import Testing

@testable import RetortCore

@Suite struct StringInternerTests {
    /// Byte strings of every kind (short, long, repeated, invalid UTF-8, same length and different bytes),
    /// through a table small enough for them to collide: always the string `String(decoding:as:)` makes.
    @Test func sameStringsAsDecoding() {
        var samples: [[UInt8]] = [
            [], Array("short".utf8), Array("exactly 15 byte".utf8), Array("exactly 16 bytes".utf8),
            Array("Mozilla/5.0 (X11; Linux x86_64) python-requests/2.31".utf8),
            Array("chat.completions".utf8), Array("chat.completionz".utf8),
            Array("Ünïcødé text that is longer than fifteen bytes".utf8),
            [0x61, 0x62, 0xff, 0xfe, 0x63] + Array(repeating: 0x41, count: 20),  // invalid UTF-8
            Array(repeating: 0x41, count: 20) + [0xc3],  // truncated sequence
        ]
        var x: UInt64 = 99
        for _ in 0..<200 {
            x = Hash64.mix(x)
            samples.append(Array("prompt \(x % 37) with some words to make it long".utf8))
        }
        var interner = StringInterner(slots: 8)
        var off = StringInterner(slots: 0)
        for _ in 0..<3 {
            for bytes in samples {
                bytes.withUnsafeBufferPointer { b in
                    let want = String(decoding: b, as: UTF8.self)
                    let got = interner.string(b)
                    #expect(got == want)
                    #expect(Array(got.utf8) == Array(want.utf8))
                    #expect(off.string(b) == want)
                }
            }
        }
    }

    @Test func decoderWithInternerGivesTheSameEvents() throws {
        let lines = [
            #"{"ts":1,"account_id":"a","request_id":"r1","user_agent":"python-requests/2.31.0 (long)","endpoint":"chat.completions","system":"You are a helpful assistant.","prompt":"Explain recursion step by step, please."}"#,
            #"{"ts":2,"account_id":"b","request_id":"r2","user_agent":"python-requests/2.31.0 (long)","endpoint":"chat.completions","system":"You are a helpful assistant.","prompt":"Explain recursion step by step, please."}"#,
            #"{"ts":3,"account_id":"c","request_id":"r3","user_agent":"python-requests/2.31.0 (lon\u0067)","endpoint":"chat.completions","prompt":"Explain recursion step by step, please!"}"#,
        ]
        let decoder = EventDecoder()
        var interner = StringInterner(slots: 16)
        for line in lines {
            var l = line
            let want = try decoder.decode(line)
            let got = try l.withUTF8 { b throws(RecordError) in try decoder.decode(b, interner: &interner) }
            #expect(got == want)
        }
    }
}
