r"""Encoding repair with ftfy, in one deliberate configuration, applied line by line.

What it changes (ftfy's defaults, kept on purpose):
- mojibake: UTF-8 text that was decoded as cp1252, latin-1, MacRoman, cp1251... ("Ã©" -> "é",
  "â€™" -> "’", "Ð¿Ñ€Ð¸" -> "при"), text mis-decoded twice over, and partly lossy or
  inconsistent sequences;
- HTML entities ("&amp;", "&nbsp;", "&#8217;", "&eacute;"; a double-escaped "&amp;amp;" becomes
  "&") unless the line holds a literal "<" (then it is markup and entities are left as they are);
- C1 control characters read as their cp1252 meaning, as browsers do ("\x92" -> "’"), terminal
  escapes and other control characters removed, surrogate pairs joined, Latin ligatures ("ﬁ")
  split, NFC normalisation.

What it leaves alone (ftfy defaults switched off):
- curly quotes and apostrophes (`uncurl_quotes`): they are the text's own punctuation;
- full-width characters (`fix_character_width`): Chinese and Japanese text uses full-width
  punctuation ("，" "。") on purpose;
- line breaks (`fix_line_breaks`): the caller has already split the text into lines and counts
  them, so that every removal can be reported with its line number in the decoded document.
  Unicode line and paragraph separators, no-break and ideographic spaces inside a line are folded
  later, by `transforms.whitespace`.
Good text (any script, in NFC, with its zero-width joiners and non-joiners, curly quotes, emoji)
comes out exactly as it went in.

What it adds to ftfy, so that its output is clean and stable:
- Mojibake that ftfy's heuristics let through: "Ã…lborg" (cp1252), "S√£o" (MacRoman), "ZГјrich"
  (cp1251 applied to Latin text), "–ü—Ä–∏–≤–µ—Ç" (MacRoman applied to Cyrillic), also twice over,
  and the same mix-up in code pages ftfy does not try (KOI8-R, Arabic, Greek and Hebrew Windows,
  DOS). A line is re-decoded only when the whole of it turns back into strict UTF-8 and the result
  reads as words, which natural text does not do (see `_REDECODE`).
- An "í" whose invisible second byte was lost ("antÃgeno"), in a line that is cp1252 mojibake
  elsewhere: the byte is put back before ftfy runs (`_restore_soft_hyphens`).
- Control characters: none survives except the "\n" between lines. The ones that are white
  space (tab, vertical tab, form feed, CR, U+001C-U+001F) become one space each: a tab is layout,
  not text, and `transforms.whitespace` folds it into a space anyway, so repair's output holds no
  tab either. The rest (NUL, bell, DEL, and the C1 codes U+0081, U+008D, U+008F, U+0090 and
  U+009D, which have no cp1252 meaning) are removed. A line break that repair itself creates
  (an entity such as "&#10;" unescaped) becomes a space, so the line count never changes.
- U+FFFD, the replacement character, is removed wherever it is, runs included, after ftfy has
  run: ftfy uses it as a clue to lossy mojibake (it collapses "â€\ufffd", a curly quote whose
  last byte was lost, into one U+FFFD), and puts it in itself for a lone surrogate or a "&#0;". It marks something already lost, so removing it loses
  nothing, and the evaluation's scorer ignores it as well; left in, it is debris in published
  text. It is removed rather than turned into a space because it most often stands for a lost
  letter or apostrophe inside a word ("caf\ufffd", "it\ufffds" -> "its"); between two words it
  leaves the spaces around it, which `transforms.whitespace` folds. No other character is ever
  removed for being next to one.
- Lone surrogates (from "surrogateescape" decoding or broken UTF-16) become U+FFFD in ftfy and are
  so removed; a proper pair becomes its character.
- Zero-width spaces and word joiners (U+200B, U+2060) are removed, as `transforms.whitespace`
  does: inserted inside a mojibake sequence they would hide it from ftfy until the next step
  removed them. Zero-width joiners and non-joiners (U+200D, U+200C) are kept: Persian and Indic
  scripts spell with them.
- Idempotence, of repair and of the pipeline's `normalize_line(repair(line))`: one ftfy pass can
  leave something a second pass would change (an entity that unescapes to a control character or
  to mojibake, a removed character that joins two halves of a sequence), so a line is repaired
  again until nothing changes (at most `_MAX_PASSES` times; real text settles in one or two).
  ftfy's verdict can also depend on white space ("Ã\xa0" is an "à", a no-break space makes a
  line impossible to re-encode), so the line is also tried with its white space folded as
  `normalize_line` will fold it; in the rare case ftfy would then repair more, repair returns that
  folded, repaired line.

`repair` splits its text on "\n" and repairs each line on its own (ftfy, too, works line by
line), so repairing a whole document gives the same result as repairing each of its lines.

Speed: ftfy is the hot path. A line of printable ASCII without "&", give or take curly quotes,
dashes and ellipses, has nothing ftfy could change (no entity, no mojibake, no control character,
already NFC), so it is returned as it is without calling ftfy (`_PLAIN`);
`tests/test_repair_whitespace.py` checks that shortcut against ftfy on many lines.
A line ftfy changes, or whose white space `normalize_line` would change, costs a second call.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

import ftfy

from transforms.whitespace import normalize_line

CONFIG = ftfy.TextFixerConfig(
    uncurl_quotes=False,
    fix_character_width=False,
    fix_line_breaks=False,
    explain=False,
)

# Repairs of one line until nothing changes; ftfy itself already loops, so two passes is normal.
_MAX_PASSES = 4

# White-space control characters (and the line breaks repair must not create) become a space;
# after ftfy, every other C0/C1 control character, lone surrogate, U+FFFD, zero-width space and word
# joiner is removed.
_CONTROL_SPACE = re.compile(r"[\t\n\x0b\x0c\r\x1c-\x1f]")
_CONTROL_DROP = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x9f\ud800-\udfff\ufffd\u200b\u2060]+")
# Printable ASCII without "&", and the typographic marks news is full of (‘ ’ “ ” – — …): ftfy
# would return such a line unchanged. No entity, control or ligature is in it, it is NFC, and no
# mojibake can hide in it: in cp1252, latin-1 and cp1251 these marks are bytes 0x85 and 0x91-0x97,
# which cannot start a UTF-8 sequence, and in Mac Roman bytes 0xC9-0xD5, which start one but
# cannot continue it, so no re-decoding of the line is valid UTF-8.
_PLAIN = re.compile(r"[\x20-\x25\x27-\x7e\u2018\u2019\u201c\u201d\u2013\u2014\u2026]*")

# Sequences that only mojibake produces ("â€" is the start of a UTF-8 curly quote read as cp1252,
# "Ã©" an "é", "Ð¾" a Cyrillic "о"). If any survives repair, the damage could not be undone:
# such text is rejected rather than published. The documents suite checks the same patterns.
MOJIBAKE_PATTERNS = ("â€", r"Ã[\u0080-\u00bf]", r"Â[\u00a0-\u00bf]", r"Ð[\u0080-\u009f]", "ï»¿")
_MOJIBAKE = re.compile("|".join(MOJIBAKE_PATTERNS))


def find_mojibake(text: str) -> str | None:
    """The first mojibake sequence left in `text`, or None."""
    found = _MOJIBAKE.search(text)
    return found.group(0) if found else None


# Scripts that share words: Japanese mixes kanji and kana.
_SCRIPT_GROUP = {"HIRAGANA": "CJK", "KATAKANA": "CJK", "KATAKANA-HIRAGANA": "CJK"}
_NOT_TEXT = frozenset(("Cc", "Cs", "Co", "Cn"))


def _plausible(text: str) -> bool:
    """Whether a re-decoded line reads as text: no control, private or unassigned character, no
    word mixing the letters of two scripts ("LՎcole"), and a word of two letters or more with a
    letter beyond ASCII in it (not a lone "ҩ" made of a quote and a symbol)."""
    previous = None  # the script of the letter before, within the current word
    run = 0  # letters in the current word
    worded = False  # the current word has a letter beyond ASCII
    found = False
    for char in text:
        category = unicodedata.category(char)
        if category in _NOT_TEXT:
            return False
        if category[0] == "L":
            script = unicodedata.name(char, "").split(" ", 1)[0]
            script = _SCRIPT_GROUP.get(script, script)
            if previous is not None and script != previous:
                return False
            previous = script
            run += 1
            worded = worded or char > "\x7f"
            found = found or (worded and run >= 2)
        elif category[0] != "M" and category != "Cf":  # marks and joiners stay inside a word
            previous, run, worded = None, 0, False
    return found


# UTF-8 read as a single-byte code page, in the cases ftfy's mojibake heuristics let through:
# "Ã…lborg", "S√£o", "ZГјrich" (cp1251 applied to Latin text), "–ü—Ä–∏" (MacRoman applied to
# Cyrillic), and the same encoded twice over. A line is re-decoded only when the whole of it
# re-encodes in the code page and then decodes as strict UTF-8, which natural text practically
# never does (an accented or Cyrillic letter followed by a letter is already invalid UTF-8), and
# when the result is `_plausible`: in MacRoman "’é" is valid UTF-8 for an Armenian letter, and
# "L’école" must not become "LՎcole".
# The same mix-up in the code pages of other scripts' Windows, DOS and Unix systems, which ftfy 6
# does not try: "п∙я│п╩п╦" (KOI8-R), "ط£ط¹ظ„" (Arabic Windows), "╨Я╤А╨░" (DOS Cyrillic), "Γ±"
# (Greek), "ֳ©" (Hebrew), "├®" (DOS Latin). They come last: "cafÃ©" is also valid cp850 ("cafǸ"),
# and the common mix-ups must win. A line is re-decoded before ftfy as well as after it, since ftfy
# would otherwise repair its curly quotes alone ("â€™" in "Lâ€™أ©cole") and leave a line that no
# longer re-encodes whole.
_OTHER_PAGES = ("koi8-r", "windows-1256", "windows-1253", "windows-1255", "cp866", "cp850", "mac_cyrillic")
_REDECODE = ("windows-1252", "latin-1", "windows-1251", "mac_roman", *_OTHER_PAGES)


def _c1_as_bytes(error: UnicodeEncodeError) -> tuple[bytes, int]:
    """Encode a C1 control character a code page leaves undefined as the byte of the same value,
    as Windows and browsers read such a byte (ftfy's "sloppy" code pages do the same)."""
    chars = error.object[error.start:error.end]
    if all("\x80" <= char <= "\x9f" for char in chars):
        return chars.encode("latin-1"), error.end
    raise error


codecs.register_error("transforms.c1_as_bytes", _c1_as_bytes)
_C1 = re.compile("[\x80-\x9f]")
# Each byte of a UTF-8 sequence (two to four, all above 0x7F) reads as a character beyond ASCII in
# every code page above: a line with no two such characters side by side cannot be mojibake.
_TWO_BEYOND_ASCII = re.compile("[^\x00-\x7f]{2}")

# "í" is "Ã" and a soft hyphen (0xAD) in cp1252 mojibake, and the soft hyphen, being invisible,
# is what copy-paste and HTML cleaners drop: "antÃgeno", "nÃveis". A lowercase letter right after
# "Ã" is that loss when the line shows the same mojibake elsewhere ("condiÃ§Ãµes"); the byte is put
# back so that ftfy decodes the whole line. Natural text has no "Ã" before a lowercase letter.
_LOST_SOFT_HYPHEN = re.compile(r"Ã(?=[a-z])")
_CP1252_EVIDENCE = re.compile(r"Ã[\u00a0-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u2122]")


def _redecode(line: str) -> str:
    """`line` as UTF-8 when it is, whole, UTF-8 mis-decoded in one of the `_REDECODE` code pages."""
    if line.isascii() or not _TWO_BEYOND_ASCII.search(line):
        return line
    errors = "transforms.c1_as_bytes" if _C1.search(line) else "strict"  # the handler is slow to call
    for codec in _REDECODE:
        try:
            decoded = line.encode(codec, errors).decode("utf-8")
        except UnicodeError:
            continue
        if _plausible(decoded):
            return decoded
    return line


def _restore_soft_hyphens(line: str) -> str:
    """`line` with the soft hyphens its "í"s lost put back, when it is cp1252 mojibake elsewhere."""
    if "Ã" in line and _LOST_SOFT_HYPHEN.search(line) and _CP1252_EVIDENCE.search(line):
        return _LOST_SOFT_HYPHEN.sub("Ã\u00ad", line)
    return line


def _fix_once(line: str) -> str:
    # Mojibake in a code page ftfy does not know is re-decoded before ftfy touches part of it.
    # White-space controls become spaces before ftfy (which would delete a vertical tab or a unit
    # separator and glue the words around it) and after it (an entity can unescape to one).
    line = _redecode(_restore_soft_hyphens(line))
    fixed = _redecode(ftfy.fix_text(_CONTROL_SPACE.sub(" ", line), CONFIG))
    return _CONTROL_DROP.sub("", _CONTROL_SPACE.sub(" ", fixed))


def _settle(line: str) -> str:
    """`_fix_once` until nothing changes (or `_MAX_PASSES` passes)."""
    for _ in range(_MAX_PASSES):
        fixed = _fix_once(line)
        if fixed == line:
            break
        line = fixed
    return line


def repair_line(line: str) -> str:
    """Repair one line (it holds no line feed, and neither does the result)."""
    if _PLAIN.fullmatch(line):
        return line
    fixed = _settle(line)
    folded = normalize_line(fixed)
    if folded == fixed or _PLAIN.fullmatch(folded) or _fix_once(folded) == folded:
        return fixed
    # Folding the white space (the pipeline's next step) would let ftfy repair more: return the
    # folded, settled form, so that repairing and folding again changes nothing.
    for _ in range(_MAX_PASSES):
        again = normalize_line(_settle(folded))
        if again == folded:
            break
        folded = again
    return folded


def repair(text: str) -> str:
    """Repair mojibake, entities and control characters in `text` (see module docstring)."""
    return "\n".join(repair_line(line) for line in text.split("\n"))
