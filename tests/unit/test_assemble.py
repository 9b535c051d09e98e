"""Assembling incidents: which sentences report one, its type, toll and place (own sentences, one table per rule and language)."""

from __future__ import annotations

import pytest

from streams.extract.pipeline import extract_article

MONDAY = "2008-02-04T12:00:00Z"


def _incidents(lang: str, text: str) -> list[dict]:
    article = {"id": "t-1", "lang": lang, "text": text, "published_at": MONDAY}
    return extract_article(article)["incidents"]


# Sentences that mention an incident word without reporting an incident.
AR_NOT_REPORTED = [
    # A question asks, it does not report.
    "من كان وراء خطف الصحافيين الثلاثة في رأيكم؟",
    # A tally of strikes reported elsewhere.
    "وهي المرة الرابعة في أقل من أسبوع التي تشن فيها طائرات بدون طيار غارات على المنطقة، باطلاق صواريخ",
    # A statistic and a week's national total.
    "قتل 3000 شخص في العاصمة وحدها.",
    "وقال المتحدث: «قتلت الشرطة خلال الأسبوع الماضي 20 مسلحا وضبطت كميات من المتفجرات».",
    # A foiled car bomb.
    "قالت الشرطة إنها عثرت على عبوة مجهزة للتفجير داخل سيارة، وان السيارة المفخخة التي عثر عليها كانت ستوقع ضحايا.",
    # Accidents and disasters kill without an attack.
    "لقي 12 شخصا مصرعهم في حادث سير على طريق بغداد الموصل امس.",
    "قتل ثلاثة أشخاص في انهيار مبنى سكني في القاهرة امس.",    # A series of attacks, last year's events.
    "ونفذت الجماعة سلسلة هجمات على مواقع الجيش في الشمال منذ مطلع الصيف.",
    "وخطف المسلحون عددا من المهندسين الأجانب في مارس من العام الماضي.",
    "وشن المتمردون عدة عمليات ضد القوات الحكومية خلال العامين الماضيين.",
    # The toll or the strikes of a series: "in these operations", "over the past days", "in the
    # two previous years".
    "وأوضح البيان أن جنديا قتل وجرح ثلاثة آخرون في إطار هذه العمليات العسكرية.",
    "وقال الحلف إنه قتل عددا من قادة المسلحين في ضربات جوية في الإقليم على مدى الأيام الماضية.",
    "وشنت القوات خلال العامين السابقين نحو عشر غارات جوية على مواقع مشتبه فيها.",
    # "قاذفات" alone are mostly rocket launchers: a doctor's claim about weapons reports no raid.
    "وقال الطبيب إن الجيش يستخدم صواريخ وقاذفات تؤدي الى تشوهات في أجساد الضحايا.",
]

EN_NOT_REPORTED = [
    "Who was behind the kidnapping of the three journalists?",
    "It was the fourth time in less than a week that drones fired missiles at the area.",
    "Army experts defused a car bomb found outside the station on Sunday.",
    "The army said it had killed 500 militants in the region since January.",
    # Accidents and disasters kill without an attack; markets rally too.
    "Rescuers said 12 people died when their bus crashed into a ravine in Peru on Sunday.",
    "Five workers were killed in a fire at a garment factory in Dhaka on Sunday.",
    "Oil prices rallied on Friday in London after the announcement.",    # What was attacked is a bill or a reform; the attackers are critics.
    "Senators attacked the president's immigration bill during a heated debate in Washington on Tuesday.",
    "Critics attacked the pension reform as a giveaway to the rich.",
    # Missiles fired into the sea are a test, not a strike.
    "Iran fired three missiles into the ocean during naval drills on Tuesday, state television said.",
    # A film bombs at the box office.
    "The horror film bombed at the box office, earning just $3 million in its first week.",
    # Accidents: a vehicle plunging off a road, a gas cylinder exploding.
    "A minibus plunged off a mountain road in northern Peru on Saturday, killing 14 passengers.",
    "Seven patients died when a gas cylinder exploded in a hospital ward in Lahore on Monday.",
    # A sentence handed down over a past bombing.
    "A court in Dhaka sentenced six men to death over the 2016 bombing of a cafe.",
    # A running total for the year.
    "More than 1,200 people have been killed in gang violence in Haiti so far this year, the United Nations said.",
    # An unexplained explosion with an accident cue, a crowd crush (en-quality3 families).
    "A gas tanker overturned and exploded on a highway in Kenya on Sunday, killing 20 people who had gathered to collect fuel.",
    "An explosion at a fireworks warehouse in southern Mexico killed eight people on Friday, officials said.",
    "A crowd crush at a music festival in Seoul killed 30 people on Saturday, police said.",
    # Disease, poisoning and animal deaths.
    "Measles has killed 40 children in the province since the outbreak began, health officials said on Monday.",
    "Five people died after drinking bootleg liquor in a village in Punjab on Saturday, police said.",
    "Officials found 2,000 dead birds at a lake in Bavaria on Tuesday and are testing them for bird flu.",
    # An arms purchase is no attack.
    "Egypt signed a deal for 24 attack helicopters on Monday, the defence ministry said.",
    "A fuel truck exploded after colliding with a bus on a highway in Ghana on Sunday, killing 40 people.",
    "An explosion at a chemical plant in Jiangsu killed 78 people on Thursday, officials said.",
    "Troops held a counter-terrorism exercise in Mombasa on Tuesday, detonating controlled explosions.",
    # Cumulative periods: "since March", "between January and June".
    "Robbers have shot dead 40 shopkeepers in Lagos since March, police figures showed on Monday.",
    "At least 900 people were killed in communal violence in the region between January and June, a monitor said.",
    # Looking back at a past attack: an anniversary, a film, a verdict on "the 2019 bombings".
    "Hundreds gathered in Christchurch on Friday to mark five years since a gunman killed 51 worshippers at two mosques.",
    "A documentary about the 2004 Beslan school siege, in which gunmen killed 334 people, won an award in Berlin on Sunday.",
    "A jury on Monday convicted three men over the July 2005 suicide bombings that killed 52 people.",
    # Sport and rhetoric.
    "France stormed past Morocco 2-0 in Doha on Wednesday to reach the final.",
    "Most of the film was shot in Morocco last year, the director said on Sunday.",
    "Real Madrid stormed into the final with a 2-0 win over Bayern in the Champions League semi-final on Tuesday.",
    "The opposition leader launched a fierce attack on the tax plan, accusing the government of bombing family budgets.",
    # A drill, a missile test and a call to march next week have not happened.
    "Soldiers staged a mock hostage-rescue drill at the port in Mombasa on Tuesday, firing blank rounds and throwing smoke grenades.",
    "Pyongyang said on Friday it had test-fired a new intercontinental ballistic missile.",
    "The union called on its members on Monday to march on parliament next week in a protest against the budget.",
]



