import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An append-only JSON Lines file of decisions. Each line is written with one `write(2)` on an `O_APPEND`
/// descriptor (no user-space buffer, so nothing is lost if the process dies) and synced on close.
public final class AuditLog: Sendable {
    private let fd: Mutex<Int32>
    public let path: String

    public init(path: String) throws(ServerError) {
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty { try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        let f = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        guard f >= 0 else { throw ServerError(.io, "cannot open audit log \(path): errno \(errno)") }
        self.path = path
        fd = Mutex(f)
    }

    /// Appends one record.
    public func append(_ record: JSONText) {
        var line = record.rendered
        line += "\n"
        fd.withLock { f in
            guard f >= 0 else { return }
            line.withUTF8 { b in
                var off = 0
                while off < b.count {
                    let n = write(f, b.baseAddress! + off, b.count - off)
                    if n <= 0 { break }
                    off += n
                }
            }
        }
    }

    /// Syncs and closes the file; later appends are ignored.
    public func close() {
        fd.withLock { f in
            guard f >= 0 else { return }
            fsync(f)
            _ = Glibc.close(f)
            f = -1
        }
    }

    deinit { close() }
}
