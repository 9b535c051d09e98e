"""The JSON Schemas under ``schemas/`` are the contract; this module loads them once.

Code and tests use the same files: input validation, output checks in tests, and the README all
come from them.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import orjson
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

# The service runs from its source tree (editable install, container image), where the schemas
# live at the top level next to the package: one copy, read by code, tests and people.
SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"

NAMES = ("raw-article", "enriched-article", "incident", "dlq-record", "consolidated-incident")


@cache
def _registry() -> Registry:
    resources = []
    for path in sorted(SCHEMA_DIR.glob("*.schema.json")):
        contents = orjson.loads(path.read_bytes())
        resource = Resource.from_contents(contents)
        # Register each schema under its file name and its $id so relative $refs resolve.
        resources.append((path.name, resource))
        resources.append((contents["$id"], resource))
    return Registry().with_resources(resources)


@cache
def schema(name: str) -> dict[str, Any]:
    """The parsed schema ``schemas/<name>.schema.json``."""
    return orjson.loads((SCHEMA_DIR / f"{name}.schema.json").read_bytes())


@cache
def validator(name: str) -> Draft202012Validator:
    """A validator for ``schemas/<name>.schema.json``, built once (the schema itself is checked)."""
    contents = schema(name)
    Draft202012Validator.check_schema(contents)
    return Draft202012Validator(contents, registry=_registry())


def describe_errors(name: str, instance: Any, limit: int = 3) -> list[str]:
    """Human-readable messages for the ways ``instance`` breaks the schema (empty when valid)."""
    errors = sorted(validator(name).iter_errors(instance), key=lambda e: list(e.absolute_path))
    out = []
    for err in errors[:limit]:
        where = "/".join(str(p) for p in err.absolute_path) or "(top level)"
        message = err.message if len(err.message) <= 200 else err.message[:200] + "…"
        out.append(f"{where}: {message}")
    return out
