"""Find input files and read them into raw documents, one at a time.

Formats, chosen by file name, found recursively under the source folder:
- `*.txt`: one document per file (record 0, part 0);
- `*.jsonl`, `*.jsonl.gz`: one JSON object per line with a string `text`; `id` and `url` are kept
  when present; `record` is the 0-based line number (blank lines are not documents);
- `*.src` (Multi-News): one example per line, its documents separated by `|||||`, newlines
  written as `NEWLINE_CHAR`; `record` is the 0-based line number, `part` the document's position.

Other files are ignored. Everything here streams: a file is read line by line (a `.txt` file is
one document, read whole), so memory stays bounded by the largest single document.

A document that cannot be read or decoded is still yielded, with `reason` and `detail` set, so
that the caller can put it in `rejected/`: nothing is dropped silently and one bad file never
stops the run.
"""

from __future__ import annotations

import codecs
import gzip
import hashlib
import io
import json
import os
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from transforms.decode import DecodeError, decode_bytes

MULTINEWS_SEPARATOR = "|||||"
MULTINEWS_NEWLINE = "NEWLINE_CHAR"
FORMATS = {".txt": "txt", ".jsonl": "jsonl", ".jsonl.gz": "jsonl", ".src": "src"}


@dataclass(frozen=True)
class RawDocument:
    source: str  # path relative to the source folder, '/'-separated
    record: int
    part: int
    text: str | None  # decoded text; None when the document could not be read
    encoding: str | None
    original: bytes  # the document's bytes as found in the input
    input_id: str | None = None
    url: str | None = None
    reason: str | None = None  # set when the document is rejected before cleaning
    detail: str | None = None

    @property
    def doc_id(self) -> str:
        """Stable identity from the document's place in the input: same on every rerun."""
        key = f"{self.source}\x1f{self.record}\x1f{self.part}".encode("utf-8", "surrogateescape")
        return hashlib.sha256(key).hexdigest()[:24]


def file_format(path: Path) -> str | None:
    name = path.name.lower()
    for suffix, fmt in FORMATS.items():
        if name.endswith(suffix):
            return fmt
    return None


def discover(root: Path) -> list[Path]:
    """Input files under `root`, in a stable order; symbolic links to folders are not followed."""
    found: list[Path] = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs.sort()
        found.extend(Path(folder) / f for f in sorted(files) if file_format(Path(f)))
    return found


def read_documents(root: Path, files: Iterable[Path] | None = None) -> Iterator[RawDocument]:
    """Every document of every input file under `root`, in file order."""
    for path in discover(root) if files is None else files:
        yield from read_file(root, path)


def read_file(root: Path, path: Path) -> Iterator[RawDocument]:
    source = path.relative_to(root).as_posix()
    fmt = file_format(path)
    try:
        if fmt == "txt":
            yield _txt_document(source, path.read_bytes())
        elif fmt == "jsonl":
            yield from _line_documents(source, path, _jsonl_record)
        elif fmt == "src":
            yield from _line_documents(source, path, _multinews_example)
    except OSError as exc:  # unreadable file: one rejected entry for what was not read
        yield RawDocument(source, 0, 0, None, None, b"", reason="unreadable", detail=f"{source}: {exc}")


def _txt_document(source: str, data: bytes) -> RawDocument:
    try:
        decoded = decode_bytes(data)
    except DecodeError as exc:
        return RawDocument(source, 0, 0, None, None, data, reason=exc.reason, detail=f"{source}: {exc.detail}")
    return RawDocument(source, 0, 0, decoded.text, decoded.encoding, data)


def _lines(path: Path) -> Iterator[tuple[int, bytes]]:
    """(0-based line number, line bytes without the newline), streamed.

    A file that opens with a UTF-16 or UTF-32 byte-order mark is read through a decoder, since its
    newlines are not single bytes; its lines are handed on re-encoded as UTF-8.
    """
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rb") as raw:
        head = raw.peek(4)[:4] if hasattr(raw, "peek") else b""
        wide = next((enc for bom, enc in _WIDE_BOMS if head.startswith(bom)), None)
        if wide:
            stream: Iterable = (line.encode("utf-8") for line in io.TextIOWrapper(raw, encoding=wide, newline=None))
        else:
            stream = raw
        try:
            for number, line in enumerate(stream):
                yield number, line.rstrip(b"\r\n")
        except (EOFError, OSError, zlib.error, UnicodeDecodeError) as exc:
            raise _Truncated(str(exc) or type(exc).__name__) from exc


_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)


class _Truncated(Exception):
    """The stream broke off (truncated or corrupt compressed data)."""


def _line_documents(source: str, path: Path, parse) -> Iterator[RawDocument]:
    """Documents of a line-per-record file; `parse(source, number, line)` yields each line's."""
    number = -1
    try:
        for number, line in _lines(path):
            if line.strip():  # a blank line is no record
                yield from parse(source, number, line)
    except _Truncated as exc:
        yield RawDocument(source, number + 1, 0, None, None, b"", reason="unreadable",
                          detail=f"{source}: stream ends abruptly after line {number + 1}: {exc}")


def _jsonl_record(source: str, number: int, line: bytes) -> Iterator[RawDocument]:
    yield _jsonl_document(source, number, line)


def _jsonl_document(source: str, number: int, line: bytes) -> RawDocument:
    def bad(detail: str) -> RawDocument:
        return RawDocument(source, number, 0, None, None, line, reason="bad_record",
                           detail=f"{source}:{number + 1}: {detail}")

    try:
        decoded = decode_bytes(line)
    except DecodeError as exc:
        return RawDocument(source, number, 0, None, None, line, reason=exc.reason,
                           detail=f"{source}:{number + 1}: {exc.detail}")
    try:
        obj = json.loads(decoded.text)
    except json.JSONDecodeError as exc:
        return bad(f"not valid JSON: {exc}")
    if not isinstance(obj, dict):
        return bad(f"a JSON {type(obj).__name__}, not an object")
    text = obj.get("text")
    if not isinstance(text, str):
        return bad("no string field 'text'" if text is None else f"'text' is a {type(text).__name__}, not a string")
    return RawDocument(source, number, 0, text, decoded.encoding, line,
                       input_id=_optional_str(obj.get("id")), url=_optional_str(obj.get("url")))


def _optional_str(value: object) -> str | None:
    return None if value is None else value if isinstance(value, str) else json.dumps(value)


def _multinews_example(source: str, number: int, line: bytes) -> Iterator[RawDocument]:
    try:
        decoded = decode_bytes(line)
    except DecodeError as exc:
        yield RawDocument(source, number, 0, None, None, line, reason=exc.reason,
                          detail=f"{source}:{number + 1}: {exc.detail}")
        return
    # A strict decode round-trips, so each part's original bytes are its text re-encoded.
    codec = "utf-8" if decoded.encoding == "utf-8-sig" else decoded.encoding
    for part, chunk in enumerate(decoded.text.split(MULTINEWS_SEPARATOR)):
        yield RawDocument(source, number, part, chunk.replace(MULTINEWS_NEWLINE, "\n"), decoded.encoding,
                          chunk.encode(codec, "surrogateescape"))


def batched(items: Iterable, size: int) -> Iterator[list]:
    """Consecutive lists of at most `size` items (itertools.batched arrives in Python 3.12)."""
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
