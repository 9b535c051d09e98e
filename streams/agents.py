"""Faust agents. Thin: read a record, call the pure processing code, send, count.

The processing guarantee is at-least-once with idempotent outputs (see README, "Delivery"): Faust
flushes the producer before it commits input offsets, and every output is keyed and identified
deterministically, so a redelivered article overwrites what it produced before.
"""

from __future__ import annotations

import logging
import time

from faust.sensors import Sensor

from streams import metrics
from streams.app import TOPICS, app, mark_started, raw_topic, settings
from streams.enrich import Outcome, RecordMeta, process_record

log = logging.getLogger(__name__)


class RebalanceSensor(Sensor):
    """Counts consumer-group rebalances (a Faust sensor, so it sees every rebalance)."""

    def on_rebalance_start(self, app) -> dict:
        metrics.REBALANCES.inc()
        return super().on_rebalance_start(app)


app.sensors.add(RebalanceSensor())


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
