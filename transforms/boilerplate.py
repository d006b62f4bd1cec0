"""Boilerplate removal by named rules kept as data: whole lines, and furniture glued to a line.

A rule pack is a TOML file (one per family: share widgets, comments, video players...) in a
rules folder; the default folder is `transforms/rules/`. Each rule is a regular expression
(case-insensitive unless the rule says `case_sensitive = true`) with a `scope`:

- `line` (the default): it must match the *whole* normalised line (`re.fullmatch`), so an
  article sentence that merely contains the same words is never touched: "Share" alone on a
  line is a share button, "Share prices fell" is news;
- `prefix`, `suffix`, `edges`: furniture glued to the start, the end, or either end of a line
  ("Story highlights Jeb Bush opened...", "... Read more"): the match is cut and the rest of
  the line kept; cuts repeat while something is cut, so stacked labels all go;
- `anywhere`: every occurrence, even inside a line. A label in the middle of a paragraph is
  part of what was extracted as one piece of text, and cutting there splices two sentences
  together, so default rules use it only for furniture that marks itself off (a plug in square
  brackets, a headline ending in 'Read more'). Plain labels left between two sentences ("...
  said. Story Continued Below The senator ...") are cut by the opt-in packs in
  `transforms/rules/opt_in/`, which a user turns on by naming that folder
  (`--rules transforms/rules/opt_in`).

Every rule documents what it `targets` and carries examples: a `line` rule lists lines it must
`drop`; an inline rule lists `cut` pairs [line, what must remain]; every rule lists sentences it
must `keep` untouched. The test suite checks each rule against its own examples and the whole
rule set against every `keep` example.

A rule with `opens_list = true` marks the header of a list of links ("Related", "Read more"):
`transforms/structure.py` removes the headline-like lines that follow it. A rule with
`ends_article = true` marks where the article is over ("Related Topics", a comment section):
everything after it goes too, when it stands in the last part of the document. A rule with
`stands_in = true` marks a notice served in place of the article (an HTTP error, a bot check, a
geo-block): a document whose notices outweigh the text left twice over (three times beside prose)
is rejected as a notice page (`transforms.document.notice_page`). Its pattern lists the notice's
sentences, and it matches a line made of them run together (pages are often saved as one line),
with any other sentence of the pack's notices beside them (`transforms/runs.py`). Its `companions`
are the template's generic sentences ("Why did this happen?", "Need Help?"): never furniture
alone, since a story may use them as a sub-heading, they are taken in a run beside the notice's
own sentences and, on lines of their own, weigh with the notice in a document the notice is in.
A rule that is not a notice may have `companions` too (a consent banner's buttons): it then
matches runs of its own sentences, and its companions left alone in a document it removed a line
of mark that document as furniture only.

Rules apply to every document whatever its language: furniture is often in another language
than the article (an Arabic share footer under an English story). A rule's `lang` says which
language its words are in, for people reading the packs.
"""

from __future__ import annotations

import fnmatch
import functools
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from transforms import runs
from transforms.needles import fold, needles

DEFAULT_RULES_DIR = Path(__file__).parent / "rules"
OPT_IN_RULES_DIR = DEFAULT_RULES_DIR / "opt_in"  # not loaded unless named
# Furniture is short: the longest kind, a web-archive notice, runs to a few hundred characters.
# Longer lines are article text and are not matched whole, which also bounds regex work.
MAX_FURNITURE_CHARS = 1500
SCOPES = ("line", "prefix", "suffix", "edges", "anywhere")
MAX_CUT_ROUNDS = 5
_NAME = re.compile(r"[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*")
_SEPARATORS = r"[\s:|•·\-–—]*"
_LEFTOVER = re.compile(r"[\W_]*")  # what is left when only punctuation remains


class RulePackError(ValueError):
    """A rule pack that cannot be used; the message names the file and the rule."""


@dataclass(frozen=True)
class Cut:
    start: int  # where the cut piece began in the normalised line
    text: str  # what was cut
    rule: str


