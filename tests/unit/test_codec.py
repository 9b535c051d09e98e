"""Decoding untrusted records: every failure has a stable kind and a reason a producer can act on."""

from __future__ import annotations

import base64

import orjson
import pytest

from streams.codec import decode_article, dlq_record
from streams.errors import RejectedRecord
from streams.settings import Settings
from tests.conftest import assert_valid

SETTINGS = Settings.from_env({"STREAMS_MAX_ARTICLE_BYTES": "10000", "STREAMS_MAX_TEXT_CHARS": "500",
                              "STREAMS_MAX_JSON_DEPTH": "8"})
PRODUCED_AT = 1_523_116_800.0  # 2018-04-07T16:00:00Z


@pytest.mark.parametrize(
    ("raw", "kind", "words"),
    [
        (b"", "not_json", "empty record"),
        (b"not json at all", "not_json", "not valid JSON"),
        (b"\xff\xfe\x00\x01", "invalid_utf8", "UTF-8"),
        (b'"\\ud800"', "not_json", "surrogate"),
        (b"[1, 2]", "schema", "expected an object"),
        (b'{"id": "a", "text": 5}', "schema", "text"),
        (b'{"id": 7, "text": "x"}', "schema", "id"),
        (b'{"id": "a"}', "empty_text", "text"),
        (b'{"id": "a", "text": " \\n\\t "}', "empty_text", "white space"),
        (b'{"id": "a", "text": "x", "lang": "arabic"}', "schema", "lang"),
        (b'{"id": "a", "text": "x", "published_at": "last tuesday"}', "schema", "RFC 3339"),
        (b'{"id": "a", "text": "x", "published_at": "2031-01-01T00:00:00Z"}', "schema", "more than a day after"),
        (b'{"id": "a", "text": "x", "n": 1e999}', "not_json", "infinity"),
        (b'{"id": "a", "text": "x", "deep": ' + b"[" * 20 + b"]" * 20 + b"}", "too_deep", "deeper than 8"),
        (b"[" * 3000 + b"]" * 3000, "too_deep", "depth"),
        (b'{"id": "a", "text": "' + b"x" * 600 + b'"}', "too_large", "STREAMS_MAX_TEXT_CHARS"),
        (b'{"id": "a", "text": "' + b"x" * 12000 + b'"}', "too_large", "STREAMS_MAX_ARTICLE_BYTES"),
    ],
)
def test_codec_rejects_bad_record_with_kind_and_reason(raw, kind, words):
    with pytest.raises(RejectedRecord) as info:
        decode_article(raw, SETTINGS, PRODUCED_AT)
    assert info.value.kind == kind
    assert words.lower() in info.value.reason.lower()


@pytest.mark.parametrize(
    "article",
    [
        {"id": "a", "text": "دوما"},
        {"id": "b", "text": "x", "published_at": "2018-04-07T16:00:00+03:00", "lang": "ar", "extra": {"k": [1]}},
        {"id": "c", "text": "\u200fmixed עברית and العربية\u202e", "published_at": "2018-04-08T10:00:00Z"},
    ],
)
def test_codec_accepts_valid_article_and_keeps_extra_fields(article):
    assert decode_article(orjson.dumps(article), SETTINGS, PRODUCED_AT) == article


def test_codec_accepts_huge_numbers_in_extra_fields():
    article = decode_article(b'{"id": "d", "text": "t", "n": 123456789012345678901234567890}', SETTINGS)
    assert article["n"] == pytest.approx(1.2345678901234568e29)


@pytest.mark.parametrize(
    ("raw", "encoding", "article_id"),
    [
        (b'{"id": "a1", "text": 3}', "utf-8", "a1"),
        (b"\xff\xfe binary", "base64", None),
        (b"plain words", "utf-8", None),
    ],
)
def test_codec_dlq_record_keeps_payload_and_matches_schema(raw, encoding, article_id):
    error = RejectedRecord("schema", "because")
    record = dlq_record(raw, error, topic="t", partition=1, offset=9, timestamp=PRODUCED_AT, extractor_version="v")
    assert_valid("dlq-record", record)
    assert record["payload_encoding"] == encoding
    assert record["article_id"] == article_id
    restored = base64.b64decode(record["payload"]) if encoding == "base64" else record["payload"].encode()
    assert restored == raw


def test_codec_dlq_record_truncates_huge_payload_on_a_character_boundary():
    raw = ("د" * 100_000).encode()
    record = dlq_record(raw, RejectedRecord("too_large", "big"), topic="t", partition=0, offset=0,
                        timestamp=None, extractor_version="v")
    assert record["payload_truncated"] is True
    assert record["payload_encoding"] == "utf-8"
    assert set(record["payload"]) == {"د"}
    assert record["payload_bytes"] == len(raw)
