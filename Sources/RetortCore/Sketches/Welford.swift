/// Running mean and variance (Welford's method) in constant memory.
public struct Welford: Sendable, Equatable {
    public private(set) var count: Int = 0
    public private(set) var mean: Double = 0
    private var m2: Double = 0

    public init() {}

    @inline(__always)
    public mutating func add(_ x: Double) {
        count += 1
        let delta = x - mean
        mean += delta / Double(count)
        m2 += delta * (x - mean)
    }

    public var variance: Double { count > 1 ? m2 / Double(count - 1) : 0 }
    public var standardDeviation: Double { variance.squareRoot() }
    /// Coefficient of variation (standard deviation over mean); 0 when the mean is 0.
    public var coefficientOfVariation: Double { mean > 0 ? standardDeviation / mean : 0 }
}
