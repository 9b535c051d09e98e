"""What users would pick instead of our extractor, as place resolvers with the same interface.

Every system turns an English text into a list of :class:`Mention` (span, name, coordinates),
and :func:`predict_point` picks the one point a single-location case is scored on, with the same
rule for every system, so only the systems differ:

* ``ours``: the pipeline (:func:`streams.extract.pipeline.extract_article`). Its point is the
  location of the main incident (highest confidence, as ``streams evaluate`` scores it); when it
  finds no incident, the rule below over its places.
* ``geotext`` (0.4.0): the plain gazetteer tagger: capitalised words looked up in GeoNames
  cities15000 and a country list. It gives names without coordinates, so each city is resolved
  to the most populous cities15000 entry of that name in the country geotext assigns it (what a
  user of geotext would do), each country to its centre in our gazetteer.
* ``flashtext`` (2.7): keyword matching over the same GeoNames names our gazetteer has (every
  Latin-script name key), each match resolved to the most populous place with that name, and
  kept only when it is capitalised in the text (without that filter, "of" or "said" match).

The single-point rule for the baselines (and for ours without an incident): the first mention
of a city-level place (city, admin2 or region), else the first mention of anything.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

from common import REPO  # noqa: F401  (puts the repository on sys.path)

from streams.extract.gazetteer import FEATURES, Gazetteer, load_gazetteer

SPECIFIC = frozenset({"city", "admin2", "region"})


@dataclass(frozen=True, slots=True)
class Mention:
    """A place name found in a text and the point a system resolved it to."""

    start: int
    end: int
    name: str
    feature: str  # country | admin1 | admin2 | city | region
    lat: float | None
    lon: float | None


def first_point(mentions: list[Mention]) -> Mention | None:
    """The single-point rule: the first city-level mention with coordinates, else the first with any."""
    located = [m for m in mentions if m.lat is not None]
    for m in located:
        if m.feature in SPECIFIC:
            return m
    return located[0] if located else None


# ------------------------------------------------------------------------------------------ ours


class Ours:
    """Our pipeline as a place resolver."""

    name = "ours"

    def __init__(self) -> None:
        """Load the gazetteer and warm the lexicons (one untimed article)."""
        from streams.extract.pipeline import extract_article

        self._extract = extract_article
        load_gazetteer()
        # One untimed article per language: the first one compiles that language's lexicons.
        extract_article({"id": "warm", "text": "Two people were killed in Mosul on Friday.", "lang": "en"})
        extract_article({"id": "warm", "text": "قتل شخصان في الموصل يوم الجمعة.", "lang": "ar"})

    def run(self, text: str, published_at: str | None = None) -> dict:
        """The enriched article (the whole extraction: what the speed figures time)."""
        return self._extract({"id": "b", "text": text, "lang": "en", "published_at": published_at})

    def mentions(self, text: str, published_at: str | None = None) -> tuple[list[Mention], Mention | None]:
        """Every place found (with its resolution) and the case's single point."""
        enriched = self.run(text, published_at)
        mentions = [
            Mention(p["start"], p["end"], p.get("name") or p.get("text", ""), p.get("feature") or "city",
                    p.get("lat"), p.get("lon"))
            for p in enriched.get("places", []) if "start" in p
        ]
        incidents = enriched.get("incidents") or []
        if incidents:
            main = max(incidents, key=lambda inc: inc.get("confidence") or 0.0)
            loc = main.get("location") or {}
            if loc.get("lat") is not None:
                return mentions, Mention(-1, -1, loc.get("name") or "", "city", loc["lat"], loc["lon"])
        return mentions, first_point(mentions)


# ---------------------------------------------------------------------------------------- geotext


