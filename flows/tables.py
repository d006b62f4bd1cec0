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

On an object store (`dest` an `s3://` URL, see `flows/storage.py`) there are no links and no
atomic renames. There the run's generation is published by writing one small object last,
`DEST/_CURRENT`, a JSON pointer to the generation's prefix; a single PUT is atomic, so readers
who resolve the pointer first (`published_uris`) see one whole generation, never a mix.
"""

from __future__ import annotations

import json
import os
import posixpath
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from flows.storage import Store

TABLES = ("documents", "removed_lines", "rejected")
PUBLISHED = (*TABLES, "data_docs")  # the names readers use under the destination
RUNS = ".runs"
CURRENT = ".current"
POINTER = "_CURRENT"  # on object stores: the JSON pointer to the published generation
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
    "teaser_list": "a listing page: most paragraphs are teasers cut off by an ellipsis, not an article's text",
    "notice_page": "a page served in place of the article (HTTP error, bot check, geo-block, removed story), not the article",
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


def write_batch(tables: dict[str, pa.Table], root: Store, batch_no: int) -> None:
    """Write one batch's tables under `root`, documents split into language partitions."""
    name = batch_file(batch_no)
    docs = tables["documents"]
    for language in sorted(set(docs.column("language").to_pylist())):
        part = docs.filter(pc.equal(docs.column("language"), language)).drop_columns(["language"])
        root.write_parquet(part, f"documents/language={language}/{name}", COMPRESSION)
    root.write_parquet(tables["removed_lines"], f"removed_lines/{name}", COMPRESSION)
    root.write_parquet(tables["rejected"], f"rejected/{name}", COMPRESSION)


def move_batch(root: Store, staged: str, into: str = "") -> None:
    """Move a staged batch's files into the tables: on a local disk one rename per file, so a
    reader sees a batch file whole or not at all, never half written."""
    root.move_files(staged, into)


def ensure_readable(root: Store) -> None:
    """Give every table at least one (empty) file, so that readers find its schema."""
    for name, schema in SCHEMAS.items():
        if not any(f.endswith(".parquet") for f in root.files(name)):
            if name == "documents":
                root.write_parquet(schema.empty_table().drop_columns(["language"]),
                                   f"{name}/language=und/empty.parquet", COMPRESSION)
            else:
                root.write_parquet(schema.empty_table(), f"{name}/empty.parquet", COMPRESSION)


def published_uris(dest: str | os.PathLike) -> dict[str, str]:
    """Where the published tables are: `DEST/<name>` locally, through `_CURRENT` on an object store."""
    store = Store.at(dest)
    if store.local:
        return {name: str(store.path / name) for name in PUBLISHED}
    pointer = json.loads(store.read_bytes(POINTER))
    return {name: f"{store.uri}/{pointer['generation']}/{name}" for name in PUBLISHED}


class PublishError(RuntimeError):
    """The destination cannot be published to; the message says why and what to do."""


def publish(generation: Store, dest: Store) -> None:
    """Make `generation` (a folder under `dest/.runs/`) the published one, atomically."""
    ensure_readable(generation)
    if not dest.local:
        previous = json.loads(dest.read_bytes(POINTER))["generation"] if dest.exists(POINTER) else None
        relative = posixpath.relpath(generation.root, dest.root)
        dest.write_bytes(POINTER, json.dumps({"generation": relative}).encode("utf-8"))
        generation.write_bytes(".published", b"")
        if previous is not None:  # marked too, in case a kill came between its pointer and its mark
            dest.child(previous).write_bytes(".published", b"")
        for old in {posixpath.dirname(p) for p in dest.files(RUNS) if p.endswith("/.published")}:
            if f"{RUNS}/{old}" not in (relative, previous):
                dest.remove(f"{RUNS}/{old}")
        return
    _publish_links(generation.path, dest.path)


def _publish_links(generation: Path, dest: Path) -> None:
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
