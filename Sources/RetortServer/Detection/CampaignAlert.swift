/// A campaign newly found (or grown past its last alert) by a re-clustering.
public struct CampaignAlert: Sendable, Equatable {
    public var campaign: CampaignRisk
    /// Epoch ms of the snapshot that raised it.
    public var at: Int64

    public init(campaign: CampaignRisk, at: Int64) {
        self.campaign = campaign
        self.at = at
    }

    /// The webhook payload: `{"type":"campaign.detected","timestamp":...,"data":{...}}` (no prompt text).
    public var payload: JSONText {
        .object([
            ("type", .string("campaign.detected")),
            ("timestamp", .int(Int(at))),
            (
                "data",
                .object([
                    ("id", .string(campaign.id)),
                    ("score", .double(campaign.score)),
                    ("accounts", .array(campaign.accounts.map { .string($0) })),
                    ("exchanges", .int(campaign.exchanges)),
                    ("input_tokens", .int(campaign.inputTokens)),
                    ("output_tokens", .int(campaign.outputTokens)),
                    ("signals", .array(campaign.signals.map { .string($0) })),
                ])
            ),
        ])
    }
}
