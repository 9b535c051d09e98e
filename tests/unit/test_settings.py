"""The settings object: defaults, environment overrides, clear errors, no secrets shown."""

from __future__ import annotations

import dataclasses

import pytest

from streams.errors import ConfigError
from streams.settings import FIELDS, REPO_ROOT, Settings, settings_markdown


def test_settings_defaults_name_the_design_topics():
    s = Settings.from_env({})
    assert (s.topic_raw, s.topic_enriched, s.topic_incidents, s.topic_dlq) == (
        "articles.raw", "articles.enriched", "incidents", "articles.dlq")
    assert s.brokers == f"127.0.0.1:{s.local_broker_port}" and s.uses_local_broker


@pytest.mark.parametrize(
    ("var", "value", "field", "expected"),
    [
        ("KAFKA_BOOTSTRAP_SERVERS", "k1:9092,k2:9092", "brokers", "k1:9092,k2:9092"),
        ("STREAMS_PARTITIONS", "8", "partitions", 8),
        ("STREAMS_EXTRACT_TIMEOUT_S", "0.5", "extract_timeout_s", 0.5),
        ("STREAMS_TOPIC_RAW", "news.in", "topic_raw", "news.in"),
    ],
)
def test_settings_read_environment(var, value, field, expected):
    assert getattr(Settings.from_env({var: value}), field) == expected


@pytest.mark.parametrize(
    ("env", "words"),
    [
        ({"STREAMS_PARTITIONS": "many"}, "STREAMS_PARTITIONS"),
        ({"STREAMS_PARTITIONS": "0"}, "at least 1"),
        ({"STREAMS_PROCESSING_GUARANTEE": "maybe"}, "at_least_once"),
        ({"KAFKA_SECURITY_PROTOCOL": "TLS"}, "KAFKA_SECURITY_PROTOCOL"),
        ({"KAFKA_SASL_MECHANISM": "GSSAPI"}, "KAFKA_SASL_MECHANISM"),
        ({"STREAMS_CONSOLIDATE_POLICY": "average"}, "STREAMS_CONSOLIDATE_POLICY"),
    ],
)
def test_settings_bad_value_names_the_variable(env, words):
    with pytest.raises(ConfigError, match=words):
        Settings.from_env(env)


def test_settings_are_frozen_and_redact_secrets():
    s = Settings.from_env({"KAFKA_SASL_PASSWORD": "hunter2"})
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.partitions = 3  # type: ignore[misc]
    assert "hunter2" not in repr(s.redacted())


def test_settings_table_documents_every_field():
    table = settings_markdown()
    assert all(f"`{var}`" in table for _, var, *_ in FIELDS)
    assert {f.name for f in dataclasses.fields(Settings)} == {name for name, *_ in FIELDS}


def test_settings_readme_table_matches_the_code():
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert settings_markdown() in readme, "README settings table is stale: paste `streams settings --markdown`"
