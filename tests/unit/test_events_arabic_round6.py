"""Arabic detection, type and toll rules of round 6: what a sentence cites, comments on, charges,
wishes or habitually suffers is no report; a body found is a killing, a device found is not; the
dual of an event noun is a trigger; a crowd that sets fires or smashes offices riots.

Invented sentences, one table per rule, each with counter-examples that must not change.
"""

from __future__ import annotations

import pytest

from streams.extract.pipeline import extract_article

MONDAY = "2008-02-04T12:00:00Z"


def _incidents(text: str) -> list[dict]:
    article = {"id": "t-1", "lang": "ar", "text": text, "published_at": MONDAY}
    return extract_article(article)["incidents"]


def _killed(incident: dict) -> int | None:
    toll = incident["killed"]
    return toll["value"] if toll else None


# Each sentence talks about an event without reporting one: an example in an argument (على سبيل
# المثال, the clitic ك "like"), a comment on an event (تعليقا على), a wish (يتمنى), a possibility
# (يمكن أن), urging (حثوا ... على القيام), a charge or a conviction (بالضلوع في, بالتحريض على, تهمة),
# a habit (تتعرضان باستمرار), "not the first time" (ليست المرة الأولى).
AR_NOT_REPORTS = [
    "وعلى سبيل المثال عندما اغلق الجيش الحي ودخلت سيارة مفخخة وقتلت عشرات العمال، قرر الوزير رفع الحصار.",
    "وكذلك جهود المجتمع المدني كمظاهرة الطلاب ضد الحرب في البلاد.",
    "وقال الوزير صباح امس، تعليقا على اغتيال النائب: ان الرسالة وصلت.",
    "وقال في المقابلة إنه يتمنى رؤية عمليات مشابهة لاغتيال الرئيس.",
    "ويمكن أن تبدأ التفجيرات الانتحارية في شبكة المترو ثم تنتشر في المدن الكبرى.",
    "وسجن الرجال الثلاثة لإدانتهم بالتحريض على القتل بعد أن حثوا حشدا من المتظاهرين على القيام بتفجيرات.",
    "ووجهت لهم المحكمة 20 تهمة تتراوح بين القتل والاغتصاب والتعذيب.",
    "واتهم الرجل بالضلوع في الهجوم الانتحاري على السفارة عام 2000 الذي جرح فيه 37 شخصا.",
    "وعلى الحركة أن تكف عن إعطاء الذرائع، فالمدينتان تتعرضان باستمرار لقصف صاروخي.",
    "وهذه ليست المرة الأولى التي يستهدف فيها المسلحون الكنائس في المدينة.",
]

# The same events reported: the cue is absent, or a day names the act.
AR_REPORTS = [
    "دخلت سيارة مفخخة السوق وانفجرت امس وقتلت عشرات العمال.",
    "وشارك مئات الطلاب في مظاهرة ضد الحرب في العاصمة امس.",
    "واغتيل النائب بتفجير سيارة مفخخة في بيروت امس.",
    "نفذ انتحاري هجوما بسيارة مفخخة على السفارة امس.",
    "وفجر مسلحون كنيسة في المدينة امس، وهذه ليست المرة الأولى التي يستهدفون فيها الكنائس.",
    "وتعرضت المدينة امس لقصف صاروخي أسفر عن مقتل شخصين.",
]


@pytest.mark.parametrize("text", AR_NOT_REPORTS)
def test_arabic_sentence_about_an_event_opens_no_incident(text: str) -> None:
    assert _incidents(text) == []


@pytest.mark.parametrize("text", AR_REPORTS)
def test_arabic_sentence_reporting_the_event_opens_an_incident(text: str) -> None:
    assert len(_incidents(text)) == 1


# A body found is a killing (one per body); the find verb no longer hides it. A device or a
# munition found before it went off is still a foiled attack.
AR_BODIES = [
    ("عثرت الشرطة على جثة صحافي مخطوف في بغداد امس.", 1),
    ("وتم العثور ايضا على جثة رجل في النهر امس.", 1),
    ("عثرت الشرطة على 12 جثة مجهولة الهوية في بغداد امس.", 12),
    ("عثرت الشرطة على جثث خمسة أشخاص مقتولين بالرصاص امس.", 5),
]
AR_DEVICES_FOUND = [
    "عثرت الشرطة على عبوة ناسفة في السوق امس.",
    "وعثرت القوات على صواريخ معدة للإطلاق قرب المطار.",
]


@pytest.mark.parametrize(("text", "killed"), AR_BODIES)
def test_arabic_body_found_is_a_killing(text: str, killed: int) -> None:
    incidents = _incidents(text)
    assert len(incidents) == 1
    assert _killed(incidents[0]) == killed


@pytest.mark.parametrize("text", AR_DEVICES_FOUND)
def test_arabic_device_found_is_no_incident(text: str) -> None:
    assert _incidents(text) == []


# The cause a protest or riot answers (على خلفية مقتل فتى) keeps its own toll; reported alone,
# the killing has it.
AR_CAUSE_TOLL = [
    ("تصاعدت المواجهات بين الطلاب المتظاهرين والشرطة امس على خلفية مقتل فتى برصاص الشرطة.", None),
    ("قتل فتى برصاص الشرطة في العاصمة امس.", 1),
]


