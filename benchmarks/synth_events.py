#!/usr/bin/env python3
"""Writes a synthetic JSON Lines event file (formats.md section 1) with real prompt text, for ingest benchmarks.

Not a traffic simulator (that is `retort simulate`): the lines only need the field mix and text lengths of
real logs so that decode and line-splitting costs are representative.

    python3 benchmarks/synth_events.py --events 1000000 --out /tmp/events.jsonl.gz
"""
import argparse
import datetime
import gzip
import json
import os
import random
import sys


def load_prompts(folder):
    prompts = []
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".jsonl.gz"):
            continue
        with gzip.open(os.path.join(folder, name), "rt", encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                if "text" in rec:
                    prompts.append(rec["text"])
                elif "turns" in rec:
                    prompts.extend(t for t in rec["turns"] if isinstance(t, str))
                elif "question" in rec:
                    prompts.append(rec["question"] + "\n" + "\n".join(rec.get("choices", [])))
    return [p for p in prompts if p]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--out", required=True, help="output path; .gz means gzip")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--prompts", default=os.environ.get("RETORT_PROMPTS", "../shared/data/prompts"))
    args = ap.parse_args()
    if not os.path.isdir(args.prompts):
        sys.exit(f"prompt corpora not found at {args.prompts} (set RETORT_PROMPTS)")
    rng = random.Random(args.seed)
    prompts = load_prompts(args.prompts)
    systems = ["You are a helpful assistant.", "You are a senior Python engineer. Answer with code only.",
               "Think step by step and show your reasoning before the final answer.", ""]
    models = ["model-large-2026-03", "model-small-2026-01", "model-reasoner-2026-02"]
    agents = ["openai-python/1.82.0", "anthropic-sdk-python/0.52.0", "python-httpx/0.27.0", "curl/8.5.0"]
    endpoints = ["messages", "chat.completions", "responses"]
    start = datetime.datetime(2026, 4, 1, tzinfo=datetime.timezone.utc).timestamp()
    opener = gzip.open if args.out.endswith(".gz") else open
    n_accounts = max(10, args.events // 400)
    with opener(args.out, "wt", encoding="utf-8") as out:
        for i in range(args.events):
            acct = rng.randrange(n_accounts)
            ts = start + i * (91 * 86400 / args.events)
            ev = {
                "ts": datetime.datetime.fromtimestamp(ts, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.")
                + f"{rng.randrange(1000):03d}Z",
                "account_id": f"acct_{acct:07d}",
                "request_id": f"req_{i:012x}{rng.getrandbits(32):08x}",
                "api_key_id": f"key_{acct:07d}_{rng.randrange(3)}",
                "ip": f"{rng.randrange(1, 224)}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
                if rng.random() < 0.9 else f"2001:db8:{rng.randrange(65536):x}::{rng.randrange(65536):x}",
                "asn": rng.choice([16509, 15169, 7922, 3320, 24940, 14061]),
                "country": rng.choice(["US", "DE", "GB", "SG", "BR", "IN"]),
                "user_agent": rng.choice(agents),
                "tls_fingerprint": f"t13d{rng.randrange(10**6):06d}_{rng.getrandbits(48):012x}",
                "endpoint": rng.choice(endpoints),
                "model": rng.choice(models),
                "input_tokens": rng.randrange(5, 4000),
                "output_tokens": rng.randrange(1, 4000),
                "max_tokens": rng.choice([256, 1024, 4096, 8192]),
                "temperature": round(rng.random(), 2),
                "stream": rng.random() < 0.5,
                "status": 200 if rng.random() < 0.97 else 429,
                "latency_ms": rng.randrange(100, 60000),
                "conversation_id": f"conv_{rng.getrandbits(40):010x}",
                "turn": rng.randrange(1, 6),
                "prompt": rng.choice(prompts),
            }
            if rng.random() < 0.3:
                ev["system"] = rng.choice(systems)
            if rng.random() < 0.1:
                ev["org_id"] = f"org_{acct // 50:05d}"
            if rng.random() < 0.2:
                ev["reasoning_tokens"] = rng.randrange(0, 8000)
                ev["thinking"] = True
            out.write(json.dumps(ev, ensure_ascii=rng.random() < 0.5, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
