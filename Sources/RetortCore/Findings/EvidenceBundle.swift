import Crypto
import Foundation

/// Signed evidence of an investigation: SHA-256 of every input, of the config and of findings.json, the
/// tool version, and an Ed25519 signature over the canonical JSON of all that.
public struct EvidenceBundle: Codable, Sendable, Equatable {
    public struct FileDigest: Codable, Sendable, Equatable {
        public var path: String
        public var sha256: String

        public init(path: String, sha256: String) {
            self.path = path
            self.sha256 = sha256
        }
    }

    public var tool: String
    public var toolVersion: String
    public var inputs: [FileDigest]
    public var configSHA256: String
    public var findingsSHA256: String
    /// Base64 of the raw 32-byte Ed25519 public key.
    public var publicKey: String

    enum CodingKeys: String, CodingKey {
        case tool
        case toolVersion = "tool_version"
        case inputs
        case configSHA256 = "config_sha256"
        case findingsSHA256 = "findings_sha256"
        case publicKey = "public_key"
    }

    public init(
        toolVersion: String, inputs: [FileDigest], config: Data, findings: Data, publicKey: Curve25519.Signing.PublicKey
    ) {
        tool = "retort"
        self.toolVersion = toolVersion
        self.inputs = inputs
        configSHA256 = Self.hex(SHA256.hash(data: config))
        findingsSHA256 = Self.hex(SHA256.hash(data: findings))
        self.publicKey = publicKey.rawRepresentation.base64EncodedString()
    }

    /// Canonical bytes (sorted keys), the exact bytes that are signed and written as evidence.json.
    public func canonicalJSON() throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var d = try e.encode(self)
        d.append(0x0A)
        return d
    }

    /// Signs canonical evidence bytes; the signature is written base64 in evidence.sig.
    public static func sign(_ evidence: Data, key: Curve25519.Signing.PrivateKey) throws -> Data {
        try key.signature(for: evidence)
    }

    /// Checks evidence bytes against a signature with the public key recorded in them.
    public static func verify(evidence: Data, signature: Data) -> Bool {
        guard let bundle = try? JSONDecoder().decode(EvidenceBundle.self, from: evidence),
            let raw = Data(base64Encoded: bundle.publicKey),
            let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw)
        else { return false }
        return key.isValidSignature(signature, for: evidence)
    }

    /// SHA-256 of a file, streamed.
    public static func digest(path: String) throws -> String {
        guard let h = FileHandle(forReadingAtPath: path) else {
            throw DetectionError(code: .writeFailed, message: "cannot read input for its digest", file: path)
        }
        defer { try? h.close() }
        var hasher = SHA256()
        while let chunk = try h.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        return hex(hasher.finalize())
    }

    /// Loads a signing key: a file holding the 32-byte seed raw or base64.
    public static func loadKey(path: String) throws -> Curve25519.Signing.PrivateKey {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DetectionError(code: .badSigningKey, message: "cannot read signing key", file: path)
        }
        var seed = data
        if data.count != 32 {
            let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard let d = Data(base64Encoded: text), d.count == 32 else {
                throw DetectionError(
                    code: .badSigningKey, message: "signing key must be a 32-byte Ed25519 seed, raw or base64",
                    file: path)
            }
            seed = d
        }
        do {
            return try Curve25519.Signing.PrivateKey(rawRepresentation: seed)
        } catch {
            throw DetectionError(code: .badSigningKey, message: "not a valid Ed25519 seed", file: path)
        }
    }

    static func hex<D: Sequence>(_ d: D) -> String where D.Element == UInt8 {
        d.map { String(format: "%02x", $0) }.joined()
    }
}
