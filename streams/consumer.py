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
* Records Faust handed to an agent can still go unprocessed: its stream skips a record that
  reaches it while the flow is suspended or after a rebalance, and acknowledges it "so the lag
  does not grow"; its flow control clears the agents' queues at a revocation and each time the
  flow resumes, also at the end of table recovery, after the seek; and its commit check lets one
  missing record right at the committed offset through (or any, when a partition has no commit).

All lost incidents in the fault tests (tests/integration/test_faults.py). The fix: a newly
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
between when it resumes. Every record handed out stays pending until an agent processed it, and
no commit passes a pending record. A record handed out and then skipped or dropped by Faust is
not acknowledged: its partition is read again from it (:meth:`OrderedConsumer.refuse`; the due
offset moves back to it, so the next fetch is a re-read).
"""

from __future__ import annotations

import bisect
import enum
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence

import faust
from faust.exceptions import ProducerSendError
from faust.transport.consumer import RecordMap
from faust.transport.drivers import aiokafka as faust_aiokafka
from faust.types import TP, Message
from mode.utils.objects import cached_property
from mode.utils.queues import FlowControlEvent

from streams import metrics

log = logging.getLogger(__name__)

#: Awaited before each offset commit (see :attr:`StreamsApp.commit_barriers`).
CommitBarrier = Callable[[], Awaitable[None]]


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
        # partition -> offsets handed out since the last seek and not processed yet
        self._pending: dict[TP, set[int]] = {}
        # partition -> the unprocessed record its due offset was moved back to (see refuse)
        self._rewound: dict[TP, int] = {}

    def hold(self, tps: Iterable[TP]) -> None:
        """Hand out nothing of ``tps`` until they are pinned (assigned, not yet sought)."""
        for tp in tps:
            self._held.add(tp)
            self._drop(tp)

    def pin(self, tp: TP, offset: int) -> None:
        """The partition was sought to ``offset``: its next record must be that offset."""
        self._drop(tp)  # everything from ``offset`` on is handed out (and processed) again
        self._next[tp] = offset
        self._held.discard(tp)

    def forget(self, tps: Iterable[TP]) -> None:
        """Stop checking ``tps``: whatever is fetched for them is handed out."""
        for tp in tps:
            self._held.discard(tp)
            self._drop(tp)

    def _drop(self, tp: TP) -> None:
        self._next.pop(tp, None)
        self._reread.pop(tp, None)
        self._pending.pop(tp, None)
        self._rewound.pop(tp, None)

    def handed_out(self, tp: TP, offset: int) -> None:
        """Faust handed the record at ``offset`` to the agents: the next one is due, and no
        commit may pass ``offset`` until it is :meth:`processed`."""
        expected = self._next.get(tp)
        if expected is None or offset < expected:
            return
        self._pending.setdefault(tp, set()).add(offset)
        rewound = self._rewound.get(tp)
        if rewound is not None:
            if offset != rewound:
                return  # the rest of a fetch made before the rewind: only the re-read moves on
            del self._rewound[tp]
        self._next[tp] = offset + 1

    def processed(self, tp: TP, offset: int) -> None:
        """An agent processed the record at ``offset``: it no longer holds commits back."""
        pending = self._pending.get(tp)
        if pending:
            pending.discard(offset)

    def refuse(self, tp: TP, offset: int) -> None:
        """The record at ``offset`` was handed out and will never be processed (Faust skipped or
        dropped it): the partition is read again from it. It stays pending, so no commit passes
        it. A record not handed out since the last seek is read again from that seek anyway."""
        pending = self._pending.get(tp)
        expected = self._next.get(tp)
        if pending and offset in pending and expected is not None and offset < expected:
            self._next[tp] = offset  # the next fetch starts beyond it: a re-read from here
            self._rewound[tp] = offset
            self._reread.pop(tp, None)

    def first_pending(self, tp: TP) -> int | None:
        """The lowest offset handed out and not processed: commits must not pass it."""
        pending = self._pending.get(tp)
        return min(pending) if pending else None

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
                pending = self._pending.get(tp)
                if pending:  # (any more: deleted by retention since a rewind)
                    pending.difference_update([o for o in pending if o < first])
                self._rewound.pop(tp, None)
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
            # Acks that arrived after the revocation (in-flight records of the old assignment)
            # sit in Faust's lists with no committed offset to check them against; everything
            # from the committed offset on is read and processed again anyway.
            self._acked.pop(tp, None)
            self._acked_index.pop(tp, None)
            self._gap.pop(tp, None)
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

    def ack(self, message: Message) -> bool:
        """Faust's ack of a record an agent processed. A record Faust's stream skipped, or one
        fetched before the last rebalance, is not taken: it is read again (see :meth:`refuse`)."""
        if not message.acked and self.app.topics.acks_enabled_for(message.topic):
            # Faust's stream skips a record that reaches it while the flow is suspended or
            # after a rebalance, and acknowledges it "so the lag does not grow": the commit
            # would pass a record nobody processed. A record of an older generation is read
            # again after the rebalance's seek anyway, so its late ack is not taken either.
            stale = message.generation_id != self.app.consumer_generation_id
            skipped = not message.tracked and not self.app.flow_control.is_active()
            if stale or skipped:
                message.acked = True
                self._unacked_messages.discard(message)
                metrics.CONSUMER_UNPROCESSED.inc()
                if not stale:
                    self.refuse(message)
                log.info(
                    "%s: offset %d was not processed (%s); it is read again", message.tp, message.offset,
                    "fetched before the last rebalance" if stale else "skipped by its stream",
                )
                return False
            self.sequencer.processed(message.tp, message.offset)
        return super().ack(message)

    def refuse(self, message: Message) -> None:
        """``message`` was handed out and will never be processed: no commit passes it (it stays
        pending) and its partition is read again from it."""
        self.sequencer.refuse(message.tp, message.offset)

    def _new_offset(self, tp: TP) -> int | None:
        # Faust commits the first consecutive run of acked offsets, and it checks that the run
        # starts at the committed offset only loosely (one missing record right at the committed
        # offset, or any when the partition has no commit yet, is passed): never pass a record
        # that was handed out and not processed.
        first = self.sequencer.first_pending(tp)
        acked = self._acked.get(tp)
        if first is not None and acked and min(acked) > first:
            return None
        return super()._new_offset(tp)

    async def _handle_attached(self, commit_offsets: Mapping[TP, int]) -> None:
        # Faust calls this between choosing the offsets to commit and committing them: every
        # record those offsets pass was processed before, so whatever it wrote is already queued
        # and a barrier that waits for everything queued so far covers it.
        await super()._handle_attached(commit_offsets)
        for barrier in self.app.commit_barriers:
            try:
                await barrier()
            except Exception as exc:
                # Faust's own answer to a send that cannot complete: the consumer crashes
                # without committing, and the records are processed again after the restart.
                raise ProducerSendError(f"a write made before this commit failed: {exc!r}") from exc

    async def getmany(self, timeout: float) -> AsyncIterator[tuple[TP, Message]]:
        """Faust's records; each one handed out moves its partition's due offset."""
        async for tp, message in super().getmany(timeout):
            self.sequencer.handed_out(tp, message.offset)
            yield tp, message


class OrderedTransport(faust_aiokafka.Transport):
    """The aiokafka transport with :class:`OrderedConsumer`."""

    Consumer = OrderedConsumer


class DropAwareFlowControl(FlowControlEvent):
    """Faust's flow control, telling the consumer which records it clears from the agents' queues.

    Faust clears the queues at a revocation and each time the flow resumes, also at the end of
    table recovery, after the input partitions were sought: the records it drops there were
    handed out and will never be acked, so they must be read again and not committed past.
    """

    def __init__(self, app: StreamsApp, **kwargs) -> None:
        super().__init__(**kwargs)
        self._app = app

    def clear(self) -> None:
        """Clear the queues, handing each dropped record to :meth:`OrderedConsumer.refuse`."""
        consumer = self._app._consumer
        if isinstance(consumer, OrderedConsumer):
            dropped: dict[TP, list[int]] = {}
            for queue in self._queues:
                for item in queue._queue:
                    message = getattr(item, "message", None)
                    if isinstance(message, Message) and not message.acked:
                        consumer.refuse(message)
                        metrics.CONSUMER_UNPROCESSED.inc()
                        dropped.setdefault(message.tp, []).append(message.offset)
            for tp, offsets in dropped.items():
                log.info(
                    "%s: %d records (offsets %d-%d) were dropped from the agents' queues unprocessed;"
                    " they will be read again", tp, len(offsets), min(offsets), max(offsets),
                )
        super().clear()


class OrderedStream(faust.Stream):
    """Faust's stream, always iterated by its pure-Python loop.

    Faust's compiled (Cython) stream iterator acknowledges a record by editing the consumer's
    ack lists directly instead of calling ``Consumer.ack``: :meth:`OrderedConsumer.ack` never ran,
    so a skip-ack was taken as processed and no handed-out record ever left the pending set (the
    commits of a partition stopped after the first one following each seek). The Python loop
    acknowledges through ``Event.ack`` and ``Consumer.ack``; it costs microseconds per record
    against milliseconds of extraction.
    """

    def __aiter__(self) -> AsyncIterator:
        """Iterate with the Python loop (see the class docstring)."""
        iterator = self._py_aiter()
        self._active_agens.add(iterator)  # as faust.Stream.__aiter__ does, so on_stop closes it
        return iterator


class StreamsApp(faust.App):
    """``faust.App`` whose consumer delivers input records in order (see module docstring)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("Stream", OrderedStream)
        super().__init__(*args, **kwargs)

    def _new_transport(self) -> OrderedTransport:
        return OrderedTransport(self.conf.broker_consumer, self)

    @cached_property
    def commit_barriers(self) -> list[CommitBarrier]:
        """Coroutines awaited before every commit of input offsets, once the offsets are chosen.

        Faust waits for the output records it sent before it commits, but not for table writes
        still on their way (see :class:`streams.agents._DurableTable`): a barrier that waits for
        them lets a commit pass only records whose effects the broker holds.
        """
        return []

    @cached_property
    def flow_control(self) -> FlowControlEvent:
        """Faust's flow control, reporting the records it drops (see :class:`DropAwareFlowControl`)."""
        return DropAwareFlowControl(self, loop=self.loop)
