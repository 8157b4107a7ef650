"""The report's narrative: Markdown the author writes, with live figures by placeholder. Pure.

A placeholder names a figure in braces, `{practice.good_or_better}`, and is replaced by what the
figures say ("8 of 10 (80%)"): looked up by name in a dictionary, never by running a template
engine on what the author wrote. The Markdown is parsed (CommonMark, raw HTML off) into plain
blocks of text runs; each renderer lays those out with its own escaping, so nothing the author
types reaches a page as markup.
"""

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from practice_review.core import vocabulary as v
from practice_review.core.audit_templates import AuditTemplate
from practice_review.core.measures import axis_levels, item_labels, short_label
from practice_review.core.numbers import n_of_n, whole_percentage
from practice_review.core.text import long_date
from practice_review.reports.disclosure import FEWER, NOT_SHOWN, SMALL_COUNT, Hidden, masked

# The built-in axes' words in placeholder descriptions ("outcomes graded good"); a template's
# own axis is described by its label.
_AXIS_WORDS = {"practice": "social work practice", "outcome": "outcomes"}
_CHANGED_WORDS = {"practice": "practice", "outcome": "outcome"}
PLACEHOLDER = re.compile(r"\{([A-Za-z0-9_.]+)\}")
# What a placeholder shows in the wider edition when its count is withheld (reports/disclosure.py).
# A sentence with a hole in it does not read as finished, so the sentence is left out instead.
WITHHELD = str(NOT_SHOWN)
# Where one sentence ends and the next begins: after a full stop, question or exclamation mark
# and white space, before a capital, a digit, a placeholder or an opening bracket or quote.
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9{(\"'\u2018\u201c])")
# {placeholder name: (what it shows, description)}
PlaceholderTable = dict[str, tuple[str, str]]

_PARSER = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    marked: bool = False  # a figure-check problem, highlighted on the draft page only


@dataclass
class Block:
    kind: str  # "paragraph", "heading", "bullets" or "numbers"
    # one list of Runs per paragraph or list item
    items: list[list[Run]] = field(default_factory=list)


# -- The figures a placeholder can name --------------------------------------------------------


def _count_entries(
    prefix: str,
    block: dict[str, Any],
    frameworks: Sequence[v.FrameworkTerms],
    labels: dict[tuple[str, ...], str],
) -> list[tuple[str, int | Hidden, int, str]]:
    """(name, count, total, description) for every count of reviews in one figures block."""
    total = block["cohort"]["reviews"]
    entries = [
        (
            f"{prefix}reviewers.{key}",
            block["reviewers"][key],
            total,
            f"reviews by {label.lower()} reviewers",
        )
        for key, label in v.REVIEWER_TYPES
    ]
    for axis, axis_label, levels in axis_levels(labels):
        if axis not in block:
            continue  # a template that does not grade it, or a version it is not shared with
        words = _AXIS_WORDS.get(axis, axis_label.lower())
        for key, label in levels + [("good_or_better", "Good or better")]:
            if block[axis].get(key) is None:
                continue  # no good-or-better cut on this axis
            entries.append(
                (f"{prefix}{axis}.{key}", block[axis][key], total,
                 f"{words} graded {label.lower()}")
            )  # fmt: skip
    # Across practice and outcome, where the template grades both (figures.py gives None).
    for name, words in (("both_outstanding", "outstanding on both grades"),
                        ("practice_good_or_better_outcome_not",
                         "practice good or better, outcomes not")):  # fmt: skip
        if block.get(name) is not None:
            entries.append((f"{prefix}{name}", block[name], total, words))
    entries += [
        (
            f"{prefix}uasc",
            block.get("uasc", 0),
            total,
            "arrived as unaccompanied asylum-seeking children",
        ),
        (f"{prefix}moderated", block.get("moderated", 0), total, "reviews moderated"),
    ]
    for key, label in v.GENDERS:
        entries.append((f"{prefix}gender.{key}", block["gender"][key], total, label.lower()))
    for key, label in (
        ("under_18", "under 18"),
        ("aged_18_or_over", "aged 18 or over"),
        ("aged_21_or_over", "aged 21 or over"),
    ):
        entries.append((f"{prefix}age.{key}", block["age"][key], total, label))
    # The frameworks the figures counted (a council's own among them), named as it names them.
    for key, count in block["legal_status"].items():
        label = v.framework_label(key, frameworks)
        entries.append((f"{prefix}legal_status.{key}", count, total, label))
    # The standards and questions of the template the figures counted, named by their labels.
    for key, results in block["practice_standards"].items():
        label = short_label(labels.get(("standards", key), key))
        for result, result_label in v.STANDARD_RESULTS:
            entries.append((f"{prefix}standards.{key}.{result}", results[result], total,
                            f"{label}: {result_label.lower()}"))  # fmt: skip
    for key, counts in (block.get("questions") or {}).items():
        label = short_label(labels.get(("questions", key), key))
        for answer, count in counts.items():
            if answer == "total":
                continue  # a sum of the answers, not a count of reviews (_question_totals)
            said = {"yes": "yes", "no": "no", "answered": "answered"}.get(answer)
            said = said or labels.get(("questions", key, answer), answer)
            entries.append((f"{prefix}questions.{key}.{answer}", count, total,
                            f"{label}: {said.lower()}"))  # fmt: skip
    return entries


def _question_totals(
    prefix: str, block: dict[str, Any], labels: dict[tuple[str, ...], str]
) -> list[tuple[str, str, str]]:
    """(name, shown, description) for the sum of each question answered with a number."""
    return [
        (f"{prefix}questions.{key}.total", str(counts["total"]),
         f"{short_label(labels.get(('questions', key), key))}: the answers added up")
        for key, counts in (block.get("questions") or {}).items() if "total" in counts
    ]  # fmt: skip


def _recommendation_entries(
    prefix: str, block: dict[str, Any]
) -> list[tuple[str, int | Hidden, int | Hidden, str]]:
    """As `_count_entries`, for the counts whose base is the recommendations made, not the
    reviews. None in figures published before recommendations were counted."""
    recommendations = block.get("recommendations")
    if not recommendations:
        return []
    return [
        (
            f"{prefix}recommendations.overdue",
            recommendations["overdue"],
            recommendations["made"],
            "recommendations for children overdue, of those made",
        )
    ]


def _forms(count: int | Hidden, base: int | Hidden, of: str) -> tuple[str, str, str]:
    """A count as `{name}`, `{name.count}` and `{name.percent}` show it; `of` names what the
    base counts ("reviews"), for a percentage of none."""
    if isinstance(base, Hidden):
        # 1 or 2 recommendations made: "0 of fewer than 3" would say nothing a reader can use.
        return (WITHHELD,) * 3
    if count is FEWER:
        return (f"{count} of {base}", str(count),
                f"under {whole_percentage(SMALL_COUNT, base)}%")  # fmt: skip
    if isinstance(count, Hidden):
        # Never written into a sentence: blocks() leaves out any sentence that names it.
        return (WITHHELD,) * 3
    percent = whole_percentage(count, base)
    return (n_of_n(count, base), str(count), f"no {of}" if percent is None else f"{percent}%")


def placeholders(
    figures: dict[str, Any],
    wider: bool = False,
    frameworks: Sequence[v.FrameworkTerms] = v.BUILT_IN_FRAMEWORKS,
    templates: Sequence[AuditTemplate] = (),
    comparator_templates: Sequence[AuditTemplate] = (),
) -> PlaceholderTable:
    """{name: (what it shows, description)} for every placeholder, in a stable order.

    A count has three forms: `{name}` "8 of 10 (80%)", `{name.count}` "8" and `{name.percent}`
    "80%". In the version for wider circulation, counts are kept from view as
    reports/disclosure.py decides: "fewer than 3", or WITHHELD, which no sentence shows.
    `frameworks` (the council's, reviews/queries.py) name the legal or practice frameworks the
    figures count, and `templates` (the counted reviews' template versions) their grade axes,
    standards and questions; `comparator_templates` the comparator's.
    """
    figures = masked(figures, templates, comparator_templates) if wider else figures
    labels = item_labels([*templates, *comparator_templates])
    table: PlaceholderTable = {}
    blocks = [("", figures)]
    if figures.get("comparison"):
        blocks.append(("comparison.", figures["comparison"]))
    for prefix, block in blocks:
        cohort, total = block["cohort"], block["cohort"]["reviews"]
        about = "the comparator" if prefix else "this report"
        table[f"{prefix}cohort.name"] = (cohort["name"], f"the name of {about}")
        table[f"{prefix}reviews"] = (str(total), f"completed reviews in {about}")
        table[f"{prefix}cohort.first_review"] = (
            long_date(cohort["first_review"]),
            f"the date of the first review in {about}",
        )
        table[f"{prefix}cohort.last_review"] = (
            long_date(cohort["last_review"]),
            f"the date of the last review in {about}",
        )
        table[f"{prefix}alerts"] = (str(block["alerts"]), f"alerts raised in {about}")
        changed = block.get("grades_changed_at_moderation") or {}
        for axis, axis_label, _levels in axis_levels(labels):
            if axis in changed:
                table[f"{prefix}changed_at_moderation.{axis}"] = (
                    str(changed[axis]),
                    f"{_CHANGED_WORDS.get(axis, axis_label.lower())} grades changed at "
                    f"moderation in {about}",
                )
        if block.get("recommendations"):
            table[f"{prefix}recommendations.made"] = (
                str(block["recommendations"]["made"]),
                f"recommendations for children made in the reviews of {about}",
            )
        entries: list[tuple[str, int | Hidden, int | Hidden, str, str]]
        for name, shown_total, description in _question_totals(prefix, block, labels):
            table[name] = (shown_total, description)
        counted = _count_entries(prefix, block, frameworks, labels)
        entries = [(*entry, "reviews") for entry in counted]
        entries += [(*entry, "recommendations") for entry in _recommendation_entries(prefix, block)]
        for name, count, base, description, of in entries:
            shown = _forms(count, base, of)
            table[name] = (shown[0], description)
            table[f"{name}.count"] = (shown[1], f"{description} (the count only)")
            table[f"{name}.percent"] = (shown[2], f"{description} (the percentage only)")
    return table


def unknown_placeholders(text: str, table: PlaceholderTable) -> list[str]:
    """The placeholder names in `text` that name no figure, in order, each once."""
    found = [match[1] for match in PLACEHOLDER.finditer(text) if match[1] not in table]
    return list(dict.fromkeys(found))


_NUMBER = re.compile(r"\d+%?")


def for_checking(text: str, table: PlaceholderTable) -> str:
    """`text` as the checks should read it: a placeholder that stands for a bare number
    (`{reviews}`, `{x.count}`, `{x.percent}`) becomes that number, so "5 of {reviews}" is read
    as the "5 of 10" a reader will see; any other placeholder is blanked, since its figures are
    right by construction and a cohort's name is not a claim about the figures."""
    return Checked(text, table).text


class Checked:
    """`text` as the checks read it (for_checking), and the way back from a place in that
    reading to the same place in what the author typed: a problem found in "5 of 10" is at
    "5 of {reviews}" in the box, which is where a placeholder would go in its stead."""

    def __init__(self, text: str, table: PlaceholderTable) -> None:
        pieces: list[str] = []
        # (where a placeholder's stand-in starts and ends in the reading, and in the typed text)
        self._swaps: list[tuple[int, int, int, int]] = []
        read = typed = 0
        for match in PLACEHOLDER.finditer(text):
            pieces.append(text[typed : match.start()])
            read += match.start() - typed
            shown = table.get(match[1], ("",))[0]
            stand_in = shown if _NUMBER.fullmatch(shown) else " " * len(match[0])
            pieces.append(stand_in)
            self._swaps.append((read, read + len(stand_in), match.start(), match.end()))
            read, typed = read + len(stand_in), match.end()
        pieces.append(text[typed:])
        self.text = "".join(pieces)
        self._starts = [swap[0] for swap in self._swaps]

    def typed_span(self, start: int, end: int) -> tuple[int, int] | None:
        """Where `self.text[start:end]` is in the typed text; None when the span takes in part
        or all of a placeholder (those words are the author's own choice of figure already)."""
        before = bisect_right(self._starts, start)  # the stand-ins starting at or before the span
        if before and self._swaps[before - 1][1] > start:
            return None
        within = bisect_left(self._starts, end)  # the stand-ins starting before the span ends
        if within > before:
            return None
        if not before:
            return start, end
        read_end, typed_end = self._swaps[before - 1][1], self._swaps[before - 1][3]
        shift = typed_end - read_end
        return start + shift, end + shift


def fill(text: str, table: PlaceholderTable) -> str:
    """Each known placeholder replaced by what it shows; unknown ones are left as typed. A
    sentence naming a withheld figure is left out whole (the wider edition)."""
    text = without_withheld(text, table)

    def shown(match: re.Match[str]) -> str:
        value = table.get(match[1], (match[0],))[0]
        # "fewer than 3 of 10 related to..." opening a sentence takes a capital letter.
        return value[:1].upper() + value[1:] if _starts_sentence(text, match.start()) else value

    return PLACEHOLDER.sub(shown, text)


def _starts_sentence(text: str, position: int) -> bool:
    before = position
    while before and text[before - 1].isspace():
        before -= 1  # only the white space since the last word: linear over the whole text
    return before == 0 or text[before - 1] in ".!?"


def without_withheld(text: str, table: PlaceholderTable) -> str:
    """`text` less every sentence with a placeholder whose figure is withheld."""
    if not any(shown == WITHHELD for shown, _ in table.values()):
        return text
    kept, start = [], 0
    for sentence_break in [*_SENTENCE_BREAK.finditer(text), None]:
        end = sentence_break.start() if sentence_break else len(text)
        sentence = text[start:end]
        names = (match[1] for match in PLACEHOLDER.finditer(sentence))
        if not any(table.get(name, ("",))[0] == WITHHELD for name in names):
            kept.append(sentence)
        start = sentence_break.end() if sentence_break else end
    return " ".join(kept)


# -- Markdown to blocks ------------------------------------------------------------------------


def blocks(
    markdown: str | None, table: PlaceholderTable | None = None, marks: Sequence[str] = ()
) -> list[Block]:
    """The narrative as Blocks, placeholders filled from `table`, each text in `marks` flagged.

    Nested lists are flattened and images keep only their description: a summary report
    needs paragraphs, short headings and lists, and every format can show those faithfully.
    """
    table = table or {}
    result: list[Block] = []
    lists: list[Block] = []  # open lists, innermost last
    items: list[tuple[list[Run], int]] = []  # open list items, innermost last
    for token in _PARSER.parse(markdown or ""):
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            lists.append(Block("bullets" if kind == "bullet_list_open" else "numbers"))
        elif kind in ("bullet_list_close", "ordered_list_close"):
            finished = lists.pop()
            if lists:
                lists[-1].items.extend(finished.items)  # a nested list joins its parent
            elif finished.items:
                result.append(finished)
        elif kind == "list_item_open":
            items.append(([], len(lists[-1].items)))  # its runs, and where it goes in its list
        elif kind == "list_item_close":
            runs, position = items.pop()
            if runs:
                lists[-1].items.insert(position, runs)  # before any items nested inside it
        elif kind == "inline" or kind in ("fence", "code_block"):
            runs = _runs(token, table, marks)
            if not runs:
                continue
            if items:
                item = items[-1][0]
                item.extend(([Run(" ")] if item else []) + runs)
            else:
                heading = _previous_type(token) == "heading_open"
                result.append(Block("heading" if heading else "paragraph", [runs]))
    return result


def _previous_type(token: Token) -> str | None:
    return token.meta.get("previous") if token.meta else None


def _runs(token: Token, table: PlaceholderTable, marks: Sequence[str]) -> list[Run]:
    if token.type in ("fence", "code_block"):
        return _marked([Run(fill(token.content.strip(), table))], marks)
    runs: list[Run] = []
    bold, italic = 0, 0
    link: str | int | float | None = None  # a link's address while inside it
    for child in token.children or []:
        kind = child.type
        if kind in ("text", "code_inline"):
            runs.append(Run(child.content, bold > 0, italic > 0))
        elif kind in ("softbreak", "hardbreak"):
            runs.append(Run(" ", bold > 0, italic > 0))
        elif kind == "strong_open":
            bold += 1
        elif kind == "strong_close":
            bold -= 1
        elif kind == "em_open":
            italic += 1
        elif kind == "em_close":
            italic -= 1
        elif kind == "link_open":
            link = child.attrGet("href")
        elif kind == "link_close" and link:
            runs.append(Run(f" ({link})", bold > 0, italic > 0))  # the address stays readable
            link = None
        elif kind == "image":
            runs.append(Run(child.content, bold > 0, italic > 0))
    # Filled after joining, so a placeholder the parser split into pieces is still whole.
    filled = [Run(fill(run.text, table), run.bold, run.italic) for run in _joined(runs)]
    filled = [run for run in filled if run.text]  # a run of withheld sentences only is gone
    return _marked(filled, marks)


def _joined(runs: list[Run]) -> list[Run]:
    """Neighbouring runs in the same style joined, so a sentence is one run."""
    joined: list[Run] = []
    for run in runs:
        if joined and (joined[-1].bold, joined[-1].italic) == (run.bold, run.italic):
            joined[-1] = Run(joined[-1].text + run.text, run.bold, run.italic)
        elif run.text:
            joined.append(run)
    return joined


def _marked(runs: list[Run], marks: Sequence[str]) -> list[Run]:
    """Runs split so that each text in `marks` is its own run, flagged, wherever it is. Any run
    of spaces or line breaks in a mark matches any other, since Markdown joins lines with a space.

    One pattern for every mark (longest first, where two start at the same place) and one pass
    over each run, with no recursion: a part can have thousands of problems, each a mark."""
    texts = {" ".join(mark.split()) for mark in marks if mark.strip()}
    if not texts:
        return runs
    longest_first = sorted(texts, key=lambda text: (-len(text), text))
    pattern = re.compile(
        "|".join(r"\s++".join(map(re.escape, text.split())) for text in longest_first)
    )
    split: list[Run] = []
    for run in runs:
        start = 0
        for found in pattern.finditer(run.text):
            split.append(Run(run.text[start : found.start()], run.bold, run.italic))
            split.append(Run(found[0], run.bold, run.italic, True))
            start = found.end()
        split.append(Run(run.text[start:], run.bold, run.italic) if start else run)
    return [run for run in split if run.text]


def plain_text(blocks_: Iterable[Block]) -> str:
    """The blocks as plain text, one line per paragraph or item (for checks and tests)."""
    return "\n".join("".join(run.text for run in item) for block in blocks_ for item in block.items)


def _tag_headings(tokens: list[Token]) -> None:
    previous: str | None = None
    for token in tokens:
        if token.type == "inline":
            token.meta = {"previous": previous}
        previous = token.type


# markdown-it gives inline tokens no link to the block that opened them; record it once here.
_PARSER.core.ruler.push("previous_block", lambda state: _tag_headings(state.tokens))
