"""Clean one batch of raw documents into rows of the three tables, and count what was done.

No Prefect and no I/O here: `flows/stage.py` calls `clean_batch`, then validates and writes the
result. Each document lands in exactly one of `documents` and `rejected`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import pyarrow as pa

from flows import tables
from flows.inputs import RawDocument
from transforms.boilerplate import RuleSet
from transforms.document import clean_text, companion_lines, notice_page
from transforms.language import has_letters
from transforms.repair import find_mojibake
from transforms.structure import teaser_list

# Fewer letters than this left after cleaning is a stray control label ("Yes", "OK", "Close"),
# not an article. Kept low on purpose: a one-word quote of a real text must survive.
MIN_ARTICLE_LETTERS = 6


@dataclass
class Counts:
    """What a batch (or a whole run) did; adds up across batches."""

    documents_in: int = 0
    clean: int = 0
    rejected: Counter = field(default_factory=Counter)  # by reason
    lines_removed: Counter = field(default_factory=Counter)  # by rule
    languages: Counter = field(default_factory=Counter)
    chars_raw: int = 0  # of the clean documents, before cleaning
    chars_clean: int = 0
    # Seconds spent in each stage, summed over batches (flows/stage.py measures them in the
    # worker): the benchmark reports validation and Parquet writing as a share of the run.
    seconds_clean: float = 0.0
    seconds_validate: float = 0.0
    seconds_write: float = 0.0

    def add(self, other: "Counts") -> None:
        self.documents_in += other.documents_in
        self.clean += other.clean
        self.rejected.update(other.rejected)
        self.lines_removed.update(other.lines_removed)
        self.languages.update(other.languages)
        self.chars_raw += other.chars_raw
        self.chars_clean += other.chars_clean
        self.seconds_clean += other.seconds_clean
        self.seconds_validate += other.seconds_validate
        self.seconds_write += other.seconds_write


@dataclass
class CleanBatch:
    tables: dict[str, pa.Table]
    counts: Counts


def clean_batch(docs: Sequence[RawDocument], rules: RuleSet, repeated: frozenset[int] = frozenset()) -> CleanBatch:
    rows: dict[str, list[dict]] = {name: [] for name in tables.TABLES}
    counts = Counts(documents_in=len(docs))
    for doc in docs:
        _clean_one(doc, rules, repeated, rows, counts)
    return CleanBatch({name: tables.to_table(name, rows[name]) for name in tables.TABLES}, counts)


def _clean_one(doc: RawDocument, rules: RuleSet, repeated: frozenset[int], rows: dict[str, list[dict]],
               counts: Counts) -> None:
    if doc.reason is not None:
        return _reject(doc, doc.reason, None, rows, counts)
    try:
        cleaned = clean_text(doc.text, rules, repeated)
    except Exception as exc:  # noqa: BLE001 - a bug on one document must not stop the run
        return _reject(doc, "error", f"cleaning raised {exc!r}; please report this document", rows, counts)
    if not cleaned.text and not cleaned.removals:
        return _reject(doc, "empty", "no text: empty, or only white space and invisible characters", rows, counts)
    for removal in cleaned.removals:
        rows["removed_lines"].append({"doc_id": doc.doc_id, "line": removal.line, "whole_line": removal.whole_line,
                                      "start": removal.start, "text": removal.text, "rule": removal.rule})
        counts.lines_removed[removal.rule] += 1
    if not cleaned.text:
        rules_hit = ", ".join(sorted({r.rule for r in cleaned.removals}))
        detail = f"all {len(cleaned.removals)} non-blank lines were boilerplate ({rules_hit})"
        return _reject(doc, "no_content", detail, rows, counts)
    if not has_letters(cleaned.text, MIN_ARTICLE_LETTERS):
        detail = f"only {cleaned.text!r} is left after cleaning: a stray label, not an article"
        return _reject(doc, "too_short", detail, rows, counts)
    notices = notice_page(cleaned, rules)
    if notices:
        detail = (f"a notice served in place of the article ({', '.join(notices)}) outweighs "
                  f"the {len(cleaned.text)} characters of other text left")
        return _reject(doc, "notice_page", detail, rows, counts)
    leftovers = companion_lines(cleaned, rules)
    if leftovers and len(leftovers) == len([line for line in cleaned.text.split("\n") if line]):
        detail = f"only the generic lines of the furniture found with them are left: {leftovers!r}"
        return _reject(doc, "no_content", detail, rows, counts)
    if teaser_list(cleaned.text):
        return _reject(doc, "teaser_list", "most paragraphs are teasers cut off by '...': a listing page", rows, counts)
    damaged = find_mojibake(cleaned.text)
    if damaged:
        return _reject(doc, "mojibake", f"mojibake {damaged!r} is left after encoding repair", rows, counts)
    rows["documents"].append({
        "doc_id": doc.doc_id, "source": doc.source, "record": doc.record, "part": doc.part,
        "input_id": doc.input_id, "url": doc.url, "text": cleaned.text,
        "language": cleaned.language, "language_score": cleaned.language_score,
        "chars_raw": len(doc.text), "chars_clean": len(cleaned.text),
        "lines_removed": len(cleaned.removals), "encoding": doc.encoding,
    })
    counts.clean += 1
    counts.chars_raw += len(doc.text)
    counts.chars_clean += len(cleaned.text)
    counts.languages[cleaned.language] += 1


def _reject(doc: RawDocument, reason: str, detail: str | None, rows: dict[str, list[dict]], counts: Counts) -> None:
    """Reject `doc` for `reason`; `detail` None keeps the reader's own detail."""
    rows["rejected"].append({
        "doc_id": doc.doc_id, "source": doc.source, "record": doc.record, "part": doc.part,
        "reason": reason, "detail": doc.detail if detail is None else f"{doc.source}: {detail}",
        "encoding": doc.encoding, "text": doc.text, "original": doc.original,
    })
    counts.rejected[reason] += 1
