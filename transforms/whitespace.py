"""White-space normalisation that keeps the document's paragraph structure.

- Within a line: every run of white space (tabs, no-break spaces, Unicode line and paragraph
  separators, ideographic spaces, and the control characters that are white space: vertical
  tab, form feed, CR, U+001C-U+001F, U+0085) becomes one ASCII space, and the line is stripped.
  This also removes the leading space Multi-News puts at the start of each line ("NEWLINE_CHAR
  Police said...").
- Zero-width spaces and stray byte-order marks are dropped; zero-width joiners and non-joiners
  are kept, because Persian, Kurdish and Indic scripts need them to spell words.
- Every other C0 or C1 control character (NUL, bell, escape, DEL, U+0080-U+009F but U+0085) and
  every lone surrogate is dropped, so a normalised line holds no control character at all, not
  even a tab.
  In the pipeline `transforms.repair` has already read C1 characters as cp1252 and joined
  surrogate pairs; here they are only noise.
- Between lines: a single newline stays a single newline, any run of blank lines becomes one
  blank line (a paragraph break), and blank lines at the start and the end are dropped.

normalize_line and join_paragraphs are idempotent, and text already normalised passes through
them unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Only white space that folding changes: a run of two or more, or a single character other than
# the ASCII space. A lone " " is left unmatched, so ordinary text makes no match at all between
# its words: re.sub builds a list of every piece between matches, which for a 100 MB line of
# prose was 17 million small strings and 1.5 GB of memory. The result is the same as
# replacing every run with one space.
_WHITE = r"[\s\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\x85]"
_SPACE = re.compile(rf"{_WHITE}{{2,}}|(?! ){_WHITE}")
_INVISIBLE = re.compile(r"[\u200b\u2060\ufeff\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\ud800-\udfff]+")
_NEWLINES = re.compile(r"\r\n?")
# A line that is already normal has no run of two spaces, no space at either end, and none of
# these: white space other than the ASCII space (every character `\s` matches, spelt out), nothing
# invisible, no control character. Most lines are; a substring test and one search tell, where the
# two substitutions below try every position. One character class, not an alternation: sre then
# scans without trying each branch at each position (4x faster on a paragraph). (A fullmatch of
# "words separated by single spaces" would tell too, but sre keeps a backtracking entry per word:
# 2.5 GB for a 100 MB line.)
_ABNORMAL = re.compile("[\x00-\x1f\x7f-\x9f\xa0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\u2060\ufeff"
                       "\ud800-\udfff]")


def split_lines(text: str) -> list[str]:
    """Split on LF, CRLF or CR: the line numbers a text editor would show."""
    return _NEWLINES.sub("\n", text).split("\n")


def normalize_line(line: str) -> str:
    """Drop invisible and control characters, fold all white space in `line` to single spaces
    and strip it."""
    if not line.startswith(" ") and not line.endswith(" ") and "  " not in line and not _ABNORMAL.search(line):
        return line
    return _SPACE.sub(" ", _INVISIBLE.sub("", line)).strip()


def join_paragraphs(lines: Iterable[str]) -> str:
    """Join lines, keeping single newlines and collapsing blank runs to one.

    Each line is normalised first (`normalize_line`); lines that already are, as
    `transforms.document` passes them, are unchanged by it. A line left empty is blank.
    """
    out: list[str] = []
    blank = False
    for raw in lines:
        line = normalize_line(raw)
        if not line:
            blank = bool(out)
            continue
        if blank:
            out.append("")
            blank = False
        out.append(line)
    return "\n".join(out)