class GeoTextBaseline:
    """geotext 0.4.0 with coordinates from its own cities15000 file."""

    name = "geotext"

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        """Import geotext (it builds its index at import) and read coordinates for its city names."""
        import geotext

        self._GeoText = geotext.GeoText
        gaz = gazetteer or load_gazetteer()
        data = Path(geotext.__file__).resolve().parent / "data" / "cities15000.txt"
        best: dict[tuple[str, str], tuple[int, float, float]] = {}
        for line in data.read_text(encoding="utf-8").splitlines():
            cols = line.split("\t")
            if len(cols) < 15:
                continue
            key = (cols[1].lower(), cols[8])
            pop = int(cols[14] or 0)
            if key not in best or pop > best[key][0]:
                best[key] = (pop, float(cols[4]), float(cols[5]))
        self._city = best
        self._country_point: dict[str, tuple[float, float] | None] = {}
        for cc in set(geotext.GeoText.index.countries.values()):
            entry = gaz.country(cc)
            self._country_point[cc] = (entry.lat, entry.lon) if entry and entry.lat is not None else None

    def run(self, text: str, published_at: str | None = None) -> object:
        """The raw geotext result (what the speed figures time, with :meth:`resolve`)."""
        return self._GeoText(text)

    def resolve(self, text: str, result) -> list[Mention]:
        """Spans and coordinates for geotext's names, in text order."""
        index = self._GeoText.index
        out: list[Mention] = []
        for names, feature in ((result.cities, "city"), (result.countries, "country")):
            for name in dict.fromkeys(names):
                if feature == "city":
                    hit = self._city.get((name.lower(), index.cities.get(name.lower(), "")))
                    lat, lon = (hit[1], hit[2]) if hit else (None, None)
                else:
                    point = self._country_point.get(index.countries.get(name.lower(), ""))
                    lat, lon = point if point else (None, None)
                for m in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text):
                    out.append(Mention(m.start(), m.end(), name, feature, lat, lon))
        out.sort(key=lambda m: m.start)
        return out

    def mentions(self, text: str, published_at: str | None = None) -> tuple[list[Mention], Mention | None]:
        """Every place found (with its resolution) and the case's single point."""
        mentions = self.resolve(text, self.run(text))
        return mentions, first_point(mentions)


# -------------------------------------------------------------------------------------- flashtext


class FlashTextBaseline:
    """flashtext 2.7 over every Latin-script name of our gazetteer, most populous place per name."""

    name = "flashtext"

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        """Build the keyword trie (a few seconds: that is this baseline's start-up)."""
        from flashtext import KeywordProcessor

        self.gaz = gazetteer or load_gazetteer()
        pop = self.gaz.pop_of
        t0 = time.perf_counter()
        kp = KeywordProcessor(case_sensitive=False)
        for key, entries in self.gaz.all_names("latin"):
            kp.add_keyword(key, max(entries, key=pop.__getitem__))
        self.build_seconds = time.perf_counter() - t0
        self.keywords = len(kp)
        self._kp = kp

    def run(self, text: str, published_at: str | None = None) -> list:
        """Raw matches ``(entry index, start, end)`` (what the speed figures time, with :meth:`resolve`)."""
        return self._kp.extract_keywords(text, span_info=True)

    def resolve(self, text: str, matches: list) -> list[Mention]:
        """Capitalised matches with the coordinates of their entry."""
        g = self.gaz
        out = []
        for idx, start, end in matches:
            if not text[start : start + 1].isupper():
                continue
            lat = g.lat_of[idx]
            has = lat == lat  # NaN when the entry has no coordinates
            out.append(Mention(start, end, text[start:end], FEATURES[g.feature_of[idx]],
                               lat if has else None, g.lon_of[idx] if has else None))
        return out

    def mentions(self, text: str, published_at: str | None = None) -> tuple[list[Mention], Mention | None]:
        """Every place found (with its resolution) and the case's single point."""
        mentions = self.resolve(text, self.run(text))
        return mentions, first_point(mentions)


def timed_call(system, text: str, published_at: str | None = None) -> None:
    """One article through a system, as the speed figures time it (extraction plus resolution)."""
    if isinstance(system, Ours):
        system.run(text, published_at)
    else:
        system.resolve(text, system.run(text))
