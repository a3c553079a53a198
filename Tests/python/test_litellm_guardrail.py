"""A real LiteLLM proxy (litellm[proxy]==1.100.5) uses Retort as its generic guardrail."""

import os
import shutil
import subprocess
import sys

import openai
import pytest

from campaign_data import campaign, jsonl
from conftest import TOKEN, free_port, stop, wait_http


def litellm_command():
    exe = shutil.which("litellm")
    if exe:
        return [exe]
    return [sys.executable, "-m", "litellm"]


@pytest.fixture
def litellm_proxy(tmp_path, upstream, retort):
    port = free_port()
    config = tmp_path / "litellm.yaml"
    config.write_text(f"""
model_list:
  - model_name: fake-model
    litellm_params:
      model: openai/fake-model
      api_base: {upstream}/v1
      api_key: sk-upstream
guardrails:
  - guardrail_name: retort
    litellm_params:
      guardrail: generic_guardrail_api
      mode: pre_call
      api_base: {retort.base}
      api_key: {TOKEN}
      default_on: true
      unreachable_fallback: fail_closed
general_settings:
  master_key: sk-master-1234
""")
    env = dict(os.environ, LITELLM_LOCAL_MODEL_COST_MAP="True", LITELLM_LOG="ERROR", NO_DOCS="True",
               DISABLE_SCHEMA_UPDATE="True")
    env.pop("DATABASE_URL", None)
    log = open(tmp_path / "litellm.log", "w")
    proc = subprocess.Popen(litellm_command() + ["--config", str(config), "--host", "127.0.0.1", "--port", str(port),
                                                 "--num_workers", "1"],
                            stdout=log, stderr=subprocess.STDOUT, env=env, cwd=str(tmp_path))
    try:
        wait_http("http://127.0.0.1:%d/health/liveliness" % port, timeout=120, proc=proc)
        yield "http://127.0.0.1:%d" % port
    except Exception:
        log.flush()
        print(open(tmp_path / "litellm.log").read()[-4000:])
        raise
    finally:
        stop(proc)
        log.close()


def test_litellm_blocks_a_flagged_account_and_passes_others(retort, litellm_proxy):
    events, accounts = campaign(prefix="lt")
    assert retort.json("POST", "/v1/accounts", jsonl(accounts))[0] == 202
    assert retort.json("POST", "/v1/events", jsonl(events))[0] == 202
    assert retort.json("POST", "/v1/recluster")[0] == 200
    assert retort.json("POST", "/v1/decide", {"account_id": "lt_02"})[1]["action"] == "block"

    client = openai.OpenAI(api_key="sk-master-1234", base_url=litellm_proxy, max_retries=0, timeout=60)
    ok = client.chat.completions.create(model="fake-model", max_tokens=3, user="honest_user",
                                        messages=[{"role": "user", "content": "hello"}])
    assert ok.choices[0].message.content == "tok0 tok1 tok2"
    with pytest.raises(openai.APIStatusError) as e:
        client.chat.completions.create(model="fake-model", max_tokens=3, user="lt_02",
                                       messages=[{"role": "user", "content": "hello"}])
    assert e.value.status_code in (400, 403)
    assert "Retort block" in str(e.value)
    guard = [a for a in retort.audit_lines() if a["source"] == "guardrail"]
    assert {a["account_id"] for a in guard} == {"honest_user", "lt_02"}
    assert [a["action"] for a in guard if a["account_id"] == "lt_02"] == ["block"]
