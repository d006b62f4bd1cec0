"""The three output tables: their schemas, how a batch is written, how a run is published.

Layout under the destination folder:
- `documents/language=xx/batch-NNNNNN.parquet`: clean documents, hive-partitioned by language;
- `removed_lines/batch-NNNNNN.parquet`: every removed line, with the rule that removed it;
- `rejected/batch-NNNNNN.parquet`: every document that did not make it, with a reason and its
  original bytes, so that nothing is lost.

Publication is one atomic step. Each run writes its batches, and its Data Docs, into a
generation folder of its own, `.runs/<run>/`. The published names are fixed relative symbolic
links through one pointer: `documents -> .current/documents` (likewise `removed_lines`,
`rejected`, `data_docs`), and `.current -> .runs/<run>`. Publishing replaces `.current` with
`os.replace`, so readers see all of the previous run's tables or all of the new run's, never a
mix, and a run that fails publishes nothing and leaves the published tables as they were. The
previous generation is kept until the next publication, for readers still reading it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

TABLES = ("documents", "removed_lines", "rejected")
PUBLISHED = (*TABLES, "data_docs")  # the names readers use under the destination
RUNS = ".runs"
CURRENT = ".current"
COMPRESSION = "zstd"

# Rejection reasons: the whole vocabulary of rejected.reason.
REASONS = {
    "unreadable": "the file could not be read (permissions, I/O error, truncated compressed stream)",
    "undecodable": "the bytes are not text in UTF-8, a byte-order-marked encoding or a known legacy encoding",
    "binary": "the file is binary (an image, an archive), not text",
    "bad_record": "a JSON Lines record that is not valid JSON or has no string 'text'",
    "empty": "the document has no text: empty or white space only",
    "error": "cleaning raised an unexpected error (a bug: the detail holds it; please report the document)",
    "mojibake": "encoding damage that repair could not undo (the text would be garbage to a reader)",
    "too_short": "what is left after cleaning is a stray label, not an article (fewer than 6 letters, e.g. 'Yes')",
    "no_content": "nothing is left once boilerplate is removed: the document is only page furniture",
}

DOCUMENTS = pa.schema([
    ("doc_id", pa.string()),
    ("source", pa.string()),
    ("record", pa.int64()),
    ("part", pa.int32()),
    ("input_id", pa.string()),
    ("url", pa.string()),
    ("text", pa.large_string()),
    ("language", pa.string()),
    ("language_score", pa.float64()),
    ("chars_raw", pa.int64()),
    ("chars_clean", pa.int64()),
    ("lines_removed", pa.int32()),
    ("encoding", pa.string()),
])

REMOVED_LINES = pa.schema([
    ("doc_id", pa.string()),
    ("line", pa.int32()),
    ("whole_line", pa.bool_()),  # false: a piece cut from a line that was kept
    ("start", pa.int32()),  # where a cut piece began in the normalised line; 0 for whole lines
    ("text", pa.large_string()),
    ("rule", pa.string()),
])

REJECTED = pa.schema([
    ("doc_id", pa.string()),
    ("source", pa.string()),
    ("record", pa.int64()),
    ("part", pa.int32()),
    ("reason", pa.string()),
    ("detail", pa.string()),
    ("encoding", pa.string()),
    ("text", pa.large_string()),
    ("original", pa.large_binary()),
])

SCHEMAS = {"documents": DOCUMENTS, "removed_lines": REMOVED_LINES, "rejected": REJECTED}


def to_table(name: str, rows: list[dict]) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=SCHEMAS[name])


def batch_file(batch_no: int) -> str:
    return f"batch-{batch_no:06d}.parquet"


def write_batch(tables: dict[str, pa.Table], root: Path, batch_no: int) -> None:
    """Write one batch's tables under `root`, documents split into language partitions."""
    name = batch_file(batch_no)
    docs = tables["documents"]
    for language in sorted(set(docs.column("language").to_pylist())):
        part = docs.filter(pc.equal(docs.column("language"), language)).drop_columns(["language"])
        _write(part, root / "documents" / f"language={language}" / name)
    _write(tables["removed_lines"], root / "removed_lines" / name)
    _write(tables["rejected"], root / "rejected" / name)


def move_batch(staged: Path, root: Path) -> None:
    """Move a staged batch's files into the tables under `root`: one rename per file, so a
    reader of `root` sees a batch file whole or not at all, never half written."""
    for path in sorted(p for p in staged.rglob("*.parquet")):
        target = root / path.relative_to(staged)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)
    shutil.rmtree(staged)


def _write(table: pa.Table, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, compression=COMPRESSION)


def ensure_readable(root: Path) -> None:
    """Give every table at least one (empty) file, so that readers find its schema."""
    for name, schema in SCHEMAS.items():
        folder = root / name
        if not any(folder.rglob("*.parquet")):
            target = folder / "language=und" if name == "documents" else folder
            _write(schema.empty_table().drop_columns(["language"]) if name == "documents" else schema.empty_table(),
                   target / "empty.parquet")


class PublishError(RuntimeError):
    """The destination cannot be published to; the message says why and what to do."""


def publish(generation: Path, dest: Path) -> None:
    """Make `generation` (a folder under `dest/.runs/`) the published one, atomically."""
    ensure_readable(generation)
    for name in PUBLISHED:
        link = dest / name
        if link.is_symlink():
            continue
        if link.exists():
            raise PublishError(f"{link} exists and is not a link written by clean/corpus; move it away or "
                               "choose another destination")
        link.symlink_to(Path(CURRENT) / name)
    current = dest / CURRENT
    previous = current.resolve() if current.is_symlink() else None
    pointer = dest / f"{CURRENT}.{os.getpid()}"
    pointer.unlink(missing_ok=True)
    pointer.symlink_to(generation.relative_to(dest))
    os.replace(pointer, current)
    _remove_old_generations(dest, keep={generation.resolve(), previous})


def _remove_old_generations(dest: Path, keep: set) -> None:
    """Published generations older than the previous one; failed runs' folders stay for inspection."""
    for folder in (dest / RUNS).iterdir():
        if folder.resolve() not in keep and (folder / ".published").exists():
            shutil.rmtree(folder, ignore_errors=True)
    for folder in keep:
        if folder is not None:
            (folder / ".published").touch()
