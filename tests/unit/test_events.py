"""Incident types: the vocabulary's ACLED/PLOVER mapping and trigger detection per language."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import orjson
import pytest

from streams.extract import lang as langdata
from streams.extract.events import INCIDENT_TYPES, find_events, taxonomy, type_family
from streams.extract.pipeline import prepare
from tests.conftest import load_fixture

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"

# The values each standard defines (ACLED codebook event/sub-event types; PLOVER categories
# and the ASSAULT/PROTEST/COERCE modes of its manual).
ACLED = {
    "Battles": {"Armed clash", "Government regains territory", "Non-state actor overtakes territory"},
    "Explosions/Remote violence": {
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    },
    "Violence against civilians": {"Sexual violence", "Attack", "Abduction/forced disappearance"},
    "Protests": {"Peaceful protest", "Protest with intervention", "Excessive force against protesters"},
    "Riots": {"Violent demonstration", "Mob violence"},
    "Strategic developments": {
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    },
}
PLOVER_MODES = {
    "ASSAULT": {
        "abduct",
        "beat",
        "torture",
        "execute",
        "sexual",
        "assassinate",
        "destroy",
        "primitive",
        "firearms",
        "explosives",
        "suicide-attack",
        "heavy-weapons",
        "cleansing",
        "massacre",
        "unconventional",
        "sideAB",
        None,
    },
    "PROTEST": {"demo", "riot", "strike-gen", "strike-lim", "strike-hun", "boycott", "obstruct", None},
    "COERCE": {
        "confiscate",
        "restrict",
        "ban",
        "censor",
        "curfew",
        "martial-law",
        "arrest",
        "deport",
        "withhold",
        None,
    },
}


def _doc(lang: str, text: str, published: date | None = date(2018, 4, 7)):
    doc = prepare(text, lang, published)
    find_events(doc)
    return doc


def test_events_vocabulary_matches_the_schema_enum():
    enum = orjson.loads((SCHEMAS / "common.schema.json").read_bytes())["$defs"]["incident_type"]["enum"]
    assert sorted(INCIDENT_TYPES) == sorted(enum)


@pytest.mark.parametrize("incident_type", INCIDENT_TYPES)
def test_events_taxonomy_uses_only_codes_the_standards_define(incident_type):
    codes = taxonomy(incident_type)
    assert codes["acled"]["sub_event_type"] in ACLED[codes["acled"]["event_type"]]
    assert codes["plover"]["mode"] in PLOVER_MODES[codes["plover"]["event"]]


@pytest.mark.parametrize(
    ("incident_type", "event_type", "sub_event_type", "plover_event"),
    [
        ("airstrike", "Explosions/Remote violence", "Air/drone strike", "ASSAULT"),
        ("drone_strike", "Explosions/Remote violence", "Air/drone strike", "ASSAULT"),
        ("shelling", "Explosions/Remote violence", "Shelling/artillery/missile attack", "ASSAULT"),
        ("armed_clash", "Battles", "Armed clash", "ASSAULT"),
        ("ground_assault", "Battles", "Armed clash", "ASSAULT"),
        ("suicide_bombing", "Explosions/Remote violence", "Suicide bomb", "ASSAULT"),
        ("abduction", "Violence against civilians", "Abduction/forced disappearance", "ASSAULT"),
        ("arrest", "Strategic developments", "Arrests", "COERCE"),
        ("protest", "Protests", "Peaceful protest", "PROTEST"),
        ("riot", "Riots", "Violent demonstration", "PROTEST"),
    ],
)
def test_events_taxonomy_maps_types_as_the_codebooks_define_them(
    incident_type, event_type, sub_event_type, plover_event
):
    codes = taxonomy(incident_type)
    assert codes["acled"] == {"event_type": event_type, "sub_event_type": sub_event_type}
    assert codes["plover"]["event"] == plover_event


def test_events_taxonomy_refines_territory_change_by_who_took_it():
    assert (
        taxonomy("territory_change", "state_forces")["acled"]["sub_event_type"]
        == "Government regains territory"
    )
    assert (
        taxonomy("territory_change", "militant_group")["acled"]["sub_event_type"]
        == "Non-state actor overtakes territory"
    )


def test_events_taxonomy_returns_copies_and_maps_unknown_types_like_other():
    taxonomy("airstrike")["acled"]["event_type"] = "changed"
    assert taxonomy("airstrike")["acled"]["event_type"] == "Explosions/Remote violence"
    assert taxonomy("no_such_type") == taxonomy("other")


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("airstrike", "shelling", True),
        ("airstrike", "drone_strike", True),
        ("bombing", "suicide_bombing", True),
        ("protest", "riot", True),
        ("airstrike", "ground_assault", False),
        ("shelling", "bombing", False),
        ("abduction", "protest", False),
    ],
)
def test_events_type_family_groups_related_types(a, b, same):
    assert (type_family(a) == type_family(b)) is same


@pytest.mark.parametrize("language", langdata.available_languages())
def test_events_every_language_file_uses_the_vocabulary(language):
    for group in langdata.load(language, "events").get("triggers", []):
        assert group["type"] in INCIDENT_TYPES, (language, group["type"])
        assert 0 < group.get("confidence", 0.7) <= 1


# (text, live types that must be found, types that must be found only as background)
ARABIC = [
    ("شنت الطائرات الحربية غارات جوية على مدينة إدلب", {"airstrike"}, set()),
    ("قتل خمسة مدنيين في قصف مدفعي على ريف حماة", {"shelling"}, set()),
    ("اندلعت اشتباكات عنيفة بين الجيش والمسلحين", {"armed_clash"}, set()),
    ("انفجرت سيارة مفخخة قرب حاجز للشرطة", {"bombing"}, set()),
    ("فجر انتحاري نفسه في سوق شعبي", {"suicide_bombing"}, set()),
    ("اختطف مسلحون ثلاثة عمال إغاثة", {"abduction"}, set()),
    ("خرجت مظاهرات في الخرطوم للمطالبة بإسقاط الحكومة", {"protest"}, set()),
    ("قتل شخصان بغارة طائرة مسيرة على سيارة", {"drone_strike"}, set()),
    ("أطلقت القوات عملية برية في البساتين", {"ground_assault"}, set()),
    ("لم تشن الطائرات أي غارات على المدينة", set(), {"airstrike"}),
    ("لم تشن قوات النظام غارات على المدينة", set(), {"airstrike"}),
    ("لم يتوقف القصف حتى الآن", {"shelling"}, set()),
    ("هدد الجيش بقصف الأحياء الشرقية", set(), {"shelling"}),
    ("سوف تشن القوات هجوما بريا على المدينة", set(), {"ground_assault"}),
    ("نفت وزارة الدفاع أن تكون طائراتها قد شنت غارات على المستشفى", set(), {"airstrike"}),
    # A court case or a charge talks about an act; the killing is what is reported.
    ("قتلت القوات أربعة من المتهمين بالهجوم الانتحاري", {"armed_attack"}, {"suicide_bombing"}),
    ("ألقي اللوم على الجماعة في سلسلة من التفجيرات عام 2005", set(), {"bombing"}),
    # History in one clause does not silence the report in the next.
    (
        "ولأول مرة منذ بدء الصراع، قالت الحكومة ان الهجوم الذي وقع الأسبوع الماضي أسفر عن مقتل 33 شخصا",
        {"armed_attack"},
        set(),
    ),
    ("قال الجيش ان طائراته قصفت مجموعة من المتمردين", {"airstrike"}, set()),
    # A counted noun is singular after a hundred or a thousand.
    ("تجمع نحو مائة متظاهر أمام السفارة", {"protest"}, set()),
    ("سار ألف محتج في شوارع المدينة", {"protest"}, set()),
    ("قامت امرأة بتفجير نفسها قرب دورية للشرطة", {"suicide_bombing"}, set()),
    # A ceasefire is no shooting; a bomb found or defused did not go off.
    ("دعا الوزير إلى وقف إطلاق النار في الإقليم", set(), {"armed_attack"}),
    ("عثرت الشرطة على عبوة ناسفة داخل سيارة متوقفة", set(), {"bombing"}),
    ("قالت الشرطة ان السيارة المفخخة التي عثر عليها كانت مليئة بالمسامير", set(), {"bombing"}),
    ("فكك خبراء المتفجرات عبوة ناسفة قرب المدرسة", set(), {"bombing"}),
    # What a protest condemns, and the cause of an arrest, are not reported here.
    ("رفع المحتجون لافتات تندد بالغارات الجوية على القرى", {"protest"}, {"airstrike"}),
    ("جرت محاكمتهم على خلفية اعتقالهم في العاصمة", set(), {"arrest"}),
    ("لم يشاهد المتظاهرون يحملون أسلحة", set(), {"protest"}),
    # An anniversary makes the event it remembers background, not a march held on the day.
    ("تظاهر نحو ألفي شخص امس في العاصمة تضامنا مع اللاجئين في الذكرى الستين للنكبة", {"protest"}, set()),
    ("خرج آلاف المحتجين في مسيرة في ذكرى المجزرة", {"protest"}, set()),
    ("وأحيا السكان امس الذكرى الثالثة لاغتيال الزعيم", set(), {"armed_attack"}),
    ("ونظمت الحركة مهرجانا في ذكرى اغتيال مؤسسها", set(), {"armed_attack"}),
    # The attack the reported one came a day or two after is background.
    ("وهاجم مسلحون المسجد بعد يوم من هجوم انتحاري قرب مسجد آخر", {"armed_attack"}, {"suicide_bombing"}),
    ("وقعت الاشتباكات بعد يومين من تفجير سيارة مفخخة في المدينة", {"armed_clash"}, {"bombing"}),
    # "فجر" with its subject is "set off" (فجر alone is also dawn).
    ("وفجر المهاجمون قنابلهم على متن ثلاثة قطارات", {"bombing"}, set()),
    ("وفجر مسلحون عبوة قرب الموكب", {"bombing"}, set()),
    # "قاذفات" alone are mostly rocket launchers (قاذفات آر بي جي); bombers are named as such.
    ("حلقت قاذفات استراتيجية فوق المنطقة وقصفت مواقع المتمردين", {"airstrike"}, set()),
    # What the reported event is compared with, to the end of the clause, is background.
    ("وجرت المسيرة بهدوء بالمقارنة مع مظاهرات العام الماضي حيث رشق المتظاهرون الشرطة بالحجارة",
     {"protest"}, {"riot"}),
    ("وكما رشق المحتجون الشرطة بالحجارة في العاصمة، فقد تظاهر الآلاف في المدينة امس", {"protest"}, {"riot"}),
    ("واندلعت اشتباكات عنيفة في المدينة امس على غرار ما جرى في الشمال", {"armed_clash"}, set()),
    # What followed the reported act ("followed by suicide attacks") is another event.
    ("ونفذ الجيش ضربة جوية على مجمعات للمسلحين في الجبال أعقبتها هجمات انتحارية", {"airstrike"}, {"suicide_bombing"}),
    # Figurative: a "suicidal adventure", a car that "snatched the attention".
    ("ولبنان يعاني من نتائج مغامرة انتحارية، وهنا المأساة.", set(), {"suicide_bombing"}),
    ("وصف النائب القرار بأنه سياسة انتحارية", set(), {"suicide_bombing"}),
    ("خطفت السيارة الجديدة الأنظار في المعرض.", set(), {"abduction"}),
    ("وخطفت اللاعبة الشابة أنظار الجمهور في البطولة.", set(), {"abduction"}),
    ("خطف مسلحون ثلاثة عمال أمس.", {"abduction"}, set()),
    # What "exploded" right after the verb: protests erupted, a conflict or a scandal broke out.
    ("وانفجرت عدة مظاهرات في مختلف أنحاء المناطق احتجاجا على القرار", {"protest"}, {"bombing"}),
    ("وانفجر الصراع أمس بين الحزبين", set(), {"bombing"}),
    ("انفجرت فضيحة جديدة في وجه الوزير", set(), {"bombing"}),
    ("انفجرت عبوة ناسفة قرب مظاهرات المعارضة", {"bombing", "protest"}, set()),  # a bomb went off
    # A sit-in and a crowd gathering are protests; "held to silence" is an idiom.
    ("اعتصم عشرات المواطنين أمام مقر الحكومة مطالبين باستقالتها", {"protest"}, set()),
    ("تجمهر الناس في الشارع الرئيسي مطلقين الشعارات", {"protest"}, set()),
    ("وقد صدم هذا الأمر الحكومة التي اعتصمت بالصمت", set(), {"protest"}),
    # What a protest is against is not reported by it; without a protest, ضد names a target.
    ("وتظاهر الآلاف امس في العاصمة ضد الغارات الجوية على القرى", {"protest"}, {"airstrike"}),
    ("وخرج المئات في مسيرة احتجاجا على القصف المدفعي للمدينة", {"protest"}, {"shelling"}),
    ("وشنت الطائرات غارات جوية ضد مواقع المسلحين", {"airstrike"}, set()),
    # The topic is the first trigger after the cue (and those coordinated with it), not the next clause's.
    ("وخرج السكان للاحتجاج على اعتقاله وحدثت مواجهات بين المتظاهرين والشرطة", {"riot"}, {"arrest"}),
    ("ووقعت الاشتباكات في المدينة بعد أيام من القصف والغارات", {"armed_clash"}, {"shelling", "airstrike"}),
    # A protest that will be held, a massacre one does not want repeated or only refers to.
    ("وستنظم الخميس مظاهرة كبيرة في العاصمة", set(), {"protest"}),
    ("ونظمت الخميس مظاهرة كبيرة في العاصمة", {"protest"}, set()),
    ("وقالت إنها لا تريد أن تتكرر المذبحة في البلاد", set(), {"armed_attack"}),
    ("وقال ذلك في إشارة إلى مذبحة القرية قبل أربعين عاما", set(), {"armed_attack"}),
    # A trigger with "and" after only non-trigger words opens its own clause: the cue before does
    # not reach it ("the mosque's officials ... and kidnapped"); a second charge after a first does.
    ("بحسب احد المسؤولين عن المسجد وخطفت المجموعة تسعة اشخاص", {"abduction"}, set()),
    ("واعتقلت الشرطة رجلا بتهمة قتل جنديين وخطف آخر", {"arrest"}, {"abduction"}),
    # What a statement justifies and what a network is for have not happened; coming under fire has.
    ("وقال المتظاهرون إن تصريحات الوزير تبرر العمليات الانتحارية", {"protest"}, {"suicide_bombing"}),
    ("وكان الجنود يبحثون عن أعضاء شبكة لتفجير سيارات ملغومة", set(), {"bombing"}),
    ("وانفجرت سيارة ملغومة امس قرب مقر الشبكة", {"bombing"}, set()),
    ("وكان الجنود يفتشون المباني عندما تعرضوا لنيران أسلحة صغيرة", {"armed_attack"}, set()),
]
ENGLISH = [
    ("Warplanes carried out airstrikes on Idlib on Saturday", {"airstrike"}, set()),
    ("Five civilians were killed when rebels shelled the town", {"shelling"}, set()),
    ("Heavy clashes erupted between the army and militants", {"armed_clash"}, set()),
    ("A car bomb exploded near a police checkpoint", {"bombing"}, set()),
    ("A suicide bomber blew himself up at a market", {"suicide_bombing"}, set()),
    ("Gunmen kidnapped three aid workers", {"abduction"}, set()),
    ("Thousands of protesters marched in Khartoum", {"protest"}, set()),
    ("Police arrested 40 people in a dawn raid", {"arrest"}, set()),
    ("Islamic State fighters seized control of the town", {"territory_change"}, set()),
    ("There were no airstrikes overnight, but shelling continued", {"shelling"}, {"airstrike"}),
    ("The army threatened to bomb the district if fighters stayed", set(), {"bombing"}),
    ("The ministry denied that its jets had carried out air strikes", set(), {"airstrike"}),
    ("In recent weeks more than 1,600 civilians died in the offensive", set(), {"ground_assault"}),
    ("Myanmar's warplanes bombed a gathering in Sagaing", {"airstrike"}, set()),
    ("He was charged with kidnapping two aid workers", set(), {"abduction"}),
    ("The group was blamed for a series of bombings in 2005", set(), {"bombing"}),
    ("Rebels seized the town after weeks of fighting", {"territory_change"}, {"armed_clash"}),
    # A bomb found or defused did not go off.
    ("Army experts defused a roadside bomb near the school", set(), {"bombing"}),
    ("Police said the car bomb was found in a parking lot", set(), {"bombing"}),
    ("Protesters chanted slogans condemning the airstrikes on the villages", {"protest"}, {"airstrike"}),
    # "march" the protest is lower-case; "March" the month is not a trigger.
    ("Thousands joined a march through the capital", {"protest"}, set()),
]


@pytest.mark.parametrize(("text", "live", "background"), ARABIC)
def test_events_arabic_triggers(text, live, background):
    _check(_doc("ar", text), live, background)


@pytest.mark.parametrize(("text", "live", "background"), ENGLISH)
def test_events_english_triggers(text, live, background):
    _check(_doc("en", text), live, background)


def _check(doc, live, background):
    found_live = {e.type for e in doc.events if not e.background}
    found_background = {e.type for e in doc.events if e.background}
    assert live <= found_live, [(e.type, e.text, e.background) for e in doc.events]
    assert background <= found_background, [(e.type, e.text, e.background) for e in doc.events]
    assert not (background & found_live), [(e.type, e.text, e.background) for e in doc.events]


@pytest.mark.parametrize(
    ("lang", "text", "types"),
    [
        ("ar", "واشتبك المتظاهرون مع الجنود الاسرائيليين", {"riot", "protest"}),
        ("ar", "ووجدت قوات الامن صعوبة في صد المتظاهرين الذين اقتحموا بوابة الحدود", {"protest"}),
        ("en", "Security forces opened fire on protesters in central Baghdad", {"protest"}),
        # Police deployed "to confront" protesters (purpose ل) is no confrontation; one that happened is.
        ("ar", "وأعلنت السلطات نشر 600 شرطي للتصدي للمتظاهرين", {"protest"}),
        ("ar", "وتصدت الشرطة للمتظاهرين امس", {"riot", "protest"}),
        ("en", "Hundreds were injured in clashes with riot police", {"riot"}),
    ],
)
def test_events_types_read_in_context(lang, text, types):
    # Clashes with protesters are a riot; fire opened on protesters is a protest event (ACLED:
    # excessive force against protesters); protesters storming a gate are not a ground assault.
    doc = _doc(lang, text)
    assert {e.type for e in doc.events if not e.background} == types


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("ar", "وقال المسؤول إن الحكومة ستعقد اجتماعا لبحث الميزانية الجديدة يوم الأحد."),
        ("ar", "فاز الفريق في المباراة النهائية بهدفين مقابل هدف."),
        ("ar", "وصل الوفد فجر امس الى العاصمة."),
        ("en", "The central bank raised interest rates on Thursday to curb inflation."),
        ("en", "Shell reported record profits and the company's shares rose."),
        ("en", "The budget was approved on 3 March and takes effect in March next year."),
    ],
)
def test_events_ordinary_news_has_no_incident_trigger(lang, text):
    doc = _doc(lang, text)
    assert [e for e in doc.events if not e.background and e.confidence >= 0.5] == []


@pytest.mark.parametrize(
    ("lang", "text", "expected_type", "expected_text"),
    [
        ("ar", "استهدفت الأماكن بالقصف الجوي", "airstrike", "القصف الجوي"),
        ("ar", "وأسفرت الغارات والقصف عن مقتل", "shelling", "القصف"),
        ("ar", "قصف الطيران الحربي البلدة", "airstrike", "قصف الطيران الحربي"),
        ("en", "Regime aircraft kept up their bombardment of the town", "shelling", "bombardment"),
        ("en", "the bombing raids continued", "airstrike", "bombing raids"),
    ],
)
def test_events_spans_index_the_original_text_without_conjunctions(lang, text, expected_type, expected_text):
    doc = _doc(lang, text)
    mention = next(e for e in doc.events if e.type == expected_type)
    assert mention.text == expected_text
    assert doc.text[mention.start : mention.end] == mention.text


def test_events_offsets_survive_diacritics_and_tatweel():
    text = "شَنَّتْ الطائرات غـــاراتٍ جوية على البلدة"
    doc = _doc("ar", text)
    mention = next(e for e in doc.events if e.type == "airstrike")
    assert doc.text[mention.start : mention.end] == mention.text
    assert mention.text.startswith("غـ")


def test_events_specific_triggers_are_more_confident_than_generic_ones():
    doc = _doc("en", "Two men were killed. Airstrikes hit the market.")
    by_text = {e.text: e.confidence for e in doc.events}
    assert by_text["Airstrikes"] > by_text["killed"]


def test_events_fallback_words_give_way_to_a_specific_trigger_in_the_sentence():
    doc = _doc("en", "Ten people were killed in an airstrike on the village.")
    assert {e.type for e in doc.events} == {"airstrike"}


# -- The Douma article ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def douma():
    article = load_fixture("douma-2018-04-07.ar.article.json")
    return _doc("ar", article["text"])


def test_events_douma_has_airstrikes_shelling_and_a_ground_operation(douma):
    live = {e.type for e in douma.events if not e.background}
    assert {"airstrike", "shelling", "ground_assault"} <= live


@pytest.mark.parametrize(
    ("context", "trigger", "expected_type"),
    [
        ("إلى غارات جوية جديدة", "غارات جوية", "airstrike"),
        ("بعد ليلة من القصف العنيف", "القصف", "shelling"),
        ("استأنفت القوات الحكومية السورية، الجمعة، قصف المدينة", "قصف", "shelling"),
        ("أطلقت قوات النظام عملية برية", "عملية برية", "ground_assault"),
        ("بالتزامن مع قصف مدفعي وعنقودي", "قصف مدفعي", "shelling"),
        ("لم يتوقف القصف حتى الآن", "القصف", "shelling"),
    ],
)
def test_events_douma_reads_each_trigger_in_its_context(douma, context, trigger, expected_type):
    at = douma.text.index(context) + context.index(trigger)
    mention = next(e for e in douma.events if e.start == at)
    assert (mention.type, mention.text, mention.background) == (expected_type, trigger, False)


def test_events_douma_regaining_ghouta_over_past_weeks_is_background(douma):
    at = douma.text.index("السيطرة على كامل")
    mention = next(e for e in douma.events if e.start == at)
    assert mention.type == "territory_change"
    assert mention.background


def test_events_one_huge_sentence_is_read_in_linear_time():
    # Untrusted input: no sentence end, thousands of triggers and cues. Each trigger looks at a
    # bounded window, so this takes milliseconds, not the minutes a pairwise scan would.
    unit = "لم تشن قوات النظام غارات، السبت، وفق المرصد السوري، خلال الأسابيع الماضية، ثم قصف مدفعي"
    doc = _doc("ar", " ".join([unit] * 3000))
    assert len(doc.events) == 6000
    assert sum(e.background for e in doc.events) == 3000  # the negated raids; the shelling is live
