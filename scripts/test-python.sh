#!/usr/bin/env bash
# Runs the Python acceptance tests of `retort serve` (real openai/anthropic SDKs, a real LiteLLM proxy).
# Builds the retort binary if needed. Exits non-zero on any failure; skips (exit 0 with a message) only when
# the pip packages cannot be installed.
#   scripts/test-python.sh [pytest args...]
set -eu
cd "$(dirname "$0")/.."
status=0
scripts/install-test-deps.sh || status=$?
if [ "$status" = 3 ]; then
    echo "SKIPPED: Python test packages (openai, anthropic, litellm[proxy]==1.100.5, pytest) cannot be installed"
    exit 0
elif [ "$status" != 0 ]; then
    exit "$status"
fi
if [ -z "${RETORT_BIN:-}" ]; then
    swift build --product retort
    RETORT_BIN="$(swift build --show-bin-path)/retort"
fi
export RETORT_BIN
export LITELLM_LOCAL_MODEL_COST_MAP=True
exec "${PYTHON:-python3}" -m pytest -q Tests/python "$@"
