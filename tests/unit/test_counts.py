"""Counts: what each number counts, who, breakdowns, duals and cumulative totals, per language."""

from __future__ import annotations

from datetime import date

import pytest

from streams.extract.counts import find_counts
from streams.extract.doc import Count, Doc
from streams.extract.numbers import find_numbers
from streams.extract.pipeline import analyze, prepare


def _doc(text: str, lang: str) -> Doc:
    doc = prepare(text, lang, date(2018, 4, 7))
    find_numbers(doc)
    find_counts(doc)
    for count in doc.counts + [part for whole in doc.counts for part in whole.breakdown]:
        assert doc.text[count.start : count.end] == count.text  # evidence indexes the original text
    return doc


def _row(c: Count) -> tuple:
    parts = tuple((b.kind, b.value, b.victims) for b in c.breakdown)
    return (c.kind, c.value, c.qualifier, c.victims, c.unit, c.cumulative, parts)


def _rows(text: str, lang: str) -> list[tuple]:
    return [_row(c) for c in _doc(text, lang).counts]


# (sentence, every top-level count: (kind, value, qualifier, victims, unit, cumulative, breakdown))
AR_CASES = [
    ("أسفرت الغارات عن مقتل أربعين مدنياً بينهم ثمانية أطفال",
     [("killed", 40, "exact", "civilians", None, False, (("killed", 8, "children"),))]),
    ("قتل 40 شخصا", [("killed", 40, "exact", "people", None, False, ())]),
    ("قتل 40 شخصا وأصيب 30 آخرون", [("killed", 40, "exact", "people", None, False, ()),
                                   ("injured", 30, "exact", "people", None, False, ())]),
    ("أسفر القصف عن سقوط 12 قتيلا و30 جريحا", [("killed", 12, "exact", None, None, False, ()),
                                            ("injured", 30, "exact", None, None, False, ())]),
    ("لقي 7 أشخاص حتفهم", [("killed", 7, "exact", "people", None, False, ())]),
    ("40 مدنيا قتلوا في الغارة", [("killed", 40, "exact", "civilians", None, False, ())]),
    ("قتل خمسة وعشرون مدنيا بينهم سبعة أطفال وثلاث نساء",
     [("killed", 25, "exact", "civilians", None, False, (("killed", 7, "children"), ("killed", 3, "women")))]),
    ("قتل 12 جنديا و30 مدنيا", [("killed", 12, "exact", "soldiers", None, False, ()),
                              ("killed", 30, "exact", "civilians", None, False, ())]),
    ("قتل 5 أشخاص منهم طفل", [("killed", 5, "exact", "people", None, False, (("killed", 1, "children"),))]),
    ("قتل 25 شخصا، 10 منهم أطفال", [("killed", 25, "exact", "people", None, False, (("killed", 10, "children"),))]),
    ("أصيب ثلاثة عناصر من الشرطة بجروح", [("injured", 3, "exact", "police", None, False, ())]),
    ("قتل ما لا يقل عن 10 عناصر من قوات النظام", [("killed", 10, "at_least", "soldiers", None, False, ())]),
    ("قتل 12 قتيلا من المدنيين", [("killed", 12, "exact", "civilians", None, False, ())]),
    ("مقتل عشرات المدنيين وإصابة المئات", [("killed", 10, "vague", "civilians", None, False, ()),
                                         ("injured", 100, "vague", None, None, False, ())]),
    ("بعد أكثر من 50 غارة على المدينة", [("strikes", 50, "more_than", None, "air raid", False, ())]),
    ("هناك ثلاث طائرات حربية وطائرتين مروحيتين", [("aircraft", 3, "exact", None, "warplane", False, ()),
                                                 ("aircraft", 2, "exact", None, "helicopter", False, ())]),
    ("قتيلان وثلاثة جرحى في انفجار", [("killed", 2, "exact", None, None, False, ()),
                                   ("injured", 3, "exact", None, None, False, ())]),
    ("مقتل طفلين في القصف", [("killed", 2, "exact", "children", None, False, ())]),
    ("قتل جنديان في هجوم", [("killed", 2, "exact", "soldiers", None, False, ())]),
    ("أطلقت القوات 20 صاروخا و15 قذيفة هاون", [("rockets", 20, "exact", None, "rocket", False, ()),
                                             ("shells", 15, "exact", None, "mortar shell", False, ())]),
    ("اعتقلت الشرطة 15 متظاهرا", [("arrested", 15, "exact", "protesters", None, False, ())]),
    ("اختطف مسلحون 3 صحفيين", [("abducted", 3, "exact", "journalists", None, False, ())]),
    ("نزح أكثر من 1.5 مليون شخص", [("displaced", 1500000, "more_than", "people", None, False, ())]),
    ("دمرت ثلاث دبابات وأربع آليات", [("vehicles", 3, "exact", None, "tank", False, ()),
                                     ("vehicles", 4, "exact", None, "vehicle", False, ())]),
    ("هجوم عنيف تلى خمس سنوات من حصار خانق، وقتل خلاله أكثر من 1600 مدني",
     [("killed", 1600, "more_than", "civilians", None, True, ())]),
    ("قتل ألف وستمائة مدني منذ بدء الحرب", [("killed", 1600, "exact", "civilians", None, True, ())]),
    ("قتل 3 أشخاص ليرتفع عدد القتلى إلى 300", [("killed", 3, "exact", "people", None, False, ()),
                                              ("killed", 300, "exact", None, None, True, ())]),
    ("قتل نحو 40 مدنيا خلال الأشهر الماضية", [("killed", 40, "about", "civilians", None, True, ())]),
    ("بلغت الحصيلة الإجمالية 500 قتيل", [("killed", 500, "exact", None, None, True, ())]),
    ("ارتفع عدد القتلى منذ بداية العام إلى 200 شخص", [("killed", 200, "exact", "people", None, True, ())]),
    # A cue after the last of several coordinated figures, or after a bound, is theirs too.
    ("11 مدنيا وأربعة من رجال الشرطة قتلوا", [("killed", 11, "exact", "civilians", None, False, ()),
                                            ("killed", 4, "exact", "police", None, False, ())]),
    ("28 شخصا على الاقل قتلوا", [("killed", 28, "at_least", "people", None, False, ())]),
    ("شخصين قتلا", [("killed", 2, "exact", "people", None, False, ())]),
    ("قتل 17 على الاقل من أفراد الامن وأربعة مدنيين", [("killed", 17, "at_least", "police", None, False, ()),
                                                      ("killed", 4, "exact", "civilians", None, False, ())]),
    ("أصيب 3 جنود من التحالف الدولي بقيادة الولايات المتحدة واربعة من المارة",
     [("injured", 3, "exact", "soldiers", None, False, ()), ("injured", 4, "exact", "people", None, False, ())]),
    # A definite number after its noun.
    ("معارك قتل خلالها المدنيون الخمسة", [("killed", 5, "exact", "civilians", None, False, ())]),
    # One person with no numeral: a singular next to a cue, or coordinated with another figure.
    ("مقتل جندي اسرائيلي", [("killed", 1, "exact", "soldiers", None, False, ())]),
    ("قال إن مقاتلا قتل", [("killed", 1, "exact", "fighters", None, False, ())]),
    ("قتل أحد عناصر الشرطة", [("killed", 1, "exact", "police", None, False, ())]),
    ("قتل رجل أمن وأصيب آخر بجروح", [("killed", 1, "exact", "police", None, False, ()),
                                    ("injured", 1, "exact", None, None, False, ())]),
    ("وسقط قتيل و11 جريحا", [("killed", 1, "exact", None, None, False, ()),
                            ("injured", 11, "exact", None, None, False, ())]),
    ("وكان القتلى خمسة مسلحين وامرأتين وطفلا", [("killed", 5, "exact", "fighters", None, False, ()),
                                             ("killed", 2, "exact", "women", None, False, ()),
                                             ("killed", 1, "exact", "children", None, False, ())]),
    ("أسفر عن اصابته بجروح، مع خمسة من افراد حمايته", [("injured", 1, "exact", None, None, False, ()),
                                                    ("injured", 5, "exact", "people", None, False, ())]),
    ("اغتالوا العميد جبار مساعد", [("killed", 1, "exact", "people", None, False, ())]),
    ("اغتالت وحدة اسرائيلية خاصة امس ناشطاً", [("killed", 1, "exact", None, None, False, ())]),
    ("اغتال الطيران الاسرائيلي بعد ظهر امس خمسة فلسطينيين", [("killed", 5, "exact", "people", None, False, ())]),
    ("مقتل جندي و3 مدنيين", [("killed", 1, "exact", "soldiers", None, False, ()),
                            ("killed", 3, "exact", "civilians", None, False, ())]),
    ("وأصيب جندي ألماني واحد بجروح طفيفة", [("injured", 1, "exact", None, None, False, ())]),  # once
    ("قتل طفل وأصيبت والدته بجروح", [("killed", 1, "exact", "children", None, False, ()),
                                     ("injured", 1, "exact", "people", None, False, ())]),
    # A singular before the number is the one who killed (verb, subject, object).
    ("قتل مسلح فلسطيني خمسة أشخاص", [("killed", 5, "exact", "people", None, False, ())]),
    # ...but not a negated cue, a lone natural death, an idiom, a particle, an attempt or an anniversary.
    ("نجا المحافظ من محاولة اغتيال", []),
    ("في الذكرى الثانية لاغتيال الحريري", []),
    ("سقط عشرات العراقيين بين قتيل وجريح", [("casualties", 10, "vague", "people", None, False, ())]),
    ("فقد قرر قاض", []),  # فـ + قد, not "lost"
    ("لم يقتل أحد في الهجوم", []),
    ("أعلن عن وفاة شخص", []),
    ("في تطور اخر قال جندي", []),
    # A figure with its own cue is no part of the figure before it; "we lost" is missing, not dead.
    ("مقتل 71 شخصا وإصابة 178 بينهم نساء", [("killed", 71, "exact", "people", None, False, ()),
                                          ("injured", 178, "exact", None, None, False, ())]),
    ("وفقدنا 50 من الجنود", [("missing", 50, "exact", "soldiers", None, False, ())]),
    # Totals: a rising toll, "during it" after a long period, a past year; not "during it" alone.
    ("ووصل عدد القتلى في اليوم الثالث للحملة الى 25 قتيلا", [("killed", 25, "exact", None, None, True, ())]),
    ("وراح ضحية الاعتداءات امس 7 فلسطينيين، ليصل عدد الضحايا في غضون 36 ساعة الى 26",
     [("killed", 7, "exact", "people", None, False, ())]),
    ("قتلوا 13 متظاهرا في اكتوبر 2000", [("killed", 13, "exact", "protesters", None, True, ())]),
    ("وكان 200 شخص قد قتلوا في هجمات مماثلة العام الماضي", [("killed", 200, "exact", "people", None, True, ())]),
    ("وقتل خلال الهجوم 11 مسلحا و3 من عناصر الأمن", [("killed", 11, "exact", "fighters", None, False, ()),
                                                  ("killed", 3, "exact", "police", None, False, ())]),
    ("قتل ما بين 30 و40 شخصا", [("killed", 30, "about", "people", None, False, ())]),
    # A bare number's noun never carries "and": "وإصابة" opens the next figure (killed 4, injured 7).
    ("أدى الانفجار الى مقتل 4 وإصابة 7 آخرين", [("killed", 4, "exact", None, None, False, ()),
                                              ("injured", 7, "exact", "people", None, False, ())]),
    ("ما ادى الى مقتل اربعة وإصابة سبعة بجروح", [("killed", 4, "exact", None, None, False, ()),
                                               ("injured", 7, "exact", None, None, False, ())]),
    ("أسفر الهجوم عن مقتل ثلاثة واصابة عشرة", [("killed", 3, "exact", None, None, False, ()),
                                             ("injured", 10, "exact", None, None, False, ())]),
    # Durations, years, percentages, distances and places are not counts.
    ("استأنفت القوات القصف بعد هدوء استمر لأكثر من أسبوع", []),
    ("قتل في عام 2018 بنسبة 40% على بعد 5 كم خلال 3 أيام", []),
    ("قتل 5 في 3 قرى", [("killed", 5, "exact", None, None, False, ())]),
    ("وصلت فرق الدفاع المدني إلى أحد الأماكن", []),
]


