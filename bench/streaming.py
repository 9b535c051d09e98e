"""Streaming benchmark on the real broker: the Faust worker against plain aiokafka loops.

    KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:19192 python bench/streaming.py     # ~12 min, results/streaming.json
    python bench/streaming.py --modes faust --point-seconds 10            # quicker, one mode

Four processors, each a subprocess on fresh topics (4 partitions) and its own consumer group:

* ``faust``: ``streams worker`` (the product: enrich and consolidate agents);
* ``loop``: ``bench/plain_loop.py --mode extract``, a plain aiokafka consume-transform-produce
  loop running the same ``process_record``: the ceiling for Python on this broker;
* ``noop``: the same loop forwarding each record without extraction: the transport ceiling;
* ``faust-enrich``: ``bench/faust_enrich_only.py``, the worker's Faust configuration with only the
  enrich agent, so that Faust's own cost and the consolidation's can be told apart.

For each: the **capacity** (a burst of records produced as fast as possible; the output rate
between the 10th and 90th percentile arrival), then **steady input rates** at fractions of that
capacity for a fixed time each, measuring latency from the input record's timestamp (set by the
benchmark's producer when it sends) to the moment the benchmark's consumer receives the enriched
record (p50/p95/p99), and the processor's own CPU use. A rate is **sustained** when at least 99%
of its records arrive within the grace period and the queue does not grow (median latency of the
last quarter of the records within 0.5 s of the first quarter's). The highest sustained rate is
the maximum sustainable rate; a last point runs at half of it, where the p99 goal applies.
Every run is bounded (time per point, grace, deadlines) and the topics are deleted afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import orjson
from common import (
    BENCH_DIR,
    build_articles,
    loadavg,
    percentile,
    proc_cpu_seconds,
    proc_status,
    ratio,
    write_result,
)

from streams.broker import broker_answers
from streams.kafka_io import client_options
from streams.settings import Settings

PARTITIONS = 4
GOAL_FAUST_SHARE = 0.80
GOAL_P99_S = 0.250
FRACTIONS = (0.25, 0.5, 0.75, 0.9, 1.1)


# ------------------------------------------------------------------------------ processes


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_env(tag: str, partitions: int = PARTITIONS) -> dict[str, str]:
    """Environment naming fresh topics and a fresh consumer group (all names carry ``tag``)."""
    return {
        "STREAMS_APP_ID": f"{tag}",
        "STREAMS_TOPIC_RAW": f"{tag}.articles.raw",
        "STREAMS_TOPIC_ENRICHED": f"{tag}.articles.enriched",
        "STREAMS_TOPIC_INCIDENTS": f"{tag}.incidents",
        "STREAMS_TOPIC_DLQ": f"{tag}.articles.dlq",
        "STREAMS_TOPIC_CONSOLIDATED": f"{tag}.incidents.consolidated",
        "STREAMS_PARTITIONS": str(partitions),
        "STREAMS_LOG_LEVEL": "warning",
    }


@dataclass
class Processor:
    """A running processor subprocess (Faust worker or plain loop)."""

    mode: str
    proc: subprocess.Popen
    log_path: Path
    ready_s: float = 0.0
    web_port: int | None = None

    def log_tail(self, lines: int = 30) -> str:
        """The last lines of the processor's log (for error messages)."""
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def cpu_seconds(self) -> float:
        """CPU time the processor has used so far."""
        return proc_cpu_seconds(self.proc.pid)

    def stop(self, timeout: float = 20.0) -> None:
        """SIGTERM, then SIGKILL after ``timeout`` (this process only, by its pid)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)


def _die_with_parent() -> None:
    """In the child: ask Linux to SIGTERM it when the benchmark process dies, however it dies.

    So a benchmark killed by its time limit never leaves a worker running. (Call start_processor
    from the main thread: the signal follows the thread that spawned the child.)
    """
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def start_processor(mode: str, env_overrides: dict[str, str], work_dir: Path, wait: float = 240.0) -> Processor:
    """Start a processor and wait until it is ready (Faust: /ready answers 200; loops: READY)."""
    env = dict(os.environ)
    env.update(env_overrides)
    env["STREAMS_DATA_DIR"] = str(work_dir / "data")
    port = free_port()
    env["STREAMS_WEB_PORT"] = str(port)
    log_path = work_dir / f"{mode}-{env_overrides['STREAMS_APP_ID']}-{port}.log"
    if mode == "faust":
        cmd = [sys.executable, "-m", "streams", "worker", "--no-start-broker"]
    elif mode == "faust-enrich":
        cmd = [sys.executable, str(BENCH_DIR / "faust_enrich_only.py")]
    else:
        cmd = [sys.executable, str(BENCH_DIR / "plain_loop.py"), "--mode", "noop" if mode == "noop" else "extract"]
    log = open(log_path, "wb")  # noqa: SIM115 - the child writes to it for its lifetime
    t0 = time.perf_counter()
    # cwd: a scratch folder, because ``python -m`` puts the cwd first on sys.path, ahead of the
    # code snapshot (see common.CODE_ROOT).
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                            preexec_fn=_die_with_parent, cwd=work_dir)
    handle = Processor(mode, proc, log_path, web_port=port)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{mode} exited with {proc.returncode}:\n{handle.log_tail()}")
        if mode == "faust":
            with contextlib.suppress(OSError), urllib.request.urlopen(
                f"http://127.0.0.1:{port}/ready", timeout=2
            ) as resp:
                if resp.status == 200:
                    handle.ready_s = time.perf_counter() - t0
                    return handle
        elif b"READY" in log_path.read_bytes():
            handle.ready_s = time.perf_counter() - t0
            return handle
        time.sleep(0.1)
    handle.stop()
    raise RuntimeError(f"{mode} not ready after {wait}s:\n{handle.log_tail()}")


# ------------------------------------------------------------------------------ kafka helpers


async def create_topics(settings: Settings, names: list[str], partitions: int) -> None:
    """Create ``names`` with ``partitions`` partitions (replication 1)."""
    from aiokafka.admin import AIOKafkaAdminClient, NewTopic
    from aiokafka.errors import TopicAlreadyExistsError

    admin = AIOKafkaAdminClient(**client_options(settings))
    await admin.start()
    try:
        with contextlib.suppress(TopicAlreadyExistsError):
            await admin.create_topics([NewTopic(n, partitions, 1) for n in names])
    finally:
        await admin.close()


async def delete_topics(settings: Settings, tag: str) -> list[str]:
    """Delete every topic whose name contains ``tag`` (ours: unique per run); return their names."""
    from aiokafka.admin import AIOKafkaAdminClient

    admin = AIOKafkaAdminClient(**client_options(settings))
    await admin.start()
    try:
        names = [t for t in await admin.list_topics() if tag in t]
        if names:
            with contextlib.suppress(Exception):
                await admin.delete_topics(names)
        return names
    finally:
        await admin.close()


@dataclass
class Meter:
    """Reads the output topics from their end and notes when each key arrives (wall clock)."""

    settings: Settings
    topics: list[str]
    arrivals: dict[bytes, tuple[float, float]] = field(default_factory=dict)  # key -> (received, output ts)
    _task: asyncio.Task | None = None
    _consumer: object = None

    async def start(self) -> None:
        """Assign every partition of the output topics at their end and start reading."""
        from aiokafka import AIOKafkaConsumer, TopicPartition

        consumer = AIOKafkaConsumer(enable_auto_commit=False, fetch_max_wait_ms=100,
                                    max_partition_fetch_bytes=4 << 20, **client_options(self.settings))
        await consumer.start()
        tps = []
        for topic in self.topics:
            parts = None
            for _ in range(50):
                parts = consumer.partitions_for_topic(topic)
                if parts:
                    break
                await consumer._client.force_metadata_update()
                await asyncio.sleep(0.1)
            tps += [TopicPartition(topic, p) for p in sorted(parts or ())]
        consumer.assign(tps)
        await consumer.seek_to_end(*tps)
        for tp in tps:  # resolve the end offsets now, not lazily after the first records arrive
            await consumer.position(tp)
        self._consumer = consumer
        self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        consumer = self._consumer
        while True:
            batch = await consumer.getmany(timeout_ms=50, max_records=2000)
            now = time.time()
            for records in batch.values():
                for rec in records:
                    if rec.key is not None:
                        self.arrivals.setdefault(rec.key, (now, rec.timestamp / 1000))

    async def wait_for(self, keys: list[bytes], deadline: float) -> None:
        """Return when every key has arrived or at ``deadline`` (time.monotonic)."""
        while time.monotonic() < deadline:
            if all(k in self.arrivals for k in keys[-50:]) and all(k in self.arrivals for k in keys):
                return
            await asyncio.sleep(0.1)

    async def stop(self) -> None:
        """Stop reading."""
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
        if self._consumer:
            await self._consumer.stop()


# ------------------------------------------------------------------------------ load generation


class Payloads:
    """Raw 2 KB articles, Arabic and English alternating, each sent under a fresh id."""

    def __init__(self, size: int = 2048, per_lang: int = 40) -> None:
        """Build the article templates once."""
        ar, en = build_articles("ar", size, per_lang), build_articles("en", size, per_lang)
        self.templates = [a for pair in zip(ar, en, strict=True) for a in pair]

    def record(self, prefix: str, seq: int) -> tuple[bytes, bytes]:
        """(key, value) of article number ``seq``."""
        art = dict(self.templates[seq % len(self.templates)])
        art["id"] = f"{prefix}-{seq}"
        key = art["id"].encode()
        return key, orjson.dumps(art)


async def produce_paced(producer, topic: str, payloads: Payloads, prefix: str, rate: float,
                        seconds: float) -> dict[bytes, float]:
    """Send at ``rate`` records/s for ``seconds``; return key -> send time (= record timestamp)."""
    sent: dict[bytes, float] = {}
    futures = []
    t0 = time.monotonic()
    i = 0
    while True:
        elapsed = time.monotonic() - t0
        if elapsed >= seconds:
            break
        due = min(int(elapsed * rate) + 1, int(seconds * rate))
        while i < due:
            key, value = payloads.record(prefix, i)
            now = time.time()
            futures.append(await producer.send(topic, value=value, key=key, timestamp_ms=int(now * 1000)))
            sent[key] = int(now * 1000) / 1000
            i += 1
        if len(futures) > 2000:
            await asyncio.gather(*futures)
            futures.clear()
        await asyncio.sleep(min(0.005, max(0.0, (i / rate) - (time.monotonic() - t0))))
    await asyncio.gather(*futures)
    return sent


async def produce_burst(producer, topic: str, payloads: Payloads, prefix: str, n: int) -> dict[bytes, float]:
    """Send ``n`` records as fast as the producer can; return key -> send time."""
    sent: dict[bytes, float] = {}
    futures = []
    for i in range(n):
        key, value = payloads.record(prefix, i)
        now = time.time()
        futures.append(await producer.send(topic, value=value, key=key, timestamp_ms=int(now * 1000)))
        sent[key] = int(now * 1000) / 1000
        if len(futures) >= 1000:
            await asyncio.gather(*futures)
            futures.clear()
    await asyncio.gather(*futures)
    return sent


def latency_stats(sent: dict[bytes, float], arrivals: dict[bytes, tuple[float, float]]) -> dict:
    """Delivery and latency figures of one run (seconds)."""
    keys = list(sent)
    e2e = [arrivals[k][0] - sent[k] for k in keys if k in arrivals]
    proc = [arrivals[k][1] - sent[k] for k in keys if k in arrivals]
    q = max(1, len(keys) // 4)
    first = [arrivals[k][0] - sent[k] for k in keys[:q] if k in arrivals]
    last = [arrivals[k][0] - sent[k] for k in keys[-q:] if k in arrivals]
    delivered = len(e2e)

    def r(x: float | None) -> float | None:
        return None if x is None else round(x, 4)

    return {
        "sent": len(keys),
        "delivered": delivered,
        "delivered_share": round(delivered / len(keys), 4) if keys else None,
        "latency_s": {"p50": r(percentile(e2e, 0.5)), "p95": r(percentile(e2e, 0.95)),
                      "p99": r(percentile(e2e, 0.99)), "max": r(max(e2e) if e2e else None),
                      "mean": r(statistics.mean(e2e) if e2e else None)},
        "processor_latency_s": {"p50": r(percentile(proc, 0.5)), "p99": r(percentile(proc, 0.99))},
        "first_quarter_p50_s": r(percentile(first, 0.5)),
        "last_quarter_p50_s": r(percentile(last, 0.5)),
    }


# ------------------------------------------------------------------------------ one processor


async def measure_capacity(producer, meter: Meter, topic: str, payloads: Payloads, prefix: str, n: int,
                           timeout: float, processors: list[Processor]) -> dict:
    """Throughput of the processors draining a burst of ``n`` records (10th to 90th percentile arrivals)."""
    cpu0 = [p.cpu_seconds() for p in processors]
    t0 = time.monotonic()
    sent = await produce_burst(producer, topic, payloads, prefix, n)
    produce_s = time.monotonic() - t0
    await meter.wait_for(list(sent), time.monotonic() + timeout)
    wall = time.monotonic() - t0
    # Work can trail the last output (Faust's consolidate agent): the drain ends when all are idle.
    idle_wait = await wait_idle(processors, max(60.0, wall))
    drain = wall + max(0.0, idle_wait - 1.0)
    times = sorted(meter.arrivals[k][0] for k in sent if k in meter.arrivals)
    out = {"burst": n, "produce_s": round(produce_s, 2), "delivered": len(times), "wall_s": round(wall, 2),
           "processor_cpu_s": [round(p.cpu_seconds() - c, 2) for p, c in zip(processors, cpu0, strict=True)],
           "loadavg": loadavg()}
    out["drain_s"] = round(drain, 2)
    out["records_per_s"] = round(len(times) / drain, 1) if drain > 0 and times else None
    if len(times) >= 20:
        lo, hi = int(0.1 * (len(times) - 1)), int(0.9 * (len(times) - 1))
        span = times[hi] - times[lo]
        out["output_rate_p10_p90"] = round((hi - lo) / span, 1) if span > 0 else None
    cpu_total = sum(p.cpu_seconds() for p in processors) - sum(cpu0)
    out["processor_cpu_s"] = [round(p.cpu_seconds() - c, 2) for p, c in zip(processors, cpu0, strict=True)]
    out["processor_cpu_share"] = [round(c / drain, 3) for c in out["processor_cpu_s"]] if drain > 0 else None
    out["processor_cpu_ms_per_record"] = round(1000 * cpu_total / max(1, len(times)), 2)
    out["records_per_cpu_s"] = round(len(times) / cpu_total, 1) if cpu_total > 0 else None
    return out


async def measure_rate(producer, meter: Meter, topic: str, payloads: Payloads, prefix: str, rate: float,
                       seconds: float, grace: float, processors: list[Processor]) -> dict:
    """One steady-rate point: send at ``rate`` for ``seconds``, wait ``grace``, score delivery and latency."""
    cpu0 = [p.cpu_seconds() for p in processors]
    t0 = time.monotonic()
    sent = await produce_paced(producer, topic, payloads, prefix, rate, seconds)
    send_s = time.monotonic() - t0
    await meter.wait_for(list(sent), time.monotonic() + grace)
    wall = time.monotonic() - t0
    stats = latency_stats(sent, meter.arrivals)
    first, last = stats["first_quarter_p50_s"], stats["last_quarter_p50_s"]
    stats.update({
        "target_rate": round(rate, 1),
        "achieved_send_rate": round(len(sent) / send_s, 1) if send_s else None,
        "seconds": seconds,
        "processor_cpu_share": [round((p.cpu_seconds() - c) / wall, 3) for p, c in zip(processors, cpu0, strict=True)],
        "processor_cpu_ms_per_record": round(
            1000 * sum(p.cpu_seconds() - c for p, c in zip(processors, cpu0, strict=True)) / max(1, len(sent)), 2),
        "loadavg": loadavg(),
    })
    stats["_keys"] = list(sent)
    stats["sustained"] = bool(
        stats["delivered_share"] is not None and stats["delivered_share"] >= 0.99
        and first is not None and last is not None and last <= first + 0.5
    )
    return stats


async def wait_idle(processors: list[Processor], max_wait: float, window: float = 1.0, below: float = 0.15) -> float:
    """Wait until every processor uses less than ``below`` of a core over ``window`` seconds (bounded).

    After a burst, Faust's consolidate agent may still be working through the incidents when the
    last enriched record is out; the next measurement must not inherit that backlog.
    """
    t0 = time.monotonic()
    while time.monotonic() - t0 < max_wait:
        before = [p.cpu_seconds() for p in processors]
        await asyncio.sleep(window)
        if all(p.cpu_seconds() - b < below * window for p, b in zip(processors, before, strict=True)):
            break
    return round(time.monotonic() - t0, 1)


def start_py_spy(pid: int, seconds: float, out: Path) -> subprocess.Popen | None:
    """Sample a processor with py-spy for ``seconds`` (None when py-spy is not installed)."""
    exe = Path(sys.executable).with_name("py-spy")
    if not exe.exists():
        return None
    return subprocess.Popen([str(exe), "record", "-p", str(pid), "-d", str(int(seconds)), "-f", "raw",
                             "-o", str(out), "--nonblocking"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def summarize_py_spy(path: Path, top: int = 15) -> dict:
    """Top functions of a py-spy raw (collapsed stacks) file: own and inclusive share of samples."""
    from collections import Counter

    own: Counter = Counter()
    incl: Counter = Counter()
    tasks: Counter = Counter()
    total = 0
    if not path.exists():
        return {"error": "no py-spy output"}
    for line in path.read_text(errors="replace").splitlines():
        stack, _, n = line.rpartition(" ")
        if not n.isdigit():
            continue
        count = int(n)
        total += count
        frames = [f for f in stack.split(";") if f]
        if not frames:
            continue
        own[frames[-1]] += count
        for f in set(frames):
            incl[f] += count
        runs = [i for i, f in enumerate(frames) if f.startswith("Handle._run ")]
        if runs:  # what the event loop was running: the agent or task, one level in
            tasks[" > ".join(f.split(" (")[0] for f in frames[runs[0] + 1 : runs[0] + 3])] += count
        else:
            tasks["(event loop, selector, other threads)"] += count
    if not total:
        return {"error": "no samples"}
    short = lambda f: f.replace(str(Path(sys.prefix)), "").strip()  # noqa: E731
    keep = ("streams/", "faust/", "aiokafka/", "jsonschema/", "mode/", "orjson", "asyncio/")
    return {
        "samples": total,
        "by_task": [{"task": t, "share": round(n / total, 3)} for t, n in tasks.most_common(top)],
        "top_own": [{"frame": short(f), "share": round(n / total, 3)} for f, n in own.most_common(top)],
        "top_inclusive": [{"frame": short(f), "share": round(n / total, 3)} for f, n in incl.most_common(120)
                          if any(k in f for k in keep) and "run_until_complete" not in f
                          and "run_forever" not in f and "_run_once" not in f and "Handle._run" not in f][:25],
    }


def estimate_rate(payloads: Payloads, n: int = 30) -> float:
    """Records/s of ``process_record`` in this process: sizes the capacity burst."""
    from streams.enrich import RecordMeta, process_record

    settings = Settings.from_env()
    recs = [payloads.record("est", i)[1] for i in range(n)]
    process_record(recs[0], RecordMeta("t", 0, 0, None), settings)
    t0 = time.perf_counter()
    for i, raw in enumerate(recs):
        process_record(raw, RecordMeta("t", 0, i, None), settings)
    return n / (time.perf_counter() - t0)


def consolidation_costs(payloads: Payloads, n: int = 40) -> dict:
    """In-process CPU cost of what the consolidate agent does per incident, and incidents per article.

    The worker's consolidate agent checks every incident's shape and merges it into three
    tables; this measures those two steps alone (plain dicts for the tables, no Kafka), the
    table writes per incident (each one a changelog message in the worker), and what a full
    JSON Schema validation would cost (the agent ran one until it proved too dear), so the
    streaming figures can be explained.
    """
    from streams import schemas
    from streams.agents import _check_incident
    from streams.consolidate import DictStore, consolidate
    from streams.enrich import RecordMeta, process_record

    settings = Settings.from_env()
    incidents = []
    sends = 0
    for i in range(n):
        outcome = process_record(payloads.record("cost", i)[1], RecordMeta("t", 0, i, 1.6e9), settings)
        sends += len(outcome.sends)
        if outcome.enriched:
            incidents += [orjson.loads(orjson.dumps(x)) for x in outcome.enriched["incidents"]]
    if not incidents:
        return {"incidents_per_article": 0.0}
    schemas.describe_errors("incident", incidents[0], limit=1)
    c0 = time.process_time()
    for inc in incidents:
        schemas.describe_errors("incident", inc, limit=1)
    validate = (time.process_time() - c0) / len(incidents)
    c0 = time.process_time()
    for inc in incidents:
        _check_incident(inc)
    check = (time.process_time() - c0) / len(incidents)
    store = DictStore(records=_CountingDict(), index=_CountingDict(), ledger=_CountingDict())
    c0 = time.process_time()
    outputs = 0
    for inc in incidents:
        outputs += len(list(consolidate(store, inc, "2020-01-01T00:00:00Z", settings)))
    merge = (time.process_time() - c0) / len(incidents)
    return {
        "articles": n,
        "incidents_per_article": round(len(incidents) / n, 2),
        "enrich_sends_per_article": round(sends / n, 2),
        "validate_ms_per_incident": round(1000 * validate, 3),
        "consolidate_ms_per_incident": round(1000 * merge, 3),
        "consolidated_records_per_incident": round(outputs / len(incidents), 2),
        "validate_ms_per_article": round(1000 * validate * len(incidents) / n, 2),
        "check_ms_per_incident": round(1000 * check, 4),
        "table_writes_per_incident": round(
            sum(t.writes for t in (store.records, store.index, store.ledger)) / len(incidents), 2),
    }


class _CountingDict(dict):
    """A dict that counts writes and deletes: each is one changelog message in the worker."""

    writes = 0

    def __setitem__(self, key, value) -> None:
        self.writes += 1
        super().__setitem__(key, value)

    def __delitem__(self, key) -> None:
        self.writes += 1
        super().__delitem__(key)


def _index_stamp() -> tuple[str, float] | None:
    """(path, mtime) of the gazetteer index the code would load, None when missing."""
    from streams.extract.gazetteer import default_cache_dir, index_path

    path = index_path(default_cache_dir())
    return (str(path), path.stat().st_mtime) if path.exists() else None


async def bench_mode(mode: str, args: argparse.Namespace, payloads: Payloads, est_rate: float,
                     work_dir: Path) -> dict:
    """Capacity, steady rates and the half-max point of one processor on fresh topics."""
    from aiokafka import AIOKafkaProducer

    tag = f"bench-{mode}-{uuid.uuid4().hex[:8]}"
    env = bench_env(tag)
    settings = Settings.from_env({**os.environ, **env})
    await create_topics(settings, [settings.topic_raw, settings.topic_enriched, settings.topic_incidents,
                                   settings.topic_dlq], PARTITIONS)
    result: dict = {"mode": mode, "topics_tag": tag, "partitions": PARTITIONS}
    processor = None
    meter = Meter(settings, [settings.topic_enriched, settings.topic_dlq])
    producer = AIOKafkaProducer(acks="all", linger_ms=0, **client_options(settings))
    try:
        index_before = _index_stamp()
        processor = start_processor(mode, env, work_dir)
        result["ready_s"] = round(processor.ready_s, 2)
        # Another process on the box may have replaced the shared index (it deletes superseded
        # ones): then this start-up included a rebuild, and its ready time says nothing.
        result["index_rebuilt_during_start"] = _index_stamp() != index_before
        await meter.start()
        await producer.start()
        # A small warm-up burst: the first records pay for connections and lexicon compilation.
        # Its drain rate (trailing work included) sizes the real burst: an in-process estimate
        # knows nothing of what the processor does besides extraction (Faust's consolidation).
        warm = await measure_capacity(producer, meter, settings.topic_raw, payloads, f"{tag}-warm", 30, 120,
                                      [processor])
        result["warmup"] = {k: warm.get(k) for k in ("burst", "delivered", "drain_s", "records_per_s")}
        if mode == "noop":
            burst = args.noop_burst
        else:
            guess = min(est_rate, warm.get("records_per_s") or est_rate)
            burst = int(min(3000, max(60, guess * args.capacity_seconds)))
        spy_out = work_dir / f"{tag}.pyspy.txt"
        spy = start_py_spy(processor.proc.pid, args.capacity_seconds, spy_out) if args.py_spy else None
        cap = await measure_capacity(producer, meter, settings.topic_raw, payloads, f"{tag}-cap", burst,
                                     args.capacity_seconds * 4 + 30, [processor])
        result["capacity"] = cap
        result["memory"] = {k: v for k, v in proc_status(processor.proc.pid).items()}
        if spy is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                spy.wait(args.capacity_seconds + 30)
            result["py_spy_capacity"] = summarize_py_spy(spy_out)
        print(f"[{mode}] ready {processor.ready_s:.1f}s capacity {cap['records_per_s']}/s", file=sys.stderr)
        capacity = cap["records_per_s"] or 1.0
        points = []
        for frac in args.fractions:
            rate = frac * capacity
            point = await measure_rate(producer, meter, settings.topic_raw, payloads, f"{tag}-r{frac}", rate,
                                       args.point_seconds, args.grace, [processor])
            point["fraction_of_capacity"] = frac
            points.append(point)
            print(f"[{mode}] {rate:8.1f}/s sustained={point['sustained']} p50={point['latency_s']['p50']} "
                  f"p99={point['latency_s']['p99']} delivered={point['delivered_share']}", file=sys.stderr)
            # A saturated point leaves a backlog: let it drain (bounded) before anything else runs.
            await meter.wait_for(point.pop("_keys"), time.monotonic() + args.capacity_seconds * 4)
            await wait_idle([processor], 60)
            if not point["sustained"]:
                break  # higher rates cannot be sustained either
        # One refinement between the last sustained fraction and the first that was not.
        ok = [p["fraction_of_capacity"] for p in points if p["sustained"]]
        bad = [p["fraction_of_capacity"] for p in points if not p["sustained"]]
        if ok and bad and min(bad) > max(ok):
            frac = round((max(ok) + min(bad)) / 2, 3)
            point = await measure_rate(producer, meter, settings.topic_raw, payloads, f"{tag}-r{frac}",
                                       frac * capacity, args.point_seconds, args.grace, [processor])
            point["fraction_of_capacity"] = frac
            points.append(point)
            print(f"[{mode}] {frac * capacity:8.1f}/s sustained={point['sustained']} (refinement) "
                  f"p99={point['latency_s']['p99']}", file=sys.stderr)
            await meter.wait_for(point.pop("_keys"), time.monotonic() + args.capacity_seconds * 4)
            await wait_idle([processor], 60)
        result["points"] = points
        sustained = [p for p in points if p["sustained"]]
        max_rate = max((p["achieved_send_rate"] for p in sustained), default=None)
        result["max_sustainable_rate"] = max_rate
        if max_rate:
            await asyncio.sleep(2)
            half = await measure_rate(producer, meter, settings.topic_raw, payloads, f"{tag}-half", max_rate / 2,
                                      args.point_seconds, args.grace, [processor])
            half.pop("_keys")
            half["fraction_of_capacity"] = round(max_rate / 2 / capacity, 3)
            result["half_max"] = half
            print(f"[{mode}] half max {max_rate / 2:.1f}/s p99={half['latency_s']['p99']}", file=sys.stderr)
    finally:
        with contextlib.suppress(Exception):
            await producer.stop()
        with contextlib.suppress(Exception):
            await meter.stop()
        if processor is not None:
            await asyncio.to_thread(processor.stop)
            result["log_tail"] = processor.log_tail(5)
        with contextlib.suppress(Exception):
            result["topics_deleted"] = len(await delete_topics(settings, tag))
    return result


def summarize(modes: dict) -> dict:
    """Ratios and goals across modes."""
    def cap(m: str) -> float | None:
        return (modes.get(m) or {}).get("capacity", {}).get("records_per_s")

    def mx(m: str) -> float | None:
        return (modes.get(m) or {}).get("max_sustainable_rate")

    def cpu(m: str) -> float | None:
        return (modes.get(m) or {}).get("capacity", {}).get("records_per_cpu_s")

    faust_half = ((modes.get("faust") or {}).get("half_max") or {}).get("latency_s", {}).get("p99")
    out = {
        "faust_over_loop_records_per_cpu_s": ratio(cpu("faust"), cpu("loop")),
        "faust_enrich_over_loop_capacity": ratio(cap("faust-enrich"), cap("loop")),
        "faust_enrich_over_loop_records_per_cpu_s": ratio(cpu("faust-enrich"), cpu("loop")),
        "faust_over_faust_enrich_records_per_cpu_s": ratio(cpu("faust"), cpu("faust-enrich")),
        "loop_over_noop_records_per_cpu_s": ratio(cpu("loop"), cpu("noop")),
        "faust_over_loop_capacity": ratio(cap("faust"), cap("loop")),
        "faust_over_loop_max_sustainable": ratio(mx("faust"), mx("loop")),
        "loop_over_noop_capacity": ratio(cap("loop"), cap("noop")),
        "faust_p99_at_half_max_s": faust_half,
        "goal_faust_share": GOAL_FAUST_SHARE,
        "goal_p99_s": GOAL_P99_S,
    }
    share = out["faust_over_loop_max_sustainable"] or out["faust_over_loop_capacity"]
    out["goal_faust_share_met"] = None if share is None else share >= GOAL_FAUST_SHARE
    out["goal_p99_met"] = None if faust_half is None else faust_half < GOAL_P99_S
    for m in modes:
        half = (modes[m].get("half_max") or {}).get("latency_s", {})
        out[f"{m}_p99_at_half_max_s"] = half.get("p99")
    return out


async def amain(args: argparse.Namespace) -> dict:
    """Run every requested mode in turn."""
    settings = Settings.from_env()
    if not await asyncio.to_thread(broker_answers, settings, 10.0):
        return {"skipped": f"no Kafka broker answers at {settings.brokers}"}
    payloads = Payloads()
    est = estimate_rate(payloads)
    costs = consolidation_costs(payloads)
    result: dict = {"consolidation_costs": costs, "broker": settings.brokers, "load_before": loadavg(), "in_process_records_per_s": round(est, 1),
                    "settings": {k: getattr(args, k) for k in ("point_seconds", "capacity_seconds", "grace",
                                                                "fractions", "noop_burst")},
                    "article_mix": "2 KB articles, Arabic and English alternating (bench/common.build_articles)",
                    "modes": {}}
    with tempfile.TemporaryDirectory(prefix="bench-streaming-") as tmp:
        for mode in args.modes:
            try:
                result["modes"][mode] = await bench_mode(mode, args, payloads, est, Path(tmp))
            except Exception as exc:  # one failing mode must not lose the others' figures
                result["modes"][mode] = {"error": f"{type(exc).__name__}: {str(exc)[:2000]}"}
                print(f"[{mode}] failed: {exc}", file=sys.stderr)
    result["summary"] = summarize(result["modes"])
    result["load_after"] = loadavg()
    return result


def main(argv: list[str] | None = None) -> int:
    """Parse options, run, write ``streaming.json``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--modes", type=lambda s: s.split(","), default=["noop", "loop", "faust-enrich", "faust"])
    parser.add_argument("--fractions", type=lambda s: [float(x) for x in s.split(",")], default=list(FRACTIONS))
    parser.add_argument("--point-seconds", type=float, default=20.0)
    parser.add_argument("--capacity-seconds", type=float, default=15.0)
    parser.add_argument("--grace", type=float, default=8.0)
    parser.add_argument("--noop-burst", type=int, default=15000)
    parser.add_argument("--no-py-spy", dest="py_spy", action="store_false",
                        help="do not sample the processors with py-spy during the capacity burst")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    result = asyncio.run(amain(args))
    result["duration_s"] = round(time.perf_counter() - t0, 1)
    path = write_result("streaming", result, args.out)
    print(f"wrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