@pytest.mark.parametrize(("text", "killed"), AR_CAUSE_TOLL)
def test_arabic_cause_of_a_riot_keeps_its_toll(text: str, killed: int | None) -> None:
    incidents = _incidents(text)
    assert len(incidents) == 1
    assert _killed(incidents[0]) == killed


# The dual of an event noun (التفجيرين: the two bombings) is a trigger.
AR_DUAL = [
    ("وسقط 30 قتيلا في التفجيرين مساء الخميس.", "bombing", 30),
    ("وسقط 30 قتيلا في التفجير مساء الخميس.", "bombing", 30),
]


@pytest.mark.parametrize(("text", "type_", "killed"), AR_DUAL)
def test_arabic_dual_event_noun_is_a_trigger(text: str, type_: str, killed: int) -> None:
    incidents = _incidents(text)
    assert [i["type"] for i in incidents] == [type_]
    assert _killed(incidents[0]) == killed


# Protesters who set buildings on fire or smash offices riot; a march with banners is a protest (and
# so is burning tyres: "أضرم المتظاهرون النار في إطارات", tests/unit/test_reportgate.py).
AR_CROWD_TYPES = [
    ("وأضرموا النيران في مبان حكومية ومراكز للشرطة خلال المظاهرة امس.", "riot"),
    ("وكان متظاهرون قد حطموا مقر الحزب الحاكم يوم السبت.", "riot"),
    ("وأشعلوا النيران في مبنى البلدية بعد المظاهرة امس.", "riot"),
    ("ورفع المتظاهرون لافتات في وسط المدينة امس.", "protest"),
]


@pytest.mark.parametrize(("text", "type_"), AR_CROWD_TYPES)
def test_arabic_crowd_that_burns_or_smashes_riots(text: str, type_: str) -> None:
    assert [i["type"] for i in _incidents(text)] == [type_]


# A condemned event is background (a statement about it), unless the sentence gives its own
# casualty figure after it; a protest's chants keep condemning a cause.
AR_CONDEMNED = [
    ("وأدان الرئيس الهجمات على المصلين واعتبرها جريمة.", []),
    ("وأدان الرئيس التفجير الذي استهدف السوق، وأسفر عن مقتل 12 شخصا.", [("bombing", 12)]),
    ("وقال البيان إن الوزير يدين بشدة الانفجار الذي استهدف الفندق وأدى إلى مقتل 60 شخصا.", [("bombing", 60)]),
]


@pytest.mark.parametrize(("text", "expected"), AR_CONDEMNED)
def test_arabic_condemned_event_is_reported_only_with_its_toll(text: str, expected: list) -> None:
    assert [(i["type"], _killed(i)) for i in _incidents(text)] == expected


# Women protesters (the feminine plural) protest like the masculine plural.
AR_FEMININE_PROTESTERS = [
    "وسارت آلاف المتظاهرات في شوارع المدينة رافعات شعارات السلام.",
    "وسار آلاف المتظاهرين في شوارع المدينة رافعين شعارات السلام.",
]


@pytest.mark.parametrize("text", AR_FEMININE_PROTESTERS)
def test_arabic_feminine_plural_protesters_protest(text: str) -> None:
    assert [i["type"] for i in _incidents(text)] == ["protest"]


# People arrested "linked to" (على علاقة ب) a kidnapping: the kidnapping is what they are suspected
# of, the arrest is the act; a kidnapping told alone is one.
AR_LINKED_TO = [
    ("واعتقلت القوات امس اثنين من عناصر التنظيم على علاقة بخطف ثلاثة جنود.", "arrest"),
    ("وخطف مسلحون ثلاثة جنود امس.", "abduction"),
]


@pytest.mark.parametrize(("text", "type_"), AR_LINKED_TO)
def test_arabic_arrest_of_people_linked_to_an_act_is_an_arrest(text: str, type_: str) -> None:
    assert [i["type"] for i in _incidents(text)] == [type_]


# Of two days in a sentence, the one that dates a statement ("the papers reported yesterday")
# gives way to the one that dates the act; a single day stays the incident's.
AR_STATEMENT_DAY = [
    ("وذكرت الصحف امس ان متظاهرين رشقوا الجنود بالحجارة يوم الخميس.", "2008-01-31"),
    ("وذكرت الصحف ان متظاهرين رشقوا الجنود بالحجارة امس.", "2008-02-03"),
]


@pytest.mark.parametrize(("text", "day"), AR_STATEMENT_DAY)
def test_arabic_day_of_a_statement_gives_way_to_the_day_of_the_act(text: str, day: str) -> None:
    assert [i["date"]["value"] for i in _incidents(text)] == [day]


# "قتل" is written alike for "killed" and "was killed": a singular right after it is the victim,
# unless a number follows in the clause as the verb's object (then the singular is the killer).
AR_KILLER_OR_VICTIM = [
    ("قتل طالب في مدرسة جنوب العاصمة امس سبعة من زملائه.", 7),
    ("قتل مسلح في السوق امس سبعة اشخاص.", 7),
    ("قتل جندي في انفجار عبوة ناسفة امس.", 1),
    ("القصف الذي قتلت فيه امرأة وأربعة أطفالها امس.", 5),
]


@pytest.mark.parametrize(("text", "killed"), AR_KILLER_OR_VICTIM)
def test_arabic_singular_after_killed_is_the_killer_when_a_number_follows(text: str, killed: int) -> None:
    incidents = _incidents(text)
    assert len(incidents) == 1
    assert _killed(incidents[0]) == killed
