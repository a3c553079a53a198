import Crypto
import Foundation

/// Signs payloads as Standard Webhooks specifies: `webhook-signature: v1,<base64 HMAC-SHA256>` over
/// `"<webhook-id>.<webhook-timestamp>.<body>"`, with the key from a `whsec_<base64>` secret.
public struct WebhookSigner: Sendable {
    let keyBytes: [UInt8]

    /// A secret `whsec_<base64>`; a secret without the prefix is used as raw bytes.
    public init(secret: String) {
        if secret.hasPrefix("whsec_"), let raw = Data(base64Encoded: String(secret.dropFirst(6))) {
            keyBytes = Array(raw)
        } else {
            keyBytes = Array(secret.utf8)
        }
    }

    /// The `webhook-signature` header value.
    public func signature(id: String, timestamp: Int, body: [UInt8]) -> String {
        var message = Data("\(id).\(timestamp).".utf8)
        message.append(contentsOf: body)
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: keyBytes))
        return "v1," + Data(mac).base64EncodedString()
    }

    /// Headers for one delivery.
    public func headers(id: String, timestamp: Int, body: [UInt8]) -> [(String, String)] {
        [
            ("webhook-id", id), ("webhook-timestamp", String(timestamp)),
            ("webhook-signature", signature(id: id, timestamp: timestamp, body: body)),
        ]
    }
}
