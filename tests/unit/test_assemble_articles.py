"""Short news articles of several sentences: the lead incident and its figures against the
background (earlier events, the events an incident answers, side reports, follow-up arrests).

Own invented articles; each rule has counter-examples where it must not fire.
"""

from __future__ import annotations

import pytest

from streams.extract.pipeline import extract_article

WEDNESDAY = "2024-03-06T12:00:00Z"  # Tuesday = 2024-03-05, Sunday = 2024-03-03


def _incidents(text: str, lang: str = "en", published: str = WEDNESDAY) -> list[dict]:
    article = {"id": "t-1", "lang": lang, "text": text, "published_at": published}
    return extract_article(article)["incidents"]


def _main(text: str) -> dict:
    incidents = _incidents(text)
    assert incidents, text
    return max(incidents, key=lambda i: i["confidence"])


def _value(block: dict | None) -> int | None:
    return block["value"] if block else None


# (article, killed of the main incident, injured of the main incident)
EN_BACKGROUND_FIGURES = [
    # An earlier attack, dated by a past month and year, keeps its own toll.
    ("A suicide bomber blew himself up at a mosque in Quetta on Tuesday, killing 21 people and wounding 40, "
     "police said. In March 2022, another bomber killed 63 people at a mosque in the same city.", 21, 40),
    # A war's origins in a past year: its cumulative toll is not the incident's.
    ("Fighters killed 27 villagers in an attack on a village in Sudan's Gezira state on Tuesday, activists said. "
     "The war, which began in April 2023, has killed tens of thousands of people.", 27, None),
    ("Gunmen killed 9 people at a bar in Guanajuato on Sunday, prosecutors said. "
     "It was the deadliest attack in the state since the 2019 massacre in which 15 people died.", 9, None),
    ("Police fired on protesters in Nairobi on Tuesday, killing five people. "
     "During protests over the 2017 election, police killed 24 people.", 5, None),
    # The event the incident answers or follows, after the opening words of its sentence.
    ("Settlers rampaged through Huwara on Sunday night, hours after a gunman shot dead two brothers nearby. "
     "One man was killed and about 100 were injured, officials said.", 1, 100),
    ("An Israeli strike on Beirut on Tuesday killed four people and wounded 74. "
     "Israel said it was retaliating for a rocket attack on Saturday that killed 12 children.", 4, 74),
    ("Shelling of Belgorod on Sunday killed 14 people. "
     "The attack came a day after an air barrage which killed 39 people across Ukraine.", 14, None),
    # Counter-example: a later sentence that names this year still gives figures.
    ("A car bomb exploded in Mogadishu on Sunday. The blast, the deadliest in the city in 2024, "
     "killed 12 people.", 12, None),
    # A decade, a season and a possessive are years inside longer words ("1990s" once raised).
    ("Gunmen killed 8 people in Bamako on Sunday. Violence has not been this bad since the 1990s, "
     "when hundreds died.", 8, None),
    ("Gunmen killed 8 people in Bamako on Sunday. In 2014-15 fighting in the north killed 300.", 8, None),
]


@pytest.mark.parametrize(("text", "killed", "injured"), EN_BACKGROUND_FIGURES)
def test_english_background_sentences_keep_their_figures(text: str, killed: int, injured: int | None) -> None:
    main = _main(text)
    assert (_value(main["killed"]), _value(main["injured"])) == (killed, injured), main


# (article, number of incidents): background sentences open no incident of their own, but a
# cue at the very start of a sentence only dates the reported event, and a dated past day is a
# timeline entry.
EN_BACKGROUND_EVENTS = [
    ("Two explosions ripped through a crowd in Kerman on Wednesday, killing 84 people. "
     "Soleimani was killed by a U.S. drone strike at Baghdad airport in January 2020.", 1),
    ("A knife attack at a festival in Solingen on Friday killed three people. "
     "In February 2020, a gunman killed nine people at two bars in Hanau.", 1),
    ("An Israeli strike on Beirut on Tuesday killed four people. "
     "Israel said it was retaliating for a rocket attack on the Golan Heights on Saturday that killed 12 children.", 1),
    # Counter-examples.
    ("Two days after the truce began, a car bomb killed five people in Kabul on Tuesday.", 1),
    ("In March 2022, a suicide bomber killed 63 people at a mosque in Peshawar.", 1),
    ("A car bomb killed five people in Kabul on Tuesday. "
     "On Sunday, gunmen had shot dead three policemen in Herat.", 2),
    # A past day written in full is a timeline entry, not background.
    ("A car bomb killed five people in Kabul on Tuesday. "
     "On March 3, 2023, a suicide bomber killed 20 people in Herat.", 2),
]


