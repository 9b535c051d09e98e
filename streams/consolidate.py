"""Consolidation: one record per real-world incident, merged across articles as reports arrive.

Pure and deterministic: no Kafka, no clock (``now_iso`` is passed in), no network. The same
sequence of incidents applied to the same state always gives byte-identical state, so the
consolidate agent can run this inside a Faust stream and a replay reproduces it. ``docs/
consolidation.md`` explains the policy with a worked example.

Three levels, use whichever fits:

- :func:`match_key`, :func:`matches`, :func:`merge`: one record at a time.
- :func:`consolidate` and :func:`retract_article`: one incident against a :class:`Store` (three
  mappings: records by consolidated id, a date index, a per-article ledger). In the agent the
  three mappings are Faust tables; in tests and batch jobs, :class:`DictStore`.

Partitioning. The stream must be keyed by :func:`bucket_key` (``"<family>|<country>"``) before
it reaches the agent (``group_by``): every candidate for a match shares that key, so one
partition sees all of them, and every table key this module writes (consolidated ids, index
keys, ledger keys) belongs to exactly one bucket, so Faust's changelog (written to the current
event's partition) restores each key from one partition only. The date is deliberately *not*
in the partition key: a week-precision report or a one-day slack must be able to reach a record
filed under a neighbouring day, which a per-day key would put on another partition. Within a
bucket the index table narrows candidates to the relevant days.

Retention. :func:`consolidate` also deletes records whose incident is older than
``retention_days`` in event time (a per-shard high-water mark of publication days, never past
the processing day), with their index and ledger entries, at most ``retention_batch`` expiry
entries per call: Faust tables can only be written while an event of the key's partition is
processed, so expiry is amortised over the incidents rather than run by a timer. The shard is
the partition in the worker (see :func:`record_day`, :func:`clock_day`, docs/consolidation.md).

Records are treated as immutable: every change builds a new dict (Faust only writes a table's
changelog on assignment, and its in-memory store hands back the very object it holds).
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, MutableMapping
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime, timedelta
from typing import Any, Protocol

import orjson

from streams.errors import ConfigError
from streams.extract.events import taxonomy as _taxonomy
from streams.extract.events import type_family as _taxonomy_family

# --------------------------------------------------------------------------------------------
# Type families
# --------------------------------------------------------------------------------------------

# Families come from the taxonomy (streams/extract/data/taxonomy.json, owned by extraction), so
# the vocabulary and its grouping live in one data file: airstrike, drone_strike and shelling
# are remote_violence (outlets disagree on the weapon of one raid: Arabic قصف is rendered
# "shelling" by one and "airstrike" by another); bombing and suicide_bombing are explosions, so
# a raid and a separate bomb in one town on one day stay two incidents; a ground assault,
# clashes and a town changing hands are battles; protest and riot are demonstrations.
# docs/consolidation.md discusses the choice.
def type_family(incident_type: str | None) -> str | None:
    """The family of an incident type (``"airstrike"`` -> ``"remote_violence"``), or None.

    Incidents of different families never merge. None for ``"other"``, unknown types and None:
    an incident nobody could type is never merged with anything.
    """
    if not incident_type:
        return None
    family = _taxonomy_family(incident_type)
    return None if family == "other" else family


# --------------------------------------------------------------------------------------------
# Configuration
# --------------------------------------------------------------------------------------------

DEFAULT_POLICY = "acled_conservative"

# Coarseness of a location's feature: the coarser of two places sets the distance allowed.
_FEATURE_RANK = {"city": 0, "admin2": 1, "region": 2, "admin1": 3, "country": 4}


@dataclass(frozen=True, slots=True)
class ConsolidationConfig:
    """Matching and reconciliation parameters. Build one with :meth:`from_settings`.

    ``window_days``: the longest date span two reports may cover together and still match
    (from the earliest start to the latest end of their date ranges). 7 lets a week-precision
    report match a day inside that week; month-precision reports need 31; year-precision
    reports never match at the default.
    ``date_slack_days``: how many days apart two date ranges may be (0: they must overlap,
    i.e. the same day for two day-precision dates).
    ``city_km`` / ``admin2_km`` / ``region_km``: the largest distance between two places whose
    coarser feature is a city, an admin2, or a region/admin1. Country-level places match only
    other country-level places of the same country.
    ``max_contributions``: contributions kept per record; older superseded ones are evicted
    first (docs/consolidation.md). ``max_evicted_ids``: evicted incident ids remembered so that a
    replay of one is still recognised.
    ``policy``: name of the headline policy in :data:`POLICIES`.
    ``min_confidence``: reports below it are not credible for the headline (used only when at
    least one report reaches it).
    ``retention_days``: a record whose latest report is dated more than this many days before
    the shard's event-time clock is deleted, with its index and ledger entries (0: keep every
    record forever; see :func:`record_day` and docs/consolidation.md). ``retention_batch``: the
    most expiry entries one call of :func:`consolidate` examines, so expiry is amortised over
    the incidents processed.
    """

    window_days: int = 7
    date_slack_days: int = 0
    city_km: float = 25.0
    admin2_km: float = 50.0
    region_km: float = 150.0
    max_contributions: int = 200
    max_evicted_ids: int = 500
    policy: str = DEFAULT_POLICY
    min_confidence: float = 0.5
    retention_days: int = 30
    retention_batch: int = 8

    def __post_init__(self) -> None:
        if self.date_slack_days < 0:
            raise ConfigError("consolidation date_slack_days must be >= 0")
        if self.window_days < self.date_slack_days + 1:
            raise ConfigError("consolidation window_days must be at least date_slack_days + 1")
        if min(self.city_km, self.admin2_km, self.region_km) < 0:
            raise ConfigError("consolidation distances must be >= 0")
        if self.max_contributions < 1 or self.max_evicted_ids < 0:
            raise ConfigError("consolidation max_contributions must be >= 1, max_evicted_ids >= 0")
        if self.retention_days < 0 or self.retention_batch < 1:
            raise ConfigError("consolidation retention_days must be >= 0, retention_batch >= 1")
        if self.policy not in POLICIES:
            raise ConfigError(f"unknown consolidation policy {self.policy!r}; known: {sorted(POLICIES)}")

    @classmethod
    def from_settings(cls, settings: Any) -> ConsolidationConfig:
        """Read ``consolidate_<field>`` attributes of a settings object; missing ones default."""
        values = {}
        for f in fields(cls):
            value = getattr(settings, f"consolidate_{f.name}", None)
            if value is not None:
                values[f.name] = value
        return cls(**values)

    def distance_limit_km(self, feature_a: str, feature_b: str) -> float | None:
        """Largest distance at which places of these features may match; None: country level."""
        coarser = max(_feature_rank(feature_a), _feature_rank(feature_b))
        if coarser >= _FEATURE_RANK["country"]:
            return None
        return (self.city_km, self.admin2_km, self.region_km, self.region_km)[coarser]


def _feature_rank(feature: str | None) -> int:
    # An unknown feature is treated as a city: the strictest distance, so it never over-merges.
    return _FEATURE_RANK.get(feature or "city", 0)


def _config(settings: Any) -> ConsolidationConfig:
    if settings is None:
        return _DEFAULT_CONFIG
    if isinstance(settings, ConsolidationConfig):
        return settings
    return ConsolidationConfig.from_settings(settings)


# --------------------------------------------------------------------------------------------
# Headline policies
# --------------------------------------------------------------------------------------------

# A report, as a policy sees it: {"incident_id", "value", "low", "high", "qualifier",
# "source_key", "confidence"}; the list a policy gets is ordered oldest report first.
Policy = Callable[[list[dict], ConsolidationConfig], dict]
POLICIES: dict[str, Policy] = {}


def register_policy(name: str) -> Callable[[Policy], Policy]:
    """Decorator: make a headline policy available under ``name`` (settings select it by name).

    A policy takes the reports of one figure (killed or injured), oldest first, and the config,
    and returns ``{"value", "low", "high"}``.
    """

    def register(fn: Policy) -> Policy:
        POLICIES[name] = fn
        return fn

    return register


def latest_per_source(reports: list[dict]) -> list[dict]:
    """Each source's latest report (``reports`` ordered oldest first), in first-seen order."""
    latest: dict[str, dict] = {}
    for r in reports:
        latest[r["source_key"]] = r  # a later report of the same source replaces its earlier one
    return list(latest.values())


