#!/usr/bin/env bash
# The main job on a fresh machine: set up, then a local broker, the worker, the sample articles
# in and incidents out. Extra arguments go to `streams demo` (e.g. --once).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/streams demo "$@"
