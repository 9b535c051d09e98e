"""English place resolution: states among states, namesakes of countries and oceans, possessives,
places before "said", and names news uses that GeoNames lacks (sentences written for the tests)."""

from __future__ import annotations

from datetime import date

import pytest

from streams.extract.doc import Doc, Place
from streams.extract.gazetteer import _drop_strays, haversine_km
from streams.extract.pipeline import prepare
from streams.extract.places import find_places


def _places(text: str) -> list[Place]:
    doc: Doc = prepare(text, "en", date(2020, 5, 1))
    find_places(doc)
    return doc.places


def _one(text: str, written: str) -> Place:
    found = [p for p in _places(text) if p.text == written]
    assert found, f"{written!r} not found in {text!r}"
    return found[0]


# (sentence, name as written, what it must resolve to)
EN_CASES = [
    # A list of states: each is a state, not a town of that name in another state.
    ("Cases were reported in Nebraska, Wyoming, Kansas and Virginia.", "Nebraska",
     {"feature": "admin1", "country_code": "US", "name": "Nebraska"}),
    ("Cases were reported in Nebraska, Wyoming, Kansas and Virginia.", "Wyoming",
     {"feature": "admin1", "country_code": "US", "name": "Wyoming"}),
    ("Illnesses were reported in Ohio, New York and Pennsylvania.", "New York",
     {"feature": "admin1", "country_code": "US"}),
    # Georgia among American places is the US state; next to Armenia it is the country.
    ("The girl flew from Atlanta, Georgia to Wichita, Kansas.", "Georgia",
     {"feature": "admin1", "country_code": "US"}),
    ("Outbreaks were confirmed in Texas, Georgia and Florida.", "Georgia",
     {"feature": "admin1", "country_code": "US"}),
    ("Georgia and Armenia signed a gas deal in Tbilisi.", "Georgia",
     {"feature": "country", "country_code": "GE"}),
    # Oceans and world regions go before towns named after them.
    ("Flyways on the Pacific side run from Alaska to California.", "Pacific",
     {"feature": "region", "country_code": None}),
    ("Millions of children in the Middle East missed a vaccine, officials in Maryland said.", "Middle East",
     {"feature": "region", "country_code": None}),
    # The possessive: Peru, not the Brazilian town of Perus; Java, not Yavas in Russia.
    ("All of Peru's blood banks were closed on Monday.", "Peru", {"feature": "country", "country_code": "PE"}),
    ("The wave ravaged Java's southern coast.", "Java", {"country_code": "ID"}),
    # A city after "of" or a direction is a place even before "said"/"told".
    ("The top medical official of Auckland, said the patient was isolated.", "Auckland", {"country_code": "NZ"}),
    ("A resident of a suburb east of Harare, told reporters the taps were dry.", "Harare",
     {"country_code": "ZW"}),
    # A national capital of millions is not a small namesake town of the article's country.
    ("Storms hit Texas and Oklahoma on Monday. The preliminary result came from a laboratory in Cairo.",
     "Cairo", {"country_code": "EG"}),
    ("Senators in Texas and Oklahoma met on Monday. The delegation then flew to Moscow.", "Moscow",
     {"country_code": "RU"}),
    # Names GeoNames lacks: Kenya's former provinces, the Americas, "Republic of Congo".
    ("Cholera spread through Nyanza Province, near Kisumu.", "Nyanza Province",
     {"feature": "region", "country_code": "KE"}),
    ("Deaths were reported in Nyanza and the Rift Valley.", "Nyanza", {"feature": "region", "country_code": "KE"}),
    ("Measles cases were imported to the Americas from Europe.", "Americas",
     {"feature": "region", "name": "Americas"}),
    ("Nine people died of Ebola in the Republic of Congo this month.", "Republic of Congo",
     {"feature": "country", "country_code": "CG"}),
]


@pytest.mark.parametrize(("text", "written", "expected"), EN_CASES)
def test_places_en_picks_the_reading_the_context_means(text, written, expected):
    place = _one(text, written)
    got = {k: getattr(place, k) for k in expected}
    assert got == expected, place


