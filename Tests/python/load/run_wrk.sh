#!/usr/bin/env bash
# Load measurement of `retort serve` on loopback with wrk (release build).
#   Tests/python/load/run_wrk.sh [path/to/retort]
# Starts the fake upstream and retort serve on free ports, runs wrk against /v1/decide and against the
# proxy and the upstream directly (the difference is the proxy's added latency), then stops them.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
bin="${1:-$root/.build/release/retort}"
duration="${DURATION:-15s}"
work="$(mktemp -d)"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
up_port="$(free_port)"; rt_port="$(free_port)"
export RETORT_TOKEN=bench-token
python3 "$root/Tests/python/fake_upstream.py" "$up_port" >/dev/null 2>&1 & up_pid=$!
cat > "$work/serve.json" <<JSON
{"host": "127.0.0.1", "port": $rt_port, "audit_log": "$work/audit.jsonl", "recluster_interval_seconds": 3600,
 "proxy": {"upstream": "http://127.0.0.1:$up_port", "key_accounts": {"sk-good": "acct_good"}},
 "policy": {"deny_accounts": ["acct_7", "acct_77"], "throttle_accounts": ["acct_8"]}}
JSON
"$bin" serve --config "$work/serve.json" --log-level warning 2>"$work/retort.log" & rt_pid=$!
trap 'kill $rt_pid $up_pid 2>/dev/null; wait $rt_pid $up_pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$rt_port/health" >/dev/null && curl -sf "http://127.0.0.1:$up_port/health" >/dev/null && break
    sleep 0.1
done
echo "== decide, 1 thread, 1 connection"
wrk -t1 -c1 -d"$duration" --latency -s "$here/decide.lua" "http://127.0.0.1:$rt_port/v1/decide"
echo "== decide, 1 thread, 8 connections"
wrk -t1 -c8 -d"$duration" --latency -s "$here/decide.lua" "http://127.0.0.1:$rt_port/v1/decide"
echo "== decide, 2 threads, 32 connections"
wrk -t2 -c32 -d"$duration" --latency -s "$here/decide.lua" "http://127.0.0.1:$rt_port/v1/decide"
echo "== upstream directly, 1 connection"
wrk -t1 -c1 -d"$duration" --latency -s "$here/chat.lua" "http://127.0.0.1:$up_port/v1/chat/completions"
echo "== through the proxy, 1 connection"
wrk -t1 -c1 -d"$duration" --latency -s "$here/chat.lua" "http://127.0.0.1:$rt_port/v1/chat/completions"
echo "audit lines: $(wc -l < "$work/audit.jsonl")"
echo "== server-side decision time (retort_decide_seconds, cumulative buckets)"
curl -s -H "Authorization: Bearer $RETORT_TOKEN" "http://127.0.0.1:$rt_port/metrics" | grep '^retort_decide_seconds'
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
