"""Consolidation: matching, reconciliation, idempotence and corrections (pure logic, no Kafka)."""

from __future__ import annotations

import itertools
import math
from types import SimpleNamespace

import orjson
import pytest

from streams import consolidate as cons
from streams.consolidate import ConsolidationConfig, DictStore, consolidate, matches, merge
from streams.errors import ConfigError

NOW = "2018-04-08T00:00:00Z"
LATER = "2018-04-09T00:00:00Z"

DOUMA = {"name": "Douma", "geonameid": 170592, "country_code": "SY", "admin1": "Rif Dimashq",
         "lat": 33.57175, "lon": 36.4027, "feature": "city", "confidence": 0.9}
DAMASCUS = {"name": "Damascus", "geonameid": 170654, "country_code": "SY", "admin1": "Dimashq",
            "lat": 33.5102, "lon": 36.29128, "feature": "city", "confidence": 0.9}
EASTERN_GHOUTA = {"name": "Eastern Ghouta", "geonameid": None, "country_code": "SY", "admin1": "Rif Dimashq",
                  "lat": 33.55, "lon": 36.45, "feature": "region", "confidence": 0.8}
SYRIA = {"name": "Syria", "geonameid": 163843, "country_code": "SY", "admin1": None,
         "lat": 35.0, "lon": 38.0, "feature": "country", "confidence": 0.9}

SOHR = {"name": "Syrian Observatory for Human Rights", "kind": "observatory"}
CIVIL_DEFENCE = {"name": "Syrian Civil Defence", "kind": "civil_defence"}
AFP_AGENCY = {"name": "Agence France-Presse", "kind": "agency"}


def north_of(place: dict, km: float, **changes) -> dict:
    """A place ``km`` kilometres due north of ``place`` (a different GeoNames id)."""
    return {**place, "name": f"{place['name']}+{km}", "geonameid": 900000 + int(km * 10),
            "lat": place["lat"] + km / 111.195, **changes}


def toll(value, low=None, high=None, qualifier="exact"):
    return {"value": value, "low": low, "high": high, "qualifier": qualifier}


def report(article: str, pos: int = 0, *, lang: str = "en", type: str = "airstrike",
           day: str | None = "2018-04-06", precision: str = "day", place: dict | None = DOUMA,
           killed=None, injured=None, sources=(), publisher: str | None = "AFP",
           published: str = "2018-04-07T08:00:00Z", revision=None, confidence: float = 0.8,
           actors=()) -> dict:
    """An incident record as the enrich agent emits it (the fields consolidation reads)."""
    art = {"id": article, "source": publisher, "url": f"https://example.org/{article}", "language": lang,
           "published_at": published, "title": None, "extra": {}}
    if revision is not None:
        art["revision"] = revision
    return {
        "incident_id": f"{article}#{pos}", "article": art, "type": type, "types": [type],
        "taxonomy": {"acled": {"event_type": "x", "sub_event_type": type}, "plover": {"event": "x", "mode": None}},
        "date": {"value": day, "precision": precision, "basis": "test"},
        "location": dict(place) if place else None, "places": [],
        "killed": killed, "injured": injured, "counts": [],
        "actors": [dict(a) for a in actors], "sources": [{**s, "role": "source"} for s in sources],
        "evidence": [{"start": 0, "end": 1}], "confidence": confidence, "extractor_version": "test",
    }


def run(reports: list[dict], store: DictStore | None = None, now: str = NOW, settings=None):
    """Apply reports in order; return the store and every (record, outcome) pair produced."""
    store = store or DictStore()
    out = []
    for r in reports:
        out.extend(consolidate(store, r, now, settings))
    return store, out


def active(store: DictStore) -> list[dict]:
    return sorted((r for r in store.records.values() if r["status"] == "active"), key=lambda r: r["consolidated_id"])


def snapshot(store: DictStore) -> bytes:
    return orjson.dumps({"r": store.records, "i": store.index, "l": store.ledger}, option=orjson.OPT_SORT_KEYS)


def figures(record: dict, kind: str = "killed") -> tuple:
    t = record[kind]
    return None if t is None else (t["value"], t["low"], t["high"])


