"""Place names: find them in the text, resolve each against the gazetteer in context, give it a role.

1. **Match.** At every token, the longest n-gram (up to the longest gazetteer name beginning with
   that word) whose key is a gazetteer name. Arabic clitics (و ب ل ك ف ال لل...) are stripped
   from the first word only when what remains is a name ("ودوما" -> "دوما"); hashtags count
   ("#الغوطة_الشرقية"); Latin-script names must be capitalized; news agencies ("فرانس برس",
   "Reuters") and words in URLs and @handles are never places; stop-words that are also place
   names (الجمعة, المدينة, "Of", "March"...) are rejected, and common words that are also places
   ("Reading", "Mobile") need support from the rest of the article.
2. **Resolve**, once per distinct name in the article (one sense per discourse): each candidate
   gets a prior from its feature and population (country > admin1 > big city > village; a seat
   of an admin unit or a capital counts as a town of its seat population, since GeoNames lacks
   many seats' populations) plus context: countries and admin1 units named elsewhere, demonyms
   ("القوات الباكستانية", "Iraqi police"), closeness to the other places of the article,
   "X, Texas"-style qualifiers, "the town of X" / "the capital X" descriptors. Two rounds let
   resolved names inform each other. A one-word name whose every reading is a small village
   needs support: a resolved place nearby, its admin1 named, a descriptor, or a separate
   locative word in the article's country. Tiny villages nothing supports are dropped.
3. **Places without a proper name**: a place noun with a demonym ("المنطقة القبلية الباكستانية",
   "a Pakistani town"; "the Iraqi capital" is Baghdad) and "the country" after a locative or
   direction word ("شمال غربي البلاد": the country the article is set in).
4. **Role** of each mention from the words before and after it: ``reference_point`` after
   "near/قرب/north of/km from/fired from", ``actor`` for a country that acts ("backed by
   Russia", "Russia said", "U.S. troops", "between X and Russia"), ``incident_location`` after a
   locative cue (في, in, at, on...), ``mentioned`` otherwise; a container hands the incident
   role to the place it qualifies ("Rostock, in north-eastern Germany", "in Yemen's Saada
   province").

All words and cues come from ``lang/<lang>/places.json``; tables are built once per language.
Speed: what a word is (its key, readings, one-word candidates, cue key, demonym, what the
mention tests ask of a neighbour, the cue phrases ending in it, which next words make it begin a
longer name...) is cached per spelling and spread over the tokens by C-level
``map``/``zip``/``compress``; candidate tables are cached per name, with what scoring reads of
each candidate precomputed; only candidates that context can lift are scored.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import pairwise
from operator import attrgetter, itemgetter
from typing import Final

from streams.extract import lang as langdata
from streams.extract.doc import ACROSS_BORDER, DEMONYM_COUNTRIES, IDENTITY_MAP, WORD_RE, Doc, Place, round3
from streams.extract.gazetteer import (
    F_ADMIN1,
    F_ADMIN2,
    F_CITY,
    F_COUNTRY,
    F_REGION,
    FEATURES,
    FLAG_CAPITAL,
    FLAG_SEAT1,
    FLAG_SEAT2,
    Gazetteer,
    is_arabic_key,
    load_gazetteer,
    name_key,
)
from streams.extract.normalize import normalize_name

# Token keys repeat across articles: cache them (bounded, so untrusted input cannot grow it forever).
_key = lru_cache(maxsize=1 << 17)(name_key)

_COMMAS: Final = frozenset(",،;؛")
# A home-country town right after a direction word ("غربي الضلوعية") stands alone from this
# population: the direction word says a place follows, as "the town of" does.
DIRECTION_MIN_POPULATION = 10_000
MAX_CANDIDATES = 60  # postings are sorted best first; the tail is villages that never win
ROUNDS = 2  # a third round changes no pick on the development set, only confidences by 0.01
# A one-word town name followed by another capitalized word ("Nur Shams") is read as the start of
# a longer name the gazetteer lacks, unless the town is this big or the article supports it.
COMPOUND_MAX_POPULATION = 100_000
# A state whose centre lies this far from its big namesake city stays a candidate: "Buffalo,
# New York" and "New Jersey and New York" name the state, which context can then pick.
PRUNE_ADMIN1_KM = 150.0
# Support a town takes from its admin1 unit named in its own sentence, over the same unit named elsewhere.
SAME_SENTENCE_ADMIN1 = 0.5
ADMIN1_SIBLING = 1.5  # support an admin1 reading takes from other admin1 units of its country in its sentence
SETTLEMENT_NOT_COUNTRY = 6.0  # what "the town of X" takes from a country reading of X (a country is no town)
DEMONYM_WEIGHT = 0.6  # country context from a demonym, as much as a named town gives
# A village below this population needs support from the article (its country or admin1 named,
# a place nearby, "the village of X") to count as a place at all.
MIN_UNSUPPORTED_POPULATION = 1000
# Prior cost of a town read by an alternate name when another candidate bears the name as its own
# (Latin script; see _cand_table). More than an admin1 unit named elsewhere in the article lends
# (1.5): "Children's Hospital of Pittsburgh" in an article that names California twice is still
# Pittsburgh, not Pittsburg, California; "Pittsburg, California" (+4) or a place nearby still wins.
ALTERNATE_NAME_PENALTY = 1.0
# Prior bonus of an admin1 unit of this many people or more over namesake towns all smaller than
# BIG_ADMIN1_TOWN (see _cand_table).
BIG_ADMIN1_POPULATION = 10_000_000
BIG_ADMIN1_TOWN = 100_000
BIG_ADMIN1_BONUS = 1.0
# Prior cost of a small admin1 unit (a Jamaican parish, a Mozambican province) when a bigger city
# of another country bears the name as its own: news that says "in Manchester" or "in Gaza" means
# the city, not the parish or province of that name, unless the article names the unit's country
# (context then lifts it back). Only cities of FOREIGN_NAMESAKE_CITY people or more, and only units
# whose population GeoNames gives (a unit of unknown size may be large: Jerusalem).
FOREIGN_NAMESAKE_PENALTY = 1.0
FOREIGN_NAMESAKE_CITY = 150_000
# A foreign city this big is read behind a clitic alone ("بلندن"): at this size the name is the city.
FOREIGN_CLITIC_POPULATION = 1_000_000
# A foreign town too small to stand alone (below foreign_min_population) still does right after a
# locative word or a descriptor written as its own word ("اجتمعوا في روستوك", "فوق تسخينفالي")
# when it is this big and its name distinctive (see _locative_town_key): a name that long, with no
# article, no ta marbuta or pronoun ending, whose towns of this size all lie in one country, is
# rarely an ordinary word. (Home towns keep needing support: their names are Arabic words.)
LOCATIVE_TOWN_POPULATION = 10_000
LOCATIVE_TOWN_MIN_LETTERS = 5
# "X west of Y", "X near Y" ("منطقة الجزيرة غرب تكريت"): X lies near Y. A reading of X farther
# than this from Y's (or outside Y's country, when Y is a country) is another place of that name.
DIRECTION_ANCHOR_KM = 300.0
_CUE_KINDS = (
    "locative", "reference", "direction", "actor_before", "actor_after", "between", "conjunctions", "across", "statement",
    "event_name_after",
)
_CUE_BIT = {kind: 1 << k for k, kind in enumerate(_CUE_KINDS)}  # see _Matcher.cue_mask
# (Final, here and for the word fields and flags below: the compiled build then reads a constant
# instead of looking a module global up at every use.)
_LOC: Final = _CUE_BIT["locative"]
_REF: Final = _CUE_BIT["reference"]
_DIR: Final = _CUE_BIT["direction"]
_ACT_BEFORE: Final = _CUE_BIT["actor_before"]
_CONJ: Final = _CUE_BIT["conjunctions"]
_ACROSS: Final = _CUE_BIT["across"]
_STATEMENT: Final = _CUE_BIT["statement"]


@dataclass(slots=True)
class _Tables:
    """Per-language matching data, normalized once."""

    clitics: tuple[tuple[str, str, int], ...]  # (prefix key, restore, chars of the prefix kept in the name)
    locative_clitics: frozenset[str]
    conjunction_clitics: frozenset[str]
    suffixes: tuple[str, ...]
    stop: frozenset[str]
    common: frozenset[str]
    connectors: frozenset[str]
    agencies: frozenset[str]
    agency_heads: dict[str, int]
    agency_prefixes: frozenset[str]  # every agency name and each of its word prefixes
    descriptors: frozenset[str]
    # Descriptors of a part of a town ("شوارع X", the streets of X): they vouch for a town like
    # "the town of X" does, but say nothing against a country of the same name (every written
    # form, clitics included).
    part_forms: frozenset[str]
    # Clitics a name may carry after an "across" cue ("المحاذية لأفغانستان": ل, "bordering").
    across_clitics: frozenset[str]
    # A one-word name that a word right after it turns into an ordinary noun: "الضفة الشرقية لشط
    # العرب" is the east bank of a river, not the West Bank (name key -> next-word keys).
    not_followed_by: dict[str, frozenset[str]]
    # Words that make the name right after them part of a longer proper name the gazetteer
    # lacks: a street, square or bridge named after a place ("شارع صلاح الدين" in Gaza is no
    # Iraqi province) and a saint's "San" ("حي سان جوس" in Brussels is no Jos, Nigeria). Every
    # written form, clitics included.
    name_part_forms: frozenset[str]
    modifiers: frozenset[str]
    # Modifiers that are locative cues by themselves ("داخل مدينة الموصل"): the skip over
    # modifiers stops at them, so that the cue they are is seen (see _Matcher._context_before).
    locative_modifiers: frozenset[str]
    cues: dict[str, frozenset[tuple[str, ...]]]
    cue_words: frozenset[str]
    aliases: dict[str, tuple[int, ...]]
    alias_heads: dict[str, int]
    alias_prefixes: frozenset[str]
    alias_continues: frozenset[str]  # alias_prefixes and the aliases: what a longer alias reading may be
    cue_ends: dict[str, dict[str, tuple[int, ...]]]  # kind -> last word -> phrase lengths, longest first
    cue_starts: dict[str, dict[str, tuple[int, ...]]]  # kind -> first word -> phrase lengths
    # last word -> (kind bit, phrase lengths longest first, phrases) of every kind with a phrase
    # ending in it: one lookup tells every cue that ends at a token (see _Matcher.cue_mask).
    cue_end_kinds: dict[str, tuple[tuple[int, tuple[int, ...], frozenset[tuple[str, ...]]], ...]]
    clitic_descriptors: dict[str, str]  # clitic + descriptor ("بمدينه") -> the clitic
    person_before: frozenset[str]  # titles before a person's name ("Dr", "الرئيس")
    person_after: frozenset[str]  # words after a person's name ("said")
    home_countries: frozenset[str]
    # Countries whose demonym says who acted (troops, aircraft, companies, agencies abroad), not
    # where: never an incident's country by demonym alone (see DEMONYM_COUNTRIES).
    demonym_actor_countries: frozenset[str]
    # Weapons and forces right after such a demonym ("Russian shelling"): the demonym names the
    # attacker, so it lends its country no weight as context.
    demonym_actor_after: frozenset[str]
    home_bonus: float
    stop_tokens: frozenset[str]
    foreign_min_population: int
    unsupported_min_population: int
    seat_population: tuple[int, int, int]  # population a seat counts as: (admin2 seat, admin1 seat, capital)
    capital_descriptors: frozenset[str]  # "the capital": prefers a country's capital
    area_descriptors: frozenset[str]  # "the state of X", "X province": prefers a state, province or region
    # "the town of X", "the city of X": a settlement, never a country of the same name (Argelia is
    # also the Spanish name of Algeria, Granada of Grenada).
    settlement_descriptors: frozenset[str]
    demonyms: dict[str, int]  # demonym key ("باكستاني", "pakistani") -> country entry
    demonym_nouns: frozenset[str]  # place nouns a demonym turns into a place ("a Pakistani town")
    demonym_after_noun: bool  # Arabic "المنطقة الباكستانية"; English "the Pakistani town"
    capital_datelines: bool  # wire datelines in capitals ("KABUL (Reuters) -"): see _dateline_city
    country_anaphora: frozenset[str]  # "البلاد", "country": the article's country after a locative
    # Every written form (clitics included) of a demonym noun / country noun -> (noun, clitic, offset).
    demonym_noun_forms: dict[str, tuple[str, str, int]]
    anaphora_forms: dict[str, tuple[str, str, int]]
    capital_forms: frozenset[str]
    anaphoric_nouns: frozenset[str]  # "the Italian city", "المدينة الإيطالية": a town named before
    descriptor_links: frozenset[str]  # "of" in "the Black Sea town of Of"
    definite_articles: frozenset[str]  # "the" (Arabic writes the article in the noun)
    # Where a statement was made, not where the incident was (see _Matcher.statement_places):
    # verbs of saying right after a place ("وفي أوتاوا وصف الوزير"), and source nouns shortly
    # before the locative word ("مصادر أمنية في إسلام آباد").
    statement_verbs: frozenset[str]
    source_nouns: frozenset[str]
    source_breaks: frozenset[str]  # words that end a source phrase ("قال مسؤول إن انفجارا وقع في")
    source_asides: frozenset[str]  # "according to" before a source noun ("بحسب مصادر الشرطة،")
    # Letters a spelling of a foreign name adds or leaves out ("كراكاس" / "كاراكاس"), the words
    # after which an unknown word is read through them, and the beginnings and endings of words
    # never respelled (see _Matcher.spelling_variants and _respelled).
    vowel_letters: str
    variant_after: frozenset[str]
    # The locative words after which a distinctive name of a mid-size foreign town stands alone
    # (see _Matcher.locative_town): "في", not "على" ("ردا على كلينتون" is no town in Iowa).
    locative_town_after: frozenset[str]
    no_respell_prefixes: tuple[str, ...]
    no_respell_endings: tuple[str, ...]


def _phrase_keys(lang: str, phrase: str) -> tuple[str, ...]:
    """A phrase as the tuple of its token keys, tokenized the way article text is."""
    norm = normalize_name(lang, phrase)
    return tuple(k for k in (_key(w) for w in WORD_RE.findall(norm)) if k)


# Words skipped before a name when looking for its cue: "shelling of the centre of the city of
# Belgorod" has six between the cue and the name.
_CONTEXT_STEPS: Final = 7


@cache
def _tables(lang: str) -> _Tables:
    """Build the matching tables of ``lang`` from ``lang/<lang>/places.json`` (once per language)."""
    data = langdata.load(lang, "places")
    gaz = load_gazetteer()
    seats = data.get("seat_population", {})

    def keyset(name: str) -> frozenset[str]:
        return frozenset(" ".join(_phrase_keys(lang, w)) for w in data.get(name, ()))

    clitics = []
    for prefix, restore in data.get("clitic_prefixes", ()):
        p, r = normalize_name(lang, prefix), normalize_name(lang, restore)
        common = 0
        while common < min(len(p), len(r)) and p[len(p) - 1 - common] == r[len(r) - 1 - common]:
            common += 1
        clitics.append((p, r, common))
    clitics.sort(key=lambda c: -len(c[0]))
    agencies = frozenset(" ".join(_phrase_keys(lang, a)) for a in data.get("agencies", ()))
    agency_heads: dict[str, int] = {}
    for a in agencies:
        words = a.split(" ")
        agency_heads[words[0]] = max(agency_heads.get(words[0], 0), len(words))
    cues: dict[str, frozenset[tuple[str, ...]]] = {}
    cue_words: set[str] = set()
    for kind in _CUE_KINDS:
        phrases = frozenset(_phrase_keys(lang, p) for p in data.get("cues", {}).get(kind, ()))
        phrases = frozenset(p for p in phrases if p)
        cues[kind] = phrases
        for phrase in phrases:
            cue_words.update(phrase)
    parts = keyset("part_descriptors")
    name_parts = keyset("name_part_before")
    descriptors = keyset("descriptors") | parts
    modifiers = keyset("modifiers")
    cue_words |= descriptors | modifiers
    aliases: dict[str, tuple[int, ...]] = {}
    alias_heads: dict[str, int] = {}
    alias_prefixes: set[str] = set()
    for alias, target in data.get("aliases", {}).items():
        idx = _alias_target(gaz, target)
        if idx is None:
            raise ValueError(f"lang/{lang}/places.json: alias {alias!r} -> {target!r} is not in the gazetteer")
        k = " ".join(_phrase_keys(lang, alias))
        aliases[k] = (*aliases.get(k, ()), idx)
        words = k.split(" ")
        alias_heads[words[0]] = max(alias_heads.get(words[0], 1), len(words))
        alias_prefixes.update(" ".join(words[:m]) for m in range(1, len(words)))
    return _Tables(
        clitics=tuple(clitics),
        locative_clitics=frozenset(normalize_name(lang, c) for c in data.get("locative_clitics", ())),
        conjunction_clitics=frozenset(normalize_name(lang, c) for c in data.get("conjunction_clitics", ())),
        suffixes=tuple(normalize_name(lang, s).lower() for s in data.get("suffixes", ())),
        stop=keyset("stopwords"),
        common=keyset("common_words"),
        connectors=keyset("connectors"),
        agencies=agencies,
        agency_heads=agency_heads,
        agency_prefixes=frozenset(
            " ".join(words[:m]) for words in (a.split(" ") for a in agencies) for m in range(1, len(words) + 1)
        ),
        descriptors=descriptors,
        across_clitics=frozenset(normalize_name(lang, c) for c in data.get("across_clitics", ())),
        not_followed_by={" ".join(_phrase_keys(lang, name)): frozenset(" ".join(_phrase_keys(lang, w)) for w in words)
                         for name, words in data.get("not_followed_by", {}).items() if name != "about"},
        part_forms=frozenset(parts) | {c + d[len(r) :] for c, r, _ in clitics for d in parts if d.startswith(r)},
        name_part_forms=frozenset(name_parts)
        | {c + d[len(r) :] for c, r, _ in clitics for d in name_parts if d.startswith(r)},
        modifiers=modifiers,
        locative_modifiers=frozenset(k[0] for k in cues.get("locative", ()) if len(k) == 1 and k[0] in modifiers),
        cues=cues,
        cue_words=frozenset(cue_words),
        aliases=aliases,
        alias_heads=alias_heads,
        alias_prefixes=frozenset(alias_prefixes),
        alias_continues=frozenset(alias_prefixes) | frozenset(aliases),
        cue_ends={kind: _lengths_by(phrases, -1) for kind, phrases in cues.items()},
        cue_starts={kind: _lengths_by(phrases, 0) for kind, phrases in cues.items()},
        cue_end_kinds=_end_kinds(cues),
        person_before=keyset("person_before"),
        person_after=keyset("person_after"),
        home_countries=frozenset(data.get("home_countries", ())),
        demonym_actor_countries=frozenset(data.get("demonym_actor_countries", ())),
        demonym_actor_after=keyset("demonym_actor_after"),
        home_bonus=float(data.get("home_bonus", 0.0)),
        stop_tokens=keyset("stop_tokens"),
        foreign_min_population=int(data.get("foreign_min_population", 0)),
        unsupported_min_population=int(data.get("unsupported_min_population", 100_000)),
        clitic_descriptors={c + d[len(r) :]: c for c, r, _ in clitics for d in descriptors if d.startswith(r)},
        seat_population=(
            int(seats.get("admin2", 0)), int(seats.get("admin1", 0)), int(seats.get("capital", 0)),
        ),
        capital_descriptors=keyset("capital_descriptors"),
        area_descriptors=keyset("area_descriptors"),
        settlement_descriptors=keyset("settlement_descriptors"),
        demonyms=_demonyms(lang, gaz, data),
        demonym_nouns=keyset("demonym_nouns"),
        demonym_after_noun=bool(data.get("demonym_after_noun", False)),
        capital_datelines=bool(data.get("capital_datelines", False)),
        country_anaphora=keyset("country_anaphora"),
        demonym_noun_forms=_noun_forms(keyset("demonym_nouns"), clitics),
        anaphora_forms=_noun_forms(keyset("country_anaphora"), clitics),
        capital_forms=frozenset(_noun_forms(keyset("capital_descriptors"), clitics)),
        anaphoric_nouns=keyset("anaphoric_nouns"),
        descriptor_links=keyset("descriptor_links"),
        definite_articles=keyset("definite_articles"),
        statement_verbs=keyset("statement_verbs_after"),
        source_nouns=keyset("source_nouns"),
        source_breaks=keyset("source_breaks"),
        source_asides=keyset("source_asides"),
        vowel_letters=normalize_name(lang, data.get("spelling_variants", {}).get("vowel_letters", "")),
        no_respell_prefixes=tuple(
            normalize_name(lang, w) for w in data.get("spelling_variants", {}).get("never_beginning", ())
        ),
        no_respell_endings=tuple(
            normalize_name(lang, w) for w in data.get("spelling_variants", {}).get("never_ending", ())
        ),
        variant_after=frozenset(
            " ".join(_phrase_keys(lang, w)) for w in data.get("spelling_variants", {}).get("after", ())
        ),
        locative_town_after=frozenset(" ".join(_phrase_keys(lang, w)) for w in data.get("locative_town_after", ())),
    )


def _noun_forms(nouns: frozenset[str], clitics: list[tuple[str, str, int]]) -> dict[str, tuple[str, str, int]]:
    """Each noun as written bare or behind a clitic ("بالعاصمة"): form -> (noun, clitic, characters
    of the form before the noun)."""
    out: dict[str, tuple[str, str, int]] = {n: (n, "", 0) for n in nouns}
    for n in nouns:
        for p, r, kept in clitics:
            if n.startswith(r):
                out.setdefault(p + n[len(r) :], (n, p, len(p) - kept))
    return out


def _end_kinds(
    cues: dict[str, frozenset[tuple[str, ...]]],
) -> dict[str, tuple[tuple[int, tuple[int, ...], frozenset[tuple[str, ...]]], ...]]:
    """Cue phrases by their last word, for every kind at once: word -> (kind bit, lengths longest
    first, the kind's phrases), the kinds in ``_CUE_KINDS`` order."""
    out: dict[str, list[tuple[int, tuple[int, ...], frozenset[tuple[str, ...]]]]] = {}
    for kind in _CUE_KINDS:
        for word, lengths in _lengths_by(cues[kind], -1).items():
            out.setdefault(word, []).append((_CUE_BIT[kind], lengths, cues[kind]))
    return {w: tuple(kinds) for w, kinds in out.items()}


def _lengths_by(phrases: frozenset[tuple[str, ...]], end: int) -> dict[str, tuple[int, ...]]:
    """Phrase lengths by their first (``end`` 0) or last (``end`` -1) word, longest first."""
    out: dict[str, set[int]] = {}
    for p in phrases:
        out.setdefault(p[end], set()).add(len(p))
    return {w: tuple(sorted(ls, reverse=True)) for w, ls in out.items()}


def _demonyms(lang: str, gaz: Gazetteer, data: dict) -> dict[str, int]:
    """Demonym keys -> country entry: each listed form with each of the language's endings
    ("باكستاني" + "ة", "ون", "ين"...; "Pakistani" + "s")."""
    out: dict[str, int] = {}
    endings = [normalize_name(lang, e) for e in data.get("demonym_endings", [""])]
    articles = [_key(a) if a else "" for a in data.get("demonym_articles", [""])]
    for code, forms in data.get("demonyms", {}).items():
        if code == "about":
            continue
        idx = gaz.country_index(code)
        if idx is None:
            raise ValueError(f"lang/{lang}/places.json: demonym country {code!r} is not in the gazetteer")
        for form in forms:
            base = " ".join(_phrase_keys(lang, form))
            # A form written with a trailing "+" is irregular: it takes no endings.
            if form.endswith("+"):
                out[base] = idx
                continue
            for a in articles:
                if a and base.startswith(a):
                    continue
                for e in endings:
                    out.setdefault(a + base + (_key(e) if e else ""), idx)
    return out


def _alias_target(gaz: Gazetteer, target: str) -> int | None:
    """Entry index of an alias target: ISO country code, admin1 code "CC.xx", geonameid or region id."""
    if target.isdigit():
        return gaz.index_of(int(target))
    if len(target) == 2 and target.isupper():
        return gaz.country_index(target)
    if "." in target:
        try:
            return gaz.admin1_index(gaz.admin1_codes.index(target))
        except ValueError:
            return None
    return gaz.region_index(target)


@dataclass(slots=True, init=False)
class _Mention:
    """One occurrence of a name in the text (token span, clitic, resolved group)."""

    i: int  # first token
    j: int  # last token
    key: str
    clitic: str  # Arabic prefix stripped from the first token ("" when none)
    name_offset: int  # characters of the first token before the name starts
    suffix: int  # characters cut from the end of the last token ("'s")
    hashtag: bool
    group: _Group | None = None
    cands: tuple[int, ...] = ()  # what matching found, before grouping
    role: str = "mentioned"
    person: bool = False  # reads like a person's name ("Dr Dunn", "Bruce Ivins", "Dunn said")
    # What the words around it say, computed once (see _Matcher.context and _Matcher.facts).
    ctx: tuple[int, bool, bool, int] | None = None
    facts: tuple[bool, bool, bool, bool, bool] | None = None

    def __init__(
        self, i: int, j: int, key: str, clitic: str, name_offset: int, suffix: int, hashtag: bool
    ) -> None:
        self.i = i
        self.j = j
        self.key = key
        self.clitic = clitic
        self.name_offset = name_offset
        self.suffix = suffix
        self.hashtag = hashtag
        self.group = None
        self.cands = ()
        self.role = "mentioned"
        self.person = False
        self.ctx = None
        self.facts = None


@dataclass(slots=True, init=False)
class _Group:
    """All mentions of one name key, resolved together."""

    key: str
    cands: tuple[int, ...]
    table: _CandTable
    mentions: list[_Mention] = field(default_factory=list)
    common: bool = False  # an ordinary word as well as a place: needs support
    descriptor: bool = False  # "the town of X", "بلدة X"
    kind_named: bool = False  # a descriptor says what kind of place it is ("بلدة X"), not "شوارع X"
    capital: bool = False  # "the capital X", "العاصمة X": a capital wins
    area: bool = False  # "the state of X", "X province": a state, province or region wins
    settlement: bool = False  # "the town of X": no country wins
    compound: bool = True  # every mention is the first word of a longer capitalized name ("Nur Shams")
    locative: bool = False  # some mention follows a locative cue
    sentence_initial_only: bool = True
    all_person: bool = True  # every mention reads like a person's name
    sents: set[int] = field(default_factory=set)  # the sentences of its mentions
    # "X, Y": Y qualifies X (tuples: most groups have none, and an empty tuple costs nothing)
    qualifiers: tuple[_Group, ...] = ()
    qualifies: tuple[_Group, ...] = ()
    # "X and Y", "X or Y": the groups coordinated with it (see _Matcher.namesakes)
    coordinated: tuple[_Group, ...] = ()
    pick: int = -1
    conf: float = 0.0
    supported: bool = False  # some context (its country named, a place within 150 km...)
    strong: bool = False  # strong context (a place within 60 km, its admin1 named, "X, Y", "town of X")
    kept: bool = False  # a place at all (see _Matcher.keep)

    def __init__(self, key: str, cands: tuple[int, ...], table: _CandTable) -> None:
        self.key = key
        self.cands = cands
        self.table = table
        self.mentions = []
        self.common = False
        self.descriptor = False
        self.kind_named = False
        self.capital = False
        self.area = False
        self.settlement = False
        self.compound = True
        self.locative = False
        self.sentence_initial_only = True
        self.all_person = True
        self.sents = set()
        self.qualifiers = ()
        self.qualifies = ()
        self.coordinated = ()
        self.pick = -1
        self.conf = 0.0
        self.supported = False
        self.strong = False
        self.kept = False


class _Matcher:
    """Matching and resolution state for one document."""

    def __init__(self, doc: Doc, gaz: Gazetteer, tb: _Tables) -> None:
        self.doc = doc
        self.gaz = gaz
        self.tb = tb
        # The words as the parallel lists of the Doc (no Token objects are built).
        texts = self.texts = doc.words
        self.starts = doc.word_starts
        self.ends = doc.word_ends
        lang = doc.lang
        # Per-token work is done by C-level map/zip/compress over per-word cached facts, so that
        # the Python code only runs for the few tokens that matter.
        cache = _word_cache(lang)
        # Every key a lower-case word of this language had so far (see is_lower_word): exact for
        # this article unless the word cache was cleared while its words were read.
        self._lower_seen: set[str] | None = _lower_keys(lang)
        try:
            info = [cache[w] for w in texts]  # (a native loop in the compiled build)
        except KeyError:  # some word not seen before
            found = list(map(cache.get, texts))
            for t, w in enumerate(found):
                if w is None:
                    if len(cache) >= _WORD_CACHE_SIZE:
                        cache.clear()  # bounded: untrusted input cannot grow it forever
                        _lower_keys(lang).clear()  # (what is left of it is what the cache holds)
                        self._lower_seen = None  # words read before the clear are not in it
                    found[t] = cache[texts[t]] = _word(lang, texts[t])
            info = found  # type: ignore[assignment]  # no None left
        n = len(texts)
        # Per token: see _word. A token's key (info[t][0]), cue key (info[t][3]) and flags are read
        # from it where needed, a few tokens per mention: no list of every token's key or cue key
        # is built (a cue phrase of several words is built from its own tokens, see _cue_phrase).
        self.info = info
        self.blocked = bytearray(n)
        # Sentence number of each token (the document's table, shared with the phrase matchers;
        # one entry more than the tokens), and where each sentence's first token is.
        starts = self.starts
        cuts, self.sent = doc.word_sentences()
        firsts = cuts[:-1]
        self.n = n
        # The tokens is_initial holds initial: the first of each sentence, and each right after
        # an opening quote or a colon (no word character is one, so the mark lies in the gap).
        initial = set(firsts)
        initial.add(0)
        norm = doc.norm
        # (what _AFTER_INITIAL_MARK_RE matches, found by a string search per mark: marks are few,
        # and the regex engine would test every character of the text against its class)
        for q in _INITIAL_MARKS:
            pos = norm.find(q)
            while pos >= 0:
                # The first word after the mark, when only white space lies between.
                t = bisect_left(starts, pos + 1)
                if t < n and (starts[t] == pos + 1 or norm[pos + 1 : starts[t]].isspace()):
                    initial.add(t)
                pos = norm.find(q, pos + 1)
        self.initial = initial
        self._lower_words: frozenset[str] | None = None
        self.covered: set[int] = set()  # tokens inside name mentions
        self.adm1_w: dict[int, dict[int, float]] = {}  # sentence -> country -> admin1 units named there
        self.sent_a1: dict[int, set[int]] = {}  # sentence -> the admin1 units named there (see score)
        self.demonym_cc: dict[int, float] = {}  # country number -> context weight from demonyms
        self.groups: list[_Group] = []  # the resolved groups, once resolution is done (see keep)
        self._before: dict[int, tuple[int, bool, bool]] = {}  # context_before by first token
        self._near_cells: dict[tuple[int, ...], frozenset[int]] = {}  # see resolve
        self.anaphora: list[int] = []  # the tokens that are country nouns (set by find_places)

    def is_initial(self, t: int) -> bool:
        """Whether token ``t`` starts a sentence (or follows an opening quote or a colon): the
        last non-space character between it and the word before is one of ``_INITIAL_MARKS``."""
        return t in self.initial

    # -- helpers --------------------------------------------------------------------------------
    def lower_words(self) -> frozenset[str]:
        """Keys of the words written in lower case somewhere in the article (ordinary words)."""
        if self._lower_words is None:
            self._lower_words = frozenset([w[_KEY] for w in self.info if w[_LOWER]])
        return self._lower_words

    def is_lower_word(self, key: str) -> bool:
        """Whether ``key`` is in :meth:`lower_words`. A key no lower-case word of the language
        has had so far (``_lower_keys``) is not, and needs no set of the article's words."""
        seen = self._lower_seen
        if self._lower_words is None and seen is not None and key not in seen:
            return False
        return key in (self._lower_words or self.lower_words())

    def lookup(self, key: str) -> tuple[int, ...]:
        """Candidates of a key: language aliases first, then the gazetteer's, best first."""
        return _cand_table(self.doc.lang, key).idx

    def gap_ok(self, a: int, b: int) -> bool:
        """True when tokens ``a`` and ``b`` (= a+1) may belong to one name: only spaces between
        them, or the full stop of a short abbreviation ("St. Louis", "U.S.")."""
        gap = self.doc.norm[self.ends[a] : self.starts[b]]
        if not gap.strip():
            return "\n" not in gap
        return gap.strip() == "." and len(self.texts[a]) <= 2 and len(gap) <= 2

    def in_url_or_handle(self, t: int) -> bool:
        """Words of URLs, e-mail addresses and @handles are never places."""
        norm = self.doc.norm
        start = self.starts[t]
        end = self.ends[t]
        text = self.texts[t]
        before = norm[start - 1] if start > 0 else " "
        after = norm[end] if end < len(norm) else " "
        short = len(text) <= 2 and text.isupper()  # "U.S.", "D.C."
        if before in "@/\\":
            return True
        if before == "." and not short and start > 1 and not norm[start - 2].isspace():
            return True
        return after in "./@" and not short and end + 1 < len(norm) and norm[end + 1].isalnum()

    # -- matching -------------------------------------------------------------------------------
    def agency_at(self, i: int) -> int:
        """Tokens of a news-agency name starting at token ``i`` (0: none)."""
        tb = self.tb
        info = self.info
        n = len(info)
        for first in info[i][1]:
            longest = first[4]
            if not longest:
                continue
            if longest == 1:  # a one-word agency name ("Reuters"): no parts to grow
                if first[0] in tb.agencies:
                    return 1
                continue
            parts = [first[0]]
            key = first[0]
            # (the name grows only while it still begins an agency's name: most stop at once)
            for j in range(i + 1, min(n, i + longest)):
                key = f"{key} {info[j][0]}"
                if key not in tb.agency_prefixes or not self.gap_ok(j - 1, j):
                    break
                parts.append(info[j][0])
            for length in range(len(parts), 0, -1):
                if " ".join(parts[:length]) in tb.agencies:
                    return length
        return 0

    def suffix_cut(self, t: int) -> tuple[str, int] | None:
        """The key of token ``t`` without a suffix such as "'s", and the characters cut."""
        return _suffix_cut(self.doc.lang, self.texts[t])

    def acceptable(self, i: int, j: int, key: str, hashtag: bool, alias: bool) -> bool:
        """Whether tokens i..j may be read as the name ``key`` at all (before resolution)."""
        tb = self.tb
        if key in tb.stop:
            return False
        texts = self.texts
        if not hashtag:
            for t in range(i, j + 1):
                if not _lower_initial(texts[t]):
                    continue
                if t == i or (t == j and self.info[t][0] not in tb.descriptors):
                    return False  # ("Idlib province" may end in lower case; nothing may start so)
                if t < j and self.info[t][0] not in tb.connectors:
                    return False
            if j > i and _lower_initial(texts[j]) and self.info[i][2] >= 0:
                return False  # "the French city of Arras": a demonym and a place noun, not "French City"
        if i == j and not alias:
            text = texts[i]
            if len(key) < 3:
                return False
            if text.isupper() and len(text) <= 5 and text.isascii() and not hashtag:
                return False  # "FDA", "CDC": acronyms are places only when listed as aliases
            if _is_contraction(text):
                return False
        # A capitalized ordinary word at the start of a sentence ("Reading the report...").
        return not (
            i == j
            and not hashtag
            and texts[i][0].isupper()
            and self.is_initial(i)
            and (key in tb.common or self.is_lower_word(key))
        )

    def match_at(self, i: int, hashtag: bool) -> _Mention | None:
        """The longest acceptable name starting at token ``i`` (clitic variants included)."""
        tb = self.tb
        best: _Mention | None = None
        best_strong = False
        variants = self.info[i][1]
        text = self.texts[i]
        possessive = text[-2:-1] in ("'", "\u2019")
        if hashtag:
            key = self.info[i][0]
            if text[:1].isupper() and " " not in key and any(c.isupper() for c in text[1:]):
                key = _key(_split_camel(text))  # "#EasternGhouta"
            variants = ((key, "", 0, 1, 0, 0, (), False), *variants)
        info = self.info
        n = len(info)
        # (the gazetteer's key dictionary itself: a membership test, no method call per word pair)
        key_ids = self.gaz._key_id
        for vkey, clitic, offset, words, _, cut, single, single_strong in variants:
            if not words:
                continue
            if hashtag and not clitic and not cut:
                cands = self.lookup(vkey) if self.acceptable(i, i, vkey, True, vkey in tb.aliases) else ()
                found = (i, vkey, cands, 0) if cands else None
            elif cut:
                cands = self.lookup(vkey) if self.acceptable(i, i, vkey, hashtag, vkey in tb.aliases) else ()
                found = (i, vkey, cands, cut) if cands else None
            elif (not hashtag and not clitic and not cut and i + 1 < n and f"{vkey} {info[i + 1][0]}" not in key_ids
                  and (alt := _article_respelled(self.doc.lang, vkey, info[i + 1][0]))
                  and self.gap_ok(i, i + 1) and self.acceptable(i, i + 1, alt, False, False)):
                # "Deir el-Zour", "Jisr al-Shughur": the name as the gazetteer spells its article.
                found = (i + 1, alt, self.lookup(alt), 0)
            elif not hashtag and (
                words == 1 or i + 1 >= n or (
                    (pair := f"{vkey} {info[i + 1][0]}") not in key_ids
                    and pair not in tb.alias_continues
                    and not (tb.suffixes and info[i + 1][8])
                )
            ):
                # The word begins no longer name here: what it matches is a property of the word
                # alone, cached, but for the sentence-initial check of capitalized words.
                if not single or (
                    text[0].isupper() and self.is_initial(i)
                    and (vkey in tb.common or self.is_lower_word(vkey))
                ):
                    continue
                if best is None or (best.j == i and single_strong and not best_strong):
                    best = _Mention(i, i, vkey, clitic, offset, 0, hashtag)
                    best.cands = single
                    best_strong = single_strong
                continue
            else:
                found = self.longest(i, vkey, words)
            if found is None:
                continue
            j, key, cands, suffix = found
            strong = _strong(self.gaz, cands[0])
            # "Peru's" is Peru, not the town of Perus: a strong reading without the possessive
            # goes before the one-word literal reading.
            if best is None or j > best.j or (
                j == best.j and strong and (not best_strong or (suffix and not best.suffix and j == i and possessive))
            ):
                best = _Mention(i, j, key, clitic, offset, suffix, hashtag)
                best.cands = cands
                best_strong = strong
        return best

    def longest(self, i: int, first: str, words: int) -> tuple[int, str, tuple[int, ...], int] | None:
        """Longest n-gram from token ``i`` (read as ``first``, which begins names of up to ``words``
        words) naming a place: (last token, key, candidates, suffix characters cut).

        The n-gram grows only while it is still a name or the start of one (the index holds every
        word prefix of its names), so most words cost one dictionary lookup.
        """
        tb = self.tb
        info = self.info
        key_ids = self.gaz._key_id
        blocked = self.blocked
        n = len(info)
        prefixes = [first]
        key = first
        last = i
        suffixed: tuple[int, str, int] | None = None
        while last + 1 < n and len(prefixes) < words and not blocked[last + 1]:
            nxt = f"{key} {info[last + 1][0]}"
            if nxt not in key_ids and nxt not in tb.alias_continues:
                # (the cheap dictionary test first, the gap between the words only when needed)
                if tb.suffixes and self.gap_ok(last, last + 1):
                    cut = self.suffix_cut(last + 1)
                    if cut is not None:
                        suffixed = (last + 1, f"{key} {cut[0]}", cut[1])  # "New York's"
                break
            if not self.gap_ok(last, last + 1):
                break
            key = nxt
            last += 1
            prefixes.append(key)
        if suffixed is not None:
            j, skey, cut_chars = suffixed
            cands = self.lookup(skey)
            if cands and self.acceptable(i, j, skey, False, skey in tb.aliases):
                return j, skey, cands, cut_chars
        for length in range(len(prefixes), 1, -1):
            j = i + length - 1
            key = prefixes[length - 1]
            cands = self.lookup(key)
            if cands and self.acceptable(i, j, key, False, key in tb.aliases):
                return j, key, cands, 0
        # One word: what it matches is a property of the word alone, cached, but for the
        # sentence-initial check of capitalized words.
        text = self.texts[i]
        cands = _single(self.doc.lang, text, first)
        if not cands or (
            text[0].isupper() and self.is_initial(i) and (first in tb.common or self.is_lower_word(first))
        ):
            return None
        return i, first, cands, 0

    def find(self) -> list[_Mention]:
        """Every name mention of the document, left to right, without overlaps."""
        out: list[_Mention] = []
        word_starts = self.starts
        word_ends = self.ends
        norm = self.doc.norm
        end = len(norm)
        # Names are capitalized where the script has case; the agencies that are not ("dpa") are
        # never places anyway. Hashtags count whatever their case.
        starts = [t for t, w in enumerate(self.info) if w[_STARTER]]
        if "#" in norm:
            tagged = set()
            at = norm.find("#")
            while at >= 0:
                t = bisect_left(word_starts, at + 1)
                if t < len(word_starts) and word_starts[t] == at + 1:
                    tagged.add(t)
                at = norm.find("#", at + 1)
            starts = sorted(set(starts) | tagged)
        free = 0
        info = self.info
        n = len(info)
        key_ids = self.gaz._key_id
        tb = self.tb
        alias_continues = tb.alias_continues
        suffixes = bool(tb.suffixes)
        m: _Mention | None
        for i in starts:
            if i < free:
                continue
            start = word_starts[i]
            before = norm[start - 1] if start > 0 else " "
            hashtag = before == "#"
            after = norm[word_ends[i]] if word_ends[i] < end else " "
            if (before in _URL_BEFORE or after in _URL_AFTER) and self.in_url_or_handle(i):
                self.blocked[i] = 1
                continue
            word = info[i]
            if word[4]:
                agency = self.agency_at(i)
                if agency:
                    for t in range(i, i + agency):
                        self.blocked[t] = 1
                    free = i + agency
                    continue
            variants = word[1]
            if not hashtag and len(variants) == 1:
                # The commonest case, match_at's for one reading that begins no longer name here.
                vkey, clitic, offset, words, _, cut, single, _ = variants[0]
                if not words or cut:
                    longer = True
                elif words == 1 or i + 1 >= n:
                    longer = False
                else:
                    # Whether "word next" begins a longer name, remembered per spelling and next
                    # word (see _PAIRS): the commonest pairs skip the string and the index probe.
                    pairs = word[_PAIRS]
                    nk = info[i + 1][0]
                    # (its own name: ``longer`` is a bool, which the optional mypyc build checks)
                    known = pairs.get(nk)
                    if known is None:
                        if len(pairs) >= _PAIRS_SIZE:
                            pairs.clear()  # bounded: untrusted input cannot grow it forever
                        pair = f"{vkey} {nk}"
                        known = pairs[nk] = (pair in key_ids or pair in alias_continues
                                             or bool(_article_respelled(self.doc.lang, vkey, nk)))
                    longer = known or (suffixes and info[i + 1][8])
                if not longer:
                    # (the sentence-initial test first: the article's lower-case words are
                    # collected only when a capitalized word starts a sentence)
                    if not single or (
                        self.texts[i][0].isupper() and i in self.initial
                        and (vkey in tb.common or self.is_lower_word(vkey))
                    ):
                        continue
                    m = _Mention(i, i, vkey, clitic, offset, 0, False)
                    m.cands = single
                    out.append(m)
                    free = i + 1
                    continue
            m = self.match_at(i, hashtag)
            if m is None:
                continue
            out.append(m)
            free = m.j + 1
        return out

    def initial_qualified(self, found: list[_Mention]) -> list[_Mention]:
        """Add the ordinary words that matching rejected at the start of a sentence when a state
        or country containing one of their places qualifies them: "Buffalo, New York in the
        United States" ("Buffalo" begins a sentence and is a common word, see acceptable)."""
        gaz = self.gaz
        norm = self.doc.norm
        added = []
        last = -1  # the last token of the mention before q
        for q in found:
            t = q.i - 1
            prev, last = last, q.j
            if t <= prev or self.sent[t] != self.sent[q.i]:
                continue
            text = self.texts[t]
            if not text[:1].isupper() or not self.is_initial(t) or norm[self.ends[t] : self.starts[q.i]] != ", ":
                continue
            key = self.info[t][0]
            if key not in self.tb.common and key not in self.lower_words():
                continue  # (any other word was matched already if it could be)
            cands = _single(self.doc.lang, text, key)
            outer = [c for c in q.cands[:MAX_CANDIDATES] if gaz.feature_of[c] in (F_ADMIN1, F_COUNTRY)]
            if cands and outer and any(_contains(gaz, o, c) for o in outer for c in cands):
                m = _Mention(t, t, key, "", 0, 0, False)
                m.cands = cands
                added.append(m)
        return sorted(found + added, key=lambda m: m.i) if added else found

    # -- cues -----------------------------------------------------------------------------------
    def cue_key(self, t: int) -> str:
        """Token key for cue matching: a conjunction clitic is dropped from a known cue word ("وقرب")."""
        return self.info[t][3]

    def cue_mask(self, t: int, sent: int) -> int:
        """The kinds of the cue phrases that end at token ``t`` within sentence ``sent``, as bits
        (``_CUE_BIT``), every kind in one lookup. ``t`` lies before the mention
        whose sentence ``sent`` is, so a token of an earlier sentence ends no cue of it."""
        if t < 0:
            return 0
        sents = self.sent
        if sents[t] != sent:
            return 0
        info = self.info
        ends = info[t][_CUE_END]
        if ends is None:
            return 0
        # The kinds with a one-word phrase of this word are certain; only the others need the
        # words before (see _word).
        mask, kinds = ends
        for bit, lengths, phrases in kinds:
            for length in lengths:  # longest first
                start = t - length + 1
                if start < 0 or sents[start] != sent:
                    continue
                if length == 1 or _cue_phrase(info, start, t + 1) in phrases:
                    mask |= bit
                    break
        return mask

    def context(self, m: _Mention) -> tuple[int, bool, bool, int]:
        """:meth:`context_before` of a mention and the cues that end where it stops (see
        :meth:`cue_mask`), once per mention: (token where a cue would end, a descriptor was seen,
        a locative clitic was seen on a skipped descriptor, cue kinds ending at that token)."""
        ctx = m.ctx
        if ctx is None:
            i = m.i
            before = self._before.get(i)
            if before is None:
                before = self._before[i] = self._context_before(i)
            p, descriptor, desc_loc = before
            ctx = m.ctx = (p, descriptor, desc_loc, self.cue_mask(p, self.sent[i]))
        return ctx

    def cue_starts_at(self, kind: str, t: int, sent: int) -> bool:
        """True when a cue phrase of ``kind`` starts at token ``t``."""
        info = self.info
        n = len(info)
        if t >= n or self.sent[t] != sent:
            return False
        lengths = self.tb.cue_starts[kind].get(info[t][3])
        if not lengths:
            return False
        phrases = self.tb.cues[kind]
        return any(
            length == 1 or (t + length <= n and _cue_phrase(info, t, t + length) in phrases) for length in lengths
        )

    def context_before(self, m: _Mention) -> tuple[int, bool, bool]:
        """Skip descriptors and modifiers before a mention: (token where a cue would end,
        a descriptor was seen, a locative clitic was seen on a skipped descriptor)."""
        found = self._before.get(m.i)
        if found is None:
            found = self._before[m.i] = self._context_before(m.i)
        return found

    def _context_before(self, i: int) -> tuple[int, bool, bool]:
        # (what each word is here is its flags, see _word)
        sents = self.sent
        info = self.info
        sent = sents[i]
        p = i - 1
        descriptor = False
        locative = False
        steps = 0
        loc_modifiers = self.tb.locative_modifiers
        while p >= 0 and steps < _CONTEXT_STEPS and sents[p] == sent:
            flags = info[p][_FLAGS]
            if flags & _W_DESCRIPTOR:
                descriptor = True
            elif flags & _W_MODIFIER and info[p][3] in loc_modifiers:
                break  # "داخل مدينة X": the modifier is the locative cue itself
            elif descriptor and info[p][6]:
                pass  # "in the central Israeli city of Hadera": a demonym before the place noun qualifies it
            elif not flags & _W_MODIFIER:
                if flags & _W_CLITIC_DESCRIPTOR:  # "بمدينة": a descriptor behind a clitic
                    descriptor = True
                    locative = bool(flags & _W_CLITIC_DESCRIPTOR_LOCATIVE)
                    p -= 1
                break
            p -= 1
            steps += 1
        return p, descriptor, locative

    def role_of(self, m: _Mention, feature: int) -> str:
        """The role of one mention from the cues around it."""
        tb = self.tb
        sent = self.sent[m.i]
        p, _, desc_locative, cues = self.context(m)
        if feature == F_COUNTRY:
            conj = (bool(m.clitic) and m.clitic[0] in tb.conjunction_clitics) or (
                m.i > 0 and self.cue_mask(m.i - 1, sent) & _CONJ
            )
            # "U.S. troops": the abbreviation's full stop is not a sentence end for the cue after it.
            nxt = m.j + 1
            after_sent = self.sent[nxt] if nxt < len(self.texts) and self.gap_ok(m.j, nxt) else sent
            if cues & _ACT_BEFORE or self.cue_starts_at("actor_after", nxt, after_sent):
                return "actor"
            window = range(max(0, m.i - 8), m.i)
            between = tb.cue_starts["between"]
            # "between X and Russia" names a side; "clashes between protesters and police in
            # south-eastern Turkey" (a locative or direction word right before) names the place.
            if (conj or (m.i == p + 1 and not cues & (_LOC | _DIR))) and any(
                    self.sent[t] == sent and self.info[t][3] in between for t in window):
                return "actor"
        if (tb.definite_articles and m.i > 0 and self.info[m.i - 1][0] in tb.definite_articles
                and self.cue_starts_at("event_name_after", m.j + 1, sent)):
            # "a strike over the Tempi rail disaster", "under the Minsk agreements": the name
            # names a past event or an accord, not where this one happened (a place of the story
            # still, when nothing better is named).
            return "mentioned"
        if not m.clitic and cues & _STATEMENT:
            # "..., the security service said in Bishkek": where the statement was made, not the
            # incident (still a place of the story when nothing better is named).
            return "mentioned"
        if not m.clitic and cues & _REF:
            return "reference_point"
        if cues & _ACROSS and (not m.clitic or m.clitic in tb.across_clitics):
            return "reference_point"  # "المحاذية لأفغانستان": see _Matcher.across
        if not m.clitic and cues & _DIR:
            return "reference_point" if feature in (F_CITY, F_ADMIN2) else "incident_location"
        if (
            (m.clitic and any(c in m.clitic for c in tb.locative_clitics)) or desc_locative
            or (not m.clitic and cues & _LOC)
        ):
            # "the Black Sea town of Of": the name only describes the next one.
            k = m.j + 1
            if (tb.descriptor_links and k + 1 < self.n and self.info[k][3] in tb.descriptors
                    and self.info[k + 1][0] in tb.descriptor_links and self.sent[k + 1] == sent):
                return "mentioned"
            return "incident_location"
        return "mentioned"

    def personish(self, m: _Mention) -> bool:
        """Whether a one-word name reads like (part of) a person's name: after a title ("Dr
        Dunn", "الرئيس بشار"), before "said", or after another capitalized word ("Bruce Ivins");
        a quoted nickname of any length after a name ("Joaquin 'El Chapo' Guzman")."""
        if m.hashtag:
            return False
        tb = self.tb
        texts = self.texts
        norm = self.doc.norm
        sent = self.sent[m.i]
        prev = m.i - 1
        if m.i != m.j:
            if prev < 0 or self.sent[prev] != sent:
                return False
            gap = norm[self.ends[prev] : self.starts[m.i]]
            text = texts[prev]
            return (gap[:1] == " " and gap[1:] in _OPENING_QUOTES and text[0].isupper() and not text.isupper()
                    and self.info[prev][0] not in tb.cue_words and not self.is_initial(prev))
        # (the words' tests are their flags, see _word)
        sents = self.sent
        info = self.info
        nxt = m.j + 1
        said = nxt < self.n and sents[nxt] == sent and bool(info[nxt][_FLAGS] & _W_SAID)
        if prev < 0 or sents[prev] != sent:
            return said
        flags = info[prev][_FLAGS]
        if flags & _W_TITLE:
            return True
        after_name = False
        if flags & _W_NAMEISH and prev not in self.initial and prev not in self.covered:
            gap = norm[self.ends[prev] : self.starts[m.i]]
            # "Joaquin 'El Chapo' Guzman": a quoted nickname after a name is a person's too.
            after_name = gap == " " or (gap[:1] == " " and gap[1:] in _OPENING_QUOTES)
        if not (after_name or said):
            return False
        # "officials in London said": a place after a locative or reference cue is a place; so is
        # one after a direction ("east of Harare, told") or "of" ("the district of Nairobi said").
        cues = self.cue_mask(prev, sent)
        return not (cues & (_LOC | _REF) or (said and (self.info[prev][3] == "of" or cues & _DIR)))

    def weak(self, m: _Mention) -> bool:
        """A one-word match all of whose readings are small places that need support, with no
        descriptor ("the town of") or hashtag to vouch for it."""
        if m.i != m.j or m.hashtag or not m.cands or not _weak_key(self.doc.lang, m.key):
            return False
        _, descriptor, _ = self.context_before(m)
        return not (descriptor or self.after_direction(m) or self.locative_town(m))

    def after_direction(self, m: _Mention) -> bool:
        """Whether a direction word ("غربي الضلوعية", west of) stands right before a mention
        that carries no clitic: the name is a town the text locates something by."""
        return not m.clitic and bool(self.context(m)[3] & _DIR)

    def admit_weak(self, groups: list[_Group], weak: list[_Mention]) -> list[_Mention]:
        """The weak mentions that a candidate near a resolved place (or in a named admin1) supports."""
        gaz = self.gaz
        anchors = [g.pick for g in groups if g.pick >= 0 and self.reliable(g)]
        # The countries the article is set in: named ones and demonyms ("في بوساسو بشمال الصومال").
        countries = {gaz.country_of[a] for a in anchors if gaz.feature_of[a] == F_COUNTRY} | set(self.demonym_cc)
        if not anchors and not countries:
            return []
        admin1s = {gaz.admin1_of[a] for a in anchors if gaz.feature_of[a] in (F_ADMIN1, F_REGION, F_ADMIN2)}
        located = [
            (gaz.lat_of[a], gaz.lon_of[a]) for a in anchors if not math.isnan(gaz.lat_of[a]) and gaz.feature_of[a] != F_COUNTRY
        ]
        out = []
        verdict: dict[str, bool] = {}
        for m in weak:
            ok = verdict.get(m.key)
            if ok is None:
                # Some candidate in a named admin1 unit or within 60 km of a located anchor. (The
                # table's rows hold each candidate's admin1, lat and lon: a weak name's
                # candidates are towns, whose admin1 the rows keep.)
                ok = False
                for row in _cand_table(self.doc.lang, m.key).rows:
                    if row[4] in admin1s:
                        ok = True
                        break
                    lat, lon = row[5], row[6]
                    for alat, alon in located:
                        if abs(alat - lat) < 1.0 and _haversine_km(alat, alon, lat, lon) < 60:
                            ok = True
                            break
                    if ok:
                        break
                verdict[m.key] = ok
            # A town of the article's country right after a locative word ("في X", not a clitic):
            # an ordinary word is rarely written so.
            if ok or (countries and not m.clitic and self.after_locative_word(m) and any(
                gaz.country_of[c] in countries and _eff_pop(gaz, self.tb, c) >= MIN_UNSUPPORTED_POPULATION
                for c in m.cands
            )):
                out.append(m)
        return out

    def after_locative_word(self, m: _Mention) -> bool:
        """Whether a locative cue word ends right before a mention (descriptors skipped)."""
        return bool(self.context(m)[3] & _LOC)

    # -- demonyms and containers ----------------------------------------------------------------
    def function_word(self, t: int) -> bool:
        """Whether token ``t`` is a cue, descriptor, modifier or connector word (clitics allowed)."""
        return _function_word(self.doc.lang, self.info[t][3])

    def noun_at(self, t: int, forms: dict[str, tuple[str, str, int]]) -> tuple[str, str, int] | None:
        """Token ``t`` read as a noun of ``forms`` (see :func:`_noun_forms`): (noun key, clitic,
        characters of the token before the noun), or None."""
        return forms.get(self.info[t][0])

    def country_anaphora(self, items: list[tuple[_Mention, int, float]]) -> list[tuple[_Mention, int, float]]:
        """"شمال غربي البلاد", "north-west of the country": the country the article is set in,
        when a locative or direction word introduces the noun and one country leads the article's
        places and demonyms."""
        tb = self.tb
        forms = tb.anaphora_forms
        hits = [t for t in self.anaphora if t not in self.covered]
        if not hits:
            return []
        gaz = self.gaz
        weight: dict[int, float] = dict(self.demonym_cc)
        for _m, c, _ in items:
            cc = gaz.country_of[c]
            if cc >= 0:
                weight[cc] = weight.get(cc, 0.0) + (1.0 if gaz.feature_of[c] == F_COUNTRY else 0.5)
        if not weight:
            return []
        ranked = sorted(weight.values(), reverse=True)
        if len(ranked) > 1 and ranked[0] - ranked[1] < 0.3:
            return []  # no one country leads
        country = gaz.country_index(gaz.countries[max(weight, key=weight.__getitem__)])
        if country is None:
            return []
        out = []
        for t in hits:
            noun = forms[self.info[t][0]]
            _, clitic, offset = noun
            m = _Mention(t, t, noun[0], clitic, offset, 0, False)
            p, _, _ = self.context_before(m)
            sent = self.sent[t]
            located = any(c in clitic for c in tb.locative_clitics) if clitic else bool(
                self.cue_mask(p, sent) & (_DIR | _LOC)
            )
            if located:
                out.append((m, country, 0.5))
        return out

    def demonym_places(self, demonyms: list[tuple[int, int]]) -> list[tuple[_Mention, int, float]]:
        """Places named by a place noun and a demonym: "المنطقة القبلية الباكستانية" (Pakistan),
        "the Iraqi capital" (Baghdad). A noun that a name follows ("the Iraqi city of Mosul") is
        left to the name."""
        tb = self.tb
        gaz = self.gaz
        covered = self.covered
        n = len(self.texts)
        out: list[tuple[_Mention, int, float]] = []
        for t, idx in demonyms:
            sent = self.sent[t]
            steps = (-1, -2) if tb.demonym_after_noun else (1, 2)
            for step in steps:
                u = t + step
                if not 0 <= u < n or self.sent[u] != sent:
                    break
                noun = self.noun_at(u, tb.demonym_noun_forms)
                between = range(min(u, t) + 1, max(u, t))
                if noun is None:
                    continue
                if any(x in covered for x in between):
                    break
                i, j = min(u, t), max(u, t)
                after = j + 1
                if after < n and (after in covered or (
                    after + 1 < n and after + 1 in covered and self.function_word(after)
                    and not self.cue_mask(after, sent) & _ACROSS  # "المنطقة القبلية الباكستانية المحاذية لأفغانستان"
                )):
                    break  # "the Iraqi city of Mosul", "العاصمة العراقية بغداد"
                key, clitic, offset = noun
                if key in tb.anaphoric_nouns and (
                    not tb.definite_articles or (i > 0 and self.info[i - 1][0] in tb.definite_articles)
                ):
                    break  # "the Italian city" is a town the article named before, not Italy
                entry = idx
                if key in tb.capital_descriptors:
                    entry = gaz.capital_index(gaz.country_of[idx]) or idx
                m = _Mention(i, j, key, clitic if u == i else "", offset if u == i else 0, 0, False)
                out.append((m, entry, 0.7 if entry != idx else 0.6))
                break
        return out

    def link_containers(self, items: list[tuple[_Mention, int, float]], roles: list[str]) -> list[str]:
        """Hand the incident-location role from a container to the place it qualifies: "Rostock, in
        north-eastern Germany", "بوساسو بشمال الصومال" (the town before its country) and "in
        Yemen's northern Saada province" (the country's possessive before the place)."""
        gaz = self.gaz
        for k in range(len(items) - 1):
            a, ca, _ = items[k]
            b, cb, _ = items[k + 1]
            gap = b.i - a.j - 1
            if gap < 0 or gap > 4 or self.sent[a.j] != self.sent[b.i]:
                continue
            if not all(self.function_word(t) for t in range(a.j + 1, b.i)):
                continue
            if roles[k + 1] == "incident_location" and roles[k] in ("mentioned", "incident_location") and _contains(gaz, cb, ca):
                roles[k], roles[k + 1] = "incident_location", "mentioned"
            elif a.suffix and roles[k] == "incident_location" and roles[k + 1] == "mentioned" and (
                    _contains(gaz, ca, cb) or _open_area_holds(gaz, ca, cb)):
                roles[k], roles[k + 1] = "mentioned", "incident_location"
        return roles

    def spelling_variants(self, found: list[_Mention]) -> list[_Mention]:
        """Read an unknown word right after a locative word or a descriptor ("في كراكاس", "مدينة
        X") through another spelling of a big place: one long vowel letter more or less
        ("كراكاس" is GeoNames' "كاراكاس", "سالونيكي" its "سالونيك"). Only spellings of a single
        place that is a country, an admin1 unit or a city of 100,000 or more are taken; a word
        that is a name as written, or begins one, is never respelled (see _respelled)."""
        tb = self.tb
        if not tb.vowel_letters:
            return found
        info = self.info
        sent = self.sent
        covered = _covered(found)
        added: list[_Mention] = []
        for t in range(1, self.n):
            word = info[t]
            if word[1] or t in covered or self.blocked[t] or sent[t - 1] != sent[t]:
                continue
            prev = info[t - 1]
            if prev[_CUE_KEY] not in tb.variant_after and not prev[_FLAGS] & _W_DESCRIPTOR:
                continue
            vkey = _respelled(self.doc.lang, word[_KEY])
            if vkey:
                cands = _single(self.doc.lang, self.texts[t], vkey)
                if cands:
                    m = _Mention(t, t, vkey, "", 0, 0, False)
                    m.cands = cands
                    added.append(m)
        if not added:
            return found
        return sorted(found + added, key=_FIRST_TOKEN)

    def statement_places(self, items: list[tuple[_Mention, int, float]], roles: list[str]) -> list[str]:
        """Demote the place where a statement was made to a landmark when its sentence names
        another place: "وفي أوتاوا وصف وزير الدفاع الكندي فرار ألف سجين من سجن قندهار" is about
        Kandahar, "كشفت مصادر أمنية في العاصمة إسلام آباد عن هجوم ... بوادي سوات" about Swat. A
        place after a locative word is a statement's place when a verb of saying follows it, or a
        source noun ("مصادر", "مسؤول") stands a few words before the locative word. Alone in its
        sentence it stays the incident's place ("وفي بغداد قال مصدر إن خمسة قتلوا")."""
        tb = self.tb
        if not items or not (tb.statement_verbs or tb.source_nouns):
            return roles
        flagged = [k for k, (m, _, _) in enumerate(items)
                   if roles[k] == "incident_location" and (self.said_after(m) or self.source_before(m))]
        if not flagged:
            return roles
        skip = set(flagged)
        sent = self.sent
        # The other places of each sentence (entries), gathered in one pass: linear in the places.
        others: dict[int, set[int]] = {}
        for q, (m, c, _) in enumerate(items):
            if q not in skip and roles[q] not in ("actor", "reference_point"):
                others.setdefault(sent[m.i], set()).add(c)
        for k in flagged:
            m, c, _ = items[k]
            here = others.get(sent[m.i])
            if here and (len(here) > 1 or c not in here):
                roles[k] = "reference_point"
        return roles

    def said_after(self, m: _Mention) -> bool:
        """Whether a verb of saying follows a mention in its sentence ("في أوتاوا وصف")."""
        t = m.j + 1
        if t >= self.n or self.sent[t] != self.sent[m.i]:
            return False
        key = self.info[t][_KEY]
        verbs = self.tb.statement_verbs
        return key in verbs or (key[:1] in self.tb.conjunction_clitics and key[1:] in verbs)

    def source_before(self, m: _Mention) -> bool:
        """Whether a source noun stands within four words before the locative word of a mention
        ("مصادر أمنية في العاصمة X", "مصدر في الشرطة العراقية بمدينة X"), no clause break between."""
        tb = self.tb
        if not tb.source_nouns or m.clitic:
            return False
        p, _, desc_locative, cues = self.context(m)
        if desc_locative:
            first = p  # "بمدينة X": the locative is the descriptor's clitic
        elif cues & _LOC:
            first = p - 1
        else:
            return False
        sent = self.sent[m.i]
        info = self.info
        norm = self.doc.norm
        for t in range(first, max(-1, first - 4), -1):
            if self.sent[t] != sent:
                return False
            key = info[t][_KEY]
            if key in tb.source_breaks:
                return False
            if key in tb.source_nouns or (key[:1] in tb.conjunction_clitics and key[1:] in tb.source_nouns):
                # "نفذ الهجومان، بحسب مصادر الشرطة، في مدينة X": an attribution set off by a
                # comma is an aside; the place after it is where the attacks were.
                return not (
                    tb.source_asides and _COMMAS.intersection(norm[self.ends[t] : self.starts[m.i]])
                    and any(info[u][_CUE_KEY] in tb.source_asides for u in range(max(0, t - 2), t))
                )
        return False

    def drop_misread_towns(self, items: list[tuple[_Mention, int, float]]) -> list[tuple[_Mention, int, float]]:
        """Drop a town (or unit) said to lie "in" a country or admin1 unit of another country: "Palma
        in Mozambique's Cabo Delgado province" read as Palma, Spain, "Banjska in northern Kosovo"
        as Bansko, Bulgaria. Resolution found no candidate in that country (the gazetteer lacks the
        town), so the reading is wrong; the container still locates the incident. The same holds
        for a town qualified by a state of another country ("Stroud, Ontario" read as Stroud,
        England) and for a town said to lie in a district ("Kalam in the Swat Valley" read as
        Kallam, India)."""
        gaz = self.gaz
        info = self.info
        norm = self.doc.norm
        drop: set[int] = set()
        for k in range(len(items) - 1):
            a, ca, _ = items[k]
            b, cb, _ = items[k + 1]
            if gaz.feature_of[ca] not in (F_CITY, F_ADMIN2, F_ADMIN1) or gaz.feature_of[cb] not in (
                F_COUNTRY, F_ADMIN1, F_ADMIN2
            ):
                continue
            if self.sent[a.j] != self.sent[b.i] or gaz.country_of[ca] == gaz.country_of[cb]:
                continue
            if b.i > a.j + 1 and info[a.j + 1][0] == "in":
                if all(self.function_word(t) for t in range(a.j + 2, b.i)):
                    drop.add(k)
            elif (b.i == a.j + 1 and gaz.feature_of[cb] == F_ADMIN1
                  and norm[self.ends[a.j] : self.starts[b.i]].strip() == "," and not self.listed(items, k)):
                drop.add(k)  # "Stroud, Ontario": Ontario is the state of that Stroud
        return [item for k, item in enumerate(items) if k not in drop] if drop else items

    def listed(self, items: list[tuple[_Mention, int, float]], k: int) -> bool:
        """Whether items ``k`` and ``k + 1`` ("X, Y") sit in a longer list of names ("London,
        Ontario and Paris") rather than a chain of containers ("Stroud, Ontario, Canada")."""
        norm = self.doc.norm
        a = items[k][0]
        b, cb, _ = items[k + 1]
        if k > 0:
            p = items[k - 1][0]
            if p.j + 1 == a.i and norm[self.ends[p.j] : self.starts[a.i]].strip() == ",":
                return True
        if k + 2 < len(items):
            z, cz, _ = items[k + 2]
            if _contains(self.gaz, cz, cb) or self.sent[z.i] != self.sent[b.j]:
                return False
            if z.i == b.j + 1:
                return norm[self.ends[b.j] : self.starts[z.i]].strip() == ","
            return z.i == b.j + 2 and self.info[b.j + 1][3] in self.tb.cue_starts["conjunctions"]
        return False

    # -- resolution -----------------------------------------------------------------------------
    def group(self, mentions: list[_Mention]) -> list[_Group]:
        """Group mentions by key, prune candidates, and note descriptors, cues and qualifiers."""
        groups: dict[str, _Group] = {}
        self.covered = _covered(mentions)
        lang = self.doc.lang
        common = self.tb.common
        sents = self.sent
        area_words = self.tb.area_descriptors
        for m in mentions:
            key = m.key
            g = groups.get(key)
            if g is None:
                table = _cand_table(lang, key)
                g = groups[key] = _Group(key, table.pruned, table)
                g.common = key in common
            m.group = g
            g.mentions.append(m)
            g.sents.add(sents[m.i])
            # (the flags are mostly False: set, not or-ed, only when one holds)
            person = m.person = self.personish(m)
            if not person:
                g.all_person = False
            descriptor, capital, compound, initial, locative = m.facts or self.facts(m)
            if descriptor:
                g.descriptor = True
                if not (m.i > 0 and self.info[m.i - 1][3] in self.tb.part_forms):
                    g.kind_named = True
                if not g.settlement and self.tb.settlement_descriptors:
                    g.settlement = self.settlement_word(m)
            if capital:
                g.capital = True
            if not compound:
                g.compound = False
            if not initial:
                g.sentence_initial_only = False
            if locative:
                g.locative = True
            if area_words and not g.area:
                g.area = self.area_word(m)
        norm = self.doc.norm
        for k, (a, b) in enumerate(pairwise(mentions)):
            if b.i == a.j + 1 and a.group is not b.group:
                gap = norm[self.ends[a.j] : self.starts[b.i]].strip()
                if gap in (",", "(", "،", "-"):
                    assert a.group is not None and b.group is not None
                    if gap == "," and self.enumeration(mentions, k):
                        continue  # "Georgia, Illinois, Missouri": a list of states, not Illinois in Missouri
                    a.group.qualifiers += (b.group,)
                    b.group.qualifies += (a.group,)
            elif (
                a.j + 2 <= b.i <= a.j + 4 and a.group is not b.group and self.sent[a.j] == self.sent[b.i]
                and norm[self.ends[a.j] : self.starts[a.j + 1]].strip() in (",", "،")
                and self.direction_between(a.j + 1, b.i)
            ):
                # "ميناء كاليه، بشمال فرنسا", "X, in northern Y": the part of Y that holds X.
                assert a.group is not None and b.group is not None
                a.group.qualifiers += (b.group,)
                b.group.qualifies += (a.group,)
            elif (
                b.i == a.j + 2 and a.group is not b.group and self.sent[a.j] == self.sent[b.i]
                and self.info[a.j + 1][3] in self.tb.cue_starts["conjunctions"]
            ):
                assert a.group is not None and b.group is not None
                a.group.coordinated += (b.group,)
                b.group.coordinated += (a.group,)
        return list(groups.values())

    def direction_between(self, t: int, u: int) -> bool:
        """Whether tokens ``t``..``u - 1`` are only a direction phrase ("شمال", "جنوب شرق"),
        perhaps after a one-word locative cue or behind a locative clitic ("في شمال", "بشمال")."""
        info = self.info
        tb = self.tb
        if u - t >= 2 and 1 in tb.cue_starts["locative"].get(info[t][3], ()):
            t += 1
        first = info[t][3]
        rest = tuple([info[v][3] for v in range(t + 1, u)])
        directions = tb.cues["direction"]
        if (first, *rest) in directions:
            return True
        return any(
            first.startswith(clitic) and (first[len(clitic):], *rest) in directions for clitic in tb.locative_clitics
        )

    def settlement_word(self, m: _Mention) -> bool:
        """Whether a word for a settlement (``settlement_descriptors``) is among the descriptors
        and modifiers right before a mention ("the town of X", "the colonial city of X")."""
        p = self.context_before(m)[0]
        words = self.tb.settlement_descriptors
        info = self.info
        return any(info[t][3] in words for t in range(max(p, 0), m.i))

    def area_word(self, m: _Mention) -> bool:
        """Whether a word for a state or province (``area_descriptors``) stands right before a
        mention ("the state of Washington": "of" may come between) or right after it ("Hebei
        province", "Washington state")."""
        info = self.info
        n = self.n
        sent = self.sent[m.i]
        words = self.tb.area_descriptors
        t = m.i - 1
        if t >= 0 and self.sent[t] == sent and info[t][0] in self.tb.descriptor_links:
            t -= 1
        if t >= 0 and self.sent[t] == sent and info[t][0] in words:
            return True
        t = m.j + 1
        if not (t < n and self.sent[t] == sent and info[t][0] in words and self.gap_ok(m.j, t)):
            return False
        # "Ohio State University", "Hebei Province Health Commission": an institution's name.
        u = t + 1
        return not (u < n and self.sent[u] == sent and self.gap_ok(t, u) and self.texts[u][:1].isupper())

    def enumeration(self, mentions: list[_Mention], k: int) -> bool:
        """Whether mentions ``k`` and ``k + 1`` ("X, Y") are items of a longer list of admin1
        units of one country rather than a town and the unit that holds it: both can be admin1
        units of one country, and a third name is listed before X (", X") or after Y (", Z",
        "and Z"). "Washington, Pennsylvania and California" lists states; "Philippi, West
        Virginia, United States" (Philippi is no state) and "Buffalo, New York" stay qualified."""
        a, b = mentions[k], mentions[k + 1]
        assert a.group is not None and b.group is not None
        units = _admin1_countries(self.doc.lang, a.key)
        if not units or units.isdisjoint(_admin1_countries(self.doc.lang, b.key)):
            return False
        norm = self.doc.norm
        if k > 0:
            p = mentions[k - 1]
            if p.j + 1 == a.i and norm[self.ends[p.j] : self.starts[a.i]].strip() == ",":
                return True
        if k + 2 < len(mentions):
            n = mentions[k + 2]
            if n.i == b.j + 1 and norm[self.ends[b.j] : self.starts[n.i]].strip() == ",":
                return True
            # "X, Y and Z", "X, Y, and Z": one conjunction word (commas are no tokens) between Y and Z
            t = b.j + 1
            if n.i == t + 1 and self.sent[t] == self.sent[b.j] and self.info[t][3] in self.tb.cue_starts["conjunctions"]:
                return True
        return False

    def facts(self, m: _Mention) -> tuple[bool, bool, bool, bool, bool]:
        """What the words around a mention say, once per mention (grouping may run twice): a
        descriptor before it, "the capital" before it, the first word of a longer name, sentence
        initial, after a locative cue."""
        found = m.facts
        if found is None:
            _, descriptor, desc_loc, cues = m.ctx or self.context(m)
            clitic = m.clitic
            locative = (clitic and any(c in clitic for c in self.tb.locative_clitics)) or desc_loc or (
                not clitic and cues & _LOC
            )
            i, j = m.i, m.j
            info = self.info
            sents = self.sent
            # "The capital" (capital_descriptors) stands right before it.
            capital = i > 0 and bool(info[i - 1][_FLAGS] & _W_CAPITAL) and sents[i - 1] == sents[i]
            # A one-word Latin-script name that is only the first word of a longer capitalized name
            # the gazetteer lacks ("Nur Shams refugee camp", "Aleppo Media Center"): the next word
            # may continue a name (its flag, see _word) and one space lies between.
            nxt = j + 1
            compound = (
                i == j and not m.hashtag and not m.suffix and nxt < self.n and bool(info[nxt][_FLAGS] & _W_CONTINUES)
                and self.doc.norm[self.ends[j] : self.starts[nxt]] == " "
            )
            found = m.facts = (descriptor, capital, compound, i in self.initial, bool(locative))
        return found

    def home_bonus(self, c: int) -> float:
        """Prior bonus of a place in the language's home countries (Arabic news: the Arab states)."""
        tb = self.tb
        if not tb.home_bonus:
            return 0.0
        cc = self.gaz.country_of[c]
        return tb.home_bonus if cc >= 0 and self.gaz.countries[cc] in tb.home_countries else 0.0

    def reliable(self, g: _Group) -> bool:
        """Whether a group's pick may lend context to others: countries, admin units, regions,
        names of several words, and cities large enough to be read as places on their own."""
        c = g.pick
        if c < 0:
            return False
        f = self.gaz.feature_of[c]
        if f in (F_COUNTRY, F_ADMIN1, F_REGION) or " " in g.key:
            return True
        return _eff_pop(self.gaz, self.tb, c) >= self.tb.unsupported_min_population and not g.common and not g.all_person

    def resolve(self, groups: list[_Group]) -> None:
        """Pick a candidate for every group, letting the groups' picks inform each other.

        Context comes only from *reliable* picks (see :meth:`reliable`), so that two ordinary
        words that happen to be villages of one country cannot vouch for each other. Only the
        candidates that context can lift are scored in full: those in a country the context
        names (or a qualifier's), and the best few of each kind (see :class:`_CandTable`); any
        other candidate scores at most what the best of its kind does.
        """
        lang = self.doc.lang
        facts = _pick_facts_cache(lang)
        # Static per group: whether its name has several words and whether a big-city pick may
        # lend context (see reliable); and which groups each round scores. One candidate: the
        # pick cannot change and its confidence is fixed; only the last round's support counts,
        # and not even that for a country, admin1 unit or region (they are places whatever the
        # support; see keep).
        lend: list[bool] = []
        multi: list[bool] = []
        scored: list[int] = []
        scored_last: list[int] = []
        alone: list[_Group] = []
        for k, g in enumerate(groups):
            cands = g.cands
            several = " " in g.key
            multi.append(several)
            lend.append(several or not (g.common or g.all_person))
            if len(cands) > 1:
                g.pick = cands[0]
                g.conf = 0.5
                scored.append(k)
                scored_last.append(k)
            elif cands:
                g.pick = cands[0]
                g.conf = 1.0
                alone.append(g)
                if g.common or not (facts.get(cands[0]) or _pick_facts(lang, cands[0]))[0]:
                    scored_last.append(k)
            else:
                g.pick = -1
                g.conf = 0.5
        for rnd in range(ROUNDS):
            last = rnd == ROUNDS - 1
            # Demonyms ("Iraqi police", "القوات الباكستانية") tell which country the article is in.
            cc_w: dict[int, float] = dict(self.demonym_cc)
            # The same, from places below country level only (see the namesake rule below).
            local_w: dict[int, float] = dict(self.demonym_cc)
            a1_w: dict[int, float] = {}
            # Admin1 units named per sentence and country: "Alaska, Alabama, Arizona" are states,
            # not towns (one sentence: a state named elsewhere does not make "Gaza" a province).
            adm1_w: dict[int, dict[int, float]] = {}
            self.adm1_w = adm1_w
            sent_a1: dict[int, set[int]] = {}
            self.sent_a1 = sent_a1
            contrib: list[tuple[int, float, int, float] | None] = [None] * len(groups)
            anchors: list[tuple[float, float, _Group, int]] = []
            cells: list[frozenset[int]] = []
            for k, g in enumerate(groups):
                c = g.pick
                if c < 0:
                    continue
                area, big, cc, wcc, a1, wa1, f, anchor, lat, lon, around = facts.get(c) or _pick_facts(lang, c)
                if not (area or multi[k] or (big and lend[k])):
                    continue  # not reliable
                conf = g.conf
                w_cc = wcc * conf
                w_a1 = wa1 * conf
                contrib[k] = (cc, w_cc, a1, w_a1)
                if cc >= 0:
                    cc_w[cc] = cc_w.get(cc, 0.0) + w_cc
                    if f != F_COUNTRY:
                        local_w[cc] = local_w.get(cc, 0.0) + w_cc
                if a1 >= 0:  # (-1 for a country: its admin1 weight is not given)
                    a1_w[a1] = a1_w.get(a1, 0.0) + w_a1
                if f == F_ADMIN1 and cc >= 0:
                    for sent in g.sents:
                        per_cc = adm1_w.setdefault(sent, {})
                        per_cc[cc] = per_cc.get(cc, 0.0) + conf
                        sent_a1.setdefault(sent, set()).add(a1)
                if anchor:
                    anchors.append((lat, lon, g, c))
                    cells.append(around)
            anchors.sort(key=_LAT)
            # The cells of the same anchors (the second round often has the same ones) are
            # collected once.
            entries = tuple(map(_ENTRY, anchors))
            around_all = self._near_cells.get(entries)
            if around_all is None:
                around_all = self._near_cells[entries] = frozenset().union(*cells)
            near = (anchors, list(map(_LAT, anchors)), around_all)
            for g in alone:
                g.conf = _CONF_ALONE
            for k in scored_last if last else scored:
                g = groups[k]
                self.score(g, g.table, cc_w, local_w, a1_w, contrib[k], near)

    def score(
        self,
        g: _Group,
        table: _CandTable,
        cc_w: dict[int, float],
        local_w: dict[int, float],
        a1_w: dict[int, float],
        own: tuple[int, float, int, float] | None,
        near: tuple[list[tuple[float, float, _Group, int]], list[float], frozenset[int]],
    ) -> None:
        """One round of scoring for a group: its pick, confidence and support. ``near`` holds the
        located picks of the other groups sorted by latitude, their latitudes, and the grid cells
        (see :func:`_cell`) of the boxes around them that the nearness test looks in."""
        rows = table.rows
        heads = table.heads
        if len(rows) <= len(heads):
            wanted = rows  # every candidate is a head anyway
        else:
            # The heads and every candidate in a country of the context or of a qualifier's pick:
            # a function of those countries, remembered per table (names recur with the same
            # context countries across articles).
            by_country = table.by_country
            ctx = by_country.keys() & cc_w.keys()
            if g.qualifiers or g.qualifies:
                country_of = self.gaz.country_of
                for q in (*g.qualifiers, *g.qualifies):
                    if q.pick >= 0 and country_of[q.pick] in by_country:
                        ctx.add(country_of[q.pick])
            ctx_key = frozenset(ctx)
            known = table.wanted.get(ctx_key)
            if known is None:
                found = set(heads)
                for cc in ctx_key:
                    found.update(by_country[cc])
                known = tuple(map(rows.__getitem__, sorted(found)))
                if len(table.wanted) >= _WANTED_SIZE:
                    table.wanted.clear()  # bounded: untrusted input cannot grow it forever
                table.wanted[ctx_key] = known
            wanted = known
        # (own_a1 is -1 for a country pick: a country's admin1 weight is not its own)
        own_cc, own_wcc, own_a1, own_wa1 = own if own else (-2, 0.0, -2, 0.0)
        # An admin1 unit and its own town of the same name ("Jenin") are told apart by other
        # means; the sibling support only lifts a unit over namesakes elsewhere (about 100 km).
        # (Which candidates the rule may lift is static: the row's ``sib``, see _CandTable.)
        siblings: dict[int, float] = {}  # country -> admin1 units named in a sentence of this name
        adm1_w = self.adm1_w
        if adm1_w and table.any_sib:
            pick_is_admin1 = self.gaz.feature_of[g.pick] == F_ADMIN1
            for sent in g.sents:
                per_cc = adm1_w.get(sent)
                if per_cc is None:
                    continue
                for sib_cc, w in per_cc.items():
                    if pick_is_admin1 and sib_cc == own_cc:
                        w -= g.conf  # not its own mention
                    if w > siblings.get(sib_cc, 0.0):
                        siblings[sib_cc] = w
        qualifiers, qualifies = g.qualifiers, g.qualifies
        descriptor, capital, area, settlement = g.descriptor, g.capital, g.area, g.settlement
        # (the group's own words' rules, tested per candidate only when one applies)
        extra = bool(qualifiers or qualifies or descriptor or capital or area)
        # The admin1 units named in the sentences of this name: "swans in Michigan ... in Monroe
        # County" is Michigan's, though Iowa is named elsewhere in the article.
        # (collected on first use: most calls never find an admin1 unit's weight)
        sent_a1 = self.sent_a1
        a1_here: set[int] | None = None
        anchors, lats, near_cells = near
        has_country = table.has_country
        if has_country:
            scores: dict[int, float] = {}
            strong: dict[int, bool] = {}
            weak: dict[int, bool] = {}
        # The best (the first on a tie) and the margin over the runner-up, kept as we go.
        best = -1
        top = second = -math.inf
        best_st = best_wk = False
        # The context weights without the group's own share (the same subtraction the rules
        # describe, made once per call: x - 0.0 == x, so the other entries are unchanged). Keys
        # are countries and admin1 units >= 0 only, so a row's -1 finds 0.0, as the rules skip it.
        # (namesakes makes its own subtraction from the unchanged cc_w)
        # The own entries are looked aside, not written into copies of the dicts: a copy per call
        # costs as much as the context is large, which grows with the article.
        cc_get = cc_w.get
        a1_get = a1_w.get
        # (-3 matches no row: rows hold -1 for no country or admin1 unit)
        sub_cc = own_cc if own_cc >= 0 else -3
        sub_a1 = own_a1 if own_a1 >= 0 else -3
        own_ccw = cc_get(own_cc, 0.0) - own_wcc
        own_a1w = a1_get(own_a1, 0.0) - own_wa1
        for c, base, mult, cc, a1, lat, lon, cell, sib_ok, town, cap in wanted:
            s = base
            st = wk = False
            ccw = own_ccw if cc == sub_cc else cc_get(cc, 0.0)
            if ccw > 0.05:  # its country is named (mult: 1.5 for the country itself, 2.5 below it)
                s += mult * (ccw if ccw < 1.0 else 1.0)
                wk = True
            if sib_ok:
                sib = siblings.get(cc, 0.0)
                if sib > 0.05:
                    s += ADMIN1_SIBLING * (sib if sib < 1.0 else 1.0)
                    st = True
            a1w = own_a1w if a1 == sub_a1 else a1_get(a1, 0.0)  # (a1 is -1 for a country or an admin1 unit: no admin1 context)
            if a1w > 0.05:
                s += 1.5 * (a1w if a1w < 1.0 else 1.0)
                st = True
                if a1_here is None:
                    a1_here = set()
                    for x in g.sents:
                        if x in sent_a1:
                            a1_here.update(sent_a1[x])
                if a1 in a1_here:
                    s += SAME_SENTENCE_ADMIN1
            # The grid cell first: no anchor's box covers most candidates (cell -1: not tested).
            if anchors and (cell == -1 or cell in near_cells):  # (cell -2: not a located place)
                # Distance in km to the closest place other names of the article resolved to.
                dist = math.inf
                # Only anchors within two degrees of latitude (222 km) can be within 150 km.
                for k in range(bisect_left(lats, lat - 2.0), bisect_right(lats, lat + 2.0)):
                    alat, alon, ag, a = anchors[k]
                    if ag is g or a == c:
                        continue  # another name for the same place is no evidence for this reading
                    # Cheap box test first: one degree of longitude is at least 55 km below 60 degrees.
                    if abs(alon - lon) > 3.0 and -60.0 < lat < 60.0:
                        continue
                    d = _haversine_km(lat, lon, alat, alon)
                    if d < dist:
                        dist = d
                if dist < 150:
                    s += 2.0 * math.exp(-dist / 60.0)
                    st = st or dist < 60
                    wk = True
            if extra:
                if qualifiers:
                    for q in qualifiers:
                        if q.pick >= 0 and _contains(self.gaz, q.pick, c):
                            s += 4.0
                            st = True
                        elif q.pick >= 0 and self.split_district(q.pick, c, a1):
                            s += 2.0  # "Santa Maria, Davao del Sur": since 2013 in Davao Occidental
                            st = True
                if qualifies:
                    for q in qualifies:
                        if q.pick >= 0 and _contains(self.gaz, c, q.pick):
                            s += 1.0
                if descriptor and town:
                    s += 0.5
                    st = True
                if capital and cap:
                    s += 3.0  # "the capital Amman", "العاصمة عمان"
                    st = True
                if area and self.gaz.feature_of[c] in (F_ADMIN1, F_REGION):
                    s += 1.5  # "the state of Washington" is the state, not the capital named after it
                    st = True
                if settlement and self.gaz.feature_of[c] == F_COUNTRY:
                    s -= SETTLEMENT_NOT_COUNTRY  # "the town of Argelia" is no country
            if has_country:
                scores[c] = s
                strong[c] = st
                weak[c] = wk or st
            elif s > top:
                best, top, second = c, s, top
                best_st, best_wk = st, wk or st
            elif s > second:
                second = s
        if has_country:
            self.namesakes(g, table.countries, scores, cc_w, local_w, own_cc, own_wcc)
            for c, s in scores.items():
                if s > top:
                    best, top, second = c, s, top
                elif s > second:
                    second = s
            best_st, best_wk = strong[best], weak[best]
        margin = top - second if len(wanted) > 1 else 3.0
        g.pick = best
        g.conf = 0.5 + 0.45 * (1.0 - math.exp(-margin / 1.5))
        g.strong = best_st
        g.supported = best_wk

    def split_district(self, district: int, c: int, a1: int) -> bool:
        """Whether town ``c`` may lie in admin2 unit ``district`` as news names it though GeoNames
        puts it in another: same admin1 unit, within 100 km of the district's centre (districts
        are split and renamed; "Santa Maria, Davao del Sur" is now in Davao Occidental)."""
        gaz = self.gaz
        return (gaz.feature_of[district] == F_ADMIN2 and a1 >= 0 and gaz.admin1_of[district] == a1
                and gaz.feature_of[c] in _TOWNS and gaz.distance_km(district, c) < 100)

    def namesakes(
        self, g: _Group, is_country: frozenset[int], scores: dict[int, float], cc_w: dict[int, float],
        local_w: dict[int, float], own_cc: int, own_wcc: float,
    ) -> None:
        """A country's name means the country; a namesake town needs "X, Texas" or "the town of X"
        to win ("China, Japan" is a list of countries, not Japan's town of China). Unless the
        article is set in the town's country and not in the namesake one: "عمان" next to
        Jordanian places is Amman, the capital, not Oman."""
        if g.kind_named:
            return  # "the town of X": the namesake rule moves no score ("شوارع عمان" may be either)
        gaz = self.gaz
        feat = gaz.feature_of
        flags = gaz.flags_of
        country_of = gaz.country_of
        # Continents, seas and world regions (no country) are as well known as countries:
        # "the Pacific" is the ocean, not the town of Pacific, Missouri.
        # The best country reading's score, and whether the context names a country reading's
        # country (one pass over the country readings).
        best_country = -math.inf
        country_ctx = False
        for c, s in scores.items():
            if c in is_country:
                if s > best_country:
                    best_country = s
                if not country_ctx:
                    cc = country_of[c]
                    country_ctx = cc_w.get(cc, 0.0) - (own_wcc if own_cc == cc else 0.0) > 0.05
        # "Egypt and Niger": a name coordinated with a country is a country too, whatever
        # Nigerian places the article names (they would lift Nigeria's Niger State).
        beside_country = any(q.pick >= 0 and feat[q.pick] == F_COUNTRY for q in g.coordinated)
        # A country read by a name that is not its own ("Argelia", Spanish for Algeria): in an
        # article set in a country with a town of that name (a "BOGOTA" dateline, a Colombian
        # province named), the town, whatever its size.
        # (Only countries: "the Pacific" is the ocean however its entry is named.)
        variant = all(feat[c] == F_COUNTRY and _key(gaz.name_of(c)) != g.key for c in scores if c in is_country)
        qualifiers, qualifies = g.qualifiers, g.qualifies
        for c in scores:
            if c in is_country:
                continue
            cc = country_of[c]
            f = feat[c]
            if (
                not country_ctx
                and not beside_country
                and (variant or flags[c] & (FLAG_CAPITAL | FLAG_SEAT1) or f == F_ADMIN1)
                and local_w.get(cc, 0.0) - (own_wcc if own_cc == cc else 0.0) >= (0.3 if variant else 0.5)
            ):
                # The same holds for a state: "Georgia" among American places is the US state.
                # A seat's town still goes before its unit ("عمان" is Amman, not its governorate).
                scores[c] = max(scores[c], best_country + (0.5 if f != F_ADMIN1 else 0.25))
                continue
            if qualifies and f == F_ADMIN1 and any(q.pick >= 0 and _contains(gaz, c, q.pick) for q in qualifies):
                continue  # "Atlanta, Georgia": the unit that holds the town before it
            if not qualifiers:
                scores[c] -= 3.0
            elif not any(q.pick >= 0 and feat[q.pick] in (F_ADMIN1, F_ADMIN2) and _contains(gaz, q.pick, c)
                         for q in qualifiers):
                scores[c] -= 3.0 + 4.0

    def direction_anchor(self, m: _Mention, by_start: dict[int, _Mention]) -> _Group | None:
        """The kept group of the place right after a direction or nearness phrase that follows
        ``m`` ("X غرب تكريت", "X قرب الموصل", "X north of Kabul"; one descriptor may come
        between: "قرب مدينة الموصل"), or None when no such phrase and place follow."""
        t = m.j + 1
        sent = self.sent[m.j]
        info = self.info
        n = self.n
        if t >= n or self.sent[t] != sent or t in by_start:
            return None  # ("Oregon, South Carolina": the direction word begins the next name)
        tb = self.tb
        for kind in ("direction", "reference"):
            for length in sorted(tb.cue_starts[kind].get(info[t][3], ()), reverse=True):
                u = t + length
                if u >= n or (length > 1 and _cue_phrase(info, t, u) not in tb.cues[kind]):
                    continue
                if u < n and info[u][_FLAGS] & _W_DESCRIPTOR:
                    u += 1
                b = by_start.get(u)
                if b is not None and u < n and self.sent[u] == sent and b.group is not None and b.group.kept:
                    return b.group
                return None
        return None

    def fit_direction_anchors(self, mentions: list[_Mention]) -> None:
        """Make a place given as lying in a direction of another, or near it ("X west of Y", "X
        near Y"), agree with it.

        X must lie within DIRECTION_ANCHOR_KM of Y (in Y's country when Y is a country): when
        X's pick does not, the nearest candidate that does is picked instead, and when none
        does, X is not a place at all (the gazetteer lacks it; Y still locates the text).
        """
        gaz = self.gaz
        by_start = {m.i: m for m in mentions}
        done: set[int] = set()
        for m in mentions:
            g = m.group
            if g is None or not g.kept or id(g) in done or gaz.feature_of[g.pick] == F_COUNTRY:
                continue
            anchor = self.direction_anchor(m, by_start)
            if anchor is None or anchor is g:
                continue
            done.add(id(g))
            y = anchor.pick
            if gaz.feature_of[y] == F_COUNTRY:
                fits = [c for c in g.cands if gaz.country_of[c] == gaz.country_of[y]]
            else:
                fits = [c for c in g.cands if gaz.distance_km(c, y) <= DIRECTION_ANCHOR_KM]
            if g.pick in fits:
                continue
            if fits:
                g.pick = min(fits, key=lambda c: gaz.distance_km(c, y))
            else:
                g.kept = False

    def listed_abroad(self, g: _Group) -> bool:
        """Whether a group's town, read only by an alternate name of a small town, is listed
        ("X, Y") among names all read in one other country: "Suba, Migori, Homa Bay" (Kenya) is
        not Suva, Fiji (GeoNames also calls it Suba); the gazetteer lacks the town."""
        gaz = self.gaz
        c = g.pick
        if gaz.feature_of[c] != F_CITY or gaz.pop_of[c] >= 100_000 or not g.key.isascii():
            return False
        if name_key(gaz.name_of(c)) == g.key:
            return False
        others = {gaz.country_of[q.pick] for q in (*g.qualifiers, *g.qualifies)
                  if q.pick >= 0 and gaz.feature_of[q.pick] in (F_CITY, F_ADMIN2, F_ADMIN1)}
        return len(others) == 1 and gaz.country_of[c] not in others

    def locative_town(self, m: _Mention) -> bool:
        """Whether a mention names a town too small to stand alone where only a place can stand:
        no clitic, right after a descriptor or a word of locative_town_after ("اجتمعوا في
        روستوك"; not "على", which also means "against": "ردا على كلينتون"), and its name
        distinctive (see :func:`_locative_town_key`)."""
        if m.clitic or m.i != m.j or _locative_town_key(self.doc.lang, m.key) < 0:
            return False
        p, descriptor, _, _ = self.context(m)
        return descriptor or (p >= 0 and self.info[p][_CUE_KEY] in self.tb.locative_town_after)

    def set_at_home(self, g: _Group) -> bool:
        """Whether the other places the article names (the reliable ones, see :meth:`reliable`: an
        ordinary word read as a village says nothing) lie in home countries, none of them in the
        country of ``g``'s town: a mid-size foreign town read there is more likely a local place
        the gazetteer lacks ("في فردان", a Beirut quarter, is not Verdun in an article about
        Lebanon). Demonyms do not count: "المعارضة السورية" meets "في ماربيا" (Marbella)."""
        gaz = self.gaz
        home = self.tb.home_countries
        own = gaz.country_of[g.pick]
        others = {gaz.country_of[h.pick] for h in self.groups if h is not g and self.reliable(h)}
        others.discard(-1)
        return own not in others and any(gaz.countries[cc] in home for cc in others)

    def keep(self, g: _Group) -> bool:
        """Whether a resolved group is a place at all (ordinary words and lone villages are not).

        Countries, admin1 units and regions always are. A city (or admin2 unit) named by one
        word must be big enough to stand alone, or be supported by the article: strong support
        (a place nearby, its admin1 named, "X, Y", "the town of X") admits any village; weak
        support (its country named) admits a village only after a locative cue. In a language
        with home countries (Arabic: the Arab states), a foreign city needs a larger population
        and clitic-stripped readings of weak names are not trusted.
        """
        if g.pick < 0:
            return False
        gaz = self.gaz
        tb = self.tb
        c = g.pick
        f = gaz.feature_of[c]
        if g.common and not (g.strong or (g.locative and not g.sentence_initial_only) or g.qualifiers):
            return False
        if g.all_person and f in (F_CITY, F_ADMIN2):
            return False
        if g.compound and f in (F_CITY, F_ADMIN2) and not g.strong and _eff_pop(gaz, tb, c) < COMPOUND_MAX_POPULATION:
            return False  # "Nur" of "Nur Shams refugee camp" is not the town of Nur in Iran
        if f not in (F_CITY, F_ADMIN2) or " " in g.key or any(m.hashtag for m in g.mentions):
            return True
        if not g.supported and (g.qualifiers or g.qualifies) and self.listed_abroad(g):
            return False
        if g.strong or g.qualifiers:
            return True
        pop = _eff_pop(gaz, tb, c)
        home = not tb.home_countries or gaz.countries[gaz.country_of[c]] in tb.home_countries
        clitic_only = all(m.clitic for m in g.mentions)
        if not home:
            # "بلندن", "بواشنطن": a world city behind a clitic is that city; a smaller foreign town
            # reached only by stripping a clitic is too often an ordinary word. A small capital
            # counts as a world city by its seat floor, but not behind a clitic: "وبنوك" (and
            # banks) is not Nuuk, whose real population is 15,000.
            if clitic_only:
                return pop >= FOREIGN_CLITIC_POPULATION and gaz.pop_of[c] >= tb.foreign_min_population
            return pop >= tb.foreign_min_population or (
                pop >= LOCATIVE_TOWN_POPULATION and any(map(self.locative_town, g.mentions))
                and not self.set_at_home(g)
            )
        if pop >= tb.unsupported_min_population:
            return True
        if pop >= DIRECTION_MIN_POPULATION and not g.common and any(map(self.after_direction, g.mentions)):
            return True  # "على الطريق الرئيس غربي الضلوعية": a town, the only place named
        if g.supported and (g.locative or g.descriptor) and pop >= MIN_UNSUPPORTED_POPULATION:
            return not clitic_only or pop >= 10 * MIN_UNSUPPORTED_POPULATION
        return False


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """:func:`streams.extract.gazetteer.haversine_km`, the same arithmetic written in this module:
    the optional mypyc build compiles it (the gazetteer module stays plain Python), and scoring
    measures the distance from many candidates to the article's other places."""
    if math.isnan(lat1) or math.isnan(lat2):
        return math.inf
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(h)))


