#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The simulator's pseudo-random generator: xoshiro256** seeded through SplitMix64.
///
/// Fully determined by its seed on every platform, so a scenario and seed always give the same output.
public struct SimRandom: RandomNumberGenerator, Sendable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// A generator seeded from `seed` and an optional stream number (independent streams for one seed).
    public init(seed: UInt64, stream: UInt64 = 0) {
        var sm = seed ^ (stream &* 0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03
        func splitmix() -> UInt64 {
            sm &+= 0x9E37_79B9_7F4A_7C15
            var z = sm
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitmix()
        s1 = splitmix()
        s2 = splitmix()
        s3 = splitmix()
    }

    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// A uniform double in [0, 1).
    @inline(__always)
    public mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform double in [lo, hi).
    public mutating func uniform(_ lo: Double, _ hi: Double) -> Double {
        lo + (hi - lo) * uniform()
    }

    /// A uniform integer in [0, n). `n` must be positive.
    @inline(__always)
    public mutating func below(_ n: Int) -> Int {
        precondition(n > 0)
        return Int(next().multipliedFullWidth(by: UInt64(n)).high)
    }

    /// A uniform integer in the closed range.
    public mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// True with probability `p`.
    @inline(__always)
    public mutating func chance(_ p: Double) -> Bool {
        uniform() < p
    }

    /// A uniformly chosen element of a non-empty array.
    public mutating func pick<T>(_ items: [T]) -> T {
        items[below(items.count)]
    }

    /// An index drawn with probability proportional to `weights` (non-negative, not all zero).
    public mutating func weighted(_ weights: [Double]) -> Int {
        var total = 0.0
        for w in weights { total += w }
        var x = uniform() * total
        for (i, w) in weights.enumerated() {
            x -= w
            if x < 0 { return i }
        }
        return weights.count - 1
    }

    /// Exponential with the given mean.
    public mutating func exponential(mean: Double) -> Double {
        -mean * log(1 - uniform())
    }

    /// Standard normal (Box-Muller).
    public mutating func normal() -> Double {
        let u1 = max(uniform(), 1e-300)
        let u2 = uniform()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// Log-normal with the given median and shape `sigma`.
    public mutating func lognormal(median: Double, sigma: Double) -> Double {
        median * exp(sigma * normal())
    }

    /// Pareto with minimum `xm` and tail index `alpha`.
    public mutating func pareto(xm: Double, alpha: Double) -> Double {
        xm / pow(1 - uniform(), 1 / alpha)
    }

    /// Poisson with the given mean (inversion for small means, normal approximation for large).
    public mutating func poisson(_ mean: Double) -> Int {
        if mean <= 0 { return 0 }
        if mean > 60 { return max(0, Int((mean + mean.squareRoot() * normal()).rounded())) }
        let l = exp(-mean)
        var k = 0
        var p = uniform()
        while p > l {
            k += 1
            p *= uniform()
        }
        return k
    }

    /// Geometric number of trials (>= 1) with the given mean (>= 1).
    public mutating func geometric(mean: Double) -> Int {
        if mean <= 1 { return 1 }
        let p = 1 / mean
        return 1 + Int(log(1 - uniform()) / log(1 - p))
    }

    /// A Zipf-like index in [0, n): small indices are much more frequent.
    public mutating func zipf(_ n: Int, exponent: Double = 1.1) -> Int {
        let x = pareto(xm: 1, alpha: exponent) - 1
        return min(n - 1, Int(x))
    }

    /// `count` lowercase letters and digits.
    public mutating func token(_ count: Int, alphabet: String = "abcdefghijklmnopqrstuvwxyz0123456789") -> String {
        let chars = Array(alphabet.utf8)
        var out = [UInt8]()
        out.reserveCapacity(count)
        for _ in 0..<count { out.append(chars[below(chars.count)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// `count` lowercase hexadecimal digits.
    public mutating func hex(_ count: Int) -> String {
        token(count, alphabet: "0123456789abcdef")
    }
}
