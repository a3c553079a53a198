/// Words and phrases (lowercase, space-separated tokens as the ``TemplateNormalizer`` produces them) that
/// mark reasoning-trace elicitation and the capability areas. Deliberately generic: they describe kinds
/// of request, not the wording of any corpus.
enum ContentLexicon {
    static let reasoningElicitation = [
        "step by step", "show your reasoning", "explain your reasoning", "show your work", "think carefully",
        "chain of thought", "reasoning process", "walk me through", "walk through", "let's think",
        "think through", "reasoning trace", "each step", "every step", "detailed reasoning",
        "your thought process", "thought process", "reason through", "intermediate steps", "justify each",
        "before answering", "before giving", "full reasoning", "explain how you", "work it out",
        "internal reasoning", "thinking process",
        // Stop 34: further common ways of asking for the reasoning before the answer (a tag to write it in, a
        // scratchpad). Each is in at most 0.1% of ShareGPT's genuine conversations (and at most one of OASST's or
        // Arena-Hard's), against 1.8% for "step by step"; docs/detection.md "Stop 34". Not "final answer": students
        // ask "what's the final answer?" of their homework.
        "your reasoning", "your thinking", "think deeply", "think hard", "reason carefully", "reason step",
        "show all steps", "show the steps", "all the steps", "reasoning steps", "think first", "think before",
        "reasoning tags", "thinking tags", "think tags", "reasoning inside", "reasoning within", "think aloud",
        "think out loud", "scratchpad", "justify your",
    ]
    static let coding = [
        "code", "python", "javascript", "typescript", "function", "implement", "compile", "bug", "debug",
        "sql", "regex", "algorithm", "java", "rust", "golang", "c++", "html", "css", "api endpoint", "unit test",
        "class", "def", "return", "variable", "script", "program", "recursion", "array",
    ]
    static let math = [
        "solve", "calculate", "equation", "how many", "how much", "sum of", "probability", "integral",
        "derivative", "math", "percent", "percentage", "total cost", "average", "fraction", "multiply",
        "divide", "algebra", "geometry", "theorem", "remainder",
    ]
    static let reasoning = [
        "why", "explain", "reason", "logic", "logical", "puzzle", "of the following", "infer", "prove",
        "deduce", "conclude", "true or false", "correct answer", "best answer", "analyze", "compare",
    ]
    static let agentic = [
        "tool", "tools", "function call", "json schema", "action", "observation", "browse", "execute",
        "agent", "plan the steps", "call the", "the following tools",
    ]
    static let writing = [
        "write", "essay", "story", "poem", "email", "rewrite", "summarize", "summarise", "letter", "blog",
        "paragraph", "draft", "compose", "article",
    ]
    static let multilingual = ["translate", "translation", "in french", "in spanish", "in german", "in chinese"]
}