@lru_cache(maxsize=1 << 15)
def _admin1_countries(lang: str, key: str) -> frozenset[int]:
    """The countries of which a name can be an admin1 unit (see :meth:`_Matcher.enumeration`)."""
    gaz = load_gazetteer()
    return frozenset(gaz.country_of[c] for c in _cand_table(lang, key).pruned if gaz.feature_of[c] == F_ADMIN1)


@lru_cache(maxsize=1 << 17)
def _weak_key(lang: str, key: str) -> bool:
    """Whether every place a one-word name can be is too small to stand without support
    (see :meth:`_Matcher.keep`): no country, admin1 unit or region, no city big enough."""
    tb = _tables(lang)
    gaz = load_gazetteer()
    if key in tb.aliases or key in tb.common:
        return False
    for c in gaz.lookup_idx(key)[:MAX_CANDIDATES]:
        f = gaz.feature_of[c]
        if f not in (F_CITY, F_ADMIN2):
            return False
        cc = gaz.country_of[c]
        home = not tb.home_countries or (cc >= 0 and gaz.countries[cc] in tb.home_countries)
        if _eff_pop(gaz, tb, c) >= (tb.unsupported_min_population if home else tb.foreign_min_population):
            return False
    return True


@lru_cache(maxsize=1 << 15)
def _locative_town_key(lang: str, key: str) -> int:
    """The country of the towns a one-word Arabic-script name can be when the name is distinctive
    enough to name a town right after a locative word (see :meth:`_Matcher.locative_town`), or
    -1: the name is long, without the article or an ending that marks an ordinary noun (ta
    marbuta, the pronoun ha), not a common or stop word, never a country or province, and every
    candidate of LOCATIVE_TOWN_POPULATION or more lies in one country (a transliteration shared by
    big towns of several countries says nothing about which)."""
    tb = _tables(lang)
    if (not tb.home_countries or len(key) < LOCATIVE_TOWN_MIN_LETTERS or " " in key or not is_arabic_key(key)
            or key in tb.common or key in tb.stop or key in tb.stop_tokens or key in tb.aliases
            or any(key.startswith(a) for a in tb.no_respell_prefixes)
            or any(key.endswith(e) for e in tb.no_respell_endings)):
        return -1
    gaz = load_gazetteer()
    country = -1
    for c in gaz.lookup_idx(key)[:MAX_CANDIDATES]:
        if gaz.feature_of[c] not in (F_CITY, F_ADMIN2):
            return -1  # a country or a province is never a small town ("لبنان" is also Lebanon, Pennsylvania)
        if _eff_pop(gaz, tb, c) < LOCATIVE_TOWN_POPULATION:
            continue
        cc = gaz.country_of[c]
        if cc < 0 or (country >= 0 and cc != country):
            return -1
        country = cc
    return country


