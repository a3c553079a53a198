import Crypto
import Foundation
import Testing

@testable import RetortCore

@Suite struct DetEvidenceTests {
    @Test func signatureVerifiesAndTamperingBreaksIt() throws {
        let key = Curve25519.Signing.PrivateKey()
        let bundle = EvidenceBundle(
            toolVersion: "test", inputs: [.init(path: "events.jsonl", sha256: String(repeating: "a", count: 64))],
            config: Data("{}".utf8), findings: Data("{\"campaigns\":[]}".utf8), publicKey: key.publicKey)
        let data = try bundle.canonicalJSON()
        let sig = try EvidenceBundle.sign(data, key: key)
        #expect(EvidenceBundle.verify(evidence: data, signature: sig))
        var tampered = data
        let i = tampered.firstIndex(of: UInt8(ascii: "a"))!
        tampered[i] = UInt8(ascii: "b")
        #expect(!EvidenceBundle.verify(evidence: tampered, signature: sig))
        var badSig = sig
        badSig[0] ^= 1
        #expect(!EvidenceBundle.verify(evidence: data, signature: badSig))
    }

    @Test func loadsRawAndBase64Seeds() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "retort-key-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let seed = Data((0..<32).map { UInt8($0) })
        let raw = dir.appendingPathComponent("raw")
        let b64 = dir.appendingPathComponent("b64")
        try seed.write(to: raw)
        try (seed.base64EncodedString() + "\n").write(to: b64, atomically: true, encoding: .utf8)
        let k1 = try EvidenceBundle.loadKey(path: raw.path)
        let k2 = try EvidenceBundle.loadKey(path: b64.path)
        #expect(k1.publicKey.rawRepresentation == k2.publicKey.rawRepresentation)
        let bad = dir.appendingPathComponent("bad")
        try Data("short".utf8).write(to: bad)
        #expect(throws: DetectionError.self) { try EvidenceBundle.loadKey(path: bad.path) }
    }
}

@Suite struct DetModelSwitchTests {
    /// One account per entry, an hourly request each on `model-old` from t0 for 40 days, moving to `model-new` at
    /// its entry's offset (hours after t0; nil: never); with the accounts' indices.
    func investigation(switchAfterHours: [Double?]) -> (Investigation, [Int32]) {
        let inv = Investigation()
        var traffic = DetTestTraffic()
        for (k, after) in switchAfterHours.enumerated() {
            for h in 0..<(24 * 40) {
                let ts = DetTestTraffic.t0 + Int64(h) * 3_600_000 + Int64(k) * 60_000
                var e = traffic.event("acct-\(k)", ts: ts)
                e.model = after.map { Double(h) >= $0 } == true ? "model-new" : "model-old"
                inv.add(e)
            }
        }
        return (inv, (0..<switchAfterHours.count).map { inv.intern("acct-\($0)") })
    }

    @Test func switchesWithinHoursOfEachOtherAreReported() throws {
        let (inv, members) = investigation(switchAfterHours: [200, 200.5, 201])
        let signal = try #require(CampaignEvidence.modelSwitch(members: members, inv: inv))
        #expect(signal.strength == 1)
        #expect(signal.detail.hasPrefix("100% of accounts switched to a new model within 0.0 h"))
    }

    /// Two of three accounts switching weeks apart are not synchronised: one switch alone spans no time.
    @Test func oneSwitchInAWindowIsNoSynchronisedSwitch() {
        let (inv, members) = investigation(switchAfterHours: [50, 700, nil])
        #expect(CampaignEvidence.modelSwitch(members: members, inv: inv) == nil)
        let (inv2, members2) = investigation(switchAfterHours: [50, 60, nil])
        #expect(CampaignEvidence.modelSwitch(members: members2, inv: inv2)?.strength == 0.6667)
    }
}
