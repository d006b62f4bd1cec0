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

import functools
import json
import os
import re
import threading
import unicodedata
from array import array
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from langdetect.detector import Detector
from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.lang_detect_exception import LangDetectException
from langdetect.utils.ngram import NGram

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


class FastDetector(Detector):
    """langdetect's `Detector` with the same answers, computed faster.

    langdetect spends most of its time in three per-character Python loops (`append`,
    `cleaning_text`, `_extract_ngrams`), more than in the detection itself. Here they are
    regexes and a cached character normaliser that produce the very same text and n-gram list,
    so the seeded random trials that follow, and therefore the probabilities, are identical
    (tests/test_language.py compares them with langdetect's own `Detector` on many texts).
    """

    def __init__(self, factory: DetectorFactory) -> None:
        super().__init__(factory)
        self.profiles: _Profiles = factory.profiles

    _SPACES = re.compile(" {2,}")
    _LATIN = re.compile("[A-z]")  # langdetect's own test: 'A' <= ch <= 'z'
    _NON_LATIN = re.compile("[\u0300-\U0010ffff]")
    _LATIN_EXTENDED_ADDITIONAL = re.compile("[\u1e00-\u1eff]")

    def append(self, text: str) -> None:
        text = self.URL_RE.sub(" ", text)
        text = self.MAIL_RE.sub(" ", text)
        text = NGram.normalize_vi(text)
        self.text += self._SPACES.sub(" ", text[: self.max_text_length])

    def cleaning_text(self) -> None:
        latin = len(self._LATIN.findall(self.text))
        non_latin = len(self._NON_LATIN.findall(self.text)) - len(self._LATIN_EXTENDED_ADDITIONAL.findall(self.text))
        if latin * 2 < non_latin:
            self.text = self._LATIN.sub("", self.text)

    def _extract_ngrams(self) -> list[int]:
        # N-grams never span a space: langdetect's n-gram buffer restarts after each one. So the
        # n-grams of the text are those of its words in order, and a word's are cached. Each comes
        # as its row in the profile matrix, in the order langdetect would list the n-gram itself.
        words = self.text.translate(_NORMALIZED).split(" ")
        ngrams_of, result = _word_ngrams_in(self.word_lang_prob_map), []
        for word in words[:-1]:
            if word:
                result += ngrams_of(word, True)
        if words[-1]:
            result += ngrams_of(words[-1], False)
        return result

    # The random trials: the same float arithmetic as langdetect's loops over the 55 languages,
    # done by numpy on a row of the profile matrix (see `_Profiles`), element by element, so the
    # results are bit for bit the same. The sum stays a sequential Python sum, as in langdetect.
    # The n-grams drawn are row numbers of that matrix: `_extract_ngrams` keeps only known ones.
    def _init_probability(self) -> np.ndarray:
        return np.array(super()._init_probability(), dtype=np.float64)

    def _update_lang_prob(self, prob: np.ndarray, row: int, alpha: float) -> bool:
        prob *= self.profiles.factor(row, alpha / self.BASE_FREQ)
        return True

    def _normalize_prob(self, prob: np.ndarray) -> float:
        prob /= sum(prob.tolist())
        return max(0.0, float(prob.max()))


class _Normalized(dict):
    """`str.translate` table applying langdetect's `NGram.normalize`, filled as characters appear."""

    def __missing__(self, code: int) -> str:
        self[code] = NGram.normalize(chr(code))
        return self[code]


_NORMALIZED = _Normalized()


_WORD_CACHES: dict[int, object] = {}
# Words whose n-grams are remembered. News vocabulary is Zipfian: 20,000 words cover most running
# text, and the cache stays at a few megabytes, where 200,000 grew a worker by 200 MB over a run.
WORD_CACHE_SIZE = 20_000


def _word_ngrams_in(known: dict[str, int]):
    """`_word_ngrams` for one profile map (n-gram -> row), with its own cache of words."""
    cached = _WORD_CACHES.get(id(known))
    if cached is None:
        # The rows returned are the map's own int objects, so cached tuples hold pointers only.
        cached = _WORD_CACHES[id(known)] = functools.lru_cache(maxsize=WORD_CACHE_SIZE)(
            functools.partial(_word_ngrams, known=known))
    return cached


