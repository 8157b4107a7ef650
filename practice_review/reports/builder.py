"""The summary report as a document structure, built from the figures. Pure Python.

Every number comes from the figures module (interchange.md) and is written as "n of N (p%)";
renderers (HTML, DOCX, PDF) only lay the structure out, so the formats cannot disagree.
"""

from dataclasses import dataclass, field

from practice_review.core.text import long_date
from practice_review.reports.charts import Chart
from practice_review.reports.numbers import n_of_n
from practice_review.reviews import vocabulary as v

SMALL_COHORT = 20


@dataclass
class Table:
    caption: str
    header: list
    rows: list


@dataclass
class Section:
    number: str
    title: str
    paragraphs: list = field(default_factory=list)
    bullets: list = field(default_factory=list)
    tables: list = field(default_factory=list)
    subsections: list = field(default_factory=list)
    charts: list = field(default_factory=list)


@dataclass
class Report:
    council: str
    title: str
    subtitle: str
    sections: list


@dataclass
class ReportData:
    """What the builder needs besides the figures, gathered by reports/report_data.py."""

    cohort_rows: list  # dicts: initials, gender, age, ethnicity, status, social_worker, supervisor
    gap_cases: list  # (initials, practice label, outcome label, reason)
    findings: dict  # theme key -> {"strengths": [text], "development": [text]}
    put_right: dict  # standard key -> how many reviews put a deficit right during the review


def _grade_table(figures):
    total = figures["cohort"]["reviews"]
    comparison = figures.get("comparison")
    header = ["Grade", "Social work practice", "Outcomes for the child"]
    if comparison:
        header += [f"Practice ({comparison['cohort']['name']})",
                   f"Outcomes ({comparison['cohort']['name']})"]  # fmt: skip
    rows = []
    for key, label in v.GRADES + [("good_or_better", "Good or better")]:
        row = [
            label,
            n_of_n(figures["practice"][key], total),
            n_of_n(figures["outcome"][key], total),
        ]
        if comparison:
            base = comparison["cohort"]["reviews"]
            row += [
                n_of_n(comparison["practice"][key], base),
                n_of_n(comparison["outcome"][key], base),
            ]
        rows.append(row)
    return Table("Grades: social work practice and outcomes for the child", header, rows)


def _introduction(figures):
    cohort, total = figures["cohort"], figures["cohort"]["reviews"]
    reviewers = figures["reviewers"]
    if not total:
        return Section("1", "Introduction and methodology", paragraphs=[
            "No reviews have been completed in this cohort yet, so it has no figures."
        ])  # fmt: skip
    moderated = figures["moderated"]
    first, last = long_date(cohort["first_review"]), long_date(cohort["last_review"])
    paragraphs = [
        f"{total} Practice and Impact Review{'s were' if total != 1 else ' was'} completed in "
        f"this cohort, between {first} and {last}. "
        f"Independent reviewers completed {n_of_n(reviewers['independent'], total)} and internal "
        f"reviewers {n_of_n(reviewers['internal'], total)}.",
        "Reviewers looked at the practice window: the 6 months before each review, or from the "
        "start of the case if that was later, speaking with practitioners, their managers and, "
        "where possible, the children, young people and families.",
        "Social work practice and outcomes for the child are graded separately on the Ofsted "
        "ILACS scale. Where a grade was changed at moderation, the moderated grade is counted "
        f"({n_of_n(moderated, total)} reviews moderated; "
        f"{figures['grades_changed_at_moderation']['practice']} practice and "
        f"{figures['grades_changed_at_moderation']['outcome']} outcome grades changed).",
    ]
    if total < SMALL_COHORT:
        paragraphs.append(
            f"With {total} review{'s' if total != 1 else ''}, one case moves a percentage by "
            f"{100 / total:.0f} points: differences from another cohort may be chance."
        )
    return Section("1", "Introduction and methodology", paragraphs=paragraphs)


def _overview(figures, data):
    total = figures["cohort"]["reviews"]
    cohort_table = Table(
        "The reviews in this cohort",
        ["Initials", "Gender", "Age", "Ethnicity", "Status", "Social worker", "Supervisor"],
        [
            [
                r["initials"],
                r["gender"],
                r["age"],
                r["ethnicity"],
                r["status"],
                r["social_worker"],
                r["supervisor"],
            ]
            for r in data.cohort_rows
        ],  # fmt: skip
    )
    framework = Table(
        "Legal or practice framework at the review",
        ["Framework", "Reviews"],
        [[label, n_of_n(figures["legal_status"][key], total)] for key, label in v.LEGAL_STATUSES],
    )
    age = figures["age"]
    paragraphs = [
        f"{n_of_n(figures['gender']['male'], total)} reviews related to children and young "
        f"people identified as male and {n_of_n(figures['gender']['female'], total)} as female.",
        f"Aged 18 or over at the review: {n_of_n(age['aged_18_or_over'], total)}. Aged 21 or "
        f"over: {n_of_n(age['aged_21_or_over'], total)}. Arrived as unaccompanied "
        f"asylum-seeking children: {n_of_n(figures['uasc'], total)}.",
    ]
    comparison = figures.get("comparison")
    if comparison:
        base, name = comparison["cohort"]["reviews"], comparison["cohort"]["name"]
        paragraphs.append(
            f"In {name}: {n_of_n(comparison['gender']['male'], base)} male; "
            f"{n_of_n(comparison['age']['aged_18_or_over'], base)} aged 18 or over; "
            f"{n_of_n(comparison['age']['aged_21_or_over'], base)} aged 21 or over."
        )
    return Section("2", "Overview of the cohort", paragraphs=paragraphs,
                   tables=[cohort_table, framework])  # fmt: skip


