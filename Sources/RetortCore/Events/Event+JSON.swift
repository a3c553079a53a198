/// Fast JSON Lines encoding of ``Event`` and ``Account`` (formats.md sections 1 and 2), without Foundation.
///
/// Fields that are `nil` are left out. Strings are escaped as RFC 8259 requires (quote, backslash and
/// control characters); everything else, including non-ASCII text, is written as UTF-8.
public enum JSONLineEncoder {
    /// How `ts` (and `created_at`) are written.
    public enum TimeFormat: String, Sendable, Codable {
        /// RFC 3339 UTC with milliseconds, e.g. `2026-04-01T00:00:00.000Z`.
        case rfc3339
        /// Epoch milliseconds as a JSON number.
        case epochMs = "epoch_ms"
    }

    /// Appends `event` as one JSON object and a trailing newline to `out`.
    public static func append(_ event: Event, to out: inout [UInt8], timeFormat: TimeFormat = .rfc3339) {
        var w = Writer(out: out)
        out = []
        w.raw("{\"ts\":")
        w.time(event.ts, timeFormat)
        w.key("account_id")
        w.string(event.accountID)
        w.key("request_id")
        w.string(event.requestID)
        if let v = event.apiKeyID { w.key("api_key_id"); w.string(v) }
        if let v = event.orgID { w.key("org_id"); w.string(v) }
        if let v = event.endUserID { w.key("end_user_id"); w.string(v) }
        if let v = event.ip { w.key("ip"); w.string(v.description) }
        if let v = event.asn { w.key("asn"); w.int(v) }
        if let v = event.country { w.key("country"); w.string(v) }
        if let v = event.userAgent { w.key("user_agent"); w.string(v) }
        if let v = event.tlsFingerprint { w.key("tls_fingerprint"); w.string(v) }
        if let v = event.endpoint { w.key("endpoint"); w.string(v) }
        if let v = event.model { w.key("model"); w.string(v) }
        if let v = event.inputTokens { w.key("input_tokens"); w.int(v) }
        if let v = event.outputTokens { w.key("output_tokens"); w.int(v) }
        if let v = event.reasoningTokens { w.key("reasoning_tokens"); w.int(v) }
        if let v = event.maxTokens { w.key("max_tokens"); w.int(v) }
        if let v = event.temperature { w.key("temperature"); w.double(v) }
        if let v = event.topP { w.key("top_p"); w.double(v) }
        if let v = event.n { w.key("n"); w.int(v) }
        if let v = event.logprobs { w.key("logprobs"); w.bool(v) }
        if let v = event.topLogprobs { w.key("top_logprobs"); w.int(v) }
        if let v = event.logitBiasSize { w.key("logit_bias_size"); w.int(v) }
        if let v = event.tools { w.key("tools"); w.int(v) }
        if let v = event.thinking { w.key("thinking"); w.bool(v) }
        if let v = event.stream { w.key("stream"); w.bool(v) }
        if let v = event.status { w.key("status"); w.int(v) }
        if let v = event.latencyMs { w.key("latency_ms"); w.int(v) }
        if let v = event.conversationID { w.key("conversation_id"); w.string(v) }
        if let v = event.turn { w.key("turn"); w.int(v) }
        if let v = event.system { w.key("system"); w.string(v) }
        if let v = event.prompt { w.key("prompt"); w.string(v) }
        if let v = event.promptSHA256 { w.key("prompt_sha256"); w.string(v) }
        w.raw("}\n")
        out = w.out
    }

