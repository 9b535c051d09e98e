"""A Faust app with only the enrich agent: isolates Faust's own cost from the consolidation's.

    python bench/faust_enrich_only.py       # configured like the worker, from the same environment

The product's worker (``streams worker``) runs two agents: enrich, and consolidate (which reads
every incident back, validates it and updates three changelogged tables). The plain aiokafka loop
of ``plain_loop.py`` only enriches. This app is the third point between them: the same Faust
configuration as ``streams/app.py`` and an agent that does what ``streams.agents.enrich`` does
(``process_record``, then send every output) without metrics or consolidation. Prints ``READY`` once
it holds partitions.
"""

from __future__ import annotations

import logging

from common import REPO  # noqa: F401  (puts the repository on sys.path)

from streams.appconfig import app_options
from streams.consumer import StreamsApp
from streams.enrich import RecordMeta, process_record
from streams.settings import Settings

settings = Settings.from_env()
# The same options as streams/app.py (one function builds both), so only the agents differ.
app = StreamsApp(settings.app_id, **app_options(settings))
raw_topic = app.topic(settings.topic_raw, key_type=bytes, value_type=bytes, value_serializer="raw")
OUT = {
    name: app.topic(name, key_type=bytes, value_type=bytes, value_serializer="raw")
    for name in (settings.topic_enriched, settings.topic_incidents, settings.topic_dlq)
}


@app.agent(raw_topic)
async def enrich(stream):
    """articles.raw -> articles.enriched + incidents, or articles.dlq (as the product's agent)."""
    async for event in stream.events():
        message = event.message
        meta = RecordMeta(message.topic, message.partition, message.offset, message.timestamp)
        outcome = process_record(event.value, meta, settings)
        for topic_name, key, value in outcome.sends:
            await OUT[topic_name].send(key=key, value=value)


@app.on_partitions_assigned.connect
async def _assigned(app, assigned, **_) -> None:
    """Tell the benchmark we hold partitions."""
    if any(tp.topic == settings.topic_raw for tp in assigned):
        print("READY", flush=True)


def main() -> None:
    """Load what the worker loads before starting, then run the Faust worker until signalled."""
    from streams.appconfig import make_worker
    from streams.extract.gazetteer import load_gazetteer
    from streams.extract.langid import warm_up

    load_gazetteer()
    warm_up()
    logging.getLogger("faust").setLevel(logging.WARNING)
    make_worker(app, settings).execute_from_commandline()


if __name__ == "__main__":
    main()
