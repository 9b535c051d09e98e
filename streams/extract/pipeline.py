"""The extraction pipeline: named components run in order over a :class:`Doc`.

Pure Python: no Kafka, no clock, no network. The agent and the ``streams extract`` command both
call :func:`extract_article`, so batch and streaming results are identical.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, datetime

from streams.errors import RejectedRecord
from streams.extract import EXTRACTOR_VERSION, actors, assemble, counts, dates, events, numbers, places
from streams.extract.doc import IDENTITY_MAP, Doc, sentence_spans, split_words
from streams.extract.langid import detect_language
from streams.extract.normalize import normalize

# (stage name, component). Order matters: counts read numbers; assemble reads everything.
COMPONENTS: tuple[tuple[str, Callable[[Doc], None]], ...] = (
    ("places", places.find_places),
    ("numbers", numbers.find_numbers),
    ("counts", counts.find_counts),
    ("events", events.find_events),
    ("dates", dates.find_dates),
    ("actors", actors.find_actors),
)


def parse_published(value: str | None) -> date | None:
    """The publication *date* (UTC calendar day as written) of an RFC 3339 timestamp, or None."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        return None


def prepare(text: str, lang: str, published: date | None) -> Doc:
    """Normalize, tokenize and split ``text`` into sentences."""
    norm, offsets = normalize(lang, text)
    doc = Doc(text=text, lang=lang, published=published, norm=norm, norm_to_orig=offsets)
    if len(norm) == len(text):
        # Normalization only deletes or replaces one character by one: the same length means
        # nothing was deleted and the offset map is the identity (orig_span's fast path).
        doc.cache[IDENTITY_MAP] = offsets
    doc.words, doc.word_starts, doc.word_ends = split_words(norm)
    doc.sentences = sentence_spans(norm)
    return doc


def analyze(
    text: str, lang: str | None = None, published: date | None = None, time_budget: float | None = None
) -> Doc:
    """Run every component over ``text`` and return the annotated document (timings included).

    ``time_budget`` (seconds) is checked between stages: extraction is linear in the text, so a
    stage cannot run away, and an article that exhausts the budget raises ``RejectedRecord`` with
    kind ``timeout`` instead of holding up the stream.
    """
    t0 = time.perf_counter()
    deadline = t0 + time_budget if time_budget else None
    lang = lang or detect_language(text)
    doc = prepare(text, lang, published)
    t1 = time.perf_counter()
    doc.timings["normalize"] = t1 - t0
    for name, component in COMPONENTS:
        component(doc)
        t2 = time.perf_counter()
        doc.timings[name] = t2 - t1
        t1 = t2
        if deadline is not None and t2 > deadline:
            raise RejectedRecord(
                "timeout",
                f"extraction took over {time_budget}s (STREAMS_EXTRACT_TIMEOUT_S), stopped after stage '{name}'",
            )
    return doc


def extract_article(article: dict, time_budget: float | None = None) -> dict:
    """Turn a validated raw article into an enriched article (the ``articles.enriched`` record)."""
    doc = analyze(
        article["text"], article.get("lang"), parse_published(article.get("published_at")), time_budget
    )
    t0 = time.perf_counter()
    incidents = assemble.assemble(doc, article)
    doc.timings["assemble"] = time.perf_counter() - t0
    return {
        "article_id": article["id"],
        "language": doc.lang,
        "article": assemble.article_ref(article, doc.lang),
        "places": [assemble.place_dict(p) for p in doc.places],
        "counts": [assemble.count_dict(c) for c in doc.counts],
        "dates": [assemble.date_dict(d) for d in doc.dates],
        "actors": [assemble.actor_dict(a) for a in doc.actors],
        "incidents": incidents,
        "extractor_version": EXTRACTOR_VERSION,
        "timings": {k: round(v, 6) for k, v in doc.timings.items()},
    }
