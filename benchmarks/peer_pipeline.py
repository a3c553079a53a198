#!/usr/bin/env python3
"""The peer pipeline: what a data scientist would write instead of Retort, with the usual PyPI tools.

    benchmarks/.venv/bin/python benchmarks/peer_pipeline.py EVENTS.jsonl.gz --accounts accounts.jsonl \
        --out findings.json

* polars: events read in batches (gzip streamed, explicit schema, only the columns needed), duplicate
  request ids dropped, per-account behaviour features (volume, rate, hours of day covered, prompt diversity,
  reasoning requests, network spread).
* datasketch: MinHash LSH over word 3-shingles of a sample of each account's distinct prompts, to find
  accounts sending near-duplicate prompts.
* igraph + leidenalg: an account graph (shared near-duplicate prompts, shared payment fingerprints,
  card BIN + sign-up week, sign-up /24, e-mail local-part pattern), clustered with Leiden; clusters scored
  from their members' behaviour, written as findings.json (formats.md section 4) so `retort evaluate`
  scores it like Retort's own output.
"""
import argparse
import datetime
import gzip
import hashlib
import io
import json
import re
import sys
import time
from collections import defaultdict

import igraph as ig
import leidenalg
import numpy as np
import polars as pl
from datasketch import MinHash, MinHashLSH

SCHEMA = {
    "ts": pl.Utf8,
    "account_id": pl.Utf8,
    "request_id": pl.Utf8,
    "ip": pl.Utf8,
    "max_tokens": pl.Int64,
    "input_tokens": pl.Int64,
    "output_tokens": pl.Int64,
    "logit_bias_size": pl.Int64,
    "top_logprobs": pl.Int64,
    "thinking": pl.Boolean,
    "prompt": pl.Utf8,
}

REASONING = re.compile(r"step by step|show (your|all) (work|reasoning)|explain your reasoning|think carefully",
                       re.IGNORECASE)
WORD = re.compile(r"[a-z0-9]+")


