"""Incident types: the controlled vocabulary, its ACLED/PLOVER mapping, and trigger detection.

``find_events`` marks every word or phrase that signals an incident (``غارات جوية``, "shelled",
``اشتباكات``...) with its type from the per-language ``lang/<code>/events.json``, a confidence
that reflects how specific the trigger is, and ``background=True`` when the mention is negated
("no airstrikes", ``لم تشن غارات``), hypothetical, future or threatened ("threatened to bomb",
``سوف``, ``يهدد``), denied, or clearly historical ("over the past weeks", ``منذ بدء``).

The module also holds the small phrase matcher that the dates and actors components share: it
expands every lexicon entry into its inflected surface forms once per language (Arabic clitics
from the ``morphology`` block of ``events.json``: ``و ف ب ل ك ال لل`` and their combinations,
``لل`` + a name that starts with ``ال``, pronoun suffixes for event words; English ``'s``), so
matching an article is one set-membership pass over its words and a few dictionary lookups,
with no regex alternations (linear time on untrusted input).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import orjson

from streams.extract import lang as langdata
from streams.extract.doc import Doc, EventMention
from streams.extract.normalize import normalize_name

_DATA = Path(__file__).resolve().parent / "data" / "taxonomy.json"

# Characters between two tokens that end a clause: a negation or a "threatened to" does not
# reach across them ("no airstrikes were reported, but shelling continued").
_CLAUSE_PUNCT = frozenset('،;؛:()[]{}"«»“”—–|')


# --------------------------------------------------------------------------------------------
# Taxonomy
# --------------------------------------------------------------------------------------------


@cache
def _taxonomy_table() -> dict[str, Any]:
    return orjson.loads(_DATA.read_bytes())["types"]


INCIDENT_TYPES: tuple[str, ...] = tuple(_taxonomy_table())


def taxonomy(incident_type: str, perpetrator_kind: str | None = None) -> dict[str, dict]:
    """The ACLED and PLOVER codes of an incident type: ``{"acled": {...}, "plover": {...}}``.

    ``perpetrator_kind`` (an actor kind such as ``state_forces``) refines the ACLED sub-event
    where ACLED distinguishes by actor (territory regained by a government vs. overtaken by a
    non-state group). Unknown types map like ``other``. Returns fresh dicts the caller may edit.
    """
    table = _taxonomy_table()
    entry = table.get(incident_type) or table["other"]
    acled = entry.get("acled_by_perpetrator", {}).get(perpetrator_kind or "", entry["acled"])
    return {"acled": dict(acled), "plover": dict(entry["plover"])}


def type_family(incident_type: str) -> str:
    """The family of a type (remote_violence, battles, explosions, violence_against_civilians,
    demonstrations, strategic_developments, other): consolidation merges within a family."""
    entry = _taxonomy_table().get(incident_type)
    return entry["family"] if entry else "other"


# --------------------------------------------------------------------------------------------
# Tokens and the shared phrase matcher
# --------------------------------------------------------------------------------------------


class Toks:
    """The matching units of a document: its words (hashtags split on ``_``), as parallel lists.

    ``key`` is the folded normalized word (what lexicon forms are compared to), ``raw`` the
    normalized word with its case (acronyms such as "AP" and "IS" must match exactly) and
    ``start``/``end`` normalized offsets. Sentences and clauses are computed only for the few
    tokens that matched something: this object is built for every article, so it is a handful
    of list comprehensions and no per-word objects.
    """

    __slots__ = ("_cuts", "_sent_starts", "_sents", "end", "key", "norm", "raw", "start")

    def __init__(self, doc: Doc) -> None:
        self.norm = doc.norm
        if "_" in doc.norm:
            raw, start, end = list(doc.words), list(doc.word_starts), list(doc.word_ends)
            _split_hashtags(doc.norm, raw, start, end)
        else:  # nothing to split: the document's own lists, which no component changes
            raw, start, end = doc.words, doc.word_starts, doc.word_ends
        self.raw, self.start, self.end = raw, start, end
        if not morphology(doc.lang).cased:
            self.key = raw
        elif raw is doc.words and doc.norm.isascii():
            # ASCII: casefold is lower, so the document's shared lower-cased words serve (no second
            # pass, and the strings' hashes are already computed by the numbers component).
            self.key = doc.lower_words()
        else:
            self.key = list(map(str.casefold, raw))
        self._sents: list[int] | None = None
        self._cuts: list[int] = []  # _cuts[k]: the first token after sentence k
        if raw is doc.words:
            # The document's words: its shared table (the places component built it already).
            self._sent_starts: list[int] = []
            self._cuts, self._sents = doc.word_sentences()
        else:
            self._sent_starts = [s for s, _ in doc.sentences[1:]]

    def __len__(self) -> int:
        return len(self.key)

    @property
    def sents(self) -> list[int]:
        """Sentence index of every token (built on first use by run lengths, at C speed)."""
        if self._sents is None:
            cuts = self._cuts = [bisect_left(self.start, s) for s in self._sent_starts] + [len(self.start)]
            sents: list[int] = []
            prev = 0
            for k, cut in enumerate(cuts):
                sents += [k] * (cut - prev)
                prev = cut
            self._sents = sents
        return self._sents

    def sent(self, i: int) -> int:
        """Sentence index of token ``i``."""
        return self.sents[i]

    def sentence_tokens(self, sentence: int) -> tuple[int, int]:
        """The tokens ``[first, end)`` of a sentence (empty for an index past the last sentence)."""
        if self._sents is None:
            self.sents  # noqa: B018 (builds the cuts)
        cuts = self._cuts
        if sentence >= len(cuts):
            return len(self.key), len(self.key)
        return (cuts[sentence - 1] if sentence > 0 else 0), cuts[sentence]

    def same_clause(self, a: int, b: int) -> bool:
        """True when tokens ``a`` and ``b`` are in one sentence with no clause punctuation between."""
        if a > b:
            a, b = b, a
        return (
            self.sents[a] == self.sents[b]
            and _CLAUSE_RE.search(self.norm, self.end[a], self.start[b]) is None
        )


def _split_hashtags(norm: str, raw: list[str], start: list[int], end: list[int]) -> None:
    """Split ``#الدفاع_المدني``-style words (the underscore joins words) in place.

    Underscores are rare: they are found with ``str.find`` and only their words are rebuilt.
    """
    joined: list[int] = []
    pos = norm.find("_")
    while pos != -1:
        ti = bisect_right(start, pos) - 1
        if ti >= 0 and start[ti] <= pos < end[ti] and (not joined or joined[-1] != ti):
            joined.append(ti)
        pos = norm.find("_", pos + 1)
    for ti in reversed(joined):
        parts_raw: list[str] = []
        parts_start: list[int] = []
        parts_end: list[int] = []
        at = start[ti]
        for part in raw[ti].split("_"):
            if part:
                parts_raw.append(part)
                parts_start.append(at)
                parts_end.append(at + len(part))
            at += len(part) + 1
        raw[ti : ti + 1] = parts_raw
        start[ti : ti + 1] = parts_start
        end[ti : ti + 1] = parts_end


# A Latin comma ends a clause unless it separates thousands ("1,600"): a digit on both sides. One
# character class first (the comma included, then ruled out between two digits by a lookbehind),
# so that the regex engine skips to the next candidate character with its class scan instead of
# trying a match at every character of the span (a third of the cost of the alternation
# "[...]|(?<![0-9]),|,(?![0-9])", which matches at the same places).
_CLAUSE_RE = re.compile("[" + re.escape("".join(sorted(_CLAUSE_PUNCT)) + ",") + "](?<!(?<=[0-9]),(?=[0-9]))")
_TOKS_CACHE: tuple[Doc | None, Toks | None] = (None, None)


def doc_tokens(doc: Doc) -> Toks:
    """The document's matching tokens (built once per document, shared by components)."""
    global _TOKS_CACHE
    cached_doc, cached = _TOKS_CACHE
    if cached_doc is doc and cached is not None and cached.norm is doc.norm:
        return cached
    toks = Toks(doc)
    _TOKS_CACHE = (doc, toks)
    return toks