# --- type families and keys -------------------------------------------------------------------

@pytest.mark.parametrize(("type_a", "type_b", "same_family"), [
    ("airstrike", "shelling", True),
    ("airstrike", "drone_strike", True),
    ("bombing", "suicide_bombing", True),
    ("ground_assault", "armed_clash", True),
    ("protest", "riot", True),
    ("airstrike", "bombing", False),
    ("shelling", "suicide_bombing", False),
    ("airstrike", "ground_assault", False),
    ("armed_clash", "armed_attack", False),
    ("abduction", "arrest", False),
])
def test_consolidate_match_key_groups_type_families(type_a, type_b, same_family):
    a, b = report("a", type=type_a), report("b", type=type_b)
    assert cons.match_key(a) is not None
    assert (cons.match_key(a) == cons.match_key(b)) is same_family


@pytest.mark.parametrize("incident", [
    report("a", type="other"),
    report("a", place=None),
    report("a", place={**DOUMA, "country_code": None}),
])
def test_consolidate_match_key_none_when_unmatchable(incident):
    assert cons.match_key(incident) is None
    assert cons.bucket_key(incident) == f"unmatched|{incident['incident_id']}"


def test_consolidate_unmatchable_incidents_get_records_of_their_own():
    store, out = run([report("a", type="other"), report("b", type="other")])
    assert [o for _, o in out] == ["created", "created"]
    assert len(active(store)) == 2
    _, again = run([report("a", type="other")], store)
    assert [o for _, o in again] == ["unchanged"]


# --- one event in two languages -----------------------------------------------------------------

# One raid on Douma, reported by three articles. The Arabic AFP wire calls it shelling and cites
# the Observatory (40); Reuters in English calls it an airstrike and cites the civil defence (at
# least 70); AFP's evening English wire says the Observatory's toll rose to 60.
ARABIC = [
    report("afp-ar-1", lang="ar", type="shelling", killed=toll(40), injured=toll(12, qualifier="vague"),
           sources=[AFP_AGENCY, SOHR], publisher="AFP", published="2018-04-07T08:00:00+03:00",
           actors=[{"name": "Syrian government forces", "kind": "state_forces", "role": "perpetrator"}]),
]
ENGLISH = [
    report("reuters-en-1", lang="en", type="airstrike", killed=toll(70, low=70, qualifier="at_least"),
           sources=[CIVIL_DEFENCE], publisher="Reuters", published="2018-04-07T10:00:00Z",
           actors=[{"name": "Syrian government forces", "kind": "state_forces", "role": "perpetrator"},
                   {"name": "Russia", "kind": "country", "role": "backer"}]),
    report("afp-en-2", lang="en", type="airstrike", killed=toll(60), injured=toll(30),
           sources=[SOHR], publisher="AFP", published="2018-04-07T18:00:00Z"),
]
ALL_REPORTS = ARABIC + ENGLISH


@pytest.mark.parametrize("order", list(itertools.permutations(range(len(ALL_REPORTS)))))
def test_consolidate_arabic_and_english_reports_merge_whatever_the_arrival_order(order):
    store, _ = run([ALL_REPORTS[i] for i in order])
    [record] = active(store)
    assert record["languages"] == ["ar", "en"]
    assert len(record["contributions"]) == 3
    assert record["family"] == "remote_violence"
    assert set(record["types"]) == {"airstrike", "shelling"}
    # SOHR's latest (60) and the civil defence's (at least 70): the lowest credible is 60.
    assert figures(record) == (60, 60, 70)
    assert figures(record, "injured") == (30, 30, 30)
    assert record["version"] == 3
    assert {a["name"] for a in record["actors"]} == {"Syrian government forces", "Russia"}
    assert [s["name"] for s in record["sources"]] == sorted(s["name"] for s in (AFP_AGENCY, SOHR, CIVIL_DEFENCE))
    assert [a["id"] for a in record["articles"]] == ["afp-ar-1", "reuters-en-1", "afp-en-2"]
    assert record["location"]["geonameid"] == DOUMA["geonameid"]


