"""What a destination already holds, so that a scheduled run does only new work, and a killed
run's successor finishes exactly what it left undone.

Each generation (`.runs/<run>/`, see flows/tables.py) keeps its state under `_state/`; the
published generation's state is the destination's:

- `files.json`, written just before publication: every input file whose rows the generation
  holds, with its fingerprint (size and modification time) and the batches that hold its rows;
  the key of the settings that shaped those rows; the next free batch number.
- `plan.json`, written once the run has set its generation up: the generation it builds on, the
  settings key, the files it is to clean with their fingerprints, the sources whose old rows it
  drops, and its first batch number.
- `done/batch-NNNNNN.json`, one per batch, written after the batch was moved into the tables:
  the batch's sources and its last document. A batch without one never happened.

**Incremental runs.** A run compares the inputs with the published state. Unchanged files are
carried into the new generation as they are (hard links on a local disk, server-side copies on
an object store); new and changed files are cleaned; a changed file's old rows go (the batches
that held them are rewritten without them); a file that disappeared keeps its rows until a run
with `prune` drops them. A run with nothing to do publishes nothing. Different rules or
repetition settings than the published rows were made with mean every file is cleaned again, as
`full` does (and then the rows of deleted files go too). Repetition (transforms/repetition.py)
counts the new files' lines on top of the counts saved by the runs before, so a footer is still
recognised in a run of three new files; a run that drops old rows counts afresh over every input
instead, so that no file's old version stays counted. Rows already published are not cleaned
again when a line becomes frequent later (a `full` run does that).

**Resuming.** A run killed midway leaves an unpublished generation with its plan. The next run
draws up its own plan; if it is the same (same base, settings and files, with the same
fingerprints), it adopts that generation: removes whatever was not recorded done (staged
batches, a batch moved in but not recorded), skips the documents already done and cleans the
rest, so that no document is cleaned twice and none is lost.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from flows import tables
from flows.inputs import RawDocument, fingerprint, read_file, source_name
from flows.storage import Store
from transforms.boilerplate import RuleSet

STATE = "_state"
FILES = f"{STATE}/files.json"
PLAN = f"{STATE}/plan.json"
DONE = f"{STATE}/done"
LINE_COUNTS = f"{STATE}/line_counts.bin"
ALL = "*"  # in Plan.drop: none of the base's rows are kept
VERSION = 2  # bump when a change of the code changes rows: every destination is then cleaned afresh


def settings_key(rules: RuleSet, repeat_min_docs: int) -> str:
    """A digest of everything besides the inputs that shapes the rows: the rules and the repetition
    threshold (batch size and worker count do not change a row)."""
    described = [VERSION, repeat_min_docs] + [
        [r.name, r.pattern.pattern, r.pattern.flags, r.scope, r.opens_list, r.ends_article, r.stands_in,
         r.companions and r.companions.pattern] for r in rules.rules]
    return hashlib.sha256(json.dumps(described).encode("utf-8")).hexdigest()[:16]


@dataclass
class Plan:
    """What one run is to do; `plan.json`. Two runs with equal plans do the same work."""

    base: str | None  # the generation built on, relative to the destination; None: from nothing
    settings: str
    files: list[list] = field(default_factory=list)  # [source, size, mtime_ns] to clean, in order
    drop: list[str] = field(default_factory=list)  # sources whose rows in `base` go
    first_batch: int = 1

    def to_bytes(self) -> bytes:
        return json.dumps(asdict(self), sort_keys=True).encode("utf-8")


@dataclass
class Work:
    """The plan, and what the run needs beside it: the inputs to read and the base's state."""

    plan: Plan
    paths: list  # the files of plan.files: Paths or RemoteFiles
    base_files: dict  # the published state's files (empty without one)
    unchanged: int = 0
    gone: int = 0  # inputs that disappeared and keep their rows (no prune)
    inputs: list = field(default_factory=list)  # every input file, cleaned or not

    @property
    def counts_carry_over(self) -> bool:
        """The base's line counts are exactly those of the rows this run keeps: nothing dropped.
        Otherwise the counts are made afresh over every input, so that a file cleaned again is
        not counted twice (its old version's lines are in the base's counts)."""
        return self.plan.base is not None and not self.plan.drop

    @property
    def nothing_to_do(self) -> bool:
        return self.plan.base is not None and not self.plan.files and not self.plan.drop

    def describe(self) -> str:
        cleaned, dropped = len(self.plan.files), len(self.plan.drop)
        if self.plan.drop == [ALL]:
            text = f"{cleaned} files to clean afresh (--full, or other rules or settings than the published rows')"
            return text + (f"; the rows of {self.gone} files no longer in the source go" if self.gone else "")
        if self.plan.base is None:
            return f"{cleaned} files to clean"
        text = f"{cleaned} files to clean, {self.unchanged} unchanged"
        if dropped:
            text += f", old rows of {dropped} changed or removed files dropped"
        if self.gone:
            text += f", {self.gone} files no longer in the source keep their rows (prune drops them)"
        return text


