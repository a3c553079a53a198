# Shared helpers for the benchmark scripts (sourced, not run).

# /usr/bin/time -v gives wall time and peak RSS; Debian's `time` package provides it.
ensure_gnu_time() {
    if [ ! -x /usr/bin/time ]; then
        echo "installing /usr/bin/time (Debian package 'time')" >&2
        if [ "$(id -u)" = 0 ]; then
            apt-get install -y -q time >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q time >/dev/null; }
        else
            sudo apt-get install -y -q time >/dev/null
        fi
    fi
}

# retort_binary: prints the retort binary to run: $RETORT_BIN when set (a binary built already, as CI passes
# the one its tests built), else a release build made now.
retort_binary() {
    if [ -n "${RETORT_BIN:-}" ]; then
        echo "$RETORT_BIN"
    else
        swift build -c release --product retort >&2
        echo "$(swift build -c release --show-bin-path)/retort"
    fi
}

# timed LOG CMD...: runs CMD under /usr/bin/time -v, its stderr and the time report going to LOG.
timed() {
    local log=$1
    shift
    /usr/bin/time -v "$@" 2>"$log"
}

# wall_seconds LOG / peak_mib LOG: figures from a /usr/bin/time -v report.
wall_seconds() {
    python3 - "$1" <<'PY'
import re, sys
text = open(sys.argv[1], errors="replace").read()
m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text)
parts = [float(p) for p in m.group(1).split(":")]
s = 0.0
for p in parts:
    s = s * 60 + p
print(f"{s:.1f}")
PY
}

peak_mib() {
    python3 - "$1" <<'PY'
import re, sys
text = open(sys.argv[1], errors="replace").read()
m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
print(f"{int(m.group(1)) / 1024:.0f}")
PY
}

# eval_summary FINDINGS TRUTH RETORT: "precision recall f1 benign_fp_rate" from `retort evaluate --json`.
eval_summary() {
    "$3" evaluate --findings "$1" --truth "$2" --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
o = d["overall"]
tp, fp, fn = o["truePositives"], o["falsePositives"], o["falseNegatives"]
p = tp / (tp + fp) if tp + fp else 1.0
r = tp / (tp + fn) if tp + fn else 1.0
f = 2 * p * r / (p + r) if p + r else 0.0
fpr = d.get("benignFalsePositiveRate", 0)
print(f"{p:.3f} {r:.3f} {f:.3f} {fpr:.2e}")'
}

# cpu_seconds LOG: user + system CPU time from a /usr/bin/time -v report (wall time misleads on a busy host).
cpu_seconds() {
    python3 - "$1" <<'PY'
import re, sys
text = open(sys.argv[1], errors="replace").read()
u = float(re.search(r"User time \(seconds\): ([\d.]+)", text).group(1))
s = float(re.search(r"System time \(seconds\): ([\d.]+)", text).group(1))
print(f"{u + s:.1f}")
PY
}
