/// The per-account behaviour signals, each a value in [0, 1] (1 = looks like harvesting).
public enum BehaviourSignal: Int, CaseIterable, Sendable {
    case noDiurnalRest = 0
    case dutyCycle
    case regularTiming
    case singleTurn
    case parameterFixity
    case maxTokensCeiling
    case multipleCompletions
    case thinking
    case clientChurn
    case keyRotation
    case ipRotation
    case freshAccount
    case rateLimit
    case reasoningElicitation
    case apiExtraction
    case datasetSweep
    case templatedProduct

    /// The name used in config weights, findings and docs.
    public var name: String {
        switch self {
        case .noDiurnalRest: return "no_diurnal_rest"
        case .dutyCycle: return "duty_cycle"
        case .regularTiming: return "regular_timing"
        case .singleTurn: return "single_turn"
        case .parameterFixity: return "parameter_fixity"
        case .maxTokensCeiling: return "max_tokens_ceiling"
        case .multipleCompletions: return "multiple_completions"
        case .thinking: return "thinking"
        case .clientChurn: return "client_churn"
        case .keyRotation: return "key_rotation"
        case .ipRotation: return "ip_rotation"
        case .freshAccount: return "fresh_account"
        case .rateLimit: return "rate_limit"
        case .reasoningElicitation: return "reasoning_elicitation"
        case .apiExtraction: return "api_extraction"
        case .datasetSweep: return "dataset_sweep"
        case .templatedProduct: return "templated_product"
        }
    }
}
