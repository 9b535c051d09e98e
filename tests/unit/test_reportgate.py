"""The report gate: an event word opens an incident only in a report of an event that happened.

Invented sentences, one table per rule; every rule has its counter-examples (the same frame with
an anchor of time or casualties, or an occurrence verb, still reports an incident).
"""

from __future__ import annotations

import pytest

from streams.extract.pipeline import extract_article
from streams.extract.reportgate import is_gated

MONDAY = "2008-02-04T12:00:00Z"


def _incidents(lang: str, text: str) -> list[dict]:
    article = {"id": "t-1", "lang": lang, "text": text, "published_at": MONDAY}
    return extract_article(article)["incidents"]


# Rule 1: a frame before the trigger (habitual present, belief, evaluation, condemnation, refusal,
# a report document) or a period near it, and no day, week or casualty figure in the sentence.
AR_FRAMED = [
    "وقالت المنظمة إن النساء في المخيمات يتعرضن للاغتصاب والضرب على أيدي المسلحين.",
    "وهي دولة يتم فيها اغتيال المعارضين في وضح النهار.",
    "ويعتقد أن الجماعة استخدمت طائرات بدون طيار في تلك العمليات.",
    "واعتبر الوزير ما جرى مذبحة مفتوحة بحق المدنيين.",
    "واستنكرت السلطة الاعتداءات على المصلين واعتبرتها مذبحة بحق الأبرياء.",
    "وعزل عدد من الضباط بسبب رفضهم قتل متظاهرين في العاصمة.",
    "وتحدث التقرير عن اغتصاب النساء في السجون السرية.",
    "ولكنه يرى أن هذا القرار سيعمل على تفجير الأوضاع في المنطقة.",
    "وقال الخبير إن 15 امرأة نفذت عمليات انتحارية في الأشهر الستة الأولى من العام.",
    "وأعلن المكتب أن 40 سفينة تعرضت للهجوم قبالة السواحل منذ مارس الماضي في عمليات نفذها قراصنة.",
]

# Background openings, "earlier" events, a belief far before the trigger, a refusal right before it.
AR_BACKGROUND = [
    "يذكر أنه سبق للأجهزة الأمنية التابعة للحكومة أن أوقفت أشخاصا بعد الاشتباه بمشاركتهم في اطلاق قذائف صاروخية على البلدات.",
    "وقال إن الجماعة التي نفذت عمليات انتحارية سابقة في المدن الكبرى تقف وراء الحملة.",
    "ويعتقد أن قوات الأمن والمخابرات العسكرية قد استخدمت طائرات بدون طيار لتنفيذ تلك الهجمات.",
    # "yesterday" dates the statement, not the event; the sentence is a belief about the bombing.
    "وقال المسؤولون امس إن الجماعة ربما كانت وراء تفجير الفندق.",
]
# A refusal governs the next words only: "refused the ceasefire and held 68 hostages" reports.
AR_REFUSAL_FAR = [
    "ورفضت الجبهة الانصياع لاتفاق وقف إطلاق النار واحتجزت 68 رهينة من الأجانب في فندقين في عمان.",
]


@pytest.mark.parametrize("text", AR_BACKGROUND)
def test_reportgate_arabic_background_sentence_opens_no_incident(text: str) -> None:
    assert _incidents("ar", text) == []


@pytest.mark.parametrize("text", AR_REFUSAL_FAR)
def test_reportgate_arabic_act_after_a_refusal_of_something_else_is_reported(text: str) -> None:
    assert len(_incidents("ar", text)) == 1


# A plan: a day after publication ("next Friday"), "tomorrow", "next week".
AR_PLANNED = [
    "وستنظم الأحزاب مسيرة احتجاجية يوم الجمعة المقبل في العاصمة.",
    "ودعا الاتحاد العمال إلى مظاهرات في كل المدن الأسبوع المقبل.",
    "وقال المنظمون إن المتظاهرين سيتجمعون غدا أمام مقر البرلمان.",
]
# What happened yesterday against what comes next month is a report.
AR_DONE_BEFORE_A_PLAN = [
    "وتظاهر الآلاف أمس في وسط العاصمة ضد قانون سيطبق الشهر المقبل.",
    "وقتل ثلاثة أشخاص في انفجار قبل الانتخابات المقبلة.",
]


@pytest.mark.parametrize("text", AR_PLANNED)
def test_reportgate_arabic_planned_event_opens_no_incident(text: str) -> None:
    assert _incidents("ar", text) == []


@pytest.mark.parametrize("text", AR_DONE_BEFORE_A_PLAN)
def test_reportgate_arabic_event_that_happened_beside_a_plan_is_reported(text: str) -> None:
    assert len(_incidents("ar", text)) == 1


# Accusations, verdicts, beliefs, options, waiting, "since": about events, not reports of one.
AR_ABOUT_EVENTS = [
    "واتهمت الحكومة الجماعة بخطف عدد من الموظفين في الإقليم.",
    "وانتقدت المنظمة إعدام أشخاص أدينوا بتهريب المخدرات والقتل والاغتصاب.",
    "ولديهم خطأ كبير هو الاعتقاد بأن إطلاق الصواريخ في المناورات يعني كسب الحرب.",
    "أما خيار الضربات الجوية فيبقى مطروحا أمام القادة العسكريين.",
    "وعلى السكان أن يستعدوا بانتظار سيارة مفخخة يقودها انتحاري.",
    "وتسيطر الجماعة على المناطق التي يسيطر عليها المسلحون منذ قرابة عام كامل.",
]
# Accusing someone of an attack that the sentence dates is still a report of that attack.
AR_ACCUSED_OF_A_DATED_ATTACK = [
    "واتهمت الحكومة الجماعة بتنفيذ الهجوم الذي استهدف مركزا للشرطة في المدينة امس.",
]


