"""The Faust application: settings, topics, web pages. Agents live in :mod:`streams.agents`.

``streams worker`` runs this app. Everything is configured from :class:`Settings` (environment
variables), read once at import.
"""

from __future__ import annotations

import time

import faust

from streams import __version__, metrics
from streams.appconfig import app_options
from streams.consumer import StreamsApp
from streams.extract import EXTRACTOR_VERSION
from streams.settings import Settings

settings = Settings.from_env()


app = StreamsApp(settings.app_id, **app_options(settings))

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
