#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A one-line progress bar on standard error, drawn only when standard error is a terminal.
final class ProgressBar {
    private let label: String
    private let enabled: Bool
    private var lastDraw: Double = 0
    private let start: Double

    init(label: String, enabled: Bool = true) {
        self.label = label
        self.enabled = enabled && isatty(2) == 1
        self.start = ProgressBar.now()
    }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Seconds since the bar was created.
    var elapsed: Double { ProgressBar.now() - start }

    /// Redraws at most ten times a second.
    func update(done: Int64, total: Int64, items: Int) {
        guard enabled else { return }
        let t = ProgressBar.now()
        guard t - lastDraw >= 0.1 else { return }
        lastDraw = t
        let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 0
        let width = 30
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled)
        let rate = Double(items) / max(elapsed, 1e-3)
        let line =
            "\r\(label) [\(bar)] \(Int(fraction * 100))%  \(Format.count(items)) records  \(Format.count(Int(rate)))/s "
        writeStandardError(line)
    }

    func finish() {
        guard enabled else { return }
        writeStandardError("\r" + String(repeating: " ", count: 100) + "\r")
    }
}

/// Number formatting for terminal output.
enum Format {
    /// 1234567 → "1.23M".
    static func count(_ n: Int) -> String {
        let v = Double(n)
        switch abs(v) {
        case 1e9...: return fixed(v / 1e9, 2) + "G"
        case 1e6...: return fixed(v / 1e6, 2) + "M"
        case 1e4...: return fixed(v / 1e3, 1) + "k"
        default: return String(n)
        }
    }

    static func fixed(_ v: Double, _ digits: Int) -> String {
        var p = 1.0
        for _ in 0..<digits { p *= 10 }
        let r = (v * p).rounded() / p
        var s = String(r)
        if let dot = s.firstIndex(of: ".") {
            let decimals = s.distance(from: dot, to: s.endIndex) - 1
            if decimals < digits { s += String(repeating: "0", count: digits - decimals) }
        } else if digits > 0 {
            s += "." + String(repeating: "0", count: digits)
        }
        return s
    }
}

/// Writes a line to standard error.
func printError(_ text: String) {
    writeStandardError(text + "\n")
}

/// Writes text to standard error unbuffered.
func writeStandardError(_ text: String) {
    var text = text
    text.withUTF8 { bytes in _ = write(2, bytes.baseAddress, bytes.count) }
}
