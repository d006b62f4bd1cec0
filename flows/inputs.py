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
stops the run. Only regular files are read (a FIFO named `.txt` would block the run forever,
a link to /dev/zero exhaust memory). Strings that cannot be stored as UTF-8 (file names that
are not UTF-8, lone surrogates escaped in JSON) are made storable: see `_storable`.

The source may also be an object-store URL (`s3://bucket/prefix`, see `flows/storage.py`):
objects are listed recursively and streamed the same way.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import re
import stat
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow.fs as pafs

from flows.storage import Store, is_url
from transforms.decode import Decoded, DecodeError, decode_bytes, find_bom

MULTINEWS_SEPARATOR = "|||||"
MULTINEWS_NEWLINE = "NEWLINE_CHAR"
FORMATS = {".txt": "txt", ".jsonl": "jsonl", ".jsonl.gz": "jsonl", ".src": "src"}
_SURROGATE = re.compile("[\ud800-\udfff]")


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
        key = f"{self.source}\x1f{self.record}\x1f{self.part}".encode("utf-8")
        return hashlib.sha256(key).hexdigest()[:24]


@dataclass(frozen=True)
class RemoteFile:
    """An input object in an object store: its filesystem and path, and its name under the source."""

    fs: pafs.FileSystem
    path: str
    relative: str
    size: int = -1
    mtime_ns: int = -1

    @property
    def name(self) -> str:
        return self.relative.rsplit("/", 1)[-1]

    def open(self):
        return io.BufferedReader(self.fs.open_input_stream(self.path, compression=None))


def file_format(path: Path | RemoteFile) -> str | None:
    name = path.name.lower()
    for suffix, fmt in FORMATS.items():
        if name.endswith(suffix):
            return fmt
    return None


def discover(root: Path | str) -> list[Path] | list[RemoteFile]:
    """Input files under `root`, in a stable order; symbolic links to folders are not followed."""
    if is_url(root):
        store = Store.at(root)
        if not store.exists():
            raise FileNotFoundError(f"nothing found at {root}")
        return [RemoteFile(store.fs, f"{store.root}/{name}", name, size, mtime_ns)
                for name, size, mtime_ns in store.file_infos() if file_format(Path(name))]
    found: list[Path] = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs.sort()
        found.extend(Path(folder) / f for f in sorted(files) if file_format(Path(f)))
    return found


def read_documents(root: Path, files: Iterable[Path] | None = None) -> Iterator[RawDocument]:
    """Every document of every input file under `root`, in file order."""
    for path in discover(root) if files is None else files:
        yield from read_file(root, path)


def source_name(root: Path | str, path: Path | RemoteFile) -> str:
    """The file's name in the tables' `source` column: its path under `root`, '/'-separated."""
    if isinstance(path, RemoteFile):
        return _storable(path.relative)
    return _storable(os.fsencode(path.relative_to(root)).decode("utf-8", "backslashreplace").replace(os.sep, "/"))


def fingerprint(path: Path | RemoteFile) -> tuple[int, int]:
    """(size, modification time in ns): what tells a later run the file is unchanged, without reading it."""
    if isinstance(path, RemoteFile):
        return path.size, path.mtime_ns
    try:
        st = path.stat()
    except OSError:  # a dangling link or a vanished file: read_file rejects it with the reason
        return -1, -1
    return st.st_size, st.st_mtime_ns


def read_file(root: Path | str, path: Path | RemoteFile) -> Iterator[RawDocument]:
    source = source_name(root, path)
    fmt = file_format(path)
    try:
        if not isinstance(path, RemoteFile) and not stat.S_ISREG(path.stat().st_mode):
            raise OSError("not a regular file (a FIFO, device or socket): not read")
        if fmt == "txt":
            with _open(path) as stream:
                data = stream.read()
            yield _txt_document(source, data)
        elif fmt == "jsonl":
            yield from _line_documents(source, path, _jsonl_document)
        elif fmt == "src":
            yield from _line_documents(source, path, _multinews_example)
    except OSError as exc:  # could not be opened or read at all: one rejected entry names it
        yield RawDocument(source, 0, 0, None, None, b"", reason="unreadable", detail=f"{source}: {exc}")


def _storable(text: str) -> str:
    """`text` with lone surrogates (which UTF-8 cannot store) replaced by U+FFFD."""
    return _SURROGATE.sub("\ufffd", text)


def _txt_document(source: str, data: bytes) -> RawDocument:
    try:
        decoded = decode_bytes(data)
    except DecodeError as exc:
        return RawDocument(source, 0, 0, None, None, data, reason=exc.reason, detail=f"{source}: {exc.detail}")
    return RawDocument(source, 0, 0, decoded.text, decoded.encoding, data)