@pytest.mark.parametrize("text", AR_NOT_REPORTED)
def test_assemble_arabic_non_reports_give_no_incident(text: str) -> None:
    assert _incidents("ar", text) == []


@pytest.mark.parametrize("text", EN_NOT_REPORTED)
def test_assemble_english_non_reports_give_no_incident(text: str) -> None:
    assert _incidents("en", text) == []


# (sentence, expected main type)
AR_TYPES = [
    # Pirates seizing a ship is a hijacking (abduction); an army seizing a town is not.
    ("واستولى قراصنة على سفينة شحن يونانية امس قبالة سواحل الصومال", "abduction"),
    ("واستولى القراصنة على ناقلة نفط سعودية في خليج عدن امس", "abduction"),
    # A tally that names its own day still reports that day's raid.
    ("قتل خمسة أشخاص في غارة جوية أمس على القرية، وهي الثالثة في أقل من أسبوع", "airstrike"),
    # The riot police unit is context: a peaceful march stays a protest.
    ("تظاهر مئات الأشخاص في أثينا حيث فرضت قوات مكافحة الشغب طوقا أمنيا", "protest"),
    # What the protest condemns is not the event.
    ("أحرق المتظاهرون الإطارات في المخيم ورددوا هتافات تندد بالمعارك", "protest"),
    ("قامت امرأة بتفجير نفسها قرب دورية للشرطة جنوب بغداد", "suicide_bombing"),
    ("تجمع نحو مائة متظاهر في وسط سيدني", "protest"),
    # Protesters looting shops are a riot.
    ("خلع المتظاهرون أبواب المتاجر وأخذوا ينهبونها", "riot"),
    ("قتل خمسة أشخاص في انفجار سيارة مفخخة أدى إلى حريق في سوق ببغداد امس", "bombing"),
]
EN_TYPES = [
    ("Hundreds of people marched in Athens as riot police formed a cordon", "protest"),
    # A killing told after a crowd event, in another clause, is its outcome...
    ("Police fired tear gas at thousands of protesters in Nairobi on Tuesday, and a rights group said five people were shot dead",
     "protest"),
    ("Rioters torched shops in Noumea overnight, and three men were shot dead, officials said", "riot"),
    # ...but an attack told first stays an attack.
    ("Settlers attacked villagers near Nablus on Monday and pelted them with stones, wounding four", "armed_attack"),
    # A weak word beside a sure crowd does not type it; a sure one does.
    ("Thousands protested in Tel Aviv on Saturday demanding a hostage deal", "protest"),
    ("Gunmen kidnapped 20 students in Kaduna on Saturday as parents protested", "abduction"),
    # Tear gas is how police met a march: still a protest; a crowd's own violence makes a riot.
    ("Thousands marched through Caracas on Saturday, and police used tear gas to disperse them", "protest"),
    ("Protesters hurled stones at police in Caracas on Saturday, and police used tear gas", "riot"),
    # People killed make a burning an attack; a mob's burning stays a riot.
    ("Gunmen set fire to 40 homes in a village in Plateau state on Monday, killing 10 people", "armed_attack"),
    ("Mobs torched shops in Nuh on Monday, and five people were killed in the violence", "riot"),
    ("Settlers set fire to cars in a village near Nablus on Monday", "looting_destruction"),
    # A state's armed forces "bombed": from the air; militants who "bombed" set off a bomb.
    ("The army bombed a market in a Darfur village on Monday, killing 30 people", "airstrike"),
    ("Army planes bombed a market in Nyala on Monday, killing 15 people", "airstrike"),
    ("Militants bombed a bus in Quetta on Monday, killing 30 people", "bombing"),
    ("Five people were killed in an airstrike yesterday, the third in less than a week", "airstrike"),
    # A specific trigger still reports an attack in a sentence that names a fire or a crash.
    ("A car bomb set off a fire that killed five people in Kabul on Sunday", "bombing"),
    # The month is not a march.
    ("On 3 March, gunmen killed five people in Kano", "armed_attack"),    # A gunfight is an armed clash.
    ("Soldiers and militants were locked in a gunfight in Nablus on Monday, and two were killed", "armed_clash"),
    # Blowing up a bridge is a bombing.
    ("Rebels blew up a bridge and killed four soldiers in northern Mali on Sunday", "bombing"),
    # A state's strike on a place is an airstrike (a labour strike is "went on strike").
    ("An Israeli strike on a car in southern Lebanon killed two men on Sunday", "airstrike"),
    ("Dock workers in Rotterdam went on strike on Monday, halting traffic at the port", "protest"),
    # "combat gear" describes the gunmen; the act is the shooting.
    ("Masked men in combat gear shot dead three guards at a bank in Lagos on Sunday", "armed_attack"),
    # The stabbing is the incident, not the arrest of the suspect.
    ("Two people were stabbed to death at a market in Leeds on Sunday, and police arrested a 30-year-old man",
     "armed_attack"),
    # The police killing the riot followed is background to the riot.
    ("Rioters smashed shop windows in Lyon on Sunday night after police shot dead a young driver", "riot"),
    # Drones carrying explosives are a drone strike even when nobody was hurt.
    ("Drones packed with explosives hit an air base in western Iraq on Tuesday, causing no casualties",
     "drone_strike"),
    ("Militants beheaded five villagers in Cabo Delgado province on Friday", "armed_attack"),
    # Aircraft-dropped guided or glide bombs are an air strike (en-quality3).
    ("Russian guided aerial bombs hit a factory in Kharkiv on Monday, killing three people", "airstrike"),
    ("A glide bomb and missile attack on Sumy killed four people on Tuesday", "airstrike"),
    # A drone or warplanes that bombed: the bombing is their strike.
    ("An army drone mistakenly bombed a wedding party in a village in Kaduna on Sunday, killing 30 guests",
     "drone_strike"),
    ("Fighter jets dropped bombs on a crowded market in Darfur on Monday, killing 40 people", "airstrike"),
    # Explosives carried by the attackers are equipment; the storming is the act.
    ("Gunmen armed with rifles and explosives stormed a hotel in Mogadishu on Friday, killing nine people",
     "armed_attack"),
    # Stun grenades thrown by riot police at protesters are no bombing.
    ("Protesters threw stones at police, who fired tear gas and stun grenades, in Tirana on Monday", "riot"),
    # A shot victim: the shooting is the incident, not the arrest of the suspect.
    ("The mayor was shot and seriously wounded outside his office in Guerrero on Sunday, and a suspect was arrested",
     "armed_attack"),
    ("A man drove a van into a crowd at a street fair in Berlin on Saturday, and police arrested the driver",
     "armed_attack"),
    # Places and verbs near the accident/drill cues that are no accident or drill.
    ("Gunmen killed 11 workers at a coal mine in Balochistan on Sunday", "armed_attack"),
    ("Thousands gathered in Hong Kong on Sunday to exercise their right to protest against the law", "protest"),
    # "was shot dead" stays a strong shooting (the weak "was shot" is only its beginning).
    ("A boy was shot dead by soldiers during a raid on a refugee camp in Nablus on Thursday", "armed_attack"),
    # Tear gas fired into a crowd is riot control, not a ramming attack.
    ("Police fired tear gas into a crowd of fans outside the stadium in Nairobi on Sunday", "riot"),
    # Rocket-propelled grenades are the weapon, not a bomb: the act is the firing or the fight.
    ("Insurgents fired rocket-propelled grenades into a market in Maiduguri on Tuesday, killing 10 people", "shelling"),
    ("Rival gangs fought with rifles and RPGs in Port-au-Prince on Friday, killing four people", "armed_clash"),
    # "past midnight" is no sport: the shooting stays an attack.
    ("Gunmen opened fire just past midnight at a bar in Cali, killing six people", "armed_attack"),
    # An unexplained explosion without an accident cue is still a bombing.
    ("An explosion ripped through a crowded market in Peshawar on Friday, killing 12 people", "bombing"),
    # The killing a riot followed is background.
    ("Youths burned cars in Marseille on Tuesday night, the third night of rioting since a teenager was shot by police",
     "riot"),
]



