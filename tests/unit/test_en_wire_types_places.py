"""English wire copy: incident type and place rules found on unseen wire-style reports (invented
sentences; each table holds the cases the rule changes and counter-examples it must not change)."""

from __future__ import annotations

import pytest

from tests.conftest import main_incident

# (sentence, expected main type)
EN_TYPES = [
    # Unarmed parties to a clash make it a riot, also with arrests told after it ...
    ("Students and police clashed at the university in Eldoret on Tuesday, leaving nine students hurt and 20 arrested.",
     "riot"),
    ("Supporters of two rival candidates clashed in Comilla district on Friday, leaving one man dead.", "riot"),
    # ... and the homemade bombs they fought with are their weapons, not a bombing.
    ("Supporters of rival parties clashed with sticks and homemade bombs in Feni district on Friday, injuring 25.",
     "riot"),
    # Counter-examples: soldiers and militants fight an armed clash; arrests told first stay arrests;
    # a homemade bomb that explodes is a bombing.
    ("Soldiers clashed with militants near a school in Shopian district on Friday, killing three militants.",
     "armed_clash"),
    ("Police arrested 40 rioters in Bristol on Sunday after a night of violence.", "arrest"),
    ("A homemade bomb exploded at a bus stand in Imphal on Friday, wounding four people.", "bombing"),
    # Gunmen who invade a village attack it; an army's invasion stays a ground assault.
    ("Gunmen invaded a farming village in Kaduna State on Tuesday night, killing eight people.", "armed_attack"),
    ("Russian forces invaded the Kharkiv region on Friday, Ukrainian officials said.", "ground_assault"),
    # People killed right before an abduction is told: an attack that also took captives ...
    ("Armed raiders killed 14 people and abducted nine children in a village in Warrap state on Monday.",
     "armed_attack"),
    # ... while a kidnapping told first, or alone, stays an abduction.
    ("Gunmen kidnapped 12 passengers on a highway in Edo State on Monday after shooting dead their driver.",
     "abduction"),
    ("Bandits abducted 25 villagers in Katsina State on Wednesday, residents said.", "abduction"),
    # "Seized" with people as its object (an abducted toll) is an abduction; a town seized is
    # a change of control.
    ("Armed men seized 12 aid workers from a convoy in Unity state on Friday, the UN said.", "abduction"),
    ("Rebels seized the town of Kitshanga in North Kivu on Friday, residents said.", "territory_change"),
    # A lynching is mob violence (ACLED Riots); what the victims were suspected of is no incident.
    ("Villagers lynched a man suspected of kidnapping in Oaxaca state on Saturday, officials said.", "riot"),
    ("Police arrested a man on suspicion of kidnapping in Oaxaca state on Saturday.", "arrest"),
    ("Gunmen kidnapped a priest in Oaxaca state on Saturday, officials said.", "abduction"),
    # A knife attacker arrested afterwards: the attack is the incident.
    ("A knife-wielding man wounded five people at a bus station in Bremen on Friday before being arrested.",
     "armed_attack"),
    ("Police arrested five men at a bus station in Bremen on Friday, a spokesman said.", "arrest"),
    # One helicopter or warplane that bombed is an air strike; a bomb that exploded is a bombing.
    ("An army helicopter bombed a rebel convoy in the Ennedi region on Sunday, killing 30 fighters.", "airstrike"),
    ("A bomb exploded on a bus in the Ennedi region on Sunday, killing 30 people.", "bombing"),
    # "The bombing killed": what the bombing did types nothing; "bombed" by aircraft stays a strike.
    ("The bombing killed six people at a market in Mardan on Monday, police said.", "bombing"),
    ("The bombardment killed nine civilians in the town of Saraqib on Monday.", "shelling"),
    ("Jets bombed the town of Saraqib on Monday, killing nine civilians.", "airstrike"),
    ("Gunmen killed six people at a market in Mardan on Monday, police said.", "armed_attack"),
]


