"""The local Kafka broker: Apache Kafka 4 in KRaft mode, one node, on 127.0.0.1.

``streams broker start|stop|status`` and :func:`ensure_broker` run a single combined
broker+controller from jars that Maven resolves from Maven Central on first use
(``deploy/kafka/pom.xml``, copied into ``<cache_dir>/kafka-<version>/libs``). No Docker, no
Kafka distribution tarball: only Java 17+ and Maven are needed.

Layout under ``<data_dir>/kafka/``: ``server.properties`` and ``log4j2.properties`` (regenerated at
every start from the settings), ``kraft-combined-logs/`` (the broker's data, formatted once with
Kafka's storage tool in standalone KRaft mode), ``broker.pid`` and ``broker.log``.

The broker runs in its own session so that it outlives the command that started it; the pid
file is how ``stop`` and ``status`` find it again. A pid file whose process is gone, or is not
this broker, is stale and ignored.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import concurrent.futures
import contextlib
import fcntl
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from streams.errors import StreamsError
from streams.settings import REPO_ROOT, Settings

KAFKA_VERSION = "4.3.1"
POM_PATH = REPO_ROOT / "deploy" / "kafka" / "pom.xml"
MIN_JAVA = 17  # Kafka 4 brokers need Java 17.
# Heap of the broker JVM; KAFKA_HEAP_OPTS overrides it, as with Kafka's own scripts.
DEFAULT_HEAP_OPTS = "-Xms256m -Xmx1g"
_JVM_OPTS = (
    "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20", "-XX:InitiatingHeapOccupancyPercent=35",
    "-XX:+ExplicitGCInvokesConcurrent", "-Djava.awt.headless=true",
)
_MAIN_CLASS = "kafka.Kafka"
_STORAGE_TOOL = "kafka.tools.StorageTool"
_COMPLETE_MARKER = ".complete"

# Popen handles of brokers this process started: kept so that the child can be reaped (no
# zombie that looks alive) and so that Popen does not warn about a child still running.
_CHILDREN: dict[int, subprocess.Popen] = {}


class BrokerError(StreamsError):
    """The local broker could not be resolved, started, reached or stopped."""


# --------------------------------------------------------------------------- paths


def kafka_home(settings: Settings) -> Path:
    """``<cache_dir>/kafka-<version>``: the resolved jars live in its ``libs/``."""
    return Path(settings.cache_dir) / f"kafka-{KAFKA_VERSION}"


def broker_dir(settings: Settings) -> Path:
    """``<data_dir>/kafka``: config, data, pid file and log of the local broker."""
    return Path(settings.data_dir) / "kafka"


def _pid_file(settings: Settings) -> Path:
    return broker_dir(settings) / "broker.pid"


def _log_file(settings: Settings) -> Path:
    return broker_dir(settings) / "broker.log"


def _log_dirs(settings: Settings) -> Path:
    return broker_dir(settings) / "kraft-combined-logs"


def _controller_port(settings: Settings) -> int:
    return settings.local_broker_port + 1


# --------------------------------------------------------------------------- tools


def _java() -> str:
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").exists():
        return str(Path(java_home) / "bin" / "java")
    found = shutil.which("java")
    if not found:
        raise BrokerError("java is not installed (Kafka 4 needs Java 17+): install a JDK or set JAVA_HOME")
    return found


def _check_java(java: str) -> None:
    proc = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60)
    text = proc.stderr + proc.stdout
    match = re.search(r'version "(\d+)(?:\.(\d+))?', text)
    if not match:
        raise BrokerError(f"cannot tell the Java version from `{java} -version`:\n{text.strip()}")
    major = int(match.group(1))
    if major == 1 and match.group(2):  # "1.8.0_x" style
        major = int(match.group(2))
    if major < MIN_JAVA:
        raise BrokerError(f"{java} is Java {major}; Kafka {KAFKA_VERSION} needs Java {MIN_JAVA}+ (set JAVA_HOME)")


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """An exclusive lock between processes (two `streams` commands starting at once)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _tail(text: str, lines: int = 40) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def _tail_file(path: Path, lines: int = 40) -> str:
    try:
        return _tail(path.read_text(errors="replace"), lines)
    except OSError:
        return ""


# --------------------------------------------------------------------------- jars