@pytest.mark.parametrize(("text", "expected"), AR_CASES, ids=[c[0][:40] for c in AR_CASES])
def test_counts_ar(text: str, expected: list[tuple]) -> None:
    assert _rows(text, "ar") == expected


EN_CASES = [
    ("At least 12 people were killed and 30 wounded.", [("killed", 12, "at_least", "people", None, False, ()),
                                                        ("injured", 30, "exact", None, None, False, ())]),
    ("A dozen soldiers were killed.", [("killed", 12, "exact", "soldiers", None, False, ())]),
    ("Air strikes hit the town, killing 3, including a child.",
     [("killed", 3, "exact", None, None, False, (("killed", 1, "children"),))]),
    ("Two hundred and fifty protesters were arrested.", [("arrested", 250, "exact", "protesters", None, False, ())]),
    ("The strike killed 20 people, bringing the death toll to 300.",
     [("killed", 20, "exact", "people", None, False, ()), ("killed", 300, "exact", None, None, True, ())]),
    ("Airstrikes killed 40 civilians, among them 8 children.",
     [("killed", 40, "exact", "civilians", None, False, (("killed", 8, "children"),))]),
    ("Troops killed 40 civilians, including 8 children and 5 women.",
     [("killed", 40, "exact", "civilians", None, False, (("killed", 8, "children"), ("killed", 5, "women")))]),
    ("Police arrested 14 people, of whom 3 were women.",
     [("arrested", 14, "exact", "people", None, False, (("arrested", 3, "women"),))]),
    ("40 civilians were killed in the raid.", [("killed", 40, "exact", "civilians", None, False, ())]),
    ("Gunmen killed 12 soldiers and 30 civilians and wounded 15.",
     [("killed", 12, "exact", "soldiers", None, False, ()), ("killed", 30, "exact", "civilians", None, False, ()),
      ("injured", 15, "exact", None, None, False, ())]),
    ("The bombing left 400 dead.", [("killed", 400, "exact", None, None, False, ())]),
    ("The attack killed five people and wounded forty-two others.",
     [("killed", 5, "exact", "people", None, False, ()), ("injured", 42, "exact", "people", None, False, ())]),
    ("Three Russian warplanes and two helicopters carried out more than 50 air strikes.",
     [("aircraft", 3, "exact", None, "warplane", False, ()), ("aircraft", 2, "exact", None, "helicopter", False, ()),
      ("strikes", 50, "more_than", None, "air strike", False, ())]),
    ("Rebels fired 20 rockets and 15 mortar shells.", [("rockets", 20, "exact", None, "rocket", False, ()),
                                                       ("shells", 15, "exact", None, "mortar shell", False, ())]),
    ("Dozens of civilians were killed and hundreds wounded.",
     [("killed", 12, "vague", "civilians", None, False, ()), ("injured", 100, "vague", None, None, False, ())]),
    ("Nearly 1,600 civilians have been killed since the start of the offensive.",
     [("killed", 1600, "about", "civilians", None, True, ())]),
    ("More than 300 people have been killed so far this year.",
     [("killed", 300, "more_than", "people", None, True, ())]),
    ("Gunmen kidnapped 3 journalists.", [("abducted", 3, "exact", "journalists", None, False, ())]),
    ("Airstrikes killed at least 25 people, 10 of them children.",
     [("killed", 25, "at_least", "people", None, False, (("killed", 10, "children"),))]),
    ("In the past 24 hours, 12 people were killed.", [("killed", 12, "exact", "people", None, False, ())]),
    ("Over the past five years, 1,600 people were killed.", [("killed", 1600, "exact", "people", None, True, ())]),
    ("One attacker was killed and two others were arrested.",
     [("killed", 1, "exact", "fighters", None, False, ()), ("arrested", 2, "exact", "people", None, False, ())]),
    ("The fighting displaced tens of thousands of people.",
     [("displaced", 10000, "vague", "people", None, False, ())]),
    ("Militants killed 12 members of the security forces.",
     [("killed", 12, "exact", "soldiers", None, False, ())]),
    ("Five people were reported missing.", [("missing", 5, "exact", "people", None, False, ())]),
    ("Soldiers destroyed 4 tanks.", [("vehicles", 4, "exact", None, "tank", False, ())]),
    # A cue after coordinated nouns or after a breakdown belongs to the whole.
    ("Over 200 protesters and police officers were injured.",
     [("injured", 200, "more_than", "protesters", None, False, ())]),
    ("40 civilians, among them 8 children, were killed.",
     [("killed", 40, "exact", "civilians", None, False, (("killed", 8, "children"),))]),
    ("12 soldiers and 30 civilians were killed.", [("killed", 12, "exact", "soldiers", None, False, ()),
                                                   ("killed", 30, "exact", "civilians", None, False, ())]),
    ("Three people were stabbed to death.", [("killed", 3, "exact", "people", None, False, ())]),
    ("Gunmen attacked the camp, killing three refugees.", [("killed", 3, "exact", None, None, False, ())]),
    ("3,000 refugees arrived.", [("displaced", 3000, "exact", None, None, False, ())]),
    ("Four hostages were seized, and two of them were later found dead.",
     [("abducted", 4, "exact", None, None, False, ()), ("killed", 2, "exact", None, None, False, ())]),
    ("The strike killed 30-40 people.", [("killed", 30, "about", "people", None, False, ())]),
    # One person with no numeral: an article and a singular next to a cue, or coordinated.
    ("A policeman was killed.", [("killed", 1, "exact", "police", None, False, ())]),
    ("A 17-year-old boy was shot dead by soldiers.", [("killed", 1, "exact", "children", None, False, ())]),
    ("Gunmen shot dead a former rebel commander.", [("killed", 1, "exact", "fighters", None, False, ())]),
    ("A drone killed a senior Taliban commander and two of his bodyguards.",
     [("killed", 1, "exact", "people", None, False, ()), ("killed", 2, "exact", "people", None, False, ())]),
    ("Another was wounded.", [("injured", 1, "exact", None, None, False, ())]),
    ("Two Afghan soldiers and a police officer were killed.", [("killed", 2, "exact", "soldiers", None, False, ()),
                                                              ("killed", 1, "exact", "police", None, False, ())]),
    ("A doctor and two nurses were among those killed.", [("killed", 1, "exact", "medics", None, False, ()),
                                                          ("killed", 2, "exact", "medics", None, False, ())]),
    ("The shelling killed a mother and her three children.", [("killed", 1, "exact", "people", None, False, ()),
                                                              ("killed", 3, "exact", "children", None, False, ())]),
    ("Between 30 and 40 people were killed.", [("killed", 30, "about", "people", None, False, ())]),
    ("The assassination of the governor shocked the city.", [("killed", 1, "exact", None, None, False, ())]),
    # ...but not an apposition, a lone death that may be natural, or a negation.
    ("Herders attacked, killing 26 people, a local official said.",
     [("killed", 26, "exact", "people", None, False, ())]),
    ("One student was shot dead, a hospital official said.", [("killed", 1, "exact", "students", None, False, ())]),
    ("Tests proved negative on a US soldier who died in Texas.", []),
    ("The governor was not killed.", []),
    ("The governor survived an assassination attempt.", []),
    ("Gunmen tried to assassinate the governor.", []),
    ("Last year, 120 people were killed in similar attacks.", [("killed", 120, "exact", "people", None, True, ())]),
    ("The death toll had risen to 72.", [("killed", 72, "exact", None, None, True, ())]),
    # Not counts: a distance, a year, a clock time, a duration, a bare figure with nothing to count.
    ("They drove down the 5 km road.", []),
    ("The town was shelled in 2019.", []),
    ("The raid started at 3 p.m.", []),
    ("Calm held for more than a week after five years of siege.", []),
    ("A dozen soldiers stood guard.", []),
    ("Officials killed time in 3 meetings.", []),
    ("No one was killed in the raid.", []),
    # en-quality3 families: an AP-style abbreviated date is a day, not a count; "martyred" is killed;
    # a singular after two adjectives; a toll "years ago" is history; freed inmates are no casualties.
    ("A missile strike on Odesa on Sept. 12 killed four people.", [("killed", 4, "exact", "people", None, False, ())]),
    ("Four policemen were martyred in the attack.", [("killed", 4, "exact", "police", None, False, ())]),
    ("The clash left one Kyrgyz border guard dead.", [("killed", 1, "exact", "police", None, False, ())]),
    ("The fire killed 57 people two years ago.", [("killed", 57, "exact", "people", None, True, ())]),
    ("Gunmen stormed the jail, freeing 300 inmates, and 12 guards were killed.",
     [("freed", 300, "exact", "prisoners", None, False, ()), ("killed", 12, "exact", "police", None, False, ())]),
    # A demonym or victim noun before a singular is its adjective: the figure is the noun after it.
    ("A Pakistani soldier was killed.", [("killed", 1, "exact", "soldiers", None, False, ())]),
    ("A Palestinian man was killed by Israeli fire.", [("killed", 1, "exact", "men", None, False, ())]),
    ("A Palestinian was killed.", [("killed", 1, "exact", "people", None, False, ())]),
    # The singular before an active verb with an object is the one who killed, not a victim...
    ("A man shot dead a police officer.", [("killed", 1, "exact", "police", None, False, ())]),
    ("A gunman shot and killed a journalist.", [("killed", 1, "exact", "journalists", None, False, ())]),
    ("Two gunmen killed a policeman.", [("killed", 1, "exact", "police", None, False, ())]),
    # ...but a passive, or a time phrase after the verb, keeps it a victim.
    ("A soldier was killed a day after the attack.", [("killed", 1, "exact", "soldiers", None, False, ())]),
    ("A soldier killed in the attack was buried.", [("killed", 1, "exact", "soldiers", None, False, ())]),
    # A verb and its complement around the victims ("stabbed X to death")...
    ("A man stabbed a teacher to death.", [("killed", 1, "exact", "people", None, False, ())]),
    ("A man stabbed three people to death.", [("killed", 3, "exact", "people", None, False, ())]),
    ("Police said he beat her to death.", [("killed", 1, "exact", "people", None, False, ())]),
    # "stabbed" alone wounds; with its complement it kills (one count, not both).
    ("A man stabbed a bishop and three other people.",
     [("injured", 1, "exact", "people", None, False, ()), ("injured", 3, "exact", "people", None, False, ())]),
    ("Three people were stabbed.", [("injured", 3, "exact", "people", None, False, ())]),
    ("A man was stabbed to death.", [("killed", 1, "exact", "men", None, False, ())]),
    ("A man stabbed three people to death.", [("killed", 3, "exact", "people", None, False, ())]),
    # ...but not a sentence to death, nor an attempt.
    ("A court sentenced a man to death.", []),
    ("A man tried to stab a woman to death.", []),
    # A list of victims: a singular before a comma and a number, a possessive with a singular in a
    # list, an "of" phrase after the first victim.
    ("A strike killed a commander, two children and two women.",
     [("killed", 1, "exact", "people", None, False, ()), ("killed", 2, "exact", "children", None, False, ()),
      ("killed", 2, "exact", "women", None, False, ())]),
    ("A strike killed a commander, his wife and three of their children.",
     [("killed", 1, "exact", "people", None, False, ()), ("killed", 1, "exact", "people", None, False, ()),
      ("killed", 3, "exact", "children", None, False, ())]),
    ("Gunmen killed a local politician and his driver.",
     [("killed", 1, "exact", "people", None, False, ()), ("killed", 1, "exact", "people", None, False, ())]),
    ("A drone killed a senior commander of the militia and two of his guards.",
     [("killed", 1, "exact", "people", None, False, ()), ("killed", 2, "exact", "police", None, False, ())]),
    # "the" opens one person in a list too; an adverb may stand before the cue after a singular.
    ("Gunmen killed the village chief and his two sons.",
     [("killed", 1, "exact", "people", None, False, ()), ("killed", 2, "exact", "people", None, False, ())]),
    ("A man was killed and his wife seriously injured.",
     [("killed", 1, "exact", "men", None, False, ()), ("injured", 1, "exact", "people", None, False, ())]),
    ("The governor and his aides were evacuated.", []),
    # ...but a possessive before "said" is the source, and an "of" phrase before another verb ends the list.
    ("Gunmen killed a man, his brother said.", [("killed", 1, "exact", "men", None, False, ())]),
    ("A strike killed a commander of the militia and wounded two of his guards.",
     [("killed", 1, "exact", "people", None, False, ()), ("injured", 2, "exact", "police", None, False, ())]),
]


