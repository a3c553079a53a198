#!/usr/bin/env bash
# Scale benchmark: simulates traffic with the seed-scale mix at several sizes, runs `retort investigate` on
# each, and prints events, wall time, events/s, peak RSS (from /usr/bin/time -v) and evaluation figures.
#
#   benchmarks/scale.sh                      # 1M, 10M, 30M events
#   benchmarks/scale.sh --sizes 1M,10M,30M,130M
#   benchmarks/scale.sh --smoke              # 50k events, for CI ($RETORT_BIN: use that binary)
#
# Options: --sizes LIST (k/M suffixes), --seed N, --work DIR (default .build/scale; generated files are
# reused when present), --smoke. A size is reached by scaling the seed-scale preset (about 110M events).
set -euo pipefail
cd "$(dirname "$0")/.."
source benchmarks/lib.sh

sizes="1M,10M,30M"
seed=7
work=".build/scale"
while [ $# -gt 0 ]; do
    case "$1" in
        --smoke) sizes="50k"; shift ;;
        --sizes) sizes="$2"; shift 2 ;;
        --seed) seed="$2"; shift 2 ;;
        --work) work="$2"; shift 2 ;;
        -h|--help) sed -n 2,12p "$0"; exit 0 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
# Events in the seed-scale preset at scale 1 (docs/scenario.md: ~110M). Small scales do not shrink every
# population in proportion, so the table reports the events actually generated.
SEED_SCALE_EVENTS=${SEED_SCALE_EVENTS:-110000000}

ensure_gnu_time
export PATH="/opt/swift/usr/bin:$PATH"
retort="$(retort_binary)"
mkdir -p "$work"

to_number() {
    case "$1" in
        *k|*K) echo $(( ${1%?} * 1000 )) ;;
        *m|*M) echo $(( ${1%?} * 1000000 )) ;;
        *) echo "$1" ;;
    esac
}

rows=()
for size in ${sizes//,/ }; do
    n=$(to_number "$size")
    scale=$(python3 -c "print(f'{$n / $SEED_SCALE_EVENTS:.6g}')")
    dir="$work/seed$seed-$size"
    if [ ! -s "$dir/events.jsonl.gz" ] || [ ! -s "$dir/truth.jsonl" ]; then
        echo "== simulating $size events (seed-scale x $scale, seed $seed) into $dir" >&2
        rm -rf "$dir"
        timed "$dir.sim.log" "$retort" simulate --preset seed-scale --scale "$scale" --seed "$seed" --out "$dir" \
            >/dev/null || { cat "$dir.sim.log" >&2; exit 1; }
        gen="$(wall_seconds "$dir.sim.log")"
    else
        gen="$( [ -f "$dir.sim.log" ] && wall_seconds "$dir.sim.log" || echo "-")"
        echo "== reusing $dir" >&2
    fi
    echo "== investigating $dir" >&2
    timed "$dir.inv.log" "$retort" investigate "$dir/events.jsonl.gz" --accounts "$dir/accounts.jsonl" \
        --out "$dir/findings" >/dev/null || { tail -20 "$dir.inv.log" >&2; exit 1; }
    events=$(tr '\r' '\n' <"$dir.inv.log" | sed -n 's/^read \([0-9]*\) events.*/\1/p' | tail -1)
    wall="$(wall_seconds "$dir.inv.log")"
    cpu="$(cpu_seconds "$dir.inv.log")"
    rss="$(peak_mib "$dir.inv.log")"
    read -r precision recall f1 fpr < <(eval_summary "$dir/findings/findings.json" "$dir/truth.jsonl" "$retort")
    accounts=$(wc -l <"$dir/accounts.jsonl")
    rate=$(python3 -c "print(f'{$events / max($wall, 0.1):,.0f}')")
    rows+=("$(printf '%11s %9s %9s %9s %9s %12s %9s %9s %9s %7s %10s' \
        "$events" "$accounts" "$gen" "$wall" "$cpu" "$rate" "$rss" "$precision" "$recall" "$f1" "$fpr")")
done

echo
echo "retort investigate, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), seed $seed"
printf '%11s %9s %9s %9s %9s %12s %9s %9s %9s %7s %10s\n' \
    events accounts "gen s" "wall s" "cpu s" "events/s" "peak MiB" precision recall F1 "benign FP"
for r in "${rows[@]}"; do echo "$r"; done
