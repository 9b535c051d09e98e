"""The Faust application: settings, topics, web pages. Agents live in :mod:`streams.agents`.

``streams worker`` runs this app. Everything is configured from :class:`Settings` (environment
variables), read once at import.
"""

from __future__ import annotations

import ssl
import time
from pathlib import Path

import faust
from faust.types import ProcessingGuarantee

from streams import __version__, metrics
from streams.extract import EXTRACTOR_VERSION
from streams.settings import Settings

settings = Settings.from_env()


def _credentials(s: Settings):
    """Kafka SASL/TLS credentials from settings (None for PLAINTEXT)."""
    protocol = s.security_protocol.upper()
    if protocol == "PLAINTEXT":
        return None
    context = None
    if protocol in ("SSL", "SASL_SSL"):
        context = ssl.create_default_context(cafile=s.ssl_cafile or None)
        if s.ssl_certfile:
            context.load_cert_chain(s.ssl_certfile, s.ssl_keyfile or None)
    if protocol.startswith("SASL"):
        return faust.SASLCredentials(
            username=s.sasl_username, password=s.sasl_password, ssl_context=context, mechanism=s.sasl_mechanism
        )
    return faust.SSLCredentials(context)


# Faust keeps its per-app state (table offsets, locks) here; it does not create the parents itself.
DATADIR = Path(settings.data_dir) / "faust" / settings.app_id
DATADIR.mkdir(parents=True, exist_ok=True)

app = faust.App(
    settings.app_id,
    broker=[f"kafka://{server.strip()}" for server in settings.brokers.split(",") if server.strip()],
    broker_credentials=_credentials(settings),
    processing_guarantee=ProcessingGuarantee(settings.processing_guarantee),
    topic_partitions=settings.partitions,
    topic_replication_factor=settings.replication_factor,
    web_bind=settings.web_host,
    web_host=settings.web_host,
    web_port=settings.web_port,
    datadir=str(DATADIR),
    store="memory://",
    key_serializer="raw",
    value_serializer="raw",
    # Records are produced to the input topic before the worker's group exists in tests and demos.
    consumer_auto_offset_reset="earliest",
    producer_acks=-1,
    # Commit often: a restart then re-processes at most a second of input (outputs are idempotent).
    broker_commit_every=500,
    broker_commit_interval=1.0,
    # A dead worker's partitions move to the others after the session timeout (Faust's default,
    # 60 s, holds a partition's articles that long); extraction never blocks the loop for seconds.
    broker_session_timeout=15.0,
    broker_heartbeat_interval=3.0,
    # Faust's web server would otherwise publish table contents (/table/...) and the cluster
    # layout (/router/) to anyone who reaches the port; only /metrics, /health and /ready are ours.
    web_tables_enabled=False,
    web_router_enabled=False,
)

# Topics carry raw bytes: decoding is ours (orjson, with DLQ on failure), not Faust's, so a bad
# record can never crash the stream inside a deserializer.
raw_topic = app.topic(settings.topic_raw, key_type=bytes, value_type=bytes, value_serializer="raw")
enriched_topic = app.topic(settings.topic_enriched, key_type=bytes, value_type=bytes, value_serializer="raw")
incidents_topic = app.topic(settings.topic_incidents, key_type=bytes, value_type=bytes, value_serializer="raw")
dlq_topic = app.topic(settings.topic_dlq, key_type=bytes, value_type=bytes, value_serializer="raw")
consolidated_topic = app.topic(
    settings.topic_consolidated, key_type=bytes, value_type=bytes, value_serializer="raw",
    compacting=True, deleting=False,
)
TOPICS = {
    settings.topic_enriched: enriched_topic,
    settings.topic_incidents: incidents_topic,
    settings.topic_dlq: dlq_topic,
    settings.topic_consolidated: consolidated_topic,
}

_started: dict[str, float] = {}


@app.on_before_configured.connect
def _before_configured(app: faust.App, **_) -> None:
    metrics.BUILD_INFO.info({"version": __version__, "extractor_version": EXTRACTOR_VERSION})


@app.page("/metrics")
async def metrics_page(web, request):
    """Prometheus scrape endpoint (text exposition format)."""
    from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

    return web.bytes(generate_latest(metrics.REGISTRY), content_type=CONTENT_TYPE_LATEST.split(";")[0])


@app.page("/health")
async def health_page(web, request):
    """Liveness: the worker's event loop answers."""
    return web.json({"status": "ok", "uptime_s": round(time.time() - _started.get("at", time.time()), 1)})


@app.page("/ready")
async def ready_page(web, request):
    """Readiness: the gazetteer is loaded and the consumer is not in the middle of a rebalance."""
    ready = "at" in _started and not app.rebalancing
    return web.json({"ready": ready}, status=200 if ready else 503)


def mark_started() -> None:
    """Record that start-up work (gazetteer load) is done: /ready may answer 200 from now on."""
    from streams import schemas
    from streams.extract.lang import available_languages

    dlq_kinds = tuple(schemas.schema("dlq-record")["properties"]["error"]["enum"])
    metrics.init_series(available_languages(), dlq_kinds)
    _started["at"] = time.time()
    metrics.WORKER_START_TIME.set(_started["at"])


# Register the agents on the app (import for the side effect, at the end to avoid a cycle).
from streams import agents  # noqa: E402,F401
