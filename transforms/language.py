"""Language identification with langdetect, seeded so that it is deterministic.

langdetect samples n-grams at random; without a fixed seed the same text can get different
answers on different runs. We keep our own `DetectorFactory` (loaded once per process, about
half a second) with a fixed seed instead of touching langdetect's module-level global.

Codes are ISO 639-1 ("en", "ar"); langdetect's "zh-cn" and "zh-tw" both become "zh". Text with
fewer than `MIN_LETTERS` letters gets "und" (undetermined) and score 0.0: langdetect raises on
text without letters and guesses wildly on a handful of them.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

SEED = 0
MIN_LETTERS = 20
UNDETERMINED = "und"

_factory: DetectorFactory | None = None
_lock = threading.Lock()


def _code(langdetect_code: str) -> str:
    return langdetect_code.split("-")[0]


# Every code this module can return: the suites check `language` against this set.
LANGUAGES = frozenset({_code(p.name) for p in Path(PROFILES_DIRECTORY).iterdir()} | {UNDETERMINED})


@dataclass(frozen=True)
class Language:
    code: str
    score: float  # probability of `code` in [0, 1]; 0.0 for "und"


def _get_factory() -> DetectorFactory:
    global _factory
    with _lock:
        if _factory is None:
            factory = DetectorFactory()
            factory.load_profile(PROFILES_DIRECTORY)
            factory.seed = SEED
            _factory = factory
        return _factory


def detect_language(text: str) -> Language:
    """The most probable language of `text` and its probability, or "und"."""
    if sum(ch.isalpha() for ch in text) < MIN_LETTERS:
        return Language(UNDETERMINED, 0.0)
    detector = _get_factory().create()
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
