"""Every Prometheus metric of the service, in one place.

Names share the ``newsinc_`` prefix, use base units (seconds, bytes), and counters end in
``_total``. Labels are low-cardinality only: language, incident type, country code, stage,
reason, outcome, topic, partition. Never an article id or free text.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, Info
from prometheus_client import start_http_server as _start_http_server

PREFIX = "newsinc"
REGISTRY = CollectorRegistry(auto_describe=True)

# Process metrics (resident memory, CPU, open fds) and Python GC metrics, in our registry.
try:  # pragma: no cover - platform dependent
    from prometheus_client import GC_COLLECTOR, PLATFORM_COLLECTOR, PROCESS_COLLECTOR  # noqa: F401
    from prometheus_client.gc_collector import GCCollector
    from prometheus_client.platform_collector import PlatformCollector
    from prometheus_client.process_collector import ProcessCollector

    ProcessCollector(registry=REGISTRY)
    PlatformCollector(registry=REGISTRY)
    GCCollector(registry=REGISTRY)
except ImportError:  # pragma: no cover
    pass

# Latency buckets from 1 ms to 60 s: extraction is milliseconds, end-to-end can be seconds.
_LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
_STAGE_BUCKETS = (0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1)

ARTICLES_CONSUMED = Counter(
    f"{PREFIX}_articles_consumed_total", "Raw articles read from the input topic.", ["language"], registry=REGISTRY
)
ARTICLES_ENRICHED = Counter(
    f"{PREFIX}_articles_enriched_total", "Articles enriched and sent to articles.enriched.", ["language"],
    registry=REGISTRY,
)
DLQ_RECORDS = Counter(
    f"{PREFIX}_dlq_records_total", "Input records sent to the dead-letter topic, by error kind.", ["reason"],
    registry=REGISTRY,
)
INCIDENTS_EMITTED = Counter(
    f"{PREFIX}_incidents_emitted_total", "Incident events sent to the incidents topic.", ["type", "country"],
    registry=REGISTRY,
)
CASUALTIES_REPORTED = Counter(
    f"{PREFIX}_casualties_reported_total",
    "People reported killed or injured in emitted incidents (headline figures, cumulative totals excluded).",
    ["kind", "country"],
    registry=REGISTRY,
)
CONSOLIDATED = Counter(
    f"{PREFIX}_consolidated_incidents_total",
    "Consolidation outcomes: created (a new real-world incident), updated (a new version), retracted (a corrected article withdrew its last report), unchanged (a replay).",
    ["outcome"],
    registry=REGISTRY,
)
QUALITY = Counter(
    f"{PREFIX}_article_quality_total",
    "Articles showing a quality signal: with_incident, unresolved_place, count_without_incident.",
    ["language", "signal"],
    registry=REGISTRY,
)
STAGE_SECONDS = Histogram(
    f"{PREFIX}_extraction_stage_seconds", "Time spent in each extraction stage per article.", ["stage"],
    buckets=_STAGE_BUCKETS, registry=REGISTRY,
)
PROCESSING_SECONDS = Histogram(
    f"{PREFIX}_article_processing_seconds", "Time to process one article in the enrich agent (decode to sent).",
    buckets=_LATENCY_BUCKETS, registry=REGISTRY,
)
END_TO_END_SECONDS = Histogram(
    f"{PREFIX}_end_to_end_latency_seconds",
    "From the article's Kafka record timestamp to its incidents being sent.",
    buckets=_LATENCY_BUCKETS, registry=REGISTRY,
)
CONSUMER_LAG_MESSAGES = Gauge(
    f"{PREFIX}_consumer_lag_messages", "Records between the committed/current offset and the partition end.",
    ["topic", "partition"], registry=REGISTRY,
)
CONSUMER_LAG_SECONDS = Gauge(
    f"{PREFIX}_consumer_lag_seconds", "Age of the record being processed: how far behind the newest the worker is.",
    ["topic", "partition"], registry=REGISTRY,
)
REBALANCES = Counter(f"{PREFIX}_rebalances_total", "Consumer group rebalances seen by this worker.", registry=REGISTRY)
CONSUMER_REREADS = Counter(
    f"{PREFIX}_consumer_rereads_total",
    "Input partitions read again because a record arrived ahead of the next due offset (fetched before a rebalance).",
    registry=REGISTRY,
)
CONSUMER_UNPROCESSED = Counter(
    f"{PREFIX}_consumer_unprocessed_total",
    "Input records handed to the agents but not processed (skipped or dropped by Faust around a rebalance); each is read again, never committed past.",
    registry=REGISTRY,
)
WORKER_UP = Gauge(f"{PREFIX}_worker_up", "1 while the worker holds input partitions (0 for an idle extra replica or during a rebalance).", registry=REGISTRY)
WORKER_START_TIME = Gauge(
    f"{PREFIX}_worker_start_time_seconds", "Unix time the worker started.", registry=REGISTRY
)
GAZETTEER_ENTRIES = Gauge(
    f"{PREFIX}_gazetteer_entries", "Places in the loaded gazetteer index.", registry=REGISTRY
)
BUILD_INFO = Info(f"{PREFIX}_build", "Service and extractor versions.", registry=REGISTRY)


def start_metrics_server(port: int, addr: str) -> None:
    """Serve ``/metrics`` for this module's registry on ``addr:port`` (a daemon thread)."""
    _start_http_server(port, addr=addr, registry=REGISTRY)


def init_series(languages: tuple[str, ...], dlq_kinds: tuple[str, ...]) -> None:
    """Create every known label combination at zero, so dashboards and ratios show 0, not "no data".

    A counter series that only appears on its first increment makes ``rate()`` blind to that first
    event and leaves quality ratios empty on a healthy worker.
    """
    for lang in (*languages, "unknown"):
        ARTICLES_CONSUMED.labels(lang)
    for lang in languages:
        ARTICLES_ENRICHED.labels(lang)
        for signal in ("with_incident", "unresolved_place", "count_without_incident"):
            QUALITY.labels(lang, signal)
    for kind in dlq_kinds:
        DLQ_RECORDS.labels(kind)
    for outcome in ("created", "updated", "retracted", "unchanged"):
        CONSOLIDATED.labels(outcome)
