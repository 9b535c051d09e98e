"""Counts: tie each number to what it counts and to whom.

:func:`find_counts` reads ``doc.numbers`` (see :mod:`streams.extract.numbers`) and appends a
:class:`~streams.extract.doc.Count` for every figure that counts people or things:

- **what**: the noun after the number ("40 civilians", "أربعين مدنيا", "50 غارة", "three
  warplanes"), refined by an adjective ("طائرات حربية" = warplanes) or a "من/of" phrase
  ("12 قتيلا من المدنيين");
- **what happened**: the noun itself ("قتيلا", "dead", "غارة"), else a cue after the noun ("were
  killed", "قتلوا") or before the number ("مقتل", "killed", "wounding"), the nearer winning; else
  the figure it is coordinated with ("killed 12 soldiers and 30 civilians");
- **numberless figures**: the Arabic dual ("طائرتين" = 2 aircraft, "قتيلان" = 2 killed) and a
  singular after a breakdown word ("including a child", "بينهم طفل");
- **breakdowns**: a figure after "among them"/"including"/"بينهم"/"منهم" is a part of the figure
  before it and goes into that count's ``breakdown`` ("40 civilians, among them 8 children" is
  one count of 40, never 48);
- **cumulative totals**: cue words near the figure ("خلاله", "منذ بدء", "since the start of the
  war", "bringing the death toll to") set ``cumulative``.

The algorithm is language-independent: a window of words around each number and dict lookups
in tables compiled once per language from ``lang/<lang>/counts.json`` (clitic variants of every
entry expanded at load time, so Arabic "وطائرتين" or "المدنيين" cost one lookup).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache

from streams.extract import lang as langdata
from streams.extract.doc import Count, Doc
from streams.extract.normalize import normalize_name
from streams.extract.numbers import Items, PhraseTable, clitic_variants, gap_has_break, norm_words, word_items


@dataclass(frozen=True, slots=True)
class _Noun:
    kind: str | None
    victims: str | None
    unit: str | None


@dataclass(frozen=True, slots=True)
class _Tables:
    nouns: PhraseTable  # payload _Noun
    duals: dict[str, tuple[_Noun, int]]  # surface -> (noun, clitic length)
    singulars: PhraseTable  # payload _Noun
    modifiers: PhraseTable  # payload (unit, kinds)
    victims_of: frozenset[str]
    cues_before: PhraseTable  # payload kind
    cues_after: PhraseTable
    breakdown: PhraseTable
    breakdown_after: PhraseTable  # written right after the part's number ("10 of them", "10 منهم")
    refinable: frozenset[str]  # victims a "من/of" phrase may name more precisely ("عناصر من الشرطة")
    cumulative: PhraseTable
    short_periods: frozenset[str]  # a cumulative cue before such a duration is a daily toll
    barriers: frozenset[str]
    noun_fillers: frozenset[str]
    after_fillers: frozenset[str]
    joiners: frozenset[str]
    joiner_prefixes: tuple[str, ...]
    articles: frozenset[str]
    stop_words: frozenset[str]  # first words of cues: a noun is never looked for across them
    implicit_keys: frozenset[str]  # words that may make a numberless figure (duals, breakdown word ends)
    scan_keys: frozenset[str]  # implicit_keys and the last words of cumulative cues
    left: int
    right: int
    noun_gap: int
    after_gap: int
    breakdown_parent: int
    cumulative_left: int
    cumulative_right: int


@cache
def _tables(lang: str) -> _Tables:
    data = langdata.load(lang, "counts")
    clit = data.get("clitics", {})
    prefixes = sorted((normalize_name(lang, p) for p in clit.get("prefixes", [])), key=len, reverse=True)
    min_stem = int(clit.get("min_stem", 3))

    def nw(s: str) -> str:
        return normalize_name(lang, s).lower()

    def table(entries: list[tuple[str, object]], with_clitics: bool = True) -> PhraseTable:
        return PhraseTable(((norm_words(lang, s), p) for s, p in entries), prefixes if with_clitics else (), min_stem)

    noun_entries: list[tuple[str, object]] = []
    sg_entries: list[tuple[str, object]] = []
    sg_by_noun: list[tuple[str, _Noun]] = []
    for e in data.get("nouns", {}).get("entries", []):
        noun = _Noun(e.get("kind"), e.get("victims"), e.get("unit"))
        for f in e.get("forms", []):
            noun_entries.append((f, noun))
        for f in e.get("sg", []):
            noun_entries.append((f, noun))
            sg_entries.append((f, noun))
            sg_by_noun.append((nw(f), noun))
    nouns = table(noun_entries)

    # Duals come from singulars; a form that is also a listed noun form (مدنيين: plural) stays that.
    duals: dict[str, tuple[_Noun, int]] = {}
    endings = [(nw(a), nw(b)) for a, b in data.get("dual", {}).get("endings", [])]
    for sg, noun in sg_by_noun:
        if " " in sg:
            continue
        for sg_end, du_end in endings:
            if sg_end and not sg.endswith(sg_end):
                continue
            form = sg[: len(sg) - len(sg_end)] + du_end
            for surface, plen in clitic_variants(form, prefixes, min_stem):
                if surface not in nouns.by_first:
                    duals.setdefault(surface, (noun, plen))

    mod_entries = []
    for e in data.get("modifiers", {}).get("entries", []):
        payload = (e["unit"], frozenset(e.get("kinds", [])))
        mod_entries.extend((f, payload) for f in e.get("forms", []))

    before_entries: list[tuple[str, object]] = []
    after_entries: list[tuple[str, object]] = []
    for kind, cues in data.get("cues", {}).items():
        if not isinstance(cues, dict):
            continue  # the "about" note
        before_entries.extend((c, kind) for c in cues.get("before", []))
        after_entries.extend((c, kind) for c in cues.get("after", []))
    cues_before = table(before_entries)
    cues_after = table(after_entries)
    fillers = data.get("fillers", {})
    win = data.get("windows", {})
    breakdown = table([(w, True) for w in data.get("breakdown", {}).get("words", [])])
    singulars = table(sg_entries)
    cumulative = table([(w, True) for w in data.get("cumulative", {}).get("words", [])])
    # Phrases are found by their last word ("من بينهم" by "بينهم"): first words are often common
    # prepositions (من، في، على) that would send every sentence through the slow path.
    implicit_keys = frozenset(duals) | (breakdown.enders if singulars else frozenset())
    return _Tables(
        nouns=nouns,
        duals=duals,
        singulars=singulars,
        modifiers=table(mod_entries),
        victims_of=frozenset(nw(w) for w in data.get("victims_of", {}).get("words", [])),
        cues_before=cues_before,
        cues_after=cues_after,
        breakdown=breakdown,
        breakdown_after=table([(w, True) for w in data.get("breakdown", {}).get("after_number", [])], False),
        refinable=frozenset(data.get("victims_of", {}).get("refine", ["people"])),
        cumulative=cumulative,
        short_periods=frozenset(data.get("cumulative", {}).get("not_before", [])),
        barriers=frozenset(nw(w) for w in data.get("barriers", {}).get("words", [])),
        noun_fillers=frozenset(nw(w) for w in fillers.get("noun", [])),
        after_fillers=frozenset(w for f in fillers.get("after", []) for w in norm_words(lang, f)),
        joiners=frozenset(nw(w) for w in clit.get("joiners", [])),
        joiner_prefixes=tuple(nw(w) for w in clit.get("joiner_prefixes", [])),
        articles=frozenset(nw(w) for w in data.get("articles", [])),
        stop_words=frozenset(cues_before.by_first) | frozenset(cues_after.by_first),
        implicit_keys=implicit_keys,
        scan_keys=implicit_keys | cumulative.enders,
        left=int(win.get("left", 6)),
        right=int(win.get("right", 3)),
        noun_gap=int(win.get("noun_gap", 0)),
        after_gap=int(win.get("after_gap", 1)),
        breakdown_parent=int(win.get("breakdown_parent", 4)),
        cumulative_left=int(win.get("cumulative_left", 10)),
        cumulative_right=int(win.get("cumulative_right", 6)),
    )


@dataclass(slots=True)
class _Cand:
    """A figure to tie: its words [a, b), its normalized span and the noun when already known."""

    a: int
    b: int
    ns: int
    ne: int
    value: int | float
    low: int | float | None
    high: int | float | None
    qualifier: str
    noun: _Noun | None = None
    joined: bool = False  # written with a joiner prefix ("و30", "وخمس")


@dataclass(slots=True)
class _Placed:
    """A count already made, with where it ends (in words) and its sentence."""

    count: Count
    end: int
    sent: int
    parent: Count | None = None


class _Ctx:
    """Per-document state shared by the steps of :func:`find_counts`."""

    __slots__ = ("cum_pos", "doc", "figures", "hi", "hits", "items", "lo", "norm", "owner", "t")

    def __init__(self, doc: Doc, t: _Tables, items: Items, owner: list[int]):
        self.doc = doc
        self.t = t
        self.items = items
        self.norm = doc.norm
        self.owner = owner
        # One pass over the words finds every place a numberless figure or a cumulative cue may
        # start; the steps below only visit those.
        keys = t.scan_keys
        texts = items.texts
        self.hits = [k for k, w in enumerate(texts) if w in keys]
        last = t.cumulative.enders
        self.cum_pos = [k for k in self.hits if texts[k] in last]  # where a cumulative cue may end
        self.figures: list[int] = []  # first words of the countable figures, in order
        self.lo = 0
        self.hi = 0


def _candidates(ctx: _Ctx) -> list[_Cand]:
    """Countable numbers, duals and singulars after breakdown words, in text order."""
    doc, t, owner = ctx.doc, ctx.t, ctx.owner
    texts, starts, ends = ctx.items
    n2o = doc.norm_to_orig
    cands: list[_Cand] = []
    for idx, num in enumerate(doc.numbers):
        ns = bisect_left(n2o, num.start) if n2o else num.start
        ne = bisect_left(n2o, num.end) if n2o else num.end
        a = bisect_right(starts, ns) - 1
        b = bisect_left(starts, ne)
        if a < 0 or b <= a:
            continue
        for k in range(a, b):
            owner[k] = idx
        value = num.value
        if num.unit_hint is not None or value <= 0 or value != int(value):
            continue  # durations, dates, money...; "1.6 people" is not a count
        joined = ns > starts[a] and any(texts[a].startswith(p) for p in t.joiner_prefixes)
        ctx.figures.append(a)
        cands.append(_Cand(a, b, ns, ne, value, num.low, num.high, num.qualifier, joined=joined))
    ctx.figures.sort()
    n = len(texts)
    duals = t.duals
    # Only words that can be a dual or start a breakdown word are visited (a set test in C).
    keys = t.implicit_keys
    for k in ctx.hits:
        if owner[k] >= 0 or texts[k] not in keys:
            continue
        d = duals.get(texts[k])
        if d is not None:
            noun, plen = d
            joined = plen > 0 and any(texts[k].startswith(p) for p in t.joiner_prefixes)
            cands.append(_Cand(k, k + 1, starts[k] + plen, ends[k], 2, 2, 2, "exact", noun, joined))
            continue
        # A singular after a breakdown word: "including a child", "بينهم طفل".
        j = a = k + 1
        if j < n and texts[j] in t.articles:
            j += 1
        if j >= n or owner[j] >= 0 or texts[j] not in t.singulars.by_first:
            continue
        if t.breakdown.match_ending(texts, k + 1) is None:
            continue
        sg = t.singulars.match_at(texts, j)
        if sg is not None:
            cands.append(_Cand(a, j + sg[0], starts[a], ends[j + sg[0] - 1], 1, 1, 1, "exact", sg[1]))
    cands.sort(key=lambda c: c.a)
    return cands


def _find_noun(ctx: _Ctx, c: _Cand, k: int) -> tuple[_Noun | None, int]:
    """The noun a number counts, looked for from word ``k``, and the word after it (c.b when none)."""
    t, owner, norm, items = ctx.t, ctx.owner, ctx.norm, ctx.items
    texts = items.texts
    unknown = 0
    while k < ctx.hi:
        if gap_has_break(norm, items, k) or owner[k] >= 0:
            break
        m = t.nouns.match_at(texts, k, limit=ctx.hi) if texts[k] in t.nouns.by_first else None
        if m is not None:
            return m[1], k + m[0]
        w = texts[k]
        if w in t.noun_fillers:
            k += 1
            continue
        if w in t.barriers or w in t.joiners or w in t.stop_words or unknown >= t.noun_gap:
            break
        unknown += 1
        k += 1
    return None, c.b


def _refine(ctx: _Ctx, noun: _Noun, end: int) -> tuple[str | None, str | None, int]:
    """(unit, victims, end word) after looking right of the noun for an adjective or "من/of" + who."""
    t, owner, norm, items = ctx.t, ctx.owner, ctx.norm, ctx.items
    texts = items.texts
    unit, victims = noun.unit, noun.victims
    if t.modifiers:
        for k in (end, end + 1):
            if k >= ctx.hi or gap_has_break(norm, items, k) or owner[k] >= 0:
                break
            m = t.modifiers.match_at(texts, k, limit=ctx.hi)
            if m is not None and noun.kind in m[1][1]:
                unit, end = m[1][0], k + m[0]
                break
    if (victims is None or victims in t.refinable) and end < ctx.hi and texts[end] in t.victims_of:
        for k in (end + 1, end + 2):
            if k >= ctx.hi or gap_has_break(norm, items, k) or owner[k] >= 0:
                break
            m = t.nouns.match_at(texts, k, limit=ctx.hi)
            if m is not None:
                if m[1].victims:
                    victims, end = m[1].victims, k + m[0]
                break
    return unit, victims, end


def _right_cue(ctx: _Ctx, end: int) -> tuple[str, int, int] | None:
    """(kind, distance, end word) of a cue after the noun ("were killed", "قتلوا")."""
    t, owner, norm, items = ctx.t, ctx.owner, ctx.norm, ctx.items
    texts = items.texts
    k = end
    unknown = 0
    limit = min(ctx.hi, end + t.right + 2)
    while k < limit:
        if gap_has_break(norm, items, k) or owner[k] >= 0:
            return None
        m = t.cues_after.match_at(texts, k, limit=ctx.hi) if texts[k] in t.cues_after.by_first else None
        if m is not None:
            e = k + m[0]
            if e < ctx.hi and owner[e] >= 0 and not gap_has_break(norm, items, e):
                return None  # "... قتلوا 5": the cue belongs to the next number
            return m[1], k - end, e
        w = texts[k]
        if w not in t.after_fillers:
            if unknown >= t.after_gap or w in t.barriers or w in t.joiners:
                return None
            unknown += 1
        k += 1
    return None


def _left_cue(ctx: _Ctx, a: int) -> tuple[str, int, int, int] | None:
    """(kind, distance, first word, clitic length) of a cue before the number ("مقتل", "killed")."""
    t, owner = ctx.t, ctx.owner
    texts = ctx.items.texts
    lo = max(ctx.lo, a - t.left)
    p = a
    enders = t.cues_before.enders
    while p > lo:
        w = texts[p - 1]
        if w in enders:
            m = t.cues_before.match_ending(texts, p, lo=lo)
            if m is not None:
                return m[1], a - p, m[0], m[2]
        if owner[p - 1] >= 0 or w in t.barriers or w in t.joiners:
            return None  # "killed 1 and two others were arrested": "killed" is not theirs
        p -= 1
    return None


def _only_joiners(ctx: _Ctx, end: int, c: _Cand) -> bool:
    """True when nothing but "and"/"و"/a comma separates a previous figure (ending at ``end``) and ``c``."""
    if end > c.a:
        return False
    texts = ctx.items.texts
    if any(texts[k] not in ctx.t.joiners for k in range(end, c.a)):
        return False
    if end < c.a or c.joined:
        return True
    gap = ctx.norm[ctx.items.ends[end - 1] : ctx.items.starts[c.a]] if end > 0 else ""
    return "," in gap or "،" in gap


def _short_period(ctx: _Ctx, k: int) -> bool:
    """True when word ``k`` starts a short duration ("in the past 24 hours": a daily toll)."""
    if k >= len(ctx.owner) or ctx.owner[k] < 0:
        return False
    return ctx.doc.numbers[ctx.owner[k]].unit_hint in ctx.t.short_periods


def _is_cumulative(ctx: _Ctx, start: int, end: int) -> bool:
    """True when a cumulative cue stands near words [start, end) with no other figure in between.

    "killed 20 people, bringing the death toll to 300": the cue introduces 300, not 20.
    """
    cues = ctx.cum_pos  # last words of possible cumulative cues (usually none)
    if not cues:
        return False
    t, texts, figs = ctx.t, ctx.items.texts, ctx.figures
    lo = max(ctx.lo, start - t.cumulative_left)
    i = bisect_left(cues, start) - 1
    while i >= 0 and cues[i] >= lo:
        p = cues[i]
        if bisect_right(figs, p) != bisect_left(figs, start):
            break  # another figure stands between the cue and this one
        if t.cumulative.match_ending(texts, p + 1, lo=ctx.lo) is not None and not _short_period(ctx, p + 1):
            return True
        i -= 1
    hi = min(ctx.hi, end + t.cumulative_right)
    i = bisect_left(cues, end)
    while i < len(cues) and cues[i] < hi:
        p = cues[i]
        m = t.cumulative.match_ending(texts, p + 1, lo=end)
        if m is not None and not _short_period(ctx, p + 1):
            if bisect_left(figs, end) != bisect_left(figs, m[0]):
                return False  # another figure stands between this one and the cue
            # A cue right before another figure introduces that figure.
            return bisect_left(figs, p + 1) == bisect_left(figs, min(ctx.hi, p + 5))
        i += 1
    return False


def find_counts(doc: Doc) -> None:
    """Append a :class:`Count` to ``doc.counts`` for every figure tied to what it counts (see the module doc)."""
    t = _tables(doc.lang)
    items = word_items(doc)
    texts, starts, ends = items
    n = len(texts)
    if not n:
        return
    owner = [-1] * n
    ctx = _Ctx(doc, t, items, owner)
    cands = _candidates(ctx)
    if not cands:
        return
    sent_items = [bisect_left(starts, s) for s, _ in doc.sentences] or [0]
    last_top: _Placed | None = None
    last_part: _Placed | None = None  # the last breakdown, to chain "8 children and 5 women"
    consumed = 0  # words up to here belong to a count already made ("طائرتين مروحيتين": one dual)
    for c in cands:
        if c.a < consumed:
            continue
        si = bisect_right(sent_items, c.a) - 1
        ctx.lo = sent_items[si] if si >= 0 else 0
        ctx.hi = sent_items[si + 1] if si + 1 < len(sent_items) else n
        # "25 people, 10 of them children", "25 شخصا، 10 منهم أطفال": a part named after its number.
        post = None
        if c.noun is None and c.b < ctx.hi and texts[c.b] in t.breakdown_after.by_first:
            post = t.breakdown_after.match_at(texts, c.b, limit=ctx.hi)
        if c.noun is None:
            noun, end = _find_noun(ctx, c, c.b + (post[0] if post else 0))
        else:
            noun, end = c.noun, c.b
        unit = victims = None
        if noun is not None:
            unit, victims, end = _refine(ctx, noun, end)
        kind = noun.kind if noun is not None else None

        # A part of the figure before it: "بينهم ثمانية أطفال", "including a child".
        parent: _Placed | None = None
        part_start = c.a
        bd = None
        if c.a > 0 and texts[c.a - 1] in t.breakdown.enders:
            bd = t.breakdown.match_ending(texts, c.a, lo=max(ctx.lo, c.a - 4))
        if bd is not None or post is not None:
            cue = bd[0] if bd is not None else c.a
            if last_top is not None and last_top.sent == si and 0 <= cue - last_top.end <= t.breakdown_parent:
                parent = last_top
                part_start = cue
        elif (last_part is not None and last_part.sent == si and last_part.parent is not None
              and _only_joiners(ctx, last_part.end, c)
              and (kind is None or kind == last_part.parent.kind)):
            parent = _Placed(last_part.parent, last_part.end, si)
        if parent is not None and kind is None:
            kind = parent.count.kind

        start_word, start_plen = c.a, None
        if kind is None:
            right = _right_cue(ctx, end)
            left = _left_cue(ctx, c.a)
            if left is not None and (right is None or left[1] <= right[1]):
                kind, start_word, start_plen = left[0], left[2], left[3]
            elif right is not None:
                kind, end = right[0], right[2]
        if kind is None and last_top is not None and last_top.sent == si and _only_joiners(ctx, last_top.end, c):
            kind = last_top.count.kind  # "killed 12 soldiers and 30 civilians"
        if kind is None:
            continue
        consumed = end

        ns = starts[part_start] if parent is not None else c.ns
        if start_plen is not None:
            ns = min(ns, starts[start_word] + start_plen)
        ne = max(c.ne, ends[end - 1] if end > c.a else c.ne)
        o_start, o_end = doc.orig_span(ns, ne)
        # A part shares its whole's period; a whole looks for cumulative cues around itself.
        cumulative = parent.count.cumulative if parent is not None else _is_cumulative(ctx, c.a, end)
        count = Count(kind, c.value, c.low, c.high, c.qualifier, unit, victims, o_start, o_end,
                      doc.text[o_start:o_end], cumulative=cumulative)
        if parent is not None:
            p = parent.count
            p.breakdown.append(count)
            if o_end > p.end:
                p.end = o_end
                p.text = doc.text[p.start : p.end]
            last_part = _Placed(count, end, si, parent=p)
            if last_top is not None and last_top.count is p:
                last_top.end = max(last_top.end, end)
        else:
            doc.counts.append(count)
            last_top = _Placed(count, end, si)
            last_part = None
