"""Faust agents. Thin: read a record, call the pure processing code, send, count.

The processing guarantee is at-least-once with idempotent outputs (see README, "Delivery"): Faust
flushes the producer before it commits input offsets, and every output is keyed and identified
deterministically, so a redelivered article overwrites what it produced before.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from datetime import UTC, datetime
from typing import Any

import faust
import orjson
from faust.sensors import Sensor

from streams import metrics
from streams.app import TOPICS, app, incidents_topic, mark_started, raw_topic, settings
from streams.codec import dlq_record, dumps
from streams.consolidate import consolidate
from streams.enrich import Outcome, RecordMeta, process_record
from streams.errors import RejectedRecord
from streams.extract import EXTRACTOR_VERSION

log = logging.getLogger(__name__)


class RebalanceSensor(Sensor):
    """Counts consumer-group rebalances (a Faust sensor, so it sees every rebalance)."""

    def on_rebalance_start(self, app) -> dict:
        metrics.REBALANCES.inc()
        return super().on_rebalance_start(app)


app.sensors.add(RebalanceSensor())


@app.on_partitions_assigned.connect
async def _on_assigned(app, assigned, **_) -> None:
    """``newsinc_worker_up`` is 1 while this worker holds input partitions (0 for an idle extra replica)."""
    held = {tp for tp in assigned if tp.topic == settings.topic_raw}
    metrics.WORKER_UP.set(1 if held else 0)


@app.on_partitions_revoked.connect
async def _on_revoked(app, revoked, **_) -> None:
    """Forget the lag of partitions this worker no longer reads, so no stale value lingers; wait
    until the broker holds every table write made so far."""
    # Faust's own flush before a revocation gives up after 0.1 s without progress, and the next
    # assignment re-reads each changelog up to the highwater it finds: a table write still on its
    # way then lands after that highwater, and the in-memory table comes back without it.
    await store.writes_sent()
    for tp in revoked:
        for gauge in (metrics.CONSUMER_LAG_MESSAGES, metrics.CONSUMER_LAG_SECONDS):
            with contextlib.suppress(KeyError):
                gauge.remove(tp.topic, str(tp.partition))


def _observe(outcome: Outcome) -> None:
    """Record what one processed article means for the metrics (no I/O)."""
    if outcome.error is not None:
        metrics.ARTICLES_CONSUMED.labels("unknown").inc()
        metrics.DLQ_RECORDS.labels(outcome.error.kind).inc()
        return
    enriched = outcome.enriched
    lang = enriched["language"]
    metrics.ARTICLES_CONSUMED.labels(lang).inc()
    metrics.ARTICLES_ENRICHED.labels(lang).inc()
    for stage, seconds in enriched["timings"].items():
        metrics.STAGE_SECONDS.labels(stage).observe(seconds)
    incidents = enriched["incidents"]
    for incident in incidents:
        country = (incident.get("location") or {}).get("country_code") or "unknown"
        metrics.INCIDENTS_EMITTED.labels(incident["type"], country).inc()
        for kind in ("killed", "injured"):
            if incident.get(kind):
                metrics.CASUALTIES_REPORTED.labels(kind, country).inc(incident[kind]["value"])
    if incidents:
        metrics.QUALITY.labels(lang, "with_incident").inc()
    elif any(not c["cumulative"] and c["kind"] in ("killed", "injured") for c in enriched["counts"]):
        metrics.QUALITY.labels(lang, "count_without_incident").inc()
    if any(i.get("location") is None for i in incidents):
        metrics.QUALITY.labels(lang, "unresolved_place").inc()


@app.agent(raw_topic)
async def enrich(stream):
    """articles.raw -> articles.enriched + incidents, or articles.dlq: exactly one of the two per record."""
    async for event in stream.events():
        started = time.perf_counter()
        message = event.message
        meta = RecordMeta(message.topic, message.partition, message.offset, message.timestamp)
        outcome = process_record(event.value, meta, settings)
        future = None
        for topic_name, key, value in outcome.sends:
            future = await TOPICS[topic_name].send(key=key, value=value)
        _observe(outcome)
        metrics.PROCESSING_SECONDS.observe(time.perf_counter() - started)
        if future is not None and message.timestamp:
            produced_at = message.timestamp
            future.add_done_callback(
                lambda _f, t=produced_at: metrics.END_TO_END_SECONDS.observe(max(0.0, time.time() - t))
            )
        tp_label = (message.topic, str(message.partition))
        highwater = app.consumer.highwater(message.tp) if app.consumer else None
        if highwater is not None:
            metrics.CONSUMER_LAG_MESSAGES.labels(*tp_label).set(max(0, highwater - message.offset - 1))
        if message.timestamp:
            metrics.CONSUMER_LAG_SECONDS.labels(*tp_label).set(max(0.0, time.time() - message.timestamp))


@app.task
async def _on_started() -> None:
    """Runs once the app is up: the worker is live and may report ready."""
    mark_started()
    log.info("worker started: %s", {k: v for k, v in settings.redacted().items() if not k.startswith("ssl")})


_INCIDENT_SHAPE = {"incident_id": str, "type": str, "article": dict, "date": dict, "types": list}


def _check_incident(incident: object) -> None:
    """Raise ValueError unless ``incident`` has the fields consolidation reads.

    The topic carries our own enrich agent's output, already checked against the incident schema
    by the tests; a full JSON Schema validation here cost more CPU per article than extraction
    itself (bench/BENCHMARKS.md), so only records someone else wrote by mistake are caught here.
    """
    if not isinstance(incident, dict):
        raise ValueError(f"expected a JSON object, got {type(incident).__name__}")
    for key, kind in _INCIDENT_SHAPE.items():
        if not isinstance(incident.get(key), kind):
            raise ValueError(f"field {key!r} missing or not a {kind.__name__}")
    if not isinstance(incident["article"].get("id"), str):
        raise ValueError("field 'article.id' missing or not a string")


class _DurableTable(faust.Table):
    """A Faust table whose changelog writes are held until the next commit, then awaited.

    Faust sends a changelog record for every change of a key, and before it commits input
    offsets it waits at most 0.1 s for its producer buffer to move, and not at all for the write
    already handed to the producer. A worker killed right after such a commit lost table writes
    whose input was committed: its state came back older than its offsets, and the incidents
    merged in the lost writes vanished from the consolidated records (seen once in test_faults).
    So every commit of input offsets first sends the writes held so far and awaits them
    (:meth:`writes_queued_sent`, a commit barrier of the app): an incident's offset can only be
    committed once the broker holds what it changed. (Awaiting them after every incident instead
    held the consolidate agent to one broker round trip per incident.)

    Between two commits only the last value of each key is sent: the consolidation rewrites the
    same keys (a day's expiry list, an index key, a record merged again) many times a second,
    and half of its changelog records were overwritten within one commit interval
    (bench/BENCHMARKS.md). Nothing is lost by holding them: the offsets of the records that made
    them are not committed before they are sent, so a crash re-processes those records.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._unsent: set[asyncio.Future] = set()
        # (partition, key) -> (value, value serializer) of the last change not yet sent (a delete
        # is a None value sent raw, as Faust sends it); insertion order is kept, so keys go out in
        # the order of their last change.
        self._held: dict[tuple[int | None, Any], tuple[Any, str | None]] = {}

    def on_key_set(self, key: Any, value: Any) -> None:
        """Hold the changelog write of a set (Faust would send it now); a later change of the key
        replaces it. (Our tables have no windows, so Faust's key expiry has nothing to do here.)"""
        self._hold(key, value, None)
        self._sensor_on_set(self, key, value)

    def on_key_del(self, key: Any) -> None:
        """Hold the changelog write of a delete, as :meth:`on_key_set` does for a set."""
        self._hold(key, None, "raw")
        self._sensor_on_del(self, key)

    def _hold(self, key: Any, value: Any, value_serializer: str | None) -> None:
        slot = (self.partition_for_key(key), key)
        self._held.pop(slot, None)
        self._held[slot] = (value, value_serializer)

    def send_held(self) -> None:
        """Queue every held write with Faust's producer, remembering each until it is acknowledged."""
        held, self._held = self._held, {}
        for (partition, key), (value, value_serializer) in held.items():
            future = self.send_changelog(partition, key, value, value_serializer=value_serializer)
            self._unsent.add(future)
            future.add_done_callback(self._unsent.discard)

    async def writes_sent(self) -> None:
        """Return once every changelog write made so far is acknowledged by the broker (the
        producer's own retries and request timeout bound the wait; a failed write raises).
        Several callers may wait at once (the agent, a revocation): each waits for all."""
        self.send_held()
        while self._unsent:
            await asyncio.gather(*list(self._unsent))
            self.send_held()

    async def writes_queued_sent(self) -> None:
        """Send the held writes and return once every write made before this call is acknowledged
        (writes made during the wait are not waited for, so a steady flow cannot hold a caller
        forever)."""
        self.send_held()
        if self._unsent:
            await asyncio.gather(*list(self._unsent))


class _TableStore:
    """The consolidation store (see :class:`streams.consolidate.Store`) backed by Faust tables.

    Tables are co-partitioned with the incidents topic, which is keyed by consolidation bucket: every
    key a bucket uses is written while processing that bucket's partition, so each table
    partition's changelog is complete and a restarted worker recovers exactly its own state.
    """

    def __init__(self) -> None:
        # JSON keys and values: string keys survive the changelog round trip (raw would come back as
        # bytes), and the consolidation state is plain JSON by design.
        schema = faust.Schema(key_type=str, key_serializer="json", value_serializer="json")
        options = {"default": None, "partitions": settings.partitions, "schema": schema}
        self.records = self._table("consolidated-records", options)
        self.index = self._table("consolidated-index", options)
        self.ledger = self._table("consolidated-ledger", options)

    @staticmethod
    def _table(name: str, options: dict[str, Any]) -> _DurableTable:
        # What app.Table does, with our table class for these tables only (faust's ``Table``
        # setting would swap it for every table of the app).
        table = _DurableTable(app, name=name, beacon=app.tables.beacon, **options)
        return app.tables.add(table)

    async def writes_sent(self) -> None:
        """Wait until the broker holds every table write, those made while waiting included."""
        for table in self.tables:
            await table.writes_sent()

    async def writes_queued_sent(self) -> None:
        """Wait until the broker holds every table write queued before this call."""
        await asyncio.gather(*(table.writes_queued_sent() for table in self.tables))

    @property
    def tables(self) -> tuple[_DurableTable, ...]:
        """The three tables of the store."""
        return (self.records, self.index, self.ledger)


store = _TableStore()
# Before input offsets are committed, the broker must hold the table writes of the records they
# pass (see _DurableTable).
app.commit_barriers.append(store.writes_queued_sent)


@app.agent(incidents_topic)
async def consolidate_incidents(stream):
    """incidents -> tables -> incidents.consolidated: one record per real-world incident, versioned."""
    async for event in stream.events():
        message = event.message
        try:
            incident = orjson.loads(event.value)
            _check_incident(incident)
        except (orjson.JSONDecodeError, ValueError) as exc:
            # Only this service writes the topic; anything else there is dead-lettered, not merged.
            record = dlq_record(
                event.value, RejectedRecord("schema", f"not an incident record: {str(exc)[:300]}"),
                topic=message.topic, partition=message.partition, offset=message.offset,
                timestamp=message.timestamp, extractor_version=EXTRACTOR_VERSION,
            )
            metrics.DLQ_RECORDS.labels("schema").inc()
            await TOPICS[settings.topic_dlq].send(key=None, value=dumps(record))
            continue
        now = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
        # The shard is the partition: expiry may only delete keys whose changelog is this
        # partition's, and every key written while processing it is (see _TableStore).
        results = list(consolidate(store, incident, now, settings, shard=str(message.partition)))
        for record, outcome in results:
            metrics.CONSOLIDATED.labels(outcome).inc()
            # "unchanged" is re-sent too: after a crash between the table write and the send, the
            # redelivered incident finds its state applied, and only this re-send publishes it.
            # The topic is compacted and keyed by id, so a repeat of the same version is harmless.
            await TOPICS[settings.topic_consolidated].send(key=record["consolidated_id"].encode(), value=dumps(record))
