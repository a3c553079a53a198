"""Ingested traffic → re-clustering → decisions, alerts (Standard Webhooks) and sign-up scores."""

import base64
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from campaign_data import campaign, jsonl, ordinary
from conftest import free_port


def load(server, events, accounts):
    status, r = server.json("POST", "/v1/accounts", jsonl(accounts))
    assert status == 202, r
    status, r = server.json("POST", "/v1/events", jsonl(events))
    assert status == 202 and r["accepted"] == len(events), r
    status, r = server.json("POST", "/v1/recluster")
    assert status == 200
    return r


def test_campaign_members_are_blocked_and_ordinary_users_allowed(retort):
    ce, ca = campaign()
    oe, oa = ordinary()
    r = load(retort, ce + oe, ca + oa)
    assert r["campaigns"] >= 1
    status, d = retort.json("POST", "/v1/decide", {"account_id": "camp_03"})
    assert d["action"] == "block" and d["policy"] == "campaign", d
    assert d["campaign"]
    for u in range(10):
        status, d = retort.json("POST", "/v1/decide", {"account_id": "user_%02d" % u})
        assert d["action"] == "allow", d
    status, snap = retort.json("GET", "/v1/campaigns")
    members = {a for c in snap["campaigns"] for a in c["accounts"]}
    assert {"camp_%02d" % m for m in range(8)} <= members
    assert not any(a.startswith("user_") for a in members)


class _Receiver(BaseHTTPRequestHandler):
    received = []

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers["content-length"]))
        _Receiver.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
        self.send_response(204)
        self.end_headers()


def test_campaign_alert_is_a_signed_standard_webhook(retort_factory):
    port = free_port()
    receiver = ThreadingHTTPServer(("127.0.0.1", port), _Receiver)
    thread = threading.Thread(target=receiver.serve_forever, daemon=True)
    thread.start()
    secret_bytes = b"0123456789abcdef0123456789abcdef"
    secret = "whsec_" + base64.b64encode(secret_bytes).decode()
    try:
        server = retort_factory(webhook={"url": "http://127.0.0.1:%d/hook" % port, "secret": secret})
        ce, ca = campaign(prefix="hook")
        load(server, ce, ca)
        import time
        for _ in range(100):
            if _Receiver.received:
                break
            time.sleep(0.05)
        assert _Receiver.received, "no webhook delivered"
        headers, body = _Receiver.received[0]
        signed = ("%s.%s." % (headers["webhook-id"], headers["webhook-timestamp"])).encode() + body
        expected = base64.b64encode(hmac.new(secret_bytes, signed, hashlib.sha256).digest()).decode()
        assert headers["webhook-signature"] == "v1," + expected
        payload = json.loads(body)
        assert payload["type"] == "campaign.detected"
        assert "hook_00" in payload["data"]["accounts"]
        assert "step by step" not in body.decode() and "Fibonacci" not in body.decode()
    finally:
        receiver.shutdown()


def test_signups_reusing_campaign_identity_are_flagged(retort):
    ce, ca = campaign(prefix="sg")
    oe, oa = ordinary(prefix="ok")
    load(retort, ce + oe, ca + oa)
    status, r = retort.json("POST", "/v1/signups/score", {
        "account_id": "new_1", "email_domain": "mailbox.example", "email_local": "user01077",
        "payment_fingerprint": "card_sg_shared", "card_bin": "411111", "signup_ip": "203.0.113.99"})
    assert status == 200 and r["action"] == "block", r
    assert any("payment instrument" in x for x in r["reasons"])
    status, r = retort.json("POST", "/v1/signups/score", {
        "account_id": "new_2", "email_domain": "gmail.com", "email_local": "zoe.m",
        "payment_fingerprint": "card_fresh", "signup_ip": "192.0.2.250"})
    assert r["action"] == "allow" and r["score"] < 0.4, r
    status, r = retort.json("POST", "/v1/signups/score", {"signup_ip": "not-an-ip"})
    assert status == 400
