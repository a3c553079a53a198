#!/usr/bin/env bash
# CI smoke mode for the benchmarks: every kernel benchmark runs a few iterations and its allocation counts
# are checked against the committed thresholds (Benchmarks/Thresholds), then the scale benchmark runs once
# at 50k events. Takes a few minutes after the build.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"

echo "== kernel benchmarks (allocation thresholds)"
(
    cd Benchmarks
    out="$(mktemp)"
    set +e
    RETORT_BENCH_SMOKE=1 swift package benchmark thresholds check --metric mallocCountTotal --no-progress \
        2>&1 | tee "$out"
    rc=${PIPESTATUS[0]}
    set -e
    # The tool exits 0 when counts are as recorded. Improvements only (fewer allocations) also fail the
    # check, but SwiftPM reports any plugin failure as exit 1, so they are told apart by the tool's verdict.
    if [ $rc -ne 0 ] && grep -q "is BETTER than the defined thresholds" "$out" \
        && ! grep -q "is WORSE than the defined thresholds" "$out"; then
        echo "fewer allocations than recorded (not a regression)"
        rc=0
    fi
    rm -f "$out"
    if [ $rc -ne 0 ]; then
        echo "allocation regression (exit $rc): see above; after an intended change run" >&2
        echo "  RETORT_BENCH_SMOKE=1 swift package --allow-writing-to-package-directory benchmark thresholds update --metric mallocCountTotal" >&2
        exit 1
    fi
)

echo "== scale (smoke)"
benchmarks/scale.sh --smoke --work .build/scale-smoke