def published(dest: Store) -> Store | None:
    """The published generation, or None before the first publication."""
    if dest.local:
        current = dest.path / tables.CURRENT
        return Store.at(current.resolve()) if current.is_symlink() else None
    if not dest.exists(tables.POINTER):
        return None
    return dest.child(json.loads(dest.read_bytes(tables.POINTER))["generation"])


def plan_run(source, inputs: Sequence, dest: Store, settings: str, *, full: bool, prune: bool) -> Work:
    """Compare the inputs with the published state: what to clean, carry over and drop."""
    base = published(dest)
    state = _read_json(base, FILES) if base is not None else None
    if state is None or state.get("settings") != settings or full:  # clean everything afresh
        files = [[source_name(source, p), *fingerprint(p)] for p in inputs]
        everything = [ALL] if base is not None else []
        gone = len(set((state or {}).get("files", {})) - {name for name, _, _ in files})
        return Work(Plan(_relative(dest, base), settings, files, everything, 1), list(inputs), {}, 0, gone,
                    list(inputs))
    known = state["files"]
    files, paths, drop, unchanged = [], [], [], 0
    seen = set()
    for path in inputs:
        name, (size, mtime_ns) = source_name(source, path), fingerprint(path)
        seen.add(name)
        old = known.get(name)
        if old is not None and old["size"] == size and old["mtime_ns"] == mtime_ns:
            unchanged += 1
            continue
        if old is not None:
            drop.append(name)
        files.append([name, size, mtime_ns])
        paths.append(path)
    gone = sorted(set(known) - seen)
    if prune:
        drop.extend(gone)
    plan = Plan(_relative(dest, base), settings, files, sorted(drop), state["next_batch"])
    return Work(plan, paths, known, unchanged, 0 if prune else len(gone), list(inputs))


def find_unfinished(dest: Store, plan: Plan) -> Store | None:
    """The newest generation with the same plan that was neither published nor failed."""
    wanted = plan.to_bytes()
    for generation in reversed(_unpublished(dest)):
        if generation.exists(PLAN) and generation.read_bytes(PLAN) == wanted:
            return generation
    return None


def abandoned(dest: Store, keep: Store) -> Iterator[str]:
    """Folders of runs that were killed or could not write: of no use once a newer generation is
    published, whose base theirs no longer is. Failed validations stay, for inspection."""
    for generation in _unpublished(dest):
        if generation.root != keep.root:
            yield posixpath.relpath(generation.root, dest.root)


def _unpublished(dest: Store) -> list[Store]:
    current = published(dest)  # marked .published only just after the switch: a kill can come between
    found = (dest.child(tables.RUNS, name) for name in dest.folders(tables.RUNS))
    return [g for g in found if not g.exists(".published") and not g.exists("failed")
            and (current is None or g.root != current.root)]


def carry_over(dest: Store, work: Work, generation: Store) -> None:
    """The base's batches into the new generation: as they are, or without the dropped sources' rows."""
    plan = work.plan
    if plan.base is None or plan.drop == [ALL]:
        return
    base, drop = dest.child(plan.base), set(plan.drop)
    by_batch: dict[str, set[str]] = {}
    for name, entry in work.base_files.items():
        for batch in entry["batches"]:
            by_batch.setdefault(batch, set()).add(name)
    files_of: dict[str, list[str]] = {}
    for table in tables.TABLES:
        for relative in base.files(table):
            files_of.setdefault(posixpath.basename(relative).removesuffix(".parquet"), []).append(f"{table}/{relative}")
    for batch, sources in sorted(by_batch.items()):
        if sources <= drop:
            continue
        if sources & drop:
            _rewrite_without(base, generation, files_of.get(batch, []), drop)
        else:
            for relative in files_of.get(batch, []):
                generation.copy_from(base, relative)


