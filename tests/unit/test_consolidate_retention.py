"""Retention of consolidation state: old incidents are deleted in event time (pure logic, no Kafka)."""

from __future__ import annotations

import itertools

import orjson
import pytest

from streams.consolidate import (
    ConsolidationConfig,
    DictStore,
    consolidate,
    expiry_key,
    index_keys,
    ledger_key,
    record_day,
    retract_article,
)
from tests.unit.test_consolidate import DAMASCUS, DOUMA, SOHR, north_of, report, snapshot, toll

NOW_2018 = "2018-06-30T00:00:00Z"
NOW_2026 = "2026-11-24T12:00:00Z"  # a worker replaying a 2018 archive today


def on_day(article: str, day: str, pos: int = 0, **kw) -> dict:
    """A report of an incident on ``day``, published the next morning."""
    published = kw.pop("published", f"{day}T23:00:00Z")
    return report(article, pos, day=day, published=published, **kw)


def apply(reports: list[dict], store: DictStore | None = None, now: str = NOW_2018, **cfg) -> DictStore:
    store = store or DictStore()
    settings = ConsolidationConfig(**cfg)
    for r in reports:
        consolidate(store, r, now, settings)
    return store


def holders(store: DictStore, article: str) -> list[str]:
    """Ids of the records that hold a report of ``article``."""
    return sorted(cid for cid, r in store.records.items()
                  if any(c["article_id"] == article for c in r["contributions"].values()))


def dangling(store: DictStore) -> list[str]:
    """Every index or ledger entry that names a record the store no longer has, or is not filed in."""
    problems = []
    for key, value in store.index.items():
        if key.startswith("~expiry|"):
            continue  # expiry lists may name records refiled later: pruning drops those entries
        problems += [f"index {key} -> {cid}" for cid in value
                     if cid not in store.records or key not in index_keys(store.records[cid])]
    for key, value in store.ledger.items():
        for part in ("incidents", "withdrawn"):
            problems += [f"ledger {key} {part} -> {cid}" for cid in (value.get(part) or {}).values()
                         if cid not in store.records]
    return problems


# --- expiry in event time -----------------------------------------------------------------------

@pytest.mark.parametrize(("retention", "later_day", "expired"), [
    (30, "2018-04-20", False),   # 14 days on: kept
    (30, "2018-05-06", False),   # the clock (publication of the later report) 30 days on: still kept
    (30, "2018-05-07", True),    # 31 days on: gone
    (7, "2018-04-14", True),
    (0, "2018-12-31", False),    # 0: kept forever
])
def test_retention_deletes_incidents_older_than_the_retention(retention, later_day, expired):
    old = on_day("old", "2018-04-06", killed=toll(5))
    # Another raid in another town of the same bucket moves the clock.
    later = on_day("later", later_day, place=north_of(DOUMA, 80), published=f"{later_day}T08:00:00Z")
    store = apply([old, later], retention_days=retention)
    [later_cid] = holders(store, "later")
    assert (holders(store, "old") == []) is expired
    assert later_cid in store.records
    assert dangling(store) == []
    assert (ledger_key("remote_violence|SY", "old") not in store.ledger) is expired
    assert ("remote_violence|SY|d|2018-04-06" in store.index) is not expired


