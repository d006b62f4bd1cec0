"""One batch's way to the tables: cleaned and staged by a worker, then validated and accepted here.

A worker (a Dask or pool process, `stage_batch`) cleans its batch and writes the tables into
`<generation>/staging/batch-NNNNNN/`, in parallel with the other workers. The flow's own process
(`accept_batch`) validates the batch with the Great Expectations suites and only then moves its
files into the generation's tables (`flows/tables.py`), or into `<generation>/failed/` with the
GX results beside them, never to be published. Validating here keeps Great Expectations, and the
quarter of a gigabyte it takes to import, out of the workers; a worker's report carries its
batch's tables back, so nothing is read twice.

Kept free of Prefect so that the in-process CLI and the Prefect task run the very same code.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import json
import os
import time
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from flows import tables
from flows.batch import Counts, clean_batch
from flows.inputs import RawDocument
from flows.lean import keep_pandas_out
from flows.storage import Store
from transforms.boilerplate import RuleSet, load_rules


@dataclass(frozen=True)
class Settings:
    """Everything a batch needs besides its documents; small and picklable."""

    generation: str  # the run's own folder under the destination (flows/tables.py), a path or URL
    rules_dirs: tuple[str, ...] = ()
    disabled_rules: tuple[str, ...] = ()
    repeated_lines: str = ""  # file, in `generation`, of the run's frequent line hashes (transforms/repetition.py)
    niceness: int = 0  # how much to lower a worker process's priority (`lower_priority`)


@dataclass
class BatchReport:
    batch_no: int
    counts: Counts
    tables: dict | None = None  # the batch's Arrow tables, from the worker until validated
    passed: bool = False
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
def repeated_lines(generation: str, name: str) -> frozenset[int]:
    """The run's frequent line hashes, read once per process."""
    if not name:
        return frozenset()
    keys = array("Q")
    keys.frombytes(Store.at(generation).read_bytes(name))
    return frozenset(keys)


def write_repeated_lines(keys: frozenset[int], generation: Store, name: str) -> None:
    generation.write_bytes(name, array("Q", sorted(keys)).tobytes())


def stage_batch(batch_no: int, docs: Sequence[RawDocument], settings: Settings) -> BatchReport:
    """Worker side: clean the batch and write its tables to the staging area."""
    lower_priority(settings.niceness)
    keep_pandas_out()
    started = time.perf_counter()
    rules = rules_for(settings.rules_dirs, settings.disabled_rules)
    cleaned = clean_batch(docs, rules, repeated_lines(settings.generation, settings.repeated_lines))
    cleaned_at = time.perf_counter()
    report = BatchReport(batch_no, cleaned.counts, cleaned.tables)
    tables.write_batch(cleaned.tables, Store.at(settings.generation).child(staging(report.name)), batch_no)
    report.counts.seconds_clean = cleaned_at - started
    report.counts.seconds_write = time.perf_counter() - cleaned_at
    del cleaned
    release_memory()
    return report


def release_memory() -> None:
    """Give the memory a finished batch freed back to the system.

    Arrow's allocator and glibc's keep freed pages for reuse; over a long run of batches of
    different sizes that reads as steady growth (a worker went from 410 to 494 MB over 50,000
    documents). Returning them after each batch keeps a process's size flat. Output-neutral.
    """
    pa.default_memory_pool().release_unused()
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def _libc():
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc if hasattr(libc, "malloc_trim") else None
    except OSError:  # not glibc (macOS, musl): nothing to trim
        return None


_LIBC = _libc()


@functools.lru_cache(maxsize=1)
def lower_priority(niceness: int) -> None:
    """Lower this worker process's priority, once: on a machine with as many workers as cores, the
    flow's process, which reads the inputs, validates and moves batches in, would otherwise wait
    for a core while the workers wait for its next batch. Only for workers the run started itself
    (a local cluster or pool), never for an existing cluster's."""
    if niceness > 0:
        os.nice(niceness)


def staging(batch_name: str) -> str:
    return f"staging/{batch_name}"


def accept_batches(reports: Sequence[BatchReport], generation: Store) -> list[BatchReport]:
    """Flow side: validate staged batches that finished together as one table each (GX's fixed
    cost per validation, about 0.3 s, is paid once for the group), and move them into the tables.

    The suites check rows and uniqueness, so the group passes exactly when every batch would, and
    uniqueness is even checked across its batches. If the group fails, each batch is validated on
    its own, so that the failure names its batch and only that one goes to failed/. The group's
    GX results are kept with its first batch, for the Data Docs.
    """
    if len(reports) == 1:
        return [accept_batch(reports[0], generation)]
    from expectations.gate import validate  # here, not at import: workers never load GX

    started = time.perf_counter()
    together = {name: pa.concat_tables([r.tables[name] for r in reports]) for name in reports[0].tables}
    outcomes = [validate(name, table) for name, table in together.items()]
    del together
    if not all(o.success for o in outcomes):
        return [accept_batch(report, generation) for report in reports]
    for report in reports:
        report.passed, report.failures, report.results, report.tables = True, [], [], None
        tables.move_batch(generation, staging(report.name))
    reports[0].results = [o.result for o in outcomes]
    release_memory()
    share = (time.perf_counter() - started) / len(reports)  # the group's time, shared out
    for report in reports:
        report.counts.seconds_validate = share
    return list(reports)


def accept_batch(report: BatchReport, generation: Store) -> BatchReport:
    """Flow side: validate a staged batch; move it into the tables if it passed, else to failed/."""
    from expectations.gate import validate  # here, not at import: workers never load GX

    started = time.perf_counter()
    outcomes = [validate(name, table) for name, table in report.tables.items()]
    report.passed = all(o.success for o in outcomes)
    report.failures = [f for o in outcomes for f in o.failures]
    report.results = [o.result for o in outcomes]
    report.tables = None  # validated: the files on disk are what counts from here on
    if report.passed:
        tables.move_batch(generation, staging(report.name))
    else:
        failed = f"failed/{report.name}"
        tables.move_batch(generation, staging(report.name), failed)
        generation.write_bytes(f"{failed}/validation.json",
                               json.dumps(report.results, indent=1, default=str).encode("utf-8"))
    del outcomes
    release_memory()
    report.counts.seconds_validate = time.perf_counter() - started
    return report
