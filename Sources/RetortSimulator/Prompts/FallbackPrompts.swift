/// A small built-in prompt list, used only where the real corpora folder is absent.
enum FallbackPrompts {
    static let all: [String] = [
        "How do I reverse a linked list in Python?",
        "Write a short poem about the sea at night.",
        "What is the difference between TCP and UDP?",
        "Explain photosynthesis to a ten-year-old.",
        "Summarise the causes of the First World War in five bullet points.",
        "Can you help me write a polite e-mail asking for a deadline extension?",
        "What are some good vegetarian recipes for a dinner party?",
        "Solve for x: 3x + 7 = 22.",
        "Translate 'Where is the train station?' into Spanish and French.",
        "Write a SQL query returning the ten customers with the highest total orders.",
        "Why is the sky blue?",
        "Give me a workout plan for three days a week.",
        "What is a monad, in simple terms?",
        "A train leaves at 3pm going 60 mph. How far has it gone by 5:30pm?",
        "Debug this: for i in range(10) print(i)",
        "Recommend five science-fiction novels for someone who liked Dune.",
        "How does compound interest work?",
        "Write a bash script that renames all .txt files in a folder to .md.",
        "What should I pack for a week in Iceland in March?",
        "Explain the Monty Hall problem.",
    ]
    static let conversations: [[String]] = [
        ["How do I make sourdough starter?", "How often should I feed it?", "It smells like acetone, is that bad?"],
        ["Write a cover letter for a junior data analyst role.", "Make it shorter and less formal."],
        ["What's the best way to learn Rust?", "I know Python already.", "Any project ideas?"],
        ["Explain how vaccines work.", "And mRNA vaccines specifically?"],
    ]
}
