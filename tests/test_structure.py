"""Shape, position and repetition: furniture told apart without naming its words."""

from __future__ import annotations

from pathlib import Path

import pyarrow.dataset as ds
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from flows.clean import main
from transforms.boilerplate import load_rules
from transforms.document import clean_text
from transforms.repetition import RepeatCounter, countable, line_key
from transforms.structure import (head_label, headline_like, is_sentence, list_items, repeated_labels, tail_links, tail_title,
                                  teaser_list)

RULES = load_rules()
BODY = [
    "The city council approved the budget on Tuesday after a long debate about housing.",
    "Opposition members said the plan did too little for renters in the poorest districts.",
]


def test_sentences_and_headlines_are_told_apart():
    """The two shapes the position rules rely on."""
    assert is_sentence(BODY[0]) and not headline_like("Council approves budget after long debate.")
    assert headline_like("Council approves budget after long debate") and not is_sentence("Council approves budget")


def test_items_after_a_list_header_go_up_to_the_next_sentence():
    """After 'Related', headline-like lines are links; the next real sentence ends the list."""
    lines = ["Related", "Mayor defends housing plan", "", "Bus fares to rise in April", BODY[0], "Short title here"]
    assert list_items(lines, {0}) == [1, 3]


def test_a_closing_box_after_a_late_list_header_takes_its_one_line_teasers():
    """A header in the last part followed only by short lines, sentences or not, is a link box."""
    teasers = ["See photos of every bridge the council has rebuilt.", "Follow the new tram line as it crosses the city."]
    lines = [*BODY, BODY[0], BODY[1], "Further reading", *teasers]
    assert list_items(lines, {4}) == [5, 6]
    # a long paragraph after the header means the article goes on: only the headline-like lines go
    assert list_items([*BODY, "Related", "Mayor defends housing plan", BODY[0] + " " + BODY[1]], {2}) == [3]
    # a header high up in the document is a stray label: the sentences below it stay
    assert list_items(["Related", *teasers, *BODY, *BODY, *BODY], {0}) == []


def test_a_one_word_section_label_opening_the_document_goes():
    """'Sports' above the article is a section label; a headline of several words is not."""
    assert head_label(["Sports", "", BODY[0], BODY[1]]) == [0]
    assert head_label(["Council approves budget", BODY[0]]) == []
    assert head_label(["Sports", "Scores"]) == []  # nothing below it is a paragraph
    assert head_label(["News", "", "Politics", BODY[0]]) == [0, 2]  # a breadcrumb goes whole
    assert head_label(["News", "Council approves budget", "Politics", BODY[0]]) == [0]
    assert head_label(["2024", BODY[0]]) == []
    assert head_label(["北京发布新的空气质量标准", "北京市政府周二发布了新的空气质量标准，要求各区在两年内达标。"]) == []  # a whole headline
    assert head_label(["東京で大雨警報", "気象庁は火曜日、東京都に大雨警報を出しました。"]) == []
    result = clean_text("\n".join(["Weather", "", *BODY]), RULES)
    assert result.text == "\n".join(BODY)
    assert [r.rule for r in result.removals] == ["structure.head_label"]


def test_a_lone_link_title_after_the_last_sentence_goes_but_not_a_closing_sentence():
    """One headline-like line closing an article of sentences is a 'next story' link."""
    article = [*BODY, BODY[0]]
    assert tail_title([*article, "", "Bus fares to rise across the region in April"]) == [4]
    assert tail_title([*article, "Bus fares will rise in April, the council said."]) == []
    assert tail_title([*article, "Bus fares to rise:"]) == []  # a label introducing something
    assert tail_title([*article, "Fares"]) == []  # too short to be a title
    assert tail_title([*BODY, "Bus fares to rise across the region in April"]) == []  # too little article
    assert tail_title([*article, "市议会周二批准了预算 住房 辩论"]) == []  # no capital letter: not a Latin title


def test_map_labels_printed_twice_go_but_prose_and_refrains_stay():
    """A long unpunctuated line that repeats a run of words is a map's labels, rendered twice."""
    labels = ("NORWAY SWEDEN Epicentre of the storm Bergen Oslo Areas of heavy rain North Sea "
              "50 miles NORWAY SWEDEN Epicentre of the storm Oslo Areas of heavy rain North Sea")
    assert repeated_labels([BODY[0], "", labels, BODY[1]]) == [2]
    result = clean_text("\n".join([BODY[0], "", labels, "", BODY[1]]), RULES)
    assert result.text == "\n\n".join(BODY[:2])
    assert [r.rule for r in result.removals] == ["structure.repeated_labels"]
    refrain = "We shall overcome, we shall overcome, we shall overcome some day, the marchers sang"
    headline = "PROTECTING OUR RIGHTS WILL MAKE THE CITY SAFE AGAIN SAYS THE MAYOR OF THE CITY"
    short = "Oslo Bergen North Sea Oslo Bergen North Sea"
    assert repeated_labels([refrain, headline, short, *BODY]) == []
    assert repeated_labels([labels]) == []  # nothing but labels: not cut down to an empty document


