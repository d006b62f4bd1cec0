"""Furniture told by a line's shape and its place in the document, not by its words.

Lists of links to other stories are made of headline-like lines: a few words, no full stop.
Lines are given as a list where None marks a line already removed and "" a blank line; both
are passed over. An end-of-article marker ("Related Topics", a comment section's header: rules
with `ends_article = true`) in the document's last part ends it: what follows goes. Two places
give lists of links away:
- right after a list header ("Related", "Read more", "More from CNN": rules with
  `opens_list = true`): the headline-like lines that follow, up to the next real sentence;
- the tail of a document: a run of at least `TAIL_RUN` headline-like lines after the last real
  sentence ("most read" boxes extracted after the article).

A headline at the top of the article, or a sub-heading followed by its paragraph, is a single
headline-like line among sentences, and is never taken. A single word opening the document
('Sports', 'Opinion') is a section label, not a headline, and is taken (`head_label`).

A line of twelve words or more with no punctuation at all, in which a run of words comes twice,
is the labels of a map or chart extracted once per rendering (`repeated_labels`).

A whole document can be furniture by shape too: a listing page whose paragraphs are teasers cut
off by an ellipsis (`teaser_list`) is rejected rather than published as an article.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import islice, takewhile

TAIL_RUN = 3
# An end-of-article marker counts only in the last part of the document: the share of its
# non-blank lines that may follow the marker. A marker higher up is more likely a stray label.
END_MARKER_MAX_SHARE = 0.4
# A line of a closing link box: a headline, or a one-sentence teaser; an article paragraph is longer.
TAIL_ITEM_WORDS = 20
_SENTENCE_END_MARKS = frozenset(".!?…。！？؟")
_CLOSERS = "\"'”’»)]"  # quotes and brackets that may follow the end mark
_WORD = re.compile(r"\w+")


def words(line: str, at_most: int | None = None) -> int:
    """Words in `line`; given `at_most`, counting stops there. The callers only compare with small
    bounds, and a 100 MB line must not become a list of 17 million words (1.3 GB) to be measured."""
    found = _WORD.finditer(line)
    return sum(1 for _ in (found if at_most is None else islice(found, at_most)))


def is_sentence(line: str) -> bool:
    """A full sentence: six words or more, ending as sentences end."""
    return ends_as_sentence(line) and words(line, 6) >= 6


def ends_as_sentence(line: str) -> bool:
    """An end mark, then only closing quotes and brackets. Read from the end, not by a regex
    search, which tries every position of the line: the repetition pass asks this of every line."""
    end = len(line)
    while end and line[end - 1] in _CLOSERS:
        end -= 1
    return end > 0 and line[end - 1] in _SENTENCE_END_MARKS


# A listing page of teasers: most paragraphs cut off mid-sentence by an ellipsis glued to the last
# word ("... the main event, was a 10-round..."). An article trails off like that once or twice
# at most; a quote that trails off ("I don't know ...") has a space before the dots and is not counted.
TEASER_MIN_PARAGRAPHS = 3
TEASER_SHARE = 0.75
_TRUNCATED = re.compile(r"\w[\"'”’]?(?:\.\.\.|…)$")
_LABEL_VALUE = re.compile(r"[^:]{1,30}:\s+\S")


def headline_like(line: str) -> bool:
    """Two to twenty words without a closing full stop: a headline, a link, a label.

    "Label: value" lines ("Population: 5.4 million") are facts, not links, and are left out.
    """
    return 2 <= words(line, 21) <= 20 and not re.search(r"[.;:,]\W*$", line) and not _LABEL_VALUE.match(line)


def list_items(lines: Sequence[str | None], openers: set[int]) -> list[int]:
    """Indexes of headline-like lines that follow a list header, up to the next other line.

    A header in the document's last part (`END_MARKER_MAX_SHARE`) followed to the end only by
    short lines (at most `TAIL_ITEM_WORDS` words each) takes them all, sentences too: a closing
    'Additional resources' or 'Related' box lists its links as one-line teasers ("Read about the
    forty missions to Mars."), and no paragraph of the article follows it.
    """
    taken: list[int] = []
    filled = [i for i, line in enumerate(lines) if line]
    for start in sorted(openers):
        after = [i for i in filled if i > start]
        if (after and len(after) <= END_MARKER_MAX_SHARE * (len(filled) + 1)
                and all(words(lines[i], TAIL_ITEM_WORDS + 1) <= TAIL_ITEM_WORDS for i in after)):
            taken.extend(after)
            continue
        for index in range(start + 1, len(lines)):
            if index in openers:
                break
            if not lines[index]:
                continue
            if not headline_like(lines[index]) or is_sentence(lines[index]):
                break
            taken.append(index)
    return taken


def after_end_marker(lines: Sequence[str | None], markers: set[int]) -> list[int]:
    """Indexes of every line after the first end-of-article marker in the document's last part."""
    filled = [i for i, line in enumerate(lines) if line]
    for marker in sorted(markers):
        after = [i for i in filled if i > marker]
        if len(after) <= END_MARKER_MAX_SHARE * (len(filled) + 1):
            return after
    return []


def tail_links(lines: Sequence[str | None]) -> list[int]:
    """Indexes of a trailing run of headline-like lines after the document's last sentence."""
    run: list[int] = []
    for index in range(len(lines) - 1, -1, -1):
        line = lines[index]
        if not line:
            continue
        if headline_like(line) and not is_sentence(line):
            run.append(index)
            continue
        if not is_sentence(line):
            return []  # the tail is not a clean run of links: leave it
        return sorted(run) if len(run) >= TAIL_RUN else []
    return []  # no sentence at all: nothing to anchor the tail on


_LABEL_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)?")
# Scripts written without spaces between words: there one "word" can be a whole headline.
_UNSPACED = re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def head_label(lines: Sequence[str | None]) -> list[int]:
    """The indexes of section labels opening the document: single words ('Sports', 'Opinion',
    'Weihnachten'; a breadcrumb puts several on lines of their own) as its first lines, with a
    paragraph (a sentence, or twelve words or more) below them. Headlines have more words. The
    whole run goes at once, so cleaning the cleaned text again finds no new first label."""
    filled = [i for i, line in enumerate(lines) if line]
    run = list(takewhile(lambda i: _is_label(lines[i]), filled))
    below = filled[len(run):]
    return run if run and any(is_sentence(lines[i]) or words(lines[i], 12) >= 12 for i in below) else []