@pytest.mark.parametrize(("reports", "expected"), [
    (ARABIC, (40, 40, 40)),
    (ARABIC + ENGLISH[:1], (40, 40, 70)),
    (ENGLISH[:1] + ARABIC, (40, 40, 70)),
    (ALL_REPORTS, (60, 60, 70)),
])
def test_consolidate_figures_after_each_report(reports, expected):
    store, _ = run(reports)
    [record] = active(store)
    assert figures(record) == expected
    assert record["killed"]["policy"] == "acled_conservative"


@pytest.mark.parametrize("other_place", [DAMASCUS, EASTERN_GHOUTA])
def test_consolidate_nearby_place_names_of_one_event_merge(other_place):
    store, _ = run([ARABIC[0], report("en-x", place=other_place, killed=toll(41), publisher="BBC")])
    [record] = active(store)
    assert record["location"]["name"] == "Douma"  # the finest place wins
    assert len(record["contributions"]) == 2


# --- distinct events stay apart -----------------------------------------------------------------

@pytest.mark.parametrize(("type_a", "type_b", "merged"), [
    ("airstrike", "bombing", False),
    ("airstrike", "suicide_bombing", False),
    ("shelling", "armed_clash", False),
    ("airstrike", "shelling", True),
    ("bombing", "suicide_bombing", True),
])
def test_consolidate_same_city_same_day_merges_only_within_a_family(type_a, type_b, merged):
    store, _ = run([report("a", type=type_a, killed=toll(5)), report("b", type=type_b, killed=toll(9))])
    assert len(active(store)) == (1 if merged else 2)


def test_consolidate_two_incidents_of_one_article_stay_apart():
    # The extractor split them (two raids the article tells apart): never merged into one.
    store, _ = run([report("a", 0, killed=toll(5)), report("a", 1, killed=toll(9)),
                    report("b", killed=toll(6))])
    records = active(store)
    assert len(records) == 2
    assert sorted(len(r["contributions"]) for r in records) == [1, 2]


@pytest.mark.parametrize(("day_a", "day_b", "slack", "merged"), [
    ("2018-04-06", "2018-04-06", 0, True),
    ("2018-04-06", "2018-04-07", 0, False),
    ("2018-04-06", "2018-04-07", 1, True),
    ("2018-04-06", "2018-04-08", 1, False),
])
def test_consolidate_day_precision_dates_need_the_same_day_or_slack(day_a, day_b, slack, merged):
    cfg = ConsolidationConfig(date_slack_days=slack)
    store, _ = run([report("a", day=day_a), report("b", day=day_b)], settings=cfg)
    assert len(active(store)) == (1 if merged else 2)


@pytest.mark.parametrize(("a", "b", "window", "expected"), [
    (("2018-04-06", "day"), ("2018-04-02", "week"), 7, True),
    (("2018-04-06", "day"), ("2018-04-09", "week"), 7, False),
    (("2018-04-06", "day"), ("2018-04-01", "month"), 7, False),
    (("2018-04-06", "day"), ("2018-04-01", "month"), 31, True),
    (("2018-04-06", "day"), ("2018-05-01", "month"), 31, False),
    (("2018-04-06", "day"), ("2018-01-01", "year"), 31, False),
    (("2018-04-06", "day"), ("2018-01-01", "year"), 366, True),
    (("2018-04-06", "day"), (None, "day"), 366, False),
    (("2018-04-06", "day"), ("2018-04-06", "unknown"), 366, False),
])
def test_consolidate_dates_match_by_overlap_within_the_window(a, b, window, expected):
    cfg = ConsolidationConfig(window_days=window)
    da, db = {"value": a[0], "precision": a[1]}, {"value": b[0], "precision": b[1]}
    assert cons.dates_match(da, db, cfg) is expected
    assert cons.dates_match(db, da, cfg) is expected
    # The index must find every record the matcher would accept.
    rec = {"bucket": "remote_violence|SY", "status": "active", "date": db}
    found = set(cons.index_keys(rec)) & set(cons.lookup_keys(report("q", day=a[0], precision=a[1]), cfg))
    if expected:
        assert found


