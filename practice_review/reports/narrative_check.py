"""The figure check for a narrative drafted outside the app (`practice-review check-narrative`).
Pure Python: paragraphs in, one dictionary per problem out (docs/spec/interchange.md
#practice-review-check-narrative)."""

from collections.abc import Sequence
from typing import Any

from practice_review.core import vocabulary as v
from practice_review.core.audit_templates import AuditTemplate
from practice_review.reports.figure_check import check_figures
from practice_review.reports.narrative import for_checking, placeholders, unknown_placeholders


def paragraphs(text: str) -> list[str]:
    """The text's paragraphs, separated by blank lines (a line of only spaces is blank)."""
    found: list[str] = []
    lines: list[str] = []
    for line in text.splitlines():
        if line.strip():
            lines.append(line)
        elif lines:
            found.append("\n".join(lines))
            lines = []
    if lines:
        found.append("\n".join(lines))
    return found


def narrative_problems(
    text: str,
    figures: dict[str, Any],
    frameworks: Sequence[v.FrameworkTerms] = v.BUILT_IN_FRAMEWORKS,
    templates: Sequence[AuditTemplate] = (),
) -> list[dict[str, Any]]:
    """{"paragraph": K, "text", "problem", "expected"} for every problem, K counting from 1.

    Placeholders ("{outcome.good_or_better}") are read as the report would show them, as the
    narrative editor reads them. `frameworks` is the council's list (reviews/queries.py), and
    `templates` the template versions the figures counted, whose standards' and questions'
    labels are measures, as in the app's figure check."""
    table = placeholders(figures, frameworks=frameworks, templates=templates)
    problems: list[dict[str, Any]] = []
    for number, paragraph in enumerate(paragraphs(text), start=1):
        for name in unknown_placeholders(paragraph, table):
            problem = f"no figure is called {name}"
            problems.append({"paragraph": number, "text": f"{{{name}}}", "problem": problem,
                             "expected": None})  # fmt: skip
        checked = for_checking(paragraph, table)
        for found in check_figures(checked, figures, frameworks, templates):
            problems.append({"paragraph": number, "text": found.text, "problem": found.problem,
                             "expected": found.expected})  # fmt: skip
    return problems