def _credible(reports: list[dict], cfg: ConsolidationConfig) -> list[dict]:
    sure = [r for r in reports if (r.get("confidence") or 0.0) >= cfg.min_confidence]
    return sure or reports


def _bounds(reports: list[dict]) -> tuple[float, float]:
    """Lowest low and highest high; a report without a bound contributes its value there."""
    lows = [min(r["low"], r["value"]) if r["low"] is not None else r["value"] for r in reports]
    highs = [max(r["high"], r["value"]) if r["high"] is not None else r["value"] for r in reports]
    return min(lows), max(highs)


@register_policy("acled_conservative")
def acled_conservative(reports: list[dict], cfg: ConsolidationConfig) -> dict:
    """ACLED's rule: the lowest credible figure among the sources' latest reports.

    A source's later report replaces its earlier one, so a source revising its own toll upward
    raises the headline, while a *different* source reporting more only raises ``high``.
    """
    current = latest_per_source(reports)
    low, high = _bounds(current)
    return {"value": min(r["value"] for r in _credible(current, cfg)), "low": low, "high": high}


@register_policy("latest")
def latest(reports: list[dict], cfg: ConsolidationConfig) -> dict:
    """The most recent credible report's figure, whatever its source."""
    current = latest_per_source(reports)
    low, high = _bounds(current)
    return {"value": _credible(reports, cfg)[-1]["value"], "low": low, "high": high}


@register_policy("highest")
def highest(reports: list[dict], cfg: ConsolidationConfig) -> dict:
    """The highest credible figure among the sources' latest reports."""
    current = latest_per_source(reports)
    low, high = _bounds(current)
    return {"value": max(r["value"] for r in _credible(current, cfg)), "low": low, "high": high}


_DEFAULT_CONFIG = ConsolidationConfig()


# --------------------------------------------------------------------------------------------
# Keys, dates, places
# --------------------------------------------------------------------------------------------


def match_key(incident: Mapping[str, Any]) -> str | None:
    """The bucket of candidates an incident can merge with: ``"<family>|<country code>"``.

    None when the incident cannot be matched at all (no type family, e.g. ``"other"``, or no
    location country); :func:`consolidate` gives such an incident a record of its own.
    """
    family = type_family(incident.get("type"))
    location = incident.get("location") or {}
    country = location.get("country_code")
    if family is None or not country:
        return None
    return f"{family}|{country}"


def bucket_key(incident: Mapping[str, Any]) -> str:
    """The partition key of the consolidate stream: :func:`match_key`, else ``"unmatched|<id>"``."""
    return match_key(incident) or f"unmatched|{incident['incident_id']}"


def date_interval(d: Mapping[str, Any] | None) -> tuple[date, date] | None:
    """The days a date record may mean, first and last included; None when unknown.

    ``{"value": "2018-04-06", "precision": "week"}`` is 2018-04-06..2018-04-12; month and year
    precisions cover the whole calendar month or year of the value.
    """
    if not d or not d.get("value"):
        return None
    try:
        start = date.fromisoformat(str(d["value"])[:10])
    except ValueError:
        return None
    precision = d.get("precision") or "day"
    if precision == "day":
        return start, start
    if precision == "week":
        return start, start + timedelta(days=6)
    if precision == "month":
        first = start.replace(day=1)
        nxt = first.replace(year=first.year + 1, month=1) if first.month == 12 else first.replace(month=first.month + 1)
        return first, nxt - timedelta(days=1)
    if precision == "year":
        return date(start.year, 1, 1), date(start.year, 12, 31)
    return None


def _date_gap_and_span(a: tuple[date, date], b: tuple[date, date]) -> tuple[int, int]:
    gap = max(0, (max(a[0], b[0]) - min(a[1], b[1])).days)
    span = (max(a[1], b[1]) - min(a[0], b[0])).days + 1
    return gap, span


def dates_match(a: Mapping[str, Any] | None, b: Mapping[str, Any] | None, settings: Any = None) -> bool:
    """True when two date records can be the same day: their ranges overlap (or lie within
    ``date_slack_days``) and together span at most ``window_days``. Unknown dates never match."""
    cfg = _config(settings)
    ia, ib = date_interval(a), date_interval(b)
    if ia is None or ib is None:
        return False
    gap, span = _date_gap_and_span(ia, ib)
    return gap <= cfg.date_slack_days and span <= cfg.window_days


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def _place_distance(a: Mapping[str, Any], b: Mapping[str, Any]) -> float | None:
    if None in (a.get("lat"), a.get("lon"), b.get("lat"), b.get("lon")):
        return None
    return distance_km(a["lat"], a["lon"], b["lat"], b["lon"])


def _fold(s: Any) -> str:
    return str(s or "").casefold().strip()


def places_match(a: Mapping[str, Any] | None, b: Mapping[str, Any] | None, settings: Any = None) -> bool:
    """True when two locations can be the same place of one incident.

    Same country always required. Same GeoNames id: yes. A country-level place matches only
    another country-level place. An admin1 matches a place inside it (its ``admin1``). Otherwise
    the distance must be within the limit of the coarser feature (city 25 km, admin2 50 km,
    region/admin1 150 km by default); without coordinates, the same name in the same admin1.
    """
    cfg = _config(settings)
    if not a or not b or not a.get("country_code") or a.get("country_code") != b.get("country_code"):
        return False
    if a.get("geonameid") is not None and a.get("geonameid") == b.get("geonameid"):
        return True
    fa, fb = a.get("feature") or "city", b.get("feature") or "city"
    limit = cfg.distance_limit_km(fa, fb)
    if limit is None:
        return fa == fb == "country"
    for outer, inner in ((a, b), (b, a)):
        if outer.get("feature") == "admin1" and inner.get("admin1") and _fold(inner["admin1"]) == _fold(outer.get("name")):
            return True
    dist = _place_distance(a, b)
    if dist is None:
        return _fold(a.get("name")) == _fold(b.get("name")) != "" and _fold(a.get("admin1")) == _fold(b.get("admin1"))
    return dist <= limit