def _word_ngrams(word: str, then_space: bool, known: dict[str, int]) -> tuple[int, ...]:
    """The rows of the n-grams langdetect takes from one word (spaces already normalised away), as
    `NGram.add_char` builds them: its 1-, 2- and 3-grams with a space before the word and, when
    a space follows, after it; none while inside a run of capitals."""
    result = []
    grams, capital_word = " ", False
    for ch in word + " " if then_space else word:
        last = grams[-1]
        grams = (grams[1:] if len(grams) >= 3 else grams) + ch
        capital_word = ch.isupper() and (capital_word or last.isupper())
        if capital_word:
            continue
        if ch != " " and ch in known:
            result.append(known[ch])
        if grams[-2:] in known:
            result.append(known[grams[-2:]])
        if len(grams) == 3 and grams in known:
            result.append(known[grams])
    return tuple(result)


def _get_factory() -> DetectorFactory:
    global _factory
    with _lock:
        if _factory is None:
            _factory = _load_factory()
        return _factory


def _load_factory() -> DetectorFactory:
    """langdetect's profiles as `DetectorFactory.load_profile` reads them, into `_Profiles`.

    Same files in the same order, same probabilities (count / n-grams of that length), same
    language indexes; but no interim map of 87,000 lists of 55 Python floats, which took 60 MB
    and, freed, left the process that much bigger. The factory's map gives each n-gram its row
    number in `_Profiles`, numbered by falling total probability, so that the rows drawn most
    often are the dense ones.
    """
    files = os.listdir(PROFILES_DIRECTORY)
    rows: dict[str, int] = {}
    at_row, at_column, values = array("q"), array("q"), array("d")
    languages: list[str] = []
    for name in files:
        path = os.path.join(PROFILES_DIRECTORY, name)
        if name.startswith(".") or not os.path.isfile(path):
            continue
        with open(path, encoding="utf-8") as profile_file:
            profile = json.load(profile_file)
        column = len(languages)
        languages.append(profile["name"])
        for word, count in profile["freq"].items():
            row = rows.setdefault(word, len(rows))
            if 1 <= len(word) <= 3:
                at_row.append(row)
                at_column.append(column)
                values.append(1.0 * count / profile["n_words"][len(word) - 1])
    entries = (np.frombuffer(at_row, dtype=np.int64), np.frombuffer(at_column, dtype=np.int64), np.frombuffer(values))
    renumber, profiles = _Profiles.build(len(rows), len(files), *entries)
    factory = DetectorFactory()
    factory.langlist = languages
    factory.word_lang_prob_map = {word: renumber[row] for word, row in rows.items()}  # n-gram -> row
    factory.profiles = profiles
    factory.seed = SEED
    return factory


class _Profiles:
    """The profile matrix (n-gram x language -> probability), in 12 MB instead of 38.

    96% of its cells are 0: an n-gram occurs in few of the 55 languages. The `HOT_ROWS` rows
    with the largest total probability, which take about 97% of langdetect's draws on news text,
    are kept dense; the others only as their non-zero cells. `factor` gives, for either kind,
    the very floats the dense row gave: `base + 0.0` is `base`, and the other cells are the same
    `base + p` sums, so the probabilities stay bit for bit langdetect's.
    """

    HOT_ROWS = 20_000

    def __init__(self, hot: np.ndarray, starts: np.ndarray, columns: np.ndarray, values: np.ndarray) -> None:
        self.hot, self.starts, self.columns, self.values = hot, starts, columns, values
        self.n_hot, self.n_languages = hot.shape

    @classmethod
    def build(cls, n_rows: int, n_languages: int, rows: np.ndarray, columns: np.ndarray,
              values: np.ndarray) -> tuple[list[int], "_Profiles"]:
        """From the non-zero cells: (new row number of each old row, the profiles)."""
        by_total = np.argsort(-np.bincount(rows, weights=values, minlength=n_rows), kind="stable")
        renumber = np.empty(n_rows, dtype=np.int64)
        renumber[by_total] = np.arange(n_rows)
        rows = renumber[rows]
        n_hot = min(cls.HOT_ROWS, n_rows)
        hot = np.zeros((n_hot, n_languages), dtype=np.float64)
        is_hot = rows < n_hot
        hot[rows[is_hot], columns[is_hot]] = values[is_hot]
        cold = np.argsort(rows[~is_hot], kind="stable")
        cold_rows = rows[~is_hot][cold] - n_hot
        starts = np.concatenate([[0], np.cumsum(np.bincount(cold_rows, minlength=n_rows - n_hot))])
        profiles = cls(hot, starts, columns[~is_hot][cold].astype(np.intp), values[~is_hot][cold].copy())
        return renumber.tolist(), profiles

    def factor(self, row: int, base: float) -> np.ndarray:
        """`base` plus the row's probabilities, one per language: what a trial multiplies by."""
        if row < self.n_hot:
            return base + self.hot[row]
        start, end = self.starts[row - self.n_hot], self.starts[row - self.n_hot + 1]
        factor = np.full(self.n_languages, base)
        factor[self.columns[start:end]] += self.values[start:end]
        return factor

    def dense(self) -> np.ndarray:
        """The whole matrix, for tests."""
        cold = np.zeros((len(self.starts) - 1, self.n_languages))
        for row in range(len(self.starts) - 1):
            cold[row, self.columns[self.starts[row]:self.starts[row + 1]]] = self.values[self.starts[row]:self.starts[row + 1]]
        return np.vstack([self.hot, cold])