def _is_label(line: str) -> bool:
    line = line.strip()
    return len(line) <= 30 and _LABEL_WORD.fullmatch(line) is not None and not _UNSPACED.search(line)


_ANY_END = re.compile(r"[.!?…。！？؟:;,][\"'”’»)\]]*$")
TAIL_TITLE_WORDS = (3, 12)
TAIL_TITLE_MIN_SENTENCES = 3


def tail_title(lines: Sequence[str | None]) -> list[int]:
    """The index of a lone link title closing the document: a last line of three to twelve words that
    opens with a capital letter and ends without any punctuation, right after a sentence, in a
    document of at least three sentences. An article ends on a sentence; a 'next story' or
    'most read' link left after it does not. (A run of such titles is `tail_links`.)"""
    filled = [i for i, line in enumerate(lines) if line]
    if len(filled) < 2:
        return []
    last, before = lines[filled[-1]].strip(), lines[filled[-2]]
    low, high = TAIL_TITLE_WORDS
    if not (low <= words(last, high + 1) <= high) or _ANY_END.search(last) or not last[0].isupper():
        return []
    if not is_sentence(before) or sum(1 for i in filled if is_sentence(lines[i])) < TAIL_TITLE_MIN_SENTENCES:
        return []
    return [filled[-1]]


# Labels printed twice: a map's or chart's place names extracted once per rendering ("ITALY CROATIA
# Epicenter of quake Amatrice ... ITALY CROATIA Epicenter of quake Amatrice ..."). Prose repeats
# itself only with punctuation between (a refrain, a chant), and a shorter line is left alone.
REPEATED_LABEL_WORDS = 12
REPEATED_RUN = 4
_CLAUSE_MARK = re.compile(r"[.,;:!?。、，；：！？؟،]")


def repeated_labels(lines: Sequence[str | None]) -> list[int]:
    """Indexes of label lines: `REPEATED_LABEL_WORDS` words or more without a single mark of a
    sentence or a clause, in which a run of `REPEATED_RUN` words occurs twice. Only beside an
    article's sentences: a document that is nothing else (garbled bytes, a word list) is left
    whole, to be kept or rejected for what it is."""
    found = [i for i, line in enumerate(lines) if line and _labels_twice(line)]
    return found if found and any(line and is_sentence(line) for line in lines) else []


def _labels_twice(line: str) -> bool:
    if _CLAUSE_MARK.search(line) or words(line, REPEATED_LABEL_WORDS) < REPEATED_LABEL_WORDS:
        return False
    tokens = [w.casefold() for w in _WORD.findall(line)]
    runs = [tuple(tokens[i:i + REPEATED_RUN]) for i in range(len(tokens) - REPEATED_RUN + 1)]
    return len(set(runs)) < len(runs)


def teaser_list(text: str) -> bool:
    """True when `text` is a list of truncated teasers (an index page), not an article: at least
    `TEASER_MIN_PARAGRAPHS` paragraphs, and `TEASER_SHARE` of them end cut off by an ellipsis."""
    paragraphs = [p.rstrip() for p in text.split("\n") if p.strip()]
    if len(paragraphs) < TEASER_MIN_PARAGRAPHS:
        return False
    cut = sum(1 for p in paragraphs if _TRUNCATED.search(p))
    return cut >= TEASER_SHARE * len(paragraphs)
