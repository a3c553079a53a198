import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Prometheus
import ServiceLifecycle

/// Delivers campaign alerts as signed Standard Webhooks, retrying a few times with back-off.
public struct WebhookService: Service {
    let alerts: AlertChannel
    let url: String?
    let signer: WebhookSigner?
    let client: HTTPClient
    let metrics: ServerMetrics
    let logger: Logger

    public func run() async throws {
        await withGracefulShutdownHandler {
            for await alert in alerts.stream {
                await deliver(alert)
            }
        } onGracefulShutdown: {
            alerts.finish()
        }
    }

    func deliver(_ alert: CampaignAlert) async {
        guard let url else { return }
        let body = Array(alert.payload.rendered.utf8)
        let id = "msg_" + alert.campaign.id + "_" + String(alert.at)
        for attempt in 0..<3 {
            let ts = Int(Date().timeIntervalSince1970)
            var request = HTTPClientRequest(url: url)
            request.method = .POST
            request.headers.add(name: "content-type", value: "application/json")
            for (k, v) in signer?.headers(id: id, timestamp: ts, body: body) ?? [] {
                request.headers.add(name: k, value: v)
            }
            request.body = .bytes(ByteBuffer(bytes: body))
            do {
                let response = try await client.execute(request, timeout: .seconds(10))
                _ = try? await response.body.collect(upTo: 64 * 1024)
                if (200..<300).contains(Int(response.status.code)) {
                    metrics.webhookDelivered.increment()
                    return
                }
                logger.warning("webhook refused", metadata: ["retort.status": "\(response.status.code)"])
            } catch {
                logger.warning("webhook failed", metadata: ["retort.error": "\(error)"])
            }
            if Task.isCancelled { break }
            try? await Task.sleep(for: .milliseconds(200 << attempt))
        }
        metrics.webhookFailed.increment()
    }
}
