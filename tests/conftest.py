"""Shared test set-up: quiet, offline libraries and the project's own sample corpus."""

from __future__ import annotations

import importlib.util
import os
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Before any library is imported: no telemetry, and Prefect's home away from the user's.
os.environ["GX_ANALYTICS_ENABLED"] = "false"
os.environ["DO_NOT_TRACK"] = "1"
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="prefect-home-"))
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


def _load_sample_module():
    spec = importlib.util.spec_from_file_location("make_sample", ROOT / "data" / "make_sample.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


sample = _load_sample_module()


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A fresh copy of the sample corpus (data/make_sample.py) in a temporary folder."""
    root = tmp_path / "raw"
    sample.write_sample(root)
    return root
