#!/usr/bin/env bash
# CI smoke mode for the benchmarks: every kernel benchmark runs a few iterations and its allocation counts
# are checked against the committed thresholds (Benchmarks/Thresholds), then the scale benchmark runs once
# at 200k events. Takes about two minutes after the build.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"

echo "== kernel benchmarks (allocation thresholds)"
(
    cd Benchmarks
    set +e
    RETORT_BENCH_SMOKE=1 swift package benchmark thresholds check --metric mallocCountTotal --no-progress
    rc=$?
    set -e
    # 0: as recorded, 4: improvements only; 2: regressions.
    if [ $rc -ne 0 ] && [ $rc -ne 4 ]; then
        echo "allocation regression (exit $rc): see above; after an intended change run" >&2
        echo "  RETORT_BENCH_SMOKE=1 swift package --allow-writing-to-package-directory benchmark thresholds update --metric mallocCountTotal" >&2
        exit 1
    fi
)

echo "== scale (smoke)"
benchmarks/scale.sh --smoke --work .build/scale-smoke
