"""What the enrich agent does with one record, without Kafka: decode, extract, build outputs.

The agent stays thin: it hands the record's bytes and metadata here and sends what comes back.
Keeping this synchronous and pure (the clock is injected for the DLQ's ``failed_at`` only) makes the
exactly-one-output rule testable without a broker.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from streams.codec import decode_article, dlq_record, dumps
from streams.consolidate import bucket_key
from streams.errors import RejectedRecord
from streams.extract import EXTRACTOR_VERSION
from streams.extract.pipeline import extract_article
from streams.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RecordMeta:
    """Where a record was read: for DLQ records and logs."""

    topic: str
    partition: int
    offset: int
    timestamp: float | None  # Kafka record timestamp, seconds


@dataclass(slots=True)
class Outcome:
    """The records to send for one input record, and what metrics need to know about it."""

    sends: list[tuple[str, bytes | None, bytes]] = field(default_factory=list)  # (topic, key, value)
    enriched: dict | None = None  # the enriched article, when the record was processed
    error: RejectedRecord | None = None  # why it went to the DLQ, otherwise


def incident_key(incident: dict) -> bytes:
    """The partitioning key of an incident: its consolidation bucket (type family and country).

    Every report that could describe the same real-world incident (same family, same country) lands
    on the same partition, in order, so the consolidate agent can merge them with co-partitioned
    tables and no repartition topic.
    """
    return bucket_key(incident).encode()


def process_record(
    raw: bytes | None, meta: RecordMeta, settings: Settings, now: datetime | None = None
) -> Outcome:
    """Turn one raw record into exactly one of: an enriched article (plus its incidents), or a DLQ record.

    Never raises: anything unexpected in extraction becomes an ``extraction_error`` DLQ record with
    the exception's type and message, and is logged with topic, partition and offset.
    """
    outcome = Outcome()
    try:
        article = decode_article(raw, settings, meta.timestamp)
        enriched = extract_article(article, time_budget=settings.extract_timeout_s)
    except RejectedRecord as exc:
        outcome.error = exc
    except Exception as exc:  # a bug must not stop the stream: DLQ it with the cause, log the trace
        log.exception("extraction failed at %s[%d]@%d", meta.topic, meta.partition, meta.offset)
        outcome.error = RejectedRecord("extraction_error", f"{type(exc).__name__}: {str(exc)[:300]}")
    if outcome.error is not None:
        record = dlq_record(
            raw, outcome.error, topic=meta.topic, partition=meta.partition, offset=meta.offset,
            timestamp=meta.timestamp, extractor_version=EXTRACTOR_VERSION, now=now,
        )
        key = record["article_id"].encode() if record["article_id"] else None
        outcome.sends.append((settings.topic_dlq, key, dumps(record)))
        return outcome
    outcome.enriched = enriched
    if meta.timestamp is not None:
        # The record's produce time orders texts of one article: a corrected article re-sent later
        # replaces its earlier contribution downstream, and a replay keeps the same revision.
        revision = int(meta.timestamp * 1000)
        enriched["article"]["revision"] = revision
        for incident in enriched["incidents"]:
            incident["article"]["revision"] = revision
    # Incidents first, the enriched article last: a consumer that sees the article can rely on its
    # incidents having been sent (all are flushed before the input offset is committed anyway).
    for incident in enriched["incidents"]:
        outcome.sends.append((settings.topic_incidents, incident_key(incident), dumps(incident)))
    outcome.sends.append((settings.topic_enriched, enriched["article_id"].encode(), dumps(enriched)))
    return outcome
