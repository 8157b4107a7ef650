import datetime
import os
import secrets
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, transaction
from django.utils import timezone

from practice_review.accounts.models import (
    StaffMember,
    Team,
    User,
    normalise_name,
    system_actor,
)
from practice_review.core.environment import Environment
from practice_review.core.history import save_as
from practice_review.core.secrets_file import private_file
from practice_review.core.spreadsheets import to_csv
from practice_review.core.vocabulary import RecommendationStatus, Role
from practice_review.moderation import actions as moderation_actions
from practice_review.moderation.models import Meeting
from practice_review.reports import actions as report_actions
from practice_review.reports.models import SummaryReport
from practice_review.reports.summary import Coverage, previous_cohort
from practice_review.reviews import actions as review_actions
from practice_review.reviews.actions import assign_second_reviewer
from practice_review.reviews.importing import import_reviews
from practice_review.reviews.models import Child, Cohort, Review
from practice_review.reviews.queries import find_cohort
from practice_review.site import demo_cohorts
from practice_review.tracker.models import ImpactCheck, Recommendation

SEED_FILE = Path(__file__).resolve().parents[3] / "reviews" / "demo_data" / "seed-cohorts.csv"

# The seed file names social workers and supervisors by initials, as the reference report does;
# the council's own records hold their names. The demo records these (made up) after importing
# the file, as a council would, so its pages show staff as a council sees them. The file itself
# is unchanged and still imports as the contract says: initials still match.
DEMO_STAFF_NAMES = {
    "AB": "Amina Bello",
    "AM": "Aaron Mensah",
    "BA": "Bethany Ahmed",
    "BS": "Ben Sutherland",
    "KN": "Kiran Nair",
    "LC": "Lucy Chen",
    "MD": "Mohammed Dar",
    "NN": "Niamh Nolan",
    "PA": "Patrick Asante",
    "RL": "Rachel Lewis",
    "SC": "Sophie Clarke",
}

# One demo person per role, linked to the seed data so each role sees something real.
DEMO_USERS = [
    ("qa.lead", Role.QA_LEAD, "Quinn", "Adeyemi", None),
    ("reviewer.independent", Role.REVIEWER, "Independent", "Associate", "Independent Associate"),
    (
        "reviewer.internal",
        Role.REVIEWER,
        "Head of Safeguarding",
        "and QA",
        "Head of Safeguarding and QA",
    ),
    ("practitioner", Role.PRACTITIONER, "Rachel", "Lewis", "RL"),
    ("manager", Role.MANAGER, "Bethany", "Ahmed", "BA"),
    ("senior.leader", Role.SENIOR_LEADER, "Sam", "Okafor", None),
    ("admin", Role.ADMIN, "Alex", "Morgan", None),
]


def demo_password():
    """PRACTICE_REVIEW_DEMO_PASSWORD, else one generated once and kept (owner-only) to reuse."""
    if os.environ.get("PRACTICE_REVIEW_DEMO_PASSWORD"):
        return os.environ["PRACTICE_REVIEW_DEMO_PASSWORD"]
    return private_file(
        settings.DATA_DIR / "demo-password", lambda: "demo-" + secrets.token_urlsafe(12)
    )