@pytest.mark.parametrize("scenario", ["merged", "correction", "evicted", "unmatched", "retracted", "retract_article"])
def test_retention_leaves_nothing_dangling(scenario):
    cfg = {"retention_days": 10, "retention_batch": 2}
    if scenario == "merged":
        old = [on_day("a", "2018-04-06", killed=toll(5)), on_day("b", "2018-04-06", killed=toll(7), sources=[SOHR])]
    elif scenario == "correction":  # the ledger's withdrawn list points to the record
        old = [on_day("a", "2018-04-06", 0, killed=toll(5), revision=1), on_day("a", "2018-04-06", 1, revision=1,
               place=DAMASCUS, type="bombing"), on_day("a", "2018-04-06", 0, killed=toll(6), revision=2)]
    elif scenario == "evicted":  # reports evicted at the cap keep their ledgers
        cfg["max_contributions"] = 2
        old = [on_day(f"e{n}", "2018-04-06", killed=toll(n + 1), published=f"2018-04-06T1{n}:00:00Z")
               for n in range(5)]
    elif scenario == "unmatched":  # a bucket of its own, which nothing else will ever visit
        old = [on_day("a", "2018-04-06", type="other"), on_day("b", "2018-04-06", place=None)]
    elif scenario == "retracted":  # the correction moves the report away: its record is retracted
        old = [on_day("a", "2018-04-06", revision=1), on_day("a", "2018-04-05", 1, revision=2,
                                                                place=north_of(DOUMA, 80))]
    else:
        old = [on_day("a", "2018-04-06", revision=1)]
    store = apply(old, **cfg)
    if scenario == "retracted":
        assert sorted(r["status"] for r in store.records.values()) == ["active", "retracted"]
    if scenario == "retract_article":
        retract_article(store, "remote_violence|SY", "a", 2, NOW_2018, ConsolidationConfig(**cfg))
    assert store.records and store.ledger
    # Reports a month later, elsewhere: enough incidents for the batch to reach every old record.
    fresh = [on_day(f"new{n}", "2018-05-20", place=north_of(DOUMA, 60 + 40 * n)) for n in range(6)]
    store = apply(fresh, store, **cfg)
    assert {a for r in store.records.values() for a in (c["article_id"] for c in r["contributions"].values())} \
        == {f"new{n}" for n in range(6)}
    assert all(record_day(r) == "2018-05-20" for r in store.records.values())
    assert set(store.ledger) == {ledger_key("remote_violence|SY", f"new{n}") for n in range(6)}
    assert dangling(store) == []
    [meta] = [v for k, v in store.index.items() if k == expiry_key("")]
    assert meta["days"] == ["2018-05-20"] and meta["clock"] == "2018-05-20"


def test_retention_zero_keeps_every_incident():
    reports = [on_day(f"a{n}", f"2018-0{1 + n}-10", place=north_of(DOUMA, 40 * n)) for n in range(6)]
    forever = apply(reports, retention_days=0)
    assert len(forever.records) == 6 and dangling(forever) == []
    # The same with a retention of 30 days keeps only what is within 30 days of the last report.
    kept = apply(reports, retention_days=30)
    assert sorted(kept.records) == holders(kept, "a5") != []


ARCHIVE = [on_day(f"r{n}", "2018-04-06", killed=toll(10 + n), publisher=f"outlet{n}",
                  published=f"2018-04-{7 + 6 * n:02d}T08:00:00Z") for n in range(3)]


@pytest.mark.parametrize(("now", "retention"), [(NOW_2018, 30), (NOW_2026, 30), (NOW_2026, 14), (NOW_2026, 0)])
def test_retention_replaying_an_old_archive_does_not_expire_it(now, retention):
    # The clock is event time: a 2018 archive replayed in 2026 is as young as it was in 2018,
    # so its reports (published over 12 days) still merge into one record, which stays.
    store = apply(ARCHIVE, now=now, retention_days=retention)
    [record] = store.records.values()
    assert len(record["contributions"]) == 3 and record["version"] == 3
    assert store.index[expiry_key("")]["clock"] == "2018-04-19"
    assert dangling(store) == []


def test_retention_clock_never_runs_ahead_of_processing_time():
    # A report published "in 2031" (a wrong feed time) moves the clock to today at most, so the
    # present's incidents survive it.
    store = apply(ARCHIVE, now="2018-04-20T00:00:00Z")
    future = on_day("x", "2018-04-07", place=north_of(DOUMA, 90), published="2031-01-01T00:00:00Z")
    store = apply([future], store, now="2018-04-20T00:00:00Z")
    assert store.index[expiry_key("")]["clock"] == "2018-04-20"
    assert len(store.records) == 2


