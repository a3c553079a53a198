import Prometheus

/// The server's Prometheus metrics. Labels are low-cardinality only (action, source, endpoint); never accounts.
public final class ServerMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let eventsIngested: Counter
    let eventsDuplicate: Counter
    let eventsBad: Counter
    let ingestRejected: Counter
    let spansReceived: Counter
    let eventsDropped: Counter
    let queueDepth: Gauge
    let campaigns: Gauge
    let flaggedAccounts: Gauge
    let reclusterSeconds: DurationHistogram
    let decideSeconds: DurationHistogram
    let upstreamSeconds: DurationHistogram
    let webhookDelivered: Counter
    let webhookFailed: Counter
    let signupsScored: Counter
    private let decisions: [String: Counter]
    private let proxied: [String: Counter]

    static let sources = ["decide", "proxy", "guardrail"]
    static let proxyEndpoints = ["chat.completions", "completions", "responses", "messages"]
    static let statusClasses = ["2xx", "3xx", "4xx", "5xx", "blocked"]

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        let r = registry
        eventsIngested = r.makeCounter(
            descriptor: Self.d("retort_events_ingested_total", help: "Events accepted for detection"))
        eventsDuplicate = r.makeCounter(
            descriptor: Self.d("retort_events_duplicate_total", help: "Events dropped as duplicates"))
        eventsBad = r.makeCounter(descriptor: Self.d("retort_events_bad_total", help: "Malformed event records"))
        ingestRejected = r.makeCounter(
            descriptor: Self.d("retort_ingest_rejected_total", help: "Event batches refused because the queue was full")
        )
        eventsDropped = r.makeCounter(
            descriptor: Self.d(
                "retort_events_dropped_total",
                help: "Proxy and guardrail events not recorded because the queue was full"))
        spansReceived = r.makeCounter(descriptor: Self.d("retort_otlp_spans_total", help: "OTLP spans received"))
        queueDepth = r.makeGauge(
            descriptor: Self.d("retort_ingest_queue_events", help: "Events waiting in the ingest queue"))
        campaigns = r.makeGauge(descriptor: Self.d("retort_campaigns", help: "Campaigns in the current snapshot"))
        flaggedAccounts = r.makeGauge(
            descriptor: Self.d("retort_flagged_accounts", help: "Accounts with a score in the snapshot"))
        let fast: [Duration] = [
            .microseconds(50), .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1),
            .milliseconds(5), .milliseconds(25), .milliseconds(100), .seconds(1), .seconds(10),
        ]
        reclusterSeconds = r.makeDurationHistogram(
            descriptor: Self.d("retort_recluster_seconds", help: "Time to re-cluster and publish a snapshot"),
            buckets: fast)
        decideSeconds = r.makeDurationHistogram(
            descriptor: Self.d("retort_decide_seconds", help: "Time to evaluate a decision (excluding HTTP)"),
            buckets: fast)
        upstreamSeconds = r.makeDurationHistogram(
            descriptor: Self.d("retort_proxy_upstream_seconds", help: "Upstream time to response head"), buckets: fast)
        webhookDelivered = r.makeCounter(
            descriptor: Self.d("retort_webhook_deliveries_total", help: "Alert deliveries"), labels: [("result", "ok")])
        webhookFailed = r.makeCounter(
            descriptor: Self.d("retort_webhook_deliveries_total", help: "Alert deliveries"),
            labels: [("result", "failed")])
        signupsScored = r.makeCounter(descriptor: Self.d("retort_signups_scored_total", help: "Sign-ups scored"))
        var d: [String: Counter] = [:]
        for s in ServerMetrics.sources {
            for a in DecisionAction.allCases {
                d[s + "|" + a.rawValue] = r.makeCounter(
                    descriptor: Self.d("retort_decisions_total", help: "Decisions taken (effective action)"),
                    labels: [("source", s), ("action", a.rawValue)])
            }
        }
        decisions = d
        var p: [String: Counter] = [:]
        for e in ServerMetrics.proxyEndpoints {
            for c in ServerMetrics.statusClasses {
                p[e + "|" + c] = r.makeCounter(
                    descriptor: Self.d(
                        "retort_proxy_requests_total", help: "Proxied requests by endpoint and status class"),
                    labels: [("endpoint", e), ("status", c)])
            }
        }
        proxied = p
    }

    /// A descriptor; `name` is the full metric name.
    static func d(_ name: String, help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }

    func countDecision(source: String, action: DecisionAction) {
        decisions[source + "|" + action.rawValue]?.increment()
    }

    func countProxied(endpoint: String, status: Int?, blocked: Bool) {
        let cls = blocked ? "blocked" : status.map { "\(min(max($0 / 100, 2), 5))xx" } ?? "5xx"
        proxied[endpoint + "|" + cls]?.increment()
    }
}
