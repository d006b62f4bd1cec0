"""Property tests (hypothesis) for the text-repair step: transforms.repair and .whitespace.

For each transform, and for the composition the pipeline applies to every line
(`normalize_line(repair(line))`, see transforms/document.py), on any string at all:
- it never raises;
- its output holds no C0 or C1 control character and no lone surrogate. The one exception is
  "\\n" between lines, where the output has lines (repair, join_paragraphs). Tabs are not kept:
  repair turns a tab into a space and normalize_line folds it with the white space around it,
  so a tab is never in the output either;
- it is idempotent: f(f(x)) == f(x), which is what makes clean(clean(x)) == clean(x).
And on text that needs no repair, in any script, repair changes nothing; UTF-8 mis-decoded
once or twice comes back as it was.

The profile is fixed and deterministic (`derandomize=True`, no example database), so CI sees
the same examples on every run.
"""

from __future__ import annotations

import re
import unicodedata

import ftfy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from transforms.repair import CONFIG, repair
from transforms.whitespace import join_paragraphs, normalize_line, split_lines
from test_repair_whitespace import misdecode  # one definition of how mojibake is made

PROFILE = settings(
    max_examples=300,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --- strategies -----------------------------------------------------------------------------

# The characters and sequences that have broken text repair somewhere: surrogates, C0 and C1
# controls, U+FFFD, Unicode line separators, invisible characters, (double-)escaped entities,
# entities for controls and surrogates, mojibake fragments, terminal escapes.
SPECIAL = [
    "\x00", "\x01", "\x07", "\x08", "\t", "\n", "\x0b", "\x0c", "\r", "\r\n", "\x1b", "\x1b[31m",
    "\x1c", "\x1f", "\x7f", "\x80", "\x81", "\x85", "\x8d", "\x8f", "\x90", "\x92", "\x9d", "\x9f",
    "\ud800", "\udbff", "\udc00", "\udfff", "\ud83d\ude00", "\ufffd", "\ufffd\ufffd", "\ufeff",
    "\u200b", "\u200c", "\u200d", "\u2060", "\u2028", "\u2029", "\u00a0", "\u3000", "\u202f",
    "&amp;", "&amp;amp;", "&amp;amp;amp;", "&nbsp;", "&#10;", "&#13;", "&#0;", "&#1;", "&#x80;",
    "&#133;", "&#xD800;", "&#55296;", "&#65533;", "&eacute;", "&#8217;", "&lt;", "<", "&",
    "Ã", "Â", "â€", "â€™", "Ã©", "Ã\u00a0", "Ð", "Ñ", "ï»¿", "Ã¢â‚¬â„¢", "Г©", "√©", "–ü",
    "é", "’", "“", "”", "—", "…", "€", "™", "ﬁ", "Е\u0301", "e\u0301",
]
_TEXT_PIECE = st.one_of(
    st.text(max_size=8),  # any code point hypothesis likes, surrogates aside
    st.text(alphabet=st.characters(codec="latin-1"), max_size=8),  # C1 and Latin-1: mojibake stuff
    st.text(alphabet=st.characters(categories=["Cc", "Cs", "Zs", "Zl", "Zp", "Cf"]), max_size=4),
    st.sampled_from(SPECIAL),
)
any_text = st.lists(_TEXT_PIECE, max_size=12).map("".join)

# Natural text in many scripts, which repair must leave exactly as it is.
WORDS = (
    "the mayor said on Tuesday that city council budget 2019 it’s don’t "
    "café naïve Zürich Grüße München Société Générale résultats L’école l’été qu’à Œuvre cœur "
    "São ação coração Łódź Kraków wiadomości İstanbul’da şiddetli yağış niño España Ålborg "
    "Tiếng Việt Ελληνικά νέα Αθήνα Привет мир Правительство объявило Київ України Ёлка № "
    "مرحبا بالعالم می\u200cخواهم کتاب\u200cها हिंदी समाचार नई दिल्ली שלום עולם "
    "日本語 ニュース 東京 市议会 星期二 한국어 뉴스 €100 £5 ¥300 20°C ±3 © ® ™ 😀 👍🏽 🇺🇸 👩\u200d👩\u200d👧"
).split()
_WRAP = ["{}", "“{}”", "«{}»", "‘{}’", "„{}“", "« {} »", "「{}」", "({})", "¿{}?", "{}…", "{}，", "{}。"]
_SEPARATOR = [" ", " ", " ", ", ", ". ", " — ", " – ", ": ", "; ", "\u00a0", "\u3000"]
natural_line = st.lists(
    st.tuples(st.sampled_from(WORDS), st.sampled_from(_WRAP), st.sampled_from(_SEPARATOR)),
    min_size=1, max_size=10,
).map(lambda parts: "".join(wrap.format(word) + sep for word, wrap, sep in parts).strip())




# Words with a letter beyond ASCII, for each code page in which UTF-8 is commonly mis-read.
_EVERY_SCRIPT = (
    "café naïve Zürich Grüße Société São coração Łódź İstanbul’da Ålborg "
    "Привет Київ Ελληνικά مرحبا 日本語 한국어"
)
_MOJIBAKE_WORDS = {
    "cp1252": _EVERY_SCRIPT,
    "latin-1": _EVERY_SCRIPT,
    "cp1251": "Привет мир Правительство объявило Київ України café Zürich Société São Ελληνικά مرحبا",
    "mac_roman": "café naïve Zürich Grüße Société São coração Привет мир Правительство Київ",
}
_PLAIN_WORDS = "the mayor said on Tuesday that city council budget 2019".split()
_MOJIBAKE_SEPARATOR = [" ", " ", ", ", " “", "” ", " — ", "… ", ". "]


@st.composite
def mojibake_case(draw):
    codec = draw(st.sampled_from(sorted(_MOJIBAKE_WORDS)))
    words = [draw(st.sampled_from(_MOJIBAKE_WORDS[codec].split()))]  # at least one non-ASCII word
    more = st.sampled_from(_MOJIBAKE_WORDS[codec].split() + _PLAIN_WORDS)
    words = draw(st.permutations(words + draw(st.lists(more, max_size=6))))
    seps = draw(st.lists(
        st.sampled_from(_MOJIBAKE_SEPARATOR), min_size=len(words), max_size=len(words)
    ))
    good = "".join(word + sep for word, sep in zip(words, seps)).strip()
    return good, codec, draw(st.integers(1, 2))


# --- checks -----------------------------------------------------------------------------------

def bad_characters(text: str, allowed: str = "") -> list[str]:
    """C0/C1 control characters (but those in `allowed`) and surrogates found in `text`."""
    return [c for c in text if unicodedata.category(c) in ("Cc", "Cs") and c not in allowed]


def pipeline_line(line: str) -> str:
    """What transforms.document does to each line before the rules look at it."""
    return normalize_line(repair(line))


def pipeline_text(text: str) -> str:
    """transforms.document without rules: split, repair and normalise each line, join."""
    return join_paragraphs(pipeline_line(line) for line in split_lines(text))


def paragraphs(text: str) -> str:
    return join_paragraphs(split_lines(text))


# --- repair -----------------------------------------------------------------------------------

@PROFILE
@given(any_text)
def test_repair_output_is_clean_and_stable(text):
    """Never raises; only "\\n" of all controls; no surrogate, no U+FFFD; lines kept; idempotent."""
    out = repair(text)
    assert bad_characters(out, allowed="\n") == []
    assert "\ufffd" not in out
    assert out.count("\n") == text.count("\n")
    assert repair(out) == out


@PROFILE
@given(natural_line)
def test_repair_leaves_good_text_alone(line):
    """Text that needs no repair, in any script, comes out exactly as it went in."""
    assert repair(line) == line


@PROFILE
@given(mojibake_case())
def test_repair_undoes_utf8_misread_as_a_code_page(case):
    """UTF-8 read as cp1252, latin-1, cp1251 or MacRoman, once or twice, comes back whole."""
    good, codec, times = case
    broken = misdecode(good, codec, times)
    assert repair(broken) == good, (codec, times, broken)


@PROFILE
@given(
    st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E, exclude_characters="&"))
)
def test_ftfy_leaves_plain_ascii_alone(text):
    """The premise of repair's shortcut: ftfy never changes printable ASCII without '&'."""
    assert ftfy.fix_text(text, CONFIG) == text
    assert repair(text) == text


