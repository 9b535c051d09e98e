"""Retention on the real broker: old incidents leave the tables, and a restarted worker agrees.

A worker with a retention of 3 days consolidates a raid on Douma on Monday 5 March 2018, then
reports of a raid on Aleppo a week later move the event-time clock past it. The Douma record,
its date-index entry and its articles' ledger entries must then be deleted: tombstones in the
three changelogs. The worker is killed and replaced; the new one restores the tables from the
changelogs, so a late report of the Douma raid starts a new record while a report of the
Aleppo raid continues the record that was kept.
"""

from __future__ import annotations

import signal
import time

import orjson
import pytest

from streams.settings import Settings
from tests.integration.conftest import start_worker, topic_env
from tests.integration.test_consolidation import (
    WORKER_ENV,
    article,
    latest,
    merged_pair,
    published,
    read_topic,
    records_with,
    send,
    versions_of,
    wait_for,
)

pytestmark = pytest.mark.kafka

OLD = [
    article("ap-en-20180305-douma", "en", "2018-03-05T12:00:00Z", "AP",
            "Airstrikes on Douma in the Eastern Ghouta killed 13 civilians on Monday, the Syrian "
            "Observatory for Human Rights said."),
    article("reuters-en-20180305-douma", "en", "2018-03-05T15:00:00Z", "Reuters",
            "Syrian government air strikes killed 16 people in Douma on Monday, the Syrian Civil "
            "Defence said."),
]
NEW = article("ap-en-20180312-aleppo", "en", "2018-03-12T12:00:00Z", "AP",
              "Airstrikes on the city of Aleppo killed 8 civilians on Monday, the Syrian Observatory "
              "for Human Rights said.")
# After the restart: a late report of the expired Douma raid, and a second report of Aleppo's.
LATE = article("bbc-en-20180312-douma", "en", "2018-03-12T18:00:00Z", "BBC",
               "Government air strikes killed 17 people in Douma on March 5, the Syrian Civil Defence said.")
UPDATE = article("reuters-en-20180312-aleppo", "en", "2018-03-12T16:00:00Z", "Reuters",
                 "Syrian government air strikes killed 11 people in Aleppo on Monday, the Syrian Civil "
                 "Defence said.")
BUCKET = "remote_violence|SY"


def changelog(settings: Settings, table: str) -> dict[str, object]:
    """What a restored table holds: the last value of every key of its changelog (None: deleted)."""
    out: dict[str, object] = {}
    for r in read_topic(settings, f"{settings.app_id}-consolidated-{table}-changelog"):
        out[orjson.loads(r.key)] = None if r.value is None else orjson.loads(r.value)
    return out


def test_retention_deletes_old_incidents_and_a_restarted_worker_recovers_the_pruned_state(broker_settings, tmp_path):
    env = {**topic_env("retention"), **WORKER_ENV, "STREAMS_CONSOLIDATE_RETENTION_DAYS": "3",
           "BROKER_SESSION_TIMEOUT": "10", "BROKER_HEARTBEAT_INTERVAL": "2"}
    first = start_worker(broker_settings, env, tmp_path / "worker-1.log")
    s = first.settings
    second = None
    try:
        send(s, OLD)
        old_ids = {a["id"] for a in OLD}
        [douma] = records_with(wait_for("the two Douma reports to merge", merged_pair(s, old_ids), first), old_ids)
        douma_ledgers = {f"{BUCKET}|{aid}" for aid in old_ids}
        before = changelog(s, "records"), changelog(s, "index"), changelog(s, "ledger")
        assert before[0].get(douma) is not None and f"{BUCKET}|d|2018-03-05" in before[1]
        assert douma_ledgers <= {k for k, v in before[2].items() if v is not None}

        # A week later in event time: the Aleppo report moves the clock to 12 March; with 3 days
        # of retention, the 5 March record is deleted while that report is processed.
        send(s, [NEW])

        def expired():
            records = changelog(s, "records")
            return records if douma in records and records[douma] is None else None

        records = wait_for("the Douma record's tombstone in the records changelog", expired, first)
        index, ledger = changelog(s, "index"), changelog(s, "ledger")
        assert index[f"{BUCKET}|d|2018-03-05"] is None
        assert all(ledger[k] is None for k in douma_ledgers)
        # The tables shrank: of the two records made, one is left.
        live = {k for k, v in records.items() if v is not None}
        [aleppo] = live
        assert records[aleppo]["location"]["name"] == "Aleppo"
        assert {k for k, v in ledger.items() if v is not None} == {f"{BUCKET}|{NEW['id']}"}
        # No date-index entry names it (its expiry entry goes when the next expiry pass finds
        # the record gone).
        assert not [k for k, v in index.items() if v is not None and douma in v and not k.startswith("~expiry|")]

        time.sleep(3)  # past a commit interval, so the restart resumes after these reports
        assert first.stop(signal.SIGKILL) == -signal.SIGKILL
        second = start_worker(broker_settings, env, tmp_path / "worker-2.log")
        send(s, [LATE, UPDATE])

        def settled():
            items = published(s)
            late = records_with(items, {LATE["id"]})
            kept = latest(items).get(aleppo)
            return items if late and kept and len(kept["articles"]) == 2 else None

        items = wait_for("the late report and the Aleppo update", settled, second)
    finally:
        first.stop(signal.SIGKILL)
        if second is not None:
            second.stop()

    # The restored state no longer had the Douma record: the late report starts a new one
    # (version 1, alone) instead of becoming version 3 of the expired record.
    [(late_id, late)] = records_with(items, {LATE["id"]}).items()
    assert late_id != douma
    assert (late["version"], [a["id"] for a in late["articles"]]) == (1, [LATE["id"]])
    assert late["date"]["value"] == "2018-03-05"
    # The Aleppo record was restored and goes on at version 2.
    kept = latest(items)[aleppo]
    assert kept["version"] == 2 and {a["id"] for a in kept["articles"]} == {NEW["id"], UPDATE["id"]}
    assert versions_of(items, douma)[-1] == 2  # the topic keeps the expired incident's last version