@pytest.mark.parametrize(("text", "expected"), EN_CASES, ids=[c[0][:40] for c in EN_CASES])
def test_counts_en(text: str, expected: list[tuple]) -> None:
    assert _rows(text, "en") == expected


def test_counts_breakdown_is_never_added() -> None:
    # "40 civilians among them 8 children" is 40 in all: the 8 are a breakdown, never a second count.
    doc = _doc("Airstrikes killed 40 civilians, among them 8 children.", "en")
    assert sum(c.value for c in doc.counts if c.kind == "killed") == 40


# ----------------------------------------------------------------------------------------------
# The Douma article (AFP Arabic, 7 April 2018): the facts the analyst reads, from the real text.


@pytest.fixture(scope="module")
def douma(douma_article: dict) -> Doc:
    """The real article text through prepare(), find_numbers() and find_counts()."""
    return _doc(douma_article["text"], "ar")


def test_counts_douma_killed_40_civilians_among_them_8_children(douma: Doc) -> None:
    daily = [c for c in douma.counts if c.kind == "killed" and not c.cumulative]
    assert [_row(c) for c in daily] == [("killed", 40, "exact", "civilians", None, False, (("killed", 8, "children"),))]
    assert "أربعين" in daily[0].text and "ثمانية أطفال" in daily[0].text


