"""Decoding untrusted raw records into articles, and building dead-letter records.

Every check here names what is wrong in words a producer can act on; nothing raises anything but
:class:`RejectedRecord`.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson

from streams import schemas
from streams.errors import RejectedRecord
from streams.settings import Settings

# How much of a rejected record the DLQ keeps: enough to see what it was, never megabytes.
DLQ_PAYLOAD_LIMIT = 64 * 1024
# A publication time this far past the record's Kafka timestamp is a producer error, not news from
# the future (a day covers time zones written without an offset and clock skew).
FUTURE_TOLERANCE = timedelta(days=1)
# Publication years accepted at all, whatever the record's timestamp (``streams extract`` has none).
# Outside them a time is a producer error, and dates resolved against it ("yesterday" from
# 0001-01-01) would leave Python's date range and fail extraction instead of naming the problem.
PUBLISHED_YEARS = range(1900, 2200)
KNOWN_FIELDS = frozenset(schemas.schema("raw-article")["properties"])


def _depth_exceeds(value: Any, limit: int) -> bool:
    """True when JSON ``value`` nests deeper than ``limit`` (iterative: no recursion on input)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return False


def parse_timestamp(value: str) -> datetime:
    """Parse an RFC 3339 timestamp (``Z`` or an offset; naive times are taken as UTC)."""
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def decode_article(raw: bytes | None, settings: Settings, record_timestamp: float | None = None) -> dict:
    """Decode and validate one raw record; return the article dict or raise :class:`RejectedRecord`.

    ``record_timestamp`` (seconds, the Kafka record time) bounds ``published_at`` from above, so
    validation never depends on the wall clock.
    """
    if raw is None or len(raw) == 0:
        raise RejectedRecord("not_json", "empty record: expected a JSON object with 'id' and 'text'")
    if len(raw) > settings.max_article_bytes:
        raise RejectedRecord(
            "too_large",
            f"record is {len(raw)} bytes; the limit is {settings.max_article_bytes} "
            "(STREAMS_MAX_ARTICLE_BYTES): split the article or raise the limit",
        )
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RejectedRecord(
            "invalid_utf8", f"record is not valid UTF-8 (byte {exc.start}: {exc.reason}); send UTF-8 JSON"
        ) from None
    try:
        article = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        kind = "too_deep" if "depth" in str(exc) else "not_json"
        raise RejectedRecord(kind, f"record is not valid JSON: {exc}") from None
    if not isinstance(article, dict):
        raise RejectedRecord(
            "schema", f"record is JSON {type(article).__name__}, expected an object with 'id' and 'text'"
        )
    if _depth_exceeds(article, settings.max_json_depth):
        raise RejectedRecord(
            "too_deep", f"JSON nests deeper than {settings.max_json_depth} levels (STREAMS_MAX_JSON_DEPTH)"
        )
    problems = schemas.describe_errors("raw-article", article)
    if problems:
        text = article.get("text")
        kind = "empty_text" if (isinstance(text, str) and not text.strip()) or text is None else "schema"
        raise RejectedRecord(kind, "does not match the raw-article schema: " + "; ".join(problems))
    if not article["text"].strip():
        raise RejectedRecord("empty_text", "field 'text' holds only white space")
    if len(article["text"]) > settings.max_text_chars:
        raise RejectedRecord(
            "too_large",
            f"text is {len(article['text'])} characters; the limit is {settings.max_text_chars} "
            "(STREAMS_MAX_TEXT_CHARS)",
        )
    published = article.get("published_at")
    if published is not None:
        try:
            when = parse_timestamp(published)
        except ValueError:
            raise RejectedRecord(
                "schema", f"published_at {published[:64]!r} is not an RFC 3339 time such as 2018-04-07T16:00:00Z"
            ) from None
        if when.year not in PUBLISHED_YEARS:
            raise RejectedRecord(
                "schema",
                f"published_at {published[:64]!r} is outside the years {PUBLISHED_YEARS.start}-"
                f"{PUBLISHED_YEARS.stop - 1}; check the producer's date field",
            )
        if record_timestamp is not None and when > datetime.fromtimestamp(record_timestamp, UTC) + FUTURE_TOLERANCE:
            raise RejectedRecord(
                "schema",
                f"published_at {published!r} is more than a day after the record was produced; "
                "check the producer's clock or time zone",
            )
    return article


def split_extra(article: dict) -> dict:
    """The raw article's unknown fields, passed through unchanged."""
    return {k: v for k, v in article.items() if k not in KNOWN_FIELDS}


def dlq_record(
    raw: bytes | None,
    error: RejectedRecord,
    *,
    topic: str,
    partition: int,
    offset: int,
    timestamp: float | None,
    extractor_version: str,
    now: datetime | None = None,
) -> dict:
    """Build the dead-letter record for ``raw`` (schema ``dlq-record``)."""
    data = raw or b""
    clipped = data[:DLQ_PAYLOAD_LIMIT]
    try:
        payload, encoding = clipped.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        # Clipping can split the last multi-byte character of valid UTF-8: keep what precedes it.
        # Anything else is binary or broken text, kept losslessly as base64.
        if len(clipped) < len(data) and exc.start >= len(clipped) - 3 and exc.end == len(clipped):
            payload, encoding = clipped[: exc.start].decode("utf-8"), "utf-8"
        else:
            payload, encoding = base64.b64encode(clipped).decode("ascii"), "base64"
    article_id = None
    if encoding == "utf-8" and error.kind not in ("not_json", "too_deep", "too_large"):
        try:
            parsed = orjson.loads(data)
            if isinstance(parsed, dict) and isinstance(parsed.get("id"), str):
                article_id = parsed["id"][:512]
        except orjson.JSONDecodeError:
            pass
    return {
        "error": error.kind,
        "reason": error.reason,
        "article_id": article_id,
        "payload": payload,
        "payload_encoding": encoding,
        "payload_truncated": len(clipped) < len(data),
        "payload_bytes": len(data),
        "source": {"topic": topic, "partition": partition, "offset": offset, "timestamp": timestamp},
        "failed_at": (now or datetime.now(UTC)).isoformat().replace("+00:00", "Z"),
        "extractor_version": extractor_version,
    }


def dumps(value: Any) -> bytes:
    """Serialize an output record (orjson; non-string keys allowed)."""
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS)
