"""transforms.language: seeded langdetect, ISO 639-1 codes, 'und' for too little text, Kurdish,
fair letter counts, bounded samples of long documents. Every sentence here was written for these tests."""

import subprocess
import sys
from pathlib import Path

import pytest

from transforms import language
from transforms.language import LANGUAGES, MIN_LETTERS, UNDETERMINED, count_letters, detect_language, sample_text

SENTENCES = {
    "en": "The city council voted on Tuesday to expand the bus network, adding twelve new routes "
    "that will connect the northern suburbs with the hospital and the university.",
    "fr": "Le conseil municipal a voté mardi l'extension du réseau de bus, avec douze nouvelles "
    "lignes qui relieront les quartiers du nord à l'hôpital et à l'université.",
    "de": "Der Stadtrat hat am Dienstag beschlossen, das Busnetz zu erweitern und zwölf neue Linien "
    "einzurichten, die die nördlichen Vororte mit dem Krankenhaus und der Universität verbinden.",
    "ar": "صوت مجلس المدينة يوم الثلاثاء على توسيع شبكة الحافلات وإضافة اثني عشر خطا جديدا تربط "
    "الضواحي الشمالية بالمستشفى والجامعة في وسط المدينة.",
    "ru": "Городской совет во вторник проголосовал за расширение автобусной сети и открытие "
    "двенадцати новых маршрутов, которые соединят северные пригороды с больницей и университетом.",
    "zh": "市议会星期二投票决定扩大公交网络，新增十二条线路，将北部郊区与医院和大学连接起来，"
    "预计明年春天开始运营，票价将保持不变。",
}

# Two capital names and a race: langdetect without a seed answers fr or nl at random.
AMBIGUOUS = "Tour de France Paris Roma Berlin Madrid"


@pytest.mark.parametrize("code", sorted(SENTENCES))
def test_detects_language(code):
    """Each corpus language is recognised from one ordinary news sentence, with ISO 639-1 codes."""
    result = detect_language(SENTENCES[code])
    assert result.code == code
    assert 0.9 <= result.score <= 1.0


def test_chinese_is_zh_not_zh_cn():
    """langdetect's 'zh-cn'/'zh-tw' must be reported as plain ISO 639-1 'zh'."""
    assert detect_language(SENTENCES["zh"]).code == "zh"


@pytest.mark.parametrize(
    "text",
    ["", "   \n\t ", "1234567890 2020 3.14 -55", "!!! ??? ... ---", "Hello there", "a" * (MIN_LETTERS - 1)],
)
def test_too_little_text_is_undetermined(text):
    """Below MIN_LETTERS letters langdetect guesses wildly or raises; the answer is ('und', 0.0)."""
    result = detect_language(text)
    assert (result.code, result.score) == (UNDETERMINED, 0.0)


def test_letters_not_characters_are_counted():
    """Digits and punctuation do not count towards MIN_LETTERS, however long the text is."""
    text = "Ok " + "2019-2020, 45% / 12.5; " * 20
    assert count_letters(text) < MIN_LETTERS
    assert detect_language(text).code == UNDETERMINED


def test_deterministic_on_ambiguous_text():
    """The same text must get the same language and score on every call (seeded sampling)."""
    first = detect_language(AMBIGUOUS)
    assert first.score < 0.9  # guard: the text really is ambiguous
    for _ in range(20):
        assert detect_language(AMBIGUOUS) == first


@pytest.mark.parametrize(
    "text",
    [*SENTENCES.values(), AMBIGUOUS, "", "Mama papa kino radio taxi banana", "Ok ok ok ok ok ok ok ok ok ok",
     "ئەمڕۆ باران دەبارێت.", "Îro baran dibare û ba tê."],
)
def test_codes_known_and_scores_bounded(text):
    """Downstream checks validate `language` against LANGUAGES and `score` against [0, 1]."""
    result = detect_language(text)
    assert result.code in LANGUAGES
    assert 0.0 <= result.score <= 1.0


