"""The official openai and anthropic SDKs through `retort serve` in proxy mode, in front of a fake upstream."""

import json
import urllib.request

import anthropic
import openai
import pytest


def raw_post(url, path, body, headers):
    req = urllib.request.Request(url + path, data=json.dumps(body).encode(), method="POST")
    req.add_header("Content-Type", "application/json")
    for k, v in headers.items():
        req.add_header(k, v)
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.status, r.headers.get("content-type"), r.read()


def oai(retort, key="sk-good"):
    return openai.OpenAI(api_key=key, base_url=retort.base + "/v1", max_retries=0, timeout=30)


def claude(retort, key="sk-good"):
    return anthropic.Anthropic(api_key=key, base_url=retort.base, max_retries=0, timeout=30)


def test_openai_chat_non_streaming_and_streaming(retort):
    client = oai(retort)
    r = client.chat.completions.create(model="fake-model", max_tokens=5,
                                       messages=[{"role": "user", "content": "Say hi"}])
    assert r.choices[0].message.content == "tok0 tok1 tok2 tok3 tok4"
    assert r.usage.completion_tokens == 5
    pieces = []
    for chunk in client.chat.completions.create(model="fake-model", max_tokens=4, stream=True,
                                                messages=[{"role": "user", "content": "Say hi"}]):
        if chunk.choices and chunk.choices[0].delta.content:
            pieces.append(chunk.choices[0].delta.content)
    assert "".join(pieces) == "tok0 tok1 tok2 tok3"


def test_openai_completions_and_responses(retort):
    client = oai(retort)
    c = client.completions.create(model="fake-model", prompt="Once", max_tokens=3)
    assert c.choices[0].text == "tok0 tok1 tok2"
    r = client.responses.create(model="fake-model", input="Hello", max_output_tokens=3)
    assert r.output_text == "tok0 tok1 tok2"
    deltas = [e.delta for e in client.responses.create(model="fake-model", input="Hello", max_output_tokens=2,
                                                       stream=True) if e.type == "response.output_text.delta"]
    assert deltas == ["tok0", "tok1"]


def test_anthropic_messages_non_streaming_and_streaming(retort):
    client = claude(retort)
    m = client.messages.create(model="fake-model", max_tokens=3, messages=[{"role": "user", "content": "Hi"}])
    assert m.content[0].text == "tok0 tok1 tok2"
    assert m.usage.output_tokens == 3
    with client.messages.stream(model="fake-model", max_tokens=4,
                                messages=[{"role": "user", "content": "Hi"}]) as stream:
        text = "".join(stream.text_stream)
    assert text == "tok0 tok1 tok2 tok3"


@pytest.mark.parametrize("path,body", [
    ("/v1/chat/completions", {"model": "fake-model", "max_tokens": 6, "messages": [{"role": "user", "content": "x"}]}),
    ("/v1/chat/completions", {"model": "fake-model", "max_tokens": 6, "stream": True,
                              "messages": [{"role": "user", "content": "x"}]}),
    ("/v1/responses", {"model": "fake-model", "input": "x", "stream": True}),
    ("/v1/messages", {"model": "fake-model", "max_tokens": 6, "messages": [{"role": "user", "content": "x"}]}),
    ("/v1/messages", {"model": "fake-model", "max_tokens": 6, "stream": True,
                      "messages": [{"role": "user", "content": "x"}]}),
])
def test_allowed_traffic_is_byte_identical_to_the_upstream(retort, upstream, path, body):
    direct = raw_post(upstream, path, body, {"Authorization": "Bearer sk-good"})
    proxied = raw_post(retort.base, path, body, {"Authorization": "Bearer sk-good", "x-api-key": "sk-good"})
    assert proxied[0] == direct[0] == 200
    assert proxied[1] == direct[1]
    assert proxied[2] == direct[2]
    assert len(direct[2]) > 50


def test_blocked_account_gets_the_sdk_permission_error(retort):
    with pytest.raises(openai.PermissionDeniedError) as e:
        oai(retort, "sk-bad").chat.completions.create(model="fake-model",
                                                      messages=[{"role": "user", "content": "x"}])
    assert e.value.status_code == 403
    assert e.value.body["code"] == "account_blocked"
    with pytest.raises(anthropic.PermissionDeniedError) as e:
        claude(retort, "sk-bad").messages.create(model="fake-model", max_tokens=5,
                                                 messages=[{"role": "user", "content": "x"}])
    assert e.value.body["error"]["type"] == "permission_error"
    with pytest.raises(openai.PermissionDeniedError):
        list(oai(retort, "sk-bad").chat.completions.create(model="fake-model", stream=True,
                                                           messages=[{"role": "user", "content": "x"}]))


def test_throttled_account_gets_the_sdk_rate_limit_error_with_headers(retort):
    with pytest.raises(openai.RateLimitError) as e:
        oai(retort, "sk-slow").chat.completions.create(model="fake-model",
                                                       messages=[{"role": "user", "content": "x"}])
    h = e.value.response.headers
    assert int(h["retry-after"]) > 0 and h["x-ratelimit-remaining-requests"] == "0"
    assert e.value.body["type"] == "rate_limit_exceeded"
    with pytest.raises(anthropic.RateLimitError) as e:
        claude(retort, "sk-slow").messages.create(model="fake-model", max_tokens=5,
                                                  messages=[{"role": "user", "content": "x"}])
    assert e.value.body["error"]["type"] == "rate_limit_error"
    assert e.value.response.headers["anthropic-ratelimit-requests-remaining"] == "0"


def test_unknown_key_is_refused_in_the_provider_shape(retort):
    with pytest.raises(openai.AuthenticationError):
        oai(retort, "sk-unknown").chat.completions.create(model="fake-model",
                                                          messages=[{"role": "user", "content": "x"}])
    with pytest.raises(anthropic.AuthenticationError):
        claude(retort, "sk-unknown").messages.create(model="fake-model", max_tokens=5,
                                                     messages=[{"role": "user", "content": "x"}])


def test_malformed_proxy_body_gets_400_in_the_provider_shape(retort):
    req = urllib.request.Request(retort.base + "/v1/chat/completions", data=b"{oops", method="POST")
    req.add_header("Authorization", "Bearer sk-good")
    try:
        urllib.request.urlopen(req, timeout=10)
        raise AssertionError("expected 400")
    except urllib.error.HTTPError as e:
        assert e.code == 400
        assert "not valid JSON" in json.loads(e.read())["error"]["message"]


def test_proxied_requests_become_events_with_usage(retort):
    client = oai(retort)
    for i in range(3):
        client.chat.completions.create(model="fake-model", max_tokens=4, messages=[{"role": "user", "content": "q%d" % i}])
    with pytest.raises(openai.PermissionDeniedError):
        oai(retort, "sk-bad").chat.completions.create(model="fake-model", messages=[{"role": "user", "content": "x"}])
    status, r = retort.json("POST", "/v1/recluster")
    assert r["events"] == 4
    proxy_audit = [a for a in retort.audit_lines() if a["source"] == "proxy"]
    assert len(proxy_audit) == 4