# --------------------------------------------------------------------------------------------
# Contributions: one report's facts, kept small
# --------------------------------------------------------------------------------------------


def _utc_key(value: Any) -> str:
    """An RFC 3339 time as a sortable UTC string ("" when absent or unreadable)."""
    if not value or not isinstance(value, str):
        return ""
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return ""
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def article_revision(article: Mapping[str, Any]) -> int | str | None:
    """Which text of an article this is: higher is newer, equal across replays of one text.

    ``article.revision`` (set by the producer or the enrich agent), else the raw article's
    pass-through ``revision`` or ``updated_at`` (in ``article.extra``), else None (a single,
    unrevised text).
    """
    if article.get("revision") is not None:
        return article["revision"]
    extra = article.get("extra") or {}
    if extra.get("revision") is not None:
        return extra["revision"]
    updated = _utc_key(extra.get("updated_at"))
    return updated or None


def _rev_key(rev: Any) -> tuple:
    # None (no revision known) sorts before every revision; ints before strings.
    if rev is None:
        return (0, 0, "")
    if isinstance(rev, bool):
        return (1, int(rev), "")
    if isinstance(rev, int | float):
        return (1, rev, "")
    if isinstance(rev, str):
        return (2, 0, rev)
    return (3, 0, orjson.dumps(rev, option=orjson.OPT_SORT_KEYS).decode())


def source_key(incident: Mapping[str, Any]) -> str:
    """Who a report's figures come from, for "a source's latest report replaces its earlier one".

    The first reporting body the incident names that is not a news agency (an observatory, a
    ministry, civil defence: the body that counted), else the first agency named, else the
    publisher (``article.source``), else the article itself. Names are the lexicons' canonical
    English names, so an Arabic and an English report citing the same body share a key.
    """
    named = [s for s in incident.get("sources") or [] if isinstance(s, Mapping) and s.get("name")]
    primary = [s for s in named if s.get("kind") != "agency"] or named
    if primary:
        return "src:" + _fold(primary[0]["name"])
    article = incident.get("article") or {}
    if article.get("source"):
        return "pub:" + _fold(article["source"])
    return "art:" + str(article.get("id"))


def _toll(t: Any) -> dict | None:
    if not isinstance(t, Mapping) or t.get("value") is None:
        return None
    return {"value": t["value"], "low": t.get("low"), "high": t.get("high"), "qualifier": t.get("qualifier")}


def _place(p: Any) -> dict | None:
    if not isinstance(p, Mapping):
        return None
    keys = ("name", "geonameid", "country_code", "admin1", "lat", "lon", "feature", "confidence")
    return {k: p.get(k) for k in keys}


def _json(value: Any) -> Any:
    """A deep, JSON-only copy: proves serializability and shares nothing with the caller."""
    return orjson.loads(orjson.dumps(value))


def contribution(incident: Mapping[str, Any]) -> dict:
    """The part of an incident a consolidated record keeps: one report's own facts and figures."""
    article = incident.get("article") or {}
    date_rec = incident.get("date") or {}
    return _json({
        "article_id": str(article.get("id")),
        "revision": article_revision(article),
        "source": article.get("source"),
        "url": article.get("url"),
        "language": article.get("language"),
        "published_at": article.get("published_at"),
        "published_utc": _utc_key(article.get("published_at")),
        "source_key": source_key(incident),
        "type": incident.get("type"),
        "types": list(incident.get("types") or [incident.get("type")]),
        "date": {"value": date_rec.get("value"), "precision": date_rec.get("precision")},
        "location": _place(incident.get("location")),
        "killed": _toll(incident.get("killed")),
        "injured": _toll(incident.get("injured")),
        "confidence": incident.get("confidence"),
        "actors": [
            {"name": a.get("name"), "kind": a.get("kind"), "role": a.get("role")}
            for a in incident.get("actors") or [] if isinstance(a, Mapping) and a.get("name")
        ],
        "sources": [
            {"name": s.get("name"), "kind": s.get("kind")}
            for s in incident.get("sources") or [] if isinstance(s, Mapping) and s.get("name")
        ],
    })


def _order(item: tuple[str, Mapping[str, Any]]) -> tuple:
    """Report order: publication time, then revision, article id, incident id (deterministic)."""
    iid, c = item
    return (c.get("published_utc") or "", _rev_key(c.get("revision")), c.get("article_id") or "", iid)


# --------------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------------


def consolidated_id_for(bucket: str, incident_id: str, attempt: int = 0) -> str:
    """The id of a record first created from ``incident_id`` in ``bucket`` (stable across replays).

    ``attempt`` > 0 only when that id is already held by a live record that no longer contains
    the incident (its article was corrected and the incident re-matched elsewhere).
    """
    text = f"{bucket}\x1f{incident_id}" + (f"\x1f{attempt}" if attempt else "")
    return "ci-" + hashlib.blake2b(text.encode(), digest_size=10).hexdigest()


def _bucket_parts(bucket: str) -> tuple[str | None, str | None]:
    if bucket.startswith("unmatched|"):
        return None, None
    family, _, country = bucket.partition("|")
    return family or None, country or None


def _most_common_first(values: Iterable[Any]) -> list[Any]:
    """Distinct values, most frequent first, ties in first-seen order."""
    counts = Counter(values)  # a Counter keeps first-seen order
    first = {v: i for i, v in enumerate(counts)}
    return sorted(counts, key=lambda v: (-counts[v], first[v]))


def _place_id(p: Mapping[str, Any]) -> tuple:
    return (p.get("geonameid"),) if p.get("geonameid") is not None else (_fold(p.get("name")), p.get("lat"), p.get("lon"))


def _pick_location(items: list[tuple[str, dict]]) -> dict | None:
    places = [c["location"] for _, c in items if c.get("location")]
    if not places:
        return None
    freq = Counter(_place_id(p) for p in places)
    # Finest feature first (a city beats a governorate), then the place most reports give,
    # then the most confident resolution; earliest report breaks ties.
    best = min(
        enumerate(places),
        key=lambda ip: (_feature_rank(ip[1].get("feature")), -freq[_place_id(ip[1])], -(ip[1].get("confidence") or 0), ip[0]),
    )[1]
    return dict(best)


def _pick_date(items: list[tuple[str, dict]]) -> dict | None:
    dated = [(c["date"], date_interval(c["date"])) for _, c in items]
    dated = [(d, iv) for d, iv in dated if iv is not None]
    if not dated:
        return None
    freq = Counter((iv[0], iv[1]) for _, iv in dated)
    # Most precise range first, then the one most reports give, then the earliest report's.
    d, iv = min(enumerate(dated), key=lambda x: ((x[1][1][1] - x[1][1][0]).days, -freq[x[1][1]], x[0]))[1]
    return {"value": d["value"], "precision": d.get("precision") or "day", "start": iv[0].isoformat(), "end": iv[1].isoformat()}


