"""Scheduled runs do only new work (flows/state.py), and a killed run is taken up where it stopped."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT
from flows import tables
from flows.clean import main
from test_bench import generate
from test_pipeline import fingerprint, read

NEW_ARTICLE = ("Harbour workers ended their strike on Tuesday after the port authority agreed to a new "
               "schedule for night shifts.\n\nThe agreement runs for two years, the union said.\n")


def clean(source: Path, dest: Path, *extra: str) -> dict:
    summary = dest.parent / f"{dest.name}-summary.json"
    assert main(["--source", str(source), "--dest", str(dest), "--batch-size", "3",
                 "--summary-json", str(summary), *extra]) == 0
    return json.loads(summary.read_text())


def tables_of(dest: Path) -> dict[str, list[dict]]:
    return {name: read(dest, name) for name in tables.TABLES}


def afresh(source: Path, tmp_path: Path, *extra: str) -> dict[str, list[dict]]:
    """What one run over the inputs as they are now publishes into a new destination."""
    dest = tmp_path / f"fresh-{len(list(tmp_path.glob('fresh-*')))}"
    clean(source, dest, *extra)
    return tables_of(dest)


def no_duplicates(dest: Path) -> None:
    docs, rejected = read(dest, "documents"), read(dest, "rejected")
    ids = [r["doc_id"] for r in docs + rejected]
    assert len(ids) == len(set(ids))
    lines = [(r["doc_id"], r["line"], r["start"]) for r in read(dest, "removed_lines")]
    assert len(lines) == len(set(lines))


def test_a_run_with_nothing_new_publishes_nothing(corpus, tmp_path):
    dest = tmp_path / "clean"
    first = clean(corpus, dest)
    published = (dest / ".current").resolve()
    again = clean(corpus, dest)
    assert again["documents_in"] == 0 and again["batches"] == 0 and again["plan"].startswith("nothing new")
    assert (dest / ".current").resolve() == published
    assert len(list((dest / ".runs").iterdir())) == 1
    assert sum(len(r) for r in tables_of(dest).values()) and first["documents_in"] == 21


def test_a_new_file_is_cleaned_alone_and_joins_the_published_tables(corpus, tmp_path):
    dest = tmp_path / "clean"
    clean(corpus, dest)
    (corpus / "txt" / "en_harbour.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    summary = clean(corpus, dest)
    assert summary["documents_in"] == 1 and summary["clean"] == 1
    assert summary["plan"].startswith("1 files to clean, 12 unchanged")
    assert tables_of(dest) == afresh(corpus, tmp_path)
    no_duplicates(dest)


def test_a_changed_file_has_its_rows_replaced_never_duplicated(corpus, tmp_path):
    dest = tmp_path / "clean"
    clean(corpus, dest)
    wire = corpus / "jsonl" / "wire.jsonl"
    records = wire.read_text(encoding="utf-8").splitlines()
    changed = json.loads(records[0])
    changed["text"] = NEW_ARTICLE
    wire.write_text("\n".join([json.dumps(changed), *records[2:]]) + "\n", encoding="utf-8")  # one edited, one gone
    summary = clean(corpus, dest)
    assert summary["documents_in"] == len(records) - 1
    now = tables_of(dest)
    assert now == afresh(corpus, tmp_path)
    assert NEW_ARTICLE.split("\n")[0] in {r["text"].split("\n")[0] for r in now["documents"]}
    no_duplicates(dest)


def test_a_deleted_file_keeps_its_rows_until_a_run_prunes_them(corpus, tmp_path):
    dest = tmp_path / "clean"
    clean(corpus, dest)
    before = tables_of(dest)
    (corpus / "txt" / "fr_budget.txt").unlink()
    kept = clean(corpus, dest)
    assert kept["plan"].startswith("nothing new") and "1 files no longer in the source keep their rows" in kept["plan"]
    assert tables_of(dest) == before
    pruned = clean(corpus, dest, "--prune")
    assert pruned["documents_in"] == 0 and "old rows of 1 changed or removed files dropped" in pruned["plan"]
    assert "txt/fr_budget.txt" not in {r["source"] for r in read(dest, "documents")}
    assert tables_of(dest) == afresh(corpus, tmp_path)


def test_other_rules_or_full_clean_every_file_again(corpus, tmp_path):
    dest = tmp_path / "clean"
    first = clean(corpus, dest)
    other = clean(corpus, dest, "--repeat-min-docs", "4")  # the rows depend on the settings
    assert other["documents_in"] == first["documents_in"]
    back = clean(corpus, dest)
    assert back["documents_in"] == first["documents_in"]
    assert clean(corpus, dest, "--full")["documents_in"] == first["documents_in"]
    assert tables_of(dest) == afresh(corpus, tmp_path)
    no_duplicates(dest)


def test_a_file_cleaned_again_and_again_is_not_counted_again_and_again(corpus, tmp_path):
    """Repetition counts: the old version of a changed file must not stay counted. A byline in two
    documents of one file is no furniture however often the file is touched."""
    feed = corpus / "jsonl" / "feed.jsonl"
    body = "The council approved the budget on Tuesday after a long debate about housing."
    feed.write_text("".join(json.dumps({"text": f"{body} Item {i}.\nReported by Anna Kowalski\n{body}"}) + "\n"
                            for i in range(2)), encoding="utf-8")
    dest = tmp_path / "clean"
    clean(corpus, dest)
    for touch in range(4):
        os.utime(feed, ns=(feed.stat().st_atime_ns, feed.stat().st_mtime_ns + 10**9))
        assert clean(corpus, dest)["documents_in"] == 2
    assert tables_of(dest) == afresh(corpus, tmp_path)
    assert sum("Reported by Anna Kowalski" in r["text"] for r in read(dest, "documents")) == 2


def test_a_dangling_link_is_not_new_on_every_run(corpus, tmp_path):
    (corpus / "txt" / "gone.txt").symlink_to(corpus / "txt" / "nowhere.txt")
    dest = tmp_path / "clean"
    clean(corpus, dest)
    assert clean(corpus, dest)["plan"].startswith("nothing new")


def test_an_unchanged_file_is_carried_over_without_a_copy(corpus, tmp_path):
    """Unchanged batches are hard links into the new generation: no rewrite, no extra space."""
    dest = tmp_path / "clean"
    clean(corpus, dest)
    (corpus / "txt" / "en_harbour.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    clean(corpus, dest)
    shared = [p for p in (dest / ".current" / "rejected").iterdir() if p.stat().st_nlink == 2]
    assert shared


# --- a run killed midway -------------------------------------------------------------------------

def _start(source: Path, dest: Path, log: Path, engine: str) -> subprocess.Popen:
    with open(log, "w") as err:
        return subprocess.Popen([sys.executable, "-m", "flows.clean", "--source", str(source), "--dest", str(dest),
                                 "--batch-size", "10", "--workers", "2", "--engine", engine], cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)


def _done_records(dest: Path) -> list[Path]:
    """The batch records of the run in progress (published generations are marked `.published`)."""
    return sorted(p for p in (dest / ".runs").glob("*/_state/done/*.json")
                  if not (p.parents[2] / ".published").exists())


def _kill_after(run: subprocess.Popen, dest: Path, batches: int, log: Path) -> None:
    """SIGKILL the run once `batches` batches are recorded done (0: once its plan is written)."""
    deadline = time.monotonic() + 240
    while len(_done_records(dest)) < batches or not [
            p for p in (dest / ".runs").glob("*/_state/plan.json") if not (p.parents[1] / ".published").exists()]:
        assert run.poll() is None, "the run ended before it could be killed: " + log.read_text()
        assert time.monotonic() < deadline, log.read_text()
        time.sleep(0.02)
    os.killpg(run.pid, signal.SIGKILL)  # the run and its worker processes, with no chance to tidy up
    run.wait()


@pytest.mark.e2e
@pytest.mark.parametrize(("engine", "batches"), [("local", 0), ("local", 1), ("local", 6), ("prefect", 3)])
def test_a_killed_run_is_taken_up_and_completes_exactly_the_missing_work(tmp_path, engine, batches):
    """Kill a run (and its workers) midway over a published destination: readers still see the
    previous publication, whole; the next run cleans only what the killed one had not finished."""
    from conftest import sample
    source = tmp_path / "raw"
    sample.write_sample(source / "sample")
    dest, log = tmp_path / "clean", tmp_path / "run.log"
    clean(source, dest)
    published = tables_of(dest)
    generate.generate(source / "news", 240, seed=3)
    before = fingerprint(source)

    _kill_after(_start(source, dest, log, engine), dest, batches, log)
    assert tables_of(dest) == published  # the previous publication, whole and readable
    done = len(_done_records(dest))
    assert done >= batches

    summary = clean(source, dest, "--workers", "2", "--batch-size", "10")
    assert summary["documents_in"] == 240 - 10 * done  # exactly the documents of the batches not done
    assert tables_of(dest) == afresh(source, tmp_path, "--workers", "2", "--batch-size", "40")
    no_duplicates(dest)
    assert len(list((dest / ".runs").iterdir())) == 2  # the killed run's folder became the published one
    assert fingerprint(source) == before


def _killed_scene(corpus: Path, dest: Path) -> Path:
    """What a kill leaves after the third batch of a run over three new files was moved in but not
    recorded: the published pointer on the base, the run's generation unfinished. Returns it."""
    clean(corpus, dest)
    (corpus / "txt" / "en_harbour.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    (corpus / "txt" / "en_harbour_2.txt").write_text(NEW_ARTICLE.replace("Tuesday", "Monday"), encoding="utf-8")
    (corpus / "txt" / "en_harbour_3.txt").write_text(NEW_ARTICLE.replace("Tuesday", "Friday"), encoding="utf-8")
    clean(corpus, dest, "--batch-size", "1")
    generation = (dest / ".current").resolve()
    # Stage the scene a kill leaves: the published pointer back on the base, the last record gone.
    base = next(p for p in (dest / ".runs").iterdir() if p != generation)
    (dest / ".current").unlink()
    (dest / ".current").symlink_to(Path(tables.RUNS) / base.name)
    (generation / ".published").unlink()
    (generation / "_state" / "files.json").unlink()
    records = sorted((generation / "_state" / "done").iterdir())
    assert len(records) == 3
    records[-1].unlink()
    return generation


def test_a_batch_moved_in_but_not_recorded_is_done_again_not_kept_twice(corpus, tmp_path):
    """A kill between moving a batch in and recording it: the next run drops that batch and redoes it."""
    dest = tmp_path / "clean"
    _killed_scene(corpus, dest)
    summary = clean(corpus, dest, "--batch-size", "3")  # other batch numbers: a stale file would not be overwritten
    assert summary["documents_in"] == 1
    assert tables_of(dest) == afresh(corpus, tmp_path)
    no_duplicates(dest)


def test_a_run_that_cannot_find_where_it_stopped_fails_and_the_next_starts_afresh(corpus, tmp_path, capsys):
    """Resuming past a document that is not there would lose the rest of its file: fail instead."""
    dest = tmp_path / "clean"
    generation = _killed_scene(corpus, dest)
    published = tables_of(dest)
    record = sorted((generation / "_state" / "done").iterdir())[-1]
    done = json.loads(record.read_text())
    done["last"][1] = 999  # a record the file does not have (as if it changed without a new size or time)
    record.write_text(json.dumps(done))
    assert main(["--source", str(corpus), "--dest", str(dest)]) == 1
    assert "taking up the unfinished run" in capsys.readouterr().err
    assert tables_of(dest) == published
    assert clean(corpus, dest)["documents_in"] == 3  # afresh: all three new files
    assert tables_of(dest) == afresh(corpus, tmp_path)
    no_duplicates(dest)