# (sentence, word that must stay a person's name)
EN_PERSONS = [
    ("Senator Lincoln said the bill would pass.", "Lincoln"),
    ("Lawyer Paul Kemp said his client had no role.", "Kemp"),
]


# (sentence, ordinary word that must stay a word)
EN_ORDINARY_WORDS = [
    ("Buffalo, the animals, roam the plains of Montana.", "Buffalo"),
]


@pytest.mark.parametrize(("text", "word"), EN_ORDINARY_WORDS)
def test_places_en_ordinary_word_at_a_sentence_start_stays_a_word(text, word):
    assert not [p for p in _places(text) if p.text == word]


@pytest.mark.parametrize(("text", "word"), EN_PERSONS)
def test_places_en_a_name_before_said_stays_a_person(text, word):
    assert not [p for p in _places(text) if p.text == word]


# (points of an admin1 unit, the ones a centre must ignore)
STRAYS = [
    # Jiangsu's places and one GeoNames codes to Jiangsu that lies in Sichuan.
    ([(32.06, 118.78), (31.3, 120.6), (34.2, 117.3), (33.6, 119.0), (31.8, 119.9), (29.04, 100.3)],
     [(29.04, 100.3)]),
    # A compact unit has no stray.
    ([(32.06, 118.78), (31.3, 120.6), (34.2, 117.3), (33.6, 119.0), (31.8, 119.9)], []),
    # Scattered islands 200 km apart are the unit's own, not strays.
    ([(0.0, 0.0), (1.8, 0.0), (3.6, 0.0), (5.4, 0.0), (7.2, 0.0)], []),
    # Two miscoded villages near each other, far from the unit's forty places, are strays too.
    ([(45.0 + 0.1 * k, 127.0 + 0.1 * k) for k in range(40)] + [(44.0, 87.7), (44.1, 87.4)],
     [(44.0, 87.7), (44.1, 87.4)]),
]


@pytest.mark.parametrize(("points", "strays"), STRAYS)
def test_gazetteer_admin1_centre_ignores_miscoded_places_far_from_all_others(points, strays):
    kept = _drop_strays(points)
    assert sorted(set(points) - set(kept)) == sorted(strays)
    for s in strays:
        assert all(haversine_km(*s, *p) > 500 for p in kept)


# A trading partner named in the sentence ("imports from the United States").
EN_TRADE_PARTNERS = [
    ("Farmers protested in Seoul against beef imports from the United States on Sunday.", "United States"),
    ("Workers marched in Dhaka against garment exports to Britain on Sunday.", "Britain"),
]

# (sentence, name as written, country the sentence puts it in): a town said to lie in another
# country is not its namesake elsewhere.
EN_TOWN_IN_ANOTHER_COUNTRY = [
    # The gazetteer has no Palmira in Nigeria: the Colombian namesake must not be read.
    ("Fighting was reported in Palmira in Nigeria's Plateau state on Friday.", "Palmira", "NG"),
    ("Gunmen attacked Toledo in northern Kenya on Friday.", "Toledo", "KE"),
    # ... qualified by a state of another country ("X, Ontario": no Stroud in Ontario is known).
    ("The driver was arrested on a highway in Stroud, Ontario, Canada on Sunday.", "Stroud", "CA"),
    # ... said to lie in a district of another country (no Kalam in Pakistan is known).
    ("The pilot was stranded in the tourist town of Kalam in the Swat Valley, north-west Pakistan.", "Kalam", "PK"),
    # ... listed among towns of another country, and read only by a foreign town's alternate name
    # (Suva, Fiji, is also called Suba).
    ("Cholera was reported in Suba, Migori, Homa Bay and Kisumu districts.", "Suba", "KE"),
]


@pytest.mark.parametrize(("text", "written", "country"), EN_TOWN_IN_ANOTHER_COUNTRY)
def test_places_en_town_said_to_lie_in_another_country_is_not_misread(text, written, country):
    places = _places(text)
    assert all(p.country_code == country for p in places if p.text == written), places
    assert any(p.country_code == country for p in places), places


