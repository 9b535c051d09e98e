"""Consolidation: an article sent again under a newer revision (same text) versus a correction.

The enrich agent stamps an article's revision with the Kafka timestamp of the raw record, so a
feed that sends the same article twice produces two revisions of one text. The second must
change nothing; a newer revision that does change something is a correction.
"""

from __future__ import annotations

import orjson
import pytest

from streams import consolidate as cons
from tests.unit.test_consolidate import (
    LATER,
    LOST_WRITES,
    active,
    assert_redelivery_after_lost_writes_is_clean,
    figures,
    lost_writes_id,
    report,
    run,
    snapshot,
    toll,
)

# Article "a" reports Friday's raid (40 killed) and Saturday's (10 killed); "b" reports Friday's.
TEXT1 = [report("a", 0, day="2018-04-06", killed=toll(40), revision=1),
         report("a", 1, day="2018-04-07", killed=toll(10), revision=1),
         report("b", day="2018-04-06", killed=toll(42), publisher="BBC")]


def text(revision: int, saturday_killed: int = 10, saturday: bool = True) -> list[dict]:
    """Article "a" at ``revision``: Friday's raid as in TEXT1, then Saturday's (or Sunday's)."""
    return [report("a", 0, day="2018-04-06", killed=toll(40), revision=revision),
            report("a", 1, day="2018-04-07" if saturday else "2018-04-08", killed=toll(saturday_killed),
                   revision=revision)]


def ids() -> tuple[str, str]:
    bucket = cons.bucket_key(TEXT1[0])
    return cons.consolidated_id_for(bucket, "a#0"), cons.consolidated_id_for(bucket, "a#1")


@pytest.mark.parametrize("revisions", [[2], [2, 2], [2, 3], [5, 3]], ids=lambda r: "then".join(map(str, r)))
def test_consolidate_same_text_under_newer_revisions_changes_nothing(revisions):
    store, _ = run(TEXT1)
    before = orjson.dumps(store.records, option=orjson.OPT_SORT_KEYS)
    outcomes = []
    for revision in revisions:
        outcomes += [o for _, o in run(text(revision), store, now=LATER)[1]]
    # Every incident still answers with its record (the agent re-sends it), none changes; in
    # particular Saturday's record is never retracted while the re-sent text is under way.
    assert set(outcomes) == {"unchanged"}
    assert orjson.dumps(store.records, option=orjson.OPT_SORT_KEYS) == before
    # The older text, redelivered, changes nothing either.
    run(TEXT1[:2], store, now=LATER)
    assert orjson.dumps(store.records, option=orjson.OPT_SORT_KEYS) == before


def test_consolidate_revision_older_than_a_resend_is_ignored():
    store, _ = run([*TEXT1, *text(3)])
    state = snapshot(store)
    assert run([report("a", 0, day="2018-04-06", killed=toll(50), revision=2)], store, now=LATER)[1] == []
    assert snapshot(store) == state
    assert cons.retract_article(store, cons.bucket_key(TEXT1[0]), "a", 3, LATER) == []


def test_consolidate_correction_after_an_unchanged_incident_replaces_only_what_changed():
    friday_id, saturday_id = ids()
    store, _ = run(TEXT1)
    friday_before = store.records[friday_id]
    new_text = text(2, saturday_killed=12)
    _, first = run(new_text[:1], store, now=LATER)
    assert [(r["consolidated_id"], o) for r, o in first] == [(friday_id, "unchanged")]
    _, second = run(new_text[1:], store, now=LATER)
    assert {r["consolidated_id"]: o for r, o in second} == {saturday_id: "updated", friday_id: "updated"}
    friday, saturday = store.records[friday_id], store.records[saturday_id]
    # Friday keeps a's report (now marked as part of text 2) beside b's: not withdrawn, not doubled.
    assert sorted(friday["contributions"]) == ["a#0", "b#0"]
    assert friday["contributions"]["a#0"]["revision"] == 2
    assert figures(friday) == figures(friday_before) == (40, 40, 42)
    assert list(saturday["contributions"]) == ["a#1"] and figures(saturday) == (12, 12, 12)
    assert saturday["contributions"]["a#1"]["revision"] == 2
    # Text 2 again (a re-send of the correction) changes no record.
    records = orjson.dumps(store.records, option=orjson.OPT_SORT_KEYS)
    assert {o for _, o in run(text(3, saturday_killed=12), store, now=LATER)[1]} == {"unchanged"}
    assert orjson.dumps(store.records, option=orjson.OPT_SORT_KEYS) == records


def test_consolidate_correction_that_drops_an_incident_withdraws_it_after_an_unchanged_one():
    # Text 2 keeps Friday's raid and reports Sunday's instead of Saturday's (at position 1).
    friday_id, saturday_id = ids()
    store, _ = run(TEXT1)
    _, out = run(text(2, saturday=False), store, now=LATER)
    assert [(r["consolidated_id"], o) for r, o in out] == [
        (friday_id, "unchanged"), (saturday_id, "updated"), (friday_id, "updated")]
    # Saturday's raid is gone; its only report moved to Sunday, keeping the record (and its id).
    assert sorted(r["date"]["value"] for r in active(store)) == ["2018-04-06", "2018-04-08"]
    sunday = store.records[saturday_id]
    assert (sunday["date"]["value"], list(sunday["contributions"]), sunday["version"]) == ("2018-04-08", ["a#1"], 2)
    friday = store.records[friday_id]
    assert sorted(friday["contributions"]) == ["a#0", "b#0"] and friday["contributions"]["a#0"]["revision"] == 2


CRASH_CASES = {
    "resend": (TEXT1, text(2)[0]),
    "resend_second": ([*TEXT1, text(2)[0]], text(2)[1]),
    "correction_after_resend": ([*TEXT1, text(2)[0]], text(2, saturday_killed=12)[1]),
}


@pytest.mark.parametrize("case", sorted(CRASH_CASES))
@pytest.mark.parametrize("lost", LOST_WRITES, ids=lost_writes_id)
def test_consolidate_resend_redelivered_after_partly_lost_writes_gives_the_clean_state(case, lost):
    assert_redelivery_after_lost_writes_is_clean(*CRASH_CASES[case], lost)