@dataclass(frozen=True, slots=True)
class Morphology:
    """How a language attaches clitics to words (from the ``morphology`` block of events.json)."""

    prefixes: tuple[str, ...] = ()
    # A prefix that replaces the start of a word: Arabic "لل" + "مرصد" for ل + "المرصد".
    rewrites: tuple[tuple[str, tuple[str, ...]], ...] = ()
    suffixes: tuple[str, ...] = ()  # for every lexicon ("'s")
    event_suffixes: tuple[str, ...] = ()  # only for event triggers (Arabic pronouns: قصفها)
    conjunctions: tuple[str, ...] = ()  # prefixes that coordinate ("و"): "الغارات والقصف"
    # Endings of prefixes that make a word definite (ال, لل): never combined with a pronoun
    # suffix, which Arabic does not allow (no "السيطره" from سيطر + ه).
    definite: tuple[str, ...] = ()
    min_stem: int = 2
    cased: bool = True  # False for scripts without case (Arabic): no casefold per word

    def strip_len(self, prefix: str) -> int:
        """How many leading characters of a matched word are clitics to leave out of its span.

        Conjunctions and prepositions are left out (والقصف -> القصف); the article stays with its
        word (بالقصف -> القصف, للمرصد stays whole because ل and ال are fused).
        """
        for d in self.definite:
            if prefix.endswith(d):
                return len(prefix) - len(d)
        return len(prefix)


@cache
def morphology(lang: str) -> Morphology:
    """The clitic rules of ``lang`` (empty for a language without a morphology block)."""
    m = langdata.load(lang, "events").get("morphology", {})
    cased = bool(m.get("cased", True))
    fold = lambda s: normalize_name(lang, s).casefold() if cased else normalize_name(lang, s)  # noqa: E731
    return Morphology(
        prefixes=tuple(sorted({fold(p) for p in m.get("prefixes", [])}, key=len, reverse=True)),
        rewrites=tuple((fold(k), tuple(fold(v) for v in vs)) for k, vs in m.get("rewrites", {}).items()),
        suffixes=tuple(fold(s) for s in m.get("suffixes", [])),
        event_suffixes=tuple(fold(s) for s in m.get("event_suffixes", [])),
        conjunctions=tuple(fold(c) for c in m.get("conjunctions", [])),
        definite=tuple(fold(c) for c in m.get("definite", [])),
        min_stem=int(m.get("min_stem", 2)),
        cased=cased,
    )


@dataclass(slots=True)
class _Entry:
    words: tuple[str, ...]  # folded words of the phrase
    size: int
    later: tuple[frozenset[str], ...]  # accepted surface forms of words[1:]
    exact: tuple[str, ...] | None  # case-sensitive raw words (acronyms), or None
    payload: Any
    forbid: frozenset[str]  # prefixes not allowed on the first word ("بحماس" is not Hamas)


@dataclass(slots=True, init=False)
class Match:
    """A phrase found at tokens ``[i, j)``; ``prefix`` is the clitic on its first word and
    ``strip`` how many of its characters to leave out of the span (see ``Morphology.strip_len``)."""

    i: int
    j: int
    payload: Any
    prefix: str
    strip: int = 0

    def __init__(self, i: int, j: int, payload: Any, prefix: str, strip: int = 0) -> None:
        self.i = i
        self.j = j
        self.payload = payload
        self.prefix = prefix
        self.strip = strip


# Entries of a PhraseMatcher's next-word memo before it is cleared (under 1 MB per matcher).
_NEXT_MEMO_SIZE = 5_000


