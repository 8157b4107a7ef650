"""The fixed vocabularies (docs/spec/domain.md#vocabularies). Keys are used in files, the API
and the code.

The ground floor of the project: every app takes its vocabularies from here and nowhere else.
The states and roles that code compares against are `TextChoices` (ReviewStatus, Role,
RecommendationStatus), so a test like `user.role == Role.REVIEWER` names its value once; the
fixed lists that files and reports read are (key, label) pairs. The legal or practice
frameworks are the council's reference data: only the built-in five are here. Only Django's
enum types are imported (no models, no settings), so the parser, the figures and the report
builder share it.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import TextChoices

# Grades on the Ofsted ILACS scale, best first.
GRADES = [
    ("outstanding", "Outstanding"),
    ("good", "Good"),
    ("requires_improvement", "Requires improvement to be good"),
    ("inadequate", "Inadequate"),
]
GRADE_KEYS = [key for key, _ in GRADES]
GOOD_OR_BETTER = ("outstanding", "good")


@dataclass(frozen=True)
class FrameworkTerms:
    """A legal or practice framework as files, figures and reports name it. The council's list
    is reference data (reviews.models.Framework, read by reviews/queries.py `frameworks()`);
    pure modules are given it. `synonyms` are what review files may say besides the key and
    the label; an inactive framework is no longer given to new reviews but keeps its counts."""

    key: str
    label: str
    synonyms: tuple[str, ...] = ()
    active: bool = True


# The five every council starts with (migration reviews 0014 stores them), in their order.
BUILT_IN_FRAMEWORKS = (
    FrameworkTerms("early_help", "Early Help", ("EH",)),
    FrameworkTerms("child_in_need", "Child in Need", ("CIN",)),
    FrameworkTerms("child_protection", "Child Protection", ("CP",)),
    FrameworkTerms(
        "looked_after",
        "Child in care (looked after)",
        (
            "LAC",
            "CLA",
            "CIC",
            "Child in Care",
            "Looked After Child",
            "Looked After Children",
            "Looked after",
        ),
    ),  # fmt: skip
    FrameworkTerms(
        "care_leaver",
        "Care leaver / care experienced",
        (
            "Care Leaver",
            "Care experienced",
            "Care leaver / care experienced",
            "Care Experienced / Care Leavers",
        ),
    ),  # fmt: skip
)
BUILT_IN_KEYS = tuple(framework.key for framework in BUILT_IN_FRAMEWORKS)


def framework_label(key: str, frameworks: Iterable[FrameworkTerms]) -> str:
    """A framework's label; a key no longer in the list (figures kept from before) as words."""
    for framework in frameworks:
        if framework.key == key:
            return framework.label
    return key.replace("_", " ").capitalize()


PRACTICE_STANDARDS = [
    (
        "basic_details",
        "Basic details are up to date on the system (including ethnicity, religion, language)",
    ),
    ("visits_in_timescale", "Visits are undertaken in expected or statutory timescales"),
    ("seen_alone", "The child is seen alone where required"),
    ("recording_up_to_date", "Recording is updated on the file in line with practice standards"),
    ("supervision_frequency", "Supervision is provided at the expected frequency"),
    (
        "management_oversight",
        "There is evidence of management oversight and supervision driving positive outcomes",
    ),
    (
        "chronology_current",
        "There is an up-to-date chronology on file (updated within the last 3 months)",
    ),
    (
        "legal_documents",
        "Where required, key legal documents are on file "
        "(e.g. signed Section 20 agreement, Care Order)",
    ),
]
PRACTICE_STANDARD_KEYS = [key for key, _ in PRACTICE_STANDARDS]

STANDARD_RESULTS = [
    ("met", "Met"),
    ("not_met", "Not met"),
    ("not_applicable", "Not applicable"),
]
STANDARD_RESULT_KEYS = [key for key, _ in STANDARD_RESULTS]

THEMES = [
    ("journey", "The journey of the child"),
    ("needs_support_outcomes", "Identification of needs, provision of support, and outcomes"),
    ("management_oversight", "Management oversight, influence and direction"),
    (
        "identity",
        "Understanding of identity and its impact on practice "
        "(Social GGRRAAACCEEESSS, anti-racist practice standards)",
    ),
    (
        "multi_agency",
        "Impact and quality of multi-agency work, involvement of partners and community services",
    ),
]
THEME_KEYS = [key for key, _ in THEMES]

GENDERS = [
    ("male", "Male"),
    ("female", "Female"),
    ("other", "Other"),
    ("not_recorded", "Not recorded"),
]
GENDER_KEYS = [key for key, _ in GENDERS]

