"""Arabic incidents on real-news patterns: event words, places and tolls (own sentences, one table per rule)."""

from __future__ import annotations

import pytest

from streams.extract.pipeline import extract_article

PUBLISHED = "2008-02-04T12:00:00Z"


def _incidents(lang: str, text: str) -> list[dict]:
    article = {"id": "t-q2", "lang": lang, "text": text, "published_at": PUBLISHED}
    return extract_article(article)["incidents"]


def _main(lang: str, text: str) -> dict:
    incidents = _incidents(lang, text)
    assert incidents, text
    return max(incidents, key=lambda i: i["confidence"])


# (sentence, expected main type): the event words the lexicon lacked, or read as another kind.
AR_TYPES = [
    # "مسيرات احتجاجية" are protest marches, not drones.
    ("خرج مئات الطلاب في مسيرات احتجاجية في شوارع المدينة أمس", "protest"),
    ("نظم آلاف العمال مسيرات سلمية للمطالبة برفع الأجور", "protest"),
    # Dual suicide attacks and the "ملغومة" (booby-trapped) spelling of a car bomb.
    ("استهدف هجومان انتحاريان دورية للشرطة في الموصل أمس", "suicide_bombing"),
    ("انفجرت سيارة ملغومة قرب سوق شعبي في كركوك أمس", "bombing"),
    # Stun grenades are crowd-control munitions: the gunfire is the attack, not a bombing.
    ("اقتحم مسلحون المبنى وبدأوا الهجوم بالقنابل الصوتية ثم أطلقوا النار على الحراس", "armed_attack"),
    # Rockets fired in a salvo, or a rocket that fell: shelling.
    ("أطلق مسلحون عشرات الصواريخ على البلدات الحدودية فجر أمس", "shelling"),
    ("وكان صاروخ سقط أمس قرب مدرسة في سديروت", "shelling"),
]


@pytest.mark.parametrize(("text", "expected"), AR_TYPES)
def test_arabic_event_words_give_the_main_type(text: str, expected: str) -> None:
    assert _main("ar", text)["type"] == expected


# Sentences that recount a series of attacks or last year's events: no incident.
AR_NOT_REPORTED = [
    "ونفذت الجماعة سلسلة هجمات على مواقع الجيش في الشمال منذ مطلع الصيف.",
    "وخطف المسلحون عددا من المهندسين الأجانب في مارس من العام الماضي.",
    "وشن المتمردون عدة عمليات ضد القوات الحكومية خلال العامين الماضيين.",
]


@pytest.mark.parametrize("text", AR_NOT_REPORTED)
def test_arabic_series_and_last_year_are_not_reported_incidents(text: str) -> None:
    assert _incidents("ar", text) == []


# (sentence, country, admin1, place name): where the incident happened.
AR_PLACES = [
    # قبالة is "facing, off": the preposition is not the town of Qabala.
    ("تظاهر المئات أمس قبالة مبنى البرلمان في العاصمة الفرنسية باريس", "FR", None, "Paris"),
    # A world city behind the clitic ب is that city.
    ("تظاهر آلاف الطلاب بلندن أمس احتجاجا على الرسوم", "GB", "England", "London"),
    ("نظم مئات المحتجين مظاهرة بواشنطن أمس", "US", None, "Washington"),
    # Waziristan lies in Khyber Pakhtunkhwa.
    ("قتل عشرة مسلحين في غارة جوية على مخبأ في وزيرستان أمس", "PK", "Khyber Pakhtunkhwa", "Waziristan"),
    # "Indian Kashmir" is the Indian state, not the disputed region with no country.
    ("أصيب عشرة أشخاص أمس في مواجهات بين الشرطة ومتظاهرين في كشمير الهندية", "IN", "Jammu and Kashmir", None),
    # A town inside the area the sentence is about beats a town in a side clause.
    ("وفي الضفة الغربية، خرج آلاف المتظاهرين ضد ما وصفوه بجرائم الاحتلال في غزة، وتجمع بعضهم في نابلس",
     "PS", "West Bank", "Nablus"),
    ("قتل وجرح العشرات في بغداد وديالى أمس إذ فجر انتحاري نفسه في بلدة بلدروز بمحافظة ديالى",
     "IQ", "Diyala", "Baladruz"),
]


@pytest.mark.parametrize(("text", "country", "admin1", "name"), AR_PLACES)
def test_arabic_incident_place(text: str, country: str, admin1: str | None, name: str | None) -> None:
    location = _main("ar", text)["location"]
    assert location is not None, text
    assert location["country_code"] == country
    if admin1 is not None:
        assert location["admin1"] == admin1
    if name is not None:
        assert location["name"] == name


EN_PLACES = [
    # The same containment rule: the town inside the named area, not the capital of a side clause.
    ("Dozens were killed in Baghdad and Diyala on Sunday as a suicide bomber blew herself up in the town of "
     "Baladruz in Diyala province", "IQ", "Diyala", "Baladruz"),
]


@pytest.mark.parametrize(("text", "country", "admin1", "name"), EN_PLACES)
def test_english_incident_place(text: str, country: str, admin1: str, name: str) -> None:
    location = _main("en", text)["location"]
    assert (location["country_code"], location["admin1"], location["name"]) == (country, admin1, name)


# (sentence, killed): a dual with its demonym is one figure, not two.
AR_TOLLS = [
    ("قتل جنديان بريطانيان واصيب ثلاثة في انفجار عبوة ناسفة في البصرة أمس", 2),
    ("قتل شرطيان عراقيان في هجوم مسلح على نقطة تفتيش في كركوك", 2),
]


@pytest.mark.parametrize(("text", "killed"), AR_TOLLS)
def test_arabic_dual_victims_are_counted_once(text: str, killed: int) -> None:
    assert _main("ar", text)["killed"]["value"] == killed
