import Foundation
import Logging
import ServiceLifecycle

/// Re-clusters periodically; on shutdown runs a last re-clustering and writes the snapshot to the state dir.
public struct ReclusterService: Service {
    let reclusterer: Reclusterer
    let interval: Duration
    let stateDir: String?
    let logger: Logger

    public func run() async throws {
        while !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                break
            }
            if Task.isShuttingDownGracefully { break }
            _ = try? await reclusterer.runOffloaded()
        }
        let snapshot = reclusterer.run()
        if let dir = stateDir {
            do {
                try SnapshotWriter.write(snapshot, directory: dir)
                logger.info("state written", metadata: ["retort.path": "\(dir)/snapshot.json"])
            } catch {
                logger.error("cannot write state", metadata: ["retort.error": "\(error)"])
            }
        }
    }
}