@pytest.mark.parametrize(("text", "expected"), AR_TYPES)
def test_assemble_arabic_main_type(text: str, expected: str) -> None:
    incidents = _incidents("ar", text)
    assert [i["type"] for i in incidents] == [expected], incidents


@pytest.mark.parametrize(("text", "expected"), EN_TYPES)
def test_assemble_english_main_type(text: str, expected: str) -> None:
    incidents = _incidents("en", text)
    assert [i["type"] for i in incidents] == [expected], incidents


# Articles of several sentences: (text, expected (type, killed) of every incident, in order).
EN_STORIES = [
    # The follow-up figures of a disease report that opens the article are the disease's.
    ("Six people have died after becoming infected with the flu virus in Akita, officials said on Monday. "
     "Among the dead were four men and two women, aged 60 to 90.", []),
    # ... but a strong trigger later still reports an attack.
    ("A bus plunged into a gorge in Peru on Sunday, killing 20 people. "
     "Separately, gunmen shot dead three policemen in Lima on Sunday.", [("armed_attack", 3)]),
    # An accident sentence inside an attack story gives that story's toll ("the blast caused a fire").
    ("A suicide bomber struck a market in Kabul on Sunday. The blast caused a fire that killed 12 people.",
     [("suicide_bombing", 12)]),
    # RPGs fired on another day and place are an incident of their own, not a follow-up of the story before.
    ("Mortar rounds fell on a street in Taiz on Sunday, wounding seven civilians. "
     "Insurgents fired rocket-propelled grenades into Maiduguri on Saturday, killing at least 10 people.",
     [("shelling", None), ("shelling", 10)]),
]


