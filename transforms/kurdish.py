"""Kurdish ("ku") by a letter-and-word rule, because langdetect has no Kurdish profile.

Without a profile, langdetect calls Sorani (Arabic script) Persian or Urdu and Kurmanji (Latin
script) Turkish, Indonesian or whatever shares its n-grams. Nothing may be downloaded at run time
and a profile built from a few pages would be too sparse to trust, so we use what the two
orthographies have that their neighbours lack:

- Sorani writes its vowels and its extra consonants with letters that Persian, Arabic and Urdu
  do not use: ە (e), ێ (ê), ۆ (o), ڕ (trilled r) and ڵ (velar l); and it starts every word
  that begins with a vowel with ئ, which Persian, Arabic and Urdu words never begin with. Most
  Sorani words carry one of these.
- Kurmanji (Hawar alphabet) writes ê, î and û, and leans on short function words (ji, li, bi,
  ku, ew, ev, xwe, ...); Turkish has neither ê nor those words, and writes ı ğ ö ü, which
  Kurmanji does not.

A word is *for* Kurdish when it has such a letter (or is such a word), and *against* when it has
a letter the Kurdish alphabet of its script lacks (Turkish ı ğ ö ü, French é à, Arabic ة ص ط,
Urdu ے ں ٹ, ...). Only the words of the text's main script count, so a Kurdish name in a Persian
article, or an English quote in a Kurmanji one, does not sway the answer: the text is Kurdish
when `for - against` is at least `MIN_SHARE` of those words.

Limits: Sorani typed with Persian letters (ه for ە, ی for ێ, ر for ڕ), as older sites do, and
Kurmanji typed without its circumflexes are only caught by the function words, so short
sentences of either are missed; Kurmanji in Cyrillic and Zazaki or Gorani are not recognised
(Zazaki uses the same letters and would be called Kurdish); the sub-dialect (ckb/kmr) is not
reported, since the project's codes are ISO 639-1.
"""

from __future__ import annotations

import re

CODE = "ku"
MIN_SHARE = 0.25

_SORANI_MARKERS = frozenset("ڕڵێۆە")
# The Sorani alphabet, plus the Arabic forms of ي ى ك that Kurdish keyboards often produce.
_SORANI_ALPHABET = frozenset("ئابپتجچحخدرڕزژسشعغفڤقکگلڵمنهھەوۆیێ" "يىك")
_KURMANJI_MARKERS = frozenset("êîû")
_KURMANJI_ALPHABET = frozenset("abcdefghijklmnopqrstuvwxyzçêîşû")
# Frequent Kurmanji words without ê/î/û that are rare in other Latin-script languages
# (so not "di", "de", "da", "ya", "ne", "em", "me", "min", "van", "her": common in Italian,
# Spanish, Swahili, Portuguese, Dutch or English).
_KURMANJI_WORDS = frozenset("ji li bi ku ew ev ye xwe hev nav ber bo kir dike dikin kirin heye hene wan wek gelek heta".split())

_WORD = re.compile(r"[^\W\d_]+")
_ZWNJ = "\u200c"


_ARABIC_WORD = re.compile("[\u0600-\u06ff]*")
_LATIN_WORD = re.compile("[\x00-\u024f\u1e00-\u1eff]*")


def _is_arabic(word: str) -> bool:
    """Every letter in the Arabic block."""
    return _ARABIC_WORD.fullmatch(word) is not None


def _is_latin(word: str) -> bool:
    """Every letter in the Latin blocks (basic to Extended-B, and Extended Additional)."""
    return _LATIN_WORD.fullmatch(word) is not None


def kurdish_evidence(text: str) -> tuple[float, float]:
    """(for, against): shares of the main script's words that point to and away from Kurdish.

    The main script is Arabic or Latin, whichever has more words; other scripts give (0.0, 0.0).
    """
    words = _WORD.findall(text.lower().replace(_ZWNJ, ""))  # ZWNJ sits inside Persian and Sorani words
    arabic = [w for w in words if _is_arabic(w)]
    latin = [w for w in words if _is_latin(w)]
    if not (arabic or latin) or len(arabic) + len(latin) <= len(words) / 2:
        return 0.0, 0.0
    if len(arabic) >= len(latin):
        main, alphabet = arabic, _SORANI_ALPHABET
        pro = sum(w[0] == "ئ" or not _SORANI_MARKERS.isdisjoint(w) for w in arabic)
    else:
        main, alphabet = latin, _KURMANJI_ALPHABET
        pro = sum(w in _KURMANJI_WORDS or not _KURMANJI_MARKERS.isdisjoint(w) for w in latin)
    con = sum(not alphabet.issuperset(w) for w in main)
    return pro / len(main), con / len(main)


# Every word *for* Kurdish holds one of these (a marker letter, a leading ئ, or is a function
# word), so their number bounds the words for it, found by one regex instead of a loop over words.
_MAY_BE_FOR = re.compile("ئ|[" + "".join(sorted(_SORANI_MARKERS | _KURMANJI_MARKERS)) + "]|(?<![^\\W\\d_])(?:"
                         + "|".join(sorted(_KURMANJI_WORDS)) + ")(?![^\\W\\d_])")


def _cannot_be_kurdish(lowered: str) -> bool:
    """True when too few words could count for Kurdish for `detect_kurdish` to say yes.

    It says yes only when for - against >= MIN_SHARE of the main script's words, and the main
    script holds more than a quarter of all words, so fewer than MIN_SHARE / 4 of all words for
    Kurdish is a no; most text has none at all, and is answered without counting its words.
    """
    could = len(_MAY_BE_FOR.findall(lowered))
    return could == 0 or could < MIN_SHARE / 4 * len(_WORD.findall(lowered))


def detect_kurdish(text: str) -> float | None:
    """The confidence that `text` is Kurdish, or None when the rule does not call it Kurdish.

    The confidence is the share of the telling words (for or against) that point to Kurdish: 1.0
    when no word contradicts, lower when some carry letters Kurdish does not write.
    """
    if _cannot_be_kurdish(text.lower().replace(_ZWNJ, "")):
        return None
    pro, con = kurdish_evidence(text)
    if pro - con < MIN_SHARE:
        return None
    return pro / (pro + con)
