"""Human-readable rendering of records for ``streams tail`` and ``streams demo``."""

from __future__ import annotations

import unicodedata

import orjson

INCIDENT_COLUMNS = (("type", 16), ("date", 10), ("place", 28), ("killed", 8), ("injured", 8), ("article", 28))


def _width(text: str) -> int:
    """Display width, ignoring combining marks (Arabic diacritics take no column)."""
    return sum(0 if unicodedata.combining(ch) else 1 for ch in text)


def _cell(text: str, width: int) -> str:
    if _width(text) > width:
        text = text[: width - 1] + "…"
    return text + " " * max(0, width - _width(text))


def _toll(toll: dict | None) -> str:
    if not toll:
        return "-"
    mark = {"more_than": ">", "at_least": "≥", "about": "~", "up_to": "≤", "vague": "~"}.get(toll["qualifier"], "")
    return f"{mark}{toll['value']:g}"


def _figure(figure: dict | None) -> str:
    """A consolidated figure: the headline, and the sources' range when they disagree."""
    if not figure:
        return "-"
    value, low, high = figure["value"], figure["low"], figure["high"]
    return f"{value:g}" if low == high == value else f"{value:g} ({low:g}-{high:g})"


def incident_header() -> str:
    """The header line of the incident table."""
    return " ".join(_cell(name.upper(), width) for name, width in INCIDENT_COLUMNS)


def incident_row(incident: dict) -> str:
    """One incident as a table row: type, date, place, killed, injured, source article."""
    loc = incident.get("location") or {}
    place = f"{loc.get('name')}, {loc.get('country_code')}" if loc else "(no place)"
    cells = (
        "+".join(incident.get("types") or [incident["type"]]),
        (incident.get("date") or {}).get("value") or "?",
        place,
        _toll(incident.get("killed")),
        _toll(incident.get("injured")),
        incident["article"]["id"],
    )
    return " ".join(_cell(str(value), width) for value, (_, width) in zip(cells, INCIDENT_COLUMNS, strict=True))


def format_record(topic: str, value: bytes | None, raw: bool = False) -> str:
    """Render one record of ``topic``: incidents as table rows, DLQ records as reasons, else JSON."""
    if value is None:
        return "(tombstone)"
    try:
        record = orjson.loads(value)
    except orjson.JSONDecodeError:
        return repr(value[:200])
    if raw or not isinstance(record, dict):
        return value.decode("utf-8", errors="replace")
    if "incident_id" in record and "article" in record:
        return incident_row(record)
    if "error" in record and "reason" in record:
        src = record.get("source") or {}
        return f"DLQ {record['error']}: {record['reason']} (article {record.get('article_id')}, offset {src.get('offset')})"
    if "consolidated_id" in record:
        loc = record.get("location") or {}
        return (f"v{record.get('version')} {record['consolidated_id']} {record.get('status', 'active')} "
                f"{record.get('type')} {(record.get('date') or {}).get('value')} "
                f"{loc.get('name')}, {loc.get('country_code')} killed={_figure(record.get('killed'))} "
                f"injured={_figure(record.get('injured'))} articles={record.get('article_count')} "
                f"languages={','.join(record.get('languages') or [])}")
    return orjson.dumps(record, option=orjson.OPT_INDENT_2).decode()
