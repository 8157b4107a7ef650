"""The summary report as a document structure, built from the figures. Pure Python.

Every number comes from the figures module (docs/spec/interchange.md#figures-in-prose) and is
written as "n of N (p%)"; renderers (HTML, DOCX, PDF) only lay the structure out, so the formats
cannot disagree.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from practice_review.core import vocabulary as v
from practice_review.core.audit_templates import BUILT_IN_KEY, AuditTemplate, Theme, themes_of
from practice_review.core.measures import axis_levels, item_labels, short_label
from practice_review.core.numbers import n_of_n, whole_percentage
from practice_review.core.text import long_date
from practice_review.reports.charts import PER_CENT, Chart
from practice_review.reports.disclosure import (
    FEWER,
    NOT_SHOWN,
    WITHHELD_NOTE,
    Hidden,
    hide_small,
    masked,
)
from practice_review.reports.narrative import Block, Run, blocks, placeholders

SMALL_COHORT = 20
# Above this many reviews the one-row-per-review cohort table gives way to summary tables.
COHORT_TABLE_LIMIT = 40
# Above this many findings under a theme the prefilled narrative lists the latest few.
FINDINGS_LISTED = 12
INTERNAL, WIDER = "internal", "wider"
FINDINGS_PARTS = ("strengths.", "development.")
UNSUMMARISED = (
    "The reviewers' findings under this theme are in the full report: they describe individual "
    "children, and have not yet been summarised for wider circulation."
)


@dataclass
class Table:
    caption: str
    header: list[str]
    rows: list[list[str]]


@dataclass
class Section:
    number: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    subsections: list["Section"] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    narrative: list[Block] = field(default_factory=list)  # narrative.Block, shown first
    part: str = ""  # the narrative part this section shows, for "Change" links

    @property
    def heading(self) -> str:
        """The heading as shown, "2. Overview of the cohort"; Key messages has no number."""
        return f"{self.number}. {self.title}" if self.number else self.title


@dataclass
class Report:
    council: str
    title: str
    subtitle: str
    sections: list[Section]
    edition: str = ""  # "For wider circulation" on that version
    # The protective marking at the top of every page (OFFICIAL-SENSITIVE, OFFICIAL).
    marking: str = ""
    # What the foot of every page says beside "Page n of m": the title and version.
    footer: str = ""
    author: str = ""  # the document's author, for Word's and the PDF's properties
    # The document control table at the front: [what, detail] rows.
    control: list[list[str]] = field(default_factory=list)
    # "Key messages", before section 1: a few bullets a reader can take away.
    key_messages: Section | None = None

    @property
    def document_title(self) -> str:
        """The report's own title (its document control table's), else the generic one: for
        Word's and the PDF's properties."""
        own = dict(self.control).get("Title") if self.control else None
        return own or f"{self.title}: {self.subtitle}"


@dataclass
class DocumentControl:
    """What a document says about itself at the front, as a council's documents do."""

    title: str  # the report's own title, as the QA lead named it
    version: str  # "1", "2", ... or "Draft" before it is published
    published: str = ""  # the date it was published; empty for a draft
    author: str = ""
    approved_by: str = ""  # who published it (publishing is the sign-off); empty for a draft

    def rows(self, edition: str, period: str, marking: str) -> list[list[str]]:
        return [
            ["Title", self.title],
            ["Version", self.version],
            ["Status", "Published" if self.published else "Draft, not published"],
            ["Date published", self.published or "Not published"],
            ["Author", self.author or "Not recorded"],
            ["Approved by", self.approved_by or "Not yet approved"],
            ["Edition", edition],
            ["Period", period],
            ["Protective marking", marking or "None"],
        ]

    @property
    def footer(self) -> str:
        version = "Draft" if not self.published else f"Version {self.version}"
        return f"{self.title}, {version}"


def _period(figures: dict[str, Any]) -> str:
    cohort = figures["cohort"]
    if not cohort["reviews"]:
        return f"{cohort['name']}: no completed reviews yet"
    return (f"{cohort['name']}: reviews from {long_date(cohort['first_review'])} to "
            f"{long_date(cohort['last_review'])}")  # fmt: skip


