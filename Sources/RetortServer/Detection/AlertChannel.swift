/// Carries campaign alerts from re-clustering to the webhook sender.
public final class AlertChannel: Sendable {
    public let stream: AsyncStream<CampaignAlert>
    let continuation: AsyncStream<CampaignAlert>.Continuation

    public init(capacity: Int = 1000) {
        (stream, continuation) = AsyncStream.makeStream(
            of: CampaignAlert.self, bufferingPolicy: .bufferingOldest(capacity))
    }

    func send(_ alert: CampaignAlert) { continuation.yield(alert) }
    func finish() { continuation.finish() }
}