_WORD_CACHE_SIZE: Final = 1 << 17
# Fields of a word's facts (see _word): its key, cue key, whether a name may start at it, whether
# it is written in lower case, and (_SPECIAL) whether it is a demonym or a country noun ("البلاد",
# "country"), which find_places lists in one pass. (Read by index in comprehensions, which the
# compiled build runs as native loops.)
_KEY: Final = 0
_CUE_KEY: Final = 3
_STARTER: Final = 5
_LOWER: Final = 7
_SPECIAL: Final = 12
_FLAGS: Final = 9
# The cue kinds that end in the word (see _Tables.cue_end_kinds), or None: (the bits of the kinds
# with a one-word phrase of it, which end here whatever comes before; the other kinds' entries).
_CUE_END: Final = 10
# Per spelling, the next words after which it begins a longer name or not (see _Matcher.find):
# next key -> whether "key next" is a gazetteer name or the start of one (or of an alias).
_PAIRS: Final = 11
_PAIRS_SIZE: Final = 256
# Bits of a word's flags (field _FLAGS of _word): what the mention tests of _Matcher (facts,
# personish) ask of the words around a name, answered once per spelling.
_W_CONTINUES: Final = 1  # could continue a capitalized name (see _Matcher.facts)
_W_SAID: Final = 2  # "said" after a person's name (its cue key in person_after)
_W_TITLE: Final = 4  # a title before a person's name (its cue key in person_before)
_W_NAMEISH: Final = 8  # could be a person's first name (see _Matcher.personish)
_W_CAPITAL: Final = 16  # "the capital" (see _Matcher.facts)
# What _Matcher._context_before skips before a name (by the word's cue key): a descriptor ("the
# town of"), a modifier, a descriptor behind a clitic ("بمدينة"), and whether that clitic is locative.
_W_DESCRIPTOR: Final = 32
_W_MODIFIER: Final = 64
_W_CLITIC_DESCRIPTOR: Final = 128
_W_CLITIC_DESCRIPTOR_LOCATIVE: Final = 256