@dataclass
class ReportData:
    """What the builder needs besides the figures, gathered by reports/report_data.py."""

    # dicts: initials, gender, age, ethnicity, status, social_worker, supervisor
    cohort_rows: list[dict[str, str]]
    # (initials, practice label, outcome label, reason)
    gap_cases: list[tuple[str, str, str, str]]
    # theme key -> {"strengths": [text], "development": [text]}
    findings: dict[str, dict[str, list[str]]]
    # standard key -> how many reviews put a deficit right during the review
    put_right: dict[str, int]
    # theme key -> [service-level action]
    recommendations: dict[str, list[str]] = field(default_factory=dict)
    # theme key -> how many
    child_recommendations: dict[str, int] = field(default_factory=dict)
    # theme key -> [(topic, findings tagged)]
    topics: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    # The names and initials of the staff in cohort_rows, each as recorded: the table shows
    # "Rachel Lewis (RL)", a narrative would say "Rachel Lewis" or "RL" (checks.py looks for both).
    staff_names: set[str] = field(default_factory=set)
    # The council's legal or practice frameworks (reviews/queries.py), to name those counted.
    frameworks: tuple[v.FrameworkTerms, ...] = v.BUILT_IN_FRAMEWORKS
    # The template versions of the counted reviews, to name their standards and questions.
    templates: tuple[AuditTemplate, ...] = ()
    # The comparator's, to name what it asks that this report's reviews were not asked.
    comparator_templates: tuple[AuditTemplate, ...] = ()
    # How the report's one cohort was drawn from the caseload extract, in a paragraph; "" when
    # it covers more than one cohort, or one not drawn (docs/sampling.md).
    how_drawn: str = ""

    @property
    def themes(self) -> tuple[Theme, ...]:
        """The report's themes: its templates' (core themes_of), the built-in's without any."""
        return themes_of(self.templates)

    @property
    def labels(self) -> dict[tuple[str, ...], str]:
        """{("standards", key) or ("questions", key[, choice]): label} (core/measures.py), in
        the words of this report's templates where the comparator's use the same key."""
        return item_labels(self.templates + self.comparator_templates)


# A section's narrative by part: the part's key -> its blocks (build_report's blocks_for).
Narrative = Callable[[str], list[Block]]


class Counts:
    """Writes counts as "n of N (p%)". In the version for wider circulation the figures come
    masked (reports/disclosure.py): a hidden count reads "fewer than 3 of 10" or "[c]"."""

    def __init__(self, wider: bool) -> None:
        self.wider = wider

    def of(self, count: int | Hidden, total: int) -> str:
        if count is FEWER:
            return f"{count} of {total}"
        return str(count) if isinstance(count, Hidden) else n_of_n(count, total)

    def own(self, count: int) -> int | Hidden:
        """A count no group adds up (put right during the review): hidden alone if small."""
        return hide_small(count) if self.wider else count

    def value(self, count: int | Hidden, shown: float | None = None) -> int | float | str:
        """For a chart: a hidden count is its label (and the chart is left out)."""
        if isinstance(count, Hidden):
            return str(count)
        return count if shown is None else shown


def _withheld_note(tables: list[Table]) -> list[str]:
    """What "[c]" means, said before the tables that use it."""
    cells = (cell for table in tables for row in table.rows for cell in row)
    return [f"In the tables below, {WITHHELD_NOTE}"] if str(NOT_SHOWN) in cells else []


# -- The narrative each section starts with (the author edits it before publishing) -----------


def narrative_parts(themes: Sequence[Theme] | None = None) -> list[tuple[str, str]]:
    """(key, where it appears) for every part of the narrative, in the report's order: a part
    for the strengths and one for the development under each of `themes` (ReportData.themes;
    the built-in's by default)."""
    titles = [(t.key, t.label) for t in themes] if themes is not None else list(v.THEMES)
    parts = [
        ("key_messages", "Key messages"),
        ("introduction", "1. Introduction and methodology"),
        ("overview", "2. Overview of the cohort"),
        ("gradings", "3. Overall gradings and summary of findings"),
    ]
    parts += [(f"strengths.{key}", f"4.{index}. {title}")
              for index, (key, title) in enumerate(titles, start=1)]  # fmt: skip
    parts += [(f"development.{key}", f"5.{index}. {title}")
              for index, (key, title) in enumerate(titles, start=1)]  # fmt: skip
    parts += [
        ("recommendations", f"5.{len(titles) + 1}. Service-level recommendations"),
        ("closing", "6. Closing remarks"),
    ]
    return parts


def default_narrative(figures: dict[str, Any], data: ReportData) -> dict[str, str]:
    """{part: Markdown}: the draft's narrative, its figures as placeholders so they stay live."""
    total = figures["cohort"]["reviews"]
    narrative = {
        "key_messages": _key_messages_text(figures, data.labels) if total else "",
        "introduction": _introduction_text(figures),
        "overview": _overview_text(figures) if total else "",
        "gradings": _gradings_text(figures, data.labels) if total else "",
        "recommendations": _bullets(
            [action for actions in data.recommendations.values() for action in actions]
        ),
        "closing": _closing_text(figures, data.labels) if total else "",
    }
    for key in (theme.key for theme in data.themes):
        for kind in ("strengths", "development"):
            narrative[f"{kind}.{key}"] = _findings_text(data, key, kind)
        made = data.child_recommendations.get(key, 0)
        if made:
            narrative[f"development.{key}"] += (
                f"\n\nReviewers made {made} recommendation{'s' if made != 1 else ''} for "
                "individual children under this theme; each is tracked to completion."
            )
    return narrative


