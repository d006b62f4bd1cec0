"""End to end under Prefect: a real server and process worker on loopback run `clean/corpus`.

Steps, as a user would take them: start a server (temporary PREFECT_HOME, a free port), create
the process work pool, `prefect deploy --all` from the project root, start a worker, then
`prefect deployment run clean/corpus` with parameters pointing at a temporary corpus; wait for
the run to complete and read the Parquet back. The output must equal an in-process run's.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT
from flows.clean import main
from test_pipeline import read

pytestmark = pytest.mark.e2e
PREFECT = str(Path(sys.executable).with_name("prefect"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, server: subprocess.Popen, log: Path, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"prefect server exited early:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"prefect server not healthy after {seconds} s:\n{log.read_text()[-3000:]}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


@pytest.fixture
def prefect_env(tmp_path):
    """A live Prefect server on a free loopback port, with its own home."""
    port = _free_port()
    env = dict(os.environ, PREFECT_HOME=str(tmp_path / "prefect-home"),
               PREFECT_API_URL=f"http://127.0.0.1:{port}/api", PREFECT_SERVER_ANALYTICS_ENABLED="false",
               PREFECT_LOGGING_LEVEL="INFO", PWD=str(ROOT))
    log = tmp_path / "server.log"
    with open(log, "wb") as out:
        server = subprocess.Popen([PREFECT, "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                                  env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    processes = [server]
    try:
        _wait_healthy(env["PREFECT_API_URL"], server, log)
        yield env, processes
    finally:
        for process in reversed(processes):
            _stop(process)


def _prefect(env: dict, *args: str, timeout: float = 300) -> str:
    done = subprocess.run([PREFECT, "--no-prompt", *args], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout)
    assert done.returncode == 0, f"prefect {' '.join(args)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def test_deployment_runs_on_a_worker_and_matches_the_in_process_run(prefect_env, corpus, tmp_path):
    env, processes = prefect_env
    _prefect(env, "work-pool", "create", "clean-corpus", "--type", "process")
    _prefect(env, "deploy", "--all")
    inspected = _prefect(env, "deployment", "inspect", "clean/corpus")
    assert "'cron': '0 3 * * *'" in inspected and "'limit': 1" in inspected

    worker_log = tmp_path / "worker.log"
    with open(worker_log, "wb") as out:
        processes.append(subprocess.Popen([PREFECT, "worker", "start", "--pool", "clean-corpus"], env=env, cwd=ROOT,
                                          stdout=out, stderr=subprocess.STDOUT, start_new_session=True))
    dest = tmp_path / "prefect-out"
    watched = _prefect(env, "deployment", "run", "clean/corpus", "--param", f"source={corpus}",
                       "--param", f"dest={dest}", "--watch", "--watch-timeout", "400", timeout=450)
    assert "Completed" in watched, watched + worker_log.read_text()[-3000:]
    artifact = _prefect(env, "artifact", "inspect", "clean-corpus-counts")
    assert "documents_in" in artifact and "rejected" in artifact

    # A batch that fails validation ends the flow run Failed and publishes nothing.
    failing = tmp_path / "failing-out"
    done = subprocess.run([PREFECT, "--no-prompt", "deployment", "run", "clean/corpus", "--param", f"source={corpus}",
                           "--param", f"dest={failing}", "--param", 'disable_rules=["video.*"]',
                           "--watch", "--watch-timeout", "400"], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=450)
    assert "Failed" in done.stdout + done.stderr, done.stdout[-3000:]
    assert not (failing / "documents").exists() and list((failing / ".runs").glob("*/data_docs/index.html"))

    local = tmp_path / "local-out"
    assert main(["--source", str(corpus), "--dest", str(local)]) == 0
    for name in ("documents", "removed_lines", "rejected"):
        assert read(dest, name) == read(local, name), name
    assert read(dest, "documents")
