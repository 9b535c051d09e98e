"""Shared test helpers: fixtures folder, schema checks, the main incident of a text."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from streams import schemas

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def load_fixture(name: str) -> dict:
    """A JSON fixture from tests/fixtures."""
    return orjson.loads((FIXTURES / name).read_bytes())


def assert_valid(schema_name: str, record: dict) -> None:
    """Fail with the schema's own words when ``record`` breaks ``schemas/<schema_name>``."""
    problems = schemas.describe_errors(schema_name, record, limit=10)
    assert not problems, f"{schema_name}: " + "; ".join(problems)


@pytest.fixture(scope="session")
def douma_article() -> dict:
    """The AFP Arabic article of 7 April 2018 as a raw-article record."""
    return load_fixture("douma-2018-04-07.ar.article.json")


@pytest.fixture(scope="session")
def douma_expected() -> dict:
    """What a careful analyst reads out of the Douma article."""
    return load_fixture("douma-2018-04-07.ar.expected.json")


def main_incident(text: str, lang: str = "en", published_at: str = "2024-05-10T12:00:00Z") -> dict:
    """The most confident incident extracted from ``text`` (the calling test fails if there is none)."""
    from streams.extract.pipeline import extract_article

    article = {"id": "t-1", "lang": lang, "text": text, "published_at": published_at}
    incidents = extract_article(article)["incidents"]
    assert incidents, text
    return max(incidents, key=lambda i: i["confidence"])