def test_retention_late_report_of_an_expired_incident_starts_a_new_record():
    first = on_day("a", "2018-04-06", killed=toll(5))
    store = apply([first, on_day("b", "2018-05-20", place=north_of(DOUMA, 80))], retention_days=30)
    assert holders(store, "a") == []
    late = on_day("c", "2018-04-06", killed=toll(9), published="2018-05-20T12:00:00Z")
    store = apply([late], store, retention_days=30)
    [cid] = holders(store, "c")
    record = store.records[cid]
    assert (record["version"], record["article_count"], record["killed"]["value"]) == (1, 1, 9)
    # It is itself older than the retention: the next incident of the shard deletes it.
    store = apply([on_day("d", "2018-05-21", place=north_of(DOUMA, 120))], store, retention_days=30)
    assert holders(store, "c") == [] and dangling(store) == []


def test_retention_record_is_kept_while_new_reports_arrive():
    # A report of a later day joins the record (a week-precision date), which makes it younger.
    reports = [on_day("a", "2018-04-06", killed=toll(5)),
               on_day("b", "2018-04-06", precision="week", published="2018-04-12T08:00:00Z"),
               on_day("c", "2018-05-10", place=north_of(DOUMA, 80))]
    store = apply(reports, retention_days=30)
    assert holders(store, "a") == holders(store, "b") != []
    assert record_day(store.records[holders(store, "a")[0]]) == "2018-04-12"


def test_retention_state_restored_from_changelogs_continues_identically():
    # A restart restores the tables through JSON; expiry goes on from the restored clock and
    # lists exactly as it would have without the restart.
    reports = [on_day(f"a{n}", f"2018-04-{1 + 3 * n:02d}", place=north_of(DOUMA, 40 * (n % 5)),
                      killed=toll(n + 1)) for n in range(10)]
    straight = apply(reports, retention_days=7, retention_batch=1)
    half = apply(reports[:5], retention_days=7, retention_batch=1)
    restored = DictStore(**orjson.loads(orjson.dumps(vars(half))))
    apply(reports[5:], restored, retention_days=7, retention_batch=1)
    assert snapshot(restored) == snapshot(straight)
    assert len(straight.records) < len(reports) and dangling(straight) == []


DOUMA_SOUTH = north_of(DOUMA, -300)


def test_retention_batch_bounds_the_work_of_one_incident():
    old = [on_day(f"a{n}", "2018-04-06", place=north_of(DOUMA, 40 * n)) for n in range(9)]
    store = apply(old, retention_days=30, retention_batch=4)
    trigger = [on_day(f"b{n}", "2018-06-01", place=north_of(DOUMA_SOUTH, 40 * n)) for n in range(3)]
    counts = []
    for r in trigger:
        apply([r], store, retention_days=30, retention_batch=4)
        counts.append(sum(1 for rec in store.records.values() if rec["date"]["value"] == "2018-04-06"))
    assert counts == [5, 1, 0]
    assert dangling(store) == []


@pytest.mark.parametrize("lost", [{"records", *more} for n in (0, 1, 2) for more in itertools.combinations(("index", "ledger"), n)],
                         ids=lambda lost: "+".join(sorted(lost)))
def test_retention_expiry_whose_record_deletion_was_lost_is_redone(lost):
    # At least once: a crash may lose the deletion of an expired record (with or without the
    # index and ledger writes of that event); the redelivered incident gives the clean state.
    prefix = [on_day("a", "2018-04-06", killed=toll(5)), on_day("b", "2018-04-06", killed=toll(7), publisher="BBC")]
    event = on_day("c", "2018-05-20", place=north_of(DOUMA, 80))
    clean = apply([*prefix, event])
    store = apply(prefix)
    kept = {name: orjson.loads(orjson.dumps(getattr(store, name))) for name in lost}
    apply([event], store)
    assert len(store.records) == 1
    for name in lost:
        setattr(store, name, kept[name])
    apply([event], store)
    assert snapshot(store) == snapshot(clean) and dangling(store) == []


def test_retention_settings_reach_the_config():
    from streams.settings import Settings

    settings = Settings.from_env({"STREAMS_CONSOLIDATE_RETENTION_DAYS": "12"})
    assert ConsolidationConfig.from_settings(settings).retention_days == 12
    assert ConsolidationConfig.from_settings(Settings.from_env({})).retention_days == 30