@cache
def _word_cache(lang: str) -> dict[str, tuple]:
    """Per-language cache of :func:`_word` (a plain dict: one C-level lookup per token)."""
    return {}


@cache
def _lower_keys(lang: str) -> set[str]:
    """The keys of the lower-case words :func:`_word` has read (per language; cleared with the
    word cache): a key not in it is no lower-case word of any article read since."""
    return set()


def _word(lang: str, text: str) -> tuple:
    """What one word is, cached per language and spelling: its key, its readings (see
    :func:`_variants`; each also with its one-word candidates and whether the best of them is
    strong), the country entry it is a demonym of (-1: none), its key for cue matching
    (see :func:`_cue_key`), whether it may begin a news agency's name, whether it may begin a
    place name, whether it is a (capitalized where the script has case) demonym, whether it is
    written in lower case, whether it ends in a suffix such as "'s" (see :func:`_suffix_cut`),
    its flags (``_W_*`` bits), the cue phrases that end in it, its pair memory (``_PAIRS``), and
    whether it is a demonym or a country noun (see ``_SPECIAL``)."""
    key = _key(text)
    gaz = load_gazetteer()
    # Each reading also carries what it matches as one word (see _single) and whether that is
    # a strong candidate: the commonest case costs no further lookup.
    variants = tuple(
        (*v, single, bool(single) and _strong(gaz, single[0]))
        for v in _variants(lang, text)
        for single in ((_single(lang, text, v[0]) if not v[5] else ()),)
    )
    demonym = _demonym_of(lang, key)
    # A word may start a name when it begins one and, where the script has case, is capitalized.
    # Only a reading that can match something counts: an agency's first word, a reading with its
    # suffix cut, the first word of a longer name, or a one-word name that may stand alone (a
    # word that is a place only as a stop-word, "March", never starts one; _Matcher.find would
    # visit it for nothing).
    starter = (
        any(v[4] or (v[3] and (v[5] or v[3] > 1 or v[6])) for v in variants)
        and not text[0].islower() and not text.isdigit()
    )
    lower = text[0].islower()
    if lower:
        _lower_keys(lang).add(key)
    cue_key = _cue_key(lang, key)
    tb = _tables(lang)
    titled = text[0].isupper() and not text.isupper()
    flags = (
        (_W_CONTINUES if titled and text.isascii() and not (
            key in tb.cue_words or key in tb.connectors or key in tb.stop or key in tb.person_after
        ) else 0)
        | (_W_SAID if cue_key in tb.person_after else 0)
        | (_W_TITLE if cue_key in tb.person_before else 0)
        | (_W_NAMEISH if titled and not (
            cue_key in tb.cue_words or cue_key in tb.connectors or cue_key in tb.stop
        ) else 0)
        | (_W_CAPITAL if key in tb.capital_forms else 0)
        | (_W_DESCRIPTOR if cue_key in tb.descriptors else 0)
        | (_W_MODIFIER if cue_key in tb.modifiers else 0)
    )
    clitic = tb.clitic_descriptors.get(cue_key)
    if clitic is not None:
        flags |= _W_CLITIC_DESCRIPTOR
        if any(c in clitic for c in tb.locative_clitics):
            flags |= _W_CLITIC_DESCRIPTOR_LOCATIVE
    return (key, variants, demonym, cue_key, any(v[4] for v in variants), starter,
            demonym >= 0 and not lower, lower, _suffix_cut(lang, text) is not None, flags,
            _cue_ends(tb.cue_end_kinds.get(cue_key)), {}, (demonym >= 0 and not lower) or key in tb.anaphora_forms)


