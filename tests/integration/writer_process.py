"""Writers in their own processes, for tests of real concurrency against an SQLite file.

The pytest SQLite database is in memory and shared by one process, where "database is locked"
cannot happen; these run as `python -m tests.integration.writer_process ...` with the app's own
settings (WAL, busy timeout, IMMEDIATE transactions) and write through the app's own actions.

    setup --writers N            users writer-00.., a service-level recommendation and a review
                                 in progress; prints {"recommendation": id, "review": id}
    write NAME --writes N --start-file F
                                 waits for F, then N times: a tracker update and a conversation
    until NAME --stop-file F     tracker updates until F exists; prints how many
"""

import argparse
import datetime
import json
import os
import sys
import time


def setup(writers):
    from django.db import transaction

    from practice_review.accounts.models import StaffMember, User, system_actor
    from practice_review.reviews import actions
    from practice_review.reviews.models import Child
    from practice_review.tracker.models import Recommendation

    by = system_actor()
    with transaction.atomic():
        for number in range(writers):
            User.objects.create_user(f"writer-{number:02d}", role="qa_lead")
        recommendation = Recommendation.objects.create(
            level="service", action="Check supervision is recorded", created_by=by
        )
        today = datetime.date.today()
        cohort = actions.create_cohort(
            by=by,
            name="Writers",
            period_start=today,
            period_end=today,
            selected_by="Tests",
            selection_reason="mixed",
        )
        child = Child.objects.get(case_ref="C1004")
        latest = child.reviews.order_by("-review_date").first()
        review = actions.assign_review(
            by=by,
            cohort=cohort,
            child=child,
            reviewer=StaffMember.objects.get(name="Independent Associate"),
            reviewer_type="independent",
            due_date=today,
            social_worker=latest.social_worker,
            supervisor=latest.supervisor,
        )
        # Started here, so the writers' conversations do not race to mark it started.
        actions.add_conversation(
            review=review,
            by=by,
            held_with="practitioner",
            held_on=today,
            method="phone",
            their_words="setup",
        )
    print(json.dumps({"recommendation": recommendation.pk, "review": review.pk}))


def write(name, writes, start_file):
    from practice_review.accounts.models import User
    from practice_review.reviews.actions import add_conversation
    from practice_review.reviews.models import Review
    from practice_review.tracker.actions import add_update
    from practice_review.tracker.models import Recommendation

    user = User.objects.get(username=name)
    recommendation = Recommendation.objects.get(level="service")
    review = Review.objects.get(cohort__name="Writers")
    while not os.path.exists(start_file):
        time.sleep(0.01)
    for number in range(writes):
        add_update(recommendation=recommendation, text=f"{name} update {number}", by=user)
        add_conversation(
            review=review,
            by=user,
            held_with="practitioner",
            held_on=datetime.date.today(),
            method="phone",
            their_words=f"{name} conversation {number}",
        )
    print(f"{name} wrote {writes * 2}")


def until(name, stop_file):
    from practice_review.accounts.models import User
    from practice_review.tracker.actions import add_update
    from practice_review.tracker.models import Recommendation

    user = User.objects.get(username=name)
    recommendation = Recommendation.objects.get(level="service")
    written = 0
    while not os.path.exists(stop_file):
        add_update(recommendation=recommendation, text=f"{name} update {written}", by=user)
        written += 1
    print(written)


def main(argv):
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("setup").add_argument("--writers", type=int, default=20)
    writing = commands.add_parser("write")
    writing.add_argument("name")
    writing.add_argument("--writes", type=int, required=True)
    writing.add_argument("--start-file", required=True)
    looping = commands.add_parser("until")
    looping.add_argument("name")
    looping.add_argument("--stop-file", required=True)
    arguments = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "practice_review.settings")
    import django

    django.setup()
    if arguments.command == "setup":
        setup(arguments.writers)
    elif arguments.command == "write":
        write(arguments.name, arguments.writes, arguments.start_file)
    else:
        until(arguments.name, arguments.stop_file)


if __name__ == "__main__":
    main(sys.argv[1:])
