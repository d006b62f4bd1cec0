"""The GX suites: in step with the code, and able to stop a bad batch (real Great Expectations)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pytest

from expectations.gate import load_suite_spec, validate
from flows import tables
from flows.batch import clean_batch
from flows.inputs import RawDocument
from transforms.boilerplate import RuleSet, load_rules
from transforms.language import LANGUAGES
from transforms.repair import MOJIBAKE_PATTERNS


def _kwargs(table: str, type_: str, column: str | None = None) -> dict:
    for e in load_suite_spec(table)["expectations"]:
        if e["type"] == type_ and (column is None or e["kwargs"].get("column") == column):
            return e["kwargs"]
    raise AssertionError(f"{table} has no {type_} on {column}")


@pytest.mark.parametrize("table", tables.TABLES)
def test_suite_columns_match_the_schema(table):
    """The suite checks the very schema the writer uses."""
    assert _kwargs(table, "expect_table_columns_to_match_ordered_list")["column_list"] == tables.SCHEMAS[table].names


def test_suites_share_the_code_vocabularies():
    """Languages, reasons and mojibake patterns are defined once in code and mirrored in the suites."""
    assert set(_kwargs("documents", "expect_column_values_to_be_in_set", "language")["value_set"]) == LANGUAGES
    assert set(_kwargs("rejected", "expect_column_values_to_be_in_set", "reason")["value_set"]) == set(tables.REASONS)
    regexes = [e["kwargs"]["regex"] for e in load_suite_spec("documents")["expectations"]
               if e["type"] == "expect_column_values_to_not_match_regex"]
    assert "|".join(MOJIBAKE_PATTERNS) in regexes


@pytest.mark.parametrize("line", ["Do you like this article?", "12 Comment(s)", "Comment Policy: be kind",
                                  "Download Adobe Flash Player", "The URL has been copied to your clipboard.",
                                  "270p | 8.8MB", "No media source currently available", "مشاركة :",
                                  "Connect with us", "Sitemap | Copyright 2019"])
def test_each_design_sentinel_fails_the_documents_suite_alone(line):
    """The sentinels are one pattern (one scan of the text): each alternative still catches its line,
    in the middle of a text, and the sentence around it passes."""
    text = f"The council met on Monday.\n{line}\nIt approved the budget."
    outcome = validate("documents", _documents(text=text))
    assert not outcome.success
    assert [f.split(" failed: ")[0] for f in outcome.failures] == ["documents: expect_column_values_to_not_match_regex(text)"]
    assert outcome.failures[0].split(" failed: ")[1].startswith("1 of ")
    assert validate("documents", _documents(text=f"The council said: {line.lower()} was on its website.")).success


def _documents(**overrides) -> pa.Table:
    row = {"doc_id": "a", "source": "s.txt", "record": 0, "part": 0, "input_id": None, "url": None,
           "text": "A clean sentence.", "language": "en", "language_score": 0.99, "chars_raw": 20,
           "chars_clean": 17, "lines_removed": 0, "encoding": "utf-8"}
    rows = [dict(row, **overrides), dict(row, doc_id="b")]
    return tables.to_table("documents", rows)


def test_a_clean_batch_passes():
    """Guard for the cases below: the baseline table is valid."""
    outcome = validate("documents", _documents())
    assert outcome.success and outcome.failures == []


@pytest.mark.parametrize(
    ("overrides", "expectation"),
    [
        ({"doc_id": "b"}, "expect_column_values_to_be_unique(doc_id)"),
        ({"text": ""}, "expect_column_value_lengths_to_be_between(text)"),
        ({"language": "xx"}, "expect_column_values_to_be_in_set(language)"),
        ({"language_score": 1.5}, "expect_column_values_to_be_between(language_score)"),
        ({"text": "News.\n\nDo you like this article?"}, "expect_column_values_to_not_match_regex(text)"),
        ({"text": "The minister said itâ€™s over."}, "expect_column_values_to_not_match_regex(text)"),
    ],
)
def test_the_gate_names_what_failed(overrides, expectation):
    """Each promise to downstream users is enforced, and the failure message names it."""
    outcome = validate("documents", _documents(**overrides))
    assert not outcome.success
    assert any(expectation in failure for failure in outcome.failures), outcome.failures


def test_unrepairable_mojibake_is_rejected_not_published():
    """Text that repair cannot save goes to rejected/ with reason 'mojibake', so the batch still passes."""
    mangled = "The minister’s “last word” on the budget was clear."
    for _ in range(3):  # encoded three times over, then lower-cased: beyond repair
        mangled = mangled.encode("utf-8").decode("cp1252", errors="ignore")
    mangled = mangled.lower()
    doc = RawDocument("x.txt", 0, 0, mangled, "utf-8", mangled.encode())
    batch = clean_batch([doc], load_rules())
    (row,) = batch.tables["rejected"].to_pylist()
    assert row["reason"] == "mojibake" and batch.tables["documents"].num_rows == 0
    assert all(validate(name, table).success for name, table in batch.tables.items())


def test_invisible_only_text_is_empty_not_furniture():
    """Zero-width spaces and no-break spaces are no text: reason 'empty', not 'no_content'."""
    doc = RawDocument("x.txt", 0, 0, "\u200b\ufeff\n&nbsp;\n\u00a0\n", "utf-8", b"")
    (row,) = clean_batch([doc], load_rules()).tables["rejected"].to_pylist()
    assert row["reason"] == "empty"


def test_a_document_that_breaks_cleaning_is_rejected_with_the_error():
    """A bug met on one document rejects that document (reason 'error') instead of the run."""

    class Exploding(RuleSet):  # stands in for a future bug in our own rule matching
        def clean_line(self, line: str):
            raise RuntimeError("boom")

    doc = RawDocument("z.txt", 0, 0, "A sentence long enough to be a document of its own.", "utf-8", b"raw")
    batch = clean_batch([doc], Exploding())
    (row,) = batch.tables["rejected"].to_pylist()
    assert row["reason"] == "error" and "z.txt" in row["detail"] and "boom" in row["detail"]
    assert row["original"] == b"raw" and validate("rejected", batch.tables["rejected"]).success


def test_a_stray_label_left_alone_is_rejected_as_too_short_but_one_real_word_is_kept():
    """'Yes' (what a cookie dialog leaves) is not an article; a one-word quote of real text is."""
    stray = RawDocument("a.txt", 0, 0, "Yes", "utf-8", b"Yes")
    word = RawDocument("b.txt", 0, 0, "Благодарности.", "utf-8", b"")
    batch = clean_batch([stray, word], load_rules())
    assert [r["reason"] for r in batch.tables["rejected"].to_pylist()] == ["too_short"]
    assert [d["source"] for d in batch.tables["documents"].to_pylist()] == ["b.txt"]


# Batches that finish together are validated together (flows/stage.py: accept_batches).
from flows.stage import Settings, accept_batches, stage_batch  # noqa: E402
from flows.storage import Store  # noqa: E402


def _staged(tmp_path, texts_by_batch: list[list[str]]):
    generation = tmp_path / "gen"
    generation.mkdir(exist_ok=True)
    settings = Settings(str(generation))
    reports = []
    for batch_no, texts in enumerate(texts_by_batch, start=1):
        docs = [RawDocument(f"b{batch_no}.txt", i, 0, text, "utf-8", text.encode()) for i, text in enumerate(texts)]
        reports.append(stage_batch(batch_no, docs, settings))
    return Store.at(str(generation)), reports


NEWS = ["The council approved the new budget on Tuesday after a long debate.",
        "Rail workers will strike on Friday, the union said in a statement."]


def test_batches_finished_together_pass_together_in_one_validation(tmp_path):
    generation, reports = _staged(tmp_path, [NEWS, NEWS[::-1]])
    accepted = accept_batches(reports, generation)
    assert [r.passed for r in accepted] == [True, True] and all(r.tables is None for r in accepted)
    assert len(accepted[0].results) == len(tables.TABLES) and accepted[1].results == []  # one validation
    assert generation.exists("documents") and not generation.exists("failed")


def test_a_bad_batch_in_a_group_fails_alone_and_is_named(tmp_path):
    """The group fails, so each batch is validated on its own: only the bad one goes to failed/."""
    generation, reports = _staged(tmp_path, [NEWS, NEWS])
    bad = reports[1].tables["documents"]
    reports[1].tables["documents"] = bad.set_column(bad.schema.get_field_index("language"), "language",
                                                    pa.array(["xx"] * bad.num_rows))
    accepted = accept_batches(reports, generation)
    assert [r.passed for r in accepted] == [True, False]
    assert any("language" in f for f in accepted[1].failures) and not accepted[0].failures
    assert generation.exists(f"failed/{reports[1].name}")


def test_a_worker_stages_a_batch_without_loading_pandas_and_pandas_still_works_after(tmp_path):
    """Workers never load pandas (50 MB each): pyarrow's probe for it is answered 'absent' once
    (flows/lean.py: keep_pandas_out). Run in a fresh interpreter, as a worker process is; the
    staged tables must still convert to pandas when something asks, as the gate does."""
    script = (
        "import sys\n"
        "from flows.inputs import RawDocument\n"
        "from flows.stage import Settings, stage_batch\n"
        f"docs = [RawDocument('a.txt', i, 0, t, 'utf-8', t.encode()) for i, t in enumerate({NEWS!r})]\n"
        f"report = stage_batch(1, docs, Settings({str(tmp_path)!r}))\n"
        "print('pandas' in sys.modules)\n"
        "print(len(report.tables['documents'].to_pandas()), 'pandas' in sys.modules)\n"
    )
    assert _in_a_fresh_interpreter(script) == ["False", "2 True"]


def test_the_gate_leaves_gx_optional_sql_and_aws_back_ends_out_and_still_validates():
    """GX is imported without sqlalchemy and boto3 (flows/lean.py), which it treats as optional;
    a fresh interpreter, as the flow's process is, still validates a batch with it."""
    script = (
        "import sys\n"
        "from expectations.gate import validate\n"
        "from flows.batch import clean_batch\n"
        "from flows.inputs import RawDocument\n"
        "from transforms.boilerplate import load_rules\n"
        f"docs = [RawDocument('a.txt', i, 0, t, 'utf-8', t.encode()) for i, t in enumerate({NEWS!r})]\n"
        "batch = clean_batch(docs, load_rules())\n"
        "print(validate('documents', batch.tables['documents']).success)\n"
        "print(sorted(m for m in ('sqlalchemy', 'boto3', 'botocore') if m in sys.modules))\n"
    )
    assert _in_a_fresh_interpreter(script) == ["True", "[]"]


def _in_a_fresh_interpreter(script: str) -> list[str]:
    """The lines `script` prints, run by a new Python in the project's folder, as a run's processes are."""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[1])
    return out.stdout.splitlines()
