"""Arabic detection recall of round 8b, each rule checked on unlabelled pool sentences before it was
kept: word forms the trigger lexicon lacked (the construct plural of a crowd's people, the dual of an
attack, the dual of a kidnapping verb), and a crowd's people as the subject of a frame verb.

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


# A frame verb (اتهم، اعتبر) before a crowd's people in the subject form (المتظاهرون, -ون) is what
# the protesters said: the protest is reported. In the object form (المتظاهرين, -ين: "accused the
# protesters of ...") the frame still governs the trigger, and so does it over an attack word.
AR_CROWD_SUBJECT = [
    ("واتهم المتظاهرون الذين تجمعوا في شوارع سراييفو الحكومة بالفساد.", ["protest"]),
    ("واعتبر المحتجون في وسط عمان أن القرار جائر.", ["protest"]),
    ("واتهم الوزير المتظاهرين بالعمل لصالح جهات أجنبية.", []),
    ("واعتبر الوزير ما جرى مذبحة مفتوحة بحق المدنيين.", []),
]


@pytest.mark.parametrize(("text", "types"), AR_CROWD_SUBJECT)
def test_arabic_protesters_as_subject_of_a_frame_verb_are_reported(text: str, types: list[str]) -> None:
    assert _types(text) == types
