"""The ordered consumer never lets Faust commit past an input record no agent processed.

Faust's stream skips a record that reaches it while the flow is suspended or after a rebalance
and acknowledges it anyway; its flow control clears the agents' queues when the flow resumes;
and its commit check lets one missing record at the committed offset through. These tests drive
the consumer's ack, queue-clear and commit paths directly (no broker: nothing is sent).
"""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest
from faust.types import TP
from faust.types.tuples import ConsumerMessage
from mode.utils.queues import FlowControlQueue

from streams.consumer import StreamsApp

TP0 = TP("incidents", 0)


@pytest.fixture
def app():
    """A StreamsApp with one acking input topic at committed offset 40; its consumer is built,
    never started."""
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    app = StreamsApp("consumer-acks-test", broker="kafka://127.0.0.1:1", store="memory://", loop=loop)
    app.topics.acking_topics.add("incidents")  # as the conductor does for an agent's topic
    app.consumer.sequencer.pin(TP0, 40)
    app.consumer._committed_offset[TP0] = 40
    yield app
    loop.close()
    asyncio.set_event_loop(None)


def _message(app: StreamsApp, offset: int, *, tracked: bool, generation: int | None = None) -> ConsumerMessage:
    message = ConsumerMessage(
        "incidents", 0, offset, 0.0, 0, None, b"k", b"v", None, tp=TP0,
        generation_id=app.consumer_generation_id if generation is None else generation,
    )
    message.tracked = tracked
    return message


@pytest.mark.parametrize(
    ("tracked", "flowing", "older_generation", "taken"),
    [
        (True, True, False, True),  # processed by its agent: acked
        (False, False, False, False),  # skipped by its stream while the flow was suspended
        (True, True, True, False),  # fetched before a rebalance: read again after its seek
        (True, False, False, True),  # processed, then the flow stopped for a rebalance: acked
    ],
)
def test_ack_takes_only_records_an_agent_processed(app, tracked, flowing, older_generation, taken):
    if flowing:
        app.flow_control.resume()
    consumer = app.consumer
    consumer.sequencer.handed_out(TP0, 40)
    generation = app.consumer_generation_id - 1 if older_generation else None
    assert consumer.ack(_message(app, 40, tracked=tracked, generation=generation)) is taken
    assert (40 in consumer._acked[TP0]) is taken
    assert consumer.sequencer.first_pending(TP0) == (None if taken else 40)


@pytest.mark.parametrize(
    ("processed", "commit"),
    [
        ([40, 41, 42], 43),
        ([41, 42], None),  # 40 not processed: Faust alone would commit 43 past it
        ([40, 41, 43], 42),
        ([], None),
    ],
)
def test_commit_never_passes_an_unprocessed_record(app, processed, commit):
    app.flow_control.resume()
    consumer = app.consumer
    for offset in (40, 41, 42, 43):
        consumer.sequencer.handed_out(TP0, offset)
    for offset in processed:
        consumer.ack(_message(app, offset, tracked=True))
    assert consumer._new_offset(TP0) == commit


def test_records_cleared_from_agent_queues_are_read_again(app):
    consumer = app.consumer
    queue: FlowControlQueue = FlowControlQueue(flow_control=app.flow_control, clear_on_resume=True)
    for offset in (40, 41, 42):
        consumer.sequencer.handed_out(TP0, offset)
        queue.put_nowait(SimpleNamespace(message=_message(app, offset, tracked=False)))
    app.flow_control.resume()  # clears the queues, as table recovery does at its end
    assert queue.empty()
    assert consumer.sequencer.first_pending(TP0) == 40
    assert consumer.sequencer.expected(TP0) == 40


@pytest.mark.parametrize("barrier_fails", [False, True])
def test_commit_waits_for_the_barriers_and_commits_only_what_was_chosen_before(app, barrier_fails):
    """A commit barrier (the table writes) is awaited after the offsets are chosen and before they
    are committed; a record acked during the wait is left to the next commit, and a barrier that
    fails stops the commit (the consumer crashes; the records are read again after a restart)."""
    app.flow_control.resume()
    consumer = app.consumer
    loop = asyncio.get_event_loop()
    writes: asyncio.Future = loop.create_future()
    app.commit_barriers.append(lambda: writes)
    committed: list[dict] = []
    crashed: list[BaseException] = []

    async def _commit_offsets(offsets, start_new_transaction=True):
        committed.append(dict(offsets))
        return True

    async def crash(exc):
        crashed.append(exc)

    consumer._commit_offsets = _commit_offsets
    consumer.crash = crash
    for offset in (40, 41):
        consumer.sequencer.handed_out(TP0, offset)
    consumer.ack(_message(app, 40, tracked=True))

    async def scenario():
        commit = asyncio.ensure_future(consumer._commit_tps([TP0], start_new_transaction=False))
        await asyncio.sleep(0.01)
        assert not committed  # still waiting for the writes
        consumer.ack(_message(app, 41, tracked=True))  # processed during the wait
        if barrier_fails:
            writes.set_exception(RuntimeError("changelog write refused"))
        else:
            writes.set_result(None)
        await commit

    loop.run_until_complete(scenario())
    if barrier_fails:
        assert committed == [] and len(crashed) == 1
    else:
        assert committed == [{TP0: 41}] and crashed == []


def test_an_agent_stream_acknowledges_through_the_ordered_consumer(app):
    """Faust's compiled stream iterator edits the ack lists itself and bypasses
    ``OrderedConsumer.ack``: a processed record then stayed pending forever and the partition's
    commits stopped. The app's streams must acknowledge through the consumer."""
    from faust.events import Event

    app.flow_control.resume()
    consumer = app.consumer
    channel = app.channel()
    events = app.stream(channel).events().__aiter__()

    async def take_two() -> list[int]:
        for offset in (40, 41):
            consumer.sequencer.handed_out(TP0, offset)
            message = _message(app, offset, tracked=False)
            message.incref()  # as the conductor does for each channel it delivers to
            await channel.put(Event(app, b"k", b"v", {}, message))
        return [(await asyncio.wait_for(events.__anext__(), 5)).message.offset for _ in range(2)]

    assert app.loop.run_until_complete(take_two()) == [40, 41]
    # 40 was acknowledged when the stream moved on to 41: it no longer holds commits back.
    assert 40 in consumer._acked[TP0]
    assert consumer.sequencer.first_pending(TP0) == 41