# (sentence, name as written, what it must resolve to)
EN_WIRE_PLACES = [
    # The town named in its own country's state keeps its reading.
    ("Gunmen attacked a bar in Celaya in Mexico's Guanajuato state.", "Celaya", {"country_code": "MX", "feature": "city"}),
    # The wires write Shabwa for Yemen's Shabwah governorate.
    ("A drone strike hit a car in Yemen's Shabwa province on Monday.", "Shabwa province",
     {"country_code": "YE", "admin1": "Shabwah"}),
    # A district by its name without the transliterated generic word GeoNames writes
    # ("Kabupaten Karo"), not a namesake abroad (Kalaw, Myanmar, is also called Karo).
    ("Dozens of villagers in the district of Karo in northern Sumatra fell ill after a wedding.", "Karo",
     {"country_code": "ID", "feature": "admin2"}),
    ("Aid convoys reached Aceh Besar on Monday.", "Aceh Besar", {"country_code": "ID", "admin1": "Aceh"}),
]


@pytest.mark.parametrize(("text", "written", "expected"), EN_WIRE_PLACES)
def test_places_en_wire_spellings_resolve(text, written, expected):
    place = _one(text, written)
    assert {k: getattr(place, k) for k in expected} == expected, place


# (sentence, name as written, country): a city of a few hundred thousand people is what news means by
# its name, not a small admin1 unit of another country so named (a Mozambican province, a Jamaican
# parish); naming the unit's country still reads the unit.
EN_CITY_OVER_FOREIGN_UNIT = [
    ("An Israeli soldier was killed in Gaza on Monday.", "Gaza", "PS"),
    ("Police arrested 30 protesters in Manchester on Monday.", "Manchester", "GB"),
    ("Two people were shot dead in Portland on Monday.", "Portland", "US"),
    # counter-examples: the unit's country is named.
    ("Gunmen killed three people in Gaza province, Mozambique, on Monday.", "Gaza province", "MZ"),
    ("Floods hit the parish of Manchester in central Jamaica on Monday.", "Manchester", "JM"),
]


@pytest.mark.parametrize(("text", "written", "country"), EN_CITY_OVER_FOREIGN_UNIT)
def test_places_en_big_city_beats_a_small_foreign_unit_of_its_name(text, written, country):
    assert _one(text, written).country_code == country


@pytest.mark.parametrize(("text", "written"), EN_TRADE_PARTNERS)
def test_places_en_trade_partner_is_not_an_incident_place(text, written):
    assert all(p.role in ("actor", "mentioned") for p in _places(text) if p.text == written)


