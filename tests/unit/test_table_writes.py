"""The consolidation tables hold their changelog writes until a commit and send each key's last one.

Drives :class:`streams.agents._DurableTable` without a broker: the table's send is replaced by a
recorder, and the partition of the current event by a constant (Faust asks the current event).
"""

from __future__ import annotations

import asyncio

import faust
import pytest

from streams.agents import _DurableTable
from streams.consumer import StreamsApp

SET, DEL = "set", "del"


@pytest.fixture
def table():
    """A held-writes table of its own app, recording what it sends (partition 2 for every key)."""
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    app = StreamsApp("table-writes-test", broker="kafka://127.0.0.1:1", store="memory://", loop=loop)
    schema = faust.Schema(key_type=str, key_serializer="json", value_serializer="json")
    table = _DurableTable(app, name="t", default=None, partitions=4, schema=schema)
    table.partition_for_key = lambda key: 2
    table.sent = []
    table.futures = []

    def send_changelog(partition, key, value, key_serializer=None, value_serializer=None):
        future = loop.create_future()
        table.sent.append((partition, key, value, value_serializer))
        table.futures.append(future)
        return future

    table.send_changelog = send_changelog
    yield table
    loop.close()
    asyncio.set_event_loop(None)


def _apply(table, ops):
    for op, key, value in ops:
        if op == SET:
            table[key] = value
        else:
            del table[key]


@pytest.mark.parametrize(
    ("ops", "sent"),
    [
        ([(SET, "a", 1)], [(2, "a", 1, None)]),
        # the same key rewritten before the commit: only its last value goes out
        ([(SET, "a", 1), (SET, "a", 2)], [(2, "a", 2, None)]),
        # a delete goes out as Faust sends one (None, raw), and replaces an earlier set
        ([(SET, "b", 1), (DEL, "b", None)], [(2, "b", None, "raw")]),
        # keys go out in the order of their last change
        ([(SET, "a", 1), (SET, "b", 1), (SET, "a", 3)], [(2, "b", 1, None), (2, "a", 3, None)]),
    ],
)
def test_held_writes_go_out_once_per_key_with_the_last_value(table, ops, sent):
    _apply(table, ops)
    assert table.sent == []  # nothing is sent before the commit barrier
    table.send_held()
    assert table.sent == sent
    table.send_held()
    assert table.sent == sent  # each held write is sent once


def test_commit_barrier_sends_held_writes_and_waits_for_them(table):
    loop = asyncio.get_event_loop()
    _apply(table, [(SET, "a", 1), (SET, "b", 2)])
    barrier = loop.create_task(table.writes_queued_sent())
    loop.run_until_complete(asyncio.sleep(0.01))
    assert [key for _, key, _, _ in table.sent] == ["a", "b"]
    assert not barrier.done()  # the broker has not acknowledged them yet
    table.futures[0].set_result(None)
    loop.run_until_complete(asyncio.sleep(0.01))
    assert not barrier.done()
    table.futures[1].set_result(None)
    loop.run_until_complete(asyncio.wait_for(barrier, 1))
    assert table._unsent == set()
