"""Quantities: digits, number words, vague quantities and their bounds.

:func:`find_numbers` appends a :class:`~streams.extract.doc.Number` for every quantity in the text:

- digits in any script (normalization folds Arabic-Indic and Persian digits to ASCII; a script
  is added in its ``normalize.json``), with thousands separators ("1,600", "1 600",
  "1.600.000") and decimals;
- number words, compounds included ("ألف وستمائة", "خمسة وعشرون", "two hundred and fifty",
  "forty-two", "a dozen"), and digits with a scale word ("1.5 million", "40 ألف");
- vague quantities coded as ACLED codes fatalities ("dozens" = 12, "عشرات" = 10), qualifier
  ``vague``;
- bounds ("more than", "أكثر من", "at least", "نحو", "up to"...) as the qualifier and ``low``/``high``;
- ranges ("30-40", "30 to 40", "two or three", "ثلاثة أو أربعة") as one number: the lower figure
  is the value (ACLED codes the most conservative estimate), qualifier ``about`` with ``low`` and
  ``high`` both set. "Several"/"a few"/"بضعة"/"عدة" give no number: no figure is invented.

A number that is not a quantity of things gets ``unit_hint`` set and counts ignore it: durations
(the time unit: "year", "week"...; "خمس سنوات", "more than a week", "يومين"), and the markers
``percent``, ``money``, ``distance``, ``weight``, ``area``, ``time_of_day``, ``date_day``,
``date_year``, ``age`` and ``id``. Digits inside URLs, hashtags, handles, clock times and phone
numbers are skipped outright; ordinals ("first", "الأولى", "3rd") are never numbers, nor are words
that only look like one (Arabic الاثنين is Monday).

Every word list lives in ``lang/<lang>/numbers.json``; the code only knows word *classes*
(unit, ten, hundred, scale...), so a language is added with a data file. Tables are compiled
once per language. Matching is one dict lookup per word: Arabic clitic variants of every entry
("وثلاثة", "لأكثر", "الآلاف") are expanded into the tables at load time.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, NamedTuple

from streams.extract import lang as langdata
from streams.extract.doc import MONTH_ABBR_END_RE, WORD_RE, Doc, Number
from streams.extract.normalize import normalize_name

# Word classes of number words (the values of numbers.json "words").
_UNIT, _TEN, _HUNDREDS, _HUNDRED, _DOZEN = "unit", "ten", "hundreds", "hundred", "dozen"
_SCALE, _SCALE_VALUE, _VAGUE, _ARTICLE, _TEEN_ONLY = "scale", "scale_value", "vague", "article", "teen_only"
_TIME_ONE, _TIME_TWO = "time_one", "time_two"
_ADDITIVE = frozenset({_UNIT, _TEN, _HUNDREDS})

# Characters around digits that mean the digits are part of a URL, handle, hashtag, date or clock.
# Longest digit run (separators included) read as a quantity: 999,999,999,999,999.
_MAX_DIGITS = 19
_MARKER_RE = re.compile(r"[/@#_:]|http|www|\.com|\.org")
# Punctuation that ends a phrase: a month before it does not make the next number a day
# ("In mid-September, 30 people"), while brackets and slashes do not ("7 نيسان/أبريل (April) 2018").
_CLAUSE_BREAK = frozenset(",،.;:!?؛")
# How far (characters) to look for those markers around a digit run: a URL is one chunk.
_CHUNK_LIMIT = 60


class Items(NamedTuple):
    """The words of a document as matched by extractors: lower-cased text and normalized offsets.

    Hyphenated tokens are split into their parts ("forty-two" -> "forty", "two"), so a part can
    be looked up alone ("five-year" -> "five", "year").
    """

    texts: list[str]
    starts: list[int]
    ends: list[int]


# The key under which word_items() keeps a document's words in ``doc.cache``: numbers and counts
# (and anything else that matches words) build them once per document, never in a module global
# that would tie results to whichever document was seen last.
_CACHE_KEY = "numbers.word_items"


def word_items(doc: Doc) -> Items:
    """Lower-cased words of ``doc.norm`` with their normalized offsets (hyphenated tokens split),
    built once per document and kept in ``doc.cache``."""
    hit: tuple | None = doc.cache.get(_CACHE_KEY)  # type: ignore[assignment]
    # The key guards against a document whose text or tokens were replaced after the fact.
    if hit is not None and hit[0] is doc.words and hit[1] is doc.norm and hit[2] == len(doc.words):
        return hit[3]
    items = _build_items(doc)
    doc.cache[_CACHE_KEY] = (doc.words, doc.norm, len(doc.words), items)
    return items


def _build_items(doc: Doc) -> Items:
    words = doc.words
    texts = doc.lower_words()  # shared, read-only: split below into new lists, never changed
    # Copies: the lists are handed on in ``Items`` and must not alias the document's own.
    starts = list(doc.word_starts)
    ends = list(doc.word_ends)
    norm = doc.norm
    pos = norm.find("-")
    if pos < 0:
        return Items(texts, starts, ends)
    # The words that hold a hyphen, found from the hyphens of the text (few) rather than by a
    # test on every word.
    hyphenated: list[int] = []
    while pos >= 0:
        k = bisect_right(starts, pos) - 1
        if k >= 0 and pos < ends[k] and (not hyphenated or hyphenated[-1] != k):
            hyphenated.append(k)
        pos = norm.find("-", pos + 1)
    if not hyphenated:
        return Items(texts, starts, ends)
    # Split hyphenated words into their parts: copy the runs between them in slices (one pass, no
    # per-word list surgery, which would make a text full of "17-year-old" quadratic).
    out_t: list[str] = []
    out_s: list[int] = []
    out_e: list[int] = []
    prev = 0
    for k in hyphenated:
        out_t += texts[prev:k]
        out_s += starts[prev:k]
        out_e += ends[prev:k]
        pos = starts[k]
        # Offsets come from the normalized text: a lower-cased letter may be longer ("İ").
        for part in words[k].split("-"):
            if part:
                out_t.append(part.lower())
                out_s.append(pos)
                out_e.append(pos + len(part))
            pos += len(part) + 1
        prev = k + 1
    out_t += texts[prev:]
    out_s += starts[prev:]
    out_e += ends[prev:]
    return Items(out_t, out_s, out_e)


def gap_has_break(norm: str, items: Items, k: int) -> bool:
    """True when punctuation (not only spaces or a hyphen) separates word ``k - 1`` from word ``k``."""
    gap = norm[items.ends[k - 1] : items.starts[k]]
    return bool(gap) and not gap.isspace() and gap != "-"


def norm_words(lang: str, phrase: str) -> tuple[str, ...]:
    """A lexicon phrase as the words an extractor compares: normalized, lower-cased, split like text."""
    words: list[str] = []
    for m in WORD_RE.finditer(normalize_name(lang, phrase).lower()):
        words.extend(p for p in m.group().split("-") if p)
    return tuple(words)


def clitic_variants(word: str, prefixes: Sequence[str], min_stem: int) -> Iterable[tuple[str, int]]:
    """``word`` itself (prefix length 0), then ``prefix + word`` for each clitic prefix it can take."""
    yield word, 0
    if len(word) >= min_stem:
        for p in prefixes:
            yield p + word, len(p)


class PhraseTable:
    """Multi-word phrases with a payload, matched word by word against :class:`Items` texts.

    The first word of a phrase may carry a clitic prefix (Arabic "لأكثر من"); later words must be
    written as listed. Lookups are dict hits on the first or last word, then a tuple compare.
    """

    def __init__(self, entries: Iterable[tuple[tuple[str, ...], Any]], prefixes: Sequence[str], min_stem: int):
        self.by_first: dict[str, list[tuple[tuple[str, ...], Any, int]]] = {}
        self.by_last: dict[str, list[tuple[tuple[str, ...], Any]]] = {}
        self.single: dict[str, tuple[Any, int]] = {}  # one-word phrases: form -> (payload, clitic length)
        self.first_forms: dict[tuple[str, ...], dict[str, int]] = {}
        for words, payload in entries:
            if not words:
                continue
            # The two-letter first word of a phrase ("ما يقارب") may take a clitic ("وما يقارب"):
            # the rest of the phrase makes the match safe. A lone short word may not ("لست").
            forms = dict(clitic_variants(words[0], prefixes, min_stem if len(words) == 1 else 1))
            self.first_forms[words] = forms
            for form, plen in forms.items():
                self.by_first.setdefault(form, []).append((words, payload, plen))
                if len(words) == 1:
                    self.single.setdefault(form, (payload, plen))
            if len(words) > 1:
                self.by_last.setdefault(words[-1], []).append((words, payload))
        for lst in self.by_first.values():
            lst.sort(key=lambda e: -len(e[0]))
        for lst2 in self.by_last.values():
            lst2.sort(key=lambda e: -len(e[0]))
        # Words a phrase can end with: a set test rules out most positions before any work.
        self.enders = frozenset(self.single) | frozenset(self.by_last)

    def __bool__(self) -> bool:
        return bool(self.by_first)

    def match_at(self, texts: Sequence[str], i: int, limit: int | None = None) -> tuple[int, Any, int] | None:
        """The longest phrase starting at word ``i``: (number of words, payload, clitic length)."""
        cands = self.by_first.get(texts[i])
        if not cands:
            return None
        end = len(texts) if limit is None else min(limit, len(texts))
        for words, payload, plen in cands:
            n = len(words)
            if i + n <= end and (n == 1 or tuple(texts[i + 1 : i + n]) == words[1:]):
                return n, payload, plen
        return None

    def match_ending(self, texts: Sequence[str], end: int, lo: int = 0) -> tuple[int, Any, int] | None:
        """The longest phrase whose last word is ``texts[end - 1]``: (start word, payload, clitic length)."""
        if end <= lo:
            return None
        w = texts[end - 1]
        if w not in self.enders:
            return None
        for words, payload in self.by_last.get(w, ()):
            s = end - len(words)
            if s < lo:
                continue
            plen = self.first_forms[words].get(texts[s])
            if plen is not None and tuple(texts[s + 1 : end - 1]) == words[1:-1]:
                return s, payload, plen
        one = self.single.get(w)
        if one is not None:
            return end - 1, one[0], one[1]
        return None


@dataclass(frozen=True, slots=True)
class _Tables:
    start: dict[str, tuple[str, int | float, int, str]]  # surface -> (class, value, clitic len, unit)
    cont: dict[str, tuple[str, int | float, bool, bool]]  # surface -> (class, value, joined, teen)
    joiners: frozenset[str]
    joiner_prefixes: tuple[str, ...]  # "and" glued to a word: Arabic و
    connectors: frozenset[str]
    digit_re: re.Pattern[str]
    ambiguous_sep: str
    digit_prefixes: frozenset[str]
    bounds_before: PhraseTable
    bounds_after: PhraseTable
    units_after: PhraseTable
    units_before: PhraseTable
    symbols_after: dict[str, str]
    symbols_before: dict[str, str]
    months: PhraseTable
    time_words: dict[str, str]  # every form of a time unit -> unit name
    time_one: dict[str, str]
    articles: frozenset[str]
    not_after: frozenset[str]  # words after which a number word is no figure ("no one")
    year_lo: int
    year_hi: int
    range_words: frozenset[str]  # "to", "or", "أو": "30 to 40" is one figure from 30 to 40
    range_symbols: frozenset[str]  # "-", "–" between two figures
    range_not_after: frozenset[str]  # "from 20 to 30" is a change, not a range
    range_between: frozenset[str]  # "between 30 and 40": "and" makes a range after these


def _is_symbol(s: str) -> bool:
    return not any(ch.isalnum() for ch in s)


@cache
def _tables(lang: str) -> _Tables:
    data = langdata.load(lang, "numbers")
    clit = data.get("clitics", {})
    prefixes = [normalize_name(lang, p) for p in clit.get("prefixes", [])]
    prefixes.sort(key=len, reverse=True)
    joiner_prefixes = [normalize_name(lang, p) for p in clit.get("joiner_prefixes", [])]
    min_stem = int(clit.get("min_stem", 3))

    def nw(s: str) -> str:
        return normalize_name(lang, s).lower()

    words = data.get("words", {})
    start: dict[str, tuple[str, int | float, int, str]] = {}
    cont: dict[str, tuple[str, int | float, bool, bool]] = {}
    teen_words = {nw(w) for w in words.get("teen_suffix", {}).get("words", [])}

    def add(word: str, cls: str, value: int | float, unit: str = "", cont_too: bool = True) -> None:
        w = nw(word)
        for form, plen in clitic_variants(w, prefixes, min_stem):
            # The first-seen class wins, so list order below sets priorities (vague before scale
            # for a phrase start: "آلاف" alone is "thousands" = 1000, vague).
            start.setdefault(form, (cls, value, plen, unit))
        if cont_too:
            cont.setdefault(w, (cls, value, False, w in teen_words))
            for jp in joiner_prefixes:
                cont.setdefault(jp + w, (cls, value, True, w in teen_words))

    for w, v in words.get("vague", {}).get("words", {}).items():
        add(w, _VAGUE, v, cont_too=False)
    for cls, key in ((_UNIT, "units"), (_TEN, "tens"), (_HUNDREDS, "hundreds"), (_SCALE, "scales"),
                     (_SCALE_VALUE, "scale_values")):
        for w, v in words.get(key, {}).items():
            add(w, cls, v)
    for w in words.get("hundred", []):
        add(w, _HUNDRED, 100)
    for w in words.get("dozen", []):
        add(w, _DOZEN, 12)
    for w, v in words.get("teen_only", {}).get("words", {}).items():
        add(w, _TEEN_ONLY, v)
    articles = frozenset(nw(w) for w in words.get("articles", []))
    for w in articles:
        start.setdefault(w, (_ARTICLE, 1, 0, ""))
    for w in teen_words:
        cont.setdefault(w, (_TEN, 10, False, True))
    # Forms that look like a number but are a word in their own right: Arabic الاثنين is Monday.
    for w in words.get("not_numbers", {}).get("words", []):
        for form, _ in clitic_variants(nw(w), prefixes, min_stem):
            start.pop(form, None)

    units = data.get("units", {})
    time_words: dict[str, str] = {}
    time_one: dict[str, str] = {}
    for unit, forms in units.get("time", {}).items():
        for f in forms.get("one", []):
            time_one[nw(f)] = unit
            time_words[nw(f)] = unit
        for f in forms.get("many", []):
            time_words[nw(f)] = unit
        for f in forms.get("two", []):
            time_words[nw(f)] = unit
            add(f, _TIME_TWO, 2, unit, cont_too=False)
    for f, unit in time_one.items():
        start.setdefault(f, (_TIME_ONE, 1, 0, unit))

    def phrase_table(groups: dict[str, list[str]], with_clitics: bool) -> tuple[PhraseTable, dict[str, str]]:
        entries = []
        symbols: dict[str, str] = {}
        for name, phrases in groups.items():
            if not isinstance(phrases, list):
                continue  # the "about" note (a group may itself be named "about")
            for p in phrases:
                if _is_symbol(p):
                    symbols[p] = name
                else:
                    entries.append((norm_words(lang, p), name))
        return PhraseTable(entries, prefixes if with_clitics else (), min_stem), symbols

    bounds = data.get("bounds", {})
    bounds_before, _ = phrase_table(bounds.get("before", {}), True)
    bounds_after, _ = phrase_table(bounds.get("after", {}), False)
    units_after, symbols_after = phrase_table(units.get("after", {}), False)
    units_before, symbols_before = phrase_table(units.get("before", {}), True)
    months = PhraseTable(((norm_words(lang, m), "month") for m in units.get("months", [])), prefixes, min_stem)

    digits = data.get("digits", {})
    seps = "".join(re.escape(s) for s in digits.get("group_separators", [","]))
    decs = "".join(re.escape(s) for s in digits.get("decimal_separators", ["."]))
    # Linear time: every repetition starts with a separator, which \d cannot match, so there is
    # no ambiguous split to backtrack over. Group: exactly three digits (the lookahead forbids a 4th).
    pattern = r"([0-9]+)((?:[" + seps + r"][0-9]{3}(?![0-9]))*)"
    if decs:
        pattern += r"((?:[" + decs + r"][0-9]+)?)"
    else:
        pattern += r"()"
    year_lo, year_hi = units.get("year_range", [1900, 2100])
    ranges = data.get("ranges", {})
    return _Tables(
        start=start,
        cont=cont,
        joiners=frozenset(nw(w) for w in clit.get("joiners", [])),
        joiner_prefixes=tuple(joiner_prefixes),
        connectors=frozenset(nw(w) for w in words.get("vague_connectors", [])),
        digit_re=re.compile(pattern),
        ambiguous_sep=digits.get("ambiguous_group_separator", "."),
        digit_prefixes=frozenset(normalize_name(lang, p) for p in digits.get("digit_prefixes_ok", [])),
        bounds_before=bounds_before,
        bounds_after=bounds_after,
        units_after=units_after,
        units_before=units_before,
        symbols_after=symbols_after,
        symbols_before=symbols_before,
        months=months,
        time_words=time_words,
        time_one=time_one,
        articles=articles,
        not_after=frozenset(nw(w) for w in words.get("not_after", [])),
        year_lo=int(year_lo),
        year_hi=int(year_hi),
        range_words=frozenset(w for p in ranges.get("words", []) for w in norm_words(lang, p)),
        range_symbols=frozenset(ranges.get("symbols", [])),
        range_not_after=frozenset(nw(w) for w in ranges.get("not_after", [])),
        range_between=frozenset(nw(w) for w in ranges.get("between", [])),
    )


def _places(v: int) -> tuple[int, ...]:
    """Decimal places (1, 10, 100) that a value below 1000 writes a non-zero digit in."""
    return tuple(p for p in (100, 10, 1) if (v // p) % 10)


def _combine(c: int | float, v: int, joined: bool, teen: bool, last_cls: str) -> int | None:
    """Add number word ``v`` to the running value ``c`` (< 1000), or None when they do not combine.

    Without a joiner the parts must descend ("twenty two", "مائة خمسون"), except a teen
    ("خمسة عشر"); with one ("خمسة وعشرون", "hundred and five") any order is fine, as long as the
    parts fill different decimal places.
    """
    ci = int(c)
    if ci != c:
        return None
    if v == 10 and teen and not joined and last_cls in (_UNIT, _TEEN_ONLY) and 0 < ci < 10:
        return ci + 10
    if v == 10 and joined:
        return None  # "خمسة وعشرة" is two numbers, never fifteen
    cp = _places(ci % 1000)
    vp = _places(v)
    if not vp or any(p in cp for p in vp):
        return None
    if cp and not joined and max(vp) > min(cp):
        return None
    if 10 <= v < 20 and cp and min(cp) < 100:
        return None  # a teen can only follow a hundred or a thousand
    return ci + v


def _parse_words(texts: list[str], norm: str, items: Items, i: int, t: _Tables) -> tuple[int, int | float, bool] | None:
    """Read the number-word phrase starting at word ``i``: (end word, value, vague), or None."""
    cls, value, _, _ = t.start[texts[i]]
    total: int | float = 0
    current: int | float = 0
    vague = False
    last_scale: int | float = 0
    if cls in _ADDITIVE or cls == _TEEN_ONLY:
        current = value
    elif cls == _HUNDRED:
        current = 100
    elif cls == _DOZEN:
        current = 12
    elif cls in (_SCALE, _SCALE_VALUE):
        total, last_scale = value, value
    elif cls == _VAGUE:
        current, vague = value, True
    elif cls == _ARTICLE:
        current = 1
    else:
        return None
    last_cls = cls
    n = len(texts)
    k = i + 1
    while k < n:
        if gap_has_break(norm, items, k):
            break
        w = texts[k]
        joined = False
        step = 1
        if w in t.joiners:
            # "and" joins "two hundred and fifty", never "12 killed and 30": only after a hundred.
            if k + 1 >= n or total + current < 100 or texts[k + 1] not in t.cont:
                break
            w = texts[k + 1]
            joined, step = True, 2
        elif vague and w in t.connectors:
            # "tens of thousands", "مئات من الآلاف"
            if k + 1 >= n or t.cont.get(texts[k + 1], ("",))[0] != _SCALE:
                break
            w = texts[k + 1]
            step = 2
        e = t.cont.get(w)
        if e is None:
            break
        ecls, v, jp, teen = e
        joined = joined or jp
        if ecls in _ADDITIVE:
            if last_cls in (_SCALE, _SCALE_VALUE) or (current == 0 and total):
                if current or v >= last_scale:
                    break
                current = v
            else:
                new = _combine(current, int(v), joined, teen, last_cls)
                if new is None:
                    break
                current = new
        elif ecls == _HUNDRED:
            if current == 0 and (total or last_cls == _ARTICLE):
                current = 100
            elif last_cls in (_UNIT, _ARTICLE) and 0 < current < 10 and not joined:
                current *= 100
            else:
                break
        elif ecls == _DOZEN:
            if last_cls in (_UNIT, _ARTICLE) and 0 < current < 10 and not joined:
                current *= 12
            else:
                break
        elif ecls == _SCALE:
            mult = current or 1
            if last_scale and v >= last_scale:
                break
            if last_cls == _ARTICLE:
                mult = 1
            total += mult * v
            current = 0
            last_scale = int(v)
        elif ecls == _SCALE_VALUE:
            if current or total:
                break
            total, last_scale = v, int(v)
        else:
            break
        last_cls = ecls
        k += step
    if last_cls in (_TEEN_ONLY, _ARTICLE):
        return None
    return k, total + current, vague


def _parse_digits(m: re.Match[str], t: _Tables) -> tuple[int, int | float]:
    """(end offset, value) of a digit match, reading its separators as the language data says."""
    lead, groups, dec = m.group(1), m.group(2), m.group(3)
    end = m.end()
    if groups:
        seps = set(groups[0::4])
        if len(lead) > 3 or len(seps) > 1:
            # "2018 100" is two numbers; mixed separators are not one number either.
            return m.start(1) + len(lead), int(lead)
        if seps == {t.ambiguous_sep}:
            if len(groups) == 4:
                # A lone "1.600": read as the decimal 1.6, the only reading a dot allows for sure.
                return m.start(1) + len(lead) + 4, float(lead + "." + groups[1:])
            dec = ""  # "1.600.000.5" is not a decimal
            end = m.end(2)
        digits = lead + "".join(groups[i + 1 : i + 4] for i in range(0, len(groups), 4))
        if dec:
            return end, float(digits + "." + dec[1:])
        return end, int(digits)
    if dec:
        return end, float(lead + "." + dec[1:])
    return end, int(lead)


def _skip_phone(norm: str, pos: int) -> int:
    """The end of the run of digits, spaces, dashes and brackets that starts at ``pos``."""
    end = pos
    limit = min(len(norm), pos + 30)
    while end < limit and (norm[end].isdigit() or norm[end] in " -()\u00a0"):
        end += 1
    return end


def _chunk(norm: str, start: int, end: int) -> str:
    """The run of non-space characters around ``[start, end)`` (bounded), lower-cased."""
    floor = max(0, start - _CHUNK_LIMIT)
    lo = max(norm.rfind(" ", floor, start), norm.rfind("\n", floor, start), floor - 1) + 1
    ceil = min(len(norm), end + _CHUNK_LIMIT)
    hi = min(x for x in (norm.find(" ", end, ceil), norm.find("\n", end, ceil), ceil) if x >= 0)
    return norm[lo:hi].lower()


def _digit_starts(norm: str) -> list[int]:
    """Offsets of the first digit of every digit run, found with ``str.find`` (much faster than a
    regex scan over non-ASCII text). Normalization folds every digit script to ASCII."""
    found: list[int] = []
    for ch in "0123456789":
        j = norm.find(ch)
        while j >= 0:
            if j == 0 or not ("0" <= norm[j - 1] <= "9"):
                found.append(j)
            j = norm.find(ch, j + 1)
    found.sort()
    return found


def _not_a_quantity(norm: str, s: int, e: int, before: str, after: str, t: _Tables) -> bool:
    """True for digits glued to something that makes them a code, a date, a clock time or a URL part.

    Only called when the digits are not between spaces: most numbers never get here.
    """
    if before.isalnum() or before == "_":
        j = s
        while j > 0 and norm[j - 1].isalpha():
            j -= 1
        if norm[j:s] not in t.digit_prefixes or (j > 0 and norm[j - 1].isalnum()):
            return True  # "A320", "NGaUzgA7Tk" (but Arabic "و30" is fine)
    chunk = _chunk(norm, s, e)
    if _MARKER_RE.search(chunk):
        return True  # URL, handle, hashtag, 7/4/2018, 10:30
    # "2018-04-07", a score or a range, or the tail of "2018-04-07" or "1.2.3": not counts.
    glued_after = after == "-" and e + 1 < len(norm) and norm[e + 1].isdigit()
    return glued_after or (before in "-.," and s >= 2 and norm[s - 2].isdigit())


# A digit quantity keyed by its first word: (end word, norm start, norm end, value, hint, plain, high).
_Digits = dict[int, tuple[int, int, int, int | float, str | None, bool, int | None]]


def _glued_range(norm: str, m: re.Match[str], s: int, e: int, value: int | float, t: _Tables) -> tuple[int, int] | None:
    """(end offset, upper value) of a range glued with a dash ("30-40"), or None.

    Dates ("2018-04-07"), chains ("1-2-3"), scores that go down ("3-2") and zero-padded parts are
    not ranges. A span of calendar years ("1990-1995") is returned with upper value 0, so that the
    caller skips it as a whole.
    """
    n_norm = len(norm)
    if e + 1 >= n_norm or not norm[e + 1].isdigit() or not isinstance(value, int):
        return None
    if s >= 2 and norm[s - 1] in t.range_symbols and norm[s - 2].isdigit():
        return None  # the middle of "1-2-3"
    m2 = t.digit_re.match(norm, e + 1)
    if m2 is None or m2.end() - m2.start() > _MAX_DIGITS or (len(m2.group(1)) > 1 and m2.group(1)[0] == "0"):
        return None
    e2, v2 = _parse_digits(m2, t)
    after2 = norm[e2] if e2 < n_norm else " "
    if after2.isalnum() or after2 == "_" or (after2 in "-/.:" and e2 + 1 < n_norm and norm[e2 + 1].isdigit()):
        return None
    if not isinstance(v2, int) or v2 <= value:
        return None
    if e - s == 4 and e2 - m2.start() == 4 and t.year_lo <= value <= t.year_hi:
        return e2, 0
    return e2, v2


def _digit_numbers(doc: Doc, items: Items, t: _Tables) -> _Digits:
    """Digit quantities keyed by their first word: (end word, norm start, norm end, value, hint, plain, high).

    ``plain`` is True for a bare run of four digits, the only way a calendar year is written;
    ``high`` is the upper figure of a range glued with a dash ("30-40"), else None.
    """
    norm = doc.norm
    n_norm = len(norm)
    out: _Digits = {}
    pos = 0
    match = t.digit_re.match
    starts = items.starts
    for first in _digit_starts(norm):
        if first < pos:
            continue
        m = match(norm, first)
        if m is None:
            continue
        s = m.start()
        if m.end() - s > _MAX_DIGITS:
            pos = m.end()  # a serial number or a hash, never a quantity (and int() would refuse it)
            continue
        e, value = _parse_digits(m, t)
        pos = e
        hint: str | None = None
        before = norm[s - 1] if s else " "
        after = norm[e] if e < n_norm else " "
        high: int | None = None
        if after in t.range_symbols:
            rng = _glued_range(norm, m, s, e, value, t)
            if rng is not None:
                pos = rng[0]
                if not rng[1]:
                    continue  # "1990-1995": a span of years, not a quantity
                e, high = rng
                after = norm[e] if e < n_norm else " "
        if after.isalnum() or after == "_":
            continue  # "3rd", "5km", "7Tk": part of a word
        if (len(m.group(1)) > 1 and m.group(1)[0] == "0") or before == "+":
            # A phone number or a zero-padded code: skip it with the digit groups that follow.
            pos = _skip_phone(norm, s)
            continue
        if not (before.isspace() and after.isspace()) and _not_a_quantity(norm, s, e, before, after, t):
            continue
        nxt = norm[e : e + 2].strip()[:1]
        if nxt and nxt in t.symbols_after:
            hint = t.symbols_after[nxt]
        prv = norm[max(0, s - 2) : s].strip()[-1:]
        if prv and prv in t.symbols_before:
            hint = t.symbols_before[prv]
        a = bisect_right(starts, s) - 1
        b = bisect_left(starts, e)
        if a < 0 or b <= a:
            continue
        plain = e - s == 4 and isinstance(value, int) and high is None
        out[a] = (b, s, e, value, hint, plain, high)
    return out


def _qualified(value: int | float, qualifier: str) -> tuple[str, int | float | None, int | float | None]:
    """(qualifier, low, high) for a value and the bound written with it."""
    if qualifier == "exact":
        return "exact", value, value
    if qualifier in ("more_than", "at_least", "vague"):
        return qualifier, value, None
    if qualifier == "up_to":
        return "up_to", None, value
    if qualifier == "nearly":
        return "about", None, value
    return "about", None, None


def _clean(value: int | float) -> int | float:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def find_numbers(doc: Doc) -> None:
    """Append a :class:`Number` to ``doc.numbers`` for every quantity in the text (see the module doc)."""
    t = _tables(doc.lang)
    items = word_items(doc)
    texts, starts, ends = items
    norm = doc.norm
    digits = _digit_numbers(doc, items, t)
    start_lex = t.start
    n = len(texts)
    last_hint: str | None = None
    last_end = -1  # the word after the previous number
    # Only words that can start a number are visited (one test per word, a native loop in the
    # compiled build), not every word.
    positions = sorted(digits.keys() | {i for i, w in enumerate(texts) if w in start_lex})
    next_free = 0
    low: int | float | None
    high: int | float | None
    for i in positions:
        if i < next_free:
            continue
        d = digits.get(i)
        if d is not None:
            b, s, e, value, hint, plain, high = d
            vague = False
        else:
            cls, _, plen, unit = start_lex[texts[i]]
            if starts[i] and norm[starts[i] - 1] in "#@":
                continue  # a hashtag or a handle
            if cls in (_TIME_ONE, _TIME_TWO):
                next_free = _time_word(doc, items, t, i, cls, plen, unit, last_end)
                continue
            if cls == _ARTICLE and (i + 1 >= n or texts[i + 1] not in t.cont):
                continue  # "a" before anything but "dozen", "hundred", "thousand"...
            if i > 0 and texts[i - 1] in t.not_after:
                continue  # "no one was killed": a negation, not a figure
            parsed = _parse_words(texts, norm, items, i, t)
            if parsed is None:
                continue
            b, value, vague = parsed
            s, e = starts[i] + plen, ends[b - 1]
            hint = None
            plain = False
            high = None
        # A scale word after digits: "1.5 million", "40 ألف", "3 آلاف".
        if d is not None and b < n and not gap_has_break(norm, items, b):
            sc = t.cont.get(texts[b])
            if sc is not None and sc[0] == _SCALE and not sc[2]:
                value = value * sc[1]
                e = ends[b]
                b += 1
        value = _clean(value)
        if high is None and not vague and b < n:
            rng = _word_range(texts, norm, items, i, b, value, t, digits)
            if rng is not None:
                b, e, high = rng
        qualifier = "vague" if vague else "exact"
        q_start = s
        bound = None
        if i > 0 and texts[i - 1] in t.bounds_before.enders:
            bound = t.bounds_before.match_ending(texts, i, lo=max(last_end, i - 4, 0))
        if bound is not None:
            bs, qualifier, bplen = bound
            q_start = starts[bs] + bplen
        elif b < n:
            qualifier = _bound_after(texts, b, t, digits) or qualifier
        if hint is None:
            glued = i > 0 and not _CLAUSE_BREAK.intersection(norm[ends[i - 1] : starts[i]])
            if not glued and i > 0 and norm[ends[i - 1] : starts[i]].strip() == "." and MONTH_ABBR_END_RE.search(
                    norm, max(0, ends[i - 1] - 5), ends[i - 1] + 1):
                glued = True  # the abbreviated month's point ("on Aug. 30 killed seven"): a day, not a count
            hint = _unit_hint(texts, i, b, value, d is not None, plain, t, last_hint, last_end, glued)
        if high is not None and qualifier == "exact":
            # A range ("30-40", "ثلاثة أو أربعة"): the lower figure is the value, as ACLED codes the
            # most conservative estimate; qualifier "about" with both bounds set.
            qualifier, low = "about", value
        else:
            qualifier, low, high = _qualified(value, qualifier)
        o_start, o_end = doc.orig_span(q_start, e)
        doc.numbers.append(Number(o_start, o_end, doc.text[o_start:o_end], value, low, high, qualifier, hint))
        last_hint, last_end = hint, b
        if hint is not None and b < n:
            # Skip the unit words so that "بالمئة" is not read as a hundred.
            u = t.units_after.match_at(texts, b)
            b += u[0] if u else 0
        next_free = max(b, i + 1)


def _word_range(texts: list[str], norm: str, items: Items, i: int, b: int, value: int | float, t: _Tables,
                digits: _Digits) -> tuple[int, int, int] | None:
    """(end word, norm end, upper value) of a range written with a word or a spaced dash after the
    number that ends at word ``b`` ("30 to 40", "ثلاثة أو أربعة", "30 - 40", "between 30 and 40",
    "ما بين 30 و40"), or None."""
    if not isinstance(value, int) or (i > 0 and texts[i - 1] in t.range_not_after):
        return None  # "from 20 to 30" is a change, not a range
    n = len(texts)
    between = i > 0 and texts[i - 1] in t.range_between
    if texts[b] in t.range_words or (between and texts[b] in t.joiners):
        if b + 1 >= n or gap_has_break(norm, items, b) or gap_has_break(norm, items, b + 1):
            return None
        j = b + 1
    elif between and any(texts[b].startswith(p) for p in t.joiner_prefixes) and not gap_has_break(norm, items, b):
        j = b  # "ما بين 30 و40"
    elif t.range_symbols and norm[items.ends[b - 1] : items.starts[b]].strip() in t.range_symbols:
        j = b
    else:
        return None
    d = digits.get(j)
    if d is not None:
        b2, _, e2, v2, hint2, _, high2 = d
        if hint2 is not None or high2 is not None:
            return None
    elif texts[j] in t.start and t.start[texts[j]][0] in _ADDITIVE | {_HUNDRED, _SCALE_VALUE}:
        parsed = _parse_words(texts, norm, items, j, t)
        if parsed is None or parsed[2]:
            return None
        b2, v2 = parsed[0], parsed[1]
        e2 = items.ends[b2 - 1]
    else:
        return None
    if not isinstance(v2, int) or v2 <= value:
        return None
    return b2, e2, v2


def _time_word(doc: Doc, items: Items, t: _Tables, i: int, cls: str, plen: int, unit: str, last_end: int) -> int:
    """A duration written with no numeral: a dual ("يومين" = 2 days) or "more than a week"."""
    texts, starts, ends = items
    s = starts[i] + plen
    value = 2 if cls == _TIME_TWO else 1
    q_start = s
    qualifier = "exact"
    lo = max(last_end, i - 5, 0)
    end_at = i
    if cls == _TIME_ONE and i > 0 and texts[i - 1] in t.articles:
        end_at = i - 1
    bound = t.bounds_before.match_ending(texts, end_at, lo=lo) if end_at > lo else None
    if bound is not None:
        bs, qualifier, bplen = bound
        q_start = starts[bs] + bplen
    elif cls == _TIME_ONE:
        return i + 1  # a bare "week"/"أسبوع" is a word, not a quantity
    qualifier, low, high = _qualified(value, qualifier)
    o_start, o_end = doc.orig_span(q_start, ends[i])
    doc.numbers.append(Number(o_start, o_end, doc.text[o_start:o_end], value, low, high, qualifier, unit))
    return i + 1


def _bound_after(texts: list[str], b: int, t: _Tables, digits: dict) -> str | None:
    """A qualifier written after the number or its noun ("5 أشخاص على الأقل", "12 people or more")."""
    n = len(texts)
    for p in (b, b + 1):
        if p >= n:
            break
        m = t.bounds_after.match_at(texts, p) if texts[p] in t.bounds_after.by_first else None
        if m is not None:
            nxt = p + m[0]
            # "... at least 3 more": the bound belongs to the next number.
            if nxt < n and (nxt in digits or texts[nxt] in t.start):
                return None
            return m[1]
        if p in digits or texts[p] in t.start:
            break
    return None


def _unit_hint(texts: list[str], i: int, b: int, value: int | float, is_digit: bool, plain: bool, t: _Tables,
               last_hint: str | None, last_end: int, glued: bool) -> str | None:
    """Why a number is not a count (a time unit, percent, money, date...), or None for a quantity.

    ``glued`` is False when punctuation separates the number from the word before it: a month
    before a comma ("In mid-September, 30 people...") does not make the number a day.
    """
    n = len(texts)
    if b < n:
        unit = t.time_words.get(texts[b])
        if unit is not None:
            return unit
        u = t.units_after.match_at(texts, b) if texts[b] in t.units_after.by_first else None
        if u is not None:
            return u[1]
    if i > 0 and texts[i - 1] in t.units_before.enders:
        u = t.units_before.match_ending(texts, i, lo=max(0, i - 3))
        if u is not None:
            if u[1] != "date_year":
                return u[1]
            if plain and t.year_lo <= value <= t.year_hi:
                return "date_year"
    if is_digit and isinstance(value, int):
        months = t.months
        month_before = (glued and texts[i - 1] in months.enders
                        and months.match_ending(texts, i, lo=max(0, i - 2)) is not None)
        month_after = b < n and texts[b] in months.by_first and months.match_at(texts, b) is not None
        if plain and t.year_lo <= value <= t.year_hi and (month_before or (last_hint == "date_day" and last_end == i)):
            return "date_year"
        if 1 <= value <= 31 and (month_before or month_after):
            return "date_day"
    return None


def is_countable(number: Number) -> bool:
    """True when ``number`` can be a count of people or things (no duration or other unit)."""
    return number.unit_hint is None