@dataclass
class PhraseMatcher:
    """Longest-match lookup of multi-word phrases over a document's :class:`Toks`, clitic-aware.

    Built once per (language, lexicon) and cached by the caller. Every entry is expanded into
    its surface forms when added, so ``find`` picks the positions of the lexicon's first words
    in one pass and checks only the few phrases that start there.
    """

    lang: str
    morph: Morphology
    # first surface form -> (clitic prefix, entry, characters of the prefix left out of the span)
    _first: dict[str, list[tuple[str, _Entry, int]]] = field(default_factory=dict)
    # For a first word that only starts longer phrases ("من" of "من قبل"), the words that may
    # follow it: most occurrences of such a common word are rejected by one set lookup.
    _second: dict[str, frozenset[str] | None] = field(default_factory=dict)
    _first_words: frozenset[str] | None = None
    _forms: dict[tuple[str, bool], frozenset[str]] = field(default_factory=dict)
    # ``_first`` flattened for ``find`` (built on first use, dropped by ``add``): per first form, the
    # phrases as plain tuples (size, accepted forms of word 2, of words 3.., exact words, payload,
    # prefix, strip), longest first, without those whose prefix the entry forbids (they never
    # match): the inner loop then reads tuple items instead of dataclass attributes.
    _plan: dict[str, tuple[tuple[Any, ...], ...]] | None = None
    # (first form, next word) -> the phrases of a long bucket that this next word can continue
    # (with the one-word phrases), in bucket order: a common first word that starts many phrases
    # ("the", "in") then costs one lookup instead of a test per phrase. Filled as words are seen,
    # cleared by ``add`` and when it reaches _NEXT_MEMO_SIZE (bounded on untrusted text).
    _next_memo: dict[tuple[str, str | None], tuple[tuple[Any, ...], ...]] = field(default_factory=dict)

    def _variants(self, word: str, event_word: bool) -> dict[str, str]:
        """Surface forms of a folded word -> the prefix each carries."""
        m = self.morph
        stems = {word: False}
        for suffix in m.suffixes:
            stems.setdefault(word + suffix, False)
        for suffix in m.event_suffixes if event_word else ():
            stems.setdefault(word + suffix, True)
        out: dict[str, str] = {}
        for stem, pronoun in stems.items():
            out.setdefault(stem, "")
            if len(word) < m.min_stem:
                continue
            for p in m.prefixes:
                if not (pronoun and p.endswith(m.definite)):
                    out.setdefault(p + stem, p)
            for base, replacements in m.rewrites:
                if not pronoun and stem.startswith(base) and len(stem) - len(base) >= m.min_stem:
                    for r in replacements:
                        out.setdefault(r + stem[len(base) :], r)
        return out

    def add(
        self, phrase: str, payload: Any, *, event_word: bool = False, forbid_prefixes: Iterable[str] = (),
        case_sensitive: bool = False,
    ) -> None:
        """Add a phrase (ordinary spelling; normalized here) with the payload returned on match.

        ``case_sensitive``: the words must appear exactly as written (lower-case "march", the
        protest, is not "March", the month).
        """
        norm = normalize_name(self.lang, phrase)
        raw_words = tuple(w for w in _split_words(norm))
        if not raw_words:
            return
        words = tuple(w.casefold() for w in raw_words) if self.morph.cased else raw_words
        # All-capital short words are acronyms: "AP" and "IS" must not match "ap" and "is".
        exact = raw_words if case_sensitive or any(w.isupper() and len(w) <= 5 for w in raw_words) else None
        later = []
        for w in words[1:]:
            key = (w, event_word)
            if key not in self._forms:
                self._forms[key] = frozenset(self._variants(w, event_word))
            later.append(self._forms[key])
        forbid = frozenset(normalize_name(self.lang, p).casefold() for p in forbid_prefixes)
        entry = _Entry(words, len(words), tuple(later), exact, payload, forbid)
        self._plan = None
        self._next_memo.clear()
        for form, prefix in self._variants(words[0], event_word).items():
            bucket = self._first.setdefault(form, [])
            bucket.append((prefix, entry, self.morph.strip_len(prefix) if prefix else 0))
            bucket.sort(key=lambda pe: pe[1].size, reverse=True)
            if len(words) == 1:
                self._second[form] = None
            elif form not in self._second or self._second[form] is not None:
                self._second[form] = (self._second.get(form) or frozenset()) | entry.later[0]

    def find(
        self, toks: Toks, *, same_sentence: bool = True, sentences: set[int] | None = None
    ) -> list[Match]:
        """Non-overlapping matches, left to right, longest phrase first at each position.

        ``sentences``: only look for matches in these sentences (with ``same_sentence`` a match
        never crosses a sentence end, so the matches found there are the same as in a full scan).
        """
        first = self._first
        keys = toks.key
        out: list[Match] = []
        n = len(keys)
        cursor = 0
        first_words = self._first_words
        if first_words is None or len(first_words) != len(first):
            first_words = self._first_words = frozenset(first)
        sents = toks.sents
        # The positions of the lexicon's first words: one membership test per word, cheaper than
        # building and intersecting an index of the words. (A comprehension: the compiled build
        # runs it as a native loop, three times as fast as C-level compress over map, which calls
        # the set's method once per word; plain Python runs it about as fast.)
        if sentences is not None and same_sentence:
            # Only the words of those sentences are tested.
            positions: list[int] = []
            for s in sorted(sentences):
                a, b = toks.sentence_tokens(s)
                # (``b`` may pass the last key: the start offsets hold one entry more than the keys)
                positions += [i for i in range(a, min(b, n)) if keys[i] in first_words]
        else:
            positions = [i for i, key in enumerate(keys) if key in first_words]
        if not positions:
            return out
        second = self._second
        raw = toks.raw
        plan = self._plan
        if plan is None:
            plan = self._plan = {
                form: tuple(
                    (e.size, e.later[0] if e.size > 1 else None, e.later[1:], e.exact, e.payload, prefix, strip)
                    for prefix, e, strip in bucket
                    if prefix not in e.forbid
                )
                for form, bucket in first.items()
            }
        contains = frozenset.__contains__
        memo = self._next_memo
        for i in positions:
            if i < cursor:
                continue
            key = keys[i]
            follow = second[key]
            if follow is not None and (i + 1 >= n or keys[i + 1] not in follow):
                continue
            bucket = plan[key]
            if len(bucket) > 4:  # a short bucket is cheaper to test phrase by phrase
                nxt = keys[i + 1] if i + 1 < n else None
                narrowed = memo.get((key, nxt))
                if narrowed is None:
                    if len(memo) >= _NEXT_MEMO_SIZE:
                        memo.clear()
                    narrowed = memo[(key, nxt)] = tuple(
                        c for c in bucket if c[0] == 1 or (nxt is not None and nxt in c[1])
                    )
                bucket = narrowed
            for k, second_forms, rest, exact, payload, prefix, strip in bucket:
                if k > 1:
                    if i + k > n or keys[i + 1] not in second_forms or (
                        rest and not all(map(contains, rest, keys[i + 2 : i + k]))
                    ):
                        continue
                    if same_sentence and sents[i] != sents[i + k - 1]:
                        continue
                if exact is not None and not all(map(str.endswith, raw[i : i + k], exact)):
                    continue
                out.append(Match(i, i + k, payload, prefix, strip))
                cursor = i + k
                break
        return out


def _split_words(text: str) -> list[str]:
    from streams.extract.doc import WORD_RE

    return [m.group() for m in WORD_RE.finditer(text)]


def word_set(lang: str, words: Iterable[str]) -> frozenset[str]:
    """Folded, normalized single words (for membership tests on ``Toks.key``)."""
    if morphology(lang).cased:
        return frozenset(normalize_name(lang, w).casefold() for w in words)
    return frozenset(normalize_name(lang, w) for w in words)


def orig(doc: Doc, toks: Toks, i: int, j: int, strip: int = 0) -> tuple[int, int, str]:
    """Original-text start, end and text of tokens ``[i, j)``, less ``strip`` clitic characters."""
    start, end = doc.orig_span(toks.start[i] + strip, toks.end[j - 1])
    return start, end, doc.text[start:end]


# --------------------------------------------------------------------------------------------
# Event triggers
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Trigger:
    type: str
    confidence: float
    generic: bool  # a broad word ("قصف", "bombardment") that a following specific one refines
    fallback: bool  # a word that only types a sentence with nothing better ("killed", "هجوم")


@dataclass(frozen=True, slots=True)
class _Gapped:
    """A trigger written in two parts: a verb, then (at most ``window`` words on, same clause) its
    object; ``not_objects``, right after a ``link`` word after the object, undo it."""

    trigger: _Trigger
    objects: frozenset[str]
    window: int
    link: frozenset[str]
    not_objects: frozenset[str]


def _gapped(toks: Toks, matcher: PhraseMatcher, hits: list[Match]) -> list[Match]:
    """``hits`` with the split triggers of ``matcher`` added where no trigger already stands.

    "وأضرم آلاف المتظاهرين أمس النيران في منازل سكنية": the verb and its object "fire" set the
    houses on fire with the crowd and a time word between them, which no phrase can list; "أضرم
    المتظاهرون النار في إطارات" (tyres) stays a protest act.
    """
    if matcher._first.keys().isdisjoint(toks.key):
        return hits  # (the usual case: no verb of the rules in the article, found at C speed)
    found = matcher.find(toks)
    if not found:
        return hits
    keys = toks.key
    n = len(keys)
    taken = {k for m in hits for k in range(m.i, m.j)}
    added: list[Match] = []
    for m in found:
        spec: _Gapped = m.payload
        if m.i in taken:
            continue
        for k in range(m.j, min(n, m.j + spec.window + 1)):
            if not toks.same_clause(m.i, k):
                break
            if keys[k] in spec.objects:
                if not (k + 2 < n and keys[k + 1] in spec.link and keys[k + 2] in spec.not_objects):
                    # The verb alone is the mention: the words between may be triggers of their own
                    # (المتظاهرين), which keep their spans.
                    added.append(Match(m.i, m.j, spec.trigger, m.prefix, m.strip))
                break
    if not added:
        return hits
    return sorted(hits + added, key=lambda x: x.i)