def _reconcile(items: list[tuple[str, dict]], figure: str, cfg: ConsolidationConfig) -> dict | None:
    reports = [
        {**c[figure], "incident_id": iid, "source_key": c["source_key"], "confidence": c.get("confidence")}
        for iid, c in items if c.get(figure)
    ]
    if not reports:
        return None
    out = POLICIES[cfg.policy](reports, cfg)
    return {
        "value": out["value"], "low": out["low"], "high": out["high"], "policy": cfg.policy,
        "reports": len(reports), "sources": len({r["source_key"] for r in reports}),
    }


def _derive(cid: str, bucket: str, contribs: Mapping[str, dict], evicted: Mapping[str, Any], cfg: ConsolidationConfig) -> dict:
    """A record's content (all but version/updated_at) as a pure function of its contributions."""
    items = sorted(contribs.items(), key=_order)
    family, country = _bucket_parts(bucket)
    types = _most_common_first(c["type"] for _, c in items if c.get("type"))
    main = types[0] if types else None
    all_types = _most_common_first(t for _, c in items for t in c.get("types") or [] if t)
    perpetrator_kind = next((a.get("kind") for _, c in items for a in c.get("actors") or []
                             if a.get("role") == "perpetrator"), None)
    # Derived from the main type rather than stored with every report: it is the same data.
    taxonomy = _taxonomy(main, perpetrator_kind) if main else None
    location = _pick_location(items)
    actors: dict[tuple, dict] = {}
    sources: dict[str, dict] = {}
    for a in [a for _, c in items for a in c.get("actors") or []] + list(evicted.get("actors") or []):
        actors.setdefault((a["name"], a.get("role")), a)
    for s in [s for _, c in items for s in c.get("sources") or []] + list(evicted.get("sources") or []):
        sources.setdefault(s["name"], s)
    articles: dict[str, dict] = {}
    for _, c in items:
        articles.setdefault(c["article_id"], {
            "id": c["article_id"], "source": c.get("source"), "url": c.get("url"),
            "language": c.get("language"), "published_at": c.get("published_at"), "revision": c.get("revision"),
        })
    return {
        "consolidated_id": cid,
        "status": "active" if items else "retracted",
        "bucket": bucket,
        "family": family or type_family(main),
        "type": main,
        "types": all_types,
        "taxonomy": taxonomy,
        "date": _pick_date(items),
        "location": location,
        "country_code": country or (location or {}).get("country_code"),
        "killed": _reconcile(items, "killed", cfg),
        "injured": _reconcile(items, "injured", cfg),
        "article_count": len(articles) + int(evicted.get("count") or 0),
        "languages": sorted({c["language"] for _, c in items if c.get("language")}),
        "articles": list(articles.values()),
        "actors": [actors[k] for k in sorted(actors, key=lambda k: (k[0], k[1] or ""))],
        "sources": [sources[k] for k in sorted(sources)],
        "contributions": dict(items),
        "evicted": {
            "count": int(evicted.get("count") or 0),
            "ids": list(evicted.get("ids") or []),
            "actors": list(evicted.get("actors") or []),
            "sources": list(evicted.get("sources") or []),
            # The evicted reports' articles, so that expiry finds their ledger entries; present
            # only once a report was evicted, so records below the cap keep their shape.
            **({"articles": list(evicted["articles"])} if evicted.get("articles") else {}),
        },
    }


def _cap(contribs: dict[str, dict], evicted: dict[str, Any], cfg: ConsolidationConfig) -> None:
    """Evict contributions beyond ``max_contributions``, least informative first.

    Order: reports superseded by a later report of the same source (they no longer count for
    any figure), then reports with no figure, then the oldest. Their actors and sources stay
    in the record's unions; their ids are remembered (up to ``max_evicted_ids``) so a replay of
    one changes nothing.
    """
    excess = len(contribs) - cfg.max_contributions
    if excess <= 0:
        return
    items = sorted(contribs.items(), key=_order)
    last_of_source = {c["source_key"]: iid for iid, c in items}

    def worth(position: int) -> tuple[int, int]:
        iid, c = items[position]
        if last_of_source[c["source_key"]] != iid:
            return (0, position)  # superseded by a later report of its source
        if not (c.get("killed") or c.get("injured")):
            return (1, position)
        return (2, position)

    ranked = [items[p] for p in sorted(range(len(items)), key=worth)]
    ids = list(evicted.get("ids") or [])
    articles = list(evicted.get("articles") or [])
    actors = list(evicted.get("actors") or [])
    sources = list(evicted.get("sources") or [])
    for iid, c in ranked[:excess]:
        del contribs[iid]
        ids.append(iid)
        if c["article_id"] in articles:
            articles.remove(c["article_id"])
        articles.append(c["article_id"])  # most recently evicted last, like ids
        actors.extend(a for a in c.get("actors") or [] if a not in actors)
        sources.extend(s for s in c.get("sources") or [] if s not in sources)
    evicted["count"] = int(evicted.get("count") or 0) + excess
    evicted["ids"] = ids[-cfg.max_evicted_ids:] if cfg.max_evicted_ids else []
    evicted["articles"] = articles[-cfg.max_evicted_ids:] if cfg.max_evicted_ids else []
    evicted["actors"] = actors
    evicted["sources"] = sources


def _holds(record: Mapping[str, Any] | None, incident_id: str) -> bool:
    if not record:
        return False
    return incident_id in record.get("contributions", {}) or incident_id in (record.get("evicted") or {}).get("ids", [])


def _merge_content(base: Mapping[str, Any] | None, cid: str, bucket: str, iid: str, new_c: dict,
                   cfg: ConsolidationConfig) -> dict | None:
    """``base`` with ``new_c`` as contribution ``iid``; None when ``new_c`` is an older text."""
    contribs = dict(base["contributions"]) if base else {}
    evicted = dict(base.get("evicted") or {}) if base else {}
    if iid in (evicted.get("ids") or []):
        return _derive(cid, bucket, contribs, evicted, cfg)  # a replay of an evicted report
    rev = _rev_key(new_c["revision"])
    same_article = {k: c for k, c in contribs.items() if c["article_id"] == new_c["article_id"]}
    if any(_rev_key(c["revision"]) > rev for c in same_article.values()):
        return None
    # A newer text of the article replaces everything its earlier text contributed here.
    for k, c in same_article.items():
        if _rev_key(c["revision"]) < rev:
            del contribs[k]
    contribs[iid] = new_c
    _cap(contribs, evicted, cfg)
    return _derive(cid, bucket, contribs, evicted, cfg)


def _without(record: Mapping[str, Any], iid: str, cfg: ConsolidationConfig) -> dict:
    contribs = {k: c for k, c in record["contributions"].items() if k != iid}
    return _derive(record["consolidated_id"], record["bucket"], contribs, record.get("evicted") or {}, cfg)


def _repeats(held: Mapping[str, Any] | None, iid: str, new_c: Mapping[str, Any]) -> bool:
    """True when record ``held`` has ``new_c``'s facts for ``iid`` from an older revision.

    A report evicted from the record counts as repeated: its facts are gone, and a replay of an
    evicted report changes nothing either (see :func:`_merge_content`).
    """
    if not held:
        return False
    if iid in (held.get("evicted") or {}).get("ids", []):
        return True
    c = held.get("contributions", {}).get(iid)
    # Held under the same revision already: not the older text repeated, but this text's own
    # earlier write (a redelivery after a crash), which the ordinary path handles.
    return (c is not None and _rev_key(c["revision"]) < _rev_key(new_c["revision"])
            and {**c, "revision": None} == {**new_c, "revision": None})