def _key_messages_text(figures: dict[str, Any], labels: dict[tuple[str, ...], str]) -> str:
    """3 to 6 bullets from the figures, each figure a placeholder: good or better on both grades
    against the comparator, the gap between practice and outcomes, the standards least often
    met, alerts, and the recommendations for children overdue when any were made."""
    comparison = figures.get("comparison")
    if not _practice_and_outcome(figures):
        lines = [_good_or_better_sentence(figures, labels)]
    else:
        headline = ("Social work practice was good or better in {practice.good_or_better} "
                    "reviews and outcomes for the child in {outcome.good_or_better}")  # fmt: skip
        compared = all(_compared_axis(figures, key) for key in ("practice", "outcome"))
        if comparison and comparison["cohort"]["reviews"] and compared:
            headline += (", against {comparison.practice.good_or_better} and {comparison."
                         "outcome.good_or_better} in {comparison.cohort.name}")  # fmt: skip
        lines = [headline + "."]
        if figures["practice_good_or_better_outcome_not"]:
            lines.append("The gap to close is between practice and outcomes: in "
                         "{practice_good_or_better_outcome_not} reviews practice was good or "
                         "better while outcomes for the child were not.")  # fmt: skip
        else:
            lines.append("Wherever practice was good or better, outcomes for the child were too.")
    standards = figures["practice_standards"]
    most = max((results["not_met"] for results in standards.values()), default=0)
    if most:
        least_met = [(key, short_label(labels.get(("standards", key), key)))
                     for key, results in standards.items()
                     if results["not_met"] == most][:2]  # fmt: skip
        lines += [f"The practice standard least often met: {label}, not met in "
                  f"{{standards.{key}.not_met}}." for key, label in least_met]  # fmt: skip
    lines.append("Alerts raised: {alerts}.")
    # None made is no message: "0 of 0 overdue" would only raise a question.
    if (figures.get("recommendations") or {}).get("made"):
        lines.append("Recommendations for children overdue: {recommendations.overdue}.")
    return _bullets(lines)


def _introduction_text(figures: dict[str, Any]) -> str:
    total = figures["cohort"]["reviews"]
    if not total:
        return "No reviews have been completed in this cohort yet, so it has no figures."
    were = "reviews were" if total != 1 else "review was"
    template = figures.get("template")
    # A template's name is the council's text: braces in it must not read as placeholders.
    names = sorted({_no_braces(t["name"]) for t in figures.get("templates") or [template] if t})
    if template and template["key"] == BUILT_IN_KEY or not names:
        # The built-in template, and figures published before templates: as it always read.
        what = f"Practice and Impact {were.replace('review', 'Review')} completed"
    elif len(names) == 1:
        what = f"{were} completed on the {names[0]} template"
    else:
        what = f"{were} completed on the templates {' and '.join(names)}"
    return (
        f"{{reviews}} {what} in "
        "{cohort.name}, between {cohort.first_review} and {cohort.last_review}. Independent "
        "reviewers completed {reviewers.independent} and internal reviewers "
        "{reviewers.internal}.\n\n"
        "Reviewers looked at the practice window: the 6 months before each review, or from the "
        "start of the case if that was later, speaking with practitioners, their managers and, "
        "where possible, the children, young people and families.\n\n"
        "Social work practice and outcomes for the child are graded separately on the Ofsted "
        "ILACS scale. Where a grade was changed at moderation, the moderated grade is counted "
        "({moderated} reviews moderated; {changed_at_moderation.practice} practice and "
        "{changed_at_moderation.outcome} outcome grades changed)."
    )


# Each figure that the wider edition may withhold has a sentence of its own: that edition leaves
# out a sentence whose figure it withholds, and must not take a shown figure with it.


def _no_braces(text: str) -> str:
    return text.replace("{", "(").replace("}", ")")


def _overview_text(figures: dict[str, Any]) -> str:
    text = (
        "{gender.male} reviews related to children and young people identified as male. "
        "{gender.female} related to those identified as female.\n\n"
        "Aged 18 or over at the review: {age.aged_18_or_over}. Aged 21 or over: "
        "{age.aged_21_or_over}. Arrived as unaccompanied asylum-seeking children: {uasc}."
    )
    if figures.get("comparison"):
        text += (
            "\n\nIn {comparison.cohort.name}: {comparison.gender.male} male; "
            "{comparison.age.aged_18_or_over} aged 18 or over; "
            "{comparison.age.aged_21_or_over} aged 21 or over."
        )
    return text


def _compared_axis(figures: dict[str, Any], key: str) -> bool:
    """The comparator's block has the axis `key`, graded on the same scale (figures.py leaves
    an axis on another scale out of the comparison and names it under `not_compared`)."""
    comparison = figures.get("comparison") or {}
    left_out = (comparison.get("not_compared") or {}).get("grades", [])
    return isinstance(comparison.get(key), dict) and key not in left_out


def _practice_and_outcome(figures: dict[str, Any]) -> bool:
    """The figures grade both practice and outcome with good-or-better cuts, so the brief's
    sentences about the two apply (figures.py counts gap cases then)."""
    return figures.get("practice_good_or_better_outcome_not") is not None


