"""End to end on the real broker: raw articles in, enriched/incidents/DLQ out, each exactly once."""

from __future__ import annotations

import asyncio
import time
import urllib.request

import orjson
import pytest
from aiokafka.admin import AIOKafkaAdminClient

from streams.kafka_io import client_options, end_offsets, ensure_topics, produce, read
from tests.conftest import assert_valid, load_fixture

pytestmark = pytest.mark.kafka

GOOD_EN = {
    "id": "flow-en-1",
    "lang": "en",
    "published_at": "2019-09-05T18:00:00Z",
    "source": "test",
    "feed": {"name": "an unknown extra field that must pass through"},
    "text": "A car bomb exploded near a checkpoint in Kabul on Thursday, killing 10 people and wounding 42 "
            "others, the interior ministry said.",
}
# (raw bytes, expected DLQ error kind): every one must come out on the DLQ with that kind.
MALFORMED = [
    (b"this is not json", "not_json"),
    (b'{"id": "flow-bad-types", "text": 42}', "schema"),
    (b'{"id": "flow-no-text"}', "empty_text"),
    (b'{"id": "flow-empty-text", "text": "   "}', "empty_text"),
    (b'["an", "array"]', "schema"),
    (b"\xff\xfe\x00binary", "invalid_utf8"),
    (b'{"id": "flow-bad-date", "text": "x", "published_at": "yesterday-ish"}', "schema"),
]


def read_all(settings, topic: str, idle: float = 3.0) -> list[dict]:
    """Every record currently in ``topic``."""

    async def run() -> list[dict]:
        return [orjson.loads(r.value) async for r in read(settings, topic, idle_timeout=idle)]

    return asyncio.run(run())


@pytest.fixture(scope="module")
def flow(worker):
    """Produce the Douma article, a good English article and every malformed record once."""
    s = worker.settings
    douma = load_fixture("douma-2018-04-07.ar.article.json")
    records = [(b"douma", orjson.dumps(douma)), (b"en", orjson.dumps(GOOD_EN))]
    records += [(None, raw) for raw, _ in MALFORMED]
    asyncio.run(ensure_topics(s, [s.topic_raw]))
    asyncio.run(produce(s, s.topic_raw, records))
    expected_total = len(records)
    deadline = time.monotonic() + 120
    enriched, dlq = [], []
    while time.monotonic() < deadline:
        enriched = read_all(s, s.topic_enriched, idle=1.0)
        dlq = read_all(s, s.topic_dlq, idle=1.0)
        if len(enriched) + len(dlq) >= expected_total:
            break
        time.sleep(1)
    time.sleep(3)  # let any duplicate arrive before the final read
    return {
        "enriched": read_all(s, s.topic_enriched),
        "dlq": read_all(s, s.topic_dlq),
        "incidents": read_all(s, s.topic_incidents),
        "produced": records,
        "worker": worker,
    }


def test_flow_every_record_comes_out_exactly_once(flow):
    enriched_ids = [e["article_id"] for e in flow["enriched"]]
    dlq_offsets = [(d["source"]["partition"], d["source"]["offset"]) for d in flow["dlq"]]
    assert sorted(enriched_ids) == ["afp-ar-20180407-douma", "flow-en-1"], flow["worker"].log_tail()
    assert len(dlq_offsets) == len(MALFORMED) and len(set(dlq_offsets)) == len(MALFORMED)
    assert len(flow["enriched"]) + len(flow["dlq"]) == len(flow["produced"])


@pytest.mark.parametrize(("raw", "kind"), MALFORMED)
def test_flow_malformed_record_goes_to_dlq_with_reason(flow, raw, kind):
    matches = [d for d in flow["dlq"] if d["payload_bytes"] == len(raw) and d["error"] == kind]
    assert matches, f"no DLQ record of kind {kind} for {raw!r}: {[(d['error'], d['reason']) for d in flow['dlq']]}"
    record = matches[0]
    assert len(record["reason"]) > 10
    assert_valid("dlq-record", record)


def test_flow_douma_incident_is_located_in_syria(flow):
    douma = [i for i in flow["incidents"] if i["article"]["id"] == "afp-ar-20180407-douma"]
    assert douma, "no incident for the Douma article"
    assert all(i["location"] and i["location"]["country_code"] == "SY" for i in douma)
    assert {i["location"]["geonameid"] for i in douma} == {170592}


def test_flow_outputs_match_their_schemas(flow):
    for record in flow["enriched"]:
        assert_valid("enriched-article", record)
    for record in flow["incidents"]:
        assert_valid("incident", record)


def test_flow_unknown_fields_pass_through(flow):
    en = next(e for e in flow["enriched"] if e["article_id"] == "flow-en-1")
    assert en["article"]["extra"] == {"feed": GOOD_EN["feed"]}


def test_flow_metrics_count_consumed_and_dlq(flow):
    with urllib.request.urlopen(f"{flow['worker'].base_url}/metrics", timeout=5) as resp:
        text = resp.read().decode()
    consumed = sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
                   if line.startswith("newsinc_articles_consumed_total{"))
    assert consumed == len(flow["produced"])
    assert 'newsinc_dlq_records_total{reason="not_json"} 1.0' in text
    assert "newsinc_incidents_emitted_total{" in text


async def _committed(settings, topic: str) -> dict[int, int]:
    """The worker group's committed offset of every partition of ``topic``."""
    admin = AIOKafkaAdminClient(**client_options(settings))
    await admin.start()
    try:
        offsets = await admin.list_consumer_group_offsets(settings.app_id)
    finally:
        await admin.close()
    return {tp.partition: meta.offset for tp, meta in offsets.items() if tp.topic == topic}


def test_flow_commits_keep_up_with_processing_over_several_waves(flow):
    """Commits must follow the processed records wave after wave, not stop after the first
    commit (as when Faust's compiled stream iterator bypassed the ordered consumer's acks)."""
    s = flow["worker"].settings
    for wave in range(3):
        before = sum(asyncio.run(end_offsets(s, s.topic_dlq)).values())
        asyncio.run(produce(s, s.topic_raw, [(f"wave-{wave}-{i}".encode(), b"not json") for i in range(4)]))
        deadline = time.monotonic() + 60
        while sum(asyncio.run(end_offsets(s, s.topic_dlq)).values()) < before + 4:
            assert time.monotonic() < deadline, flow["worker"].log_tail()
            time.sleep(0.5)
        time.sleep(2.5)  # more than the 1 s commit interval: the next wave comes after a commit
    ends = asyncio.run(end_offsets(s, s.topic_raw))
    deadline = time.monotonic() + 20
    while (committed := asyncio.run(_committed(s, s.topic_raw))) != ends:
        assert time.monotonic() < deadline, f"committed {committed}, end offsets {ends}"
        time.sleep(1)
