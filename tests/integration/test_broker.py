"""The local Kafka broker (`streams.broker`) on a port and data directory of its own.

These tests start a real Kafka 4 broker (the jars come from the shared cache; the first run
resolves them through Maven), talk to it with aiokafka, and stop it at the end, so they never
touch the broker that ``scripts/test.sh`` runs for the other integration tests.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import time
import uuid
from collections.abc import Iterator

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from streams.broker import (
    BrokerError,
    broker_status,
    ensure_broker,
    main_broker,
    server_properties,
    stop_broker,
)
from streams.settings import Settings

from .conftest import IN_CI

pytestmark = pytest.mark.kafka


def _free_port_pair() -> int:
    """A port P on 127.0.0.1 with P and P+1 free (broker and controller listeners)."""
    for _ in range(50):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port >= 65535:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
        return port
    raise RuntimeError("no two adjacent free ports")


def _env(data_dir: str, port: int, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "KAFKA_BOOTSTRAP_SERVERS"}
    env.update(STREAMS_LOCAL_BROKER_PORT=str(port), STREAMS_DATA_DIR=data_dir, **extra)
    return env


@pytest.fixture(scope="module")
def local(tmp_path_factory) -> Iterator[Settings]:
    """Settings of a broker of this module's own (not started yet); stopped afterwards."""
    missing = [tool for tool in ("java", "mvn") if not shutil.which(tool)]
    if missing:
        message = f"{' and '.join(missing)} not installed: cannot run the local Kafka broker"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    data_dir = str(tmp_path_factory.mktemp("broker-data"))
    settings = Settings.from_env(_env(data_dir, _free_port_pair(), STREAMS_PARTITIONS="3"))
    yield settings
    stop_broker(settings)


@pytest.fixture(scope="module")
def started(local: Settings) -> Settings:
    """The module's broker, started."""
    ensure_broker(local)
    return local


def test_broker_status_not_running_before_start(local: Settings) -> None:
    status = broker_status(local)
    assert status["running"] is False
    assert status["pid"] is None
    assert status["answers"] is False
    assert stop_broker(local) is False


