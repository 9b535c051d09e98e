"""A Faust consumer that hands each input partition's records to the agents in offset order.

Why: faust-streaming 0.15.3 can commit past records no agent ever processed, after a rebalance.

* Table recovery resumes the input partitions before it seeks them to their committed offsets.
  Records fetched in between come from wherever the previous assignment left the fetch
  position (Faust drops its buffered records at a rebalance), and Faust, which forgot the
  committed offsets at the revocation, hands them out and later commits past the ones it
  dropped. A fetch made before the seek can also be handed out after it (``Consumer.getmany``
  reads the consumer generation only after its fetch returned): its first record lies beyond the
  committed offset, ``_drain_messages`` takes the jump for a compacted stretch (``_add_gap``)
  and marks every offset in between as done.
* A partition with no committed offset is not sought at all (aiokafka's ``seek_to_committed``
  skips it), so the records Faust dropped at the rebalance are never fetched again.

Both lost incidents in the fault tests (tests/integration/test_faults.py). The fix: a newly
assigned input partition hands out nothing until it is sought (a partition without a commit to
its start); :class:`OffsetSequencer` then pins the offset each partition must deliver next and
judges each fetch before Faust hands out any of its records. A fetch that starts beyond the
pinned offset is set aside and the partition is read again from there; if the fresh read starts
at the same record, the offsets in between hold no records (a compacted topic, transaction
markers) and the fetch is taken. The pinned offset moves only as Faust hands records out: Faust
may still drop part of a fetch it was given (its flow stopped, the generation changed, the
partition was not active), and the fetch after it then starts beyond the pinned offset, which
is a re-read, not a silent gap (a fail-over test lost 16 incidents in a row this way). Nothing of
an input partition is handed out while the app's flow control is suspended: table recovery seeks
the partitions before it resumes the flow, and the agents' queues drop what they received in
between when it resumes.
"""

from __future__ import annotations

import bisect
import enum
import logging
from collections.abc import AsyncIterator, Iterable, Sequence

import faust
from faust.transport.consumer import RecordMap
from faust.transport.drivers import aiokafka as faust_aiokafka
from faust.types import TP, Message

from streams import metrics

log = logging.getLogger(__name__)


class Verdict(enum.Enum):
    """What to do with the records one fetch returned for one partition."""

    TAKE = "take"  # hand them to the agents (those before the due offset are left out)
    SKIP = "skip"  # handed out already since the last seek, or the partition awaits its seek
    REREAD = "reread"  # they start beyond the due offset: read the partition again from there


class OffsetSequencer:
    """Per-partition due offset; pure bookkeeping, the consumer does the seeking.

    It judges a whole fetch at a time: a fetch made after a seek starts at the seek's offset, or
    at the first record after it when the offsets in between hold none (aiokafka drops buffered
    fetches that do not continue from the position). So a fetch that starts beyond the due
    offset was made before the last seek, unless a fetch made after a re-read starts at the
    very same offset: then the gap is real (compaction, transaction markers).
    """

    def __init__(self) -> None:
        self._next: dict[TP, int] = {}
        # partition -> first offset of the fetch that triggered a re-read, until the re-read arrives
        self._reread: dict[TP, int] = {}
        # assigned partitions not sought yet: nothing fetched for them may be handed out
        self._held: set[TP] = set()

    def hold(self, tps: Iterable[TP]) -> None:
        """Hand out nothing of ``tps`` until they are pinned (assigned, not yet sought)."""
        for tp in tps:
            self._held.add(tp)
            self._next.pop(tp, None)
            self._reread.pop(tp, None)

    def pin(self, tp: TP, offset: int) -> None:
        """The partition was sought to ``offset``: its next record must be that offset."""
        self._next[tp] = offset
        self._reread.pop(tp, None)
        self._held.discard(tp)

    def forget(self, tps: Iterable[TP]) -> None:
        """Stop checking ``tps``: whatever is fetched for them is handed out."""
        for tp in tps:
            self._next.pop(tp, None)
            self._reread.pop(tp, None)
            self._held.discard(tp)

    def handed_out(self, tp: TP, offset: int) -> None:
        """Faust handed the record at ``offset`` to the agents: the next one is due."""
        expected = self._next.get(tp)
        if expected is not None and offset >= expected:
            self._next[tp] = offset + 1

    def tracks(self, tp: TP) -> bool:
        """Whether ``tp`` is checked (pinned, or held until its seek)."""
        return tp in self._next or tp in self._held

    def expected(self, tp: TP) -> int | None:
        """The offset the partition must deliver next (None: not checked)."""
        return self._next.get(tp)

    def check(self, tp: TP, offsets: Sequence[int]) -> tuple[Verdict, int]:
        """The verdict on one fetch's ascending ``offsets`` and, for TAKE, how many leading
        records to leave out (handed out before). On REREAD the caller seeks to :meth:`expected`."""
        if tp in self._held:
            return Verdict.SKIP, 0
        expected = self._next.get(tp)
        if expected is None or not offsets:
            return Verdict.TAKE, 0
        seen = bisect.bisect_left(offsets, expected)
        if seen == len(offsets):
            return Verdict.SKIP, 0
        first = offsets[seen]
        # ``seen`` > 0: the fetch itself spans the due offset, so ``first`` follows it in the log.
        # The due offset moves only when Faust hands a record out (:meth:`handed_out`): Faust may
        # still drop a fetch it was given (its flow stopped, the generation changed, the partition
        # was not active), and the next fetch then starts beyond the due offset: a re-read.
        if first == expected or seen > 0 or self._reread.get(tp) == first:
            self._reread.pop(tp, None)
            if seen == 0 and first != expected:
                self._next[tp] = first  # the offsets in between hold no records
            return Verdict.TAKE, seen
        self._reread[tp] = first
        return Verdict.REREAD, 0