def _graded_axes(
    figures: dict[str, Any], labels: dict[tuple[str, ...], str]
) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(key, words, levels) of the grade axes the figures count, in the template's order."""
    return [axis for axis in axis_levels(labels) if isinstance(figures.get(axis[0]), dict)]


def _good_or_better_sentence(figures: dict[str, Any], labels: dict[tuple[str, ...], str]) -> str:
    """A sentence for a template of other grades: each axis good or better, where it has a cut."""
    said = [f"{words} was good or better in {{{key}.good_or_better}} reviews"
            for key, words, _levels in _graded_axes(figures, labels)
            if figures[key].get("good_or_better") is not None]  # fmt: skip
    return ("; ".join(said) + ".") if said else "The grades are in the table below."


def _gradings_text(figures: dict[str, Any], labels: dict[tuple[str, ...], str]) -> str:
    if not _practice_and_outcome(figures):
        return (
            _good_or_better_sentence(figures, labels) + "\n\nAlerts raised: {alerts} (an alert is "
            "counted each time one is raised, so this is a number of alerts, not of reviews)."
        )
    text = (
        "Social work practice was good or better in {practice.good_or_better} reviews. "
        "Outcomes for the child were good or better in {outcome.good_or_better}.\n\n"
        "{both_outstanding} reviews were outstanding on both grades. In "
        "{practice_good_or_better_outcome_not} reviews practice was good or better while "
        "outcomes were not.\n\n"
        "Alerts raised: {alerts} (an alert is counted each time one is raised, so this is a "
        "number of alerts, not of reviews)."
    )
    if figures.get("comparison") and all(
        _compared_axis(figures, key) for key in ("practice", "outcome")
    ):
        text += (
            "\n\nIn {comparison.cohort.name}, practice was good or better in "
            "{comparison.practice.good_or_better} reviews. Outcomes were good or better in "
            "{comparison.outcome.good_or_better} there."
        )
    return text


def _closing_text(figures: dict[str, Any], labels: dict[tuple[str, ...], str]) -> str:
    if not _practice_and_outcome(figures):
        return (
            "Across {reviews} reviews: " + _good_or_better_sentence(figures, labels) + " The "
            "areas for development above are followed up through the Recommendation and "
            "Impact Tracker, and the next cohort will show whether they have made a difference."
        )
    return (
        "Across {reviews} reviews, social work practice was good or better in "
        "{practice.good_or_better}. Outcomes for the child were good or better in "
        "{outcome.good_or_better}. "
        "The areas for development above are followed up through the Recommendation and "
        "Impact Tracker, and the next cohort will show whether they have made a difference."
    )


def _findings_text(data: ReportData, theme: str, kind: str) -> str:
    """The reviewers' findings under a theme as a list; for a large cohort, the learning topics
    they were tagged with and the latest findings, so the draft stays readable."""
    texts = data.findings.get(theme, {}).get(kind, [])
    if len(texts) <= FINDINGS_LISTED:
        return _bullets(texts)
    lines: list[str] = []
    topics = data.topics.get(theme, [])
    if topics:
        lines.append("Learning topics the reviewers tagged most often:\n")
        lines.append(_bullets([f"{topic}: {count} finding{'s' if count != 1 else ''}"
                               for topic, count in topics[:8]]))  # fmt: skip
        lines.append("")
    lines.append(f"The latest {FINDINGS_LISTED} of {len(texts)} findings under this theme "
                 "(all of them are in the individual reviews):\n")  # fmt: skip
    lines.append(_bullets(texts[-FINDINGS_LISTED:]))
    return "\n".join(lines)


def _bullets(texts: Iterable[str]) -> str:
    # Each finding on one line, so a reviewer's own line breaks cannot end the list early.
    return "\n".join(f"- {' '.join(str(text).split())}" for text in texts)


# -- The computed parts of each section --------------------------------------------------------


# The comparator's columns name the built-in axes briefly; a template's own axis by its words.
_SHORT_AXIS = {"practice": "Practice", "outcome": "Outcomes"}


def _grade_tables(
    figures: dict[str, Any], counts: Counts, labels: dict[tuple[str, ...], str]
) -> list[Table]:
    """A table of the grades, axes on the same scale side by side (the built-in's two in one):
    a row for each grade, then good or better, with the comparator's columns after."""
    total = figures["cohort"]["reviews"]
    comparison: dict[str, Any] = figures.get("comparison") or {}
    groups: list[list[tuple[str, str, list[tuple[str, str]]]]] = []
    for axis in _graded_axes(figures, labels):
        if groups and groups[-1][0][2] == axis[2]:
            groups[-1].append(axis)
        else:
            groups.append([axis])
    tables = []
    for group in groups:
        compared = [a for a in group if _compared_axis(figures, a[0])]
        header = ["Grade", *(words for _key, words, _levels in group)]
        header += [f"{_SHORT_AXIS.get(key, words)} ({comparison['cohort']['name']})"
                   for key, words, _levels in compared]  # fmt: skip
        rows: list[list[str]] = []
        for level, label in group[0][2] + [("good_or_better", "Good or better")]:
            row = [label, *(_grade_cell(figures[key].get(level), total, counts)
                            for key, _words, _levels in group)]  # fmt: skip
            if compared:
                base = comparison["cohort"]["reviews"]
                row += [_grade_cell(comparison[key].get(level), base, counts)
                        for key, _words, _levels in compared]  # fmt: skip
            rows.append(row)
        title = " and ".join(words.lower() for _key, words, _levels in group)
        tables.append(Table(f"Grades: {title}", header, rows))
    return tables


