"""One run of the pipeline: discover, clean in batches, validate, publish.

The loop is the same whichever engine runs the batches: the Prefect flow hands in its task's
`submit`, the in-process CLI a local one. Documents stream from the inputs into batches, and at
most `max_in_flight` batches are pending at once, so memory stays bounded however large the
corpus is.
"""

from __future__ import annotations

import contextlib
import fcntl
import tempfile
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from flows import state, tables
from flows.batch import Counts
from flows.inputs import batched, discover, read_file
from flows.storage import Store, is_url
from flows.stage import BatchReport, Settings, accept_batches, rules_for, write_repeated_lines
from transforms.boilerplate import RulePackError
from transforms.whitespace import normalize_line, split_lines
from transforms.repetition import RepeatCounter

# Default for repeat_min_docs: high enough that a story syndicated to a few outlets in one corpus
# keeps its headline, low enough to catch a site's footer within a few hundred documents.
REPEAT_MIN_DOCS = 5

# Data Docs show the GX results of the first batches and of every failed one: all of a large run's
# would take memory in proportion to its size, and thousands of pages nobody reads.
DATA_DOCS_BATCHES = 20

REPEATED_LINES = "repeated_lines.u64"  # in the generation: the hashes of the run's frequent lines

# Rejected documents named in the log, per batch: enough to see what went wrong and where without
# flooding it; rejected/ holds every one, with its bytes.
REJECTIONS_LOGGED = 20

Submit = Callable[[int, list, Settings], object]  # returns a future with .result()
Log = Callable[[str], None]


class RunFailed(RuntimeError):
    """The run could not complete; the message says what happened and what to do."""


@dataclass
class RunSummary:
    source: str
    dest: str
    files: int
    batches: int = 0
    counts: Counts = field(default_factory=Counts)
    seconds: float = 0.0
    data_docs: str = ""
    plan: str = ""  # what the run set out to do: files to clean, carried over, dropped (flows/state.py)

    def as_dict(self) -> dict:
        c = self.counts
        return {
            "source": self.source, "dest": self.dest, "files": self.files, "plan": self.plan, "batches": self.batches,
            "documents_in": c.documents_in, "clean": c.clean, "rejected": sum(c.rejected.values()),
            "rejected_by_reason": dict(sorted(c.rejected.items())),
            "lines_removed": sum(c.lines_removed.values()),
            "lines_removed_by_rule": dict(c.lines_removed.most_common()),
            "languages": dict(c.languages.most_common()),
            "chars_raw": c.chars_raw, "chars_clean": c.chars_clean,
            "seconds_clean": round(c.seconds_clean, 3), "seconds_validate": round(c.seconds_validate, 3),
            "seconds_write": round(c.seconds_write, 3),
            "seconds": round(self.seconds, 2), "data_docs": self.data_docs,
        }

    def render(self) -> str:
        d = self.as_dict()
        reasons = ", ".join(f"{k} {v}" for k, v in d["rejected_by_reason"].items()) or "none"
        languages = ", ".join(f"{k} {v}" for k, v in d["languages"].items()) or "none"
        rules = ", ".join(f"{k} {v}" for k, v in list(d["lines_removed_by_rule"].items())[:5]) or "none"
        return "\n".join([
            f"clean: {d['documents_in']} documents in from {d['files']} files in {d['seconds']} s ({self.plan})",
            f"  clean          {d['clean']}  -> {self.dest}/documents/",
            f"  rejected       {d['rejected']}  ({reasons})  -> {self.dest}/rejected/",
            f"  lines removed  {d['lines_removed']}  (top rules: {rules})  -> {self.dest}/removed_lines/",
            f"  languages      {languages}",
            f"  data docs      {d['data_docs']}",
        ])