@pytest.mark.parametrize(("text", "n"), EN_BACKGROUND_EVENTS)
def test_english_background_events_open_no_incident(text: str, n: int) -> None:
    incidents = _incidents(text)
    assert len(incidents) == n, incidents


# (article, main type, main place name, main killed): the lead outranks a later side report.
EN_LEAD_INCIDENT = [
    ("A Russian missile slammed into an apartment block in Dnipro on Saturday, killing 30 people. "
     "In Kharkiv, two people were wounded by shelling the same day.", "shelling", "Dnipro", 30),
    ("A missile fired by Houthi forces struck a parade in Aden on Thursday, killing 36 people. "
     "In a separate attack in the city the same morning, a suicide car bomber killed 11 police officers.",
     "shelling", "Aden", 36),
    # The attacker's arrest ends the story: it neither retypes nor outranks the attack.
    ("A man armed with a knife killed two people at a school in Arras on Friday, prosecutors said. "
     "The 20-year-old attacker was arrested.", "armed_attack", "Arras", 2),
    ("Gunmen in combat fatigues burst into a concert hall in Krasnogorsk on Friday, killing 133 people. "
     "Eleven people were detained.", "armed_attack", "Krasnogorsk", 133),
]


@pytest.mark.parametrize(("text", "type_", "place", "killed"), EN_LEAD_INCIDENT)
def test_english_lead_incident_is_the_main_one(text: str, type_: str, place: str, killed: int) -> None:
    main = _main(text)
    assert (main["type"], main["location"]["name"], _value(main["killed"])) == (type_, place, killed), main


# (article, expected (type, place name) of every incident, in order): counter-examples of the
# follow-up and side-report rules: the later incident is still reported.
EN_SECOND_INCIDENTS = [
    # An arrest in a place of its own is an incident of its own.
    ("Gunmen killed three people in Kabul on Friday. Police arrested five protesters in Herat on Saturday.",
     [("armed_attack", "Kabul"), ("arrest", "Herat")]),
    ("In Kharkiv, two people were wounded by shelling on Saturday.", [("shelling", "Kharkiv")]),
]


@pytest.mark.parametrize(("text", "expected"), EN_SECOND_INCIDENTS)
def test_english_separate_incidents_are_kept(text: str, expected: list[tuple[str, str]]) -> None:
    incidents = _incidents(text)
    assert [(i["type"], i["location"]["name"]) for i in incidents] == expected, incidents


def test_english_side_report_is_less_confident_than_the_same_report_alone() -> None:
    alone = _incidents("In Kharkiv, two people were wounded by shelling on Saturday.")
    after = _incidents("A missile struck Dnipro on Saturday, killing 30 people. "
                       "In Kharkiv, two people were wounded by shelling on Saturday.")
    assert after[1]["location"]["name"] == "Kharkiv"
    assert after[1]["confidence"] < alone[0]["confidence"]


# Articles that report no incident: an arrest after an accident is the accident's aftermath.
EN_NOT_REPORTED = [
    "An explosion in a coal mine in Amasra on Friday killed 41 miners, the minister said. "
    "Prosecutors detained five people over suspected safety failures.",
    "A series of powerful earthquakes struck western Afghanistan on Saturday, killing more than 2,000 people.",
    "Crowds gathered in Kerman on Wednesday to mark the anniversary of the bombing that killed 84 people.",
]


@pytest.mark.parametrize("text", EN_NOT_REPORTED)
def test_english_articles_without_an_incident(text: str) -> None:
    assert _incidents(text) == []


