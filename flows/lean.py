"""Keep libraries a process does not use out of it: each Python process of a run loads its own.

Every worker imports Prefect, Dask and pyarrow (about 160 MB), and the flow's process GX and
pandas as well; the run's memory is the sum over its processes. Two libraries come in without
being used, pulled by a probe or an optional back end, and these keep them out.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.abc
import sys
from collections.abc import Iterator

import pyarrow as pa


@contextlib.contextmanager
def modules_absent(*names: str) -> Iterator[None]:
    """While inside, importing any of `names` (or their submodules) fails as if not installed.

    Only for imports that treat the module as optional; ones already loaded stay loaded.
    """
    blocker = _Absent(frozenset(names))
    sys.meta_path.insert(0, blocker)
    try:
        yield
    finally:
        sys.meta_path.remove(blocker)


class _Absent(importlib.abc.MetaPathFinder):
    def __init__(self, names: frozenset[str]) -> None:
        self.names = names

    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in self.names:
            raise ImportError(f"{name} is kept out of this process (flows/lean.py)")
        return None


@functools.lru_cache(maxsize=1)
def keep_pandas_out() -> None:
    """Let pyarrow find no pandas in this process, once, unless pandas is already loaded.

    Building an Arrow array from Python lists makes pyarrow probe for pandas, and the probe
    imports it: 50 MB in every worker, which never uses it (validation, which does, runs in the
    flow's process). pyarrow remembers a failed probe, and its pandas conversions (`to_pandas`)
    import pandas again when they are called, so blocking the import for the one probe is safe.
    Output-neutral: the tables are built from lists either way.
    """
    if "pandas" in sys.modules:
        return
    with modules_absent("pandas"):
        pa.array(["probe"])  # a list with an item: an empty one is built without probing
