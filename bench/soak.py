"""Soak: a real worker on the real broker at a steady rate for minutes; its memory must stay flat.

``python bench/soak.py`` (default 10 minutes) starts the broker the settings name (the local one
unless ``KAFKA_BOOTSTRAP_SERVERS`` is set), creates topics of its own, starts one ``streams
worker`` process, and produces varied articles (:func:`make_articles`: English and Arabic
incident reports, unrelated news, a few malformed records) at ``--rate`` articles per second.
Every ``--sample-every`` seconds it records the worker's resident memory (``VmRSS`` from
``/proc/<pid>/status``) and how many records came out. At the end it writes
``bench/results/soak.json`` and exits non-zero when memory grew more than ``--max-growth``
(10%) after the warm-up, when the worker fell behind (outputs not caught up at the end), or when
the worker died.

Growth is measured on medians of the first and last fifth of the post-warm-up samples, so a
single garbage-collection peak does not decide the verdict.

The same generator feeds ``tests/integration/test_faults.py``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # run as ``python bench/soak.py`` from anywhere
    sys.path.insert(0, str(REPO))

import orjson  # noqa: E402

RESULTS = REPO / "bench" / "results"

# ------------------------------------------------------------------------------ the workload

# (English name, Arabic name, what the English text calls the country or province)
PLACES = [
    ("Douma", "دوما", "Syria"), ("Aleppo", "حلب", "Syria"), ("Idlib", "إدلب", "Syria"),
    ("Homs", "حمص", "Syria"), ("Hama", "حماة", "Syria"), ("Daraa", "درعا", "Syria"),
    ("Raqqa", "الرقة", "Syria"), ("Mosul", "الموصل", "Iraq"), ("Baghdad", "بغداد", "Iraq"),
    ("Kirkuk", "كركوك", "Iraq"), ("Taiz", "تعز", "Yemen"), ("Sanaa", "صنعاء", "Yemen"),
    ("Kabul", "كابول", "Afghanistan"), ("Benghazi", "بنغازي", "Libya"), ("Tripoli", "طرابلس", "Libya"),
]
WEEKDAYS_EN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
WEEKDAYS_AR = ["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"]
# Incident reports: {place}, {country}, {day} (weekday of the event, the day before publication),
# {k} killed, {c} children among them, {w} wounded.
TEMPLATES_EN = [
    "Warplanes carried out several air strikes on {place} in {country} on {day}, killing {k} civilians "
    "including {c} children, the Syrian Observatory for Human Rights said.",
    "At least {k} people were killed and {w} wounded when air strikes hit a market in {place}, {country}, "
    "on {day}, local medics said.",
    "{place}, {country} - An air raid on a residential district of {place} killed {k} people on {day}, "
    "among them {c} children, rescuers said. More than {w} others were wounded.",
]
TEMPLATES_AR = [
    "قتل {k} مدنيين بينهم {c} أطفال في غارات جوية على {place} يوم {day}، وفق ما أفاد المرصد السوري "
    "لحقوق الإنسان.",
    "أسفرت غارات جوية على سوق في {place} يوم {day} عن مقتل {k} أشخاص وإصابة {w} آخرين بجروح، بحسب مصادر طبية.",
]
NOISE_EN = [
    "The central bank kept interest rates unchanged on {day}, citing stable inflation; analysts expect a cut.",
    "The football club of {place} won its league match on {day} in front of a record crowd.",
    "A trade fair opened in {place} on {day}, with more than {w} companies showing their products.",
]
NOISE_AR = [
    "افتتح معرض للكتاب في {place} يوم {day} بمشاركة {w} دار نشر من عدة دول.",
    "أعلن البنك المركزي يوم {day} إبقاء أسعار الفائدة دون تغيير.",
]
# Records no worker can process, each with the DLQ kind it must get.
MALFORMED = [
    (b"this is not json {", "not_json"),
    (b'{"id": "%s", "text": 42}', "schema"),
    (b'{"id": "%s"}', "empty_text"),
    (b'{"id": "%s", "text": "  "}', "empty_text"),
    (b"\xff\xfe\x00\x01binary", "invalid_utf8"),
    (b'{"id": "%s", "text": "x", "published_at": "yesterday-ish"}', "schema"),
    (b'["an", "array"]', "schema"),
]
BASE_DAY = date(2018, 1, 1)


@dataclass
class Workload:
    """Generated input: the records to produce and what the outputs must contain."""

    records: list[tuple[bytes, bytes]] = field(default_factory=list)  # (key, value); keys are unique labels
    good: set[str] = field(default_factory=set)  # labels (= article ids) of well-formed articles
    bad: dict[str, str] = field(default_factory=dict)  # label -> expected DLQ kind
    events: int = 0  # real-world incidents the reports describe


def make_articles(prefix: str, count: int, *, seed: int = 0, reports_per_event: int = 6,
                  noise_every: int = 7, bad_every: int = 0) -> Workload:
    """``count`` records for topic ``articles.raw``: varied reports of a few real-world incidents.

    Each incident (a place and a day, a new day per incident so no two are the same event) is
    reported by about ``reports_per_event`` articles, in English and Arabic, with different
    wording and tolls; every ``noise_every``-th article is unrelated news; every ``bad_every``-th
    record (0: none) is malformed. Record keys are unique labels (the article id for articles),
    so a test can account for every record among the outputs. Deterministic for a given seed.
    """
    rng = random.Random(seed)
    work = Workload()
    event = -1
    reports_left = 0
    for i in range(count):
        label = f"{prefix}-{i:06d}"
        if bad_every and i % bad_every == bad_every - 1:
            raw, kind = MALFORMED[(i // bad_every) % len(MALFORMED)]
            value = raw % label.encode() if b"%s" in raw else raw
            work.records.append((label.encode(), value))
            work.bad[label] = kind
            continue
        noise = noise_every and i % noise_every == noise_every - 1
        if not noise and reports_left == 0:
            event += 1
            reports_left = max(1, reports_per_event + rng.randint(-2, 2))
        day = BASE_DAY + timedelta(days=event if event >= 0 else 0)
        place_en, place_ar, country = PLACES[(event if not noise else rng.randrange(len(PLACES))) % len(PLACES)]
        lang = "ar" if rng.random() < 0.4 else "en"
        values = {
            "k": rng.randint(3, 60), "c": rng.randint(1, 3), "w": rng.randint(5, 90),
            "place": place_ar if lang == "ar" else place_en, "country": country,
            "day": (WEEKDAYS_AR if lang == "ar" else WEEKDAYS_EN)[day.weekday()],
        }
        if noise:
            text = rng.choice(NOISE_AR if lang == "ar" else NOISE_EN).format(**values)
        else:
            text = rng.choice(TEMPLATES_AR if lang == "ar" else TEMPLATES_EN).format(**values)
            reports_left -= 1
        published = datetime(day.year, day.month, day.day, 10, tzinfo=UTC) + timedelta(days=1, minutes=i % 600)
        article = {
            "id": label, "lang": lang, "text": text, "source": f"soak-source-{i % 5}",
            "published_at": published.isoformat().replace("+00:00", "Z"),
        }
        work.records.append((label.encode(), orjson.dumps(article)))
        work.good.add(label)
    work.events = event + 1
    return work


# ------------------------------------------------------------------------------ measuring


def rss_bytes(pid: int) -> int | None:
    """Resident memory of ``pid`` (``VmRSS`` in ``/proc/<pid>/status``), or None if it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def growth(samples: list[dict], warmup_s: float) -> dict:
    """Memory growth after the warm-up: median RSS of the last fifth over that of the first fifth."""
    after = [s["rss_bytes"] for s in samples if s["t"] >= warmup_s and s["rss_bytes"]]
    if len(after) < 5:
        return {"samples_after_warmup": len(after), "growth": None}
    fifth = max(1, len(after) // 5)
    first, last = statistics.median(after[:fifth]), statistics.median(after[-fifth:])
    return {
        "samples_after_warmup": len(after),
        "rss_first_fifth_median_bytes": int(first),
        "rss_last_fifth_median_bytes": int(last),
        "rss_min_bytes": min(after),
        "rss_max_bytes": max(after),
        "growth": round(last / first - 1.0, 4),
    }


async def _output_count(settings, topics: list[str]) -> int:
    from streams.kafka_io import end_offsets

    total = 0
    for topic in topics:
        total += sum((await end_offsets(settings, topic)).values())
    return total


def _topic_env(tag: str) -> dict[str, str]:
    return {
        "STREAMS_APP_ID": f"soak-{tag}",
        "STREAMS_TOPIC_RAW": f"soak-{tag}.articles.raw",
        "STREAMS_TOPIC_ENRICHED": f"soak-{tag}.articles.enriched",
        "STREAMS_TOPIC_INCIDENTS": f"soak-{tag}.incidents",
        "STREAMS_TOPIC_DLQ": f"soak-{tag}.articles.dlq",
        "STREAMS_TOPIC_CONSOLIDATED": f"soak-{tag}.incidents.consolidated",
        "STREAMS_PARTITIONS": "2",
    }


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_ready(proc: subprocess.Popen, port: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"worker exited with {proc.returncode} before it was ready")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/ready", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"worker not ready after {timeout:.0f}s")


def run_soak(minutes: float, rate: float, sample_every: float, warmup_s: float, max_growth: float,
             out: Path, log_path: Path) -> int:
    """Run the soak; write the results file; return the process exit code (0: memory flat)."""
    from streams.broker import ensure_broker
    from streams.kafka_io import ensure_topics, produce
    from streams.settings import Settings

    tag = uuid.uuid4().hex[:8]
    env = dict(os.environ)
    env.update(_topic_env(tag))
    env["STREAMS_WEB_PORT"] = str(_free_port())
    settings = Settings.from_env(env)
    if settings.uses_local_broker:
        ensure_broker(settings)
    env["KAFKA_BOOTSTRAP_SERVERS"] = settings.brokers
    asyncio.run(ensure_topics(settings, settings.topics, compacted=[settings.topic_consolidated]))

    duration = minutes * 60.0
    # Enough distinct articles for the whole run (ids never repeat: every one is new input).
    work = make_articles(f"soak-{tag}", int(duration * rate) + 10, seed=11, bad_every=50)
    log = open(log_path, "ab")  # noqa: SIM115 - the child writes to it for its lifetime
    proc = subprocess.Popen([sys.executable, "-m", "streams", "worker", "--no-start-broker"], env=env,
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    samples: list[dict] = []
    produced = 0
    outputs_topics = [settings.topic_enriched, settings.topic_dlq]
    verdict: dict = {}
    started_wall = time.time()
    ready_rss = None
    try:
        _wait_ready(proc, int(env["STREAMS_WEB_PORT"]), 180)
        ready_rss = rss_bytes(proc.pid)
        t0 = time.monotonic()
        next_sample = 0.0
        batch_every = 0.5  # produce in half-second batches: a steady rate without a send per article
        loop = asyncio.new_event_loop()
        while True:
            now = time.monotonic() - t0
            if now >= duration:
                break
            due = min(len(work.records), int((now + batch_every) * rate))
            if due > produced:
                loop.run_until_complete(produce(settings, settings.topic_raw, work.records[produced:due]))
                produced = due
            if now >= next_sample:
                rss = rss_bytes(proc.pid)
                if rss is None or proc.poll() is not None:
                    verdict["worker_died_at_s"] = round(now, 1)
                    break
                done = loop.run_until_complete(_output_count(settings, outputs_topics))
                samples.append({"t": round(now, 1), "rss_bytes": rss, "produced": produced, "outputs": done})
                print(f"[soak] t={now:6.1f}s rss={rss / 2**20:7.1f} MiB produced={produced} outputs={done}",
                      flush=True)
                next_sample += sample_every
            time.sleep(max(0.0, min(batch_every, t0 + next_sample - time.monotonic())))
        # Let the worker drain what was produced: a worker that keeps up finishes within seconds.
        drain_deadline = time.monotonic() + 60
        done = 0
        while time.monotonic() < drain_deadline and proc.poll() is None:
            done = loop.run_until_complete(_output_count(settings, outputs_topics))
            if done >= produced:
                break
            time.sleep(1)
        loop.close()
        verdict["outputs_at_end"] = done
        verdict["caught_up"] = done >= produced
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)
        log.close()
    mem = growth(samples, warmup_s)
    ok = (
        "worker_died_at_s" not in verdict
        and verdict.get("caught_up", False)
        and mem["growth"] is not None
        and mem["growth"] <= max_growth
    )
    result = {
        "benchmark": "soak",
        "started_at": datetime.fromtimestamp(started_wall, UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "minutes": minutes,
        "rate_per_s": rate,
        "sample_every_s": sample_every,
        "warmup_s": warmup_s,
        "max_growth": max_growth,
        "produced": produced,
        "malformed_every": 50,
        "worker_rss_at_ready_bytes": ready_rss,
        **verdict,
        "memory": mem,
        "passed": ok,
        "samples": samples,
        "broker": settings.brokers,
        "cpus": os.cpu_count(),
        "loadavg_at_end": list(os.getloadavg()),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"[soak] produced={produced} outputs={verdict.get('outputs_at_end')} growth={mem['growth']} "
          f"passed={ok} -> {out}", flush=True)
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    """Command line of the soak run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="how long to produce (default 10)")
    parser.add_argument("--rate", type=float, default=25.0, help="articles per second (default 25)")
    parser.add_argument("--sample-every", type=float, default=5.0, help="seconds between RSS samples")
    parser.add_argument("--warmup", type=float, default=None,
                        help="seconds of warm-up excluded from the growth (default: a fifth of the run, at most 120)")
    parser.add_argument("--max-growth", type=float, default=0.10, help="largest RSS growth allowed (0.10 = 10%%)")
    parser.add_argument("--output", type=Path, default=None, help="results file (default bench/results/soak.json)")
    parser.add_argument("--log", type=Path, default=None, help="worker log file (default: a temporary file)")
    args = parser.parse_args(argv)
    warmup = args.warmup if args.warmup is not None else min(120.0, args.minutes * 60 / 5)
    out = args.output or RESULTS / "soak.json"
    log_path = args.log or Path(tempfile.mkdtemp(prefix="soak-")) / "worker.log"
    print(f"[soak] worker log: {log_path}", flush=True)
    return run_soak(args.minutes, args.rate, args.sample_every, warmup, args.max_growth, out, log_path)


def iter_labels(work: Workload) -> Iterator[str]:
    """Every record label of a workload, in produce order."""
    return (key.decode() for key, _ in work.records)


if __name__ == "__main__":
    sys.exit(main())
