"""English regional-paper reports (round 7, set en-t): casualty-figure and story rules, each table
with the cases a rule changes and counter-examples it must not change (invented sentences)."""

from __future__ import annotations

import pytest

from streams.extract.pipeline import analyze
from tests.conftest import main_incident


def _figures(text: str) -> list[tuple[str | None, int | float, bool]]:
    """(kind, value, cumulative) of every count of an English ``text``, in text order."""
    return [(c.kind, c.value, c.cumulative) for c in analyze(text, "en").counts]


# (text, expected counts)
EN_FIGURES = [
    # A relative clause between a figure and its cue: the cue after it is still the figure's ...
    ("Two residents who tried to flee were shot dead.", [("killed", 2, False)]),
    ("Three guards who were on duty at the gate were wounded.", [("injured", 3, False)]),
    # ... but not a cue inside the clause, nor one that only follows a figure of its own.
    ("Two residents who saw the attack said 5 people were killed.", [("killed", 5, False)]),
    ("Two residents who fled the village were interviewed by reporters.", [("displaced", 2, False)]),
    # A breakdown with a figure of its own set off by commas: the cue after it is the whole's, not
    # the kind of a figure coordinated before ...
    ("Police arrested 301 people, and 26 people, including 11 officers, were injured.",
     [("arrested", 301, False), ("injured", 26, False)]),
    # ... while with no comma to close it the figure still shares the coordinated verb.
    ("Police arrested 301 people and 26 others including 11 officers on Monday.",
     [("arrested", 301, False), ("arrested", 26, False)]),
    # "Treated for injuries", "sustained bullet injuries": injured, also in a coordinated list ...
    ("Seven students and three policemen were treated for injuries at a nearby hospital.",
     [("injured", 7, False), ("injured", 3, False)]),
    ("A fourth villager sustained bullet injuries.", [("injured", 1, False)]),
    # ... but a treatment that is no injury is nothing.
    ("Seven students were treated to lunch by the mayor.", []),
    # "shot dead the driver": an active cue right before "the" and a title is one victim ...
    ("Gunmen on a motorcycle shot dead the driver of a passenger jeepney.", [("killed", 1, False)]),
    ("The militants killed the mayor on Sunday.", [("killed", 1, False)]),
    # ... but "the" + title anywhere else is no figure.
    ("The driver said gunmen opened fire on the bus.", []),
    ("The governor condemned the attack.", []),
    # Deaths in custody are a prison toll, not the incident's ...
    ("Rights groups say at least 80 detainees have died in custody.", [("killed", 80, True)]),
    ("Two suspects died in police custody last month.", [("killed", 2, True)]),
    # ... while prisoners killed in an attack on a prison are its toll.
    ("Gunmen attacked the prison and killed five prisoners.", [("killed", 5, False)]),
    ("Five inmates were killed in a riot in the jail on Monday.", [("killed", 5, False)]),
    # A capitalized unit named by "of the" between a figure and its cue ...
    ("Two jawans of the District Reserve Guard were killed and four others injured.",
     [("killed", 2, False), ("injured", 4, False)]),
    ("Three members of the Border Security Force were wounded.", [("injured", 3, False)]),
    # ... but not a cue that belongs to another figure after the name.
    ("Two members of the Revolutionary Guards said 5 people were killed.", [("killed", 5, False)]),
    # Nouns of regional papers: jawans (soldiers), labourers, nationals.
    ("Two jawans were killed in the blast.", [("killed", 2, False)]),
    ("Gunmen shot dead seven labourers at a construction site.", [("killed", 7, False)]),
    ("The gunman killed three Spanish nationals.", [("killed", 3, False)]),
]


@pytest.mark.parametrize(("text", "expected"), EN_FIGURES)
def test_en_regional_figures(text: str, expected: list[tuple[str, int, bool]]) -> None:
    assert _figures(text) == expected


# (text, expected killed value or None, expected injured value or None)
EN_STORY_FIGURES = [
    # A sentence with no place, day or "separate" cue of its own tells more of the story under way:
    # its figures are the story's, not those of a second incident ...
    ("Police arrested 14 people in Trinidad on Thursday after supporters of the governor occupied the assembly. "
     "The protesters broke down its doors and burned furniture, a spokesman said. "
     "Two police officers were slightly injured.", None, 2),
    ("Gang members attacked the town of Pont-Sonde on Thursday, killing at least 70 people. "
     "The gang also set fire to at least 45 homes, the U.N. said. At least 16 people were seriously injured.", 70, 16),
    # Attackers killed by those they attacked are not the toll when the victims have a figure ...
    ("About 30 masked gunmen stormed the village of Banjska on Sunday after killing a police officer and "
     "wounding another, officials said.\n\nThree of the attackers were killed in a gunfight with police.", 1, 1),
    # ... but alone they are the only toll there is.
    ("Police stormed a house in Banjska on Sunday. Three of the attackers were killed in the gunfight.", 3, None),
    # ... but a sentence that says it is a separate incident stays one of its own, and so does the
    # strike of a heavier weapon than the story's.
    ("Gunmen shot dead five people at a market in Kunduz on Monday, police said. "
     "An air strike killed 40 people and wounded 12, officials said.", 5, None),
    ("Gunmen attacked a bar in Celaya on Saturday, killing six people. "
     "In a separate attack, a bomb wounded 40 people at a market.", 6, None),
]


