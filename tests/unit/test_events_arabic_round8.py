"""Arabic type and detection rules of round 8, checked on unlabelled pool sentences before they were
kept: munitions named beside a sure act are its instruments or cargo, not the event; arrests told
after a demonstration are its outcome (ACLED: protest with intervention).

Invented sentences, one table per rule, each with counter-examples that must not change.
"""

from __future__ import annotations

import pytest

from streams.extract.pipeline import extract_article

MONDAY = "2008-02-04T12:00:00Z"


def _types(text: str) -> list[str]:
    article = {"id": "t-1", "lang": "ar", "text": text, "published_at": MONDAY}
    return [i["type"] for i in extract_article(article)["incidents"]]


# A munition trigger weaker than a weak trigger (قنابل, صواريخ: 0.45) beside a sure act of another
# kind is what the crowd carried, what the arrested held or what the seized ship carried; alone, or
# with an act of its own type, it still types the incident.
AR_MUNITIONS = [
    ("وهتف المتظاهرون امس في العاصمة وبعضهم مسلح بقاذفات الصواريخ.", ["protest"]),
    ("واعتقلت الشرطة امس في بغداد عشرة اشخاص بحوزتهم قنابل يدوية.", ["arrest"]),
    ("واستولى القراصنة على سفينة تحمل صواريخ امس قبالة السواحل الصومالية.", ["abduction"]),
    ("وسقطت صواريخ على المدينة امس وقتل شخص.", ["shelling"]),
    ("وانفجرت قنابل في السوق امس وقتل شخصان.", ["bombing"]),
]


@pytest.mark.parametrize(("text", "types"), AR_MUNITIONS)
def test_arabic_munitions_beside_a_sure_act_do_not_type_it(text: str, types: list[str]) -> None:
    assert _types(text) == types


# Arrests told after the demonstration are its outcome; arrests told first (of protesters, or an
# arrest that set off protests) stay the incident.
AR_PROTEST_THEN_ARREST = [
    ("واعتصم مئات العمال امس امام المصنع في القاهرة، واعتقلت الشرطة عشرين منهم.", ["protest"]),
    ("وفرقت الشرطة امس مظاهرة في وسط القاهرة واعتقلت عشرة من المتظاهرين.", ["protest"]),
    ("واعتقلت الشرطة امس عشرين متظاهرا في وسط القاهرة.", ["arrest"]),
    ("واعتقلت الشرطة امس زعيم المعارضة في القاهرة مما أثار مظاهرات.", ["arrest"]),
]


@pytest.mark.parametrize(("text", "types"), AR_PROTEST_THEN_ARREST)
def test_arabic_arrests_after_a_demonstration_are_its_outcome(text: str, types: list[str]) -> None:
    assert _types(text) == types


# A trigger in a chain of three or more single words joined by و, another of them a listed kind of
# violence, names kinds in a list (charges, rhetoric, a report's findings): with no day or casualty
# figure it opens nothing. A trigger before words that only start with و (وكيل وزارة), a crowd's
# list of what it threw, and a dated list still report.
AR_LISTS = [
    ("وقال إن الجماعة لم تجلب للناس سوى القتل والخطف والتدمير.", []),
    ("وأكد أن ما يجري في البلاد من قتل وذبح وخطف يخدم الاحتلال.", []),
    ("وتتهم المنظمة القوات بأعمال قتل واغتصاب وتهجير في الإقليم.", []),
    ("واختطف مسلحون امس وكيل وزارة الصحة في بغداد.", ["abduction"]),
    ("والقى المتظاهرون الزجاجات الحارقة والحجارة والزجاجات على الشرطة في المدينة.", ["riot"]),
    ("ووقعت عمليات قتل واغتصاب وتهجير في الإقليم امس.", ["sexual_violence"]),
]


@pytest.mark.parametrize(("text", "types"), AR_LISTS)
def test_arabic_kinds_of_violence_in_a_list_report_nothing(text: str, types: list[str]) -> None:
    assert _types(text) == types


def _killed(text: str) -> list[int | None]:
    article = {"id": "t-1", "lang": "ar", "text": text, "published_at": MONDAY}
    return [(i["killed"] or {}).get("value") for i in extract_article(article)["incidents"]]


# The victim written before the verb (subject, verb): the verb agrees with it, so a singular verb
# followed by what follows a passive is one killed and a dual verb two. A verb that opens its
# clause (its subject after it), an active verb with its object, or a vague object say no number.
AR_SUBJECT_BEFORE_VERB = [
    ("وتابع ان عنصرا آخر من القاعدة قتل خلال عملية دهم في جلولاء امس.", [1]),
    ("وقال ان القيادي البارز، قتل إثر ضربة جوية في المنطقة امس.", [1]),
    ("وأضاف ان الحارسين قتلا في الانفجار امس.", [2]),
    ("وقتل في الهجوم عدد من الجنود امس في بغداد.", [None]),
    ("وقال ان الشرطة قتلت في الاشتباك عددا من المسلحين امس.", [None]),
    ("وقال ان المسلح قتل اخاه امس في القرية.", [None]),
]


@pytest.mark.parametrize(("text", "killed"), AR_SUBJECT_BEFORE_VERB)
def test_arabic_victim_before_a_passive_verb_is_counted(text: str, killed: list[int | None]) -> None:
    assert _killed(text) == killed
