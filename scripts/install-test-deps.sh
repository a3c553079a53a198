#!/usr/bin/env bash
# Installs what the server's Python acceptance tests and load measurements need. Idempotent.
#   scripts/install-test-deps.sh          pip packages: openai, anthropic, litellm[proxy]==1.100.5, pytest
#   scripts/install-test-deps.sh --wrk    also the Debian package wrk (load measurements)
# Exit status: 0 when everything is installed, 3 when pip packages cannot be installed.
set -u
PYTHON="${PYTHON:-python3}"
want_wrk=0
for arg in "$@"; do
    case "$arg" in
        --wrk) want_wrk=1 ;;
        *) echo "unknown option: $arg" >&2; exit 2 ;;
    esac
done

have_pkgs() {
    "$PYTHON" - <<'PY' 2>/dev/null
import importlib.metadata as m, sys
need = {"openai": None, "anthropic": None, "litellm": "1.100.5", "pytest": None}
for name, version in need.items():
    try:
        v = m.version(name)
    except m.PackageNotFoundError:
        sys.exit(1)
    if version and v != version:
        sys.exit(1)
import litellm.proxy.proxy_server  # the [proxy] extra is importable
PY
}

if have_pkgs; then
    echo "python test packages: present"
else
    echo "python test packages: installing"
    if ! "$PYTHON" -m pip install --quiet --disable-pip-version-check \
        openai anthropic 'litellm[proxy]==1.100.5' pytest; then
        echo "pip install failed" >&2
        exit 3
    fi
    have_pkgs || { echo "python test packages still missing after pip install" >&2; exit 3; }
fi

if [ "$want_wrk" = 1 ]; then
    if command -v wrk >/dev/null 2>&1; then
        echo "wrk: present"
    else
        echo "wrk: installing"
        (apt-get install -y wrk >/dev/null 2>&1 || (apt-get update >/dev/null 2>&1 && apt-get install -y wrk >/dev/null 2>&1)) \
            || { echo "cannot install wrk" >&2; exit 4; }
    fi
fi
exit 0