def _cue_ends(
    kinds: tuple[tuple[int, tuple[int, ...], frozenset[tuple[str, ...]]], ...] | None,
) -> tuple[int, tuple[tuple[int, tuple[int, ...], frozenset[tuple[str, ...]]], ...]] | None:
    """A word's cue ends split for _Matcher.cue_mask (see _CUE_END)."""
    if kinds is None:
        return None
    certain = 0
    for bit, lengths, _ in kinds:
        if 1 in lengths:
            certain |= bit
    return certain, tuple(k for k in kinds if 1 not in k[1])


@lru_cache(maxsize=1 << 15)
def _function_word(lang: str, key: str) -> bool:
    """Whether a word (its cue key) is a cue, descriptor, modifier or connector, clitics allowed."""
    tb = _tables(lang)
    if key in tb.cue_words or key in tb.connectors:
        return True
    return any(key.startswith(p) and r + key[len(p) :] in tb.cue_words for p, r, _ in tb.clitics)


def _cue_key(lang: str, key: str) -> str:
    """A word's key for cue matching: a conjunction clitic is dropped from a known cue word ("وقرب")."""
    tb = _tables(lang)
    if key in tb.cue_words:
        return key
    for c in tb.conjunction_clitics:
        if key.startswith(c) and key[len(c) :] in tb.cue_words:
            return key[len(c) :]
    return key


