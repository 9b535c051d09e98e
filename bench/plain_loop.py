"""A plain aiokafka consume-transform-produce loop: the streaming benchmark's references.

    python bench/plain_loop.py --mode extract   # the same process_record the Faust agent runs
    python bench/plain_loop.py --mode noop      # no extraction: forward each record (transport ceiling)

Configured from the same environment variables as the worker (topics, brokers, app id as the
consumer group). At-least-once like the worker: offsets are committed only after every output of
the records before them is acknowledged. Prints ``READY`` once it holds its partitions; stops
cleanly on SIGTERM or SIGINT.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
import time

from common import REPO  # noqa: F401  (puts the repository on sys.path)


async def run(mode: str) -> int:
    """Consume the raw topic, transform each record, produce the outputs, commit; until signalled."""
    from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

    from streams.enrich import RecordMeta, process_record
    from streams.kafka_io import client_options
    from streams.settings import Settings

    settings = Settings.from_env()
    if mode == "extract":
        # What ``streams worker`` loads before it reports ready.
        from streams.extract.gazetteer import load_gazetteer
        from streams.extract.langid import warm_up

        load_gazetteer()
        warm_up()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    consumer = AIOKafkaConsumer(
        settings.topic_raw, group_id=settings.app_id, enable_auto_commit=False,
        auto_offset_reset="earliest", max_poll_records=500, **client_options(settings),
    )
    producer = AIOKafkaProducer(acks="all", linger_ms=0, **client_options(settings))
    await producer.start()
    await consumer.start()
    try:
        while not consumer.assignment() and not stop.is_set():
            await asyncio.sleep(0.05)
        print("READY", flush=True)
        while not stop.is_set():
            batch = await consumer.getmany(timeout_ms=100, max_records=500)
            pending = []
            done: dict = {}
            for tp, records in batch.items():
                for rec in records:
                    if mode == "noop":
                        pending.append(await producer.send(settings.topic_enriched, value=rec.value, key=rec.key))
                    else:
                        meta = RecordMeta(rec.topic, rec.partition, rec.offset,
                                          rec.timestamp / 1000 if rec.timestamp is not None else None)
                        outcome = process_record(rec.value, meta, settings)
                        for topic, key, value in outcome.sends:
                            pending.append(await producer.send(topic, value=value, key=key))
                        # Let the producer's sender task run between articles, as an agent would.
                        await asyncio.sleep(0)
                    done[tp] = rec.offset + 1
                    if len(pending) >= 200:
                        await _flush(consumer, pending, done)
            await _flush(consumer, pending, done)
    finally:
        await consumer.stop()
        await producer.stop()
    return 0


async def _flush(consumer, pending: list, done: dict) -> None:
    """Wait for every pending output, then commit the input offsets they came from (at-least-once)."""
    if pending:
        await asyncio.gather(*pending)
        pending.clear()
    if done:
        await consumer.commit(dict(done))
        done.clear()


def main(argv: list[str] | None = None) -> int:
    """Parse ``--mode`` and run the loop until signalled."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=["extract", "noop"], default="extract")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    code = asyncio.run(run(args.mode))
    print(f"stopped after {time.perf_counter() - t0:.1f}s", file=sys.stderr)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
