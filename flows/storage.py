"""Where inputs are read and tables written: a local folder, or an object store such as S3.

Workers on other machines cannot see a local folder, so `source` and `dest` may also be URLs
(`s3://bucket/prefix`), opened through pyarrow's filesystems. Credentials and endpoint come from
the environment, as pyarrow and the AWS tools expect: `AWS_ACCESS_KEY_ID`,
`AWS_SECRET_ACCESS_KEY`, `AWS_DEFAULT_REGION`, and `AWS_ENDPOINT_URL_S3` (or `AWS_ENDPOINT_URL`)
for an S3-compatible server such as MinIO; every worker needs them in its own environment.

A `Store` is one such location with the few operations the pipeline needs. On a local disk,
`move` is a rename (atomic); on an object store it is a copy and a delete, which is why
publication there goes through a pointer object written last (see `flows/tables.py`).
"""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.fs as pafs
import pyarrow.parquet as pq


def is_url(location: str | os.PathLike) -> bool:
    return "://" in str(location)


def _partial(path: str) -> str:
    """Where a file is written before its rename: hidden, so that a dataset reader skips it if a
    kill leaves it behind (pyarrow ignores names starting with '.')."""
    folder, name = posixpath.split(path)
    return posixpath.join(folder, f".{name}.partial-{os.getpid()}")


@dataclass(frozen=True)
class Store:
    """A folder (`root`, '/'-separated) on a pyarrow filesystem; `uri` is how it was named."""

    uri: str
    root: str
    fs: pafs.FileSystem

    @classmethod
    def at(cls, location: str | os.PathLike) -> "Store":
        if is_url(location):
            fs, root = pafs.FileSystem.from_uri(str(location))
            return cls(str(location).rstrip("/"), root.rstrip("/"), fs)
        root = os.path.realpath(location)  # one spelling of a folder, however it was named
        return cls(root, root, pafs.LocalFileSystem())

    @property
    def local(self) -> bool:
        return isinstance(self.fs, pafs.LocalFileSystem)

    @property
    def path(self) -> Path:
        """The folder as a local path (local stores only)."""
        assert self.local, self.uri
        return Path(self.root)

    def child(self, *parts: str) -> "Store":
        suffix = "/".join(parts)
        return Store(f"{self.uri}/{suffix}", posixpath.join(self.root, suffix), self.fs)

    def _full(self, relative: str) -> str:
        return posixpath.join(self.root, relative) if relative else self.root

    def write_parquet(self, table: pa.Table, relative: str, compression: str) -> None:
        """Whole or not at all, as `write_bytes`."""
        path = self._full(relative)
        self.fs.create_dir(posixpath.dirname(path), recursive=True)
        target, path = path, (_partial(path) if self.local else path)
        pq.write_table(table, path, compression=compression, filesystem=self.fs)
        if path != target:
            os.replace(path, target)

    def write_bytes(self, relative: str, data: bytes) -> None:
        """Whole or not at all: locally through a temporary name and a rename (a run killed while
        writing its state must not leave half a file); an object store's PUT is atomic as it is."""
        path = self._full(relative)
        self.fs.create_dir(posixpath.dirname(path), recursive=True)
        target, path = path, (_partial(path) if self.local else path)
        with self.fs.open_output_stream(path, compression=None) as out:
            out.write(data)
        if path != target:
            os.replace(path, target)

    def read_bytes(self, relative: str) -> bytes:
        with self.fs.open_input_stream(self._full(relative), compression=None) as stream:
            return stream.read()

    def exists(self, relative: str = "") -> bool:
        return self.fs.get_file_info(self._full(relative)).type != pafs.FileType.NotFound

    def files(self, relative: str = "") -> list[str]:
        """Every file under `relative`, as paths relative to it, sorted."""
        return [name for name, _, _ in self.file_infos(relative)]

    def file_infos(self, relative: str = "") -> list[tuple[str, int, int]]:
        """(path relative to `relative`, size, modification time in ns) of every file under it, sorted."""
        base = self._full(relative)
        if not self.exists(relative):
            return []
        infos = self.fs.get_file_info(pafs.FileSelector(base, recursive=True))
        return sorted((posixpath.relpath(i.path, base), i.size, int(i.mtime_ns or 0))
                      for i in infos if i.type == pafs.FileType.File)

    def folders(self, relative: str = "") -> list[str]:
        """The names of the folders directly under `relative`, sorted."""
        if not self.exists(relative):
            return []
        infos = self.fs.get_file_info(pafs.FileSelector(self._full(relative), recursive=False))
        return sorted(posixpath.basename(i.path) for i in infos if i.type == pafs.FileType.Directory)

    def copy_from(self, other: "Store", relative: str) -> None:
        """Put `other`'s file `relative` at the same place here: a hard link on a local disk (the
        tables' files are never changed once written, so generations can share them), a
        server-side copy on an object store."""
        target = self._full(relative)
        self.fs.create_dir(posixpath.dirname(target), recursive=True)
        if self.local and other.local:
            try:
                os.link(other._full(relative), target)
                return
            except OSError:  # another file system, or one without hard links
                pass
        self.fs.copy_file(other._full(relative), target)

    def move_files(self, relative_from: str, relative_to: str) -> None:
        """Move every file under one folder to the same place under another, then drop the first."""
        for name in self.files(relative_from):
            target = self._full(posixpath.join(relative_to, name))
            self.fs.create_dir(posixpath.dirname(target), recursive=True)
            self.fs.move(self._full(posixpath.join(relative_from, name)), target)
        self.remove(relative_from)

    def remove(self, relative: str) -> None:
        if self.exists(relative):
            self.fs.delete_dir(self._full(relative))

    def upload(self, local: Path, relative: str) -> None:
        """Copy a local folder's files here (Data Docs built on the local disk)."""
        for path in sorted(p for p in local.rglob("*") if p.is_file()):
            self.write_bytes(posixpath.join(relative, path.relative_to(local).as_posix()), path.read_bytes())