# (sentence, name as written, what it must resolve to): states and the towns named after them.
EN_STATES_AND_NAMESAKE_TOWNS = [
    # A list of states: "X, Y" inside it is not the town X in state Y.
    ("Infections were confirmed in Georgia, Oklahoma, Pennsylvania, Wisconsin and Iowa.", "Oklahoma",
     {"feature": "admin1", "name": "Oklahoma"}),
    ("Farms in Arizona, Colorado, Illinois, Missouri and Kansas were quarantined.", "Illinois",
     {"feature": "admin1", "name": "Illinois"}),
    ("Health officials are tracing cases in Washington, Pennsylvania and Ohio.", "Washington",
     {"feature": "admin1", "name": "Washington"}),
    ("Health officials are tracing cases in Virginia, Washington, West Virginia and Ohio.", "Washington",
     {"feature": "admin1", "name": "Washington"}),
    # A town of the same name near the state's centre but in another state is not the state's
    # own town: the list still makes Delaware the state (Delaware County, Pennsylvania is near).
    ("Cases were reported in Arkansas, Colorado, Delaware, Idaho, Maine and Virginia.", "Delaware",
     {"feature": "admin1", "name": "Delaware"}),
    # The state named in the town's own sentence goes before one named elsewhere in the article.
    ("A lab at Ames, Iowa tested the samples. Dead swans were found in Michigan near a marsh in Monroe County last week.",
     "Monroe County", {"admin1": "Michigan"}),
    # A district qualifies a town GeoNames now puts in a neighbouring district of the same
    # province (Davao Occidental was split from Davao del Sur), over namesakes near other places.
    ("Pigs died in Santa Maria, Davao del Sur. Pandi in Bulacan and Talavera in Nueva Ecija also reported cases.",
     "Santa Maria", {"country_code": "PH", "admin1": "Davao"}),
    # An ordinary word beginning a sentence is a place when a state holding a town of that name
    # qualifies it ("Buffalo" is a common word, see common_words).
    ("They may go out of the country. Buffalo, New York in the United States may take them.", "Buffalo",
     {"feature": "city", "admin1": "New York"}),
    # Outside a list, the state still qualifies the town before it.
    ("A steel mill closed in Washington, Pennsylvania on Monday.", "Washington",
     {"feature": "city", "admin1": "Pennsylvania"}),
    # The state itself, not the city that bears its name as "X City" (Oklahoma City).
    ("Oklahoma reported two more deaths on Sunday.", "Oklahoma", {"feature": "admin1", "name": "Oklahoma"}),
    # Two towns of the named state bear the name: the one whose own name it is (the other,
    # Saint Albans, bears it only as an alternate name).
    ("A coal miner from Philippi, West Virginia was convicted on Monday.", "Philippi",
     {"name": "Philippi", "admin1": "West Virginia"}),
    # In a list of names, "X, Y" is not the town X in state Y, whatever their countries.
    ("Cases were confirmed in London, Germany and Spain.", "London", {"country_code": "GB"}),
    ("Flights from London, Ontario and Paris were cancelled.", "London", {"country_code": "CA"}),
    ("The samples came from Queen Anne's County in Maryland.", "Maryland", {"feature": "admin1", "name": "Maryland"}),
    # "The state of X", "X province": the state or province, not a town of that name.
    ("The first case was found in the state of Washington last year.", "Washington",
     {"feature": "admin1", "name": "Washington"}),
    # ... but an institution's name ("Ohio State University") says nothing about the place.
    ("Researchers at Ohio State University tested samples from Ohio.", "Ohio", {"feature": "admin1"}),
]


@pytest.mark.parametrize(("text", "written", "expected"), EN_STATES_AND_NAMESAKE_TOWNS)
def test_places_en_states_are_not_read_as_their_namesake_towns(text, written, expected):
    place = _one(text, written)
    assert {k: getattr(place, k) for k in expected} == expected, place


# (sentence, name as written, what it must resolve to): areas the curated supplement adds.
EN_CURATED_AREAS = [
    # English regions (ITL1), not a shorter namesake abroad (Midlands, Zimbabwe; South-West, Cameroon).
    ("Flooding hit the West Midlands on Friday.", "West Midlands", {"country_code": "GB", "feature": "region"}),
    ("A caravan park in Cornwall in South West England was evacuated.", "South West England",
     {"country_code": "GB", "feature": "region"}),
    # ... and the town or county said to lie in it is read in the same country.
    ("A caravan park in Cornwall in South West England was evacuated.", "Cornwall", {"country_code": "GB"}),
    # UN geoscheme subregions and US regions.
    ("Bird flu may spread from Northern Europe to the UK.", "Northern Europe", {"feature": "region", "country_code": None}),
    ("Salmon runs in the Pacific Northwest collapsed.", "Pacific Northwest", {"feature": "region"}),
    ("Tornadoes tore through the Midwest overnight.", "Midwest", {"feature": "region", "country_code": "US"}),
    # A curated region goes before a country that has its name only as an alternate name.
    ("Cases rose in Central Africa this month.", "Central Africa", {"feature": "region", "country_code": None}),
    # Former Norwegian counties (merged into Innlandet and Agder).
    ("Snow closed roads in Hedmark and Oppland on Monday.", "Hedmark", {"country_code": "NO", "admin1": "Innlandet"}),
    ("The ferry from Vest-Agder was cancelled.", "Vest-Agder", {"country_code": "NO", "admin1": "Agder"}),
    # Former provinces of the DR Congo (split in 2015) and Egyptian governorates as news spells them.
    ("The disease struck in Ituri district, Orientale province, in the north of Congo.", "Orientale province",
     {"country_code": "CD", "feature": "region"}),
    ("Miners in Katanga went on strike.", "Katanga", {"country_code": "CD"}),
    ("A woman from Menoufia died of bird flu on Friday.", "Menoufia", {"country_code": "EG", "feature": "admin1"}),
    # US military posts: a former name of a renamed post, and a post GeoNames lacks as a town.
    ("A soldier died at his home near Fort Hood on Friday.", "Fort Hood", {"country_code": "US", "admin1": "Texas"}),
    ("The spores were produced at Fort Detrick, officials said.", "Fort Detrick",
     {"country_code": "US", "admin1": "Maryland"}),
    # The European Union, written out or as "EU"; former names of countries.
    ("France is the seventh country in the European Union to report the disease.", "European Union",
     {"feature": "region"}),
    ("Sweden is the ninth country in the EU to confirm the virus.", "EU", {"name": "European Union"}),
    ("An outbreak of Ebola was reported in Zaire in 1976.", "Zaire", {"country_code": "CD", "feature": "country"}),
]


