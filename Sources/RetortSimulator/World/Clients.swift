import RetortCore

/// HTTP clients: user agents with the TLS fingerprint their stack produces.
struct Client: Sendable {
    let userAgent: String
    let tlsFingerprint: String
    /// Endpoint this client usually calls.
    let endpoint: String

    /// The JA3-style fingerprint (32 hex digits) of a TLS stack name.
    static func fingerprint(_ stack: String) -> String {
        let a = Hash64.string(stack, seed: 0x7A3)
        let b = Hash64.string(stack, seed: 0x91C)
        return hex16(a) + hex16(b)
    }

    static func hex16(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }

    private static func make(_ ua: String, _ stack: String, _ endpoint: String) -> Client {
        Client(userAgent: ua, tlsFingerprint: fingerprint(stack), endpoint: endpoint)
    }

    /// SDK clients of developers and scripts.
    static let sdks: [Client] = [
        make("OpenAI/Python 1.51.2", "python-3.12-openssl-3.0", "chat.completions"),
        make("OpenAI/Python 1.47.0", "python-3.11-openssl-3.0", "chat.completions"),
        make("OpenAI/Python 1.35.13", "python-3.10-openssl-1.1", "chat.completions"),
        make("AsyncOpenAI/Python 1.51.2", "python-3.12-openssl-3.0", "chat.completions"),
        make("anthropic-python/0.39.0", "python-3.12-openssl-3.0", "messages"),
        make("anthropic-python/0.34.2", "python-3.11-openssl-3.0", "messages"),
        make("anthropic-typescript/0.32.1", "node-20-openssl-3.0", "messages"),
        make("OpenAI/JS 4.68.1", "node-20-openssl-3.0", "chat.completions"),
        make("OpenAI/JS 4.56.0", "node-18-openssl-3.0", "chat.completions"),
        make("openai-go/0.1.0", "go-1.23-crypto-tls", "responses"),
        make("Go-http-client/2.0", "go-1.22-crypto-tls", "chat.completions"),
        make("langchain-openai/0.2.3 OpenAI/Python 1.51.2", "python-3.12-openssl-3.0", "chat.completions"),
        make("llama-index/0.11.20 OpenAI/Python 1.50.0", "python-3.11-openssl-3.0", "chat.completions"),
        make("okhttp/4.12.0", "java-21-jsse", "chat.completions"),
        make("Java-http-client/21.0.4", "java-21-jsse", "chat.completions"),
        make("reqwest/0.12.8", "rust-rustls-0.23", "messages"),
        make("ruby-openai/7.3.1 Faraday/2.12.0", "ruby-3.3-openssl-3.0", "chat.completions"),
        make("Swift-OpenAI/4.0 CFNetwork/1568.100.1 Darwin/24.0.0", "apple-cfnetwork-18", "chat.completions"),
    ]

    /// Chat front ends and browser-based clients used by casual users.
    static let browsers: [Client] = [
        make(
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 "
                + "Safari/537.36", "chrome-130", "messages"),
        make(
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 "
                + "Safari/537.36 Edg/129.0.0.0", "edge-129", "messages"),
        make(
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                + "Version/18.0 Safari/605.1.15", "safari-18", "messages"),
        make(
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
                + "Chrome/130.0.0.0 Safari/537.36", "chrome-130", "messages"),
        make(
            "Mozilla/5.0 (X11; Linux x86_64; rv:131.0) Gecko/20100101 Firefox/131.0", "firefox-131", "messages"),
        make(
            "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                + "Version/18.0 Mobile/15E148 Safari/604.1", "safari-ios-18", "messages"),
        make(
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
                + "Chrome/130.0.0.0 Mobile Safari/537.36", "chrome-android-130", "messages"),
        make("ChatBox/1.6.2 (Electron 31.4.0; darwin)", "electron-31", "chat.completions"),
        make("LibreChat/0.7.5 node-fetch", "node-20-openssl-3.0", "chat.completions"),
        make("TypingMind/2.1 (Macintosh)", "chrome-129", "chat.completions"),
        make("Raycast/1.84.0 (macOS 15.0)", "apple-cfnetwork-18", "messages"),
        make("Continue/0.8.55 (VS Code 1.94.2)", "node-20-openssl-3.0", "chat.completions"),
        make("Cursor/0.42.3", "node-20-openssl-3.0", "chat.completions"),
    ]

    /// Scripting clients typical of quick harvesting scripts.
    static let scripts: [Client] = [
        make("python-requests/2.32.3", "python-3.11-openssl-3.0", "chat.completions"),
        make("python-httpx/0.27.2", "python-3.12-openssl-3.0", "chat.completions"),
        make("aiohttp/3.10.10 Python/3.11", "python-3.11-openssl-3.0", "chat.completions"),
        make("curl/8.5.0", "curl-8.5-openssl-3.0", "chat.completions"),
        make("OpenAI/Python 1.51.2", "python-3.12-openssl-3.0", "chat.completions"),
    ]
}
