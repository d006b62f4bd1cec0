"""A quick, exact pre-check for rules: the literal words a regex cannot match without.

Most lines of an article are not furniture, yet every rule's regex would scan every one of them,
trying each position in turn; that scanning was most of the cleaning time. But most rules name
words ("advertisement", "share", "© ") that any match must contain. `needles` reads them out of
the regex's parse tree, and a rule is tried on a line only when one of its needles occurs in it.

The check can only let a line through that the regex then rejects, never stop a line the regex
would match: needles are literal text every line the regex matches contains (in the match, or in
a positive lookahead or lookbehind, which look at the same line), and lines and needles are compared
through `fold`, which maps two characters to the same one whenever Python's case-insensitive
matching treats them as equal. A rule with no usable needle is always tried.
(tests/test_boilerplate.py checks that rule sets with and without the pre-check agree.)
"""

from __future__ import annotations

import _sre
import re
import re._parser as sre_parse
from re._casefix import _EXTRA_CASES

MIN_NEEDLE = 3  # shorter literals ("a", ": ") occur in nearly every line and filter nothing
# A rule that lists a notice's sentences has a needle per sentence; they are filed by trigram, so
# many cost little, while a rule without needles is tried on every line.
MAX_NEEDLES = 256

_REPEATS = (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT, sre_parse.POSSESSIVE_REPEAT)
# Characters Python's re treats as the same letter beyond lower case ('i' and dotless 'ı', 's' and 'ſ').
_CANONICAL = {lo: min((lo, *others)) for lo, others in _EXTRA_CASES.items()}


class _Folded(dict):
    """`str.translate` table: each character to its case-insensitive representative, filled as met."""

    def __missing__(self, code: int) -> int:
        lower = _sre.unicode_tolower(code)  # the simple lower case re itself compares
        self[code] = _CANONICAL.get(lower, lower)
        return self[code]


_FOLDED = _Folded()


def fold(text: str) -> str:
    """`text` with every character replaced by the representative of its case-insensitive class.

    An ASCII character's representative is its lower case (the others in its class, such as the
    Kelvin sign or the long s, sort after it), so ASCII text folds by `str.lower`, much faster."""
    return text.lower() if text.isascii() else text.translate(_FOLDED)


def needles(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """Folded literals one of which every match of `pattern` contains, or None if none are known."""
    try:
        found = _required(sre_parse.parse(pattern, flags))
    except (re.error, RecursionError):
        return None
    if not found or min(map(len, found)) < MIN_NEEDLE or len(found) > MAX_NEEDLES:
        return None
    return frozenset(fold(n) for n in found)


def _required(parsed) -> set[str] | None:
    """The most selective set of literals of which one occurs in every match of `parsed`."""
    candidates: list[set[str]] = []
    run = ""
    for op, av in parsed:
        if op is sre_parse.LITERAL:
            run += chr(av)
            continue
        if run:
            candidates.append({run})
            run = ""
        found = _required_in(op, av)
        if found:
            candidates.append(found)
    if run:
        candidates.append({run})
    return max(candidates, key=lambda s: (min(map(len, s)), -len(s)), default=None)


def _required_in(op, av) -> set[str] | None:
    """Required literals of one element of a sequence: a group, an alternation, a repeat."""
    if op is sre_parse.SUBPATTERN:
        return _required(av[-1])
    if op is sre_parse.ATOMIC_GROUP:
        return _required(av)
    if op is sre_parse.ASSERT:  # (?=...), (?<=...): what they require is in the line, if not in the match
        return _required(av[1])
    if op in _REPEATS and av[0] >= 1:
        return _required(av[2])
    if op is sre_parse.BRANCH:
        branches = [_required(branch) for branch in av[1]]
        if all(branches):
            return set().union(*branches)
    return None  # a character class, an optional part, a lookaround: nothing certain