@dataclass(slots=True)
class _EventTables:
    triggers: PhraseMatcher
    cues: PhraseMatcher  # payload: cue kind (negation, hypothetical, denial, historical, anaphoric_*)
    bridge: frozenset[str]  # words allowed between a negation and the trigger it negates
    negation_gap: int
    # "لم تشن الطائرات أي غارات", "did not launch any new raids": a determiner right before the
    # trigger carries a negation from further back in the clause.
    determiners: frozenset[str]
    determiner_window: int
    hypothetical_window: int
    denial_window: int
    prior_window: int
    topic_window: int
    condemned_window: int
    legal_window: int
    foiled_window: int  # words between a trigger and a "foiled_after" cue ("a car bomb that was defused")
    figurative_window: int  # words between a trigger and a "figurative" after-cue ("attacked the budget bill")
    against_window: int  # words between an "against" cue and the trigger it governs (a protest's topic)
    # Clitic prefixes that say "like, such as" (Arabic ك): "كمظاهرة المسلمين" cites an example.
    simile_prefixes: frozenset[str]
    # "عثرت الشرطة على عبوة ناسفة": the type families that a "found" cue makes background (a device
    # found before it went off) and how far it reaches; a body found stays a killing.
    found_families: frozenset[str]
    found_window: int
    # type -> (types that change it when read in the same clause, the type it becomes)
    context_types: dict[str, list[tuple[frozenset[str], str]]]
    # The "parties" rules: who acts retypes a trigger near it in its clause (students who clash
    # riot; gunmen who invade a village attack it): (party matcher, most words between party and
    # trigger, the trigger types a rule retypes, the type they become).
    party_rules: list[tuple[PhraseMatcher, int, frozenset[str], str]]
    party_types: frozenset[str]  # every type some party rule retypes
    # Words that may stand between a month and its year ("نوفمبر (تشرين الثاني) من عام 2003").
    month_gloss: frozenset[str] = frozenset()
    # Split triggers (a verb, then its object a few words on): one rule per entry, see _gapped.
    gapped: PhraseMatcher | None = None
    # A plot's purpose: a trigger with the clitic ل ("to kidnap") after a plot word (see _plot_purposes).
    plot: PhraseMatcher | None = None
    plot_prefixes: frozenset[str] = frozenset()
    plot_window: int = 15
    # Arrest verbs that take things, not people (احتجزوا العشرات من السيارات): see _things_held.
    thing_kinds: frozenset[str] = frozenset()
    thing_types: frozenset[str] = frozenset()
    thing_window: int = 3
    # Nouns that name what a quotation after them is (خبر «...», جريمة «اغتصاب وقتل»): see _titled.
    title_words: frozenset[str] = frozenset()
    year_words: frozenset[str] = frozenset()  # the historical year cues (عام, سنة), as words


@cache
def _tables(lang: str) -> _EventTables:
    data = langdata.load(lang, "events")
    morph = morphology(lang)
    triggers = PhraseMatcher(lang, morph)
    for group in data.get("triggers", []):
        if group["type"] not in _taxonomy_table():
            raise ValueError(f"lang/{lang}/events.json: unknown incident type {group['type']!r}")
        trig = _Trigger(
            group["type"],
            float(group.get("confidence", 0.7)),
            bool(group.get("generic")),
            bool(group.get("fallback")),
        )
        forbid = group.get("forbid_prefixes", ())
        for phrase in group["phrases"]:
            triggers.add(phrase, trig, event_word=True, forbid_prefixes=forbid)
        for phrase in group.get("case_sensitive_phrases", ()):
            triggers.add(phrase, trig, event_word=True, forbid_prefixes=forbid, case_sensitive=True)
    cues = data.get("cues", {})
    # One matcher for every cue kind: one pass over the article finds them all.
    cue_matcher = PhraseMatcher(lang, morph)
    for kind in ("negation", "hypothetical", "denial", "historical", "prior", "topic", "legal", "condemned"):
        for phrase in cues.get(kind, {}).get("phrases", []):
            cue_matcher.add(phrase, kind)
    for phrase in cues.get("historical", {}).get("year_cues", []):
        cue_matcher.add(phrase, "year_cue")
    for phrase in cues.get("historical", {}).get("forward", []):
        cue_matcher.add(phrase, "historical_forward")
    for phrase in cues.get("historical", {}).get("month_cues", []):
        cue_matcher.add(phrase, "month_cue")
    for phrase in cues.get("comparison", {}).get("phrases", []):
        cue_matcher.add(phrase, "comparison")
    for phrase in cues.get("against", {}).get("phrases", []):
        cue_matcher.add(phrase, "against")
    for phrase in cues.get("found", {}).get("phrases", []):
        cue_matcher.add(phrase, "found")
    for phrase in cues.get("foiled_after", {}).get("phrases", []):
        cue_matcher.add(phrase, "foiled_after")
    for phrase in cues.get("figurative", {}).get("right_after", []):
        cue_matcher.add(phrase, "figurative_right_after")
    for side in ("after", "before"):
        for phrase in cues.get("anaphoric", {}).get(side, []):
            cue_matcher.add(phrase, "anaphoric_" + side)
        for phrase in cues.get("figurative", {}).get(side, []):
            cue_matcher.add(phrase, "figurative_" + side)
    month_gloss = word_set(lang, cues.get("historical", {}).get("month_gloss", []))
    gapped: PhraseMatcher | None = None
    for rule in data.get("gapped", []):
        if rule["type"] not in _taxonomy_table():
            raise ValueError(f"lang/{lang}/events.json gapped: unknown incident type {rule['type']!r}")
        if gapped is None:
            gapped = PhraseMatcher(lang, morph)
        spec = _Gapped(
            _Trigger(rule["type"], float(rule.get("confidence", 0.7)), False, False),
            word_set(lang, rule["objects"]),
            int(rule.get("window", 4)),
            word_set(lang, rule.get("link", [])),
            word_set(lang, rule.get("not_objects", [])),
        )
        for verb in rule["verbs"]:
            gapped.add(verb, spec)
    plot: PhraseMatcher | None = None
    for phrase in cues.get("plot", {}).get("phrases", []):
        if plot is None:
            plot = PhraseMatcher(lang, morph)
        plot.add(phrase, "plot")
    party_rules: list[tuple[PhraseMatcher, int, frozenset[str], str]] = []
    for rule in data.get("parties", []):
        party_matcher = PhraseMatcher(lang, morph)
        for phrase in rule["phrases"]:
            party_matcher.add(phrase, "party")
        retyped = frozenset(rule["types"])
        for t in (*retyped, rule["becomes"]):
            if t not in _taxonomy_table():
                raise ValueError(f"lang/{lang}/events.json parties: unknown incident type {t!r}")
        party_rules.append((party_matcher, int(rule.get("window", 5)), retyped, str(rule["becomes"])))
    return _EventTables(
        triggers=triggers,
        cues=cue_matcher,
        bridge=word_set(lang, cues.get("negation", {}).get("bridge", [])),
        negation_gap=int(cues.get("negation", {}).get("max_gap", 3)),
        determiners=word_set(lang, cues.get("negation", {}).get("determiners", [])),
        determiner_window=int(cues.get("negation", {}).get("determiner_window", 6)),
        hypothetical_window=int(cues.get("hypothetical", {}).get("window", 5)),
        denial_window=int(cues.get("denial", {}).get("window", 10)),
        prior_window=int(cues.get("prior", {}).get("window", 2)),
        topic_window=int(cues.get("topic", {}).get("window", 2)),
        condemned_window=int(cues.get("condemned", {}).get("window", 2)),
        legal_window=int(cues.get("legal", {}).get("window", 3)),
        foiled_window=int(cues.get("foiled_after", {}).get("window", 2)),
        figurative_window=int(cues.get("figurative", {}).get("window", 3)),
        against_window=int(cues.get("against", {}).get("window", 2)),
        simile_prefixes=frozenset(
            normalize_name(lang, p) for p in cues.get("comparison", {}).get("simile_prefixes", [])
        ),
        found_families=frozenset(cues.get("found", {}).get("families", [])),
        found_window=int(cues.get("found", {}).get("window", 4)),
        context_types=_context_types(data.get("context_types", [])),
        party_rules=party_rules,
        party_types=frozenset(t for _, _, retyped, _ in party_rules for t in retyped),
        month_gloss=month_gloss,
        gapped=gapped,
        year_words=word_set(lang, cues.get("historical", {}).get("year_cues", [])),
        plot=plot,
        plot_prefixes=frozenset(normalize_name(lang, p) for p in cues.get("plot", {}).get("prefixes", [])),
        plot_window=int(cues.get("plot", {}).get("window", 15)),
        thing_kinds=frozenset(cues.get("things_held", {}).get("kinds", [])),
        thing_types=frozenset(cues.get("things_held", {}).get("types", [])),
        thing_window=int(cues.get("things_held", {}).get("window", 3)),
        title_words=word_set(lang, cues.get("titled", {}).get("phrases", [])),
    )


