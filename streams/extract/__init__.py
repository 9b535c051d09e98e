"""Incident extraction: pure Python, no Kafka, no clock, no network.

:func:`streams.extract.pipeline.extract_article` is the entry point used by the agent and by
``streams extract``.
"""

# Bump when code or language data change what is extracted: consumers see it on every record.
EXTRACTOR_VERSION = "0.1.0"
