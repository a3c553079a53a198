/// How many of a reseller's requests were harvesting, corrected for the per-request test's errors.
///
/// Each request of an account that mixes many end users is judged harvest-like or not on its own
/// (``AccountState/isHarvestLike(_:_:config:)``). That test misses some harvesting requests and flags some
/// genuine ones, so the raw count is biased. The share is corrected as Rogan and Gladen did for imperfect
/// diagnostic tests: `(p - f) / (s - f)`, where `p` is the flagged share of the mixed traffic, `s` the
/// test's sensitivity (flagged share of requests from campaign members that do nothing but harvest) and `f`
/// its false-positive rate (flagged share of requests from accounts in no campaign). The 95% interval
/// combines the Wilson intervals of all three, widened for `s` to the spread of the sensitivity between
/// campaigns (harvesting styles differ, and a reseller's may differ again); without enough pure harvesters
/// to measure `s`, it spans `s` from `sensitivityFloor` to 1 and says so.
struct HarvestEstimate: Equatable {
    /// Estimated harvesting requests among `trials`, and its 95% interval.
    var value: Int
    var low: Int
    var high: Int
    /// Whether the test's sensitivity was measured on this data (false: assumed range).
    var calibrated: Bool

    /// - Parameters:
    ///   - flagged: harvest-like requests among `trials` requests of mixed traffic.
    ///   - sensitivity: harvest-like and total requests of pure harvesters (campaign members, not mixed).
    ///   - sensitivitySpread: lowest and highest sensitivity of single campaigns, when measured.
    ///   - falsePositive: harvest-like and total requests of accounts in no campaign.
    init(
        flagged: Int, trials: Int, sensitivity: (hits: Int, trials: Int), sensitivitySpread: (Double, Double)? = nil,
        falsePositive: (hits: Int, trials: Int), minCalibration: Int, sensitivityFloor: Double
    ) {
        guard trials > 0 else {
            self.init(value: 0, low: 0, high: 0, calibrated: false)
            return
        }
        let n = Double(trials)
        let p = Double(flagged) / n
        let (pLo, pHi) = wilsonShare(successes: flagged, trials: trials)
        let f: Double
        var (fLo, fHi) = (0.0, 0.0)
        if falsePositive.trials > 0 {
            f = Double(falsePositive.hits) / Double(falsePositive.trials)
            (fLo, fHi) = wilsonShare(successes: falsePositive.hits, trials: falsePositive.trials)
        } else {
            f = 0
        }
        let calibrated = sensitivity.trials >= minCalibration
        let s: Double
        let sLo: Double
        let sHi: Double
        if calibrated {
            s = Double(sensitivity.hits) / Double(sensitivity.trials)
            let (wLo, wHi) = wilsonShare(successes: sensitivity.hits, trials: sensitivity.trials)
            sLo = min(wLo, sensitivitySpread?.0 ?? 1)
            sHi = max(wHi, sensitivitySpread?.1 ?? 0)
        } else {
            sLo = max(sensitivityFloor, pHi)
            sHi = 1
            s = (sLo + sHi) / 2
        }
        func share(_ p: Double, _ s: Double, _ f: Double) -> Double {
            // The test cannot tell harvesting from genuine traffic when it flags both alike: then all of
            // the flagged share's range is possible.
            guard s - f > 1e-9 else { return p }
            return min(1, max(0, (p - f) / (s - f)))
        }
        let v = share(p, s, f)
        let lo = min(v, share(pLo, sHi, fHi))
        let hi = max(v, share(pHi, max(sLo, pHi), fLo))
        self.init(
            value: Int((v * n).rounded()), low: Int((lo * n).rounded(.down)), high: Int((hi * n).rounded(.up)),
            calibrated: calibrated)
    }

    init(value: Int, low: Int, high: Int, calibrated: Bool) {
        self.value = value
        self.low = low
        self.high = high
        self.calibrated = calibrated
    }
}

/// Wilson 95% interval for a binomial proportion.
func wilsonShare(successes: Int, trials: Int) -> (Double, Double) {
    guard trials > 0 else { return (0, 1) }
    let n = Double(trials)
    let p = Double(successes) / n
    let z = 1.96
    let denom = 1 + z * z / n
    let center = (p + z * z / (2 * n)) / denom
    let half = z * (p * (1 - p) / n + z * z / (4 * n * n)).squareRoot() / denom
    return (max(0, center - half), min(1, center + half))
}
