"""``streams demo``: the whole pipeline on this machine, with the sample articles.

Starts the local broker (unless ``KAFKA_BOOTSTRAP_SERVERS`` names one), starts a worker process,
produces the samples, prints every incident as it arrives, and stops what it started on Ctrl-C or,
with ``--once``, when every sample has come out on ``articles.enriched`` or ``articles.dlq``.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import orjson
from aiokafka import AIOKafkaConsumer, TopicPartition

from streams.cli import _records_from_files
from streams.display import incident_header, incident_row
from streams.kafka_io import client_options, end_offsets, ensure_topics, produce
from streams.settings import REPO_ROOT, Settings

SAMPLES_DIR = REPO_ROOT / "samples"


def sample_files(folder: Path) -> list[str]:
    """The sample article files of ``folder`` (JSON and JSON Lines), sorted."""
    return sorted(str(p) for p in folder.iterdir() if p.suffix in (".json", ".jsonl"))


def start_worker(settings: Settings, log_path: Path) -> subprocess.Popen:
    """Start ``streams worker`` as a child process logging to ``log_path``."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    if settings.uses_local_broker:
        env["KAFKA_BOOTSTRAP_SERVERS"] = settings.brokers
    log = open(log_path, "ab")  # noqa: SIM115 - handed to the child for its lifetime
    return subprocess.Popen(
        [sys.executable, "-m", "streams", "worker", "--no-start-broker"],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )


def stop_worker(proc: subprocess.Popen, timeout: float = 20.0) -> None:
    """Stop the worker: SIGTERM (Faust shuts down cleanly), then SIGKILL if it hangs."""
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


async def _watch(settings: Settings, start: dict[str, dict[int, int]], expected: set[str], once: bool,
                 deadline: float, worker: subprocess.Popen) -> int:
    """Print incidents as they arrive; return how many samples are still missing when it stops."""
    consumer = AIOKafkaConsumer(enable_auto_commit=False, **client_options(settings))
    await consumer.start()
    try:
        tps = [TopicPartition(t, p) for t, parts in start.items() for p in parts]
        consumer.assign(tps)
        for tp in tps:
            consumer.seek(tp, start[tp.topic][tp.partition])
        seen: set[str] = set()
        print(incident_header())
        while not (once and expected <= seen):
            if time.monotonic() > deadline:
                break
            if worker.poll() is not None:
                print(f"worker exited with code {worker.returncode}", file=sys.stderr)
                break
            batch = await consumer.getmany(timeout_ms=500)
            for tp, records in batch.items():
                for record in records:
                    value = orjson.loads(record.value)
                    if tp.topic == settings.topic_incidents:
                        print(incident_row(value), flush=True)
                    elif tp.topic == settings.topic_enriched:
                        seen.add(value["article_id"])
                        if not value["incidents"]:
                            print(f"(no incident in article {value['article_id']})", flush=True)
                    else:
                        seen.add(value.get("article_id") or f"offset-{record.offset}")
                        print(f"DLQ {value['error']}: {value['reason']}", flush=True)
        return len(expected - seen)
    finally:
        await consumer.stop()


def run_demo(settings: Settings, once: bool = False, samples: str | None = None, timeout: float = 180.0) -> int:
    """Run the demo; return the process exit code (0 when every sample came out)."""
    from streams.broker import broker_status, ensure_broker, stop_broker

    started_broker = False
    if settings.uses_local_broker and not broker_status(settings)["running"]:
        print(f"starting the local Kafka broker on {settings.brokers} (first run resolves the jars)...")
        ensure_broker(settings)
        started_broker = True
    else:
        ensure_broker(settings)
    files = sample_files(Path(samples) if samples else SAMPLES_DIR)
    records = list(_records_from_files(files))
    expected = {key.decode() for key, _ in records if key}
    topics = [settings.topic_raw, settings.topic_enriched, settings.topic_incidents, settings.topic_dlq]
    asyncio.run(ensure_topics(settings, settings.topics, [settings.topic_consolidated]))

    async def offsets() -> dict[str, dict[int, int]]:
        return {t: await end_offsets(settings, t) for t in topics[1:]}

    start = asyncio.run(offsets())
    log_path = Path(settings.data_dir) / "demo-worker.log"
    worker = start_worker(settings, log_path)
    print(f"worker started (pid {worker.pid}, log {log_path})")
    print(f"metrics: http://{settings.web_host}:{settings.web_port}/metrics   "
          f"health: http://{settings.web_host}:{settings.web_port}/health")
    sent = asyncio.run(produce(settings, settings.topic_raw, records))
    print(f"produced {sent} sample article(s) from {len(files)} file(s) to {settings.topic_raw}\n")
    missing = 0
    try:
        deadline = time.monotonic() + (timeout if once else float("inf"))
        missing = asyncio.run(_watch(settings, start, expected, once, deadline, worker))
    except KeyboardInterrupt:
        print("\nstopping...")
    finally:
        stop_worker(worker)
        if started_broker:
            stop_broker(settings)
    if once and missing:
        print(f"{missing} sample(s) did not come out within {timeout:.0f}s; see {log_path}", file=sys.stderr)
        return 1
    return 0