# Counter-example of the accident follow-up: an arrest that opens the article is reported.
def test_english_arrest_alone_is_an_incident() -> None:
    (incident,) = _incidents("Police detained five people in Amasra on Friday.")
    assert incident["type"] == "arrest"


# (sentence, main type): the lead's own trigger types it, not the anniversary or the outfit.
EN_LEAD_TYPES = [
    ("Two explosions ripped through a crowd marking the anniversary of the general's death in Kerman "
     "on Wednesday, killing 84 people.", "bombing"),
    ("Gunmen in combat fatigues opened fire on shoppers in Moscow on Friday, killing 12 people.", "armed_attack"),
    # Counter-example: a fight with no other trigger is still a clash.
    ("Government troops and rebels engaged in fierce combat near Goma on Friday, leaving 12 fighters dead.",
     "armed_clash"),
    ("Hundreds of settlers rampaged through Huwara on Sunday night, setting fire to dozens of homes.", "riot"),
]


@pytest.mark.parametrize(("text", "expected"), EN_LEAD_TYPES)
def test_english_main_type_of_the_lead(text: str, expected: str) -> None:
    assert _main(text)["type"] == expected


# (sentence, country, place name): a demonym and a place noun name the country, not a town.
EN_DEMONYM_PLACES = [
    ("A man stabbed a teacher at a school in the northern French city of Arras on Friday.", "FR", "Arras"),
    ("A car bomb exploded in the Iraqi city of Mosul on Tuesday.", "IQ", "Mosul"),
    # Counter-example: a real name that ends in "City".
    ("A gunman opened fire at a parade in Kansas City on Wednesday.", "US", "Kansas City"),
]


@pytest.mark.parametrize(("text", "country", "name"), EN_DEMONYM_PLACES)
def test_english_demonym_and_place_noun_are_not_a_town_name(text: str, country: str, name: str) -> None:
    location = _main(text)["location"]
    assert (location["country_code"], location["name"]) == (country, name), location


# (sentence, country, admin1): a town the text puts in another country's province is misread.
EN_TOWN_IN_ITS_PROVINCE = [
    ("Russian warplanes struck a market in Jisr al-Shughur, in Syria's Idlib province, on Sunday, "
     "killing nine civilians.", "SY", "Idlib"),
    ("Fighters killed 100 people in an attack on the village of Wad al-Noura in Sudan's Gezira state on Wednesday.",
     "SD", "Gezira"),
    # Counter-examples: a country named once may be the misreading, and an origin is no container.
    ("A gunman killed four people at a high school in Winder, Georgia, on Wednesday.", "US", "Georgia"),
    ("Four U.S. citizens were kidnapped after crossing into Matamoros from Texas on Friday.", "MX", "Tamaulipas"),
]


@pytest.mark.parametrize(("text", "country", "admin1"), EN_TOWN_IN_ITS_PROVINCE)
def test_english_town_is_read_in_the_province_the_text_gives(text: str, country: str, admin1: str) -> None:
    location = _main(text)["location"]
    assert (location["country_code"], location["admin1"]) == (country, admin1), location


# (article, killed and injured of the main incident): asides about an earlier time or other places,
# and the earlier event a protest is about, give no figures; a participle after a comma goes back
# to the report.
EN_ASIDES = [
    ("A man stabbed a bishop during a service in Wakeley on Monday, wounding four people, police said. "
     "Three days earlier, a man killed six people at a shopping centre in Bondi Junction.", None, 4),
    ("A Russian missile hit a children's hospital in Kyiv on Monday, killing two adults and wounding 16 people. "
     "Strikes on other cities the same day killed at least 31 people.", 2, 16),
    ("Thousands of protesters blocked a bridge in Novi Sad on Sunday, demanding accountability for the collapse "
     "of a station canopy that killed 15 people.", None, None),
    ("Police fired on protesters demanding justice for a teacher in Nairobi on Tuesday, killing three people.", 3, None),
    # Counter-examples: without the aside cue the later figure is the story's update; an aside
    # that opens the article is its report.
    ("A Russian missile hit a children's hospital in Kyiv on Monday, killing two adults. "
     "Officials later said at least 31 people had been killed in the strike.", 31, None),
    ("A day earlier, gunmen killed six people at a market in Maiduguri.", 6, None),
]