def _content(record: Mapping[str, Any]) -> dict:
    return {k: v for k, v in record.items() if k not in ("version", "updated_at")}


def _finalize(before: Mapping[str, Any] | None, content: Mapping[str, Any], now_iso: str) -> tuple[dict, str]:
    """Stamp version and time on a changed record; report what happened.

    No deep copy: contributions are JSON copies made by :func:`contribution`, everything else is
    built afresh by :func:`_derive`, and nothing is ever modified in place.
    """
    if before is not None and _content(before) == _content(content):
        return dict(before), "unchanged"
    if not content["contributions"]:
        outcome = "retracted"
    elif before is None or before.get("status") == "retracted":
        outcome = "created"
    else:
        outcome = "updated"
    version = int(before["version"]) + 1 if before is not None else 1
    return {"consolidated_id": content["consolidated_id"], "version": version, "updated_at": now_iso,
            **{k: v for k, v in content.items() if k != "consolidated_id"}}, outcome


def matches(existing: Mapping[str, Any], incident: Mapping[str, Any], settings: Any = None) -> bool:
    """True when ``incident`` reports the same real-world incident as the record ``existing``.

    Same type family; :func:`places_match` on the record's location; :func:`dates_match` on the
    record's date. Two incidents that one text of one article reports separately never merge:
    the extractor split them, so they are two events. Language plays no part.
    """
    cfg = _config(settings)
    if existing.get("status") == "retracted" or not existing.get("contributions"):
        return False
    family = type_family(incident.get("type"))
    if family is None or family != existing.get("family"):
        return False
    if not places_match(existing.get("location"), incident.get("location"), cfg):
        return False
    if not dates_match(existing.get("date"), incident.get("date"), cfg):
        return False
    article = incident.get("article") or {}
    aid, rev = str(article.get("id")), _rev_key(article_revision(article))
    iid = incident.get("incident_id")
    return not any(
        k != iid and c["article_id"] == aid and _rev_key(c["revision"]) >= rev
        for k, c in existing["contributions"].items()
    )


def _score(record: Mapping[str, Any], incident: Mapping[str, Any]) -> tuple:
    """Rank matching candidates: closest date, most precise, nearest, best supported, then id."""
    ia, ib = date_interval(record.get("date")), date_interval(incident.get("date"))
    gap, span = _date_gap_and_span(ia, ib) if ia and ib else (10**6, 10**6)
    dist = _place_distance(record.get("location") or {}, incident.get("location") or {})
    return (gap, span, dist if dist is not None else 0.0, -len(record["contributions"]), record["consolidated_id"])


def merge(consolidated: Mapping[str, Any] | None, incident: Mapping[str, Any], now_iso: str,
          settings: Any = None) -> tuple[dict, str]:
    """Add one incident report to a consolidated record (or start one); return (record, outcome).

    ``outcome`` is ``"created"``, ``"updated"`` or ``"unchanged"``. Contributions are keyed by
    incident id (article id + position), so the same incident twice changes nothing (same
    version, same ``updated_at``), and a new text of an article replaces what its earlier text
    contributed to this record; a report from an *older* text than one already held is ignored.
    Does not check :func:`matches`: the caller chose the record. ``now_iso`` becomes
    ``updated_at`` when the record changes. The new record's id is
    :func:`consolidated_id_for` (bucket, incident id).
    """
    cfg = _config(settings)
    iid = str(incident["incident_id"])
    new_c = contribution(incident)
    if consolidated is None:
        bucket = bucket_key(incident)
        content = _merge_content(None, consolidated_id_for(bucket, iid), bucket, iid, new_c, cfg)
    else:
        content = _merge_content(consolidated, consolidated["consolidated_id"], consolidated["bucket"], iid, new_c, cfg)
        if content is None:
            return dict(consolidated), "unchanged"
    assert content is not None
    return _finalize(consolidated, content, now_iso)


def remove_incident(consolidated: Mapping[str, Any], incident_id: str, now_iso: str,
                    settings: Any = None) -> tuple[dict, str]:
    """Withdraw one contribution; outcome ``"updated"``, ``"retracted"`` (none left) or ``"unchanged"``."""
    cfg = _config(settings)
    if incident_id not in consolidated.get("contributions", {}):
        return dict(consolidated), "unchanged"
    return _finalize(consolidated, _without(consolidated, incident_id, cfg), now_iso)


# --------------------------------------------------------------------------------------------
# The date index: which records of a bucket may match which days
# --------------------------------------------------------------------------------------------


def _days(start: date, end: date) -> Iterable[date]:
    for n in range((end - start).days + 1):
        yield start + timedelta(days=n)


def index_keys(record: Mapping[str, Any]) -> list[str]:
    """The index-table keys a record is filed under: one per day for ranges of up to 7 days,
    else its month, else its years. Retracted, undated and unmatched records are not filed."""
    bucket = record.get("bucket") or ""
    iv = date_interval(record.get("date"))
    if iv is None or record.get("status") == "retracted" or bucket.startswith("unmatched|"):
        return []
    start, end = iv
    if (end - start).days < 7:
        return [f"{bucket}|d|{d.isoformat()}" for d in _days(start, end)]
    if (start.year, start.month) == (end.year, end.month):
        return [f"{bucket}|m|{start.year:04d}-{start.month:02d}"]
    return [f"{bucket}|y|{y:04d}" for y in range(start.year, end.year + 1)]


def lookup_keys(incident: Mapping[str, Any], settings: Any = None) -> list[str]:
    """The index-table keys to read for an incident's candidates (every key under which a
    record that :func:`dates_match` the incident can be filed). Empty when nothing can match."""
    cfg = _config(settings)
    bucket = match_key(incident)
    iv = date_interval(incident.get("date"))
    if bucket is None or iv is None or (iv[1] - iv[0]).days + 1 > cfg.window_days:
        return []
    start = iv[0] - timedelta(days=cfg.date_slack_days)
    end = iv[1] + timedelta(days=cfg.date_slack_days)
    keys = [f"{bucket}|d|{d.isoformat()}" for d in _days(start, end)]
    months = sorted({(d.year, d.month) for d in _days(start, end)})
    keys += [f"{bucket}|m|{y:04d}-{m:02d}" for y, m in months]
    keys += [f"{bucket}|y|{y:04d}" for y in range(start.year, end.year + 1)]
    return keys


# Incidents of an article's older texts that the ledger keeps re-withdrawing (see consolidate).
_MAX_WITHDRAWN = 100


def ledger_key(bucket: str, article_id: str) -> str:
    """The ledger-table key of an article's contributions within a bucket."""
    return f"{bucket}|{article_id}"


# --------------------------------------------------------------------------------------------
# Retention: records whose incident is older than the retention, in event time, are deleted
# --------------------------------------------------------------------------------------------

# Expiry keys live in the index table, beside the date index (no bucket starts with "~"):
# ``~expiry|<shard>`` -> {"clock": day, "days": [days that have an entry]} and
# ``~expiry|<shard>|<day>`` -> the consolidated ids filed under that day.
_EXPIRY = "~expiry"


