"""Is a sentence a report of a specific event that happened? The "report gate" of assemble.py.

An event word alone does not make a report: commentary ("a state where a former prime minister is
assassinated in broad daylight"), habitual or general descriptions ("women who are subjected to
rape and killing in the camps"), attributions and beliefs ("drones are believed to have carried
out those attacks"), condemnations ("the Authority condemned ... an open massacre"), and tallies
("more than 140 suicide attacks last year", "55 ships attacked since January") use the same words
as a report. What a report has and they lack is an *anchor* in time or in the world: a day
("yesterday", a weekday, a date), a casualty figure, or a verb that says the event took place
("وقع", "نفذ", "تم"). So, for each sentence that would open an incident:

1. A trigger in the same clause as a *frame* that says the sentence is not a report (present
   habitual light verbs, beliefs, evaluations, condemnations, a refusal, before the trigger) or as
   a *period* ("in the past months" as near on either side, "since <month>" anywhere in the clause),
   right after it ("earlier": عمليات انتحارية سابقة), or opening the sentence ("يذكر أن": it is
   worth recalling that) opens nothing when
   the sentence has no anchor of time or casualties. With one ("the shelling the city is being
   subjected to since yesterday killed 5") it is still a report.
2. A number that directly counts the event words ("140 هجوما", "ثلاث سيارات ملغومة") makes a
   tally of events, not one event, unless the sentence names the day.
3. A *nominal* trigger (a listed verbal noun of modest confidence: اغتيال, مذبحة, المواجهات,
   رهينة; not an instrument such as قنبلة or الحجارة, whose verb is often unlisted) opens
   an incident only with an anchor: a day or week, casualties, a place introduced as the
   incident's location, or an occurrence verb in its clause (وقع, جرى, نفذ, تم ...).
4. A trigger in a *list* of kinds of violence, a chain of at least three single words joined by
   و with another listed kind in it ("للقتل والتدمير والموت", "جرائم القتل والاغتصاب والسطو"),
   names what charges, rhetoric and reports are about, not an event: with no day, week or
   casualty figure it opens nothing. Crowd triggers are left alone: a crowd's people and what it
   throws come in lists too ("الزجاجات الحارقة والحجارة").

The lexicon is the ``report_gate`` block of ``lang/<code>/events.json``; a language without it
(English so far) is not gated.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache

from streams.extract import lang as langdata
from streams.extract.doc import Count, DateMention, Doc, EventMention, Place
from streams.extract.events import PhraseMatcher, Toks, doc_tokens, morphology
from streams.extract.normalize import normalize_name

# Clitics a listed noun may carry (the lexicon lists bare forms: مواجهات, اغتيال).
_NOMINAL_PREFIXES = ("ال", "وال", "فال", "بال", "لل", "و", "ف", "ب", "ل")
# Date precisions that anchor a sentence in time ("yesterday", "on Monday", "last week").
_ANCHOR_PRECISIONS = frozenset({"day", "week"})
_CASUALTY_KINDS = frozenset({"killed", "injured"})
# Crowd events name their people and what they throw in lists ("بين رجال الشرطة والمتظاهرين
# والمارة", "الزجاجات الحارقة والحجارة والزجاجات"): rule 4 leaves their triggers.
_CROWD_TYPES = frozenset({"protest", "riot"})


@dataclass(frozen=True, slots=True)
class _Gate:
    frames: PhraseMatcher  # payload "frame" or "occurrence"
    frame_window: int  # words between a frame cue's end and the trigger
    near_window: int  # the same for a near frame (a refusal governs only the next words)
    nominal_below: float  # triggers under this confidence need an anchor ...
    nominal: frozenset[str]  # ... when they are verbal nouns of the event (not its instruments)
    counted: frozenset[str]  # first words of triggers that a number counts as events ("هجوما")
    list_min: int  # words in a chain "X وY وZ" that make a trigger in it one kind of a list (0: off)
    joiner: str  # the conjunction written onto the next word of a list ("و")
    list_words: frozenset[str]  # kinds of violence a list names (القتل، التعذيب، الاغتصاب), with clitics
    subject_endings: tuple[str, ...]  # endings of a crowd's people as a subject (المتظاهرون, not المتظاهرين)


@cache
def _gate(lang: str) -> _Gate | None:
    """The report-gate lexicon of ``lang`` (None: the language is not gated)."""
    block = langdata.load(lang, "events").get("report_gate")
    if not block:
        return None
    matcher = PhraseMatcher(lang, morphology(lang))
    for phrase in block.get("frames", []):
        matcher.add(phrase, "frame")
    # "since <month>" ("منذ يناير 2008"): a period, whatever the month.
    months = langdata.load(lang, "dates").get("months", {})
    for before in block.get("period_before_month", []):
        for month in months:
            matcher.add(f"{before} {month}", "since")
    for phrase in block.get("near_frames", []):
        matcher.add(phrase, "near_frame")
    for phrase in block.get("opening_frames", []):
        matcher.add(phrase, "opening")
    for phrase in block.get("after_frames", []):
        matcher.add(phrase, "after")
    for phrase in block.get("periods", []):
        matcher.add(phrase, "period")
    for phrase in block.get("occurrence", []):
        matcher.add(phrase, "occurrence")
    return _Gate(
        frames=matcher,
        frame_window=int(block.get("frame_window", 6)),
        near_window=int(block.get("near_window", 2)),
        nominal_below=float(block.get("nominal_below", 0.0)),
        nominal=_forms(lang, block.get("nominal", [])),
        counted=_forms(lang, block.get("counted_events", [])),
        list_min=int(block.get("list_min", 0)),
        joiner=str(block.get("list_joiner", "")),
        list_words=_forms(lang, block.get("list_words", [])),
        subject_endings=tuple(normalize_name(lang, w) for w in block.get("crowd_subject_endings", [])),
    )


def _forms(lang: str, words: list[str]) -> frozenset[str]:
    """Normalized words with the definite article and the clitics و ف ب ل (والمواجهات, بالاغتيال)."""
    out = set()
    for w in words:
        base = normalize_name(lang, w)
        out.add(base)
        out.update(normalize_name(lang, p + w) for p in _NOMINAL_PREFIXES)
    return frozenset(out)


def _first_word(doc: Doc, event: EventMention) -> str:
    words = event.text.split()
    return normalize_name(doc.lang, words[0]) if words else ""


def token_at(doc: Doc, toks: Toks, orig_offset: int) -> int:
    """The index of the token that holds the original offset ``orig_offset`` (a trigger's span may
    start inside its word, after a clitic: والقصف)."""
    norm = bisect_left(doc.norm_to_orig, orig_offset) if doc.norm_to_orig else orig_offset
    return max(0, min(bisect_right(toks.start, norm) - 1, len(toks) - 1))


def is_gated(lang: str) -> bool:
    """True when ``lang`` has a report-gate lexicon."""
    return _gate(lang) is not None


def unreported(
    doc: Doc,
    sentence: int,
    live: list[EventMention],
    counts: list[Count],
    dates: list[DateMention],
    places: list[Place],
) -> list[EventMention]:
    """The triggers of ``live`` (one sentence's live mentions) that do not report an event
    (module docstring, rules 1-4); the caller drops them before opening an incident."""
    gate = _gate(doc.lang)
    if gate is None or not live:
        return []
    # Only a day on or before publication anchors; a later one ("next Friday") makes a plan.
    published = doc.published
    past = [d for d in dates if d.value is not None and (published is None or d.value <= published)]
    future = [d for d in dates if d.value is not None and published is not None and d.value > published]
    timed = any(d.precision in _ANCHOR_PRECISIONS for d in past)
    days = any(d.precision == "day" for d in past)
    # A figure read off the trigger itself ("اغتيال" = one killed) anchors nothing.
    spans = [(e.start, e.end) for e in live]
    casualties = any(
        c.kind in _CASUALTY_KINDS and not c.cumulative and not any(c.start < e and s < c.end for s, e in spans)
        for c in counts
    )
    toks = doc_tokens(doc)
    hits = gate.frames.find(toks, sentences={sentence})
    frames = [(m, gate.frame_window) for m in hits if m.payload == "frame"]
    frames += [(m, gate.near_window) for m in hits if m.payload == "near_frame"]
    # "يذكر أن ..." (it is worth recalling that), "تحدث التقرير عن ...": the whole sentence is background.
    first = toks.sentence_tokens(sentence)[0]
    opening = any(m.i - first <= 1 for m in hits if m.payload == "opening")
    after = [m.i for m in hits if m.payload == "after"]
    periods = [m.i for m in hits if m.payload == "period"]
    since = [m.i for m in hits if m.payload == "since"]
    occurrences = [m.i for m in hits if m.payload == "occurrence"]
    located = any(p.role == "incident_location" for p in places)
    out: list[EventMention] = []
    for e in live:
        i = token_at(doc, toks, e.start)
        if not (timed or casualties) and not _crowd_subject(doc, e, gate) and any(
            m.j <= i and i - m.j <= window and toks.same_clause(m.i, i) for m, window in frames
        ):
            out.append(e)  # rule 1: a frame, and nothing that dates or tolls the event
            continue
        j = token_at(doc, toks, e.end - 1)
        if not (timed or casualties) and (
            opening or any(0 < k - j <= gate.near_window and toks.same_clause(j, k) for k in after)
        ):
            out.append(e)  # rule 1: background opening, or "earlier attacks" (عمليات انتحارية سابقة)
            continue
        if not casualties and any(toks.same_clause(token_at(doc, toks, d.start), i) for d in future):
            out.append(e)  # rule 1: a day after publication in its clause: planned, not happened
            continue
        if not (timed or casualties) and (
            any(abs(k - i) <= gate.frame_window and toks.same_clause(k, i) for k in periods)
            or any(toks.same_clause(k, i) for k in since)
        ):
            out.append(e)  # rule 1: "in the first three months of the year", "since January"
            continue
        if not days and _counted(doc, e, gate.counted):
            out.append(e)  # rule 2: "ثلاث سيارات ملغومة", "140 هجوما انتحاريا"
            continue
        if not (timed or casualties) and gate.list_min and e.type not in _CROWD_TYPES and _listed(toks, i, j, gate):
            out.append(e)  # rule 4: "تطهير عرقي وسجن وقتل وتهجير": a kind in a list of abuses
            continue
        if e.confidence < gate.nominal_below and _first_word(doc, e) in gate.nominal and not (
                timed or casualties or located) and not any(
            toks.same_clause(k, i) for k in occurrences
        ):
            out.append(e)  # rule 3: a bare verbal noun with no anchor
    return out


def _crowd_subject(doc: Doc, event: EventMention, gate: _Gate) -> bool:
    """True when ``event`` names a crowd's people in the form of a subject ("اتهم المتظاهرون",
    "اعتبر المحتجون"): the frame verb is what the protesters said or did, so it does not make their
    protest a belief or a charge; the object form ("اتهم المتظاهرين": accused the protesters) is
    still governed."""
    if event.type not in _CROWD_TYPES or not gate.subject_endings:
        return False
    return _first_word(doc, event).endswith(gate.subject_endings)


def _listed(toks: Toks, i: int, j: int, gate: _Gate) -> bool:
    """True when the trigger's words ``i``..``j`` stand in a chain of at least ``list_min`` single
    words joined by the conjunction written onto each next word ("للقتل والتدمير والموت",
    "اضطهاد وتعذيب واغتصاب وقتل"), another of them a listed kind of violence (``list_words``): a
    list names kinds of violence, not one event that happened. The second kind tells a list from
    a trigger before words that only start with the letter و ("خطف وكيل وزارة النفط")."""
    joiner, kinds = gate.joiner, gate.list_words
    key, start, end, norm = toks.key, toks.start, toks.end, toks.norm

    def joined(k: int) -> bool:
        # Word k is the conjunction and a word (not a word that starts with the letter: وسط is one
        # word, but nothing tells them apart but length), right after word k - 1 with only a space.
        w = key[k]
        return len(w) > len(joiner) + 2 and w.startswith(joiner) and norm[end[k - 1]:start[k]].isspace() and (
            toks.sents[k - 1] == toks.sents[k])

    n = 1  # the trigger, however many words it has, is one item
    events = 1
    k = i
    while k > 0 and joined(k):
        n += 1
        k -= 1
        events += int(key[k] in kinds)
    k = j + 1
    while k < len(key) and joined(k):
        n += 1
        events += int(key[k] in kinds)
        k += 1
    return n >= gate.list_min and events >= 2


def occurs(doc: Doc, sentence: int, event: EventMention) -> bool:
    """Whether an occurrence verb ("وقع", "جرى", "نفذ") stands in the clause of ``event``'s
    trigger: the sentence says the event took place (False in a language without a gate)."""
    gate = _gate(doc.lang)
    if gate is None:
        return False
    toks = doc_tokens(doc)
    i = token_at(doc, toks, event.start)
    return any(
        m.payload == "occurrence" and toks.same_clause(m.i, i) for m in gate.frames.find(toks, sentences={sentence})
    )


def _counted(doc: Doc, event: EventMention, nouns: frozenset[str]) -> bool:
    """True when a number of two or more directly precedes a trigger that names events ("140
    هجوما", not "3 صواريخ": rockets are the munitions of one event)."""
    if _first_word(doc, event) not in nouns:
        return False
    for n in doc.numbers:
        if n.end <= event.start and event.start - n.end <= 2 and doc.text[n.end:event.start].strip() == "":
            return n.value >= 2 and n.unit_hint is None
    return False
