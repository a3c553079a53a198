import Foundation

extension Findings {
    /// Canonical JSON: pretty, keys sorted, so identical findings give identical bytes.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(0x0A)
        return data
    }

    /// Reads findings.json.
    public static func load(path: String) throws -> Findings {
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            return try JSONDecoder().decode(Findings.self, from: data)
        } catch {
            throw DetectionError(code: .badFindings, message: "cannot read findings: \(error)", file: path)
        }
    }
}