def run(source: str | Path, dest: str | Path, *, submit: Submit, log: Log, batch_size: int = 500,
        rules_dirs: Sequence[str] = (), disabled_rules: Sequence[str] = (), max_in_flight: int = 4,
        repeat_min_docs: int = REPEAT_MIN_DOCS, full: bool = False, prune: bool = False,
        worker_niceness: int = 0, start_workers: Callable[[], None] | None = None) -> RunSummary:
    """Clean what is new under `source` into the tables under `dest` (see flows/tables.py).

    Files cleaned by an earlier run and unchanged since are carried over, not cleaned again, and
    a killed run's work is taken up where it stopped (flows/state.py); `full` cleans every file
    afresh, `prune` drops the rows of files no longer in the source.
    `repeat_min_docs`: a short line found in at least this many documents of the run is
    furniture unless it is a full sentence (transforms/repetition.py); 0 switches that off.
    `worker_niceness`: lower the priority of worker processes this run started (flows/stage.py).
    `start_workers`: called, without waiting, once the run knows it has work and before its first
    pass over the inputs, so that an engine's worker processes start up meanwhile.
    """
    if not is_url(source):
        source = Path(source)
        if not source.is_dir():
            raise RunFailed(f"source folder {source} does not exist or is not a folder: check the source parameter")
    if batch_size < 1:
        raise RunFailed(f"batch_size must be at least 1, not {batch_size}")
    try:  # a bad rules folder or a mistyped rule name fails here, before any work
        rules = rules_for(tuple(str(d) for d in rules_dirs), tuple(disabled_rules))
    except RulePackError as exc:
        raise RunFailed(f"rules: {exc}") from exc
    started = time.monotonic()
    dest = Store.at(dest)
    with _exclusive(dest, log):
        try:
            files = discover(source)
        except OSError as exc:
            raise RunFailed(f"cannot list the source {source}: {exc}; check the location and its credentials") from exc
        summary = RunSummary(str(source), dest.uri, len(files))
        work = state.plan_run(source, files, dest, state.settings_key(rules, repeat_min_docs), full=full, prune=prune)
        summary.plan = work.describe()
        if work.nothing_to_do:
            summary.plan = f"nothing new: {summary.plan}; the published tables stay as they are"
            log(f"clean: {summary.plan}")
            return _finished(summary, dest, started)
        log(f"clean: {len(files)} input files under {source}: {work.describe()}; batches of {batch_size} documents")
        if start_workers is not None:
            start_workers()
        try:
            generation, done = _generation_for(source, dest, work, repeat_min_docs, log)
            settings = Settings(generation.uri, tuple(str(d) for d in rules_dirs), tuple(disabled_rules),
                                REPEATED_LINES if repeat_min_docs > 0 else "", worker_niceness)
            try:
                reports = _clean_in_batches(state.remaining(source, work, done), settings, submit, log, batch_size,
                                            max_in_flight, summary, started, done, work.plan.first_batch)
            except state.ResumeError as exc:
                state.give_up(generation)
                raise RunFailed(f"taking up the unfinished run {generation.uri} failed: {exc}. Nothing was "
                                "published; run again: the next run starts afresh") from exc
            state.write_files(generation, work, done)
        except OSError as exc:  # a full disk, a lost mount, a refused write: nothing is published
            raise RunFailed(f"writing to {dest.uri} failed: {exc}. Nothing was published and the published "
                            f"tables are unchanged; free space or fix access to {dest.uri}, then run again: "
                            "it goes on from the last batch written") from exc
        _publish_or_fail(reports, generation, dest)
        _remove_abandoned(dest, generation, log)
    return _finished(summary, dest, started)


def _remove_abandoned(dest: Store, generation: Store, log: Log) -> None:
    """Killed runs' folders, once a newer generation is published; a failure here fails nothing."""
    try:
        for leftover in state.abandoned(dest, keep=generation):
            dest.remove(leftover)
    except OSError as exc:
        log(f"clean: published; could not remove an old unfinished run under {dest.uri}/{tables.RUNS}: {exc}")


def _finished(summary: RunSummary, dest: Store, started: float) -> RunSummary:
    if state.published(dest) is not None:
        summary.data_docs = tables.published_uris(dest.uri)["data_docs"] + "/index.html"
    summary.seconds = time.monotonic() - started
    return summary