@dataclass(frozen=True)
class Rule:
    name: str  # "<family>.<rule>", unique across packs
    family: str
    lang: str  # language of the words the rule matches, or "*" for none in particular
    targets: str
    pattern: re.Pattern[str] | runs.SentenceRun  # as compiled for the rule's scope
    scope: str = "line"
    opens_list: bool = False
    ends_article: bool = False
    stands_in: bool = False  # a notice served in place of the article (see the module docstring)
    companions: runs.SentenceRun | None = None  # a line made of the rule's generic sentences
    drop: tuple[str, ...] = ()  # for inline rules: the lines of the `cut` examples
    cut_to: tuple[str, ...] = ()  # for inline rules: what must remain of each `drop` line
    keep: tuple[str, ...] = ()
    pack: str = ""  # the file the rule came from
    needles: frozenset[str] | None = None  # folded words every match contains (transforms/needles.py)

    def matches(self, line: str) -> bool:
        """A line rule matches the whole line; an inline rule finds something to cut."""
        if self.scope == "line":
            return self.pattern.fullmatch(line) is not None
        return self.pattern.search(line) is not None

    def cut(self, line: str) -> tuple[str, list[Cut]]:
        """`line` without this (inline) rule's matches, cut again while something new is exposed."""
        cuts: list[Cut] = []
        for _ in range(MAX_CUT_ROUNDS):
            found = [m for m in self.pattern.finditer(line) if m.end() > m.start()]
            for match in reversed(found):
                cuts.append(Cut(match.start(), match.group(0).strip(), self.name))
                line = (line[: match.start()].rstrip() + " " + line[match.end():].lstrip()).strip()
            if not found or not line:
                break
        return line, cuts


@dataclass(frozen=True)
class LineResult:
    text: str | None  # the line to keep, or None when the whole line is furniture
    rule: str | None = None  # the rule that removed the whole line
    cuts: tuple[Cut, ...] = ()


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...] = field(default_factory=tuple)

    @property
    def names(self) -> list[str]:
        return [r.name for r in self.rules]

    @functools.cached_property
    def rules_by_name(self) -> dict[str, Rule]:
        return {r.name: r for r in self.rules}

    # Derived once per rule set (cached_property), not once per line: these sit on the hot path.
    @functools.cached_property
    def list_openers(self) -> frozenset[str]:
        return frozenset(r.name for r in self.rules if r.opens_list)

    @functools.cached_property
    def article_enders(self) -> frozenset[str]:
        return frozenset(r.name for r in self.rules if r.ends_article)

    @functools.cached_property
    def stand_ins(self) -> frozenset[str]:
        return frozenset(r.name for r in self.rules if r.stands_in)

    @functools.cached_property
    def _line_rules(self) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.scope == "line")

    @functools.cached_property
    def _inline_rules(self) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.scope != "line")

    @functools.cached_property
    def _needles_by_trigram(self) -> dict[str, tuple[str, ...]]:
        """Every rule's needles (transforms/needles.py), each under its rarest three letters
        (`_rarest_trigram`): a needle is looked for only in lines holding them, and "the bbc is not
        responsible" filed under "the" would be looked for in nearly every English line."""
        index: dict[str, set[str]] = {}
        for rule in self.rules:
            for needle in rule.needles or ():
                index.setdefault(_rarest_trigram(needle), set()).add(needle)
        return {trigram: tuple(sorted(found)) for trigram, found in index.items()}

    @functools.cached_property
    def _rules_by_needle(self) -> dict[str, frozenset[str]]:
        index: dict[str, set[str]] = {}
        for rule in self.rules:
            for needle in rule.needles or ():
                index.setdefault(needle, set()).add(rule.name)
        return {needle: frozenset(names) for needle, names in index.items()}

    @functools.cached_property
    def _always_tried(self) -> frozenset[str]:
        return frozenset(r.name for r in self.rules if r.needles is None)

    @functools.cached_property
    def _trigram_keys(self) -> frozenset[str]:
        return frozenset(self._needles_by_trigram)

    @functools.cached_property
    def _line_rank(self) -> dict[str, int]:
        return {rule.name: rank for rank, rule in enumerate(self._line_rules)}

    def _candidates(self, folded: str) -> frozenset[str]:
        """Names of the rules that may match a line (folded): those with a needle in it, and those
        without needles. Each needle is looked for once per line, and only when the line holds
        its rarest three letters, rather than once for every rule that names it."""
        trigrams = {folded[i:i + 3] for i in range(len(folded) - 2)} & self._trigram_keys
        index, rules_of = self._needles_by_trigram, self._rules_by_needle
        found = [rules_of[n] for t in trigrams for n in index[t] if n in folded]
        return self._always_tried.union(*found)

    def match(self, line: str, folded: str | None = None, candidates: frozenset[str] | None = None) -> str | None:
        """The name of the first `line` rule matching the whole of `line`, or None. Only the
        candidates are tried, in the rule set's order: a line has about twenty among over a hundred line rules."""
        if len(line) > MAX_FURNITURE_CHARS:
            return None
        folded = fold(line) if folded is None else folded
        candidates = self._candidates(folded) if candidates is None else candidates
        rank, rules = self._line_rank, self._line_rules
        for i in sorted(rank[name] for name in candidates if name in rank):
            if rules[i].pattern.fullmatch(line):
                return rules[i].name
        return None

    def clean_line(self, line: str) -> LineResult:
        """Apply every rule to one normalised line: drop it whole, or cut what is glued to it."""
        folded = fold(line)
        candidates = self._candidates(folded)
        whole = self.match(line, folded, candidates)
        if whole:
            return LineResult(None, whole)
        original = line
        cuts: list[Cut] = []
        for _ in range(MAX_CUT_ROUNDS):
            before = len(cuts)
            for rule in self._inline_rules:
                if line and rule.name in candidates:
                    line, found = rule.cut(line)
                    if found:
                        cuts.extend(found)
                        folded = fold(line)
                        candidates = self._candidates(folded)
            if len(cuts) == before:
                break
        if not cuts:
            return LineResult(line)
        if _LEFTOVER.fullmatch(line):
            return LineResult(None, cuts[-1].rule, tuple(cuts))
        whole = self.match(line)
        return LineResult(None if whole else line, whole, _located(original, cuts))


