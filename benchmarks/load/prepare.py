#!/usr/bin/env python
"""Prepare a data folder for the load test (docs/spec/quality.md#load: "load on
loopback: 50 users").

    PRACTICE_REVIEW_DATA_DIR=/tmp/load [DATABASE_URL=postgres://...] \\
        .venv/bin/python benchmarks/load/prepare.py [--users 50]

On a fresh data folder (and database), with the app's own settings:

- the demo set-up (`practice-review demo --no-serve`): migrations, the seed cohorts, the demo
  report, moderation meeting and one user per role; the demo's users are then switched off and
  demo mode is off, so the server runs as a real installation (two-factor sign-in on);
- for each of `--users` slots, a reviewer, a practitioner and a manager, each with their own
  work: the reviewer an assigned review in "Load test: reviews to do"; the practitioner (as
  social worker) and manager (as supervisor) a final review in "Load test: completed reviews",
  on which the manager owns a tracked recommendation; plus a few QA leads and a draft report;
- every load user has the same known password and, when django-otp's TOTP plugin is
  installed, a confirmed TOTP device of their own, so they sign in the real way.

It writes `load-users.json` to the data folder: usernames, the password, each user's TOTP key
(hex) and the ids of the pages they open. The locust file reads it (LOAD_USERS_FILE).
"""

import argparse
import csv
import datetime
import io
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Known to the locust file through load-users.json; only ever used on a throwaway data folder.
PASSWORD = "load-test-password-not-secret"  # noqa: S105
USERS_FILE = "load-users.json"
TODO_COHORT = "Load test: reviews to do"
DONE_COHORT = "Load test: completed reviews"
QA_LEADS = 10

COLUMNS = [
    "cohort", "child_ref", "initials", "gender", "age_at_review", "ethnicity", "uasc",
    "legal_status", "social_worker", "supervisor", "reviewer", "reviewer_type", "review_date",
    "practice_grade", "outcome_grade", "basic_details", "visits_in_timescale", "seen_alone",
    "recording_up_to_date", "supervision_frequency", "management_oversight",
    "chronology_current", "legal_documents", "alerts", "strengths_journey",
    "development_journey", "practice_outcome_reason",
]  # fmt: skip
GRADES = ["outstanding", "good", "requires_improvement", "good"]


def name(kind, number):
    return f"Load {kind} {number:02d}"


def completed_reviews_file(users):
    """A review file of one final review per slot: social worker and supervisor are the slot's
    practitioner and manager, the reviewer the slot's reviewer."""
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS)
    writer.writeheader()
    start = datetime.date(2025, 1, 6)
    for number in range(1, users + 1):
        writer.writerow(
            {
                "cohort": DONE_COHORT,
                "child_ref": f"LOAD{number:04d}",
                "initials": "LT",
                "gender": "F" if number % 2 else "M",
                "age_at_review": 5 + number % 12,
                "ethnicity": "British",
                "uasc": "no",
                "legal_status": "child_in_need",
                "social_worker": name("practitioner", number),
                "supervisor": name("manager", number),
                "reviewer": name("reviewer", number),
                "reviewer_type": "independent",
                "review_date": (start + datetime.timedelta(days=number)).isoformat(),
                "practice_grade": GRADES[number % 4],
                "outcome_grade": GRADES[(number + 1) % 4],
                **dict.fromkeys(COLUMNS[15:23], "met"),
                "alerts": 0,
                "strengths_journey": "Visits were on time and the plan was reviewed.",
                "development_journey": "The chronology needs updating.",
                "practice_outcome_reason": "",
            }
        )
    return out.getvalue().encode()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50, help="slots (default 50)")
    args = parser.parse_args(argv)
    if not os.environ.get("PRACTICE_REVIEW_DATA_DIR"):
        parser.error("set PRACTICE_REVIEW_DATA_DIR to a fresh data folder")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "practice_review.settings")
    # The demo users (qa.lead, reviewer.independent, ...) get the same known password.
    os.environ["PRACTICE_REVIEW_DEMO_PASSWORD"] = PASSWORD
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    summary = prepare(args.users)
    print(
        f"prepared {summary['slots']} slots ({len(summary['users'])} load users, "
        f"two-factor devices: {'yes' if summary['two_factor'] else 'no'}) in "
        f"{os.environ['PRACTICE_REVIEW_DATA_DIR']}"
    )


