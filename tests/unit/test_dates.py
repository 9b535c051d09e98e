"""Dates resolved against the publication date (never the wall clock), per language."""

from __future__ import annotations

from datetime import date

import pytest

from streams.extract.dates import find_dates
from streams.extract.numbers import find_numbers
from streams.extract.pipeline import prepare
from tests.conftest import load_fixture

SATURDAY = date(2018, 4, 7)  # the Douma article's publication day


def _dates(lang: str, text: str, published: date | None = SATURDAY) -> list:
    doc = prepare(text, lang, published)
    find_numbers(doc)  # as in the pipeline: "five days ago" reads the numbers component's durations
    find_dates(doc)
    for d in doc.dates:
        assert doc.text[d.start : d.end] == d.text
    return doc.dates


def _one(lang: str, text: str, published: date | None = SATURDAY):
    found = _dates(lang, text, published)
    assert len(found) == 1, [(d.text, d.value, d.precision) for d in found]
    return found[0]


# (text, published, expected value, precision)
ARABIC = [
    ("تعرضت المدينة لغارات جديدة، السبت، حسب المرصد", SATURDAY, date(2018, 4, 7), "day"),
    ("استأنفت القوات، الجمعة، قصف المدينة", SATURDAY, date(2018, 4, 6), "day"),
    ("قتل ثلاثة أشخاص ويوم الخميس", SATURDAY, date(2018, 4, 5), "day"),
    ("وصل الوفد يوم الأحد", SATURDAY, date(2018, 4, 1), "day"),
    ("وقع الانفجار الجمعة الماضية", date(2018, 4, 6), date(2018, 3, 30), "day"),
    ("تعقد الجلسة الاثنين المقبل", SATURDAY, date(2018, 4, 9), "day"),
    ("قتل خمسة أشخاص أمس", SATURDAY, date(2018, 4, 6), "day"),
    ("قتل خمسة أشخاص البارحة", SATURDAY, date(2018, 4, 6), "day"),
    ("قتل خمسة أشخاص أمس الأول", SATURDAY, date(2018, 4, 5), "day"),
    ("قتل خمسة أشخاص اليوم", SATURDAY, date(2018, 4, 7), "day"),
    ("قتل خمسة أشخاص الأسبوع الماضي", SATURDAY, date(2018, 3, 26), "week"),
    ("قتل خمسة أشخاص الشهر الماضي", SATURDAY, date(2018, 3, 1), "month"),
    ("في 7 نيسان/أبريل 2018 قتل خمسة", SATURDAY, date(2018, 4, 7), "day"),
    ("في 3 آذار قتل خمسة", SATURDAY, date(2018, 3, 3), "day"),
    ("في 30 ديسمبر قتل خمسة", date(2018, 1, 2), date(2017, 12, 30), "day"),
    ("في 15 كانون الثاني 2017", SATURDAY, date(2017, 1, 15), "day"),
    ("في 7/4/2018 قتل خمسة", SATURDAY, date(2018, 4, 7), "day"),
    # The paper's parenthesis says which day the quoted "today"/"yesterday" was.
    ("انفجرت عبوة ناسفة اليوم (الخميس) في قرية", date(2008, 9, 19), date(2008, 9, 18), "day"),
    ("فقدنا امس (الاثنين) خمسة من جنودنا", date(2007, 11, 7), date(2007, 11, 5), "day"),
    ("ضربة جوية غرب بغداد الليلة قبل الماضية", date(2006, 12, 4), date(2006, 12, 2), "day"),
    ("خطف مسلحون قبل خمسة ايام عددا من الاشخاص", date(2006, 11, 16), date(2006, 11, 11), "day"),
    ("قتل جندي قبل يومين", SATURDAY, date(2018, 4, 5), "day"),
    ("قتل 42 جنديا في الثالث من الشهر الحالي", date(2006, 11, 14), date(2006, 11, 3), "day"),
    ("ضربت سيارة مفخخة في 26 من يوليو (تموز) منطقة الكرادة", date(2007, 9, 11), date(2007, 7, 26), "day"),
    # "الأحد الماضي" in a Monday paper is the Sunday of the week before: yesterday would be أمس.
    ("خرج المتظاهرون الى الشارع يوم الأحد الماضي", date(2018, 4, 9), date(2018, 4, 1), "day"),
    ("وقع الهجوم السبت الماضي", date(2018, 4, 9), date(2018, 4, 7), "day"),
]
ENGLISH = [
    ("Warplanes struck the town on Saturday", SATURDAY, date(2018, 4, 7), "day"),
    ("Warplanes struck the town on Friday", SATURDAY, date(2018, 4, 6), "day"),
    ("Friday's strikes killed ten", SATURDAY, date(2018, 4, 6), "day"),
    ("The attack happened last Saturday", SATURDAY, date(2018, 3, 31), "day"),
    # As in Arabic: "last Sunday" in a Monday paper is not yesterday.
    ("The protest took place last Sunday", date(2018, 4, 9), date(2018, 4, 1), "day"),
    ("The protest took place last Saturday", date(2018, 4, 9), date(2018, 4, 7), "day"),
    ("Talks resume next Monday", SATURDAY, date(2018, 4, 9), "day"),
    ("Five people were killed yesterday", SATURDAY, date(2018, 4, 6), "day"),
    ("Five people were killed today", SATURDAY, date(2018, 4, 7), "day"),
    ("Five people were killed last week", SATURDAY, date(2018, 3, 26), "week"),
    ("Five people were killed last month", SATURDAY, date(2018, 3, 1), "month"),
    ("Five people were killed on 7 April 2018", None, date(2018, 4, 7), "day"),
    ("Five people were killed on April 6, 2018", None, date(2018, 4, 6), "day"),
    ("Five people were killed on the 3rd of March", SATURDAY, date(2018, 3, 3), "day"),
    ("Five people were killed on December 30", date(2018, 1, 2), date(2017, 12, 30), "day"),
    ("Five people were killed in March 2017", SATURDAY, date(2017, 3, 1), "month"),
    ("Five people were killed on 2018-04-07", None, date(2018, 4, 7), "day"),
    ("Five people were killed on 13/4/2018", date(2018, 4, 14), date(2018, 4, 13), "day"),
    ("Five people were killed five days ago", SATURDAY, date(2018, 4, 2), "day"),
    ("Five people were killed two weeks ago", SATURDAY, date(2018, 3, 19), "week"),
]


