"""What the enrich agent does with one record, without Kafka: decode, extract, build outputs.

The agent stays thin: it hands the record's bytes and metadata here and sends what comes back.
Keeping this synchronous and pure (the clock is injected for the DLQ's ``failed_at`` only) makes the
exactly-one-output rule testable without a broker.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import datetime

from streams.codec import decode_article, dlq_record, dumps
from streams.consolidate import bucket_key
from streams.errors import RejectedRecord
from streams.extract import EXTRACTOR_VERSION
from streams.extract.pipeline import extract_article
from streams.settings import Settings

log = logging.getLogger(__name__)

# A short text in every script the service reads (Latin and Arabic words, both digit forms): enough
# to make each component build its per-language tables. Not language data: nothing is looked up in it.
_WARM_UP_TEXT = "Douma 12 killed, 3 wounded on Friday. دوما قتل ١٢ شخصا يوم الجمعة."
_warmed: set[str] = set()


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


def warm_up_extraction() -> float:
    """Build every language's extraction tables now, outside any article's time budget; return seconds.

    Components compile their per-language tables on first use (seconds for the gazetteer's Arabic
    readings). Without this, the first article of each language after a start paid for that and,
    on a busy machine, went over ``STREAMS_EXTRACT_TIMEOUT_S`` into the DLQ: a good article lost
    to a cold start. Idempotent and cheap once done; :func:`process_record` calls it on first use.
    """
    from streams.extract.lang import available_languages

    t0 = time.perf_counter()
    for lang in available_languages():
        if lang in _warmed:
            continue
        try:
            extract_article({"id": "warm-up", "text": _WARM_UP_TEXT, "lang": lang})
        except Exception:  # a broken language must not stop the others: its articles will DLQ with the cause
            log.exception("warming up extraction for language %r failed", lang)
        _warmed.add(lang)
    return time.perf_counter() - t0


def process_record(
    raw: bytes | None, meta: RecordMeta, settings: Settings, now: datetime | None = None
) -> Outcome:
    """Turn one raw record into exactly one of: an enriched article (plus its incidents), or a DLQ record.

    Never raises: anything unexpected in extraction becomes an ``extraction_error`` DLQ record with
    the exception's type and message, and is logged with topic, partition and offset.
    """
    outcome = Outcome()
    if not _warmed:
        warm_up_extraction()
    try:
        article = decode_article(raw, settings, meta.timestamp)
        started = time.perf_counter()
        enriched = extract_article(article, time_budget=settings.extract_timeout_s)
        elapsed = time.perf_counter() - started
        # The pipeline checks the budget after each analysis stage; assembling incidents comes
        # after the last check, so the whole extraction is checked here: over budget is a timeout,
        # whichever stage was slow, as STREAMS_EXTRACT_TIMEOUT_S promises.
        if settings.extract_timeout_s and elapsed > settings.extract_timeout_s:
            slowest = max(enriched["timings"].items(), key=lambda kv: kv[1], default=("?", 0.0))
            raise RejectedRecord(
                "timeout",
                f"extraction took {elapsed:.2f}s, over {settings.extract_timeout_s}s (STREAMS_EXTRACT_TIMEOUT_S); "
                f"slowest stage '{slowest[0]}' ({slowest[1]:.2f}s)",
            )
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
