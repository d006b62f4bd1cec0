"""One document's text in, clean text, language and an audit of every removal out.

The order matters and is fixed:
1. split into lines first, so that each removal is reported with its line number in the
   decoded document (what an editor would show);
2. repair each line's encoding (`transforms.repair`) and normalise its white space
   (`transforms.whitespace`);
3. rules (`transforms.boilerplate`): drop a line that is furniture as a whole, or cut the
   furniture glued to its start, end or middle and keep the rest;
4. repetition (`transforms.repetition`): drop a short line that recurs in many documents of the
   run, unless it is a full sentence;
5. shape and position (`transforms.structure`): drop what follows an end-of-article marker
   near the end, the lists of links that follow a list header or trail after the article, and
   a one-word section label opening the document;
6. join what is left, keeping paragraph breaks, and detect the language of that clean text
   (`transforms.language`), so furniture in another language cannot sway the answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from transforms import repetition, structure
from transforms.boilerplate import RuleSet
from transforms.language import count_letters, detect_language
from transforms.repair import repair
from transforms.whitespace import join_paragraphs, normalize_line, split_lines


# A page is a notice page when its notices outweigh what is left this many times over: a bot
# check's leftovers ("Why did this happen? Need Help?") weigh a fifth of its notice, while a
# two-sentence story quoting a GDPR refusal whole keeps more than half its weight.
NOTICE_WEIGHT = 2
# ... and this many times when a kept line reads as prose: a brief that quotes a notice ("Readers
# saw this:") is a story even when the quote is most of it.
NOTICE_WEIGHT_BESIDE_PROSE = 3


@dataclass(frozen=True)
class Removal:
    line: int  # 1-based line number in the decoded document
    text: str  # a whole line as it was in the decoded document, or the piece cut from it
    rule: str  # name of the rule that removed it
    start: int = 0  # for a cut: where in the (normalised) line it began
    whole_line: bool = True


@dataclass(frozen=True)
class CleanedText:
    text: str
    language: str
    language_score: float
    removals: tuple[Removal, ...]


def prepared_lines(text: str) -> list[str]:
    """The document's lines, repaired and normalised: what rules and counts look at."""
    return [normalize_line(repair(raw)) for raw in split_lines(text)]


def clean_text(text: str, rules: RuleSet, repeated: frozenset[int] = frozenset()) -> CleanedText:
    """Repair, normalise and de-furnish `text`, then detect its language.

    `repeated` holds the hashes of lines that recur across the run (`transforms.repetition`).
    """
    raw_lines = split_lines(text)
    kept: list[str | None] = []  # None: removed; "": a blank line (a paragraph break)
    removals: list[Removal] = []
    openers: set[int] = set()
    enders: set[int] = set()
    for index, (raw, line) in enumerate(zip(raw_lines, prepared_lines(text))):
        kept.append(_apply_rules(index, raw, line, rules, repeated, removals, openers, enders))
    for index, rule in _structural(kept, openers, enders):
        removals.append(Removal(index + 1, raw_lines[index], rule))
        kept[index] = None
    removals.sort(key=lambda r: (r.line, r.start))
    clean = join_paragraphs(line for line in kept if line is not None)
    language = detect_language(clean)
    return CleanedText(clean, language.code, language.score, tuple(removals))


def _apply_rules(index: int, raw: str, line: str, rules: RuleSet, repeated: frozenset[int],
                 removals: list[Removal], openers: set[int], enders: set[int]) -> str | None:
    """What is left of one line (None when it is removed), recording each removal."""
    if not line:
        return ""
    result = rules.clean_line(line)
    if result.text is None:
        removals.append(Removal(index + 1, raw, result.rule))
        if result.rule in rules.list_openers:
            openers.add(index)
        if result.rule in rules.article_enders:
            enders.add(index)
        return None
    if repeated and repetition.countable(result.text) and repetition.line_key(result.text) in repeated:
        removals.append(Removal(index + 1, raw, repetition.RULE))
        return None
    removals.extend(Removal(index + 1, c.text, c.rule, c.start, whole_line=False) for c in result.cuts)
    return result.text


