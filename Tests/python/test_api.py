"""Ingest, decide, auth, malformed input, metrics, audit and shutdown of `retort serve`."""

import json
import signal

from conftest import TOKEN, stop


def test_health_is_public_and_apis_need_the_token(retort):
    status, _, _ = retort.request("GET", "/health", token=None)
    assert status == 200
    for method, path in [("POST", "/v1/decide"), ("POST", "/v1/events"), ("GET", "/metrics"),
                         ("POST", "/v1/signups/score"), ("POST", "/beta/litellm_basic_guardrail_api"),
                         ("GET", "/v1/campaigns")]:
        status, headers, body = retort.request(method, path, body=b"{}", token=None)
        assert status == 401, (path, status)
        assert json.loads(body)["error"]["code"] == "unauthorized"
        status, _, _ = retort.request(method, path, body=b"{}", token="wrong-token")
        assert status == 401, path


def test_malformed_bodies_get_400_with_a_clear_message(retort):
    status, body = retort.json("POST", "/v1/events", "this is not json\n")
    assert status == 400
    assert "line 1" in body["error"]["message"]
    status, body = retort.json("POST", "/v1/events", '[{"ts": 1, "account_id": "a", "request_id": "r"}')
    assert status == 400 and "never closed" in body["error"]["message"]
    status, body = retort.json("POST", "/v1/events", '{"ts": 1700000000000, "request_id": "r1"}\n')
    assert status == 400 and "account_id" in body["error"]["message"]
    status, body = retort.json("POST", "/v1/decide", {"model": "x"})
    assert status == 400 and "account_id" in body["error"]["message"]
    status, body = retort.json("POST", "/v1/decide", "{not json")
    assert status == 400 and "invalid JSON" in body["error"]["message"]
    status, body = retort.json("POST", "/v1/traces", {"foo": 1})
    assert status == 400 and "resourceSpans" in body["error"]["message"]


def test_events_are_idempotent_by_request_id_and_bad_lines_are_reported(retort):
    lines = [json.dumps({"ts": 1700000000000 + i, "account_id": "a%d" % (i % 2), "request_id": "r%d" % i,
                         "model": "m", "input_tokens": 10, "output_tokens": 20}) for i in range(5)]
    body = "\n".join(lines) + "\n"
    status, r = retort.json("POST", "/v1/events", body)
    assert status == 202 and r["accepted"] == 5 and r["duplicates"] == 0
    status, r = retort.json("POST", "/v1/events", body)
    assert status == 202 and r["accepted"] == 0 and r["duplicates"] == 5
    mixed = lines[0].replace("r0", "r100") + "\n{\"ts\": \"yesterday\", \"account_id\": \"a\", \"request_id\": \"x\"}\n"
    status, r = retort.json("POST", "/v1/events", mixed)
    assert status == 202 and r["accepted"] == 1 and r["bad_records"] == 1
    assert r["errors"][0].startswith("line 2")
    status, r = retort.json("POST", "/v1/events?strict=true", mixed.replace("r100", "r101"))
    assert status == 400
    arr = json.dumps([json.loads(lines[0].replace("r0", "arr1")), json.loads(lines[1].replace("r1", "arr2"))])
    status, r = retort.json("POST", "/v1/events", arr)
    assert status == 202 and r["accepted"] == 2
    status, r = retort.json("POST", "/v1/recluster")
    assert status == 200 and r["events"] == 8


def test_back_pressure_answers_429_with_retry_after(retort_factory):
    server = retort_factory(queue_capacity=3, queue_retry_after_seconds=7)
    lines = [json.dumps({"ts": 1700000000000, "account_id": "a", "request_id": "bp%d" % i}) for i in range(4)]
    status, headers, body = server.request("POST", "/v1/events", "\n".join(lines))
    assert status == 429
    assert headers.get("Retry-After") == "7"
    status, _, _ = server.request("POST", "/v1/events", "\n".join(lines[:3]))
    assert status == 202