def test_consolidate_week_report_joins_a_day_record_through_the_index():
    store, _ = run([report("a", day="2018-04-06", killed=toll(5)),
                    report("b", day="2018-04-02", precision="week", killed=toll(7))])
    [record] = active(store)
    assert record["date"] == {"value": "2018-04-06", "precision": "day", "start": "2018-04-06", "end": "2018-04-06"}


def test_consolidate_undated_reports_never_merge():
    store, _ = run([report("a", day=None), report("b", day=None)])
    assert len(active(store)) == 2


# --- places -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("feature", "km", "merged"), [
    ("city", 10, True),
    ("city", 24, True),
    ("city", 26, False),
    ("city", 80, False),
    ("admin2", 40, True),
    ("admin2", 60, False),
    ("region", 100, True),
    ("admin1", 140, True),
    ("admin1", 160, False),
])
def test_consolidate_place_distance_limit_depends_on_the_coarser_feature(feature, km, merged):
    other = north_of(DOUMA, km, feature=feature, admin1="Elsewhere")
    assert math.isclose(cons.distance_km(DOUMA["lat"], DOUMA["lon"], other["lat"], other["lon"]), km, rel_tol=0.01)
    assert cons.places_match(DOUMA, other) is merged
    store, _ = run([report("a", place=DOUMA), report("b", place=other)])
    assert len(active(store)) == (1 if merged else 2)


@pytest.mark.parametrize(("a", "b", "expected"), [
    (DOUMA, DOUMA, True),
    (SYRIA, DOUMA, False),  # "an airstrike in Syria" is not evidence it was Douma
    (SYRIA, SYRIA, True),
    (DOUMA, {**DOUMA, "country_code": "LB", "geonameid": 1}, False),
    ({"name": "Rif Dimashq", "geonameid": 170652, "country_code": "SY", "admin1": "Rif Dimashq",
      "lat": 33.2, "lon": 38.5, "feature": "admin1"}, DOUMA, True),  # Douma lies in it, centroid far
    ({**DOUMA, "lat": None, "lon": None, "geonameid": None}, {**DOUMA, "geonameid": None}, True),
    ({**DOUMA, "name": "Harasta", "lat": None, "lon": None, "geonameid": None}, DOUMA, False),
    ({**DOUMA, "lat": None, "lon": None, "geonameid": None}, {**DOUMA, "lat": None, "lon": None, "geonameid": None}, True),
    (None, DOUMA, False),
])
def test_consolidate_places_match_rules(a, b, expected):
    assert cons.places_match(a, b) is expected
    assert cons.places_match(b, a) is expected


def test_consolidate_config_distances_are_configurable():
    other = north_of(DOUMA, 40)
    assert not cons.places_match(DOUMA, other)
    assert cons.places_match(DOUMA, other, ConsolidationConfig(city_km=50))
    assert cons.places_match(DOUMA, other, SimpleNamespace(consolidate_city_km=50))


# --- reconciliation -----------------------------------------------------------------------------

@pytest.mark.parametrize(("first", "second", "same_source", "expected"), [
    # (value, published) of each report; expected (value, low, high)
    ((40, "2018-04-07T08:00:00Z"), (62, "2018-04-07T15:00:00Z"), True, (62, 62, 62)),  # upward revision
    ((62, "2018-04-07T08:00:00Z"), (40, "2018-04-07T15:00:00Z"), True, (40, 40, 40)),  # downward revision
    ((62, "2018-04-07T15:00:00Z"), (40, "2018-04-07T08:00:00Z"), True, (62, 62, 62)),  # late arrival of the older
    ((40, "2018-04-07T08:00:00Z"), (62, "2018-04-07T15:00:00Z"), False, (40, 40, 62)),  # other source: high only
    ((62, "2018-04-07T08:00:00Z"), (40, "2018-04-07T15:00:00Z"), False, (40, 40, 62)),
])
def test_consolidate_same_source_revision_replaces_other_sources_widen(first, second, same_source, expected):
    src_b = SOHR if same_source else CIVIL_DEFENCE
    store, _ = run([
        report("a", killed=toll(first[0]), sources=[SOHR], publisher="AFP", published=first[1]),
        report("b", killed=toll(second[0]), sources=[src_b], publisher="Reuters", published=second[1]),
    ])
    [record] = active(store)
    assert figures(record) == expected


