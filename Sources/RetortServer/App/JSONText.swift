import RetortCore
/// A tiny JSON writer with stable key order, used for responses, the audit log and webhooks.
public indirect enum JSONText: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONText])
    case object([(String, JSONText)])

    public static func == (a: JSONText, b: JSONText) -> Bool { a.rendered == b.rendered }

    /// Compact JSON text.
    public var rendered: String {
        var out = ""
        render(into: &out)
        return out
    }

    func render(into out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d):
            if d.isFinite {
                if d == d.rounded(), abs(d) < 1e15 { out += String(Int(d)) } else { out += String(d) }
            } else {
                out += "null"
            }
        case .string(let s): JSONText.escape(s, into: &out)
        case .array(let a):
            out += "["
            for (i, v) in a.enumerated() {
                if i > 0 { out += "," }
                v.render(into: &out)
            }
            out += "]"
        case .object(let o):
            out += "{"
            for (i, (k, v)) in o.enumerated() {
                if i > 0 { out += "," }
                JSONText.escape(k, into: &out)
                out += ":"
                v.render(into: &out)
            }
            out += "}"
        }
    }

    static func escape(_ s: String, into out: inout String) {
        var bytes: [UInt8] = []
        JSONLineEncoder.appendString(s, to: &bytes)
        out += String(decoding: bytes, as: UTF8.self)
    }
}

extension JSONText {
    /// `.string` for a value, `.null` for nil.
    static func opt(_ s: String?) -> JSONText { s.map { .string($0) } ?? .null }
}
