"""The three output tables: their schemas, how a batch is written, how a run is published.

Layout under the destination folder:
- `documents/language=xx/batch-NNNNNN.parquet`: clean documents, hive-partitioned by language;
- `removed_lines/batch-NNNNNN.parquet`: every removed line, with the rule that removed it;
- `rejected/batch-NNNNNN.parquet`: every document that did not make it, with a reason and its
  original bytes, so that nothing is lost.

A run writes its batches into `.staging/<run>/tables/` and publishes them only when every batch
passed validation: each table folder is then swapped in whole for the previous run's, so readers
see the old tables or the new ones, never a mix. A run that fails validation leaves its staging
folder in place for inspection and publishes nothing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

TABLES = ("documents", "removed_lines", "rejected")
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


def publish(staged: Path, dest: Path, trash: Path) -> None:
    """Swap each staged table folder in for the published one; old folders go to `trash`."""
    ensure_readable(staged)
    trash.mkdir(parents=True, exist_ok=True)
    for name in TABLES:
        if (dest / name).exists():
            (dest / name).rename(trash / name)
        (staged / name).rename(dest / name)
    shutil.rmtree(trash, ignore_errors=True)
