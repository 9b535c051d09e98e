"""Actors and sources: who did it, who backed them, who was targeted, and who reported it.

Names come from the per-language lexicon ``lang/<code>/actors.json`` (aliases in the article's
language mapped to one canonical English name and a kind: state_forces, rebel_group,
militant_group, militia, country, government, observatory, civil_defence, ministry, agency,
media, un_agency, ngo, ...). Roles come from cue words around each mention, in this order:

1. an alias that fixes its role ("Russian-backed" is a backer);
2. backer after "backed by" / ``مدعومة من``;
3. perpetrator after "by" / ``من قبل``;
4. source after "according to" / ``وفق`` / ``حسب`` / ``نقلا عن``;
5. target after "against" / ``ضد`` / ``مواقع``;
6. perpetrator for an armed actor or a country next to an attack verb (Arabic puts the verb
   first: ``أطلقت قوات النظام عملية برية``; English after: "regime forces shelled");
7. source for reporting bodies (observatories, civil defence, ministries, agencies, NGOs), or any
   actor next to a reporting verb (``أفاد المرصد``, "the army said");
8. otherwise, for each incident word of a sentence, the nearest armed actor of that sentence
   that is not the object of a preposition (``بين جيش الإسلام``, "with the army") is its
   perpetrator; every other mention is ``other``.

A short name (``المرصد``, "the Observatory") counts only when the article also names the full
actor; a generic body (``الدفاع المدني``, "government forces") is named after the article's
country when the lexicon says how (the Syrian Civil Defence in a Syrian story). The article's
country is the most frequent country of its places and of the actors it names.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache

from streams.extract import lang as langdata
from streams.extract.doc import Actor, Doc
from streams.extract.events import Match, PhraseMatcher, Toks, doc_tokens, morphology, orig, word_set
from streams.extract.normalize import normalize_name

# Kinds that can be perpetrators by proximity to an incident word.
ARMED_KINDS = frozenset(
    {"state_forces", "rebel_group", "militant_group", "militia", "unidentified_armed_group"}
)
# Kinds whose mention is a report unless a cue says otherwise.
SOURCE_KINDS = frozenset({"observatory", "civil_defence", "ministry", "agency", "media", "un_agency", "ngo"})
# How far (in words) a cue reaches.
_WINDOW = {"backer": 2, "by": 1, "according": 3, "target": 2, "attack_before": 2, "report_before": 3}
_AFTER_WINDOW = {"attack_after": 2, "report_after": 2}
_MAX_WINDOW = max(_WINDOW.values())
_MAX_AFTER_WINDOW = max(_AFTER_WINDOW.values())
_CUE_KINDS = (
    "backer",
    "by",
    "target",
    "according",
    "report_before",
    "report_after",
    "attack_before",
    "attack_after",
)
# How far (in characters) an incident word reaches for its perpetrator.
_PROXIMITY_CHARS = 120


@dataclass(frozen=True, slots=True)
class _Entry:
    name: str
    kind: str
    country: str | None
    by_country: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class _Alias:
    entry: _Entry
    role: str | None  # a role the alias itself fixes


@dataclass(frozen=True, slots=True)
class _Short:
    entries: tuple[_Entry, ...]  # the actors a short name may stand for, in lexicon order


@dataclass(slots=True)
class _ActorTables:
    # Names and cue words in one matcher (payload: _Alias, _Short or a set of cue kinds), so an
    # article is read in one pass; no alias starts with a cue word, so they do not compete.
    names: PhraseMatcher
    block: frozenset[str]
    blocking_prefixes: tuple[str, ...]
    conjunctions: tuple[str, ...]


@cache
def _tables(lang: str) -> _ActorTables:
    data = langdata.load(lang, "actors")
    morph = morphology(lang)
    names = PhraseMatcher(lang, morph)
    shorts: dict[str, list[_Entry]] = {}
    for item in data.get("actors", []):
        entry = _Entry(
            item["name"], item["kind"], item.get("country"), tuple(sorted(item.get("by_country", {}).items()))
        )
        forbid = item.get("forbid_prefixes", ())
        for alias in item.get("aliases", []):
            text, role = (alias["text"], alias.get("role")) if isinstance(alias, dict) else (alias, None)
            names.add(text, _Alias(entry, role), forbid_prefixes=forbid)
        for short in item.get("short", []):
            shorts.setdefault(short, []).append(entry)
    for short, entries in shorts.items():
        names.add(short, _Short(tuple(entries)))
    cue_data = data.get("cues", {})
    # A word may be several cues ("said" before and after an actor): one entry, a set of kinds.
    cue_kinds: dict[str, set[str]] = {}
    for kind in _CUE_KINDS:
        for phrase in cue_data.get(kind, []):
            cue_kinds.setdefault(phrase, set()).add(kind)
    for phrase, kinds in cue_kinds.items():
        names.add(phrase, frozenset(kinds))
    fold = (
        (lambda s: normalize_name(lang, s).casefold()) if morph.cased else (lambda s: normalize_name(lang, s))
    )
    return _ActorTables(
        names=names,
        block=word_set(lang, cue_data.get("block", [])),
        blocking_prefixes=tuple(fold(p) for p in cue_data.get("blocking_prefixes", [])),
        conjunctions=morph.conjunctions,
    )


def _doc_country(doc: Doc, entries: list[_Entry]) -> str | None:
    """The article's country: the most frequent among its places and its named actors."""
    # A plain dict, not a Counter: no Python-level __missing__ call per new key. max() keeps the
    # first of equal counts in insertion order, as Counter.most_common(1) does.
    votes: dict[str, int] = {}
    for p in doc.places:
        if p.country_code and p.role != "actor":
            votes[p.country_code] = votes.get(p.country_code, 0) + 2
    for e in entries:
        # Foreign forces fight abroad (Russian jets over Syria): their country weighs less than
        # that of local bodies (an observatory, a ministry, a rebel group).
        if e.country and e.kind != "country":
            votes[e.country] = votes.get(e.country, 0) + (1 if e.kind == "state_forces" else 2)
    return max(votes, key=votes.__getitem__) if votes else None