def log(msg):
    print(f"[peer {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def read_batches(path, batch_bytes=256 << 20):
    """Yields polars frames of whole lines, ~batch_bytes of decompressed JSON each."""
    opener = gzip.open if open(path, "rb").read(2) == b"\x1f\x8b" else open
    with opener(path, "rb") as fh:
        while True:
            chunk = fh.read(batch_bytes)
            if not chunk:
                break
            rest = fh.readline()
            chunk += rest
            df = pl.read_ndjson(io.BytesIO(chunk), schema=SCHEMA, ignore_errors=True)
            yield df


def load_events(path):
    """Per-event columns (no prompt text kept) plus a sample of distinct prompts per account."""
    frames = []
    samples = defaultdict(dict)  # account -> {prompt hash: text}, at most SAMPLE per account
    sample_size = 20
    for df in read_batches(path):
        df = df.filter(pl.col("account_id").is_not_null() & pl.col("request_id").is_not_null())
        df = df.with_columns(
            pl.col("prompt").hash().alias("prompt_hash"),
            pl.col("prompt").str.contains(REASONING.pattern).fill_null(False).alias("cot"),
            pl.col("ts").str.to_datetime(time_zone="UTC", strict=False).alias("time"),
            pl.col("ip").str.replace(r"\.\d+$", "").alias("net24"),
        )
        # Keep a small sample of distinct prompt texts per account for the near-duplicate search.
        distinct = df.select("account_id", "prompt_hash", "prompt").drop_nulls().unique(
            subset=["account_id", "prompt_hash"], keep="first", maintain_order=True)
        for acct, h, text in distinct.iter_rows():
            s = samples[acct]
            if len(s) < sample_size:
                s[h] = text
        frames.append(df.drop("prompt", "ts"))
    events = pl.concat(frames, how="vertical_relaxed")
    total = events.height
    events = events.unique(subset=["request_id"], keep="first", maintain_order=True)
    return events, total - events.height, samples


def account_features(events):
    return (
        events.group_by("account_id")
        .agg(
            pl.len().alias("n"),
            pl.col("time").min().alias("first"),
            pl.col("time").max().alias("last"),
            pl.col("time").dt.hour().n_unique().alias("hours_of_day"),
            pl.col("time").dt.truncate("1h").n_unique().alias("active_hours"),
            pl.col("prompt_hash").n_unique().alias("distinct_prompts"),
            pl.col("cot").mean().alias("cot_share"),
            pl.col("thinking").fill_null(False).mean().alias("thinking_share"),
            pl.col("net24").n_unique().alias("nets"),
            pl.col("output_tokens").mean().alias("mean_output"),
            pl.col("input_tokens").sum().alias("input_tokens"),
            pl.col("output_tokens").sum().alias("output_tokens"),
            (pl.col("logit_bias_size").fill_null(0) > 0).mean().alias("logit_share"),
            (pl.col("max_tokens").fill_null(1000) <= 2).mean().alias("tiny_share"),
        )
        .with_columns(
            (pl.col("distinct_prompts") / pl.col("n")).alias("diversity"),
            (pl.col("n") / pl.col("active_hours")).alias("per_active_hour"),
        )
    )


def behaviour_score(f):
    """Per-account suspicion in [0, 1] from behaviour alone (no diurnal rest, dataset-like prompt sweeps,
    reasoning elicitation, logit extraction)."""
    return (
        f.with_columns(
            (
                0.30 * (pl.col("hours_of_day") >= 20).cast(pl.Float64)
                + 0.25 * ((pl.col("diversity") > 0.9) & (pl.col("n") >= 30)).cast(pl.Float64)
                + 0.20 * (pl.max_horizontal(pl.col("cot_share"), pl.col("thinking_share")) > 0.3).cast(pl.Float64)
                + 0.15 * (pl.col("nets") / pl.col("n") > 0.3).cast(pl.Float64)
                + 0.10 * (pl.col("n") >= 100).cast(pl.Float64)
                + 0.60 * ((pl.col("logit_share") > 0.5) | (pl.col("tiny_share") > 0.5)).cast(pl.Float64)
            ).clip(0, 1).alias("behaviour")
        )
    )


def near_duplicate_edges(samples, num_perm=64, threshold=0.7):
    """Account pairs that sent near-duplicate prompts (MinHash LSH over word 3-shingles)."""
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    owners = {}
    for acct, prompts in samples.items():
        for h, text in prompts.items():
            key = f"{acct}\x00{h}"
            words = WORD.findall(text.lower())
            shingles = {" ".join(words[i:i + 3]) for i in range(max(1, len(words) - 2))}
            m = MinHash(num_perm=num_perm)
            m.update_batch([s.encode() for s in shingles])
            lsh.insert(key, m)
            owners[key] = (acct, m)
    pairs = defaultdict(int)
    for key, (acct, m) in owners.items():
        for other in lsh.query(m):
            b = owners[other][0]
            if b != acct:
                pairs[(min(acct, b), max(acct, b))] += 1
    # Each shared pair was seen from both sides.
    return {k: v / 2 for k, v in pairs.items()}


def identity_edges(accounts):
    """Account pairs sharing payment instruments, card BIN + sign-up week, sign-up /24 or e-mail pattern,
    except where both belong to the same verified organisation (enterprises share cards and NAT)."""
    if accounts.height == 0:
        return {}
    a = accounts.with_columns(
        pl.col("created_at").str.to_datetime(time_zone="UTC", strict=False).dt.truncate("1w").cast(pl.Utf8)
        .alias("week"),
        pl.col("signup_ip").str.replace(r"\.\d+$", "").alias("signup24"),
        pl.col("email_local").str.replace_all(r"\d+", "#").alias("email_shape"),
    )
    edges = defaultdict(float)
    groups = [
        (["payment_fingerprint"], 2.0),
        (["card_bin", "week"], 1.0),
        (["signup24", "week"], 1.0),
        (["email_shape", "email_domain", "week"], 1.0),
    ]
    org = dict(zip(a["account_id"], a["org_id"]))
    verified = dict(zip(a["account_id"], a["verified"]))
    for cols, weight in groups:
        g = a.drop_nulls(cols).group_by(cols).agg(pl.col("account_id"))
        for members in g["account_id"]:
            members = list(members)
            if len(members) < 2 or len(members) > 200:
                continue
            for i in range(len(members)):
                for j in range(i + 1, min(len(members), i + 30)):
                    x, y = members[i], members[j]
                    if verified.get(x) and verified.get(y) and org.get(x) and org.get(x) == org.get(y):
                        continue
                    edges[(min(x, y), max(x, y))] += weight
    return edges


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ") if t is not None else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("events")
    ap.add_argument("--accounts")
    ap.add_argument("--out", default="findings-peer.json")
    ap.add_argument("--threshold", type=float, default=0.5)
    args = ap.parse_args()

    t0 = time.time()
    events, duplicates, samples = load_events(args.events)
    log(f"read {events.height} events ({duplicates} duplicates) in {time.time() - t0:.1f} s")
    accounts = pl.read_ndjson(args.accounts, infer_schema_length=10000) if args.accounts else pl.DataFrame()
    for col in ["payment_fingerprint", "card_bin", "signup_ip", "email_local", "email_domain", "org_id", "created_at"]:
        if col not in accounts.columns:
            accounts = accounts.with_columns(pl.lit(None, dtype=pl.Utf8).alias(col))
    if "verified" not in accounts.columns:
        accounts = accounts.with_columns(pl.lit(False).alias("verified"))

    feats = behaviour_score(account_features(events))
    log(f"features for {feats.height} accounts at {time.time() - t0:.1f} s")
    near = near_duplicate_edges(samples)
    log(f"{len(near)} near-duplicate account pairs at {time.time() - t0:.1f} s")
    ident = identity_edges(accounts)
    log(f"{len(ident)} identity pairs at {time.time() - t0:.1f} s")

    ids = sorted(set(feats["account_id"].to_list()) | {a for p in list(near) + list(ident) for a in p})
    index = {a: i for i, a in enumerate(ids)}
    weights = defaultdict(float)
    for (x, y), w in near.items():
        weights[(index[x], index[y])] += min(w, 5.0)
    for (x, y), w in ident.items():
        weights[(index[x], index[y])] += w
    g = ig.Graph(n=len(ids), edges=list(weights.keys()))
    g.es["weight"] = list(weights.values())
    part = leidenalg.find_partition(g, leidenalg.ModularityVertexPartition, weights="weight", seed=1)
    log(f"Leiden: {len(part)} communities at {time.time() - t0:.1f} s")

    behaviour = dict(zip(feats["account_id"], feats["behaviour"]))
    fdict = {r["account_id"]: r for r in feats.iter_rows(named=True)}
    campaigns = []
    account_rows = []
    campaign_of = {}
    for community in part:
        members = [ids[v] for v in community]
        if len(members) < 3:
            continue
        scores = [behaviour.get(m, 0.0) for m in members]
        mean = float(np.mean(scores))
        internal = g.subgraph(community).ecount()
        density = internal / max(1, len(members) - 1)
        score = min(1.0, mean * (0.8 + 0.2 * min(density, 1.0)))
        if score < args.threshold:
            continue
        rows = [fdict[m] for m in members if m in fdict]
        cid = "P-" + hashlib.sha256("\n".join(sorted(members)).encode()).hexdigest()[:12]
        firsts = [r["first"] for r in rows if r["first"] is not None]
        lasts = [r["last"] for r in rows if r["last"] is not None]
        exchanges = int(sum(r["n"] for r in rows))
        campaigns.append({
            "id": cid,
            "accounts": sorted(members),
            "exchanges": exchanges,
            "exchanges_estimate": {"value": exchanges, "low": exchanges, "high": exchanges},
            "input_tokens": int(sum(r["input_tokens"] or 0 for r in rows)),
            "output_tokens": int(sum(r["output_tokens"] or 0 for r in rows)),
            "first_seen": iso(min(firsts)) if firsts else None,
            "last_seen": iso(max(lasts)) if lasts else None,
            "score": round(score, 4),
            "capabilities": {"coding": 0.0, "math": 0.0, "reasoning": 0.0, "agentic": 0.0},
            "signals": [{"name": "leiden_cluster", "strength": round(density, 3),
                         "detail": f"{len(members)} accounts, {internal} links, mean behaviour {mean:.2f}"}],
        })
        for m in members:
            campaign_of[m] = (cid, score)
    for a, b in behaviour.items():
        if a in campaign_of or b >= args.threshold:
            cid, cscore = campaign_of.get(a, (None, 0.0))
            account_rows.append({"account_id": a, "score": round(max(b, cscore), 4), "campaign": cid,
                                 "reasons": ["behaviour score", "member of a linked cluster"] if cid else
                                 ["behaviour score"]})
    times = events["time"].drop_nulls()
    findings = {
        "schema_version": 1,
        "generated_at": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "window": {"from": iso(times.min()) if len(times) else None, "to": iso(times.max()) if len(times) else None},
        "input": {"events": events.height, "bad_records": 0, "duplicates": duplicates,
                  "accounts": accounts.height},
        "campaigns": sorted(campaigns, key=lambda c: -c["score"]),
        "accounts": sorted(account_rows, key=lambda r: -r["score"]),
    }
    with open(args.out, "w") as fh:
        json.dump(findings, fh, indent=1)
    log(f"{len(campaigns)} campaigns, {len(account_rows)} accounts reported; total {time.time() - t0:.1f} s")


if __name__ == "__main__":
    main()
