"""The Faust application options, from settings: one place for the service and its benchmarks.

Kept apart from :mod:`streams.app` so that a benchmark app can share every option without
registering the service's agents.
"""

from __future__ import annotations

import ssl
from pathlib import Path
from typing import Any

import faust
from faust.types import ProcessingGuarantee

from streams.settings import Settings


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


def app_options(settings: Settings) -> dict[str, Any]:
    """Keyword arguments of ``faust.App`` for ``settings`` (the data directory is created)."""
    # Faust keeps its per-app state (table offsets, locks) here; it does not create the parents itself.
    datadir = Path(settings.data_dir) / "faust" / settings.app_id
    datadir.mkdir(parents=True, exist_ok=True)
    return dict(
        broker=[f"kafka://{server.strip()}" for server in settings.brokers.split(",") if server.strip()],
        broker_credentials=_credentials(settings),
        processing_guarantee=ProcessingGuarantee(settings.processing_guarantee),
        topic_partitions=settings.partitions,
        topic_replication_factor=settings.replication_factor,
        web_bind=settings.web_host,
        web_host=settings.web_host,
        web_port=settings.web_port,
        datadir=str(datadir),
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
        # A worker that creates its own topics can join its group before the broker lists them and
        # get no partitions; the consumer sees them at its next metadata refresh (aiokafka's default
        # is every 5 minutes, seen as a worker idle that long on a fresh broker).
        consumer_metadata_max_age_ms=30_000,
        # Faust's web server would otherwise publish table contents (/table/...) and the cluster
        # layout (/router/) to anyone who reaches the port; only /metrics, /health and /ready are ours.
        web_tables_enabled=False,
        web_router_enabled=False,
    )


def make_worker(app: faust.App, settings: Settings) -> faust.Worker:
    """The Faust worker that runs ``app``, logging at ``settings.log_level`` and nothing below it.

    Faust's worker draws a progress spinner on a terminal, and to drive it, at a log level of
    WARNING or above it sets the root logger to DEBUG and adds a handler that advances the
    spinner: every debug call of Faust and aiokafka (several per message produced) then builds a
    log record. At STREAMS_LOG_LEVEL=warning that cost the worker about a tenth of its CPU (two
    workers side by side on one burst, bench/BENCHMARKS.md). Without the spinner the level stays
    as set.
    """
    worker = faust.Worker(app, loglevel=settings.log_level, quiet=True)
    worker.spinner = None
    return worker

