import Foundation
import RetortCore

/// Realistic JSON Lines event records for benchmarks: the field mix of formats.md section 1 with real
/// prompt text from `../shared/data/prompts` (or `RETORT_PROMPTS`), or a small built-in set when absent.
public enum SampleEvents {
    /// Where the prompt corpora are, or nil.
    public static func promptsFolder() -> String? {
        var candidates: [String] = []
        if let env = ProcessInfo.processInfo.environment["RETORT_PROMPTS"] { candidates.append(env) }
        candidates += ["../shared/data/prompts", "../../shared/data/prompts"]
        return candidates.first { FileManager.default.fileExists(atPath: $0 + "/README.md") }
    }

    /// Up to `limit` prompt texts from the corpora (or built-in fallbacks).
    public static func prompts(limit: Int = 20_000) -> [String] {
        guard let folder = promptsFolder(),
            let names = try? FileManager.default.contentsOfDirectory(atPath: folder)
        else {
            FileHandle.standardError.write(Data("prompt corpora absent; using built-in prompts\n".utf8))
            return fallback
        }
        var out: [String] = []
        for name in names.sorted() where name.hasSuffix(".jsonl.gz") {
            guard let reader = try? LineReader(path: folder + "/" + name) else { continue }
            var taken = 0
            _ = try? reader.forEachLine { line, _ in
                guard taken < limit / 8, let object = try? JSONSerialization.jsonObject(with: Data(buffer: line)),
                    let record = object as? [String: Any]
                else { return }
                if let text = record["text"] as? String {
                    out.append(text)
                } else if let turns = record["turns"] as? [String] {
                    out += turns
                } else if let q = record["question"] as? String {
                    out.append(q + "\n" + ((record["choices"] as? [String]) ?? []).joined(separator: "\n"))
                }
                taken += 1
            }
        }
        return out.isEmpty ? fallback : out
    }

    static let fallback = [
        "Write a Python function that returns the n-th Fibonacci number using memoization.",
        "Summarize the causes of the French Revolution in three bullet points.",
        "Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May. "
            + "How many clips did Natalia sell altogether in April and May?",
        "Explain the difference between TCP and UDP to a new network engineer, with examples.",
    ]

    /// `count` JSON lines (without newline) built deterministically from `prompts`.
    public static func lines(count: Int, prompts: [String], seed: UInt64 = 1) -> [[UInt8]] {
        var rng = seed
        func next() -> UInt64 {
            rng = rng &+ 0x9E37_79B9_7F4A_7C15
            return Hash64.mix(rng)
        }
        func pick<T>(_ a: [T]) -> T { a[Int(next() % UInt64(a.count))] }
        let models = ["model-large-2026-03", "model-small-2026-01", "model-reasoner-2026-02"]
        let agents = ["openai-python/1.82.0", "anthropic-sdk-python/0.52.0", "python-httpx/0.27.0"]
        var out: [[UInt8]] = []
        out.reserveCapacity(count)
        for i in 0..<count {
            let account = next() % 5000
            let ts = 1_775_001_600_000 + Int64(i) * 7_000 + Int64(next() % 1000)
            var line = "{\"ts\":\"\(Timestamp.format(ts))\",\"account_id\":\"acct_\(account)\","
            line += "\"request_id\":\"req_\(String(next(), radix: 16))\",\"api_key_id\":\"key_\(account)_0\","
            line += "\"ip\":\"\(next() % 223 + 1).\(next() % 256).\(next() % 256).\(next() % 254 + 1)\","
            line += "\"asn\":\(16509 + next() % 50),\"country\":\"US\",\"user_agent\":\"\(pick(agents))\","
            line += "\"tls_fingerprint\":\"t13d\(next() % 1_000_000)_\(String(next() % (1 << 48), radix: 16))\","
            line += "\"endpoint\":\"messages\",\"model\":\"\(pick(models))\",\"input_tokens\":\(next() % 4000),"
            line += "\"output_tokens\":\(next() % 4000),\"max_tokens\":4096,\"temperature\":0.7,\"stream\":true,"
            line += "\"status\":200,\"latency_ms\":\(next() % 60000),"
            line += "\"conversation_id\":\"conv_\(String(next() % (1 << 40), radix: 16))\",\"turn\":\(next() % 5 + 1),"
            line += "\"prompt\":\(jsonString(pick(prompts)))}"
            out.append(Array(line.utf8))
        }
        return out
    }

    /// JSON string literal for `s` (escapes quotes, backslashes and control characters; keeps UTF-8).
    public static func jsonString(_ s: String) -> String {
        var bytes: [UInt8] = []
        JSONLineEncoder.appendString(s, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