def _grade_cell(count: Any, total: int, counts: Counts) -> str:
    """A grade's count as n of N; an axis without a good-or-better cut has none to show."""
    return "No cut" if count is None else counts.of(count, total)


def _introduction(figures: dict[str, Any], narrative: Narrative, how_drawn: str = "") -> Section:
    total = figures["cohort"]["reviews"]
    paragraphs: list[str] = [how_drawn] if how_drawn else []
    if 0 < total < SMALL_COHORT:
        paragraphs.append(
            f"With {total} review{'s' if total != 1 else ''}, one case moves a percentage by "
            f"{100 / total:.0f} points: differences from another cohort may be chance."
        )
    return Section("1", "Introduction and methodology", paragraphs=paragraphs,
                   narrative=narrative("introduction"), part="introduction")  # fmt: skip


def _overview(
    figures: dict[str, Any], data: ReportData, counts: Counts, narrative: Narrative
) -> Section:
    total = figures["cohort"]["reviews"]
    tables: list[Table] = []
    paragraphs: list[str] = []
    if counts.wider:
        paragraphs.append(
            "This version is for wider circulation: it leaves out the table of the reviews and "
            'staff initials, and shows counts under 3 as "fewer than 3". A count that would let '
            'one of those be worked out reads "[c]" in the tables and is left out of the text.'
        )
    elif len(data.cohort_rows) > COHORT_TABLE_LIMIT:
        tables.append(_ethnicity_table(data.cohort_rows, total))
    else:
        tables.append(Table(
            "The reviews in this cohort",
            ["Initials", "Gender", "Age", "Ethnicity", "Status", "Social worker", "Supervisor"],
            [[r["initials"], r["gender"], r["age"], r["ethnicity"], r["status"],
              r["social_worker"], r["supervisor"]] for r in data.cohort_rows],
        ))  # fmt: skip
    tables.append(Table(
        "Legal or practice framework at the review",
        ["Framework", "Reviews"],
        [[v.framework_label(key, data.frameworks), counts.of(count, total)]
         for key, count in figures["legal_status"].items()],
    ))  # fmt: skip
    paragraphs += _withheld_note(tables)
    return Section("2", "Overview of the cohort", paragraphs=paragraphs, tables=tables,
                   narrative=narrative("overview"), part="overview")  # fmt: skip


def _ethnicity_table(rows: list[dict[str, str]], total: int) -> Table:
    """A large cohort's reviews by ethnicity as recorded, most frequent first."""
    tally: dict[str, int] = {}
    for row in rows:
        ethnicity = row["ethnicity"] or "Not recorded"
        tally[ethnicity] = tally.get(ethnicity, 0) + 1
    ordered = sorted(tally.items(), key=lambda item: (-item[1], item[0]))
    return Table("The reviews by ethnicity as recorded", ["Ethnicity", "Reviews"],
                 [[name, n_of_n(count, total)] for name, count in ordered])  # fmt: skip


def _gradings(
    figures: dict[str, Any], data: ReportData, counts: Counts, narrative: Narrative
) -> Section:
    total = figures["cohort"]["reviews"]
    labels = data.labels
    standards = Table(
        "Practice standards",
        ["Standard", "Met", "Not met", "Not applicable", "Put right during the review"],
        [[labels.get(("standards", key), key),
          *(counts.of(results[r], total) for r in v.STANDARD_RESULT_KEYS),
          counts.of(counts.own(data.put_right.get(key) or 0), total)]
         for key, results in figures["practice_standards"].items()],
    )  # fmt: skip
    bullets: list[str] = []
    paragraphs: list[str] = []
    if data.gap_cases and counts.wider:
        # A case's reasons describe one child's circumstances: only the full report has them.
        paragraphs.append("The reviewers' reasons for each review where practice was good or "
                          "better but outcomes were not are in the full report.")  # fmt: skip
    elif data.gap_cases:
        paragraphs.append("Where practice was good or better but outcomes were not, the "
                          "reviewers gave these reasons:")  # fmt: skip
        bullets = [f"{initials}: practice {practice.lower()}, outcomes {outcome.lower()}. {reason}"
                   for initials, practice, outcome, reason in data.gap_cases]  # fmt: skip
    tables = [*_grade_tables(figures, counts, labels), standards]
    if figures.get("questions"):
        tables.append(_questions_table(figures, labels, counts))
    charts = _charts(figures, counts, labels)
    drawn = [chart for chart in charts if chart.drawable]
    # Before the lead-in to the reasons, which the bullets must follow directly.
    paragraphs[:0] = (_not_compared(figures, labels) + _withheld_note(tables)
                      + _left_out([c for c in charts if c not in drawn]))  # fmt: skip
    return Section("3", "Overall gradings and summary of findings", paragraphs=paragraphs,
                   bullets=bullets, tables=tables, charts=drawn,
                   narrative=narrative("gradings"), part="gradings")  # fmt: skip