def test_decide_follows_policies_and_every_decision_is_audited(retort):
    status, d = retort.json("POST", "/v1/decide", {"account_id": "acct_bad", "model": "m"})
    assert status == 200 and d["action"] == "block" and d["policy"] == "deny_accounts"
    status, d = retort.json("POST", "/v1/decide", {"account_id": "acct_slow"})
    assert d["action"] == "throttle" and d["retry_after_s"] > 0
    status, d = retort.json("POST", "/v1/decide", {"account_id": "someone_new"})
    assert d["action"] == "allow" and d["policy"] == "none"
    audit = retort.audit_lines()
    assert [a["account_id"] for a in audit] == ["acct_bad", "acct_slow", "someone_new"]
    assert audit[0]["action"] == "block" and audit[0]["source"] == "decide"


def test_shadow_mode_allows_but_records_what_it_would_have_done(retort_factory):
    server = retort_factory(policy={"shadow_mode": True, "deny_accounts": ["acct_bad"]})
    status, d = server.json("POST", "/v1/decide", {"account_id": "acct_bad"})
    assert d["action"] == "allow" and d["would_action"] == "block" and d["shadow"] is True
    audit = server.audit_lines()
    assert audit[-1]["policy_action"] == "block" and audit[-1]["action"] == "allow"
    assert "shadow decision" in server.log()


def test_allowlisted_organisation_is_never_restricted(retort_factory):
    server = retort_factory(policy={"deny_accounts": ["acct_x"], "allow_orgs": ["org_verified"]})
    status, d = server.json("POST", "/v1/decide", {"account_id": "acct_y", "org_id": "org_verified"})
    assert d["action"] == "allow" and d["policy"] == "allow_orgs"


def test_metrics_expose_counters_without_account_labels(retort):
    retort.json("POST", "/v1/decide", {"account_id": "acct_bad"})
    status, _, body = retort.request("GET", "/metrics")
    text = body.decode()
    assert status == 200
    assert 'retort_decisions_total{source="decide",action="block"} 1' in text
    assert "acct_bad" not in text


def test_otlp_gen_ai_spans_become_events(retort):
    def attr(k, v):
        if isinstance(v, bool):
            return {"key": k, "value": {"boolValue": v}}
        if isinstance(v, int):
            return {"key": k, "value": {"intValue": str(v)}}
        if isinstance(v, float):
            return {"key": k, "value": {"doubleValue": v}}
        return {"key": k, "value": {"stringValue": v}}
    spans = []
    for i in range(3):
        spans.append({"traceId": "t%032d" % i, "spanId": "s%016d" % i, "name": "chat m",
                      "startTimeUnixNano": str(1700000000000000000 + i * 10**9),
                      "endTimeUnixNano": str(1700000000500000000 + i * 10**9),
                      "attributes": [attr("gen_ai.operation.name", "chat"), attr("gen_ai.request.model", "m"),
                                     attr("gen_ai.usage.input_tokens", 10), attr("gen_ai.usage.output_tokens", 30),
                                     attr("gen_ai.request.max_tokens", 256), attr("gen_ai.request.temperature", 0.7),
                                     attr("enduser.id", "otel_acct")]})
    spans.append({"traceId": "x", "spanId": "y", "name": "db query", "startTimeUnixNano": "1",
                  "attributes": [attr("db.system", "postgres")]})
    body = {"resourceSpans": [{"resource": {"attributes": []}, "scopeSpans": [{"scope": {}, "spans": spans}]}]}
    status, r = retort.json("POST", "/v1/traces", body)
    assert status == 200
    status, r = retort.json("POST", "/v1/recluster")
    assert r["events"] == 3


def test_graceful_shutdown_drains_and_writes_state(retort):
    lines = [json.dumps({"ts": 1700000000000 + i, "account_id": "g", "request_id": "g%d" % i}) for i in range(10)]
    status, _ = retort.json("POST", "/v1/events", "\n".join(lines))
    assert status == 202
    retort.proc.send_signal(signal.SIGTERM)
    assert retort.proc.wait(timeout=20) == 0
    with open(retort.workdir + "/state/snapshot.json") as f:
        snap = json.load(f)
    assert snap["input"]["events"] == 10
    assert "audit log closed" in retort.log()
