import Logging
import Prometheus
import ServiceLifecycle

/// Moves queued event batches into the engine; on shutdown it drains the queue before returning.
public struct IngestService: Service {
    let queue: IngestQueue
    let engine: any RiskEngine
    let metrics: ServerMetrics
    let logger: Logger

    public func run() async throws {
        await withGracefulShutdownHandler {
            for await batch in queue.stream {
                engine.ingest(batch)
                queue.done(batch.count)
                metrics.queueDepth.set(Double(queue.pending))
            }
        } onGracefulShutdown: {
            queue.close()
        }
        logger.info("ingest queue drained")
    }
}
