"""The real worker on the real broker, scraped by a real Prometheus: every dashboard panel and every
alert and recording rule is a valid query, and the panels return data from the worker's own metrics."""

from __future__ import annotations

import asyncio
import time

import orjson
import pytest

from streams.kafka_io import produce
from tests.conftest import FIXTURES
from tests.integration import prom
from tests.integration.test_enrich_flow import MALFORMED, read_all

pytestmark = [pytest.mark.kafka, pytest.mark.prometheus]

SAMPLES = FIXTURES.parent.parent / "samples" / "team-written.jsonl"


@pytest.fixture(scope="module")
def fed_worker(worker):
    """The module's worker after it processed the samples, the Douma article and malformed input."""
    s = worker.settings
    douma = (FIXTURES / "douma-2018-04-07.ar.article.json").read_bytes()
    records = [(None, line) for line in SAMPLES.read_bytes().splitlines() if line.strip()]
    records += [(b"douma", orjson.dumps(orjson.loads(douma)))] + [(None, raw) for raw, _ in MALFORMED]
    asyncio.run(produce(s, s.topic_raw, records))
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if len(read_all(s, s.topic_enriched, 1.0)) + len(read_all(s, s.topic_dlq, 1.0)) >= len(records):
            break
    return worker


def test_observability_every_panel_and_rule_works_on_the_real_worker(fed_worker, tmp_path):
    target = f"127.0.0.1:{fed_worker.settings.web_port}"
    with prom.prometheus_server(target, tmp_path) as base_url:
        prom.wait_for_target_up(base_url, timeout=30)
        prom.wait_for_data(base_url, "newsinc:articles_consumed:rate5m", timeout=60)
        deadline = time.monotonic() + 60
        while True:
            results = prom.query_all_exprs(base_url)
            failed = {e: r.error for e, r in results.items() if not r.ok}
            empty = {r.source.where: e for e, r in results.items() if r.source.expects_data and not r.has_data}
            if (not failed and not empty) or time.monotonic() > deadline:
                break
            time.sleep(2)
        assert failed == {}, "expressions Prometheus rejected"
        assert empty == {}, "panels or recording rules without data from the real worker"
        health = prom.rule_health(base_url)
        assert {n: h for n, h in health.items() if h["health"] != "ok"} == {}
        incidents = prom.query(base_url, "sum(newsinc_incidents_emitted_total)")
        assert float(incidents["data"]["result"][0]["value"][1]) >= 3
