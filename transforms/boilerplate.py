"""Line-by-line boilerplate removal, driven by rule packs kept as data.

A rule pack is a TOML file (one per family: share widgets, comments, video players...) in a
rules folder; the default folder is `transforms/rules/`. Each rule is a regular expression that
must match a *whole* normalised line (`re.fullmatch`, case-insensitive unless the rule says
otherwise), so an article sentence that merely contains the same words is never touched:
"Share" alone on a line is a share button, "Share prices fell" is news.

Every rule documents what it `targets` and carries examples of lines it must `drop` and lines
it must `keep`; the test suite checks each rule against its own examples.

Rules apply to every document whatever its language: furniture is often in another language
than the article (an Arabic share footer under an English story). A rule's `lang` says which
language its words are in, for people reading the packs.
"""

from __future__ import annotations

import fnmatch
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_RULES_DIR = Path(__file__).parent / "rules"
# Furniture is short: the longest kind, a web-archive notice, runs to a few hundred characters.
# Longer lines are article text and are not matched at all, which also bounds regex work.
MAX_FURNITURE_CHARS = 1500
_NAME = re.compile(r"[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*")


class RulePackError(ValueError):
    """A rule pack that cannot be used; the message names the file and the rule."""


@dataclass(frozen=True)
class Rule:
    name: str  # "<family>.<rule>", unique across packs
    family: str
    lang: str  # language of the words the rule matches, or "*" for none in particular
    targets: str
    pattern: re.Pattern[str]
    drop: tuple[str, ...] = ()
    keep: tuple[str, ...] = ()
    pack: str = ""  # the file the rule came from

    def matches(self, line: str) -> bool:
        return self.pattern.fullmatch(line) is not None


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...] = field(default_factory=tuple)

    def match(self, line: str) -> str | None:
        """The name of the first rule matching the whole of `line`, or None."""
        if len(line) > MAX_FURNITURE_CHARS:
            return None
        for rule in self.rules:
            if rule.pattern.fullmatch(line):
                return rule.name
        return None

    @property
    def names(self) -> list[str]:
        return [r.name for r in self.rules]

    @property
    def rules_by_name(self) -> dict[str, Rule]:
        return {r.name: r for r in self.rules}


def load_rules(folders: Sequence[Path | str] | None = None, disabled: Iterable[str] = ()) -> RuleSet:
    """Load every `*.toml` pack from `folders` (default: the built-in packs).

    Packs are read in folder order, then file-name order; a rule whose name was already loaded
    replaces the earlier one, so a user folder listed after the default can override a rule.
    `disabled` holds rule names or shell-style patterns ("video.*") to switch off.
    """
    folders = [DEFAULT_RULES_DIR] if not folders else [Path(f) for f in folders]
    by_name: dict[str, Rule] = {}
    for folder in folders:
        if not folder.is_dir():
            raise RulePackError(f"rules folder {folder} does not exist")
        for pack in sorted(folder.glob("*.toml")):
            for rule in _read_pack(pack):
                by_name[rule.name] = rule
    off = list(disabled)
    unknown = [p for p in off if not any(fnmatch.fnmatchcase(name, p) for name in by_name)]
    if unknown:
        raise RulePackError(f"no rule is named like {unknown}: names are 'family.rule', e.g. 'video.size_menu' or 'video.*'")
    kept = [r for r in by_name.values() if not any(fnmatch.fnmatchcase(r.name, p) for p in off)]
    return RuleSet(tuple(kept))


def _read_pack(path: Path) -> list[Rule]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise RulePackError(f"{path}: not a valid TOML rule pack: {exc}") from exc
    family = data.get("family") or path.stem
    return [_make_rule(path, family, spec) for spec in data.get("rules", [])]


def _make_rule(path: Path, family: str, spec: dict) -> Rule:
    name = f"{family}.{spec.get('name', '')}"
    if not _NAME.fullmatch(name):
        raise RulePackError(f"{path}: rule name {name!r} must look like 'family.snake_case'")
    flags = 0 if spec.get("case_sensitive", False) else re.IGNORECASE
    try:
        pattern = re.compile(spec["pattern"], flags)
    except (KeyError, re.error) as exc:
        raise RulePackError(f"{path}: rule {name}: bad or missing pattern: {exc}") from exc
    return Rule(
        name=name,
        family=family,
        lang=spec.get("lang", "*"),
        targets=spec.get("targets", ""),
        pattern=pattern,
        drop=tuple(spec.get("drop", ())),
        keep=tuple(spec.get("keep", ())),
        pack=str(path),
    )
