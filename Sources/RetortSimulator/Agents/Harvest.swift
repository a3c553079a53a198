import Foundation
import RetortCore

/// Prompt choice and request shaping shared by the harvesting actors.
struct Harvest {
    static let categories = ["coding", "math", "reasoning", "agentic", "general", "benchmark", "replay"]

    /// Chain-of-thought elicitation wrappers; `{p}` is the harvested prompt.
    static let cotWrappers = [
        "{p}\n\nThink step by step and show all of your reasoning before giving the final answer.",
        "Let's think step by step.\n\n{p}",
        "{p}\n\nPlease reason through this carefully, explaining each step, then state the final answer clearly.",
        "Solve the following. Break the problem into steps, justify each one, and double-check your work.\n\n{p}",
        "{p}\n\nExplain your thought process in detail. Walk through your reasoning step by step.",
        "You are an expert. First write out your complete reasoning, then give the answer.\n\nQuestion: {p}",
        "{p}\n\nBefore answering, think through the problem step-by-step, considering alternatives.",
        "Q: {p}\nA: Let's work this out in a step by step way to be sure we have the right answer.",
        "{p}\n\nShow your work. Provide a detailed, rigorous explanation of every step.",
        "Answer the question below. Reason step by step inside your answer and end with 'Final answer:'.\n\n{p}",
    ]

    static let cotSystems = [
        "You are a world-class expert. Always explain your reasoning step by step before the final answer.",
        "You are a helpful assistant. Think carefully and show detailed step-by-step reasoning.",
        "Always reason in detail, step by step, and verify your answer before responding.",
    ]

    let weights: [Double]
    let corpus: PromptCorpus

    init(mix: [String: Double], corpus: PromptCorpus) {
        weights = Harvest.categories.map { max(0, mix[$0] ?? 0) }
        self.corpus = corpus
    }

    /// A harvested prompt and its category.
    func prompt(_ rng: inout SimRandom) -> (String, String) {
        let total = weights.reduce(0, +)
        let i = total > 0 ? rng.weighted(weights) : 4
        let cat = Harvest.categories[i]
        switch cat {
        case "coding": return (rng.pick(corpus.prompts(.coding)), cat)
        case "math": return (rng.pick(corpus.prompts(.math)), cat)
        case "reasoning": return (rng.pick(corpus.prompts(.reasoning)), cat)
        case "agentic": return (rng.pick(corpus.prompts(.agentic)), cat)
        case "benchmark":
            return (rng.pick(rng.chance(0.5) ? corpus.prompts(.mmlu) : corpus.prompts(.gsm8k)), cat)
        case "replay":
            if rng.chance(0.5) { return (rng.pick(corpus.prompts(.benign)), cat) }
            let conv = rng.pick(corpus.conversations)
            return (conv[rng.below(conv.count)], cat)
        default: return (rng.pick(corpus.prompts(.general)), cat)
        }
    }

    /// The wrappers split around `{p}` once, so wrapping is two concatenations.
    static let cotParts: [(String, String)] = cotWrappers.map { w in
        let parts = w.components(separatedBy: "{p}")
        return (parts[0], parts.count > 1 ? parts[1] : "")
    }

    static func wrap(_ p: String, _ rng: inout SimRandom) -> String {
        let (head, tail) = cotParts[rng.below(cotParts.count)]
        return head + p + tail
    }
}
