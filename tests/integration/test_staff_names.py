"""Staff as the council recorded them: the name, with the initials in brackets when both are
recorded, initials alone only when that is all there is; and, where a QA lead chooses among all
staff, the parts each has played on reviews (a member of staff holds no job title of their own:
files name them as a review's social worker, supervisor or reviewer)."""

import re

import pytest
from django.urls import reverse

from practice_review.accounts.models import StaffMember
from practice_review.core.history import save_as
from practice_review.reviews.importing import import_reviews
from practice_review.reviews.models import Review
from practice_review.reviews.queries import find_cohort
from practice_review.site.management.commands.demo import DEMO_STAFF_NAMES, council_staff_records
from tests.conftest import SEED_FILE, SEPTEMBER, regrade
from tests.integration.access_world import build_world
from tests.integration.helpers import table_counts

pytestmark = pytest.mark.django_db


def named(initials, name):
    """The council records a name for a member of staff the files know by initials."""
    member = StaffMember.objects.get(name=initials)
    member.name = name
    member.initials = initials
    member.save()
    return member


def options(response, field):
    """The labels of a select's options, as a person reads them."""
    html = response.content.decode()
    select = re.search(rf'<select[^>]*id="id_{field}".*?</select>', html, re.S)
    assert select, f"no select {field}"
    return [
        " ".join(label.split())
        for label in re.findall(r"<option[^>]*>(.*?)</option>", select[0], re.S)
    ]


def text_of(response):
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_the_qa_lead_chooses_staff_by_name_and_the_parts_they_play_on_reviews(client, cast):
    named("RL", "Rachel Lewis")
    client.force_login(cast["qa_lead"])
    cohort = find_cohort(SEPTEMBER)

    response = client.get(reverse("cohort_add_case", args=[cohort.pk]))

    workers = options(response, "social_worker")
    assert "Rachel Lewis (RL) – social worker" in workers
    assert "BA – supervisor" in workers  # initials alone: all that was ever recorded
    assert "KN – supervisor" in workers
    assert "Independent Associate – reviewer" in workers
    assert "Nobody On Any Review" in workers  # on no review yet: the name alone
    assert "Rachel Lewis (RL)" not in workers and "RL" not in workers
    assert options(response, "reviewer") == [
        "Choose a member of staff",
        "Head of Safeguarding and QA – reviewer",
        "Independent Associate – reviewer",
    ]


def test_every_part_a_member_of_staff_has_played_is_named(client, cast):
    review = Review.objects.filter(cohort=find_cohort(SEPTEMBER)).first()
    review.second_reviewer = StaffMember.objects.get(name="Head of Safeguarding and QA")
    review.save()
    client.force_login(cast["qa_lead"])
    draft = build_world(cast)["draft_independent"]

    response = client.get(reverse("review_second_reviewer", args=[draft.pk]))

    assert "Head of Safeguarding and QA – reviewer, second reviewer" in options(
        response, "second_reviewer"
    )


def test_a_reviewer_chooses_staff_by_name_without_parts_from_reviews_they_cannot_see(client, cast):
    """A reviewer sees only their own reviews: the parts staff play elsewhere are not theirs to
    learn from a list, so their lists show names (with initials) only, as before."""
    draft = build_world(cast)["draft_independent"]
    named("RL", "Rachel Lewis")
    client.force_login(cast["reviewer_independent"])

    response = client.get(reverse("review_recommendations", args=[draft.pk]))

    owners = options(response, "owner")
    assert "Rachel Lewis (RL)" in owners and "BA" in owners
    assert not any("–" in owner for owner in owners)
    must_act = options(client.get(reverse("alert_raise", args=[draft.pk])), "must_act")
    assert "Rachel Lewis (RL)" in must_act and not any("–" in name for name in must_act)