def _demonym_of(lang: str, key: str) -> int:
    """The country entry a word names as a demonym ("الباكستانية", "وللعراقيين", "Pakistani"), or -1."""
    tb = _tables(lang)
    if not tb.demonyms:
        return -1
    idx = tb.demonyms.get(key)
    if idx is not None:
        return idx
    for prefix, restore, _ in tb.clitics:
        if key.startswith(prefix) and len(key) - len(prefix) >= 3:
            idx = tb.demonyms.get(restore + key[len(prefix) :])
            if idx is not None:
                return idx
    return -1


def _variants(lang: str, text: str) -> tuple[tuple[str, str, int, int, int, int], ...]:
    """Readings of a word that may begin a place or agency name.

    Each is (key, clitic stripped, characters before the name, words of the longest name that
    begins with it, words of the longest agency name that begins with it, suffix characters cut).
    The word as written comes first; clitic-stripped readings follow, longest clitic first; the
    reading without a suffix ("Syria's") last. Readings that begin nothing are left out.
    """
    tb = _tables(lang)
    gaz = load_gazetteer()
    key = _key(text)
    if key in tb.stop_tokens:
        return ()
    readings = [(key, "", 0, 0)]
    for prefix, restore, kept in tb.clitics:
        if key.startswith(prefix) and len(key) - len(prefix) >= 2:
            rest = restore + key[len(prefix) :]
            if all(rest != r[0] for r in readings):
                readings.append((rest, prefix, len(prefix) - kept, 0))
    cut = _suffix_cut(lang, text)
    if cut is not None:
        readings.append((cut[0], "", 0, cut[1]))
    if "-" in text:
        # "Pakistan-based", "U.S.-led", "Afghanistan-Pakistan": the part before the hyphen.
        part = text.split("-", 1)[0]
        if len(part) >= 2:
            readings.append((_key(part), "", 0, len(text) - len(part)))
    out = []
    for reading, clitic, offset, suffix in readings:
        head = reading.split(" ", 1)[0]
        kid = gaz.key_id(head)
        words = max(gaz.head_words(kid), 1) if kid is not None else 0
        words = max(words, tb.alias_heads.get(head, 0))
        if suffix:
            words = min(words, 1)
        agency = tb.agency_heads.get(head, 0)
        if words or agency:
            out.append((reading, clitic, offset, words, agency, suffix))
    return tuple(out)


RESPELL_MIN_POPULATION = 100_000  # a respelled word must name a place this big (or a country or admin1 unit)
RESPELL_MIN_LETTERS = 6  # shorter words respell into places too often ("كلام" into Kollam)


@lru_cache(maxsize=1 << 15)
def _respelled(lang: str, key: str) -> str:
    """The one other spelling of an unknown word that names a big place (see
    :meth:`_Matcher.spelling_variants`), or "" when none or several do."""
    tb = _tables(lang)
    # Ordinary words respell into places too easily ("توفير" into Tver, "بينما" into Panama,
    # "الخارج" into al-Kharj): short words, words with the article (foreign names rarely take
    # it) and words ending in ta marbuta or a pronoun ha ("سياره", "منزله") are never respelled.
    if (len(key) < RESPELL_MIN_LETTERS or " " in key or key in tb.stop or key in tb.common or key in tb.stop_tokens
            or any(key.startswith(a) for a in tb.no_respell_prefixes)
            or any(key.endswith(e) for e in tb.no_respell_endings)):
        return ""
    gaz = load_gazetteer()
    if gaz.key_id(key) is not None:
        return ""
    spellings = set()
    vowels = tb.vowel_letters
    for k in range(1, len(key)):
        if key[k] in vowels:
            spellings.add(key[:k] + key[k + 1 :])
        for v in vowels:
            spellings.add(key[:k] + v + key[k:])
    found = ""
    place = -1
    for sp in sorted(spellings):
        if sp == key or len(sp) < 4:
            continue
        for c in gaz.lookup_idx(sp)[:MAX_CANDIDATES]:
            f = gaz.feature_of[c]
            if f in (F_COUNTRY, F_ADMIN1) or (f == F_CITY and gaz.pop_of[c] >= RESPELL_MIN_POPULATION):
                if place >= 0 and place != c:
                    return ""  # spellings of two big places: no way to tell
                if place < 0:
                    found, place = sp, c
                break
    return found