def _use(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point the CLI (which reads the environment) at ``settings``' broker."""
    monkeypatch.delenv("KAFKA_BOOTSTRAP_SERVERS", raising=False)
    monkeypatch.setenv("STREAMS_LOCAL_BROKER_PORT", str(settings.local_broker_port))
    monkeypatch.setenv("STREAMS_DATA_DIR", settings.data_dir)


def test_broker_cli_status_exit_code_when_not_running(local: Settings, monkeypatch, capsys) -> None:
    _use(local, monkeypatch)
    assert main_broker(["status"]) == 3
    assert "not running" in capsys.readouterr().out


def test_broker_ensure_starts_and_status_reports_running(started: Settings) -> None:
    status = broker_status(started)
    assert status["running"] is True
    assert status["answers"] is True
    assert isinstance(status["pid"], int)
    assert status["bootstrap"] == f"127.0.0.1:{started.local_broker_port}"
    assert os.path.exists(status["log_file"])
    assert status["data_dir"].startswith(started.data_dir)


def test_broker_ensure_is_noop_when_running(started: Settings) -> None:
    pid = broker_status(started)["pid"]
    t0 = time.monotonic()
    assert ensure_broker(started) == started.brokers
    assert time.monotonic() - t0 < 10
    assert broker_status(started)["pid"] == pid


def test_broker_cli_status_json_when_running(started: Settings, monkeypatch, capsys) -> None:
    _use(started, monkeypatch)
    assert main_broker(["status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["running"] is True
    assert status["pid"] == broker_status(started)["pid"]


def test_broker_external_bootstrap_is_used_not_started(started: Settings, tmp_path) -> None:
    # A second data dir and another port, but KAFKA_BOOTSTRAP_SERVERS names the running broker.
    external = Settings.from_env(_env(str(tmp_path), _free_port_pair(), KAFKA_BOOTSTRAP_SERVERS=started.brokers))
    assert ensure_broker(external, timeout=20) == started.brokers
    status = broker_status(external)
    assert status["external"] is True and status["running"] is True and status["pid"] is None
    assert not (tmp_path / "kafka" / "broker.pid").exists()


def test_broker_external_bootstrap_that_does_not_answer_fails(tmp_path) -> None:
    port = _free_port_pair()
    external = Settings.from_env(_env(str(tmp_path), port, KAFKA_BOOTSTRAP_SERVERS=f"127.0.0.1:{port}"))
    with pytest.raises(BrokerError, match="no Kafka broker answers"):
        ensure_broker(external, timeout=2)


def test_broker_produce_consume_round_trip(started: Settings) -> None:
    topic = f"broker-test-{uuid.uuid4().hex[:8]}"
    values = [f"record-{i}".encode() for i in range(20)]

    async def run() -> list[bytes]:
        producer = AIOKafkaProducer(bootstrap_servers=started.brokers)
        await producer.start()
        try:
            for i, value in enumerate(values):
                await producer.send(topic, value, key=str(i % 3).encode())
            await producer.flush()
        finally:
            await producer.stop()
        consumer = AIOKafkaConsumer(topic, bootstrap_servers=started.brokers, auto_offset_reset="earliest",
                                    group_id=f"g-{topic}")
        await consumer.start()
        got: list[bytes] = []
        try:
            deadline = time.monotonic() + 60
            while len(got) < len(values) and time.monotonic() < deadline:
                batch = await consumer.getmany(timeout_ms=1000)
                got += [r.value for records in batch.values() for r in records]
            partitions = consumer.partitions_for_topic(topic)
        finally:
            await consumer.stop()
        # Auto-created topics take num.partitions from STREAMS_PARTITIONS.
        assert partitions == set(range(started.partitions))
        return got

    assert sorted(asyncio.run(run())) == sorted(values)


def test_broker_transactions_commit_visible_abort_hidden(started: Settings) -> None:
    topic = f"broker-tx-{uuid.uuid4().hex[:8]}"

    async def run() -> list[bytes]:
        producer = AIOKafkaProducer(bootstrap_servers=started.brokers, transactional_id=f"tx-{topic}")
        await producer.start()
        try:
            async with producer.transaction():
                await producer.send_and_wait(topic, b"committed-1")
                await producer.send_and_wait(topic, b"committed-2")
            await producer.begin_transaction()
            await producer.send_and_wait(topic, b"aborted")
            await producer.abort_transaction()
            async with producer.transaction():
                await producer.send_and_wait(topic, b"committed-3")
        finally:
            await producer.stop()
        consumer = AIOKafkaConsumer(topic, bootstrap_servers=started.brokers, auto_offset_reset="earliest",
                                    isolation_level="read_committed", group_id=f"g-{topic}")
        await consumer.start()
        got: list[bytes] = []
        try:
            deadline = time.monotonic() + 60
            while len(got) < 3 and time.monotonic() < deadline:
                batch = await consumer.getmany(timeout_ms=1000)
                got += [r.value for records in batch.values() for r in records]
            # One more poll: an aborted record would arrive with the last committed one.
            batch = await consumer.getmany(timeout_ms=1000)
            got += [r.value for records in batch.values() for r in records]
        finally:
            await consumer.stop()
        return got

    assert sorted(asyncio.run(run())) == [b"committed-1", b"committed-2", b"committed-3"]


def test_broker_stale_pid_file_is_ignored(local: Settings, tmp_path) -> None:
    # A pid file naming a live process that is not this broker (the test itself) is stale.
    other = Settings.from_env(_env(str(tmp_path), _free_port_pair()))
    pid_file = tmp_path / "kafka" / "broker.pid"
    pid_file.parent.mkdir(parents=True)
    pid_file.write_text(f"{os.getpid()}\n")
    assert broker_status(other)["running"] is False
    assert not pid_file.exists()
    assert stop_broker(other) is False


def test_broker_server_properties_follow_settings(local: Settings) -> None:
    props = dict(line.split("=", 1) for line in server_properties(local).splitlines() if "=" in line)
    port = local.local_broker_port
    assert props["listeners"] == f"PLAINTEXT://127.0.0.1:{port},CONTROLLER://127.0.0.1:{port + 1}"
    assert props["num.partitions"] == str(local.partitions)
    assert props["log.dirs"].startswith(local.data_dir)


def test_broker_stop_stops_it(started: Settings) -> None:
    pid = broker_status(started)["pid"]
    assert stop_broker(started) is True
    status = broker_status(started)
    assert status["running"] is False and status["answers"] is False
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    assert stop_broker(started) is False