def test_counts_douma_1600_is_cumulative(douma: Doc) -> None:
    (total,) = [c for c in douma.counts if c.cumulative]
    assert (total.kind, total.value, total.low, total.qualifier, total.victims) == (
        "killed", 1600, 1600, "more_than", "civilians")


def test_counts_douma_raids_and_aircraft(douma: Doc) -> None:
    other = [(c.kind, c.value, c.qualifier, c.unit) for c in douma.counts if c.kind != "killed"]
    assert sorted(other) == [
        ("aircraft", 2, "exact", "helicopter"),
        ("aircraft", 3, "exact", "warplane"),
        ("strikes", 50, "more_than", "air raid"),
    ]
    texts = {c.unit: c.text for c in douma.counts}
    assert texts["air raid"] == "أكثر من 50 غارة"
    assert texts["warplane"] == "ثلاث طائرات حربية"
    assert texts["helicopter"].startswith("طائرتين")  # the dual: no numeral word


def test_counts_douma_durations_are_never_counts(douma: Doc) -> None:
    hints = {n.text: n.unit_hint for n in douma.numbers}
    assert hints["خمس"] == "year"
    assert hints["أكثر من أسبوع"] == "week"
    spans = [(douma.text.index("خمس سنوات"), douma.text.index("خمس سنوات") + 9),
             (douma.text.index("أكثر من أسبوع"), douma.text.index("أكثر من أسبوع") + 13)]
    for c in douma.counts:
        assert all(c.end <= s or c.start >= e for s, e in spans), c.text


