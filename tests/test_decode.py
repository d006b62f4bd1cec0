"""transforms.decode: bytes to text, and the encoding that was used."""

import codecs

import pytest

from transforms.decode import DecodeError, decode_bytes, alphabet_fit

SAMPLE = "Le café d’en face a fermé — 3 € le thé."


@pytest.mark.parametrize(
    "data, expected",
    [
        (codecs.BOM_UTF8 + SAMPLE.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + SAMPLE.encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + SAMPLE.encode("utf-16-be"), "utf-16"),
        (codecs.BOM_UTF32_LE + SAMPLE.encode("utf-32-le"), "utf-32"),
        (codecs.BOM_UTF32_BE + SAMPLE.encode("utf-32-be"), "utf-32"),
    ],
    ids=["utf-8-bom", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"],
)
def test_bom_decides_and_is_not_kept_in_text(data, expected):
    """A byte-order mark is an explicit declaration: honour it and strip it from the text."""
    result = decode_bytes(data)
    assert result.encoding == expected
    assert result.text == SAMPLE
    assert data.decode(result.encoding) == result.text


def test_utf32_le_bom_is_not_mistaken_for_utf16():
    """UTF-32 LE's BOM starts with UTF-16 LE's; reading it as UTF-16 would insert NULs."""
    result = decode_bytes(codecs.BOM_UTF32_LE + "abc".encode("utf-32-le"))
    assert (result.encoding, result.text) == ("utf-32", "abc")


def test_strict_utf8():
    """Valid multi-byte UTF-8 is UTF-8, whatever a detector would guess."""
    text = "Zürich, Москва, القاهرة, 北京 — “quotes”"
    result = decode_bytes(text.encode("utf-8"))
    assert (result.encoding, result.text) == ("utf-8", text)


def test_empty_input_is_empty_text():
    """An empty file is (empty) text, not a decoding failure."""
    assert decode_bytes(b"").text == ""


@pytest.mark.parametrize(
    "text, codec",
    [
        ("naïve café", "cp1252"),
        ("Zürich", "cp1252"),
        ("The mayor said it’s “too early” to judge the plan.", "cp1252"),
        ("Il a déclaré : « Nous ne céderons pas », avant de quitter la salle.", "cp1252"),
        ("Die Straße bleibt wegen Bauarbeiten bis Freitag gesperrt, teilte die Stadt mit.", "cp1252"),
        ("Новости дня", "cp1251"),
        ("В понедельник правительство утвердило новый бюджет на следующий год.", "cp1251"),
        ("وزارة الصحة", "cp1256"),
        ("قالت وزارة الصحة إن عدد الإصابات انخفض بشكل كبير خلال الأسبوع الماضي.", "cp1256"),
    ],
)
def test_legacy_code_page_detected_and_decoded_exactly(text, codec):
    """Non-UTF-8 news text must come back in its own code page, character for character."""
    data = text.encode(codec)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # guard: the test really exercises legacy detection
    result = decode_bytes(data)
    assert result.encoding == codec
    assert result.text == text
    assert data.decode(result.encoding) == result.text


@pytest.mark.parametrize(
    "text",
    ["Prices rose 5% to €120 a tonne.", "The plan – approved on Monday – costs €5 billion."],
)
def test_cp1252_euro_sign(text):
    """The euro sign is everyday news text in cp1252 and must not turn into a letter."""
    result = decode_bytes(text.encode("cp1252"))
    assert (result.encoding, result.text) == ("cp1252", text)


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes((i * 37 + 11) % 256 for i in range(512))


@pytest.mark.parametrize(
    "data",
    [
        PNG,
        b"\x7fELF\x02\x01\x01" + bytes(9) + bytes((i * i) % 256 for i in range(300)),
        b"\x00" * 100,  # valid UTF-8, but nothing but NULs
        bytes(range(1, 32)) * 10,  # valid UTF-8, all control characters
    ],
    ids=["png", "elf", "nuls", "controls"],
)
def test_binary_is_rejected(data):
    """Images and executables must be rejected, not passed on as garbage text."""
    with pytest.raises(DecodeError) as info:
        decode_bytes(data)
    assert info.value.reason in {"binary", "undecodable"}


def test_control_heavy_utf8_is_binary():
    """Bytes that decode as UTF-8 but are mostly control characters are reported as binary."""
    with pytest.raises(DecodeError) as info:
        decode_bytes(b"ab\x01\x02\x03\x04cd\x05\x06\x07\x08" * 20)
    assert info.value.reason == "binary"


def test_text_controls_are_not_binary():
    """Tabs, newlines, CR and form feeds are ordinary text, however many there are."""
    text = "a\tb\r\n\f" * 50
    assert decode_bytes(text.encode("utf-8")).text == text


def test_bom_with_broken_body_is_undecodable():
    """A BOM that lies about the rest of the file is an error, not a cue to guess."""
    with pytest.raises(DecodeError) as info:
        decode_bytes(codecs.BOM_UTF8 + b"caf\xe9 au lait")
    assert info.value.reason == "undecodable"


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        ("Türkiye'de seçimler yapıldı ve sonuçlar açıklandı.", "cp1254"),
        ("Zażółć gęślą jaźń, powiedział minister.", "cp1250"),
    ],
)
def test_language_coherence_breaks_code_page_ties(text, codec):
    """Turkish and Polish letters only read as words in their own code page."""
    result = decode_bytes(text.encode(codec))
    assert (result.encoding, result.text) == (codec, text)