def test_languages_are_iso_639_1():
    """LANGUAGES holds two-letter codes (plus 'und'), never langdetect's 'zh-cn' style."""
    assert "zh" in LANGUAGES and "zh-cn" not in LANGUAGES and "zh-tw" not in LANGUAGES
    assert all(len(code) == 2 for code in LANGUAGES - {UNDETERMINED})


def test_deterministic_across_processes():
    """A rerun of the pipeline in a new process must tag the same text the same way."""
    texts = [AMBIGUOUS, SORANI[0], KURMANJI[0], _long_document(MORE["fr"])]
    code = f"from transforms.language import detect_language as d; [print(d(t)) for t in {texts!r}]"
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           cwd=Path(__file__).parents[1]).stdout
            for _ in range(2)}
    assert runs == {"".join(f"{detect_language(t)}\n" for t in texts)}


# Kurdish and its neighbours: the same kinds of news, so that only the language differs.
SORANI = [
    "ئەمڕۆ ئەنجومەنی شارەوانی هەولێر بڕیاری دا دوازدە هێڵی نوێی پاس زیاد بکات بۆ ئەوەی گەڕەکەکانی باکوور "
    "بە نەخۆشخانە و زانکۆوە ببەستێتەوە.",
    "بارانی ئەم زستانە زۆر لە ساڵانی پێشوو زیاتر بوو و جووتیاران دڵخۆشن.",
    "وەزارەتی پەروەردە ڕایگەیاند کە قوتابخانەکان لە هەفتەی داهاتوودا دەکرێنەوە.",
]
KURMANJI = [
    "Şaredariya bajêr roja Sêşemê biryar da ku diwanzdeh xetên nû yên otobûsê vekin û taxên bakur bi "
    "nexweşxane û zanîngehê ve girêdin.",
    "Îsal baran û berf ji salên berê zêdetir bû, loma cotkar kêfxweş in.",
    "Wezareta perwerdeyê ragihand ku dibistan hefteya bê dê ji nû ve vebin.",
]
PERSIAN = [
    "شورای شهر روز سه‌شنبه تصمیم گرفت دوازده خط جدید اتوبوس اضافه کند تا محله‌های شمالی را به بیمارستان "
    "و دانشگاه وصل کند.",
    "وزارت آموزش و پرورش اعلام کرد که مدرسه‌ها از هفته آینده دوباره باز می‌شوند.",
    # A Kurdish place name, in Kurdish letters, inside a Persian sentence.
    "خبرنگار ما از اربیل گزارش می‌دهد که مردم شهر هەولێر امروز برای جشن نوروز به خیابان‌ها آمدند.",
]
TURKISH = [
    "Belediye meclisi salı günü otobüs ağını genişletme kararı aldı; kuzeydeki mahalleleri hastane ve "
    "üniversiteye bağlayacak on iki yeni hat eklenecek.",
    "Milli Eğitim Bakanlığı okulların önümüzdeki hafta yeniden açılacağını duyurdu.",
    "Diyarbakır'da yaşayan çiftçiler bu yıl yağmurun geçen yıllardan daha bol olduğunu söyledi.",
]


@pytest.mark.parametrize("text", SORANI + KURMANJI)
def test_kurdish_is_ku(text):
    """Sorani (Arabic script) and Kurmanji (Latin script) are 'ku', not Persian or Turkish."""
    result = detect_language(text)
    assert result.code == "ku" and 0.9 <= result.score <= 1.0


def test_sorani_typed_with_arabic_letter_forms_is_ku():
    """Kurdish keyboards often give Arabic ى and ك for ی and ک; the text is still Kurdish."""
    text = SORANI[0].replace("ی ", "ى ").replace("ک", "ك")
    assert text != SORANI[0] and detect_language(text).code == "ku"


@pytest.mark.parametrize(("code", "text"), [*(("fa", t) for t in PERSIAN), *(("tr", t) for t in TURKISH)])
def test_kurdish_neighbours_keep_their_language(code, text):
    """Persian and Turkish, even with a Kurdish name in them, are not taken for Kurdish."""
    assert detect_language(text).code == code