def _rewrite_without(base: Store, generation: Store, relatives: list[str], drop: set[str]) -> None:
    """A batch's files without the rows of `drop`'s sources (removed lines follow their documents)."""
    tables_of = {r: pq.read_table(base._full(r), filesystem=base.fs) for r in relatives}
    dropped = pa.array(sorted(drop), pa.string())
    from_dropped = {r: pc.is_in(t.column("source"), value_set=dropped)
                    for r, t in tables_of.items() if "source" in t.column_names}
    gone = pa.array(sorted({i for r, mask in from_dropped.items()
                            for i in tables_of[r].filter(mask).column("doc_id").to_pylist()}), pa.string())
    for relative, table in tables_of.items():
        mask = from_dropped.get(relative)
        if mask is None:  # removed_lines: no source column, its documents' ids tell
            mask = pc.is_in(table.column("doc_id"), value_set=gone)
        kept = table.filter(pc.invert(mask))
        if kept.num_rows:
            generation.write_parquet(kept, relative, tables.COMPRESSION)


def write_plan(generation: Store, plan: Plan) -> None:
    generation.write_bytes(PLAN, plan.to_bytes())


def give_up(generation: Store) -> None:
    """Make an unfinished generation one that is never taken up (and goes at the next publication)."""
    if generation.exists(PLAN):
        generation.fs.delete_file(generation._full(PLAN))


def resume(generation: Store) -> list[dict]:
    """Make an adopted generation hold exactly its recorded batches; their records, in order."""
    done = [json.loads(generation.read_bytes(f"{DONE}/{n}")) for n in generation.files(DONE) if n.endswith(".json")]
    done.sort(key=lambda d: d["batch"])
    names = {tables.batch_file(d["batch"]) for d in done}
    plan = Plan(**json.loads(generation.read_bytes(PLAN)))
    generation.remove("staging")
    for table in tables.TABLES:
        for relative in generation.files(table):
            name = posixpath.basename(relative)
            number = name.removeprefix("batch-").removesuffix(".parquet")
            unrecorded = number.isdigit() and int(number) >= plan.first_batch and name not in names
            if unrecorded or name == "empty.parquet" or ".partial-" in name:  # empty ones are made again at publication
                generation.fs.delete_file(generation._full(f"{table}/{relative}"))
    return done


def record_done(generation: Store, batch_no: int, sources: Sequence[str], last: tuple[str, int, int]) -> dict:
    record = {"batch": batch_no, "sources": list(sources), "last": list(last)}
    generation.write_bytes(f"{DONE}/batch-{batch_no:06d}.json", json.dumps(record).encode("utf-8"))
    return record


class ResumeError(RuntimeError):
    """The unfinished run cannot be taken up: its last document is not where it was."""


def remaining(source, work: Work, done: list[dict]) -> Iterator[RawDocument]:
    """The documents of the plan's files not yet done: after the last recorded document.

    If that document is not found (the file could not be read this time, or was rewritten with
    the same size and time), continuing would lose the rest of its file: ResumeError instead.
    """
    last = tuple(done[-1]["last"]) if done else None
    if last is not None and last[0] not in {source_name(source, p) for p in work.paths}:
        raise ResumeError(f"the plan's files do not hold the last document done, {last}")
    for path in work.paths:
        if last is not None and source_name(source, path) != last[0]:
            continue  # wholly done: the files before the last document's own
        docs = read_file(source, path)
        if last is not None:
            if not any((doc.source, doc.record, doc.part) == last for doc in docs):
                raise ResumeError(f"{last[0]}: document {last[1]}.{last[2]}, the last one done, is no longer "
                                  "there (the file could not be read, or changed without a new size or time)")
            last = None
        yield from docs


def write_files(generation: Store, work: Work, done: Iterable[dict]) -> None:
    """The new generation's `files.json`: what it carried over, and what this run cleaned."""
    plan = work.plan
    drop = set(plan.drop)
    files = {} if plan.drop == [ALL] else {n: e for n, e in work.base_files.items() if n not in drop}
    batches: dict[str, list[str]] = {}
    last_batch = plan.first_batch - 1
    for record in done:
        last_batch = max(last_batch, record["batch"])
        for name in record["sources"]:
            batches.setdefault(name, []).append(f"batch-{record['batch']:06d}")
    for name, size, mtime_ns in plan.files:
        files[name] = {"size": size, "mtime_ns": mtime_ns, "batches": batches.get(name, [])}
    state = {"version": VERSION, "settings": plan.settings, "next_batch": last_batch + 1,
             "files": dict(sorted(files.items()))}
    generation.write_bytes(FILES, json.dumps(state, indent=0).encode("utf-8"))


def _read_json(store: Store, relative: str) -> dict | None:
    return json.loads(store.read_bytes(relative)) if store.exists(relative) else None


def _relative(dest: Store, generation: Store | None) -> str | None:
    return None if generation is None else posixpath.relpath(generation.root, dest.root)