class Command(BaseCommand):
    help = "Set up the demo (migrate, seed cohorts, one user per role) and serve it."

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="set up, but do not serve")
        parser.add_argument("--port", type=int, default=Environment().int("PORT", 8000))

    def handle(self, no_serve, port, **options):
        call_command("migrate", interactive=False, verbosity=0)
        result = import_reviews(
            data=SEED_FILE.read_bytes(), file_name=SEED_FILE.name, by=system_actor()
        )
        if not result.ok:
            raise CommandError("; ".join(str(p) for p in result.problems))
        council_staff_records(system_actor())
        _monthly_cohorts(system_actor())
        _reviews_to_do(system_actor())
        password = demo_password()
        with transaction.atomic():
            for username, role, first, last, staff_name in DEMO_USERS:
                self._demo_user(username, role, first, last, staff_name, password)
        qa_lead = User.objects.get(username=DEMO_USERS[0][0])
        # The meeting first: the recommendation it raised is in the published report's 5.6.
        _moderation(qa_lead)
        _summary_report(qa_lead)
        # Demo mode for the server started below (its workers read the variable) and for
        # `serve`'s own check in this process.
        os.environ["PRACTICE_REVIEW_DEMO_MODE"] = "true"
        settings.DEMO_MODE = True

        self.stdout.write(f"Demo data: {result.rows} seed reviews ({result.created} new), and "
                          f"{demo_cohorts.MONTHS} monthly cohorts of made-up children for the "
                          "trends page.")  # fmt: skip
        # The server it starts reads the setting with demo mode on (settings.py), where this
        # process read it before demo mode was set: so read it here as the server will.
        two_factor = Environment().bool("PRACTICE_REVIEW_TWO_FACTOR", False)
        self.stdout.write(
            "Demo sign-ins:" if two_factor else "Demo sign-ins (two-factor sign-in is off):"
        )
        for username, role, *_ in DEMO_USERS:
            self.stdout.write(f"  {username:<22} {role}")
        self.stdout.write(f"  password for all: {password}")
        if not no_serve:
            call_command("serve", port=port)

    def _demo_user(self, username, role, first, last, staff_name, password):
        staff = None
        if staff_name:
            key = normalise_name(staff_name)
            staff = (
                StaffMember.objects.filter(name_key=key).first()
                or StaffMember.objects.filter(initials_key=key).first()
            )
        user, _ = User.objects.get_or_create(username=username)
        user.role, user.first_name, user.last_name = role, first, last
        user.staff_member = staff
        user.is_active = True
        # Demo emails go to the server's console; an address lets them be addressed at all.
        user.email = f"{username}@{DEMO_EMAIL_DOMAIN}"
        user.is_staff = role in (Role.ADMIN, Role.QA_LEAD)  # the Django admin, for reference data
        if not user.check_password(password):
            user.set_password(password)
        user.save()


DEMO_EMAIL_DOMAIN = "demo.invalid"


@transaction.atomic
def council_staff_records(by):
    """Give the seed's staff known by initials alone the names the council holds for them
    (DEMO_STAFF_NAMES), keeping their initials. Safe to run again: a member of staff who has a
    name of their own already, however it was given, is left as they are."""
    for initials, name in DEMO_STAFF_NAMES.items():
        key = normalise_name(initials)
        member = StaffMember.objects.filter(name_key=key, initials_key=key).first()
        if member is not None:
            member.name = name
            save_as(member, by)


def holds_demo_users():
    """Does this database hold the demo's users (one shared, printed password)? False before
    the database is set up."""
    try:
        return User.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}").exists()
    except DatabaseError:
        return False


DEMO_COHORT = "Demo: reviews to do"
DEMO_ACTION = "Agree a plan with the young person for the outcome the review found lacking."


def _monthly_recommendations(rows, by):
    """The monthly cohorts' recommendations for children (site/demo_cohorts.py), as the
    tracker would hold them had they been made at each review and worked through since."""
    reviews = {review.child.case_ref: review for review in
               Review.objects.filter(cohort__name__startswith=demo_cohorts.PREFIX)
               .select_related("child", "cohort", "social_worker")}  # fmt: skip
    for case_ref, due, completed in demo_cohorts.recommendations(rows, timezone.localdate()):
        review = reviews[case_ref]
        made = save_as(Recommendation(
            level="child", review=review, cohort=review.cohort, theme="journey",
            action=DEMO_ACTION, owner=review.social_worker, due_date=due,
            success_measure="The next review finds the outcome improved.", created_by=by,
            status=RecommendationStatus.COMPLETED if completed else RecommendationStatus.OPEN,
        ), by)  # fmt: skip
        if completed:
            at = timezone.make_aware(datetime.datetime.combine(completed, datetime.time(15)))
            save_as(ImpactCheck(recommendation=made, completed_at=at,
                                due_on=completed + datetime.timedelta(days=91)), by)  # fmt: skip


def _monthly_cohorts(by):
    """Two years of monthly cohorts of made-up children, for the trends page
    (site/demo_cohorts.py), with their workers named and in teams (once only)."""
    if Cohort.objects.filter(name__startswith=demo_cohorts.PREFIX).exists():
        return
    rows = demo_cohorts.monthly_rows(timezone.localdate())
    data = to_csv(list(rows[0]), [list(row.values()) for row in rows])
    result = import_reviews(data=data, file_name="monthly-audits.csv", by=by)
    if not result.ok:
        raise CommandError("; ".join(str(p) for p in result.problems))
    with transaction.atomic():
        _monthly_recommendations(rows, by)
        for initials, (name, team_name) in demo_cohorts.WORKERS.items():
            member = StaffMember.objects.filter(initials_key=normalise_name(initials)).first()
            if member is not None:
                member.name = name
                member.team = Team.objects.filter(name=team_name).first() or save_as(
                    Team(name=team_name), by
                )
                save_as(member, by)


