"""Exceptions with a kind that the dead-letter topic and the CLI report."""

from __future__ import annotations


class StreamsError(Exception):
    """Base class of the service's own errors."""


class ConfigError(StreamsError):
    """A setting has a value that cannot be used."""


class RejectedRecord(StreamsError):
    """An input record that cannot be processed; it goes to the DLQ with ``kind`` and a reason.

    ``kind`` is a short, stable label (also a metrics label): not_json, invalid_utf8, too_large,
    too_deep, schema, empty_text, timeout, extraction_error.
    """

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(reason)
        self.kind = kind
        self.reason = reason