def resolve_jars(settings: Settings) -> Path:
    """Resolve the Kafka server jars through Maven into ``<cache_dir>/kafka-<version>/libs``.

    Idempotent: a completed resolution is marked and reused without running Maven. The jars
    are copied into a temporary directory first and moved into place only when Maven
    succeeded, so an interrupted download never leaves a half-filled ``libs``. Returns the
    ``libs`` directory. Raises :class:`BrokerError` (with the tail of Maven's output) when
    Maven or Java is missing or the resolution fails.
    """
    home = kafka_home(settings)
    libs = home / "libs"
    if (libs / _COMPLETE_MARKER).exists():
        return libs
    with _file_lock(home.parent / f".kafka-{KAFKA_VERSION}.lock"):
        if (libs / _COMPLETE_MARKER).exists():  # another process finished while we waited
            return libs
        mvn = shutil.which("mvn")
        if not mvn:
            raise BrokerError(
                "mvn (Apache Maven) is not installed: it is needed once to fetch the Kafka jars "
                f"into {libs}. Install Maven, or set KAFKA_BOOTSTRAP_SERVERS to use another broker."
            )
        _java()  # Maven needs Java too; fail with the clearer message
        if not POM_PATH.exists():
            raise BrokerError(f"{POM_PATH} is missing: run from a checkout of the repository")
        home.mkdir(parents=True, exist_ok=True)
        # Maven runs on a copy so that it writes nothing into the source tree.
        pom = home / "pom.xml"
        shutil.copyfile(POM_PATH, pom)
        staging = home / "libs.partial"
        shutil.rmtree(staging, ignore_errors=True)
        cmd = [
            mvn, "-B", "-q", "-f", str(pom), "dependency:copy-dependencies",
            f"-Dkafka.version={KAFKA_VERSION}", f"-DoutputDirectory={staging}",
        ]
        try:
            proc = subprocess.run(cmd, cwd=home, capture_output=True, text=True, timeout=1800)
        except subprocess.TimeoutExpired as exc:
            raise BrokerError(f"Maven did not finish resolving Kafka {KAFKA_VERSION} in 30 min") from exc
        if proc.returncode != 0 or not any(staging.glob("kafka_2.13-*.jar")):
            raise BrokerError(
                f"Maven failed to resolve Kafka {KAFKA_VERSION} (exit {proc.returncode}): "
                f"{' '.join(cmd)}\n{_tail(proc.stdout + proc.stderr)}"
            )
        (staging / _COMPLETE_MARKER).write_text(f"kafka {KAFKA_VERSION}\n")
        shutil.rmtree(libs, ignore_errors=True)
        staging.rename(libs)
    return libs


# --------------------------------------------------------------------------- config


def _cluster_id() -> str:
    """A cluster id as Kafka's ``random-uuid`` makes it: 16 random bytes, base64url, no padding."""
    while True:
        cid = base64.urlsafe_b64encode(uuid.uuid4().bytes).rstrip(b"=").decode()
        if not cid.startswith("-"):  # Kafka refuses ids that look like command-line options
            return cid


def server_properties(settings: Settings) -> str:
    """The ``server.properties`` of the single-node combined broker+controller."""
    port, cport = settings.local_broker_port, _controller_port(settings)
    props = {
        "process.roles": "broker,controller",
        "node.id": "1",
        "controller.quorum.bootstrap.servers": f"127.0.0.1:{cport}",
        "listeners": f"PLAINTEXT://127.0.0.1:{port},CONTROLLER://127.0.0.1:{cport}",
        "advertised.listeners": f"PLAINTEXT://127.0.0.1:{port}",
        "controller.listener.names": "CONTROLLER",
        "inter.broker.listener.name": "PLAINTEXT",
        "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "log.dirs": str(_log_dirs(settings)),
        "num.partitions": str(settings.partitions),
        "auto.create.topics.enable": "true",
        # One node: every internal topic has one replica, or it is never created.
        "offsets.topic.replication.factor": "1",
        "transaction.state.log.replication.factor": "1",
        "transaction.state.log.min.isr": "1",
        "share.coordinator.state.topic.replication.factor": "1",
        "share.coordinator.state.topic.min.isr": "1",
        "min.insync.replicas": "1",
        # Fewer partitions of the internal topics than the default 50: they are created on a
        # group's or a transaction's first use, and 50 slows the first test of every run.
        "offsets.topic.num.partitions": "8",
        "transaction.state.log.num.partitions": "8",
        # Consumers (and Faust workers) join at once instead of waiting 3 s for others.
        "group.initial.rebalance.delay.ms": "0",
        "num.network.threads": "3",
        "num.io.threads": "8",
        "log.retention.hours": "168",
    }
    lines = ["# Generated by streams.broker at every start; edits are overwritten."]
    lines += [f"{key}={value}" for key, value in props.items()]
    return "\n".join(lines) + "\n"


