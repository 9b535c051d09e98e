"""Actors and sources: canonical names, kinds and roles from per-language lexicons."""

from __future__ import annotations

from datetime import date

import pytest

from streams.extract import lang as langdata
from streams.extract.actors import canonical_actors, find_actors
from streams.extract.events import find_events
from streams.extract.pipeline import prepare
from tests.conftest import load_fixture


def _actors(lang: str, text: str):
    doc = prepare(text, lang, date(2018, 4, 7))
    find_events(doc)  # roles by proximity read the incident words
    find_actors(doc)
    for a in doc.actors:
        assert doc.text[a.start : a.end] == a.text
    return doc


def _roles(doc) -> set[tuple[str, str]]:
    return {(a.name, a.role) for a in doc.actors}


# (text, (name, role) pairs that must be found, names that must not be found)
ARABIC = [
    (
        "شنت قوات النظام السوري المدعومة من روسيا غارات على إدلب، وفق المرصد السوري لحقوق الإنسان",
        {
            ("Syrian government forces", "perpetrator"),
            ("Russia", "backer"),
            ("Syrian Observatory for Human Rights", "source"),
        },
        set(),
    ),
    (
        "وقتل عشرة من عناصر داعش في غارات للتحالف الدولي، بحسب وكالة رويترز",
        {("Reuters", "source")},
        set(),
    ),
    ("أعلنت وزارة الصحة في غزة مقتل خمسة فلسطينيين", {("Ministry of Health", "source")}, set()),
    ("اندلعت اشتباكات بين قوات سوريا الديمقراطية وتنظيم الدولة الإسلامية", set(), set()),
    ("قصفت الطائرات مواقع لهيئة تحرير الشام", {("Hayat Tahrir al-Sham", "target")}, set()),
    (
        "نقلت وكالة سانا عن مصدر عسكري أن الجيش السوري استعاد السيطرة على البلدة",
        {("SANA", "source"), ("Syrian government forces", "perpetrator")},
        set(),
    ),
    ("استقبل الجمهور الفريق بحماس كبير", set(), {"Hamas"}),
    ("وقال المرصد إن القصف مستمر", set(), {"Syrian Observatory for Human Rights"}),
]
ENGLISH = [
    (
        "Syrian regime forces backed by Russia shelled Douma, according to the Syrian Observatory for Human Rights.",
        {
            ("Syrian government forces", "perpetrator"),
            ("Russia", "backer"),
            ("Syrian Observatory for Human Rights", "source"),
        },
        set(),
    ),
    (
        "Russian warplanes struck the town, the White Helmets said.",
        {("Russian forces", "perpetrator"), ("Syrian Civil Defence", "source")},
        set(),
    ),
    (
        "Iranian-backed militias attacked US forces in Iraq.",
        {("Iran", "backer"), ("US forces", "target")},
        set(),
    ),
    (
        "The village was attacked by Boko Haram, AFP reported.",
        {("Boko Haram", "perpetrator"), ("Agence France-Presse", "source")},
        set(),
    ),
    (
        "Airstrikes by the Saudi-led coalition hit a market, the Health Ministry said.",
        {("Saudi-led coalition", "perpetrator"), ("Ministry of Health", "source")},
        set(),
    ),
    (
        "Taliban fighters stormed a checkpoint, the Interior Ministry said.",
        {("Taliban", "perpetrator"), ("Ministry of Interior", "source")},
        set(),
    ),
    (
        "Let us know what is happening; it is what it is, ap style.",
        set(),
        {"United States", "Islamic State", "Associated Press"},
    ),
    ("The Observatory said the shelling continued.", set(), {"Syrian Observatory for Human Rights"}),
]


@pytest.mark.parametrize(("text", "expected", "absent"), ARABIC)
def test_actors_arabic(text, expected, absent):
    doc = _actors("ar", text)
    assert expected <= _roles(doc), _roles(doc)
    assert not absent & {a.name for a in doc.actors}


@pytest.mark.parametrize(("text", "expected", "absent"), ENGLISH)
def test_actors_english(text, expected, absent):
    doc = _actors("en", text)
    assert expected <= _roles(doc), _roles(doc)
    assert not absent & {a.name for a in doc.actors}


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("ar", "اندلعت اشتباكات بين جيش الإسلام وقوات النظام في الغوطة"),
        ("en", "Fighting broke out between Jaish al-Islam and government forces"),
    ],
)
def test_actors_object_of_a_preposition_is_not_a_perpetrator_by_proximity(lang, text):
    doc = _actors(lang, text)
    jaish = next(a for a in doc.actors if a.name == "Jaish al-Islam")
    assert jaish.role == "other"


def test_actors_short_name_resolves_to_the_named_full_actor():
    doc = _actors("ar", "أفاد المرصد السوري لحقوق الإنسان بمقتل عشرة. وقال مدير المرصد إن القصف مستمر.")
    short = [a for a in doc.actors if a.text == "مدير المرصد"]
    assert [(a.name, a.role) for a in short] == [("Syrian Observatory for Human Rights", "source")]


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("ar", "قال الدفاع المدني إن الغارات على إدلب قتلت عشرة، بحسب المرصد السوري", "Syrian Civil Defence"),
        ("ar", "قال الدفاع المدني إن الحريق أتى على ثلاثة منازل", "Civil Defence"),
        ("en", "Government forces shelled the town, the Syrian Observatory said", "Syrian government forces"),
    ],
)
def test_actors_generic_bodies_take_the_article_country(lang, text, expected):
    doc = _actors(lang, text)
    generic = doc.actors[0]
    assert generic.name == expected


def test_actors_canonical_actors_keeps_one_per_name_and_role():
    doc = _actors("en", "AFP reported clashes. Reuters and AFP reported more clashes.")
    assert [(a.name, a.role) for a in canonical_actors(doc)] == [
        ("Agence France-Presse", "source"),
        ("Reuters", "source"),
    ]


@pytest.mark.parametrize("language", langdata.available_languages())
def test_actors_every_lexicon_entry_has_a_name_kind_and_aliases(language):
    for item in langdata.load(language, "actors").get("actors", []):
        assert item["name"] and item["kind"] and item["aliases"], item


# -- The Douma article ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def douma():
    return _actors("ar", load_fixture("douma-2018-04-07.ar.article.json")["text"])


@pytest.mark.parametrize(
    ("name", "kind", "role"),
    [
        ("Syrian government forces", "state_forces", "perpetrator"),
        ("Russia", "country", "backer"),
        ("Syrian Observatory for Human Rights", "observatory", "source"),
        ("Syrian Civil Defence", "civil_defence", "source"),
        ("Agence France-Presse", "agency", "source"),
    ],
)
def test_actors_douma_facts(douma, name, kind, role):
    assert (name, kind, role) in {(a.name, a.kind, a.role) for a in douma.actors}


def test_actors_douma_names_jaish_al_islam_but_not_as_a_perpetrator(douma):
    roles = {a.role for a in douma.actors if a.name == "Jaish al-Islam"}
    assert roles and "perpetrator" not in roles


def test_actors_douma_every_perpetrator_is_the_government(douma):
    assert {a.name for a in douma.actors if a.role == "perpetrator"} == {"Syrian government forces"}


def test_actors_douma_short_observatory_mentions_are_sohr(douma):
    at = douma.text.index("وأفاد المرصد") + len("وأفاد ")
    mention = next(a for a in douma.actors if a.start == at)
    assert (mention.name, mention.role) == ("Syrian Observatory for Human Rights", "source")
