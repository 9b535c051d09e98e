"""Scaling benchmark: 1 and 2 workers in one consumer group on a topic of 4 partitions.

    KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:19192 python bench/scaling.py      # ~3 min, results/scaling.json

For each processor kind (the Faust worker, and the plain aiokafka loop as a reference) and each
worker count, fresh topics of 4 partitions; the workers are started, the group is left to settle
(every worker ready and no rebalance for a few seconds), then a burst is drained exactly as in
``streaming.py`` (time until every output is out and every worker idle). Each worker's CPU time is
read from /proc, so the result says both what the group delivered and what one worker delivers
per CPU-second: the figure the scaling model is built on.

The model (stated in the JSON and in BENCHMARKS.md): one worker is one Python process, one event
loop, so it uses at most one core; a partition is read by one worker of the group; therefore

    throughput(W workers, P partitions) ~= min(W, P, cores available to workers) x r1 x e

with r1 the records one worker processes per CPU-second (measured) and e the efficiency measured
here when going from 1 to 2 workers on this box (it includes the broker and the load generator
sharing the same 2 cores). On a cluster with a core per worker and the broker elsewhere, e -> 1
until the broker's own ceiling (the transport figure of ``streaming.py``).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

from common import loadavg, proc_status, ratio, write_result
from streaming import (
    Meter,
    Payloads,
    Processor,
    bench_env,
    create_topics,
    delete_topics,
    estimate_rate,
    measure_capacity,
    start_processor,
)

from streams.broker import broker_answers
from streams.kafka_io import client_options
from streams.settings import Settings

PARTITIONS = 4


def _ready(p: Processor) -> bool:
    """True when a processor is ready (Faust: /ready is 200, i.e. not rebalancing; loops: running)."""
    if p.proc.poll() is not None:
        return False
    if p.mode != "faust":
        return True
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{p.web_port}/ready", timeout=2) as resp:
            return resp.status == 200
    except OSError:
        return False


async def settle(processors: list[Processor], quiet: float = 5.0, max_wait: float = 90.0) -> float:
    """Wait until every processor has been ready for ``quiet`` seconds in a row (bounded)."""
    t0 = time.monotonic()
    since = None
    while time.monotonic() - t0 < max_wait:
        ok = all(await asyncio.gather(*(asyncio.to_thread(_ready, p) for p in processors)))
        now = time.monotonic()
        if ok:
            since = since or now
            if now - since >= quiet:
                break
        else:
            since = None
        await asyncio.sleep(0.5)
    return round(time.monotonic() - t0, 1)


async def run_group(mode: str, workers: int, burst: int, work_dir: Path, timeout: float, seconds: float) -> dict:
    """Start ``workers`` processors of ``mode`` in one group on fresh topics and drain a burst."""
    from aiokafka import AIOKafkaProducer

    tag = f"bench-scale-{mode}-{workers}-{uuid.uuid4().hex[:8]}"
    env = bench_env(tag, PARTITIONS)
    settings = Settings.from_env({**os.environ, **env})
    await create_topics(settings, [settings.topic_raw, settings.topic_enriched, settings.topic_incidents,
                                   settings.topic_dlq], PARTITIONS)
    out: dict = {"mode": mode, "workers": workers, "partitions": PARTITIONS, "topics_tag": tag}
    procs: list[Processor] = []
    meter = Meter(settings, [settings.topic_enriched, settings.topic_dlq])
    producer = AIOKafkaProducer(acks="all", linger_ms=0, **client_options(settings))
    payloads = Payloads()
    try:
        for i in range(workers):
            wdir = work_dir / f"{tag}-{i}"
            wdir.mkdir()
            procs.append(start_processor(mode, env, wdir))
        out["ready_s"] = [round(p.ready_s, 2) for p in procs]
        out["settle_s"] = await settle(procs)
        await meter.start()
        await producer.start()
        warm = await measure_capacity(producer, meter, settings.topic_raw, payloads, f"{tag}-warm", 30 * workers,
                                      120, procs)
        if warm.get("records_per_s"):  # size the burst from what this group really drains
            burst = int(min(burst, max(60 * workers, warm["records_per_s"] * seconds)))
        cap = await measure_capacity(producer, meter, settings.topic_raw, payloads, f"{tag}-cap", burst, timeout, procs)
        out.update(cap)
        out["memory_rss_bytes"] = [proc_status(p.proc.pid).get("VmRSS") for p in procs]
        out["loadavg_after"] = loadavg()
        print(f"[{mode} x{workers}] {cap['records_per_s']}/s, cpu share {cap['processor_cpu_share']}", file=sys.stderr)
    finally:
        with contextlib.suppress(Exception):
            await producer.stop()
        with contextlib.suppress(Exception):
            await meter.stop()
        for p in procs:
            await asyncio.to_thread(p.stop)
        with contextlib.suppress(Exception):
            out["topics_deleted"] = len(await delete_topics(settings, tag))
    return out


async def amain(args: argparse.Namespace) -> dict:
    """Every mode at 1 and 2 workers, then the model."""
    settings = Settings.from_env()
    if not await asyncio.to_thread(broker_answers, settings, 10.0):
        return {"skipped": f"no Kafka broker answers at {settings.brokers}"}
    est = estimate_rate(Payloads())
    result: dict = {"broker": settings.brokers, "load_before": loadavg(), "partitions": PARTITIONS,
                    "in_process_records_per_s": round(est, 1), "runs": {}}
    with tempfile.TemporaryDirectory(prefix="bench-scaling-") as tmp:
        for mode in args.modes:
            for workers in args.workers:
                burst = int(min(3000, max(100, est * args.seconds * (0.5 if mode == "faust" else 1.0) * workers)))
                key = f"{mode}-{workers}"
                try:
                    result["runs"][key] = await run_group(mode, workers, burst, Path(tmp), args.seconds * 6 + 60,
                                                          args.seconds)
                except Exception as exc:  # keep the other runs' figures
                    result["runs"][key] = {"error": f"{type(exc).__name__}: {str(exc)[:2000]}"}
    result["model"] = model(result["runs"])
    result["load_after"] = loadavg()
    return result


def model(runs: dict) -> dict:
    """The scaling model's parameters from the runs, per mode."""
    out: dict = {
        "formula": "throughput(W, P) ~= min(W, P, cores for workers) * r1_cpu * e",
        "notes": "r1_cpu: records per CPU-second of one worker; e: efficiency of the 2-worker group on this "
                 "box (records/s of 2 workers over twice the 1-worker records/s). A partition is read by one "
                 "worker, so workers beyond the partition count idle; one worker uses at most one core.",
    }
    for mode in ("faust", "loop"):
        one, two = runs.get(f"{mode}-1") or {}, runs.get(f"{mode}-2") or {}
        r1, r2 = one.get("records_per_s"), two.get("records_per_s")
        out[mode] = {
            "r1_records_per_s": r1,
            "r1_records_per_cpu_s": one.get("records_per_cpu_s"),
            "r2_records_per_s": r2,
            "speedup_2_over_1": ratio(r2, r1),
            "efficiency_e": ratio(r2, 2 * r1) if r1 else None,
            "cpu_share_1": one.get("processor_cpu_share"),
            "cpu_share_2": two.get("processor_cpu_share"),
        }
        r1c = one.get("records_per_cpu_s")
        if r1c:
            out[mode]["predicted_cluster_records_per_s"] = {
                f"W={w},P={p}": round(min(w, p) * r1c, 1) for w, p in ((1, 4), (2, 4), (4, 4), (8, 4), (8, 8), (16, 16))
            }
    return out


def main(argv: list[str] | None = None) -> int:
    """Parse options, run, write ``scaling.json``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--modes", type=lambda s: s.split(","), default=["faust", "loop"])
    parser.add_argument("--workers", type=lambda s: [int(x) for x in s.split(",")], default=[1, 2])
    parser.add_argument("--seconds", type=float, default=15.0, help="target length of one drain")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    result = asyncio.run(amain(args))
    result["duration_s"] = round(time.perf_counter() - t0, 1)
    path = write_result("scaling", result, args.out)
    print(f"wrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
