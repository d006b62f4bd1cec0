"""Property tests (hypothesis) for the transforms tests/test_properties.py does not cover:
decoding, rules, shape and position, language, and a whole document's cleaning.

On any input at all: nothing raises (decoding may refuse bytes, with its own DecodeError and a
reason from the vocabulary); what comes out holds no control character but the line feeds
between lines and no lone surrogate; and the steps that can be idempotent are.
"""

from __future__ import annotations

from hypothesis import given, strategies as st

from flows.tables import REASONS
from test_properties import PROFILE, SPECIAL, any_text, bad_characters, natural_line
from transforms.boilerplate import load_rules
from transforms.decode import DecodeError, decode_bytes
from transforms.document import clean_text
from transforms.language import LANGUAGES, detect_language
from transforms.repetition import countable, line_key
from transforms.structure import after_end_marker, headline_like, is_sentence, list_items, tail_links

RULES = load_rules()
FURNITURE = [example for rule in RULES.rules for example in rule.drop[:1]]
# Documents: lines of natural text, furniture and anything at all, joined by line feeds.
document = st.lists(st.one_of(natural_line, st.sampled_from(FURNITURE), any_text, st.just("")), max_size=12) \
    .map("\n".join)
raw_bytes = st.one_of(st.binary(max_size=64), any_text.map(lambda t: t.encode("utf-8", "surrogatepass")),
                      st.sampled_from(SPECIAL).map(lambda t: t.encode("utf-16", "surrogatepass")),
                      natural_line.map(lambda t: t.encode("cp1252", "ignore")))


@PROFILE
@given(raw_bytes)
def test_decode_returns_text_or_refuses_with_a_reason(data):
    try:
        decoded = decode_bytes(data)
    except DecodeError as exc:
        assert exc.reason in REASONS
        return
    assert isinstance(decoded.text, str) and decoded.encoding
    assert decode_bytes(data) == decoded  # deterministic


@PROFILE
@given(st.one_of(any_text, natural_line, st.sampled_from(FURNITURE)))
def test_rules_never_raise_and_cutting_twice_cuts_nothing_more(line):
    line = line.replace("\n", " ")
    result = RULES.clean_line(line)
    if result.text is not None:
        assert len(result.text) <= len(line)
        again = RULES.clean_line(result.text)
        assert again.text == result.text and not again.cuts


@PROFILE
@given(st.lists(st.one_of(natural_line, st.sampled_from(FURNITURE), st.none(), st.just("")), max_size=15))
def test_shape_and_position_never_raise_and_point_at_lines(lines):
    markers = {i for i, line in enumerate(lines) if line}
    for found in (after_end_marker(lines, markers), list_items(lines, markers), tail_links(lines)):
        assert all(0 <= i < len(lines) and lines[i] for i in found)
    for line in filter(None, lines):
        is_sentence(line), headline_like(line), countable(line), line_key(line)


@PROFILE
@given(st.one_of(any_text, document))
def test_language_is_a_known_code_and_deterministic(text):
    first = detect_language(text)
    assert first.code in LANGUAGES and 0.0 <= first.score <= 1.0
    assert detect_language(text) == first


@PROFILE
@given(document)
def test_cleaning_a_document_never_raises_and_leaves_clean_text(text):
    cleaned = clean_text(text, RULES)
    assert bad_characters(cleaned.text, allowed="\n") == []
    assert "\n\n\n" not in cleaned.text and cleaned.text == cleaned.text.strip()
    assert all(r.line >= 1 for r in cleaned.removals)
    assert clean_text(text, RULES) == cleaned  # deterministic


@PROFILE
@given(document)
def test_cleaning_clean_text_again_changes_nothing(text):
    """clean(clean(x)) == clean(x): what was kept is not furniture on a second look either."""
    once = clean_text(text, RULES).text
    assert clean_text(once, RULES).text == once