def test_a_trailing_run_of_headlines_is_a_link_box_but_a_subheading_is_not():
    """Three or more headline-like lines after the last sentence are links; one is not."""
    links = [*BODY, "Mayor defends housing plan", "Bus fares to rise in April", "Five things to know about the budget"]
    assert tail_links(links) == [2, 3, 4]
    assert tail_links([*BODY, "What happens next", BODY[0]]) == []
    assert tail_links([*BODY, "Mayor defends housing plan", "Bus fares to rise in April"]) == []
    assert tail_links(["A headline only", "Another headline only", "And a third one"]) == []


def test_a_related_header_takes_its_links_with_it_in_clean_text():
    """The header is removed by its rule, the links below by position, the article stays."""
    text = "\n".join([*BODY, "", "Related stories", "Mayor defends housing plan", "Bus fares to rise in April"])
    result = clean_text(text, RULES)
    assert result.text == "\n".join(BODY)
    assert [r.rule for r in result.removals] == ["navigation.related_header", "structure.list_items", "structure.list_items"]


def test_repetition_keys_fold_case_digits_and_punctuation_but_not_words():
    """'Page 1 of 3' and 'PAGE 2 OF 3!' are one line; different words are different lines."""
    assert line_key("Page 1 of 3") == line_key("PAGE 2 OF 3!") != line_key("Page 1 of 4 chapters")
    assert line_key("Tweet with a location") == line_key("tweet with a location")


def test_full_sentences_never_count_as_repetition():
    """Wire copy repeats whole sentences across outlets: those are news."""
    counter = RepeatCounter()
    for _ in range(10):
        counter.add([BODY[0], "Subscribe to the morning digest", ""])
    frequent = counter.frequent(5)
    assert not countable(BODY[0]) and line_key(BODY[0]) not in frequent
    assert line_key("Subscribe to the morning digest") in frequent


def test_inline_cuts_are_audited_with_their_offset():
    """A label glued to a kept line is cut, and removed_lines says what, where and by which rule."""
    result = clean_text("Story highlights The council approved the budget on Tuesday after a long debate.", RULES)
    assert result.text == "The council approved the budget on Tuesday after a long debate."
    (cut,) = result.removals
    assert (cut.line, cut.start, cut.whole_line, cut.text, cut.rule) == (1, 0, False, "Story highlights", "navigation.story_highlights")


def _read(dest: Path, name: str) -> list[dict]:
    return ds.dataset(dest / name, format="parquet", partitioning="hive").to_table().to_pylist()


def test_a_footer_repeated_across_batches_is_removed_and_the_threshold_is_a_parameter(tmp_path):
    """Counting spans the whole run (batches of 2 here); --repeat-min-docs 0 switches it off."""
    source = tmp_path / "raw"
    source.mkdir()
    for i, name in enumerate(["harbour", "school", "bridge", "market", "library", "stadium"]):
        (source / f"{i}.txt").write_text(f"The {name} story opens with a line of its own.\n{BODY[i % 2]}\n"
                                         "Example Gazette Group Ltd\n", encoding="utf-8")
    on, off = tmp_path / "on", tmp_path / "off"
    assert main(["--source", str(source), "--dest", str(on), "--batch-size", "2"]) == 0
    assert main(["--source", str(source), "--dest", str(off), "--repeat-min-docs", "0"]) == 0
    assert all("Example Gazette" not in d["text"] for d in _read(on, "documents"))
    assert sum(r["rule"] == "repetition.frequent_line" for r in _read(on, "removed_lines")) == 6
    assert all("Example Gazette" in d["text"] for d in _read(off, "documents"))
    assert all(BODY[i % 2] in d["text"] for i, d in enumerate(sorted(_read(on, "documents"), key=lambda d: d["source"])))


ARTICLE = BODY + [
    "The mayor said the first homes would be finished within two years of the vote.",
    "Builders welcomed the decision but warned that material costs were still rising fast.",
    "A group of tenants said they would keep campaigning for stronger rent controls.",
    "The plan will be reviewed by the regional government before it takes effect in June.",
]