_LOG4J2 = """\
# Generated by streams.broker. Quiet: warnings, plus the line that says the server started.
status = warn
appender.out.type = Console
appender.out.name = STDOUT
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = warn
rootLogger.appenderRef.out.ref = STDOUT
logger.raft.name = kafka.server.KafkaRaftServer
logger.raft.level = info
"""


def _write_config(settings: Settings) -> tuple[Path, Path]:
    bdir = broker_dir(settings)
    bdir.mkdir(parents=True, exist_ok=True)
    props, log4j = bdir / "server.properties", bdir / "log4j2.properties"
    props.write_text(server_properties(settings))
    log4j.write_text(_LOG4J2)
    return props, log4j


def _java_cmd(java: str, libs: Path, log4j: Path, main: str, *args: str) -> list[str]:
    heap = os.environ.get("KAFKA_HEAP_OPTS", DEFAULT_HEAP_OPTS).split()
    return [
        java, *heap, *_JVM_OPTS, f"-Dlog4j2.configurationFile={log4j}",
        "-cp", f"{libs}/*", main, *args,
    ]


def _format_storage(settings: Settings, java: str, libs: Path, props: Path, log4j: Path) -> None:
    """Format the data directory once (standalone KRaft: this node is the only voter)."""
    log_dirs = _log_dirs(settings)
    if (log_dirs / "meta.properties").exists():
        formatted = _read_json(broker_dir(settings) / "format.json")
        cport = formatted.get("controller_port")
        if cport not in (None, _controller_port(settings)):
            # The voter set recorded at format time names the old controller endpoint.
            raise BrokerError(
                f"{log_dirs} was formatted for controller port {cport}, not "
                f"{_controller_port(settings)}: use STREAMS_LOCAL_BROKER_PORT={cport - 1}, another "
                "STREAMS_DATA_DIR, or delete that directory"
            )
        return
    shutil.rmtree(log_dirs, ignore_errors=True)  # a format that failed half-way
    cmd = _java_cmd(java, libs, log4j, _STORAGE_TOOL, "format", "--standalone",
                    "-t", _cluster_id(), "-c", str(props))
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    if proc.returncode != 0:
        raise BrokerError(f"formatting {log_dirs} failed (exit {proc.returncode}):\n"
                          f"{_tail(proc.stdout + proc.stderr)}")
    (broker_dir(settings) / "format.json").write_text(json.dumps(
        {"kafka_version": KAFKA_VERSION, "controller_port": _controller_port(settings)}))


def _read_json(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


# --------------------------------------------------------------------------- processes


def _reap(pid: int) -> None:
    """Collect a broker child that exited, so that it does not linger as a zombie."""
    child = _CHILDREN.get(pid)
    if child is not None:
        if child.poll() is not None:
            _CHILDREN.pop(pid, None)
        return
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, os.WNOHANG)


def _is_our_broker(pid: int, settings: Settings) -> bool:
    """True when ``pid`` is alive and is the broker of this data directory (not a reused pid)."""
    _reap(pid)
    proc = Path(f"/proc/{pid}")
    if proc.exists():
        try:
            stat = (proc / "stat").read_text()
            if stat.rsplit(")", 1)[1].split()[0] == "Z":
                return False
            cmdline = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            return False
        props = str(broker_dir(settings) / "server.properties").encode()
        return _MAIN_CLASS.encode() in cmdline and props in cmdline
    try:  # no /proc (macOS): the pid's existence is all we can check
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _running_pid(settings: Settings) -> int | None:
    """The pid of this data directory's broker if it runs; a stale pid file is removed."""
    pid_file = _pid_file(settings)
    try:
        pid = int(pid_file.read_text().strip())
    except (OSError, ValueError):
        return None
    if _is_our_broker(pid, settings):
        return pid
    with contextlib.suppress(OSError):
        pid_file.unlink()
    return None


