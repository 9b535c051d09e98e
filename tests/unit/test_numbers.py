"""Numbers: digits, number words, vague quantities, bounds and non-count markers, per language."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from streams.extract.counts import find_counts
from streams.extract.numbers import find_numbers, is_countable
from streams.extract.pipeline import prepare


def _numbers(text: str, lang: str) -> list:
    doc = prepare(text, lang, date(2018, 4, 7))
    find_numbers(doc)
    for n in doc.numbers:
        # Evidence offsets index the original text.
        assert doc.text[n.start : n.end] == n.text
    return doc.numbers


def _summary(text: str, lang: str) -> list[tuple]:
    return [(n.text, n.value, n.qualifier, n.unit_hint) for n in _numbers(text, lang)]


# (sentence, every number found: (text as written, value, qualifier, unit_hint))
AR_CASES = [
    ("قتل 40 شخصا", [("40", 40, "exact", None)]),
    ("قتل ٤٠ شخصا", [("٤٠", 40, "exact", None)]),
    ("قتل 1,600 مدني", [("1,600", 1600, "exact", None)]),
    ("قتل 1٬600 مدني", [("1٬600", 1600, "exact", None)]),
    ("قتل 1 600 مدني", [("1 600", 1600, "exact", None)]),
    ("نزح 1.600.000 شخص", [("1.600.000", 1600000, "exact", None)]),
    ("بلغت النسبة 2٫5 بالمئة", [("2٫5", 2.5, "exact", "percent")]),
    ("مقتل أربعين مدنياً", [("أربعين", 40, "exact", None)]),
    ("قتل أربعون مدنيا", [("أربعون", 40, "exact", None)]),
    ("ثلاث طائرات وثلاثة أطفال", [("ثلاث", 3, "exact", None), ("ثلاثة", 3, "exact", None)]),
    ("سقط خمسة وعشرون قتيلا", [("خمسة وعشرون", 25, "exact", None)]),
    ("قتل ألف وستمائة مدني", [("ألف وستمائة", 1600, "exact", None)]),
    ("قتل خمسة عشر شخصا واثنا عشر جنديا", [("خمسة عشر", 15, "exact", None), ("اثنا عشر", 12, "exact", None)]),
    ("إحدى عشرة امرأة", [("إحدى عشرة", 11, "exact", None)]),
    ("ثلاثمائة وخمسة وعشرون نازحا", [("ثلاثمائة وخمسة وعشرون", 325, "exact", None)]),
    ("ثلاث مئة شخص", [("ثلاث مئة", 300, "exact", None)]),
    ("ثلاثة آلاف نازح", [("ثلاثة آلاف", 3000, "exact", None)]),
    ("مقتل عشرات المدنيين", [("عشرات", 10, "vague", None)]),
    ("إصابة المئات", [("مئات", 100, "vague", None)]),  # the article is a clitic: not in the span
    ("نزوح آلاف العائلات", [("آلاف", 1000, "vague", None)]),
    ("قتل عشرات الآلاف", [("عشرات الآلاف", 10000, "vague", None)]),
    ("بعد أكثر من 50 غارة", [("أكثر من 50", 50, "more_than", None)]),
    ("هدوء استمر لأكثر من أسبوع", [("أكثر من أسبوع", 1, "more_than", "week")]),
    ("قتل ما لا يقل عن 12 شخصا", [("ما لا يقل عن 12", 12, "at_least", None)]),
    ("قتل 12 شخصا على الأقل", [("12", 12, "at_least", None)]),
    ("قتل نحو 30 شخصا", [("نحو 30", 30, "about", None)]),
    ("قتل حوالى 30 شخصا", [("حوالى 30", 30, "about", None)]),
    ("قتل زهاء 30 شخصا", [("زهاء 30", 30, "about", None)]),
    ("قتل ما يصل إلى 20 شخصا", [("ما يصل إلى 20", 20, "up_to", None)]),
    ("بعد خمس سنوات من حصار", [("خمس", 5, "exact", "year")]),
    ("خلال ثلاثة أيام", [("ثلاثة", 3, "exact", "day")]),
    ("منذ يومين", [("يومين", 2, "exact", "day")]),
    ("في عام 2018", [("2018", 2018, "exact", "date_year")]),
    ("في 7 نيسان/أبريل 2018", [("7", 7, "exact", "date_day"), ("2018", 2018, "exact", "date_year")]),
    ("عند الساعة 3 صباحا", [("3", 3, "exact", "time_of_day")]),
    ("على بعد 5 كم", [("5", 5, "exact", "distance")]),
    ("نزح 1.5 مليون شخص", [("1.5 مليون", 1500000, "exact", None)]),
    ("نحو 40 ألف لاجئ", [("نحو 40 ألف", 40000, "about", None)]),
    ("بكلفة 100 دولار", [("100", 100, "exact", "money")]),
    ("ارتفعت بنسبة 50 بالمئة", [("50", 50, "exact", "percent")]),
    ("سقط 12 قتيلا و30 جريحا", [("12", 12, "exact", None), ("30", 30, "exact", None)]),
    # Ranges: one figure, the lower one as the value (see BOUNDS for low/high).
    ("قتل 30-40 شخصا", [("30-40", 30, "about", None)]),
    ("قتل ثلاثة أو أربعة أشخاص", [("ثلاثة أو أربعة", 3, "about", None)]),
    ("ارتفع العدد من 20 إلى 30 قتيلا", [("20", 20, "exact", None), ("30", 30, "exact", None)]),
    # الاثنين with the article is Monday; bare اثنين is two.
    ("وقتل كل من فيها الاثنين الماضي", []),
    ("قتل اثنين من الجنود", [("اثنين", 2, "exact", None)]),
    # Ordinals, weekdays, "one of", tweets and hashtags are not quantities.
    ("اللحظات الأولى والجولة الثالثة", []),
    ("يوم الأحد في أحد الأماكن", []),
    ("pic.twitter.com/NGaUzgA7Tk", []),
    ("#دوما2018 @user_12", []),
]


@pytest.mark.parametrize(("text", "expected"), AR_CASES, ids=[c[0][:40] for c in AR_CASES])
def test_numbers_ar(text: str, expected: list[tuple]) -> None:
    assert _summary(text, "ar") == expected


EN_CASES = [
    ("12 people were killed", [("12", 12, "exact", None)]),
    ("1,600 civilians", [("1,600", 1600, "exact", None)]),
    ("1 600 civilians", [("1 600", 1600, "exact", None)]),
    ("1.5 million people", [("1.5 million", 1500000, "exact", None)]),
    ("200 thousand refugees", [("200 thousand", 200000, "exact", None)]),
    ("forty-two soldiers", [("forty-two", 42, "exact", None)]),
    ("twenty two soldiers", [("twenty two", 22, "exact", None)]),
    ("a dozen soldiers", [("a dozen", 12, "exact", None)]),
    ("two dozen soldiers", [("two dozen", 24, "exact", None)]),
    ("two hundred and fifty protesters", [("two hundred and fifty", 250, "exact", None)]),
    ("one thousand two hundred people", [("one thousand two hundred", 1200, "exact", None)]),
    ("a hundred people", [("a hundred", 100, "exact", None)]),
    ("dozens of civilians", [("dozens", 12, "vague", None)]),
    ("tens of people", [("tens", 10, "vague", None)]),
    ("hundreds wounded and thousands displaced", [("hundreds", 100, "vague", None), ("thousands", 1000, "vague", None)]),
    ("tens of thousands fled", [("tens of thousands", 10000, "vague", None)]),
    ("more than 50 air strikes", [("more than 50", 50, "more_than", None)]),
    ("over 50 raids", [("over 50", 50, "more_than", None)]),
    ("at least 12 people", [("at least 12", 12, "at_least", None)]),
    ("12 people or more", [("12", 12, "at_least", None)]),
    ("about 30 people and around 40 others", [("about 30", 30, "about", None), ("around 40", 40, "about", None)]),
    ("nearly 40 people", [("nearly 40", 40, "about", None)]),
    ("up to 20 people", [("up to 20", 20, "up_to", None)]),
    ("as many as 20 people", [("as many as 20", 20, "up_to", None)]),
    ("more than a dozen soldiers", [("more than a dozen", 12, "more_than", None)]),
    ("after five years of siege", [("five", 5, "exact", "year")]),
    ("calm for more than a week", [("more than a week", 1, "more_than", "week")]),
    ("fighting lasted three days", [("three", 3, "exact", "day")]),
    ("a 12-year-old boy", [("12", 12, "exact", "year")]),
    ("the five-year siege", [("five", 5, "exact", "year")]),
    ("the 5 km road", [("5", 5, "exact", "distance")]),
    ("in 2019", [("2019", 2019, "exact", "date_year")]),
    ("at 3 p.m.", [("3", 3, "exact", "time_of_day")]),
    ("at 10:30 local time", []),
    ("40% of homes", [("40", 40, "exact", "percent")]),
    ("a $5 million grant", [("5 million", 5000000, "exact", "money")]),
    ("April 7, 2018", [("7", 7, "exact", "date_day"), ("2018", 2018, "exact", "date_year")]),
    ("In mid-September, 30 people were killed", [("30", 30, "exact", None)]),  # a comma ends the date
    ("30-40 people", [("30-40", 30, "about", None)]),
    ("30 - 40 people", [("30 - 40", 30, "about", None)]),
    ("two or three people and 5 to 10 others", [("two or three", 2, "about", None), ("5 to 10", 5, "about", None)]),
    ("it rose from 20 to 30 people", [("20", 20, "exact", None), ("30", 30, "exact", None)]),
    ("2-3 days", [("2-3", 2, "about", "day")]),
    ("a 3-2 win, the 1990-1995 war and 2018-04-07", []),  # a score, years, a date
    ("the first and the 3rd attack", []),
    ("call +1 202 555 0100 now", []),
    ("see https://t.co/abc123 and pic.twitter.com/NGaUzgA7Tk", []),
    ("the A320 jet", []),
    # An AP-style abbreviated month keeps its day (the point is no sentence end); a full month
    # name before a full stop does not.
    ("Shelling on Aug. 30 killed seven people.", [("30", 30, "exact", "date_day"), ("seven", 7, "exact", None)]),
    ("Fighting ended in May. 30 people were killed.", [("30", 30, "exact", None)]),
    ("serial " + "9" * 5000, []),  # a digit run no quantity has (int() would even refuse it)
]


@pytest.mark.parametrize(("text", "expected"), EN_CASES, ids=[c[0][:40] for c in EN_CASES])
def test_numbers_en(text: str, expected: list[tuple]) -> None:
    assert _summary(text, "en") == expected


# (language, text, low, high): how each qualifier sets the bounds.
BOUNDS = [
    ("en", "40 people", 40, 40),
    ("en", "more than 50 raids", 50, None),
    ("en", "at least 12 people", 12, None),
    ("en", "about 30 people", None, None),
    ("en", "nearly 40 people", None, 40),
    ("en", "up to 20 people", None, 20),
    ("en", "dozens of people", 12, None),
    ("ar", "أكثر من 1600 مدني", 1600, None),
    ("ar", "على الأقل 5 أشخاص", 5, None),
    ("ar", "ما يقارب 30 شخصا", None, 30),
    ("ar", "حتى 20 شخصا", None, 20),
    ("ar", "عشرات المدنيين", 10, None),
    ("ar", "30-40 شخصا", 30, 40),
    ("en", "30 to 40 people", 30, 40),
]


@pytest.mark.parametrize(("lang", "text", "low", "high"), BOUNDS, ids=[c[1][:40] for c in BOUNDS])
def test_numbers_bounds(lang: str, text: str, low: int | None, high: int | None) -> None:
    (n,) = _numbers(text, lang)
    assert (n.low, n.high) == (low, high)


def test_numbers_lone_dot_group_reads_as_decimal() -> None:
    # "1.600" could be 1600 (European grouping) or 1.6: only two dot groups are unambiguous.
    (n,) = _numbers("1.600", "en")
    assert n.value == 1.6


def test_numbers_offsets_survive_diacritics() -> None:
    text = "مَقْتَلُ أَرْبَعِينَ مَدَنِيّاً"
    (n,) = _numbers(text, "ar")
    assert n.value == 40
    assert n.text == "أَرْبَعِينَ"


def test_numbers_durations_are_not_countable() -> None:
    nums = _numbers("بعد خمس سنوات وهدوء استمر لأكثر من أسبوع قتل 40 شخصا", "ar")
    assert [(n.value, is_countable(n)) for n in nums] == [(5, False), (1, False), (40, True)]


def test_numbers_language_without_data_still_reads_digits() -> None:
    # A language with no numbers.json (French here) gets digits with the default separators.
    assert [(n.value, n.qualifier) for n in _numbers("Au moins 12 morts et 1,600 blessés", "fr")] == [
        (12, "exact"),
        (1600, "exact"),
    ]


# Untrusted input: any text, in either language, gives well-formed annotations and no exception.
_PIECES = st.sampled_from([
    "1", "600", ",", ".", " ", "-", "/", "%", "+", "#", "٤٠", "٫", "و", "ال", "أربعين", "ألف", "وستمائة", "عشر",
    "أحد", "مدنيا", "بينهم", "منهم", "مقتل", "طائرتين", "أكثر من", "خلاله", "سنوات", "أسبوع", "a", "dozen", "dozens",
    "of", "two", "hundred", "and", "thousand", "million", "killed", "including", "a child", "people", "at least",
    "since the start", "\n", "،", "April", "2018", "0", "forty-two", "p.m.", "km", "ً", "ـ", "İ",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=3)), max_size=40).map(" ".join), st.sampled_from(["ar", "en"]))
def test_numbers_arbitrary_text_gives_well_formed_annotations(text: str, lang: str) -> None:
    doc = prepare(text, lang, None)
    find_numbers(doc)
    find_counts(doc)
    for n in doc.numbers:
        assert doc.text[n.start : n.end] == n.text
    for c in doc.counts:
        assert c.value > 0 and doc.text[c.start : c.end] == c.text
        assert all(doc.text[b.start : b.end] == b.text for b in c.breakdown)