@pytest.mark.parametrize(("text", "expected"), EN_STORIES)
def test_assemble_english_incidents_of_an_article(text: str, expected: list[tuple]) -> None:
    incidents = _incidents("en", text)
    assert [(i["type"], i["killed"]["value"] if i["killed"] else None) for i in incidents] == expected, incidents


# (sentence, killed, date)
AR_TOLLS = [
    # Two coordinated groups before one verb are added; Sunday is not "one".
    ("وأعلن الجيش ان نحو 200 مسلح اسلامي ونحو 50 جنديا باكستانيا قتلوا بين الأحد والثلاثاء في اشتباكات",
     250, None),
    # In a Monday paper "الأحد الماضي" is the Sunday of the week before.
    ("قتل ثلاثة جنود في هجوم مسلح يوم الأحد الماضي", 3, "2008-01-27"),
    ("قتل ثلاثة جنود في هجوم مسلح أمس الأحد", 3, "2008-02-03"),
]
EN_TOLLS = [
    ("Three soldiers were killed in an ambush last Sunday", 3, "2008-01-27"),
    # "martyred" (Pakistani English) is killed; a past disaster's toll "years ago" is not this toll.
    ("Three soldiers were martyred when militants attacked a post in Bannu on Sunday", 3, "2008-02-03"),
    ("Gunmen shot dead two guards at a bank in Lahore on Sunday, near the market where a bomb killed 12 people two years ago",
     2, "2008-02-03"),
    ("Rival factions clashed in Batken on Sunday, leaving one Kyrgyz border guard dead", 1, "2008-02-03"),
    # "on Sept. 12": the day of an abbreviated month, not a second figure of killed.
    ("A missile strike on Odesa on Sept. 12 killed four people", 4, "2007-09-12"),
    ("Three soldiers were killed in an ambush on Sunday", 3, "2008-02-03"),
    # An "of" phrase after the first victim does not split the list: one toll of three.
    ("A drone strike on Sunday killed a senior commander of the militia and two of his guards", 3, "2008-02-03"),
    ("An air strike on Sunday killed a commander, his wife and three of their children", 5, "2008-02-03"),
]


@pytest.mark.parametrize(("text", "killed", "day"), AR_TOLLS)
def test_assemble_arabic_toll_and_day(text: str, killed: int, day: str | None) -> None:
    (incident,) = _incidents("ar", text)
    assert incident["killed"]["value"] == killed
    if day is not None:
        assert incident["date"]["value"] == day


