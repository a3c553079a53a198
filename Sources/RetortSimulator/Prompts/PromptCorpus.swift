import Foundation
import RetortCore

/// Real prompts, loaded once from the corpora folder (gzipped JSON Lines), grouped into pools.
///
/// Genuine users draw from `benign-*`; campaigns draw from `distill-*` pools and replay `benign-*`
/// prompts too. Where the folder is absent a small built-in list stands in for every pool.
public final class PromptCorpus: Sendable {
    /// Pools of single prompts.
    public enum Pool: String, Sendable, CaseIterable {
        /// Real users' single prompts (Dolly, Open-Assistant, Arena, ShareGPT first turns).
        case benign
        /// Model-generated or benchmark prompts by capability.
        case coding, math, reasoning, agentic, general
        /// Benchmark suites.
        case mmlu, gsm8k, humaneval

        var index: Int {
            switch self {
            case .benign: return 0
            case .coding: return 1
            case .math: return 2
            case .reasoning: return 3
            case .agentic: return 4
            case .general: return 5
            case .mmlu: return 6
            case .gsm8k: return 7
            case .humaneval: return 8
            }
        }
    }

    /// Real users' multi-turn conversations (ShareGPT, HH-RLHF).
    public let conversations: [[String]]
    let pools: [Pool: [String]]
    /// The pools in `Pool.allCases` order, for lookups without hashing.
    private let table: [[String]]
    /// Where the prompts came from (a folder path, or `built-in`).
    public let origin: String
    /// True when the real corpora were loaded.
    public let isReal: Bool

    /// The folder holding the corpora: `RETORT_PROMPTS`, else `../shared/data/prompts`.
    public static func defaultFolder() -> String {
        if let env = ProcessInfo.processInfo.environment["RETORT_PROMPTS"], !env.isEmpty { return env }
        return "../shared/data/prompts"
    }

