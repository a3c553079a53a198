/// A request's metadata as sent to `POST /v1/decide` (field names as in formats.md section 1).
/// Only `account_id` is required.
public struct DecisionRequest: Sendable, Codable, Equatable {
    public var accountID: String
    public var requestID: String?
    public var apiKeyID: String?
    public var orgID: String?
    public var endUserID: String?
    public var ip: String?
    public var userAgent: String?
    public var endpoint: String?
    public var model: String?
    public var maxTokens: Int?
    public var stream: Bool?

    public init(accountID: String) {
        self.accountID = accountID
    }

    enum CodingKeys: String, CodingKey {
        case ip, endpoint, model, stream
        case accountID = "account_id"
        case requestID = "request_id"
        case apiKeyID = "api_key_id"
        case orgID = "org_id"
        case endUserID = "end_user_id"
        case userAgent = "user_agent"
        case maxTokens = "max_tokens"
    }
}