@pytest.mark.parametrize(("text", "killed", "day"), EN_TOLLS)
def test_assemble_english_toll_and_day(text: str, killed: int, day: str) -> None:
    (incident,) = _incidents("en", text)
    assert (incident["killed"]["value"], incident["date"]["value"]) == (killed, day)


def _main(lang: str, text: str) -> dict:
    """The most confident incident of ``text`` (there must be one)."""
    incidents = _incidents(lang, text)
    assert incidents, text
    return max(incidents, key=lambda i: i["confidence"])


# (sentence, expected type of the most confident incident): event words the lexicon lacked or
# read as another kind, and "clashes" in an incident of demonstrators, which are a riot.
AR_MAIN_TYPES = [
    # People hurt on a strike or protest day with arrests besides: the crowd event is the incident;
    # arrests of demonstrators with nobody hurt stay arrests.
    ("وخلف يوم الإضراب امس إصابة 37 من قوات الأمن و55 متظاهرا إضافة للقبض على عمال", "protest"),
    ("واعتقلت الشرطة امس 20 متظاهرا في وسط العاصمة", "arrest"),
    # "مسيرات احتجاجية" are protest marches, not drones.
    ("خرج مئات الطلاب في مسيرات احتجاجية في شوارع المدينة أمس", "protest"),
    ("نظم آلاف العمال مسيرات سلمية للمطالبة برفع الأجور", "protest"),
    ("وكان الآلاف قد خرجوا في مسيرات في العاصمة قبل اعلان النتائج، وكان المتظاهرون يهتفون.", "protest"),
    ("شارك العمال في مسيرات في المدن الكبرى للمطالبة بالأجور", "protest"),
    ("نظموا مسيرات غاضبة في شوارع البلدة بعد صلاة الجمعة", "protest"),
    # Bare "مسيرات" doing something is still the drones.
    ("هاجمت مسيرات محطة الكهرباء في المدينة أمس", "drone_strike"),
    # Dual suicide attacks and the "ملغومة" (booby-trapped) spelling of a car bomb.
    ("استهدف هجومان انتحاريان دورية للشرطة في الموصل أمس", "suicide_bombing"),
    ("انفجرت سيارة ملغومة قرب سوق شعبي في كركوك أمس", "bombing"),
    # Stun grenades are crowd-control munitions: the gunfire is the attack, not a bombing.
    ("اقتحم مسلحون المبنى وبدأوا الهجوم بالقنابل الصوتية ثم أطلقوا النار على الحراس", "armed_attack"),
    # Rockets fired in a salvo, or a rocket that fell: shelling.
    ("أطلق مسلحون عشرات الصواريخ على البلدات الحدودية فجر أمس", "shelling"),
    ("وكان صاروخ سقط أمس قرب مدرسة في سديروت", "shelling"),
    ("عشرون جريحا في اشتباكات جديدة بالعاصمة: أطلقت الشرطة الغاز المسيل للدموع لتفريق مئات المتظاهرين أمس.",
     "riot"),
    ("مواجهات عنيفة في العاصمة اليونانية * أثينا ـ «الشرق الاوسط»: رشق مئات المتظاهرين قوات الشرطة بالحجارة امس.",
     "riot"),
    # Demonstrators arrested after clashes: the demonstration is the incident, not the arrests.
    ("واعتقلت الشرطة عشرين متظاهرا بعد صدامات مع المحتجين في وسط المدينة امس.", "protest"),
    # Clashes between armed groups, with no crowd, stay an armed clash.
    ("اندلعت اشتباكات عنيفة بين مسلحين وقوات الجيش في بعقوبة أمس.", "armed_clash"),
    # An explosion word names the effect; a delivery named more surely (mortar shells, an air
    # raid, a drone) is the act. A car bomb named as surely as the mortar stays a bombing.
    ("وانفجرت ثلاث قذائف هاون قرب مقر الحكومة في مقديشو أمس.", "shelling"),
    ("أطلقت طائرة بدون طيار صاروخا على مسلحين هاجموا الدورية بتفجير قنابل على الطريق.", "drone_strike"),
    ("شنت الطائرات غارات جوية على مواقع المسلحين أعقبتها انفجارات قوية في المنطقة.", "airstrike"),
    ("انفجرت سيارة مفخخة وسقطت قذيفة هاون في مرآب وسط المدينة أمس.", "bombing"),
    # A day of its own keeps a raid in a tally sentence: "yesterday's raid, over the past days".
    ("قتل خمسة مسلحين في غارة جوية أمس على مخبأ في الإقليم، وهي الأعنف على مدى الأيام الماضية.", "airstrike"),
    # What the reported act came "a day after" is background: it does not type the incident.
    ("وهاجم مسلحون مسجدا في البلدة أمس وأضرموا فيه النار بعد يوم من هجوم انتحاري بشاحنة مفخخة قرب مسجد آخر.",
     "armed_attack"),
]


