/// The capability areas a prompt can probe, used for campaign capability profiles.
public enum Capability: Int, CaseIterable, Sendable, Codable {
    case coding = 0
    case math
    case reasoning
    case agentic
    case writing
    case multilingual

    /// The key used in findings.json.
    public var name: String {
        switch self {
        case .coding: return "coding"
        case .math: return "math"
        case .reasoning: return "reasoning"
        case .agentic: return "agentic"
        case .writing: return "writing"
        case .multilingual: return "multilingual"
        }
    }
}
