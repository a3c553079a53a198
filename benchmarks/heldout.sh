#!/usr/bin/env bash
# Held-out detection table: simulates each world (a preset or a scenario file under scenarios/, with a seed),
# investigates it with the default config and prints `retort evaluate`'s figures in one line per world.
#
#   benchmarks/heldout.sh small-701 replay-701 stealth-702 lowslow-701 ...
#
# A world is NAME-SEED; NAME is a preset (small, replay, stealth, diurnal-mimic, hydra, logit, mixed), a
# file scenarios/NAME.json, or `tactics` (benchmarks/tactics.py draws the scenario from the seed: every
# campaign tactic and odd genuine populations from wide ranges), or `othersim` (benchmarks/othersim: an independent
# generator with its own world model, written without reading the detector or its simulator). Worlds are generated under --work DIR
# (default .build/heldout) and reused. $RETORT_BIN selects the binary (default: a release build). Full `retort evaluate` tables are left in
# DIR/WORLD/evaluation.txt (with --tag T, findings in DIR/WORLD/findings-T and the table in evaluation-T.txt, so that
# two binaries can be compared on the same worlds).
set -euo pipefail
cd "$(dirname "$0")/.."
source benchmarks/lib.sh
work=".build/heldout"
tag=""
while [ $# -gt 0 ]; do
    case "$1" in
        --work) work="$2"; shift 2 ;;
        --tag) tag="-$2"; shift 2 ;;
        *) break ;;
    esac
done
[ $# -gt 0 ] || { sed -n 2,10p "$0"; exit 2; }
export PATH="/opt/swift/usr/bin:$PATH"
retort="$(retort_binary)"
mkdir -p "$work"
printf '%-20s %9s %7s %7s %10s %7s %7s %12s  %s\n' world accounts prec recall benignFP purity found falseCamps "false positives by kind"
for world in "$@"; do
    name="${world%-*}"; seed="${world##*-}"; dir="$work/$world"
    if [ ! -s "$dir/truth.jsonl" ]; then
        if [ "$name" = othersim ]; then
            python3 benchmarks/othersim/othersim.py --seed "$seed" --out "$dir" >/dev/null 2>&1
        elif [ "$name" = tactics ]; then
            mkdir -p "$dir"
            python3 benchmarks/tactics.py --seed "$seed" >"$dir/scenario.json"
            "$retort" simulate --scenario "$dir/scenario.json" --seed "$seed" --out "$dir" >/dev/null 2>&1
        elif [ -f "scenarios/$name.json" ]; then
            "$retort" simulate --scenario "scenarios/$name.json" --seed "$seed" --out "$dir" >/dev/null 2>&1
        else
            "$retort" simulate --preset "$name" --seed "$seed" --out "$dir" >/dev/null 2>&1
        fi
    fi
    "$retort" investigate "$dir/events.jsonl.gz" --accounts "$dir/accounts.jsonl" --out "$dir/findings$tag" \
        >/dev/null 2>&1
    "$retort" evaluate --findings "$dir/findings$tag/findings.json" --truth "$dir/truth.jsonl" >"$dir/evaluation$tag.txt"
    "$retort" evaluate --findings "$dir/findings$tag/findings.json" --truth "$dir/truth.jsonl" --json |
        python3 -c '
import json, sys
j = json.load(sys.stdin)
o = j["overall"]
tp, fp, fn = o["truePositives"], o["falsePositives"], o["falseNegatives"]
kinds = ", ".join("%s %d" % (b["kind"], b["falsePositives"]) for b in j["benign"] if b["falsePositives"])
print("%-20s %9d %7.3f %7.3f %10.1e %7.2f %7d %12d  %s" % (
    sys.argv[1], tp + fn, tp / max(1, tp + fp), tp / max(1, tp + fn), j["benignFalsePositiveRate"],
    j["meanPurity"], len(j["found"]), j["wholeFalseCampaigns"], kinds or "-"))
' "$world"
done