def _not_compared(figures: dict[str, Any], labels: dict[tuple[str, ...], str]) -> list[str]:
    """What a comparison of cohorts on different templates leaves out, and why, said where the
    standards and questions are (figures.py `not_compared`: grade axes, standards, questions):
    nothing for cohorts on one."""
    comparison = figures.get("comparison") or {}
    left_out = comparison.get("not_compared")
    if not left_out:
        return []
    this, other = figures["cohort"]["name"], comparison["cohort"]["name"]
    axes = [key for key, _words, _levels in axis_levels(labels)]
    keys = [set(block["practice_standards"]) | {("q", key) for key in block.get("questions") or {}}
            | {("g", key) for key in axes if isinstance(block.get(key), dict)}
            for block in (figures, comparison)]  # fmt: skip
    groups: dict[str, list[tuple[str, str]]] = {"other": [], "this": [], "both": []}
    for kind, key in (
        [("grades", k) for k in left_out.get("grades", [])]
        + [("standards", k) for k in left_out["standards"]]
        + [("questions", k) for k in left_out["questions"]]
    ):
        item = {"standards": key, "questions": ("q", key), "grades": ("g", key)}[kind]
        group = "both" if all(item in asked for asked in keys) else (
            "other" if item in keys[0] else "this")  # fmt: skip
        groups[group].append((kind, labels.get((kind, key), key)))
    versions = " and ".join(_template_names(block) for block in (figures, comparison))
    sentences = [f"{this} and {other} were reviewed on different audit templates ({versions}), "
                 "so they are compared only on what both were asked."]  # fmt: skip
    leaves = "The comparison leaves out"
    for group, after in (("other", f"{other} was not asked"), ("this", f"{this} was not asked"),
                         ("both", "the two asked in different forms")):  # fmt: skip
        items = groups[group]
        if items:
            sentences.append(f"{leaves} {_how_many(items)} {after}: "
                             + _end_sentence("; ".join(label for _, label in items)))  # fmt: skip
            leaves = "It also leaves out"
    return [" ".join(sentences)]


def _template_names(block: dict[str, Any]) -> str:
    versions = block.get("templates") or [block.get("template")]
    return "; ".join(f"{t['name']}, version {t['version']}" for t in versions if t)


def _how_many(items: list[tuple[str, str]]) -> str:
    counted = []
    for kind, one in (("grades", "grade"), ("standards", "standard"), ("questions", "question")):
        n = sum(1 for item_kind, _ in items if item_kind == kind)
        if n:
            counted.append(f"{n} {one if n == 1 else kind}")
    return " and ".join(counted)


def _end_sentence(text: str) -> str:
    return text if text.endswith((".", "?", "!")) else text + "."


def _questions_table(
    figures: dict[str, Any], labels: dict[tuple[str, ...], str], counts: Counts
) -> Table:
    """The template's questions: reviews per answer, or how many answered (and, for a number,
    the answers added up). Each row names its question, so a row read alone still makes sense."""
    total = figures["cohort"]["reviews"]
    rows: list[list[str]] = []
    for key, answers in figures["questions"].items():
        question = labels.get(("questions", key), key)
        for answer, count in answers.items():
            if answer == "total":
                rows.append([question, "The answers added up", str(count)])
                continue
            said = {"yes": "Yes", "no": "No", "answered": "Answered"}.get(answer)
            rows.append([question, said or labels.get(("questions", key, answer), answer),
                         counts.of(count, total)])  # fmt: skip
    return Table("Questions", ["Question", "Answer", "Reviews"], rows)


def _left_out(charts: list[Chart]) -> list[str]:
    """Said in place of the charts not drawn, so the reader knows they were not forgotten."""
    said: list[str] = []
    withheld = [f"\u201c{chart.title}\u201d" for chart in charts if chart.withholds]
    if withheld:
        names = " and ".join([", ".join(withheld[:-1]), withheld[-1]] if len(withheld) > 1
                             else withheld)  # fmt: skip
        said.append(f"The chart{'s' if len(withheld) > 1 else ''} {names} "
                    f"{'are' if len(withheld) > 1 else 'is'} left out of this version: some of "
                    "their counts are under 3, or would let one be worked out. The figures that "
                    "can be shown are in the tables below.")  # fmt: skip
    said += [f"The chart \u201c{chart.title}\u201d is not drawn: every value in it is 0."
             for chart in charts if not chart.withholds]  # fmt: skip
    return said