def test_everything_after_an_end_of_article_marker_near_the_end_goes():
    """'Related Topics' closes the article: the topic links and the comments below it go."""
    tail = ["Related Topics", "Housing", "Local government", "Leave a Reply", "Great article, thanks for writing it."]
    result = clean_text("\n".join(ARTICLE + tail), RULES)
    assert result.text == "\n".join(ARTICLE)
    assert {r.rule for r in result.removals} == {"navigation.end_of_article", "structure.after_end"}


def test_links_left_at_the_end_by_an_end_marker_go_in_the_same_pass():
    """Removing what follows 'Related Topics' leaves the link run above it at the document's end:
    it goes now, not only when the cleaned text is cleaned again."""
    links = ["Mayor defends housing plan", "Bus fares to rise in April", "Five things to know about the budget"]
    once = clean_text("\n".join([*ARTICLE, *links, "Related Topics", "Housing"]), RULES)
    assert once.text == "\n".join(ARTICLE)
    assert clean_text(once.text, RULES).text == once.text


def test_an_end_marker_high_in_the_document_does_not_take_the_article():
    """A marker above the article's last part is removed alone; the article after it stays."""
    result = clean_text("\n".join(["Council approves the budget", "More on this story", *ARTICLE]), RULES)
    assert result.text == "\n".join(["Council approves the budget", *ARTICLE])


def test_a_comment_counter_between_paragraphs_never_ends_the_article():
    """Widgets put comment counters mid-article: only the counter goes."""
    result = clean_text("\n".join([*ARTICLE[:4], "0 Comment(s)", *ARTICLE[4:]]), RULES)
    assert result.text == "\n".join(ARTICLE)


def test_a_fact_box_closing_the_article_is_kept():
    """'Label: value' lines after the last sentence are facts of the article, not a link list."""
    facts = ["Norway in numbers", "Population: 5.4 million", "Capital: Oslo", "Currency: krone"]
    assert clean_text("\n".join(ARTICLE + facts), RULES).text == "\n".join(ARTICLE + facts)


def test_repeat_counter_counts_exactly_across_merges(monkeypatch):
    """The compact counter merges its arrays now and then; counts must come out exact anyway."""
    from collections import Counter
    import random
    monkeypatch.setattr(RepeatCounter, "MERGE_EVERY", 7)
    rng = random.Random(0)
    vocabulary = [f"Footer link number {i}" for i in range(40)]
    documents = [[rng.choice(vocabulary) for _ in range(rng.randrange(0, 12))] for _ in range(300)]
    counter, expected = RepeatCounter(), Counter()
    for lines in documents:
        counter.add(lines)
        expected.update({line_key(line) for line in lines})
    for line in vocabulary:
        assert counter.count(line) == expected[line_key(line)]
    assert counter.frequent(10) == frozenset(k for k, n in expected.items() if n >= 10)
    assert counter.count("never seen") == 0


TEASER = "Council Votes On Budget The council met on Tuesday to vote on a budget that the mayor said would..."


def test_a_page_of_truncated_teasers_is_a_teaser_list():
    """Three of four paragraphs (or more) cut off by an ellipsis glued to a word: a listing page."""
    assert teaser_list("\n\n".join([TEASER, TEASER.replace("Budget", "Buses"), TEASER.replace("Budget", "Parks…")[:-3] + "…"]))
    assert teaser_list("\n".join([TEASER, TEASER, TEASER, BODY[0]]))


def test_an_article_that_trails_off_is_not_a_teaser_list():
    """One cut-off paragraph, a quote trailing off after a space, or too few paragraphs: an article."""
    assert not teaser_list("\n\n".join([BODY[0], BODY[1], TEASER]))
    assert not teaser_list("\n\n".join([BODY[0], '"We waited and waited ..."', '"And then ..."', BODY[1]]))
    assert not teaser_list("\n\n".join([TEASER, TEASER]))
    assert not teaser_list("\n".join([TEASER, TEASER, BODY[0], BODY[1]]))


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab .!?…。！？؟\"'”’»)]x"), max_size=30) | st.text(max_size=30))
def test_is_sentence_ends_as_the_regex_says(line):
    """The end test read from the end agrees with the regex it replaced, on lines (no newline:
    the regex's `$` would also match before one)."""
    import re
    assume("\n" not in line)
    from transforms.structure import words
    assert is_sentence(line) == (words(line, 6) >= 6 and re.search(r"[.!?…。！？؟][\"'”’»)\]]*$", line) is not None)
