"""Small aiokafka helpers shared by the CLI, the demo, benchmarks and tests: produce, read, topics."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Iterable
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from streams.settings import Settings


def client_options(settings: Settings) -> dict[str, Any]:
    """aiokafka connection options (bootstrap servers, SASL/TLS) from settings."""
    opts: dict[str, Any] = {"bootstrap_servers": settings.brokers}
    protocol = settings.security_protocol.upper()
    if protocol != "PLAINTEXT":
        from aiokafka.helpers import create_ssl_context

        opts["security_protocol"] = protocol
        if protocol in ("SSL", "SASL_SSL"):
            opts["ssl_context"] = create_ssl_context(
                cafile=settings.ssl_cafile or None,
                certfile=settings.ssl_certfile or None,
                keyfile=settings.ssl_keyfile or None,
            )
        if protocol.startswith("SASL"):
            opts.update(
                sasl_mechanism=settings.sasl_mechanism,
                sasl_plain_username=settings.sasl_username,
                sasl_plain_password=settings.sasl_password,
            )
    return opts


async def ensure_topics(settings: Settings, names: Iterable[str], compacted: Iterable[str] = ()) -> None:
    """Create the topics that do not exist yet (partitions and replication from settings)."""
    compacted = set(compacted)
    admin = AIOKafkaAdminClient(**client_options(settings))
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        new = [
            NewTopic(
                name, settings.partitions, settings.replication_factor,
                topic_configs={"cleanup.policy": "compact"} if name in compacted else {},
            )
            for name in dict.fromkeys(names)
            if name not in existing
        ]
        if new:
            with contextlib.suppress(TopicAlreadyExistsError):
                await admin.create_topics(new)
    finally:
        await admin.close()


async def produce(
    settings: Settings, topic: str, records: Iterable[tuple[bytes | None, bytes]], progress=None
) -> int:
    """Send ``(key, value)`` records to ``topic``, wait for every acknowledgement, return the count."""
    producer = AIOKafkaProducer(acks="all", linger_ms=5, enable_idempotence=True, **client_options(settings))
    await producer.start()
    sent = 0
    try:
        pending = []
        for key, value in records:
            pending.append(await producer.send(topic, value=value, key=key))
            sent += 1
            if len(pending) >= 500:
                await asyncio.gather(*pending)
                pending.clear()
            if progress:
                progress(sent)
        await asyncio.gather(*pending)
    finally:
        await producer.stop()
    return sent


async def end_offsets(settings: Settings, topic: str) -> dict[int, int]:
    """The current end offset of every partition of ``topic`` (empty if the topic does not exist)."""
    consumer = AIOKafkaConsumer(**client_options(settings))
    await consumer.start()
    try:
        partitions = consumer.partitions_for_topic(topic) or set()
        if not partitions:
            await consumer._client.force_metadata_update()  # a fresh client may not know the topic yet
            partitions = consumer.partitions_for_topic(topic) or set()
        tps = [TopicPartition(topic, p) for p in sorted(partitions)]
        return {tp.partition: off for tp, off in (await consumer.end_offsets(tps)).items()} if tps else {}
    finally:
        await consumer.stop()


async def read(
    settings: Settings,
    topic: str,
    *,
    from_offsets: dict[int, int] | None = None,
    from_beginning: bool = True,
    idle_timeout: float | None = 10.0,
    max_records: int | None = None,
    deadline: float | None = None,
) -> AsyncIterator[Any]:
    """Yield the records of ``topic`` (aiokafka ``ConsumerRecord``), without a consumer group.

    Starts at ``from_offsets`` (partition -> offset) when given, else at the beginning or the end.
    Stops after ``idle_timeout`` seconds without a record, after ``max_records``, or at ``deadline``
    (a ``time.monotonic()`` value), whichever comes first; ``None`` disables a limit.
    """
    consumer = AIOKafkaConsumer(
        enable_auto_commit=False, isolation_level="read_committed", **client_options(settings)
    )
    await consumer.start()
    try:
        partitions: set[int] = set()
        wait_until = time.monotonic() + (idle_timeout or 30.0)
        while not partitions:
            partitions = consumer.partitions_for_topic(topic) or set()
            if partitions:
                break
            if time.monotonic() > wait_until:
                return
            await consumer._client.force_metadata_update()
            await asyncio.sleep(0.2)
        tps = [TopicPartition(topic, p) for p in sorted(partitions)]
        consumer.assign(tps)
        for tp in tps:
            if from_offsets is not None:
                consumer.seek(tp, from_offsets.get(tp.partition, 0))
            elif from_beginning:
                await consumer.seek_to_beginning(tp)
            else:
                await consumer.seek_to_end(tp)
        count = 0
        last = time.monotonic()
        while True:
            batch = await consumer.getmany(timeout_ms=200, max_records=500)
            now = time.monotonic()
            for records in batch.values():
                for record in records:
                    yield record
                    count += 1
                    if max_records is not None and count >= max_records:
                        return
            if batch:
                last = now
            if idle_timeout is not None and now - last > idle_timeout:
                return
            if deadline is not None and now > deadline:
                return
    finally:
        await consumer.stop()
