"""A synthetic news corpus of any size, the same bytes every time: the input for speed benchmarks.

    .venv/bin/python bench/generate.py --docs 50000 --out /tmp/corpus [--seed 0] [--force]

Speed figures are only comparable when they are measured on the same input, and the project's
evaluation data is too small (and not ours to copy) to time a pipeline meant for hundreds of
thousands of documents. So this writes a corpus that looks like a scraped news dump to the
pipeline: article lengths spread like real ones (lognormal: median about 2,500 characters, 5th
percentile about 400, a tail to 30,000), titles and paragraphs, eight languages with English the
majority, the page furniture the rule packs exist for, legacy code pages, double-encoded lines,
and the three kinds of input files (JSON Lines, gzipped JSON Lines, single .txt files).

The sentences are written for this project: a few dozen plain news sentences per language,
recombined at random with names, places and numbers substituted, so that langdetect recognises
each language and no two paragraphs need be the same. They are not real news.

Deterministic: one `random.Random` per shard of 10,000 documents, seeded from (--seed, shard),
so the same --docs and --seed give byte-identical files (gzip headers carry no time or name),
and a smaller corpus is a prefix of a larger one. Streaming: one document is held at a time.

Layout (discovery order, so a prefix of the corpus is a fair sample of it):

    DIR/GENERATED.json                         what was written: counts per language, format, ...
    DIR/shard-0000/part-000000.jsonl           2,000 records {"id", "url", "text"} per file
    DIR/shard-0000/part-000002.jsonl.gz        every fifth part file gzipped
    DIR/shard-0000/txt/<lang>/doc-00000042.txt about 3.5% of documents, most in a legacy code page
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import random
import re
import shutil
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST = "GENERATED.json"
VERSION = 1  # bump when the output for a given (docs, seed) changes
SHARD_DOCS = 10_000
RECORDS_PER_FILE = 2_000
GZIP_EVERY = 5  # part files whose number is 2 mod 5 are gzipped

# Body length, lognormal: median 2,500 characters; sigma puts the 5th percentile near 400
# (ln 2500 - ln 400 = 1.645 sigma), for the whole document with its title and furniture.
# Draws beyond MAX_CHARS are drawn again, not clipped.
MEDIAN_CHARS, SIGMA, MIN_CHARS, MAX_CHARS = 2_500, 1.11, 120, 30_000
TAIL_CHARS = 100  # about what the furniture after an article adds; the body gets the rest

LANGUAGE_WEIGHTS = {"en": 0.60, "fr": 0.06, "de": 0.06, "es": 0.06, "ru": 0.06, "ar": 0.055, "fa": 0.055, "tr": 0.06}
LEGACY_CODEC = {"en": "cp1252", "fr": "cp1252", "de": "cp1252", "es": "cp1252", "tr": "cp1254",  # cp1252 has no ş ğ ı
                "ru": "cp1251", "ar": "cp1256", "fa": "cp1256"}
LATIN_SCRIPT = {"en", "fr", "de", "es", "tr"}  # where a double-encoded line can be undone by ftfy

P_TXT = 0.035  # a document written as its own .txt file ...
P_LEGACY = 0.86  # ... and then in its language's legacy code page (about 3% of all documents)
P_MOJIBAKE = 0.03  # Latin-script documents with one double-encoded paragraph (about 2% of all)
FURNITURE_ONLY_EVERY = 2_500  # document n with n % 2500 == 7 is nothing but page furniture


@dataclass(frozen=True)
class Vocab:
    """One language's sentences and the fillers for their {P} person, {C} city, {D} day, {N} number."""

    sentences: tuple[str, ...]
    people: tuple[str, ...]
    cities: tuple[str, ...]
    days: tuple[str, ...]