def test_counts_douma_has_nothing_else(douma: Doc) -> None:
    # Five figures in all: no count from the tweet link, the dates, or "one of the places".
    assert len(douma.counts) == 5


# (sentence, (kind, value, cumulative) of every top-level count): coordination, Sunday, totals
AR_GROUPS = [
    # An adjective after the first group does not end the coordination: both wait for the verb.
    ("أعلن الجيش ان نحو 200 مسلح اسلامي ونحو 50 جنديا باكستانيا قتلوا في المعارك",
     [("killed", 200, False), ("killed", 50, False)]),
    # الأحد after بين is Sunday, not "one".
    ("قال الجيش ان 30 جنديا قتلوا بين الأحد والثلاثاء", [("killed", 30, False)]),
    ("قتل أحد عناصر الشرطة في الهجوم", [("killed", 1, False)]),
    # "in the capital alone", "during the past week", "since March": totals, not one incident's toll.
    ("قتل 3000 شخص في العاصمة وحدها", [("killed", 3000, True)]),
    ("قتلت الشرطة خلال الأسبوع الماضي 20 مسلحا", [("killed", 20, True)]),
    ("قتل الجيش 500 مسلح منذ مارس", [("killed", 500, True)]),
]
EN_GROUPS = [
    ("The army said it had killed 500 militants since March", [("killed", 500, True)]),
    ("Gunmen killed 12 villagers in less than a week", [("killed", 12, True)]),
    ("Gunmen killed 12 villagers on Monday", [("killed", 12, False)]),
]


