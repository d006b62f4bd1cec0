"""transforms.document.clean_text: repair, normalise, de-furnish, audit, detect language."""

import pytest

from transforms.boilerplate import load_rules
from transforms.document import Removal, clean_text, notice_page

RULES = load_rules()

ARTICLE = [
    "The regional government approved a new flood defence plan on Monday after three wet winters.",
    "Engineers will raise the river walls by half a metre along the old town, officials said.",
    "Residents shared their own photos of the flooding, and a video of the rescue was watched a million times.",
    "The plan drew hundreds of comments during the public consultation, most of them supportive.",
    "Share prices of the two building firms that won the contract rose sharply on Tuesday.",
]

# (line number in DOC, original line, rule that must remove it)
FURNITURE = [
    (2, "  • 270p | 8.8MB", "video.size_menu"),
    (6, "Do you like this article?", "comments.feedback_prompt"),
    (8, "0 Comment(s)", "comments.count"),
    (10, "مشاركة :", "share.arabic_footer"),
    (13, "Connect with us", "navigation.follow_us"),
    (14, "Sitemap | Copyright © 2018-2019", "copyright.notice"),
    (15, "The code has been copied to your clipboard.", "share.copy_notice"),
]

DOC = "\n".join([
    ARTICLE[0],   # 1
    FURNITURE[0][1],  # 2
    ARTICLE[1],   # 3
    "",           # 4
    "",           # 5
    FURNITURE[1][1],  # 6
    ARTICLE[2],   # 7
    FURNITURE[2][1],  # 8
    ARTICLE[3],   # 9
    FURNITURE[3][1],  # 10
    "",           # 11
    ARTICLE[4],   # 12
    FURNITURE[4][1],  # 13
    FURNITURE[5][1],  # 14
    FURNITURE[6][1],  # 15
    "",           # 16
])


def test_article_sentences_kept():
    """Every article sentence, including ones about sharing, comments and video, survives."""
    lines = clean_text(DOC, RULES).text.split("\n")
    for sentence in ARTICLE:
        assert sentence in lines


def test_furniture_removed():
    """No furniture line (normalised or raw) is left in the clean text."""
    text = clean_text(DOC, RULES).text
    for _, line, _ in FURNITURE:
        assert line.strip() not in text


def test_removals_audited_with_line_numbers_raw_text_and_rule():
    """Each removal names its 1-based input line, the untouched original line and the rule."""
    removals = clean_text(DOC, RULES).removals
    assert removals == tuple(Removal(n, line, rule) for n, line, rule in FURNITURE)
    assert DOC.split("\n")[removals[0].line - 1] == "  • 270p | 8.8MB"


def test_paragraph_structure_survives():
    """Paragraph breaks survive as one blank line; removed lines leave no gaps of their own."""
    expected = "\n".join([ARTICLE[0], ARTICLE[1], "", ARTICLE[2], ARTICLE[3], "", ARTICLE[4]])
    assert clean_text(DOC, RULES).text == expected


def test_language_detected_on_clean_text():
    """The Arabic share footer must not sway the language of an English article."""
    result = clean_text(DOC, RULES)
    assert result.language == "en"
    assert 0.9 <= result.language_score <= 1.0


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_line_numbers_with_windows_and_mac_newlines(newline):
    """CRLF and CR files report the same line numbers as LF files."""
    result = clean_text(DOC.replace("\n", newline), RULES)
    assert [(r.line, r.text) for r in result.removals] == [(n, line) for n, line, _ in FURNITURE]


def test_repair_and_whitespace_happen_before_matching():
    """Mojibake, entities and odd spaces in furniture do not hide it from the rules."""
    doc = "\n".join([
        ARTICLE[0],
        "Â© 2019 Example News",                # mojibake copyright sign
        "\u00a0Share&nbsp;|&nbsp;Tweet\u200b",  # entities, NBSP and zero-width space
        "cafÃ© owners said the new walls would block the view of the river from their terraces.",
    ])
    result = clean_text(doc, RULES)
    assert [(r.line, r.rule) for r in result.removals] == [(2, "copyright.notice"), (3, "share.buttons")]
    assert result.removals[0].text == "Â© 2019 Example News"
    assert result.text.split("\n") == [
        ARTICLE[0],
        "café owners said the new walls would block the view of the river from their terraces.",
    ]


def test_nothing_left():
    """A page that is all furniture gives empty text and 'und', not an error."""
    result = clean_text("Share\n\nConnect with us\n", RULES)
    assert (result.text, result.language, result.language_score) == ("", "und", 0.0)
    assert [r.line for r in result.removals] == [1, 3]


BOT_CHECK = ("Checking your browser before accessing example.com.\n\n"
             "This process is automatic. Your browser will redirect to your requested content shortly.\n\n"
             "Why did this happen?\n\nNeed Help?\n")


def test_a_notice_served_in_place_of_the_article_outweighs_what_is_left():
    """The template's generic questions stay (no rule may take 'Why did this happen?' from a
    story), yet the page is named a notice page by the rules that took the rest."""
    result = clean_text(BOT_CHECK, RULES)
    assert result.text == "Why did this happen?\n\nNeed Help?"
    assert notice_page(result, RULES) == ("errors.bot_check",)


def test_an_article_with_an_embedded_notice_is_not_a_notice_page():
    """An embed's notice above a story is removed, but the story outweighs it: not rejected."""
    doc = "This video is unavailable.\n\n" + ARTICLE[0] + "\n\n" + ARTICLE[1] + "\n"
    result = clean_text(doc, RULES)
    assert [r.rule for r in result.removals] == ["errors.media_gone"]
    assert result.text == ARTICLE[0] + "\n\n" + ARTICLE[1]
    assert notice_page(result, RULES) == ()


def test_only_whole_notice_lines_count_towards_a_notice_page():
    """A notice outweighing the text counts only when rules marked `stands_in` took it: other
    furniture (a share bar) of the same length does not make a short text a notice page."""
    result = clean_text("Share on Facebook Share on Twitter Share via Email\n\nWhy did this happen?\n", RULES)
    assert result.text == "Why did this happen?"
    assert notice_page(result, RULES) == ()



def test_lines_that_talk_to_the_reader_weigh_with_a_notice():
    """A bot check's own wording varies by vendor; what is left of it still talks to the reader
    ("Please ...", "your browser"), and beside the notice such lines count with it. A story
    about the same notice reports, so it keeps its text."""
    page = ("Checking your browser before accessing example.com.\n\n"
            "Please stand by while our security partner inspects your connection to the newsroom.\n")
    story = ("Readers of the Daily Example saw this on Monday:\n\n"
             "Checking your browser before accessing example.com.\n\n"
             "The paper said a flood of automated requests had forced it to add the check, which it "
             "would remove once the attack was over, and apologised to readers for the delay.\n")
    assert notice_page(clean_text(page, RULES), RULES) == ("errors.bot_check",)
    assert notice_page(clean_text(story, RULES), RULES) == ()
