"""Reading the three input formats into raw documents, and rejecting what cannot be read."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from flows.inputs import discover, read_documents


def _docs(root: Path) -> list:
    return list(read_documents(root))


def test_discovers_the_three_formats_recursively_and_ignores_other_files(tmp_path):
    """Inputs are chosen by file name, in any subfolder, in a stable order."""
    for rel in ("b/x.txt", "a/y.jsonl", "a/z.jsonl.gz", "c/m.src", "notes.md", "a/data.json"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(b"")
    found = [p.relative_to(tmp_path).as_posix() for p in discover(tmp_path)]
    assert found == ["a/y.jsonl", "a/z.jsonl.gz", "b/x.txt", "c/m.src"]


def test_txt_is_one_document_with_its_encoding(tmp_path):
    """A legacy-encoded file is decoded and says which encoding was used."""
    (tmp_path / "ru.txt").write_bytes("Министр заявил, что переговоры продолжатся на следующей неделе.".encode("cp1251"))
    (doc,) = _docs(tmp_path)
    assert (doc.source, doc.record, doc.part, doc.encoding) == ("ru.txt", 0, 0, "cp1251")
    assert doc.text.startswith("Министр") and doc.reason is None


def test_jsonl_keeps_id_and_url_and_rejects_bad_lines_by_name(tmp_path):
    """Good records survive bad ones beside them; each bad one is named with file and line."""
    lines = [
        json.dumps({"id": "a", "url": "https://example.org/a", "text": "first"}),
        "",  # blank lines are not documents, but still count as lines
        "{not json",
        json.dumps({"id": 7, "text": "second"}),
        json.dumps({"text": 42}),
        json.dumps({"title": "no text"}),
        json.dumps(["a", "list"]),
    ]
    (tmp_path / "d.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    docs = _docs(tmp_path)
    assert [(d.record, d.reason) for d in docs] == [
        (0, None), (2, "bad_record"), (3, None), (4, "bad_record"), (5, "bad_record"), (6, "bad_record")]
    assert (docs[0].input_id, docs[0].url, docs[2].input_id) == ("a", "https://example.org/a", "7")
    assert docs[1].detail.startswith("d.jsonl:3:") and docs[1].original == b"{not json"
    assert "is a int" in docs[3].detail and "no string field 'text'" in docs[4].detail


def test_truncated_gzip_keeps_the_good_records_and_rejects_the_rest(tmp_path):
    """A broken compressed stream rejects what could not be read, not the whole file."""
    payload = b"".join(json.dumps({"text": f"record {i} " * 50}).encode() + b"\n" for i in range(200))
    data = gzip.compress(payload)
    (tmp_path / "cut.jsonl.gz").write_bytes(data[: len(data) // 2])
    docs = _docs(tmp_path)
    good = [d for d in docs if d.reason is None]
    assert good and docs[-1].reason == "unreadable" and "cut.jsonl.gz" in docs[-1].detail
    assert docs[-1].record == good[-1].record + 1 and len(docs) == len(good) + 1


def test_multinews_src_splits_examples_into_parts_and_restores_newlines(tmp_path):
    """'|||||' separates documents, NEWLINE_CHAR is a newline; record and part locate each."""
    line0 = "First doc line one.NEWLINE_CHARNEWLINE_CHAR Line two. ||||| Second doc."
    (tmp_path / "m.src").write_text(line0 + "\nThird doc alone.\n", encoding="utf-8")
    docs = _docs(tmp_path)
    assert [(d.record, d.part) for d in docs] == [(0, 0), (0, 1), (1, 0)]
    assert docs[0].text == "First doc line one.\n\n Line two. "
    assert docs[1].original == " Second doc.".encode()


def test_doc_ids_are_stable_and_unique(corpus):
    """The same input gives the same ids on every run; no two documents share one."""
    first = [d.doc_id for d in _docs(corpus)]
    assert first == [d.doc_id for d in _docs(corpus)]
    assert len(set(first)) == len(first)


def test_undecodable_and_binary_files_are_rejected_with_their_bytes(tmp_path):
    """A PNG named .txt is not text: rejected, original bytes kept, nothing raised."""
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    (tmp_path / "image.txt").write_bytes(png)
    (doc,) = _docs(tmp_path)
    assert doc.reason in {"binary", "undecodable"} and doc.original == png and "image.txt" in doc.detail


def test_line_files_in_utf16_keep_their_encoding_and_bytes(tmp_path):
    """A UTF-16 JSON Lines file is read line by line, and says so: encoding and original bytes."""
    body = "\n".join(json.dumps({"text": t}, ensure_ascii=False) for t in ("Первый", "Second")) + "\n"
    (tmp_path / "wide.jsonl").write_bytes(body.encode("utf-16"))  # with BOM, native order
    docs = _docs(tmp_path)
    assert [d.text for d in docs] == ["Первый", "Second"]
    assert all(d.original.decode(d.encoding) == json.dumps({"text": d.text}, ensure_ascii=False) for d in docs)


def test_inputs_that_used_to_crash_are_rejected_by_name(tmp_path):
    """Deep JSON, lone surrogates, a non-UTF-8 file name and a FIFO: each rejected or stored, never raised."""
    import os

    deep = '{"text": "x", "meta": ' + "[" * 100_000 + "]" * 100_000 + "}"
    (tmp_path / "deep.jsonl").write_text(deep + "\n" + json.dumps({"id": "\ud800", "text": "ok \ud800"}) + "\n")
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "notes.txt").write_text("fine")
    os.rename(tmp_path / "notes.txt", os.fsencode(tmp_path) + b"/bad\xffname.txt")
    docs = {(d.source, d.record): d for d in _docs(tmp_path)}
    assert docs[("deep.jsonl", 0)].reason == "bad_record"
    assert docs[("deep.jsonl", 1)].input_id == "\ufffd" and docs[("deep.jsonl", 1)].text == "ok \ufffd"
    assert docs[("pipe.txt", 0)].reason == "unreadable" and "regular file" in docs[("pipe.txt", 0)].detail
    assert docs[("bad\\xffname.txt", 0)].text == "fine"
    for d in docs.values():  # every string is storable as UTF-8 (encoding raises otherwise)
        d.source.encode("utf-8")
        (d.text or "").encode("utf-8")


def test_a_large_jsonl_file_is_streamed_not_loaded(tmp_path):
    """A JSON Lines file far larger than any document is read a record at a time: reading 64 MB
    holds a few megabytes at most, so a 2 GB dump needs no more."""
    import json as _json
    import tracemalloc

    record = _json.dumps({"text": "The council met on Tuesday to vote on the budget. " * 64}) + "\n"
    path = tmp_path / "big.jsonl"
    with open(path, "w", encoding="utf-8") as out:
        for _ in range((64 << 20) // len(record)):
            out.write(record)
    tracemalloc.start()
    count = sum(1 for _ in read_documents(tmp_path))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == (64 << 20) // len(record)
    assert peak < 8 << 20, f"reading held {peak >> 20} MB at once"
