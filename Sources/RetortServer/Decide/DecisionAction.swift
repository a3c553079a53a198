/// What to do with a request, from least to most restrictive.
public enum DecisionAction: String, Sendable, Codable, CaseIterable, Comparable {
    case allow, throttle, verify, block

    var rank: Int {
        switch self {
        case .allow: 0
        case .throttle: 1
        case .verify: 2
        case .block: 3
        }
    }

    public static func < (a: DecisionAction, b: DecisionAction) -> Bool { a.rank < b.rank }
}