    /// Loads the corpora from `folder`, or the built-in fallback when it does not exist.
    public static func load(folder: String = PromptCorpus.defaultFolder()) throws -> PromptCorpus {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDir), isDir.boolValue else {
            return PromptCorpus.builtIn()
        }
        return try PromptCorpus(folder: folder)
    }

    /// A shared instance per folder, so repeated simulations in one process load the corpora once.
    public static func shared(folder: String = PromptCorpus.defaultFolder()) throws -> PromptCorpus {
        try cache.get(folder) { try load(folder: $0) }
    }

    private static let cache = CorpusCache()

    init(pools: [Pool: [String]], conversations: [[String]], origin: String, isReal: Bool) {
        var filled = pools
        let fallback = FallbackPrompts.all
        for p in Pool.allCases where (filled[p] ?? []).isEmpty { filled[p] = fallback }
        self.pools = filled
        table = Pool.allCases.map { filled[$0] ?? fallback }
        self.conversations = conversations.isEmpty ? FallbackPrompts.conversations : conversations
        self.origin = origin
        self.isReal = isReal
    }

    static func builtIn() -> PromptCorpus {
        PromptCorpus(pools: [:], conversations: [], origin: "built-in", isReal: false)
    }

    convenience init(folder: String) throws {
        var pools: [Pool: [String]] = [:]
        var conversations: [[String]] = []
        func add(_ p: Pool, _ s: String) {
            let t = PromptCorpus.trimmed(s)
            guard !t.isEmpty, t.utf8.count <= 12_000 else { return }
            pools[p, default: []].append(t)
        }
        func read(_ name: String, _ body: (CorpusRecordParser.Record) -> Void) throws {
            let path = folder + "/" + name + ".jsonl.gz"
            guard FileManager.default.fileExists(atPath: path) else { return }
            let reader = try LineReader(path: path)
            try reader.forEachLine { line, _ in
                if let r = CorpusRecordParser.parse(line) { body(r) }
            }
        }
        for name in ["benign-dolly", "benign-oasst", "benign-arena-hard"] {
            try read(name) { r in if let t = r.strings["text"] { add(.benign, t) } }
        }
        try read("benign-sharegpt") { r in
            guard let turns = r.arrays["turns"], !turns.isEmpty else { return }
            let clean = turns.map { PromptCorpus.trimmed($0) }
                .filter { !$0.isEmpty && $0.utf8.count <= 12_000 }
            guard !clean.isEmpty else { return }
            conversations.append(clean)
            add(.benign, clean[0])
        }
        try read("benign-hh-rlhf") { r in
            // Red-team dialogues: a small share of odd but genuine conversations.
            if let turns = r.arrays["turns"], !turns.isEmpty, conversations.count % 8 == 0 {
                conversations.append(turns)
            }
        }
        try read("distill-codealpaca") { r in if let t = r.strings["text"] { add(.coding, t) } }
        try read("distill-humaneval") { r in
            if let t = r.strings["text"] {
                add(.humaneval, t)
                add(.coding, t)
            }
        }
        try read("distill-gpteacher") { r in
            guard let t = r.strings["text"] else { return }
            let source = r.strings["source"] ?? ""
            if source.hasSuffix("codegen") {
                add(.coding, t)
            } else if source.hasSuffix("toolformer") {
                add(.agentic, PromptCorpus.stripToolHeader(t))
            } else {
                add(.general, t)
            }
        }
        try read("distill-gsm8k") { r in
            if let t = r.strings["text"] {
                add(.gsm8k, t)
                add(.math, t)
            }
        }
        try read("distill-mmlu") { r in
            guard let q = r.strings["question"], let choices = r.arrays["choices"] else { return }
            let t = PromptCorpus.formatMultipleChoice(q, choices)
            add(.mmlu, t)
            add(.reasoning, t)
        }
        try read("distill-wizardlm") { r in
            guard let t = r.strings["text"] else { return }
            switch r.strings["skill"] ?? "" {
            case "Math": add(.math, t)
            case "Code Generation", "Code Debug", "Computer Science": add(.coding, t)
            case "Reasoning", "Common-Sense", "Counterfactual", "TruthfulQA": add(.reasoning, t)
            default: add(.general, t)
            }
        }
        for name in ["distill-self-instruct", "distill-ultrachat-eval"] {
            try read(name) { r in if let t = r.strings["text"] { add(.general, t) } }
        }
        try read("distill-mt-bench") { r in
            guard let turns = r.arrays["turns"], let first = turns.first else { return }
            switch r.strings["category"] ?? "" {
            case "math": add(.math, first)
            case "coding": add(.coding, first)
            case "reasoning", "stem": add(.reasoning, first)
            default: add(.general, first)
            }
        }
        let real = !(pools[.benign] ?? []).isEmpty
        self.init(pools: pools, conversations: conversations, origin: real ? folder : "built-in", isReal: real)
    }

    /// The prompts of a pool (never empty).
    public func prompts(_ pool: Pool) -> [String] {
        table[pool.index]
    }

    /// `s` without leading and trailing ASCII whitespace (returned as is, without copying, when it has none).
    static func trimmed(_ s: String) -> String {
        func space(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 }
        let u = s.utf8
        guard let first = u.first, let last = u.last else { return s }
        if !space(first) && !space(last) { return s }
        var lo = u.startIndex
        var hi = u.endIndex
        while lo < hi, space(u[lo]) { lo = u.index(after: lo) }
        while hi > lo, space(u[u.index(before: hi)]) { hi = u.index(before: hi) }
        return String(s[lo..<hi])
    }

    /// A multiple-choice question as a benchmark harness writes it.
    static func formatMultipleChoice(_ question: String, _ choices: [String]) -> String {
        var s = question + "\n"
        let letters = ["A", "B", "C", "D", "E", "F"]
        for (i, c) in choices.prefix(letters.count).enumerated() { s += "\n\(letters[i]). \(c)" }
        return s + "\nAnswer:"
    }

    /// Removes the `toolformer:` header of a tool-use instruction, keeping the task text.
    static func stripToolHeader(_ text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var lastCall = -1
        for (i, l) in lines.enumerated() where l.hasSuffix(")") && !l.contains(" ") && l.contains("(") {
            lastCall = i
        }
        guard lastCall >= 0, lastCall + 1 < lines.count else { return text }
        return lines[(lastCall + 1)...].joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// Corpora loaded so far in this process, by folder.
final class CorpusCache: @unchecked Sendable {
    private let lock = NSLock()
    private var loaded: [String: PromptCorpus] = [:]

    func get(_ folder: String, load: (String) throws -> PromptCorpus) throws -> PromptCorpus {
        lock.lock()
        defer { lock.unlock() }
        if let c = loaded[folder] { return c }
        let c = try load(folder)
        loaded[folder] = c
        return c
    }
}