def prepare(users):
    from django.conf import settings
    from django.core.management import call_command

    from practice_review.accounts.models import User
    from practice_review.site.management.commands.demo import DEMO_EMAIL_DOMAIN

    call_command("demo", no_serve=True, stdout=io.StringIO())
    # A real installation, not the demo: demo mode off (two-factor sign-in on), and the demo's
    # users, who share one printed password, switched off, so `serve` starts as for a council.
    os.environ.pop("PRACTICE_REVIEW_DEMO_MODE", None)
    settings.DEMO_MODE = False
    User.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}").update(is_active=False, email="")
    summary = _load_data(users)
    path = settings.DATA_DIR / USERS_FILE
    path.write_text(json.dumps(summary, indent=1))
    path.chmod(0o600)
    return summary


def _load_data(users):
    from django.apps import apps
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from practice_review.accounts.models import StaffMember, User, system_actor
    from practice_review.core.history import save_as
    from practice_review.reports.actions import create_report
    from practice_review.reports.models import SummaryReport
    from practice_review.reviews import actions
    from practice_review.reviews.importing import import_reviews
    from practice_review.reviews.models import Cohort, Review
    from practice_review.tracker.models import Recommendation

    by = system_actor()
    result = import_reviews(data=completed_reviews_file(users), file_name="load-test.csv", by=by)
    if not result.ok:
        raise SystemExit("; ".join(str(p) for p in result.problems))
    two_factor = apps.is_installed("django_otp.plugins.otp_totp")
    hashed = make_password(PASSWORD)  # hashed once: PBKDF2 per user would take minutes
    staff = {member.name: member for member in StaffMember.objects.filter(name__startswith="Load")}
    today = timezone.localdate()
    entries = []

    def user(username, role, staff_member=None):
        account = User.objects.create(
            username=username,
            role=role,
            first_name="Load",
            last_name=username.rsplit(".", 1)[-1],
            email=f"{username}@load.invalid",
            staff_member=staff_member,
            password=hashed,
        )
        entry = {"username": username, "role": role, "totp_key": None}
        if two_factor:
            from django_otp.plugins.otp_totp.models import TOTPDevice

            device = TOTPDevice.objects.create(user=account, name="load test", confirmed=True)
            entry["totp_key"] = device.key
        entries.append(entry)
        return account, entry

    with transaction.atomic():
        todo = actions.create_cohort(
            by=by,
            name=TODO_COHORT,
            period_start=today,
            period_end=today + datetime.timedelta(days=60),
            selected_by="Load test",
            selection_reason="mixed",
        )
        done = Cohort.objects.get(name=DONE_COHORT)
        completed = {
            review.child.case_ref: review
            for review in Review.objects.filter(cohort=done).select_related("child")
        }
        for number in range(1, users + 1):
            final = completed[f"LOAD{number:04d}"]
            reviewer, sw, manager = (
                staff[name(kind, number)] for kind in ("reviewer", "practitioner", "manager")
            )
            review = actions.assign_review(
                by=by,
                cohort=todo,
                child=final.child,
                reviewer=reviewer,
                reviewer_type="independent",
                due_date=today + datetime.timedelta(days=14 + number % 30),
                social_worker=sw,
                supervisor=manager,
            )
            recommendation = Recommendation(
                level="child",
                review=final,
                cohort=done,
                theme="journey",
                action="Update the chronology and share it with the family.",
                owner=manager,
                due_date=today + datetime.timedelta(days=30),
                success_measure="The chronology is current at the next supervision.",
                created_by=by,
            )
            save_as(recommendation, by)
            slot = f"{number:02d}"
            _, entry = user(f"load.reviewer.{slot}", "reviewer", reviewer)
            entry["review"] = review.pk
            _, entry = user(f"load.practitioner.{slot}", "practitioner", sw)
            entry["review"] = final.pk
            _, entry = user(f"load.manager.{slot}", "manager", manager)
            entry["review"], entry["recommendation"] = final.pk, recommendation.pk
        for number in range(1, QA_LEADS + 1):
            user(f"load.qa.{number:02d}", "qa_lead")
    # A draft report (not yet published) over both load cohorts, for the QA leads to open.
    create_report(by=by, title="Load test draft report", cohorts=[done, todo])

    return {
        "slots": users,
        "password": PASSWORD,
        "two_factor": two_factor,
        "users": entries,
        "cohorts": list(Cohort.objects.order_by("id").values_list("id", flat=True)),
        "reports": list(SummaryReport.objects.order_by("id").values_list("id", flat=True)),
        "reviews": list(Review.objects.order_by("id").values_list("id", flat=True)[:200]),
        "recommendations": list(
            Recommendation.objects.order_by("id").values_list("id", flat=True)[:200]
        ),
    }


if __name__ == "__main__":
    main()
