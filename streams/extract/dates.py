"""Dates: weekday names, relative words and explicit dates, resolved against the publication date.

Never the wall clock: ``doc.published`` (a :class:`datetime.date` or None) is the only "now". A
weekday is the latest such day on or before publication (the publication day itself when the
weekdays agree), "yesterday" is the day before, "last week" the Monday of the previous ISO week
(precision ``week``), "last month" the first of the previous month (precision ``month``).
Explicit dates ("7 April 2018", "April 7", ``7 نيسان/أبريل 2018``, "7/4/2018", "2018-04-07") are
read as written; a date without a year takes the publication's year unless that puts it more
than a week after publication (then the year before). Hijri dates are recognised so that their
numbers are not misread, but not converted (value None). Durations ("خلال الأسابيع الماضية",
"in recent weeks") are periods, not the date of an event: they are kept with precision
``range`` and no value, so nothing dates an incident by them. Without a publication date,
anything relative resolves to None.

All words come from ``lang/<code>/dates.json``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from streams.extract import lang as langdata
from streams.extract.doc import DateMention, Doc
from streams.extract.events import Match, PhraseMatcher, Toks, doc_tokens, morphology, orig, word_set

# d/m/y, m/d/y or y-m-d with one separator repeated, tried only where a separator sits between
# digits; not followed by more of a longer run (an IP address, a version number). Linear.
_NUMERIC_RE = re.compile(r"([0-9]{1,4})([/.-])([0-9]{1,2})\2([0-9]{2,4})(?![\w/-])(?!\.[0-9])")
# A date more than this far after publication is read as last year's ("December 30" in January).
_FUTURE_SLACK = timedelta(days=7)
_MIN_YEAR, _MAX_YEAR = 1900, 2100
# Duration units (the numbers component's unit_hint) that "ago" turns into dates.
_AGO_UNITS = frozenset({"day", "week", "month", "year"})


@dataclass(frozen=True, slots=True)
class _Word:
    # weekday | rel | duration | month | hijri | ordinal | ago_unit | cue | past | future |
    # past_before | future_before | year_cue | ago_before | ago_after
    kind: str
    value: int = 0
    unit: str = ""
    flag: bool = False  # weekday: ambiguous; month: needs a number next to it


@dataclass(slots=True)
class _DateTables:
    matcher: PhraseMatcher
    ordinal_suffixes: tuple[str, ...]
    numeric_order: str
    months_case_sensitive: bool
    day_links: frozenset[str]  # "26 من يوليو", "the 3rd of March"
    ago_blockers: frozenset[str]  # "قبل خمسة أيام من ...": before something else
    duration_units: frozenset[str]  # the unit words after a number ("أيام", "weeks")
    conjunctions: tuple[str, ...]  # clitics that may sit on a day number ("و7")


@cache
def _tables(lang: str) -> _DateTables:
    data = langdata.load(lang, "dates")
    m = PhraseMatcher(lang, morphology(lang))
    ambiguous = set(data.get("ambiguous_weekdays", []))
    for word, idx in data.get("weekdays", {}).items():
        m.add(word, _Word("weekday", int(idx), flag=word in ambiguous))
    need_number = set(data.get("months_need_number", []))
    for word, num in data.get("months", {}).items():
        m.add(word, _Word("month", int(num), flag=word in need_number))
    for word in data.get("hijri_months", []):
        m.add(word, _Word("hijri"))
    for group in data.get("relative", []):
        for phrase in group["phrases"]:
            m.add(phrase, _Word("rel", int(group["offset"]), unit=group["unit"]))
    for phrase in data.get("durations", []):
        m.add(phrase, _Word("duration"))
    for word, n in data.get("ordinal_days", {}).items():
        m.add(word, _Word("ordinal", int(n)))
    for word, unit in data.get("ago_units", {}).items():
        m.add(word, _Word("ago_unit", unit=unit))
    for key, kind in (
        ("weekday_cues", "cue"),
        ("weekday_past", "past"),
        ("weekday_future", "future"),
        ("weekday_past_before", "past_before"),
        ("weekday_future_before", "future_before"),
        ("year_cues", "year_cue"),
        ("ago_before", "ago_before"),
        ("ago_after", "ago_after"),
    ):
        for phrase in data.get(key, []):
            m.add(phrase, _Word(kind))
    return _DateTables(
        matcher=m,
        ordinal_suffixes=tuple(data.get("ordinal_suffixes", [])),
        numeric_order=data.get("numeric_order", "dmy"),
        months_case_sensitive=bool(data.get("months_case_sensitive", False)),
        day_links=word_set(lang, data.get("day_links", [])),
        ago_blockers=word_set(lang, data.get("ago_blockers", [])),
        duration_units=word_set(lang, data.get("duration_units", [])),
        conjunctions=morphology(lang).conjunctions,
    )


def _shift_month(d: date, months: int) -> date:
    total = d.year * 12 + d.month - 1 + months
    return date(total // 12, total % 12 + 1, 1)


def _relative(published: date | None, unit: str, offset: int) -> date | None:
    if published is None:
        return None
    if unit == "day":
        return published + timedelta(days=offset)
    if unit == "week":
        return published - timedelta(days=published.weekday()) + timedelta(weeks=offset)
    if unit == "month":
        return _shift_month(published, offset)
    return date(published.year + offset, 1, 1)


def _weekday(published: date | None, weekday: int, direction: str) -> date | None:
    """The weekday's date: on or before publication, strictly before ("past"), or after ("future")."""
    if published is None:
        return None
    if direction == "future":
        return published + timedelta(days=(weekday - published.weekday()) % 7 or 7)
    back = (published.weekday() - weekday) % 7
    if direction == "past" and back <= 1:
        # "الأحد الماضي", "last Sunday" in a Monday paper is the Sunday of the week before:
        # yesterday would be "أمس" / "yesterday" (dev-set README, date convention).
        back += 7
    return published - timedelta(days=back)


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _without_year(published: date | None, month: int, day: int | None) -> date | None:
    """A day/month (or a month) without a year: the publication's year, or the year before."""
    if published is None:
        return None
    year = published.year
    value = _safe_date(year, month, day or 1)
    if value is None:
        return None
    if value > published + _FUTURE_SLACK:
        value = _safe_date(year - 1, month, day or 1)
    return value


