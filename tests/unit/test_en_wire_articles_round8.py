"""English wire articles (round 8, set en-s): where the incident is when an article names several
places, and which names are no places at all. Each table holds the cases a rule changes and
counter-examples it must not change (invented sentences)."""

from __future__ import annotations

import pytest

from streams.extract.pipeline import analyze, extract_article
from tests.conftest import main_incident


def _role(text: str, name: str) -> str | None:
    """The role of the first place called ``name`` (gazetteer name) in an English ``text``, or None."""
    return next((p.role for p in analyze(text, "en").places if p.name == name), None)


def _names(text: str) -> list[str]:
    """The gazetteer names of every place found in an English ``text``."""
    return [p.name for p in analyze(text, "en").places]


# (text, place name, expected role)
EN_PLACE_CUES = [
    # A demonym between the place noun and its cue ("in the central Israeli city of X") keeps the cue ...
    ("A man stabbed four people in the central Israeli city of Hadera on Friday.", "Hadera", "incident_location"),
    ("Gunmen killed two men in the northern Nigerian state of Zamfara on Monday.", "Zamfara", "incident_location"),
    # ... but lends none of its own: "from" is no locative cue.
    ("A man from the central Israeli city of Hadera was arrested in Tulkarm on Friday.", "Hadera", "mentioned"),
    # "the centre of", "the heart of", "downtown" between a cue and the name ...
    ("Ukrainian shelling of the centre of the city of Belgorod killed 14 people on Saturday.", "Belgorod",
     "incident_location"),
    ("A car bomb exploded in the heart of the city of Mogadishu on Sunday.", "Mogadishu", "incident_location"),
    ("A suspicious package was found in downtown Buffalo on Monday.", "Buffalo", "incident_location"),
    # ... but not without a cue before them.
    ("Residents of the centre of the city of Belgorod were evacuated on Saturday.", "Belgorod", "mentioned"),
    # "bordering X", "on the border with X": a landmark, not the place ...
    ("The patrol was ambushed in the forests bordering Telangana on Tuesday.", "Telangana", "reference_point"),
    ("Troops clashed with rebels along the border with Ituri province on Monday.", "Ituri", "reference_point"),
    # ... while "in X" is.
    ("The patrol was ambushed in Telangana on Tuesday.", "Telangana", "incident_location"),
]


@pytest.mark.parametrize(("text", "name", "expected"), EN_PLACE_CUES)
def test_en_place_cue_across_words(text: str, name: str, expected: str) -> None:
    assert _role(text, name) == expected


# (text, a gazetteer name that must be absent or None, a gazetteer name that must be present or None)
EN_NOT_PLACES = [
    # A town read by an alternate name where the name goes on with an Arabic article ("Wad" is an
    # alternate name of the Russian Vad) ...
    ("Fighters stormed the village of Wad al-Nourah in Gezira state on Wednesday.", "Vad", "Gezira"),
    # ... or that ends a longer name after a connector ("Mare" is an alternate name of Male) ...
    ("Police raided the Complexo da Mare favelas in Rio de Janeiro on Monday.", "Male", "Rio de Janeiro"),
    # ... is a longer name the gazetteer lacks; the town by its own name stays.
    ("Fighters stormed Wad Madani on Wednesday, killing 12 people.", None, "Wad Medani"),
    ("A storm flooded streets in Male, the capital of the Maldives, on Monday.", None, "Male"),
    # An ordinary word that is also a small town, inside an institution's capitalized name ...
    ("Two jawans of the District Reserve Guard were killed in Bijapur district on Tuesday.", "Reserve", "Bijapur"),
    ("Officers of the Central Reserve Police Force were deployed in Imphal.", "Reserve", "Imphal"),
    # ... but the town itself, with its state named.
    ("A tornado damaged homes in the town of Reserve, Louisiana, on Monday.", None, "Reserve"),
    # A goddess's name is not the town it is an alternate name of ...
    ("Stones were hurled at a Durga idol procession in Bahraich district on Sunday.", "Durg", "Bahraich"),
    # ... the town by its own name stays.
    ("Maoists attacked a police camp in Durg district on Monday, killing two policemen.", None, "Durg"),
]


@pytest.mark.parametrize(("text", "absent", "present"), EN_NOT_PLACES)
def test_en_name_parts_and_words_are_not_places(text: str, absent: str | None, present: str | None) -> None:
    names = _names(text)
    if absent is not None:
        assert absent not in names
    if present is not None:
        assert present in names


# (text, expected incident location name, expected country)
EN_STORY_PLACE = [
    # A later sentence that tells the story's event again, with a place inside the country that was
    # all the lead said of where, places the incident there ...
    ("A suicide bomber killed six people in northwest Pakistan on Tuesday, police said. The attack happened "
     "near Besham in the Shangla district of Khyber Pakhtunkhwa province.", "Shangla District", "PK"),
    # ... but a later place with no event of its own does not move it ...
    ("A suicide bomber killed six people in northwest Pakistan on Tuesday, police said. The engineers had "
     "worked on a dam in the Shangla district for years.", "Pakistan", "PK"),
    # ... nor does a place that refines nothing (the lead already named a town).
    ("A suicide bomber killed six people in Peshawar on Tuesday, police said. The attack happened near a "
     "checkpoint in the Shangla district.", "Peshawar", "PK"),
]


