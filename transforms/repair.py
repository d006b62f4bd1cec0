"""Encoding repair with ftfy, in one deliberate configuration.

What it changes (ftfy's defaults, kept on purpose):
- mojibake: UTF-8 text that was decoded as cp1252, latin-1, MacRoman, cp1251... ("Ã©" -> "é",
  "â€™" -> "’"), including partly lossy or inconsistent sequences;
- HTML entities ("&amp;", "&nbsp;") unless the line holds a literal "<" (then it is markup and
  entities are left as they are);
- C1 control characters read as their cp1252 meaning, terminal escapes and other control
  characters removed, lone surrogates repaired, Latin ligatures ("ﬁ") split, NFC normalisation.

What it leaves alone (ftfy defaults switched off):
- curly quotes and apostrophes (`uncurl_quotes`): they are the text's own punctuation;
- full-width characters (`fix_character_width`): Chinese and Japanese text uses full-width
  punctuation ("，" "。") on purpose;
- line breaks (`fix_line_breaks`): the caller has already split the text into lines and counts
  them, so that every removal can be reported with its line number in the decoded document.
  Unicode line and paragraph separators inside a line are turned into spaces later, by
  `transforms.whitespace`.

ftfy works line by line internally, so repairing a whole document at once gives the same result
as repairing each line. The line count never changes: a line break that repair itself creates
(an entity such as "&#10;" unescaped) becomes a space.
"""

from __future__ import annotations

import re

import ftfy

CONFIG = ftfy.TextFixerConfig(
    uncurl_quotes=False,
    fix_character_width=False,
    fix_line_breaks=False,
    explain=False,
)


_NEW_BREAK = re.compile(r"[\r\n]")

# Sequences that only mojibake produces ("â€" is the start of a UTF-8 curly quote read as cp1252,
# "Ã©" an "é", "Ð¾" a Cyrillic "о"). If any survives repair, the damage could not be undone:
# such text is rejected rather than published. The documents suite checks the same patterns.
MOJIBAKE_PATTERNS = ("â€", r"Ã[\u0080-\u00bf]", r"Â[\u00a0-\u00bf]", r"Ð[\u0080-\u009f]", "ï»¿")
_MOJIBAKE = re.compile("|".join(MOJIBAKE_PATTERNS))


def find_mojibake(text: str) -> str | None:
    """The first mojibake sequence left in `text`, or None."""
    found = _MOJIBAKE.search(text)
    return found.group(0) if found else None


def repair(text: str) -> str:
    """Repair mojibake, entities and control characters in `text` (see module docstring)."""
    return "\n".join(_NEW_BREAK.sub(" ", ftfy.fix_text(line, CONFIG)) for line in text.split("\n"))