@pytest.mark.parametrize(("text", "expected"), EN_TYPES)
def test_en_wire_main_type(text: str, expected: str) -> None:
    assert main_incident(text)["type"] == expected


# (sentence, expected country, expected admin1)
EN_PLACES = [
    # A region with no admin unit qualifying a place by its possessive: the place, with its admin1.
    ("Troops killed four militants in a gunfight in Kashmir's Pulwama district on Sunday, police said.",
     "IN", "Jammu and Kashmir"),
    ("Gunmen attacked a bus in Mindanao's Marawi city on Sunday, killing three passengers.",
     "PH", "Autonomous Region in Muslim Mindanao"),
    # Counter-example: the town alone reads as before.
    ("Troops killed four militants in a gunfight in Pulwama district on Sunday, police said.",
     "IN", "Jammu and Kashmir"),
    # A place naming a past event ("the Tempi rail disaster") is not where this one happened.
    ("Riot police fired tear gas at protesters in Athens on Friday during a strike over the Tempi rail disaster.",
     "GR", "Attica"),
    ("A car bomb killed five people in Lahore on Monday, a year after the Quetta bombing that killed 20.",
     "PK", "Punjab"),
    # Counter-example: the same name where the incident happened.
    ("A car bomb killed five people in Quetta on Monday, police said.", "PK", "Balochistan"),
    # "Russian shelling": the attacker's demonym does not pull a town to its namesake in Russia ...
    ("Russian shelling killed four people in Donetsk on Tuesday, local officials said.", "UA", "Donetsk"),
    ("Russian missiles killed four people in Donetsk on Tuesday, local officials said.", "UA", "Donetsk"),
    # English spellings of admin1 units the wires use and GeoNames lacks.
    ("A roadside bomb struck an army truck in Middle Shabelle on Tuesday, killing two soldiers.",
     "SO", "Shabeellaha Dhexe"),
    ("Gunmen attacked a police post in Salahuddin province on Tuesday, killing two policemen.", "IQ", "Salah ad Din"),
    ("A drone strike killed three fighters in Lahj on Tuesday, local officials said.", "YE", "Lahij"),
    # Counter-example: the person's name alone is no province.
    ("Gunmen shot dead a bodyguard of Salahuddin Rabbani in Kabul on Tuesday.", "AF", "Kabul"),
    # ... while the demonym of a country that fights at home still does ("Syrian warplanes").
    ("Syrian warplanes bombed the town of Ariha on Monday, killing 12 people.", "SY", "Idlib"),
]


@pytest.mark.parametrize(("text", "country", "admin1"), EN_PLACES)
def test_en_wire_incident_place(text: str, country: str, admin1: str) -> None:
    from streams.evaluate import same_admin1

    location = main_incident(text)["location"]
    assert location["country_code"] == country
    assert same_admin1(admin1, location["admin1"], country), location



# (article, expected date): the day in a wire dateline is the filing day; the lead's weekday
# dates the incident. Counter-examples: a dateline with no day, and a lead that names no day.
EN_DATELINE_DAYS = [
    ("JOS, Nigeria, May 10 (Reuters) - Gunmen killed nine villagers in Plateau State on Tuesday, police said.",
     "2024-05-07"),
    ("HERAT, May 10 (AFP) - A bomb killed four people at a market in Herat on Wednesday, police said.", "2024-05-08"),
    ("JOS, Nigeria (Reuters) - Gunmen killed nine villagers in Plateau State on Tuesday, police said.", "2024-05-07"),
    ("Gunmen killed nine villagers in Plateau State on May 9, police said.", "2024-05-09"),
]


@pytest.mark.parametrize(("text", "day"), EN_DATELINE_DAYS)
def test_en_wire_dateline_day_is_not_the_incident_day(text: str, day: str) -> None:
    assert main_incident(text)["date"]["value"] == day