def _port_open(host: str, port: int, timeout: float = 1.0) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def _run_async(coro_fn: Any) -> Any:
    """Run a coroutine function to completion, also when called from inside an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro_fn())
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro_fn()).result()


def broker_answers(settings: Settings, timeout: float = 5.0) -> bool:
    """True when a Kafka broker at ``settings.brokers`` answers a metadata request."""
    first = settings.brokers.split(",")[0].strip()
    host, _, port = first.rpartition(":")
    # A refused TCP connection is answered at once and keeps aiokafka from logging errors.
    if not port.isdigit() or not _port_open(host.strip("[]") or "127.0.0.1", int(port), timeout):
        return False
    from aiokafka.admin import AIOKafkaAdminClient

    from streams.kafka_io import client_options

    async def probe() -> bool:
        admin = AIOKafkaAdminClient(request_timeout_ms=int(timeout * 1000), **client_options(settings))
        try:
            await asyncio.wait_for(admin.start(), timeout)
            await asyncio.wait_for(admin.list_topics(), timeout)
            return True
        except Exception:
            return False
        finally:
            with contextlib.suppress(Exception):
                await admin.close()

    return bool(_run_async(probe))


# --------------------------------------------------------------------------- public API


def ensure_broker(settings: Settings, timeout: float = 120.0) -> str:
    """Make sure a broker answers at ``settings.brokers``; start the local one if needed.

    A no-op when a broker already answers there, or when ``KAFKA_BOOTSTRAP_SERVERS`` names one
    (then it only waits for that one to answer). Otherwise resolves the jars (first use),
    formats the data directory (first use), starts Kafka in its own session (it outlives this
    process), and waits until it answers a metadata request. Returns the bootstrap string.
    Raises :class:`BrokerError` with the broker log's tail when it does not come up in time.
    """
    bootstrap = settings.brokers
    if not settings.uses_local_broker:
        deadline = time.monotonic() + timeout
        while not broker_answers(settings):
            if time.monotonic() > deadline:
                raise BrokerError(f"no Kafka broker answers at KAFKA_BOOTSTRAP_SERVERS={bootstrap}")
            time.sleep(1.0)
        return bootstrap
    bdir = broker_dir(settings)
    with _file_lock(bdir / "broker.lock"):
        pid = _running_pid(settings)
        if pid is None:
            if broker_answers(settings):
                return bootstrap  # someone else's broker on this port: use it
            if _port_open("127.0.0.1", settings.local_broker_port):
                raise BrokerError(f"port {settings.local_broker_port} is taken by something that is not a "
                                  "Kafka broker: set STREAMS_LOCAL_BROKER_PORT to a free port")
            pid = _start(settings)
        _wait_until_up(settings, pid, timeout)
    return bootstrap


def _start(settings: Settings) -> int:
    java = _java()
    _check_java(java)
    libs = resolve_jars(settings)
    props, log4j = _write_config(settings)
    _format_storage(settings, java, libs, props, log4j)
    log_file = _log_file(settings)
    with open(log_file, "ab") as log:
        log.write(f"\n==== starting Kafka {KAFKA_VERSION} at {time.strftime('%Y-%m-%dT%H:%M:%S')}\n".encode())
        log.flush()
        proc = subprocess.Popen(
            _java_cmd(java, libs, log4j, _MAIN_CLASS, str(props)),
            cwd=broker_dir(settings), stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,  # survive the `streams` command and its Ctrl-C
        )
    _CHILDREN[proc.pid] = proc
    _pid_file(settings).write_text(f"{proc.pid}\n")
    return proc.pid


def _wait_until_up(settings: Settings, pid: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    child = _CHILDREN.get(pid)
    while True:
        # A broker this process started is watched through its Popen: its exit status says how it
        # ended (a negative one names the signal), and a /proc look-up cannot mistake it for gone.
        status = child.poll() if child is not None else (None if _is_our_broker(pid, settings) else "unknown")
        if status is not None:
            _CHILDREN.pop(pid, None)
            with contextlib.suppress(OSError):
                _pid_file(settings).unlink()
            raise BrokerError(f"the Kafka broker (pid {pid}) exited during start-up with status {status}; "
                              f"{_log_file(settings)}:\n{_tail_file(_log_file(settings))}")
        if broker_answers(settings, timeout=3.0):
            return
        if time.monotonic() > deadline:
            raise BrokerError(f"the Kafka broker (pid {pid}) did not answer at {settings.brokers} within "
                              f"{timeout:.0f}s; {_log_file(settings)}:\n{_tail_file(_log_file(settings))}")
        time.sleep(0.25)


def stop_broker(settings: Settings, timeout: float = 30.0) -> bool:
    """Stop the local broker: SIGTERM (a clean shutdown), then SIGKILL after ``timeout`` seconds.

    Returns True when it stopped a running broker, False when none was running.
    """
    with _file_lock(broker_dir(settings) / "broker.lock"):
        pid = _running_pid(settings)
        if pid is None:
            return False
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while _is_our_broker(pid, settings) and time.monotonic() < deadline:
            time.sleep(0.1)
        if _is_our_broker(pid, settings):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            kill_deadline = time.monotonic() + 10
            while _is_our_broker(pid, settings) and time.monotonic() < kill_deadline:
                time.sleep(0.1)
        # A broker this process started stays a zombie (and still "exists" for os.kill) until it is
        # reaped: wait for it so that "stopped" really means gone.
        child = _CHILDREN.pop(pid, None)
        if child is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.wait(10)
        with contextlib.suppress(OSError):
            _pid_file(settings).unlink()
        return True


def broker_status(settings: Settings) -> dict[str, Any]:
    """The local broker's state: ``running``, ``pid``, ``answers``, ``bootstrap``, paths, version.

    ``running`` is True when this data directory's broker process is alive (or, with
    ``KAFKA_BOOTSTRAP_SERVERS`` set, when that broker answers); ``answers`` says whether a
    broker at ``bootstrap`` answers a metadata request right now.
    """
    pid = _running_pid(settings) if settings.uses_local_broker else None
    answers = broker_answers(settings, timeout=3.0)
    libs = kafka_home(settings) / "libs"
    return {
        "running": pid is not None if settings.uses_local_broker else answers,
        "pid": pid,
        "answers": answers,
        "external": not settings.uses_local_broker,
        "bootstrap": settings.brokers,
        "data_dir": str(broker_dir(settings)),
        "log_file": str(_log_file(settings)),
        "version": KAFKA_VERSION,
        "jars": str(libs) if (libs / _COMPLETE_MARKER).exists() else None,
    }


def _print_status(status: dict[str, Any]) -> None:
    if status["external"]:
        state = "answers" if status["answers"] else "does NOT answer"
        print(f"external broker (KAFKA_BOOTSTRAP_SERVERS) at {status['bootstrap']} {state}")
        return
    if status["running"]:
        state = "answering" if status["answers"] else "starting or not answering"
        print(f"local Kafka {status['version']} broker running (pid {status['pid']}, {state}) "
              f"at {status['bootstrap']}")
    elif status["answers"]:
        print(f"local broker not running, but another broker answers at {status['bootstrap']}")
    else:
        print(f"local Kafka {status['version']} broker not running (would listen on {status['bootstrap']})")
    print(f"  data: {status['data_dir']}\n  log:  {status['log_file']}\n"
          f"  jars: {status['jars'] or '(not resolved yet)'}")


def main_broker(argv: list[str]) -> int:
    """``streams broker start|stop|status [--json]``; returns the exit code.

    ``status`` exits 0 when the broker runs and 3 when it does not (as service scripts do).
    """
    parser = argparse.ArgumentParser(
        prog="streams broker",
        description="The local single-node Apache Kafka broker (KRaft) on 127.0.0.1.",
    )
    parser.add_argument("action", choices=["start", "stop", "status"])
    parser.add_argument("--json", action="store_true", help="print the status as JSON")
    parser.add_argument("--timeout", type=float, default=None,
                        help="seconds to wait for start (default 120) or stop (default 30)")
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
        if args.action == "start":
            t0 = time.monotonic()
            was_running = broker_status(settings)["answers"]
            bootstrap = ensure_broker(settings, timeout=args.timeout or 120.0)
            if not args.json:
                verb = "already running" if was_running else f"started in {time.monotonic() - t0:.1f}s"
                print(f"Kafka broker {verb} at {bootstrap}")
        elif args.action == "stop":
            stopped = stop_broker(settings, timeout=args.timeout or 30.0)
            if not args.json:
                print("local Kafka broker stopped" if stopped else "local Kafka broker was not running")
        status = broker_status(settings)
        if args.json:
            print(json.dumps(status, indent=2))
        elif args.action == "status":
            _print_status(status)
    except StreamsError as exc:
        print(f"streams broker {args.action}: {exc}", file=sys.stderr)
        return 1
    if args.action == "status":
        return 0 if status["running"] else 3
    return 0