def _context_types(rules: list[dict]) -> dict[str, list[tuple[frozenset[str], str]]]:
    out: dict[str, list[tuple[frozenset[str], str]]] = {}
    for rule in rules:
        for t in (rule["type"], rule["becomes"], *rule["with"]):
            if t not in _taxonomy_table():
                raise ValueError(f"events.json context_types: unknown incident type {t!r}")
        out.setdefault(rule["type"], []).append((frozenset(rule["with"]), rule["becomes"]))
    return out


# A weak trigger next to an anaphoric word ("the latest attack", ويأتي الهجوم الأخير) points back
# to an incident the article already reported.
_ANAPHORA_MAX_CONFIDENCE = 0.6


class _CueIndex:
    """The cue hits of a document by position, so that each trigger only looks at the few
    positions its cues can reach (linear time even for one huge sentence of untrusted text)."""

    def __init__(self, toks: Toks, cue_hits: list[Match]) -> None:
        self.by_end: dict[int, list[Match]] = {}
        self.ends: list[int] = []  # the keys of by_end, sorted: a trigger visits only the ends in its reach
        self.after_starts: set[int] = set()  # starts of anaphoric_after cues
        self.foiled_starts: set[int] = set()  # starts of foiled_after cues
        self.figurative_starts: set[int] = set()  # starts of figurative_after cues
        self.particle_starts: set[int] = set()  # starts of figurative_right_after cues ("killed off")
        self.history: dict[int, list[int]] = {}  # sentence -> historical cue starts, in order
        self.forward: dict[int, list[int]] = {}  # sentence -> starts of cues that date what follows them
        self.compared: dict[int, list[int]] = {}  # sentence -> comparison cue starts, in order
        self.against: list[Match] = []  # "against" cues (ضد): what a protest is against
        sents = toks.sents
        for m in cue_hits:
            if m.payload == "historical":
                self.history.setdefault(sents[m.i], []).append(m.i)
            elif m.payload == "historical_forward":
                self.forward.setdefault(sents[m.i], []).append(m.i)
            elif m.payload == "comparison":
                self.compared.setdefault(sents[m.i], []).append(m.i)
            elif m.payload == "against":
                self.against.append(m)
            elif m.payload == "anaphoric_after":
                self.after_starts.add(m.i)
            elif m.payload == "foiled_after":
                self.foiled_starts.add(m.i)
            elif m.payload == "figurative_after":
                self.figurative_starts.add(m.i)
            elif m.payload == "figurative_right_after":
                self.particle_starts.add(m.i)
            else:
                self.by_end.setdefault(m.j, []).append(m)
        self.ends = sorted(self.by_end)


# Quotation marks that set a trigger apart as a word, not an act ('had been "killed" by two mistakes').
_QUOTES = frozenset("\"'\u201c\u201d\u2018\u2019")


def _scare_quoted(toks: Toks, i: int, j: int) -> bool:
    """Whether the trigger at tokens ``[i, j)`` stands between quotation marks with nothing else
    inside them: a word quoted or used figuratively ('"killed" by two mistakes'), not a report."""
    norm = toks.norm
    start, end = toks.start[i], toks.end[j - 1]
    return start > 0 and end < len(norm) and norm[start - 1] in _QUOTES and norm[end] in _QUOTES


