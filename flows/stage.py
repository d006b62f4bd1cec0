"""The unit of work behind one Prefect task: clean a batch, validate it, write it to staging.

Kept free of Prefect so that the in-process CLI and the Prefect task run the very same code.
A batch that passes its suites is written into the run's generation folder (see
`flows/tables.py`); one that fails goes to `<generation>/failed/batch-NNNNNN/` with its GX results
beside it, for inspection, and is never published.
"""

from __future__ import annotations

import functools
import json
import time
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from expectations.gate import validate
from flows import tables
from flows.batch import Counts, clean_batch
from flows.inputs import RawDocument
from transforms.boilerplate import RuleSet, load_rules


@dataclass(frozen=True)
class Settings:
    """Everything a batch needs besides its documents; small and picklable."""

    generation: str  # the run's own folder under the destination (flows/tables.py)
    rules_dirs: tuple[str, ...] = ()
    disabled_rules: tuple[str, ...] = ()
    repeated_lines: str = ""  # file of the run's frequent line hashes (transforms/repetition.py)


@dataclass
class BatchReport:
    batch_no: int
    counts: Counts
    passed: bool
    failures: list[str] = field(default_factory=list)
    results: list[dict] = field(default_factory=list)  # GX results, for Data Docs

    @property
    def name(self) -> str:
        return f"batch-{self.batch_no:06d}"


@functools.lru_cache(maxsize=8)
def rules_for(rules_dirs: tuple[str, ...], disabled: tuple[str, ...]) -> RuleSet:
    """Rule packs are loaded once per process, not once per batch."""
    return load_rules([Path(d) for d in rules_dirs] or None, disabled)


@functools.lru_cache(maxsize=4)
def repeated_lines(path: str) -> frozenset[int]:
    """The run's frequent line hashes, read once per process."""
    if not path:
        return frozenset()
    keys = array("Q")
    keys.frombytes(Path(path).read_bytes())
    return frozenset(keys)


def write_repeated_lines(keys: frozenset[int], path: Path) -> None:
    path.write_bytes(array("Q", sorted(keys)).tobytes())


def stage_batch(batch_no: int, docs: Sequence[RawDocument], settings: Settings) -> BatchReport:
    started = time.perf_counter()
    rules = rules_for(settings.rules_dirs, settings.disabled_rules)
    cleaned = clean_batch(docs, rules, repeated_lines(settings.repeated_lines))
    cleaned_at = time.perf_counter()
    outcomes = [validate(name, table) for name, table in cleaned.tables.items()]
    passed = all(o.success for o in outcomes)
    report = BatchReport(batch_no, cleaned.counts, passed,
                         [f for o in outcomes for f in o.failures], [o.result for o in outcomes])
    validated_at = time.perf_counter()
    generation = Path(settings.generation)
    if passed:
        tables.write_batch(cleaned.tables, generation, batch_no)
    else:
        failed = generation / "failed" / report.name
        tables.write_batch(cleaned.tables, failed, batch_no)
        (failed / "validation.json").write_text(json.dumps(report.results, indent=1, default=str), encoding="utf-8")
    counts = report.counts
    counts.seconds_clean = cleaned_at - started
    counts.seconds_validate = validated_at - cleaned_at
    counts.seconds_write = time.perf_counter() - validated_at
    return report
