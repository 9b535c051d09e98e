"""The extraction benchmark runs end to end in its tiny mode and writes a complete result file.

Not a benchmark: a few articles, one pass, no baselines (they are an optional extra), so it
proves the script and its JSON contract work without timing anything that matters.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "bench" / "extraction.py"


@pytest.fixture(scope="module")
def tiny_result(tmp_path_factory) -> dict:
    """Run ``bench/extraction.py --tiny`` once and return its JSON."""
    out = tmp_path_factory.mktemp("bench")
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--tiny", "--baselines", "", "--out", str(out)],
        capture_output=True, text=True, timeout=240, cwd=REPO,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    # One file, named after the build that ran (the compiled one is kept beside the pure one).
    [path] = sorted(out.glob("extraction*.json"))
    result = json.loads(path.read_text())
    assert path.name == {"python": "extraction.json", "mypyc": "extraction_mypyc.json"}[result["build"]]
    return result


@pytest.mark.parametrize("cell", ["ar-512", "ar-2048", "ar-8192", "en-512", "en-2048", "en-8192"])
def test_bench_smoke_every_cell_timed(tiny_result: dict, cell: str) -> None:
    """Each language and size is timed: positive speed, stage times that add up, real text sizes."""
    data = tiny_result["speed"][cell]
    ours = data["systems"]["ours"]
    assert ours["articles_per_s"] > 0 and ours["articles_per_cpu_s"] > 0
    assert data["stages_ms"]["places"] > 0
    size = int(cell.split("-")[1])
    assert 0.6 * size <= data["texts"]["mean_bytes"] <= 1.3 * size


def test_bench_smoke_records_machine_startup_and_accuracy(tiny_result: dict) -> None:
    """The result carries the machine, the load, start-up and memory from a fresh process, and accuracy."""
    machine = tiny_result["machine"]
    assert machine["nproc"] >= 1 and machine["cpu_model"] and machine["python"]
    assert len(tiny_result["load_before"]) == 3
    startup = tiny_result["startup"]["ours"]
    assert 0 < startup["ready_s_median"] <= startup["ready_and_warm_s_median"]
    assert startup["rss_bytes"] > 10_000_000
    assert 0.0 <= tiny_result["accuracy_devset"]["systems"]["ours"]["within_161km"] <= 1.0
    assert tiny_result["reference"]["unit_seconds"] > 0