@pytest.mark.parametrize(("text", "written", "expected"), EN_CURATED_AREAS)
def test_places_en_curated_areas_resolve(text, written, expected):
    place = _one(text, written)
    assert {k: getattr(place, k) for k in expected} == expected, place


def test_places_en_list_of_two_countries_is_not_read_as_a_region_named_after_both():
    # "Australia and New Zealand" is two countries, never one area.
    assert {p.text for p in _places("Trade between Australia and New Zealand resumed.")} == {"Australia", "New Zealand"}


# (sentence, unit as written, geonameid of a town near the unit's geographic centre, km): a
# large unit's point is its reviewed centre, not the midpoint of its populated edge or a point
# pulled off by far islands (Queensland's lay 350 km north, Ontario's on Lake Superior, Florida's
# in the Gulf of Mexico).
EN_LARGE_UNIT_CENTRES = [
    ("Floods cut roads across Queensland on Monday.", "Queensland", 2159630, 150),  # Longreach
    ("Forest fires burned in Ontario.", "Ontario", 5960603, 100),  # Geraldton, Ontario
    ("Bird flu was found on a farm in England.", "England", 2652221, 40),  # Coventry
    ("A dead swan was found in Scotland.", "Scotland", 2640255, 40),  # Pitlochry
    ("Hurricane damage was reported across Florida.", "Florida", 4148986, 40),  # Brooksville
    ("Snow closed schools in Michigan.", "Michigan", 4987617, 40),  # Cadillac
]


@pytest.mark.parametrize(("text", "written", "near", "km"), EN_LARGE_UNIT_CENTRES)
def test_places_en_large_unit_is_placed_at_its_centre(text, written, near, km):
    from streams.extract.gazetteer import load_gazetteer

    place = _one(text, written)
    town = load_gazetteer().get(near)
    assert place.feature == "admin1"
    assert haversine_km(place.lat, place.lon, town.lat, town.lon) < km, place


def test_places_en_town_of_a_large_unit_keeps_its_own_point():
    # The unit's centre is the unit's alone: Townsville stays on the coast, 430 km from it.
    from streams.extract.gazetteer import load_gazetteer

    town = _one("Bushfires burned in Townsville, Queensland.", "Townsville")
    state = _one("Bushfires burned in Townsville, Queensland.", "Queensland")
    own = load_gazetteer().get(town.geonameid)
    assert (town.lat, town.lon) == (own.lat, own.lon)
    assert haversine_km(town.lat, town.lon, state.lat, state.lon) > 300