def _structural(kept: list[str | None], openers: set[int], enders: set[int]) -> list[tuple[int, str]]:
    """Lines furniture by shape and place (transforms/structure.py), each named by the finder that
    took it. Each finder sees the lines the ones before it left: removing what follows "Related
    Topics" can leave a run of links at the new end, and the text that comes out must not lose
    that run only when it is cleaned a second time."""
    view = list(kept)
    finders = (
        ("structure.after_end", lambda: structure.after_end_marker(view, enders)),
        ("structure.list_items", lambda: structure.list_items(view, openers)),
        ("structure.tail_links", lambda: structure.tail_links(view)),
        ("structure.head_label", lambda: structure.head_label(view)),
        ("structure.tail_title", lambda: structure.tail_title(view)),
        ("structure.repeated_labels", lambda: structure.repeated_labels(view)),
    )
    found: dict[int, str] = {}
    for rule, finder in finders:
        for index in finder():
            if view[index] is not None:
                found[index], view[index] = rule, None
    return list(found.items())


def notice_page(cleaned: CleanedText, rules: RuleSet) -> tuple[str, ...]:
    """The notice rules (`stands_in`) that make this a page served in place of the article: an
    HTTP error, a bot check, a geo-block. Empty when it is an article.

    The test is a balance, not a single line: a bot check's template leaves generic lines no rule
    should take on its own ("Why did this happen?", "Need Help?"), while an article may embed one
    notice ("This content is not available in your region") above its story, and a short story
    about a notice may quote it whole. So the notices must hold at least `NOTICE_WEIGHT` times as
    many letters as everything the cleaning kept, and `NOTICE_WEIGHT_BESIDE_PROSE` times when a
    kept line reads as prose (it ends as a sentence ends, or leads into a quote with ':'). Two
    kinds of kept line weigh with the notice: those made of a firing rule's `companions` (its
    template's generic sentences), and those that talk to the reader (`addresses_reader`), since
    a vendor's wording the rules do not know is mostly that.
    """
    notices = [r for r in cleaned.removals if r.whole_line and r.rule in rules.stand_ins]
    if not notices:
        return ()
    with_notice = companion_lines(cleaned, rules)
    with_notice += [line for line in cleaned.text.split("\n") if line and line not in with_notice
                    and addresses_reader(line)]
    generic = sum(count_letters(line) for line in with_notice)
    weight = sum(count_letters(r.text) for r in notices) + generic
    prose = any(structure.ends_as_sentence(line) or line.endswith(":") for line in cleaned.text.split("\n")
                if line and line not in with_notice)
    factor = NOTICE_WEIGHT_BESIDE_PROSE if prose else NOTICE_WEIGHT
    if weight < factor * (count_letters(cleaned.text) - generic):
        return ()
    return tuple(sorted({r.rule for r in notices}))


def companion_lines(cleaned: CleanedText, rules: RuleSet) -> list[str]:
    """The kept lines made of the `companions` of a rule that removed a line of this document:
    a consent banner's "Accept all" and "Settings", a bot check's "Why did this happen?". Alone
    they are no furniture, beside their banner or notice they are."""
    by_name = rules.rules_by_name
    fired = {r.rule for r in cleaned.removals if r.whole_line}
    runs = [by_name[name].companions for name in sorted(fired) if name in by_name and by_name[name].companions]
    if not runs:  # most documents: no rule with companions fired, and the text need not be read
        return []
    return [line for line in cleaned.text.split("\n") if line and any(run.fullmatch(line) for run in runs)]


# Words a notice uses to talk to its reader, and a news story only in quotes: the second person,
# "please", and the buttons' verbs, in the eight languages of the rule packs. German "Sie" and
# "Ihr" are told from "sie" (they) and "ihr" (her) by their capitals.
_READER = re.compile(
    r"\b(?i:you|your|you'?re|you'?ve|please|click|tap|sign in|log in|subscribe|vous|votre|vos|veuillez|cliquez|"
    r"connectez-vous|abonnez-vous|bitte|klicken|usted|por favor|haga clic|inicia sesión|suscríbete|"
    r"вы|вас|ваш|ваша|ваше|вашего|пожалуйста|нажмите|войдите|lütfen|tıklayın|giriş yapın|tarayıcınız)\b"
    r"|\b(?:Sie|Ihr|Ihre|Ihren|Ihrem|Ihres)\b|يرجى|الرجاء|متصفحك|حسابك|لطفا|لطفاً|شما")


def addresses_reader(line: str) -> bool:
    """Whether `line` talks to its reader ("Please enable cookies", "Your browser ..."): in a
    document where a notice was found, such a line belongs to the notice, not to a story."""
    return _READER.search(line) is not None
