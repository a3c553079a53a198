#!/usr/bin/env python3
"""Writes a simulator scenario with adversary tactics and genuine populations drawn from wide ranges.

    python3 benchmarks/tactics.py --seed 7 > /tmp/tactics-7.json
    retort simulate --scenario /tmp/tactics-7.json --seed 7 --out /tmp/tactics-7

The presets (`retort simulate --preset ...`) draw each campaign from a range built around one tactic. This
script draws every knob of every campaign independently over the simulator's whole range (a campaign may
ask for no reasoning traces at all, use batch cards with residential proxies and random clients, run two
days or to the end of the log, send three requests an hour from fifteen accounts or one a day from four
hundred), and perturbs the genuine populations towards the odd customers a false ban hurts most: big
undeclared teams on one card, crowded campuses, many benchmark customers, busy templated apps, power users
and step-by-step askers. It is for held-out evaluation of detection (`benchmarks/heldout.sh tactics-SEED`),
not for tuning: the same seed always gives the same scenario. The draws use Python's own `random.Random`,
independent of the simulator's generator.
"""

import argparse
import json
import math
import random


def log_uniform(r, lo, hi):
    return math.exp(r.uniform(math.log(lo), math.log(hi)))


def population(kind, count, volume, sigma, members=(1, 1), turns=2.5, cot=0.0):
    p = {"kind": kind, "count": int(count), "members": [int(members[0]), int(members[1])], "volume": volume,
         "volume_sigma": sigma, "turns": turns}
    if cot > 0:
        p["cot_share"] = round(cot, 3)
    return p


def background(r):
    """The presets' genuine mix, with some populations pushed towards their odd extremes."""
    cot = (lambda: r.uniform(0.05, 0.3)) if r.random() < 0.3 else (lambda: 0.0)
    odd = lambda: r.random() < 0.4
    team_members = (r.randint(10, 25), r.randint(25, 60)) if odd() else (3, 6)
    campus_members = (r.randint(150, 250), r.randint(250, 400)) if odd() else (60, 140)
    return [
        population("benign-casual", r.randint(2500, 3500), 3, 1.0, cot=cot()),
        population("benign-app", r.randint(15, 40) if odd() else r.randint(5, 8),
                   round(r.uniform(5, 25), 2) if odd() else 5, 0.7),
        population("benign-enterprise", r.randint(1, 5), 4, 0.6, members=(12, r.randint(40, 120)), turns=1.8,
                   cot=cot()),
        population("benign-campus", r.randint(1, 3) if odd() else 1, 3, 1.0, members=campus_members, turns=2.2,
                   cot=cot()),
        population("benign-benchmark", r.randint(6, 15) if odd() else r.randint(2, 4), 4, 0.5,
                   members=(1, r.randint(3, 6))),
        population("benign-power", r.randint(8, 30) if odd() else r.randint(2, 4), 1.0, 0.4, turns=3, cot=cot()),
        population("benign-team", r.randint(2, 6), 5, 0.6, members=team_members, turns=1.8, cot=cot()),
        population("benign-cgnat", r.randint(100, 300), 3, 0.9, cot=cot()),
    ]


def pool(r, cid):
    """A pool campaign with every tactic drawn independently."""
    accounts = int(log_uniform(r, 15, 400))
    days = r.randint(3, 40)
    # Some campaigns are still running when the log ends.
    start = 91 - days + r.randint(1, days - 1) if r.random() < 0.2 else r.randint(0, 91 - days)
    mix = {}
    for source in ["coding", "math", "reasoning", "agentic", "general", "benchmark", "replay"]:
        mix[source] = 0.0 if r.random() < 0.35 else round(r.uniform(0.1, 2.0), 3)
    if sum(mix.values()) == 0:
        mix["general"] = 1.0
    if r.random() < 0.25:
        mix["replay"] = round(r.uniform(2, 4), 3)  # mostly real users' prompts
    low_cot = r.random() < 0.4
    c = {
        "id": cid,
        "style": "tactics",
        "mechanism": "pool",
        "accounts": accounts,
        "concurrent": max(1, int(accounts * r.uniform(0.4, 1.0))),
        "rate": round(log_uniform(r, 0.15, 3.0), 3),
        "rate_jitter": round(r.uniform(0.1, 0.6), 3),
        "scheduling": r.choice(["round_robin", "random"]),
        "start_day": start,
        "days": days,
        "diurnal": r.random() < 0.4,
        "timezone": r.choice([-8, -5, 0, 1, 3, 5.5, 8, 9]),
        "signup": r.choice(["burst", "trickle"]),
        "signup_burst_hours": round(r.uniform(1, 24), 2),
        "cards": r.choices(["batch", "unique", "none"], [3, 5, 2])[0],
        "card_batch": sorted([r.randint(3, 20), r.randint(3, 20)]),
        "email": r.choice(["name_year", "random", "realistic"]),
        "network": r.choice(["datacenter", "residential", "mixed"]),
        "proxy_pool": max(1, int(accounts * log_uniform(r, 0.2, 4))),
        "ip_rotation": r.choice(["request", "session", "sticky"]),
        "client": r.choice(["fixed", "random"]),
        "prompt_mix": mix,
        "cot_share": round(r.uniform(0, 0.08) if low_cot else r.uniform(0.1, 0.8), 3),
        "multi_turn_share": round(r.uniform(0, 0.6), 3) if r.random() < 0.6 else 0.0,
        "thinking_share": 0.0 if r.random() < 0.3 else round(r.uniform(0.05, 0.5), 3),
        "max_tokens": r.choice([1024, 2048, 4096, 8192, 16000]),
        "temperature": r.choice([-1, -1, 0.0, 0.7, 1.0]),
        "model_switch": r.random() < 0.5,
    }
    return c


def scenario(seed):
    r = random.Random(seed * 7919 + 17)
    campaigns = [pool(r, "C-%d" % (i + 1)) for i in range(r.choice([1, 1, 2, 2, 3]))]
    if r.random() < 0.3:
        campaigns.append({
            "id": "C-%d" % (len(campaigns) + 1), "style": "hydra", "mechanism": "hydra",
            "accounts": r.randint(1, 3), "rate": round(r.uniform(3, 12), 2),
            "harvest_share": round(r.uniform(0.15, 0.5), 3), "end_users": r.randint(100, 900),
            "days": r.randint(20, 60), "start_day": r.randint(0, 30),
            "cot_share": round(r.uniform(0.2, 0.7), 3), "thinking_share": round(r.uniform(0, 0.4), 3),
        })
    if r.random() < 0.2:
        campaigns.append({
            "id": "C-%d" % (len(campaigns) + 1), "style": "logit", "mechanism": "logit",
            "accounts": r.randint(2, 8), "rate": round(r.uniform(1, 6), 2), "days": r.randint(5, 20),
            "start_day": r.randint(0, 70), "target_prompts": r.randint(5, 40),
            "network": r.choice(["datacenter", "residential"]), "proxy_pool": r.randint(5, 60),
            "cards": r.choice(["unique", "none"]), "client": r.choice(["fixed", "random"]),
        })
    return {
        "seed": seed,
        "models": {"new_model_day": r.randint(30, 60)},
        "populations": background(r),
        "campaigns": campaigns,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, required=True)
    args = ap.parse_args()
    print(json.dumps(scenario(args.seed), indent=2, sort_keys=True))


if __name__ == "__main__":
    main()
