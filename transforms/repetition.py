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
from collections import Counter
from collections.abc import Iterable

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
    """Counts, for each countable line, in how many documents it occurs."""

    def __init__(self) -> None:
        self.documents: Counter[int] = Counter()

    def add(self, lines: Iterable[str]) -> None:
        self.documents.update({line_key(line) for line in lines if countable(line)})

    def frequent(self, min_docs: int) -> frozenset[int]:
        return frozenset(key for key, count in self.documents.items() if count >= min_docs)