def expiry_key(shard: str, day: str | None = None) -> str:
    """The index-table key of a shard's expiry clock (``day`` None) or of its list for ``day``."""
    return f"{_EXPIRY}|{shard}" if day is None else f"{_EXPIRY}|{shard}|{day}"


def _report_day(c: Mapping[str, Any]) -> str | None:
    """The day a report is evidence of: the last day of its date range, never after its publication."""
    published = (c.get("published_utc") or "")[:10] or None
    iv = date_interval(c.get("date"))
    day = iv[1].isoformat() if iv else published
    if published and day and day > published:
        day = published  # a report cannot tell of a later day (a misread year, an announced event)
    return day


def record_day(record: Mapping[str, Any]) -> str | None:
    """The event day a record's age is measured from (``YYYY-MM-DD``), or None.

    The latest day among its reports, each report counting the last day of its incident's date
    range, but not later than its publication (undated reports count their publication day). So
    an incident is kept while it is recent, in the stream's own time, and a report about an old
    incident does not make it young. None for a record without reports (retracted).
    """
    days = [d for c in (record.get("contributions") or {}).values() if (d := _report_day(c))]
    return max(days) if days else None


def clock_day(incident: Mapping[str, Any], now_iso: str) -> str | None:
    """How far ``incident`` moves its shard's event-time clock: its article's publication day
    (else its date's first day), never past the processing day ``now_iso``."""
    day = _utc_key((incident.get("article") or {}).get("published_at"))[:10] or None
    if day is None:
        iv = date_interval(incident.get("date"))
        day = iv[0].isoformat() if iv else None
    today = _utc_key(now_iso)[:10]
    if day and today and day > today:
        day = today  # a wrong publication time in the future must not expire the present
    return day


def _cutoff(clock: str, retention_days: int) -> str:
    return (date.fromisoformat(clock) - timedelta(days=retention_days)).isoformat()


class _Expiry:
    """A shard's expiry clock and the days that have expiry lists; written back in :meth:`save`."""

    def __init__(self, store: Store, shard: str) -> None:
        self.store, self.shard = store, shard
        self.key = expiry_key(shard)
        self.stored = store.index.get(self.key)
        self.clock: str | None = self.stored["clock"] if self.stored else None
        self.days: list[str] = list(self.stored["days"]) if self.stored else []

    def advance(self, day: str | None) -> None:
        if day and (self.clock is None or day > self.clock):
            self.clock = day

    def file(self, cid: str, day: str) -> None:
        """File ``cid`` (a consolidated id, or a ledger key no record points to) under ``day``.

        Idempotent, so filing again also repairs an entry a crash lost.
        """
        key = expiry_key(self.shard, day)
        ids = self.store.index.get(key) or []
        if cid not in ids:
            self.store.index[key] = sorted([*ids, cid])
        if day not in self.days:
            self.days = sorted([*self.days, day])

    def prune(self, cfg: ConsolidationConfig) -> None:
        """Delete expired records, oldest day first, examining at most ``retention_batch`` entries.

        An entry is dropped from its list only once its record is seen gone, or younger than
        the cutoff (a later report refiled it under a later day), never in the call that deletes
        the record: if a crash loses that deletion, the record is still listed and the
        redelivered incident expires it again.
        """
        if not cfg.retention_days or self.clock is None:
            return
        cutoff = _cutoff(self.clock, cfg.retention_days)
        budget = cfg.retention_batch
        for day in list(self.days):
            if budget <= 0 or day >= cutoff:
                break
            key = expiry_key(self.shard, day)
            ids = list(self.store.index.get(key) or [])
            keep = ids[budget:]
            for cid in ids[:budget]:
                budget -= 1
                record = self.store.records.get(cid)
                if record is not None:
                    if (d := record_day(record)) is None or d < cutoff:
                        _expire(self.store, record)
                        keep.append(cid)
                elif (ledger := self.store.ledger.get(cid)) is not None and not ledger["incidents"]:
                    del self.store.ledger[cid]  # filed by retract_article: no record points to it
                    keep.append(cid)
            # Unexamined entries first: the next call goes on where this one stopped.
            if keep != ids:
                if keep:
                    self.store.index[key] = keep
                else:
                    del self.store.index[key]
            if not keep:
                self.days.remove(day)

    def save(self) -> None:
        value = {"clock": self.clock, "days": self.days}
        if self.clock is not None and value != self.stored:
            self.store.index[self.key] = value
            self.stored = value


def _expire(store: Store, record: Mapping[str, Any]) -> None:
    """Delete ``record``, its date-index entries and the ledger entries that point to it.

    Ledgers first and the record last: if a crash loses some of these writes, the redelivered
    incident finds the record still there and expires it again.
    """
    cid, bucket = record["consolidated_id"], record["bucket"]
    articles = {c["article_id"] for c in record.get("contributions", {}).values()}
    articles.update((record.get("evicted") or {}).get("articles") or [])
    for article_id in sorted(articles):
        lkey = ledger_key(bucket, article_id)
        ledger = store.ledger.get(lkey)
        if ledger is None:
            continue
        incidents = {i: c for i, c in ledger["incidents"].items() if c != cid}
        if not incidents:
            # Nothing of the article is left in the bucket: the ledger goes too (its withdrawn
            # list only served to redo a correction after a crash, long done).
            del store.ledger[lkey]
        elif incidents != ledger["incidents"]:
            value = {"revision": ledger.get("revision"), "incidents": incidents,
                     "withdrawn": {i: c for i, c in (ledger.get("withdrawn") or {}).items() if c != cid}}
            resent = ledger.get("resent")
            if resent and (kept := [i for i in resent["incidents"] if i in incidents]):
                value["resent"] = {"revision": resent["revision"], "incidents": kept}
            store.ledger[lkey] = value
    for key in index_keys(record):
        ids = store.index.get(key)
        if ids is not None and cid in ids:
            rest = [c for c in ids if c != cid]
            if rest:
                store.index[key] = rest
            else:
                del store.index[key]
    del store.records[cid]


# --------------------------------------------------------------------------------------------
# Store-level operations (what the agent calls)
# --------------------------------------------------------------------------------------------


class Store(Protocol):
    """Where consolidation state lives: three string-keyed mappings (Faust tables in the agent).

    ``records``: consolidated id -> record. ``index``: index key -> sorted list of consolidated
    ids; also each shard's expiry clock and lists (:func:`expiry_key`). ``ledger``: :func:`ledger_key` -> ``{"revision", "incidents": {incident id -> consolidated
    id}, "withdrawn": {incident id of an older text -> consolidated id}}``, plus ``"resent":
    {"revision", "incidents": [incident ids]}`` while a newer revision has only repeated the held
    text (see :func:`consolidate`). Only ``get``, ``__setitem__`` and ``__delitem__`` are used.
    """

    records: MutableMapping[str, Any]
    index: MutableMapping[str, Any]
    ledger: MutableMapping[str, Any]


