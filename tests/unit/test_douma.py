"""The first acceptance test: every fact an analyst reads out of the AFP Douma article holds.

Expectations come from ``tests/fixtures/douma-2018-04-07.ar.expected.json`` (a copy of the shared
fixture); the test checks facts, not a JSON layout.
"""

from __future__ import annotations

import pytest

from streams.extract.pipeline import extract_article
from tests.conftest import assert_valid, load_fixture

EXPECTED = load_fixture("douma-2018-04-07.ar.expected.json")


@pytest.fixture(scope="module")
def enriched() -> dict:
    return extract_article(load_fixture("douma-2018-04-07.ar.article.json"))


def _matching_incidents(enriched: dict, fact: dict) -> list[dict]:
    """Emitted incidents with the fact's date, place and at least one of its types."""
    return [
        i for i in enriched["incidents"]
        if i["date"]["value"] == fact["date"]
        and i["location"] and i["location"]["geonameid"] == fact["location"]["geonameid"]
        and set(i["types"]) & set(fact["types"])
    ]


def _all_counts(enriched: dict) -> list[dict]:
    out, stack = [], list(enriched["counts"])
    while stack:
        c = stack.pop()
        out.append(c)
        stack.extend(c["breakdown"])
    return out


def test_douma_output_matches_enriched_schema(enriched):
    assert_valid("enriched-article", enriched)
    assert enriched["language"] == "ar"


@pytest.mark.parametrize("fact", EXPECTED["incidents"], ids=lambda f: f"{f['date']}-{'+'.join(f['types'])}")
def test_douma_each_expected_incident_is_found(enriched, fact):
    found = _matching_incidents(enriched, fact)
    assert found, f"no incident on {fact['date']} of {fact['types']} at {fact['location']['geonameid']}: " + str(
        [(i["type"], i["date"]["value"], (i["location"] or {}).get("geonameid")) for i in enriched["incidents"]])
    types = set().union(*(i["types"] for i in found))
    assert set(fact["types"]) <= types
    for incident in found:
        assert incident["location"]["country_code"] == fact["location"]["country_code"]
        if "admin1" in fact["location"]:
            assert incident["location"]["admin1"] == fact["location"]["admin1"]


@pytest.mark.parametrize("fact", EXPECTED["incidents"], ids=lambda f: f"{f['date']}-{'+'.join(f['types'])}")
def test_douma_killed_figure_of_each_incident(enriched, fact):
    found = _matching_incidents(enriched, fact)
    killed = [i["killed"] for i in found if i["killed"]]
    if fact["killed"] is None:
        assert not killed, f"invented a death toll: {killed}"
        return
    assert len(killed) == 1, killed
    assert killed[0]["value"] == fact["killed"]["value"]
    assert killed[0]["qualifier"] == fact["killed"]["qualifier"]
    counts = [c for i in found for c in i["counts"] if c["kind"] == "killed"]
    top = next(c for c in counts if c["value"] == fact["killed"]["value"])
    assert top["victims"] == fact["killed"]["victims"]
    assert [(b["value"], b["victims"]) for b in top["breakdown"]] == [
        (b["value"], b["victims"]) for b in fact["killed"]["including"]]


@pytest.mark.parametrize(
    ("fact", "count"),
    [(f, c) for f in EXPECTED["incidents"] for c in f.get("counts", [])],
    ids=lambda v: v.get("unit", "") if isinstance(v, dict) and "unit" in v else None,
)
def test_douma_other_counts_are_tied_to_the_incident(enriched, fact, count):
    counts = [c for i in _matching_incidents(enriched, fact) for c in i["counts"]]
    hits = [c for c in counts if c["kind"] == count["kind"] and c["value"] == count["value"]]
    assert hits, f"missing {count} among {[(c['kind'], c['value'], c['unit']) for c in counts]}"
    assert hits[0]["qualifier"] == count.get("qualifier", "exact")
    assert hits[0]["unit"] == count["unit"]


