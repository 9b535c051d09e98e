"""Integration fixtures: a real Kafka broker and real worker processes.

The broker is the one ``scripts/test.sh`` starts (or ``KAFKA_BOOTSTRAP_SERVERS``). Outside CI the
tests skip cleanly when no broker answers; in CI (``CI=true``) a missing broker is a failure.
Every test module gets fresh topic names and its own consumer group, so tests never see each
other's records.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from streams.broker import broker_answers
from streams.settings import Settings

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def broker_settings() -> Settings:
    """Settings pointing at a broker that answers (skip outside CI, fail in CI, when none does)."""
    settings = Settings.from_env()
    if not broker_answers(settings, timeout=10.0):
        message = f"no Kafka broker answers at {settings.brokers}: run scripts/test.sh (it starts one)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return settings


@dataclass
class WorkerHandle:
    """A running ``streams worker`` process and the environment it was started with."""

    proc: subprocess.Popen
    env: dict[str, str]
    settings: Settings
    log_path: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.settings.web_port}"

    def log_tail(self, lines: int = 60) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30.0) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        return self.proc.returncode


def topic_env(prefix: str) -> dict[str, str]:
    """Environment naming fresh topics and a fresh consumer group for one test module."""
    tag = f"{prefix}-{uuid.uuid4().hex[:8]}"
    return {
        "STREAMS_APP_ID": f"test-{tag}",
        "STREAMS_TOPIC_RAW": f"{tag}.articles.raw",
        "STREAMS_TOPIC_ENRICHED": f"{tag}.articles.enriched",
        "STREAMS_TOPIC_INCIDENTS": f"{tag}.incidents",
        "STREAMS_TOPIC_DLQ": f"{tag}.articles.dlq",
        "STREAMS_TOPIC_CONSOLIDATED": f"{tag}.incidents.consolidated",
        "STREAMS_PARTITIONS": "2",
    }


def start_worker(base: Settings, env_overrides: dict[str, str], log_path: Path, wait: float = 90.0) -> WorkerHandle:
    """Start a worker process with ``env_overrides`` and wait until /ready answers 200."""
    env = dict(os.environ)
    env.update(env_overrides)
    env["KAFKA_BOOTSTRAP_SERVERS"] = base.brokers
    env.setdefault("STREAMS_WEB_PORT", str(free_port()))
    env["STREAMS_WEB_PORT"] = env_overrides.get("STREAMS_WEB_PORT", env["STREAMS_WEB_PORT"])
    settings = Settings.from_env(env)
    log = open(log_path, "ab")  # noqa: SIM115 - the child writes to it for its lifetime
    proc = subprocess.Popen(
        [sys.executable, "-m", "streams", "worker", "--no-start-broker"],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    handle = WorkerHandle(proc, env, settings, log_path)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"worker exited with {proc.returncode}:\n{handle.log_tail()}")
        try:
            with urllib.request.urlopen(f"{handle.base_url}/ready", timeout=2) as resp:
                if resp.status == 200:
                    return handle
        except OSError:
            pass
        time.sleep(0.5)
    handle.stop()
    raise AssertionError(f"worker not ready after {wait}s:\n{handle.log_tail()}")


@pytest.fixture(scope="module")
def worker(broker_settings: Settings, tmp_path_factory, request) -> Iterator[WorkerHandle]:
    """One worker on fresh topics for the test module; stopped afterwards."""
    env = topic_env(request.module.__name__.rsplit(".", 1)[-1].replace("_", "-"))
    log_path = tmp_path_factory.mktemp("worker") / "worker.log"
    handle = start_worker(broker_settings, env, log_path)
    yield handle
    handle.stop()