@pytest.mark.parametrize(("text", "expected"), AR_MAIN_TYPES)
def test_assemble_arabic_most_confident_incident_type(text: str, expected: str) -> None:
    assert _main("ar", text)["type"] == expected


# (sentence, killed): the main incident's whole figure; a dual with its demonym is one figure.
AR_MAIN_TOLLS = [
    ("قتل جنديان بريطانيان واصيب ثلاثة في انفجار عبوة ناسفة في البصرة أمس", 2),
    ("قتل شرطيان عراقيان في هجوم مسلح على نقطة تفتيش في كركوك", 2),
    # A bare number before "among them" is the whole, its part (5 soldiers) is not the toll.
    ("وقال مصدر أمني إن ستة بينهم خمسة جنود قتلوا امس في تفجير انتحاري استهدف حاجزا في الموصل.", 6),
    ("وأعلنت الشرطة أن عشرة من بينهم ثلاثة أطفال قتلوا في انفجار سيارة مفخخة في سوق شعبي.", 10),
    # "four of the security guards": a plural in construct with الأمن is one victim noun.
    ("وقال مسؤولون إن أربعة من حراس الأمن الأفغان قتلوا في هجوم انتحاري في قندهار.", 4),
    # The figure a "separate incident" follows belongs to another incident, even when it stands
    # nearer the sentence's triggers than the main figure.
    ("وقال مسؤولون إن ثلاثة من رجال الشرطة قتلوا امس عندما فجر انتحاري نفسه عند مدخل مركز للشرطة في الرمادي، "
     "فيما قتل جندي أمريكي بنيران مسلحين في حادث منفصل.", 3),
    ("وأفادت الشرطة بأن خمسة مدنيين لقوا حتفهم حين انفجرت سيارة مفخخة في سوق بكركوك، "
     "بينما قتل شرطي برصاص مسلحين في هجوم منفصل.", 5),
]


@pytest.mark.parametrize(("text", "killed"), AR_MAIN_TOLLS)
def test_assemble_arabic_main_incident_toll(text: str, killed: int) -> None:
    assert (_main("ar", text)["killed"] or {}).get("value") == killed


# (sentence, killed or None): a figure right after a background trigger (the attack the reported
# one came two days after, the raid a protest condemns) is that event's toll, not the incident's.
AR_BACKGROUND_TOLLS = [
    ("وأصيب شرطي بجروح في اشتباك مع مسلحين أمس بعد يومين من تفجير سيارة مفخخة في المدينة أسفر عن مقتل 11 جنديا.",
     None),
    ("وتظاهر الآلاف أمس تنديدا بالغارة التي قتلت 20 مدنيا في القرية.", None),
    ("ونفذ الجيش ضربة جوية على مواقع المسلحين في الجبال أعقبتها هجمات انتحارية أدت الى مقتل 45 شخصا.", None),
    ("وقتل خمسة جنود في كمين أمس بعد أسبوع من هجوم مماثل قتل فيه ثلاثة.", 5),
    # What the attack answered ("in response to", "in revenge for") and that event's toll.
    ("وقتل 12 شرطيا في تفجير انتحاري أمس ردا على غارة جوية أوقعت 30 قتيلا الشهر الماضي.", 12),
    ("وكان 9 جنود قد قتلوا في كمين ردا على ما يبدو على حملة عسكرية أوقعت 60 قتيلا.", 9),
    ("وأطلق المسلحون صواريخ على البلدة انتقاما للغارة التي قتلت 4 من قادتهم.", None),
    # A response with no earlier toll of its own keeps the reported attack's figure.
    ("وردا على ذلك قصفت الطائرات القرية مما أسفر عن مقتل 7 مسلحين.", 7),
    # The killing protesters denounce is not a death in their protest; one in the clashes is.
    ("واندلعت مواجهات جديدة امس بين الشرطة والطلاب المحتجين على مقتل فتى برصاص الشرطة.", None),
    ("وخرج الطلاب في مسيرة احتجاجا على مقتل ثلاثة من زملائهم.", None),
    ("واندلعت مواجهات جديدة امس بين الشرطة والطلاب المحتجين أسفرت عن مقتل فتى.", 1),
]


# A weak trigger ("the attack", "missiles") with no casualty figure is reported when a day stands
# right beside it; the same words with no day, or a day far off in another part, are not.
DATED_WEAK_TRIGGERS = [
    ("ar", "وقال المسؤول إن الهجوم تعرضت له القرية ليل أول من أمس وأحرقت أجزاء كبيرة منها.", 1),
    ("ar", "ونقل عن شهود أن الطائرات أطلقت صباح امس خمسة صواريخ على الموقع.", 1),
    ("en", "The mayor was killed in the town on Wednesday, the army said.", 1),
    ("ar", "ونقل عن شهود أن الطائرات أطلقت خمسة صواريخ على الموقع.", 0),
    ("ar", "وقال المتحدث امس إن الحكومة ستدرس الوضع الأمني في العاصمة والمدن الأخرى بعد الهجمات الأخيرة.", 0),
    # A day that dates the statement ("said on Sunday") does not date the weak word before it.
    ("en", "Most of the scenes were shot in the desert, the director said on Sunday.", 0),
    ("en", "The attack on the convoy was planned abroad, the minister told reporters on Monday.", 0),
    ("en", "The attack hit the convoy near the border on Monday, the minister told reporters.", 1),
]