@pytest.mark.parametrize(
    ("text", "codec"),
    [("Police closed the bridge on Sunday.", "utf-16-le"), ("Полиция закрыла мост в воскресенье.", "utf-16-be")],
)
def test_utf16_without_bom_is_recognised_not_rejected_as_binary(text, codec):
    """UTF-16 without a byte-order mark is text: its zero bytes sit on one side of each pair."""
    result = decode_bytes(text.encode(codec))
    assert (result.encoding, result.text) == (codec, text)


# Paragraphs long enough for the alphabet to show (decode.MIN_FIT_LETTERS), written for this test.
TURKISH_NEWS = ("Resmi verilere göre işsizlik geçen ay düştü. Mahalle sakinleri yıllardır gürültüden şikâyetçi "
                "olduklarını söylediler. Belediye başkanı, yağışların ardından köprünün güvenli olduğunu açıkladı; "
                "işçiler arasındaki görüşmeler perşembe günü sürecek.")
PERSIAN_NEWS = ("شورای شهر روز دوشنبه بودجه جدیدی برای تعمیر جاده‌ها تصویب کرد. اتحادیه‌های کارگری می‌گویند "
                "مذاکرات با مدیریت کارخانه هفته آینده ادامه پیدا می‌کند و پیشنهاد تازه‌ای ارائه خواهد شد. "
                "بانک مرکزی نرخ سود را بدون تغییر نگه داشت.").replace("ی", "ي")  # cp1256 has only the Arabic yeh


THAI_NEWS = ("สภาเทศบาลอนุมัติงบประมาณใหม่สำหรับซ่อมถนนเมื่อวันจันทร์ สหภาพแรงงานกล่าวว่าการเจรจากับ"
             "ผู้บริหารโรงงานจะดำเนินต่อไปในสัปดาห์หน้า")


@pytest.mark.parametrize(("text", "codec"), [(TURKISH_NEWS, "cp1254"), (PERSIAN_NEWS, "cp1256"), (THAI_NEWS, "cp874")],
                         ids=["tr", "fa", "th"])
def test_a_paragraph_comes_back_in_its_own_code_page(text, codec):
    """Turkish in cp1254 is not read as cp1252 ("iþsizlik") or cp1257, Persian in cp1256, with its
    zero-width non-joiners, is not refused as undecodable, and Thai in TIS-620 (cp874) is read."""
    data = text.encode(codec)
    result = decode_bytes(data)
    assert (result.encoding, result.text) == (codec, text)


def test_alphabet_fit_tells_the_right_code_page():
    """One language's letters fit one alphabet; a wrong code page mixes alphabets."""
    data = TURKISH_NEWS.encode("cp1254")
    assert alphabet_fit(data.decode("cp1254")) == 1.0
    assert alphabet_fit(data.decode("cp1252")) < 0.8 and alphabet_fit(data.decode("cp1257")) < 0.8
    assert alphabet_fit("Zürich") == 1.0  # too few letters to tell anything apart
