"""Language identification with langdetect, seeded so that it is deterministic, plus Kurdish.

langdetect samples n-grams at random; without a fixed seed the same text can get different
answers on different runs. We keep our own `DetectorFactory` (loaded once per process, about
half a second) with a fixed seed instead of touching langdetect's module-level global.

Codes are ISO 639-1 ("en", "ar"); langdetect's "zh-cn" and "zh-tw" both become "zh". Text with
fewer than `MIN_LETTERS` letters gets "und" (undetermined) and score 0.0: langdetect raises on
text without letters and guesses wildly on a handful of them. Letters are counted so that every
script gets a fair share (`count_letters`), otherwise short Hindi or Korean sentences come out "und".

What we add to langdetect, and why:
- Kurdish ("ku"), which langdetect has no profile for, comes from a letter rule that runs first
  (`transforms.kurdish`, where the rule and its limits are described).
- Korean is never written without Hangul, but langdetect's Korean profile holds the Han characters
  of old Korean texts and sometimes wins on Chinese; text without Hangul cannot be "ko".
- Long documents are read through a bounded sample (`sample_text`) spread over the whole text, so
  cost is bounded and the language of most of the document wins, not that of its first lines.
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

from transforms import kurdish

SEED = 0
MIN_LETTERS = 20
UNDETERMINED = "und"
# langdetect's answer settles within a few hundred letters; 5,000 characters (10 pieces of 500,
# about 80 words each) leave the answer of ordinary documents unchanged and cap the cost at a few
# milliseconds, whatever the length of the document (tests/test_language.py checks both).
SAMPLE_CHARS = 5000
SAMPLE_PIECES = 10

_factory: DetectorFactory | None = None
_lock = threading.Lock()


def _code(langdetect_code: str) -> str:
    return langdetect_code.split("-")[0]


# Every code this module can return: the suites check `language` against this set.
LANGUAGES = frozenset({_code(p.name) for p in Path(PROFILES_DIRECTORY).iterdir()} | {kurdish.CODE, UNDETERMINED})


@dataclass(frozen=True)
class Language:
    code: str
    score: float  # probability of `code` in [0, 1]; 0.0 for "und"; for "ku", see `kurdish.detect_kurdish`


def _get_factory() -> DetectorFactory:
    global _factory
    with _lock:
        if _factory is None:
            factory = DetectorFactory()
            factory.load_profile(PROFILES_DIRECTORY)
            factory.seed = SEED
            _factory = factory
        return _factory


def _is_hangul(ch: str) -> bool:
    return "\uac00" <= ch <= "\ud7a3" or "\u1100" <= ch <= "\u11ff" or "\u3130" <= ch <= "\u318f"


def _is_syllabic(ch: str) -> bool:
    """Kana and Han characters: each one writes a whole syllable (and Han a word or a morpheme)."""
    return "\u3040" <= ch <= "\u30ff" or "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or ch >= "\U00020000"


def count_letters(text: str) -> int:
    """Letters of `text`, counted so that each script's sounds weigh alike.

    `str.isalpha` alone shortchanges scripts that write vowels as combining signs (Devanagari
    and the other Indic scripts: "है" is two code points, one of them a sign of category Mc) and
    scripts that write a syllable per character. So: letters and combining signs count one each,
    a Hangul syllable counts its jamo (2 or 3), and a kana or Han character counts two.
    """
    count = 0
    for ch in text:
        category = unicodedata.category(ch)
        if category[0] == "L":
            if "\uac00" <= ch <= "\ud7a3":
                count += len(unicodedata.normalize("NFD", ch))
            else:
                count += 2 if _is_syllabic(ch) else 1
        elif category in ("Mn", "Mc"):
            count += 1
    return count


def sample_text(text: str) -> str:
    """At most about `SAMPLE_CHARS` characters of `text`, spread over all of it.

    Short texts are returned whole. Longer ones give `SAMPLE_PIECES` pieces taken at evenly spaced
    places, less the first and last word of each (which may be cut), so that the sample reflects
    the whole document: a long English preamble cannot outvote a longer French body, as it would
    if we read only the beginning.
    """
    if len(text) <= SAMPLE_CHARS:
        return text
    size, step = SAMPLE_CHARS // SAMPLE_PIECES, len(text) / SAMPLE_PIECES
    pieces = []
    for i in range(SAMPLE_PIECES):
        words = text[int(i * step):int(i * step) + size].split()
        pieces.append(" ".join(words[1:-1] if len(words) > 2 else words))
    return "\n".join(pieces)


def detect_language(text: str) -> Language:
    """The most probable language of `text` and its probability, or "und"."""
    text = sample_text(text)
    if count_letters(text) < MIN_LETTERS:
        return Language(UNDETERMINED, 0.0)
    kurdish_score = kurdish.detect_kurdish(text)
    if kurdish_score is not None:
        return Language(kurdish.CODE, round(kurdish_score, 6))
    factory = _get_factory()
    detector = factory.create()
    detector.set_max_text_length(len(text))  # read all of the sample (langdetect stops at 10,000)
    if not any(map(_is_hangul, text)):
        detector.set_prior_map({lang: 0.0 if lang == "ko" else 1.0 for lang in factory.langlist})
    detector.append(text)
    try:
        candidates = detector.get_probabilities()
    except LangDetectException:
        return Language(UNDETERMINED, 0.0)
    # Chinese arrives split over two profiles (zh-cn, zh-tw): their probabilities add up.
    totals: dict[str, float] = {}
    for cand in candidates:
        totals[_code(cand.lang)] = totals.get(_code(cand.lang), 0.0) + cand.prob
    if not totals:
        return Language(UNDETERMINED, 0.0)
    code = max(sorted(totals), key=totals.__getitem__)
    return Language(code, round(min(1.0, totals[code]), 6))