@dataclass
class DictStore:
    """A :class:`Store` made of plain dicts (tests, batch runs)."""

    records: dict[str, Any] = field(default_factory=dict)
    index: dict[str, Any] = field(default_factory=dict)
    ledger: dict[str, Any] = field(default_factory=dict)


class _Tx:
    """Working copies of the records one incident touches; written back once, in :meth:`commit`."""

    def __init__(self, store: Store, cfg: ConsolidationConfig, now_iso: str, expiry: _Expiry) -> None:
        self.store, self.cfg, self.now, self.expiry = store, cfg, now_iso, expiry
        self.before: dict[str, Any] = {}
        self.work: dict[str, dict] = {}
        self.touched: list[str] = []
        self.ledger: tuple[str, dict] | None = None
        self.stale: set[tuple[str, str]] = set()

    def get(self, cid: str) -> dict | None:
        if cid in self.work:
            return self.work[cid]
        return self.store.records.get(cid)

    def touch(self, cid: str) -> None:
        if cid not in self.before:
            self.before[cid] = self.store.records.get(cid)
            self.touched.append(cid)

    def put(self, content: dict) -> None:
        self.touch(content["consolidated_id"])
        self.work[content["consolidated_id"]] = content

    def emptied(self) -> list[str]:
        """Records that had contributions before this incident and have none now."""
        return [c for c in self.touched if c in self.work and not self.work[c]["contributions"]
                and (self.before[c] or {}).get("contributions")]

    def withdraw(self, cid: str, iid: str, rev: tuple) -> None:
        """Remove contribution ``iid`` if it comes from an older text than ``rev``."""
        rec = self.get(cid)
        c = rec["contributions"].get(iid) if rec else None
        if c is not None and _rev_key(c["revision"]) < rev:
            self.put(_without(rec, iid, self.cfg))

    def restamp(self, cid: str, iid: str, revision: Any) -> None:
        """Mark contribution ``iid`` as part of text ``revision`` (same facts, newer text)."""
        rec = self.get(cid)
        c = rec["contributions"].get(iid) if rec else None
        if c is not None and _rev_key(c["revision"]) < _rev_key(revision):
            contribs = {**rec["contributions"], iid: {**c, "revision": revision}}
            self.put(_derive(cid, rec["bucket"], contribs, rec.get("evicted") or {}, self.cfg))

    def remove(self, cid: str, iid: str) -> None:
        rec = self.get(cid)
        if rec is not None and iid in rec.get("contributions", {}):
            self.put(_without(rec, iid, self.cfg))

    def candidates(self, keys: list[str]) -> list[dict]:
        seen: dict[str, set[str]] = {}
        for key in keys:
            for cid in self.store.index.get(key) or []:
                if cid not in seen:
                    stored = self.store.records.get(cid)
                    seen[cid] = set(index_keys(stored)) if stored is not None else set()
                # An entry whose record is gone or no longer filed here (a crash kept the index
                # write but lost the record's): dropped at commit.
                if key not in seen[cid]:
                    self.stale.add((key, cid))
        return [r for r in (self.get(cid) for cid in seen) if r is not None]

    def new_id(self, bucket: str, iid: str) -> str:
        attempt = 0
        while True:
            cid = consolidated_id_for(bucket, iid, attempt)
            rec = self.get(cid)
            if rec is None or not rec.get("contributions") or iid in rec["contributions"]:
                return cid
            attempt += 1

    def find_holder(self, bucket: str, iid: str, hint: str | None, keys: list[str]) -> str | None:
        """The record that already holds ``iid``: the ledger's, else a candidate's, else a record
        under the incident's own derived id (covers a ledger or index write lost in a crash)."""
        if hint is not None and _holds(self.get(hint), iid):
            return hint
        for rec in self.candidates(keys):
            if _holds(rec, iid):
                return rec["consolidated_id"]
        attempt = 0
        while (rec := self.get(consolidated_id_for(bucket, iid, attempt))) is not None:
            if _holds(rec, iid):
                return rec["consolidated_id"]
            attempt += 1
        return None

    def commit(self, primary: str | None) -> list[tuple[dict, str]]:
        order = ([primary] if primary else []) + sorted(c for c in self.touched if c != primary)
        for key, cid in sorted(self.stale):
            self._unfile(key, cid)
        results = []
        for cid in order:
            before = self.before[cid]
            content = self.work.get(cid, before)
            if content is None:
                continue
            record, outcome = _finalize(before, content, self.now)
            if outcome != "unchanged":
                self.store.records[cid] = record
            self._reindex(cid, before, record)
            # Every record written or confirmed is filed for expiry (a retracted one under the
            # clock: it has no day of its own); filing is idempotent, so this also repairs an
            # entry lost in a crash.
            day = record_day(record) or self.expiry.clock or _utc_key(self.now)[:10]
            if day:
                self.expiry.file(cid, day)
            results.append((record, outcome))
        if self.ledger is not None:
            key, value = self.ledger
            if self.store.ledger.get(key) != value:
                self.store.ledger[key] = value
        return results

    def _unfile(self, key: str, cid: str) -> None:
        ids = self.store.index.get(key)
        if ids is None or cid not in ids:
            return
        rest = [c for c in ids if c != cid]
        if rest:
            self.store.index[key] = rest
        else:
            del self.store.index[key]

    def _reindex(self, cid: str, before: Mapping[str, Any] | None, after: Mapping[str, Any]) -> None:
        new = index_keys(after)
        for key in sorted(set(index_keys(before) if before else []) - set(new)):
            self._unfile(key, cid)
        # Also repairs an index entry lost in a crash: written only when missing.
        for key in new:
            ids = self.store.index.get(key) or []
            if cid not in ids:
                self.store.index[key] = sorted([*ids, cid])


def consolidate(store: Store, incident: Mapping[str, Any], now_iso: str, settings: Any = None, *,
                shard: str = "") -> list[tuple[dict, str]]:
    """Apply one incident report to the store; return every record it changed or confirmed.

    The first pair is the record the incident now belongs to, with outcome ``"created"``,
    ``"updated"`` or ``"unchanged"`` (a replay); the rest are records that lost a contribution
    because the incident's article has a newer text (``"updated"`` or ``"retracted"``), in id
    order. Publish every record whose outcome is not ``"unchanged"``. An empty list means the
    incident comes from an older text of its article than one already applied, and was ignored.

    Steps: a newer text of an article first withdraws what its earlier text contributed to this
    bucket (the ledger lists it), unless so far it repeats the held text (see below); an incident
    already held with identical facts changes nothing;
    one held with different facts is withdrawn and matched afresh; otherwise the best matching
    record (:func:`matches`, ranked by closest date, precision, distance, support) takes it, or a
    new record starts under :func:`consolidated_id_for`.

    Re-sends. A newer revision whose incident has the same facts as the one the held text
    contributed (every field but the revision) is taken for the same text sent again (a feed
    re-sending an article gets a new Kafka timestamp, hence a new revision): nothing changes,
    and the ledger notes which incidents the newer revision confirmed. Only when one of its
    incidents differs (or is new) is the newer revision a correction: then the confirmed
    incidents stay (marked with the new revision) and the rest of the older text is withdrawn.

    Retention. First, the incident moves the event-time clock of ``shard`` (:func:`clock_day`)
    and up to ``retention_batch`` records of the shard older than ``retention_days`` before that
    clock (:func:`record_day`) are deleted, with their index and ledger entries; expired
    records are not returned (the published topic keeps their last version). ``shard`` names
    the set of keys that live together: in the worker, the partition being processed (every
    key written while processing it is restored from that partition's changelog); in a
    :class:`DictStore`, anything, the default one shard for everything.
    """
    cfg = _config(settings)
    expiry = _Expiry(store, shard)
    expiry.advance(clock_day(incident, now_iso))
    expiry.prune(cfg)
    try:
        return _consolidate(_Tx(store, cfg, now_iso, expiry), incident)
    finally:
        expiry.save()


