#!/usr/bin/env bash
# Set up a fresh machine for this project: a virtualenv with the package and its dev tools, the
# Prometheus server (Debian package, for the observability tests), and the gazetteer index.
# Idempotent: a second run only checks. Kafka jars are resolved by `streams broker start` itself.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "== creating .venv"
  "$PYTHON" -m venv .venv
fi
if ! .venv/bin/python -c "import streams, faust, pytest, ruff" 2>/dev/null \
   || [ pyproject.toml -nt .venv/.installed ]; then
  echo "== installing the package and dev tools"
  .venv/bin/pip install -q --upgrade pip
  .venv/bin/pip install -q -e ".[dev]"
  touch .venv/.installed
fi

# The extraction modules compiled with mypyc (scripts/compile_extract.py): about 1.5x the
# articles per CPU-second, the same output (the build verifies that, or removes itself). On by
# default; STREAMS_COMPILE=0 skips it. Rebuilt only when missing or stale. Without a C compiler,
# or if the build fails, everything runs as plain Python: that is a warning, not an error.
if [ "${STREAMS_COMPILE:-1}" = "1" ]; then
  if ! .venv/bin/python -W error::RuntimeWarning -c \
      "import streams.extract.places as p, sys; sys.exit(not p.__file__.endswith(('.so', '.pyd')))" 2>/dev/null; then
    echo "== compiling the extraction modules (mypyc, a few minutes; STREAMS_COMPILE=0 skips)"
    if { .venv/bin/python -c "import mypyc" 2>/dev/null || .venv/bin/pip install -q "mypy>=1.10"; } \
        && .venv/bin/python scripts/compile_extract.py; then
      :
    else
      echo "!! the compiled build failed: extraction runs as plain Python (slower, same output)" >&2
    fi
  fi
fi

if ! command -v prometheus >/dev/null 2>&1 || ! command -v promtool >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "== installing Prometheus (Debian package)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus >/dev/null
    # The package starts a system service; tests run their own server on a free port.
    (service prometheus stop || systemctl stop prometheus || pkill -x prometheus) >/dev/null 2>&1 || true
  else
    echo "!! prometheus/promtool missing and cannot apt-get install (not root): observability tests will fail" >&2
  fi
fi

for tool in java mvn; do
  command -v "$tool" >/dev/null 2>&1 || { echo "!! $tool is required for the local Kafka broker" >&2; exit 1; }
done

echo "== gazetteer index"
.venv/bin/streams gazetteer build