@dataclass(slots=True, init=False)
class _Mention:
    i: int
    j: int
    strip: int
    prefix: str
    entry: _Entry
    role: str | None

    def __init__(self, i: int, j: int, strip: int, prefix: str, entry: _Entry, role: str | None) -> None:
        self.i = i
        self.j = j
        self.strip = strip
        self.prefix = prefix
        self.entry = entry
        self.role = role


class _Roles:
    """Cue lookups for one document.

    A cue reaches the word positions of its window, within its sentence. A mention asks "which
    cues are active where I start / end?": the few cues that can reach a position are looked up
    by their end (or start) around it, only for the mentions that ask (most articles name a few
    actors but hold many cue words such as "said").
    """

    def __init__(self, toks: Toks, cue_hits: list[Match]) -> None:
        self.sents = toks.sents
        self.n = len(toks)
        self.by_end: dict[int, list[Match]] = {}
        self.by_start: dict[int, list[Match]] = {}
        for m in cue_hits:
            self.by_end.setdefault(m.j, []).append(m)
            self.by_start.setdefault(m.i, []).append(m)

    def before(self, p: int) -> set[str] | frozenset[str]:
        """Kinds of the cues whose window after them covers word ``p`` (same sentence)."""
        if p >= self.n:
            return _NO_CUES
        sents = self.sents
        out: set[str] | None = None
        for end in range(p, max(0, p - _MAX_WINDOW) - 1, -1):
            for m in self.by_end.get(end, ()):
                if sents[p] != sents[m.i]:
                    continue
                for kind in m.payload:
                    if kind in _WINDOW and p - end <= _WINDOW[kind]:
                        if out is None:
                            out = set()
                        out.add(kind)
        return out if out is not None else _NO_CUES

    def after(self, p: int) -> set[str] | frozenset[str]:
        """Kinds of the cues right after a mention that ends at ``p`` (its last word ``p - 1``)."""
        if p == 0:
            return _NO_CUES
        sents = self.sents
        out: set[str] | None = None
        for start in range(p, min(self.n, p + _MAX_AFTER_WINDOW + 1)):
            for m in self.by_start.get(start, ()):
                if sents[p - 1] != sents[m.i]:
                    continue
                for kind in m.payload:
                    if kind not in _WINDOW and start - p <= _AFTER_WINDOW[kind]:
                        if out is None:
                            out = set()
                        out.add(kind)
        return out if out is not None else _NO_CUES


_NO_CUES: frozenset[str] = frozenset()


def _cue_role(m: _Mention, roles: _Roles) -> str | None:
    """The role the words around a mention give it (steps 1-7 of the module docstring)."""
    if m.role:
        return m.role
    kind = m.entry.kind
    before = roles.before(m.i)
    after = roles.after(m.j)
    for cue, role in (
        ("backer", "backer"),
        ("by", "perpetrator"),
        ("according", "source"),
        ("target", "target"),
    ):
        if cue in before:
            return role
    if (kind in ARMED_KINDS or kind == "country") and ("attack_before" in before or "attack_after" in after):
        return "perpetrator"
    if kind in SOURCE_KINDS or "report_before" in before or "report_after" in after:
        return "source"
    return None


