import Hummingbird
import Logging
import NIOCore

/// Request context of the server: the core storage plus the peer address (used when no X-Forwarded-For).
public struct RetortRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The TCP peer's IP address, when known.
    public let peerIP: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peerIP = source.channel.remoteAddress?.ipAddress
    }

    public var maxUploadSize: Int { 256 * 1024 * 1024 }
}
