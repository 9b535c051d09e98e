"""Run every benchmark, then rewrite the tables of BENCHMARKS.md from the JSON results.

    KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:19192 python bench/run_all.py [--geovirus PATH]
    python bench/run_all.py --only extraction          # one benchmark, then the tables
    python bench/run_all.py --report-only              # just re-render BENCHMARKS.md

Each benchmark runs as its own process with a hard time limit, one after the other (running them
together would make them measure each other). All of them import one snapshot of the ``streams``
package, copied when the run starts, so edits to the working tree during the run cannot make two
sides of a comparison run different code. A benchmark that fails or times out keeps its
previous JSON and the others still run; the exit status says whether all succeeded.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import BENCH_DIR, REPO, loadavg
from report import DOC, render

# name -> (script, hard time limit in seconds)
BENCHMARKS = {
    "extraction": ("extraction.py", 1200),
    "streaming": ("streaming.py", 2400),
    "scaling": ("scaling.py", 1200),
}


def snapshot_code() -> tuple[Path, str]:
    """Copy the ``streams`` package (and ``schemas/``) to a temporary folder; return it and a digest."""
    root = Path(tempfile.mkdtemp(prefix="bench-code-"))
    for folder in ("streams", "schemas"):  # the package, and the JSON Schemas it loads from the repository
        shutil.copytree(REPO / folder, root / folder, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    h = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file():
            h.update(str(path.relative_to(root)).encode())
            h.update(path.read_bytes())
    return root, h.hexdigest()[:12]


def main(argv: list[str] | None = None) -> int:
    """Run the chosen benchmarks in turn, then render the report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default=",".join(BENCHMARKS), help="comma-separated subset")
    parser.add_argument("--geovirus", type=Path, default=None, help="GeoVirus.xml for the extraction benchmark")
    parser.add_argument("--report-only", action="store_true")
    parser.add_argument("--live", action="store_true",
                        help="import the working tree's code directly instead of a snapshot taken at the start")
    args = parser.parse_args(argv)
    failed = []
    snapshot = None
    if not args.report_only and not args.live:
        snapshot, digest = snapshot_code()
        os.environ["BENCH_CODE_SNAPSHOT"] = str(snapshot)
        os.environ["BENCH_CODE_DIGEST"] = digest
        from common import git_revision

        os.environ["BENCH_CODE_GIT"] = git_revision() or ""  # the commit the snapshot was taken from
        os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(snapshot), os.environ.get("PYTHONPATH")]))
        print(f"== code snapshot {digest} in {snapshot}", file=sys.stderr)
    if not args.report_only:
        for name in [n for n in args.only.split(",") if n]:
            script, limit = BENCHMARKS[name]
            cmd = [sys.executable, str(BENCH_DIR / script)]
            if name == "extraction" and args.geovirus:
                cmd += ["--geovirus", str(args.geovirus)]
            print(f"== {name} (load {' '.join(map(str, loadavg()))}, limit {limit}s)", file=sys.stderr, flush=True)
            t0 = time.perf_counter()
            proc = subprocess.Popen(cmd)
            try:
                code = proc.wait(timeout=limit)
            except subprocess.TimeoutExpired:
                # SIGINT first: the benchmark's clean-up stops its workers and deletes its topics.
                proc.send_signal(signal.SIGINT)
                try:
                    proc.wait(timeout=90)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
                code = "timeout"
            print(f"== {name}: {code} in {time.perf_counter() - t0:.0f}s", file=sys.stderr, flush=True)
            if code != 0:
                failed.append(name)
    if snapshot is not None:
        shutil.rmtree(snapshot, ignore_errors=True)
    DOC.write_text(render(DOC.read_text()))
    print(f"rewrote {DOC}", file=sys.stderr)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
