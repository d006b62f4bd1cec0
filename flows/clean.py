"""The `clean` flow: Prefect orchestration around `flows.run`, plus an in-process command line.

    python -m flows.clean --source data/raw --dest data/clean

runs the same pipeline in this process with no Prefect server; the deployment `clean/corpus`
(prefect.yaml) runs `clean` under a worker. Each Prefect task cleans one batch of documents,
never one document.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import contextvars
import json
import logging
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import dask
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.settings import PREFECT_API_URL, temporary_settings
from prefect_dask import DaskTaskRunner

from flows.run import REPEAT_MIN_DOCS, RunFailed, RunSummary, run
from flows.stage import BatchReport, Settings, stage_batch


# Worker processes the run starts itself run at a lower priority than the flow's own process, which
# feeds them and validates their batches (flows/stage.py, lower_priority).
WORKER_NICENESS = 10


class Documents:
    """A batch's documents as one opaque task parameter. Prefect walks lists and dataclasses in a
    task's parameters looking for futures, and Dask hashes every parameter to name the task: for
    500 documents that was a sixth of the flow's CPU time. Neither looks inside this; Dask hashes
    its `label` instead (the task's name also holds Prefect's task-run id, so it stays unique)."""

    __slots__ = ("docs", "label")

    def __init__(self, docs: list, label: str) -> None:
        self.docs, self.label = docs, label

    def __dask_tokenize__(self) -> str:
        return self.label


@task(name="clean-batch", task_run_name="clean-batch-{batch_no}", retries=2, retry_delay_seconds=5,
      cache_policy=NO_CACHE)
def clean_batch_task(batch_no: int, docs: Documents, settings: Settings) -> BatchReport:
    """Clean, validate and stage one batch (see flows/stage.py)."""
    return stage_batch(batch_no, docs.docs, settings)


@flow(name="clean", description="Clean raw news text into validated, language-tagged Parquet tables.")
def clean(source: str = "data/raw", dest: str = "data/clean", batch_size: int = 500,
          rules: list[str] | None = None, disable_rules: list[str] | None = None,
          repeat_min_docs: int = REPEAT_MIN_DOCS, workers: int = 2, dask_address: str | None = None,
          full: bool = False, prune: bool = False) -> dict:
    """Clean every input under `source` into `dest`/{documents,removed_lines,rejected}.

    `rules`: extra rule-pack folders, read after the built-in packs (a rule of the same name
    replaces the built-in one); `disable_rules`: rule names or patterns such as "video.*";
    `repeat_min_docs`: a short line in this many documents or more is furniture (0: off).
    Runs are incremental (flows/state.py): only new and changed files are cleaned, and a killed
    run's work is taken up where it stopped; `full` cleans every file again, `prune` drops the
    rows of files that are no longer in the source.
    Batches run on Dask through prefect-dask's DaskTaskRunner: on a local cluster of `workers`
    processes, or, given `dask_address` ("tcp://host:8786"), on that existing cluster, whose
    workers must be able to import this project and read `source` and write `dest`.
    """
    logger = get_run_logger()
    try:
        with _dask_runner(workers, dask_address) as runner, _InBackground(lambda: runner.client) as starting:
            def submit(batch_no, docs, settings):
                starting.wait()
                return runner.submit(clean_batch_task, {"batch_no": batch_no, "settings": settings,
                                                        "docs": Documents(docs, f"{settings.generation}#{batch_no}")})
            summary = run(source, dest, submit=submit, log=logger.info, batch_size=batch_size,
                          rules_dirs=_rules_dirs(rules), disabled_rules=disable_rules or (),
                          repeat_min_docs=repeat_min_docs, max_in_flight=2 * max(1, workers),
                          full=full, prune=prune, worker_niceness=0 if dask_address else WORKER_NICENESS,
                          start_workers=starting.start)
    except RunFailed as exc:
        logger.error(str(exc))
        raise
    logger.info(summary.render())
    create_table_artifact(key="clean-corpus-counts", table=_artifact_rows(summary),
                          description=f"Counts of the clean run {source} -> {dest}")
    return summary.as_dict()


@contextlib.contextmanager
def _dask_runner(workers: int, address: str | None) -> Iterator[DaskTaskRunner]:
    """A started DaskTaskRunner: on the cluster at `address`, or on a local one of `workers` processes.

    One process per worker, one thread each: cleaning is pure-Python CPU work, which threads
    cannot run in parallel. Without a Prefect server (an ephemeral run), the workers are pointed
    at this process's temporary API, or each would start one of its own on the same database.
    """
    os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "warning")  # read by the worker processes too
    logging.getLogger("distributed").setLevel(logging.WARNING)
    if address:
        runner = DaskTaskRunner(address=address)
    else:
        # Dask's statistical profiler samples each worker's stack 100 times a second and keeps the
        # samples per task: CPU and memory spent on a dashboard a local cluster does not have.
        # (The nannies hand this process's Dask configuration to the workers they start.)
        dask.config.set({"distributed.worker.profile.enabled": False})
        runner = DaskTaskRunner(cluster_kwargs={"n_workers": max(1, workers), "processes": True,
                                                "threads_per_worker": 1, "dashboard_address": None})
    with _api_url_for_workers(), runner:
        yield runner


class _InBackground:
    """Run `work` in a thread once `start` is called, with this thread's context (Prefect's settings
    among it); `wait` for it, and leaving the `with` block waits too, so nothing it set up outlives
    the block. Used to start the Dask cluster while the run makes its first pass over the inputs:
    each worker process takes seconds to import Prefect, Dask and pyarrow."""

    def __init__(self, work: Callable[[], object]) -> None:
        self._thread = threading.Thread(target=contextvars.copy_context().run, args=(work,), daemon=True)

    def __enter__(self) -> "_InBackground":
        return self

    def __exit__(self, *exc: object) -> None:
        self.wait()

    def start(self) -> None:
        self._thread.start()

    def wait(self) -> None:
        if self._thread.ident is not None:
            self._thread.join()


@contextlib.contextmanager
def _api_url_for_workers() -> Iterator[None]:
    if PREFECT_API_URL.value():
        yield
        return
    from prefect.server.api.server import SubprocessASGIServer
    with temporary_settings(updates={PREFECT_API_URL: SubprocessASGIServer().api_url}):
        yield


def _rules_dirs(extra: Sequence[str] | None) -> list[str]:
    """The built-in packs first, then the user's folders, so theirs can override."""
    if not extra:
        return []
    from transforms.boilerplate import DEFAULT_RULES_DIR
    return [str(DEFAULT_RULES_DIR), *extra]


