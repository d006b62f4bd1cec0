"""Source and destination on an object store: the flow against a real S3-compatible server
(moto's server mode) on loopback, its tables read back and compared with a local run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyarrow.dataset as ds
import pyarrow.fs as pafs
import pytest

from flows.clean import main
from flows.tables import published_uris
from test_e2e_prefect import _free_port, _stop
from test_pipeline import read

MOTO = str(Path(sys.executable).with_name("moto_server"))


@pytest.fixture
def s3(monkeypatch, tmp_path):
    """A moto S3 server on a free loopback port, and the AWS environment pointing at it."""
    port = _free_port()
    log = open(tmp_path / "moto.log", "wb")
    server = subprocess.Popen([MOTO, "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=subprocess.STDOUT,
                              start_new_session=True)
    env = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1",
           "AWS_ENDPOINT_URL_S3": f"http://127.0.0.1:{port}", "AWS_EC2_METADATA_DISABLED": "true"}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    try:
        _wait_for(port, server)
        fs, _ = pafs.FileSystem.from_uri("s3://corpus?allow_bucket_creation=true")
        fs.create_dir("corpus")
        yield fs
    finally:
        _stop(server)
        log.close()


def _wait_for(port: int, server: subprocess.Popen, seconds: float = 60) -> None:
    import socket
    import time
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert server.poll() is None, "moto_server exited"
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail("moto_server did not start")


def _read_uri(uri: str, name: str) -> list[dict]:
    rows = ds.dataset(uri, format="parquet", partitioning="hive").to_table().to_pylist()
    return sorted(rows, key=lambda r: (r.get("doc_id"), r.get("line", 0)))


def test_flow_reads_and_writes_s3_like_a_local_run(s3, corpus, tmp_path):
    pafs.copy_files(str(corpus), "corpus/raw", source_filesystem=pafs.LocalFileSystem(), destination_filesystem=s3)
    assert main(["--source", "s3://corpus/raw", "--dest", "s3://corpus/clean", "--batch-size", "4",
                 "--workers", "2"]) == 0
    uris = published_uris("s3://corpus/clean")
    assert uris["documents"].startswith("s3://corpus/clean/.runs/")

    local = tmp_path / "local"
    assert main(["--source", str(corpus), "--dest", str(local), "--batch-size", "4"]) == 0
    for name in ("documents", "removed_lines", "rejected"):
        assert _read_uri(uris[name], name) == read(local, name), name
    assert s3.get_file_info(uris["data_docs"].removeprefix("s3://") + "/index.html").type == pafs.FileType.File

    # A run with nothing new publishes nothing; a full one publishes a new generation through the
    # pointer, and the first is kept for readers.
    assert main(["--source", "s3://corpus/raw", "--dest", "s3://corpus/clean", "--batch-size", "4"]) == 0
    assert published_uris("s3://corpus/clean") == uris
    assert main(["--source", "s3://corpus/raw", "--dest", "s3://corpus/clean", "--batch-size", "4", "--full"]) == 0
    again = published_uris("s3://corpus/clean")
    assert again["documents"] != uris["documents"]
    assert _read_uri(again["documents"], "documents") == read(local, "documents")
    assert s3.get_file_info(uris["documents"].removeprefix("s3://")).type == pafs.FileType.Directory


def test_incremental_runs_on_an_object_store(s3, corpus):
    """New files alone are cleaned; unchanged batches are copied into the new generation."""
    pafs.copy_files(str(corpus), "inc/raw", source_filesystem=pafs.LocalFileSystem(), destination_filesystem=s3)
    assert main(["--source", "s3://inc/raw", "--dest", "s3://inc/clean", "--batch-size", "4"]) == 0
    first = _read_uri(published_uris("s3://inc/clean")["documents"], "documents")
    with s3.open_output_stream("inc/raw/txt/en_new.txt") as out:
        out.write(b"Harbour workers ended their strike on Tuesday after a deal on night shifts was agreed.\n")
    assert main(["--source", "s3://inc/raw", "--dest", "s3://inc/clean", "--batch-size", "4"]) == 0
    now = _read_uri(published_uris("s3://inc/clean")["documents"], "documents")
    assert len(now) == len(first) + 1 and {r["doc_id"] for r in first} < {r["doc_id"] for r in now}

    # A kill between writing _CURRENT and marking the generation published: the next publication
    # must keep that generation, now the previous one readers may still be reading.
    current = published_uris("s3://inc/clean")["documents"].removeprefix("s3://").rsplit("/", 1)[0]
    s3.delete_file(f"{current}/.published")
    assert main(["--source", "s3://inc/raw", "--dest", "s3://inc/clean", "--full"]) == 0
    assert s3.get_file_info(f"{current}/documents").type == pafs.FileType.Directory


def test_a_missing_bucket_fails_the_run_with_a_message(s3, capsys):
    assert main(["--source", "s3://no-such-bucket/raw", "--dest", "s3://corpus/out"]) == 1
    assert "s3://no-such-bucket/raw" in capsys.readouterr().err
