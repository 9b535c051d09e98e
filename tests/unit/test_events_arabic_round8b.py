"""Arabic detection recall of round 8b, each rule checked on unlabelled pool sentences before it was
kept: word forms the trigger lexicon lacked (the construct plural of a crowd's people, the dual of an
attack, the dual of a kidnapping verb).

Invented sentences, one table per rule, each with counter-examples that must not change.
"""

from __future__ import annotations

import pytest

from streams.extract.pipeline import extract_article

MONDAY = "2008-02-04T12:00:00Z"


def _types(text: str) -> list[str]:
    article = {"id": "t-1", "lang": "ar", "text": text, "published_at": MONDAY}
    return [i["type"] for i in extract_article(article)["incidents"]]


# The construct plural (متظاهرو الحزب: the party's demonstrators), the dual of an attack (الهجومان،
# الاعتداءين) and of a kidnapping verb (اختطفا: the two were kidnapped) are forms of listed words;
# a sentence with no event word at all stays without an incident.
AR_WORD_FORMS = [
    ("وكان متظاهرو المعارضة الذين ساروا في أنقرة يوم الأحد الماضي قد رددوا شعارات.", ["protest"]),
    ("وأوقع الهجومان 12 جريحا في مدينة كراتشي.", ["armed_attack"]),
    ("وأوقع الاعتداءان سبعة جرحى في مدينة بيشاور.", ["armed_attack"]),
    ("وأفرج رجال القبائل عن سائحين اختطفا في مأرب أمس.", ["abduction"]),
    ("وسار أنصار الحزب في شوارع أنقرة يوم الأحد الماضي.", []),
    ("وقال المسؤول إن الحكومة ستعلن خطتها الجديدة في مأرب.", []),
]


@pytest.mark.parametrize(("text", "types"), AR_WORD_FORMS)
def test_arabic_construct_and_dual_forms_are_triggers(text: str, types: list[str]) -> None:
    assert _types(text) == types
