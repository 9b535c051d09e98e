"""Assembling incidents: which sentences report one, its main type and its toll (own sentences)."""

from __future__ import annotations

import pytest

from streams.extract.pipeline import extract_article

MONDAY = "2008-02-04T12:00:00Z"


def _incidents(lang: str, text: str) -> list[dict]:
    article = {"id": "t-1", "lang": lang, "text": text, "published_at": MONDAY}
    return extract_article(article)["incidents"]


# Sentences that mention an incident word without reporting an incident.
AR_NOT_REPORTED = [
    # A question asks, it does not report.
    "من كان وراء خطف الصحافيين الثلاثة في رأيكم؟",
    # A tally of strikes reported elsewhere.
    "وهي المرة الرابعة في أقل من أسبوع التي تشن فيها طائرات بدون طيار غارات على المنطقة، باطلاق صواريخ",
    # A statistic and a week's national total.
    "قتل 3000 شخص في العاصمة وحدها.",
    "وقال المتحدث: «قتلت الشرطة خلال الأسبوع الماضي 20 مسلحا وضبطت كميات من المتفجرات».",
    # A foiled car bomb.
    "قالت الشرطة إنها عثرت على عبوة مجهزة للتفجير داخل سيارة، وان السيارة المفخخة التي عثر عليها كانت ستوقع ضحايا.",
    # Accidents and disasters kill without an attack.
    "لقي 12 شخصا مصرعهم في حادث سير على طريق بغداد الموصل امس.",
    "قتل ثلاثة أشخاص في انهيار مبنى سكني في القاهرة امس.",
]
EN_NOT_REPORTED = [
    "Who was behind the kidnapping of the three journalists?",
    "It was the fourth time in less than a week that drones fired missiles at the area.",
    "Army experts defused a car bomb found outside the station on Sunday.",
    "The army said it had killed 500 militants in the region since January.",
    # Accidents and disasters kill without an attack; markets rally too.
    "Rescuers said 12 people died when their bus crashed into a ravine in Peru on Sunday.",
    "Five workers were killed in a fire at a garment factory in Dhaka on Sunday.",
    "Oil prices rallied on Friday in London after the announcement.",
]


@pytest.mark.parametrize("text", AR_NOT_REPORTED)
def test_assemble_arabic_non_reports_give_no_incident(text: str) -> None:
    assert _incidents("ar", text) == []


@pytest.mark.parametrize("text", EN_NOT_REPORTED)
def test_assemble_english_non_reports_give_no_incident(text: str) -> None:
    assert _incidents("en", text) == []


# (sentence, expected main type)
AR_TYPES = [
    # A tally that names its own day still reports that day's raid.
    ("قتل خمسة أشخاص في غارة جوية أمس على القرية، وهي الثالثة في أقل من أسبوع", "airstrike"),
    # The riot police unit is context: a peaceful march stays a protest.
    ("تظاهر مئات الأشخاص في أثينا حيث فرضت قوات مكافحة الشغب طوقا أمنيا", "protest"),
    # What the protest condemns is not the event.
    ("أحرق المتظاهرون الإطارات في المخيم ورددوا هتافات تندد بالمعارك", "protest"),
    ("قامت امرأة بتفجير نفسها قرب دورية للشرطة جنوب بغداد", "suicide_bombing"),
    ("تجمع نحو مائة متظاهر في وسط سيدني", "protest"),
    # Protesters looting shops are a riot.
    ("خلع المتظاهرون أبواب المتاجر وأخذوا ينهبونها", "riot"),
    ("قتل خمسة أشخاص في انفجار سيارة مفخخة أدى إلى حريق في سوق ببغداد امس", "bombing"),
]
EN_TYPES = [
    ("Hundreds of people marched in Athens as riot police formed a cordon", "protest"),
    ("Five people were killed in an airstrike yesterday, the third in less than a week", "airstrike"),
    # A specific trigger still reports an attack in a sentence that names a fire or a crash.
    ("A car bomb set off a fire that killed five people in Kabul on Sunday", "bombing"),
    # The month is not a march.
    ("On 3 March, gunmen killed five people in Kano", "armed_attack"),
]


@pytest.mark.parametrize(("text", "expected"), AR_TYPES)
def test_assemble_arabic_main_type(text: str, expected: str) -> None:
    incidents = _incidents("ar", text)
    assert [i["type"] for i in incidents] == [expected], incidents


@pytest.mark.parametrize(("text", "expected"), EN_TYPES)
def test_assemble_english_main_type(text: str, expected: str) -> None:
    incidents = _incidents("en", text)
    assert [i["type"] for i in incidents] == [expected], incidents


# (sentence, killed, date)
AR_TOLLS = [
    # Two coordinated groups before one verb are added; Sunday is not "one".
    ("وأعلن الجيش ان نحو 200 مسلح اسلامي ونحو 50 جنديا باكستانيا قتلوا بين الأحد والثلاثاء في اشتباكات",
     250, None),
    # In a Monday paper "الأحد الماضي" is the Sunday of the week before.
    ("قتل ثلاثة جنود في هجوم مسلح يوم الأحد الماضي", 3, "2008-01-27"),
    ("قتل ثلاثة جنود في هجوم مسلح أمس الأحد", 3, "2008-02-03"),
]
EN_TOLLS = [
    ("Three soldiers were killed in an ambush last Sunday", 3, "2008-01-27"),
    ("Three soldiers were killed in an ambush on Sunday", 3, "2008-02-03"),
]


@pytest.mark.parametrize(("text", "killed", "day"), AR_TOLLS)
def test_assemble_arabic_toll_and_day(text: str, killed: int, day: str | None) -> None:
    (incident,) = _incidents("ar", text)
    assert incident["killed"]["value"] == killed
    if day is not None:
        assert incident["date"]["value"] == day


@pytest.mark.parametrize(("text", "killed", "day"), EN_TOLLS)
def test_assemble_english_toll_and_day(text: str, killed: int, day: str) -> None:
    (incident,) = _incidents("en", text)
    assert (incident["killed"]["value"], incident["date"]["value"]) == (killed, day)