def _located(original: str, cuts: list[Cut]) -> tuple[Cut, ...]:
    """The cuts with `start` as an offset into the original line, each piece found once."""
    taken: set[int] = set()
    located = []
    for cut in cuts:
        start = original.find(cut.text)
        while start in taken and start >= 0:
            start = original.find(cut.text, start + 1)
        start = start if start >= 0 else max(taken, default=-1) + 1
        taken.add(start)
        located.append(Cut(start, cut.text, cut.rule))
    return tuple(sorted(located, key=lambda c: c.start))


# How common each letter is in running text (English letter frequencies, in per cent). Letters
# outside the table (accented Latin, other scripts) count as rare, and a space or a mark as common.
_LETTER_FREQUENCY = dict(zip("etaoinsrhldcumfpgwybvkxjqz", (12.7, 9.1, 8.2, 7.5, 7.0, 6.7, 6.3, 6.0, 6.1, 4.0,
                                                             4.3, 2.8, 2.8, 2.4, 2.2, 1.9, 2.0, 2.4, 2.0, 1.5,
                                                             1.0, 0.8, 0.15, 0.15, 0.1, 0.07)))
_COMMON = 15.0  # a space, a digit or a mark: in most trigrams of any line


def _rarest_trigram(needle: str) -> str:
    """The three consecutive characters of `needle` (at least `needles.MIN_NEEDLE` = 3 long)
    least likely to occur in a line, by letter frequency."""
    def cost(i: int) -> float:
        return sum(_LETTER_FREQUENCY.get(ch, 0.5 if ch.isalpha() else _COMMON) for ch in needle[i:i + 3])
    return needle[min(range(len(needle) - 2), key=lambda i: (cost(i), i)):][:3]


