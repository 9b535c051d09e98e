"""Shared helpers of the benchmark scripts: machine facts, load, a CPU reference, texts, JSON output.

Every benchmark reports its figures as ratios against a reference measured in the same run,
because the machine is a shared 2-core box where absolute times move with other people's load.
The CPU reference (:func:`calibrate`) is a fixed pure-Python workload (tokenize, casefold, dict
lookups: the same kind of work extraction does) timed the same way before and after each
benchmark; dividing by it turns "ms per article" into "reference units per article", which is
comparable across runs and machines.
"""

from __future__ import annotations

import json
import os
import platform
import random
import re
import statistics
import sys
import time
from collections.abc import Iterable
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
TEXTS_DIR = BENCH_DIR / "texts"
RESULTS_DIR = BENCH_DIR / "results"
DEVSET_DIR = REPO / "tests" / "data" / "devset"

# ``run_all.py`` copies the ``streams`` package to a snapshot before it starts, and every benchmark
# process imports that copy: other people editing the working tree during a 30-minute run cannot
# make two processors of one comparison run different code.
CODE_ROOT = Path(os.environ["BENCH_CODE_SNAPSHOT"]) if os.environ.get("BENCH_CODE_SNAPSHOT") else REPO
if str(CODE_ROOT) not in sys.path:  # run as ``python bench/x.py`` from anywhere
    sys.path.insert(0, str(CODE_ROOT))


# ------------------------------------------------------------------------------ machine and load


def loadavg() -> list[float]:
    """The 1, 5 and 15 minute load averages from /proc/loadavg."""
    try:
        return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]
    except OSError:
        return list(os.getloadavg())


def cpu_model() -> str:
    """The CPU model name from /proc/cpuinfo (or the platform's processor string)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine_info() -> dict:
    """What the numbers were measured on: cores, CPU model, Python, OS, memory, load now."""
    mem_total = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_total = int(line.split()[1]) * 1024
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "cpu_model": cpu_model(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "mem_total_bytes": mem_total,
        "loadavg": loadavg(),
    }


def proc_status(pid: int | str = "self") -> dict[str, int]:
    """VmRSS and VmHWM (peak resident set) of a process, in bytes, from /proc/<pid>/status."""
    out: dict[str, int] = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(rest.split()[0]) * 1024
    except OSError:
        pass
    return out


def proc_cpu_seconds(pid: int | str = "self") -> float:
    """User + system CPU time of a process so far (from /proc/<pid>/stat), in seconds."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


# ------------------------------------------------------------------------------ CPU reference

_CAL_TEXT = (
    "Government warplanes struck a market in the town of Maarat al-Numan in Idlib province on "
    "Tuesday, killing at least 14 civilians, including five children, and wounding 30 others, a "
    "monitoring group said. The army said it targeted militant positions near the Turkish border. "
) * 4
_CAL_WORD = re.compile(r"\w+")


def _cal_once() -> int:
    counts: dict[str, int] = {}
    for m in _CAL_WORD.finditer(_CAL_TEXT):
        w = m.group().casefold()
        counts[w] = counts.get(w, 0) + 1
        if len(w) > 3 and w[:3] in counts:
            counts[w[:3]] += 1
    return len(counts)


