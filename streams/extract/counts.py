"""Counts: tie each number to what it counts and to whom.

:func:`find_counts` reads ``doc.numbers`` (see :mod:`streams.extract.numbers`) and appends a
:class:`~streams.extract.doc.Count` for every figure that counts people or things:

- **what**: the noun after the number ("40 civilians", "أربعين مدنيا", "50 غارة", "three
  warplanes"), refined by an adjective ("طائرات حربية" = warplanes) or a "من/of" phrase
  ("12 قتيلا من المدنيين"); a definite number may follow its noun ("المدنيون الخمسة");
- **what happened**: the noun itself ("قتيلا", "dead", "غارة"), else a cue after the noun ("were
  killed", "قتلوا", "28 شخصا على الأقل قتلوا") or before the number ("مقتل", "killed"), the nearer
  winning; else the figure it is coordinated with ("killed 12 soldiers and 30 civilians"). A cue
  after the last of several coordinated figures is theirs too ("11 مدنيا وأربعة من رجال الشرطة
  قتلوا", "40 civilians, among them 8 children, were killed");
- **numberless figures**: the Arabic dual ("طائرتين" = 2 aircraft, "قتيلان" = 2 killed); one
  person written with no numeral: a singular right next to a cue ("مقتل جندي", "a policeman was
  killed", "قتل أحد عناصر الشرطة", "وأصيب آخر"), coordinated with another figure ("قتيل و11
  جريحا", "خمسة مسلحين وامرأتين وطفلا") or after a breakdown word ("including a child", "بينهم
  طفل"); a verbal noun with a pronoun ("مقتله" = his killing); and an assassination with no
  figure ("اغتالوا العميد", "the assassination of the governor") is one killed;
- **breakdowns**: a figure after "among them"/"including"/"بينهم"/"منهم" is a part of the figure
  before it and goes into that count's ``breakdown`` ("40 civilians, among them 8 children" is
  one count of 40, never 48);
- **cumulative totals**: cue words near the figure ("منذ بدء", "since the start of the war",
  "bringing the death toll to"), a rising toll ("ووصل عدد القتلى ... إلى 25") and "during it"
  ("خلاله") where the sentence names a long period ("after five years of siege") set
  ``cumulative``.

The algorithm is language-independent: a window of words around each number and dict lookups
in tables compiled once per language from ``lang/<lang>/counts.json`` (clitic variants of every
entry expanded at load time, so Arabic "وطائرتين" or "المدنيين" cost one lookup).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache

from streams.extract import lang as langdata
from streams.extract.doc import IDENTITY_MAP, Count, Doc
from streams.extract.normalize import normalize_name
from streams.extract.numbers import Items, PhraseTable, clitic_variants, gap_has_break, norm_words, word_items

# How a numberless figure of one (_Cand.one) may be read: a singular noun or a title needs a cue
# right next to it or a coordinated figure; a one-word ("أحد", "another") likewise; a verbal noun
# with a pronoun ("مقتله") carries its own kind.
_ONE_NOUN, _ONE_WORD, _ONE_SELF = "noun", "word", "self"
# Payloads of the cumulative table: a cue that always marks a total, or only in a sentence that
# names a long period ("خلاله", "during which").
_CUM_ALWAYS, _CUM_PERIOD = "always", "period"
# Punctuation that ends a clause (a comma does not: "سبعة من عناصر الشرطة الأفغانية، ومهندس هندي").
_CLAUSE_END = frozenset(".;:!?؛()")
_COMMAS = frozenset(",،")
# Values of _Ctx.owner besides a number's index: a free word, and a word of a figure of one already
# counted ("مقتل جندي و3 مدنيين": "مقتل" is not looked for across "جندي").
_FREE, _ONE_TAKEN = -1, -2
_CONJUNCTION_LETTERS = frozenset("وف")


@dataclass(frozen=True, slots=True)
class _Noun:
    kind: str | None
    victims: str | None
    unit: str | None
    weak: bool = False  # the noun's kind gives way to a cue ("killing three refugees")


@dataclass(frozen=True, slots=True)
class _Tables:
    nouns: PhraseTable  # payload _Noun
    duals: dict[str, tuple[_Noun, int]]  # surface -> (noun, clitic length)
    singulars: PhraseTable  # payload _Noun
    ones: PhraseTable  # payload (_Noun | None, how): numberless figures of one
    one_cues: PhraseTable  # payload kind: cues that kill one person when no figure follows
    # Words that open a single victim named right after a cue (given names, "عبد"/"أبو"), and the
    # definite singulars of the victim nouns ("الجندي"): word -> victims (None for a name).
    named: dict[str, str | None]
    named_not: PhraseTable  # cues that need a figure or a complement ("لقي حتفه", "قضى"): no named victim
    kin: frozenset[str]  # "وزوجته", "وابنهما": relatives coordinated after a single named victim
    # "ثم قتلا" (then the two were killed): "then" words, and the verbs after them that kill two
    # (dual) or the people a figure of then_of kinds counted before (plural): see _then_killed.
    then_words: frozenset[str]
    then_dual: frozenset[str]
    then_plural: frozenset[str]
    then_of: frozenset[str]
    # "الانتحاري الذي قتل بالرصاص", "وكانت بوتو قد قتلت": the subject before a passive verb, named
    # by a relative pronoun (word -> how many) or by "كان ... قد" (see _subject_killed).
    relatives: dict[str, int]
    subject_verbs: dict[str, int]  # verb -> how many it kills (singular 1, dual 2)
    # Words that cannot end the subject noun phrase before the verb (particles, prepositions, speech
    # verbs): the verb after any other word is read as the subject's passive (see _subject_killed).
    # Empty: only the relative and the perfect readings.
    not_subject: frozenset[str]
    # Vague objects ("عددا من المسلحين") a few words after such a verb make it active: the subject
    # killed them ("الشرطة قتلت في الاشتباك عددا من المسلحين"), nobody counted was killed.
    vague_objects: frozenset[str]
    past_aux: frozenset[str]
    perfect: frozenset[str]  # "قد"
    past_window: int
    # What follows a passive verb: a preposition or time word, or a word with one of the clitics
    # ("بالرصاص"); an active verb takes its object instead ("قتل اخاه").
    passive_next: frozenset[str]
    passive_clitics: tuple[str, ...]
    # A verb and its complement written around the victims ("stabbed a teacher to death"): the
    # opening verbs (word -> kind), the complements, and the pronouns that stand for one victim.
    split_openers: dict[str, str]
    split_closers: PhraseTable
    split_pronouns: frozenset[str]
    # Words that open a cue's object ("a man shot dead a police officer"): the cue is then an active
    # verb, and the figure before it is the one who killed (see _right_cue).
    objects: frozenset[str]
    # "قتل طالب في مدرسة ... سبعة من زملائه": verbs read active or passive; a singular right after
    # one is the killer when a figure follows in the clause (see find_counts), within agent_window words.
    agent_verbs: frozenset[str]
    agent_window: int
    list_articles: frozenset[str]  # "the": opens one person only in a list ("the village chief and his two sons")
    # ... or right after a cue used as an active verb: "shot dead the driver of a jeepney" is one.
    # A relative clause between a figure and its cue: its opener ("who"), the auxiliaries that
    # close it and start the cue's passive ("were"), and how many words it may hold.
    relative_openers: frozenset[str]
    relative_closers: frozenset[str]
    relative_gap: int
    unit_name_words: int  # capitalized words an "of the" unit name may hold ("of the Border Security Force")
    custody: PhraseTable  # "in custody" right after a killed figure: a death in detention
    kin_window: int
    in_words: frozenset[str]  # "في" (in): a part followed by "in an attack" is that attack's toll
    incident_words: frozenset[str]  # attack words after a part: "بينهم 15 قضوا في هجوم انتحاري"
    modifiers: PhraseTable  # payload (unit, kinds)
    victims_of: frozenset[str]
    cues_before: PhraseTable  # payload kind
    cues_after: PhraseTable
    cues_after_one: PhraseTable  # singular verbs after a singular noun ("مقاتلا قتل")
    breakdown: PhraseTable
    breakdown_after: PhraseTable  # written right after the part's number ("10 of them", "10 منهم")
    refinable: frozenset[str]  # victims a "من/of" phrase may name more precisely ("عناصر من الشرطة")
    cumulative: PhraseTable  # payload _CUM_ALWAYS | _CUM_PERIOD
    rise: PhraseTable  # a toll that rises or reaches a figure: "ارتفع عدد القتلى ... إلى 25"
    rise_to: frozenset[str]
    long_periods: frozenset[str]  # durations that make "during it" a campaign
    short_periods: frozenset[str]  # a cumulative cue before such a duration is a daily toll
    barriers: frozenset[str]
    barrier_exceptions: frozenset[str]  # words after which a barrier is a time phrase ("بعد ظهر")
    noun_fillers: PhraseTable
    after_fillers: PhraseTable
    definite_prefixes: frozenset[str]  # clitics that make a number definite ("الخمسة")
    negators: frozenset[str]  # a cue after one of these kills no one ("لم يقتل أحد")
    not_one: PhraseTable  # cues that make no figure of one ("died": a lone death may be natural)
    unreal_before: frozenset[str]  # words before a cue that make it no killing ("محاولة اغتيال")
    unreal_after: frozenset[str]  # ... or after it ("assassination attempt")
    joiners: frozenset[str]
    joiner_prefixes: tuple[str, ...]
    determiners: frozenset[str]  # possessives between coordinated figures ("and her three children")
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
    rise_left: int
    one_left: int
    one_article: int
    loose_conj: int
    history_right: int
    # Endings of a relative adjective a cue after a singular may be looked for across ("جنديا فرنسيا قتل").
    adjective_endings: tuple[str, ...] = ()


def _one_forms(sg: str, endings: list[tuple[str, str]]) -> list[str]:
    """A singular and its indefinite accusative (Arabic "ناشط" -> "ناشطا"): the first ending that fits."""
    forms = [sg]
    for sg_end, new_end in endings:
        if sg.endswith(sg_end):
            form = sg[: len(sg) - len(sg_end)] + new_end
            if form != sg:
                forms.append(form)
            break
    return forms


@cache
def _tables(lang: str) -> _Tables:
    data = langdata.load(lang, "counts")
    clit = data.get("clitics", {})
    prefixes = sorted((normalize_name(lang, p) for p in clit.get("prefixes", [])), key=len, reverse=True)
    indefinite = sorted((normalize_name(lang, p) for p in clit.get("indefinite_prefixes", [])), key=len, reverse=True)
    min_stem = int(clit.get("min_stem", 3))

    def nw(s: str) -> str:
        return normalize_name(lang, s).lower()

    def table(entries: list[tuple[str, object]], with_clitics: bool = True) -> PhraseTable:
        return PhraseTable(((norm_words(lang, s), p) for s, p in entries), prefixes if with_clitics else (), min_stem)

    one = data.get("one", {})
    one_endings = [(nw(a), nw(b)) for a, b in one.get("endings", [])]
    noun_entries: list[tuple[str, object]] = []
    sg_entries: list[tuple[str, object]] = []
    sg_by_noun: list[tuple[str, _Noun]] = []
    one_sg: list[tuple[tuple[str, ...], object]] = []
    for e in data.get("nouns", {}).get("entries", []):
        noun = _Noun(e.get("kind"), e.get("victims"), e.get("unit"), bool(e.get("weak")))
        for f in e.get("forms", []):
            noun_entries.append((f, noun))
        for f in e.get("sg", []):
            noun_entries.append((f, noun))
            sg_entries.append((f, noun))
            sg_by_noun.append((nw(f), noun))
            if noun.victims or noun.kind in ("killed", "injured"):
                words = norm_words(lang, f)
                forms = _one_forms(words[0], one_endings) if len(words) == 1 else [words[0]]
                one_sg.extend(((form, *words[1:]), (noun, _ONE_NOUN)) for form in forms)
    nouns = table(noun_entries)

    # Duals come from singulars; a form that is also a listed noun form (مدنيين: plural) stays that.
    duals: dict[str, tuple[_Noun, int]] = {}
    endings = [(nw(a), nw(b)) for a, b in data.get("dual", {}).get("endings", [])]
    # ... except the plurals that the press rarely uses, which stay duals when no number comes first.
    dual_too = frozenset(nw(w) for w in data.get("dual", {}).get("also_plural", []))
    # Names that spell a dual ("طالبان" is the Taliban, not two students).
    not_dual = frozenset(nw(w) for w in data.get("dual", {}).get("not_dual", []))
    for sg, noun in sg_by_noun:
        if " " in sg:
            continue
        for sg_end, du_end in endings:
            if sg_end and not sg.endswith(sg_end):
                continue
            form = sg[: len(sg) - len(sg_end)] + du_end
            if form in not_dual:
                continue
            for surface, plen in clitic_variants(form, prefixes, min_stem):
                if surface not in nouns.by_first or form in dual_too:
                    duals.setdefault(surface, (noun, plen))

    # Numberless figures of one. Singular nouns must be indefinite ("مقتل جندي", never "الجندي"
    # alone, which refers back to someone already counted); titles and one-words may be definite.
    one_entries: list[tuple[tuple[str, ...], object]] = list(one_sg)
    for victims, titles in one.get("titles", {}).items():
        if isinstance(titles, list):
            for w in titles:
                # A title is also written in the indefinite accusative after a verb ("وقتلوا قائدا").
                words = norm_words(lang, w)
                forms = _one_forms(words[0], one_endings) if len(words) == 1 else [words[0]]
                title = (_Noun(None, victims, None), _ONE_NOUN)
                one_entries.extend(((form, *words[1:]), title) for form in forms)
    one_entries.extend((norm_words(lang, w), (_Noun(None, None, None), _ONE_WORD)) for w in one.get("words", []))
    for kind, forms in one.get("pronoun", {}).items():
        if isinstance(forms, list):
            one_entries.extend((norm_words(lang, w), (_Noun(kind, None, None), _ONE_SELF)) for w in forms)
    # "أحد" is "one of" only without the article: "الأحد" is Sunday ("قتلوا بين الأحد والثلاثاء").
    one_indefinite = [
        (norm_words(lang, w), (_Noun(None, None, None), _ONE_WORD)) for w in one.get("words_indefinite", [])
    ]
    ones = PhraseTable(one_sg + one_indefinite, indefinite or (), min_stem)
    ones_def = PhraseTable(one_entries[len(one_sg):], prefixes, min_stem)
    # One table: the indefinite singulars first (their clitic set is narrower), then the rest.
    for form, lst in ones_def.by_first.items():
        ones.by_first.setdefault(form, []).extend(lst)
        ones.by_first[form].sort(key=lambda e: -len(e[0]))
    for words, first_forms in ones_def.first_forms.items():
        ones.first_forms.setdefault(words, first_forms)

    mod_entries: list[tuple[str, object]] = []
    for e in data.get("modifiers", {}).get("entries", []):
        payload = (e["unit"], frozenset(e.get("kinds", [])))
        mod_entries.extend((f, payload) for f in e.get("forms", []))

    before_entries: list[tuple[str, object]] = []
    after_entries: list[tuple[str, object]] = []
    after_one_entries: list[tuple[str, object]] = []
    one_cue_entries: list[tuple[str, object]] = []
    for kind, cues in data.get("cues", {}).items():
        if not isinstance(cues, dict):
            continue  # the "about" note
        before_entries.extend((c, kind) for c in cues.get("before", []))
        before_entries.extend((c, kind) for c in cues.get("one", []))
        after_entries.extend((c, kind) for c in cues.get("after", []))
        after_one_entries.extend((c, kind) for c in cues.get("after_one", []))
        one_cue_entries.extend((c, kind) for c in cues.get("one", []))
    cues_before = table(before_entries)
    cues_after = table(after_entries)
    fillers = data.get("fillers", {})
    win = data.get("windows", {})
    breakdown = table([(w, True) for w in data.get("breakdown", {}).get("words", [])])
    singulars = table(sg_entries)
    cum = data.get("cumulative", {})
    cumulative = table([(w, _CUM_ALWAYS) for w in cum.get("words", [])]
                       + [(w, _CUM_PERIOD) for w in cum.get("during_it", [])])
    rise = table([(w, True) for w in cum.get("rise", [])])
    one_cues = table(one_cue_entries)
    # Phrases are found by their last word ("من بينهم" by "بينهم"): first words are often common
    # prepositions (من، في، على) that would send every sentence through the slow path.
    implicit_keys = (frozenset(duals) | (breakdown.enders if singulars else frozenset())
                     | frozenset(ones.by_first) | one_cues.enders)
    barriers = data.get("barriers", {})
    # One victim named or pointed at right after a cue ("مقتل حسام حرب", "بقتل الجندي الاميركي"):
    # given names as listed, and the definite forms of the single-word victim singulars.
    named: dict[str, str | None] = {}
    for w in one.get("names", {}).get("given", []):
        named.setdefault(nw(w), None)
    for sg, noun in sg_by_noun:
        if noun.victims and " " not in sg:
            for p in clit.get("definite_prefixes", []):
                named.setdefault(normalize_name(lang, p) + sg, noun.victims)
    # Relatives glued to "and" after a single victim ("اغتيال فلان ... وزوجته وابنهما").
    kin = frozenset(j + nw(w) for w in one.get("names", {}).get("kin", []) for j in clit.get("joiner_prefixes", []))
    then = data.get("then_killed", {})
    subject = data.get("subject_killed", {})
    split = data.get("split", {})
    split_openers = {nw(w): kind for kind, e in split.items() if isinstance(e, dict) for w in e.get("openers", [])}
    split_closers = table([(w, kind) for kind, e in split.items() if isinstance(e, dict) for w in e.get("closers", [])],
                          False)
    return _Tables(
        nouns=nouns,
        duals=duals,
        singulars=singulars,
        ones=ones,
        one_cues=one_cues,
        named=named,
        named_not=table([(w, True) for w in one.get("names", {}).get("not_cues", [])]),
        kin=kin,
        then_words=frozenset(nw(w) for w in then.get("words", [])),
        then_dual=frozenset(nw(w) for w in then.get("dual", [])),
        then_plural=frozenset(nw(w) for w in then.get("plural", [])),
        then_of=frozenset(then.get("of", [])),
        relatives={nw(w): int(v) for w, v in subject.get("relatives", {}).items()},
        subject_verbs={**{nw(w): 1 for w in subject.get("verbs_one", [])},
                       **{nw(w): 2 for w in subject.get("verbs_two", [])}},
        not_subject=frozenset(nw(w) for w in subject.get("not_subject", [])),
        vague_objects=frozenset(nw(w) for w in subject.get("vague_objects", [])),
        past_aux=frozenset(nw(w) for w in subject.get("past", [])),
        perfect=frozenset(nw(w) for w in subject.get("perfect", [])),
        past_window=int(subject.get("past_window", 8)),
        passive_next=frozenset(nw(w) for w in subject.get("passive_next", [])),
        passive_clitics=tuple(nw(w) for w in subject.get("passive_clitics", [])),
        split_openers=split_openers,
        split_closers=split_closers,
        split_pronouns=frozenset(nw(w) for w in split.get("pronouns", [])),
        objects=frozenset(nw(w) for w in data.get("cues", {}).get("objects", [])),
        agent_verbs=frozenset(nw(w) for w in data.get("agent_verbs", {}).get("words", [])),
        agent_window=int(data.get("agent_verbs", {}).get("window", 8)),
        list_articles=frozenset(nw(w) for w in one.get("list_articles", [])),
        relative_openers=frozenset(nw(w) for w in data.get("relative_clause", {}).get("openers", [])),
        relative_closers=frozenset(nw(w) for w in data.get("relative_clause", {}).get("closers", [])),
        relative_gap=int(data.get("relative_clause", {}).get("words", 0)),
        unit_name_words=int(win.get("unit_name", 0)),
        custody=table([(w, True) for w in data.get("custody", {}).get("words", [])], False),
        in_words=frozenset(nw(w) for w in data.get("tally", {}).get("in", [])),
        incident_words=frozenset(nw(w) for w in data.get("tally", {}).get("incidents", [])),
        kin_window=int(win.get("kin_window", 10)),
        modifiers=table(mod_entries),
        victims_of=frozenset(nw(w) for w in data.get("victims_of", {}).get("words", [])),
        cues_before=cues_before,
        cues_after=cues_after,
        cues_after_one=table(after_one_entries),
        breakdown=breakdown,
        breakdown_after=table([(w, True) for w in data.get("breakdown", {}).get("after_number", [])], False),
        refinable=frozenset(data.get("victims_of", {}).get("refine", ["people"])),
        cumulative=cumulative,
        rise=rise,
        rise_to=frozenset(nw(w) for w in cum.get("rise_to", [])),
        long_periods=frozenset(cum.get("long_periods", [])),
        short_periods=frozenset(cum.get("not_before", [])),
        barriers=frozenset(nw(w) for w in barriers.get("words", [])),
        barrier_exceptions=frozenset(nw(w) for w in barriers.get("not_before", [])),
        noun_fillers=table([(w, True) for w in fillers.get("noun", [])], False),
        after_fillers=table([(w, True) for w in fillers.get("after", [])], False),
        definite_prefixes=frozenset(normalize_name(lang, p) for p in clit.get("definite_prefixes", [])),
        negators=frozenset(nw(w) for w in data.get("negators", {}).get("words", [])),
        not_one=table([(w, True) for w in one.get("not_cues", [])]),
        unreal_before=frozenset(f for w in one.get("unreal", {}).get("before", [])
                                for f, _ in clitic_variants(nw(w), prefixes, min_stem)),
        unreal_after=frozenset(nw(w) for w in one.get("unreal", {}).get("after", [])),
        joiners=frozenset(nw(w) for w in clit.get("joiners", [])),
        joiner_prefixes=tuple(nw(w) for w in clit.get("joiner_prefixes", [])),
        determiners=frozenset(nw(w) for w in clit.get("determiners", [])),
        articles=frozenset(nw(w) for w in data.get("articles", [])),
        stop_words=frozenset(cues_before.by_first) | frozenset(cues_after.by_first),
        implicit_keys=implicit_keys,
        # (the first words of _then_killed and _subject_killed too: found in the same one pass)
        scan_keys=(implicit_keys | cumulative.enders | rise.enders | frozenset(nw(w) for w in then.get("words", []))
                   | frozenset(nw(w) for w in subject.get("relatives", {})) | frozenset(nw(w) for w in subject.get("perfect", []))
                   | (frozenset(nw(w) for w in subject.get("verbs_one", []) + subject.get("verbs_two", []))
                      if subject.get("not_subject") else frozenset())),
        left=int(win.get("left", 6)),
        right=int(win.get("right", 3)),
        noun_gap=int(win.get("noun_gap", 0)),
        after_gap=int(win.get("after_gap", 1)),
        breakdown_parent=int(win.get("breakdown_parent", 4)),
        cumulative_left=int(win.get("cumulative_left", 10)),
        cumulative_right=int(win.get("cumulative_right", 6)),
        rise_left=int(win.get("rise_left", 20)),
        one_left=int(win.get("one_left", 1)),
        one_article=int(win.get("one_article", 3)),
        loose_conj=int(win.get("loose_conj", 8)),
        history_right=int(win.get("history_right", 15)),
        adjective_endings=tuple(nw(e) for e in data.get("one", {}).get("adjective_endings", [])),
    )


@dataclass(slots=True, init=False)
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
    one: str | None = None  # how a numberless figure of one may be read (_ONE_*), else None

    def __init__(
        self, a: int, b: int, ns: int, ne: int, value: int | float, low: int | float | None,
        high: int | float | None, qualifier: str, noun: _Noun | None = None, joined: bool = False,
        one: str | None = None,
    ) -> None:
        self.a = a
        self.b = b
        self.ns = ns
        self.ne = ne
        self.value = value
        self.low = low
        self.high = high
        self.qualifier = qualifier
        self.noun = noun
        self.joined = joined
        self.one = one


@dataclass(slots=True, init=False)
class _Placed:
    """A count already made (or waiting for its kind), with where it ends (in words) and its sentence."""

    count: Count
    end: int
    sent: int
    parent: Count | None = None
    one: bool = False  # a numberless figure of one

    def __init__(self, count: Count, end: int, sent: int, parent: Count | None = None, one: bool = False) -> None:
        self.count = count
        self.end = end
        self.sent = sent
        self.parent = parent
        self.one = one


class _Ctx:
    """Per-document state shared by the steps of :func:`find_counts`."""

    __slots__ = ("cum_pos", "doc", "figures", "hi", "hits", "items", "joined", "lo", "norm", "one_cue_pos",
                 "owner", "past_years", "rise_pos", "t")

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
        self.cum_pos: list[int] = []  # where a cumulative cue may end
        self.rise_pos: list[int] = []  # where a rising toll may end
        self.one_cue_pos: list[int] = []  # where an assassination may end
        if self.hits:
            cum, rise, one = t.cumulative.enders, t.rise.enders, t.one_cues.enders
            for k in self.hits:
                w = texts[k]
                if w in cum:
                    self.cum_pos.append(k)
                if w in rise:
                    self.rise_pos.append(k)
                if w in one:
                    self.one_cue_pos.append(k)
        self.figures: list[int] = []  # first words of the countable figures, in order
        self.past_years: list[int] = []  # first words of years before the publication year
        self.joined: set[int] = set()  # first words of figures written with a joiner ("و3")
        self.lo = 0
        self.hi = 0


def _candidates(ctx: _Ctx) -> list[_Cand]:
    """Countable numbers, duals and numberless figures of one, in text order."""
    doc, t, owner = ctx.doc, ctx.t, ctx.owner
    texts, starts, ends = ctx.items
    # (an identity map, as most articles have, maps every offset to itself: no search needed)
    n2o = doc.norm_to_orig if doc.cache.get(IDENTITY_MAP) is not doc.norm_to_orig else []
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
        if num.unit_hint == "date_year" and doc.published is not None and value < doc.published.year:
            ctx.past_years.append(a)
        if num.unit_hint is not None or value <= 0 or value != int(value):
            continue  # durations, dates, money...; "1.6 people" is not a count
        joined = ns > starts[a] and texts[a].startswith(t.joiner_prefixes)
        if joined:
            ctx.joined.add(a)
        ctx.figures.append(a)
        cands.append(_Cand(a, b, ns, ne, value, num.low, num.high, num.qualifier, joined=joined))
    ctx.figures.sort()
    n = len(texts)
    duals = t.duals
    # Only words that can be a dual, a figure of one or end a breakdown word are visited.
    keys = t.implicit_keys
    ones = t.ones.by_first
    taken = -2  # the last word already used by a numberless figure
    for k in ctx.hits:
        if k <= taken or owner[k] >= 0 or texts[k] not in keys:
            continue
        d = duals.get(texts[k])
        if d is not None:
            noun, plen = d
            joined = plen > 0 and texts[k].startswith(t.joiner_prefixes)
            cands.append(_Cand(k, k + 1, starts[k] + plen, ends[k], 2, 2, 2, "exact", noun, joined))
            taken = k
            continue
        # A singular after a breakdown word: "including a child", "بينهم طفل".
        j = a = k + 1
        if j < n and texts[j] in t.articles:
            j += 1
        if (j < n and owner[j] < 0 and texts[j] in t.singulars.by_first
                and t.breakdown.match_ending(texts, k + 1) is not None):
            sg = t.singulars.match_at(texts, j)
            if sg is not None:
                cands.append(_Cand(a, j + sg[0], starts[a], ends[j + sg[0] - 1], 1, 1, 1, "exact", sg[1]))
                taken = j + sg[0] - 1
                continue
        one = _one_at(ctx, k, adjacent=k == taken + 1) if texts[k] in ones else None
        if one is not None:
            cands.append(one)
            taken = one.b - 1
    cands.sort(key=lambda c: c.a)
    return cands


def _one_at(ctx: _Ctx, k: int, adjacent: bool) -> _Cand | None:
    """A numberless figure of one starting at word ``k`` ("جندي", "a policeman", "أحد", "مقتله"), or None.

    ``adjacent``: the word right before already made a figure; then this one is an adjective
    ("جندي اسرائيلي": one soldier, not two) unless a joiner is glued to it ("وامرأتين وطفلا").
    """
    t, owner = ctx.t, ctx.owner
    texts, starts, ends = ctx.items
    if texts[k] not in t.ones.by_first:
        return None
    m = t.ones.match_at(texts, k)
    if m is None or (k > 0 and owner[k - 1] >= 0):
        return None  # "40 جنديا": the noun of a figure, not a figure of its own
    size, (noun, how), plen = m
    if t.articles and how == _ONE_NOUN and k + size < len(texts) and texts[k + size] in t.ones.by_first and (
            t.ones.match_at(texts, k + size) is not None):
        # "a Pakistani soldier", "a Palestinian man": an adjective; the figure is the noun after it
        # (languages with an article put the adjective first; Arabic's "جندي اسرائيلي" is the noun first)
        return None
    if how == _ONE_WORD and k + size < len(texts) and owner[k + size] >= 0:
        return None  # "another 5 people": the figure is the number
    for j in range(k + size, min(len(texts), k + size + 2)):
        w = texts[j]
        if w in t.joiners or w in t.stop_words or (owner[j] < 0 and w.startswith(t.joiner_prefixes)):
            break  # "a commander and two of his bodyguards", "مقتل شخص وجرح اثنين": another clause
        if owner[j] >= 0:
            num = ctx.doc.numbers[owner[j]]
            if t.articles and "," in ctx.norm[ends[j - 1] : starts[j]]:
                break  # "killed a commander, two children and two women": a list, not verb-subject-object
            if num.unit_hint is None and (num.value == 1 or j not in ctx.joined):
                # "جندي ألماني واحد": the number says it; "قتل مسلح خمسة أشخاص": the singular is
                # the one who killed (verb, subject, object), the number the victims.
                return None
            break
    a = k
    if t.articles and how == _ONE_NOUN:
        # English writes one person with an article, adjectives and an age between: "a policeman",
        # "a 17-year-old boy", "a senior Taliban commander".
        a = -1
        for j in range(k - 1, max(-1, k - 1 - t.one_article), -1):
            w = texts[j]
            if w in t.articles or ((w in t.determiners or w in t.list_articles) and (
                    (j > 0 and texts[j - 1] in t.joiners) or (k + size < len(texts) and texts[k + size] in t.joiners))) or (
                    w in t.list_articles and j == k - 1 and j > 0 and texts[j - 1] in t.cues_before.enders
                    and t.cues_before.match_ending(texts, j, lo=max(0, j - 3)) is not None
                    and t.one_cues.match_ending(texts, j, lo=max(0, j - 3)) is None):
                # (an assassination names its one victim itself: see _assassinations)
                # (a possessive opens one person only in a list: "killed a commander and his driver",
                # "killed his wife and two children"; "..., his brother said" is no victim)
                a = j
                break
            if w in t.barriers or w in t.joiners or w in t.stop_words or (
                    w in t.nouns.by_first and not (j == k - 1 and w in t.ones.by_first)):
                break  # (a singular right before is an adjective: "a former rebel commander")
        if a < 0:
            return None
        plen = 0
        if k > a + 1 and (noun is None or noun.victims in (None, "people")):
            # The singular before as an adjective says who more precisely than a title: "a former
            # rebel commander" is a fighter, "a civilian driver" a civilian.
            adj = t.ones.match_at(texts, k - 1)
            if adj is not None and adj[0] == 1 and adj[1][0] is not None and adj[1][0].victims not in (None, "people"):
                noun = adj[1][0]
    joined = plen > 0 and texts[a].startswith(t.joiner_prefixes)
    if adjacent and not joined:
        return None
    if how != _ONE_SELF and not joined and not _one_context(ctx, a, k + size):
        return None  # no cue, joiner or noun beside it: a person mentioned, not a victim counted
    return _Cand(a, k + size, starts[a] + plen, ends[k + size - 1], 1, 1, 1, "exact",
                 noun if how != _ONE_WORD else None, joined, one=how)


def _one_context(ctx: _Ctx, a: int, b: int) -> bool:
    """A cheap look at the words around a possible figure of one, words [a, b): only a cue, a joiner
    or a noun right beside it can make it a figure (see :func:`_one_holds`), so most mentions of a
    person ("a Palestinian official said") are dropped before the full analysis."""
    t, texts = ctx.t, ctx.items.texts
    for j in (a - 1, a - 2):
        if j >= 0 and (texts[j] in t.cues_before.enders or texts[j] in t.joiners):
            return True
    n = len(texts)
    for j in (b, b + 1):
        if j >= n:
            break
        w = texts[j]
        if (w in t.cues_after.by_first or w in t.cues_after_one.by_first or w in t.joiners or w in t.nouns.by_first
                or w.startswith(t.joiner_prefixes)):
            return True
        if w not in t.after_fillers.by_first and not (j == b and _adjective(t, w)):
            break
    return False


def _adjective(t: _Tables, w: str) -> bool:
    """A relative adjective after a singular (Arabic nisba: "جنديا فرنسيا قتل", "شرطي عراقي قتل"):
    one word the cue after a figure of one may be looked for across; not a preposition, a cue word
    or a joiner (a demonym that is also a noun, عراقيا, is still the singular's adjective here)."""
    return bool(t.adjective_endings) and len(w) >= 4 and w.endswith(t.adjective_endings) and (
        w not in t.barriers and w not in t.stop_words and w not in t.joiners)



def _find_noun(ctx: _Ctx, c: _Cand, k: int) -> tuple[_Noun | None, int]:
    """The noun a number counts, looked for from word ``k``, and the word after it (c.b when none)."""
    t, owner, norm, items = ctx.t, ctx.owner, ctx.norm, ctx.items
    texts = items.texts
    unknown = 0
    while k < ctx.hi:
        if gap_has_break(norm, items, k) or owner[k] != _FREE:
            break
        m = t.nouns.match_at(texts, k, limit=ctx.hi) if texts[k] in t.nouns.by_first else None
        if m is not None and m[2] and texts[k].startswith(t.joiner_prefixes):
            break  # "مقتل 4 وإصابة 7": a noun glued to "and" starts the next figure, it is not this one's
        if m is not None:
            return m[1], k + m[0]
        f = t.noun_fillers.match_at(texts, k, limit=ctx.hi) if texts[k] in t.noun_fillers.by_first else None
        if f is not None:
            k += f[0]  # "عشرات من المدنيين", "17 على الأقل من أفراد الأمن"
            continue
        w = texts[k]
        if w in t.barriers or w in t.joiners or w in t.stop_words or unknown >= t.noun_gap:
            break
        unknown += 1
        k += 1
    return None, c.b


def _noun_before(ctx: _Ctx, c: _Cand) -> tuple[_Noun, int] | None:
    """(noun, first word) of the noun before a definite number: "المدنيون الخمسة" (the five civilians)."""
    t = ctx.t
    if not t.definite_prefixes or c.a <= ctx.lo or c.ns == ctx.items.starts[c.a]:
        return None
    prefix = ctx.items.texts[c.a][: c.ns - ctx.items.starts[c.a]]
    if prefix not in t.definite_prefixes or gap_has_break(ctx.norm, ctx.items, c.a):
        return None
    m = t.nouns.match_ending(ctx.items.texts, c.a, lo=ctx.lo)
    if m is None or ctx.owner[m[0]] >= 0:
        return None
    return m[1], m[0]


def _refine(ctx: _Ctx, noun: _Noun, end: int) -> tuple[str | None, str | None, int]:
    """(unit, victims, end word) after looking right of the noun for an adjective or "من/of" + who."""
    t, owner, norm, items = ctx.t, ctx.owner, ctx.norm, ctx.items
    texts = items.texts
    unit, victims = noun.unit, noun.victims
    if t.modifiers:
        for k in (end, end + 1):
            if k >= ctx.hi or gap_has_break(norm, items, k) or owner[k] != _FREE:
                break
            m = t.modifiers.match_at(texts, k, limit=ctx.hi)
            if m is not None and noun.kind in m[1][1]:
                unit, end = m[1][0], k + m[0]
                break
    if (victims is None or victims in t.refinable) and end < ctx.hi and texts[end] in t.victims_of:
        for k in (end + 1, end + 2):
            if k >= ctx.hi or gap_has_break(norm, items, k) or owner[k] != _FREE:
                break
            m = t.nouns.match_at(texts, k, limit=ctx.hi)
            if m is not None:
                if m[1].victims:
                    victims, end = m[1].victims, k + m[0]
                break
    return unit, victims, end


def _right_cue(ctx: _Ctx, end: int, one: bool = False, after_break: bool = False,
               over_parts: bool = False) -> tuple[str, int, int, int, int] | None:
    """(kind, distance, end word, unknown words skipped, first word) of a cue after the noun ("were killed", "قتلوا").

    ``one``: singular verbs count too ("مقاتلا قتل"); ``after_break``: the figure closes a
    parenthesis ("40 civilians, among them 8 children, were killed"), so a comma may come first;
    ``over_parts``: a parenthesis with a figure of its own may stand before the cue ("26 people,
    including 11 officers, were injured").
    """
    t, owner, norm, items = ctx.t, ctx.owner, ctx.norm, ctx.items
    texts = items.texts
    k = end
    unknown = 0
    filled = False  # a filler ("were") came before the cue: a passive, whatever follows
    limit = min(ctx.hi, end + t.right + 2)
    resumed = -1  # the word after a skipped numberless breakdown (its closing comma is allowed)
    while k < limit:
        w = texts[k]
        if k == end and w in t.breakdown.by_first and owner[k] == _FREE:
            skip = _numberless_breakdown(ctx, k)
            if skip == k and over_parts and gap_has_break(norm, items, k):
                skip = _figure_breakdown(ctx, k)
            if skip > k:
                # "21 مدنيا، بينهم نساء وأطفال، قتلوا": a breakdown with no figure of its own
                # stands between the figure and its verb.
                k = resumed = skip
                limit = min(ctx.hi, k + t.right + 2)
                continue
        if (gap_has_break(norm, items, k) and not (after_break and k == end) and k != resumed) or owner[k] != _FREE:
            return None
        m = t.cues_after.match_at(texts, k, limit=ctx.hi) if w in t.cues_after.by_first else None
        if m is None and one and w in t.cues_after_one.by_first:
            m = t.cues_after_one.match_at(texts, k, limit=ctx.hi)
        if m is not None:
            e = k + m[0]
            if e < ctx.hi and owner[e] >= 0 and not gap_has_break(norm, items, e):
                return None  # "... قتلوا 5": the cue belongs to the next number
            if (not filled and e + 1 < ctx.hi and texts[e] in t.objects and not gap_has_break(norm, items, e)
                    and texts[e + 1] not in t.short_periods and texts[e + 1] not in t.long_periods
                    and w in t.cues_before.by_first and t.cues_before.match_at(texts, k, limit=ctx.hi) is not None):
                # "A man shot dead a police officer", "two gunmen killed a policeman": an active verb
                # with its object; the figure before it did the killing ("killed a day later" is no object).
                return None
            return m[1], k - end, e, unknown, k
        if k == end and w in t.victims_of and t.articles:
            unit = _unit_name_end(ctx, k)
            if unit > k:
                # "Two jawans of the District Reserve Guard were killed": the unit's name says
                # whose men they were; the cue after it is still the figure's.
                k = unit
                limit = min(ctx.hi, k + t.right + 2)
                continue
        if k == end and w in t.relative_openers:
            close = _relative_close(ctx, k)
            if close > k:
                # "Two residents who tried to flee were shot dead": the clause describes the
                # figure; the cue after it is still the figure's.
                k = close
                limit = min(ctx.hi, k + t.right + 2)
                continue
        if one and k == end and _adjective(t, w):
            k += 1  # "جنديا فرنسيا قتل": the adjective belongs to the singular
            continue
        f = t.after_fillers.match_at(texts, k, limit=ctx.hi) if w in t.after_fillers.by_first else None
        if f is not None:
            k += f[0]  # "were", "قد", "على الأقل"
            filled = True
            continue
        if k == end and (w in t.joiners or w.startswith(t.joiner_prefixes)):
            # Coordinated nouns share the cue: "200 protesters and police officers were injured".
            j = k + 1 if w in t.joiners else k
            nm = t.nouns.match_at(texts, j, limit=ctx.hi) if j < ctx.hi and texts[j] in t.nouns.by_first else None
            if nm is not None and nm[1].victims and not gap_has_break(norm, items, j):
                k = end = j + nm[0]
                limit = min(ctx.hi, end + t.right + 2)
                continue
        if unknown >= t.after_gap or w in t.barriers or w in t.joiners:
            return None
        unknown += 1
        k += 1
    return None


def _numberless_breakdown(ctx: _Ctx, k: int) -> int:
    """The word after a breakdown word at ``k`` followed only by nouns of people with no figure
    and no kind of their own ("بينهم نساء وأطفال"), or ``k`` when there is none."""
    t, owner, items = ctx.t, ctx.owner, ctx.items
    texts = items.texts
    bm = t.breakdown.match_at(texts, k, limit=ctx.hi)
    if bm is None:
        return k
    p = q = k + bm[0]
    while q < ctx.hi and owner[q] == _FREE and texts[q] in t.nouns.by_first and not gap_has_break(ctx.norm, items, q):
        nm = t.nouns.match_at(texts, q, limit=ctx.hi)
        if nm is None or nm[1].kind is not None or nm[1].victims is None:
            break
        q += nm[0]
    return q if q > p else k


def _figure_breakdown(ctx: _Ctx, k: int) -> int:
    """The word after a parenthesis that a breakdown word at ``k`` opens with a figure of its own
    ("26 people, including 11 officers, were injured": the word "were"), or ``k`` when the
    parenthesis does not close with a comma within a few words."""
    t, items = ctx.t, ctx.items
    bm = t.breakdown.match_at(items.texts, k, limit=ctx.hi)
    if bm is None:
        return k
    first = k + bm[0]
    for q in range(first + 1, min(ctx.hi, first + t.breakdown_parent + 1)):
        if gap_has_break(ctx.norm, items, q):
            # (a clause-ending stop, not a comma, ends the figure's sentence part: no cue of its)
            gap = ctx.norm[items.ends[q - 1] : items.starts[q]]
            return q if not any(ch in _CLAUSE_END for ch in gap) else k
    return k


def _unit_name_end(ctx: _Ctx, k: int) -> int:
    """The word after a capitalized name that "of the" at ``k`` opens ("of the District Reserve
    Guard"), or ``k`` when none follows (a script without case has none)."""
    t, owner, items = ctx.t, ctx.owner, ctx.items
    texts, starts = items.texts, items.starts
    norm = ctx.norm
    q = k + 1
    if q < ctx.hi and texts[q] in t.list_articles and not gap_has_break(norm, items, q):
        q += 1
    first = q
    while (q < ctx.hi and q - first < t.unit_name_words and owner[q] == _FREE and norm[starts[q]].isupper()
           and not gap_has_break(norm, items, q)):
        q += 1
    return q if q > first else k


def _relative_close(ctx: _Ctx, k: int) -> int:
    """The auxiliary that closes a relative clause opened at ``k`` ("who tried to flee were"), or
    ``k`` when none comes within the clause's words, in the same clause, before any figure."""
    t, owner, items = ctx.t, ctx.owner, ctx.items
    texts = items.texts
    if k + 1 < ctx.hi and texts[k + 1] in t.cues_after.by_first and t.cues_after.match_at(
            texts, k + 1, limit=ctx.hi) is not None:
        return k  # "two residents who fled": the clause's own verb is the figure's cue
    for q in range(k + 2, min(ctx.hi, k + 2 + t.relative_gap)):
        if owner[q] != _FREE or gap_has_break(ctx.norm, items, q):
            return k
        if texts[q] in t.relative_closers:
            return q
        if texts[q] in t.stop_words:
            return k
    return k


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
        if owner[p - 1] != _FREE or w in t.joiners:
            return None  # "killed 1 and two others were arrested": "killed" is not theirs
        if w in t.barriers and not (p < len(texts) and texts[p] in t.barrier_exceptions):
            return None  # "قتل 5 في 3 قرى" (but "اغتال ... بعد ظهر أمس خمسة" is a time phrase)
        p -= 1
    return None


def _only_joiners(ctx: _Ctx, end: int, c: _Cand) -> bool:
    """True when nothing but "and"/"و"/a comma separates a previous figure (ending at ``end``) and ``c``."""
    if end > c.a:
        return False
    texts = ctx.items.texts
    joiners, determiners = ctx.t.joiners, ctx.t.determiners
    if any(texts[k] not in joiners and texts[k] not in determiners for k in range(end, c.a)):
        return False
    if end < c.a or c.joined:
        return True
    gap = ctx.norm[ctx.items.ends[end - 1] : ctx.items.starts[c.a]] if end > 0 else ""
    return "," in gap or "،" in gap


def _of_phrase(ctx: _Ctx, end: int, c: _Cand) -> bool:
    """True when an "of" phrase and "and" are all that separate a figure of one (ending at ``end``)
    from ``c``: "killed a senior commander of the militia and two of his guards" lists both. The
    phrase has no punctuation, figure, cue or preposition other than its own "of" and at most
    ``breakdown_parent`` + 2 words."""
    t, texts, owner = ctx.t, ctx.items.texts, ctx.owner
    if not (end + 2 < c.a <= end + t.breakdown_parent + 4) or texts[end] not in t.victims_of or texts[c.a - 1] not in t.joiners:
        return False
    for k in range(end + 1, c.a - 1):
        w = texts[k]
        if (owner[k] != _FREE or w in t.barriers or w in t.joiners or w in t.stop_words or w in t.victims_of
                or gap_has_break(ctx.norm, ctx.items, k)):
            return False
    return not any(gap_has_break(ctx.norm, ctx.items, k) for k in (end, c.a - 1, c.a))


def _broken(ctx: _Ctx, lo: int, hi: int) -> bool:
    """True when punctuation stands before any of the words ``lo`` .. ``hi - 1``."""
    return any(gap_has_break(ctx.norm, ctx.items, k) for k in range(max(lo, 1), hi))


def _loose_conj(ctx: _Ctx, start: int, end: int) -> bool:
    """True when words [start, end) only qualify the figure before (no cue, figure or clause end):
    "ثلاثة جنود من التحالف الدولي بقيادة الولايات المتحدة واربعة من المارة"."""
    t, texts = ctx.t, ctx.items.texts
    if not 0 < end - start <= t.loose_conj:
        return False
    if any(ctx.owner[k] != _FREE or texts[k] in t.stop_words for k in range(start, end)):
        return False
    gap = ctx.norm[ctx.items.ends[start - 1] : ctx.items.starts[end]]
    return not _CLAUSE_END.intersection(gap)


def _short_period(ctx: _Ctx, k: int) -> bool:
    """True when word ``k`` starts a short duration ("in the past 24 hours": a daily toll)."""
    if k >= len(ctx.owner) or ctx.owner[k] < 0:
        return False
    return ctx.doc.numbers[ctx.owner[k]].unit_hint in ctx.t.short_periods


def _long_period_before(ctx: _Ctx, p: int) -> bool:
    """True when the sentence names a long period before word ``p`` ("after five years of siege")."""
    owner, numbers, longs = ctx.owner, ctx.doc.numbers, ctx.t.long_periods
    return any(owner[k] >= 0 and numbers[owner[k]].unit_hint in longs for k in range(ctx.lo, p))


def _cue_holds(ctx: _Ctx, payload: str, p: int) -> bool:
    """Whether a cumulative cue ending at word ``p`` marks a total here."""
    if _short_period(ctx, p + 1):
        return False
    return payload == _CUM_ALWAYS or _long_period_before(ctx, p)


def _is_cumulative(ctx: _Ctx, start: int, end: int) -> bool:
    """True when a cumulative cue stands near words [start, end) with no other figure in between.

    "killed 20 people, bringing the death toll to 300": the cue introduces 300, not 20.
    """
    if ctx.rise_pos and _risen_to(ctx, start):
        return True
    if ctx.past_years and _past_year_after(ctx, end):
        return True
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
        m = t.cumulative.match_ending(texts, p + 1, lo=ctx.lo)
        if m is not None and _cue_holds(ctx, m[1], p):
            return True
        i -= 1
    hi = min(ctx.hi, end + t.cumulative_right)
    i = bisect_left(cues, end)
    while i < len(cues) and cues[i] < hi:
        p = cues[i]
        m = t.cumulative.match_ending(texts, p + 1, lo=end)
        if m is not None and _cue_holds(ctx, m[1], p):
            if bisect_left(figs, end) != bisect_left(figs, m[0]):
                return False  # another figure stands between this one and the cue
            # A cue right before another figure introduces that figure, and so does one that a
            # later figure reaches ("ليصل عدد الضحايا في غضون 36 ساعة الى 26").
            if bisect_left(figs, p + 1) != bisect_left(figs, min(ctx.hi, p + 5)):
                return False
            return not any(texts[f - 1] in t.rise_to
                           for f in figs[bisect_left(figs, p + 1) : bisect_left(figs, min(ctx.hi, p + t.rise_left))])
        i += 1
    return False


def _past_year_after(ctx: _Ctx, end: int) -> bool:
    """True when the clause after a figure dates it to an earlier year than the article's
    ("قتلوا 13 متظاهرا ... مع اندلاع الانتفاضة الثانية في اكتوبر 2000"): history, not news."""
    years = ctx.past_years
    i = bisect_left(years, end)
    hi = min(ctx.hi, end + ctx.t.history_right)
    if i == len(years) or years[i] >= hi:
        return False  # no earlier year within reach (the usual case)
    owner, numbers, items, norm = ctx.owner, ctx.doc.numbers, ctx.items, ctx.norm
    for k in range(end, hi):
        if k > end and _COMMAS.intersection(norm[items.ends[k - 1] : items.starts[k]]):
            return False  # the year belongs to the next clause
        if owner[k] >= 0:
            num = numbers[owner[k]]
            if num.unit_hint == "date_year":
                return k in years
            if num.unit_hint is None:
                return False  # another figure: the year is its own
    return False


def _risen_to(ctx: _Ctx, start: int) -> bool:
    """True for the figure a rising toll reaches: "ووصل عدد القتلى ... إلى 25", "the toll rose to 72"."""
    t, texts, figs = ctx.t, ctx.items.texts, ctx.figures
    k = start - 1
    if k < ctx.lo:
        return False
    if texts[k] not in t.rise_to:
        # A bound may stand between: "إلى أكثر من 25" (the number's span starts at the bound).
        return False
    lo = max(ctx.lo, start - t.rise_left)
    i = bisect_left(ctx.rise_pos, k) - 1
    while i >= 0 and ctx.rise_pos[i] >= lo:
        p = ctx.rise_pos[i]
        if bisect_right(figs, p) != bisect_left(figs, start):
            return False  # another figure stands between the rising toll and this one
        if t.rise.match_ending(texts, p + 1, lo=ctx.lo) is not None:
            return True
        i -= 1
    return False


def _next_conjoined(ctx: _Ctx, c: _Cand, nxt: _Cand | None) -> bool:
    """True when the next figure, a number or a dual, follows ``c`` with only a joiner word between
    ("قتيل و11 جريحا", "a doctor and two nurses were..."; but "بين قتيل وجريح" is an idiom for
    casualties, not one and one)."""
    return nxt is not None and nxt.one is None and _only_joiners(ctx, c.b, nxt) and _joiner_word(ctx, c.b, nxt)


def _joiner_word(ctx: _Ctx, end: int, c: _Cand) -> bool:
    """True when "and"/"و"/"مع" (not only a comma) joins ``c`` to the figure ending at ``end``:
    in "killing 26 people, a local official said" the official is no victim."""
    return c.joined or any(ctx.items.texts[k] in ctx.t.joiners for k in range(end, c.a))


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
    if not cands and not ctx.one_cue_pos:
        _named_victims(ctx, set())  # "مقتل حسام حرب": no number, yet one killed
        _then_killed(ctx)
        _subject_killed(ctx)
        _split_cues(ctx)  # "stabbed him to death"
        return
    sent_items = [bisect_left(starts, s) for s, _ in doc.sentences] or [0]
    last_top: _Placed | None = None
    last_part: _Placed | None = None  # the last breakdown, to chain "8 children and 5 women"
    # Figures with a victim noun but no kind yet ("11 مدنيا و..."), waiting for a cue after a
    # figure coordinated with them; dropped when anything else comes between.
    pending: list[_Placed] = []
    cue_starts: set[int] = set()  # first words of the cues before a number that gave a count its kind
    consumed = 0  # words up to here belong to a count already made ("طائرتين مروحيتين": one dual)
    # Figures whose cue is a verb before the killer named after it: figure start -> (kind, cue word,
    # clitic length) ("قتل طالب ... سبعة من زملائه": the seven were killed, not the student).
    agent_kind: dict[int, tuple[str, int, int | None]] = {}
    for ci, c in enumerate(cands):
        if c.a < consumed:
            continue
        si = bisect_right(sent_items, c.a) - 1
        ctx.lo = sent_items[si] if si >= 0 else 0
        ctx.hi = sent_items[si + 1] if si + 1 < len(sent_items) else n
        # "25 people, 10 of them children", "25 شخصا، 10 منهم أطفال": a part named after its number.
        post = None
        post_skip = 0  # "two of them were found dead": the cue comes after "of them"
        if c.noun is None and c.b < ctx.hi and texts[c.b] in t.breakdown_after.by_first:
            post = t.breakdown_after.match_at(texts, c.b, limit=ctx.hi)
            # A part needs a whole right before it and no cue of its own in between: in
            # "مقتل 71 شخصا وإصابة 178 بينهم نساء", 178 is no part of 71 (and women are among them).
            if post is not None and not (
                    last_top is not None and last_top.sent == si and 0 <= c.a - last_top.end <= t.breakdown_parent
                    and not _cue_between(ctx, last_top.end, c.a)):
                post_skip, post = post[0], None
        start_word = c.a
        noun_start: int | None = None
        if c.noun is None:
            noun, end = _find_noun(ctx, c, c.b + (post[0] if post else 0))
            if noun is None and post_skip:
                end = c.b + post_skip
            elif noun is None:
                before = _noun_before(ctx, c)
                if before is not None:
                    noun, start_word = before
                    noun_start = start_word
        else:
            noun, end = c.noun, c.b
        unit = victims = None
        if noun is not None:
            unit, victims, end = _refine(ctx, noun, end)
        kind = noun.kind if noun is not None and not noun.weak else None
        how = "noun" if kind is not None else None

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
            how = "parent" if kind is not None else None
            own = _right_cue(ctx, end) if kind is not None else None
            if own is not None and own[0] != kind:
                kind, end, how = own[0], own[2], "far"
        if parent is not None and kind is not None and parent.count.kind not in (None, kind):
            # "4 hostages were seized, and two of them were later found dead": a different fate is
            # a figure of its own, not a part of the 4.
            parent, part_start = None, c.a

        start_plen = None
        right_cue = False
        waits = False  # a figure of one waiting, like a number, for the cue of a figure coordinated after it
        cue_at = -1  # first word of the cue that gave the kind
        left_distance = 0
        if kind is None:
            right = _right_cue(ctx, end, one=c.one is not None,
                               after_break=parent is not None and parent.count.kind is None)
            left = _left_cue(ctx, start_word)
            if left is not None and (right is None or left[1] <= right[1]):
                kind, start_word, start_plen = left[0], left[2], left[3]
                how = "left" if left[1] <= t.one_left else "far"
                cue_at, left_distance = left[2], left[1]
            elif right is not None:
                kind, end = right[0], right[2]
                how = "right" if right[3] == 0 else "far"
                right_cue = True
                cue_at = right[4]
        if kind is None and c.a in agent_kind:
            kind, start_word, start_plen = agent_kind[c.a]
            how, cue_at = "far", start_word
        if kind is None and noun is not None and noun.weak:
            kind, how = noun.kind, "noun"  # "3,000 refugees": no cue says otherwise
        # Coordinated with the figure before: needed to chain waiting figures, to borrow a kind, or
        # for a figure of one (computed only then: it costs a scan).
        prev_conj = (last_top is not None and last_top.sent == si and (pending or kind is None or c.one is not None)
                     and _only_joiners(ctx, last_top.end, c))
        of_conj = (not prev_conj and kind is None and last_top is not None and last_top.sent == si and last_top.one
                   and last_top.count.kind is not None and _of_phrase(ctx, last_top.end, c))
        if of_conj and last_top is not None:
            # "killed a senior commander of the militia and two of his guards": the "of" phrase
            # describes the one before, whose evidence runs up to this figure (one toll, summed).
            _extend(doc, last_top, ends[c.a - 2] - 1, c.a)
            prev_conj = True
        chained = parent is not None or prev_conj
        if pending and not chained and not (
            c.joined and last_top is not None and last_top.sent == si and _loose_conj(ctx, last_top.end, c.a)
        ):
            # "نحو 200 مسلح اسلامي ونحو 50 جنديا قتلوا": an adjective after the first group does not
            # end the coordination; both groups wait for the verb after the second.
            pending.clear()
        if kind is None and prev_conj and last_top is not None:
            kind = last_top.count.kind  # "killed 12 soldiers and 30 civilians"
            how = "conj" if kind is not None else None
            if kind is not None and end < ctx.hi and texts[end] in t.breakdown.by_first:
                # "arrested 301 people, and 26 people, including 11 officers, were injured": a cue
                # of its own after the figure's breakdown says what happened to it (the part, read
                # next, is then a part of it).
                own = _right_cue(ctx, end, over_parts=True)
                if own is not None and own[0] != kind:
                    kind, how = own[0], "far"
        if (kind is None and c.joined and last_top is not None and last_top.sent == si
                and (c.one is not None or (noun is not None and noun.victims)) and _loose_conj(ctx, last_top.end, c.a)):
            # "جرح ثلاثة جنود من التحالف الدولي ... واربعة من المارة": the same verb, further on.
            kind = last_top.count.kind
            how = "conj" if kind is not None else None
            if kind is not None:
                # The words between describe the figure before: its evidence runs up to this one.
                _extend(doc, last_top, starts[c.a] - 1, c.a)
        if c.one is not None:
            word_conj = prev_conj and last_top is not None and _joiner_word(ctx, last_top.end, c)
            if how == "noun" and last_top is not None and last_top.one:
                word_conj = False  # a kind noun needs a real figure beside it
            nxt = cands[ci + 1] if ci + 1 < len(cands) else None
            if how == "conj" and prev_conj and not word_conj and not _next_conjoined(ctx, c, nxt):
                # A singular after a bare comma is an apposition ("..., a local official said"),
                # unless the list goes on: "killed a commander, his wife and three of their children".
                how = None
            if how == "left" and _broken(ctx, c.a - left_distance, c.a + 1):
                how = None  # "shot dead, a hospital official said"
            if (how == "left" and kind is not None and nxt is not None and nxt.one is None
                    and _agent_before(ctx, c, nxt, cue_at)):
                agent_kind[nxt.a] = (kind, start_word, start_plen)
                continue
            waits = (kind is None and how is None and noun is not None and noun.victims is not None
                     and _next_conjoined(ctx, c, nxt))
            if not waits and not _one_holds(ctx, c, how, cue_at if cue_at >= 0 else c.a, word_conj, nxt):
                continue
        # "ستة بينهم خمسة جنود قتلوا": a bare number right before "among them" is the whole; it
        # waits for the cue its part brings (6, with 5 soldiers among them).
        whole = (kind is None and noun is None and c.one is None and post is None and c.b < ctx.hi
                 and texts[c.b] in t.breakdown.by_first and t.breakdown.match_at(texts, c.b, limit=ctx.hi) is not None)
        if kind is None and not whole and (noun is None or not noun.victims or (c.one is not None and not waits)):
            continue
        if whole:
            end = c.b  # "بينهم" opens its part
        if how in ("noun", "left", "parent", "conj") and end < ctx.hi and texts[end] in t.cues_after.by_first:
            after = t.cues_after.match_at(texts, end, limit=ctx.hi)
            if after is not None and after[1] == kind and not gap_has_break(ctx.norm, items, end):
                end += after[0]  # "أصيب 5 بجروح", "أسفر عن اصابته بجروح، مع خمسة": the cue is theirs
        consumed = end
        if start_plen is not None:
            cue_starts.add(start_word)

        ns = starts[part_start] if parent is not None else c.ns
        if noun_start is not None:
            ns = min(ns, starts[noun_start])
        if start_plen is not None:
            ns = min(ns, starts[start_word] + start_plen)
        ne = max(c.ne, ends[end - 1] if end > c.a else c.ne)
        o_start, o_end = doc.orig_span(ns, ne)
        # A part shares its whole's period; a whole looks for cumulative cues around itself.
        cumulative = parent.count.cumulative if parent is not None else _is_cumulative(ctx, c.a, end)
        if (kind == "killed" and not cumulative and end < ctx.hi and texts[end] in t.custody.by_first
                and t.custody.match_at(texts, end, limit=ctx.hi) is not None):
            # "80 detainees have died in custody": deaths in detention are a prison toll, not the
            # casualties of the incident being reported.
            cumulative = True
        count = Count(kind, c.value, c.low, c.high, c.qualifier, unit, victims, o_start, o_end,
                      doc.text[o_start:o_end], cumulative=cumulative)
        if kind is not None and right_cue and pending:
            # The cue after this figure is also the cue of the figures coordinated before it.
            for w in pending:
                _set_kind(w.count, kind)
                doc.counts.append(w.count)
            pending.clear()
        if parent is not None:
            p = parent.count
            if p.kind is None and kind is not None:
                _set_kind(p, kind)
                doc.counts.append(p)
                if pending and pending[-1].count is p:
                    pending.pop()
            p.breakdown.append(count)
            if o_end > p.end:
                p.end = o_end
                p.text = doc.text[p.start : p.end]
            last_part = _Placed(count, end, si, parent=p)
            if last_top is not None and last_top.count is p:
                last_top.end = max(last_top.end, end)
        else:
            last_top = _Placed(count, end, si, one=c.one is not None)
            last_part = None
            if kind is None:
                pending.append(last_top)
            else:
                doc.counts.append(count)
        if c.one is not None:
            for k in range(c.a, c.b):
                owner[k] = _ONE_TAKEN
    if ctx.one_cue_pos:
        _assassinations(ctx, cue_starts, sent_items)
    _named_victims(ctx, cue_starts)
    _then_killed(ctx)
    _subject_killed(ctx)
    _split_cues(ctx)
    _drop_nested(doc)
    _national_tallies(ctx)


def _drop_nested(doc: Doc) -> None:
    """Drop a figure read twice: the same value of the same kind inside another count's span
    ("قتل جنديان" inside "قتل جنديان اميركيان": one dual, read once bare and once with its demonym)."""
    if len(doc.counts) < 2:
        return
    kept: list[Count] = []
    # Positions in ``kept`` by (kind, value), in order: only counts of the same kind and value can
    # be twins, so each count is compared with those alone (the first nested one is its twin).
    same: dict[tuple[str | None, int | float], list[int]] = {}
    for c in doc.counts:
        twin = None
        for i in same.get((c.kind, c.value), ()):
            k = kept[i]
            if (k.start <= c.start and c.end <= k.end) or (c.start <= k.start and k.end <= c.end):
                twin = i
                break
        if twin is None:
            same.setdefault((c.kind, c.value), []).append(len(kept))
            kept.append(c)
        elif c.end - c.start > kept[twin].end - kept[twin].start:
            kept[twin] = c  # the longer reading carries the victims' description
    if len(kept) < len(doc.counts):
        doc.counts[:] = kept


def _extend(doc: Doc, placed: _Placed, norm_end: int, end_word: int) -> None:
    """Stretch a count's evidence to the normalized offset ``norm_end`` (its last character)."""
    count = placed.count
    n2o = doc.norm_to_orig
    o_end = n2o[norm_end] + 1 if n2o else norm_end + 1
    while o_end > count.start and doc.text[o_end - 1].isspace():
        o_end -= 1
    if o_end > count.end:
        count.end = o_end
        count.text = doc.text[count.start : o_end]
    placed.end = max(placed.end, end_word)


def _cue_between(ctx: _Ctx, start: int, end: int) -> bool:
    """True when a cue before a number ends between words ``start`` and ``end``."""
    texts = ctx.items.texts
    return any(texts[p] in ctx.t.cues_before.enders and ctx.t.cues_before.match_ending(texts, p + 1, lo=start)
               for p in range(start, end))


def _set_kind(count: Count, kind: str) -> None:
    """Give a waiting figure and its waiting parts the kind the cue after them says."""
    count.kind = kind
    for part in count.breakdown:
        if part.kind is None:
            part.kind = kind


def _unreal(ctx: _Ctx, first: int, last: int) -> bool:
    """True when the cue in words [first, last] is an attempt, a plot, an anniversary or a trial, not
    a killing: "نجا من محاولة اغتيال", "a plot to assassinate", "an assassination attempt"."""
    t, texts = ctx.t, ctx.items.texts
    if any(texts[j] in t.unreal_before or texts[j] in t.negators for j in range(max(0, first - 2), first)):
        return True
    return last + 1 < len(texts) and texts[last + 1] in t.unreal_after


def _agent_before(ctx: _Ctx, c: _Cand, nxt: _Cand, cue_at: int) -> bool:
    """Whether the singular ``c`` right after a verb read active or passive (قتل, جرح) is the one who
    acted, with the number ``nxt`` as the verb's object: "قتل طالب فلندي في مدرسة ... سبعة من
    زملائه" (a student killed seven classmates), not "قتل جندي في انفجار" (a soldier was killed).
    The number follows in the clause, within agent_window words, with no cue of its own before it."""
    t, texts = ctx.t, ctx.items.texts
    if cue_at < 0 or nxt.a >= ctx.hi or nxt.a - c.b > t.agent_window:
        return False
    w = texts[cue_at]
    if w not in t.agent_verbs and not (w[:1] in _CONJUNCTION_LETTERS and w[1:] in t.agent_verbs):
        return False
    if nxt.joined or _only_joiners(ctx, c.b, nxt):
        return False  # "قتلت امرأة وأربعة أطفالها": coordinated victims, not the verb's object
    return not _broken(ctx, c.b, nxt.a + 1) and not _cue_between(ctx, c.b, nxt.a)


def _one_holds(ctx: _Ctx, c: _Cand, how: str | None, start_word: int, prev_conj: bool, nxt: _Cand | None) -> bool:
    """Whether a numberless figure of one stands: a cue right next to it, or a coordinated figure.

    ``start_word``: the first word of the cue that gave the kind (or of the figure).
    """
    texts = ctx.items.texts
    if start_word > 0 and texts[start_word - 1] in ctx.t.negators:
        return False  # "لم يقتل أحد": no one was killed
    if how in ("left", "right") and texts[start_word] in ctx.t.not_one.by_first and _not_one_cue(ctx, start_word):
        # "a soldier who died" of a disease: a lone death is not a casualty; "stabbed a bishop,
        # wounding four people": the bishop is one of the four. In a list with a number the one
        # counts: "stabbed a bishop and three other people".
        return _next_conjoined(ctx, c, nxt)
    if how == "left" and _unreal(ctx, start_word, c.a - 1):
        return False  # "محاولة قتل جندي": an attempt
    if c.one == _ONE_SELF or how in ("left", "right", "conj", "parent"):
        return True
    if how == "noun" and c.one == _ONE_WORD:
        return True  # "أحد القتلى" (one of the dead), "another was wounded"
    # A noun that says what happened ("قتيل") is one only next to another figure: "قتيل و11 جريحا".
    return how == "noun" and (prev_conj or _next_conjoined(ctx, c, nxt))


def _not_one_cue(ctx: _Ctx, k: int) -> bool:
    """Whether the cue at word ``k`` is one that makes no figure of one ("died", "stabbed"), not a
    longer cue that opens with it ("stabbed to death")."""
    t, texts = ctx.t, ctx.items.texts
    m = t.not_one.match_at(texts, k)
    if m is None:
        return False
    longest = max((cue[0] for cue in (t.cues_after.match_at(texts, k), t.cues_before.match_at(texts, k))
                   if cue is not None), default=0)
    return longest <= m[0]


def _assassinations(ctx: _Ctx, cue_starts: set[int], sent_items: list[int]) -> None:
    """One killed for an assassination with no figure of its own ("اغتالوا العميد", "assassinated the governor")."""
    doc, t = ctx.doc, ctx.t
    texts, starts, ends = ctx.items
    made: dict[str | None, list[int]] | None = None
    added = False
    for p in ctx.one_cue_pos:
        m = t.one_cues.match_ending(texts, p + 1)
        if m is None or m[0] in cue_starts or _unreal(ctx, m[0], p):
            continue
        if made is None:
            made = {}
            for c in doc.counts:
                made.setdefault(c.kind, []).append(bisect_left(doc.norm_to_orig, c.start) if doc.norm_to_orig else c.start)
        own = sorted(made.get(m[1], ()))
        si = bisect_right(sent_items, p) - 1
        hi = sent_items[si + 1] if si + 1 < len(sent_items) else len(texts)
        # A figure made after the cue in the same clause is the assassination's own ("اغتالت 5").
        limit = ends[min(hi, p + 1 + t.left) - 1]
        j = bisect_left(own, starts[m[0]])
        if j < len(own) and own[j] <= limit:
            continue
        ns = starts[m[0]] + m[2]
        o_start, o_end = doc.orig_span(ns, ends[p])
        if any(c.kind == m[1] and c.start <= o_start < c.end for c in doc.counts):
            continue  # the cue is the noun of a figure already made ("12 جثة": twelve bodies, not 13)
        doc.counts.append(Count(m[1], 1, 1, 1, "exact", None, None, o_start, o_end, doc.text[o_start:o_end]))
        _kin_after(ctx, doc.counts[-1], p + 1, hi)
        added = True
    if added:
        doc.counts.sort(key=lambda c: c.start)


def _named_victims(ctx: _Ctx, cue_starts: set[int]) -> None:
    """One killed or wounded for a single victim named right after a cue, with no figure of its own.

    "أدى الى مقتل حسام حرب", "بقتل الجندي الاميركي", "إصابة عبد الله": a given name (or "عبد"/"أبو"
    opening one) or a definite singular victim noun right after a killing or wounding cue. The
    indefinite singulars are figures of one already (:func:`_one_at`); a definite singular elsewhere
    refers back to someone counted before, but right after the cue it is the victim of that cue.
    Skipped like an assassination when a figure of the same kind follows in the clause ("مقتل محمد
    و3 من ابنائه": the figure is the number) or the cue is negated or an attempt.
    """
    t, doc = ctx.t, ctx.doc
    if not t.named:
        return
    texts, starts, ends = ctx.items
    named, enders, owner = t.named, t.cues_before.enders, ctx.owner
    # One pass finds the candidate words; most sentences have none.
    hits = [k for k, w in enumerate(texts) if w in named and k > 0 and texts[k - 1] in enders and owner[k] == _FREE]
    if not hits:
        return
    n2o = doc.norm_to_orig
    made = [(c.kind, bisect_left(n2o, c.start) if n2o else c.start) for c in doc.counts]
    sentence_starts = [s for s, _ in doc.sentences]
    added = False
    for k in hits:
        m = t.cues_before.match_ending(texts, k)
        if m is None or m[1] not in ("killed", "injured") or m[0] in cue_starts or gap_has_break(ctx.norm, ctx.items, k):
            continue
        if t.not_one.match_at(texts, m[0]) or t.named_not.match_at(texts, m[0]) or _unreal(ctx, m[0], k - 1):
            # "وفاة محمد" may be natural; "محاولة قتل الجندي" killed no one; "لقي الجندي ترحيبا" is a welcome
            continue
        si = bisect_right(sentence_starts, starts[k]) - 1
        s_end = doc.sentences[si][1] if si >= 0 else len(ctx.norm)
        limit = min(s_end, ends[min(len(texts), k + t.left) - 1])
        if any(kind == m[1] and starts[m[0]] <= pos <= limit for kind, pos in made):
            continue  # the cue's figure is written ("مقتل محمد و3 من ابنائه") or already read
        ns = starts[m[0]] + m[2]
        o_start, o_end = doc.orig_span(ns, ends[k])
        doc.counts.append(Count(m[1], 1, 1, 1, "exact", None, named[texts[k]], o_start, o_end,
                                doc.text[o_start:o_end]))
        made.append((m[1], ns))
        _kin_after(ctx, doc.counts[-1], k + 1, bisect_left(starts, s_end))
        added = True
    if added:
        doc.counts.sort(key=lambda c: c.start)


def _then_killed(ctx: _Ctx) -> None:
    """The people of a figure before, killed afterwards: "اختطف جنديان ... ثم قتلا" (then the two were
    killed) is two killed; "اختطفوا ثلاثة صحافيين ثم قتلوهم" is three, the figure of the seizure.

    A "then" word right before a dual killing verb is two killed (the verb itself says how many,
    whoever was counted before: "ضابط شرطة وجنديا اختطفا ... ثم قتلا"); before a plural one, as
    many as the last figure of a ``then_of`` kind (abducted, arrested) before it in the sentence,
    and nothing without one. Nothing either when the sentence already has a killed figure ("ثم
    قتلوا حارسا": the guard is the one killed).
    """
    t, doc = ctx.t, ctx.doc
    texts, starts, ends = ctx.items
    if not t.then_words or not ctx.hits:
        return
    verbs = t.then_dual | t.then_plural
    last = len(texts) - 1
    # (ctx.hits holds every "then" word: see scan_keys)
    hits = [k for k in ctx.hits if k < last and texts[k] in t.then_words and texts[k + 1] in verbs]
    if not hits:
        return
    n2o = doc.norm_to_orig
    sentence_starts = [s for s, _ in doc.sentences]
    added = False
    for k in hits:
        si = bisect_right(sentence_starts, starts[k]) - 1
        lo, hi = doc.sentences[si] if si >= 0 else (0, len(ctx.norm))
        here = [c for c in doc.counts if lo <= (bisect_left(n2o, c.start) if n2o else c.start) < hi]
        if any(c.kind == "killed" for c in here):
            continue
        verb = texts[k + 1]
        seized = [c for c in here if c.kind in t.then_of and (bisect_left(n2o, c.start) if n2o else c.start) < starts[k]]
        if verb in t.then_dual:
            value: int | float = 2
            low: int | float | None = 2
            high: int | float | None = 2
            qualifier = "exact"
            victims = seized[-1].victims if seized and seized[-1].value == 2 else None
        elif seized:
            prior = seized[-1]
            value, low, high, qualifier, victims = prior.value, prior.low, prior.high, prior.qualifier, prior.victims
        else:
            continue
        o_start, o_end = doc.orig_span(starts[k], ends[k + 1])
        doc.counts.append(Count("killed", value, low, high, qualifier, None, victims, o_start, o_end,
                                doc.text[o_start:o_end]))
        added = True
    if added:
        doc.counts.sort(key=lambda c: c.start)


# Words after a verb read as the subject's passive in which a vague object makes it active.
_VAGUE_OBJECT_WINDOW = 5


def _subject_killed(ctx: _Ctx) -> None:
    """One (or two) killed named as the subject before a passive killing verb, with no figure:
    "الانتحاري الذي قتل بالرصاص" (the bomber who was shot dead), "اللذين قتلا" (the two who were
    killed), "وكانت رئيسة الوزراء بوتو قد قتلت في هجوم" (had been killed).

    The verb must follow a relative pronoun, or "قد" with a past auxiliary (كان) at most
    ``past_window`` words before it in the sentence, and be followed right away by what follows a
    passive verb (``passive_next``: "في", "خلال", or a word with the clitic ب: "بالرصاص"). Nothing when the sentence already has a
    killed figure: an active reading with its object ("المسلح الذي قتل 5 أشخاص") brings its own.
    """
    t, doc = ctx.t, ctx.doc
    texts, starts, ends = ctx.items
    if not t.subject_verbs or not ctx.hits:
        return
    verbs = t.subject_verbs
    last = len(texts) - 1
    # (ctx.hits holds every relative pronoun and "قد", and the verbs when not_subject is set: see scan_keys)
    found = [k + 1 for k in ctx.hits if k < last and texts[k + 1] in verbs
             and (texts[k] in t.relatives or texts[k] in t.perfect)]
    if t.not_subject:
        # "وتابع ان عنصرا آخر من القاعدة قتل خلال عملية دهم", "قتل إثر ضربة جوية" after the named
        # man: the subject written before the verb, which then agrees with it in number (one, or
        # two for a dual verb; a plural verb says no number and is not listed).
        sentence_firsts = {bisect_left(starts, s) for s, _ in doc.sentences}
        found += [k for k in ctx.hits if k > 0 and texts[k] in verbs and k not in sentence_firsts
                  and texts[k - 1] not in t.not_subject and texts[k - 1] not in t.relatives
                  and texts[k - 1] not in t.perfect and not texts[k - 1].isdigit()]
        found.sort()
    if not found:
        return
    n2o = doc.norm_to_orig
    sentence_starts = [s for s, _ in doc.sentences]
    added = False
    for k in found:
        value = verbs[texts[k]]
        before = texts[k - 1]
        if before in t.relatives:
            if t.relatives[before] != value:
                continue  # "الذين قتلوا" says no number; "التي قتلا" is no phrase
            first = k - 1
        elif before in t.perfect:
            si = bisect_right(sentence_starts, starts[k]) - 1
            lo = doc.sentences[si][0] if si >= 0 else 0
            window = range(max(0, k - 1 - t.past_window), k - 1)
            if not any(texts[j] in t.past_aux and starts[j] >= lo for j in window):
                continue
            first = k - 1
        elif t.not_subject:
            end = min(len(texts), k + 1 + _VAGUE_OBJECT_WINDOW)
            if any(texts[j] in t.vague_objects for j in range(k + 1, end)):
                continue  # "الشرطة قتلت في الاشتباك عددا من المسلحين": active, with its object
            first = k  # the subject's words are not the figure's: the verb alone is its text
        else:
            continue
        nxt = texts[k + 1] if k + 1 < len(texts) else ""
        if not (nxt in t.passive_next or (len(nxt) > 3 and nxt.startswith(t.passive_clitics))) or gap_has_break(
                ctx.norm, ctx.items, k + 1):
            continue  # "قابيل الذي قتل اخاه": an active verb and its object
        si = bisect_right(sentence_starts, starts[k]) - 1
        lo, hi = doc.sentences[si] if si >= 0 else (0, len(ctx.norm))
        if any(c.kind == "killed" and lo <= (bisect_left(n2o, c.start) if n2o else c.start) < hi for c in doc.counts):
            continue
        o_start, o_end = doc.orig_span(starts[first], ends[k])
        doc.counts.append(Count("killed", value, value, value, "exact", None, None, o_start, o_end,
                                doc.text[o_start:o_end]))
        added = True
    if added:
        doc.counts.sort(key=lambda c: c.start)


def _split_cues(ctx: _Ctx) -> None:
    """A figure for the victims written between a verb and its complement: "stabbed a teacher to
    death" (one), "beat three men to death" (three), "stabbed him to death" (one).

    The words between are a number, or an article or possessive opening a singular victim noun,
    or a pronoun that stands for one person; nothing else but adjectives (no break, no barrier, no
    cue). Skipped when a count of the same kind already covers the words (read another way) or the
    verb is negated or an attempt ("tried to beat him to death").
    """
    t, doc = ctx.t, ctx.doc
    if not t.split_openers:
        return
    texts, starts, ends = ctx.items
    n = len(texts)
    added = False
    for k in range(n - 2):
        kind = t.split_openers.get(texts[k])
        if kind is None:
            continue
        found: tuple[int, int, int] | None = None  # (closer start, closer end, figure word or -1 for one)
        number = -1
        one = False
        for p in range(k + 1, min(n, k + 3 + t.one_article)):
            w = texts[p]
            if p > k + 1 and w in t.split_closers.by_first:
                m = t.split_closers.match_at(texts, p)
                if m is not None and m[1] == kind:
                    found = (p, p + m[0], number)
                    break
            if gap_has_break(ctx.norm, ctx.items, p) or w in t.barriers or w in t.joiners or w in t.stop_words:
                break
            if ctx.owner[p] >= 0:
                if number >= 0 and ctx.owner[p] != ctx.owner[number]:
                    break  # two figures: not one object
                number = p
            elif p == k + 1 and w in t.split_pronouns:
                one = True
            elif p > k + 1 and texts[p - 1] in t.articles | t.determiners and w in t.ones.by_first:
                one = one or t.ones.match_at(texts, p) is not None
        if found is None or _unreal(ctx, k, found[1] - 1):
            continue
        if number >= 0:
            num = doc.numbers[ctx.owner[number]]
            if num.unit_hint is not None or num.value != int(num.value) or num.value <= 0:
                continue
            value, low, high, qualifier = num.value, num.low, num.high, num.qualifier
        elif one:
            value, low, high, qualifier = 1, 1, 1, "exact"
        else:
            continue
        o_start, o_end = doc.orig_span(starts[k], ends[found[1] - 1])
        if any(c.kind == kind and c.start < o_end and o_start < c.end for c in doc.counts):
            continue  # already read ("shot two men dead")
        # The verb alone read the figure as another fate ("stabbed three people": wounded); the
        # complement says they died.
        doc.counts[:] = [c for c in doc.counts if not (c.kind != kind and o_start <= c.start and c.end <= o_end)]
        doc.counts.append(Count(kind, value, low, high, qualifier, None, "people", o_start, o_end,
                                doc.text[o_start:o_end]))
        added = True
    if added:
        doc.counts.sort(key=lambda c: c.start)


def _kin_after(ctx: _Ctx, head: Count, j: int, hi: int) -> None:
    """One more of ``head``'s kind for each relative (or given name) glued to "and" after the single victim ``head``
    just counted, from word ``j`` up to the clause end (before word ``hi``): "اغتيال جاسم الذهبي، عميد
    الكلية، وزوجته وابنهما" is three killed. The victim's name and an apposition of his post may
    stand between (kin_window words); a cue, a barrier, a figure or the end of the clause stops.
    The head's evidence is stretched to the first relative, so that the toll adds them up."""
    t, doc = ctx.t, ctx.doc
    if not t.kin:
        return
    texts, starts, ends = ctx.items
    first = True
    for k in range(j, min(hi, j + t.kin_window)):
        if k > j and _CLAUSE_END.intersection(ctx.norm[ends[k - 1] : starts[k]]):
            return
        w = texts[k]
        if ctx.owner[k] != _FREE or w in t.stop_words or w in t.barriers:
            return
        # A relative, or another person named by a given name ("مقتل أحمد نصر ومحمد عوض").
        if w in t.kin or (w[:1] in t.joiner_prefixes and w[1:] in t.named and t.named[w[1:]] is None):
            if first and k > j and head.end < doc.orig_span(starts[k - 1], ends[k - 1])[1]:
                head.end = doc.orig_span(starts[k - 1], ends[k - 1])[1]  # the name and its apposition
                head.text = doc.text[head.start : head.end]
            first = False
            o_start, o_end = doc.orig_span(starts[k], ends[k])
            doc.counts.append(Count(head.kind, 1, 1, 1, "exact", None, "people", o_start, o_end,
                                    doc.text[o_start:o_end]))
            ctx.owner[k] = _ONE_TAKEN


def _national_tallies(ctx: _Ctx) -> None:
    """A country's toll with a part killed in one attack: "مقتل 18 شخصا في العراق، بينهم 15 قضوا في
    هجوم انتحاري في ديالى". The whole adds up the day's incidents across the country (a total, so
    ``cumulative``); the part, written with its own "in an attack", is that attack's toll and becomes
    a count of its own. Both signs are needed: a country named between the whole and the part, and
    the part followed by "in" and an attack word; "18 killed in the attack, 15 of them soldiers"
    stays one count."""
    t, doc = ctx.t, ctx.doc
    if not t.incident_words or not any(c.breakdown for c in doc.counts):
        return
    texts, starts, _ = ctx.items
    n2o = doc.norm_to_orig
    countries = [p.start for p in doc.places if p.feature == "country"]
    added: list[Count] = []
    for c in doc.counts:
        if c.cumulative or not c.breakdown or not countries:
            continue
        own = []
        for b in c.breakdown:
            k = bisect_left(starts, bisect_left(n2o, b.end) if n2o else b.end)
            if (b.kind == c.kind and k + 1 < len(texts) and texts[k] in t.in_words
                    and texts[k + 1] in t.incident_words):
                own.append(b)
        if len(own) == 1 and any(c.start <= p < own[0].start for p in countries):
            c.cumulative = True
            c.breakdown.remove(own[0])
            added.append(own[0])
    if added:
        doc.counts.extend(added)
        doc.counts.sort(key=lambda c: c.start)