def load_rules(folders: Sequence[Path | str] | None = None, disabled: Iterable[str] = ()) -> RuleSet:
    """Load every `*.toml` pack from `folders` (default: the built-in packs).

    Packs are read in folder order, then file-name order; a rule whose name was already loaded
    replaces the earlier one, so a user folder listed after the default can override a rule;
    two rules of one name inside one folder are an error (the first would vanish unnoticed).
    `disabled` holds rule names or shell-style patterns ("video.*") to switch off; a pattern
    that names no rule is an error (a typo would otherwise switch nothing off, silently).
    """
    folders = [DEFAULT_RULES_DIR] if not folders else [Path(f) for f in folders]
    by_name: dict[str, Rule] = {}
    for folder in folders:
        if not folder.is_dir():
            raise RulePackError(f"rules folder {folder} does not exist")
        here: dict[str, Rule] = {}
        for pack in sorted(folder.glob("*.toml")):
            for rule in _read_pack(pack):
                if rule.name in here:
                    raise RulePackError(f"{pack}: rule {rule.name} is defined twice in {folder} (also in {here[rule.name].pack})")
                here[rule.name] = rule
        by_name.update(here)
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
    specs = data.get("rules", [])
    # A notice saved as one line runs the sentences of several of the pack's notices together
    # ("Error 404. Page not found. The page you are looking for may have been moved."), so each
    # stand-in's run may hold any stand-in sentence or companion of its pack around its own.
    pack_sentences = [alt for spec in specs if spec.get("stands_in") and isinstance(spec.get("pattern"), str)
                      for part in (spec["pattern"], spec.get("companions")) if isinstance(part, str)
                      for alt in runs.alternatives(part)]
    return [_make_rule(path, family, spec, pack_sentences) for spec in specs]


def _compile(pattern: str, scope: str, flags: int) -> re.Pattern[str]:
    """The rule's regex as its scope needs it; inline cuts take adjoining separators along."""
    if scope == "prefix":
        pattern = rf"^(?:{pattern})(?!\w){_SEPARATORS}"
    elif scope == "suffix":
        pattern = rf"{_SEPARATORS}(?<!\w)(?:{pattern})[\s.]*$"
    elif scope == "edges":
        pattern = rf"^(?:{pattern})(?!\w){_SEPARATORS}|{_SEPARATORS}(?<!\w)(?:{pattern})[\s.]*$"
    elif scope == "anywhere":
        pattern = rf"(?<!\w)(?:{pattern})(?!\w)"
    return re.compile(pattern, flags)


def _make_rule(path: Path, family: str, spec: dict, pack_sentences: Sequence[str] = ()) -> Rule:
    name = f"{family}.{spec.get('name', '')}"
    if not _NAME.fullmatch(name):
        raise RulePackError(f"{path}: rule name {name!r} must look like 'family.snake_case'")
    scope = spec.get("scope", "line")
    if scope not in SCOPES:
        raise RulePackError(f"{path}: rule {name}: scope {scope!r} is not one of {SCOPES}")
    flags = 0 if spec.get("case_sensitive", False) else re.IGNORECASE
    stands_in, companions = bool(spec.get("stands_in", False)), spec.get("companions")
    if (stands_in or companions) and scope != "line":
        raise RulePackError(f"{path}: rule {name}: `stands_in` and `companions` are for line rules only")
    try:
        if stands_in or companions:  # a run of the notice's sentences (transforms/runs.py)
            others = [*pack_sentences, *runs.alternatives(companions or "")] if stands_in else runs.alternatives(companions)
            pattern = runs.SentenceRun(runs.alternatives(spec["pattern"]), others, flags)
        else:
            pattern = _compile(spec["pattern"], scope, flags)
        companion_run = runs.SentenceRun(runs.alternatives(companions), (), flags) if companions else None
    except (KeyError, re.error) as exc:
        raise RulePackError(f"{path}: rule {name}: bad or missing pattern: {exc}") from exc
    cut_pairs = [tuple(pair) for pair in spec.get("cut", ())]
    if any(len(pair) != 2 for pair in cut_pairs):
        raise RulePackError(f"{path}: rule {name}: each `cut` example is [line, what remains]")
    return Rule(
        name=name,
        family=family,
        lang=spec.get("lang", "*"),
        targets=spec.get("targets", ""),
        pattern=pattern,
        scope=scope,
        opens_list=bool(spec.get("opens_list", False)),
        ends_article=bool(spec.get("ends_article", False)),
        stands_in=stands_in,
        companions=companion_run,
        drop=tuple(spec.get("drop", ())) + tuple(p[0] for p in cut_pairs),
        cut_to=tuple(p[1] for p in cut_pairs),
        keep=tuple(spec.get("keep", ())),
        pack=str(path),
        needles=needles(spec["pattern"], flags),
    )
