"""The ``streams`` command: worker, demo, produce, tail, extract, evaluate, broker, gazetteer, settings.

Heavy modules (Faust, the gazetteer) are imported inside the subcommands that need them, so
``streams extract`` never loads Kafka code and ``streams --help`` is instant.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import orjson

from streams.errors import ConfigError, StreamsError
from streams.settings import Settings, settings_markdown


def _records_from_files(paths: list[str]) -> Iterator[tuple[bytes | None, bytes]]:
    """(key, value) records from JSON files (an object or a list) and JSON Lines files.

    JSON Lines are sent as they are, even when a line is not valid JSON: the worker is the one
    that judges records (and dead-letters bad ones with a reason), so the tool never drops input.
    """
    for path in paths:
        data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
        if path.endswith((".jsonl", ".ndjson")) or path == "-":
            lines = [line for line in data.splitlines() if line.strip()]
            for line in lines:
                yield _key_of(line), line
            continue
        value = orjson.loads(data)
        for item in value if isinstance(value, list) else [value]:
            encoded = orjson.dumps(item)
            yield _key_of(encoded), encoded


def _key_of(raw: bytes) -> bytes | None:
    """The article id as the record key (so one article's versions stay in order), if readable."""
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None
    return value["id"].encode() if isinstance(value, dict) and isinstance(value.get("id"), str) else None


def cmd_produce(args: argparse.Namespace, settings: Settings) -> int:
    """``streams produce FILE...``: send articles to the raw topic with progress and a summary."""
    from streams.kafka_io import produce

    records = list(_records_from_files(args.files))
    topic = args.topic or settings.topic_raw
    started = time.monotonic()
    is_tty = sys.stderr.isatty()

    def progress(n: int) -> None:
        if is_tty and (n % 50 == 0 or n == len(records)):
            width = 30
            done = int(width * n / max(1, len(records)))
            print(f"\r[{'#' * done}{'.' * (width - done)}] {n}/{len(records)}", end="", file=sys.stderr)

    sent = asyncio.run(produce(settings, topic, records, progress))
    if is_tty:
        print(file=sys.stderr)
    elapsed = time.monotonic() - started
    unkeyed = sum(1 for key, _ in records if key is None)
    print(f"sent {sent} record(s) to {topic} at {settings.brokers} in {elapsed:.2f}s"
          + (f" ({unkeyed} without a readable id: the worker will dead-letter them)" if unkeyed else ""))
    return 0


def cmd_tail(args: argparse.Namespace, settings: Settings) -> int:
    """``streams tail TOPIC``: pretty-print a topic's records."""
    from streams.display import format_record
    from streams.kafka_io import read

    async def run() -> int:
        count = 0
        async for record in read(
            settings, args.topic, from_beginning=not args.new_only,
            idle_timeout=None if args.follow else args.idle_timeout, max_records=args.max,
        ):
            print(format_record(args.topic, record.value, raw=args.raw), flush=True)
            count += 1
        return count

    try:
        count = asyncio.run(run())
    except KeyboardInterrupt:
        return 0
    print(f"-- {count} record(s) from {args.topic}", file=sys.stderr)
    return 0


def cmd_extract(args: argparse.Namespace, settings: Settings) -> int:
    """``streams extract``: raw articles (JSON Lines) in, enriched articles (JSON Lines) out, offline."""
    from streams.enrich import RecordMeta, process_record

    source = sys.stdin.buffer if args.input in (None, "-") else open(args.input, "rb")  # noqa: SIM115
    sink = sys.stdout.buffer if args.output in (None, "-") else open(args.output, "wb")  # noqa: SIM115
    name = args.input or "-"
    good = bad = 0
    try:
        for number, line in enumerate(source, start=1):
            if not line.strip():
                continue
            outcome = process_record(line.rstrip(b"\r\n"), RecordMeta(name, 0, number, None), settings)
            if outcome.enriched is not None:
                sink.write(orjson.dumps(outcome.enriched) + b"\n")
                good += 1
            else:
                bad += 1
                print(f"{name}:{number}: {outcome.error.kind}: {outcome.error.reason}", file=sys.stderr)
    finally:
        sink.flush()
        if sink is not sys.stdout.buffer:
            sink.close()
        if source is not sys.stdin.buffer:
            source.close()
    print(f"extracted {good} article(s); {bad} rejected", file=sys.stderr)
    return 0 if bad == 0 else 1


def cmd_worker(args: argparse.Namespace, settings: Settings) -> int:
    """``streams worker``: load the gazetteer, then run the Faust worker until stopped."""
    from streams.extract.gazetteer import load_gazetteer
    from streams.extract.langid import warm_up

    t0 = time.perf_counter()
    gazetteer = load_gazetteer(Path(settings.cache_dir))
    warm_up()
    # Every language's tables are built before the worker reports ready, so no article pays for
    # them (and none is dead-lettered as a timeout because it arrived first after a start).
    from streams.enrich import warm_up_extraction

    warm_up_extraction()
    from streams import metrics

    metrics.GAZETTEER_ENTRIES.set(gazetteer.size)
    logging.getLogger("streams").info("gazetteer and models loaded in %.2fs", time.perf_counter() - t0)
    if settings.uses_local_broker and args.start_broker:
        from streams.broker import ensure_broker

        ensure_broker(settings)
    # Create the topics before the consumer joins its group: a topic that appears after the join
    # is only assigned at the next metadata refresh (minutes), so its records would wait.
    from streams.kafka_io import ensure_topics

    asyncio.run(ensure_topics(settings, settings.topics, compacted=[settings.topic_consolidated]))
    from streams.app import app
    from streams.appconfig import make_worker

    make_worker(app, settings).execute_from_commandline()
    return 0


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    """``streams demo``: broker, worker, sample articles in, incidents printed."""
    from streams.demo import run_demo

    return run_demo(settings, once=args.once, samples=args.samples, timeout=args.timeout)


def cmd_gazetteer(args: argparse.Namespace, settings: Settings) -> int:
    """``streams gazetteer build [--force]``: build the prebuilt gazetteer index in the cache directory.

    Without ``--force`` an index that is current (same packages, data and code) is kept.
    """
    from streams.extract.gazetteer import build_index

    t0 = time.perf_counter()
    path = build_index(Path(settings.cache_dir), force=args.force)
    print(f"gazetteer index: {path} ({time.perf_counter() - t0:.1f}s)")
    return 0


def cmd_settings(args: argparse.Namespace, settings: Settings) -> int:
    """``streams settings``: the effective settings (secrets masked), or the README table."""
    if args.markdown:
        print(settings_markdown())
    else:
        sys.stdout.buffer.write(orjson.dumps(settings.redacted(), option=orjson.OPT_INDENT_2) + b"\n")
    return 0


class _RateLimit(logging.Filter):
    """Let the same message through at most once per ``period`` seconds, then count the repeats.

    aiokafka's producer retries without back-off while the broker is down and logs an ERROR per
    try (tens of thousands in seconds); the outage is worth one line every few seconds, not a full
    disk.
    """

    def __init__(self, period: float = 5.0) -> None:
        super().__init__()
        self.period = period
        self._last: dict[tuple[str, str], tuple[float, int]] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        key = (record.name, str(record.msg))
        now = time.monotonic()
        last, suppressed = self._last.get(key, (0.0, 0))
        if now - last < self.period:
            self._last[key] = (last, suppressed + 1)
            return False
        if suppressed:
            record.msg = f"{record.msg} (repeated {suppressed} times in the last {self.period:.0f}s)"
        if len(self._last) > 1000:
            self._last.clear()
        self._last[key] = (now, 0)
        return True


def install_log_rate_limit() -> None:
    """Rate-limit the Kafka client loggers that can flood during a broker outage."""
    for name in ("aiokafka", "aiokafka.producer.sender", "aiokafka.conn", "aiokafka.consumer.group_coordinator"):
        logging.getLogger(name).addFilter(_RateLimit())


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``streams`` command."""
    parser = argparse.ArgumentParser(prog="streams", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("worker", help="run the Faust worker (enrich and consolidate agents)")
    p.add_argument("--no-start-broker", dest="start_broker", action="store_false",
                   help="do not start the local broker when KAFKA_BOOTSTRAP_SERVERS is unset")
    p.set_defaults(func=cmd_worker)

    p = sub.add_parser("demo", help="local broker + worker + sample articles, incidents printed")
    p.add_argument("--once", action="store_true", help="stop after the samples' incidents are printed")
    p.add_argument("--samples", default=None, help="folder of sample articles (default: samples/)")
    p.add_argument("--timeout", type=float, default=180.0, help="with --once: give up after this many seconds")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("produce", help="send JSON / JSON Lines articles to the raw topic")
    p.add_argument("files", nargs="+", help="JSON (object or list) or .jsonl files; - for JSON Lines on stdin")
    p.add_argument("--topic", default=None, help="target topic (default: STREAMS_TOPIC_RAW)")
    p.set_defaults(func=cmd_produce)

    p = sub.add_parser("tail", help="pretty-print a topic")
    p.add_argument("topic")
    p.add_argument("--new-only", action="store_true", help="start at the end instead of the beginning")
    p.add_argument("--follow", "-f", action="store_true", help="keep waiting for new records (Ctrl-C stops)")
    p.add_argument("--idle-timeout", type=float, default=5.0, help="stop after this many idle seconds")
    p.add_argument("--max", type=int, default=None, help="stop after this many records")
    p.add_argument("--raw", action="store_true", help="print the JSON records as they are")
    p.set_defaults(func=cmd_tail)

    p = sub.add_parser("extract", help="offline: raw articles (JSON Lines) in, enriched articles out")
    p.add_argument("--input", "-i", default=None, help="input file (default: stdin)")
    p.add_argument("--output", "-o", default=None, help="output file (default: stdout)")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("evaluate", help="score extraction on labelled cases", add_help=False)
    p.set_defaults(func=None, delegate="evaluate")

    p = sub.add_parser("broker", help="local Kafka broker: start | stop | status", add_help=False)
    p.set_defaults(func=None, delegate="broker")

    p = sub.add_parser("gazetteer", help="build the gazetteer index")
    p.add_argument("action", choices=["build"])
    p.add_argument("--force", action="store_true", help="rebuild even when the index is current")
    p.set_defaults(func=cmd_gazetteer)

    p = sub.add_parser("settings", help="show the effective settings")
    p.add_argument("--markdown", action="store_true", help="print the README's settings table")
    p.set_defaults(func=cmd_settings)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``streams`` console script."""
    argv = list(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    install_log_rate_limit()
    # Sub-tools with their own parsers get the rest of the command line untouched.
    if argv and argv[0] == "broker":
        from streams.broker import main_broker

        return main_broker(argv[1:])
    if argv and argv[0] == "evaluate":
        from streams.evaluate import main_evaluate

        return main_evaluate(argv[1:])
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env()
        return args.func(args, settings)
    except ConfigError as exc:
        print(f"streams: configuration error: {exc}", file=sys.stderr)
        return 2
    except StreamsError as exc:
        print(f"streams: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
