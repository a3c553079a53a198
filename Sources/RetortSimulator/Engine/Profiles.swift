/// Activity profiles: relative request rates by local hour of day and day of week (mean about 1).
enum Profile: Sendable {
    /// Personal use: low at night, peaks in the evening, a little higher at weekends.
    case diurnal
    /// Office work: business hours on weekdays only.
    case business
    /// Production services: a mild daily cycle.
    case service
    /// Flat around the clock.
    case flat

    static let diurnalHours: [Double] = normalised([
        0.5, 0.32, 0.22, 0.17, 0.16, 0.2, 0.32, 0.55, 0.85, 1.1, 1.25, 1.35,
        1.4, 1.35, 1.3, 1.3, 1.35, 1.4, 1.45, 1.6, 1.7, 1.6, 1.25, 0.85,
    ])
    static let businessHours: [Double] = normalised([
        0.02, 0.01, 0.01, 0.01, 0.01, 0.02, 0.05, 0.3, 1.2, 2.0, 2.2, 2.0,
        1.4, 1.9, 2.1, 2.0, 1.7, 1.1, 0.5, 0.25, 0.15, 0.1, 0.06, 0.03,
    ])
    static let serviceHours: [Double] = diurnalHours.map { 0.65 + 0.35 * $0 }

    static func normalised(_ w: [Double]) -> [Double] {
        let mean = w.reduce(0, +) / Double(w.count)
        return w.map { $0 / mean }
    }

    /// Local hour (0-23) and weekday (0 = Monday) of `ms` at `offsetMinutes` from UTC.
    static func local(_ ms: Int64, offsetMinutes: Int) -> (hour: Int, weekday: Int) {
        let minutes = ms / 60_000 + Int64(offsetMinutes)
        let days = minutes >= 0 ? minutes / 1440 : (minutes - 1439) / 1440
        let hour = Int((minutes - days * 1440) / 60)
        let weekday = Int(((days + 3) % 7 + 7) % 7)  // 1970-01-01 was a Thursday
        return (hour, weekday)
    }

    /// Relative rate at `ms` for a user at `offsetMinutes` from UTC. The weekly mean is about 1.
    func weight(_ ms: Int64, offsetMinutes: Int) -> Double {
        let (h, wd) = Profile.local(ms, offsetMinutes: offsetMinutes)
        let weekend = wd >= 5
        switch self {
        case .diurnal: return Profile.diurnalHours[h] * (weekend ? 1.15 : 0.94)
        case .business: return weekend ? 0.04 : Profile.businessHours[h] * 1.38
        case .service: return Profile.serviceHours[h] * (weekend ? 0.85 : 1.06)
        case .flat: return 1
        }
    }

    /// Upper bound of ``weight(_:offsetMinutes:)``, for thinning.
    var maxWeight: Double {
        switch self {
        case .diurnal: return (Profile.diurnalHours.max() ?? 2) * 1.15
        case .business: return (Profile.businessHours.max() ?? 3) * 1.38
        case .service: return (Profile.serviceHours.max() ?? 2) * 1.06
        case .flat: return 1
        }
    }
}
