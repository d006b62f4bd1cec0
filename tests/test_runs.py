"""transforms/runs.py: lines made of a notice's sentences run together, and the notice rules built on them."""

import re

import pytest

from transforms.boilerplate import load_rules
from transforms.document import clean_text, companion_lines, notice_page
from transforms.runs import SentenceRun, alternatives

RULES = load_rules()


def test_alternatives_split_only_at_the_top_level():
    assert alternatives(r"a|(b|c)|[|]|\||x|[]|]") == ["a", "(b|c)", "[|]", r"\|", "x", "[]|]"]


def test_a_run_needs_one_of_the_rules_own_sentences():
    run = SentenceRun(["access to this site is blocked"], ["why\\?", "need help\\?"], re.IGNORECASE)
    assert run.fullmatch("Access to this site is blocked")
    assert run.fullmatch("Why? Access to this site is blocked | Need help?")
    assert not run.fullmatch("Why? Need help?")  # companions alone
    assert not run.fullmatch("Access to this site is blocked, the ministry said")


def test_an_open_sentence_end_takes_the_whole_word():
    """'accessing \\S+?' would stop after one letter; a sentence ends only at a space or the end."""
    run = SentenceRun([r"checking your browser before accessing \S{1,100}?\.?"], [], re.IGNORECASE)
    assert run.fullmatch("Checking your browser before accessing example.com.")


def test_a_line_that_is_almost_a_run_is_kept():
    """'Error 503' reads as two different sentences; a regex would try 2^60 splits before failing.
    (That it fails in time is checked with the other hostile lines in test_boilerplate.py.)"""
    line = "Error 503 " * 60 + "and the minister resigned"
    assert RULES.clean_line(line).text == line


@pytest.mark.parametrize("line, rule", [
    # sentences of two notices of the pack, saved as one line
    ("Error 404 - Page not found. Lo sentimos, la página que buscas no existe o ha sido eliminada.",
     "errors.page_missing_stock"),
    ("Access denied Error code 1020 You do not have access to www.example.com. The site owner may have set "
     "restrictions that prevent you from accessing the site.", "errors.bot_check"),
    ("Backend fetch failed Guru Meditation: XID: 45876321 Varnish cache server", "errors.server_error_page"),
])
def test_a_notice_saved_as_one_line_is_removed(line, rule):
    assert RULES.clean_line(line).text is None


@pytest.mark.parametrize("line", ["Why did this happen?", "Access denied", "Service Unavailable", "We'll be back soon!",
                                  "Password", "Continue", "AGREE"])
def test_a_companion_alone_is_never_furniture(line):
    assert RULES.clean_line(line).text == line


def test_a_consent_banners_buttons_left_alone_are_counted_with_it():
    """The banner's text goes; its buttons on their own lines stay, but beside that banner they
    are its leftovers, not an article (flows/batch.py rejects such a document)."""
    doc = ("Wir verwenden Cookies und ähnliche Technologien, um Ihnen ein optimales Nutzungserlebnis zu bieten.\n"
           "Einstellungen\nAblehnen\n")
    result = clean_text(doc, RULES)
    assert result.text == "Einstellungen\nAblehnen"
    assert companion_lines(result, RULES) == ["Einstellungen", "Ablehnen"]
    assert companion_lines(clean_text("Einstellungen\n\nAblehnen\n", RULES), RULES) == []  # no banner: kept


def test_a_bot_checks_generic_lines_weigh_with_it():
    doc = ("Sorry, you have been blocked\n\nWhy have I been blocked?\n\n"
           "What can I do to resolve this?\n\nThe Mayor's Diary\n")
    result = clean_text(doc, RULES)
    assert notice_page(result, RULES) == ("errors.bot_check",)


def test_every_notice_rule_has_needles():
    """A notice rule lists many sentences; without needles it would be walked on every line."""
    assert [r.name for r in RULES.rules if (r.stands_in or r.companions) and r.needles is None] == []
