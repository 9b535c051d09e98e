"""The worker logs at the configured level and builds no log records below it.

Faust's worker, at a level of WARNING or above, would set the root logger to DEBUG to drive its
terminal spinner, so every debug call of Faust and aiokafka (several per message produced) built a
record; the worker the service runs has no spinner (:func:`streams.appconfig.make_worker`).
"""

from __future__ import annotations

import asyncio
import logging

import pytest

from streams.appconfig import make_worker
from streams.consumer import StreamsApp
from streams.settings import Settings


@pytest.fixture
def restore_logging():
    """Put the root logger's level and handlers back after the worker configured logging."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    yield loop
    root.handlers[:] = handlers
    root.setLevel(level)
    loop.close()
    asyncio.set_event_loop(None)


@pytest.mark.parametrize(
    ("log_level", "debug_enabled", "warning_enabled"),
    [
        ("warning", False, True),  # the level at which Faust's spinner turned DEBUG on
        ("error", False, False),
        ("info", False, True),
        ("debug", True, True),
    ],
)
@pytest.mark.parametrize("logger", ["aiokafka.producer.producer", "faust.topics", "streams"])
def test_worker_logs_at_the_configured_level_only(restore_logging, log_level, debug_enabled, warning_enabled, logger):
    settings = Settings.from_env({"STREAMS_LOG_LEVEL": log_level})
    app = StreamsApp("worker-logging-test", broker="kafka://127.0.0.1:1", store="memory://", loop=restore_logging)
    worker = make_worker(app, settings)
    worker._setup_logging()  # what the worker does first when it starts
    assert logging.getLogger(logger).isEnabledFor(logging.DEBUG) is debug_enabled
    assert logging.getLogger(logger).isEnabledFor(logging.WARNING) is warning_enabled