# (text, name as written, what it must resolve to): the context of an article that names many
# places of one country does not turn a well-known place into a small namesake there.
EN_NAMESAKES_IN_CONTEXT = [
    # A unit of tens of millions is not a village of the article's country ...
    ("The United States has seen two cases of the disease. The first was found in the state of Washington. "
     "The second infected cow was discovered in Texas in 2005. The later case was diagnosed in England after "
     "earlier samples had shown conflicting results.", "England", {"feature": "admin1", "country_code": "GB"}),
    # ... unless the text says so, and a big city of the name stays the city.
    ("A tornado hit England, Arkansas, on Friday.", "England", {"feature": "city", "country_code": "US"}),
    ("Sao Paulo reported 327 deaths on Monday, and Rio de Janeiro 120.", "Sao Paulo",
     {"feature": "city", "country_code": "BR"}),
    # A capital of millions is not a village of a state the article names.
    ("Researchers at the University of California, San Diego found that a cold virus may be linked to obesity "
     "in the United States. A nurse was treated at the Royal Free Hospital in London.", "London",
     {"country_code": "GB"}),
    ("Police in London, Ontario, said the road was closed.", "London", {"country_code": "CA"}),
    # The town that bears the name as its own and is the bigger, though another state is named ...
    ("Researchers at the University of California, San Diego found that a cold virus may be linked to obesity. "
     "Schools in California and Los Angeles took part. A doctor at the Children's Hospital of Pittsburgh said "
     "children were at risk.", "Pittsburgh", {"admin1": "Pennsylvania"}),
    # ... but the town the text places in that state, and a city known by a variant spelling
    # over a village bearing the name as its own.
    ("A fire broke out in Pittsburg, California, on Monday.", "Pittsburg", {"admin1": "California"}),
    ("Russian drones hit an apartment block in Zaporizhzhia overnight.", "Zaporizhzhia",
     {"feature": "city", "name": "Zaporizhzhya"}),
    # A name coordinated with a country is the country, though the article names Nigerians;
    # coordinated with a Nigerian place, or alone, it is Nigeria's Niger State.
    ("Nigerian officials said polio had been eradicated in Egypt and Niger.", "Niger",
     {"feature": "country", "country_code": "NE"}),
    ("Nigerian police said gunmen killed 20 villagers in Niger and Kaduna.", "Niger",
     {"feature": "admin1", "country_code": "NG"}),
    ("Nigerian police said gunmen killed 20 villagers in Niger.", "Niger", {"feature": "admin1", "country_code": "NG"}),
]


@pytest.mark.parametrize(("text", "written", "expected"), EN_NAMESAKES_IN_CONTEXT)
def test_places_en_context_does_not_turn_a_known_place_into_a_small_namesake(text, written, expected):
    place = _one(text, written)
    assert {k: getattr(place, k) for k in expected} == expected, place


# (sentence, name as written, role): a place after a speech verb and "in" is where a statement was
# made, not the incident's place; the same name after a bare "in" is.
EN_STATEMENT_PLACES = [
    ("Two guards were killed near the border, the security service said in Bishkek.", "Bishkek", "mentioned"),
    ("Fighting killed 40 people, a United Nations spokesman told reporters in Geneva.", "Geneva", "mentioned"),
    ("Two guards were killed in Bishkek, the security service said.", "Bishkek", "incident_location"),
]


@pytest.mark.parametrize(("text", "written", "role"), EN_STATEMENT_PLACES)
def test_places_en_place_of_a_statement_is_not_the_incident_place(text, written, role):
    assert _one(text, written).role == role


# (sentence, first word of a longer name the gazetteer lacks): a town read by an alternate name
# (Monastir, Tunisia, is also called Mir) is no reading of a name that goes on ("Mir Ali").
EN_TRUNCATED_NAMES = [
    ("A suicide bomber struck a convoy in the Mir Ali area of North Waziristan on Monday.", "Mir"),
]


@pytest.mark.parametrize(("text", "word"), EN_TRUNCATED_NAMES)
def test_places_en_first_word_of_a_longer_name_is_no_foreign_town(text, word):
    assert not any(p.text == word for p in _places(text)), _places(text)


def test_places_en_town_read_by_its_own_name_before_a_capitalized_word_is_kept():
    # counter-example: only an alternate-name reading gives way; Peshawar is Peshawar's own name.
    assert _one("A bomb exploded outside the Peshawar Press Club on Monday.", "Peshawar").country_code == "PK"
