"""Matching a line made of a notice's fixed sentences run together.

A notice served in place of an article (a bot check, an error page: `transforms/rules/errors.toml`)
is a template of fixed sentences, and a scraper saves it one sentence per line, or as one line, or
anything between. So a rule for such a notice does not list its lines: it lists its sentences, and
a line matches when it is made of them, one after another, holding at least one of the rule's own
("Access denied Error code 1020 You do not have access to example.com. ..."). Generic sentences of
the template ("Why did this happen?", "Access denied") may stand in the run, never make one alone.

One regex cannot do this safely. The same text can often be read as two different sentences
("Error 503" is both a status line and a companion "Error <number>"), and a regex that fails on
a long line tries every way of splitting it: 2^n for n sentences. `SentenceRun` walks the line
instead, position by position, trying each sentence's regex where the previous one ended and
remembering the positions it has reached, so each position is tried once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# What may stand between two sentences of a notice saved as one line.
RUN_SEPARATOR = re.compile(r"\s*(?:[|•·–—-]\s*)?")
# A sentence ends at the end of the line or before white space or a separator: a sentence whose
# last word is open ("accessing \S+?") then takes the whole word, not one letter of it.
_SENTENCE_END = r"(?=$|[\s|•·–—-])"


def alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a regex: 'a|(b|c)|[|]' -> ['a', '(b|c)', '[|]']."""
    parts, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 1
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            i += pattern[i + 1:i + 2] == "^"
            i += pattern[i + 1:i + 2] == "]"  # a ']' first in a class is a literal
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    return [part for part in [*parts, pattern[start:]] if part]


class SentenceRun:
    """A whole-line matcher, used where a rule's compiled regex would be (`fullmatch`): the line
    is a run of `own` and `others` sentences (regexes) holding at least one of `own`."""

    def __init__(self, own: Iterable[str], others: Iterable[str], flags: int) -> None:
        own = list(dict.fromkeys(own))
        others = [alt for alt in dict.fromkeys(others) if alt not in own]
        # What it matches, as re.Pattern's attributes describe a regex (flows/state.py keys on them).
        self.pattern, self.flags = "|".join(own) + " || " + "|".join(others), flags
        self._own = [_compiled(alt, flags) for alt in own]
        self._others = [_compiled(alt, flags) for alt in others]

    def fullmatch(self, line: str) -> bool | None:
        """True when `line` is such a run (None when it is not, as re's fullmatch)."""
        todo, seen = [(0, False)], {(0, False)}
        while todo:
            position, has_own = todo.pop()
            for is_own, sentences in ((True, self._own), (False, self._others)):
                for sentence in sentences:
                    found = sentence.match(line, position)
                    if found is None or found.end() == position:
                        continue
                    state = (RUN_SEPARATOR.match(line, found.end()).end(), has_own or is_own)
                    if state[0] == len(line) and state[1]:
                        return True
                    if state not in seen:
                        seen.add(state)
                        todo.append(state)
        return None


_COMPILED: dict[tuple[str, int], re.Pattern[str]] = {}


def _compiled(sentence: str, flags: int) -> re.Pattern[str]:
    """One sentence's regex, ending at a sentence end; shared by the rules of a pack."""
    key = (sentence, flags)
    if key not in _COMPILED:
        _COMPILED[key] = re.compile(f"(?:{sentence}){_SENTENCE_END}", flags)
    return _COMPILED[key]