@pytest.mark.parametrize("fact", EXPECTED["incidents"], ids=lambda f: f"{f['date']}-{'+'.join(f['types'])}")
def test_douma_actors_and_sources_of_each_incident(enriched, fact):
    found = _matching_incidents(enriched, fact)
    perpetrators = {a["name"] for i in found for a in i["actors"] if a["role"] == "perpetrator"}
    assert set(fact["perpetrators"]) <= perpetrators
    sources = {s["name"] for i in found for s in i["sources"]}
    assert set(fact.get("sources", [])) <= sources


def test_douma_cumulative_toll_is_background_not_a_days_toll(enriched):
    cumulative = [c for c in _all_counts(enriched) if c["value"] == 1600]
    assert cumulative and all(c["cumulative"] for c in cumulative)
    assert cumulative[0]["low"] == 1600 and cumulative[0]["qualifier"] == "more_than"
    for incident in enriched["incidents"]:
        assert (incident["killed"] or {}).get("value") != 1600
        assert all(c["value"] != 1600 for c in incident["counts"])


def test_douma_never_reports_48_killed(enriched):
    for incident in enriched["incidents"]:
        assert (incident["killed"] or {}).get("value") != 48


@pytest.mark.parametrize("phrase", ["خمس سنوات", "لأكثر من أسبوع"])
def test_douma_durations_are_never_counted(enriched, phrase):
    text = load_fixture("douma-2018-04-07.ar.article.json")["text"]
    start = text.index(phrase)
    span = range(start, start + len(phrase))
    assert not [c for c in _all_counts(enriched) if c["start"] in span or c["end"] - 1 in span]


def test_douma_no_incident_outside_syria(enriched):
    assert enriched["incidents"]
    assert {i["location"]["country_code"] for i in enriched["incidents"] if i["location"]} == {"SY"}


def _places_written(enriched: dict, written: str) -> list[dict]:
    return [p for p in enriched["places"] if p["text"].lstrip("#").replace("_", " ") == written]


@pytest.mark.parametrize(
    ("written", "check"),
    [
        ("دوما", lambda p: p["geonameid"] == 170592 and p["admin1"] == "Rif Dimashq"),
        ("دمشق", lambda p: p["geonameid"] == 170654 and p["role"] == "reference_point"),
        ("الغوطة الشرقية", lambda p: p["feature"] == "region" and p["admin1"] == "Rif Dimashq"
         and p["country_code"] == "SY"),
        ("روسيا", lambda p: p["country_code"] == "RU" and p["role"] == "actor"),
    ],
)
def test_douma_places_resolve_like_an_analyst(enriched, written, check):
    places = _places_written(enriched, written)
    assert places, f"{written} not found among {[p['text'] for p in enriched['places']]}"
    assert all(check(p) for p in places), places


@pytest.mark.parametrize("written", ["فرانس برس", "الشرقية", "الجمعة", "المدينة", "جديدة", "حصار"])
def test_douma_ordinary_words_and_agencies_are_not_places(enriched, written):
    text = load_fixture("douma-2018-04-07.ar.article.json")["text"]
    bad = [p for p in enriched["places"] if p["text"] == written or (
        written == "فرانس برس" and text.index(written) <= p["start"] < text.index(written) + len(written))]
    assert not bad, bad
    assert not [p for p in enriched["places"] if p["country_code"] == "EG"]


@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("Syrian government forces", "perpetrator"),
        ("Russia", "backer"),
        ("Jaish al-Islam", None),
        ("Syrian Observatory for Human Rights", "source"),
        ("Syrian Civil Defence", "source"),
    ],
)
def test_douma_actors_are_named(enriched, name, role):
    roles = {a["role"] for a in enriched["actors"] if a["name"] == name}
    assert roles, f"{name} missing from {[(a['name'], a['role']) for a in enriched['actors']]}"
    if role:
        assert role in roles


def test_douma_evidence_offsets_point_into_the_text(enriched):
    text = load_fixture("douma-2018-04-07.ar.article.json")["text"]
    for place in enriched["places"]:
        assert text[place["start"]:place["end"]] == place["text"]
    for count in _all_counts(enriched):
        assert 0 <= count["start"] < count["end"] <= len(text)
    for incident in enriched["incidents"]:
        for span in incident["evidence"]:
            assert 0 <= span["start"] < span["end"] <= len(text)