VOCAB: dict[str, Vocab] = {
    "en": Vocab(
        sentences=(
            "The city council voted {N} to 3 on {D} to approve a new budget for road repairs and public transport.",
            "Officials said the work would begin next month and should be finished before the end of the year.",
            "“We have listened to residents and we are acting on what they told us,” {P} said at a press conference in {C}.",
            "Police in {C} said {N} people had been detained after clashes near the stadium late on {D}.",
            "The company’s shares fell {N} percent in early trading after it cut its profit forecast for the year.",
            "Heavy rain caused flooding in several districts, and emergency services rescued dozens of residents from their homes.",
            "The minister told parliament that inflation had slowed for the third month in a row.",
            "Doctors at the regional hospital warned that waiting times for routine surgery had doubled since last spring.",
            "Farmers say the dry summer has cut wheat yields by as much as {N} percent in some areas.",
            "The airline cancelled {N} flights on {D} as air traffic controllers walked out over pay.",
            "Teachers’ unions have called a one-day strike next week to protest against planned cuts to school funding.",
            "A spokesperson for the ministry declined to comment on the report, saying an investigation was still under way.",
            "The new bridge, which cost about {N} million dollars, is expected to carry more than 40,000 vehicles a day.",
            "Scientists at the university in {C} have developed a cheaper test that can detect the disease within minutes.",
            "Voters will go to the polls on {D} to choose a new mayor after the previous one resigned in March.",
            "The central bank kept interest rates unchanged, but signalled that a cut could come later this year.",
            "Firefighters spent most of the night battling a blaze at a warehouse on the edge of {C}.",
            "{P}, who has led the party since 2019, said the decision to step down was a personal one.",
            "The report found that nearly one in five households in the region struggled to pay their energy bills last winter.",
            "Local businesses say the roadworks have driven customers away and want the council to offer compensation.",
            "The trial is expected to last at least {N} weeks, and more than 60 witnesses are due to give evidence.",
            "Food prices rose {N} percent compared with the same month last year, official figures showed.",
            "The museum will reopen to the public on {D} after a two-year renovation that restored its original glass roof.",
            "“It’s a difficult decision, but it’s the right one for the club,” the coach told reporters after the match.",
            "Rescue teams are still searching for two hikers who went missing in the mountains north of {C} on {D}.",
            "The government has promised to build {N},000 new homes over the next five years to ease the housing shortage.",
            "Opposition lawmakers criticised the plan, arguing that it does too little to help young families.",
            "The storm is expected to reach the coast by Friday evening, bringing winds of up to {N} kilometres per hour.",
            "According to the latest census, the population of {C} has grown by more than ten percent in a decade.",
            "Talks between the two sides broke down late on {D} without an agreement on wages or working hours.",
            "The hospital said the patient was in a stable condition and was expected to make a full recovery.",
            "Environmental groups welcomed the ban on single-use plastics – but said enforcement would be the real test.",
        ),
        people=("Sarah Collins", "David Okafor", "Maria Lopez", "James Whitfield", "Priya Raman", "Thomas Becker",
                "Helen Murray", "Daniel Kim"),
        cities=("Leeds", "Portland", "Bristol", "Denver", "Glasgow", "Austin", "Cardiff", "Halifax"),
        days=("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    ),
    "fr": Vocab(
        sentences=(
            "Le conseil municipal de {C} a adopté {D} un nouveau plan de circulation pour le centre-ville.",
            "Selon la préfecture, {N} personnes ont été évacuées après la montée des eaux dans la nuit.",
            "Le ministre de l'Économie a annoncé une hausse de {N} % du budget consacré à la recherche.",
            "« Nous devons agir vite pour protéger les habitants », a déclaré {P} lors d'une conférence de presse.",
            "Les syndicats appellent à une nouvelle journée de grève la semaine prochaine contre la réforme des retraites.",
            "La circulation des trains reste perturbée entre Paris et {C} en raison de travaux sur les voies.",
            "Les prix de l'énergie ont encore augmenté ce mois-ci, selon les chiffres publiés par l'Insee.",
            "Une enquête a été ouverte pour déterminer les causes de l'incendie qui a détruit un entrepôt près de {C}.",
            "Le gouvernement promet de construire {N} 000 logements sociaux d'ici à la fin du quinquennat.",
            "Les agriculteurs dénoncent la baisse de leurs revenus et réclament des aides d'urgence.",
            "L'hôpital manque de personnel depuis plusieurs mois, et les urgences ferment certaines nuits.",
            "Le procès doit s'ouvrir en septembre devant la cour d'assises et durer près de {N} semaines.",
            "Les électeurs sont appelés aux urnes dimanche pour élire un nouveau maire.",
            "La société a annoncé la suppression de {N} postes dans ses usines du nord du pays.",
            "Les chercheurs de l'université de {C} ont mis au point un nouveau traitement contre cette maladie rare.",
            "Le musée rouvrira ses portes au public {D} après deux ans de rénovation.",
            "Les pompiers sont intervenus pendant toute la nuit pour maîtriser les flammes.",
            "L'opposition juge ce projet de loi insuffisant et annonce le dépôt de nombreux amendements.",
            "La Banque centrale européenne a décidé de maintenir ses taux directeurs inchangés.",
            "Les habitants du quartier se plaignent depuis des années du bruit et de la pollution.",
            "Le tribunal administratif a suspendu le chantier à la demande d'une association de riverains.",
            "Les ventes de voitures électriques ont progressé de {N} % sur un an, selon les constructeurs.",
            "La tempête devrait toucher la côte vendredi soir, avec des rafales pouvant atteindre {N} km/h.",
            "{P} a été réélu à la tête du parti avec une large majorité des voix.",
            "Les enseignants demandent davantage de moyens pour les écoles des zones rurales.",
            "Les négociations entre la direction et les salariés n'ont pas abouti à un accord.",
            "Le festival a attiré plus de {N} 000 spectateurs cette année, un record depuis sa création.",
            "Les autorités sanitaires recommandent de ne pas se baigner dans la rivière jusqu'à nouvel ordre.",
        ),
        people=("Marie Dubois", "Jean Lefèvre", "Sophie Martin", "Pierre Moreau", "Claire Bernard", "Luc Girard"),
        cities=("Lyon", "Nantes", "Lille", "Toulouse", "Bordeaux", "Rennes"),
        days=("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"),
    ),
    "de": Vocab(
        sentences=(
            "Der Stadtrat von {C} hat am {D} einen neuen Haushalt für den Ausbau der Radwege beschlossen.",
            "Nach Angaben der Polizei wurden bei dem Unfall auf der Autobahn {N} Menschen verletzt.",
            "Die Gewerkschaft fordert höhere Löhne und kürzere Arbeitszeiten für die Beschäftigten.",
            "„Wir müssen jetzt handeln, bevor es zu spät ist“, sagte {P} auf einer Pressekonferenz.",
            "Die Preise für Lebensmittel sind im vergangenen Monat um {N} Prozent gestiegen.",
            "Wegen eines Streiks fallen am {D} zahlreiche Züge im Fern- und Regionalverkehr aus.",
            "Die Bundesregierung will in den kommenden Jahren deutlich mehr Geld in die Bildung investieren.",
            "Das Krankenhaus in {C} sucht dringend Pflegekräfte, um die Versorgung der Patienten zu sichern.",
            "Die Feuerwehr war die ganze Nacht im Einsatz, um den Brand in einer Lagerhalle zu löschen.",
            "Forscher der Universität {C} haben ein neues Verfahren zur Früherkennung von Krebs entwickelt.",
            "Die Opposition kritisiert den Gesetzentwurf als unzureichend und kündigt Widerstand an.",
            "Der Prozess gegen die mutmaßlichen Betrüger soll im Herbst vor dem Landgericht beginnen.",
            "Die Zahl der Arbeitslosen ist im Vergleich zum Vorjahr leicht gesunken.",
            "Die Europäische Zentralbank hat den Leitzins erneut unverändert gelassen.",
            "Viele Landwirte klagen über die Trockenheit und befürchten große Ernteausfälle.",
            "Das Museum öffnet nach zweijähriger Sanierung am {D} wieder seine Türen.",
            "Die Bürger sind am Sonntag aufgerufen, einen neuen Oberbürgermeister zu wählen.",
            "Das Unternehmen will in seinen Werken im Süden des Landes rund {N} Stellen abbauen.",
            "Anwohner beschweren sich seit Jahren über den Lärm an der viel befahrenen Kreuzung.",
            "Das Unwetter hat in mehreren Gemeinden Keller überflutet und Bäume entwurzelt.",
            "Der Verkauf von Elektroautos ist im ersten Halbjahr um {N} Prozent gestiegen.",
            "Die Verhandlungen zwischen den Tarifparteien sollen in der kommenden Woche fortgesetzt werden.",
            "{P} wurde mit großer Mehrheit an die Spitze der Partei gewählt.",
            "Die Mieten in den Großstädten steigen weiter, vor allem in beliebten Wohnvierteln.",
            "Die Schulen in der Region bleiben wegen des Sturms am Freitag geschlossen.",
            "Nach Ansicht von Experten wird sich die Wirtschaft erst im nächsten Jahr erholen.",
            "Der neue Bahnhof soll nach jahrelanger Bauzeit im Dezember eröffnet werden.",
            "Die Polizei bittet Zeugen, die etwas beobachtet haben, sich bei der Dienststelle in {C} zu melden.",
        ),
        people=("Anna Schmidt", "Jürgen Weber", "Katrin Hoffmann", "Markus Wagner", "Stefan Becker", "Julia Fischer"),
        cities=("Köln", "Leipzig", "Hamburg", "Dresden", "Bremen", "Freiburg"),
        days=("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"),
    ),
    "es": Vocab(
        sentences=(
            "El ayuntamiento de {C} aprobó el {D} un nuevo plan para mejorar el transporte público.",
            "Según la policía, {N} personas resultaron heridas en el accidente de tráfico.",
            "El Gobierno anunció una subida del {N} % en las pensiones a partir del próximo año.",
            "«Tenemos que actuar con rapidez para proteger a los vecinos», afirmó {P} en una rueda de prensa.",
            "Los sindicatos convocaron una huelga general para la semana que viene.",
            "Los precios de la vivienda siguen subiendo en las grandes ciudades del país.",
            "Los bomberos trabajaron durante toda la noche para apagar el incendio forestal.",
            "Los agricultores reclaman ayudas urgentes por la sequía que afecta a la región.",
            "El hospital de {C} tendrá una nueva unidad de urgencias antes de que termine el año.",
            "La oposición criticó duramente el proyecto de ley y pidió la dimisión del ministro.",
            "Investigadores de la Universidad de {C} han desarrollado una vacuna más barata y eficaz.",
            "El juicio comenzará en octubre y se espera que dure al menos {N} semanas.",
            "Los ciudadanos votarán el domingo para elegir a un nuevo alcalde.",
            "La empresa anunció el despido de {N} trabajadores en sus fábricas del norte.",
            "El Banco Central Europeo decidió mantener sin cambios los tipos de interés.",
            "El museo volverá a abrir sus puertas el {D} después de dos años de obras.",
            "Las lluvias torrenciales provocaron inundaciones en varios barrios de la ciudad.",
            "Los profesores piden más recursos para las escuelas de las zonas rurales.",
            "La tasa de desempleo bajó ligeramente en el último trimestre, según los datos oficiales.",
            "{P} fue elegido presidente del partido con una amplia mayoría de votos.",
            "Las negociaciones entre la dirección y los trabajadores terminaron sin acuerdo.",
            "Las ventas de coches eléctricos crecieron un {N} % en comparación con el año anterior.",
            "Los vecinos llevan años quejándose del ruido y de la contaminación en el barrio.",
            "La tormenta llegará a la costa el viernes por la noche con rachas de viento muy fuertes.",
            "Las autoridades sanitarias recomiendan no bañarse en el río hasta nuevo aviso.",
            "El festival reunió a más de {N} mil espectadores, una cifra récord.",
            "¿Cuándo estarán terminadas las obras del nuevo puente? Nadie en el ayuntamiento lo sabe.",
            "El tribunal suspendió la construcción del edificio tras la denuncia de una asociación vecinal.",
        ),
        people=("Lucía García", "Javier Romero", "Carmen Ortiz", "Miguel Navarro", "Elena Ruiz", "Pablo Herrera"),
        cities=("Sevilla", "Valencia", "Zaragoza", "Málaga", "Bilbao", "Granada"),
        days=("lunes", "martes", "miércoles", "jueves", "viernes", "sábado"),
    ),
    "ru": Vocab(
        sentences=(
            "Городской совет в городе {C} в {D} утвердил новый бюджет на ремонт дорог.",
            "По данным полиции, в результате аварии пострадали {N} человек.",
            "Правительство пообещало построить {N} тысяч новых квартир в ближайшие пять лет.",
            "«Мы должны действовать быстро, чтобы защитить жителей», — заявил {P} на пресс-конференции.",
            "Профсоюзы призвали к забастовке на следующей неделе.",
            "Цены на продукты за месяц выросли на {N}%, сообщила статистическая служба.",
            "Пожарные всю ночь боролись с огнём на складе на окраине города.",
            "Учёные в городе {C} разработали новый способ ранней диагностики болезни.",
            "Фермеры жалуются на засуху и опасаются потерять большую часть урожая.",
            "Больница испытывает острую нехватку врачей и медсестёр.",
            "Оппозиция раскритиковала законопроект и потребовала его доработать.",
            "Судебный процесс начнётся осенью и продлится не менее {N} недель.",
            "В воскресенье жители выберут нового мэра.",
            "Компания объявила о сокращении {N} сотрудников на своих заводах.",
            "Центральный банк сохранил ключевую ставку без изменений.",
            "Музей вновь откроется для посетителей после двух лет реконструкции.",
            "Сильные дожди привели к подтоплению нескольких районов в городе {C}.",
            "Учителя требуют повысить зарплату и сократить нагрузку.",
            "По официальным данным, уровень безработицы немного снизился.",
            "Переговоры между руководством и работниками завершились без соглашения.",
            "Продажи электромобилей выросли на {N}% по сравнению с прошлым годом.",
            "Жители района уже несколько лет жалуются на шум и грязный воздух.",
            "Шторм достигнет побережья в пятницу вечером, сообщили синоптики.",
            "Власти рекомендуют не купаться в реке до особого распоряжения.",
            "Фестиваль посетили более {N} тысяч человек, это рекорд за всю его историю.",
            "Строительство нового моста в городе {C} должно завершиться в следующем году.",
            "В министерстве отказались комментировать доклад, сославшись на продолжающееся расследование.",
        ),
        people=("Иван Петров", "Сергей Смирнов", "Андрей Козлов", "Дмитрий Волков", "Алексей Соколов"),
        cities=("Казань", "Самара", "Омск", "Пермь", "Тверь"),
        days=("понедельник", "вторник", "среду", "четверг", "пятницу"),
    ),
    "ar": Vocab(
        sentences=(
            "وافق المجلس البلدي في مدينة {C} يوم {D} على ميزانية جديدة لإصلاح الطرق.",
            "قالت الشرطة إن {N} أشخاص أصيبوا في حادث سير على الطريق السريع.",
            "أعلنت الحكومة عن خطة لبناء {N} ألف وحدة سكنية خلال السنوات الخمس المقبلة.",
            "وقال {P} في مؤتمر صحفي: \"علينا أن نتحرك بسرعة لحماية السكان\".",
            "دعت النقابات إلى إضراب عام الأسبوع المقبل احتجاجا على ارتفاع الأسعار.",
            "ارتفعت أسعار المواد الغذائية بنسبة {N} في المئة خلال الشهر الماضي.",
            "عمل رجال الإطفاء طوال الليل لإخماد الحريق الذي اندلع في مستودع قرب المدينة.",
            "طور باحثون في جامعة {C} طريقة جديدة للكشف المبكر عن المرض.",
            "يشكو المزارعون من الجفاف ويخشون خسارة جزء كبير من المحصول هذا العام.",
            "يعاني المستشفى من نقص حاد في الأطباء والممرضين منذ عدة أشهر.",
            "انتقدت المعارضة مشروع القانون وطالبت بإعادة النظر فيه.",
            "من المتوقع أن تبدأ المحاكمة في الخريف وأن تستمر عدة أسابيع.",
            "يتوجه الناخبون يوم الأحد إلى صناديق الاقتراع لاختيار رئيس جديد للبلدية.",
            "أعلنت الشركة عن تسريح {N} موظف من مصانعها في شمال البلاد.",
            "قرر البنك المركزي الإبقاء على أسعار الفائدة دون تغيير.",
            "يعيد المتحف فتح أبوابه أمام الزوار بعد عامين من أعمال الترميم.",
            "تسببت الأمطار الغزيرة في فيضانات في عدة أحياء من المدينة.",
            "يطالب المعلمون بزيادة الرواتب وتحسين ظروف العمل في المدارس.",
            "انخفض معدل البطالة بشكل طفيف في الربع الأخير وفقا للأرقام الرسمية.",
            "انتهت المفاوضات بين الإدارة والعمال دون التوصل إلى اتفاق.",
            "ارتفعت مبيعات السيارات الكهربائية بنسبة {N} في المئة مقارنة بالعام الماضي.",
            "يشتكي سكان الحي منذ سنوات من الضجيج وتلوث الهواء.",
            "حذرت الأرصاد الجوية من عاصفة قوية تصل إلى الساحل مساء الجمعة.",
            "أوصت السلطات الصحية بعدم السباحة في النهر حتى إشعار آخر.",
            "استقطب المهرجان أكثر من {N} ألف زائر هذا العام، وهو رقم قياسي.",
            "افتتح وزير النقل الجسر الجديد الذي يربط ضفتي النهر في مدينة {C}.",
            "وأكد المتحدث باسم الوزارة أن التحقيق لا يزال جاريا ورفض التعليق على التقرير.",
        ),
        people=("أحمد المصري", "محمد العلي", "خالد الحسن", "يوسف عبد الله", "سامي حداد"),
        cities=("عمان", "الإسكندرية", "بيروت", "تونس", "الرباط"),
        days=("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الأحد"),
    ),
    "fa": Vocab(
        sentences=(
            "شورای شهر {C} روز {D} بودجه جدیدی برای تعمیر جاده‌ها تصویب کرد.",
            "به گفته پلیس، در این تصادف {N} نفر زخمی شدند.",
            "دولت اعلام کرد که در پنج سال آینده {N} هزار واحد مسکونی جدید می‌سازد.",
            "{P} در یک نشست خبری گفت: «باید سریع اقدام کنیم تا از مردم محافظت شود.»",
            "اتحادیه‌های کارگری برای هفته آینده فراخوان اعتصاب داده‌اند.",
            "قیمت مواد غذایی در ماه گذشته {N} درصد افزایش یافت.",
            "آتش‌نشانان تمام شب برای مهار آتش در یک انبار تلاش کردند.",
            "پژوهشگران دانشگاه {C} روش تازه‌ای برای تشخیص زودهنگام این بیماری ابداع کرده‌اند.",
            "کشاورزان از خشکسالی شکایت دارند و نگران از دست دادن بخش بزرگی از محصول هستند.",
            "این بیمارستان ماه‌هاست با کمبود پزشک و پرستار روبه‌رو است.",
            "مخالفان این لایحه را ناکافی دانستند و خواستار بازنگری در آن شدند.",
            "انتظار می‌رود دادگاه در پاییز آغاز شود و چند هفته ادامه داشته باشد.",
            "رأی‌دهندگان روز جمعه برای انتخاب شهردار جدید به پای صندوق‌های رأی می‌روند.",
            "این شرکت از تعدیل {N} کارمند در کارخانه‌های خود خبر داد.",
            "بانک مرکزی نرخ سود را بدون تغییر نگه داشت.",
            "موزه پس از دو سال مرمت دوباره به روی بازدیدکنندگان باز می‌شود.",
            "باران‌های شدید باعث سیل در چند محله شهر شد.",
            "معلمان خواستار افزایش حقوق و بهبود شرایط کار در مدارس هستند.",
            "بر اساس آمار رسمی، نرخ بیکاری در فصل گذشته اندکی کاهش یافت.",
            "مذاکرات میان مدیریت و کارگران بدون نتیجه پایان یافت.",
            "فروش خودروهای برقی نسبت به سال گذشته {N} درصد رشد داشته است.",
            "ساکنان این محله سال‌هاست از سر و صدا و آلودگی هوا گلایه دارند.",
            "هواشناسی از رسیدن طوفانی شدید به سواحل جنوبی در عصر پنجشنبه خبر داد.",
            "مقامات بهداشتی توصیه کردند تا اطلاع ثانوی در رودخانه شنا نکنید.",
            "بیش از {N} هزار نفر از این جشنواره دیدن کردند که یک رکورد است.",
            "وزیر راه پل جدیدی را که دو سوی رودخانه را در شهر {C} به هم وصل می‌کند افتتاح کرد.",
            "سخنگوی وزارتخانه گفت تحقیقات همچنان ادامه دارد و از اظهار نظر درباره گزارش خودداری کرد.",
        ),
        people=("علی رضایی", "مریم احمدی", "حسین کریمی", "زهرا محمدی", "رضا حسینی"),
        cities=("شیراز", "اصفهان", "تبریز", "مشهد", "کرمان"),
        days=("شنبه", "یکشنبه", "دوشنبه", "سه‌شنبه", "چهارشنبه"),
    ),
    "tr": Vocab(
        sentences=(
            "{C} Belediye Meclisi {D} günü yol onarımı için yeni bütçeyi onayladı.",
            "Polisin açıklamasına göre kazada {N} kişi yaralandı.",
            "Hükümet önümüzdeki beş yıl içinde {N} bin yeni konut inşa edeceğini açıkladı.",
            "{P}, basın toplantısında \"Halkı korumak için hızlı hareket etmeliyiz\" dedi.",
            "Sendikalar gelecek hafta genel grev çağrısında bulundu.",
            "Gıda fiyatları geçen ay yüzde {N} arttı.",
            "İtfaiye ekipleri şehrin dışındaki depoda çıkan yangını söndürmek için bütün gece çalıştı.",
            "{C} Üniversitesi'ndeki araştırmacılar hastalığın erken teşhisi için yeni bir yöntem geliştirdi.",
            "Çiftçiler kuraklıktan şikâyet ediyor ve ürünlerinin büyük bölümünü kaybetmekten korkuyor.",
            "Hastane aylardır doktor ve hemşire sıkıntısı yaşıyor.",
            "Muhalefet tasarıyı yetersiz bularak yeniden düzenlenmesini istedi.",
            "Davanın sonbaharda başlaması ve birkaç hafta sürmesi bekleniyor.",
            "Seçmenler pazar günü yeni belediye başkanını seçmek için sandık başına gidecek.",
            "Şirket, ülkenin kuzeyindeki fabrikalarında {N} çalışanı işten çıkaracağını duyurdu.",
            "Merkez Bankası faiz oranlarını değiştirmedi.",
            "Müze iki yıl süren restorasyonun ardından yeniden ziyaretçilere açılıyor.",
            "Şiddetli yağışlar şehrin birçok mahallesinde sele neden oldu.",
            "Öğretmenler maaşların artırılmasını ve okullardaki çalışma koşullarının iyileştirilmesini talep ediyor.",
            "Resmi verilere göre işsizlik oranı son çeyrekte hafifçe düştü.",
            "Yönetim ile işçiler arasındaki görüşmeler anlaşma sağlanamadan sona erdi.",
            "Elektrikli otomobil satışları geçen yıla göre yüzde {N} arttı.",
            "Mahalle sakinleri yıllardır gürültü ve hava kirliliğinden şikâyet ediyor.",
            "Meteoroloji, cuma akşamı kıyıya ulaşması beklenen güçlü bir fırtına için uyardı.",
            "Sağlık yetkilileri yeni bir duyuruya kadar nehirde yüzülmemesini tavsiye etti.",
            "Festivali bu yıl {N} binden fazla kişi ziyaret etti ve yeni bir rekor kırıldı.",
            "Ulaştırma Bakanı, {C} kentinde nehrin iki yakasını birbirine bağlayan yeni köprüyü açtı.",
            "Bakanlık sözcüsü soruşturmanın sürdüğünü belirterek rapor hakkında yorum yapmadı.",
        ),
        people=("Ayşe Yılmaz", "Mehmet Demir", "Elif Kaya", "Mustafa Çelik", "Zeynep Şahin"),
        cities=("İzmir", "Bursa", "Konya", "Trabzon", "Eskişehir"),
        days=("Pazartesi", "Salı", "Çarşamba", "Perşembe", "Cuma"),
    ),
}


@dataclass(frozen=True)
class Site:
    """A made-up news site: its name, its domain and the footer line on every one of its pages."""

    name: str
    domain: str
    footer: str


SITES: dict[str, tuple[Site, ...]] = {
    "en": (Site("Example Media", "example-media.test", "Example Media | About us | Contact | Privacy policy | Cookie settings"),
           Site("The Daily Ledger", "dailyledger.test", "The Daily Ledger | Advertise with us | Careers | Terms of use"),
           Site("Northern Courier", "northerncourier.test", "Northern Courier | Help | Contact the newsroom | Corrections")),
    "fr": (Site("Le Journal Exemple", "journal-exemple.test", "Le Journal Exemple | Qui sommes-nous | Contact | Mentions légales"),
           Site("La Gazette du Nord", "gazette-nord.test", "La Gazette du Nord | Nous contacter | Données personnelles")),
    "de": (Site("Der Beispiel-Kurier", "beispiel-kurier.test", "Der Beispiel-Kurier | Impressum | Datenschutz | Kontakt"),
           Site("Stadtanzeiger", "stadtanzeiger.test", "Stadtanzeiger | Mediadaten | Impressum | AGB")),
    "es": (Site("El Diario Ejemplo", "diario-ejemplo.test", "El Diario Ejemplo | Quiénes somos | Contacto | Aviso legal"),
           Site("La Voz del Sur", "vozdelsur.test", "La Voz del Sur | Política de privacidad | Cookies")),
    "ru": (Site("Пример Новости", "primer-news.test", "Пример Новости | О проекте | Контакты | Реклама на сайте"),
           Site("Городской вестник", "vestnik.test", "Городской вестник | Редакция | Правила использования")),
    "ar": (Site("الخبر اليوم", "alkhabar.test", "الخبر اليوم | من نحن | اتصل بنا | سياسة الخصوصية"),
           Site("صوت المدينة", "sawt.test", "صوت المدينة | أعلن معنا | شروط الاستخدام")),
    "fa": (Site("خبرگزاری نمونه", "nemooneh.test", "خبرگزاری نمونه | درباره ما | تماس با ما | حریم خصوصی"),
           Site("روزنامه شهر", "shahr.test", "روزنامه شهر | آرشیو | قوانین و مقررات")),
    "tr": (Site("Örnek Haber", "ornekhaber.test", "Örnek Haber | Hakkımızda | İletişim | Gizlilik Politikası"),
           Site("Şehir Gazetesi", "sehirgazetesi.test", "Şehir Gazetesi | Künye | Reklam | Çerez Politikası")),
}

# Page furniture per language, all of it what the rule packs in transforms/rules/ are meant to catch.
SHARE = {"en": ("Share this article", "Share on Facebook Twitter", "Share", "Share this story", "Share on WhatsApp"),
         "fr": ("Partager", "Partager sur Facebook"), "de": ("Teilen",), "es": ("Compartir", "Compartir en Facebook"),
         "ru": ("Поделиться",), "ar": ("مشاركة :", "شارك على فيسبوك"), "fa": ("اشتراک گذاری",), "tr": ("Paylaş",)}
ADVERT = {"en": ("Advertisement", "ADVERTISEMENT", "Advertisement"), "fr": ("Publicité",), "de": ("Anzeige",),
          "es": ("Publicidad",), "ru": ("Реклама",), "ar": ("إعلان",), "fa": ("تبلیغات",), "tr": ("Reklam",)}
NEWSLETTER = {"en": ("Sign up for our daily newsletter", "Subscribe to our free morning briefing"),
              "fr": ("Abonnez-vous à notre newsletter",), "de": ("Jetzt Newsletter abonnieren",),
              "es": ("Suscríbete a nuestro boletín",), "ru": ("Подпишитесь на нашу рассылку",),
              "ar": ("اشترك في نشرتنا البريدية",), "fa": ("عضویت در خبرنامه",), "tr": ("Bültenimize abone olun",)}
RIGHTS = {"en": "All rights reserved.", "fr": "Tous droits réservés.", "de": "Alle Rechte vorbehalten.",
          "es": "Todos los derechos reservados.", "ru": "Все права защищены.", "ar": "جميع الحقوق محفوظة",
          "fa": "تمامی حقوق محفوظ است", "tr": "Tüm hakları saklıdır."}
CREDIT = {"en": ("Photo: Reuters", "Photo: AFP", "Photo: {P}/Getty Images", "(Photo: AP)"),
          "fr": ("Photo : AFP", "Photo : {P}"), "de": ("Foto: dpa", "Foto: {P}"), "es": ("Foto: EFE", "Foto: {P}"),
          "ru": ("Фото: РИА Новости", "Фото: {P}"), "ar": ("تصوير: رويترز",), "fa": ("عکس: ایرنا",),
          "tr": ("Fotoğraf: AA", "Fotoğraf: {P}")}
RELATED = {"en": "Related stories", "fr": "À lire aussi", "de": "Mehr zum Thema", "es": "Noticias relacionadas",
           "ru": "Читайте также", "ar": "اقرأ أيضا", "fa": "بیشتر بخوانید", "tr": "İlgili Haberler"}
VIDEO_SIZES = ((270, 8.8), (360, 14.1), (480, 22.6), (720, 38.0), (1080, 65.2))

_GLUABLE = re.compile(r"[A-Z][\w'’]*,?\s+[a-z0-9]")  # what ads.label_glued cuts "Advertisement" from
_TITLE_TRIM = ".,;:!?»«“”„\"' "


class _Fillers(dict):
    """Values for a template's {P} {C} {D} {N}, drawn the first time each is used."""

    def __init__(self, rng: random.Random, vocab: Vocab) -> None:
        super().__init__()
        self.rng, self.vocab = rng, vocab

    def __missing__(self, key: str) -> str:
        rng, v = self.rng, self.vocab
        value = {"P": lambda: rng.choice(v.people), "C": lambda: rng.choice(v.cities),
                 "D": lambda: rng.choice(v.days), "N": lambda: str(rng.randint(2, 95))}[key]()
        self[key] = value
        return value


@dataclass
class Document:
    number: int
    lang: str
    site: Site
    lines: list[str] = field(default_factory=list)  # paragraphs and furniture; "" is a blank line
    furniture: int = 0  # how many of the lines are furniture
    glued: int = 0  # paragraphs with furniture glued to their start
    mojibake: bool = False

    def add(self, line: str, furniture: bool = False) -> None:
        self.lines.append(line)
        self.furniture += furniture

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


# ---------------------------------------------------------------------------------------------
# Text


def fill(rng: random.Random, lang: str, template: str) -> str:
    return template.format_map(_Fillers(rng, VOCAB[lang])) if "{" in template else template


def paragraph(rng: random.Random, lang: str) -> str:
    """Two to five sentences (sometimes one), with one set of names and numbers for the paragraph."""
    sentences = VOCAB[lang].sentences
    count = rng.choice((1, 2, 2, 3, 3, 3, 4, 4, 5))
    return fill(rng, lang, " ".join([rng.choice(sentences) for _ in range(count)]))


def headline(rng: random.Random, lang: str) -> str:
    """Two sentence openings joined like a kicker and a headline, without closing punctuation.

    Two fragments, not one: the repetition rule (transforms/repetition.py) removes a short line
    found in five documents or more, and real titles are nearly unique, so synthetic ones must
    be too. One fragment would give a few thousand titles per language, two give millions.
    """
    first, second = (fill(rng, lang, rng.choice(VOCAB[lang].sentences)).split() for _ in range(2))
    return (" ".join(first[:rng.randint(3, 7)]).strip(_TITLE_TRIM) + rng.choice((": ", " – ", ", "))
            + " ".join(second[:rng.randint(3, 6)]).strip(_TITLE_TRIM))


def body_length(rng: random.Random) -> int:
    while True:
        chars = int(rng.lognormvariate(math.log(MEDIAN_CHARS), SIGMA))
        if chars <= MAX_CHARS:
            return chars


def double_encoded(text: str) -> str | None:
    """`text` as UTF-8 bytes misread as cp1252 (what ftfy repairs), or None if that loses bytes."""
    try:
        damaged = text.encode("utf-8").decode("cp1252")
    except UnicodeDecodeError:  # 0x81, 0x8D, 0x8F, 0x90, 0x9D have no cp1252 character
        return None
    return damaged if damaged != text else None


# ---------------------------------------------------------------------------------------------
# Furniture


def video_menu(rng: random.Random) -> list[str]:
    start = rng.randint(0, 2)
    sizes = VIDEO_SIZES[start:start + rng.randint(2, 3)]
    return [f"  • {p}p | {mb * rng.uniform(0.8, 1.2):.1f}MB" for p, mb in sizes]


def copyright_line(rng: random.Random, doc: Document) -> str:
    return f"© {rng.randint(2015, 2024)} {doc.site.name}. {RIGHTS[doc.lang]}"


def inline_furniture(rng: random.Random, doc: Document) -> list[str]:
    """What sits between paragraphs: an advert label, share buttons, a video menu, a signup box."""
    kind = rng.random()
    if kind < 0.40:
        return [rng.choice(ADVERT[doc.lang])]
    if kind < 0.60:
        return [rng.choice(SHARE[doc.lang])]
    if kind < 0.80:
        return [rng.choice(NEWSLETTER[doc.lang])]
    if kind < 0.90:
        return [fill(rng, doc.lang, rng.choice(CREDIT[doc.lang]))]
    return video_menu(rng)


def tail_furniture(rng: random.Random, doc: Document) -> list[str]:
    """What follows the article: related links, share buttons, signup, copyright, the site footer."""
    lines: list[str] = []
    if rng.random() < 0.15:
        lines += [RELATED[doc.lang], *(headline(rng, doc.lang) for _ in range(rng.randint(3, 4)))]
    if rng.random() < 0.30:
        lines.append(rng.choice(SHARE[doc.lang]))
    if doc.lang == "ar" and rng.random() < 0.5:
        lines.append("مشاركة :")
    if rng.random() < 0.15:
        lines.append(rng.choice(NEWSLETTER[doc.lang]))
    if rng.random() < 0.30:
        lines.append(copyright_line(rng, doc))
    if rng.random() < 0.60:
        lines.append(doc.site.footer)
    return lines


# ---------------------------------------------------------------------------------------------
# Documents


def document(rng: random.Random, number: int) -> Document:
    lang = rng.choices(tuple(LANGUAGE_WEIGHTS), weights=tuple(LANGUAGE_WEIGHTS.values()))[0]
    doc = Document(number, lang, rng.choice(SITES[lang]))
    if number % FURNITURE_ONLY_EVERY == 7:
        return furniture_only(rng, doc)
    doc.add(headline(rng, lang))
    if rng.random() < 0.3:
        doc.add(fill(rng, lang, rng.choice(CREDIT[lang])), furniture=True)
    add_body(rng, doc, body_length(rng) - len(doc.text) - TAIL_CHARS)
    for line in tail_furniture(rng, doc):
        doc.add(line, furniture=True)
    if lang in LATIN_SCRIPT and rng.random() < P_MOJIBAKE:
        damage_one_paragraph(rng, doc)
    return doc


def add_body(rng: random.Random, doc: Document, target: int) -> None:
    """Paragraphs up to about `target` characters, blank lines between some, furniture between a few."""
    chars = 0
    while True:
        text = paragraph(rng, doc.lang)
        if chars and chars + len(text) // 2 > max(target, MIN_CHARS):
            return
        if doc.lang == "en" and rng.random() < 0.01 and _GLUABLE.match(text):
            text = f"{rng.choice(ADVERT['en'])} {text}"
            doc.glued += 1
        if chars and rng.random() < 0.5:
            doc.add("")
        doc.add(text)
        chars += len(text)
        if rng.random() < 0.04:
            for line in inline_furniture(rng, doc):
                doc.add(line, furniture=True)


def furniture_only(rng: random.Random, doc: Document) -> Document:
    """A page whose article failed to scrape: nothing left but its widgets."""
    for line in (rng.choice(SHARE[doc.lang]), rng.choice(ADVERT[doc.lang]), rng.choice(NEWSLETTER[doc.lang]),
                 copyright_line(rng, doc), doc.site.footer):
        doc.add(line, furniture=True)
    return doc


def damage_one_paragraph(rng: random.Random, doc: Document) -> None:
    """Replace one paragraph by its double-encoded self, if it has characters that show the damage."""
    candidates = [i for i, line in enumerate(doc.lines[1:], start=1) if len(line) > 40]
    for index in rng.sample(candidates, min(len(candidates), 8)):
        damaged = double_encoded(doc.lines[index])
        if damaged:
            doc.lines[index] = damaged
            doc.mojibake = True
            return


def url(rng: random.Random, doc: Document) -> str:
    section = rng.choice(("news", "politics", "business", "local", "world"))
    year, month = rng.randint(2015, 2024), rng.randint(1, 12)
    return f"https://www.{doc.site.domain}/{section}/{year}/{month:02d}/{doc.number:08d}.html"


# ---------------------------------------------------------------------------------------------
# Writing


@dataclass
class Stats:
    """What was written; saved as GENERATED.json so readers (bench/speed.py, tests) need not guess."""

    docs: int = 0
    seed: int = 0
    files: int = 0
    bytes: int = 0
    lines: int = 0
    furniture_lines: int = 0
    glued_paragraphs: int = 0
    mojibake_docs: int = 0
    furniture_only_docs: int = 0
    languages: Counter = field(default_factory=Counter)
    formats: Counter = field(default_factory=Counter)
    encodings: Counter = field(default_factory=Counter)
    length_percentiles: dict = field(default_factory=dict)
    _sample: list = field(default_factory=list)  # every 10th document's length, for the percentiles

    def count(self, doc: Document, fmt: str, encoding: str) -> None:
        self.docs += 1
        self.lines += sum(1 for line in doc.lines if line)
        self.furniture_lines += doc.furniture
        self.glued_paragraphs += doc.glued
        self.mojibake_docs += doc.mojibake
        self.furniture_only_docs += doc.number % FURNITURE_ONLY_EVERY == 7
        self.languages[doc.lang] += 1
        self.formats[fmt] += 1
        self.encodings[encoding] += 1
        if doc.number % 10 == 0:
            self._sample.append(len(doc.text))

    def as_dict(self) -> dict:
        lengths = sorted(self._sample)
        pick = lambda q: lengths[min(len(lengths) - 1, int(q * len(lengths)))] if lengths else 0  # noqa: E731
        return {"generator": "bench/generate.py", "version": VERSION, "docs": self.docs, "seed": self.seed,
                "files": self.files, "bytes": self.bytes, "lines": self.lines, "furniture_lines": self.furniture_lines,
                "furniture_share": round(self.furniture_lines / max(self.lines, 1), 3),
                "glued_paragraphs": self.glued_paragraphs, "mojibake_docs": self.mojibake_docs,
                "furniture_only_docs": self.furniture_only_docs,
                "chars_percentiles": {f"p{q * 100:g}": pick(q) for q in (0.05, 0.5, 0.95, 0.99)},
                "languages": dict(self.languages.most_common()), "formats": dict(self.formats.most_common()),
                "encodings": dict(self.encodings.most_common())}


class ShardWriter:
    """One shard's files: part files of RECORDS_PER_FILE JSON lines, and single .txt files."""

    def __init__(self, folder: Path, first_part: int, stats: Stats) -> None:
        self.folder, self.part, self.stats = folder, first_part, stats
        self.handle = None
        self.records = 0
        folder.mkdir(parents=True)

    def write(self, rng: random.Random, doc: Document) -> None:
        if rng.random() < P_TXT:  # a double-encoded page stays UTF-8: one kind of damage at a time
            self._write_txt(doc, legacy=rng.random() < P_LEGACY and not doc.mojibake)
        else:
            self._write_jsonl(rng, doc)

    def _write_jsonl(self, rng: random.Random, doc: Document) -> None:
        if self.handle is None:
            self._open_part()
        record = {"id": f"doc-{doc.number:08d}", "url": url(rng, doc), "text": doc.text}
        self.handle.write((json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8"))
        self.records += 1
        self.stats.count(doc, "jsonl.gz" if self.gzipped else "jsonl", "utf-8")
        if self.records == RECORDS_PER_FILE:
            self.close()

    def _open_part(self) -> None:
        self.gzipped = self.part % GZIP_EVERY == 2
        self.path = self.folder / f"part-{self.part:06d}.jsonl{'.gz' if self.gzipped else ''}"
        self._raw = self.handle = open(self.path, "wb")  # noqa: SIM115 - closed in close()
        if self.gzipped:  # no file name, mtime 0: the header depends on nothing but the level
            self.handle = gzip.GzipFile(filename="", mode="wb", fileobj=self._raw, mtime=0, compresslevel=6)

    def _write_txt(self, doc: Document, legacy: bool) -> None:
        encoding, data = "utf-8", doc.text.encode("utf-8")
        if legacy:
            encoding = LEGACY_CODEC[doc.lang]
            text = doc.text.replace("ی", "ي") if doc.lang == "fa" else doc.text  # cp1256 has only the Arabic yeh
            try:
                data = text.encode(encoding)
            except UnicodeEncodeError:  # a character the code page lacks: the page stayed UTF-8
                encoding, data = "utf-8", doc.text.encode("utf-8")
        path = self.folder / "txt" / doc.lang / f"doc-{doc.number:08d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.stats.files += 1
        self.stats.bytes += len(data)
        self.stats.count(doc, "txt", encoding)

    def close(self) -> None:
        if self.handle is None:
            return
        self.handle.close()
        self._raw.close()
        self.stats.files += 1
        self.stats.bytes += self.path.stat().st_size
        self.handle, self.records = None, 0
        self.part += 1


def generate(out: Path, docs: int, seed: int = 0, force: bool = False) -> Stats:
    """Write `docs` documents under `out`; the same (docs, seed) always gives the same bytes."""
    prepare(out, force)
    stats = Stats(seed=seed)
    part = 0
    for shard in range(math.ceil(docs / SHARD_DOCS)):
        rng = random.Random(f"clean-corpus-bench/{seed}/{shard}")  # str seeds hash with sha512: stable
        writer = ShardWriter(out / f"shard-{shard:04d}", part, stats)
        for number in range(shard * SHARD_DOCS, min(docs, (shard + 1) * SHARD_DOCS)):
            writer.write(rng, document(rng, number))
        writer.close()
        part = writer.part
    (out / MANIFEST).write_text(json.dumps(stats.as_dict(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return stats


def prepare(out: Path, force: bool) -> None:
    """Create `out`, refusing a non-empty one unless `force`; then what this script wrote there goes.

    Only this script's own files are removed (`shard-*`, the manifest), so that an earlier or
    interrupted corpus cannot mix with the new one; anything else in the folder is left alone.
    """
    if out.exists() and any(out.iterdir()):
        if not force:
            raise SystemExit(f"generate: {out} is not empty; choose an empty folder or pass --force")
        for old in out.glob("shard-*"):
            shutil.rmtree(old)
        (out / MANIFEST).unlink(missing_ok=True)
    out.mkdir(parents=True, exist_ok=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, required=True, help="number of documents")
    parser.add_argument("--out", type=Path, required=True, help="folder to create (must be empty)")
    parser.add_argument("--seed", type=int, default=0, help="same seed, same bytes (default 0)")
    parser.add_argument("--force", action="store_true",
                        help="write into a non-empty --out, replacing a corpus generated there before")
    args = parser.parse_args(argv)
    if args.docs < 1:
        parser.error("--docs must be at least 1")
    started = time.monotonic()
    stats = generate(args.out, args.docs, args.seed, args.force)
    print(f"generate: {stats.docs} documents, {stats.files} files, {stats.bytes:,} bytes "
          f"({stats.bytes / 1e6:.1f} MB) in {args.out} in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
