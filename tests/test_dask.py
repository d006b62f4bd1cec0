"""The flow's batches on an existing Dask cluster: a real `dask scheduler` and two `dask worker`
processes on loopback, and output identical to an in-process run.

The flow runs with a temporary Prefect API (no server), as `python -m flows.clean --engine prefect`
does; the workers import the project from this checkout.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT
from flows.clean import main
from test_e2e_prefect import _free_port, _stop
from test_pipeline import read

pytestmark = pytest.mark.e2e
DASK = str(Path(sys.executable).with_name("dask"))


def _wait_for_workers(address: str, count: int, env: dict, seconds: float = 120) -> None:
    probe = ("import sys; from distributed import Client\n"
             f"c = Client({address!r}, timeout=10); c.wait_for_workers({count}, timeout={seconds}); c.close()")
    subprocess.run([sys.executable, "-c", probe], env=env, check=True, timeout=seconds + 30)


@pytest.fixture
def dask_cluster(tmp_path):
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = dict(os.environ, PYTHONPATH=str(ROOT), DASK_LOGGING__DISTRIBUTED="warning")
    log = open(tmp_path / "dask.log", "wb")
    processes = [subprocess.Popen([DASK, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
                                  env=env, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)]
    try:
        for _ in range(2):
            processes.append(subprocess.Popen(
                [DASK, "worker", address, "--nworkers", "1", "--nthreads", "1", "--no-dashboard",
                 "--local-directory", str(tmp_path / "dask-scratch")],
                env=env, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
        _wait_for_workers(address, 2, env)
        yield address, env
    finally:
        for process in reversed(processes):
            _stop(process)
        log.close()


def test_flow_on_an_existing_dask_cluster_matches_a_local_run(dask_cluster, corpus, tmp_path):
    address, env = dask_cluster
    dest = tmp_path / "on-dask"
    env = dict(env, PREFECT_HOME=str(tmp_path / "prefect-home"), PREFECT_SERVER_ANALYTICS_ENABLED="false")
    env.pop("PREFECT_API_URL", None)
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "flows.clean", "--engine", "prefect", "--dask-address", address,
                           "--source", str(corpus), "--dest", str(dest), "--batch-size", "4",
                           "--summary-json", str(tmp_path / "summary.json")],
                          env=env, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-5000:]
    summary = (tmp_path / "summary.json").read_text()
    assert '"batches": 1,' not in summary, "the corpus should make several batches, to spread over both workers"

    local = tmp_path / "local"
    assert main(["--source", str(corpus), "--dest", str(local), "--batch-size", "4"]) == 0
    for name in ("documents", "removed_lines", "rejected"):
        assert read(dest, name) == read(local, name), name
    assert read(dest, "documents"), f"nothing cleaned ({time.monotonic() - started:.0f} s)"