def _consolidate(tx: _Tx, incident: Mapping[str, Any]) -> list[tuple[dict, str]]:
    store, cfg = tx.store, tx.cfg
    iid = str(incident["incident_id"])
    new_c = contribution(incident)
    bucket = bucket_key(incident)
    lkey = ledger_key(bucket, new_c["article_id"])

    ledger = store.ledger.get(lkey)
    entries: dict[str, str] = dict(ledger["incidents"]) if ledger else {}
    withdrawn: dict[str, str] = dict(ledger.get("withdrawn") or {}) if ledger else {}
    resent: dict[str, Any] = dict(ledger.get("resent") or {}) if ledger else {}
    rev = _rev_key(new_c["revision"])
    keys = lookup_keys(incident, cfg)
    if ledger is not None:
        held_rev = _rev_key(ledger.get("revision"))
        if rev < held_rev:
            return []
        if rev > held_rev:
            resent_rev = _rev_key(resent["revision"]) if resent else None
            if resent_rev is not None and rev < resent_rev:
                return []  # older than a revision already seen (that repeated the held text)
            confirmed = list(resent["incidents"]) if resent_rev == rev else []
            holder = entries.get(iid)
            if _repeats(tx.get(holder) if holder else None, iid, new_c):
                # The held text sent again: the record stays as it is (a re-send, not a version).
                assert holder is not None
                for old_iid, cid in sorted(withdrawn.items()):
                    tx.withdraw(cid, old_iid, held_rev)  # as a redelivery of the held text would
                resent = {"revision": new_c["revision"], "incidents": sorted({*confirmed, iid})[-_MAX_WITHDRAWN:]}
                tx.ledger = (lkey, {"revision": ledger.get("revision"), "incidents": entries,
                                    "withdrawn": withdrawn, "resent": resent})
                tx.candidates(keys)  # still repair index entries a crash left stale
                tx.touch(holder)
                return tx.commit(primary=holder)
            # A new text. Incidents it already confirmed unchanged stay; the rest is withdrawn.
            kept = {k: entries[k] for k in confirmed if k in entries}
            withdrawn = {k: c for k, c in withdrawn.items() if k not in kept}
            withdrawn.update({k: c for k, c in entries.items() if k not in kept})
            entries, resent = kept, {}
    # Withdraw what older texts contributed. Repeated for every incident of this text, and a
    # no-op once done: if a crash kept this ledger but lost a record write, the redelivered
    # incident still removes the older text's reports (and re-marks the confirmed ones).
    for old_iid, cid in sorted(withdrawn.items()):
        tx.withdraw(cid, old_iid, rev)
    for kept_iid, cid in sorted(entries.items()):
        tx.restamp(cid, kept_iid, new_c["revision"])
    withdrawn = dict(sorted(withdrawn.items())[-_MAX_WITHDRAWN:])
    value = {"revision": new_c["revision"], "incidents": entries, "withdrawn": withdrawn}
    tx.ledger = (lkey, {**value, "resent": resent} if resent else value)

    holder = tx.find_holder(bucket, iid, entries.get(iid), keys)
    if holder is not None:
        held = tx.get(holder)
        assert held is not None
        held_c = held["contributions"].get(iid)
        if held_c is not None and _rev_key(held_c["revision"]) > _rev_key(new_c["revision"]):
            return []  # an older text than the one held (its ledger entry was lost)
        if held_c == new_c or iid in held["evicted"]["ids"]:
            tx.candidates(keys)  # a replay: still repair index entries a crash left stale
            tx.touch(holder)
            entries[iid] = holder
            return tx.commit(primary=holder)
        tx.remove(holder, iid)

    matching = [r for r in tx.candidates(keys) if matches(r, incident, cfg)]
    if not matching:
        # A record this correction just emptied, that the incident matched before: the
        # corrected report continues it (one update) rather than retract it and start another.
        matching = [tx.work[c] for c in tx.emptied() if matches(tx.before[c], incident, cfg)]
    if matching:
        target: dict | None = min(matching, key=lambda r: _score(r, incident) if r["contributions"] else
                                  _score(tx.before[r["consolidated_id"]], incident))
        assert target is not None
        cid = target["consolidated_id"]
    else:
        cid = tx.new_id(bucket, iid)
        target = tx.get(cid)
    content = _merge_content(target, cid, bucket, iid, new_c, cfg)
    if content is None:  # an older text than the record holds (its ledger entry was lost)
        return []
    tx.put(content)
    entries[iid] = cid
    return tx.commit(primary=cid)


def retract_article(store: Store, bucket: str, article_id: str, revision: Any, now_iso: str,
                    settings: Any = None, *, shard: str = "") -> list[tuple[dict, str]]:
    """Withdraw an article's contributions from a bucket because text ``revision`` has none there.

    For the case :func:`consolidate` cannot see on its own: a corrected article that no longer
    yields any incident in this bucket (the incident disappeared, or moved to another type family
    or country) sends no incident here. Whoever knows the article's buckets (see
    docs/consolidation.md) sends this instead. Does nothing unless ``revision`` is newer than the
    text the ledger holds; afterwards, incidents of older texts are ignored. Returns the changed
    records (``"updated"`` or ``"retracted"``). ``shard``: as for :func:`consolidate`.
    """
    cfg = _config(settings)
    lkey = ledger_key(bucket, str(article_id))
    ledger = store.ledger.get(lkey)
    if ledger is None or _rev_key(revision) <= _rev_key(ledger.get("revision")):
        return []
    if ledger.get("resent") and _rev_key(revision) <= _rev_key(ledger["resent"]["revision"]):
        return []  # that revision, or a newer one, repeated the held text here
    expiry = _Expiry(store, shard)
    tx = _Tx(store, cfg, now_iso, expiry)
    withdrawn = {**(ledger.get("withdrawn") or {}), **ledger["incidents"]}
    for iid, cid in sorted(withdrawn.items()):
        tx.withdraw(cid, iid, _rev_key(revision))
    withdrawn = dict(sorted(withdrawn.items())[-_MAX_WITHDRAWN:])
    tx.ledger = (lkey, {"revision": revision, "incidents": {}, "withdrawn": withdrawn})
    try:
        results = [(r, o) for r, o in tx.commit(primary=None) if o != "unchanged"]
        # No record lists the article any more, so no record's expiry would find this ledger:
        # it is filed for expiry itself.
        if day := expiry.clock or _utc_key(now_iso)[:10]:
            expiry.file(lkey, day)
        return results
    finally:
        expiry.save()