@pytest.mark.parametrize(("publishers", "expected"), [
    (("AFP", "AFP"), (62, 62, 62)),  # no named body: the publisher is the source
    (("AFP", "Reuters"), (40, 40, 62)),
])
def test_consolidate_publisher_is_the_source_when_no_body_is_named(publishers, expected):
    store, _ = run([
        report("a", killed=toll(40), publisher=publishers[0], published="2018-04-07T08:00:00Z"),
        report("b", killed=toll(62), publisher=publishers[1], published="2018-04-07T09:00:00Z"),
    ])
    [record] = active(store)
    assert figures(record) == expected


def test_consolidate_low_confidence_report_does_not_set_the_headline():
    store, _ = run([
        report("a", killed=toll(40), sources=[SOHR]),
        report("b", killed=toll(3), sources=[CIVIL_DEFENCE], confidence=0.2),
    ])
    [record] = active(store)
    assert figures(record) == (40, 3, 40)  # still visible in the range


@pytest.mark.parametrize(("policy", "expected_value"), [
    ("acled_conservative", 40),
    ("latest", 70),
    ("highest", 70),
])
def test_consolidate_policy_is_chosen_by_name(policy, expected_value):
    cfg = ConsolidationConfig(policy=policy)
    store, _ = run([
        report("a", killed=toll(40), sources=[SOHR], published="2018-04-07T08:00:00Z"),
        report("b", killed=toll(70), sources=[CIVIL_DEFENCE], published="2018-04-07T09:00:00Z"),
    ], settings=cfg)
    [record] = active(store)
    assert record["killed"]["value"] == expected_value
    assert record["killed"]["policy"] == policy
    assert (record["killed"]["low"], record["killed"]["high"]) == (40, 70)


def test_consolidate_custom_policy_can_be_registered():
    @cons.register_policy("test_mean")
    def mean(reports, cfg):
        current = cons.latest_per_source(reports)
        values = [r["value"] for r in current]
        return {"value": sum(values) / len(values), "low": min(values), "high": max(values)}

    try:
        cfg = ConsolidationConfig.from_settings(SimpleNamespace(consolidate_policy="test_mean"))
        store, _ = run([report("a", killed=toll(40), sources=[SOHR]),
                        report("b", killed=toll(70), sources=[CIVIL_DEFENCE])], settings=cfg)
        [record] = active(store)
        assert record["killed"]["value"] == 55
    finally:
        del cons.POLICIES["test_mean"]


@pytest.mark.parametrize("bad", [
    {"policy": "no_such_policy"}, {"window_days": 1, "date_slack_days": 1}, {"date_slack_days": -1},
    {"max_contributions": 0}, {"city_km": -1},
])
def test_consolidate_config_rejects_bad_values(bad):
    with pytest.raises(ConfigError):
        ConsolidationConfig(**bad)


# An article whose text 1 reports Friday's raid (40 killed) and Saturday's, and another article
# on Friday's; text 2 of the first article reports only Saturday's, at position 0.
CORRECTION_TEXT1 = [report("a", 0, day="2018-04-06", killed=toll(40), revision=1),
                    report("a", 1, day="2018-04-07", revision=1),
                    report("b", day="2018-04-06", killed=toll(42), publisher="BBC")]
CORRECTION_TEXT2 = report("a", 0, day="2018-04-07", killed=toll(3), revision=2)


# --- idempotence --------------------------------------------------------------------------------