@pytest.mark.parametrize(("text", "published", "value", "precision"), ARABIC)
def test_dates_arabic(text, published, value, precision):
    found = _one("ar", text, published)
    assert (found.value, found.precision) == (value, precision)


@pytest.mark.parametrize(("text", "published", "value", "precision"), ENGLISH)
def test_dates_english(text, published, value, precision):
    found = _one("en", text, published)
    assert (found.value, found.precision) == (value, precision)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("ar", "وصل الوفد يوم السبت"),
        ("ar", "استأنفت القوات، الجمعة، القصف"),
        ("en", "on Friday"),
        ("en", "yesterday"),
    ],
)
def test_dates_relative_words_without_publication_date_have_no_value(lang, text):
    found = _one(lang, text, None)
    assert found.value is None


@pytest.mark.parametrize("published", [date(1999, 12, 31), date(2031, 6, 4)])
def test_dates_resolve_against_publication_not_the_clock(published):
    found = _one("en", "It happened yesterday", published)
    assert found.value == date.fromordinal(published.toordinal() - 1)


def test_dates_weekday_on_publication_day_is_that_day():
    # 7 April 2018 was a Saturday: "السبت" in a Saturday article is the same day.
    assert SATURDAY.weekday() == 5
    found = _one("ar", "تعرضت دوما لغارات جوية جديدة، السبت", SATURDAY)
    assert found.value == SATURDAY
    assert "السبت" in found.basis


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("ar", "خلال الأسابيع الماضية سيطرت القوات على المنطقة"),
        # "for the fifth day running", "World Day": اليوم here is not today.
        ("ar", "تظاهر العمال لليوم الخامس على التوالي"),
        ("ar", "تظاهر المهاجرون بمناسبة اليوم العالمي للمهاجرين"),
        ("en", "In recent weeks the army took the area"),
    ],
)
def test_dates_durations_are_ranges_not_event_dates(lang, text):
    found = _one(lang, text)
    assert (found.value, found.precision) == (None, "range")


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("ar", "دار خلاف بين الاثنين حول الخطة"),  # "between the two", not Monday
        ("ar", "وصلت فرق الإنقاذ إلى أحد الأماكن"),  # "one of the places", not Sunday
        ("en", "Rebels may march on the capital"),  # a verb, not the month
        ("en", "Version 1.2.3.4 was released; call 555.123.4567"),
    ],
)
def test_dates_ordinary_words_are_not_dates(lang, text):
    assert _dates(lang, text) == []


def test_dates_before_another_event_is_not_before_publication():
    # "five days before the elections": counted from the elections, which the text does not date.
    assert _dates("ar", "قتل جندي قبل خمسة أيام من الانتخابات") == []


def test_dates_hijri_months_are_recognised_not_misread():
    found = _one("ar", "في 12 رمضان 1439 وقع الهجوم")
    assert found.value is None
    assert found.precision == "unknown"


def test_dates_ambiguous_numeric_date_prefers_the_reading_before_publication():
    # 4/7/2018: 4 July is after an April publication; 7 April is the reading that fits.
    found = _one("ar", "في 4/7/2018 قتل خمسة", date(2018, 4, 9))
    assert found.value == date(2018, 4, 7)


def test_dates_spans_leave_out_conjunction_clitics():
    found = _one("ar", "وصلوا والسبت المقبل موعد الجلسة")
    assert found.text == "السبت المقبل"
    assert found.value == date(2018, 4, 14)


def test_dates_douma_saturday_and_friday():
    article = load_fixture("douma-2018-04-07.ar.article.json")
    found = _dates("ar", article["text"], SATURDAY)
    by_word = {}
    for d in found:
        by_word.setdefault(d.text, set()).add(d.value)
    assert by_word["السبت"] == {date(2018, 4, 7)}
    assert by_word["الجمعة"] == {date(2018, 4, 6)}
    # "during the past weeks" is a period, never the date of an incident.
    assert all(d.value is None for d in found if "الأسابيع" in d.text)
