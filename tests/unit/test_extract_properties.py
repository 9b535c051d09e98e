"""Property-based tests: random text through every extraction component, and through the whole pipeline.

Two kinds of random text: characters drawn from the scripts the service reads (Arabic letters,
harakat, tatweel, three digit scripts, Latin, punctuation, direction marks, joiners), and "word
salad" built from the languages' own lexicon entries glued with spaces, clitic-style with nothing,
or punctuation, so that lexicon matches, clitic handling, numbers and counts fire far more often
than in uniform noise.

Invariants, after every component (so a failure names the component): no exception; the offset map
is monotonic and inside the text; every annotation's span lies inside the text; place and count
spans are non-empty; an annotation's ``text`` is exactly ``text[start:end]``. Then the whole
``extract_article`` output matches the enriched-article schema with every span inside the text.

Derandomized (the same examples on every run) and bounded (``max_examples=200``) for CI.
"""

from __future__ import annotations

import itertools
from datetime import date
from functools import cache

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from streams.extract.doc import Doc
from streams.extract.lang import LANG_DIR, available_languages
from streams.extract.pipeline import COMPONENTS, analyze, extract_article, prepare
from tests.conftest import assert_valid

PROPERTY_SETTINGS = settings(
    max_examples=200, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow],
)

ALPHABET = (
    "".join(chr(c) for c in range(0x0621, 0x064B))  # Arabic letters
    + "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670\u0640"  # harakat, dagger alef, tatweel
    + "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹0123456789"  # Arabic-Indic, Persian and ASCII digits
    + "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéèçàô"
    + " .,;:!?-'’\"()/#%\n\t،؛؟«»"
    + "\u200f\u200e\u200c\u200d\u00a0\u061c\u202b\u202c"  # direction marks, joiners, no-break space
)


@cache
def vocabulary(lang: str) -> tuple[str, ...]:
    """Every short string in a language's data files: lexicon words, phrases, cue words."""
    words: set[str] = set()

    def walk(value) -> None:
        if isinstance(value, str):
            if 0 < len(value) <= 40 and value.isprintable():
                words.add(value)
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(k)
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    for path in sorted((LANG_DIR / lang).glob("*.json")):
        walk(orjson.loads(path.read_bytes()))
    return tuple(sorted(words))


PLACES = ("Douma", "دوما", "Aleppo", "حلب", "Syria", "سوريا", "Idlib", "إدلب", "Baghdad", "بغداد",
          "Kabul", "Eastern Ghouta", "الغوطة الشرقية", "Mosul", "الموصل", "Gaza", "غزة")
NUMBERS = ("5", "٥", "12", "١٢", "1,600", "1.5", "2018", "07/04/2018", "dozens", "عشرات", "three", "ثلاثة")
SEPARATORS = (" ", " ", " ", "", "\n", "، ", ". ", ", ", " - ", "\u200f ")


def word_salad(lang: str) -> st.SearchStrategy[str]:
    """Text made of one language's lexicon entries, places and numbers, in random order and glue."""
    return st.lists(
        st.tuples(
            st.one_of(st.sampled_from(vocabulary(lang)), st.sampled_from(PLACES), st.sampled_from(NUMBERS),
                      st.text(alphabet=ALPHABET, max_size=4)),
            st.sampled_from(SEPARATORS),
        ),
        max_size=40,
    ).map(lambda parts: "".join(word + sep for word, sep in parts))


@cache
def report_words(lang: str) -> tuple[tuple[str, ...], ...]:
    """A language's words by role (count cues, victim nouns, incident triggers, weekdays), from its data files.

    Drawing each role about equally often puts "5 civilians killed in an airstrike on Friday"-like
    sequences in the text, which plain salad almost never does; missing files give empty roles.
    """
    def load(name: str) -> dict:
        path = LANG_DIR / lang / f"{name}.json"
        return orjson.loads(path.read_bytes()) if path.is_file() else {}

    counts, events, dates = load("counts"), load("events"), load("dates")
    cues = [w for cue in (counts.get("cues") or {}).values() if isinstance(cue, dict)
            for words in cue.values() if isinstance(words, list) for w in words if isinstance(w, str)]
    nouns = [w for entry in (counts.get("nouns") or {}).get("entries", [])
             for w in [*entry.get("forms", []), *entry.get("sg", [])]]
    triggers = [p for t in events.get("triggers", []) for p in t.get("phrases", [])]
    weekdays = list((dates.get("weekdays") or {}).keys())
    return tuple(tuple(sorted(set(words))) for words in (cues, nouns, triggers, weekdays) if words)


def report_salad(lang: str) -> st.SearchStrategy[str]:
    """Text where numbers, victims, count cues, triggers, places and days follow each other at random."""
    roles = [st.sampled_from(words) for words in report_words(lang)]
    return st.lists(
        st.tuples(
            st.one_of(*roles, st.sampled_from(NUMBERS), st.sampled_from(PLACES)),
            st.sampled_from(SEPARATORS),
        ),
        min_size=3, max_size=30,
    ).map(lambda parts: "".join(word + sep for word, sep in parts))


random_text = st.text(alphabet=ALPHABET, max_size=300)
# (text, lang): noise with any language or none (detected), or a language's salad or report-like
# salad with that language given or left to detection.
cases = st.one_of(
    st.tuples(random_text, st.one_of(st.none(), st.sampled_from(available_languages()))),
    st.sampled_from(available_languages()).flatmap(
        lambda lang: st.tuples(st.one_of(word_salad(lang), report_salad(lang)), st.sampled_from([lang, None]))
    ),
)
published = st.one_of(st.none(), st.dates(min_value=date(1990, 1, 1), max_value=date(2035, 12, 31)))