def _charts(
    figures: dict[str, Any], counts: Counts, labels: dict[tuple[str, ...], str]
) -> list[Chart]:
    """The grades on each scale, its axes side by side (practice against outcomes); this cohort
    against the comparator; standards met."""
    charts = []
    axes = _graded_axes(figures, labels)
    for scale in dict.fromkeys(tuple(levels) for _key, _words, levels in axes):
        same = [(key, words) for key, words, levels in axes if tuple(levels) == scale]
        title = " and ".join(
            words if n == 0 else words.lower() for n, (_, words) in enumerate(same)
        )
        charts.append(Chart(
            title,
            [label for _level, label in scale],
            [(words, [counts.value(figures[key][level]) for level, _ in scale])
             for key, words in same],
        ))  # fmt: skip
    comparison: dict[str, Any] = figures.get("comparison") or {}
    cut = [(key, words) for key, words, _levels in axes
           if figures[key].get("good_or_better") is not None
           and _compared_axis(figures, key)]  # fmt: skip
    if cut and comparison["cohort"]["reviews"] and figures["cohort"]["reviews"]:

        def good(block: dict[str, Any]) -> list[int | float | str]:
            # Whole percentages, rounded as "n of N (p%)" rounds them: one rounding everywhere.
            total, values = block["cohort"]["reviews"], []
            for key, _words in cut:
                count = block[key]["good_or_better"]
                shown = whole_percentage(count, total) if isinstance(count, int) else None
                values.append(counts.value(count, shown))
            return values

        charts.append(Chart(
            "Good or better: this cohort and the comparator",
            [words for _key, words in cut],
            [(figures["cohort"]["name"], good(figures)),
             (comparison["cohort"]["name"], good(comparison))],
            unit=PER_CENT,
        ))  # fmt: skip
    standards = figures["practice_standards"]
    charts.append(Chart(
        "Practice standards met",
        [short_label(labels.get(("standards", key), key)) for key in standards],
        [("Met", [counts.value(results["met"]) for results in standards.values()]),
         ("Not met", [counts.value(results["not_met"]) for results in standards.values()])],
    ))  # fmt: skip
    return charts


def _by_theme(
    themes: Sequence[Theme], number: int, kind: str, empty: str, narrative: Narrative
) -> list[Section]:
    subsections: list[Section] = []
    for index, (key, theme_title) in enumerate(((t.key, t.label) for t in themes), start=1):
        blocks = narrative(f"{kind}.{key}")
        subsections.append(Section(f"{number}.{index}", theme_title,
                                   paragraphs=[] if blocks else [empty], narrative=blocks,
                                   part=f"{kind}.{key}"))  # fmt: skip
    return subsections


def build_report(
    *,
    council: str,
    figures: dict[str, Any],
    data: ReportData,
    narrative: dict[str, str] | None = None,
    audience: str = INTERNAL,
    marks: dict[str, list[str]] | None = None,
    edited: Iterable[str] | None = None,
    draft: bool = False,
    control: DocumentControl | None = None,
    marking: str = "",
) -> Report:
    """The summary report over one set of reviews (its comparator inside `figures`).

    `narrative` is {part: Markdown}; parts left out take the default draft. `edited` names the
    parts the author wrote (all of `narrative` when not given). `audience` WIDER gives the
    version for wider circulation. `marks` is {part: [text]} to highlight (the figure check's
    problems, on the draft page only). `draft` says so on the document. `control` fills the
    document control table and each page's footer; `marking` heads every page.
    """
    wider = audience == WIDER
    counts = Counts(wider)
    shown = masked(figures, data.templates, data.comparator_templates) if wider else figures
    texts = default_narrative(figures, data) | (narrative or {})
    edited = set(narrative or {}) if edited is None else set(edited)
    table = placeholders(figures, wider=wider, frameworks=data.frameworks,
                         templates=data.templates,
                         comparator_templates=data.comparator_templates)  # fmt: skip
    marks = marks or {}

    def blocks_for(part: str) -> list[Block]:
        if wider and part.startswith(FINDINGS_PARTS) and part not in edited:
            # Still the reviewers' words about individual children: only the full report.
            return blocks(UNSUMMARISED if texts.get(part) else "")
        return blocks(texts.get(part, ""), table, marks.get(part, ()))

    total = figures["cohort"]["reviews"]
    themes = data.themes
    key_messages = None
    if total:
        key_messages = Section("", "Key messages", narrative=blocks_for("key_messages"),
                               part="key_messages")  # fmt: skip
    sections = [_introduction(figures, blocks_for, data.how_drawn)]
    if total:
        sections += [
            _overview(shown, data, counts, blocks_for),
            _gradings(shown, data, counts, blocks_for),
            Section("4", "Areas of strength in practice", subsections=_by_theme(
                themes, 4, "strengths",
                "No strengths were recorded under this theme.", blocks_for)),
            Section("5", "Areas for development and recommendations", subsections=_by_theme(
                themes, 5, "development",
                "No areas for development were recorded under this theme.", blocks_for) + [
                Section(f"5.{len(themes) + 1}", "Service-level recommendations",
                        narrative=blocks_for("recommendations"), part="recommendations",
                        paragraphs=[] if blocks_for("recommendations") else [
                            "No service-level recommendations have been recorded yet."])]),
            Section("6", "Closing remarks", narrative=blocks_for("closing"), part="closing"),
        ]  # fmt: skip
    editions = ["Draft, not published" if draft else "", "For wider circulation" if wider else ""]
    title = _title(figures)
    edition_name = "For wider circulation" if wider else "Full report"
    return Report(
        council=council,
        title=title,
        subtitle=figures["cohort"]["name"],
        sections=sections,
        edition=". ".join(edition for edition in editions if edition),
        marking=marking,
        footer=control.footer if control else f"{title}: {figures['cohort']['name']}",
        author=(control and control.author) or council,
        control=control.rows(edition_name, _period(figures), marking) if control else [],
        key_messages=key_messages,
    )