def calibrate(seconds: float = 0.6) -> dict:
    """Time the fixed reference workload (one unit = one ``_cal_once``), in CPU and wall seconds.

    CPU time (``time.process_time``) is the reference: on a shared machine it barely moves when
    other processes take the core away, where wall time moves with them. Best of the batches
    rather than the mean, because interference only ever makes a batch slower.
    """
    _cal_once()
    per_batch = 50
    cpu: list[float] = []
    wall: list[float] = []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline or len(cpu) < 5:
        c0, t0 = time.process_time(), time.perf_counter()
        for _ in range(per_batch):
            _cal_once()
        cpu.append((time.process_time() - c0) / per_batch)
        wall.append((time.perf_counter() - t0) / per_batch)
    return {"unit_cpu_seconds": statistics.median(sorted(cpu)[: max(1, len(cpu) // 2)]),
            "unit_wall_seconds_best": min(wall), "batches": len(cpu)}


# ------------------------------------------------------------------------------ statistics


def percentile(values: list[float], q: float) -> float | None:
    """The ``q`` quantile (0..1) of ``values`` by linear interpolation, None when empty."""
    if not values:
        return None
    s = sorted(values)
    if len(s) == 1:
        return s[0]
    pos = q * (len(s) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


def ratio(a: float | None, b: float | None) -> float | None:
    """a / b rounded to 3 decimals, None when either is missing or b is 0."""
    if a is None or b in (None, 0):
        return None
    return round(a / b, 3)


# ------------------------------------------------------------------------------ texts


def _paragraph_pool(lang: str) -> list[tuple[str, str | None]]:
    """(paragraph, published_at) in a fixed order: our wire-style stories, then dev-set sentences.

    The stories (``bench/texts/<lang>.stories.jsonl``) were written for the benchmark; the dev-set
    sentences (``tests/data/devset/<lang>.jsonl``) are grouped by three into paragraphs, so long
    articles read like a wire digest of several reports rather than one sentence repeated.
    """
    pool: list[tuple[str, str | None]] = []
    stories = TEXTS_DIR / f"{lang}.stories.jsonl"
    for line in stories.read_text(encoding="utf-8").splitlines():
        if line.strip():
            story = json.loads(line)
            pool.extend((p, story.get("published_at")) for p in story["paragraphs"])
    dev = DEVSET_DIR / f"{lang}.jsonl"
    if dev.exists():
        cases = [json.loads(line) for line in dev.read_text(encoding="utf-8").splitlines() if line.strip()]
        for i in range(0, len(cases) - 2, 3):
            group = cases[i : i + 3]
            pool.append((" ".join(c["text"] for c in group), group[0].get("published_at")))
    return pool


def build_articles(lang: str, size_bytes: int, count: int, seed: int = 7) -> list[dict]:
    """``count`` raw articles of about ``size_bytes`` UTF-8 bytes of text, deterministic for a seed.

    Each article starts at a random paragraph of the pool and takes the following paragraphs
    (wrapping round) until the next one would overshoot the size by more than it undershoots;
    a paragraph longer than the size is cut at the last sentence end (else word) that fits.
    """
    pool = _paragraph_pool(lang)
    rng = random.Random(f"{seed}-{lang}-{size_bytes}")
    articles = []
    for n in range(count):
        i = rng.randrange(len(pool))
        parts: list[str] = []
        size = 0
        published = pool[i][1]
        while True:
            para = pool[i % len(pool)][0]
            add = len(para.encode()) + (2 if parts else 0)
            if parts and size + add - size_bytes > size_bytes - size:
                break
            if not parts and add > size_bytes * 1.2:
                para = _cut(para, size_bytes)
                add = len(para.encode())
            parts.append(para)
            size += add
            i += 1
            if size >= size_bytes:
                break
        text = "\n\n".join(parts)
        if len(text.encode()) > size_bytes * 1.25:
            text = _cut(text, size_bytes)
        articles.append({
            "id": f"bench-{lang}-{size_bytes}-{n}",
            "lang": lang,
            "published_at": published or "2019-01-01T12:00:00Z",
            "text": text,
        })
    return articles


def _cut(text: str, size_bytes: int) -> str:
    """The longest prefix of ``text`` within ``size_bytes`` bytes that ends a sentence (else a word)."""
    head = text.encode()[:size_bytes].decode("utf-8", errors="ignore")
    for end in (". ", "، ", "; ", " "):
        pos = head.rfind(end)
        if pos > len(head) // 2:
            return head[: pos + 1].strip()
    return head


def text_stats(articles: Iterable[dict]) -> dict:
    """Mean bytes, characters and words of the articles' texts."""
    arts = list(articles)
    return {
        "articles": len(arts),
        "mean_bytes": round(statistics.mean(len(a["text"].encode()) for a in arts), 1),
        "mean_chars": round(statistics.mean(len(a["text"]) for a in arts), 1),
        "mean_words": round(statistics.mean(len(a["text"].split()) for a in arts), 1),
    }


# ------------------------------------------------------------------------------ output


def write_result(name: str, data: dict, out_dir: Path | None = None) -> Path:
    """Write ``data`` (with the machine facts and the time) as ``<out_dir>/<name>.json``."""
    out_dir = Path(out_dir) if out_dir else RESULTS_DIR
    out_dir.mkdir(parents=True, exist_ok=True)
    payload = {
        "benchmark": name,
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": machine_info(),
        "code": {"git": os.environ.get("BENCH_CODE_GIT") or git_revision(),
                 "snapshot_digest": os.environ.get("BENCH_CODE_DIGEST"),
                 "imported_from": str(CODE_ROOT)},
        **data,
    }
    path = out_dir / f"{name}.json"
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return path


def git_revision() -> str | None:
    """The repository's HEAD commit (and '+dirty' when extraction code has uncommitted changes)."""
    import subprocess

    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                              text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "streams"], cwd=REPO, capture_output=True,
                               text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return head + ("+dirty" if dirty else "") if head else None