SCENARIOS = {
    "two_languages": ALL_REPORTS,
    "two_events": [report("a", type="airstrike", killed=toll(5)), report("b", type="bombing", killed=toll(9))],
    "correction": [report("a", killed=toll(40), revision=1), report("b", killed=toll(50)),
                   report("a", killed=toll(45), revision=2)],
    "unmatched": [report("a", place=None), report("b", type="other")],
}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_consolidate_replay_changes_nothing(name):
    reports = SCENARIOS[name]
    store, _ = run(reports)
    before = snapshot(store)
    versions = {r["consolidated_id"]: r["version"] for r in store.records.values()}
    # As after a restart: the tables come back from their changelogs, i.e. through JSON.
    store = DictStore(**orjson.loads(orjson.dumps(vars(store))))
    _, again = run(reports, store, now=LATER)
    assert snapshot(store) == before
    assert all(outcome == "unchanged" for _, outcome in again)
    assert {r["consolidated_id"]: r["version"] for r in store.records.values()} == versions
    assert all(r["updated_at"] == NOW for r in store.records.values())


CRASH_CASES = {
    "create": ([], ALL_REPORTS[0]),
    "update": (ALL_REPORTS[:1], ALL_REPORTS[1]),
    "correction": (CORRECTION_TEXT1, CORRECTION_TEXT2),
}
TABLES = ("records", "index", "ledger")
# Every non-empty subset of the tables, for crashes that persisted some writes and not others.
LOST_WRITES = [set(c) for n in (1, 2, 3) for c in itertools.combinations(TABLES, n)]


def lost_writes_id(lost: set[str]) -> str:
    """Test id of a ``LOST_WRITES`` row."""
    return "+".join(sorted(lost))


def assert_redelivery_after_lost_writes_is_clean(prefix: list[dict], event: dict, lost: set[str]) -> None:
    """Apply ``prefix``, then ``event`` with the writes to the ``lost`` tables undone, then
    ``event`` again (the redelivery): the state must be the one a clean run gives."""
    clean, _ = run([*prefix, event])
    store, _ = run(prefix)
    kept = {name: orjson.loads(orjson.dumps(getattr(store, name))) for name in lost}
    consolidate(store, event, NOW)
    for name in lost:
        setattr(store, name, kept[name])
    consolidate(store, event, NOW)
    assert snapshot(store) == snapshot(clean)


@pytest.mark.parametrize("case", sorted(CRASH_CASES))
@pytest.mark.parametrize("lost", LOST_WRITES, ids=lost_writes_id)
def test_consolidate_redelivery_after_partly_lost_writes_gives_the_clean_state(case, lost):
    # At least once: a crash may persist some of an event's table writes and not others, and the
    # event is then redelivered. Whatever was lost, the result is the state a clean run gives,
    # with no lost and no doubled contribution.
    assert_redelivery_after_lost_writes_is_clean(*CRASH_CASES[case], lost)


def test_merge_alone_is_idempotent_and_versions_changes():
    rec, outcome = merge(None, ARABIC[0], NOW)
    assert (outcome, rec["version"], rec["updated_at"]) == ("created", 1, NOW)
    same, outcome = merge(rec, ARABIC[0], LATER)
    assert (outcome, same) == ("unchanged", rec)
    rec2, outcome = merge(rec, ENGLISH[0], LATER)
    assert (outcome, rec2["version"], rec2["updated_at"]) == ("updated", 2, LATER)
    assert matches(rec, ENGLISH[0])
    assert rec2["consolidated_id"] == rec["consolidated_id"] == cons.consolidated_id_for(
        cons.bucket_key(ARABIC[0]), ARABIC[0]["incident_id"])


# --- corrections --------------------------------------------------------------------------------

def test_consolidate_corrected_article_replaces_its_contribution():
    store, _ = run([report("a", killed=toll(40), sources=[SOHR], revision=1),
                    report("b", killed=toll(70), sources=[CIVIL_DEFENCE])])
    [before] = active(store)
    _, out = run([report("a", killed=toll(45), sources=[SOHR], revision=2)], store, now=LATER)
    [(record, outcome)] = out
    assert outcome == "updated"
    assert record["version"] == before["version"] + 1
    assert len(record["contributions"]) == 2
    assert record["contributions"]["a#0"]["killed"]["value"] == 45
    assert figures(record) == (45, 45, 70)


