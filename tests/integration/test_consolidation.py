"""Consolidation on the real broker: raw articles in, one versioned record per incident out.

Every article goes through the whole worker (decode, extraction, the incidents topic keyed by
bucket, the consolidate agent and its three Faust tables) and the tests read what a consumer
of the compacted ``incidents.consolidated`` topic reads. Each scenario uses its own event (its
own day) so the tests of this module do not depend on each other's order; the restart test runs
its own workers on its own topics.

The articles are written for these tests, in the style of wire copy. Before checking what
consolidation made of them, every test checks that the extractor read each article's toll as
written, so an extraction regression is reported as such, not as a consolidation bug.
"""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import orjson
import pytest
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

from streams.kafka_io import client_options, produce, read
from streams.settings import Settings
from tests.conftest import assert_valid
from tests.integration.conftest import WorkerHandle, start_worker, topic_env

pytestmark = pytest.mark.kafka

WAIT_S = 90.0  # longest wait for the worker to publish what a test expects
# The first article a fresh worker extracts pays for loading language tables (over a second,
# several on a loaded machine); these tests are about consolidation, so extraction gets time
# enough that no article of theirs is dead-lettered for being first.
WORKER_ENV = {"STREAMS_EXTRACT_TIMEOUT_S": "60"}


def article(aid: str, lang: str, published: str, source: str, text: str) -> dict:
    """A raw article as a feed would produce it."""
    return {"id": aid, "lang": lang, "published_at": published, "source": source, "text": text}


# --- Tuesday 20 February 2018, Douma: air raids reported in Arabic and English, and a car bomb ---
# The Syrian Observatory's toll (cited by AFP in Arabic and AP in English) rises from "at least
# 27" to 29 to 30 during the day; the Syrian Civil Defence (cited by Reuters) says 35.
RAID_AR_MORNING = article(
    "afp-ar-20180220-douma-1", "ar", "2018-02-20T10:00:00+03:00", "AFP",
    "قتل 27 مدنياً على الأقل الثلاثاء جراء غارات جوية شنتها طائرات حربية سورية على مدينة دوما في "
    "الغوطة الشرقية قرب دمشق، وفق ما أفاد المرصد السوري لحقوق الإنسان.",
)
RAID_EN_CIVIL_DEFENCE = article(
    "reuters-en-20180220-ghouta", "en", "2018-02-20T13:00:00Z", "Reuters",
    "Syrian government air strikes killed 35 people in the town of Douma in the rebel-held Eastern "
    "Ghouta on Tuesday, the Syrian Civil Defence said.",
)
RAID_EN_OBSERVATORY = article(
    "ap-en-20180220-douma", "en", "2018-02-20T15:00:00Z", "AP",
    "Airstrikes on Douma in the Eastern Ghouta killed 29 civilians on Tuesday, the Syrian "
    "Observatory for Human Rights said.",
)
RAID_AR_EVENING = article(
    "afp-ar-20180220-douma-2", "ar", "2018-02-20T21:00:00+03:00", "AFP",
    "قتل 30 مدنياً الثلاثاء في غارات جوية على مدينة دوما في الغوطة الشرقية، في حصيلة جديدة أوردها "
    "المرصد السوري لحقوق الإنسان.",
)
RAID = [RAID_AR_MORNING, RAID_EN_CIVIL_DEFENCE, RAID_EN_OBSERVATORY, RAID_AR_EVENING]
BOMB_EN = article(
    "bbc-en-20180220-douma-market", "en", "2018-02-20T16:00:00Z", "BBC",
    "A car bomb exploded in a busy market in Douma on Tuesday, killing 6 people and wounding 20 "
    "others, according to local officials.",
)
BOMB_AR = article(
    "aljazeera-ar-20180220-douma-market", "ar", "2018-02-20T18:00:00+03:00", "Al Jazeera",
    "انفجرت سيارة مفخخة في سوق مدينة دوما الثلاثاء ما أسفر عن مقتل 6 أشخاص وإصابة 20 آخرين.",
)
# What each article says, as an analyst reads it: (killed, injured).
TOLLS = {
    RAID_AR_MORNING["id"]: (27, None), RAID_EN_CIVIL_DEFENCE["id"]: (35, None),
    RAID_EN_OBSERVATORY["id"]: (29, None), RAID_AR_EVENING["id"]: (30, None),
    BOMB_EN["id"]: (6, 20), BOMB_AR["id"]: (6, 20),
}