def _gradings(figures, data):
    total = figures["cohort"]["reviews"]
    standards = Table(
        "Practice standards",
        ["Standard", "Met", "Not met", "Not applicable", "Put right during the review"],
        [
            [
                label,
                *(
                    n_of_n(figures["practice_standards"][key][r], total)
                    for r in v.STANDARD_RESULT_KEYS
                ),
                str(data.put_right.get(key, 0)),
            ]
            for key, label in v.PRACTICE_STANDARDS
        ],  # fmt: skip
    )
    paragraphs = [
        f"Social work practice was good or better in "
        f"{n_of_n(figures['practice']['good_or_better'], total)} reviews, and outcomes for the "
        f"child in {n_of_n(figures['outcome']['good_or_better'], total)}.",
        f"{n_of_n(figures['both_outstanding'], total)} reviews were outstanding on both grades.",
        f"In {n_of_n(figures['practice_good_or_better_outcome_not'], total)} reviews practice was "
        "good or better while outcomes were not.",
        f"Alerts raised: {figures['alerts']} (an alert is counted each time one is raised, so "
        "this is a number of alerts, not of reviews).",
    ]
    bullets = [f"{initials}: practice {practice.lower()}, outcomes {outcome.lower()}. {reason}"
               for initials, practice, outcome, reason in data.gap_cases]  # fmt: skip
    return Section("3", "Overall gradings and summary of findings", paragraphs=paragraphs,
                   bullets=bullets, tables=[_grade_table(figures), standards],
                   charts=_charts(figures))  # fmt: skip


def _charts(figures):
    """Practice against outcomes; this cohort against the comparator; standards met."""
    grades = [label for _, label in v.GRADES]
    charts = [
        Chart(
            "Social work practice and outcomes for the child",
            grades,
            [
                ("Social work practice", [figures["practice"][key] for key, _ in v.GRADES]),
                ("Outcomes for the child", [figures["outcome"][key] for key, _ in v.GRADES]),
            ],
        ),  # fmt: skip
    ]
    comparison = figures.get("comparison")
    if comparison and comparison["cohort"]["reviews"] and figures["cohort"]["reviews"]:

        def good(block):
            return [block["practice"]["good_or_better_pct"], block["outcome"]["good_or_better_pct"]]

        charts.append(Chart(
            "Good or better: this cohort and the comparator",
            ["Social work practice", "Outcomes for the child"],
            [(figures["cohort"]["name"], good(figures)),
             (comparison["cohort"]["name"], good(comparison))],
            unit="per cent of reviews",
        ))  # fmt: skip
    charts.append(Chart(
        "Practice standards met",
        [label.split(" (")[0] for _, label in v.PRACTICE_STANDARDS],
        [("Met", [figures["practice_standards"][key]["met"] for key in v.PRACTICE_STANDARD_KEYS]),
         ("Not met", [figures["practice_standards"][key]["not_met"]
                      for key in v.PRACTICE_STANDARD_KEYS])],
    ))  # fmt: skip
    return charts


def _by_theme(number, title, data, kind, empty):
    subsections = [
        Section(
            f"{number}.{index}",
            theme_title,
            bullets=list(data.findings.get(key, {}).get(kind, [])),
            paragraphs=[] if data.findings.get(key, {}).get(kind) else [empty],
        )  # fmt: skip
        for index, (key, theme_title) in enumerate(v.THEMES, start=1)
    ]
    return Section(str(number), title, subsections=subsections)


def build_report(*, council, figures, data):
    """The summary report for one cohort (with its comparator inside `figures`)."""
    name = figures["cohort"]["name"]
    return Report(
        council=council,
        title="Children's Services Practice and Impact Review Summary",
        subtitle=name,
        sections=[
            _introduction(figures),
            _overview(figures, data),
            _gradings(figures, data),
            _by_theme(
                4,
                "Areas of strength in practice",
                data,
                "strengths",
                "No strengths were recorded under this theme.",
            ),  # fmt: skip
            _by_theme(
                5,
                "Areas for development",
                data,
                "development",
                "No areas for development were recorded under this theme.",
            ),  # fmt: skip
            Section(
                "6",
                "Closing remarks",
                paragraphs=["To be written by the report's author before the report is published."],
            ),  # fmt: skip
        ],
    )


def build_review_document(*, council, data):
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
                    "The 8 practice standards",
                    ["Standard", "Result", "Comment", "Put right"],
                    data["standards"],
                )
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
    )