def test_consolidate_corrected_article_withdraws_incidents_it_no_longer_yields():
    # Text 1 reports Friday's raid (40 killed) and Saturday's; text 2 only Saturday's, at position 0.
    store, _ = run(CORRECTION_TEXT1)
    friday_id = cons.consolidated_id_for(cons.bucket_key(CORRECTION_TEXT1[0]), "a#0")
    saturday_id = cons.consolidated_id_for(cons.bucket_key(CORRECTION_TEXT1[1]), "a#1")
    _, out = run([CORRECTION_TEXT2], store, now=LATER)
    assert {r["consolidated_id"]: o for r, o in out} == {friday_id: "updated", saturday_id: "updated"}
    friday, saturday = store.records[friday_id], store.records[saturday_id]
    assert list(friday["contributions"]) == ["b#0"]  # a's Friday report withdrawn, b's kept
    assert figures(friday) == (42, 42, 42)
    # The Saturday record goes on with the corrected report instead of being retracted.
    assert list(saturday["contributions"]) == ["a#0"]
    assert saturday["contributions"]["a#0"]["revision"] == 2
    assert (saturday["date"]["value"], saturday["version"]) == ("2018-04-07", 2)
    assert figures(saturday) == (3, 3, 3)
    assert len(active(store)) == 2
    # The older text, redelivered afterwards, is ignored.
    state = snapshot(store)
    assert run(CORRECTION_TEXT1[:2], store)[1] == []
    assert snapshot(store) == state


def test_consolidate_corrected_article_retracts_a_record_only_it_supported():
    # Text 2 moves the incident to another family: the old record has no report left.
    store, _ = run([report("a", 0, type="airstrike", killed=toll(4), revision=1)])
    [old] = active(store)
    _, out = run([report("a", 0, type="bombing", killed=toll(4), revision=2),
                  report("a", 0, type="bombing", killed=toll(4), revision=2)], store, now=LATER)
    assert [o for _, o in out] == ["created", "unchanged"]
    # The airstrike bucket hears nothing from text 2: retract_article is what withdraws it.
    [(record, outcome)] = cons.retract_article(store, old["bucket"], "a", 2, LATER)
    assert (record["consolidated_id"], outcome, record["version"]) == (old["consolidated_id"], "retracted", 2)
    assert [r["type"] for r in active(store)] == ["bombing"]


def test_consolidate_correction_moving_its_only_report_keeps_the_record_id():
    store, _ = run([report("a", 0, type="airstrike", revision=1)])
    [old] = active(store)
    _, out = run([report("a", 0, type="airstrike", day="2018-03-01", revision=2)], store, now=LATER)
    assert len(active(store)) == 1
    assert active(store)[0]["date"]["value"] == "2018-03-01"
    # The record keeps its id (derived from the incident) and moves on to version 2.
    assert active(store)[0]["consolidated_id"] == old["consolidated_id"]
    assert active(store)[0]["version"] == 2
    assert [o for _, o in out] == ["updated"]


def test_retract_article_withdraws_an_article_that_left_the_bucket():
    store, _ = run([report("a", killed=toll(40), revision=1, publisher="AFP"),
                    report("b", killed=toll(50), publisher="BBC"),
                    report("c", type="bombing", killed=toll(2), revision=1)])
    bucket = cons.bucket_key(report("a"))
    out = cons.retract_article(store, bucket, "a", 2, LATER)
    [(record, outcome)] = out
    assert outcome == "updated"
    assert list(record["contributions"]) == ["b#0"]
    out = cons.retract_article(store, cons.bucket_key(report("c", type="bombing")), "c", 2, LATER)
    assert [o for _, o in out] == ["retracted"]
    assert out[0][0]["killed"] is None and out[0][0]["contributions"] == {}
    # Same or older text: nothing to withdraw.
    assert cons.retract_article(store, bucket, "a", 2, LATER) == []
    assert run([report("a", killed=toll(40), revision=1)], store)[1] == []


def test_consolidate_revision_from_pass_through_updated_at():
    first = report("a", killed=toll(40))
    first["article"]["extra"] = {"updated_at": "2018-04-07T08:00:00Z"}
    fixed = report("a", 1, killed=toll(44))
    fixed["article"]["extra"] = {"updated_at": "2018-04-07T11:00:00+02:00"}
    store, _ = run([first, fixed])
    [record] = active(store)
    assert list(record["contributions"]) == ["a#1"]