# A weak trigger that a verb says took place ("الهجوم وقع"), in a place given as where, with a day
# anywhere in the sentence, is reported however long the place names between them; without the
# verb, the day or the place it is not. (Arabic only: the verb lexicon is the report gate's.)
OCCURRED_WEAK_TRIGGERS = [
    ("وأوضح المتحدث باسم الشرطة الاقليمية أن الهجوم وقع في بلدة سبين بولدك في ولاية قندهار الجنوبية مساء امس", 1),
    ("وقال مسؤول محلي ان الهجوم جرى في سوق الخضار الرئيسي وسط بلدة المقدادية في محافظة ديالى شمال شرق بغداد صباح امس", 1),
    ("وقال ان الهجوم الذي وقع في بلدة سبين بولدك في ولاية قندهار الجنوبية العام الماضي كان الاسوأ", 0),  # no day
    ("وأوضح المتحدث باسم الشرطة الاقليمية أن الهجوم استهدف بلدة سبين بولدك في ولاية قندهار الجنوبية", 0),  # no day
    ("وأوضح المتحدث باسم الشرطة الاقليمية أن الهجوم كان متوقعا في بلدة سبين بولدك في ولاية قندهار منذ مساء امس", 0),
]


def test_assemble_arabic_an_army_seizing_a_town_is_no_hijacking() -> None:
    """The counter-example of the pirates' seizure: "استولى ... على" alone is no incident."""
    assert _incidents("ar", "واستولى الجيش على مخازن الأسلحة في المدينة امس") == []


@pytest.mark.parametrize(("text", "n"), OCCURRED_WEAK_TRIGGERS)
def test_assemble_arabic_weak_trigger_that_took_place_somewhere_on_a_day_is_reported(text: str, n: int) -> None:
    assert len(_incidents("ar", text)) == n


@pytest.mark.parametrize(("lang", "text", "n"), DATED_WEAK_TRIGGERS)
def test_assemble_weak_trigger_with_a_day_beside_it_is_reported(lang: str, text: str, n: int) -> None:
    assert len(_incidents(lang, text)) == n


@pytest.mark.parametrize(("text", "killed"), AR_BACKGROUND_TOLLS)
def test_assemble_arabic_background_event_toll_is_not_the_incident_toll(text: str, killed: int | None) -> None:
    assert (_main("ar", text)["killed"] or {}).get("value") == killed


# (sentence, country, admin1 or None, place name or None): where the incident happened; the town
# inside a named area beats the capital of a side clause; places the gazetteer lacked.
AR_INCIDENT_PLACES = [
    # قبالة is "facing, off": the preposition is not the town of Qabala.
    ("تظاهر المئات أمس قبالة مبنى البرلمان في العاصمة الفرنسية باريس", "FR", None, "Paris"),
    # A world city behind the clitic ب is that city.
    ("تظاهر آلاف الطلاب بلندن أمس احتجاجا على الرسوم", "GB", "England", "London"),
    ("نظم مئات المحتجين مظاهرة بواشنطن أمس", "US", None, "Washington"),
    # Waziristan lies in Khyber Pakhtunkhwa.
    ("قتل عشرة مسلحين في غارة جوية على مخبأ في وزيرستان أمس", "PK", "Khyber Pakhtunkhwa", "Waziristan"),
    # "Indian Kashmir" is the Indian state, not the disputed region with no country.
    ("أصيب عشرة أشخاص أمس في مواجهات بين الشرطة ومتظاهرين في كشمير الهندية", "IN", "Jammu and Kashmir", None),
    # A town inside the area the sentence is about beats a town in a side clause.
    ("وفي الضفة الغربية، خرج آلاف المتظاهرين ضد ما وصفوه بجرائم الاحتلال في غزة، وتجمع بعضهم في نابلس",
     "PS", "West Bank", "Nablus"),
    ("قتل وجرح العشرات في بغداد وديالى أمس إذ فجر انتحاري نفسه في بلدة بلدروز بمحافظة ديالى",
     "IQ", "Diyala", "Baladruz"),
    ("قتل جندي أمريكي في هجوم صاروخي على قاعدة باغرام أمس.", "AF", "Parwan", "Bagram"),
    ("اقتحم المتظاهرون مبنى الركاب في مطار سوفارنابهومي أمس.", "TH", "Samut Prakan", "Suvarnabhumi"),
    ("انفجرت عبوة ناسفة في مخيم عين الحلوة أمس.", "LB", "Al Janub", "Ain al-Hilweh"),
    ("وقع انفجار سيارة مفخخة في بلدة جلولاء أمس.", "IQ", None, "Jalawla"),
    ("قصفت الطائرات الأمريكية مواقع للمسلحين في منطقة برمل أمس.", "AF", None, "Barmal"),
    ("أحرق المتظاهرون شاحنة في منطقة بلحاف امس.", "YE", "Shabwah", "Balhaf"),
    # US states had no Arabic names at all.
    ("وقتل شرطي في إطلاق نار في ولاية تكساس امس.", "US", "Texas", "Texas"),
    ("وأصيب ثلاثة أشخاص في إطلاق نار في مدرسة بولاية أوهايو امس.", "US", "Ohio", "Ohio"),
]
EN_INCIDENT_PLACES = [
    # The same containment rule: the town inside the named area, not the capital of a side clause.
    ("Dozens were killed in Baghdad and Diyala on Sunday as a suicide bomber blew herself up in the town of "
     "Baladruz in Diyala province", "IQ", "Diyala", "Baladruz"),
]


