"""One frozen settings object, read from environment variables.

Every setting declares its environment variable, default and meaning in :data:`FIELDS`; the
README's settings table is generated from the same list (``streams settings --markdown``), so
the documentation cannot drift from the code.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from streams.errors import ConfigError

_REPO_ROOT = Path(__file__).resolve().parent.parent


def _default_cache_dir() -> str:
    return str(Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "news-incident-streams")


# (field name, environment variable, type, default, description)
FIELDS: tuple[tuple[str, str, type, Any, str], ...] = (
    ("bootstrap_servers", "KAFKA_BOOTSTRAP_SERVERS", str, "",
     "Kafka bootstrap servers (host:port,...). Empty: use the local broker that `streams broker` runs."),
    ("local_broker_port", "STREAMS_LOCAL_BROKER_PORT", int, 19092, "Port of the local single-node broker."),
    ("app_id", "STREAMS_APP_ID", str, "news-incidents", "Faust application id (the consumer group)."),
    ("topic_raw", "STREAMS_TOPIC_RAW", str, "articles.raw", "Input topic of raw articles."),
    ("topic_enriched", "STREAMS_TOPIC_ENRICHED", str, "articles.enriched", "Output topic of enriched articles."),
    ("topic_incidents", "STREAMS_TOPIC_INCIDENTS", str, "incidents", "Output topic of incident events."),
    ("topic_dlq", "STREAMS_TOPIC_DLQ", str, "articles.dlq", "Dead-letter topic for input that failed."),
    ("topic_consolidated", "STREAMS_TOPIC_CONSOLIDATED", str, "incidents.consolidated",
     "Compacted topic of consolidated incidents."),
    ("partitions", "STREAMS_PARTITIONS", int, 4, "Partitions of every topic the service creates."),
    ("replication_factor", "STREAMS_REPLICATION_FACTOR", int, 1, "Replication factor of created topics."),
    ("processing_guarantee", "STREAMS_PROCESSING_GUARANTEE", str, "at_least_once",
     "Faust processing guarantee: at_least_once or exactly_once."),
    ("web_host", "STREAMS_WEB_HOST", str, "127.0.0.1",
     "Bind address of the worker's web server (/metrics, /health, /ready). Use 0.0.0.0 in containers."),
    ("web_port", "STREAMS_WEB_PORT", int, 6066, "Port of the worker's web server."),
    ("max_article_bytes", "STREAMS_MAX_ARTICLE_BYTES", int, 1_000_000,
     "Largest raw record accepted; larger records go to the DLQ (reason too_large)."),
    ("max_text_chars", "STREAMS_MAX_TEXT_CHARS", int, 200_000, "Longest article text accepted (characters)."),
    ("max_json_depth", "STREAMS_MAX_JSON_DEPTH", int, 32, "Deepest JSON nesting accepted in a raw record."),
    ("extract_timeout_s", "STREAMS_EXTRACT_TIMEOUT_S", float, 5.0,
     "Time budget of one article's extraction; over it the article goes to the DLQ (reason timeout)."),
    ("cache_dir", "STREAMS_CACHE_DIR", str, "",
     "Where the gazetteer index and Kafka jars are cached. Empty: ~/.cache/news-incident-streams."),
    ("data_dir", "STREAMS_DATA_DIR", str, "",
     "Where the local broker and the worker keep state. Empty: <cache_dir>/data."),
    ("log_level", "STREAMS_LOG_LEVEL", str, "info", "Log level of the worker."),
    ("consolidate_policy", "STREAMS_CONSOLIDATE_POLICY", str, "acled_conservative",
     "Headline casualty policy of consolidated incidents: acled_conservative, latest or highest."),
    ("consolidate_window_days", "STREAMS_CONSOLIDATE_WINDOW_DAYS", int, 7,
     "Longest span of days that reports of one consolidated incident may cover together."),
    ("consolidate_date_slack_days", "STREAMS_CONSOLIDATE_DATE_SLACK_DAYS", int, 0,
     "Days two reports' dates may lie apart and still match (0: day-precision reports need the same day)."),
    ("consolidate_max_contributions", "STREAMS_CONSOLIDATE_MAX_CONTRIBUTIONS", int, 200,
     "Most reports kept per consolidated incident (older, superseded ones are evicted first)."),
    ("consolidate_retention_days", "STREAMS_CONSOLIDATE_RETENTION_DAYS", int, 30,
     "Days of event time a consolidated incident is kept in the worker's state after its latest report's date "
     "(0: forever). A later report of an expired incident starts a new record."),
    ("security_protocol", "KAFKA_SECURITY_PROTOCOL", str, "PLAINTEXT",
     "PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL."),
    ("sasl_mechanism", "KAFKA_SASL_MECHANISM", str, "SCRAM-SHA-512", "SCRAM-SHA-256, SCRAM-SHA-512 or PLAIN."),
    ("sasl_username", "KAFKA_SASL_USERNAME", str, "", "SASL user name."),
    ("sasl_password", "KAFKA_SASL_PASSWORD", str, "", "SASL password (never logged)."),
    ("ssl_cafile", "KAFKA_SSL_CAFILE", str, "", "CA bundle that signs the brokers' certificates."),
    ("ssl_certfile", "KAFKA_SSL_CERTFILE", str, "", "Client certificate for mutual TLS."),
    ("ssl_keyfile", "KAFKA_SSL_KEYFILE", str, "", "Client key for mutual TLS."),
)

_SECRET_FIELDS = frozenset({"sasl_password"})


@dataclass(frozen=True, slots=True)
class Settings:
    """The service's configuration. Build it with :meth:`from_env`; never mutate it."""

    bootstrap_servers: str
    local_broker_port: int
    app_id: str
    topic_raw: str
    topic_enriched: str
    topic_incidents: str
    topic_dlq: str
    topic_consolidated: str
    partitions: int
    replication_factor: int
    processing_guarantee: str
    web_host: str
    web_port: int
    max_article_bytes: int
    max_text_chars: int
    max_json_depth: int
    extract_timeout_s: float
    cache_dir: str
    data_dir: str
    log_level: str
    consolidate_policy: str
    consolidate_window_days: int
    consolidate_date_slack_days: int
    consolidate_max_contributions: int
    consolidate_retention_days: int
    security_protocol: str
    sasl_mechanism: str
    sasl_username: str
    sasl_password: str
    ssl_cafile: str
    ssl_certfile: str
    ssl_keyfile: str

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read every setting from ``environ`` (default: ``os.environ``), applying defaults.

        Raises :class:`ConfigError` naming the variable when a value does not parse.
        """
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for name, var, typ, default, _ in FIELDS:
            raw = env.get(var)
            if raw is None or raw == "":
                values[name] = default
                continue
            try:
                values[name] = typ(raw)
            except ValueError as exc:
                raise ConfigError(f"{var}={raw!r} is not a valid {typ.__name__}") from exc
        if not values["cache_dir"]:
            values["cache_dir"] = _default_cache_dir()
        if not values["data_dir"]:
            values["data_dir"] = str(Path(values["cache_dir"]) / "data")
        if values["processing_guarantee"] not in ("at_least_once", "exactly_once"):
            raise ConfigError("STREAMS_PROCESSING_GUARANTEE must be at_least_once or exactly_once")
        from streams.consolidate import POLICIES

        if values["consolidate_policy"] not in POLICIES:
            raise ConfigError(f"STREAMS_CONSOLIDATE_POLICY must be one of {', '.join(sorted(POLICIES))}")
        if values["security_protocol"].upper() not in ("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"):
            raise ConfigError("KAFKA_SECURITY_PROTOCOL must be PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL")
        if values["sasl_mechanism"].upper() not in ("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"):
            raise ConfigError("KAFKA_SASL_MECHANISM must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512")
        if values["consolidate_retention_days"] < 0:
            raise ConfigError("STREAMS_CONSOLIDATE_RETENTION_DAYS must be 0 (keep forever) or more")
        if values["partitions"] < 1:
            raise ConfigError("STREAMS_PARTITIONS must be at least 1")
        return cls(**values)

    @property
    def brokers(self) -> str:
        """The bootstrap servers to use: the configured ones, else the local broker."""
        return self.bootstrap_servers or f"127.0.0.1:{self.local_broker_port}"

    @property
    def topics(self) -> tuple[str, ...]:
        """Every topic the service reads or writes (Faust's own changelogs excluded)."""
        return (self.topic_raw, self.topic_enriched, self.topic_incidents, self.topic_dlq, self.topic_consolidated)

    @property
    def uses_local_broker(self) -> bool:
        """True when no external broker is configured."""
        return not self.bootstrap_servers

    def redacted(self) -> dict[str, Any]:
        """The settings as a dict with secrets masked, safe to log."""
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            out[f.name] = "***" if f.name in _SECRET_FIELDS and value else value
        return out


def settings_markdown() -> str:
    """The README's settings table, generated from :data:`FIELDS`."""
    rows = ["| Variable | Default | Meaning |", "|---|---|---|"]
    for _, var, _, default, doc in FIELDS:
        shown = f"`{default}`" if default != "" else "(empty)"
        rows.append(f"| `{var}` | {shown} | {doc} |")
    return "\n".join(rows)


REPO_ROOT = _REPO_ROOT