def test_named_staff_show_with_their_initials_wherever_staff_are_listed(client, cast):
    world = build_world(cast)
    named("RL", "Rachel Lewis")
    client.force_login(cast["qa_lead"])
    review = Review.objects.filter(
        cohort=find_cohort(SEPTEMBER), social_worker__name="Rachel Lewis"
    )

    cohort_page = text_of(client.get(reverse("cohort_detail", args=[find_cohort(SEPTEMBER).pk])))
    review_page = text_of(client.get(reverse("review_detail", args=[review.first().pk])))
    tracker = text_of(client.get(reverse("tracker_list")))

    assert "Rachel Lewis (RL)" in cohort_page
    assert "Social worker Rachel Lewis (RL)" in review_page
    assert "Rachel Lewis (RL)" in tracker  # the owner of the world's recommendations
    world["draft_independent"].refresh_from_db()
    assert str(world["draft_independent"].social_worker) == "Rachel Lewis (RL)"


def test_a_practitioner_sees_names_only_of_staff_on_their_own_reviews(client, cast):
    named("RL", "Rachel Lewis")
    named("BA", "Bethany Ahmed")
    named("PA", "Patrick Asante")  # a social worker on other children's reviews
    client.force_login(cast["practitioner"])

    cohort_page = text_of(client.get(reverse("cohort_detail", args=[find_cohort(SEPTEMBER).pk])))
    mine = Review.objects.filter(social_worker__name="Rachel Lewis").first()
    review_page = text_of(client.get(reverse("review_detail", args=[mine.pk])))
    tracker = client.get(reverse("tracker_list"))

    assert "Rachel Lewis (RL)" in cohort_page and "Patrick Asante" not in cohort_page
    assert "Supervisor Bethany Ahmed (BA)" in review_page
    assert "Patrick Asante" not in tracker.content.decode()
    assert not any("–" in owner for owner in options(tracker, "owner"))


def test_the_agreement_page_names_each_reviewer_as_recorded(client, cast, actor):
    reviewer = StaffMember.objects.get(name="Independent Associate")
    reviewer.initials = "IA"
    reviewer.save()
    regrade(
        Review.objects.filter(cohort=find_cohort(SEPTEMBER), reviewer=reviewer),
        moderated_practice_grade="good",
        moderated_outcome_grade="good",
    )
    client.force_login(cast["qa_lead"])

    page = text_of(client.get(reverse("agreement")))

    assert "Independent Associate (IA)" in page


# ---------------------------------------------------------------------------- the demo


def test_the_demo_gives_its_staff_the_names_a_council_would_hold(actor):
    """The seed file names staff by initials, as the reference report does; the council's own
    records hold their names. The demo records them after importing the file, so its pages show
    staff as a council would see them, and the file still imports as it always did."""
    assert import_reviews(data=SEED_FILE.read_bytes(), file_name=SEED_FILE.name, by=actor).ok

    council_staff_records(actor)

    rl = StaffMember.objects.get(initials="RL")
    assert (rl.name, str(rl)) == (DEMO_STAFF_NAMES["RL"], f"{DEMO_STAFF_NAMES['RL']} (RL)")
    assert rl.history.latest().history_user == actor
    # Everyone the file knew by initials alone now has a name, and keeps the initials.
    known_by_initials = StaffMember.objects.exclude(initials="")
    assert sorted(member.initials for member in known_by_initials) == sorted(DEMO_STAFF_NAMES)
    assert all(member.name == DEMO_STAFF_NAMES[member.initials] for member in known_by_initials)
    # Reviewers recorded by their job title keep it: the file names them so.
    assert StaffMember.objects.filter(name="Independent Associate", initials="").exists()

    # Safe to run again, and the seed file still imports with nothing new and no one added.
    before = table_counts()
    council_staff_records(actor)
    again = import_reviews(data=SEED_FILE.read_bytes(), file_name=SEED_FILE.name, by=actor)
    assert (again.created, again.added_staff) == (0, [])
    assert {k: v for k, v in table_counts().items() if k != "ImportRecord"} == {
        k: v for k, v in before.items() if k != "ImportRecord"
    }


def test_the_demo_never_renames_someone_the_council_has_named_already(actor):
    assert import_reviews(data=SEED_FILE.read_bytes(), file_name=SEED_FILE.name, by=actor).ok
    member = StaffMember.objects.get(name="RL")
    member.name = "Rosa Lindqvist"
    save_as(member, actor)
    council_staff_records(actor)
    assert StaffMember.objects.get(initials="RL").name == "Rosa Lindqvist"
