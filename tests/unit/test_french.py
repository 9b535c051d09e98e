"""French is added by data files only: lang/fr/{normalize,events,dates,actors}.json, no code.

These sentences go through the same components as Arabic and English; if any French-specific
code were needed, they would fail.
"""

from __future__ import annotations

from datetime import date

import pytest

from streams.extract import lang as langdata
from streams.extract.actors import find_actors
from streams.extract.dates import find_dates
from streams.extract.events import find_events
from streams.extract.pipeline import prepare

SATURDAY = date(2018, 4, 7)


def _read(text: str):
    doc = prepare(text, "fr", SATURDAY)
    find_events(doc)
    find_dates(doc)
    find_actors(doc)
    return doc


def test_french_is_an_available_language():
    assert "fr" in langdata.available_languages()


# (text, live event types, dates, (actor, role) pairs)
CASES = [
    (
        "Les forces du régime soutenues par la Russie ont mené samedi de nouvelles frappes aériennes sur Douma, "
        "selon l’Observatoire syrien des droits de l’homme (OSDH).",
        {"airstrike"},
        {date(2018, 4, 7)},
        {
            ("Syrian government forces", "perpetrator"),
            ("Russia", "backer"),
            ("Syrian Observatory for Human Rights", "source"),
        },
    ),
    (
        "Vendredi, des bombardements d’artillerie ont tué 40 civils, a indiqué l’OSDH.",
        {"shelling"},
        {date(2018, 4, 6)},
        {("Syrian Observatory for Human Rights", "source")},
    ),
    (
        "Le 7 avril 2018, les forces du régime ont lancé une offensive terrestre contre Jaich al-Islam.",
        {"ground_assault"},
        {date(2018, 4, 7)},
        {("Syrian government forces", "perpetrator"), ("Jaish al-Islam", "target")},
    ),
    (
        "Hier, des affrontements ont opposé des combattants de l’État islamique à l’armée syrienne, selon l’AFP.",
        {"armed_clash"},
        {date(2018, 4, 6)},
        {("Agence France-Presse", "source")},
    ),
]


@pytest.mark.parametrize(("text", "types", "dates", "actors"), CASES)
def test_french_event_date_and_actors(text, types, dates, actors):
    doc = _read(text)
    assert types <= {e.type for e in doc.events if not e.background}, [(e.type, e.text) for e in doc.events]
    assert dates <= {d.value for d in doc.dates}, [(d.text, d.value) for d in doc.dates]
    assert actors <= {(a.name, a.role) for a in doc.actors}, [(a.name, a.role, a.text) for a in doc.actors]


def test_french_negated_strikes_are_background():
    doc = _read("Il n’y a pas eu de frappes aériennes hier, selon l’AFP.")
    assert [(e.type, e.background) for e in doc.events] == [("airstrike", True)]
