"""The document that flows through the extraction pipeline, and the annotations components assign.

Every component is a pure function ``component(doc) -> None`` that reads the normalized text and
what earlier components assigned, and appends its own annotations. Components match on
``doc.norm`` (normalized text) but every annotation they store carries offsets into the
*original* text (``doc.text``), converted with :meth:`Doc.orig_span`, so evidence offsets in the
output always index what the producer sent.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date

# A "word" for every language we handle: letters and digits of any script (Arabic included),
# plus the hyphen/apostrophe inside words ("forty-two", "Ma'arat").
WORD_RE = re.compile(r"\w+(?:[-'’]\w+)*")
# Runs of sentence marks: Latin and Arabic full stops, question marks, exclamation marks, line
# breaks. A run ends a sentence when white space or the end of the text follows it (so "3.5" and
# "U.S." do not), or when it holds a line break. The Arabic comma "،" and the semicolon are *not*
# sentence ends: a clause still belongs to its sentence's incident. The follow-up test is done in
# code, not by a lookahead: a lookahead after a repeated class backtracks quadratically on long
# runs of marks.
# Characters that are never part of a word (no ``\w``) and often stick to one: punctuation,
# quotes, brackets, dashes. A chunk of the text between white space that is a word once these are
# stripped from its ends holds that one word.
_WORD_EDGES = "\"'()[]{}<>,.;:!?«»“”‘’`…،؛؟-–—/*&%$#@+=|\\~^"


def split_words(text: str) -> tuple[list[str], list[int], list[int]]:
    """The words of ``text`` (``WORD_RE`` matches) as parallel lists: text, start, end; the starts
    hold one entry more, ``len(text)``, which ends the search of a word at or after an offset."""
    # No word spans white space, so the words are those of each chunk ``str.split`` gives. Most
    # chunks are one word (``isalnum`` is ``\w`` but for "_") or one word with punctuation around
    # it; only the rest ("U.S.", "al-Qaeda", "3,000") needs the regex. A regex split of the whole
    # text costs twice as much: the engine's work per match dominates on short words.
    words: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    for chunk in text.split():
        # (the chunk's first character is no space: its first occurrence from ``pos`` is the chunk)
        pos = text.find(chunk, pos)
        if chunk.isalnum():
            words.append(chunk)
            starts.append(pos)
            pos += len(chunk)
            ends.append(pos)
            continue
        core = chunk.strip(_WORD_EDGES)
        if core and core.isalnum():
            # (what was stripped before it is not alphanumeric: its first occurrence is the word)
            start = pos + chunk.find(core)
            words.append(core)
            starts.append(start)
            ends.append(start + len(core))
        else:
            for m in WORD_RE.finditer(chunk):
                words.append(m.group())
                starts.append(pos + m.start())
                ends.append(pos + m.end())
        pos += len(chunk)
    starts.append(len(text))
    return words, starts, ends


# Written as one mark then any more (the same matches as ``[...]+``) so that the regex engine sees
# a character class first and skips to the next mark with its fast class scan, instead of trying
# a full match at every character: less than half the cost of ``[...]+`` on an article.
SENTENCE_MARKS_RE = re.compile(r"[.!?؟。\n][.!?؟。\n]*")
# After a full stop, a sentence goes on when its next word starts with a lower-case Latin letter
# (up to 8 spaces or tabs between): one anchored match, no Python loop per full stop.
_LOWERCASE_NEXT_RE = re.compile(r"[ \t]{0,8}[a-z]")
# Nor does it end after an abbreviated month before its day (AP style "on Aug. 30", "Sept. 11"):
# the day would otherwise start a sentence of its own and be read as a count.
MONTH_ABBR_END_RE = re.compile(r"\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.\Z")
_DIGIT_NEXT_RE = re.compile(r"[ \t]{1,8}[0-9]")


# The characters of SENTENCE_MARKS_RE's class.
_SENTENCE_MARKS = ".!?؟。\n"


def _mark_runs(text: str) -> list[tuple[int, int]]:
    """The (start, end) of the runs of sentence marks: what ``SENTENCE_MARKS_RE.finditer`` finds.
    Marks are few: a string search per kind of mark finds them all for less than the regex scan,
    whose engine tests every character against the class."""
    at: list[int] = []
    for mark in _SENTENCE_MARKS:
        pos = text.find(mark)
        while pos >= 0:
            at.append(pos)
            pos = text.find(mark, pos + 1)
    at.sort()
    runs: list[tuple[int, int]] = []
    k = 0
    n = len(at)
    while k < n:
        first = last = at[k]
        k += 1
        while k < n and at[k] == last + 1:
            last = at[k]
            k += 1
        runs.append((first, last + 1))
    return runs


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Split ``text`` into sentence spans (linear time; every non-blank sentence, in order)."""
    spans: list[tuple[int, int]] = []
    start = 0
    size = len(text)
    lowercase_next = _LOWERCASE_NEXT_RE.match
    for first, end in _mark_runs(text):
        mark = text[first:end]
        if end < size and not text[end].isspace() and "\n" not in mark:
            continue
        if mark == "." and lowercase_next(text, end):
            continue  # an abbreviation inside a sentence: "13 U.S. troops", "10 a.m. local time"
        if mark == "." and _DIGIT_NEXT_RE.match(text, end) and MONTH_ABBR_END_RE.search(text, max(start, end - 6), end):
            continue
        if end > start and not text[start:end].isspace():
            spans.append((start, end))
        start = end
    if text[start:].strip():
        spans.append((start, size))
    return spans or [(0, size)]


