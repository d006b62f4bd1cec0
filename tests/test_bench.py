"""bench/: the synthetic corpus is reproducible, as varied as promised, and the flow accounts for all of it.

Speed figures are compared across runs and machines only if every run reads the same bytes, and
they mean something only if the corpus exercises what real input does (languages, code pages,
furniture, formats). No timing here: bench/speed.py measures, this checks what it measures on.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.dataset as ds
import pytest

from flows.clean import main
from flows.inputs import read_documents

ROOT = Path(__file__).resolve().parents[1]
DOCS = 300


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


generate = _load("generate")


def contents(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def texts(root: Path) -> list[str]:
    return [d.text for d in read_documents(root) if d.text is not None]


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("bench") / "corpus"
    generate.generate(root, DOCS, seed=0)
    return root


@pytest.fixture(scope="module")
def larger(tmp_path_factory) -> Path:
    """5,000 documents (under a second to write): enough for the rarer formats and code pages."""
    root = tmp_path_factory.mktemp("bench") / "larger"
    generate.generate(root, 5_000, seed=0)
    return root


def test_same_docs_and_seed_give_byte_identical_files(small, tmp_path):
    """Runs are comparable only on the same input: gzip headers and all, nothing may vary."""
    generate.generate(tmp_path / "again", DOCS, seed=0)
    assert contents(tmp_path / "again") == contents(small)
    generate.generate(tmp_path / "other", DOCS, seed=1)
    assert contents(tmp_path / "other") != contents(small)


def test_a_non_empty_folder_is_refused_unless_forced(small, tmp_path):
    with pytest.raises(SystemExit, match="not empty"):
        generate.generate(small, 10)
    copy = tmp_path / "copy"
    generate.generate(copy, 50)
    generate.generate(copy, 20, force=True)  # the earlier corpus goes, none of it mixes in
    assert json.loads((copy / generate.MANIFEST).read_text())["docs"] == 20
    assert len(list(read_documents(copy))) == 20


def test_the_manifest_matches_the_files(small):
    manifest = json.loads((small / generate.MANIFEST).read_text(encoding="utf-8"))
    data_files = [p for p in small.rglob("*") if p.is_file() and p.name != generate.MANIFEST]
    assert manifest["docs"] == DOCS == len(list(read_documents(small)))
    assert manifest["files"] == len(data_files) and manifest["bytes"] == sum(p.stat().st_size for p in data_files)
    assert set(manifest["languages"]) == set(generate.LANGUAGE_WEIGHTS)
    assert 0.10 <= manifest["furniture_share"] <= 0.20


def test_json_lines_files_hold_records_with_id_url_and_text(larger):
    first = (larger / "shard-0000" / "part-000000.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(first) == generate.RECORDS_PER_FILE
    record = json.loads(first[0])
    assert set(record) == {"id", "url", "text"} and record["text"].count("\n") >= 1


def test_every_format_code_page_and_kind_of_furniture_is_there(larger):
    """The rarer parts appear within the first shard, so that a prefix of any corpus has them."""
    names = [p.name for p in larger.rglob("*") if p.is_file()]
    assert any(n.endswith(".jsonl") for n in names) and any(n.endswith(".jsonl.gz") for n in names)
    legacy = {}
    for path in larger.rglob("*.txt"):
        data = path.read_bytes()
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            codec = generate.LEGACY_CODEC[path.parent.name]
            legacy.setdefault(codec, data.decode(codec))
    assert {"cp1252", "cp1251", "cp1256"} <= set(legacy)
    assert re.search("[а-я]", legacy["cp1251"]) and re.search("[ء-ي]", legacy["cp1256"])
    joined = "\n".join(texts(larger))
    for furniture in ("Share this article", "Advertisement", "Related stories", "Sign up for our daily newsletter",
                      "All rights reserved.", "Photo: ", "p | ", "مشاركة :", "Example Media | About us"):
        assert furniture in joined, furniture
    assert re.search(r"^Advertisement [A-Z][a-z]+ [a-z]", joined, re.M), "furniture glued to a paragraph"
    assert "â€" in joined or "Ã" in joined, "a double-encoded line"


def test_the_flow_accounts_for_every_generated_document(small, tmp_path):
    """documents + rejected == generated; every language comes out; furniture is removed by rule."""
    dest = tmp_path / "clean"
    assert main(["--source", str(small), "--dest", str(dest)]) == 0
    docs = ds.dataset(dest / "documents", format="parquet", partitioning="hive").to_table(
        columns=["doc_id", "language", "encoding"]).to_pylist()
    rejected = ds.dataset(dest / "rejected", format="parquet").to_table(columns=["doc_id", "reason"]).to_pylist()
    assert len(docs) + len(rejected) == DOCS
    assert len({d["doc_id"] for d in docs} | {r["doc_id"] for r in rejected}) == DOCS
    assert {d["language"] for d in docs} >= set(generate.LANGUAGE_WEIGHTS)
    assert "no_content" in {r["reason"] for r in rejected}  # the page that was only furniture
    assert {d["encoding"] for d in docs} - {"utf-8"}, "a legacy code page was read"
    rules = ds.dataset(dest / "removed_lines", format="parquet").to_table(columns=["rule"]).column("rule").to_pylist()
    assert {"ads", "share", "copyright", "repetition"} <= {rule.split(".")[0] for rule in rules}


def test_memory_sampler_sees_grandchildren_through_proc():
    """The /proc fallback (no psutil) must count a process's descendants, not just the process."""
    speed = _load("speed")
    script = "import subprocess, sys; subprocess.run([sys.executable, '-c', 'import time; time.sleep(30)'])"
    parent = subprocess.Popen([sys.executable, "-c", script], start_new_session=True)  # its own group, to end
    try:
        for _ in range(100):
            tree = speed._proc_tree_rss(parent.pid)
            if len(tree) >= 2:
                break
            time.sleep(0.05)
        assert parent.pid in tree and len(tree) >= 2 and all(rss > 0 for rss in tree.values())
    finally:
        os.killpg(parent.pid, signal.SIGKILL)  # the group this test started: the child and grandchild
        parent.wait()


def test_cpu_tally_counts_the_work_of_each_process_in_the_tree():
    """(f) says where the cores went: a child that spins shows its CPU seconds, an idle parent few."""
    speed = _load("speed")
    spin = "import time\nend = time.process_time() + 0.5\nwhile time.process_time() < end: pass\ntime.sleep(30)"
    script = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {spin!r}])"
    parent = subprocess.Popen([sys.executable, "-c", script], start_new_session=True)
    try:
        for _ in range(200):
            cpu = speed._psutil_tree_cpu(parent.pid)
            if len(cpu) >= 2 and max(cpu.values()) >= 0.5:
                break
            time.sleep(0.05)
        child = max(cpu, key=cpu.get)
        assert child != parent.pid and cpu[child] >= 0.5 and cpu[parent.pid] < 0.5
    finally:
        os.killpg(parent.pid, signal.SIGKILL)
        parent.wait()
