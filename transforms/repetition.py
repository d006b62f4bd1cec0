"""Lines that recur across many documents of one run: site footers, widget text, "most read" boxes.

As in cc_net, each line is normalised (case folded, digits folded to 0, white space and
punctuation dropped) and hashed; a line whose hash occurs in at least `min_docs` documents of the
run is furniture, because an article's own lines do not repeat across many unrelated documents.
The exception is a full sentence (`transforms.structure.is_sentence`): wire copy repeats whole
sentences across outlets, and those are news.

Counting happens over the whole run before cleaning (`RepeatCounter`), so it works across
batches; the set of frequent hashes is then handed to every batch.
"""

from __future__ import annotations

import hashlib
import re
from array import array
from collections.abc import Iterable

import numpy as np

from transforms.structure import is_sentence

RULE = "repetition.frequent_line"
MAX_CHARS = 300  # longer lines are paragraphs, not furniture worth counting
_NOISE = re.compile(r"[\W_]+")
_DIGIT = re.compile(r"\d")


def line_key(line: str) -> int:
    """A stable 64-bit hash of the line's normalised form (Python's hash() changes per process)."""
    folded = _NOISE.sub("", _DIGIT.sub("0", line.casefold()))
    return int.from_bytes(hashlib.blake2b(folded.encode("utf-8"), digest_size=8).digest(), "big")


def countable(line: str) -> bool:
    """Only short lines that are not full sentences can be repetition furniture."""
    return bool(line) and len(line) <= MAX_CHARS and not is_sentence(line)


class RepeatCounter:
    """Counts, for each countable line, in how many documents it occurs.

    The counts live in two sorted numpy arrays (12 bytes a distinct line, where a dict would take
    ten times that), merged with the keys seen since every `MERGE_EVERY` keys, so that a run of
    millions of documents counts its lines in tens of megabytes.
    """

    MERGE_EVERY = 1 << 20

    def __init__(self) -> None:
        self._keys = np.empty(0, dtype=np.uint64)
        self._counts = np.empty(0, dtype=np.uint32)
        self._pending = array("Q")

    def add(self, lines: Iterable[str]) -> None:
        self._pending.extend({line_key(line) for line in lines if countable(line)})
        if len(self._pending) >= self.MERGE_EVERY:
            self._merge()

    def _merge(self) -> None:
        if not self._pending:
            return
        keys = np.concatenate([self._keys, np.frombuffer(self._pending, dtype=np.uint64)])
        counts = np.concatenate([self._counts, np.ones(len(self._pending), dtype=np.uint32)])
        order = np.argsort(keys, kind="stable")
        keys, counts = keys[order], counts[order]
        self._keys, starts = np.unique(keys, return_index=True)
        self._counts = np.add.reduceat(counts, starts).astype(np.uint32) if len(keys) else counts
        self._pending = array("Q")

    def count(self, line: str) -> int:
        """In how many documents `line` (or a line that folds like it) occurred."""
        self._merge()
        key = np.uint64(line_key(line))
        at = int(np.searchsorted(self._keys, key))
        return int(self._counts[at]) if at < len(self._keys) and self._keys[at] == key else 0

    def frequent(self, min_docs: int) -> frozenset[int]:
        self._merge()
        return frozenset(int(key) for key in self._keys[self._counts >= min_docs])

    def to_bytes(self) -> bytes:
        """The counts, for a later run to go on from (flows/state.py): keys then counts, raw."""
        self._merge()
        return len(self._keys).to_bytes(8, "little") + self._keys.tobytes() + self._counts.tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> "RepeatCounter":
        counter = cls()
        n = int.from_bytes(data[:8], "little")
        counter._keys = np.frombuffer(data, dtype=np.uint64, count=n, offset=8).copy()
        counter._counts = np.frombuffer(data, dtype=np.uint32, count=n, offset=8 + 8 * n).copy()
        return counter