def _open(path: Path | RemoteFile):
    return path.open() if isinstance(path, RemoteFile) else open(path, "rb")


def _lines(path: Path | RemoteFile) -> Iterator[tuple[int, bytes, Decoded | None]]:
    """(0-based line number, the line's bytes as in the file, its text if already decoded), streamed.

    Lines are split on bytes and decoded one by one, except in a file that opens with a UTF-16 or
    UTF-32 byte-order mark: its newlines are not single bytes, so it is read through a decoder.
    """
    with _open(path) as stream, (gzip.open(stream, "rb") if path.name.lower().endswith(".gz") else stream) as raw:
        bom = find_bom(raw.peek(4)[:4])
        try:
            if bom and bom[1] != "utf-8":
                marker, codec, _ = bom
                raw.read(len(marker))  # each line's bytes, as recorded, decode with `codec` alone
                for number, line in enumerate(io.TextIOWrapper(raw, encoding=codec, newline=None)):
                    line = line.rstrip("\r\n")
                    yield number, line.encode(codec), Decoded(line, codec)
            else:
                for number, line in enumerate(raw):
                    yield number, line.rstrip(b"\r\n"), None
        except (EOFError, OSError, zlib.error, UnicodeDecodeError) as exc:
            raise _Truncated(str(exc) or type(exc).__name__) from exc


class _Truncated(Exception):
    """The stream broke off (truncated or corrupt compressed data, undecodable wide text)."""


def _line_documents(source: str, path: Path, parse) -> Iterator[RawDocument]:
    """Documents of a line-per-record file; `parse(source, number, line, decoded)` lists each line's.

    Whatever goes wrong with one line rejects that line alone.
    """
    number = -1
    try:
        for number, line, decoded in _lines(path):
            if not line.strip():
                continue  # a blank line is no record
            try:
                documents = list(parse(source, number, line, decoded))
            except Exception as exc:  # noqa: BLE001 - one bad record must not stop the file
                documents = [_bad_line(source, number, line, "bad_record", f"could not be read: {exc!r}")]
            yield from documents
    except _Truncated as exc:
        yield RawDocument(source, number + 1, 0, None, None, b"", reason="unreadable",
                          detail=f"{source}: stream ends abruptly after line {number + 1}: {exc}")


def _bad_line(source: str, number: int, line: bytes, reason: str, detail: str) -> RawDocument:
    return RawDocument(source, number, 0, None, None, line, reason=reason, detail=f"{source}:{number + 1}: {detail}")


def _decode_line(source: str, number: int, line: bytes, decoded: Decoded | None) -> Decoded | RawDocument:
    if decoded is not None:
        return decoded
    try:
        return decode_bytes(line)
    except DecodeError as exc:
        return _bad_line(source, number, line, exc.reason, exc.detail)


def _jsonl_document(source: str, number: int, line: bytes, decoded: Decoded | None) -> Iterator[RawDocument]:
    decoded = _decode_line(source, number, line, decoded)
    if isinstance(decoded, RawDocument):
        yield decoded
        return
    try:
        obj = json.loads(decoded.text)
    except (ValueError, RecursionError) as exc:
        yield _bad_line(source, number, line, "bad_record", f"not valid JSON: {exc}")
        return
    text = obj.get("text") if isinstance(obj, dict) else None
    if not isinstance(obj, dict):
        yield _bad_line(source, number, line, "bad_record", f"a JSON {type(obj).__name__}, not an object")
    elif not isinstance(text, str):
        problem = "no string field 'text'" if text is None else f"'text' is a {type(text).__name__}, not a string"
        yield _bad_line(source, number, line, "bad_record", problem)
    else:
        yield RawDocument(source, number, 0, _storable(text), decoded.encoding, line,
                          input_id=_optional_str(obj.get("id")), url=_optional_str(obj.get("url")))


def _optional_str(value: object) -> str | None:
    if value is None:
        return None
    return _storable(value if isinstance(value, str) else json.dumps(value))


def _multinews_example(source: str, number: int, line: bytes, decoded: Decoded | None) -> Iterator[RawDocument]:
    decoded = _decode_line(source, number, line, decoded)
    if isinstance(decoded, RawDocument):
        yield decoded
        return
    # A strict decode round-trips, so each part's original bytes are its text re-encoded.
    codec = "utf-8" if decoded.encoding == "utf-8-sig" else decoded.encoding
    for part, chunk in enumerate(decoded.text.split(MULTINEWS_SEPARATOR)):
        yield RawDocument(source, number, part, chunk.replace(MULTINEWS_NEWLINE, "\n"), decoded.encoding,
                          chunk.encode(codec))


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
