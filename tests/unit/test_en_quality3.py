"""English extraction on wire text nobody tuned on: figurative and accidental uses of incident
words, main types, and places said to lie in another country (sentences written for the tests)."""

from __future__ import annotations

from datetime import date

import pytest

from streams.extract.doc import Doc, Place
from streams.extract.pipeline import extract_article, prepare
from streams.extract.places import find_places

PUBLISHED = "2024-03-13T12:00:00Z"  # a Wednesday


def _incidents(text: str) -> list[dict]:
    article = {"id": "t-1", "lang": "en", "text": text, "published_at": PUBLISHED}
    return extract_article(article)["incidents"]


def _places(text: str) -> list[Place]:
    doc: Doc = prepare(text, "en", date(2024, 3, 13))
    find_places(doc)
    return doc.places


# Sentences with an incident word that report no incident.
EN_NOT_REPORTED = [
    # What was attacked is a bill or a reform; the attackers are critics.
    "Senators attacked the president's immigration bill during a heated debate in Washington on Tuesday.",
    "Critics attacked the pension reform as a giveaway to the rich.",
    # Missiles fired into the sea are a test, not a strike.
    "Iran fired three missiles into the ocean during naval drills on Tuesday, state television said.",
    # A film bombs at the box office.
    "The horror film bombed at the box office, earning just $3 million in its first week.",
    # Accidents: a vehicle plunging off a road, a gas cylinder exploding.
    "A minibus plunged off a mountain road in northern Peru on Saturday, killing 14 passengers.",
    "Seven patients died when a gas cylinder exploded in a hospital ward in Lahore on Monday.",
    # A sentence handed down over a past bombing.
    "A court in Dhaka sentenced six men to death over the 2016 bombing of a cafe.",
    # A running total for the year.
    "More than 1,200 people have been killed in gang violence in Haiti so far this year, the United Nations said.",
]


@pytest.mark.parametrize("text", EN_NOT_REPORTED)
def test_en_non_reports_give_no_incident(text: str) -> None:
    assert _incidents(text) == []


# (sentence, expected main type)
EN_TYPES = [
    # A gunfight is an armed clash.
    ("Soldiers and militants were locked in a gunfight in Nablus on Monday, and two were killed", "armed_clash"),
    # Blowing up a bridge is a bombing.
    ("Rebels blew up a bridge and killed four soldiers in northern Mali on Sunday", "bombing"),
    # A state's strike on a place is an airstrike (a labour strike is "went on strike").
    ("An Israeli strike on a car in southern Lebanon killed two men on Sunday", "airstrike"),
    ("Dock workers in Rotterdam went on strike on Monday, halting traffic at the port", "protest"),
    # "combat gear" describes the gunmen; the act is the shooting.
    ("Masked men in combat gear shot dead three guards at a bank in Lagos on Sunday", "armed_attack"),
    # The stabbing is the incident, not the arrest of the suspect.
    ("Two people were stabbed to death at a market in Leeds on Sunday, and police arrested a 30-year-old man",
     "armed_attack"),
    # The police killing the riot followed is background to the riot.
    ("Rioters smashed shop windows in Lyon on Sunday night after police shot dead a young driver", "riot"),
    # Drones carrying explosives are a drone strike even when nobody was hurt.
    ("Drones packed with explosives hit an air base in western Iraq on Tuesday, causing no casualties",
     "drone_strike"),
    ("Militants beheaded five villagers in Cabo Delgado province on Friday", "armed_attack"),
]


@pytest.mark.parametrize(("text", "expected"), EN_TYPES)
def test_en_main_type(text: str, expected: str) -> None:
    incidents = _incidents(text)
    assert [i["type"] for i in incidents] == [expected], incidents


# (sentence, name as written, country the sentence puts it in)
EN_TOWN_IN_ANOTHER_COUNTRY = [
    # The gazetteer has no Palmira in Nigeria: the Colombian namesake must not be read.
    ("Fighting was reported in Palmira in Nigeria's Plateau state on Friday.", "Palmira", "NG"),
    ("Gunmen attacked Toledo in northern Kenya on Friday.", "Toledo", "KE"),
]


@pytest.mark.parametrize(("text", "written", "country"), EN_TOWN_IN_ANOTHER_COUNTRY)
def test_en_town_said_to_lie_in_another_country_is_not_misread(text: str, written: str, country: str) -> None:
    places = _places(text)
    assert all(p.country_code == country for p in places if p.text == written), places
    assert any(p.country_code == country for p in places), places


# (sentence, name as written, what it must resolve to)
EN_PLACES = [
    # The town named in its own country's state keeps its reading.
    ("Gunmen attacked a bar in Celaya in Mexico's Guanajuato state.", "Celaya", {"country_code": "MX", "feature": "city"}),
    # The wires write Shabwa for Yemen's Shabwah governorate.
    ("A drone strike hit a car in Yemen's Shabwa province on Monday.", "Shabwa province",
     {"country_code": "YE", "admin1": "Shabwah"}),
]


@pytest.mark.parametrize(("text", "written", "expected"), EN_PLACES)
def test_en_place_resolution(text: str, written: str, expected: dict) -> None:
    found = [p for p in _places(text) if p.text == written]
    assert found, _places(text)
    assert {k: getattr(found[0], k) for k in expected} == expected, found[0]


# A trading partner is not where the incident happened.
EN_NOT_LOCATION = [
    ("Farmers protested in Seoul against beef imports from the United States on Sunday.", "United States"),
    ("Workers marched in Dhaka against garment exports to Britain on Sunday.", "Britain"),
]


@pytest.mark.parametrize(("text", "written"), EN_NOT_LOCATION)
def test_en_trade_partner_is_not_the_incident_location(text: str, written: str) -> None:
    incidents = _incidents(text)
    assert incidents, text
    assert all((i.get("location") or {}).get("name") != written for i in incidents), incidents
    assert all(p.role in ("actor", "mentioned") for p in _places(text) if p.text == written)
