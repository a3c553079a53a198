import Testing

@testable import RetortCore

@Suite struct DetContentTests {
    let normalizer = TemplateNormalizer()

    @Test func masksFilledParts() {
        let s = normalizer.skeleton(
            "Translate \"good morning\" for Maria Lopez: call 555-1234 or mail maria@example.com, see https://x.io/a")
        #expect(s == "translate Q for N : call # or mail E , see U")
    }

    @Test func masksCodeBlocksAndLowercases() {
        let s = normalizer.skeleton("Fix THIS code:\n```python\nprint(1)\n```\nThanks")
        #expect(s == "fix this code : C thanks")
    }

    @Test func sameTemplateSameHash() {
        let a = ContentAnalyzer()
        let x = a.analyze(
            prompt: "Summarize order 12345 for John Smith in 3 bullet points.", system: nil, promptSHA256: nil,
            tools: nil)
        let y = a.analyze(
            prompt: "Summarize order 98765 for Ada Lovelace in 5 bullet points.", system: nil, promptSHA256: nil,
            tools: nil)
        let z = a.analyze(
            prompt: "Write a poem about the sea in 3 stanzas.", system: nil, promptSHA256: nil, tools: nil)
        #expect(x.templateHash == y.templateHash)
        #expect(x.templateHash != z.templateHash)
        #expect(x.exactHash != y.exactHash)
        #expect(x.bandKeys == y.bandKeys)
    }

    @Test func nearDuplicatesShareABand() {
        let a = ContentAnalyzer()
        let base =
            "You are a helpful assistant for a travel company. Answer the customer's question politely and briefly, "
            + "quoting the booking reference and offering further help if needed. The question is about luggage"
        let x = a.analyze(prompt: base + " allowance on long flights.", system: nil, promptSHA256: nil, tools: nil)
        let y = a.analyze(prompt: base + " allowance on short flights.", system: nil, promptSHA256: nil, tools: nil)
        #expect(!Set(x.bandKeys).isDisjoint(with: y.bandKeys))
    }

    @Test func reasoningElicitation() {
        let a = ContentAnalyzer()
        #expect(
            a.analyze(
                prompt: "Think step by step, then answer: what is 7*8?", system: nil, promptSHA256: nil, tools: nil
            ).elicitsReasoning)
        #expect(
            a.analyze(prompt: "hi", system: "Always show your reasoning.", promptSHA256: nil, tools: nil)
                .elicitsReasoning)
        #expect(
            !a.analyze(prompt: "What is the capital of France?", system: nil, promptSHA256: nil, tools: nil)
                .elicitsReasoning)
    }

    /// Asking for the reasoning in tags, on a scratchpad or before the answer is reasoning elicitation; a prompt
    /// that only talks about reasoning, or asks for the final answer of a problem, is not.
    @Test func reasoningElicitationInTagsAndBeforeTheAnswer() {
        let a = ContentAnalyzer()
        let asks = [
            (nil, "Think deeply about each question. Write your reasoning inside <reasoning></reasoning> tags."),
            ("Use a scratchpad before you reply.", "Which gas do plants absorb?"),
            (nil, "A train leaves at 3 pm at 60 km/h. Think hard, then give the answer on its own line."),
            (nil, "Put your thinking in <think> tags first: how many primes are below 50?"),
            (nil, "Solve x^2 = 9 and show all steps."),
        ]
        for (system, prompt) in asks {
            #expect(a.analyze(prompt: prompt, system: system, promptSHA256: nil, tools: nil).elicitsReasoning)
        }
        let plain = [
            "What was the reasoning behind the Treaty of Versailles?",
            "We need a final decision on the logo by Friday.",
            "Thanks! So what's the final answer?",
            "Write a short poem about tags on old suitcases.",
        ]
        for prompt in plain {
            #expect(!a.analyze(prompt: prompt, system: nil, promptSHA256: nil, tools: nil).elicitsReasoning)
        }
    }

    @Test func capabilities() {
        let a = ContentAnalyzer()
        let code = a.analyze(
            prompt: "Write a Python function to reverse a list.", system: nil, promptSHA256: nil, tools: nil)
        #expect(code.has(.coding))
        let math = a.analyze(prompt: "Solve the equation 3x + 5 = 20.", system: nil, promptSHA256: nil, tools: nil)
        #expect(math.has(.math))
        #expect(!math.has(.coding))
        let agent = a.analyze(prompt: "Book a table.", system: nil, promptSHA256: nil, tools: 3)
        #expect(agent.has(.agentic))
        let multi = a.analyze(
            prompt: "Пожалуйста, объясните, как работает фотосинтез в растениях.", system: nil, promptSHA256: nil,
            tools: nil)
        #expect(multi.has(.multilingual))
        let essay = a.analyze(prompt: "Write an essay about winter.", system: nil, promptSHA256: nil, tools: nil)
        #expect(essay.has(.writing))
    }

    @Test func hashOnlyPromptsStillLink() {
        let a = ContentAnalyzer()
        let x = a.analyze(prompt: nil, system: nil, promptSHA256: "ABCDEF0123", tools: nil)
        let y = a.analyze(prompt: nil, system: nil, promptSHA256: "abcdef0123", tools: nil)
        #expect(x.exactHash != 0 && x.exactHash == y.exactHash)
        #expect(x.templateHash == 0 && x.bandKeys.isEmpty)
    }

    @Test func emailShape() {
        #expect(AccountMeta.emailShape("Anna.Berg1984") == "Llll.Llll0000")
        #expect(AccountMeta.emailShape("Jonathan.Smithers19840101") == "Llll+.Llll+0000+")
    }

    /// The byte path for ASCII gives what the character path gives, on every ASCII byte, runs of each class,
    /// long names (the 32-character cut) and text that takes the character path (non-ASCII, CR LF).
    @Test func emailShapeASCIIPathMatchesTheCharacterPath() {
        var x: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ n: Int) -> Int {
            x ^= x << 13
            x ^= x >> 7
            x ^= x << 17
            return Int(x % UInt64(n))
        }
        let pools: [[UInt8]] = [
            Array(0x00...0x7F), Array("aB3.".utf8), Array("abcXYZ019_-+.".utf8), Array("aaaaA1".utf8),
        ]
        for round in 0..<3_000 {
            let pool = pools[round % pools.count]
            let bytes = (0..<next(48)).map { _ in pool[next(pool.count)] }
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(AccountMeta.emailShape(text) == AccountMeta.emailShapeByCharacter(text), "\(bytes)")
        }
        for text in [
            "Ünal.Çelik1990", "名前.なまえ", "a\r\nb", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "x1y2z3" + "é",
        ] {
            #expect(AccountMeta.emailShape(text) == AccountMeta.emailShapeByCharacter(text), "\(text)")
        }
    }
}
