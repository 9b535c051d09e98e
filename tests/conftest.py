"""Shared test helpers: fixtures folder, schema checks."""

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