class OrderedConsumer(faust_aiokafka.Consumer):
    """Faust's aiokafka consumer with :class:`OffsetSequencer` on every acknowledged topic."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.sequencer = OffsetSequencer()

    def _checked(self, tps: Iterable[TP]) -> list[TP]:
        # Table changelogs are read without acks and sought by table recovery: not ours to check.
        return [tp for tp in tps if self.app.topics.acks_enabled_for(tp.topic)]

    async def on_partitions_assigned(self, assigned: set[TP], generation_id: int = 0) -> None:
        """Hold the new assignment until :meth:`perform_seek` pins it: table recovery resumes the
        input partitions before it seeks them, and records fetched in between come from wherever
        the previous assignment left the fetch position."""
        self.sequencer.hold(self._checked(assigned))
        await super().on_partitions_assigned(assigned, generation_id)

    async def perform_seek(self) -> None:
        """Seek to the committed offsets, a partition without one to its start; pin them all."""
        await super().perform_seek()
        tps = self._checked(self.assignment())
        uncommitted = []
        for tp in tps:
            committed = self._committed_offset.get(tp)
            if committed:
                self.sequencer.pin(tp, committed)
            else:
                uncommitted.append(tp)
        if not uncommitted:
            return
        if self.app.conf.consumer_auto_offset_reset != "earliest":
            self.sequencer.forget(uncommitted)  # the reset policy decides where they start
            return
        # aiokafka's seek_to_committed leaves these where the last fetch stopped: seek them to
        # their start, as a fresh consumer would begin.
        self.sequencer.hold(uncommitted)
        starts = await self.earliest_offsets(*uncommitted)
        await self.seek_wait(dict(starts))
        for tp, offset in starts.items():
            self.sequencer.pin(tp, offset)

    async def _wait_next_records(self, timeout: float) -> tuple[RecordMap | None, set[TP] | None]:
        # Judged per fetch, before Faust hands out any record of it (see OffsetSequencer).
        records, active = await super()._wait_next_records(timeout)
        if not records:
            return records, active
        # While the app's flow control is suspended (a rebalance, the end of table recovery), the
        # agents' queues are cleared when it resumes: records handed out now would be dropped
        # unacknowledged. Hand none out; the due offset stays, and the next fetch is a re-read.
        flowing = self.app.flow_control.is_active()
        ordered: dict[TP, list] = {}
        for tp, batch in records.items():
            if not flowing and self.sequencer.tracks(tp):
                continue
            verdict, seen = self.sequencer.check(tp, [record.offset for record in batch])
            if verdict is Verdict.TAKE:
                ordered[tp] = batch[seen:] if seen else batch
            elif verdict is Verdict.REREAD:
                expected = self.sequencer.expected(tp)
                log.warning(
                    "%s: a fetch starting at offset %d arrived while offset %s was due (made before a "
                    "seek or rebalance); reading the partition again from %s",
                    tp, batch[0].offset, expected, expected,
                )
                metrics.CONSUMER_REREADS.inc()
                await self.seek_wait({tp: expected})
        return ordered, active

    async def getmany(self, timeout: float) -> AsyncIterator[tuple[TP, Message]]:
        """Faust's records; each one handed out moves its partition's due offset."""
        async for tp, message in super().getmany(timeout):
            self.sequencer.handed_out(tp, message.offset)
            yield tp, message


class OrderedTransport(faust_aiokafka.Transport):
    """The aiokafka transport with :class:`OrderedConsumer`."""

    Consumer = OrderedConsumer


class StreamsApp(faust.App):
    """``faust.App`` whose consumer delivers input records in order (see module docstring)."""

    def _new_transport(self) -> OrderedTransport:
        return OrderedTransport(self.conf.broker_consumer, self)
