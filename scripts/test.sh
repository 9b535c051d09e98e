#!/usr/bin/env bash
# The test command: set up, lint, run every test against a real Kafka broker and Prometheus,
# and clean up. Extra arguments go to pytest (e.g. scripts/test.sh -k douma).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

echo "== ruff"
.venv/bin/ruff check .

# The tests' own broker: its own port and data directory, stopped on exit whatever happens.
export STREAMS_LOCAL_BROKER_PORT=${STREAMS_LOCAL_BROKER_PORT:-19192}
export STREAMS_DATA_DIR=${STREAMS_DATA_DIR:-$PWD/.cache/test-data}
cleanup() { .venv/bin/streams broker stop >/dev/null 2>&1 || true; }
trap cleanup EXIT
if [ -z "${KAFKA_BOOTSTRAP_SERVERS:-}" ]; then
  echo "== starting the local Kafka broker"
  .venv/bin/streams broker start
fi

echo "== pytest"
set +e
.venv/bin/python -m pytest -p no:cacheprovider -ra "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "!! pytest collected no tests: failing on purpose" >&2
  exit 1
fi
exit "$status"
