import CRetortShims
import Foundation

/// Memory figures for diagnostics (`RETORT_DEBUG=1`): the process's resident and peak resident set, and the
/// bytes malloc holds for one heap buffer. Never used for results.
public enum MemoryProbe {
    /// Whether `RETORT_DEBUG` is set.
    public static let enabled = ProcessInfo.processInfo.environment["RETORT_DEBUG"] != nil

    /// Resident and peak resident set in bytes (`VmRSS`, `VmHWM` of /proc/self/status); nil where unavailable.
    public static func residentSet() -> (current: Int, peak: Int)? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        var current = 0
        var peak = 0
        for line in text.split(separator: "\n") {
            let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard parts.count >= 2, let kb = Int(parts[1]) else { continue }
            if parts[0] == "VmRSS:" { current = kb * 1024 }
            if parts[0] == "VmHWM:" { peak = kb * 1024 }
        }
        return (current, peak)
    }

    /// Writes `phase`, the resident and peak resident set and `detail` to standard error when enabled.
    public static func log(_ phase: String, _ detail: @autoclosure () -> String = "") {
        guard enabled else { return }
        let rs = residentSet() ?? (0, 0)
        let origin = started
        let at = String(format: "%.1f", Date().timeIntervalSince(origin))
        let line = "memory \(phase): rss \(mib(rs.current)) MiB, peak \(mib(rs.peak)) MiB, \(at) s \(detail())\n"
        FileHandle.standardError.write(Data(line.utf8))
    }

    static func mib(_ bytes: Int) -> Int { bytes >> 20 }

    /// When the probe was first used (the times ``log(_:_:)`` prints count from here).
    static let started = Date()

    /// CPU seconds (user and system) used so far by the calling thread, or by the whole process; 0 where
    /// unavailable.
    public static func cpuSeconds(thisThreadOnly: Bool) -> Double {
        #if os(Linux)
        var u = rusage()
        // RUSAGE_THREAD (1) is not exported by the Glibc module.
        guard getrusage(thisThreadOnly ? 1 : RUSAGE_SELF.rawValue, &u) == 0 else { return 0 }
        return Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) / 1e6 + Double(u.ru_stime.tv_sec)
            + Double(u.ru_stime.tv_usec) / 1e6
        #else
        return 0
        #endif
    }

    /// Bytes malloc reserved for an array's buffer, with its 8-byte chunk header (0 for an array without
    /// a buffer of its own).
    public static func heapBytes<T>(_ a: [T]) -> Int {
        guard a.capacity > 0 else { return 0 }
        return blockBytes(unsafeBitCast(a, to: UnsafeMutableRawPointer.self))
    }

    /// Bytes malloc reserved for a dictionary's storage, with its chunk header (0 for the shared empty one).
    public static func heapBytes<K, V>(_ d: [K: V]) -> Int {
        guard d.capacity > 0 else { return 0 }
        return blockBytes(unsafeBitCast(d, to: UnsafeMutableRawPointer.self))
    }

    static func blockBytes(_ p: UnsafeMutableRawPointer) -> Int {
        let usable = retort_malloc_usable_size(p)
        return usable > 0 ? usable + 8 : 0
    }
}