_HANGUL = re.compile("[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")


def _is_syllabic(ch: str) -> bool:
    """Kana and Han characters: each one writes a whole syllable (and Han a word or a morpheme)."""
    return "\u3040" <= ch <= "\u30ff" or "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or ch >= "\U00020000"


_ASCII_LETTERS = re.compile("[A-Za-z]")
_NON_ASCII = re.compile("[^\x00-\x7f]")


def count_letters(text: str) -> int:
    """Letters of `text`, counted so that each script's sounds weigh alike.

    `str.isalpha` alone shortchanges scripts that write vowels as combining signs (Devanagari
    and the other Indic scripts: "है" is two code points, one of them a sign of category Mc) and
    scripts that write a syllable per character. So: letters and combining signs count one each,
    a Hangul syllable counts its jamo (2 or 3), and a kana or Han character counts two.
    """
    return _count_letters(text)


def has_letters(text: str, at_least: int) -> bool:
    """count_letters(text) >= at_least, without counting a long text to its end."""
    if _ascii_letters(at_least).match(text):  # most text: that many ASCII letters, found early
        return True
    return _count_letters(text, at_least) >= at_least


@functools.lru_cache(maxsize=8)
def _ascii_letters(count: int) -> re.Pattern[str]:
    """Matches from the start up to the `count`-th ASCII letter: each counts one in count_letters."""
    return re.compile(rf"(?:[^A-Za-z]*[A-Za-z]){{{count}}}")


# Letters are counted a slice of text at a time: findall on a whole 100 MB line would build a list of
# 80 million one-letter strings (640 MB of pointers; for a non-Latin script, 100 million new
# strings, several GB), and has_letters would not stop early.
_COUNT_SLICE = 1 << 16


def _count_letters(text: str, enough: int | None = None) -> int:
    count = 0
    for start in range(0, len(text), _COUNT_SLICE):
        piece = text[start:start + _COUNT_SLICE]
        count += len(_ASCII_LETTERS.findall(piece))
        if enough is not None and count >= enough:
            return count
        for ch in _NON_ASCII.findall(piece):  # ASCII text, most of it, needs no Python loop
            category = unicodedata.category(ch)
            if category[0] == "L":
                if "\uac00" <= ch <= "\ud7a3":
                    count += len(unicodedata.normalize("NFD", ch))
                else:
                    count += 2 if _is_syllabic(ch) else 1
            elif category in ("Mn", "Mc"):
                count += 1
            if enough is not None and count >= enough:
                return count
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
    if not has_letters(text, MIN_LETTERS):
        return Language(UNDETERMINED, 0.0)
    kurdish_score = kurdish.detect_kurdish(text)
    if kurdish_score is not None:
        return Language(kurdish.CODE, round(kurdish_score, 6))
    factory = _get_factory()
    detector = FastDetector(factory)
    detector.set_max_text_length(len(text))  # read all of the sample (langdetect stops at 10,000)
    if not _HANGUL.search(text):
        detector.set_prior_map({lang: 0.0 if lang == "ko" else 1.0 for lang in factory.langlist})
    detector.append(text)
    try:
        candidates = detector.get_probabilities()
    except LangDetectException:
        return Language(UNDETERMINED, 0.0)
    # Chinese arrives split over two profiles (zh-cn, zh-tw): their probabilities add up.
    totals: dict[str, float] = {}
    for cand in candidates:
        totals[_code(cand.lang)] = totals.get(_code(cand.lang), 0.0) + float(cand.prob)
    if not totals:
        return Language(UNDETERMINED, 0.0)
    code = max(sorted(totals), key=totals.__getitem__)
    return Language(code, round(min(1.0, totals[code]), 6))