# Groups of children the trends page compares (docs/spec/domain.md#equity-groups): finer age
# bands than the report's (docs/spec/domain.md#age-bands), in whole years at the review, and
# whether the child was an unaccompanied asylum-seeking child. A review whose snapshot does not
# say is counted under NOT_RECORDED (the gender vocabulary's own key for the same thing).
NOT_RECORDED = "not_recorded"
TREND_AGE_BANDS = [
    ("under_1", "Under 1", 0, 1),
    ("1_to_4", "1 to 4", 1, 5),
    ("5_to_9", "5 to 9", 5, 10),
    ("10_to_15", "10 to 15", 10, 16),
    ("16_to_17", "16 to 17", 16, 18),
    ("18_to_20", "18 to 20", 18, 21),
    ("21_and_over", "21 and over", 21, None),
]  # key, words, from age, to age (not included)
UASC_GROUPS = [("yes", "Unaccompanied asylum-seeking"), ("no", "Not unaccompanied asylum-seeking")]
EQUITY_DIMENSIONS = [
    ("legal_status", "Legal or practice framework"),
    ("gender", "Gender"),
    ("age_band", "Age at the review"),
    ("ethnicity", "Ethnicity"),
    ("uasc", "Unaccompanied asylum-seeking child"),
]
EQUITY_DIMENSION_KEYS = [key for key, _ in EQUITY_DIMENSIONS]

REVIEWER_TYPES = [
    ("independent", "Independent"),
    ("internal", "Internal"),
]
REVIEWER_TYPE_KEYS = [key for key, _ in REVIEWER_TYPES]

# The parts a member of staff plays on a review. The keys are the review's fields and, but for
# the IRO, the review file's columns (docs/spec/interchange.md#columns): staff are people the
# council knows by name and initials; the part they play belongs to the review.
STAFF_ROLES_ON_A_REVIEW = [
    ("social_worker", "Social worker"),
    ("supervisor", "Supervisor"),
    ("reviewer", "Reviewer"),
    ("second_reviewer", "Second reviewer"),
    ("independent_reviewing_officer", "Independent Reviewing Officer"),
]
STAFF_ROLE_KEYS = [key for key, _ in STAFF_ROLES_ON_A_REVIEW]


def staff_roles_text(keys: Iterable[str]) -> str:
    """Parts played on reviews, in the vocabulary's order, as a sentence writes them:
    "supervisor, reviewer"."""
    given = set(keys)
    return ", ".join(label.lower() for key, label in STAFF_ROLES_ON_A_REVIEW if key in given)


class ReviewStatus(TextChoices):
    """A review's states (docs/spec/domain.md#review-states): assigned -> in progress ->
    submitted -> final. Who may move a review between them is reviews/workflow.py's table."""

    ASSIGNED = "assigned", "Assigned"
    IN_PROGRESS = "in_progress", "In progress"
    SUBMITTED = "submitted", "Submitted"
    FINAL = "final", "Final"


# A completed review is submitted or final; figures count those.
COMPLETED_STATES = (ReviewStatus.SUBMITTED, ReviewStatus.FINAL)
# A draft the reviewer may still change.
EDITABLE_STATES = (ReviewStatus.ASSIGNED, ReviewStatus.IN_PROGRESS)


class Role(TextChoices):
    """What a person does in the programme; core/permissions.py says what each role may do."""

    QA_LEAD = "qa_lead", "Quality assurance lead"
    REVIEWER = "reviewer", "Reviewer"
    PRACTITIONER = "practitioner", "Practitioner"
    MANAGER = "manager", "Manager"
    SENIOR_LEADER = "senior_leader", "Senior leader"
    ADMIN = "admin", "Administrator"


class AccountChangeStatus(TextChoices):
    """A change to an account that waits for a second person (accounts/change_rules.py): it is
    approved or declined, or lapses when nobody decides in time."""

    WAITING = "waiting", "Waiting for approval"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"
    EXPIRED = "expired", "Expired"


class RecommendationStatus(TextChoices):
    """A recommendation's progress in the tracker; tracker/rules.py holds its transitions."""

    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    NOT_ACCEPTED = "not_accepted", "Not accepted"
    SUPERSEDED = "superseded", "Superseded"
    CASE_CLOSED = "case_closed", "Case closed or transferred"


SELECTION_REASONS = [
    ("mixed", "Mixed"),
    ("theme", "A theme"),
]


def label_for(vocabulary: Iterable[tuple[str, str]], key: str) -> str:
    return dict(vocabulary).get(key, key)