def _title(figures: dict[str, Any]) -> str:
    """The built-in template's title, as it always read; a report on other templates is named
    after them ("Thematic audit - neglect: summary")."""
    versions = [t for t in figures.get("templates") or [figures.get("template")] if t]
    if all(t["key"] == BUILT_IN_KEY for t in versions):
        return "Children's Services Practice and Impact Review Summary"
    return " and ".join(dict.fromkeys(t["name"] for t in versions)) + ": summary"


def report_to_dict(report: Report) -> dict[str, Any]:
    """The report as plain JSON data, to keep a published version exactly as it was."""
    return asdict(report)


def report_from_dict(data: dict[str, Any]) -> Report:
    def section(item: dict[str, Any]) -> Section:
        return Section(
            **{**item,
               "tables": [Table(**table) for table in item["tables"]],
               "charts": [Chart(chart["title"], chart["categories"],
                                [tuple(series) for series in chart["series"]], chart["unit"])
                          for chart in item["charts"]],
               "narrative": [Block(block["kind"], [[Run(**run) for run in runs]
                                                   for runs in block["items"]])
                             for block in item["narrative"]],
               "subsections": [section(sub) for sub in item["subsections"]]}
        )  # fmt: skip

    key_messages = data.get("key_messages")
    return Report(**{**data, "sections": [section(item) for item in data["sections"]],
                     "key_messages": key_messages and section(key_messages)})  # fmt: skip


def build_review_document(*, council: str, data: dict[str, Any], marking: str = "") -> Report:
    """One review as a document for the child's case file, in the same house style.

    `data` is plain data from report_data.review_document_data(): no database here.
    """
    child = data["child"]
    grades = data["grades"]
    sections = [
        Section(
            "1",
            "The review",
            tables=[
                Table(
                    "About this review",
                    ["Question", "Answer"],
                    [
                        ["Cohort", data["cohort"]],
                        ["Date of the review", data["review_date"]],
                        ["Reviewer", data["reviewer"]],
                        ["Status", data["status"]],
                        ["Practice window", data["practice_window"]],
                    ],
                )
            ],
        ),  # fmt: skip
        Section(
            "2",
            "The child at the review",
            tables=[
                Table(
                    "The child's details as they were at the review",
                    ["Question", "Answer"],
                    [[label, value] for label, value in child],
                )
            ],
        ),  # fmt: skip
        Section(
            "3",
            "Practice standards",
            tables=[
                Table(
                    f"The {len(data['standards'])} practice standards",
                    ["Standard", "Result", "Comment", "Put right"],
                    data["standards"],
                ),
                # The questions a review's template asks beyond its standards, when it asks any.
                *(
                    [Table("Questions", ["Question", "Answer"], data["questions"])]
                    if data.get("questions")
                    else []
                ),
            ],
        ),  # fmt: skip
        Section(
            "4",
            "Strengths and areas for development",
            subsections=[
                Section(f"4.{index}", title, paragraphs=texts or ["Nothing recorded."])
                for index, (title, texts) in enumerate(data["themes"], start=1)
            ],
        ),  # fmt: skip
        Section(
            "5",
            "Conversations",
            bullets=data["conversations"],
            paragraphs=[] if data["conversations"] else ["None recorded."],
        ),  # fmt: skip
        Section(
            "6",
            "Grades",
            tables=[Table("Grades and their reasons", ["Grade for", "Grade", "Reasons"], grades)],
            paragraphs=data["grade_notes"],
        ),  # fmt: skip
        Section(
            "7",
            "Recommendations",
            bullets=data["recommendations"],
            paragraphs=[] if data["recommendations"] else ["None."],
        ),  # fmt: skip
        Section(
            "8",
            "Reflections and responses",
            bullets=data["responses"],
            paragraphs=[] if data["responses"] else ["None yet."],
        ),  # fmt: skip
        Section("9", "Timeline", bullets=data["timeline"]),
    ]
    return Report(
        council=council,
        title="Practice and Impact Review",
        subtitle=f"{data['reference']}: {data['initials']}, reviewed {data['review_date']}",
        sections=sections,
        marking=marking,
        # The reference only: the footer is on every page, initials are not needed there.
        footer=f"Practice and Impact Review {data['reference']}",
        author=council,
    )
