"""The offset sequencer: after a seek, a partition's records reach the agents in order, none skipped.

Each case pins a partition to an offset (as a seek does), feeds the offsets of the fetches the
broker returns and lists the verdicts with how many leading records are left out. A REREAD means
the consumer seeks back to the pinned offset and hands out nothing of that fetch.
"""

from __future__ import annotations

import pytest
from faust.types import TP

from streams.consumer import OffsetSequencer, Verdict

TAKE, SKIP, REREAD = Verdict.TAKE, Verdict.SKIP, Verdict.REREAD
P0 = TP("incidents", 0)


@pytest.mark.parametrize(
    ("pinned", "fetches", "verdicts"),
    [
        # the normal case: fetches continue from the committed offset
        (28, [[28, 29], [30, 31]], [(TAKE, 0), (TAKE, 0)]),
        # a fetch spanning the committed offset: the records before it were handed out already
        (28, [[26, 27, 28, 29]], [(TAKE, 2)]),
        (28, [[20, 21]], [(SKIP, 0)]),
        # a fetch made before the seek starts beyond it: re-read; the fresh fetch starts at 28
        (28, [[49, 50], [28, 29], [30]], [(REREAD, 0), (TAKE, 0), (TAKE, 0)]),
        # two stale fetches in a row, then the fresh one
        (28, [[49, 50], [60, 61], [28]], [(REREAD, 0), (REREAD, 0), (TAKE, 0)]),
        # a stale fetch that starts just below the stale one before it is still stale
        (274, [[282, 283], [281], [274, 275]], [(REREAD, 0), (REREAD, 0), (TAKE, 0)]),
        # the re-read starts at the same record again: 28..48 hold nothing (compaction, markers)
        (28, [[49, 50], [49, 50, 51]], [(REREAD, 0), (TAKE, 0)]),
        # a gap inside one fetch is the log's own
        (28, [[28, 35, 36], [37]], [(TAKE, 0), (TAKE, 0)]),
        # after the re-read, a later jump is checked again
        (28, [[49], [28, 29], [40], [30]], [(REREAD, 0), (TAKE, 0), (REREAD, 0), (TAKE, 0)]),
        # no committed offset: pinned at the partition's start, not at the first record fetched
        (0, [[4, 5], [0, 1, 2, 3, 4, 5]], [(REREAD, 0), (TAKE, 0)]),
    ],
)
def test_sequencer_hands_out_each_partition_in_order(pinned, fetches, verdicts):
    sequencer = OffsetSequencer()
    sequencer.pin(P0, pinned)
    assert [_deliver(sequencer, offsets) for offsets in fetches] == verdicts


def _deliver(sequencer: OffsetSequencer, offsets: list[int]) -> tuple[Verdict, int]:
    """Judge one fetch and, as Faust does, hand out every record a TAKE keeps."""
    verdict, seen = sequencer.check(P0, offsets)
    if verdict is TAKE:
        for offset in offsets[seen:]:
            sequencer.handed_out(P0, offset)
    return verdict, seen


def test_sequencer_rereads_a_taken_fetch_that_faust_dropped():
    # Faust may drop records of a fetch it was given (flow stopped, generation changed): the due
    # offset stays, so the next fetch, beyond it, is a re-read, not a silent gap.
    sequencer = OffsetSequencer()
    sequencer.pin(P0, 62)
    assert _deliver(sequencer, [62, 63, 64]) == (TAKE, 0)
    assert sequencer.check(P0, list(range(65, 81))) == (TAKE, 0)  # ... and Faust hands none out
    assert sequencer.check(P0, [81, 82]) == (REREAD, 0)
    assert sequencer.expected(P0) == 65


def test_sequencer_reread_asks_for_the_pinned_offset():
    sequencer = OffsetSequencer()
    sequencer.pin(P0, 28)
    assert sequencer.check(P0, [49]) == (REREAD, 0)
    assert sequencer.expected(P0) == 28


@pytest.mark.parametrize("fetches", [[[5, 6], [9], [3]], [[0, 1, 2]]])
def test_sequencer_takes_every_fetch_of_an_unpinned_partition(fetches):
    # table changelogs and revoked partitions are not checked
    sequencer = OffsetSequencer()
    assert [sequencer.check(P0, offsets) for offsets in fetches] == [(TAKE, 0)] * len(fetches)


def test_sequencer_holds_an_assigned_partition_until_it_is_sought():
    # table recovery resumes input partitions before it seeks them: nothing in between counts
    sequencer = OffsetSequencer()
    sequencer.hold([P0])
    assert sequencer.check(P0, [49, 50]) == (SKIP, 0)
    sequencer.pin(P0, 28)
    assert [_deliver(sequencer, offsets) for offsets in ([28, 29], [30])] == [(TAKE, 0), (TAKE, 0)]