@pytest.mark.parametrize("text", AR_ABOUT_EVENTS)
def test_reportgate_arabic_talk_about_events_opens_no_incident(text: str) -> None:
    assert _incidents("ar", text) == []


@pytest.mark.parametrize("text", AR_ACCUSED_OF_A_DATED_ATTACK)
def test_reportgate_arabic_accusation_of_a_dated_attack_is_reported(text: str) -> None:
    assert len(_incidents("ar", text)) == 1


# The same frames with an anchor: a day or a casualty figure makes them reports.
AR_FRAMED_BUT_ANCHORED = [
    "وقالت المنظمة إن النساء تعرضن للاغتصاب على أيدي المسلحين في المخيم أمس.",
    "ويعتقد أن مسلحين قتلوا خمسة جنود في هجوم على حاجز للجيش أمس.",
    "ووصف شهود الانفجار الذي وقع في السوق امس بأنه الأعنف، وقالوا إن 12 شخصا قتلوا.",
    "واعتبر الوزير الهجوم الذي استهدف القافلة يوم الأحد مذبحة، وقال إن 7 أشخاص قتلوا فيه.",
]


@pytest.mark.parametrize("text", AR_FRAMED)
def test_reportgate_arabic_framed_trigger_without_anchor_opens_no_incident(text: str) -> None:
    assert _incidents("ar", text) == []


@pytest.mark.parametrize("text", AR_FRAMED_BUT_ANCHORED)
def test_reportgate_arabic_framed_trigger_with_anchor_is_reported(text: str) -> None:
    assert len(_incidents("ar", text)) >= 1


# Rule 2: a number that counts event words is a tally, unless the sentence names the day.
AR_COUNTED = [
    "وفي العام الماضي وقع أكثر من 140 هجوما انتحاريا في البلاد.",
    "ومنذ ذلك الحين فجرت الجماعة ثلاث سيارات ملغومة في المدينة الرئيسية.",
]
AR_COUNTED_BUT_DATED = [
    "وانفجرت ثلاث سيارات مفخخة في وسط بغداد امس مما أسفر عن مقتل 20 شخصا.",
    "وشن المسلحون هجومين على مركزين للشرطة في الموصل يوم السبت.",
    # Counted munitions are one event's weapons, not a tally: "أطلق 3 صواريخ".
    "وأطلق المسلحون 3 صواريخ على بلدة سديروت.",
]


@pytest.mark.parametrize("text", AR_COUNTED)
def test_reportgate_arabic_counted_events_are_a_tally(text: str) -> None:
    assert _incidents("ar", text) == []


@pytest.mark.parametrize("text", AR_COUNTED_BUT_DATED)
def test_reportgate_arabic_counted_events_with_a_day_or_munitions_are_reported(text: str) -> None:
    assert len(_incidents("ar", text)) >= 1


# Rule 3: a bare verbal noun (assassination, massacre, clashes, hostage) needs an anchor.
AR_BARE_NOUN = [
    "وكرمت الجمعية الصحافية تقديرا لنجاتها من محاولة الاغتيال التي كانت تعرضت لها.",
    "ويشير الخبراء إلى مآسي القبائل مثل مذبحة الركبة المصابة.",
    "وتعامل الجيش مع الميليشيا بالحسنى والمواجهات المحدودة.",
    "وقال في رسالته إنه يشعر بأنه رهينة في بلده.",
]
AR_BARE_NOUN_ANCHORED = [
    # a day
    "وقع اغتيال النائب في وسط المدينة صباح امس.",
    # an occurrence verb in the clause
    "وقال الشهود إن اشتباكات ومواجهات عنيفة جرت بين المسلحين والشرطة في البلدة.",
    # a place given as the incident's
    "واندلعت مواجهات بين الطلاب والشرطة في مدينة الخليل.",
    # casualties
    "وأسفرت المواجهات عن مقتل ثلاثة أشخاص وإصابة عشرة آخرين.",
]


@pytest.mark.parametrize("text", AR_BARE_NOUN)
def test_reportgate_arabic_bare_verbal_noun_without_anchor_opens_no_incident(text: str) -> None:
    assert _incidents("ar", text) == []


@pytest.mark.parametrize("text", AR_BARE_NOUN_ANCHORED)
def test_reportgate_arabic_anchored_verbal_noun_is_reported(text: str) -> None:
    assert len(_incidents("ar", text)) >= 1


# Protests narrated as acts stay reports without any anchor (the frame words are not in them).
AR_PROTEST_ACTS = [
    "ورفع المتظاهرون لافتات تطالب بالإفراج عن المعتقلين.",
    "وحمل المتظاهرون أعلاما وصورا للرئيس الراحل.",
    "وأضرم المتظاهرون النار في إطارات مطاطية ورددوا هتافات ضد الحكومة.",
]


@pytest.mark.parametrize("text", AR_PROTEST_ACTS)
def test_reportgate_arabic_protest_acts_are_reported(text: str) -> None:
    assert [i["type"] for i in _incidents("ar", text)] == ["protest"]


@pytest.mark.parametrize(("lang", "gated"), [("ar", True), ("en", False)])
def test_reportgate_applies_to_languages_with_a_lexicon(lang: str, gated: bool) -> None:
    assert is_gated(lang) is gated
