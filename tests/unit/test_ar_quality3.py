"""Arabic incidents, round 3: tolls with "among them" and separate incidents, clashes and arrests of a
crowd, places the gazetteer lacked (own sentences in the style of Arabic news, one table per rule)."""

from __future__ import annotations

import pytest

from streams.extract.pipeline import extract_article

PUBLISHED = "2008-02-04T12:00:00Z"


def _incidents(text: str) -> list[dict]:
    article = {"id": "t-q3", "lang": "ar", "text": text, "published_at": PUBLISHED}
    return extract_article(article)["incidents"]


def _main(text: str) -> dict:
    incidents = _incidents(text)
    assert incidents, text
    return max(incidents, key=lambda i: i["confidence"])


def _killed(text: str) -> int | None:
    toll = _main(text)["killed"]
    return toll["value"] if toll else None


# (sentence, killed): the incident's death toll.
AR_TOLLS = [
    # A bare number before "among them" is the whole, its part (5 soldiers) is not the toll.
    ("وقال مصدر أمني إن ستة بينهم خمسة جنود قتلوا امس في تفجير انتحاري استهدف حاجزا في الموصل.", 6),
    ("وأعلنت الشرطة أن عشرة من بينهم ثلاثة أطفال قتلوا في انفجار سيارة مفخخة في سوق شعبي.", 10),
    # "four of the security guards": a plural in construct with الأمن is one victim noun.
    ("وقال مسؤولون إن أربعة من حراس الأمن الأفغان قتلوا في هجوم انتحاري في قندهار.", 4),
    # The figure a "separate incident" follows belongs to another incident, even when it stands
    # nearer the sentence's triggers than the main figure.
    ("وقال مسؤولون إن ثلاثة من رجال الشرطة قتلوا امس عندما فجر انتحاري نفسه عند مدخل مركز للشرطة في الرمادي، "
     "فيما قتل جندي أمريكي بنيران مسلحين في حادث منفصل.", 3),
    ("وأفادت الشرطة بأن خمسة مدنيين لقوا حتفهم حين انفجرت سيارة مفخخة في سوق بكركوك، "
     "بينما قتل شرطي برصاص مسلحين في هجوم منفصل.", 5),
]


@pytest.mark.parametrize(("text", "expected"), AR_TOLLS)
def test_arabic_toll_is_the_main_incidents_whole_figure(text: str, expected: int) -> None:
    assert _killed(text) == expected


# (sentence, expected main type): "clashes" in an incident of demonstrators are a riot.
AR_CROWD_CLASHES = [
    ("عشرون جريحا في اشتباكات جديدة بالعاصمة: أطلقت الشرطة الغاز المسيل للدموع لتفريق مئات المتظاهرين أمس.",
     "riot"),
    ("مواجهات عنيفة في العاصمة اليونانية * أثينا ـ «الشرق الاوسط»: رشق مئات المتظاهرين قوات الشرطة بالحجارة امس.",
     "riot"),
    # Demonstrators arrested after clashes: the demonstration is the incident, not the arrests.
    ("واعتقلت الشرطة عشرين متظاهرا بعد صدامات مع المحتجين في وسط المدينة امس.", "protest"),
    # Clashes between armed groups, with no crowd, stay an armed clash.
    ("اندلعت اشتباكات عنيفة بين مسلحين وقوات الجيش في بعقوبة أمس.", "armed_clash"),
]


@pytest.mark.parametrize(("text", "expected"), AR_CROWD_CLASHES)
def test_arabic_clashes_of_demonstrators_are_a_riot(text: str, expected: str) -> None:
    assert _main(text)["type"] == expected


# (sentence, country, admin1 as the gazetteer names it, place name): places the gazetteer lacked.
AR_PLACES = [
    ("قتل جندي أمريكي في هجوم صاروخي على قاعدة باغرام أمس.", "AF", "Parwan", "Bagram"),
    ("اقتحم المتظاهرون مبنى الركاب في مطار سوفارنابهومي أمس.", "TH", "Samut Prakan", "Suvarnabhumi"),
    ("انفجرت عبوة ناسفة في مخيم عين الحلوة أمس.", "LB", "Al Janub", "Ain al-Hilweh"),
    ("وقع انفجار سيارة مفخخة في بلدة جلولاء أمس.", "IQ", None, "Jalawla"),
    ("قصفت الطائرات الأمريكية مواقع للمسلحين في منطقة برمل أمس.", "AF", None, "Barmal"),
    ("أحرق المتظاهرون شاحنة في منطقة بلحاف امس.", "YE", "Shabwah", "Balhaf"),
    # US states had no Arabic names at all.
    ("وقتل شرطي في إطلاق نار في ولاية تكساس امس.", "US", "Texas", "Texas"),
    ("وأصيب ثلاثة أشخاص في إطلاق نار في مدرسة بولاية أوهايو امس.", "US", "Ohio", "Ohio"),
]


@pytest.mark.parametrize(("text", "country", "admin1", "name"), AR_PLACES)
def test_arabic_places_added_to_the_gazetteer_are_the_incident_place(
        text: str, country: str, admin1: str | None, name: str) -> None:
    location = _main(text)["location"]
    assert location is not None, text
    assert location["country_code"] == country
    assert location["name"] == name
    if admin1 is not None:
        assert location["admin1"] == admin1
