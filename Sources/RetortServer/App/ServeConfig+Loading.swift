import Foundation

extension ServeConfig {
    /// Reads a configuration file; a missing or malformed file is an error naming the file.
    public static func load(path: String) throws(ServerError) -> ServeConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ServerError(.config, "cannot read config file \(path)")
        }
        do {
            return try JSONDecoder().decode(ServeConfig.self, from: data)
        } catch let error as DecodingError {
            throw ServerError(.config, "config file \(path): \(ServerError.describe(error))")
        } catch {
            throw ServerError(.config, "config file \(path): \(error)")
        }
    }

    /// The token in force: env `RETORT_TOKEN` wins over the file.
    public func effectiveToken(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let t = environment["RETORT_TOKEN"], !t.isEmpty { return t }
        return token
    }
}
