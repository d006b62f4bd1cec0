"""Runs that cannot corrupt the destination: a second run waits for the first, and a failed
write ends the run Failed with a message that says what to do, publishing nothing."""

from __future__ import annotations

import fcntl
import subprocess
import sys
import time

import pytest

from conftest import ROOT
from flows import storage
from flows.clean import main
from test_pipeline import read


def test_a_failed_write_fails_the_run_and_publishes_nothing(corpus, tmp_path, monkeypatch, capsys):
    dest = tmp_path / "clean"
    assert main(["--source", str(corpus), "--dest", str(dest)]) == 0
    before = read(dest, "documents")

    def disk_full(self, table, relative, compression):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(storage.Store, "write_parquet", disk_full)
    assert main(["--source", str(corpus), "--dest", str(dest), "--full"]) == 1
    err = capsys.readouterr().err
    assert "No space left on device" in err and "Nothing was published" in err and "run again" in err
    monkeypatch.undo()
    assert read(dest, "documents") == before  # the previous run's tables, untouched
    assert main(["--source", str(corpus), "--dest", str(dest), "--full"]) == 0  # disk freed: the next run goes on
    assert "taking up the unfinished run" in capsys.readouterr().err
    assert read(dest, "documents") == before
    assert len(list((dest / ".runs").iterdir())) == 2  # the published and the previous; no leftover


def test_a_second_run_on_the_same_destination_waits_for_the_first(corpus, tmp_path):
    dest = tmp_path / "clean"
    dest.mkdir()
    log = tmp_path / "second.log"
    with open(dest / ".lock", "a+b") as held, open(log, "w") as err:  # `held` stands for a first run
        fcntl.flock(held, fcntl.LOCK_EX)
        second = subprocess.Popen([sys.executable, "-m", "flows.clean", "--source", str(corpus), "--dest", str(dest)],
                                  cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err, text=True)
        deadline = time.monotonic() + 120
        while "another run is writing to" not in log.read_text() and time.monotonic() < deadline:
            assert second.poll() is None, "the second run did not wait: " + log.read_text()
            time.sleep(0.2)
        time.sleep(1)
        assert second.poll() is None and not (dest / "documents").exists()
        fcntl.flock(held, fcntl.LOCK_UN)
    assert second.wait(timeout=300) == 0, log.read_text()
    assert read(dest, "documents")


@pytest.mark.e2e
def test_two_runs_started_at_once_leave_one_consistent_publication(corpus, tmp_path):
    dest = tmp_path / "clean"
    command = [sys.executable, "-m", "flows.clean", "--source", str(corpus), "--dest", str(dest)]
    runs = [subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)]
    for run in runs:
        _, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
    alone = tmp_path / "alone"
    assert main(["--source", str(corpus), "--dest", str(alone)]) == 0
    for name in ("documents", "removed_lines", "rejected"):
        assert read(dest, name) == read(alone, name), name
