#!/usr/bin/env bash
# Runs every test of the project: the Swift test suites, then the tests that drive real clients
# (official SDKs, LiteLLM) against a running `retort serve`. Installs what those need first.
set -euo pipefail
cd "$(dirname "$0")/.."

swift build --build-tests
swift test --skip-build
# The memory test measures the process's resident memory, so it runs in a process of its own.
RETORT_MEMORY_TEST=1 swift test --skip-build --filter millionLinesInBoundedMemory

# The client tests drive the binary the test build just made (a plain `swift build` would rebuild
# everything without testability).
export RETORT_BIN="${RETORT_BIN:-$(swift build --show-bin-path)/retort}"

if [ -x scripts/test-python.sh ]; then
    scripts/test-python.sh
fi
