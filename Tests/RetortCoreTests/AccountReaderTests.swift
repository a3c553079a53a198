import Testing

@testable import RetortCore

@Suite struct AccountReaderTests {
    @Test func csvWithQuotedFields() throws {
        let reader = AccountReader()
        var accounts: [Account] = []
        let path = Fixture.path("accounts.csv")
        try reader.read(path: path) { accounts.append($0) }
        #expect(accounts.map(\.accountID) == ["acct_1", "acct_2", "acct_3"])
        let a = accounts[0]
        #expect(a.createdAt == 1_772_359_200_000)
        #expect(a.emailDomain == "example.com")
        #expect(a.emailLocal == "smith, john")
        #expect(a.paymentFingerprint == "pf_1")
        #expect(a.cardBIN == "411111")
        #expect(a.signupIP == IPAddress("198.51.100.4"))
        #expect(a.country == "US")
        #expect(a.orgID == "org_9")
        #expect(a.verified == true)
        #expect(a.tier == "enterprise")
        #expect(accounts[1].emailLocal == "say \"hi\"")
        #expect(accounts[1].cardBIN == nil)
        #expect(accounts[1].verified == false)
        #expect(accounts[1].signupIP == IPAddress("2001:db8::5"))
        #expect(accounts[2].emailLocal == "multi\nline")
        #expect(accounts[2].createdAt == nil)
        let r = reader.report
        #expect(r.duplicates == 1)
        #expect(r.badRecords == 2)
        #expect(r.errors.map(\.line) == [6, 8])
        #expect(r.errors[0].field == "created_at")
        #expect(r.errors[1].code == .invalidCSV)
        #expect(r.errors.allSatisfy { $0.file == path })
    }

    @Test func jsonLines() throws {
        let reader = AccountReader()
        var accounts: [Account] = []
        try reader.read(path: Fixture.path("accounts.jsonl")) { accounts.append($0) }
        #expect(accounts.map(\.accountID) == ["acct_1", "acct_3"])
        #expect(accounts[0].emailLocal == "j.smith")
        #expect(accounts[0].verified == true)
        #expect(accounts[1].createdAt == 1_772_359_200_000)
        #expect(reader.report.badRecords == 1)
        #expect(reader.report.errors.first?.line == 2)
        #expect(reader.report.errors.first?.field == "verified")
    }

    @Test func csvSplitting() throws {
        #expect(try CSV.split(Array("a,\"b,c\",,d".utf8)) == ["a", "b,c", "", "d"])
        #expect(try CSV.split(Array("\"x\"\"y\"".utf8)) == ["x\"y"])
        #expect(throws: RecordError.self) { try CSV.split(Array("\"x\"y".utf8)) }
        #expect(throws: RecordError.self) { try CSV.split(Array("a\"b".utf8)) }
    }
}