@pytest.mark.parametrize(("text", "name", "country"), EN_STORY_PLACE)
def test_en_story_place_refined_by_its_event_told_again(text: str, name: str, country: str) -> None:
    location = main_incident(text)["location"]
    assert (location["name"], location["country_code"]) == (name, country)


# (text, expected (type, killed) of every incident in text order)
EN_TOLD_AGAIN = [
    # "the shelling" in a later sentence with no figures, day or place of its own is the story's
    # attack named again: one incident, of the kind the later word tells ...
    ("Bombs hit two camps on the outskirts of Goma on Friday, killing 35 people. Congo and the United "
     "States blamed the shelling on M23 rebels.", [("shelling", 35)]),
    # ... but a trigger with figures, a day and a place of its own is another incident.
    ("Bombs hit two camps on the outskirts of Goma on Friday, killing 35 people. Shelling killed three "
     "people in Sake on Saturday.", [("bombing", 35), ("shelling", 3)]),
]


@pytest.mark.parametrize(("text", "expected"), EN_TOLD_AGAIN)
def test_en_definite_trigger_continues_the_story(text: str, expected: list[tuple[str, int]]) -> None:
    incidents = extract_article({"id": "t-1", "lang": "en", "text": text,
                                 "published_at": "2024-05-10T12:00:00Z"})["incidents"]
    assert [(i["type"], (i["killed"] or {}).get("value")) for i in incidents] == expected


# (text, expected type of the most confident incident)
EN_CROWD_TYPES = [
    # Stones thrown (passive too) and communal clashes are a riot ...
    ("A man was shot dead after stones were hurled at a religious procession in Bahraich district on Sunday, "
     "triggering communal clashes, police said.", "riot"),
    ("Six policemen were injured when stones were thrown at them in Nuh on Monday.", "riot"),
    # ... while clashes of armed sides stay an armed clash.
    ("Two soldiers and four militants were killed in clashes in Kulgam district on Saturday.", "armed_clash"),
]


@pytest.mark.parametrize(("text", "expected"), EN_CROWD_TYPES)
def test_en_crowd_violence_words(text: str, expected: str) -> None:
    assert main_incident(text)["type"] == expected


# (text, expected gazetteer name of the incident place, its country)
EN_ARTICLE_SPELLINGS = [
    # A transliterated name whose article the gazetteer spells another way ("el-" for "al-",
    # "al-" for "ash ", "ou" for "u") ...
    ("Clashes in Syria's eastern Deir el-Zour province killed 25 people on Wednesday.", "Deir ez-Zor", "SY"),
    ("Airstrikes hit Jisr al-Shughour in Idlib province on Monday, killing five people.", "Jisr ash Shughur", "SY"),
    ("A bomb exploded in Sharm al-Sheikh on Monday, wounding three people.", "Sharm el-Sheikh", "EG"),
    # ... while the gazetteer's own spelling reads as before, and a name it lacks stays unread.
    ("Clashes in Deir ez-Zor killed five people on Monday.", "Deir ez-Zor", "SY"),
    ("Gunmen killed three people near the Bab al-Tob market in Mosul on Monday.", "Mosul", "IQ"),
]


@pytest.mark.parametrize(("text", "name", "country"), EN_ARTICLE_SPELLINGS)
def test_en_arabic_article_spellings(text: str, name: str, country: str) -> None:
    location = main_incident(text)["location"]
    assert (location["name"], location["country_code"]) == (name, country)


# (text, expected (kind, value) of every count in text order)
EN_NATIONALITY_VICTIMS = [
    # Nationalities in the plural name the victims, each group its own figure ...
    ("A gunman killed three Spaniards and three Afghans on Friday.", [("killed", 3), ("killed", 3)]),
    ("Two Germans were wounded in the attack.", [("injured", 2)]),
    ("Gunmen killed four Kenyans in Mandera on Monday.", [("killed", 4)]),
    # ... but a nationality with no figure counts nothing.
    ("The Spaniards said the gunman fled.", []),
    # Those who told the news are counted as sources, never as victims of a toll before them ...
    ("Jihadists attacked the base, killing 40 civilians and 12 soldiers, two security sources said.",
     [("killed", 40), ("killed", 12), ("sources", 2)]),
    # ... while people killed in a list stay killed.
    ("Jihadists attacked the base, killing 40 civilians and 12 soldiers, officials said.",
     [("killed", 40), ("killed", 12)]),
]


@pytest.mark.parametrize(("text", "expected"), EN_NATIONALITY_VICTIMS)
def test_en_nationalities_and_sources_in_figures(text: str, expected: list[tuple[str, int]]) -> None:
    assert [(c.kind, c.value) for c in analyze(text, "en").counts] == expected