def _artifact_rows(summary: RunSummary) -> list[dict]:
    d = summary.as_dict()
    rows = [{"metric": k, "value": d[k]} for k in ("files", "batches", "documents_in", "clean", "rejected", "lines_removed")]
    rows += [{"metric": f"rejected: {k}", "value": v} for k, v in d["rejected_by_reason"].items()]
    rows += [{"metric": f"language: {k}", "value": v} for k, v in d["languages"].items()]
    return rows


def _local_submit(workers: int):
    """Run batches here (workers=1) or in a pool of worker processes."""
    if workers <= 1:
        def submit(batch_no, docs, settings):
            future: concurrent.futures.Future = concurrent.futures.Future()
            future.set_result(stage_batch(batch_no, docs, settings))
            return future
        return submit, None
    pool = concurrent.futures.ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
    return (lambda batch_no, docs, settings: pool.submit(stage_batch, batch_no, docs, settings)), pool


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m flows.clean", description=__doc__.split("\n")[0])
    parser.add_argument("--source", default="data/raw", help="folder of raw inputs (default: data/raw)")
    parser.add_argument("--dest", default="data/clean", help="folder for the output tables (default: data/clean)")
    parser.add_argument("--batch-size", type=int, default=500, help="documents per batch (default: 500)")
    parser.add_argument("--rules", action="append", default=[], metavar="DIR", help="extra rule-pack folder (repeatable)")
    parser.add_argument("--disable-rule", action="append", default=[], metavar="NAME",
                        help="switch a rule off by name or pattern, e.g. 'video.*' (repeatable)")
    parser.add_argument("--workers", type=int, default=1, help="worker processes (default: 1, in this process)")
    parser.add_argument("--engine", choices=("local", "prefect"), default="local",
                        help="local: this process and a process pool, no Prefect (default); prefect: run the "
                             "Prefect flow `clean` here, its batches on Dask (a temporary Prefect API unless "
                             "PREFECT_API_URL is set)")
    parser.add_argument("--dask-address", metavar="URL", help="with --engine prefect: an existing Dask scheduler")
    parser.add_argument("--summary-json", type=Path, metavar="FILE", help="also write the run's summary here as JSON")
    parser.add_argument("--repeat-min-docs", type=int, default=REPEAT_MIN_DOCS, metavar="N",
                        help=f"a short line in N+ documents is furniture, unless a full sentence (default {REPEAT_MIN_DOCS}; 0: off)")
    parser.add_argument("--full", action="store_true",
                        help="clean every input file again, not only new and changed ones")
    parser.add_argument("--prune", action="store_true",
                        help="drop the rows of input files that are no longer in the source (kept by default)")
    args = parser.parse_args(argv)
    if args.engine == "prefect":
        return _main_prefect(args)

    submit, pool = _local_submit(args.workers)
    try:
        summary = run(args.source, args.dest, submit=submit, log=lambda m: print(m, file=sys.stderr, flush=True),
                      batch_size=args.batch_size, rules_dirs=_rules_dirs(args.rules),
                      disabled_rules=args.disable_rule, max_in_flight=max(2, 2 * args.workers),
                      repeat_min_docs=args.repeat_min_docs, full=args.full, prune=args.prune,
                      worker_niceness=WORKER_NICENESS if pool is not None else 0)
    except RunFailed as exc:
        print(f"clean: FAILED: {exc}", file=sys.stderr)
        return 1
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    print(summary.render())
    _write_summary(args.summary_json, summary.as_dict())
    return 0


def _main_prefect(args: argparse.Namespace) -> int:
    """The Prefect flow itself, run in this process: what a deployment run does, minus the worker."""
    try:
        result = clean(source=args.source, dest=args.dest, batch_size=args.batch_size, rules=args.rules or None,
                       disable_rules=args.disable_rule or None, repeat_min_docs=args.repeat_min_docs,
                       workers=args.workers, dask_address=args.dask_address, full=args.full, prune=args.prune)
    except RunFailed as exc:
        print(f"clean: FAILED: {exc}", file=sys.stderr)
        return 1
    _write_summary(args.summary_json, result)
    return 0


def _write_summary(path: Path | None, summary: dict) -> None:
    if path is not None:
        path.write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