@transaction.atomic
def _reviews_to_do(by):
    """A cohort of reviews still to do, so the reviewers' demo has work in it (once only)."""
    if find_cohort(DEMO_COHORT):
        return
    today = timezone.localdate()
    cohort = review_actions.create_cohort(
        by=by,
        name=DEMO_COHORT,
        period_start=today,
        period_end=today + datetime.timedelta(days=30),
        selected_by="Senior leadership team",
        selection_reason="mixed",
    )
    staff = {member.name: member for member in StaffMember.objects.all()}
    for case_ref, reviewer, reviewer_type, days in [
        ("C1004", "Independent Associate", "independent", 14),
        ("C1010", "Head of Safeguarding and QA", "internal", 21),
    ]:
        latest = Child.objects.get(case_ref=case_ref).reviews.order_by("-review_date").first()
        review_actions.assign_review(
            by=by,
            cohort=cohort,
            child=latest.child,
            reviewer=staff[reviewer],
            reviewer_type=reviewer_type,
            due_date=today + datetime.timedelta(days=days),
            social_worker=latest.social_worker,
            supervisor=latest.supervisor,
        )


DEMO_CLOSING = (
    "Practice was good or better in {practice.good_or_better} reviews, against "
    "{comparison.practice.good_or_better} in {comparison.cohort.name}. Outcomes for the child "
    "were good or better in {outcome.good_or_better}.\n\n"
    "The service's next step is to make sure that where practice is strong, outcomes follow: "
    "the recommendations in section 5 are tracked to completion, and the next cohort will show "
    "whether they made a difference."
)


def _summary_report(by):
    """A published summary report of the September cohort against July's (once only)."""

    september = find_cohort("September 2024 to February 2025")
    if SummaryReport.objects.exists() or september is None:
        return
    report = report_actions.create_report(
        by=by,
        title="Practice and Impact Review summary, September 2024 to February 2025",
        cohorts=[september],
        comparator=previous_cohort(Coverage((september,))),
    )
    report = report_actions.save_narrative(
        by=by, report=report, part="closing", text=DEMO_CLOSING, version=report.version
    )
    report_actions.publish(
        by=by, report=report, reviews=Review.objects.all(), version=report.version
    )


def _moderation(by):
    """A past moderation meeting with a learning point and a recommendation it raised, and a
    dual review: the internal reviewer grades the independent reviewer's demo case blind."""
    if Meeting.objects.exists():
        return
    meeting = moderation_actions.plan_meeting(
        by=by,
        held_on=datetime.date(2025, 3, 12),
        reviews=[],
        attendees="Head of Safeguarding and QA; Independent Associate; Service Manager, "
        "Children in Care; Service Manager, Care Leavers",
    )
    moderation_actions.add_learning_point(
        by=by,
        meeting=meeting,
        theme="identity",
        text="Religion and first language are often missing from the child's record, and "
        "interpreters are not always arranged for conversations with the young person.",
    )
    owner = StaffMember.objects.filter(initials="BA").first()
    recommendation = moderation_actions.raise_recommendation(
        by=by,
        meeting=meeting,
        theme="identity",
        owner=owner,
        action="Team managers check religion, first language and interpreter needs are "
        "recorded at every supervision of a new case.",
        due_date=datetime.date(2025, 6, 30),
        success_measure="No review in the next cohort finds them missing.",
    )
    # The demo's meeting is in the past, so its recommendation was raised then, not today (a
    # summary report lists the service-level recommendations raised in its period).
    raised = timezone.make_aware(datetime.datetime.combine(meeting.held_on, datetime.time(12)))
    Recommendation.objects.filter(pk=recommendation.pk).update(created_at=raised)
    moderation_actions.close_meeting(by=by, meeting=meeting)
    demo_case = Review.objects.filter(
        cohort__name=DEMO_COHORT, reviewer__name="Independent Associate"
    ).first()
    second = StaffMember.objects.filter(name="Head of Safeguarding and QA").first()
    if demo_case and second:
        assign_second_reviewer(review=demo_case, by=by, second_reviewer=second)