    /// Encodes `event` as one JSON line (with its trailing newline).
    public static func line(_ event: Event, timeFormat: TimeFormat = .rfc3339) -> String {
        var out: [UInt8] = []
        append(event, to: &out, timeFormat: timeFormat)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `account` as one JSON object and a trailing newline to `out`.
    /// `created_at` is always RFC 3339, as formats.md section 2 specifies.
    public static func append(_ account: Account, to out: inout [UInt8]) {
        var w = Writer(out: out)
        out = []
        w.raw("{\"account_id\":")
        w.string(account.accountID)
        if let v = account.createdAt { w.key("created_at"); w.time(v, .rfc3339) }
        if let v = account.emailDomain { w.key("email_domain"); w.string(v) }
        if let v = account.emailLocal { w.key("email_local"); w.string(v) }
        if let v = account.paymentFingerprint { w.key("payment_fingerprint"); w.string(v) }
        if let v = account.cardBIN { w.key("card_bin"); w.string(v) }
        if let v = account.signupIP { w.key("signup_ip"); w.string(v.description) }
        if let v = account.country { w.key("country"); w.string(v) }
        if let v = account.orgID { w.key("org_id"); w.string(v) }
        if let v = account.verified { w.key("verified"); w.bool(v) }
        if let v = account.tier { w.key("tier"); w.string(v) }
        w.raw("}\n")
        out = w.out
    }

    /// Encodes `account` as one JSON line (with its trailing newline).
    public static func line(_ account: Account) -> String {
        var out: [UInt8] = []
        append(account, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `s` as a JSON string literal (with quotes) to `out`.
    public static func appendString(_ s: String, to out: inout [UInt8]) {
        var w = Writer(out: out)
        out = []
        w.string(s)
        out = w.out
    }
}

extension JSONLineEncoder {
    struct Writer {
        var out: [UInt8]

        @inline(__always)
        mutating func raw(_ s: StaticString) {
            s.withUTF8Buffer { out.append(contentsOf: $0) }
        }

        @inline(__always)
        mutating func key(_ name: StaticString) {
            out.append(UInt8(ascii: ","))
            out.append(UInt8(ascii: "\""))
            name.withUTF8Buffer { out.append(contentsOf: $0) }
            out.append(UInt8(ascii: "\""))
            out.append(UInt8(ascii: ":"))
        }

        mutating func bool(_ v: Bool) {
            if v { raw("true") } else { raw("false") }
        }

        mutating func int(_ v: Int) {
            int64(Int64(v))
        }

        mutating func int64(_ v: Int64) {
            if v < 0 {
                out.append(UInt8(ascii: "-"))
                if v == Int64.min {
                    raw("9223372036854775808")
                    return
                }
                uint(UInt64(-v))
            } else {
                uint(UInt64(v))
            }
        }

        mutating func uint(_ v: UInt64) {
            if v < 10 {
                out.append(UInt8(truncatingIfNeeded: v) &+ 48)
                return
            }
            // Write digits in reverse into a small stack buffer.
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buf in
                var n = v
                var i = 20
                while n > 0 {
                    i -= 1
                    buf[i] = UInt8(truncatingIfNeeded: n % 10) &+ 48
                    n /= 10
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[i..<20]))
            }
        }

        mutating func double(_ v: Double) {
            guard v.isFinite else {
                raw("null")
                return
            }
            if v == v.rounded(), abs(v) < 1e15 {
                int64(Int64(v))
                return
            }
            out.append(contentsOf: v.description.utf8)
        }

        /// RFC 3339 with milliseconds in UTC, or epoch milliseconds.
        mutating func time(_ ms: Int64, _ format: TimeFormat) {
            guard format == .rfc3339 else {
                int64(ms)
                return
            }
            let secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000
            let millis = Int(ms - secs * 1000)
            let days = secs >= 0 ? secs / 86_400 : (secs - 86_399) / 86_400
            let rem = Int(secs - days * 86_400)
            let (y, m, d) = Timestamp.civilFromDays(Int(days))
            guard y >= 0 && y <= 9999 else {
                string(Timestamp.format(ms))
                return
            }
            out.append(UInt8(ascii: "\""))
            digits(y, 4)
            out.append(UInt8(ascii: "-"))
            digits(m, 2)
            out.append(UInt8(ascii: "-"))
            digits(d, 2)
            out.append(UInt8(ascii: "T"))
            digits(rem / 3600, 2)
            out.append(UInt8(ascii: ":"))
            digits(rem / 60 % 60, 2)
            out.append(UInt8(ascii: ":"))
            digits(rem % 60, 2)
            out.append(UInt8(ascii: "."))
            digits(millis, 3)
            out.append(UInt8(ascii: "Z"))
            out.append(UInt8(ascii: "\""))
        }

        @inline(__always)
        mutating func digits(_ v: Int, _ width: Int) {
            var div = 1
            for _ in 1..<width { div *= 10 }
            var x = v
            while div > 0 {
                out.append(UInt8(truncatingIfNeeded: x / div) &+ 48)
                x %= div
                div /= 10
            }
        }

        mutating func string(_ s: String) {
            out.append(UInt8(ascii: "\""))
            let done: Void? = s.utf8.withContiguousStorageIfAvailable { escaped($0) }
            if done == nil {
                var copy = s
                copy.withUTF8 { escaped($0) }
            }
            out.append(UInt8(ascii: "\""))
        }

        static let hex: [UInt8] = Array("0123456789abcdef".utf8)

        mutating func escaped(_ b: UnsafeBufferPointer<UInt8>) {
            let n = b.count
            var runStart = 0
            var i = 0
            while i < n {
                let c = b[i]
                if c >= 0x20 && c != 0x22 && c != 0x5C {
                    i += 1
                    continue
                }
                if i > runStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: b[runStart..<i])) }
                out.append(UInt8(ascii: "\\"))
                switch c {
                case 0x22: out.append(0x22)
                case 0x5C: out.append(0x5C)
                case 0x0A: out.append(UInt8(ascii: "n"))
                case 0x0D: out.append(UInt8(ascii: "r"))
                case 0x09: out.append(UInt8(ascii: "t"))
                case 0x08: out.append(UInt8(ascii: "b"))
                case 0x0C: out.append(UInt8(ascii: "f"))
                default:
                    out.append(UInt8(ascii: "u"))
                    out.append(UInt8(ascii: "0"))
                    out.append(UInt8(ascii: "0"))
                    out.append(Writer.hex[Int(c >> 4)])
                    out.append(Writer.hex[Int(c & 0xF)])
                }
                i += 1
                runStart = i
            }
            if n > runStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: b[runStart..<n])) }
        }
    }
}