def test_too_short_kurdish_is_undetermined():
    """The Kurdish rule, like langdetect, needs MIN_LETTERS letters."""
    assert detect_language("Ez û tu.") == language.Language(UNDETERMINED, 0.0)


@pytest.mark.parametrize(
    ("code", "text"),
    [("hi", "वह रोज़ सुबह स्कूल जाती है।"), ("ko", "내일 서울에 비가 온다."), ("ja", "明日は東京で雨が降るでしょう。")],
)
def test_short_sentences_in_other_scripts_are_counted_fairly(code, text):
    """Vowel signs (Hindi), jamo in a syllable (Korean) and syllabic characters all count.

    Each of these sentences has fewer than MIN_LETTERS characters that str.isalpha accepts.
    """
    assert sum(ch.isalpha() for ch in text) < MIN_LETTERS <= count_letters(text)
    assert detect_language(text).code == code


def test_chinese_without_hangul_is_never_korean():
    """langdetect's Korean profile knows Han characters; without Hangul the text cannot be Korean."""
    text = "本研究分析了城市交通政策对空气质量的影响。"  # langdetect alone says 'ko'
    assert detect_language(text).code == "zh"


MORE = {
    "en": [SENTENCES["en"], "Heavy rain is expected across the region this weekend, and the weather service has "
           "asked drivers to avoid the coastal road."],
    "fr": [SENTENCES["fr"], "De fortes pluies sont attendues dans toute la région ce week-end, et les services "
           "météo demandent aux automobilistes d'éviter la route côtière.",
           "Les travaux commenceront en septembre et dureront environ deux ans, selon la mairie."],
    "de": [SENTENCES["de"], "Für das Wochenende wird in der ganzen Region starker Regen erwartet, und der "
           "Wetterdienst bittet Autofahrer, die Küstenstraße zu meiden."],
    "es": ["Se esperan fuertes lluvias en toda la región este fin de semana y el servicio meteorológico pide a "
           "los conductores que eviten la carretera de la costa.",
           "Las obras empezarán en septiembre y durarán unos dos años, según el ayuntamiento."],
    "ru": [SENTENCES["ru"], "В выходные во всём регионе ожидаются сильные дожди, и метеослужба просит "
           "водителей не ездить по прибрежной дороге."],
    "ar": [SENTENCES["ar"], "يتوقع هطول أمطار غزيرة في أنحاء المنطقة نهاية هذا الأسبوع، وتطلب هيئة الأرصاد من "
           "السائقين تجنب الطريق الساحلي."],
    "zh": [SENTENCES["zh"], "本周末全区预计将有大雨，气象部门提醒司机避开沿海公路。"],
    "hi": ["इस सप्ताहांत पूरे क्षेत्र में भारी बारिश की संभावना है, और मौसम विभाग ने चालकों से तटीय सड़क से "
           "बचने को कहा है।", "वह रोज़ सुबह स्कूल जाती है।"],
    "fa": PERSIAN,
    "tr": TURKISH,
    "ku": SORANI,
}


def _long_document(sentences: list[str], chars: int = 4 * language.SAMPLE_CHARS) -> str:
    """Paragraphs of two or three of `sentences` in turn, until the text is `chars` long."""
    paragraphs, i = [], 0
    while sum(map(len, paragraphs)) < chars:
        paragraphs.append(" ".join(sentences[(i + k) % len(sentences)] for k in range(2 + i % 2)))
        i += 1
    return "\n\n".join(paragraphs)


@pytest.mark.parametrize("code", [*sorted(MORE), "ku-kmr"])
def test_sample_gives_the_same_language_as_the_full_text(code, monkeypatch):
    """A long document is read through a bounded sample; the answer is that of the whole text."""
    text = _long_document(KURMANJI if code == "ku-kmr" else MORE[code])
    assert len(sample_text(text)) <= language.SAMPLE_CHARS < len(text) / 3
    sampled = detect_language(text)
    monkeypatch.setattr(language, "SAMPLE_CHARS", len(text))  # read all of it
    assert detect_language(text).code == sampled.code == code[:2]


