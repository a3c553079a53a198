"""Replaying a simulator scenario through the ingest API yields the same campaigns as batch `retort investigate`."""

import gzip
import json
import os
import subprocess
import time

import pytest

from conftest import retort_binary

SEEDS = [int(s) for s in os.environ.get("RETORT_EQUIV_SEEDS", "1").split(",")]


def simulate(tmp_path, seed):
    out = tmp_path / ("sim%d" % seed)
    subprocess.run([retort_binary(), "simulate", "--preset", "small", "--seed", str(seed), "--out", str(out)],
                   check=True, capture_output=True, timeout=600)
    return out


def investigate(tmp_path, sim, seed):
    out = tmp_path / ("inv%d" % seed)
    subprocess.run([retort_binary(), "investigate", str(sim / "events.jsonl.gz"), "--accounts",
                    str(sim / "accounts.jsonl"), "--out", str(out)], check=True, capture_output=True, timeout=600)
    with open(out / "findings.json") as f:
        return json.load(f)


def replay(server, sim, batch=5000):
    with open(sim / "accounts.jsonl", "rb") as f:
        status, r = server.json("POST", "/v1/accounts", f.read())
    assert status == 202, r
    sent = 0
    with gzip.open(sim / "events.jsonl.gz", "rb") as f:
        lines = []
        for line in f:
            lines.append(line)
            if len(lines) == batch:
                status, r = server.json("POST", "/v1/events", b"".join(lines))
                assert status == 202, r
                sent += len(lines)
                lines = []
        if lines:
            status, r = server.json("POST", "/v1/events", b"".join(lines))
            assert status == 202, r
            sent += len(lines)
    return sent


@pytest.mark.parametrize("seed", SEEDS)
def test_replay_through_ingest_matches_batch_investigate(tmp_path, retort_factory, seed):
    sim = simulate(tmp_path, seed)
    batch = investigate(tmp_path, sim, seed)
    server = retort_factory(queue_capacity=1_000_000)
    sent = replay(server, sim)
    for _ in range(6000):  # until the engine has every queued event (at most 10 minutes)
        status, ready = server.json("GET", "/ready", token=None)
        if ready["queue_events"] == 0:
            break
        time.sleep(0.1)
    status, r = server.json("POST", "/v1/recluster")
    assert status == 200
    assert r["events"] == batch["input"]["events"] <= sent
    status, live = server.json("GET", "/v1/campaigns")
    want = sorted((c["id"], tuple(sorted(c["accounts"])), c["exchanges"]) for c in batch["campaigns"])
    got = sorted((c["id"], tuple(c["accounts"]), c["exchanges"]) for c in live["campaigns"])
    assert got == want
    want_scores = {a["account_id"]: (round(a["score"], 6), a["campaign"]) for a in batch["accounts"]}
    got_scores = {a["account_id"]: (round(a["score"], 6), a["campaign"]) for a in live["accounts"]
                  if a["account_id"] in want_scores}
    assert len(want) + len(want_scores) > 0, "batch found nothing; the comparison would be empty"
    assert got_scores == want_scores
