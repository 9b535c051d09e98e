"""Assemble incidents from the annotations: group each sentence's facts by date, place and type.

How an analyst reads a report, turned into rules:

1. A sentence with an event mention (not background) opens a *candidate* incident.
2. Its date is the date written in that sentence, else the date of the story so far (the previous
   candidate's), else the publication date.
3. Its place is the most specific place of the sentence that is neither a reference point ("near
   Damascus") nor an actor ("backed by Russia"), else the place of the story so far, else the
   article's main place.
4. Sentences with counts but no event mention (the aircraft overhead, a toll in the next sentence)
   add their counts to the story's current candidate.
5. A sentence that gives a cumulative total ("more than 1600 killed during the offensive") is
   background: its event words do not open an incident and the total stays an article-level count.
   So is a sentence that tallies events ("the fourth time in less than a week") unless it names the
   day of its own, and a question ("who was behind the abduction?"): neither reports an event.
6. Candidates with the same date, place and type family merge into one incident; different
   families (an air raid and a ground operation the same day) stay apart.
7. Killed and injured come from the incident's counts: breakdowns ("among them 8 children") are
   never added; separate victim groups in one sentence are added; the same figure repeated in
   several sentences is taken once (the highest).
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache

from streams.extract import EXTRACTOR_VERSION
from streams.extract import lang as langdata
from streams.extract.doc import (
    ACROSS_BORDER,
    DEMONYM_COUNTRIES,
    Actor,
    Count,
    DateMention,
    Doc,
    EventMention,
    Place,
    round3,
)
from streams.extract.events import PhraseMatcher, doc_tokens, morphology, taxonomy, type_family, word_set
from streams.extract.places import place_of_entry, victim_country
from streams.extract.reportgate import is_gated, occurs, unreported

# Feature ranks: a more specific place is a better incident location.
_SPECIFICITY = {"city": 4, "region": 3, "admin2": 3, "admin1": 2, "country": 1}
_CASUALTY_KINDS = ("killed", "injured")
# Within a family, the main type is the most specific one the text gives. An attack outranks an
# arrest: "three were stabbed to death ...; a man was arrested" reports the stabbing.
_TYPE_PRIORITY = (
    "suicide_bombing", "bombing", "drone_strike", "airstrike", "shelling", "ground_assault", "armed_clash",
    "abduction", "sexual_violence", "armed_attack", "arrest", "riot", "protest", "looting_destruction",
    "territory_change", "other",
)
# How a blast was delivered: named more surely than the blast itself ("five mortar shells
# exploded", "explosions of aircraft bombs"), the delivery is the act and the explosion its effect.
_DELIVERY_TYPES = frozenset({"drone_strike", "airstrike", "shelling"})
# Types whose sure trigger in a sentence with no place or day of its own still opens an incident of
# its own when heavier than the story's (see _build_candidates): a weapon's strike or an offensive
# is a separate act, where a shooting or a clash in a riot is the riot's outcome.
_OWN_INCIDENT_TYPES = frozenset(_TYPE_PRIORITY[: _TYPE_PRIORITY.index("ground_assault") + 1])
# A type's position in _TYPE_PRIORITY (one dict lookup instead of a search through the tuple).
_TYPE_RANK = {t: rank for rank, t in reversed(list(enumerate(_TYPE_PRIORITY)))}
# Crowd events: with one of these, "clashes" are a riot, not an armed clash between armed groups.
_CROWD_TYPES = frozenset({"protest", "riot"})
# A crowd trigger this sure names the crowd ("protesters", "rioters"); a riot trigger this sure,
# other than how police dispersed the crowd (_dispersal: "tear gas"), says the crowd was violent.
_CROWD_SURE = 0.85
_CROWD_VIOLENCE = 0.7


@cache
def _dispersal() -> frozenset[str]:
    """The riot triggers that only say how police dispersed a crowd ("tear gas", "rubber bullets"),
    lower-cased, of every language (the ``crowd_dispersal`` cues of events.json): a property of the
    trigger text, so a candidate needs no language to test it."""
    return frozenset(
        p.lower() for lang in langdata.available_languages()
        for p in langdata.load(lang, "events").get("cues", {}).get("crowd_dispersal", {}).get("phrases", [])
    )
# A trigger this weak (a generic "attack") only types an incident together with other evidence.
_WEAK_TRIGGER = 0.5
# Below this a trigger is context, not the act ("riot police", قوات مكافحة الشغب, a bare "killed"):
# it gives the main type only when the incident has no better trigger.
_TYPING_TRIGGER = 0.45
# A trigger this sure names an act ("اعتقال", "protesters", "seized"): beside it, munitions named
# with less than a weak trigger's confidence (bombs, rockets, explosives) do not type the incident.
_SURE_ACT = 0.7
# The types whose weak triggers are munitions (bombs, rockets, explosives), not acts ("was shot").
_MUNITION_TYPES = frozenset({"bombing", "shelling", "airstrike", "drone_strike"})
# A sentence ending in a question mark (possibly before a closing quote) asks, it does not report.
_QUESTION_END = re.compile(r"[?؟][\s\"'»”’)\]]*$")
# How near (characters) a day must be to a weak trigger for it to open an incident without casualties.
_WEAK_DAY_CHARS = 50
# In a sentence that gives a cumulative total, only a trigger this specific still opens an incident.
_BACKGROUND_TRIGGER = 0.7
# Counts of one kind this close together, joined by "and" or a comma, are parts of one toll
# ("5 fighters, 2 women and a child"); farther apart they are separate figures.
_CONJOINED_GAP = 24
# An incident opened after the article's first one is a side report (a second attack elsewhere, the
# same day's shelling of another town): the lead is what the article reports, so a later incident
# needs clearly stronger evidence to outrank it.
_SIDE_REPORT = 0.8
# ... and one its sentence calls separate ("In a separate attack ...") is further from the story.
_SEPARATE = 0.75
# A trigger as weak as a bare "killed" still reports an incident for sure when the report gives a
# casualty figure, a day and a place of its own: "Bandits killed 30 villagers in Zamfara state on
# Sunday" is at least this credible.
_CORROBORATED = 0.6
# An "antecedent" cue ("hours after", "in retaliation for") this many words into its sentence or
# later introduces an earlier event; at the very start ("Two days after the truce, a bomb ...") it
# only dates the reported one.
_ANTECEDENT_MIN_WORDS = 3
# Characters between a killed toll and the abduction verb it precedes ("killed 32 people and
# abducted"): a toll this close is the same act's; one further back is another story's.
_KILLED_THEN_ABDUCTED = 12
_WORD = re.compile(r"\w+")


@cache
def _weak_day_words(lang: str) -> frozenset[str]:
    """Relative day words that give way to another day of their sentence ("overnight")."""
    return frozenset(w.lower() for w in langdata.load(lang, "dates").get("gives_way", []))


@cache
def _attacker_words(lang: str) -> frozenset[str]:
    """Words that name those who carried out an attack ("attackers"): see _toll."""
    return frozenset(langdata.load(lang, "counts").get("attackers", {}).get("words", []))


_JOINER = re.compile(r"(?:^|\s)(?:and|و)(?:\s|$)|^\s*و|[,،]", re.IGNORECASE)


@dataclass(slots=True, init=False)
class _Candidate:
    sentences: list[int]
    events: list[EventMention]
    date: DateMention | None
    date_inherited: bool
    location: Place | None
    counts: list[Count] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)

    def __init__(
        self, sentences: list[int], events: list[EventMention], date: DateMention | None, date_inherited: bool,
        location: Place | None, counts: list[Count] | None = None, actors: list[Actor] | None = None,
    ) -> None:
        self.sentences = sentences
        self.events = events
        self.date = date
        self.date_inherited = date_inherited
        self.location = location
        self.counts = [] if counts is None else counts
        self.actors = [] if actors is None else actors

    @property
    def family(self) -> str:
        return type_family(self.main_type)

    @property
    def main_type(self) -> str:
        # "riot police formed a cordon" around a peaceful march: the police unit is context.
        typing = [e for e in self.events if e.confidence >= _TYPING_TRIGGER] or self.events
        if any(e.confidence >= _SURE_ACT for e in typing):
            # "police fired bombs (القنابل) at the sit-in", "demonstrators, some armed with rocket
            # launchers", "pirates seized a ship carrying tanks and rockets": a munition named with
            # less than a weak trigger's confidence is an instrument or a cargo; beside a sure act
            # (the protest, the arrest, the seizure) it is not what happened.
            typing = [e for e in typing if e.confidence >= _WEAK_TRIGGER or e.type not in _MUNITION_TYPES]
        types = {e.type for e in typing} or {"other"}
        main = min(types, key=lambda t: _TYPE_RANK.get(t, len(_TYPE_PRIORITY)))
        if main == "bombing" and types & _DELIVERY_TYPES:
            blast = max(e.confidence for e in typing if e.type == "bombing")
            delivered = {e.type for e in typing if e.type in _DELIVERY_TYPES and e.confidence > blast}
            if delivered:
                main = min(delivered, key=_TYPE_PRIORITY.index)
        if types & _CROWD_TYPES and main != "arrest":
            best = {t: max(e.confidence for e in typing if e.type == t) for t in types}
            crowd_sure = max(best.get("protest", 0.0), best.get("riot", 0.0)) >= _CROWD_SURE
            dispersal = _dispersal()
            riots = [e for e in typing if e.type == "riot"]
            violent = any(e.confidence >= _CROWD_VIOLENCE and e.text.lower() not in dispersal for e in riots)
            first_crowd = min(e.start for e in typing if e.type in _CROWD_TYPES)
            if main == "armed_attack" and (crowd_sure or violent) and all(
                    e.start > first_crowd for e in typing if e.type == "armed_attack"):
                # "police fired live rounds at protesters ..., and five people were shot dead":
                # a killing told after the crowd event is its outcome, also across clauses (the
                # events component's context_types rule sees one clause only). An attack told
                # first stays one: "settlers attacked the villagers and pelted them with stones".
                return "riot" if violent else "protest"
            if main not in _CROWD_TYPES and best[main] <= _WEAK_TRIGGER and crowd_sure:
                # "thousands protested demanding a hostage deal": a weak word beside a sure crowd.
                return "riot" if violent else "protest"
            if (main == "riot" and best.get("protest", 0.0) >= _CROWD_SURE
                    and all(e.text.lower() in dispersal for e in riots)):
                # "marched ..., and police used tear gas to disperse them": a protest met by police.
                return "protest"
        if main == "looting_destruction" and not types & _CROWD_TYPES and any(
                c.kind == "killed" and not c.cumulative and c.value > 0 for c in self.counts):
            # "Gunmen set fire to 40 homes, killing 10 people": people killed make the burning
            # an attack (a riot's burning stays the riot's, above).
            return "armed_attack"
        if main == "armed_clash" and types & _CROWD_TYPES:
            # "clashes" in an incident whose actors are demonstrators ("25 wounded in new clashes
            # in Kashmir ... to disperse hundreds of demonstrators"): the clash is the riot, also
            # when the two words are in different clauses, which the events component's
            # same-clause context_types rule does not see.
            dispersal = _dispersal()
            if all(e.text.lower() in dispersal for e in typing if e.type in ("armed_clash", "riot")) and not any(
                    e.type == "riot" and e.confidence >= _CROWD_VIOLENCE for e in typing):
                # "girls tried to demonstrate ..., but the security forces confronted them (تصدت
                # لهن) and dispersed them": police blocking a crowd is a protest met by force.
                return "protest"
            return "riot"
        if main == "arrest" and "protest" in types and ("riot" in types or min(
                e.start for e in typing if e.type == "protest") < min(e.start for e in typing if e.type == "arrest")):
            # Arrests told after the demonstration ("protesters clashed with police ..., and 190 of
            # them were arrested"; police broke up demonstrators with clashes or tear gas): the
            # demonstration is the incident and the arrests its outcome (ACLED: protest with
            # intervention). Arrests told first stay the incident: "Cambodia arrested three
            # protesters", "police arrested the leader, sparking protests".
            return "protest"
        if main == "territory_change" and any(
                c.kind == "abducted" and not c.cumulative and c.value > 0 and c.start <= e.start < c.end
                for e in typing if e.type == "territory_change" for c in self.counts):
            # "Armed men seized 15 aid workers": the verb takes people, not a town; the abducted
            # toll it heads says so ("seized the town" is no toll of people).
            return "abduction"
        if main == "abduction" and self.counts:
            first_abduction = min(e.start for e in typing if e.type == "abduction")
            if any(c.kind == "killed" and not c.cumulative and c.value > 0
                   and 0 <= first_abduction - c.end <= _KILLED_THEN_ABDUCTED for c in self.counts):
                # "Raiders killed 32 people and abducted 15 children": people killed right before
                # the abduction is told make it an attack that also took captives (ACLED Attack);
                # "kidnapped 20 passengers after shooting dead the driver" stays an abduction.
                return "armed_attack"
        if main == "arrest" and "riot" in types:
            riots = [e for e in typing if e.type == "riot" and e.confidence >= _CROWD_VIOLENCE
                     and e.text.lower() not in _dispersal()]
            if riots and min(e.start for e in riots) < min(e.start for e in typing if e.type == "arrest"):
                # "Students and police clashed ..., leaving 12 injured and 30 arrested": the arrests
                # told after the violence are its outcome; "police arrested 30 rioters" stays an arrest.
                return "riot"
        if main == "arrest" and types & _CROWD_TYPES and any(
                c.kind in _CASUALTY_KINDS and not c.cumulative and c.value > 0 for c in self.counts):
            # "the strike day left 37 police and 55 demonstrators wounded, besides arrests of
            # workers": people were hurt in the crowd event, not by the arrests, so the crowd event
            # is the incident (no riot word: a protest met by force, as above).
            return "protest"
        return main


def _by_sentence(doc: Doc, items, sentence_of: dict[int, int]) -> dict[int, list]:
    """``items`` grouped by sentence; each item's sentence is also kept in ``sentence_of`` (by id),
    so that later steps look it up instead of searching the sentence starts again."""
    out: dict[int, list] = {}
    starts = doc.orig_sentence_starts()
    for item in items:
        index = bisect_right(starts, item.start) - 1
        if index < 0:
            index = 0
        sentence_of[id(item)] = index
        out.setdefault(index, []).append(item)
    return out


def _location_candidates(places: list[Place]) -> list[Place]:
    return [p for p in places if p.role not in ("reference_point", "actor")]


# What may stand between a town and the province or country that contains it: a leftover word of
# the town's name (capitalized, or an Arabic "al-" form), a comma, a word for a settlement with an
# article and up to two adjectives ("Paro, a remote village in Nduga regency", "Masala village in
# the Beni territory"), "in" or "of" ("Jisr al-Shughur, in Syria's Idlib province", "Wad al-Noura
# in Sudan's Gezira state").
_CONTAINER_GAP = re.compile(
    r"^\s*(?:(?:[A-Z][\w'-]*|(?:al|el|ad|an|ar|as|ash|at|az)-[\w'-]+)\s*)?,?\s*"
    r"(?:(?:(?:an?|the)\s+)?(?:[a-z][\w-]*\s+){0,2}?(?:village|town|hamlet|community|settlement|neighbou?rhood)\s+)?"
    r"(?:in|of)?\s*(?:the\s+)?$")


def _contradicted_towns(usable: list[Place], text: str) -> set[int]:
    """Ids of towns placed by the text in a province or country of another country than the
    gazetteer gave them: "Jisr al-Shughur, in Syria's Idlib province" read as an Israeli "Jisr ez
    Zarqa", "Wad al-Noura in Sudan's Gezira state" as a Russian "Vad". A province, or a country
    the sentence names again (with its province), is what the text says; the town's reading is
    wrong. A country named once may be the misreading ("Winder, Georgia" is not in the Caucasus)."""
    out: set[int] = set()
    ordered = sorted(usable, key=lambda p: p.start)
    named: dict[str, int] = {}
    for p in ordered:
        if p.country_code is not None:
            named[p.country_code] = named.get(p.country_code, 0) + 1
    for k, p in enumerate(ordered):
        if p.feature != "city" or p.country_code is None:
            continue
        for q in ordered[k + 1 : k + 3]:
            if q.country_code is None or q.country_code == p.country_code:
                continue
            # (a district, regency or territory holds the town as a province does: "Masala village
            # in the Beni territory of North Kivu province")
            container = q.feature in ("admin1", "admin2", "region") or (
                q.feature == "country" and named[q.country_code] > 1)
            if container and _CONTAINER_GAP.match(text[p.end : q.start]):
                out.add(id(p))
                break
    return out


# A wire dateline: the city in capitals, maybe its country and the filing day, maybe the agency,
# then a dash or a colon ("KABUL -", "BEIRUT (Reuters) -", "PESHAWAR, Pakistan (AP) -", "QUETTA:",
# "D.I. KHAN:", "MAIDUGURI, Nigeria, March 5 (Reuters) -").
_DATELINE = re.compile(r"\s*[A-Z][A-Z.'-]*(?: [A-Z.'-]+)*(?:, [A-Z][\w.' -]{0,30}?){0,2}\s*(?:\([^()]{1,40}\))?\s*[-\u2013\u2014:]\s")


def _dateline_end(doc: Doc) -> int:
    """Original offset where the article's dateline ends (0 when it has none): where the report
    was filed, not where anything happened."""
    m = _DATELINE.match(doc.text, 0, 120)
    return m.end() if m else 0


# "in this town northeast of Atlanta", "in this central city": wire copy pointing back at its
# dateline (English; looked for in the lead sentence only).
_DATELINE_DEIXIS = re.compile(r"\bthis (?:[\w-]+ ){0,2}?(?:town|city|village|port|capital|suburb)\b")


def _dateline_deixis(doc: Doc, dateline: int) -> tuple[int, Place] | None:
    """(sentence index, the dateline's place) when the lead sentence after a dateline ending at
    ``dateline`` says "in this town": that sentence's incident is in the filing city."""
    if not dateline:
        return None
    filed = [p for p in _location_candidates(doc.places) if p.start < dateline]
    if not filed:
        return None
    text = doc.text
    stop = text.find(". ", dateline, dateline + 400)
    m = _DATELINE_DEIXIS.search(text, dateline, stop if stop > 0 else dateline + 400)
    return (doc.orig_sentence_index(m.start()), filed[0]) if m else None


def _best_place(places: list[Place], text: str | None = None, dateline: int = 0) -> Place | None:
    usable = _location_candidates(places)
    if dateline and usable:
        # "BEIRUT - A drone strike near the southern city of Tyre": the filing city is the last
        # resort, after the landmark (unless the lead says "in this town": see _build_candidates).
        filed = [p for p in usable if p.start < dateline]
        if filed:
            usable = [p for p in usable if p.start >= dateline]
            if not usable and not any(p.role == "reference_point" for p in places):
                usable = filed
    if text is not None and len(usable) > 1:
        wrong = _contradicted_towns(usable, text)
        if wrong:
            usable = [p for p in usable if id(p) not in wrong]
    if not usable:
        # "A raid north of Baghdad": with no other place, the landmark is the best location an
        # analyst can code (ACLED codes to the nearest named place), at reduced confidence.
        usable = [p for p in places if p.role == "reference_point"]
    if not usable:
        return None
    # An explicit locative cue ("in", "في") beats a bare mention; then specificity; then a town inside
    # an area the sentence also names ("in the West Bank ... protesters in Ramallah" over "Hamas's
    # crimes in Gaza"; "the town of Baladruz in Diyala province" over a Baghdad of a summary clause);
    # then confidence.
    areas = {(p.country_code, p.admin1) for p in usable if p.feature in ("admin1", "region") and p.admin1}
    best = max(
        usable,
        key=lambda p: (p.role == "incident_location", _SPECIFICITY.get(p.feature, 0),
                       p.feature not in ("admin1", "region") and (p.country_code, p.admin1) in areas,
                       p.confidence, -p.start),
    )
    if best.feature in ("country", "admin1", "region"):
        # "near Abeche in eastern Chad", "غرب بغداد" in Iraq: a landmark inside the area locates the
        # incident better than the area (ACLED codes "near X" at X).
        inside = [p for p in places if p.role == "reference_point" and p.feature in ("city", "admin2", "region")
                  and p.country_code == best.country_code and (best.feature == "country" or p.admin1 == best.admin1)]
        if inside:
            return inside[0]
    if best.feature == "country":
        # "protests in Thailand closed Bangkok airport": a named place inside the country is more precise.
        inside = [p for p in usable if p.role == "mentioned" and p.feature != "country"
                  and p.country_code == best.country_code]
        if inside:
            return max(inside, key=lambda p: (_SPECIFICITY.get(p.feature, 0), p.confidence, -p.start))
    return best


def _refines(place: Place, story: Place | None) -> bool:
    """Whether ``place`` names a part of the country that is all ``story`` says of where."""
    return (story is not None and story.feature == "country" and place.feature != "country"
            and place.country_code is not None and place.country_code == story.country_code)


def _main_place(doc: Doc, dateline: int = 0) -> Place | None:
    """The place the article is about: the most often named usable place, most specific first (a
    dateline counts only when the article names no other place)."""
    usable = _location_candidates(doc.places)
    if dateline:
        usable = [p for p in usable if p.start >= dateline] or usable
    if not usable:
        return None
    freq: dict[int | str, int] = {}  # a plain dict: Counter's constructor costs more than the counting
    for p in usable:
        key = _place_key(p)
        freq[key] = freq.get(key, 0) + 1
    return max(usable, key=lambda p: (freq[_place_key(p)], _SPECIFICITY.get(p.feature, 0), -p.start))


def _place_key(p: Place) -> int | str:
    """What identifies a place among the article's: its geonameid, else its name. (A module
    function, not a lambda beside the one in _main_place: the compiled build would tie the two
    into a reference cycle that only the cycle collector frees.)"""
    return p.geonameid or p.name


def _same_place(a: Place | None, b: Place | None) -> bool:
    if a is None or b is None:
        return a is b
    return (a.geonameid, a.name) == (b.geonameid, b.name)


def _clusters(doc: Doc, counts: list[Count]) -> list[list[Count]]:
    """Split one sentence's counts (in text order) into conjoined groups: parts of one toll."""
    groups: list[list[Count]] = []
    for c in sorted(counts, key=lambda c: c.start):
        if groups:
            gap = doc.text[groups[-1][-1].end : c.start]
            if len(gap) <= _CONJOINED_GAP and (gap.strip() in ("", ",", "،") or _JOINER.search(gap)):
                groups[-1].append(c)
                continue
        groups.append([c])
    return groups


def _second_blasts(doc: Doc, groups: list[list[Count]], triggers: list[EventMention]) -> list[list[Count]]:
    """Join a sentence's toll groups that each follow an explosion of their own at one scene.

    "انفجرت السيارة اولا ... مما أسفر عن مقتل أربعة ...، ولدى وصول دوريات الشرطة الى المكان انفجرت
    عبوة ناسفة مما أسفر عن مقتل شرطي": a second device at the same scene makes one double bombing,
    its toll the sum (5). Each toll must be told after its own blast: a group joins the one before
    when a live explosion trigger stands between them, another stands before the first group (a
    toll told before its cause, "جرح اربعة ... في انفجار سيارة مفخخة، فيما قتل شخص في هجمات
    متفرقة", names its blast after it), and no place is named between them (a second town is a
    second bombing: "... وفي الموصل انفجرت").
    """
    blasts = [e.start for e in triggers if not e.background and type_family(e.type) == "explosions"]
    if len(blasts) < 2 or min(blasts) >= groups[0][0].start:
        return groups
    out = [groups[0]]
    for g in groups[1:]:
        lo, hi = out[-1][-1].end, g[0].start
        if any(lo <= b < hi for b in blasts) and not any(lo <= p.start < hi for p in doc.places):
            out[-1] = out[-1] + g
        else:
            out.append(g)
    return out


def _toll(counts: list[Count], kind: str, doc: Doc, triggers: list[EventMention],
          sentence_of: dict[int, int]) -> dict | None:
    """The headline figure of ``kind`` without double counting (see the module docstring, rule 7).

    In each sentence, conjoined counts are summed (separate victim groups of one toll); of several
    separate figures in one sentence, the one nearest the incident's trigger is the incident's
    ("42 soldiers killed in the bombing ... a raid that killed 80 last month"). Across sentences the
    highest figure is taken once: later sentences usually repeat or update the same toll.
    """
    per_sentence: dict[int, list[Count]] = {}
    for c in counts:
        if c.kind == kind and not c.cumulative:
            per_sentence.setdefault(sentence_of[id(c)], []).append(c)
    if len(per_sentence) > 1:
        # "after killing a police officer ... Three of the attackers were killed in a gunfight":
        # attackers killed by those they attacked are not the attack's toll when its victims have
        # a figure of their own (alone, "three attackers were killed" is still the only toll).
        attackers = _attacker_words(doc.lang)
        victims = {s: cs for s, cs in per_sentence.items()
                   if not attackers or any(attackers.isdisjoint(_WORD.findall(c.text.lower())) for c in cs)}
        if victims:
            per_sentence = victims
    if not per_sentence:
        return None
    # Triggers grouped by sentence once (scanning all of them per sentence was quadratic), and
    # only when a sentence has several groups to choose from.
    anchors_by_sentence: dict[int, list[int]] | None = None
    best: dict | None = None
    for sentence, sentence_counts in per_sentence.items():
        groups = _clusters(doc, sentence_counts)
        if len(groups) > 1:
            groups = _second_blasts(doc, groups, triggers)
        if len(groups) > 1 and anchors_by_sentence is None:
            anchors_by_sentence = {}
            for e in triggers:
                anchors_by_sentence.setdefault(sentence_of[id(e)], []).append(e.start)
        anchors = anchors_by_sentence.get(sentence, []) if anchors_by_sentence is not None else []
        if anchors and len(groups) > 1:
            group = min(groups, key=lambda g: min(abs(g[0].start - a) for a in anchors))
        else:
            group = max(groups, key=lambda g: sum(c.value for c in g))
        lows = [c.low if c.low is not None else c.value for c in group]
        highs = [c.high for c in group]
        qualifiers = {c.qualifier for c in group}
        toll = {
            "value": sum(c.value for c in group),
            "low": sum(lows),
            "high": sum(highs) if all(h is not None for h in highs) else None,  # type: ignore[arg-type]
            "qualifier": qualifiers.pop() if len(qualifiers) == 1 else "at_least",
        }
        if best is None or toll["value"] > best["value"]:
            best = toll
    return best


def _incident_id(article_id: str, position: int) -> str:
    return f"inc-{_id_digest(article_id)}-{position}"


@lru_cache(maxsize=16)
def _id_digest(article_id: str) -> str:
    """The hash part of an article's incident ids (computed once per article, not per incident)."""
    return hashlib.sha1(article_id.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _sentence_span(doc: Doc, index: int) -> dict:
    start, end = doc.sentences[index]
    o_start, o_end = doc.orig_span(start, end)
    return {"start": o_start, "end": o_end}


# Sentence-level cue kinds of events.json read here (not by the events component): a tally of
# events over a period, an accident or disaster that kills without an attack, a sentence that
# looks back at a past attack (an anniversary, a trial, a film about it), a sports report and a
# sentence citing a published report's findings, and a court's proceedings.
_SENTENCE_CUES = ("aggregate", "accident", "retrospective", "sport", "report", "court")


@cache
def _sentence_cue_matcher(lang: str) -> PhraseMatcher | None:
    """One matcher for the sentence-level cue kinds of ``lang``'s events.json (``_SENTENCE_CUES``)."""
    cues = langdata.load(lang, "events").get("cues", {})
    matcher = PhraseMatcher(lang, morphology(lang))
    empty = True
    for kind in _SENTENCE_CUES:
        for phrase in cues.get(kind, {}).get("phrases", []):
            matcher.add(phrase, kind)
            empty = False
    return None if empty else matcher


def _cue_sentences(doc: Doc, sentences: set[int] | None = None) -> dict[str, set[int]]:
    """Sentence indexes holding each sentence-level cue kind ("the fourth time in less than a
    week" is ``aggregate``, "when their bus crashed" ``accident``), looked for only in
    ``sentences`` when given (a cue only matters in a sentence with an event mention)."""
    out: dict[str, set[int]] = {kind: set() for kind in _SENTENCE_CUES}
    matcher = _sentence_cue_matcher(doc.lang)
    if matcher is None or not doc.events:
        return out
    toks = doc_tokens(doc)
    for m in matcher.find(toks, sentences=sentences):
        out[m.payload].add(toks.sents[m.i])
    return out


def _first_cue_starts(doc: Doc, kind: str, sentences: set[int]) -> dict[int, int]:
    """Sentence index -> original offset of the first sentence-level cue of ``kind`` in it."""
    matcher = _sentence_cue_matcher(doc.lang)
    out: dict[int, int] = {}
    if matcher is None or not sentences:
        return out
    toks = doc_tokens(doc)
    for m in matcher.find(toks, sentences=sentences):
        if m.payload == kind:
            start = doc.orig_span(toks.start[m.i], toks.end[m.i])[0]
            sent = toks.sents[m.i]
            if sent not in out or start < out[sent]:
                out[sent] = start
    return out


def _separate_figures(doc: Doc) -> set[int]:
    """Start offsets of the counts that a "separate incident" cue right after them puts in another
    incident ("four guards were killed in a suicide attack, while a soldier was killed in a separate
    incident"): they must not stand for the sentence's main toll."""
    cue = langdata.load(doc.lang, "events").get("cues", {}).get("separate", {})
    phrases = cue.get("phrases", [])
    if not phrases or len(doc.counts) < 2:
        return set()
    matcher = _separate_matcher(doc.lang, tuple(phrases))
    toks = doc_tokens(doc)
    cue_starts = sorted(doc.orig_span(toks.start[m.i], toks.end[m.i])[0] for m in matcher.find(toks))
    if not cue_starts:
        return set()
    window = int(cue.get("window", 40))
    out: set[int] = set()
    for c in doc.counts:
        k = bisect_left(cue_starts, c.end)
        if k < len(cue_starts) and cue_starts[k] - c.end <= window and (
                doc.orig_sentence_index(cue_starts[k]) == doc.orig_sentence_index(c.start)):
            out.add(c.start)
    return out


@cache
def _separate_matcher(lang: str, phrases: tuple[str, ...]) -> PhraseMatcher:
    matcher = PhraseMatcher(lang, morphology(lang))
    for phrase in phrases:
        matcher.add(phrase, "separate")
    return matcher


def _is_question(doc: Doc, index: int) -> bool:
    start, end = doc.sentences[index]
    norm = doc.norm
    openers = _question_openers(doc.lang)
    if openers and any(w in norm[start : start + _OPENER_CHARS] for w in openers):
        # "لكن هل هو حقا وراء اغتيال ..." asks without a question mark: a question particle in the
        # sentence's first two words.
        toks = doc_tokens(doc)
        first, last = toks.sentence_tokens(index)
        if any(toks.key[k] in openers for k in range(first, min(first + 2, last))):
            return True
    # (most sentences hold no question mark: two string searches rule them out, cheaper than the regex)
    if norm.find("?", start, end) < 0 and norm.find("\u061f", start, end) < 0:
        return False
    m = _QUESTION_END.search(norm, start, end)
    if m is None:
        return False
    # 'banners reading «... what are the Arabs waiting for?»': the question is a quotation the
    # sentence reports (a banner, a slogan), not the sentence's own, unless the quotation opens the
    # sentence or follows a colon (quoted speech: "قال: «من يقف وراء الهجوم؟»").
    opened = max(norm.rfind(q, start, m.start()) for q in _OPEN_QUOTES)
    if opened > start and norm[start:opened].strip() and not norm[start:opened].rstrip().endswith(":"):
        closed = max(norm.rfind(q, opened, m.start()) for q in _CLOSE_QUOTES)
        return closed > opened  # the quotation closed before the question mark: still the sentence's
    return True


# The question particle is looked for in the first two words: within this many characters first.
_OPENER_CHARS = 40
# Opening quotation marks after which a final question mark is the quotation's (see _is_question).
_OPEN_QUOTES = ("«", "\u201c")
_CLOSE_QUOTES = ("»", "\u201d")


@cache
def _question_openers(lang: str) -> frozenset[str]:
    """Words that open a question in the first two words of a sentence (Arabic هل)."""
    words = langdata.load(lang, "events").get("report_gate", {}).get("question_openers", [])
    return word_set(lang, words)


def _after_background(count: Count, sentence_events: list[EventMention]) -> bool:
    """True when the trigger nearest before ``count`` (or opening it) is background: "two days after a
    car bomb in the city that killed 11" gives the earlier attack's toll, not the reported
    incident's, and "protesting against the killing of a boy" (المحتجين على مقتل فتى) the cause's."""
    before = [e for e in sentence_events if e.end <= count.start or (e.background and e.start == count.start)]
    return bool(before) and max(before, key=lambda e: e.end).background


# One-letter conjunctions written on the next word (Arabic و "and", ف "so").
_CONJUNCTION_CLITICS = frozenset("وف")


@cache
def _report_verbs(lang: str) -> frozenset[str]:
    """The reporting verbs of the language's actor lexicon ("said", "told", قال, أعلن ...)."""
    cues = langdata.load(lang, "actors").get("cues", {})
    return frozenset(w.casefold() for kind in ("report_before", "report_after") for w in cues.get(kind, ()))


@cache
def _definite_words(lang: str) -> frozenset[str]:
    """Words that make an event noun after them one already told (events.json anaphoric.definite)."""
    cue = langdata.load(lang, "events").get("cues", {}).get("anaphoric", {})
    return frozenset(w.casefold() for w in cue.get("definite", ()))


def _told_before(doc: Doc, events: list[EventMention]) -> bool:
    """Whether every one of ``events`` follows a definite word ("blamed the shelling on")."""
    words = _definite_words(doc.lang)
    if not words or not events:
        return False
    text = doc.text
    for e in events:
        before = text[max(0, e.start - 12) : e.start]
        if not before.endswith(" "):
            return False
        parts = before.split()
        if not parts or parts[-1].casefold() not in words:
            return False
    return True


def _dates_a_statement(doc: Doc, date: DateMention) -> bool:
    """True when a reporting verb stands at most three words before ``date`` ("said on Sunday",
    "told reporters Sunday"): the day is when it was said, not when anything happened."""
    verbs = _report_verbs(doc.lang)
    # Mentions carry original offsets, the words normalized ones (the map is non-decreasing).
    start = bisect_left(doc.norm_to_orig, date.start) if doc.norm_to_orig else date.start
    k = bisect_left(doc.word_starts, start)  # the words before the date are words[:k]
    # "وقال ... امس": the verb may carry a conjunction (و, ف), which the lexicon lists without.
    return any(
        w in verbs or (w[:1] in _CONJUNCTION_CLITICS and w[1:] in verbs)
        for w in (doc.words[i].casefold() for i in range(max(0, k - 3), k))
    )


@cache
def _year_lead_words(lang: str) -> frozenset[str]:
    """The words that, right before a four-digit number, make it a year ("in 2017", "since 2014",
    "the 2004 siege", "February 2020"): the last words of events.json's historical year cues."""
    cues = langdata.load(lang, "events").get("cues", {}).get("historical", {}).get("year_cues", [])
    return frozenset(phrase.split()[-1].casefold() for phrase in cues if phrase.split())


# The "no digit before" test is a lookbehind after the first two digits, not before them: a pattern
# that starts with "19" or "20" lets the regex engine skip to the next 1 or 2 by its fast
# character-set scan instead of trying a match at every character (a quarter of the cost).
_YEAR = re.compile(r"(?:19|20)(?<!\d..)\d\d(?!\d)")


def _past_years(doc: Doc) -> list[tuple[int, int]]:
    """(original offset, year) of every year the text names ("in 2017", "the 2004 Beslan siege"),
    leaving out numbers that are part of a count ("2000 inmates")."""
    lead = _year_lead_words(doc.lang)
    if not lead:
        return []
    out: list[tuple[int, int]] = []
    words = doc.words
    # Counts do not overlap: sorted by start, the one a year could be in is the last starting before it.
    spans = sorted((c.start, c.end) for c in doc.counts)
    starts = [a for a, _ in spans]
    # The four-digit numbers found by one regex scan, not a Python loop over every word.
    for m in _YEAR.finditer(doc.norm):
        k = bisect_left(doc.word_starts, m.start())
        if k == 0 or k >= len(words) or doc.word_starts[k] != m.start() or words[k - 1].casefold() not in lead:
            continue
        start = doc.norm_to_orig[doc.word_starts[k]] if doc.norm_to_orig else doc.word_starts[k]
        k_span = bisect_right(starts, start) - 1
        if k_span < 0 or start >= spans[k_span][1]:
            # The four digits, not the word: "the 1990s", "2014-15" and "1990's" are words too.
            out.append((start, int(m.group())))
    return out


def _looks_back(index: int, day: date | None, dates: dict[int, list[DateMention]],
                years: dict[int, list[int]]) -> bool:
    """True when sentence ``index`` is set in the past of a story dated ``day``: it names an
    earlier year or month ("In March 2022, a bomber killed 63 people", "since the 2004 Beslan
    siege, in which 334 died", "the war, which began in April 2023, has killed tens of thousands")
    and no day of its own (a dated timeline entry still reports its day)."""
    if day is None:
        return False
    own = dates.get(index, [])
    if any(d.precision == "day" and d.value is not None for d in own):
        return False
    if any(y < day.year for y in years.get(index, ())):
        return True
    for d in own:
        if d.value is None:
            continue
        if d.precision == "month" and (d.value.year, d.value.month) < (day.year, day.month):
            return True
        if d.precision == "year" and d.value.year < day.year:
            return True
    return False


# Kinds of the "antecedent" cues of events.json (see there): an earlier event inside a sentence, a
# sentence that opens on an earlier time, a sentence about other places than the story's.
_ANTECEDENT_KINDS = (("phrases", "inside"), ("at_start", "at_start"), ("elsewhere", "elsewhere"),
                     ("separate", "separate"))
# After the earlier event, a comma and one of these go back to the reported one ("protesters
# demanding justice for the killing of a teacher, leaving three dead").
_BACK_TO_REPORT = re.compile(r",\s+(?:killing|wounding|injuring|leaving|sending)\b", re.IGNORECASE)
# How many words into its sentence an "at_start" cue may begin ("Three days earlier, ...").
_AT_START_WORDS = 2


@cache
def _antecedent_matcher(lang: str) -> PhraseMatcher | None:
    cue = langdata.load(lang, "events").get("cues", {}).get("antecedent", {})
    matcher = PhraseMatcher(lang, morphology(lang))
    empty = True
    for key, kind in _ANTECEDENT_KINDS:
        for phrase in cue.get(key, []):
            matcher.add(phrase, kind)
            empty = False
    return None if empty else matcher


@dataclass(slots=True)
class _Antecedents:
    cuts: dict[int, tuple[int, int]]  # sentence -> original span of the earlier event it names
    aside: set[int]  # sentences about an earlier time or about other places than the story's
    separate: set[int]  # sentences that open on a separate incident ("In a separate attack, ...")


def _antecedents(doc: Doc) -> _Antecedents:
    """Where the article turns to an earlier event or to other places.

    Inside a sentence, after its opening words, what follows an antecedent cue is an earlier event
    with its own figures ("settlers rampaged through Huwara, hours after a gunman shot dead two
    brothers"; "said it was retaliating for a rocket attack that killed 12"), up to a comma and a
    participle that goes back to the report. A sentence that opens on an earlier time ("Three days
    earlier, ...") or speaks of other places ("Strikes on other cities the same day killed 31")
    is an aside: not the story's figures."""
    out = _Antecedents({}, set(), set())
    matcher = _antecedent_matcher(doc.lang)
    if matcher is None or not doc.events:
        return out
    toks = doc_tokens(doc)
    # Only a sentence with an event or a figure can be an aside or hold an earlier event's toll.
    reach = {doc.orig_sentence_index(x.start) for x in doc.events}
    reach.update(doc.orig_sentence_index(c.start) for c in doc.counts)
    for m in matcher.find(toks, sentences=reach):
        sent = toks.sents[m.i]
        into = m.i - toks.sentence_tokens(sent)[0]
        if m.payload == "elsewhere" or (m.payload == "at_start" and into <= _AT_START_WORDS):
            out.aside.add(sent)
        elif m.payload == "separate" and into <= _AT_START_WORDS:
            out.separate.add(sent)
        elif m.payload == "inside" and into >= _ANTECEDENT_MIN_WORDS and sent not in out.cuts:
            start = doc.orig_span(toks.start[m.i], toks.end[m.i])[0]
            s_start, s_end = doc.sentences[sent]
            end = doc.orig_span(s_start, s_end)[1]
            back = _BACK_TO_REPORT.search(doc.text, start, end)
            out.cuts[sent] = (start, back.start() if back else end)
    return out


def _build_candidates(doc: Doc, sentence_of: dict[int, int], antecedents: _Antecedents) -> list[_Candidate]:
    events = _by_sentence(doc, doc.events, sentence_of)
    articles = _antecedent_matcher(doc.lang) is not None
    dateline = _dateline_end(doc) if articles else 0
    # The day in a dateline ("KABUL, May 18 (Reuters) -") is when the report was filed, not when
    # the incident happened ("on Friday" in the lead says that).
    dates = _by_sentence(doc, [d for d in doc.dates if d.start >= dateline] if dateline else doc.dates, sentence_of)
    places = _by_sentence(doc, doc.places, sentence_of)
    counts = _by_sentence(doc, doc.counts, sentence_of)
    actors = _by_sentence(doc, doc.actors, sentence_of)
    # The article-structure rules (a story's background, asides, datelines, towns read against
    # their province) need a language's "antecedent" cues and English wire conventions: a
    # language opts in with those cues (English so far).
    main_place = _main_place(doc, dateline)
    deixis = _dateline_deixis(doc, dateline) if articles else None
    cue_sentences = _cue_sentences(doc, set(events))
    separate = _separate_figures(doc)
    tallies, accidents = cue_sentences["aggregate"], cue_sentences["accident"]
    # "gathered to mark 10 years since gunmen killed 149 people", "a documentary about the attacks,
    # in which gunmen killed 166": the weak words recount the past attack, like an accident's; in
    # "Argentina stormed past Croatia" they are sport; in "armed groups killed hundreds of civilians
    # in 2024, a rights group said in a report" they tally the report's findings.
    accidents = accidents | cue_sentences["retrospective"] | cue_sentences["sport"] | cue_sentences["report"]
    # A look-back cue reaches only what follows it: "two explosions ripped through a crowd marking
    # the anniversary of his death" reports the explosions.
    looks_back_from = _first_cue_starts(
        doc, "retrospective",
        cue_sentences["retrospective"] - cue_sentences["accident"] - cue_sentences["sport"] - cue_sentences["report"])
    # "A court sentenced 25 soldiers on Monday for fleeing the fighting", "Witnesses told the court
    # that the gunmen opened fire": what follows a court's word is the act it tries, whatever its
    # trigger; an attack told before it ("gunmen stormed the court during a trial") stays.
    court_from = _first_cue_starts(doc, "court", cue_sentences["court"])
    candidates: list[_Candidate] = []
    current: _Candidate | None = None
    # An accident, disease or past attack reported with figures before any incident: the weak
    # follow-ups ("Among the dead were four men") are its figures, until a strong trigger comes.
    background_story = False
    gated = is_gated(doc.lang)
    years: dict[int, list[int]] = {}
    if articles and len(doc.sentences) > 1:
        for start, year in _past_years(doc):
            years.setdefault(doc.orig_sentence_index(start), []).append(year)
    for index in range(len(doc.sentences)):
        if index in events and _is_question(doc, index):
            continue  # "who was behind the abduction?": neither an event nor figures of one
        if articles and current is not None and _looks_back(
                index, current.date.value if current.date is not None else doc.published, dates, years):
            # Background of the story under way (an earlier attack, the war's origins): its
            # figures are not this incident's, and its events were reported long ago.
            continue
        if current is not None and index in antecedents.aside and not any(
                d.precision == "day" and d.value is not None for d in dates.get(index, [])):
            continue  # "Three days earlier, a man killed six people at a shopping centre ..."
        sentence_counts = counts.get(index, [])
        cut = antecedents.cuts.get(index)
        if cut is not None:
            # "..., hours after a gunman shot dead two brothers": the earlier event and its toll.
            sentence_counts = [c for c in sentence_counts if not cut[0] <= c.start < cut[1]]
        if separate and len(sentence_counts) > 1:
            kept = [c for c in sentence_counts if c.start not in separate]
            sentence_counts = kept or sentence_counts
        live = [e for e in events.get(index, []) if not e.background and (cut is None or not cut[0] <= e.start < cut[1])]
        if live and sentence_counts and len(live) < len(events[index]):
            sentence_counts = [c for c in sentence_counts if not _after_background(c, events[index])]
        if index in accidents:
            # "12 people died when their bus crashed": with an accident or a disaster in the
            # sentence, the weak words (killed, died, wounded) do not make an attack of it; a
            # specific trigger still does ("a car bomb set off a fire that killed five").
            cue_start = looks_back_from.get(index)
            live = [e for e in live if e.confidence >= _BACKGROUND_TRIGGER or (
                cue_start is not None and e.confidence >= _WEAK_TRIGGER and e.end <= cue_start)]
        court_start = court_from.get(index)
        if court_start is not None:
            live = [e for e in live if e.end <= court_start]
        if any(c.cumulative for c in sentence_counts):
            # Rule 5: a sentence that gives a campaign total is background unless it also names a
            # specific attack ("an IED exploded ..., during which 5 were killed").
            live = [e for e in live if e.confidence >= _BACKGROUND_TRIGGER]
        strong = [e for e in live if e.confidence >= _WEAK_TRIGGER]
        has_casualties = any(c.kind in _CASUALTY_KINDS and not c.cumulative for c in sentence_counts)
        day_dates = [d for d in dates.get(index, []) if d.value is not None and d.precision == "day"]
        # Of several dates in a sentence, the incident's is the one nearest its trigger
        # ("killed on Tuesday in the raid that followed Sunday's talks").
        anchor = max(live, key=lambda e: e.confidence).start if live else None
        # "ذكرت الصحف امس ان متظاهرين اطلقوا الخميس ...": of several days, one that dates a
        # statement gives way to one that dates the act.
        event_days = [d for d in day_dates if not _dates_a_statement(doc, d)] if len(day_dates) > 1 else day_dates
        event_days = event_days or day_dates
        if len(event_days) > 1:
            # "in an overnight attack on Masala village on Friday": the day named says which night.
            weak_days = _weak_day_words(doc.lang)
            event_days = [d for d in event_days if d.text.lower() not in weak_days] or event_days
        own_date = min(event_days, key=lambda d: abs(d.start - anchor)) if event_days and anchor is not None else (
            event_days[0] if event_days else None)
        if gated and live:
            # Not a report of an event that happened (commentary, habitual, tally, bare noun):
            # see reportgate.py.
            # A day that dates a statement ("officials said yesterday") does not anchor the event.
            event_dates = [d for d in dates.get(index, []) if not _dates_a_statement(doc, d)]
            dropped = unreported(doc, index, live, sentence_counts, event_dates, places.get(index, []))
            if dropped:
                live = [e for e in live if e not in dropped]
                strong = [e for e in strong if e not in dropped]
        if (articles and own_date is not None and own_date.value is not None and doc.published is not None
                and own_date.value > doc.published):
            # "called on supporters to march in Dakar next Saturday, after clashes last week": the
            # day nearest the triggers is still to come, so the sentence announces, it reports nothing.
            live, strong = [], []
        if index in tallies and own_date is None:
            # "the fourth time in less than a week that drones fired missiles": a tally of strikes
            # reported elsewhere; with a day of its own ("yesterday's raid, the third in a week")
            # the sentence still reports that day's event.
            live, strong = [], []
        sentence_places = places.get(index)
        if sentence_places and ACROSS_BORDER in doc.cache:
            # "قرب الحدود مع باكستان": the other side of a border is where the incident is not.
            across = doc.cache[ACROSS_BORDER]
            assert isinstance(across, set)
            sentence_places = [p for p in sentence_places if p.start not in across]
        own_place = _best_place(sentence_places, doc.text if articles else None,
                                dateline if index == 0 else 0) if sentence_places else None
        if deixis is not None and deixis[0] == index:
            own_place = deixis[1]  # "WINDER, Ga. (AP) - ... at a school in this town northeast of Atlanta"
        # A sentence with no date or place of its own that names only event types the current story
        # already has ("Hundreds of protesters were injured" after the protest) continues that story.
        # "The 20-year-old attacker was arrested", "Prosecutors detained five people" after a mine
        # blast: an arrest that follows the story under way is its outcome, not a new incident.
        follow_up_arrest = bool(strong) and all(e.type == "arrest" for e in strong) and own_place is None
        if follow_up_arrest and current is None and background_story:
            continue
        same_story = current is not None and own_place is None and (
            (own_date is None and {e.type for e in strong} <= {e.type for e in current.events}) or follow_up_arrest
        )
        # "The protesters ... broke down its doors and burned furniture, a police spokesman said.
        # Two police officers were slightly injured.": in a report (articles), a sentence with no
        # place, no day and no "separate" cue of its own tells more of the story under way, not a
        # second incident that would take the story's later figures ("a man was shot dead and 98
        # were injured" after settlers rampaged). A sure trigger of a weapon or an offensive
        # (_OWN_INCIDENT_TYPES) heavier than the story's type still opens an incident of its own
        # ("An air strike killed 40" after a shooting); lesser triggers never retype the story.
        if (articles and current is not None and not same_story and not has_casualties and own_date is None
                and not day_dates and index not in antecedents.separate and _told_before(doc, strong)
                and (own_place is None or (own_place.feature == "country" and current.location is not None
                                           and own_place.country_code == current.location.country_code))):
            # "Congo and the United States blamed the shelling on M23 rebels": the story's attack
            # named again (it may tell its kind better), not a second incident.
            same_story = True
        if (articles and current is not None and not same_story and own_place is None
                and own_date is None and not day_dates and index not in antecedents.separate):
            top = min((_TYPE_RANK.get(e.type, len(_TYPE_PRIORITY)) for e in current.events), default=0)
            if not any(e.type in _OWN_INCIDENT_TYPES and _TYPE_RANK.get(e.type, 0) < top for e in strong):
                live = [e for e in live if _TYPE_RANK.get(e.type, len(_TYPE_PRIORITY)) >= top]
                strong = []
                same_story = True
        # A strong trigger opens an incident; a weak one ("wounded", "attack") only when no story is
        # under way yet and the sentence gives casualties, else it continues the current story.
        # A weak trigger with a day right beside it is dated, so reported: "the attack hit the
        # village the night before yesterday", "aircraft fired five missiles yesterday morning".
        # A day that dates a statement ("the director said on Sunday") does not date the trigger.
        dated = current is None and any(
            abs(d.start - e.start) <= _WEAK_DAY_CHARS and not _dates_a_statement(doc, d)
            for d in day_dates for e in live)
        if (not dated and current is None and live and day_dates and own_place is not None
                and own_place.role == "incident_location"):
            # "الهجوم وقع في مديرية ميدان شار في إقليم ورداك صباح امس": a verb that says the event
            # took place, a place given as where and a day in the sentence report it, however far
            # apart the day stands from the trigger.
            dated = any(not _dates_a_statement(doc, d) for d in day_dates) and any(
                occurs(doc, index, e) for e in live)
        if current is None and index in accidents and not live and has_casualties:
            background_story = True
            continue
        if (strong and not same_story) or (current is None and live and (has_casualties or dated) and not background_story):
            background_story = False
            date, inherited = (own_date, False) if own_date else (current.date if current else None, True)
            place = own_place or (current.location if current else None) or main_place
            current = _Candidate([index], live, date, inherited, place)
            candidates.append(current)
        elif current is not None and (sentence_counts or live):
            # Rule 4: a sentence that only adds figures (or weak mentions) continues the story.
            current.sentences.append(index)
            if (articles and live and own_place is not None and own_place.role == "incident_location"
                    and _refines(own_place, current.location)):
                # "... in northwest Pakistan on Tuesday. ... when the attack happened near Besham in
                # the Shangla district": the story's event told again where, inside its country.
                current.location = own_place
            if not (follow_up_arrest and any(e.type != "arrest" for e in current.events)):
                # The arrest of the attacker does not retype the attack it ends.
                current.events.extend(live)
        else:
            continue
        current.counts.extend(c for c in sentence_counts if not c.cumulative)
        current.actors.extend(actors.get(index, []))
    return candidates


def _merge(candidates: list[_Candidate]) -> list[_Candidate]:
    merged: list[_Candidate] = []
    # merged[k].family, computed when first compared and again only after merged[k] takes events.
    families: list[str | None] = []
    for cand in candidates:
        family = None
        for k, other in enumerate(merged):
            same_date = (cand.date.value if cand.date else None) == (other.date.value if other.date else None)
            if not same_date:
                continue
            if family is None:
                family = cand.family
            if families[k] is None:
                families[k] = other.family
            if family == families[k] and _same_place(cand.location, other.location):
                other.sentences.extend(cand.sentences)
                other.events.extend(cand.events)
                other.counts.extend(cand.counts)
                other.actors.extend(cand.actors)
                if other.date_inherited and not cand.date_inherited:
                    other.date, other.date_inherited = cand.date, False
                families[k] = None
                break
        else:
            merged.append(cand)
            families.append(family)
    return merged


def _unique_actors(actors: list[Actor], roles: tuple[str, ...]) -> list[dict]:
    seen: dict[str, dict] = {}
    for a in actors:
        if a.role in roles and a.name not in seen:
            seen[a.name] = actor_dict(a)
    return list(seen.values())


def assemble(doc: Doc, article: dict) -> list[dict]:
    """Build the incident records (schema ``incident``) of an analysed article."""
    ref = article_ref(article, doc.lang)
    # The most named perpetrator, the first named on a tie (what Counter.most_common(1) gives,
    # counted in a plain dict, which costs less than building a Counter).
    perpetrator_names: dict[str, int] = {}
    for a in doc.actors:
        if a.role == "perpetrator":
            perpetrator_names[a.name] = perpetrator_names.get(a.name, 0) + 1
    top_perpetrator = max(perpetrator_names, key=perpetrator_names.__getitem__) if perpetrator_names else None
    story_perpetrator = next((a for a in doc.actors if top_perpetrator is not None and a.name == top_perpetrator), None)
    sentence_of: dict[int, int] = {}  # id of an annotation -> its sentence
    antecedents = _antecedents(doc)
    candidates = _merge(_build_candidates(doc, sentence_of, antecedents))
    # The places of each sentence (positions in doc.places), looked up once: per incident, only
    # the places of its own sentences are visited.
    places_by_sentence: dict[int, list[int]] = {}
    for k, p in enumerate(doc.places):
        places_by_sentence.setdefault(sentence_of[id(p)], []).append(k)
    incidents = []
    for position, cand in enumerate(candidates):
        types = sorted({e.type for e in cand.events} or {"other"}, key=_TYPE_PRIORITY.index)
        main = cand.main_type
        if main in types:  # a clash retyped a riot by its crowd (main_type) names no trigger of its own
            types.remove(main)
        types.insert(0, main)
        if cand.location is not None and cand.location.role == "mentioned":
            cand.location.role = "incident_location"
        located = cand.location is not None
        if not located:
            # No place at all: the victims' nationality ("A Pakistani soldier was killed").
            cand.location = victim_country(doc, [(c.start, c.end) for c in cand.counts
                                                 if c.kind in _CASUALTY_KINDS and not c.cumulative])
        actors = _unique_actors(cand.actors, ("perpetrator", "target", "backer"))
        if story_perpetrator is not None and not any(a["role"] == "perpetrator" for a in actors):
            # The story's perpetrator, named elsewhere in the article, is this incident's too.
            actors.insert(0, actor_dict(story_perpetrator))
        sentence_set = sorted(set(cand.sentences))
        in_story = sorted(k for i in sentence_set for k in places_by_sentence.get(i, ()))
        other_places = [place_dict(p) for p in map(doc.places.__getitem__, in_story)
                        if not _same_place(p, cand.location)]
        location = cand.location
        if location is None and not in_story and DEMONYM_COUNTRIES in doc.cache:
            location = _demonym_country(doc, sentence_set)
        confidence = max(e.confidence for e in cand.events) if cand.events else 0.4
        killed = _toll(cand.counts, "killed", doc, cand.events, sentence_of)
        injured = _toll(cand.counts, "injured", doc, cand.events, sentence_of)
        if (killed or injured) and located and cand.date is not None and not cand.date_inherited:
            confidence = max(confidence, _CORROBORATED)
        if not located:
            confidence *= 0.7  # (a country read from the victims' nationality is a guess)
        elif cand.location is not None and cand.location.role == "reference_point":
            confidence *= 0.85  # located by a landmark ("north of Baghdad"), not by the place itself
        confidence *= 1.0 if cand.date is not None and not cand.date_inherited else 0.9
        if position:
            confidence *= _SIDE_REPORT * (_SEPARATE if cand.sentences[0] in antecedents.separate else 1.0)
        incidents.append({
            "incident_id": _incident_id(article["id"], position),
            "article": ref,
            "type": main,
            "types": types,
            "taxonomy": taxonomy(main),
            "date": _date_of(cand, doc),
            "location": place_dict(location) if location else None,
            "places": other_places,
            "killed": killed,
            "injured": injured,
            "counts": [count_dict(c) for c in cand.counts],
            "actors": actors,
            "sources": _unique_actors(cand.actors, ("source",)),
            "evidence": [_sentence_span(doc, i) for i in sentence_set],
            "confidence": round3(min(1.0, confidence)),
            "extractor_version": EXTRACTOR_VERSION,
        })
    return incidents


def _demonym_country(doc: Doc, sentences: list[int]) -> Place | None:
    """The country of an incident whose sentences name no place, read from their demonyms
    ("أصيب خمسة من عناصر الشرطة الأفغانية": Afghanistan): a country of the language's home
    region first ("اختطف 9 عراقيين ... مقتل الرهينة النمساوي" is in Iraq), then the most named,
    then the first; none when they name several countries and none of the home region. Its
    confidence is low: the demonym names a people, not a place."""
    found = doc.cache[DEMONYM_COUNTRIES]
    assert isinstance(found, list)
    spans = [doc.sentences[i] for i in sentences]
    pool = [item for item in found if any(a <= item[0] < b for a, b in spans)]
    if not pool:
        return None
    named: dict[int, int] = {}
    for _, _, entry, _ in pool:
        named[entry] = named.get(entry, 0) + 1
    if len(named) > 1 and not any(home for *_, home in pool):
        return None  # "killed an Afghan soldier and a Pakistani trader": a border, but which side?
    start, end, entry, _ = max(pool, key=lambda item: (item[3], named[item[2]], -item[0]))
    return place_of_entry(doc, start, end, entry, "incident_location", 0.3)


def _date_of(cand: _Candidate, doc: Doc) -> dict:
    if cand.date is not None:
        basis = cand.date.basis + (" (from an earlier sentence of the same story)" if cand.date_inherited else "")
        return {"value": cand.date.value.isoformat(), "precision": cand.date.precision, "basis": basis}  # type: ignore[union-attr]
    if doc.published is not None:
        return {"value": doc.published.isoformat(), "precision": "day",
                "basis": "publication date (the text gives no date)"}
    return {"value": None, "precision": "unknown", "basis": "no date in the text and no publication time"}


def article_ref(article: dict, lang: str) -> dict:
    """The ``article`` block of output records: id, source, url, language, time, extra fields."""
    split_extra = _split_extra or _load_split_extra()
    return {
        "id": article["id"],
        "source": article.get("source"),
        "url": article.get("url"),
        "language": lang,
        "published_at": article.get("published_at"),
        "title": article.get("title"),
        "extra": split_extra(article),
    }


# ``streams.codec.split_extra``, imported on first use (the codec module pulls in the service's
# settings and schemas, which the extraction library does not need at import time) and kept here:
# an import statement in a function called twice per article costs more than the call.
_split_extra: Callable[[dict], dict] | None = None


def _load_split_extra() -> Callable[[dict], dict]:
    global _split_extra
    from streams.codec import split_extra

    _split_extra = split_extra
    return split_extra


def place_dict(p: Place) -> dict:
    """A :class:`Place` as its JSON record."""
    return {
        "start": p.start, "end": p.end, "text": p.text, "name": p.name, "geonameid": p.geonameid,
        "country_code": p.country_code, "admin1": p.admin1, "lat": p.lat, "lon": p.lon,
        "feature": p.feature, "role": p.role, "confidence": round3(p.confidence),
    }


def count_dict(c: Count) -> dict:
    """A :class:`Count` as its JSON record (breakdowns nested)."""
    return {
        "kind": c.kind, "value": c.value, "low": c.low, "high": c.high, "qualifier": c.qualifier,
        "unit": c.unit, "victims": c.victims, "breakdown": [count_dict(b) for b in c.breakdown],
        "cumulative": c.cumulative, "start": c.start, "end": c.end, "text": c.text,
    }


def date_dict(d: DateMention) -> dict:
    """A :class:`DateMention` as its JSON record."""
    return {
        "start": d.start, "end": d.end, "text": d.text,
        "value": d.value.isoformat() if d.value else None, "precision": d.precision, "basis": d.basis,
    }


def actor_dict(a: Actor) -> dict:
    """An :class:`Actor` as its JSON record."""
    return {"name": a.name, "kind": a.kind, "role": a.role, "text": a.text, "start": a.start, "end": a.end}