@pytest.mark.parametrize(("text", "killed", "injured"), EN_ASIDES)
def test_english_asides_give_no_figures(text: str, killed: int | None, injured: int | None) -> None:
    main = _main(text)
    assert (_value(main["killed"]), _value(main["injured"])) == (killed, injured), main


# (sentence, publication, incidents): a past month and year, a law's penalties, a figurative kill.
EN_PAST_AND_FIGURATIVE = [
    ("A Paris court opened the trial of eight people accused of helping the man who beheaded a teacher "
     "outside his school in Conflans-Sainte-Honorine in October 2020.", WEDNESDAY, 0),
    ("A man beheaded a teacher outside his school in Conflans-Sainte-Honorine in October 2020.",
     "2020-10-20T12:00:00Z", 1),
    ("Uganda's president signed into law on Friday a bill that imposes life sentences for attacks on health "
     "workers.", WEDNESDAY, 0),
    ("Rising rates killed off the housing recovery on Tuesday.", WEDNESDAY, 0),
    ("The budget killed off any hope of growth on Tuesday, the opposition leader said.", WEDNESDAY, 0),
    ("Gunmen killed off-duty police officers in Kano on Tuesday.", WEDNESDAY, 1),
    ("Gunmen killed five fishermen off the coast of Lamu on Wednesday.", WEDNESDAY, 1),
]


@pytest.mark.parametrize(("text", "published", "n"), EN_PAST_AND_FIGURATIVE)
def test_english_past_legal_and_figurative_mentions(text: str, published: str, n: int) -> None:
    assert len(_incidents(text, published=published)) == n


# (article, main type, main place name, main killed): a separate side story does not outrank a
# lead that gives a figure, a day and a place, even with a weak trigger.
EN_SEPARATE_STORIES = [
    ("ABUJA (Reuters) - Suspected militants killed 30 villagers in Zamfara state on Sunday, police said. "
     "In a separate attack in Katsina on Monday, 12 people were abducted.", "armed_attack", "Zamfara", 30),
    ("Bandits killed 30 villagers in Zamfara state on Sunday, police said. "
     "Separately, gunmen abducted 12 people in Katsina on Monday.", "armed_attack", "Zamfara", 30),
    # Counter-example: a lead with no figure of its own does not get the floor.
    ("Suspected militants killed villagers in Zamfara state, police said. "
     "In a separate attack in Katsina on Monday, gunmen abducted 12 people.", "abduction", "Katsina", None),
]


@pytest.mark.parametrize(("text", "type_", "place", "killed"), EN_SEPARATE_STORIES)
def test_english_separate_story_does_not_outrank_the_lead(text: str, type_: str, place: str, killed: int | None) -> None:
    main = _main(text)
    assert (main["type"], main["location"]["name"], _value(main["killed"])) == (type_, place, killed), main


# (article, place name of the main incident): the dateline city is where the report was filed.
EN_DATELINES = [
    ("BEIRUT - A drone strike on a car near the southern city of Tyre killed two Hezbollah members on Sunday.",
     "Tyre"),
    ("BEIRUT (Reuters) - A drone strike on a car near Tyre killed two men on Sunday, a security source said.",
     "Tyre"),
    # Counter-examples: the dateline city named again in the report, or a place in the report.
    ("BEIRUT (Reuters) - An Israeli strike on Beirut's southern suburbs on Tuesday killed four people.", "Beirut"),
    ("KABUL - An explosion tore through a mosque in Mazar-i-Sharif on Thursday, killing 31 worshippers.",
     "Mazar-e Sharif"),
]


@pytest.mark.parametrize(("text", "name"), EN_DATELINES)
def test_english_dateline_is_not_the_incident_place(text: str, name: str) -> None:
    assert _main(text)["location"]["name"] == name
