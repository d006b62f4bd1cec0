"""transforms.repair (ftfy in one configuration) and transforms.whitespace."""

import pytest

from transforms.repair import repair
from transforms.whitespace import join_paragraphs, normalize_line, split_lines

# --- repair -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "good, wrong_codec",
    [
        ("café", "cp1252"),
        ("The café’s owner said no.", "cp1252"),
        ("Привет, мир", "cp1252"),
        ("Правительство объявило о новых мерах", "latin-1"),
    ],
)
def test_repair_fixes_mojibake(good, wrong_codec):
    """UTF-8 read as a single-byte code page is the commonest corruption in scraped news."""
    broken = good.encode("utf-8").decode(wrong_codec)
    assert broken != good
    assert repair(broken) == good


def test_repair_unescapes_entities():
    """Leftover HTML entities are not text and must become the characters they stand for."""
    assert repair("Tom &amp; Jerry &eacute;t&eacute;") == "Tom & Jerry été"


@pytest.mark.parametrize("text", ["He said “not now” and left.", "It’s the mayor’s call."])
def test_repair_keeps_curly_quotes(text):
    """Curly quotes are the text's own punctuation; ftfy's uncurl_quotes must stay off."""
    assert repair(text) == text


def test_repair_keeps_full_width_cjk_punctuation():
    """Chinese uses full-width '，' and '。' on purpose; fix_character_width must stay off."""
    text = "市议会星期二投票，决定扩大公交网络。"
    assert repair(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "one\ntwo\n\nthree\n",
        "cafÃ©\n\n\nAnother line\r\nand a CRLF one\rand a CR one",
        "\n\n  leading blanks and a\u2028line separator\n",
        "C1 control \x85 here\nand\x0bthere\n",
    ],
)
def test_repair_keeps_newline_count(text):
    """Removals are reported by line number, so repair must never add or remove a line."""
    assert repair(text).count("\n") == text.count("\n")


def test_repair_keeps_newline_count_with_newline_entity():
    """An encoded newline entity must not become a new line and shift every later line number."""
    text = "First part&#10;second part"
    assert repair(text).count("\n") == text.count("\n")


# --- whitespace ---------------------------------------------------------------------------


def test_split_lines_handles_crlf_and_cr():
    """Windows and old Mac line endings count as one line break each, like an editor shows."""
    assert split_lines("a\r\nb\rc\nd") == ["a", "b", "c", "d"]
    assert split_lines("a\r\n\r\nb") == ["a", "", "b"]


def test_split_lines_does_not_split_on_unicode_separators():
    """U+2028 is folded inside a line later; splitting on it would shift line numbers."""
    assert split_lines("a\u2028b\x0cc") == ["a\u2028b\x0cc"]


@pytest.mark.parametrize(
    "raw",
    [
        " Police said the road was closed.",  # Multi-News leading space
        "Police\u00a0said the\troad was closed.",
        "Police said\u2028the road was closed.",
        "Police said the road\u3000was closed.",
        "\t Police  said \u00a0 the road was closed.\u00a0 ",
    ],
)
def test_normalize_line_folds_white_space(raw):
    """Every kind of space becomes one ASCII space, and lines are stripped."""
    assert normalize_line(raw) == "Police said the road was closed."


def test_normalize_line_drops_zero_width_space():
    """U+200B is invisible noise that splits words for every later tool."""
    assert normalize_line("news\u200bpaper") == "newspaper"


def test_normalize_line_keeps_zero_width_non_joiner():
    """U+200C is part of Persian spelling (می‌خواهم): removing it changes the word."""
    word = "می\u200cخواهم"
    assert normalize_line(f" {word} ") == word
    assert normalize_line("a\u200db") == "a\u200db"  # the joiner too


def test_join_paragraphs_collapses_blank_runs():
    """Paragraph breaks survive as exactly one blank line; single newlines stay single."""
    lines = ["", "", "First.", "Second.", "", "", "", "Third.", "", ""]
    assert join_paragraphs(lines) == "First.\nSecond.\n\nThird."


def test_join_paragraphs_empty():
    """A document with nothing left is the empty string, not stray newlines."""
    assert join_paragraphs(["", "", ""]) == ""