def _blocked(m: _Mention, toks: Toks, tables: _ActorTables) -> bool:
    """The mention is the object of a preposition (بين جيش الإسلام, لجيش الإسلام, "with the army")."""
    prefix = m.prefix
    for c in tables.conjunctions:
        if prefix.startswith(c):
            prefix = prefix[len(c) :]
            break
    if prefix and prefix.startswith(tables.blocking_prefixes):
        return True
    return m.i > 0 and toks.key[m.i - 1] in tables.block and toks.sents[m.i - 1] == toks.sents[m.i]


def find_actors(doc: Doc) -> None:
    """Append an :class:`Actor` for every actor or source named in ``doc`` (see the module doc)."""
    tables = _tables(doc.lang)
    toks = doc_tokens(doc)
    hits = tables.names.find(toks)
    if not hits:
        return
    cue_hits = [h for h in hits if isinstance(h.payload, frozenset)]
    full = [h.payload.entry for h in hits if isinstance(h.payload, _Alias)]
    named = {e.name for e in full}
    mentions: list[_Mention] = []
    for h in hits:
        if isinstance(h.payload, _Alias):
            mentions.append(_Mention(h.i, h.j, h.strip, h.prefix, h.payload.entry, h.payload.role))
        elif isinstance(h.payload, _Short):
            # A short name stands for the full actor the article has named ("المرصد" after
            # "المرصد السوري لحقوق الإنسان"); otherwise it is too vague to keep.
            entry = next((e for e in h.payload.entries if e.name in named), None)
            if entry is not None:
                mentions.append(_Mention(h.i, h.j, h.strip, h.prefix, entry, None))
    if not mentions:
        return
    country = _doc_country(doc, full)
    roles = _Roles(toks, cue_hits)
    sents = [toks.sents[m.i] for m in mentions]
    decided = [_cue_role(m, roles) for m in mentions]
    _roles_by_proximity(doc, toks, tables, mentions, sents, decided)
    for m, role in zip(mentions, decided, strict=True):
        name = (
            dict(m.entry.by_country).get(country or "", m.entry.name) if m.entry.by_country else m.entry.name
        )
        start, end, text = orig(doc, toks, m.i, m.j, m.strip)
        doc.actors.append(Actor(start, end, text, name, m.entry.kind, role or "other"))


def _roles_by_proximity(
    doc: Doc,
    toks: Toks,
    tables: _ActorTables,
    mentions: list[_Mention],
    sents: list[int],
    decided: list[str | None],
) -> None:
    """Step 8: each incident word's nearest armed actor in its sentence is its perpetrator.

    Actors already made perpetrators by a cue compete too (and win when nearer), so that a second
    armed group further along the sentence is not made the perpetrator of the first one's act.
    """
    armed = [
        k
        for k, m in enumerate(mentions)
        if decided[k] in (None, "perpetrator")
        and m.entry.kind in ARMED_KINDS
        and not _blocked(m, toks, tables)
    ]
    if not doc.events or all(decided[k] for k in armed):
        return
    norm_of = doc.norm_to_orig
    by_sentence: dict[int, list[int]] = {}
    for k in armed:  # mention indices, in text order
        by_sentence.setdefault(sents[k], []).append(k)
    # Only sentences where some armed actor is still undecided need their incident words read.
    open_sentences = {s for s, ks in by_sentence.items() if any(decided[k] is None for k in ks)}
    starts = {s: [mentions[k].i for k in ks] for s, ks in by_sentence.items() if s in open_sentences}
    tok_sents = toks.sents
    for e in doc.events:
        # The event's first token, from its original offset.
        norm_pos = bisect_left(norm_of, e.start) if norm_of else e.start
        ti = max(0, bisect_right(toks.start, norm_pos) - 1)
        s = tok_sents[ti]
        if s not in open_sentences:
            continue
        # The nearest armed actors before and after the incident word are the only contenders
        # (bounded work, even for one huge sentence).
        at = bisect_left(starts[s], ti)
        best = None
        for k in by_sentence[s][max(0, at - 2) : at + 2]:
            m = mentions[k]
            a, b = (m.j - 1, ti) if m.i < ti else (ti, m.i)
            distance = toks.start[b] - toks.end[a]
            if distance > _PROXIMITY_CHARS:
                continue
            rank = (not toks.same_clause(a, b), distance)  # same clause first, then the nearest
            if best is None or rank < best[0]:
                best = (rank, k)
        if best is not None and decided[best[1]] is None:
            decided[best[1]] = "perpetrator"


def canonical_actors(doc: Doc) -> list[Actor]:
    """The document's actors, one per (name, role), in order of first mention."""
    seen: set[tuple[str, str]] = set()
    out: list[Actor] = []
    for a in doc.actors:
        key = (a.name, a.role)
        if key not in seen:
            seen.add(key)
            out.append(a)
    return out
