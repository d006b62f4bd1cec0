"""The whole run in-process (python -m flows.clean): accounting, publication, the GX gate."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pyarrow.dataset as ds
import pytest

from flows import tables
from flows.clean import main
from flows.inputs import read_documents


def read(dest: Path, name: str) -> list[dict]:
    rows = ds.dataset(dest / name, format="parquet", partitioning="hive").to_table().to_pylist()
    return sorted(rows, key=lambda r: (r.get("doc_id"), r.get("line", 0)))


def fingerprint(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def cleaned(corpus, tmp_path):
    dest = tmp_path / "clean"
    assert main(["--source", str(corpus), "--dest", str(dest), "--batch-size", "4"]) == 0
    return dest


def test_every_input_document_lands_in_exactly_one_table(corpus, cleaned):
    """Nothing lost, nothing doubled: documents and rejected partition the input."""
    expected = {d.doc_id for d in read_documents(corpus)}
    clean_ids = [r["doc_id"] for r in read(cleaned, "documents")]
    rejected_ids = [r["doc_id"] for r in read(cleaned, "rejected")]
    assert len(clean_ids) == len(set(clean_ids)) and len(rejected_ids) == len(set(rejected_ids))
    assert set(clean_ids).isdisjoint(rejected_ids)
    assert set(clean_ids) | set(rejected_ids) == expected
    removed_ids = {r["doc_id"] for r in read(cleaned, "removed_lines")}
    assert removed_ids <= expected


def test_rejections_carry_a_known_reason_and_the_original_content(cleaned):
    """Rejected rows explain themselves and keep what was read, so nothing is lost."""
    rows = read(cleaned, "rejected")
    assert {r["reason"] for r in rows} <= set(tables.REASONS)
    by_source = {r["source"]: r for r in rows}
    assert by_source["txt/empty.txt"]["reason"] == "empty"
    assert by_source["txt/only_furniture.txt"]["reason"] == "no_content"
    assert b"Share this article" in by_source["txt/only_furniture.txt"]["original"]
    assert by_source["jsonl/wire.jsonl"]["reason"] == "bad_record"


def test_published_tables_have_the_documented_schemas(cleaned):
    """Downstream users rely on these columns and types."""
    for name, schema in tables.SCHEMAS.items():
        got = ds.dataset(cleaned / name, format="parquet", partitioning="hive").schema
        for field in schema:
            if name == "documents" and field.name == "language":
                assert field.name in got.names  # from the hive partition
            else:
                assert got.field(field.name).type == field.type, (name, field.name)


def test_documents_are_clean_and_tagged(cleaned):
    """Furniture gone, mojibake repaired, legacy encodings decoded, languages right."""
    docs = {(r["source"], r["record"], r["part"]): r for r in read(cleaned, "documents")}
    port = docs[("txt/en_port.txt", 0, 0)]
    assert "Do you like this article?" not in port["text"] and "Comment Policy" not in port["text"]
    assert "Share prices of the port operator rose four percent" in port["text"]
    assert port["language"] == "en" and 0.9 < port["language_score"] <= 1.0
    assert "preocupación" in docs[("txt/es_election_mojibake.txt", 0, 0)]["text"]
    assert docs[("txt/de_rail_cp1252.txt", 0, 0)]["encoding"] == "cp1252"
    assert docs[("txt/ru_heat_cp1251.txt", 0, 0)]["language"] == "ru"
    assert docs[("jsonl/wire.jsonl", 0, 0)]["input_id"] == "wire-1"
    src = docs[("multinews/sample.src", 0, 0)]["text"]
    assert src.startswith("Port workers end strike") and "\n\nDock workers" in src


def test_every_removal_is_audited_with_line_and_rule(corpus, cleaned):
    """removed_lines holds each removed line as it was, where it was, and which rule."""
    doc_ids = {(d.source, d.record, d.part): d.doc_id for d in read_documents(corpus)}
    removed = [r for r in read(cleaned, "removed_lines") if r["doc_id"] == doc_ids[("txt/en_flood_video.txt", 0, 0)]]
    lines = (corpus / "txt/en_flood_video.txt").read_text(encoding="utf-8").split("\n")
    assert removed and all(lines[r["line"] - 1] == r["text"] for r in removed)
    assert {"video.flash_prompt", "video.size_menu", "share.copy_notice"} <= {r["rule"] for r in removed}


def test_same_input_same_output_and_inputs_untouched(corpus, cleaned, tmp_path):
    """Deterministic output, byte for byte in content; the inputs are never modified."""
    before = fingerprint(corpus)
    again = tmp_path / "again"
    assert main(["--source", str(corpus), "--dest", str(again), "--batch-size", "4"]) == 0
    for name in tables.TABLES:
        assert read(cleaned, name) == read(again, name)
    assert fingerprint(corpus) == before


def test_rerun_into_the_same_destination_replaces_instead_of_duplicating(corpus, cleaned):
    """A second run publishes a fresh set of tables, not a second copy of the rows."""
    first = read(cleaned, "documents")
    assert main(["--source", str(corpus), "--dest", str(cleaned), "--batch-size", "7", "--full"]) == 0
    assert read(cleaned, "documents") == first
    assert len(list((cleaned / ".runs").iterdir())) == 2  # the new generation and the previous one


def test_failed_validation_publishes_nothing_and_keeps_the_batch(corpus, tmp_path, capsys):
    """With the video rules off, a known furniture line reaches the text: the gate must stop it."""
    dest = tmp_path / "clean"
    code = main(["--source", str(corpus), "--dest", str(dest), "--disable-rule", "video.*"])
    err = capsys.readouterr().err
    assert code == 1
    assert "expect_column_values_to_not_match_regex(text)" in err and "Download Adobe Flash Player" in err
    assert not (dest / "documents").exists()
    failed = list((dest / ".runs").glob("*/failed/batch-*/validation.json"))
    assert failed and list((dest / ".runs").glob("*/data_docs/index.html"))


def test_runs_in_the_same_second_get_their_own_generation(corpus, cleaned):
    """Two quick reruns in one process must not write into the published generation."""
    first = (cleaned / ".current").resolve()
    for size in ("3", "5"):
        assert main(["--source", str(corpus), "--dest", str(cleaned), "--batch-size", size, "--full"]) == 0
        assert (cleaned / ".current").resolve() != first
        first = (cleaned / ".current").resolve()
    assert len(read(cleaned, "documents")) == len({r["doc_id"] for r in read(cleaned, "documents")})


def test_a_failed_run_leaves_the_published_tables_and_report_as_they_were(corpus, cleaned, capsys):
    """Publication is all or nothing: a failing rerun does not touch what readers see."""
    before = {name: read(cleaned, name) for name in tables.TABLES}
    report = (cleaned / "data_docs" / "index.html").read_bytes()
    assert main(["--source", str(corpus), "--dest", str(cleaned), "--disable-rule", "video.*"]) == 1
    assert {name: read(cleaned, name) for name in tables.TABLES} == before
    assert (cleaned / "data_docs" / "index.html").read_bytes() == report
    assert "published tables are unchanged" in capsys.readouterr().err


def test_publication_switches_all_tables_through_one_pointer(cleaned):
    """Every published name resolves through .current, the one link a publication replaces."""
    current = (cleaned / ".current").resolve()
    for name in (*tables.TABLES, "data_docs"):
        assert (cleaned / name).is_symlink() and (cleaned / name).resolve() == current / name


@pytest.mark.parametrize("option", [["--rules", "/nonexistent/rules"], ["--disable-rule", "vidoe.*"]])
def test_bad_rule_options_fail_before_any_work_with_a_clear_message(corpus, tmp_path, capsys, option):
    """A missing rules folder or a mistyped rule name is an error up front, not a traceback later."""
    assert main(["--source", str(corpus), "--dest", str(tmp_path / "o"), *option]) == 1
    err = capsys.readouterr().err
    assert "clean: FAILED: rules:" in err and "Traceback" not in err and not (tmp_path / "o" / "documents").exists()


def test_user_rule_pack_extends_the_built_in_rules(corpus, tmp_path):
    """A rules folder given on the command line adds rules without editing code."""
    pack = tmp_path / "rules"
    pack.mkdir()
    (pack / "site.toml").write_text(
        'family = "site"\n[[rules]]\nname = "headline_port"\npattern = "port workers end strike after pay deal"\n'
        'targets = "test"\ndrop = ["Port workers end strike after pay deal"]\nkeep = ["Port workers struck."]\n',
        encoding="utf-8")
    dest = tmp_path / "clean"
    assert main(["--source", str(corpus), "--dest", str(dest), "--rules", str(pack)]) == 0
    assert any(r["rule"] == "site.headline_port" for r in read(dest, "removed_lines"))
    assert all("Port workers end strike" not in r["text"] for r in read(dest, "documents"))


def test_command_line_with_relative_paths_exit_status_and_summary(corpus, tmp_path):
    """As `make` runs it: relative folders, 0 and a summary on success, non-zero naming a missing source."""
    ok = subprocess.run([sys.executable, "-m", "flows.clean", "--source", "raw", "--dest", "out"],
                        cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert ok.returncode == 0, ok.stderr
    assert "documents in" in ok.stdout and "rejected" in ok.stdout and "data docs" in ok.stdout
    assert (tmp_path / "out" / "data_docs" / "index.html").exists() and read(tmp_path / "out", "documents")
    missing = subprocess.run([sys.executable, "-m", "flows.clean", "--source", "nope", "--dest", "o2"],
                             cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert missing.returncode != 0 and "nope" in missing.stderr and not (tmp_path / "o2").exists()


DESIGN_FURNITURE = {  # the furniture named in the design, each with the rule family that must catch it
    "Do you like this article?": "comments",
    "0 Comment(s)": "comments",
    "Comment Policy * Denotes Required Field 1500 / 1500": "comments",
    "Download Adobe Flash Player": "video",
    "The code has been copied to your clipboard.": "share",
    "  • 270p | 8.8MB": "video",
    "  • 1080p | 65.2MB": "video",
    "No media source currently available": "video",
    "مشاركة :": "share",
    "Connect with us": "navigation",
    "Sitemap | Copyright © 2018-2019": "copyright",
}


def test_design_furniture_is_removed_audited_and_news_kept(tmp_path):
    """Every furniture line of the design goes, with its rule; every article paragraph stays."""
    article = [
        "Ministers agree to extend the grain corridor",
        "Foreign ministers agreed on Tuesday to extend the grain corridor for another six months, "
        "officials said after talks that ran late into the night.",
        "Readers can share their views on the deal, and the ministry said video of the signing would be "
        "published later. Comments from farmers' groups were broadly positive.",
    ]
    furniture = list(DESIGN_FURNITURE)
    lines = [article[0], furniture[9], article[1], *furniture[:5], article[2], *furniture[5:9], furniture[10]]
    source = tmp_path / "raw"
    source.mkdir()
    (source / "story.txt").write_text("\n\n".join(lines), encoding="utf-8")
    dest = tmp_path / "clean"
    assert main(["--source", str(source), "--dest", str(dest)]) == 0
    (doc,) = read(dest, "documents")
    assert all(paragraph in doc["text"] for paragraph in article)
    assert doc["text"].split("\n\n") == article
    assert doc["language"] == "en"
    removed = {r["text"]: r["rule"] for r in read(dest, "removed_lines")}
    assert {text: rule.split(".")[0] for text, rule in removed.items()} == DESIGN_FURNITURE


def test_worker_processes_give_the_same_output_as_one_process(corpus, cleaned, tmp_path):
    """--workers N runs batches in spawned processes; the tables must not change."""
    parallel = tmp_path / "parallel"
    assert main(["--source", str(corpus), "--dest", str(parallel), "--batch-size", "4", "--workers", "2"]) == 0
    for name in tables.TABLES:
        assert read(parallel, name) == read(cleaned, name), name


def _worker_niceness(niceness: int) -> int:
    from flows.stage import lower_priority
    lower_priority(niceness)
    lower_priority(niceness)  # once per process, however many batches
    return os.nice(0)


def test_workers_run_below_the_flow_and_the_flow_keeps_its_priority(corpus, tmp_path):
    """Worker processes yield the cores to the flow that feeds and validates them; a run in this
    process (one worker) must not lower its own priority."""
    import concurrent.futures
    import multiprocessing

    from flows.clean import WORKER_NICENESS
    own = os.nice(0)
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        assert pool.submit(_worker_niceness, WORKER_NICENESS).result() == min(19, own + WORKER_NICENESS)
    assert main(["--source", str(corpus), "--dest", str(tmp_path / "one"), "--workers", "1"]) == 0
    assert main(["--source", str(corpus), "--dest", str(tmp_path / "two"), "--workers", "2"]) == 0
    assert os.nice(0) == own