@pytest.mark.parametrize(("text", "killed", "injured"), EN_STORY_FIGURES)
def test_en_story_takes_later_figures(text: str, killed: int | None, injured: int | None) -> None:
    inc = main_incident(text)
    assert ((inc["killed"] or {}).get("value"), (inc["injured"] or {}).get("value")) == (killed, injured)


# (text, expected type): what a later sentence adds never retypes the story to a heavier type.
EN_STORY_TYPES = [
    ("Insurgents beheaded five Christians in the village of Mazeze on Sunday. "
     "Thousands have fled since the militants launched a new offensive in early February.", "armed_attack"),
    ("At least 11 people were killed in clashes between two tribes in Kurram district on Monday. "
     "Residents said mortar shells landed in several villages.", "armed_clash"),
    # A later sentence with a day of its own still opens a story of its own.
    ("Police arrested 14 people in Trinidad on Thursday. Militants shelled the town on Friday, killing 3.", "arrest"),
]


@pytest.mark.parametrize(("text", "expected"), EN_STORY_TYPES)
def test_en_story_keeps_its_type(text: str, expected: str) -> None:
    assert main_incident(text)["type"] == expected


# (text, expected country, expected admin1): a town said to be "a village in" a district or
# province of another country than the gazetteer's reading is misread; the container locates it.
EN_CONTAINED_TOWNS = [
    ("Separatist rebels stormed a plane in Paro, a remote village in Nduga regency in Highland Papua province, "
     "on Tuesday.", "ID", "Papua Pengunungan"),
    ("Rebels killed 40 people in an attack on Masala village in the Beni territory of North Kivu province on Friday.",
     "CD", "Nord-Kivu"),
    # Counter-examples: no container, or a container of the town's own country.
    ("Gunmen killed two people in Paro on Tuesday.", "BT", "Paro"),
    ("Gunmen killed two people in Paro, a town in Bhutan, on Tuesday.", "BT", "Paro"),
    ("Gunmen killed two people in Springfield, a town in the state of Illinois, on Tuesday.", "US", "Illinois"),
]


@pytest.mark.parametrize(("text", "country", "admin1"), EN_CONTAINED_TOWNS)
def test_en_town_in_container_of_another_country(text: str, country: str, admin1: str) -> None:
    loc = main_incident(text)["location"]
    assert (loc["country_code"], loc["admin1"]) == (country, admin1)


# (text, expected date): "overnight" guesses the night before publication; a day named in the same
# sentence says which night it was.
EN_OVERNIGHT = [
    ("Rebels killed 40 people in an overnight attack on a village in North Kivu on Wednesday.", "2024-05-08"),
    ("Rebels killed 40 people in an overnight attack on a village in North Kivu.", "2024-05-09"),
    ("Rebels killed 40 people in an attack on a village in North Kivu on Wednesday.", "2024-05-08"),
]


@pytest.mark.parametrize(("text", "expected"), EN_OVERNIGHT)
def test_en_overnight_gives_way_to_a_named_day(text: str, expected: str) -> None:
    assert main_incident(text)["date"]["value"] == expected


# (text, expected killed value): "a month after" introduces an earlier attack, whose toll is not
# this one's; at the start of the sentence it only dates the reported one.
EN_EARLIER_ATTACK = [
    ("At least 17 people were killed when gunmen attacked a village in Plateau State on Tuesday. Eight people were "
     "injured in the attack, which came a month after raids on 20 villages in which nearly 200 people died.", 17),
    ("Gunmen killed 12 villagers in Plateau State on Tuesday, a year after an attack that killed 150 in the area.", 12),
    ("A month after the truce, gunmen killed 12 villagers in Plateau State on Tuesday.", 12),
]


@pytest.mark.parametrize(("text", "killed"), EN_EARLIER_ATTACK)
def test_en_earlier_attack_toll_is_not_this_one(text: str, killed: int) -> None:
    assert main_incident(text)["killed"]["value"] == killed
