"""The checks a draft report must pass before it is published. Pure Python.

The figure check finds numbers the author typed that the figures do not bear out, and
placeholders that name no figure: these block publishing until fixed or overridden with a
reason. The disclosure check warns where a report could identify a child; it never blocks,
because only the author can judge who will read the report.
"""

import hashlib
import re
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from practice_review.core import vocabulary as v
from practice_review.core.audit_templates import AuditTemplate
from practice_review.reports.figure_check import check_figures
from practice_review.reports.narrative import (
    SMALL_COUNT,
    Checked,
    PlaceholderTable,
    for_checking,
    unknown_placeholders,
)

if TYPE_CHECKING:  # only for the type: the builder imports matplotlib, which these checks need not
    from practice_review.reports.builder import ReportData


@dataclass(frozen=True)
class Problem:
    part: str  # the narrative part it is in ("" for the report as a whole)
    text: str  # what the author wrote, quoted
    problem: str  # what is wrong, in plain words
    where: str = ""  # the part's place in the report, "6. Closing remarks"
    placeholder: str = ""  # the placeholder to type instead ("{outcome.good_or_better}")
    # Where the words the placeholder would replace are in the part as typed (start, end); None
    # where there is no placeholder to offer or the words take in a placeholder already.
    span: tuple[int, int] | None = None
    more: ClassVar[bool] = False  # True for the line saying how many more are not listed


# A page lists this many problems (or warnings) of each part, then says how many more there are:
# every one is still found, marked in the draft and counted, and publishing needs a reason for all.
LISTED_IN_A_PART = 50


@dataclass(frozen=True)
class More(Problem):
    """In a list of problems, in place of a part's problems after the first LISTED_IN_A_PART."""

    more: ClassVar[bool] = True


def listed(problems: Iterable[Problem], limit: int = LISTED_IN_A_PART) -> list[Problem]:
    """The problems as a page lists them: the first `limit` of each part, in order, and after
    them how many more the part has ("and 950 more in 6. Closing remarks")."""
    problems = list(problems)
    in_part = Counter(problem.part for problem in problems)
    seen: Counter[str] = Counter()
    shown: list[Problem] = []
    for problem in problems:
        seen[problem.part] += 1
        if seen[problem.part] <= limit:
            shown.append(problem)
        if seen[problem.part] == limit and in_part[problem.part] > limit:
            where = problem.where or "the report"
            more = f"and {in_part[problem.part] - limit:,} more in {where}"
            shown.append(More(problem.part, "", more, problem.where))
    return shown


def figure_problems(
    narrative: dict[str, str],
    figures: dict[str, Any],
    placeholder_table: PlaceholderTable,
    parts: Iterable[tuple[str, str]],
    frameworks: Iterable[v.FrameworkTerms] = v.BUILT_IN_FRAMEWORKS,
    templates: Iterable[AuditTemplate] = (),
) -> list[Problem]:
    """Every figure-check problem in the narrative, in the report's order of parts. `frameworks`
    is the council's list (reviews/queries.py), `templates` the counted reviews' versions."""
    problems: list[Problem] = []
    for part, where in parts:
        text = narrative.get(part, "")
        for name in unknown_placeholders(text, placeholder_table):
            problems.append(Problem(part, f"{{{name}}}", f"no figure is called {name}", where))
        checked = Checked(text, placeholder_table)
        for mismatch in check_figures(checked.text, figures, frameworks, templates):
            placeholder = mismatch.placeholder or ""
            span = checked.typed_span(mismatch.start, mismatch.end) if placeholder else None
            if span and not placeholder.endswith((".count}", ".percent}")):
                span = _with_its_percentage(text, span)
            problems.append(
                Problem(part, mismatch.text, mismatch.problem, where, placeholder, span)
            )
    return problems


# A percentage in brackets after "6 of 10": part of the same figure, which a placeholder of the
# "n of N (p%)" form shows in full, so it is replaced with the rest.
_BRACKETED_PERCENTAGE = re.compile(
    r"[ \t]*+\([ \t]*+\d++(?:\.\d++)?+[ \t]*+(?:%|per ?cent)[ \t]*+\)"
)