@pytest.mark.parametrize(("text", "expected"), AR_GROUPS, ids=[c[0][:40] for c in AR_GROUPS])
def test_counts_ar_groups_sundays_and_totals(text: str, expected: list[tuple]) -> None:
    assert [(c.kind, c.value, c.cumulative) for c in _doc(text, "ar").counts] == expected


@pytest.mark.parametrize(("text", "expected"), EN_GROUPS, ids=[c[0][:40] for c in EN_GROUPS])
def test_counts_en_totals(text: str, expected: list[tuple]) -> None:
    assert [(c.kind, c.value, c.cumulative) for c in _doc(text, "en").counts] == expected


# One victim named or pointed at right after a killing or wounding cue, with no numeral:
# (sentence, every top-level count as (kind, value, victims)). Counter-examples: an attempt, a
# negation, a figure after the cue (the name is the killer), a name that is also a preposition or a phrase.
AR_NAMED = [
    ("أدى القصف الى مقتل خالد منصور قرب المخيم", [("killed", 1, None)]),
    ("وأعلنت الحركة استشهاد فاطمة النجار في الغارة", [("killed", 1, None)]),
    ("أسفر الانفجار عن مقتل أبو عمر البغدادي", [("killed", 1, None)]),
    ("وأصيب عبد الرحمن بجروح خطيرة", [("injured", 1, None)]),
    ("قام المسلحون بقتل الشرطي بعد اقتحام المركز", [("killed", 1, "police")]),
    ("وأسفر الهجوم عن إصابة الجندي بجروح طفيفة", [("injured", 1, "soldiers")]),
    ("قتل يوسف سليمان ثلاثة من جيرانه بالرصاص", [("killed", 3, None)]),
    ("نجا من محاولة قتل محمد الخالدي", []),
    ("لم يقتل الجندي في الهجوم", []),
    ("قتل على يد مسلحين مجهولين", []),
    ("وأدان القتل باسم الدين", []),
    ("وقال الجندي إن الهجوم فشل", []),
    # Cues that need a figure or a complement: "met a welcome", "spent his night", "kills" (habitual).
    ("لقي الجندي ترحيبا حارا في القرية", []),
    ("قضى محمد ليلته في المستشفى", []),
    ("وكان يقتل الجندي كل من يقترب", []),
    ("واستمر الخلاف حول إعدام صدام بعد شنقه", []),
    # A victim named by a trade, beside a cue like the other titles; the trade alone counts no one.
    ("أسفر الانفجار عن مقتل فتاة واصابة نادل", [("killed", 1, "children"), ("injured", 1, "people")]),
    ("وأصيب صياد بجروح قرب الشاطئ", [("injured", 1, "people")]),
    ("وقال نادل في المطعم إن الانفجار كان قويا", []),
]