def _background_reason(
    toks: Toks,
    i: int,
    j: int,
    trig: _Trigger,
    cues: _CueIndex,
    tables: _EventTables,
    starts: frozenset[int] = frozenset(),
    coordinated: bool = False,
) -> str | None:
    """Why the trigger at tokens ``[i, j)`` is not a live incident (or None when it is).

    ``starts`` are the first tokens of the document's triggers and ``coordinated`` says that this
    one carries a conjunction (والغارات): a "prior" cue reaches the triggers after it and those
    coordinated with them ("بعد أيام من القصف والغارات"), not a trigger of the next clause
    ("للاحتجاج على اعتقاله وحدثت مواجهات": the clashes are reported)."""
    sents = toks.sents
    sent_i = sents[i]
    keys = toks.key
    history = cues.history.get(sent_i)
    if history:
        # The clause, not the sentence: "for the first time since the war began, ..., the attack
        # last week killed 33" reports an attack. A clause is a run of words, so the nearest
        # historical cue on each side is the only one that can share the trigger's clause.
        k = bisect_left(history, i)
        for h in history[max(0, k - 1) : k + 1]:
            if toks.same_clause(h, i):
                return "historical"
    forward = cues.forward.get(sent_i)
    if forward:
        # "marking the anniversary of the bombing": the bombing is history, the trigger before the
        # cue ("explosions ripped through a crowd marking the anniversary of ...") is not.
        k = bisect_left(forward, i)
        if k and toks.same_clause(forward[k - 1], i):
            return "historical"
    compared = cues.compared.get(sent_i)
    if compared:
        # "the march went calmly compared with last year's, where clashes ...": what the rest of
        # the clause compares the reported event with; the event before the cue stays live.
        k = bisect_left(compared, i)
        if k and toks.same_clause(compared[k - 1], i):
            return "comparison"
    weak = trig.confidence < _ANAPHORA_MAX_CONFIDENCE
    if weak and j in cues.after_starts and toks.same_clause(j - 1, j):
        return "anaphoric"
    if cues.foiled_starts:
        # "السيارة المفخخة التي عثر عليها", "a car bomb that was defused": found before it went off.
        for k in range(j, j + tables.foiled_window + 1):
            if k in cues.foiled_starts and toks.same_clause(j - 1, k):
                return "foiled"
    if j in cues.particle_starts and toks.same_clause(j - 1, j) and not toks.norm.startswith("-", toks.end[j]):
        return "figurative"  # "killed off the recovery" (but "killed off-duty officers")
    if cues.figurative_starts:
        # "attacked the government's budget bill", "fired two missiles into the sea": the object
        # says the act hurt nobody.
        for k in range(j, j + tables.figurative_window + 1):
            if k in cues.figurative_starts and toks.same_clause(j - 1, k):
                return "figurative"
    reach = max(
        tables.negation_gap, tables.determiner_window, tables.hypothetical_window, tables.denial_window,
        tables.found_window,
    )
    # The cue ends from i back to i - reach, nearest first (cues end after their first word, so
    # never at 0).
    ends = cues.ends
    k = bisect_right(ends, i)
    while k > 0:
        k -= 1
        end = ends[k]
        if end < i - reach:
            break
        for m in cues.by_end[end]:
            kind = m.payload
            gap = i - m.j
            if kind == "negation":
                # Negation scopes over the next word: "لم تشن غارات" negates the raids, "لم يتوقف
                # القصف" (the shelling has not stopped) does not: يتوقف is not a light verb.
                if (
                    gap <= tables.negation_gap
                    and all(keys[k] in tables.bridge for k in range(m.j, i))
                    and toks.same_clause(m.j - 1, i)
                ) or (
                    # "لم تشن الطائرات أي غارات", "لم تشن قوات النظام غارات": a negated light verb
                    # (or "any" before the trigger) reaches past the verb's subject.
                    (keys[i - 1] in tables.determiners or keys[m.j] in tables.bridge)
                    and gap <= tables.determiner_window
                    and toks.same_clause(m.j - 1, i)
                ):
                    return "negated"
            elif kind == "hypothetical":
                if gap <= tables.hypothetical_window and toks.same_clause(m.i, i):
                    return "hypothetical"
            elif kind == "found":
                if (gap <= tables.found_window and toks.same_clause(m.i, i)
                        and type_family(trig.type) in tables.found_families):
                    return "hypothetical"
            elif kind == "denial":
                if gap <= tables.denial_window and sents[m.i] == sent_i:
                    return "denied"
            elif kind == "prior" or kind == "topic":
                if gap <= (tables.prior_window if kind == "prior" else tables.topic_window) and toks.same_clause(
                    m.i, i
                ) and (coordinated or not _next_clause(keys, m.j, i, starts)) and not _own_clause(
                    m.j, i, starts, coordinated
                ):
                    return kind
            elif kind == "condemned":
                if gap <= tables.condemned_window and toks.same_clause(m.i, i) and not _own_clause(
                    m.j, i, starts, coordinated
                ):
                    return "condemned"
            elif kind == "legal":
                if gap <= tables.legal_window and toks.same_clause(m.i, i) and not _own_clause(
                    m.j, i, starts, coordinated
                ):
                    return "legal"
            elif kind == "anaphoric_before" and gap == 0 and weak:
                return "anaphoric"
            elif kind == "figurative_before" and gap == 0:
                return "figurative"  # "lawmakers attacked", "stocks rallied"
    return None


# Conjunctions written on the word they join (Arabic و ف): a word with one after the first trigger
# that follows a "prior" cue opens the next clause ("على اعتقاله وحدثت مواجهات").
_CLAUSE_CONJUNCTIONS = frozenset("وف")


def _next_clause(keys: list[str], start: int, end: int, starts: frozenset[int]) -> bool:
    """True when tokens ``[start, end)`` hold a trigger and, after it, a word that opens a new
    clause with a conjunction and is no trigger itself ("اعتقاله وحدثت"); "هجوم بسيارة مفخخة"
    (one event in several triggers) and "مقتل وزير" (و of the root) do not."""
    first = next((k for k in range(start, end) if k in starts), None)
    if first is None:
        return False
    return any(keys[k][:1] in _CLAUSE_CONJUNCTIONS and k not in starts for k in range(first + 1, end))


def _own_clause(start: int, i: int, starts: frozenset[int], coordinated: bool) -> bool:
    """True when the trigger at ``i`` carries a conjunction and only words that are no trigger stand
    between a cue ending at ``start`` and it: "بحسب احد المسؤولين عن المسجد وخطفت تسعة اشخاص" (the
    mosque's officials; the kidnapping is a clause of its own), not "بتهمة قتل جنديين وخطف آخر"
    (a second charge, coordinated with the first)."""
    return coordinated and i > start and not any(k in starts for k in range(start, i))