def _spans(doc: Doc) -> list[tuple[str, object]]:
    """(kind, annotation) for every annotation of the document, count breakdowns included."""
    out: list[tuple[str, object]] = [("place", p) for p in doc.places]
    out += [("number", n) for n in doc.numbers]
    out += [("event", e) for e in doc.events]
    out += [("date", d) for d in doc.dates]
    out += [("actor", a) for a in doc.actors]
    counts = list(doc.counts)
    while counts:
        c = counts.pop()
        out.append(("count", c))
        counts.extend(c.breakdown)
    return out


def check_doc(doc: Doc, stage: str) -> None:
    """The invariants every component must leave intact."""
    text, norm = doc.text, doc.norm
    m = doc.norm_to_orig
    assert len(m) == len(norm) + 1, f"{stage}: offset map has {len(m)} entries for {len(norm)} characters"
    assert all(0 <= a <= b <= len(text) for a, b in itertools.pairwise(m)), f"{stage}: offset map not monotonic"
    assert m[-1] == len(text)
    for tok in doc.tokens:
        assert 0 <= tok.start < tok.end <= len(norm) and norm[tok.start:tok.end] == tok.text, (stage, tok)
    for s, e in doc.sentences:
        assert 0 <= s <= e <= len(norm), (stage, s, e)
    for kind, ann in _spans(doc):
        start, end = ann.start, ann.end
        assert 0 <= start <= end <= len(text), f"{stage}: {kind} span {start}:{end} outside text of {len(text)}: {ann}"
        if kind in ("place", "count"):
            assert start < end, f"{stage}: empty {kind} span: {ann}"
        assert text[start:end] == ann.text, f"{stage}: {kind} text {ann.text!r} != text[{start}:{end}] {text[start:end]!r}"


@PROPERTY_SETTINGS
@given(case=cases, published=published)
def test_extract_properties_every_component_keeps_spans_inside_text(case, published):
    from streams.extract.langid import detect_language

    text, lang = case
    doc = prepare(text, lang or detect_language(text), published)
    check_doc(doc, "prepare")
    for name, component in COMPONENTS:
        component(doc)
        check_doc(doc, name)


@PROPERTY_SETTINGS
@given(case=cases, published=published)
def test_extract_properties_analyze_never_raises(case, published):
    text, lang = case
    doc = analyze(text, lang, published)
    check_doc(doc, "analyze")
    assert set(doc.timings) >= {"normalize", *(name for name, _ in COMPONENTS)}


def _output_spans(enriched: dict) -> list[dict]:
    spans = [*enriched["places"], *enriched["dates"], *enriched["actors"]]
    counts = list(enriched["counts"])
    for incident in enriched["incidents"]:
        spans += incident.get("evidence") or []
        counts += incident.get("counts") or []
        if incident.get("location"):
            spans.append(incident["location"])
    while counts:
        c = counts.pop()
        spans.append(c)
        counts.extend(c.get("breakdown") or [])
    return spans


@PROPERTY_SETTINGS
@given(case=cases.filter(lambda c: c[0].strip()), published=published)
def test_extract_properties_extract_article_output_is_valid(case, published):
    text, lang = case
    article = {"id": "prop", "text": text}
    if lang:
        article["lang"] = lang
    if published:
        article["published_at"] = f"{published.isoformat()}T12:00:00Z"
    enriched = extract_article(article)
    assert_valid("enriched-article", enriched)
    for incident in enriched["incidents"]:
        assert_valid("incident", incident)
    for span in _output_spans(enriched):
        assert 0 <= span["start"] <= span["end"] <= len(text), span
        if "text" in span:
            assert text[span["start"]:span["end"]] == span["text"], span


@PROPERTY_SETTINGS
@given(data=st.data())
def test_extract_properties_normalize_is_the_per_character_table(data):
    """``normalize`` gives what its table says character by character (``str.translate``), with an
    offset map that points every normalized character at the original one it came from, whatever
    shortcut it takes (an ASCII text left alone, replacements of only the characters present)."""
    from streams.extract.normalize import _table, normalize

    lang = data.draw(st.sampled_from(available_languages()))
    table, _ = _table(lang)
    text = data.draw(st.text(alphabet=ALPHABET + "".join(map(chr, table)), max_size=300))
    norm, offsets = normalize(lang, text)
    assert norm == text.translate(table)
    assert len(offsets) == len(norm) + 1 and offsets[-1] == len(text)
    assert all(ch == text[o].translate(table) for ch, o in zip(norm, offsets, strict=False))


@PROPERTY_SETTINGS
@given(
    text=st.lists(st.sampled_from(["1,600", "3", ",", "a", " ", "،", ";", "(", "«", "—", "|", "\n"]), max_size=12).map("".join),
    data=st.data(),
)
def test_extract_properties_clause_break_found_where_punctuation_or_a_non_thousands_comma_is(text, data):
    """The clause-break pattern of the events component (searched between two words) matches a
    span exactly when it holds clause punctuation or a comma that does not sit between two digits
    ("1,600"); a digit past the span's end does not count."""
    from streams.extract.events import _CLAUSE_PUNCT, _CLAUSE_RE

    a = data.draw(st.integers(0, len(text)))
    b = data.draw(st.integers(a, len(text)))
    digits = "0123456789"
    expected = any(
        text[i] in _CLAUSE_PUNCT
        or (text[i] == "," and not (i > 0 and text[i - 1] in digits and i + 1 < b and text[i + 1] in digits))
        for i in range(a, b)
    )
    assert (_CLAUSE_RE.search(text, a, b) is not None) == expected