# --- Sunday 25 February 2018, Douma: the replay scenario ---
REPLAY = [
    article("afp-ar-20180225-douma", "ar", "2018-02-25T12:00:00+03:00", "AFP",
            "قتل 14 مدنياً الأحد في غارات جوية على مدينة دوما في الغوطة الشرقية، وفق ما أفاد المرصد "
            "السوري لحقوق الإنسان."),
    article("reuters-en-20180225-douma", "en", "2018-02-25T14:00:00Z", "Reuters",
            "Syrian government air strikes killed 17 people in Douma on Sunday, the Syrian Civil "
            "Defence said."),
]
TOLLS |= {REPLAY[0]["id"]: (14, None), REPLAY[1]["id"]: (17, None)}

# --- Thursday 22 February 2018, Douma: a correction (same article id, a new text, a higher toll) ---
CORRECTED_ID = "afp-en-20180222-douma"
CORRECTION_BEFORE = [
    article(CORRECTED_ID, "en", "2018-02-22T09:00:00Z", "AFP",
            "Air strikes on Douma killed 12 civilians on Thursday, the Syrian Observatory for Human "
            "Rights said."),
    article("reuters-en-20180222-douma", "en", "2018-02-22T11:00:00Z", "Reuters",
            "Syrian government air strikes killed 15 people in Douma on Thursday, the Syrian Civil "
            "Defence said."),
]
CORRECTION_AFTER = article(
    CORRECTED_ID, "en", "2018-02-22T09:00:00Z", "AFP",
    "Air strikes on Douma killed 19 civilians on Thursday, the Syrian Observatory for Human Rights said.",
)

# --- Monday 26 February 2018, Douma: the restart scenario (its own workers and topics) ---
RESTART_BEFORE = [
    article("afp-ar-20180226-douma", "ar", "2018-02-26T11:00:00+03:00", "AFP",
            "قتل 9 مدنيين الاثنين في غارات جوية على مدينة دوما في الغوطة الشرقية، وفق ما أفاد المرصد "
            "السوري لحقوق الإنسان."),
    article("reuters-en-20180226-douma", "en", "2018-02-26T12:00:00Z", "Reuters",
            "Syrian government air strikes killed 11 people in Douma on Monday, the Syrian Civil "
            "Defence said."),
]
RESTART_AFTER = [
    article("ap-en-20180226-douma", "en", "2018-02-26T16:00:00Z", "AP",
            "Airstrikes on Douma killed 13 civilians on Monday, the Syrian Observatory for Human "
            "Rights said."),
    article("bbc-en-20180226-douma", "en", "2018-02-26T18:00:00Z", "BBC",
            "Government air strikes killed 16 people in Douma on Monday, the Syrian Civil Defence said."),
]
TOLLS |= {a["id"]: t for a, t in zip(RESTART_BEFORE + RESTART_AFTER, [(9, None), (11, None), (13, None), (16, None)],
                                         strict=True)}


# --------------------------------------------------------------------------------------------
# Reading and waiting
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Published:
    """One record of the consolidated topic, in topic order within its partition."""

    key: str
    offset: int
    record: dict


def read_topic(settings: Settings, topic: str, idle: float = 1.0) -> list:
    """Every record currently in ``topic`` (aiokafka ConsumerRecords), partition by partition."""

    async def run() -> list:
        return [r async for r in read(settings, topic, idle_timeout=idle)]

    return asyncio.run(run())


def published(settings: Settings) -> list[Published]:
    """Everything on the consolidated topic so far, in offset order per key."""
    out = [Published(r.key.decode(), r.offset, orjson.loads(r.value))
           for r in read_topic(settings, settings.topic_consolidated)]
    return sorted(out, key=lambda p: (p.key, p.offset))


def latest(items: list[Published]) -> dict[str, dict]:
    """What a consumer of the compacted topic holds: the last record of each key."""
    return {p.key: p.record for p in items}


