#!/usr/bin/env bash
# Retort against the peer Python pipeline (benchmarks/peer_pipeline.py) on the same simulated file, in the
# same run: wall time, peak RSS (/usr/bin/time -v), `retort evaluate` figures for both, and the speed ratio.
#
#   benchmarks/compare.sh                      # 1M events of the seed-scale mix, seed 7
#   benchmarks/compare.sh --events 200k --seed 3
#   benchmarks/compare.sh --dir DIR            # an existing simulation (events.jsonl.gz, accounts.jsonl, truth.jsonl)
#
# The Python tools are installed from PyPI into benchmarks/.venv (benchmarks/requirements.txt) on first use.
# $RETORT_BIN selects the retort binary (default: a release build made now), as for scale.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
source benchmarks/lib.sh

size="1M"
seed=7
dir=""
while [ $# -gt 0 ]; do
    case "$1" in
        --events) size="$2"; shift 2 ;;
        --seed) seed="$2"; shift 2 ;;
        --dir) dir="$2"; shift 2 ;;
        -h|--help) sed -n 2,10p "$0"; exit 0 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done

ensure_gnu_time
if [ ! -x benchmarks/.venv/bin/python ]; then
    echo "== creating benchmarks/.venv (PyPI: $(tr '\n' ' ' <benchmarks/requirements.txt | sed 's/#[^ ]* //g'))" >&2
    python3 -m venv benchmarks/.venv
    benchmarks/.venv/bin/pip install -q -r benchmarks/requirements.txt
fi
export PATH="/opt/swift/usr/bin:$PATH"
retort="$(retort_binary)"

if [ -z "$dir" ]; then
    benchmarks/scale.sh --sizes "$size" --seed "$seed" >&2
    dir=".build/scale/seed$seed-$size"
fi
out="$dir/compare"
mkdir -p "$out"

echo "== retort investigate" >&2
timed "$out/retort.log" "$retort" investigate "$dir/events.jsonl.gz" --accounts "$dir/accounts.jsonl" \
    --out "$out/retort" >/dev/null || { tail -20 "$out/retort.log" >&2; exit 1; }
echo "== peer pipeline (polars, datasketch, igraph + leidenalg)" >&2
timed "$out/peer.log" benchmarks/.venv/bin/python benchmarks/peer_pipeline.py "$dir/events.jsonl.gz" \
    --accounts "$dir/accounts.jsonl" --out "$out/peer-findings.json" || { tail -20 "$out/peer.log" >&2; exit 1; }

r_wall=$(wall_seconds "$out/retort.log")
p_wall=$(wall_seconds "$out/peer.log")
read -r rp rr rf rfp < <(eval_summary "$out/retort/findings.json" "$dir/truth.jsonl" "$retort")
read -r pp pr pf pfp < <(eval_summary "$out/peer-findings.json" "$dir/truth.jsonl" "$retort")
events=$(tr '\r' '\n' <"$out/retort.log" | sed -n 's/^read \([0-9]*\) events.*/\1/p' | tail -1)

echo
echo "$dir: $events events, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
r_cpu=$(cpu_seconds "$out/retort.log")
p_cpu=$(cpu_seconds "$out/peer.log")
printf '%-8s %9s %9s %9s %10s %8s %8s %10s\n' "" "wall s" "cpu s" "peak MiB" precision recall F1 "benign FP"
printf '%-8s %9s %9s %9s %10s %8s %8s %10s\n' retort "$r_wall" "$r_cpu" "$(peak_mib "$out/retort.log")" \
    "$rp" "$rr" "$rf" "$rfp"
printf '%-8s %9s %9s %9s %10s %8s %8s %10s\n' peer "$p_wall" "$p_cpu" "$(peak_mib "$out/peer.log")" \
    "$pp" "$pr" "$pf" "$pfp"
python3 -c "print(f'speed ratio (peer / retort): {$p_wall / max($r_wall, 0.1):.1f}x wall, {$p_cpu / max($r_cpu, 0.1):.1f}x cpu')"