def test_short_documents_are_read_whole():
    """Up to SAMPLE_CHARS, the sample is the text itself: ordinary articles are read as they were."""
    text = _long_document(MORE["de"], chars=language.SAMPLE_CHARS - 500)
    assert sample_text(text) is text


def test_sample_is_bounded_and_spread():
    """Whatever the length, the sample stays within SAMPLE_CHARS and comes from all over the text."""
    text = "".join(f"line{n:06d} is here\n" for n in range(100_000))
    sample = sample_text(text)
    assert len(sample) <= language.SAMPLE_CHARS
    tenths = {word[4:6] for word in sample.split() if word.startswith("line")}  # line000000 .. line099999
    assert tenths == {f"0{k}" for k in range(10)}


def test_mixed_document_gets_the_dominant_language():
    """Mostly French with one English sentence: French."""
    text = " ".join([*MORE["fr"], "The mayor said on Monday that the project would be finished on time.",
                     "Les habitants du quartier pourront donner leur avis lors d'une réunion publique en juin."])
    assert detect_language(text).code == "fr"


def test_persian_document_with_a_sorani_sentence_stays_persian():
    """The Kurdish rule counts shares of words, so one Sorani sentence does not make a Persian text Kurdish."""
    assert detect_language(" ".join([*PERSIAN, SORANI[1]])).code == "fa"