@pytest.mark.parametrize(("text", "country", "admin1", "name"), AR_INCIDENT_PLACES)
def test_assemble_arabic_incident_place(text: str, country: str, admin1: str | None, name: str | None) -> None:
    _check_place(_main("ar", text)["location"], text, country, admin1, name)


@pytest.mark.parametrize(("text", "country", "admin1", "name"), EN_INCIDENT_PLACES)
def test_assemble_english_incident_place(text: str, country: str, admin1: str | None, name: str | None) -> None:
    _check_place(_main("en", text)["location"], text, country, admin1, name)


def _check_place(location: dict | None, text: str, country: str, admin1: str | None, name: str | None) -> None:
    assert location is not None, text
    assert location["country_code"] == country
    if admin1 is not None:
        assert location["admin1"] == admin1
    if name is not None:
        assert location["name"] == name


# A trading partner is not where the incident happened.
EN_NOT_LOCATION = [
    ("Farmers protested in Seoul against beef imports from the United States on Sunday.", "United States"),
    ("Workers marched in Dhaka against garment exports to Britain on Sunday.", "Britain"),
]


@pytest.mark.parametrize(("text", "written"), EN_NOT_LOCATION)
def test_assemble_english_trade_partner_is_not_the_incident_location(text: str, written: str) -> None:
    incidents = _incidents("en", text)
    assert incidents, text
    assert all((i.get("location") or {}).get("name") != written for i in incidents), incidents


# (sentence, country of the main incident): with no place named, the victims' nationality locates
# the incident; the attacker's does not, nor do victims of two nationalities, nor a named place.
EN_VICTIM_COUNTRY = [
    ("A Pakistani soldier was killed in a gunfight with militants near the border on Tuesday, the army said", "PK"),
    ("Israeli troops killed three Palestinians in a raid on Monday, the health ministry said", "PS"),
    ("Two Ukrainian civilians were killed in Russian shelling on Monday, the governor said", "UA"),
    ("Russian shelling killed two people on Monday, the governor said", None),
    ("A bomb killed an Afghan soldier and a Pakistani trader on Monday, officials said", None),
    ("Israeli troops killed three Palestinians in Jenin on Monday", "PS"),
    ("Gunmen killed two American tourists in Cairo on Monday", "EG"),
]


@pytest.mark.parametrize(("text", "country"), EN_VICTIM_COUNTRY)
def test_assemble_english_incident_without_a_place_is_located_by_its_victims(text: str, country: str | None) -> None:
    location = _main("en", text)["location"]
    assert (location or {}).get("country_code") == country


# (article, place of the main incident): a dateline city in capitals short enough to pass for an
# acronym is still the filing city, the incident's place when the report names no other; a place
# the report names wins; an acronym is no place.
EN_SHORT_DATELINES = [
    ("KABUL (Reuters) - A bomb exploded at a mosque on Friday, killing five worshippers, police said.", ("AF", "Kabul")),
    ("KYIV, Ukraine (AP) — A drone struck an apartment block overnight, killing two people.", ("UA", "Kyiv")),
    ("KABUL (Reuters) - A bomb exploded at a mosque in Jalalabad on Friday, killing five worshippers.",
     ("AF", "Jalalabad")),
    ("NATO - A bomb exploded at a mosque on Friday, killing five worshippers, police said.", (None, None)),
]


@pytest.mark.parametrize(("text", "expected"), EN_SHORT_DATELINES)
def test_assemble_english_short_capital_dateline_city_is_the_filing_city(text: str, expected: tuple) -> None:
    location = _main("en", text)["location"] or {}
    assert (location.get("country_code"), location.get("name")) == expected