def _generation_for(source, dest: Store, work: state.Work, repeat_min_docs: int, log: Log) -> tuple[Store, list[dict]]:
    """The generation to write into, and the batches already done in it.

    A killed run's generation with the same plan is taken up; otherwise a new one is set up: the
    base's unchanged rows carried over, the repetition counts made, and the plan written last, so
    that only a generation whose set-up finished can ever be taken up.
    """
    unfinished = state.find_unfinished(dest, work.plan)
    if unfinished is not None:
        done = state.resume(unfinished)
        log(f"clean: taking up the unfinished run {unfinished.uri}: {len(done)} batches were done, going on from there")
        return unfinished, done
    generation = _new_generation(dest)
    state.carry_over(dest, work, generation)
    if repeat_min_docs > 0:
        _count_repeats(source, work, repeat_min_docs, dest, generation, log)
    state.write_plan(generation, work.plan)
    return generation, []


@contextlib.contextmanager
def _exclusive(dest: Store, log: Log) -> Iterator[None]:
    """Hold `DEST/.lock` for the run: a second run on the same local destination waits for the first.

    An advisory lock (flock), released by the system if the holder dies, so a killed run never
    leaves it stuck. Object stores have no such lock: there, the deployment's concurrency limit
    of 1 is what keeps runs apart.
    """
    if not dest.local:
        yield
        return
    dest.path.mkdir(parents=True, exist_ok=True)
    with open(dest.path / ".lock", "a+b") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log(f"clean: another run is writing to {dest.uri}; waiting for it to finish")
            fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _new_generation(dest: Store) -> Store:
    """The run's own, new folder under `dest/.runs/` (flows/tables.py)."""
    stamp = time.strftime("%Y%m%dT%H%M%S-")
    if dest.local:
        (dest.path / tables.RUNS).mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix=stamp, dir=dest.path / tables.RUNS))
        folder.chmod(0o755)  # mkdtemp makes it private; published tables are for every reader
        return Store.at(folder)
    return dest.child(tables.RUNS, stamp + uuid.uuid4().hex[:8])


def _count_repeats(source, work: state.Work, min_docs: int, dest: Store, generation: Store, log: Log) -> None:
    """First pass: which short lines recur in `min_docs` documents or more: the base's saved counts
    plus the new files' lines, or, when the run drops old rows, a count over every input (reading,
    not cleaning). Their hashes go to the batches, the counts to later runs."""
    base = dest.child(work.plan.base) if work.counts_carry_over else None
    if base is not None and base.exists(state.LINE_COUNTS):
        counter, paths = RepeatCounter.from_bytes(base.read_bytes(state.LINE_COUNTS)), work.paths
    else:  # afresh over every input: the dropped files' old lines must not stay counted
        counter, paths = RepeatCounter(), work.inputs
    for path in paths:
        for doc in read_file(source, path):
            if doc.text:
                # Lines as decoded, white space folded, without the encoding repair: furniture is
                # almost always clean text (repair leaves it as it is), and repairing every line
                # twice, here and again in the batches, cost a fifth of the run's CPU time.
                counter.add(normalize_line(line) for line in split_lines(doc.text))
    frequent = counter.frequent(min_docs)
    write_repeated_lines(frequent, generation, REPEATED_LINES)
    generation.write_bytes(state.LINE_COUNTS, counter.to_bytes())
    log(f"clean: {len(frequent)} lines recur in {min_docs}+ documents and will be removed as furniture")


# Batches validated as one (flows/stage.py accept_batches): GX's cost is mostly per validation.
VALIDATE_TOGETHER = 2