def wait_for(what: str, check: Callable[[], object], worker: WorkerHandle, timeout: float = WAIT_S):
    """Poll ``check`` until it returns something truthy; fail with the worker's log otherwise."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            dlq = [orjson.loads(r.value) for r in read_topic(worker.settings, worker.settings.topic_dlq)]
            reasons = "\n".join(f"{d.get('article_id')}: {d['error']}: {d['reason']}" for d in dlq)
            pytest.fail(f"timed out after {timeout:.0f}s waiting for {what}\n--- dead-lettered ---\n{reasons}"
                        f"\n--- worker log ---\n{worker.log_tail()}")
        time.sleep(0.5)


def send(settings: Settings, articles: list[dict]) -> None:
    """Produce raw articles, keyed by id, in this order (one partition per key keeps it)."""
    asyncio.run(produce(settings, settings.topic_raw, [(a["id"].encode(), orjson.dumps(a)) for a in articles]))


def records_with(items: list[Published], article_ids: set[str]) -> dict[str, dict]:
    """The latest record of every key that lists one of ``article_ids``."""
    return {k: r for k, r in latest(items).items() if {a["id"] for a in r["articles"]} & article_ids}


def merged_pair(settings: Settings, article_ids: set[str]) -> Callable[[], list[Published] | None]:
    """A ``wait_for`` probe: everything published, once the reports of ``article_ids`` are held by
    one record that lists both articles; None before."""

    def probe() -> list[Published] | None:
        items = published(settings)
        held = records_with(items, article_ids)
        return items if len(held) == 1 and len(next(iter(held.values()))["articles"]) == 2 else None

    return probe


def versions_of(items: list[Published], key: str) -> list[int]:
    """The versions published under ``key``, in topic order (re-sends of a version included)."""
    return [p.record["version"] for p in items if p.key == key]


def check_extraction(settings: Settings, articles: list[dict], worker: WorkerHandle) -> None:
    """Fail clearly when the extractor did not read an article's toll as written."""
    ids = {a["id"] for a in articles}

    def incidents() -> dict[str, list[dict]] | None:
        found: dict[str, list[dict]] = {}
        for r in read_topic(settings, settings.topic_incidents):
            incident = orjson.loads(r.value)
            if incident["article"]["id"] in ids:
                found.setdefault(incident["article"]["id"], []).append(incident)
        return found if set(found) == ids else None

    found = wait_for(f"incidents of {sorted(ids)}", incidents, worker)
    for aid, got in sorted(found.items()):
        figures = sorted({((i.get("killed") or {}).get("value"), (i.get("injured") or {}).get("value")) for i in got})
        assert figures == [TOLLS[aid]], f"extraction misread {aid}: {figures}, the text says {TOLLS[aid]}"


def figures(record: dict, kind: str = "killed") -> tuple:
    toll = record[kind]
    return (toll["value"], toll["low"], toll["high"])


# --------------------------------------------------------------------------------------------
# Scenario fixtures (module-scoped: each event is produced once)
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def worker(broker_settings: Settings, tmp_path_factory) -> Iterator[WorkerHandle]:
    """One worker on fresh topics for this module (see WORKER_ENV); stopped afterwards."""
    env = {**topic_env("consolidation"), **WORKER_ENV}
    handle = start_worker(broker_settings, env, tmp_path_factory.mktemp("worker") / "worker.log")
    yield handle
    handle.stop()


@pytest.fixture(scope="module")
def douma_day(worker):
    """The four raid reports (Arabic and English) and the two car-bomb reports of 20 February."""
    s = worker.settings
    send(s, [*RAID, BOMB_EN, BOMB_AR])
    ids = {a["id"] for a in [*RAID, BOMB_EN, BOMB_AR]}

    def settled():
        items = published(s)
        held = records_with(items, ids)
        listed = [a["id"] for r in held.values() for a in r["articles"]]
        return items if sorted(listed) == sorted(ids) else None

    items = wait_for("the raid and the bombing to be consolidated", settled, worker)
    check_extraction(s, [*RAID, BOMB_EN, BOMB_AR], worker)
    return items


def test_consolidation_arabic_and_english_reports_merge_into_one_incident(douma_day):
    raid_ids = {a["id"] for a in RAID}
    held = records_with(douma_day, raid_ids)
    assert len(held) == 1, f"the raid reports ended in {len(held)} records: {[r['articles'] for r in held.values()]}"
    [(key, record)] = held.items()
    assert_valid("consolidated-incident", record)
    assert key == record["consolidated_id"]
    assert {a["id"] for a in record["articles"]} == raid_ids
    assert (record["family"], record["type"], record["date"]["value"]) == ("remote_violence", "airstrike", "2018-02-20")
    assert (record["location"]["name"], record["country_code"]) == ("Douma", "SY")
    assert record["languages"] == ["ar", "en"]
    # ACLED's conservative rule: each source's latest report counts (the Observatory's 30 of
    # 21:00+03:00 replaces its "at least 27" and its 29); the headline is the lowest of them.
    assert figures(record) == (30, 30, 35)
    assert (record["killed"]["policy"], record["killed"]["reports"], record["killed"]["sources"]) == (
        "acled_conservative", 4, 2)
    assert record["injured"] is None
    assert {s["name"] for s in record["sources"]} >= {"Syrian Observatory for Human Rights", "Syrian Civil Defence"}
    # One version per report, published in order.
    assert sorted(set(versions_of(douma_day, key))) == [1, 2, 3, 4]
    assert versions_of(douma_day, key) == sorted(versions_of(douma_day, key))
    assert record["version"] == 4 and record["status"] == "active"