def _with_its_percentage(text: str, span: tuple[int, int]) -> tuple[int, int]:
    found = _BRACKETED_PERCENTAGE.match(text, span[1])
    return (span[0], found.end()) if found else span


def with_placeholder(text: str, problem: Problem) -> str:
    """The part's `text` with the words `problem` is about replaced by its placeholder, which
    shows the figure as it is whenever the report is shown (the editor's "use the figure")."""
    if problem.span is None:
        raise ValueError("this problem has no placeholder to put in its place")
    start, end = problem.span
    return text[:start] + problem.placeholder + text[end:]


# "1 of 10", "2 out of the 14", "2/14", but not a date such as 1/2/2025.
def problems_digest(problems: Iterable[Problem]) -> str:
    """A short fingerprint of a list of problems, to tell whether the ones an author saw are
    still the ones there are."""
    text = "\n".join(f"{p.part}|{p.text}|{p.problem}" for p in problems)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


_SMALL = re.compile(
    rf"(?<![\d/.])\b([1-{SMALL_COUNT - 1}])\s*+(?:out\s++of|of|/)\s*+(?:the\s++)?(\d+)\b(?![/.]\d)",
    re.I,
)
# A name or initials as a whole word: not inside another word or a hyphenated name, while an
# underscore (Markdown emphasis, "_VB_") still counts as a boundary.
_BEFORE, _AFTER = r"(?<![^\W_])(?<!-)", r"(?![^\W_])(?!-)"


def disclosure_warnings(
    narrative: dict[str, str],
    data: "ReportData",
    parts: Iterable[tuple[str, str]],
    unedited: Collection[str] = (),
    placeholder_table: PlaceholderTable | None = None,
) -> list[Problem]:
    """Where the report could identify a child, for the author to judge.

    The full report's table of the reviews always earns a warning; the narrative is the same in
    both editions, so initials, staff names and counts under 3 typed into it are flagged too,
    and so are findings the author has not yet edited (`unedited`: parts still as prefilled).
    `placeholder_table` is the wider edition's, so a count is judged as that edition shows it.
    """
    warnings: list[Problem] = []
    if data.cohort_rows:
        warnings.append(
            Problem(
                "",
                "The table of the reviews",
                "lists each child's initials with their age, ethnicity and legal status: in a "
                "small authority that can identify a child. Share the full report only with "
                "people who need it, and the version for wider circulation with anyone else.",
            )
        )
    children = {row["initials"] for row in data.cohort_rows if len(row["initials"]) >= 2}
    staff = {
        name
        for row in data.cohort_rows
        for name in (row["social_worker"].removesuffix(" (student)"), row["supervisor"])
        if len(name) >= 2
    } | {name for name in data.staff_names if len(name) >= 2}
    for part, where in parts:
        text = narrative.get(part, "")

        def warn(quoted: str, problem: str, part: str = part, where: str = where) -> None:
            warnings.append(Problem(part, quoted, problem, where))

        if part in unedited and part.startswith(("strengths.", "development.")) and text:
            warn(
                "The reviewers' own words",
                "are still here as they wrote them about "
                "individual children: summarise them before the report goes beyond the service",
            )
        for initials in _whole_words(children, text):
            warn(initials, "a child's initials: both editions show the narrative")
        for name in _whole_words(staff - children, text):
            warn(name, "a member of staff named in the narrative: both editions show it")
        for match in _SMALL.finditer(for_checking(text, placeholder_table or {})):
            warn(
                match[0],
                f"a count under {SMALL_COUNT}, typed: the version for wider "
                "circulation shows it as typed; use a placeholder, which it hides",
            )
    return warnings


def _whole_words(words: Collection[str], text: str) -> list[str]:
    """Which of `words` appear in `text` as whole words (case as written), in order of `words`.

    One pattern for all of them: a large cohort has thousands of initials."""
    if not words or not text:
        return []
    longest_first = sorted(words, key=lambda word: (-len(word), word))
    pattern = "|".join(re.escape(word) for word in longest_first)
    found = {match[0] for match in re.finditer(rf"{_BEFORE}(?:{pattern}){_AFTER}", text)}
    return sorted(found)
