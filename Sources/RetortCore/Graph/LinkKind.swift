/// The kinds of value that can link accounts, in a fixed order (config names in ``name``).
public enum LinkKindID: Int, CaseIterable, Sendable {
    case payment = 0
    case cardBINWeek
    case ip
    case network
    case asn
    case signupIP
    /// The sign-up IP's /24 or /48 network. It ties thin accounts into pools only
    /// (``Investigation/poolThinAccounts(_:groups:org:coverage:)``): in the account graph it would mostly count a
    /// campus's or an office's shared sign-up address a second time.
    case signupNetwork
    case tls
    case userAgent
    case emailPattern
    case signupBurst
    case template
    case frame
    case systemPrompt
    case nearDuplicate
    case exactPrompt
    case behaviourFingerprint
    case lockstep
    case coOccurrence

    public var name: String {
        switch self {
        case .payment: return "payment"
        case .cardBINWeek: return "card_bin_week"
        case .ip: return "ip"
        case .network: return "network"
        case .asn: return "asn"
        case .signupIP: return "signup_ip"
        case .signupNetwork: return "signup_network"
        case .tls: return "tls"
        case .userAgent: return "user_agent"
        case .emailPattern: return "email_pattern"
        case .signupBurst: return "signup_burst"
        case .template: return "template"
        case .frame: return "frame"
        case .systemPrompt: return "system_prompt"
        case .nearDuplicate: return "near_duplicate"
        case .exactPrompt: return "exact_prompt"
        case .behaviourFingerprint: return "behaviour_fingerprint"
        case .lockstep: return "lockstep"
        case .coOccurrence: return "co_occurrence"
        }
    }

    /// Signal name in findings.json.
    public var signalName: String {
        switch self {
        case .payment: return "shared_payment"
        case .cardBINWeek: return "card_bin_batch"
        case .ip: return "shared_ip"
        case .network: return "shared_network"
        case .asn: return "shared_asn"
        case .signupIP: return "shared_signup_ip"
        case .signupNetwork: return "shared_signup_network"
        case .tls: return "shared_tls_fingerprint"
        case .userAgent: return "shared_user_agent"
        case .emailPattern: return "email_pattern"
        case .signupBurst: return "signup_burst"
        case .template: return "shared_template"
        case .frame: return "shared_prompt_frame"
        case .systemPrompt: return "shared_system_prompt"
        case .nearDuplicate: return "near_duplicate_prompts"
        case .exactPrompt: return "exact_duplicate_prompts"
        case .behaviourFingerprint: return "same_client_configuration"
        case .lockstep: return "lockstep_activity"
        case .coOccurrence: return "co_occurring_values"
        }
    }

    /// What a shared value of this kind is called in explanations.
    var noun: String {
        switch self {
        case .payment: return "payment fingerprints"
        case .cardBINWeek: return "card BINs within a sign-up week"
        case .ip: return "IP addresses"
        case .network: return "/24 or /48 networks"
        case .asn: return "ASNs"
        case .signupIP: return "sign-up IPs"
        case .signupNetwork: return "sign-up /24 or /48 networks"
        case .tls: return "TLS fingerprints"
        case .userAgent: return "user agents"
        case .emailPattern: return "e-mail local-part shapes"
        case .signupBurst: return "sign-up bursts"
        case .template: return "prompt templates"
        case .frame: return "prompt frames (shared instruction wrappers)"
        case .systemPrompt: return "system prompts"
        case .nearDuplicate: return "near-duplicate prompt fingerprints"
        case .exactPrompt: return "exact prompts"
        case .behaviourFingerprint: return "client configurations (model, max_tokens, temperature, endpoint)"
        case .lockstep: return "sets of active days"
        case .coOccurrence:
            return
                "pairs of common values (system prompt, active days, client configuration, frame, user agent) held together far more often than chance"
        }
    }
}

/// One shared value and the accounts that share it.
struct LinkGroup: Sendable {
    var kind: LinkKindID
    var key: UInt64
    var members: [Int32]
    /// Accounts sharing the value (may exceed `members.count` for capped content keys).
    var sharedBy: Int
    /// Linked as a cohort of suspicious accounts rather than for rarity.
    var cohort = false
}