class _Reader:
    """Turns the matched words of one document into date mentions."""

    def __init__(self, doc: Doc, toks: Toks, tables: _DateTables) -> None:
        self.doc, self.toks, self.tables = doc, toks, tables
        self.matches = tables.matcher.find(toks)
        self.at = {m.i: m for m in self.matches}
        self.ends = {m.j: m for m in self.matches}

    # -- token helpers ------------------------------------------------------------------------

    def number(self, i: int) -> int | None:
        """The integer written at token ``i`` (ordinal suffixes allowed), or None."""
        if not 0 <= i < len(self.toks):
            return None
        key = self.toks.key[i]
        if not (key[:1].isdigit() or key[1:2].isdigit()):
            return None  # every reading below starts with a digit, at most one clitic in
        if key[:1] in self.tables.conjunctions and key[1:].isdigit():
            key = key[1:]  # "و7 نيسان"
        if not key.isdigit():
            for suffix in self.tables.ordinal_suffixes:
                if key.endswith(suffix) and key[: -len(suffix)].isdigit():
                    key = key[: -len(suffix)]
                    break
            else:
                return None
        return int(key) if len(key) <= 4 else None

    def gap(self, i: int) -> str:
        """The characters between token ``i`` and token ``i + 1``."""
        return self.toks.norm[self.toks.end[i] : self.toks.start[i + 1]]

    def kind_before(self, i: int) -> _Word | None:
        m = self.ends.get(i)
        return m.payload if m is not None else None

    def kind_after(self, j: int) -> _Word | None:
        m = self.at.get(j)
        return m.payload if m is not None else None

    def emit(self, i: int, j: int, value: date | None, precision: str, basis: str) -> None:
        m = self.at.get(i)
        start, end, text = orig(self.doc, self.toks, i, j, m.strip if m is not None else 0)
        self.doc.dates.append(DateMention(start, end, text, value, precision, basis))

    # -- readers ------------------------------------------------------------------------------

    def run(self) -> None:
        consumed = -1
        for m in self.matches:
            if m.i < consumed:
                continue
            word: _Word = m.payload
            if word.kind in ("weekday", "rel") and self.superseded(m):
                consumed = m.j
                continue
            if word.kind == "weekday":
                consumed = self.weekday(m, word)
            elif word.kind == "rel":
                consumed = self.relative(m, word)
            elif word.kind == "duration":
                self.emit(m.i, m.j, None, "range", "a period (duration), not an event date")
                consumed = m.j
            elif word.kind == "month":
                consumed = self.month(m, word)
            elif word.kind == "hijri":
                consumed = self.hijri(m)
            elif word.kind == "year_cue":
                consumed = self.year(m)
            elif word.kind == "ago_unit":
                consumed = self.ago_word(m, word)
        self.ago_numbers()
        self.numeric()

    def superseded(self, m: Match) -> bool:
        """ "اليوم (الخميس)", "أمس (الاثنين)": quoted speech says "today", the paper adds in
        parentheses which day that was; the parenthesised word is the date."""
        nxt = self.at.get(m.j)
        return (
            nxt is not None
            and nxt.payload.kind in ("weekday", "rel")
            and "(" in self.gap(m.j - 1)
            and self.toks.sents[m.j] == self.toks.sents[m.i]
        )

    def relative(self, m: Match, word: _Word) -> int:
        # "الثالث من الشهر الحالي", "3 من الشهر الجاري": a day of a relative month.
        if word.unit == "month":
            day, start = self.day_before(m.i)
            if day is not None:
                month = _relative(self.doc.published, "month", word.value)
                value = _safe_date(month.year, month.month, day) if month else None
                self.emit(start, m.j, value, "day", "day of a month relative to publication")
                return m.j
        value = _relative(self.doc.published, word.unit, word.value)
        text = orig(self.doc, self.toks, m.i, m.j, m.strip)[2]
        self.emit(m.i, m.j, value, word.unit, f"'{text}' relative to publication")
        return m.j

    def day_before(self, i: int) -> tuple[int | None, int]:
        """A day of the month written before token ``i``: "7 نيسان", "26 من يوليو", "الثالث من"."""
        d = self.number(i - 1)
        if d is not None and 1 <= d <= 31:
            return d, i - 1
        if i >= 2 and self.toks.key[i - 1] in self.tables.day_links:
            d = self.number(i - 2)
            if d is not None and 1 <= d <= 31:
                return d, i - 2
            ordinal = self.ends.get(i - 1)
            if ordinal is not None and ordinal.payload.kind == "ordinal":
                return ordinal.payload.value, ordinal.i
        ordinal = self.ends.get(i)
        if ordinal is not None and ordinal.payload.kind == "ordinal":
            return ordinal.payload.value, ordinal.i
        return None, i

    def ago_word(self, m: Match, word: _Word) -> int:
        """ "قبل أسبوع", "a week ago": one unit before publication (numbers handle "five days")."""
        before = self.kind_before(m.i)
        after = self.kind_after(m.j)
        if before is not None and before.kind == "ago_before" and not self.blocked_after(m.j):
            self.emit(self.ends[m.i].i, m.j, *self.ago_value(word.unit, 1))
        elif after is not None and after.kind == "ago_after":
            self.emit(m.i, self.at[m.j].j, *self.ago_value(word.unit, 1))
        return m.j

    def blocked_after(self, j: int) -> bool:
        """ "قبل خمسة أيام من الانتخابات": before another event, not before publication."""
        return j < len(self.toks) and self.toks.key[j] in self.tables.ago_blockers

    def ago_value(self, unit: str, amount: int) -> tuple[date | None, str, str]:
        pub = self.doc.published
        basis = f"{amount} {unit}(s) before publication"
        if pub is None:
            return None, unit, basis
        if unit == "day":
            return pub - timedelta(days=amount), "day", basis
        if unit == "week":
            return _relative(pub, "week", -amount), "week", basis
        if unit == "month":
            return _shift_month(pub, -amount), "month", basis
        return date(pub.year - amount, 1, 1), "year", basis

    def ago_numbers(self) -> None:
        """ "قبل خمسة أيام", "قبل يومين", "three weeks ago": durations (from the numbers component)
        anchored by an "ago" word are dates before publication."""
        if not self.doc.numbers:
            return
        toks, norm_of = self.toks, self.doc.norm_to_orig
        for num in self.doc.numbers:
            if num.unit_hint not in _AGO_UNITS or not isinstance(num.value, int) or num.value > 400:
                continue
            ns = bisect_left(norm_of, num.start) if norm_of else num.start
            ne = bisect_left(norm_of, num.end) if norm_of else num.end
            i = bisect_right(toks.start, ns) - 1
            last = bisect_right(toks.start, max(ns, ne - 1)) - 1
            if i < 0:
                continue
            # The unit word follows the number ("خمسة أيام"), unless the number is the unit (يومين).
            follows = last + 1 < len(toks) and toks.key[last + 1] in self.tables.duration_units
            unit_end = last + 2 if follows else last + 1
            before = self.kind_before(i)
            after = self.kind_after(unit_end)
            if before is not None and before.kind == "ago_before" and not self.blocked_after(unit_end):
                self.emit(self.ends[i].i, unit_end, *self.ago_value(num.unit_hint, num.value))
            elif after is not None and after.kind == "ago_after":
                self.emit(i, self.at[unit_end].j, *self.ago_value(num.unit_hint, num.value))

    def weekday(self, m: Match, word: _Word) -> int:
        i, j = m.i, m.j
        before = self.kind_before(i)
        after = self.kind_after(j)
        cue_before = before is not None and before.kind in ("cue", "rel")
        if word.flag:
            # الاثنين is also "the two" and الأحد "the one": demand a sign that a day is meant.
            between_commas = (
                i > 0 and j < len(self.toks) and "،" in self.gap(i - 1) and "،" in self.gap(j - 1)
            )
            date_after = self.number(j) is not None or (
                after is not None and after.kind in ("month", "past", "future")
            )
            if not (cue_before or between_commas or date_after):
                return j
        direction = "on_or_before"
        if after is not None and after.kind in ("past", "future"):
            direction = after.kind
            j = self.at[j].j
        if before is not None and before.kind in ("past_before", "future_before"):
            direction = before.kind.removesuffix("_before")
            i = self.ends[i].i
        elif before is not None and before.kind == "cue":
            i = self.ends[i].i
        text = orig(self.doc, self.toks, m.i, m.j, m.strip)[2]
        value = _weekday(self.doc.published, word.value, direction)
        where = {"on_or_before": "on or before", "past": "before", "future": "after"}[direction]
        basis = (
            f"weekday '{text}' {where} publication" if value else f"weekday '{text}' (no publication date)"
        )
        # An explicit date right after the weekday ("Friday, April 6") is read by the month reader.
        self.emit(i, j, value, "day", basis)
        return j

    def month(self, m: Match, word: _Word) -> int:
        i, j = m.i, m.j
        if self.tables.months_case_sensitive and not self.toks.raw[i][:1].isupper():
            return j
        # "نيسان/أبريل": the same month in two calendars' names.
        nxt = self.at.get(j)
        if nxt is not None and nxt.payload.kind == "month" and nxt.payload.value == word.value:
            # The span stays on the first name when the second is in parentheses: "يوليو (تموز)".
            j = nxt.j if "(" not in self.gap(j - 1) else j
            after_names = nxt.j
        else:
            after_names = j
        year = None
        day, start = self.day_before(i)
        end = after_names
        if day is None:
            d = self.number(end)
            if d is not None and 1 <= d <= 31:
                day, end = d, end + 1
        y = self.number(end)
        if y is not None and _MIN_YEAR <= y <= _MAX_YEAR:
            year, end = y, end + 1
        consumed = end
        if end == after_names:
            end = j  # nothing read after the names: the span ends on the last name kept
        if word.flag and day is None and year is None:
            return j  # "may", "march", آب: a verb or a noun unless a number says otherwise
        if day is not None and year is not None:
            value, precision, basis = _safe_date(year, word.value, day), "day", "explicit date"
        elif day is not None:
            value, precision = _without_year(self.doc.published, word.value, day), "day"
            basis = "explicit day and month, year of publication"
        elif year is not None:
            value, precision, basis = _safe_date(year, word.value, 1), "month", "explicit month and year"
        else:
            value, precision = _without_year(self.doc.published, word.value, None), "month"
            basis = "month name, year of publication"
        if value is None and precision == "day" and year is not None:
            return consumed  # "31 April 2018": not a date
        self.emit(start, end, value, precision, basis)
        return max(consumed, after_names)

    def hijri(self, m: Match) -> int:
        start, end = m.i, m.j
        if self.number(m.i - 1) is not None:
            start = m.i - 1
        if self.number(end) is not None:
            end += 1
        if (start, end) == (m.i, m.j):
            return m.j  # رمضان, صفر alone: a name or a word, not a date
        self.emit(start, end, None, "unknown", "Hijri date (not converted)")
        return end

    def year(self, m: Match) -> int:
        y = self.number(m.j)
        nxt = self.at.get(m.j)
        if y is None or not _MIN_YEAR <= y <= _MAX_YEAR or len(self.toks.key[m.j]) != 4 or nxt is not None:
            return m.i + 1
        self.emit(m.i, m.j + 1, date(y, 1, 1), "year", "explicit year")
        return m.j + 1

    def numeric(self) -> None:
        """Numeric dates: "7/4/2018", "7.4.18", "2018-04-07", "07-04-2018".

        Only the few places where a separator sits between two digits are tried with the
        (anchored) date pattern: scanning a whole Arabic article with a regex costs more.
        """
        norm = self.toks.norm
        n = len(norm)
        tried: set[int] = set()
        for sep in "/.-":
            pos = norm.find(sep)
            while pos != -1:
                if 0 < pos < n - 1 and norm[pos - 1].isdigit() and norm[pos + 1].isdigit():
                    start = pos - 1
                    while start > 0 and norm[start - 1].isdigit() and pos - start < 4:
                        start -= 1
                    if start not in tried:
                        tried.add(start)
                        self._numeric_at(start)
                pos = norm.find(sep, pos + 1)

    def _numeric_at(self, start: int) -> None:
        norm = self.toks.norm
        if start > 0 and (norm[start - 1].isalnum() or norm[start - 1] in "./-_"):
            return  # inside a longer token (a version, an IP address, a URL)
        mo = _NUMERIC_RE.match(norm, start)
        if mo is None:
            return
        a, sep, b, c = mo.group(1), mo.group(2), mo.group(3), mo.group(4)
        if len(a) == 4:
            if len(c) <= 2:
                self._emit_numeric(mo.start(), mo.end(), _safe_date(int(a), int(b), int(c)))
            return
        if len(a) > 2 or (sep == "-" and len(c) != 4):
            return
        year = int(c) + (2000 if len(c) == 2 else 0)
        self._emit_ambiguous(mo.start(), mo.end(), int(a), int(b), year)

    def emit_chars(self, ns: int, ne: int, value: date | None, precision: str, basis: str) -> None:
        start, end = self.doc.orig_span(ns, ne)
        self.doc.dates.append(DateMention(start, end, self.doc.text[start:end], value, precision, basis))

    def _emit_numeric(self, ns: int, ne: int, value: date | None) -> None:
        if value is not None and _MIN_YEAR <= value.year <= _MAX_YEAR:
            self.emit_chars(ns, ne, value, "day", "explicit date")

    def _emit_ambiguous(self, ns: int, ne: int, a: int, b: int, year: int) -> None:
        """a/b/year: day-first or month-first, whichever fits (closest on or before publication)."""
        if not _MIN_YEAR <= year <= _MAX_YEAR:
            return
        dmy, mdy = _safe_date(year, b, a), _safe_date(year, a, b)
        options = [v for v in (dmy, mdy) if v is not None]
        if not options:
            return
        if len(options) == 2 and dmy != mdy:
            pub = self.doc.published
            preferred = dmy if self.tables.numeric_order == "dmy" else mdy
            if pub is not None:
                fitting = [v for v in options if v <= pub + _FUTURE_SLACK]
                value = max(fitting) if fitting else preferred
            else:
                value = preferred
        else:
            value = options[0]
        self.emit_chars(ns, ne, value, "day", "explicit date")


def find_dates(doc: Doc) -> None:
    """Append a :class:`DateMention` for every date expression in ``doc`` (see the module doc)."""
    toks = doc_tokens(doc)
    if not len(toks):
        return
    _Reader(doc, toks, _tables(doc.lang)).run()
