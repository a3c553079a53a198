import Foundation
import RetortCore
import Testing

@testable import RetortSimulator

/// The reasoning-elicitation lexicon against real users' prompts: genuine people ask for step-by-step answers
/// now and then, so the lexicon fires on some of their prompts, but it must stay a mark of the few, or every
/// heavy user looks like a trace harvester. Skipped when the real corpora are absent.
@Suite struct LexiconCorpusTests {
    static let hasCorpus = FileManager.default.fileExists(
        atPath: PromptCorpus.defaultFolder() + "/benign-sharegpt.jsonl.gz")

    @Test(.enabled(if: hasCorpus)) func fewGenuinePromptsElicitReasoning() throws {
        let corpus = try PromptCorpus.shared()
        #expect(corpus.isReal)
        let a = ContentAnalyzer()
        var prompts = corpus.prompts(.benign)
        for c in corpus.conversations { prompts += c }
        #expect(prompts.count > 10_000)
        let flagged = prompts.filter {
            a.analyze(prompt: $0, system: nil, promptSHA256: nil, tools: nil).elicitsReasoning
        }.count
        let share = Double(flagged) / Double(prompts.count)
        // Measured 0.64% (405 of 63,657) when the stop-34 phrases were added, 0.58% (370) without them.
        #expect(share < 0.015, "\(flagged) of \(prompts.count) genuine prompts elicit a reasoning trace")
    }
}