# round3's results by value: confidences take few distinct values, and rounding to decimal digits
# (a correctly rounded decimal conversion) costs more than the dictionary lookup by far.
_ROUND3: dict[float, float] = {}
_ROUND3_SIZE = 4096


def round3(x: float) -> float:
    """``round(x, 3)``, remembered per value (bounded)."""
    hit = _ROUND3.get(x)
    # (zero is not remembered: 0.0 and -0.0 are one key, and round keeps the sign; nor an int,
    # which is one key with its float and which round gives back as an int)
    if hit is None or not x or type(x) is not float:
        hit = round(x, 3)
        if x and type(x) is float:
            if len(_ROUND3) >= _ROUND3_SIZE:
                _ROUND3.clear()  # bounded: untrusted input cannot grow it forever
            _ROUND3[x] = hit
    return hit


# ``Doc.cache`` key: the ``norm_to_orig`` list when it is the identity (normalization deleted
# nothing), set by whoever builds the map and knows it (:func:`streams.extract.pipeline.prepare`).
IDENTITY_MAP = "doc.identity_map"
# ``Doc.cache`` key: the original start offsets of the places named as the other side of a border
# ("قرب الحدود مع باكستان", "near the border with Pakistan"), set by
# :func:`streams.extract.places.find_places`: landmarks the incident is NOT in, so assemble never
# falls back on them as it does on other reference points.
ACROSS_BORDER = "places.across_border"
# ``Doc.cache`` key: the countries the article's demonyms name ("الشرطة الأفغانية"), as
# (normalized start and end of the demonym, gazetteer entry of the country, whether it is a home
# country of the language), set by :func:`streams.extract.places.find_places`: the country of an
# incident whose sentences name no place at all (see ``assemble``; the Place is made only then).
DEMONYM_COUNTRIES = "places.demonym_countries"


# The annotation classes write their ``__init__`` by hand (``init=False``; repr, equality and
# ``dataclasses.fields`` are still the dataclass's): the optional mypyc build compiles a written
# method, while the one ``dataclass`` generates stays interpreted Python, about ten times slower
# per object, and extraction makes hundreds of these per article.
@dataclass(slots=True, init=False)
class Token:
    """A word of the normalized text: ``text`` is ``doc.norm[start:end]`` (normalized offsets)."""

    text: str
    start: int
    end: int

    def __init__(self, text: str, start: int, end: int) -> None:
        self.text = text
        self.start = start
        self.end = end


@dataclass(slots=True, init=False)
class Place:
    """A place name found in the text and resolved against the gazetteer."""

    start: int  # original-text offsets of the name as written (clitics excluded)
    end: int
    text: str  # the name as written in the original text
    name: str  # canonical (English/ASCII) gazetteer name, e.g. "Douma"
    geonameid: int | None
    country_code: str | None  # ISO 3166-1 alpha-2
    admin1: str | None  # admin1 name, e.g. "Rif Dimashq"
    lat: float | None
    lon: float | None
    feature: str  # country | admin1 | admin2 | city | region
    population: int = 0
    # incident_location | reference_point | actor | mentioned (assemble may revise it)
    role: str = "mentioned"
    confidence: float = 0.5

    def __init__(
        self, start: int, end: int, text: str, name: str, geonameid: int | None, country_code: str | None,
        admin1: str | None, lat: float | None, lon: float | None, feature: str, population: int = 0,
        role: str = "mentioned", confidence: float = 0.5,
    ) -> None:
        self.start = start
        self.end = end
        self.text = text
        self.name = name
        self.geonameid = geonameid
        self.country_code = country_code
        self.admin1 = admin1
        self.lat = lat
        self.lon = lon
        self.feature = feature
        self.population = population
        self.role = role
        self.confidence = confidence