def test_long_preamble_does_not_outvote_the_body():
    """An English opening longer than SAMPLE_CHARS, then a French body twice as long: French.

    Reading only the first SAMPLE_CHARS characters would have said English.
    """
    english = _long_document(MORE["en"], chars=language.SAMPLE_CHARS * 3 // 2)
    text = english + "\n\n" + _long_document(MORE["fr"], chars=len(english) * 2)
    assert detect_language(text[:language.SAMPLE_CHARS]).code == "en"  # guard
    assert detect_language(text).code == "fr"


@pytest.mark.parametrize("text", [SORANI[1], KURMANJI[1], PERSIAN[2], "बच्चे मैदान में खेल रहे हैं।"])
def test_deterministic_on_new_rules(text):
    """Kurdish, fair letter counts and sampling keep the answer and score identical call after call."""
    first = detect_language(text)
    assert all(detect_language(text) == first for _ in range(10))


def _langdetect_own(text: str, prior: bool) -> list[tuple[str, float]] | str:
    """What unmodified langdetect answers, with the same seed, length limit and prior."""
    from langdetect.detector import Detector
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
    factory = getattr(_langdetect_own, "factory", None)
    if factory is None:
        factory = _langdetect_own.factory = DetectorFactory()
        factory.load_profile(PROFILES_DIRECTORY)
        factory.seed = language.SEED
    return _probabilities(Detector(factory), factory, text, prior)


def _probabilities(detector, factory, text: str, prior: bool):
    detector.set_max_text_length(len(text))
    if prior:
        detector.set_prior_map({lang: 0.0 if lang == "ko" else 1.0 for lang in factory.langlist})
    detector.append(text)
    try:
        return [(c.lang, float(c.prob)) for c in detector.get_probabilities()]
    except Exception as exc:  # noqa: BLE001 - both must fail alike, too
        return type(exc).__name__


def _texts_for_equivalence() -> list[str]:
    lines = [l for l in NEWS_LINES.read_text(encoding="utf-8").splitlines() if l.strip()]
    paragraphs = [" ".join(lines[i:i + 12]) for i in range(0, len(lines), 12)]
    odd = ["ALL CAPS HEADLINE FOR THE STORM", "e-mail me@example.org or see https://example.org/a?b=1",
           "Ｆｕｌｌ　ｗｉｄｔｈ", "Việt Nam  và   Trung Quốc", "٣٤٥ ١٢", "   ", "x", "MiXeD CaSe WoRdS HeRe",
           "Ceaușescu și Țara", "日本語のテキストです。漢字とかな。", "한국어 문장입니다"]
    return lines + paragraphs + odd


NEWS_LINES = Path(__file__).parent / "data" / "news_lines.txt"


@pytest.mark.parametrize("hot_rows", [0, 10**6])
def test_dense_and_sparse_profile_rows_answer_alike(hot_rows, monkeypatch):
    """Every row kept sparse, or every row dense: the same probabilities as langdetect's own, so
    both kinds of `_Profiles` row give the same floats (the default mixes them)."""
    monkeypatch.setattr(language._Profiles, "HOT_ROWS", hot_rows)
    factory = language._load_factory()
    assert factory.profiles.n_hot == min(hot_rows, len(factory.word_lang_prob_map))
    for text in _texts_for_equivalence()[::5]:
        ours = _probabilities(language.FastDetector(factory), factory, text, False)
        assert ours == _langdetect_own(text, False), text


def test_profiles_hold_langdetects_matrix_in_a_third_of_the_memory():
    profiles = language._get_factory().profiles
    dense = profiles.dense()
    assert dense.shape == (len(language._get_factory().word_lang_prob_map), len(language._get_factory().langlist))
    kept = profiles.hot.nbytes + profiles.columns.nbytes + profiles.values.nbytes + profiles.starts.nbytes
    assert kept * 3 < dense.nbytes
    assert (dense != 0).sum() == (profiles.hot != 0).sum() + len(profiles.values)


@pytest.mark.parametrize("prior", [True, False])
def test_fast_detector_answers_exactly_as_langdetect(prior):
    """FastDetector is a speed-up only: probabilities equal langdetect's own, bit for bit."""
    factory = language._get_factory()
    texts = _texts_for_equivalence()
    assert len(texts) > 400
    for text in texts:
        ours = _probabilities(language.FastDetector(factory), factory, text, prior)
        assert ours == _langdetect_own(text, prior), text


@pytest.mark.parametrize("at_least", [0, 1, 6, 20, 200])
def test_has_letters_agrees_with_count_letters(at_least):
    from transforms.language import has_letters
    texts = _texts_for_equivalence() + ["", "١٢٣ ...", "है है है", "한국어", "日本", "x" * 500]
    for text in texts:
        assert has_letters(text, at_least) == (count_letters(text) >= at_least), text


# The Kurdish rule's quick no (kurdish._cannot_be_kurdish) is a bound, not a guess: wherever it
# says no, the full word-by-word rule says no too.
from hypothesis import given, settings, strategies as st  # noqa: E402

from transforms import kurdish  # noqa: E402

_KURDISH_TEST_TEXTS = [*SORANI, *KURMANJI, *PERSIAN, *TURKISH, *SENTENCES.values(),
                       *(t for texts in MORE.values() for t in texts)]


def _full_rule_says_kurdish(text: str) -> bool:
    pro, con = kurdish.kurdish_evidence(text)
    return pro - con >= kurdish.MIN_SHARE


def test_kurdish_quick_no_only_where_the_full_rule_says_no():
    """Every test text alone: the quick check lets all Kurdish through and stops most of the rest."""
    stopped = [t for t in _KURDISH_TEST_TEXTS if kurdish._cannot_be_kurdish(t.lower())]
    assert not [t for t in stopped if _full_rule_says_kurdish(t)]
    assert len(stopped) >= 0.75 * (len(_KURDISH_TEST_TEXTS) - len(SORANI) - len(KURMANJI))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_KURDISH_TEST_TEXTS), min_size=1, max_size=6), st.text(max_size=40))
def test_kurdish_quick_no_never_overrules_on_mixtures(texts, noise):
    """Mixtures of Kurdish and its neighbours, with noise: the quick no never hides a Kurdish yes."""
    text = " ".join(texts) + noise
    if kurdish._cannot_be_kurdish(text.lower().replace("\u200c", "")):
        assert not _full_rule_says_kurdish(text)