# --- size ---------------------------------------------------------------------------------------

def test_consolidate_caps_contributions_without_changing_the_figures():
    # 5 sources each updating their toll 50 times: 250 reports of one event.
    sources = [SOHR, CIVIL_DEFENCE, {"name": "Ministry of Health", "kind": "ministry"},
               {"name": "UN OCHA", "kind": "agency"}, {"name": "Local council", "kind": "other"}]
    reports = [
        report(f"art{n:03d}", killed=toll(10 + n), sources=[sources[n % 5]], publisher=f"outlet{n % 7}",
               published=f"2018-04-07T{n // 60:02d}:{n % 60:02d}:00Z")
        for n in range(250)
    ]
    capped = ConsolidationConfig(max_contributions=200)
    store, _ = run(reports, settings=capped)
    [record] = active(store)
    assert len(record["contributions"]) == 200
    assert record["evicted"]["count"] == 50
    assert record["article_count"] == 250
    full, _ = run(reports, settings=ConsolidationConfig(max_contributions=1000))
    assert figures(record) == figures(active(full)[0])
    assert len(orjson.dumps(record)) < 200_000
    # A replay of an evicted report changes nothing.
    state = snapshot(store)
    evicted = next(r for r in reports if r["incident_id"] in record["evicted"]["ids"])
    _, out = run([evicted], store, settings=capped)
    assert [o for _, o in out] == ["unchanged"]
    assert snapshot(store) == state


def test_consolidate_records_are_plain_json():
    store, out = run(ALL_REPORTS)
    for record, _ in out:
        assert orjson.loads(orjson.dumps(record)) == record
    assert orjson.loads(snapshot(store))


# --- the worked example of docs/consolidation.md ------------------------------------------------

GOV = {"name": "Syrian government forces", "kind": "state_forces", "role": "perpetrator"}
AFP_AR = report("afp-ar-0412", lang="ar", type="shelling", killed=toll(40), sources=[AFP_AGENCY, SOHR],
                publisher="AFP", published="2018-04-07T08:00:00+03:00", actors=[GOV])
WORKED_EXAMPLE = [
    # (report, record letter, outcome, version, killed value/low/high)
    (AFP_AR, "A", "created", 1, (40, 40, 40)),
    (report("reuters-en-77", killed=toll(70, low=70, qualifier="at_least"), sources=[CIVIL_DEFENCE],
            publisher="Reuters", published="2018-04-07T10:00:00Z", actors=[GOV]), "A", "updated", 2, (40, 40, 70)),
    (report("bbc-en-9", type="bombing", killed=toll(5), publisher="BBC", published="2018-04-07T11:00:00Z"),
     "B", "created", 1, (5, 5, 5)),
    (report("afp-en-0913", killed=toll(60), sources=[SOHR], publisher="AFP", published="2018-04-07T18:00:00Z"),
     "A", "updated", 3, (60, 60, 70)),
    (AFP_AR, "A", "unchanged", 3, (60, 60, 70)),
    (report("reuters-en-77", killed=toll(75, low=75, qualifier="at_least"), sources=[CIVIL_DEFENCE],
            publisher="Reuters", published="2018-04-07T10:00:00Z", revision=2, actors=[GOV]),
     "A", "updated", 4, (60, 60, 75)),
]


def test_consolidate_worked_example_of_the_docs_holds():
    store, letters = DictStore(), {}
    for n, (incident, letter, outcome, version, killed) in enumerate(WORKED_EXAMPLE):
        [(record, got)] = consolidate(store, incident, f"2018-04-07T{12 + n}:00:00Z")
        assert letters.setdefault(letter, record["consolidated_id"]) == record["consolidated_id"]
        assert (got, record["version"], figures(record)) == (outcome, version, killed)
    assert len(set(letters.values())) == 2
    a = store.records[letters["A"]]
    assert (a["type"], a["types"], len(a["contributions"])) == ("airstrike", ["airstrike", "shelling"], 3)
    assert a["taxonomy"]["acled"]["event_type"] == "Explosions/Remote violence"