@lru_cache(maxsize=1 << 17)
def _single(lang: str, text: str, key: str) -> tuple[int, ...]:
    """The candidates of a one-word name ``key`` read in the word ``text``, or () when the word
    cannot be that name whatever its context (see :meth:`_Matcher.acceptable`)."""
    tb = _tables(lang)
    cands = _cand_table(lang, key).idx
    if not cands or key in tb.stop or _lower_initial(text):
        return ()
    if key not in tb.aliases and (
        len(key) < 3 or (text.isupper() and len(text) <= 5 and text.isascii()) or _is_contraction(text)
    ):
        return ()
    return cands


@lru_cache(maxsize=1 << 16)
def _suffix_cut(lang: str, text: str) -> tuple[str, int] | None:
    """The key of a word without a suffix such as "'s", and the characters cut (None: no suffix)."""
    low = text.lower()
    for suf in _tables(lang).suffixes:
        if low.endswith(suf) and len(text) > len(suf) + 1:
            return _key(text[: -len(suf)]), len(suf)
    return None


def _lower_initial(text: str) -> bool:
    """Whether a word starts in lower case, looking past an elided article ("d'Ivoire") and a
    hyphenated Arabic article ("ez-Zor", "al-Bab")."""
    if len(text) > 2 and text[1] == "'" and text[0].islower():
        return text[2].islower()
    if text[0].islower() and "-" in text:
        return not text.rsplit("-", 1)[1][:1].isupper()
    return text[0].islower()


_INITIAL_MARKS = "\"“«:("
_AFTER_INITIAL_MARK_RE = re.compile(r"[\"“«:(]\s*")
_URL_BEFORE = frozenset("@/\\.")
_URL_AFTER = frozenset("./@")
_OPENING_QUOTES = frozenset("'\"‘“«")
_CONTRACTIONS = ("'ve", "'ll", "'re", "'m", "'d", "n't")


def _is_contraction(text: str) -> bool:
    """ "I've", "We'll", "don't": never names."""
    low = text.lower()
    return "'" in low and low.endswith(_CONTRACTIONS)


def _split_camel(text: str) -> str:
    """ "EasternGhouta" -> "Eastern Ghouta" (hashtags)."""
    out = []
    for k, ch in enumerate(text):
        if k and ch.isupper() and text[k - 1].islower():
            out.append(" ")
        out.append(ch)
    return "".join(out)


def _strong(gaz: Gazetteer, c: int) -> bool:
    """A candidate that a clitic-stripped reading may prefer over a literal village."""
    return gaz.feature_of[c] != F_CITY or gaz.pop_of[c] >= 5000


def _eff_pop(gaz: Gazetteer, tb: _Tables, c: int) -> int:
    """A place's population for the decisions that size drives, with a floor for seats: GeoNames
    lacks the population of many district and province seats (Tall Afar: 0), and a seat is a
    town that news names on its own."""
    pop = gaz.pop_of[c]
    flags = gaz.flags_of[c]
    if flags:
        seat2, seat1, capital = tb.seat_population
        if flags & FLAG_CAPITAL:
            pop = max(pop, capital)
        if flags & FLAG_SEAT1:
            pop = max(pop, seat1)
        if flags & FLAG_SEAT2:
            pop = max(pop, seat2)
    return pop


def _prior(gaz: Gazetteer, c: int, pop: int) -> float:
    """Score before context: countries, then admin1 units and regions, then cities by size."""
    f = gaz.feature_of[c]
    lp = math.log10(pop + 1)
    if f == F_COUNTRY:
        return 6.0 + 0.2 * lp  # a country's name means the country far more often than a namesake
    if f == F_ADMIN1:
        return 2.5 + 0.2 * lp
    if f == F_REGION:
        return 4.0  # curated regions and continents: well-known areas news names as such
    if f == F_ADMIN2:
        return 0.8 + 0.2 * lp
    # World cities resist a namesake in the article's country, national capitals more so ("a
    # laboratory in Cairo" of an American article is still Egypt's capital, not Cairo, Georgia),
    # and a capital of millions even when the namesake's state is named too ("a hospital in
    # London" of an article that names California is not London, California).
    if lp < 6.0:
        return 0.55 * lp
    if gaz.flags_of[c] & FLAG_CAPITAL:
        return 0.55 * lp + (2.5 if lp >= 6.5 else 1.5)
    return 0.55 * lp + 0.5


# The confidence of a name with one candidate (the margin of a lone candidate is 3.0).
_CONF_ALONE = 0.5 + 0.45 * (1.0 - math.exp(-3.0 / 1.5))
_LOCATED = frozenset((F_CITY, F_ADMIN2, F_REGION))  # features whose nearness to other places counts
_TOWNS = frozenset((F_CITY, F_ADMIN2))
_AREAS = frozenset((F_COUNTRY, F_ADMIN1, F_REGION))
# Context weights of a reliable pick, by feature: for its country and for its admin1 unit.
_W_COUNTRY = {F_COUNTRY: 1.0, F_ADMIN1: 0.8, F_REGION: 0.8, F_ADMIN2: 0.6}
_W_ADMIN1 = {F_ADMIN1: 1.0, F_REGION: 0.8, F_ADMIN2: 0.8}


@dataclass(frozen=True, slots=True)
class _CandTable:
    """The candidates of one name key, with what does not depend on the article, computed once.

    ``rows`` are the pruned candidates in order: (entry, prior with the home bonus, the weight of
    its country's context (1.5 for a country, 2.5 below), country (-1: none), admin1 or -1 for a
    country or admin1 unit (whose admin1 context does not count), lat, lon, grid cell (see
    :func:`_cell`; -1: a located place not on the grid, -2: not a located place, which nearness
    does not count), whether the sibling rule may lift it, whether it is a town (descriptors
    support towns), whether it is a capital). ``heads`` are the positions of the best two of
    each kind (countries; admin1 units and regions; capitals; other towns), the only ones that
    can win without context; ``by_country`` lists the positions in each country.
    """

    idx: tuple[int, ...]  # every candidate, aliases first (what matching sees)
    pruned: tuple[int, ...]
    rows: tuple[tuple[int, float, float, int, int, float, float, int, bool, bool, bool], ...]
    heads: tuple[int, ...]
    by_country: dict[int, tuple[int, ...]]
    has_country: bool  # some candidate is a country (the namesake rule applies)
    countries: frozenset[int]  # the candidates that count as countries (see namesakes)
    # Some row is an admin1 unit that the sibling rule may lift (see
    # _Matcher.score): without one, score skips collecting the sibling units.
    any_sib: bool
    # The rows score looks at, by the context countries among the table's (see _Matcher.score).
    wanted: dict[frozenset[int], tuple[tuple[int, float, float, int, int, float, float, int, bool, bool, bool], ...]]


@lru_cache(maxsize=1 << 16)
def _cand_table(lang: str, key: str) -> _CandTable:
    """The candidate table of a name key (see :class:`_CandTable`), cached per language."""
    tb = _tables(lang)
    gaz = load_gazetteer()
    alias = tb.aliases.get(key)
    found = gaz.lookup_idx(key)
    idx = tuple(dict.fromkeys((*alias, *found[:MAX_CANDIDATES]))) if alias else tuple(found[:MAX_CANDIDATES])
    pruned = tuple(_prune(gaz, list(idx), key)) if idx else ()
    rows = []
    by_country: dict[int, list[int]] = {}
    kinds: dict[int, list[tuple[float, int]]] = {}
    # A Latin-script name that is some candidate's own name: a town that bears it only as a
    # variant spelling or as the short form of "X City", or only as an alternate name while a
    # town of its own state bears it as its own, goes after it. "Pittsburgh" is Pittsburgh, not
    # Pittsburg, California; "Maryland" is the state, not Maryland City; "Philippi, West
    # Virginia" is Philippi, not Saint Albans, West Virginia (once called so).
    own = {c for c in pruned if name_key(gaz.name_of(c)) == key} if key.isascii() else ()
    own_states = {gaz.admin1_of[c] for c in own if gaz.feature_of[c] == F_CITY} - {-1}
    own_pop = max((gaz.pop_of[c] for c in own if gaz.feature_of[c] == F_CITY), default=0)
    big_town = any(gaz.feature_of[c] in _TOWNS and gaz.pop_of[c] >= BIG_ADMIN1_TOWN for c in pruned)
    # The countries of the big own-named cities, with the largest one's size (see FOREIGN_NAMESAKE_PENALTY).
    big_own: dict[int, int] = {}
    for c in own:
        if gaz.feature_of[c] == F_CITY and gaz.pop_of[c] >= FOREIGN_NAMESAKE_CITY:
            big_own[gaz.country_of[c]] = max(big_own.get(gaz.country_of[c], 0), gaz.pop_of[c])
    for pos, c in enumerate(pruned):
        f = gaz.feature_of[c]
        cc = gaz.country_of[c]
        flags = gaz.flags_of[c]
        home = tb.home_bonus if tb.home_bonus and cc >= 0 and gaz.countries[cc] in tb.home_countries else 0.0
        base = _prior(gaz, c, _eff_pop(gaz, tb, c)) + home
        # A unit of ten million people or more (England, Punjab) is known the world over: it
        # resists a small namesake town of the article's country ("diagnosed in England" in an
        # article about Texas is not England, Arkansas). Not a big city's namesake: "New York"
        # and "Sao Paulo" are the cities (the unit of a seat so named is mostly pruned already).
        if f == F_ADMIN1 and gaz.pop_of[c] >= BIG_ADMIN1_POPULATION and not big_town:
            base += BIG_ADMIN1_BONUS
        if f == F_ADMIN1 and big_own and gaz.pop_of[c] > 0 and any(
            cc2 != cc and pop2 > gaz.pop_of[c] for cc2, pop2 in big_own.items()
        ):
            base -= FOREIGN_NAMESAKE_PENALTY
        # (a world city keeps its short form: "New York" stays New York City)
        if own and f == F_CITY and c not in own and gaz.pop_of[c] < 1_000_000 and (
            gaz.admin1_of[c] in own_states or _variant_of(name_key(gaz.name_of(c)), key)
        ):
            # Twice when a town bearing the name as its own is also bigger: "Children's Hospital
            # of Pittsburgh" in an article that names California twice is still Pittsburgh (a
            # state named elsewhere lends 1.5); "Pittsburg, California" (+4) still wins. Not when
            # the own-named town is the smaller: Zaporizhzhia is the city (GeoNames:
            # Zaporizhzhya), not the village of 656 so named.
            base -= ALTERNATE_NAME_PENALTY * (2.0 if own_pop >= gaz.pop_of[c] else 1.0)
        lat, lon = gaz.lat_of[c], gaz.lon_of[c]
        # Only candidates below 60 degrees have the longitude box test that the grid stands for.
        cell = -2 if f not in _LOCATED or math.isnan(lat) else _cell(lat, lon) if -60.0 < lat < 60.0 else -1
        a1 = gaz.admin1_of[c] if f != F_COUNTRY and f != F_ADMIN1 else -1
        rows.append((c, base, f, cc, a1, lat, lon, flags, cell))
        by_country.setdefault(cc, []).append(pos)
        kind = 0 if f == F_COUNTRY else 1 if f in (F_ADMIN1, F_REGION) else 2 if flags & FLAG_CAPITAL else 3
        kinds.setdefault(kind, []).append((base, pos))
    if own:
        # A curated region whose own name is the name read goes before a country that bears it
        # only as an alternate name: "Central Africa" is the region, not the Central African Republic.
        alt_countries = [r[1] for r in rows if r[2] == F_COUNTRY and r[0] not in own]
        for pos, r in enumerate(rows):
            if alt_countries and r[2] == F_REGION and r[0] in own and gaz.gid_of[r[0]] < 0:
                base = max(r[1], max(alt_countries) + 0.5)
                rows[pos] = (r[0], base, *r[2:])
                kinds[1] = [(base if q == pos else b0, q) for b0, q in kinds.get(1, ())]
    heads = sorted({pos for ranked in kinds.values() for _, pos in sorted(ranked, key=lambda r: -r[0])[:2]})
    units = {gaz.admin1_of[r[0]] for r in rows if r[2] == F_ADMIN1}
    # Continents, seas and world regions (no country) count as countries (see namesakes).
    countries = frozenset(r[0] for r in rows if r[2] == F_COUNTRY or (r[2] == F_REGION and r[3] < 0))
    # (only a town inside an admin1 unit of the name is that unit's own town: Delaware County,
    # Pennsylvania is near the state of Delaware, but not its town)
    towns = tuple((r[3], r[5], r[6]) for r in rows if r[2] in _TOWNS and r[4] in units)
    # Whether the sibling rule may lift a row is static: an admin1 unit (located, in a country)
    # with no town candidate of its own country within about 100 km (see _Matcher.score).
    # The rows as score reads them (see _CandTable.rows).
    full_rows = [
        (
            c, base, 1.5 if f == F_COUNTRY else 2.5, cc, a1, lat, lon, cell,
            f == F_ADMIN1 and cc >= 0 and lat == lat and not any(
                t_cc == cc and abs(t_lat - lat) < 1.0 and abs(t_lon - lon) < 1.2 for t_cc, t_lat, t_lon in towns
            ),
            f in _TOWNS, bool(flags & FLAG_CAPITAL),
        )
        for c, base, f, cc, a1, lat, lon, flags, cell in rows
    ]
    return _CandTable(
        idx, pruned, tuple(full_rows), tuple(heads), {cc: tuple(p) for cc, p in by_country.items()},
        bool(countries), countries, any(r[8] for r in full_rows), {},
    )


_WANTED_SIZE: Final = 16  # context country sets remembered per table


def _variant_of(name: str, key: str) -> bool:
    """Whether a town's own name ``name`` is ``key`` as "X City" or spelled one letter longer or
    shorter at the end ("Pittsburg" for "Pittsburgh"): see ALTERNATE_NAME_PENALTY."""
    if name == key + " city":
        return True
    short, long = (name, key) if len(name) < len(key) else (key, name)
    return len(long) == len(short) + 1 and long.startswith(short)


_PICK_FACTS_SIZE: Final = 1 << 16


def _cell(lat: float, lon: float) -> int:
    """The grid cell (two degrees of latitude by three of longitude) of a point. The nearness
    test only measures anchors within two degrees of latitude and (below 60 degrees) three of
    longitude of a candidate; every cell such a box around an anchor touches (widened by a
    hundredth of a degree against rounding) is listed with the anchor, so a candidate whose cell
    is not listed has no anchor to measure (floor is monotone: the box test implies the cell
    test). Cells as large as the box keep the list short: nine cells, mostly."""
    return _cell_of(math.floor(lat / 2.0), math.floor(lon / 3.0))


def _cell_of(row: int, col: int) -> int:
    """The number of grid cell (``row``, ``col``) (see :func:`_cell`)."""
    return (row + 100) * 1000 + col + 400


def _cells_around(lat: float, lon: float) -> frozenset[int]:
    """The grid cells that the nearness box around a point touches (see :func:`_cell`)."""
    return frozenset(
        _cell_of(row, col)
        for row in range(math.floor((lat - 2.01) / 2.0), math.floor((lat + 2.01) / 2.0) + 1)
        for col in range(math.floor((lon - 3.01) / 3.0), math.floor((lon + 3.01) / 3.0) + 1)
    )
_LAT = itemgetter(0)  # of an anchor (lat, lon, group, entry)
_ENTRY = itemgetter(3)


@cache
def _pick_facts_cache(lang: str) -> dict[int, tuple]:
    """Per-language cache of :func:`_pick_facts` (a plain dict: one C-level lookup per pick)."""
    return {}


def _pick_facts(lang: str, c: int) -> tuple:
    """What resolution reads of entry ``c`` when it is a group's pick, cached per language:
    whether it is an area (country, admin1 unit, region: always reliable), whether it is big
    enough to be reliable as a town (see :meth:`_Matcher.reliable`), its country, its context
    weight for its country (per unit of confidence), its admin1 (-1 for a country, whose admin1
    context does not count) and its weight for it, its feature, whether it is a located place
    that anchors nearness, lat, lon, and the grid cells of the box around it in which a
    candidate may be within 150 km of it (see :func:`_cell`)."""
    gaz = load_gazetteer()
    tb = _tables(lang)
    f = gaz.feature_of[c]
    lat = gaz.lat_of[c]
    out = (
        f in (F_COUNTRY, F_ADMIN1, F_REGION), _eff_pop(gaz, tb, c) >= tb.unsupported_min_population,
        gaz.country_of[c], _W_COUNTRY.get(f, 0.5), gaz.admin1_of[c] if f != F_COUNTRY else -1, _W_ADMIN1.get(f, 0.3),
        f, f in (F_CITY, F_ADMIN2, F_REGION) and not math.isnan(lat), lat, gaz.lon_of[c],
        _cells_around(lat, gaz.lon_of[c]) if not math.isnan(lat) else frozenset(),
    )
    cache = _pick_facts_cache(lang)
    if len(cache) >= _PICK_FACTS_SIZE:
        cache.clear()  # bounded: untrusted input cannot grow it forever
    cache[c] = out
    return out


def _prune(gaz: Gazetteer, cands: list[int], key: str = "") -> list[int]:
    """Drop an admin unit named like a big city inside it ("Damascus" governorate vs city):
    news means the city. A state whose own name is the name read is kept when the city bears it
    only as a short alternate name: "Oklahoma" is the state, not Oklahoma City."""
    feat, pop = gaz.feature_of, gaz.pop_of
    cities = [c for c in cands if feat[c] == F_CITY]
    if not cities:
        return cands
    out = []
    for c in cands:
        f = feat[c]
        if f in (F_ADMIN1, F_ADMIN2):
            floor = max(1000, min(100_000, 0.05 * pop[c]))
            # (only a city of exactly the state's name prunes a state so named)
            own = f == F_ADMIN1 and bool(key) and name_key(gaz.name_of(c)) == key
            inside = any(
                (not own or name_key(gaz.name_of(x)) == key)
                and gaz.country_of[x] == gaz.country_of[c]
                and pop[x] >= floor
                and (
                    (gaz.admin1_of[x] == gaz.admin1_of[c]
                     and (not gaz.distance_km(x, c) > PRUNE_ADMIN1_KM if f == F_ADMIN1
                          else gaz.admin2_of[x] == gaz.admin2_of[c] or gaz.distance_km(x, c) < 60))
                    # the city gave its name to a neighbouring unit ("Sanaa" governorate)
                    or (pop[x] >= pop[c] and gaz.distance_km(x, c) < 100)
                )
                for x in cities
            )
            if inside:
                continue
        out.append(c)
    return out or cands


def _contains(gaz: Gazetteer, outer: int, inner: int) -> bool:
    """Whether entry ``outer`` (country or admin unit) contains entry ``inner``."""
    f = gaz.feature_of[outer]
    if f == F_COUNTRY:
        return gaz.country_of[inner] == gaz.country_of[outer] and inner != outer
    if f in (F_ADMIN1, F_REGION) and gaz.admin1_of[outer] >= 0:
        return gaz.admin1_of[inner] == gaz.admin1_of[outer] and inner != outer
    if f == F_ADMIN2:
        return gaz.admin2_of[inner] == gaz.admin2_of[outer] and inner != outer
    return False


