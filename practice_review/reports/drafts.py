"""A draft summary report as it stands now: its figures, narrative, checks and document."""

from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.utils import timezone

from practice_review.core.text import long_date
from practice_review.reports.builder import (
    INTERNAL,
    WIDER,
    DocumentControl,
    build_report,
    default_narrative,
    narrative_parts,
)
from practice_review.reports.checks import disclosure_warnings, figure_problems
from practice_review.reports.narrative import placeholders
from practice_review.reports.summary import Coverage, protective_marking, report_inputs


def coverage_of(report):
    return Coverage(
        tuple(report.cohorts.order_by("period_start", "name")), report.date_from, report.date_to
    )


@dataclass
class Draft:
    report: object  # SummaryReport
    reviews: object  # the reviews its reader may see

    @cached_property
    def inputs(self):
        return report_inputs(coverage_of(self.report), self.report.comparator, self.reviews)

    @property
    def figures(self):
        return self.inputs[0]

    @property
    def data(self):
        return self.inputs[1]

    @cached_property
    def defaults(self):
        return default_narrative(self.figures, self.data)

    @cached_property
    def narrative(self):
        """{part: Markdown}: what the author wrote, and the default where they have not."""
        stored = self.report.narrative
        return {part: stored.get(part, self.defaults.get(part, "")) for part, _ in self.parts}

    @property
    def parts(self):
        return narrative_parts(self.data.themes)

    def edited(self, part):
        return part in self.report.narrative

    def placeholders(self, audience=INTERNAL):
        return placeholders(
            self.figures,
            wider=audience != INTERNAL,
            frameworks=self.data.frameworks,
            templates=self.data.templates,
            comparator_templates=self.data.comparator_templates,
        )

    @cached_property
    def problems(self):
        return figure_problems(
            self.narrative, self.figures, self.placeholders(), self.parts, self.data.frameworks,
            self.data.templates,
        )  # fmt: skip

    @cached_property
    def warnings(self):
        unedited = [part for part, _ in self.parts if not self.edited(part)]
        return disclosure_warnings(
            self.narrative, self.data, self.parts, unedited, self.placeholders(WIDER)
        )

    def problems_in(self, part, text=None):
        """The part's problems, or those of `text` in its place (what is in the editor's box)."""
        if text is None:
            return [problem for problem in self.problems if problem.part == part]
        where = [(key, title) for key, title in self.parts if key == part]
        return figure_problems(
            {part: text}, self.figures, self.placeholders(), where, self.data.frameworks,
            self.data.templates,
        )  # fmt: skip

    def control(self, number=None, at=None, by=None):
        """The document control table: a draft's, or version `number`'s, published `at` by
        `by` (publishing is the sign-off, so they are who approved it)."""
        return DocumentControl(
            title=self.report.title,
            version=str(number) if number else "Draft",
            published=long_date(timezone.localdate(at)) if at else "",
            author=str(self.report.created_by),
            approved_by=str(by) if by else "",
        )

    def document(self, audience=INTERNAL, marked=False, draft=False, control=None):
        marks = {}
        if marked:
            for problem in self.problems:
                marks.setdefault(problem.part, []).append(problem.text)
        return build_report(
            council=settings.COUNCIL_NAME,
            figures=self.figures,
            data=self.data,
            narrative=self.narrative,
            audience=audience,
            marks=marks,
            edited=self.report.narrative,
            draft=draft,
            control=control or self.control(),
            marking=protective_marking(audience),
        )