def _clean_in_batches(docs, settings: Settings, submit: Submit, log: Log, batch_size: int, max_in_flight: int,
                      summary: RunSummary, started: float, done: list[dict], first_batch: int) -> list[BatchReport]:
    """Submit batches as documents stream in, with at most `max_in_flight` pending; accepted in
    order, each recorded done (`done` grows) once it is in the tables."""
    reports: list[BatchReport] = []
    pending: deque = deque()
    generation = Store.at(settings.generation)
    first = done[-1]["batch"] + 1 if done else first_batch

    # Waiting for the second oldest batch costs nothing while the batches behind it keep the
    # workers busy: so wait for at most half of those in flight (one, with a single worker).
    together = max(1, min(VALIDATE_TOGETHER, max_in_flight // 2))

    def collect() -> None:
        """Accept the `together` oldest pending batches, and those behind them that have finished too."""
        group = [pending.popleft()]
        while pending and (len(group) < together or _is_done(pending[0][0])):
            group.append(pending.popleft())
        finished = [future.result() for future, _, _ in group]
        for report in finished:
            _log_rejections(report, log)  # before accept_batches, which lets go of the batches' tables
        for report, (_, sources, last) in zip(accept_batches(finished, generation), group):
            if report.passed:
                done.append(state.record_done(generation, report.batch_no, sources, last))
            if report.passed and report.batch_no > DATA_DOCS_BATCHES:
                report.results = []  # memory stays flat however many batches; failures always keep theirs
            reports.append(report)
            summary.counts.add(report.counts)
            rate = summary.counts.documents_in / max(time.monotonic() - started, 1e-9)
            log(f"clean: {report.name} done, {summary.counts.documents_in} documents so far "
                f"({summary.counts.clean} clean, {sum(summary.counts.rejected.values())} rejected), {rate:.0f} docs/s")

    for batch_no, batch in enumerate(batched(docs, batch_size), start=first):
        last = batch[-1]
        pending.append((submit(batch_no, batch, settings), sorted({d.source for d in batch}),
                        (last.source, last.record, last.part)))
        while len(pending) >= max_in_flight:
            collect()
    while pending:
        collect()
    summary.batches = len(reports)
    return reports


def _is_done(future) -> bool:
    """Whether a submitted batch is done, without waiting: a concurrent future, or a Prefect future
    around a Dask one."""
    inner = getattr(future, "wrapped_future", future)
    return bool(getattr(inner, "done", lambda: False)())


def _log_rejections(report: BatchReport, log: Log) -> None:
    """One line per rejected document (the first `REJECTIONS_LOGGED` of the batch): its reason, and
    the detail, which names the file (and the line, in a line-per-record file)."""
    rejected = report.tables["rejected"]
    for row in rejected.select(["source", "reason", "detail"]).slice(0, REJECTIONS_LOGGED).to_pylist():
        detail = row["detail"] or ""
        if not detail.startswith(row["source"]):
            detail = f"{row['source']}: {detail}"
        log(f"clean: rejected ({row['reason']}) {detail if len(detail) <= 300 else detail[:299] + '…'}")
    if rejected.num_rows > REJECTIONS_LOGGED:
        log(f"clean: {rejected.num_rows - REJECTIONS_LOGGED} more rejected in {report.name}: all are in rejected/")


def _publish_or_fail(reports: list[BatchReport], generation: Store, dest: Store) -> None:
    """Report on every batch, then publish the generation only if every batch passed."""
    _data_docs(reports, generation)
    generation.remove("staging")  # empty once every batch is accepted
    failures = [f"{r.name}: {f}" for r in reports if not r.passed for f in r.failures]
    if failures:
        for name in tables.TABLES:  # the batches that passed are not worth keeping; failed/ is
            generation.remove(name)
        raise RunFailed(
            "validation failed, nothing was published. Failed expectations:\n  " + "\n  ".join(failures)
            + f"\nInspect the failed batches in {generation.uri}/failed and the report in "
            f"{generation.uri}/data_docs/index.html; fix the rules or the suite (expectations/*.json), "
            "then run again. The published tables are unchanged.")
    try:
        tables.publish(generation, dest)
    except (tables.PublishError, OSError) as exc:
        raise RunFailed(f"publishing to {dest.uri} failed, the published tables are unchanged: {exc}") from exc


def _data_docs(reports: list[BatchReport], generation: Store) -> None:
    """GX Data Docs of the results kept (the first batches' and failed ones'), into the generation;
    on an object store they are built locally, then uploaded."""
    from expectations.gate import build_data_docs  # GX only in the flow's process, never in workers

    results = [(r.name, result) for r in reports for result in r.results]
    if generation.local:
        build_data_docs(results, generation.path / "data_docs")
        return
    with tempfile.TemporaryDirectory() as local:
        build_data_docs(results, Path(local) / "data_docs")
        generation.upload(Path(local) / "data_docs", "data_docs")