# Relatives glued to "and" after a single named or assassinated victim share the fate, across the
# victim's name and an apposition of his post; not across a preposition, a clause end or another verb.
# (sentence, total of the killed figures)
AR_KIN = [
    ("أسفر القصف عن مقتل يوسف النجار وزوجته وابنته", 3),
    ("اغتال مسلحون أمس محمود العلي، مدير مدرسة القرية، وشقيقه", 2),
    ("مقتل خالد منصور في الغارة وزوجته", 1),
    ("اغتيل العميد. وقال شقيقه إن الحادث مدبر", 1),
    ("قتل حسام سليمان وقال والده إن ابنه بريء", 1),
    ("وأكدت الحركة مقتل أحمد نصر ومحمد عوض في القصف", 2),
    ("مقتل أحمد نصر وقال محمد عوض إن القصف استمر", 1),
]


@pytest.mark.parametrize(("text", "killed"), AR_KIN, ids=[c[0][:40] for c in AR_KIN])
def test_counts_ar_relatives_after_a_single_victim_share_the_fate(text: str, killed: int) -> None:
    assert sum(c.value for c in _doc(text, "ar").counts if c.kind == "killed") == killed



@pytest.mark.parametrize(("text", "expected"), AR_NAMED, ids=[c[0][:40] for c in AR_NAMED])
def test_counts_ar_one_named_or_definite_victim_after_cue(text: str, expected: list[tuple]) -> None:
    assert [(c.kind, c.value, c.victims) for c in _doc(text, "ar").counts] == expected


# A country's toll whose part is written with its own attack ("in a suicide attack") adds up the
# day's incidents: the whole is a total, the part the attack's toll. Without the country, or without
# the attack after the part, the part stays a breakdown of one toll.
# (sentence, top-level counts as (kind, value, cumulative))
AR_TALLIES = [
    ("أعلنت مصادر أمنية مقتل 18 شخصا في العراق، بينهم 15 قضوا في هجوم انتحاري بسيارة مفخخة",
     [("killed", 18, True), ("killed", 15, False)]),
    ("قتل 20 شخصا في أفغانستان أمس بينهم 12 قتلوا في غارة جوية على قرية",
     [("killed", 20, True), ("killed", 12, False)]),
    ("مقتل 18 شخصا في الهجوم، بينهم 15 جنديا قتلوا في انفجار السيارة", [("killed", 18, False)]),
    ("مقتل 18 شخصا في العراق بينهم 15 جنديا", [("killed", 18, False)]),
]


@pytest.mark.parametrize(("text", "expected"), AR_TALLIES, ids=[c[0][:40] for c in AR_TALLIES])
def test_counts_ar_country_toll_with_one_attacks_part_is_a_total(text: str, expected: list[tuple]) -> None:
    doc = analyze(text, "ar", date(2008, 11, 17))  # places too: the rule needs the country
    assert [(c.kind, c.value, c.cumulative) for c in doc.counts] == expected


# "then killed": the people of a figure before (or two, for a dual verb) killed afterwards.
# (sentence, every count as (kind, value, victims))
AR_THEN_KILLED = [
    ("اختطف مسلحون جنديين ثم قتلا في وقت لاحق", [("abducted", 2, "soldiers"), ("killed", 2, "soldiers")]),
    ("ضابط شرطة وجنديا اختطفا ثم قتلا", [("killed", 2, None)]),  # the dual verb says two
    ("اختطف مسلحون ثلاثة صحافيين ثم قتلوهم", [("abducted", 3, "journalists"), ("killed", 3, "journalists")]),
    # Counter-examples: a figure of its own after the verb, another fate, the verbal noun.
    ("اختطف مسلحون ثلاثة صحافيين ثم قتلوا حارسا", [("abducted", 3, "journalists"), ("killed", 1, "people")]),
    ("اختطف مسلحون ثلاثة صحافيين ثم أطلقوا سراحهم", [("abducted", 3, "journalists")]),
    ("ثم قتلوا في وقت لاحق", []),  # a plural verb with nobody counted before
    ("مات قتلا", []),
]


@pytest.mark.parametrize(("text", "expected"), AR_THEN_KILLED, ids=[c[0][:40] for c in AR_THEN_KILLED])
def test_counts_ar_people_seized_then_killed_are_counted_killed(text: str, expected: list[tuple]) -> None:
    assert [(c.kind, c.value, c.victims) for c in _doc(text, "ar").counts] == expected


