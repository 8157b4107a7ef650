"""Shared fixtures: the seed cohorts and a small cast of people, one per role.

The cast follows the demo (docs/spec/domain.md#roles): the practitioner is social worker RL, the
manager is supervisor BA, the reviewers are the Independent Associate and the Head of
Safeguarding and QA. `outsider` is a practitioner on no review at all.
"""

import os
import re
import uuid
from pathlib import Path

import pytest
from django.http import HttpRequest
from django.test import Client
from django.utils import timezone
from hypothesis import settings as hypothesis_settings

from practice_review.accounts.models import StaffMember, User, system_actor
from practice_review.reviews.answers import with_grades
from practice_review.reviews.models import Review

SEED_FILE = (
    Path(__file__).resolve().parents[1]
    / "practice_review"
    / "reviews"
    / "demo_data"
    / "seed-cohorts.csv"
)
SEPTEMBER = "September 2024 to February 2025"
JULY = "July 2024 Practice Assurance Fortnight"
PASSWORD = "correct horse battery staple"

# Property tests take their number of examples from a profile, not from each @settings: a quick
# look locally, the full quality bar (1,000+ examples per property, quality.md) in CI. CI sets
# CI=true; HYPOTHESIS_PROFILE=ci (or dev) chooses one by name. Loaded here, before any test
# module's @settings is read, so those inherit it.
hypothesis_settings.register_profile("dev", max_examples=50)
hypothesis_settings.register_profile("ci", max_examples=1000, print_blob=True)
hypothesis_settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE")
    or ("ci" if os.environ.get("CI", "").lower() == "true" else "dev")
)


# The longest files of slow tests first, longest first (measured, `make test-slow`): its workers
# take whole files in this order (--dist loadfile --no-loadscope-reorder), so none is left
# running kill -9 alone at the end while the other has finished. Other tests keep their order.
LONGEST_FIRST = [
    "test_crash_safety.py",
    "test_command_line.py",
    "test_backups.py",
    "test_concurrent_writers.py",
]


def pytest_collection_modifyitems(items):
    def position(item):
        name = item.path.name
        return LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=position)  # stable: each file's own order is kept


@pytest.fixture(autouse=True)
def test_settings(settings, tmp_path_factory):
    # A fast hasher: tests sign people in hundreds of times (production keeps PBKDF2).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Hashed static names need `collectstatic` first; tests render pages without it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # As in production, whatever this machine's demo marker says: two-factor is on.
    settings.DEMO_MODE = False
    settings.TWO_FACTOR_REQUIRED = True
    # Uploads held between the import's check and its confirmation: a folder of each test's own
    # (made only when a test holds one), never the project's data folder.
    settings.HELD_UPLOADS_DIR = tmp_path_factory.getbasetemp() / "held-uploads" / uuid.uuid4().hex


class TwoFactorClient(Client):
    """The test client, whose login() and force_login() also give the second factor.

    Ordinary tests are about what a signed-in person may do, so they sign in fully; tests of
    two-factor itself use django.test.Client() and go through the code pages.
    """

    def login(self, **credentials):
        # The lockout backend (django-axes) needs the request that the sign-in page would give.
        request = HttpRequest()
        request.META["REMOTE_ADDR"] = "127.0.0.1"
        signed_in = super().login(request=request, **credentials)
        if signed_in:
            self.complete_second_factor()
        return signed_in

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        self.complete_second_factor()

    def complete_second_factor(self):
        """Mark the session verified exactly as django_otp.login() does, with a confirmed
        authenticator for the person (made if they have none)."""
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        session = self.session
        user = User.objects.get(pk=session["_auth_user_id"])
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="Test authenticator")
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


@pytest.fixture
def client():
    """pytest-django's `client`, signing in with both factors (see TwoFactorClient)."""
    return TwoFactorClient()


@pytest.fixture
def actor(db):
    return system_actor()


@pytest.fixture
def seeded(actor):
    from practice_review.reviews.importing import import_reviews

    result = import_reviews(data=SEED_FILE.read_bytes(), file_name=SEED_FILE.name, by=actor)
    assert result.ok, result.problems
    return result


def make_user(username, role, staff_name=None):
    staff = None
    if staff_name:
        staff = StaffMember.objects.filter(name=staff_name).first() or StaffMember.objects.create(
            name=staff_name
        )
    user = User.objects.create_user(username, password=PASSWORD, role=role, staff_member=staff)
    return user


@pytest.fixture
def cast(seeded):
    """{name: user} for every role, linked to the seed data as the demo links them."""
    return {
        "qa_lead": make_user("qa.lead", "qa_lead"),
        "reviewer_independent": make_user(
            "reviewer.independent", "reviewer", "Independent Associate"
        ),
        "reviewer_internal": make_user(
            "reviewer.internal", "reviewer", "Head of Safeguarding and QA"
        ),
        "practitioner": make_user("practitioner", "practitioner", "RL"),
        "manager": make_user("manager", "manager", "BA"),
        "senior_leader": make_user("senior.leader", "senior_leader"),
        "admin": make_user("admin", "admin"),
        "outsider": make_user("outsider", "practitioner", "Nobody On Any Review"),
    }


GRADE_FIELD = re.compile(r"(second_|moderated_|paired_)?(\w+?)_(grade|rationale)")


def regrade(reviews, **fields):
    """Set fields on `reviews` (a queryset, or one review) straight in the database, as
    `.update()` does, with no history: grades named as review files name them
    (`practice_grade`, `moderated_outcome_grade`, `second_practice_grade`,
    `paired_practice_grade`, `practice_rationale`) go into each review's answers document
    (reviews/answers.py), or into `answers` when given, and giving second grades marks them
    recorded (second_graded_at)."""
    given, others = {}, {}
    for name, value in fields.items():
        found = GRADE_FIELD.fullmatch(name) if name != "practice_outcome_reason" else None
        if found:
            part = "rationale" if found[3] == "rationale" else (found[1] or "grade_").rstrip("_")
            given.setdefault(found[2], {})[part] = value
        else:
            others[name] = value
    seconds = [parts["second"] for parts in given.values() if "second" in parts]
    if seconds:
        others["second_graded_at"] = timezone.now() if any(seconds) else None
    pks = (
        [reviews.pk] if isinstance(reviews, Review) else list(reviews.values_list("pk", flat=True))
    )
    base = others.pop("answers", None)  # a document to set the grades in, else the review's
    for review in Review.objects.filter(pk__in=pks):
        answers = with_grades(review.answers if base is None else base, given)
        Review.objects.filter(pk=review.pk).update(answers=answers, **others)