def find_events(doc: Doc) -> None:
    """Append an :class:`EventMention` for every incident trigger in ``doc``.

    Longest phrases win (``قصف جوي`` is an airstrike, ``قصف مدفعي`` shelling, a bare ``قصف``
    shelling); a generic word directly followed by a specific one in the same phrase ("قصف
    الطيران الحربي") takes the specific type and span; fallback words ("killed", ``مقتل``) are
    dropped from a sentence that has a better trigger. Negated, hypothetical, denied, historical
    and anaphoric mentions are kept with ``background=True`` so that they never open an incident.
    """
    tables = _tables(doc.lang)
    toks = doc_tokens(doc)
    hits = tables.triggers.find(toks)
    if tables.gapped is not None:
        hits = _gapped(toks, tables.gapped, hits)
    if not hits:
        return
    conj = doc_conjunctions(doc.lang)
    merged: list[tuple[int, int, _Trigger]] = []
    strip = {m.i: m.strip for m in hits}
    for m in hits:
        trig: _Trigger = m.payload
        if merged:
            pi, pj, prev = merged[-1]
            # "قصف الطيران الحربي": a generic word and a specific phrase next to it name one act;
            # "الغارات والقصف" (coordinated by و) names two.
            adjacent = pj == m.i and m.prefix not in conj and toks.same_clause(pi, m.i)
            # Not an attack's fallback word: in "the bombing killed five", "killed" says what the
            # bombing did, not how (the fallback aircraft of "قصفت الطائرات" do say how).
            if adjacent and prev.generic and not trig.generic and not (trig.fallback and trig.type == "armed_attack"):
                merged[-1] = (pi, m.j, trig)
                continue
            # "طائراته قصفت", "warplanes bombed": the aircraft say how the generic act was done.
            if adjacent and trig.generic and not prev.generic:
                merged[-1] = (
                    pi,
                    m.j,
                    _Trigger(prev.type, max(prev.confidence, trig.confidence), False, False),
                )
                continue
        merged.append((m.i, m.j, trig))
    if tables.context_types:
        merged = _retype_in_context(toks, merged, tables.context_types)
    if tables.party_rules and any(t.type in tables.party_types for _, _, t in merged):
        merged = _retype_by_party(toks, merged, tables)
    sents = toks.sents
    sentence_of = [sents[i] for i, _, _ in merged]
    # Cues only matter near triggers: keep those in the triggers' sentences.
    trigger_sentences = set(sentence_of)
    cue_hits = tables.cues.find(toks, sentences=trigger_sentences)
    if doc.published is not None:
        cue_hits = _past_years_as_history(toks, cue_hits, doc.published.year, tables.month_gloss, tables.year_words)
    cues = _CueIndex(toks, cue_hits) if cue_hits else None
    starts = frozenset(i for i, _, _ in merged)
    prefix_of = {m.i: m.prefix for m in hits}
    reasons = [
        _background_reason(toks, i, j, trig, cues, tables, starts, prefix_of.get(i, "") in conj) if cues else None
        for i, j, trig in merged
    ]
    # 'his side had been "killed" by two mistakes': a trigger set in quotes is a word, not an act.
    reasons = [r if r is not None or not _scare_quoted(toks, i, j) else "figurative"
               for r, (i, j, _) in zip(reasons, merged, strict=True)]
    if tables.simile_prefixes:
        # "كمظاهرة المسلمين الألمان ضد اختطاف الرهينة": a trigger written with the clitic "like"
        # is an example the sentence cites, not an event it reports.
        reasons = [
            "comparison" if reason is None and prefix_of.get(i, "") in tables.simile_prefixes else reason
            for (i, _, _), reason in zip(merged, reasons, strict=True)
        ]
    if tables.plot is not None:
        _plot_purposes(toks, merged, reasons, prefix_of, tables)
    if tables.thing_kinds and doc.counts:
        _things_held(doc, toks, merged, reasons, tables)
    if tables.title_words:
        _titled(toks, merged, reasons, tables.title_words)
    if cues is not None and cues.against:
        _protest_topics(toks, merged, reasons, cues.against, tables.against_window)
    if "condemned" in reasons:
        _condemned_with_toll(doc, toks, merged, reasons)
    # A fallback word gives way to a better trigger that is live: "قتلت أربعة من المتهمين
    # بالهجوم الانتحاري" reports the killing, not the (background) suicide attack.
    specific_sentences = {
        s
        for s, (_, _, trig), reason in zip(sentence_of, merged, reasons, strict=True)
        if not trig.fallback and reason is None
    }
    for s_idx, (i, j, trig), reason in zip(sentence_of, merged, reasons, strict=True):
        if trig.fallback and s_idx in specific_sentences and reason != "topic":
            # (A fallback word that names the cause or topic of the reported act stays, as
            # background: "المحتجين على مقتل فتى", "على خلفية مقتل فتى" — its figure is that
            # earlier event's.)
            continue
        start, end, text = orig(doc, toks, i, j, strip[i])
        doc.events.append(
            EventMention(
                type=trig.type,
                start=start,
                end=end,
                text=text,
                confidence=trig.confidence,
                background=reason is not None,
            )
        )


def _plot_purposes(
    toks: Toks,
    merged: list[tuple[int, int, _Trigger]],
    reasons: list[str | None],
    prefix_of: dict[int, str],
    tables: _EventTables,
) -> None:
    """Mark as hypothetical (in place) the live triggers that state a plot's purpose.

    "اعتقل فجرا للاشتباه في ضلوعه في التحضير لمؤامرة «...» على حد تعبير مصادر امنية، لخطف وذبح
    احد الاشخاص": the kidnapping, written with the clitic ل (to kidnap), is what the plot was for,
    also past the quotation and comma that end the plot word's clause; the arrest is the event. A
    trigger with ل and no plot word before it in its sentence (تعرض لخطف) is not touched.
    """
    candidates = [k for k, (i, _, _) in enumerate(merged)
                  if reasons[k] is None and prefix_of.get(i, "") in tables.plot_prefixes]
    if not candidates or tables.plot is None:
        return
    sents = toks.sents
    plots = [m.i for m in tables.plot.find(toks, sentences={sents[merged[k][0]] for k in candidates})]
    if not plots:
        return
    for k in candidates:
        i = merged[k][0]
        p = bisect_left(plots, i)
        if p and i - plots[p - 1] <= tables.plot_window and sents[plots[p - 1]] == sents[i]:
            reasons[k] = "hypothetical"


def _things_held(
    doc: Doc,
    toks: Toks,
    merged: list[tuple[int, int, _Trigger]],
    reasons: list[str | None],
    tables: _EventTables,
) -> None:
    """Mark as figurative (in place) an arrest whose object is a count of things.

    "قطعوا الطرق ... واحتجزوا العشرات من السيارات الحكومية": the protesters held cars, nobody was
    arrested. The object is the first figure at most ``thing_window`` words after the trigger, in
    its clause, when the counts component counted vehicles or aircraft there; a figure of people
    (احتجزوا 30 شخصا) keeps the arrest.
    """
    if not any(t.type in tables.thing_types for _, _, t in merged):
        return
    counts = sorted((c.start, c.kind) for c in doc.counts)
    starts = [c[0] for c in counts]
    n = len(toks.key)
    for k, (i, j, trig) in enumerate(merged):
        if reasons[k] is not None or trig.type not in tables.thing_types:
            continue
        last = min(n, j + tables.thing_window) - 1
        if last < j or not toks.same_clause(i, last):
            continue
        lo = doc.orig_span(toks.start[j], toks.end[j])[0]
        hi = doc.orig_span(toks.start[last], toks.end[last])[1]
        f = bisect_left(starts, lo)
        if f < len(counts) and counts[f][0] < hi and counts[f][1] in tables.thing_kinds:
            reasons[k] = "figurative"


# Quotation marks that open and close a title or a name (see _titled).
_TITLE_OPEN = "«\u201c"
_TITLE_CLOSE = "»\u201d"


def _titled(toks: Toks, merged: list[tuple[int, int, _Trigger]], reasons: list[str | None],
            title_words: frozenset[str]) -> None:
    """Mark as background (in place) the live triggers inside a quotation that a noun names.

    "تعقيبا على خبر «براميرتز: خيط بين اغتيال الحريري ...»" (a headline), "المتهمين في جريمة
    «اغتصاب وقتل»" (the name of a crime): the quotation opened right after the noun is a title or
    a name, not a report. A quotation after a verb or a colon (قال: «قتل خمسة») is speech and is
    not touched.
    """
    norm, keys = toks.norm, toks.key
    if not any(q in norm for q in _TITLE_OPEN):
        return
    for k, (i, _, _) in enumerate(merged):
        if reasons[k] is not None:
            continue
        start = toks.start[i]
        first = toks.start[toks.sentence_tokens(toks.sents[i])[0]]
        opened = max(norm.rfind(q, first, start) for q in _TITLE_OPEN)
        if opened < 0 or max(norm.rfind(q, opened, start) for q in _TITLE_CLOSE) > opened:
            continue  # no quotation open at the trigger
        t = bisect_left(toks.start, opened) - 1  # the word right before the opening mark
        if t >= 0 and keys[t] in title_words and not norm[toks.end[t] : opened].strip():
            reasons[k] = "titled"