# How far from the hand-placed centre of an area with no admin1 unit a place its possessive
# qualifies may lie: "Kashmir's Kulgam district" (130 km), "Mindanao's Marawi city" (90 km), not
# "the Sahel's" any town of a continent.
_OPEN_AREA_KM = 400.0


def _open_area_holds(gaz: Gazetteer, outer: int, inner: int) -> bool:
    """Whether ``outer``, a region that is no admin unit (a disputed region of no country: Kashmir;
    an island: Mindanao), may hold ``inner``, a place near its centre, of its country if it has
    one: "Kashmir's Kulgam district" is Kulgam, in India; "Mindanao's Marawi city" is Marawi, with
    its admin1, not the island, which has none."""
    if gaz.feature_of[outer] != F_REGION or gaz.admin1_of[outer] >= 0 or gaz.country_of[inner] < 0:
        return False
    if gaz.country_of[outer] >= 0 and gaz.country_of[outer] != gaz.country_of[inner]:
        return False
    return gaz.feature_of[inner] != F_COUNTRY and gaz.distance_km(outer, inner) <= _OPEN_AREA_KM


@lru_cache(maxsize=1 << 15)
@cache
def _admin1_parent() -> dict[int, int]:
    """Admin1 number -> the admin1 number its name is reported under: a unit below a first-level
    unit of a country of regions.json ``admin1_parents`` ("PS.WE.7828733", Jenin) -> the parent
    ("PS.WE", West Bank); every other unit is absent (itself)."""
    import orjson

    from streams.extract.gazetteer import _REGIONS_FILE

    countries = set(orjson.loads(_REGIONS_FILE.read_bytes()).get("admin1_parents", {}).get("countries", ()))
    gaz = load_gazetteer()
    number = {code: k for k, code in enumerate(gaz.admin1_codes)}
    out: dict[int, int] = {}
    for k, code in enumerate(gaz.admin1_codes):
        parts = code.split(".")
        if len(parts) > 2 and parts[0] in countries:
            parent = number.get(f"{parts[0]}.{parts[1]}")
            if parent is not None:
                out[k] = parent
    return out


# _entry_facts by entry (a function of the entry alone, and rounding the coordinates costs more
# than the rest of a Place): a plain dict, cleared when full like the other caches.
_ENTRY_FACTS: dict[int, tuple] = {}
_ENTRY_FACTS_SIZE = 1 << 14


def _entry_facts(c: int) -> tuple:
    """What a Place records of gazetteer entry ``c``: name, geonameid, country code, admin1 name,
    lat, lon (rounded), feature, population."""
    found = _ENTRY_FACTS.get(c)
    if found is not None:
        return found
    gaz = load_gazetteer()
    gid = gaz.gid_of[c]
    cc = gaz.country_of[c]
    a1 = gaz.admin1_of[c]
    a1 = _admin1_parent().get(a1, a1)
    lat = gaz.lat_of[c]
    located = not math.isnan(lat)
    out = (
        gaz.name_of(c), gid if gid >= 0 else None, gaz.countries[cc] if cc >= 0 else None,
        gaz.admin1_names[a1] if a1 >= 0 else None, round(lat, 5) if located else None,
        round(gaz.lon_of[c], 5) if located else None, FEATURES[gaz.feature_of[c]], gaz.pop_of[c],
    )
    if len(_ENTRY_FACTS) >= _ENTRY_FACTS_SIZE:
        _ENTRY_FACTS.clear()  # bounded: untrusted input cannot grow it forever
    _ENTRY_FACTS[c] = out
    return out


_FIRST = itemgetter(0)
_FIRST_TOKEN = attrgetter("i")


def _cue_phrase(info: list[tuple], start: int, stop: int) -> tuple[str, ...]:
    """The cue keys of tokens ``start``..``stop - 1`` as a phrase tuple (most cue phrases of
    several words have two)."""
    if stop - start == 2:
        return (info[start][3], info[start + 1][3])
    return tuple([w[_CUE_KEY] for w in info[start:stop]])


def _covered(mentions: list[_Mention]) -> set[int]:
    """The tokens inside the mentions (most are one token: their first tokens in one C-level pass)."""
    covered = set(map(_FIRST_TOKEN, mentions))
    for m in mentions:
        if m.j != m.i:
            covered.update(range(m.i + 1, m.j + 1))
    return covered


def _unlink(groups: list[_Group]) -> None:
    """Break the reference cycles of a document's groups once its places are made (a group holds
    its mentions and each mention its group; qualified and coordinated groups hold each other):
    reference counting then frees them at once, instead of the cycle collector, whose passes
    they would trigger over every live object (a few percent of the extraction time)."""
    for g in groups:
        g.mentions = []
        g.qualifiers = g.qualifies = g.coordinated = ()


def find_places(doc: Doc) -> None:
    """Append the document's place names to ``doc.places``, resolved and with a role."""
    if not doc.words:
        return
    gaz = load_gazetteer()
    tb = _tables(doc.lang)
    matcher = _Matcher(doc, gaz, tb)
    found = matcher.spelling_variants(matcher.find())
    if found and tb.not_followed_by:
        nxt = tb.not_followed_by
        info = matcher.info
        last = len(info) - 1
        found = [m for m in found if not (
            m.i == m.j and m.key in nxt and m.j < last and info[m.j + 1][0] in nxt[m.key]
            and matcher.sent[m.j + 1] == matcher.sent[m.j]
        )]
    if found and tb.name_part_forms:
        parts = tb.name_part_forms
        info = matcher.info
        found = [m for m in found if not (
            m.i > 0 and not m.clitic and info[m.i - 1][0] in parts and matcher.sent[m.i - 1] == matcher.sent[m.i]
        )]
    if found:
        found = matcher.initial_qualified(found)
    matcher.covered = _covered(found)
    # Demonyms and country nouns in one pass over the tokens (both are rare).
    info = matcher.info
    special = [t for t, w in enumerate(info) if w[_SPECIAL]]
    matcher.anaphora = [t for t in special if info[t][0] in tb.anaphora_forms]
    demonyms = [(t, info[t][2]) for t in special if info[t][6] and t not in matcher.covered]
    last = len(info) - 1
    for t, idx in demonyms:
        if (t < last and info[t + 1][0] in tb.demonym_actor_after and matcher.sent[t + 1] == matcher.sent[t]
                and gaz.country_of[idx] >= 0 and gaz.countries[gaz.country_of[idx]] in tb.demonym_actor_countries):
            # "Russian shelling killed three in Donetsk": the attacker's country, not the town's
            # (else the Russian Donetsk, a small town, outweighs the Ukrainian city).
            continue
        matcher.demonym_cc[gaz.country_of[idx]] = DEMONYM_WEIGHT
    # Most one-word matches in Arabic are ordinary words that some village is named after.
    # They can only be places with strong support from the others, so the others are resolved
    # first and a weak word is let in only when one of its candidates is near what they
    # resolved to (or in an admin1 unit they name), or when a descriptor introduces it.
    mentions: list[_Mention] = []
    weak: list[_Mention] = []
    for m in found:
        (weak if matcher.weak(m) else mentions).append(m)
    groups = matcher.group(mentions)
    matcher.resolve(groups)
    replaced: list[_Group] = []  # the groups before weak words were let in
    if weak:
        admitted = matcher.admit_weak(groups, weak)
        if admitted:
            mentions = sorted(mentions + admitted, key=lambda m: m.i)
            replaced = groups
            groups = matcher.group(mentions)
            matcher.resolve(groups)
    matcher.groups = groups
    for grp in groups:
        grp.kept = matcher.keep(grp)
    if len(groups) > 1:
        matcher.fit_direction_anchors(mentions)
    items: list[tuple[_Mention, int, float]] = []  # (mention, entry, confidence)
    for m in mentions:
        g = m.group
        if g is None or not g.kept:
            continue
        c = g.pick
        f = gaz.feature_of[c]
        if m.person and f in (F_CITY, F_ADMIN2):
            continue
        if (f == F_CITY and m.i == m.j and name_key(gaz.name_of(c)) != g.key
                and (_truncated(doc, matcher.tb, m.j) or _name_goes_back(doc, matcher.tb, m.i))):
            # "the Mir Ali area": a one-word town read by an alternate name (Monastir is also
            # called Mir) where the text goes on with a capitalized word is a longer name the
            # gazetteer lacks, not that town; so is one that ends such a name ("the Complexo da
            # Mare favelas" is not Male, one of whose alternate names is Mare).
            continue
        if g.common and m.i == m.j and _inside_name(doc, matcher, m.i):
            # "jawans of the District Reserve Guard", "the Federal Reserve Bank": an ordinary word
            # that is also a small town, with capitalized words on both sides inside the
            # sentence, is a word of an institution's name.
            continue
        conf = g.conf if g.supported or f != F_CITY else g.conf * 0.85
        if " " in g.key:
            conf = min(1.0, conf + 0.05)
        items.append((m, c, conf))
    matcher.covered = _covered(list(map(_FIRST, items)))
    if demonyms:
        items.extend(matcher.demonym_places(demonyms))
    items.extend(matcher.country_anaphora(items))
    items.sort(key=lambda item: item[0].i)
    items = matcher.drop_misread_towns(items)
    roles = matcher.statement_places(
        items, matcher.link_containers(items, [matcher.role_of(m, gaz.feature_of[c]) for m, c, _ in items])
    )
    across: set[int] = set()  # (original start offsets: see ACROSS_BORDER)
    word_starts, word_ends = doc.word_starts, doc.word_ends
    append = doc.places.append
    text = doc.text
    # Doc.orig_span's fast path, tested once: nothing was deleted, every offset maps to itself.
    identity = bool(doc.norm_to_orig) and doc.cache.get(IDENTITY_MAP) is doc.norm_to_orig
    for (m, c, conf), role in zip(items, roles, strict=True):
        start = word_starts[m.i] + m.name_offset
        end = word_ends[m.j] - m.suffix
        if identity:
            end = end if end > start else start
        elif doc.norm_to_orig:
            start, end = doc.orig_span(start, end)
        # _entry_facts is in Place's field order: name, geonameid, country_code, admin1, lat, lon,
        # feature, population.
        append(Place(start, end, text[start:end], *_entry_facts(c), role, round3(max(0.0, min(1.0, conf)))))  # type: ignore[call-arg]
        if role == "reference_point" and matcher.context(m)[3] & _ACROSS:
            across.add(start)
    _unlink(replaced)
    _unlink(groups)
    if across:
        doc.cache[ACROSS_BORDER] = across
    if demonyms:
        _demonym_countries(doc, gaz, tb, demonyms)
    if tb.capital_datelines:
        _dateline_city(doc, gaz)


def _demonym_countries(doc: Doc, gaz: Gazetteer, tb: _Tables, demonyms: list[tuple[int, int]]) -> None:
    """Record the countries the demonyms name (``DEMONYM_COUNTRIES``), but those of
    ``demonym_actor_countries``: "قتل مسلحون عناصر من الشرطة الأفغانية" is in Afghanistan, while
    "القوات الأميركية" and "الطائرات الإسرائيلية" act abroad."""
    found: list[tuple[int, int, int, bool]] = []
    for t, idx in demonyms:
        cc = gaz.country_of[idx]
        code = gaz.countries[cc] if cc >= 0 else None
        if code is None or code in tb.demonym_actor_countries:
            continue
        found.append((doc.word_starts[t], doc.word_ends[t], idx, code in tb.home_countries))
    if found:
        doc.cache[DEMONYM_COUNTRIES] = found


def place_of_entry(doc: Doc, start: int, end: int, entry: int, role: str, confidence: float) -> Place:
    """A Place for gazetteer entry ``entry`` written at normalized offsets ``start``-``end`` of
    ``doc`` (assemble's country of an unplaced incident, read from a demonym)."""
    o_start, o_end = doc.orig_span(start, end)
    return Place(o_start, o_end, doc.text[o_start:o_end], *_entry_facts(entry), role, confidence)  # type: ignore[call-arg]


# A wire dateline's city in capitals, short enough to pass for an acronym ("KABUL", "KYIV", "ADEN"),
# at the very start of the article, then a comma, an agency in brackets or a dash.
_SHORT_DATELINE = re.compile(r"\s*([A-Z][A-Z'-]{2,4})(?=\s*(?:,|\(|[-\u2013\u2014]\s))")


def _dateline_city(doc: Doc, gaz: Gazetteer) -> None:
    """Read the city of a dateline written in capitals that the acronym rule skipped ("KABUL
    (Reuters) -", "KYIV, Ukraine -"): a national capital or a city of 100,000 or more, in the
    country the dateline names when it names one. It is only the filing city ("mentioned"):
    assemble reads it when the report names no other place."""
    m = _SHORT_DATELINE.match(doc.text)
    if m is None or any(p.start <= m.start(1) < p.end for p in doc.places):
        return
    start, end = m.span(1)
    dateline_countries = {p.country_code for p in doc.places if p.feature == "country" and p.start < end + 40}
    best = -1
    best_score = -1.0
    for c in _cand_table(doc.lang, _key(m.group(1))).idx:
        if gaz.feature_of[c] != F_CITY or not (gaz.flags_of[c] & FLAG_CAPITAL or gaz.pop_of[c] >= 100_000):
            continue
        cc = gaz.countries[gaz.country_of[c]] if gaz.country_of[c] >= 0 else None
        if dateline_countries and cc not in dateline_countries:
            continue
        score = _prior(gaz, c, gaz.pop_of[c]) + (2.0 if gaz.flags_of[c] & FLAG_CAPITAL else 0.0)
        if score > best_score:
            best, best_score = c, score
    if best >= 0:
        doc.places.insert(0, Place(start, end, doc.text[start:end], *_entry_facts(best), "mentioned", 0.6))  # type: ignore[call-arg]


# The spellings of the Arabic article in transliterated names ("Deir el-Zour" is the gazetteer's
# "Deir al-Zour", "Jisr al-Shughur" its "Jisr ash Shughur").
_ARABIC_ARTICLES: Final = ("al", "el", "ad", "ed", "an", "en", "ar", "er", "as", "es", "ash", "esh", "at", "et",
                           "az", "ez", "adh", "ath")


@lru_cache(maxsize=1 << 12)
def _article_respelled(lang: str, head: str, part: str) -> str:
    """The key of a two-word name ``head`` + ``part`` (an article joined to a word by a hyphen,
    read as "el zour") that the gazetteer spells with another form of the article, or "ou" as
    "u": "" when none does or when such spellings name places in different countries."""
    article, _, word = part.partition(" ")
    if article not in _ARABIC_ARTICLES or not word or " " in word:
        return ""
    gaz = load_gazetteer()
    words = (word, word.replace("ou", "u")) if "ou" in word else (word,)
    found = ""
    countries: set[int] = set()
    for a in _ARABIC_ARTICLES:
        for w in words:
            key = f"{head} {a} {w}"
            if (a == article and w == word) or gaz.key_id(key) is None:
                continue
            cands = _cand_table(lang, key).idx
            if not cands:
                continue
            countries.update(gaz.country_of[c] for c in cands)
            found = found or key
    return found if len(countries) == 1 else ""


# "al-Nourah", "el-Zour", "ash-Shifa": an Arabic name goes on after its article.
_ARTICLE_PART = re.compile(r"(?:al|el|ad|ed|an|en|ar|er|as|es|ash|esh|at|et|az|ez|adh|ath)-[A-Z]")


def _truncated(doc: Doc, tb: _Tables, j: int) -> bool:
    """Whether word ``j`` is followed, after one space, by a capitalized word that is no place
    noun ("Mir Ali", but not "Gaza City" or "Bannu District") or by an Arabic article joined to a
    capitalized word ("Wad al-Nourah"): the name goes on."""
    words = doc.words
    if j + 1 >= len(words) or doc.norm[doc.word_ends[j] : doc.word_starts[j + 1]] != " ":
        return False
    nxt = words[j + 1]
    return (nxt[:1].isupper() and _key(nxt) not in tb.descriptors) or _ARTICLE_PART.match(nxt) is not None


def _inside_name(doc: Doc, matcher: _Matcher, i: int) -> bool:
    """Whether word ``i`` stands, one space apart, between two capitalized (not all-capitals)
    words of its sentence, the first of which does not open the sentence."""
    words = doc.words
    if i < 1 or i + 1 >= len(words) or matcher.is_initial(i - 1):
        return False
    sent = matcher.sent
    if sent[i - 1] != sent[i] or sent[i + 1] != sent[i]:
        return False
    norm, starts, ends = doc.norm, doc.word_starts, doc.word_ends
    if norm[ends[i - 1] : starts[i]] != " " or norm[ends[i] : starts[i + 1]] != " ":
        return False
    before, after = words[i - 1], words[i + 1]
    return (before[:1].isupper() and not before.isupper() and after[:1].isupper() and not after.isupper())


def _name_goes_back(doc: Doc, tb: _Tables, i: int) -> bool:
    """Whether word ``i`` ends a longer name: a capitalized word and a lower-case connector that is
    no cue stand before it, one space apart ("Complexo da Mare", "Ponte de Lima")."""
    words = doc.words
    if i < 2:
        return False
    link, head = words[i - 1], words[i - 2]
    norm, starts, ends = doc.norm, doc.word_starts, doc.word_ends
    if norm[ends[i - 1] : starts[i]] != " " or norm[ends[i - 2] : starts[i - 1]] != " ":
        return False
    key = _key(link)
    return (link[:1].islower() and key in tb.connectors and key not in tb.cue_words
            and head[:1].isupper() and not head.isupper())


def victim_country(doc: Doc, spans: list[tuple[int, int]]) -> Place | None:
    """The country that a demonym among the victims names, for an incident that names no place.

    ``spans`` are the original-text spans of the incident's casualty figures ("A Pakistani soldier
    was killed", "killed three Palestinians"). The victims' nationality is where such a report
    happened far more often than not; the attacker's ("Israeli troops", "Russian shelling") lies
    outside these spans. None unless exactly one country is named so. Two-word demonyms are read
    before one-word ones ("South Sudanese" is not Sudanese).
    """
    tb = _tables(doc.lang)
    if not tb.demonyms or not spans:
        return None
    found: dict[int, tuple[int, int]] = {}
    for s, e in spans:
        words = [(m.start(), m.end(), _key(m.group())) for m in WORD_RE.finditer(doc.text, s, e)]
        k = 0
        while k < len(words):
            if k + 1 < len(words):
                idx = tb.demonyms.get(words[k][2] + " " + words[k + 1][2])
                if idx is not None:
                    found.setdefault(idx, (words[k][0], words[k + 1][1]))
                    k += 2
                    continue
            idx = tb.demonyms.get(words[k][2])
            if idx is not None:
                found.setdefault(idx, (words[k][0], words[k][1]))
            k += 1
    if len(found) != 1:
        return None
    ((c, (start, end)),) = found.items()
    return Place(start, end, doc.text[start:end], *_entry_facts(c), "incident_location", 0.4)  # type: ignore[call-arg]
