"""Validate tables with Great Expectations (GX Core 1.x) suites kept as JSON beside this file.

`<table>.json` holds the suite for each output table: edit the JSON to change what is checked.
`validate` runs a suite over one batch's Arrow table and returns an `Outcome`: whether it passed,
one readable line per failed expectation, and GX's full result as JSON (so that a worker in
another process can send it back). `build_data_docs` renders all results of a run as GX Data
Docs, static HTML.

GX contexts are not thread-safe and take a moment to set up, so each process keeps one
ephemeral context and validates under a lock.
"""

from __future__ import annotations

import datetime
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

from flows.lean import modules_absent  # noqa: E402

# GX loads its SQL and AWS back ends whenever they are installed (Prefect's server and the S3
# tests install them); the gate validates pandas frames only, so they stay out: 25 MB less in
# the flow's process. GX treats both as optional (great_expectations/compatibility/).
with modules_absent("sqlalchemy", "boto3", "botocore"):
    import great_expectations as gx  # noqa: E402
import pyarrow as pa  # noqa: E402
from great_expectations.core import ExpectationSuiteValidationResult  # noqa: E402
from great_expectations.core.run_identifier import RunIdentifier  # noqa: E402
from great_expectations.data_context.types.base import (  # noqa: E402
    DataContextConfig,
    InMemoryStoreBackendDefaults,
    ProgressBarsConfig,
)
from great_expectations.data_context.types.resource_identifiers import (  # noqa: E402
    ExpectationSuiteIdentifier,
    ValidationResultIdentifier,
)

SUITES_DIR = Path(__file__).parent
_lock = threading.Lock()
_state: dict = {}


@dataclass
class Outcome:
    table: str
    success: bool
    failures: list[str]  # one line per failed expectation
    result: dict  # GX's validation result, as JSON


def load_suite_spec(table: str) -> dict:
    return json.loads((SUITES_DIR / f"{table}.json").read_text(encoding="utf-8"))


def _ephemeral_context():
    """An in-memory context with no progress bars and no throw-away docs site in /tmp."""
    config = DataContextConfig(store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
                               progress_bars=ProgressBarsConfig(globally=False))
    return gx.get_context(mode="ephemeral", project_config=config)


def _context():
    """This process's GX context with one pandas asset per suite, created once."""
    if "context" not in _state:
        context = _ephemeral_context()
        source = context.data_sources.add_pandas("corpus")
        _state["context"] = context
        _state["source"] = source
        _state["batches"] = {}
        _state["suites"] = {}
    return _state


def _suite_and_batch_definition(table: str):
    state = _context()
    if table not in state["suites"]:
        suite = state["context"].suites.add(gx.ExpectationSuite(**load_suite_spec(table)))
        asset = state["source"].add_dataframe_asset(table)
        state["suites"][table] = suite
        state["batches"][table] = asset.add_batch_definition_whole_dataframe(table)
    return state["suites"][table], state["batches"][table]


def validate(table: str, data: pa.Table) -> Outcome:
    """Run `table`'s suite over `data` (one batch)."""
    frame = data.to_pandas()
    with _lock:
        suite, batch_definition = _suite_and_batch_definition(table)
        result = batch_definition.get_batch(batch_parameters={"dataframe": frame}).validate(suite)
    failures = [_describe(table, r) for r in result.results if not r.success]
    return Outcome(table, bool(result.success), failures, result.to_json_dict())


def _describe(table: str, r) -> str:
    kwargs = {k: v for k, v in r.expectation_config.kwargs.items() if k in ("column", "column_list")}
    where = kwargs.get("column") or ",".join(kwargs.get("column_list", []))
    found = r.result or {}
    detail = ""
    if "unexpected_count" in found:
        examples = [str(x)[:80] for x in (found.get("partial_unexpected_list") or [])[:3]]
        detail = f": {found['unexpected_count']} of {found.get('element_count')} rows, e.g. {examples}"
    elif r.exception_info and r.exception_info.get("raised_exception"):
        detail = f": {r.exception_info.get('exception_message')}"
    return f"{table}: {r.expectation_config.type}({where}) failed{detail}"


def build_data_docs(results: list[tuple[str, dict]], folder: Path) -> Path:
    """Render (batch name, GX result JSON) pairs as Data Docs under `folder`; returns index.html."""
    context = _ephemeral_context()
    context.add_data_docs_site(site_name="corpus", site_config={
        "class_name": "SiteBuilder",
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        # GX wants an absolute path here (a relative one raises).
        "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(folder.resolve())},
    })
    run_time = datetime.datetime.now(datetime.timezone.utc)
    for batch_name, result in results:
        key = ValidationResultIdentifier(
            expectation_suite_identifier=ExpectationSuiteIdentifier(name=result["suite_name"]),
            run_id=RunIdentifier(run_name=batch_name, run_time=run_time),
            batch_identifier=batch_name,
        )
        context.validation_results_store.set(key, ExpectationSuiteValidationResult(**result))
    context.build_data_docs(site_names=["corpus"])
    return folder / "index.html"