@dataclass(slots=True, init=False)
class Number:
    """A quantity written in digits, words or a vague word ("dozens")."""

    start: int
    end: int
    text: str
    value: int | float
    low: int | float | None
    high: int | float | None
    qualifier: str  # exact | more_than | at_least | about | up_to | vague
    unit_hint: str | None = None  # a time unit when the number is a duration ("years", "week")

    def __init__(
        self, start: int, end: int, text: str, value: int | float, low: int | float | None,
        high: int | float | None, qualifier: str, unit_hint: str | None = None,
    ) -> None:
        self.start = start
        self.end = end
        self.text = text
        self.value = value
        self.low = low
        self.high = high
        self.qualifier = qualifier
        self.unit_hint = unit_hint


@dataclass(slots=True, init=False)
class Count:
    """A number tied to what it counts and to whom."""

    # None only while counts.py is still looking for the cue that gives it
    kind: str | None  # killed | injured | missing | abducted | arrested | displaced | strikes | shells | rockets | aircraft | vehicles | ...
    value: int | float
    low: int | float | None
    high: int | float | None
    qualifier: str
    unit: str | None  # e.g. "air raid", "warplane", "helicopter"
    victims: str | None  # civilians | children | women | fighters | soldiers | police | people | ...
    start: int  # original-text offsets of the whole count phrase
    end: int
    text: str
    breakdown: list[Count] = field(default_factory=list)
    cumulative: bool = False

    def __init__(
        self, kind: str | None, value: int | float, low: int | float | None, high: int | float | None,
        qualifier: str, unit: str | None, victims: str | None, start: int, end: int, text: str,
        breakdown: list[Count] | None = None, cumulative: bool = False,
    ) -> None:
        self.kind = kind
        self.value = value
        self.low = low
        self.high = high
        self.qualifier = qualifier
        self.unit = unit
        self.victims = victims
        self.start = start
        self.end = end
        self.text = text
        self.breakdown = [] if breakdown is None else breakdown
        self.cumulative = cumulative


@dataclass(slots=True, init=False)
class EventMention:
    """A word or phrase that signals an incident of a given type."""

    type: str  # a value of the incident vocabulary (airstrike, shelling, ...)
    start: int
    end: int
    text: str
    confidence: float = 0.7
    # True when the mention is negated, hypothetical, a denial, or only background
    # (e.g. "the offensive during which 1600 were killed"): it must not create an incident.
    background: bool = False

    def __init__(
        self, type: str, start: int, end: int, text: str, confidence: float = 0.7, background: bool = False
    ) -> None:
        self.type = type
        self.start = start
        self.end = end
        self.text = text
        self.confidence = confidence
        self.background = background


@dataclass(slots=True, init=False)
class DateMention:
    """A date expression resolved against the publication date."""

    start: int
    end: int
    text: str
    value: date | None
    precision: str  # day | week | month | year
    basis: str  # e.g. "weekday 'السبت' before publication", "explicit date", "yesterday"

    def __init__(
        self, start: int, end: int, text: str, value: date | None, precision: str, basis: str
    ) -> None:
        self.start = start
        self.end = end
        self.text = text
        self.value = value
        self.precision = precision
        self.basis = basis


@dataclass(slots=True, init=False)
class Actor:
    """A perpetrator, target, backer or reporting source named in the text."""

    start: int
    end: int
    text: str
    name: str  # canonical English name, e.g. "Syrian government forces"
    kind: str  # state_forces | rebel_group | militant_group | country | civilians | observatory | ministry | civil_defence | agency | ...
    role: str  # perpetrator | target | backer | source | other

    def __init__(self, start: int, end: int, text: str, name: str, kind: str, role: str) -> None:
        self.start = start
        self.end = end
        self.text = text
        self.name = name
        self.kind = kind
        self.role = role