def test_consolidation_same_day_car_bomb_in_the_same_town_stays_apart(douma_day):
    raid = records_with(douma_day, {a["id"] for a in RAID})
    bomb = records_with(douma_day, {BOMB_EN["id"], BOMB_AR["id"]})
    assert len(bomb) == 1 and not set(bomb) & set(raid)
    [record] = bomb.values()
    assert_valid("consolidated-incident", record)
    # The bombing merges its own two reports (Arabic and English), and only those.
    assert {a["id"] for a in record["articles"]} == {BOMB_EN["id"], BOMB_AR["id"]}
    assert (record["family"], record["type"], record["date"]["value"]) == ("explosions", "bombing", "2018-02-20")
    assert record["location"]["name"] == "Douma"
    assert figures(record) == (6, 6, 6) and figures(record, "injured") == (20, 20, 20)
    active = [r for r in latest(douma_day).values() if r["status"] == "active"
              and r["date"]["value"] == "2018-02-20"]
    assert len(active) == 2


def test_consolidation_tail_shows_each_version(douma_day, worker):
    [key] = records_with(douma_day, {a["id"] for a in RAID})
    env = {**worker.env, "PYTHONUNBUFFERED": "1"}
    out = subprocess.run(
        [sys.executable, "-m", "streams", "tail", worker.settings.topic_consolidated, "--idle-timeout", "3"],
        env=env, capture_output=True, text=True, timeout=60,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    lines = [line for line in out.stdout.splitlines() if key in line]
    shown = [int(line.split()[0].removeprefix("v")) for line in lines]
    assert shown == versions_of(douma_day, key), out.stdout
    assert "Douma, SY" in lines[-1] and "airstrike" in lines[-1]
    assert "killed=30" in lines[-1]  # the headline toll of the last version


def test_consolidation_topic_is_compacted(worker):
    s = worker.settings
    tables = [f"{s.app_id}-consolidated-{name}-changelog" for name in ("records", "index", "ledger")]

    async def policies() -> dict[str, str]:
        admin = AIOKafkaAdminClient(**client_options(s))
        await admin.start()
        try:
            names = [s.topic_consolidated, s.topic_incidents, *tables]
            responses = await admin.describe_configs(
                [ConfigResource(ConfigResourceType.TOPIC, name, configs={"cleanup.policy": None}) for name in names])
        finally:
            await admin.close()
        found = {}
        for response in responses:
            for error_code, _msg, _type, name, entries in response.resources:
                assert error_code == 0, f"describe_configs({name}) failed: {error_code}"
                found[name] = {entry[0]: entry[1] for entry in entries}["cleanup.policy"]
        return found

    found = asyncio.run(policies())
    assert found[s.topic_consolidated] == "compact"
    assert all(found[t] == "compact" for t in tables), found  # the tables' changelogs too
    assert found[s.topic_incidents] == "delete"  # a stream of reports, not a table


@pytest.fixture(scope="module")
def replayed(worker):
    """The Sunday event consolidated, then both raw articles produced a second time."""
    s = worker.settings
    ids = {a["id"] for a in REPLAY}
    send(s, REPLAY)

    before = wait_for("the Sunday reports to merge", merged_pair(s, ids), worker)
    [key] = records_with(before, ids)
    count = len(versions_of(before, key))
    send(s, REPLAY)
    # The agent re-sends the record for every incident it processes, changed or not, so two more
    # records under the key mean both replays went through consolidation.
    wait_for("the replays to be processed",
                     lambda: (items := published(s)) and len(versions_of(items, key)) >= count + 2 and items,
                     worker)
    time.sleep(2)  # a version produced by mistake would arrive right after the re-sends
    return key, before, published(s)


def test_consolidation_replay_of_the_same_article_changes_nothing(replayed, worker):
    key, before, after = replayed
    check_extraction(worker.settings, REPLAY, worker)
    old = latest(before)[key]
    assert old["version"] == 2 and figures(old) == (14, 14, 17)
    # Nothing after the first time: the replays only re-send version 2, unchanged to the byte.
    assert latest(after)[key] == old
    new = [p.record for p in after if p.key == key][len(versions_of(before, key)):]
    assert new and all(r == old for r in new)
    assert not [r for k, r in latest(after).items() if k != key and r["articles"][0]["id"] in {a["id"] for a in REPLAY}]


@pytest.fixture(scope="module")
def corrected(worker):
    """The Thursday event, then its AFP article corrected (same id, new text, higher toll)."""
    s = worker.settings
    ids = {a["id"] for a in CORRECTION_BEFORE}
    send(s, CORRECTION_BEFORE)

    before = wait_for("the Thursday reports to merge", merged_pair(s, ids), worker)
    [key] = records_with(before, ids)
    version = latest(before)[key]["version"]
    send(s, [CORRECTION_AFTER])
    wait_for("the corrected version",
                     lambda: (items := published(s)) and latest(items)[key]["version"] > version and items, worker)
    time.sleep(2)
    return key, before, published(s)


def test_consolidation_corrected_article_replaces_its_contribution(corrected, worker):
    key, before, after = corrected
    old, new = latest(before)[key], latest(after)[key]
    assert old["version"] == 2 and figures(old) == (12, 12, 15)
    # One more version; the AFP article's 12 is replaced by 19, not added beside it.
    assert new["version"] == 3 and versions_of(after, key)[-1] == 3
    assert len(new["contributions"]) == 2 and new["killed"]["reports"] == 2
    assert sorted(a["id"] for a in new["articles"]) == sorted(a["id"] for a in CORRECTION_BEFORE)
    afp = [c for c in new["contributions"].values() if c["article_id"] == CORRECTED_ID]
    assert [c["killed"]["value"] for c in afp] == [19]
    assert afp[0]["revision"] > next(c for c in old["contributions"].values() if c["article_id"] == CORRECTED_ID)["revision"]
    # Headline: the lowest of the sources' latest figures, now the Civil Defence's 15.
    assert figures(new) == (15, 15, 19)
    assert [k for k, r in latest(after).items() if CORRECTED_ID in {a["id"] for a in r["articles"]}] == [key]


# --------------------------------------------------------------------------------------------
# Restart: SIGKILL, a new worker, the tables come back from their changelogs
# --------------------------------------------------------------------------------------------


def test_consolidation_state_survives_a_killed_worker(broker_settings, tmp_path):
    # A short group session: the killed member is evicted after 10 s, not Faust's default minute,
    # so the new worker gets the partitions (and recovers the tables) soon after it joins.
    env = {**topic_env("consolidation-restart"), **WORKER_ENV,
           "BROKER_SESSION_TIMEOUT": "10", "BROKER_HEARTBEAT_INTERVAL": "2"}
    first = start_worker(broker_settings, env, tmp_path / "worker-1.log")
    s = first.settings
    second = None
    try:
        send(s, RESTART_BEFORE)
        ids = {a["id"] for a in RESTART_BEFORE}

        before = wait_for("the first two reports to merge", merged_pair(s, ids), first)
        [key] = records_with(before, ids)
        assert latest(before)[key]["version"] == 2
        time.sleep(3)  # past a commit interval, so the restart resumes after these reports
        assert first.stop(signal.SIGKILL) == -signal.SIGKILL

        second = start_worker(broker_settings, env, tmp_path / "worker-2.log")
        send(s, RESTART_AFTER)
        all_ids = ids | {a["id"] for a in RESTART_AFTER}

        def complete():
            items = published(s)
            record = latest(items).get(key)
            return items if record and {a["id"] for a in record["articles"]} == all_ids else None

        after = wait_for("the reports sent after the restart to join the record", complete, second)
        time.sleep(2)
        after = published(s)
        check_extraction(s, RESTART_BEFORE + RESTART_AFTER, second)
    finally:
        first.stop(signal.SIGKILL)
        if second is not None:
            second.stop()

    record = latest(after)[key]
    # The restarted worker found the record in its recovered table: versions go on from 2, and
    # no second record was started for the same event.
    assert len(records_with(after, all_ids)) == 1
    assert record["version"] == 4
    assert sorted(set(versions_of(after, key))) == [1, 2, 3, 4]
    assert versions_of(after, key) == sorted(versions_of(after, key))
    # Every report exactly once: 4 contributions, 4 articles; each source's latest figure counts.
    assert len(record["contributions"]) == 4 and record["article_count"] == 4
    assert record["killed"]["reports"] == 4 and record["killed"]["sources"] == 2
    assert figures(record) == (13, 13, 16)
    assert record["languages"] == ["ar", "en"]
    # The table's own changelog (what the new worker restored from) holds no version twice and
    # none out of order: version 2, which the restart recovered, and the final 4. (The tables send
    # a key's last value once per commit, so a version overwritten within one commit interval,
    # here 1 or 3, may never reach the changelog.)
    changelog = [orjson.loads(r.value)["version"]
                 for r in read_topic(s, f"{s.app_id}-consolidated-records-changelog") if orjson.loads(r.key) == key]
    assert changelog == sorted(set(changelog)), changelog
    assert 2 in changelog and changelog[-1] == 4, changelog