def _protest_topics(
    toks: Toks,
    merged: list[tuple[int, int, _Trigger]],
    reasons: list[str | None],
    against: list[Match],
    window: int,
) -> None:
    """Mark in ``reasons`` what a protest is against: "تظاهروا امس في طهران ضد الغارات الإسرائيلية"
    reports a demonstration, and the raids it denounces happened elsewhere, earlier. Only after a
    protest or riot trigger earlier in the clause: "هجوم ضد القوات" is an attack on the forces."""
    protests = [i for i, _, t in merged if type_family(t.type) == "demonstrations"]
    if not protests:
        return
    for k, (i, _, trig) in enumerate(merged):
        if reasons[k] is not None or type_family(trig.type) == "demonstrations":
            continue
        for m in against:
            if m.j <= i and i - m.j <= window and toks.same_clause(m.i, i) and any(
                p < m.i and toks.same_clause(p, m.i) for p in protests
            ):
                reasons[k] = "topic"
                break


_CASUALTY_KINDS = frozenset({"killed", "injured"})


def _condemned_with_toll(
    doc: Doc, toks: Toks, merged: list[tuple[int, int, _Trigger]], reasons: list[str | None]
) -> None:
    """A condemned event whose own casualty figure follows it in the sentence is reported: "يدين
    بشدة الانفجار الذي استهدف الفندق، وأدى إلى مقتل 60 شخصا" (the report gate reads a condemnation
    with a casualty anchor the same way). Not where a protest condemns it ("هتافات تندد بمقتل 5"):
    that figure is the protest's cause."""
    sents = toks.sents
    protest_sentences = {sents[i] for i, _, t in merged if type_family(t.type) == "demonstrations"}
    figures = sorted(
        bisect_left(doc.norm_to_orig, c.start) if doc.norm_to_orig else c.start
        for c in doc.counts
        if c.kind in _CASUALTY_KINDS and not c.cumulative
    )
    if not figures:
        return
    for k, (i, j, _) in enumerate(merged):
        if reasons[k] != "condemned" or sents[i] in protest_sentences:
            continue
        # The first figure after the trigger: in the trigger's sentence, or none of them is.
        f = bisect_left(figures, toks.end[j - 1])
        if f < len(figures) and sents[min(max(bisect_right(toks.start, figures[f]) - 1, 0), len(sents) - 1)] == sents[i]:
            reasons[k] = None


# How many words a month's gloss and year cue may take before its year ("نوفمبر (تشرين الثاني) من
# عام 2003": five).
_MONTH_YEAR_REACH = 5


def _past_years_as_history(
    toks: Toks, cue_hits: list[Match], year: int, month_gloss: frozenset[str] = frozenset(),
    year_words: frozenset[str] = frozenset(),
) -> list[Match]:
    """ "عام 2005", "in 1915": a year before the publication's makes the sentence history.

    A month whose year comes with a year cue ("غارة ... في نوفمبر (تشرين الثاني) من عام 2003") is
    history from the month on: the parentheses of the month's gloss do not cut it off from a
    trigger before it. A month with a bare year ("في نوفمبر (تشرين الثاني) 2005 قامت امرأة بتفجير
    نفسها") is left alone: a chronology's dated entry reports its event.
    """
    out = []
    keys = toks.key
    n = len(keys)
    for m in cue_hits:
        if m.payload == "month_cue":
            k = m.j
            while k < n and k < m.j + _MONTH_YEAR_REACH and keys[k] in month_gloss:
                k += 1
            nxt = keys[k] if k < n else ""
            if (len(nxt) == 4 and nxt.isdigit() and 1000 <= int(nxt) < year
                    and any(keys[g] in year_words for g in range(m.j, k))):
                # The year cue after the month makes its clause history; the month carries it
                # over the parentheses of its gloss to a trigger before the month.
                out.append(Match(m.i, k + 1, "historical", m.prefix, m.strip))
            continue
        if m.payload != "year_cue":
            out.append(m)
            continue
        nxt = keys[m.j] if m.j < n else ""
        if len(nxt) == 4 and nxt.isdigit() and 1000 <= int(nxt) < year:
            out.append(Match(m.i, m.j + 1, "historical", m.prefix, m.strip))
    return out


# How many neighbouring mentions on each side a context rule looks at (bounded work per mention).
_CONTEXT_NEIGHBOURS = 6


def _retype_in_context(
    toks: Toks,
    merged: list[tuple[int, int, _Trigger]],
    rules: dict[str, list[tuple[frozenset[str], str]]],
) -> list[tuple[int, int, _Trigger]]:
    """Apply ``context_types``: "اشتبك المتظاهرون مع الجنود" is a riot, not an armed clash."""
    # A rule whose context types the article does not mention at all cannot apply (the usual case).
    present = {t.type for _, _, t in merged}
    rules = {typ: live for typ, type_rules in rules.items()
             if (live := [(others, becomes) for others, becomes in type_rules if not others.isdisjoint(present)])}
    if not rules:
        return merged
    out = []
    for k, (i, j, trig) in enumerate(merged):
        type_rules = rules.get(trig.type)
        if not type_rules:
            out.append((i, j, trig))  # most types have no rule: no neighbours to gather
            continue
        near = merged[max(0, k - _CONTEXT_NEIGHBOURS) : k] + merged[k + 1 : k + 1 + _CONTEXT_NEIGHBOURS]
        for others, becomes in type_rules:
            if any(t.type in others and toks.same_clause(i, oi) for oi, _, t in near):
                trig = _Trigger(becomes, trig.confidence, trig.generic, trig.fallback)
                break
        out.append((i, j, trig))
    return out


def _retype_by_party(
    toks: Toks, merged: list[tuple[int, int, _Trigger]], tables: _EventTables
) -> list[tuple[int, int, _Trigger]]:
    """Apply the ``parties`` rules: a trigger whose party is named near it in its clause takes
    the rule's type. A clash of an unarmed crowd ("Students and police clashed", "supporters of
    rival parties clashed") is a riot (ACLED Riots), not a battle between armed groups; gunmen who
    "invaded" a village attacked it, they did not launch a ground offensive. "Troops clashed with
    militants" keeps its type."""
    out = merged
    for matcher, window, retyped, becomes in tables.party_rules:
        sentences = {toks.sents[i] for i, _, t in out if t.type in retyped}
        if not sentences:
            continue
        parties = matcher.find(toks, sentences=sentences)
        if not parties:
            continue
        out = [
            (i, j, _Trigger(becomes, trig.confidence, trig.generic, trig.fallback)
             if trig.type in retyped and any(
                 (0 <= i - p.j <= window or 0 <= p.i - j <= window) and toks.same_clause(p.i, i) for p in parties)
             else trig)
            for i, j, trig in out
        ]
    return out


@cache
def doc_conjunctions(lang: str) -> frozenset[str]:
    """Clitic prefixes that coordinate two words (Arabic و ف)."""
    m = morphology(lang)
    return frozenset(p for p in m.prefixes if any(p.startswith(c) for c in m.conjunctions))
