"""One document's text in, clean text, language and an audit of every removed line out.

The order matters and is fixed:
1. split into lines first, so that each removal is reported with its line number in the
   decoded document (what an editor would show);
2. repair each line's encoding (`transforms.repair`);
3. normalise its white space (`transforms.whitespace`);
4. drop it if a boilerplate rule matches the whole line (`transforms.boilerplate`);
5. join what is left, keeping paragraph breaks, and detect the language of that clean text
   (`transforms.language`), so furniture in another language cannot sway the answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from transforms.boilerplate import RuleSet
from transforms.language import detect_language
from transforms.repair import repair
from transforms.whitespace import join_paragraphs, normalize_line, split_lines


@dataclass(frozen=True)
class Removal:
    line: int  # 1-based line number in the decoded document
    text: str  # the line as it was in the decoded document
    rule: str  # name of the rule that removed it


@dataclass(frozen=True)
class CleanedText:
    text: str
    language: str
    language_score: float
    removals: tuple[Removal, ...]


def clean_text(text: str, rules: RuleSet) -> CleanedText:
    """Repair, normalise and de-furnish `text`, then detect its language."""
    kept: list[str] = []
    removals: list[Removal] = []
    for number, raw in enumerate(split_lines(text), start=1):
        line = normalize_line(repair(raw))
        rule = rules.match(line) if line else None
        if rule is None:
            kept.append(line)
        else:
            removals.append(Removal(number, raw, rule))
    clean = join_paragraphs(kept)
    language = detect_language(clean)
    return CleanedText(clean, language.code, language.score, tuple(removals))