@dataclass(slots=True)
class Doc:
    """An article under extraction: the original text, its normalized form and the annotations."""

    text: str
    lang: str
    published: date | None
    norm: str = ""
    # norm_to_orig[i] is the original offset of normalized character i; one extra entry at the
    # end maps len(norm) to len(text).
    norm_to_orig: list[int] = field(default_factory=list)
    # The words of ``norm`` (what WORD_RE matches) as parallel lists: text, start, end (normalized
    # offsets). Components scan these lists; :attr:`tokens` gives the same words as objects.
    words: list[str] = field(default_factory=list)
    word_starts: list[int] = field(default_factory=list)
    word_ends: list[int] = field(default_factory=list)
    sentences: list[tuple[int, int]] = field(default_factory=list)  # normalized offsets
    places: list[Place] = field(default_factory=list)
    numbers: list[Number] = field(default_factory=list)
    counts: list[Count] = field(default_factory=list)
    events: list[EventMention] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # stage name -> seconds
    # Per-article working data components share (word lists, indexes), built once by the first
    # component that needs it; never part of the output.
    cache: dict[str, object] = field(default_factory=dict)

    @property
    def tokens(self) -> list[Token]:
        """The words as :class:`Token` objects, built on first use from the parallel lists."""
        tokens = self.cache.get("tokens")
        if tokens is None or len(tokens) != len(self.words):  # type: ignore[arg-type]
            tokens = self.cache["tokens"] = list(map(Token, self.words, self.word_starts, self.word_ends))
        return tokens  # type: ignore[return-value]

    def lower_words(self) -> list[str]:
        """``words`` lower-cased, built once per document and shared by the components that match
        lower-cased words (numbers, counts, and the phrase matchers on an ASCII text, where
        ``casefold`` and ``lower`` agree): one pass and one set of strings, whose hashes are then
        computed once. Read-only: callers copy before they change it."""
        hit = self.cache.get("lower_words")
        if hit is None or hit[0] is not self.words or len(hit[1]) != len(self.words):  # type: ignore[index]
            words = self.words
            if self.norm.isascii() or self.norm.lower() != self.norm:
                words = [w.lower() for w in words]  # (a native loop in the compiled build)
            # else a text with no upper-case letter (Arabic): every word is its own lower case
            hit = self.cache["lower_words"] = (self.words, words)
        return hit[1]  # type: ignore[index]

    def word_sentences(self) -> tuple[list[int], list[int]]:
        """The sentence of every word and where sentences end in words, built once per document
        and shared by the components that ask (places, the phrase matchers): ``(cuts, sents)``,
        ``cuts[k]`` the first word after sentence ``k`` (the last is ``len(word_starts)``) and
        ``sents[t]`` the sentence of word ``t`` (one entry per ``word_starts`` entry, the end
        offset included). Read-only."""
        hit = self.cache.get("word_sentences")
        starts = self.word_starts
        if hit is None or hit[0] is not starts or hit[1] is not self.sentences:  # type: ignore[index]
            cuts = [bisect_left(starts, s) for s, _ in self.sentences[1:]]
            cuts.append(len(starts))
            sents: list[int] = []
            prev = 0
            for number, cut in enumerate(cuts):
                sents += [number] * (cut - prev)
                prev = cut
            hit = self.cache["word_sentences"] = (starts, self.sentences, cuts, sents)
        return hit[2], hit[3]  # type: ignore[index]

    def orig_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalized ``[start, end)`` span to the original text's offsets."""
        if not self.norm_to_orig:
            return start, end
        if self.cache.get(IDENTITY_MAP) is self.norm_to_orig:
            # Nothing was deleted (most articles): every offset maps to itself and no deleted
            # character can follow the span, which is what the general case below computes.
            return start, (end if end > start else start)
        o_start = self.norm_to_orig[start]
        # The end maps through the last character *inside* the span so that characters the
        # normalizer deleted after the span (diacritics on the next word) are not pulled in.
        o_end = self.norm_to_orig[end - 1] + 1 if end > start else o_start
        # ...but diacritics and tatweel that belong to the span's last letter are kept.
        nxt = self.norm_to_orig[end] if end < len(self.norm_to_orig) else len(self.text)
        while o_end < nxt and not self.text[o_end].isspace() and not _is_boundary(self.text[o_end]):
            o_end += 1
        return o_start, o_end

    def sentence_index(self, norm_offset: int) -> int:
        """The index of the sentence that contains a normalized offset."""
        starts: list[int] | None = self.cache.get("sentence_starts")  # type: ignore[assignment]
        if starts is None:
            starts = self.cache["sentence_starts"] = [s for s, _ in self.sentences]
        index = bisect_right(starts, norm_offset) - 1
        return index if index > 0 else 0

    def orig_sentence_starts(self) -> list[int]:
        """The original-text offsets where the sentences start (built once per document)."""
        starts = self.cache.get("orig_sentence_starts")
        if starts is None:
            starts = self.cache["orig_sentence_starts"] = [
                self.norm_to_orig[s] if self.norm_to_orig else s for s, _ in self.sentences
            ]
        return starts  # type: ignore[return-value]

    def orig_sentence_index(self, orig_offset: int) -> int:
        """The index of the sentence that contains an original-text offset."""
        index = bisect_right(self.orig_sentence_starts(), orig_offset) - 1
        return index if index > 0 else 0


def _is_boundary(ch: str) -> bool:
    """True for characters that end a word (punctuation), as opposed to combining marks."""
    return not (ch.isalnum() or "\u064b" <= ch <= "\u065f" or ch in "\u0670\u0640")
