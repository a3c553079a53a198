import Testing

@testable import RetortCore

@Suite struct IPAddressTests {
    @Test(arguments: ["1.2.3.4", "255.255.255.255", "0.0.0.0"])
    func parsesIPv4(_ text: String) throws {
        let ip = try #require(IPAddress(text))
        #expect(ip.isIPv4)
        #expect(ip.description == text)
    }

    @Test(arguments: ["1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "a.b.c.d", "", "1..2.3"])
    func rejectsBadIPv4(_ text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test func parsesIPv6Forms() throws {
        let a = try #require(IPAddress("2001:db8:85a3::8a2e:370:7334"))
        #expect(!a.isIPv4)
        #expect(a.description == "2001:db8:85a3::8a2e:370:7334")
        #expect(IPAddress("::1")?.description == "::1")
        #expect(IPAddress("::")?.description == "::")
        #expect(IPAddress("::ffff:1.2.3.4")?.isIPv4 == true)
        #expect(IPAddress("2001:0db8:0000:0000:0000:0000:0000:0001")?.description == "2001:db8::1")
        #expect(IPAddress("1:2:3:4:5:6:7:8:9") == nil)
        #expect(IPAddress("1::2::3") == nil)
        #expect(IPAddress("12345::") == nil)
        #expect(IPAddress("1:2:3:4:5:6:7:") == nil)
    }

    @Test func networkPrefixes() throws {
        let a = try #require(IPAddress("10.20.30.40"))
        let b = try #require(IPAddress("10.20.30.99"))
        let c = try #require(IPAddress("10.20.31.40"))
        #expect(a.network == b.network)
        #expect(a.networkKey == b.networkKey)
        #expect(a.networkKey != c.networkKey)
        #expect(a.network.description == "10.20.30.0")
        let x = try #require(IPAddress("2001:db8:aa:1::5"))
        let y = try #require(IPAddress("2001:db8:aa:ffff::1"))
        let z = try #require(IPAddress("2001:db8:ab::1"))
        #expect(x.networkKey == y.networkKey)
        #expect(x.networkKey != z.networkKey)
        #expect(x.network.description == "2001:db8:aa::")
        #expect(x.networkPrefixLength == 48 && a.networkPrefixLength == 24)
    }
}