# --- whitespace -------------------------------------------------------------------------------

@PROFILE
@given(any_text)
def test_normalize_line_output_is_clean_and_stable(text):
    """No control character at all (no tab, no newline), no surrogate, no edge or double space."""
    out = normalize_line(text)
    assert bad_characters(out) == []
    assert out == out.strip() and "  " not in out
    assert not re.search(r"[\u00a0\u2028\u2029\u3000\u200b\ufeff]", out)
    assert normalize_line(out) == out


@PROFILE
@given(any_text)
def test_join_paragraphs_output_is_clean_and_stable(text):
    """Lines joined: only "\\n" of all controls, no blank edges, one blank line at most."""
    out = paragraphs(text)
    assert bad_characters(out, allowed="\n") == []
    assert out == out.strip("\n") and "\n\n\n" not in out
    assert paragraphs(out) == out


@PROFILE
@given(natural_line, natural_line)
def test_whitespace_keeps_good_normalised_text(first, second):
    """Lines that are already normalised pass through normalize_line and join_paragraphs as is."""
    first, second = normalize_line(first), normalize_line(second)
    assert normalize_line(first) == first
    assert join_paragraphs([first, "", "", second]) == "\n\n".join(x for x in (first, second) if x)


# --- the composition the pipeline applies ---------------------------------------------------

@PROFILE
@given(any_text)
def test_repair_then_normalize_is_clean_and_stable(text):
    """line -> normalize_line(repair(line)), on each line as split_lines gives it."""
    for line in split_lines(text):
        out = pipeline_line(line)
        assert bad_characters(out) == [] and "\ufffd" not in out
        assert pipeline_line(out) == out


@PROFILE
@given(any_text)
def test_pipeline_text_is_stable(text):
    """Split, repair and normalise each line, join: clean(clean(x)) == clean(x), rules aside."""
    out = pipeline_text(text)
    assert bad_characters(out, allowed="\n") == []
    assert pipeline_text(out) == out


@PROFILE
@given(natural_line)
def test_pipeline_keeps_good_text(line):
    """Good text loses nothing but the white space normalize_line folds."""
    assert pipeline_line(line) == normalize_line(line)
