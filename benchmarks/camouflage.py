#!/usr/bin/env python3
"""Copies a simulated world with its campaign accounts' caller-set fields made to look ordinary, for the
probe tables of docs/detection.md (stop 26): how much detection owes to signals an operation can remove for
nothing. Only the campaign accounts of truth.jsonl change; genuine accounts' lines are copied as they are.

    python3 benchmarks/camouflage.py MODE WORLD_DIR OUT_DIR

WORLD_DIR holds events.jsonl.gz, accounts.jsonl and truth.jsonl (`retort simulate --out`). MODE:
  params  each campaign request's max_tokens drawn from 12 common values or left out, temperature drawn
          from 0-1.2 or left out (40%)
  aged    each campaign account's created_at moved to 30-700 days before its first request
  all     params and aged, and the account's requests grouped into made-up conversations of 1-4 turns
          (conversation_id and turn rewritten)
  conversations  only the made-up conversations of `all` (their own draws; input_tokens, which the
          provider counts, stay as sent)
The draws use a fixed seed, so the same world gives the same copy. Then: retort investigate
OUT_DIR/events.jsonl.gz --accounts OUT_DIR/accounts.jsonl --out OUT_DIR/findings and retort evaluate
--findings OUT_DIR/findings/findings.json --truth OUT_DIR/truth.jsonl.
"""
import datetime
import gzip
import json
import os
import random
import shutil
import sys

MAX_TOKENS = [None, 256, 512, 1000, 1024, 1500, 2000, 2048, 3000, 4000, 4096, 8192]


def parse(ts):
    return datetime.datetime.fromisoformat(ts.replace("Z", "+00:00"))


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("params", "aged", "all", "conversations"):
        sys.exit(__doc__)
    mode, src, dst = sys.argv[1:4]
    os.makedirs(dst, exist_ok=True)
    campaign = set()
    with open(os.path.join(src, "truth.jsonl")) as f:
        for line in f:
            r = json.loads(line)
            if r.get("campaign"):
                campaign.add(r["account_id"])
    rnd = random.Random(12345)
    first = {}
    conversation = {}
    with gzip.open(os.path.join(src, "events.jsonl.gz"), "rt") as f, \
            gzip.open(os.path.join(dst, "events.jsonl.gz"), "wt", compresslevel=1) as g:
        for line in f:
            e = json.loads(line)
            a = e["account_id"]
            if a not in campaign:
                g.write(line)
                continue
            first.setdefault(a, e["ts"])
            if mode in ("all", "conversations"):
                c = conversation.get(a)
                if c is None or c[1] >= c[2]:
                    c = ["conv_p%08x" % rnd.getrandbits(32), 0, rnd.randint(1, 4)]
                    conversation[a] = c
                c[1] += 1
                e["conversation_id"] = c[0]
                e["turn"] = c[1]
            if mode in ("params", "all"):
                m = rnd.choice(MAX_TOKENS)
                if m is None:
                    e.pop("max_tokens", None)
                else:
                    e["max_tokens"] = m
                if rnd.random() < 0.4:
                    e.pop("temperature", None)
                else:
                    e["temperature"] = round(rnd.uniform(0, 1.2), 2)
            g.write(json.dumps(e, separators=(",", ":")) + "\n")
    with open(os.path.join(src, "accounts.jsonl")) as f, open(os.path.join(dst, "accounts.jsonl"), "w") as g:
        for line in f:
            r = json.loads(line)
            if mode in ("aged", "all") and r["account_id"] in first:
                t = parse(first[r["account_id"]]) - datetime.timedelta(days=rnd.uniform(30, 700))
                r["created_at"] = t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (t.microsecond // 1000)
                g.write(json.dumps(r, separators=(",", ":")) + "\n")
            else:
                g.write(line)
    shutil.copyfile(os.path.join(src, "truth.jsonl"), os.path.join(dst, "truth.jsonl"))


if __name__ == "__main__":
    main()