def test_sequencer_forgets_only_the_partitions_named():
    p1 = TP("incidents", 1)
    sequencer = OffsetSequencer()
    sequencer.pin(P0, 10)
    sequencer.hold([p1])
    sequencer.forget([P0])
    assert sequencer.expected(P0) is None and sequencer.check(P0, [3]) == (TAKE, 0)
    assert sequencer.check(p1, [20]) == (SKIP, 0)
    sequencer.forget([p1])
    assert sequencer.check(p1, [20]) == (TAKE, 0)


def test_sequencer_new_seek_clears_a_pending_reread():
    sequencer = OffsetSequencer()
    sequencer.pin(P0, 28)
    assert sequencer.check(P0, [49]) == (REREAD, 0)
    sequencer.pin(P0, 40)  # another seek (a new assignment) before the re-read arrived
    # 49 is no longer a confirmed gap: it must be re-read from 40 first
    assert [_deliver(sequencer, offsets) for offsets in ([49], [40])] == [(REREAD, 0), (TAKE, 0)]



def test_sequencer_reads_a_refused_record_again():
    # Faust skipped or dropped offset 30 after handing it out: the partition is read again from it
    sequencer = OffsetSequencer()
    sequencer.pin(P0, 28)
    assert _deliver(sequencer, [28, 29, 30, 31, 32]) == (TAKE, 0)
    sequencer.refuse(P0, 30)
    assert sequencer.expected(P0) == 30
    assert sequencer.check(P0, [33, 34]) == (REREAD, 0)
    assert _deliver(sequencer, [30, 31, 32, 33]) == (TAKE, 0)
    assert sequencer.expected(P0) == 34


def test_sequencer_refusal_survives_the_rest_of_the_fetch_being_handed_out():
    # the stream skips 29 while Faust is still handing out 30 and 31 of the same fetch
    sequencer = OffsetSequencer()
    sequencer.pin(P0, 28)
    assert sequencer.check(P0, [28, 29, 30, 31]) == (TAKE, 0)
    for offset in (28, 29):
        sequencer.handed_out(P0, offset)
    sequencer.refuse(P0, 29)
    for offset in (30, 31):
        sequencer.handed_out(P0, offset)
    assert sequencer.expected(P0) == 29


@pytest.mark.parametrize(
    ("processed", "first"),
    [
        ([], 20),
        ([20, 21], 22),
        ([21, 23], 20),  # 20 still in an agent's hands: commits stay at 20
        ([20, 21, 22, 23], None),
        ([20, 21, 22, 23, 24], None),  # a record processed that was not handed out since the seek
    ],
)
def test_sequencer_holds_commits_at_the_first_record_not_processed(processed, first):
    sequencer = OffsetSequencer()
    sequencer.pin(P0, 20)
    _deliver(sequencer, [20, 21, 22, 23])
    for offset in processed:
        sequencer.processed(P0, offset)
    assert sequencer.first_pending(P0) == first


def test_sequencer_refusal_of_a_record_not_handed_out_since_the_seek_changes_nothing():
    # a record of the previous assignment: the seek reads it again anyway
    sequencer = OffsetSequencer()
    sequencer.pin(P0, 28)
    _deliver(sequencer, [28, 29])
    sequencer.refuse(P0, 12)
    assert (sequencer.expected(P0), sequencer.first_pending(P0)) == (30, 28)


@pytest.mark.parametrize("reset", ["hold", "pin", "forget"])
def test_sequencer_forgets_pending_records_at_a_new_assignment_or_seek(reset):
    # everything from the committed offset on is handed out (and processed) again after a seek
    sequencer = OffsetSequencer()
    sequencer.pin(P0, 20)
    _deliver(sequencer, [20, 21])
    if reset == "pin":
        sequencer.pin(P0, 20)
    else:
        getattr(sequencer, reset)([P0])
    assert sequencer.first_pending(P0) is None


def test_sequencer_gives_up_a_refused_record_the_log_no_longer_holds():
    # retention deleted offset 30 before it was read again: the fresh read starts at 35 twice
    sequencer = OffsetSequencer()
    sequencer.pin(P0, 30)
    _deliver(sequencer, [30])
    sequencer.refuse(P0, 30)
    assert [_deliver(sequencer, offsets) for offsets in ([35, 36], [35, 36])] == [(REREAD, 0), (TAKE, 0)]
    assert sequencer.first_pending(P0) == 35