# A dual the plural also spells (شرطيين: the press writes the plural رجال الشرطة) is two with no
# number before it; a title after a verb in the indefinite accusative (قائدا) is one.
AR_DUAL_AND_TITLE = [
    ("مقتل شرطيين في انفجار", [("killed", 2, "police")]),
    ("قتل خمسة شرطيين في انفجار", [("killed", 5, "police")]),  # a number first: the plural
    ("أسفر الانفجار عن مقتل مدنيين", []),  # مدنيين stays a plural: civilians, a number unsaid
    ("وقتلوا قائدا للحركة في شمال غزة", [("killed", 1, "people")]),
    ("قالت مصادر ان هناك عاملا قتل", [("killed", 1, "people")]),
    ("انتخب رئيسا للحركة", []),  # no cue: a title alone is nobody killed
]


@pytest.mark.parametrize(("text", "expected"), AR_DUAL_AND_TITLE, ids=[c[0][:40] for c in AR_DUAL_AND_TITLE])
def test_counts_ar_police_dual_and_accusative_titles(text: str, expected: list[tuple]) -> None:
    assert [(c.kind, c.value, c.victims) for c in _doc(text, "ar").counts] == expected


# The victim as the subject before a passive killing verb: after a relative pronoun or after
# "كان ... قد"; an active verb with its object, or a figure of its own, is left alone.
# (sentence, every count as (kind, value))
AR_SUBJECT_KILLED = [
    ("ان الانتحاري الذي قتل بالرصاص خرج من المنزل يحمل سيفا", [("killed", 1)]),
    ("وكانت رئيسة الوزراء السابقة قد قتلت في هجوم انتحاري", [("killed", 1)]),
    ("ودعت القوى الرائد ومرافقه اللذين قتلا بتفجير سيارة", [("killed", 2)]),
    ("فنحن احفاد قابيل الذي قتل اخاه هابيل", []),  # active: the object follows
    ("وكان الجيش قد قتل 5 مسلحين في المدينة", [("killed", 5)]),  # the figure is the verb's own
    ("الضحايا الذين قتلوا في الهجوم", []),  # a plural says no number
    ("الرئيس الذي قد قتل في الهجوم", []),  # "قد" without a past auxiliary before it
]


@pytest.mark.parametrize(("text", "expected"), AR_SUBJECT_KILLED, ids=[c[0][:40] for c in AR_SUBJECT_KILLED])
def test_counts_ar_subject_before_a_passive_verb_is_one_killed(text: str, expected: list[tuple]) -> None:
    assert [(c.kind, c.value) for c in _doc(text, "ar").counts] == expected


# A breakdown with no figure of its own ("among them women and children") or a relative adjective
# ("a French soldier") between a figure and the verb after it; the Taliban's name is no dual of
# "student".
# (sentence, every count as (kind, value))
AR_NUMBERLESS_BREAKDOWN_AND_NAMES = [
    ("وقال المحافظ ان 21 مدنيا بينهم نساء وأطفال قتلوا في ضربة جوية", [("killed", 21)]),
    ("وقال المحافظ ان 21 مدنيا، بينهم نساء وأطفال، قتلوا في ضربة جوية", [("killed", 21)]),
    ("وقال ان 21 مدنيا بينهم ثلاث نساء قتلوا في ضربة جوية", [("killed", 21)]),
    ("أصيب 30 شخصا بينهم نساء وأطفال وقتل اثنان في الانفجار", [("injured", 30), ("killed", 2)]),
    ("وقال إن 12 شخصا بينهم نساء وأطفال وصلوا إلى المخيم", []),  # no cue after the breakdown
    ("وأعلن قائد الشرطة أن مقاتلي حركة طالبان قتلوا في ضربات جوية", []),
    ("وهاجم مسلحو طالبان قافلة عسكرية", []),
    ("وأصيب تلميذان بجروح في الانفجار", [("injured", 2)]),  # a dual is still two
    # A singular and its relative adjective before the verb: one killed; the speaker is nobody.
    ("وقال مسؤولون إن جنديا فرنسيا قتل في الانفجار", [("killed", 1)]),
    ("وقال مسؤولون إن شرطيا عراقيا أصيب في الانفجار", [("injured", 1)]),
    ("وقال جندي فرنسي إن الانفجار وقع قرب القاعدة", []),
    ("وقال شرطي عراقي في المدينة إن الهجوم فشل", []),
    # Commanders are people counted ("three of the commanders" is a part of the 60).
    ("وقال ان 60 مقاتلا منهم ثلاثة من القادة قتلوا في ضربات جوية", [("killed", 60)]),
    ("وأسفر الهجوم عن مقتل قائد ميداني في الحركة", [("killed", 1)]),
    ("وقال قائد الشرطة ان الهجوم فشل", []),
]


@pytest.mark.parametrize(("text", "expected"), AR_NUMBERLESS_BREAKDOWN_AND_NAMES,
                         ids=[c[0][:40] for c in AR_NUMBERLESS_BREAKDOWN_AND_NAMES])
def test_counts_ar_numberless_breakdown_before_the_verb_and_names_that_are_no_dual(
        text: str, expected: list[tuple]) -> None:
    assert [(c.kind, c.value) for c in _doc(text, "ar").counts] == expected
