"""Drawing a cohort from the caseload extract (docs/sampling.md, "Drawing a cohort"): the
command's output, creating the cohort and recording how it was drawn, redrawing, the cohort
page and the QA lead's page. The extract is made here with the models, as an import would."""

import datetime
import io
import json
import random

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from practice_review.accounts.models import StaffMember, Team
from practice_review.core.vocabulary import ReviewStatus
from practice_review.reports.report_data import report_data
from practice_review.reviews import actions as review_actions
from practice_review.reviews.models import Child, Cohort, Review
from practice_review.sampling import actions
from practice_review.sampling.draw import Rules
from practice_review.sampling.models import CaseloadEntry, CaseloadExtract, CohortDraw

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2026, 3, 31)


def make_extract(by, children):
    """An extract of `children`: (case_ref, legal status, team name or None, worker name)."""
    extract = CaseloadExtract.objects.create(
        file_name="caseload.csv", sha256="0" * 64, rows=len(children), imported_by=by
    )
    entries = []
    for case_ref, legal_status, team, worker in children:
        child, _ = Child.objects.get_or_create(
            case_ref=case_ref, defaults={"initials": "XX", "gender": "female"}
        )
        entries.append(
            CaseloadEntry(
                extract=extract,
                child=child,
                legal_status=legal_status,
                team=Team.objects.get_or_create(name=team)[0] if team else None,
                social_worker=StaffMember.objects.filter(name=worker).first()
                or StaffMember.objects.create(name=worker),
            )
        )
    CaseloadEntry.objects.bulk_create(entries)
    return extract


CHILDREN = (
    [(f"S1{n:02}", "cin", "North", "Ann Worker") for n in range(6)]
    + [(f"S2{n:02}", "cp", "South", "Bea Worker") for n in range(4)]
    + [("S301", "lac", None, "Cat Worker"), ("S302", "lac", None, "Cat Worker")]
)


def review_of(by, case_ref, day, cohort_name="Earlier reviews", done=True):
    cohort = Cohort.objects.filter(name=cohort_name).first() or review_actions.create_cohort(
        by=by, name=cohort_name, period_start=None, period_end=None, selected_by="QA",
        selection_reason="mixed",
    )  # fmt: skip
    child = Child.objects.get(case_ref=case_ref)
    worker = CaseloadEntry.objects.filter(child=child).first().social_worker
    reviewer = StaffMember.objects.create(name=f"R {case_ref}")
    review = review_actions.assign_review(
        by=by, cohort=cohort, child=child, reviewer=reviewer, reviewer_type="internal",
        due_date=day, social_worker=worker,
    )  # fmt: skip
    if done:
        Review.objects.filter(pk=review.pk).update(
            review_date_confirmed=True, status=ReviewStatus.SUBMITTED
        )
    return review


@pytest.fixture
def extract(actor):
    made = make_extract(actor, CHILDREN)
    review_of(actor, "S100", datetime.date(2026, 1, 10))  # recent: excluded
    review_of(actor, "S200", datetime.date(2024, 6, 1))  # over a year ago: eligible
    return made


def sample(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("sample", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_prints_the_draw_as_json_exactly(extract):
    printed, said = sample("--size", "5", "--seed", "42", "--as-of", "2026-03-31")
    rng = random.Random(42)
    cin = [f"S1{n:02}" for n in range(1, 6)]
    cp = [f"S2{n:02}" for n in range(4)]
    lac = ["S301", "S302"]
    # 11 eligible: shares 5*5/11, 5*4/11, 5*2/11 = 2.27, 1.82, 0.91 -> 2, 1, 0 and the two
    # left to the largest remainders (cp 0.82, lac 0.91): 2, 2, 1.
    drawn = [("cin", ref) for ref in rng.sample(cin, 2)]
    drawn += [("cp", ref) for ref in rng.sample(cp, 2)]
    drawn += [("lac", ref) for ref in rng.sample(lac, 1)]
    reasons = {"S200": "reviewed on 1 June 2024; drawn at random"}
    expected = {
        "seed": 42,
        "as_of": "2026-03-31",
        "size": 5,
        "strata": {
            "cin": {"population": 6, "eligible": 5, "allocated": 2},
            "cp": {"population": 4, "eligible": 4, "allocated": 2},
            "lac": {"population": 2, "eligible": 2, "allocated": 1},
        },
        "sample": [
            {
                "case_ref": ref,
                "stratum": stratum,
                "reason": reasons.get(ref, "no review on record; drawn at random"),
            }
            for stratum, ref in drawn
        ],
        "excluded": [{"case_ref": "S100", "reason": "reviewed on 10 January 2026"}],
    }
    assert printed == json.dumps(expected, indent=2) + "\n"
    assert said == ""  # the seed was given: nothing to say


def test_without_a_seed_one_is_drawn_and_said_on_standard_error(extract):
    printed, said = sample("--size", "3", "--as-of", "2026-03-31")
    seed = json.loads(printed)["seed"]
    assert isinstance(seed, int)
    assert said == f"Seed {seed} (give --seed {seed} to draw this again)\n"
    again, _ = sample("--size", "3", "--as-of", "2026-03-31", "--seed", str(seed))
    assert again == printed


def test_csv_lists_the_sample_then_the_exclusions_with_formulas_neutralised(actor):
    make_extract(actor, [("=S1", "cin", "North", "Ann Worker"), ("S2", "cin", "North", "A")])
    review_of(actor, "S2", datetime.date(2026, 2, 1))
    printed, _ = sample("--size", "1", "--seed", "1", "--as-of", "2026-03-31", "--format", "csv")
    assert printed.splitlines() == [
        '\ufeff"outcome","case_ref","stratum","reason"',
        '"sampled","\'=S1","cin","no review on record; drawn at random"',
        '"excluded","S2","","reviewed on 1 February 2026"',
    ]


OLD_EXTRACT_WARNING = (
    "The current caseload extract was imported on 2 January 2026, 3 months before the date drawn "
    "as of: import a newer one first if cases have changed"
)


def imported_on_2_january(extract):
    imported = datetime.datetime(2026, 1, 2, 12, tzinfo=datetime.UTC)
    CaseloadExtract.objects.filter(pk=extract.pk).update(imported_at=imported)


def test_the_command_warns_but_draws_when_the_extract_is_old(extract):
    imported_on_2_january(extract)

    printed, said = sample("--size", "3", "--seed", "1", "--as-of", "2026-04-02")

    assert json.loads(printed)["size"] == 3
    assert said.splitlines() == [OLD_EXTRACT_WARNING]
    assert sample("--size", "3", "--seed", "1", "--as-of", "2026-02-01")[1] == ""


def test_the_page_warns_but_draws_when_the_extract_is_old(client, cast, extract):
    imported_on_2_january(extract)
    client.force_login(cast["qa_lead"])
    form = {"size": "3", "strata": "none", "exclude_reviewed_within": "12",
            "as_of": "02/04/2026", "seed": "1", "action": "preview"}  # fmt: skip

    page = client.post(reverse("sample_draw"), form).content.decode()

    assert "Places in each group" in page
    assert 'class="govuk-warning-text"' in page and OLD_EXTRACT_WARNING in page
    fresh = client.post(reverse("sample_draw"), {**form, "as_of": "01/02/2026"}).content.decode()
    assert "Places in each group" in fresh and OLD_EXTRACT_WARNING not in fresh


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--exclude-reviewed-within", "30000", "--exclude-reviewed-within must be 0 to 120 months"),
        ("--exclude-reviewed-within", "-1", "--exclude-reviewed-within must be 0 to 120 months"),
        ("--seed", "-5", "--seed must be a whole number from 0 to 9,223,372,036,854,775,807"),
        ("--seed", str(2**63), "--seed must be a whole number from 0 to 9,223,372,036,854,775,807"),
    ],
)
def test_options_out_of_range_are_refused_in_one_line(extract, option, value, message):
    with pytest.raises(CommandError) as refused:
        sample("--size", "2", "--as-of", "2026-03-31", option, value)
    assert str(refused.value) == message


def test_a_sample_larger_than_the_eligible_children_is_refused(extract):
    with pytest.raises(CommandError) as refused:
        sample("--size", "12", "--as-of", "2026-03-31")
    assert str(refused.value) == (
        "A sample of 12 is more than the 11 eligible children in the extract"
    )


def test_without_an_extract_the_command_refuses_in_one_line(db):
    with pytest.raises(CommandError) as refused:
        sample("--size", "3")
    assert str(refused.value) == "There is no caseload extract to draw from: import one first"


def test_a_child_waiting_in_another_cohort_is_not_drawn_again(actor, extract):
    review_of(actor, "S301", datetime.date(2026, 4, 20), done=False)
    printed, _ = sample("--size", "3", "--seed", "3", "--as-of", "2026-03-31")
    assert {"case_ref": "S301", "reason": "in a cohort, review due on 20 April 2026"} in (
        json.loads(printed)["excluded"]
    )


def test_create_cohort_makes_the_cohort_and_records_how_it_was_drawn(actor, extract):
    printed, said = sample(
        "--size", "4", "--seed", "9", "--as-of", "2026-03-31", "--create-cohort", "April 2026"
    )
    cohort = Cohort.objects.get(name="April 2026")
    draw = cohort.draw
    assert draw.extract == extract and draw.seed == 9 and draw.as_of == AS_OF
    assert draw.rules == {
        "size": 4, "strata": "legal_status", "exclude_reviewed_within": 12, "cover": "",
    }  # fmt: skip
    assert draw.result == json.loads(printed)
    assert draw.history.get().history_user == actor
    assert cohort.reviews.count() == 0  # reviewers are assigned on the cohort page
    assert "Cohort April 2026 created" in said


def rules(seed, **more):
    return Rules(size=3, as_of=AS_OF, seed=seed, **more)


def test_a_draw_can_be_redrawn_until_a_review_in_it_has_started(actor, extract):
    cohort = actions.draw_cohort(by=actor, name="May 2026", rules=rules(1))
    first = cohort.draw.result["sample"]
    # Adding a drawn child does not fix the draw, and its own review does not exclude it.
    added = first[0]["case_ref"]
    review = review_of(actor, added, datetime.date(2026, 5, 1), "May 2026", done=False)
    actions.redraw_cohort(by=actor, cohort=cohort, rules=rules(2))
    cohort.draw.refresh_from_db()
    assert cohort.draw.seed == 2
    assert added not in [row["case_ref"] for row in cohort.draw.result["excluded"]]
    assert cohort.draw.history.count() == 2  # the first draw is kept in the history
    Review.objects.filter(pk=review.pk).update(status=ReviewStatus.IN_PROGRESS)
    with pytest.raises(review_actions.NotAllowed) as refused:
        actions.redraw_cohort(by=actor, cohort=cohort, rules=rules(3))
    assert str(refused.value) == (
        "May 2026 cannot be drawn again: a review in it has started, so its sample is fixed"
    )
    assert CohortDraw.objects.get(cohort=cohort).seed == 2


def test_the_cohort_page_says_how_it_was_drawn_and_who_is_still_to_add(client, cast, extract):
    cohort = actions.draw_cohort(
        by=cast["qa_lead"], name="June 2026", rules=rules(7, cover="social_worker")
    )
    drawn = [row["case_ref"] for row in cohort.draw.result["sample"]]
    review_of(cast["qa_lead"], drawn[0], datetime.date(2026, 6, 1), "June 2026", done=False)
    client.force_login(cast["qa_lead"])
    page = client.get(reverse("cohort_detail", args=[cohort.id])).content.decode()
    assert "How this cohort was drawn" in page
    assert "Seed" in page and ">7<" in page
    assert "31 March 2026" in page
    assert "social worker" in page
    to_add = Child.objects.get(case_ref=drawn[1])
    assert f"{reverse('cohort_add_case', args=[cohort.id])}?child={to_add.id}" in page
    first = Child.objects.get(case_ref=drawn[0])
    assert f"?child={first.id}&amp;" not in page  # already added
    assert "Draw this cohort again" in page
    Review.objects.filter(cohort=cohort).update(status=ReviewStatus.IN_PROGRESS)
    page = client.get(reverse("cohort_detail", args=[cohort.id])).content.decode()
    assert "Draw this cohort again" not in page
    assert "A review in this cohort has started, so the children drawn are fixed." in page


def test_the_add_case_page_is_prefilled_with_the_drawn_child(client, cast, extract):
    cohort = actions.draw_cohort(by=cast["qa_lead"], name="July 2026", rules=rules(7))
    child = Child.objects.get(case_ref=cohort.draw.result["sample"][0]["case_ref"])
    client.force_login(cast["qa_lead"])
    url = reverse("cohort_add_case", args=[cohort.id])
    page = client.get(f"{url}?child={child.id}").content.decode()
    assert f'value="{child.case_ref}"' in page
    assert client.get(f"{url}?child=nonsense").status_code == 200


def test_the_qa_lead_previews_then_creates_a_cohort_on_the_page(client, cast, extract):
    client.force_login(cast["qa_lead"])
    url = reverse("sample_draw")
    assert client.get(url).status_code == 200
    form = {"size": "4", "strata": "legal_status", "exclude_reviewed_within": "12",
            "as_of": "31/03/2026", "seed": "", "name": "August 2026"}  # fmt: skip
    preview = client.post(url, {**form, "action": "preview"})
    page = preview.content.decode()
    assert preview.status_code == 200
    assert "Children left out" in page and "Reviewed on 10 January 2026" in page
    seed = preview.context["result"]["seed"]
    assert f'value="{seed}"' in page  # the seed is kept, so creating draws what was previewed
    assert not Cohort.objects.filter(name="August 2026").exists()
    created = client.post(url, {**form, "seed": str(seed), "action": "create"})
    cohort = Cohort.objects.get(name="August 2026")
    assert created.status_code == 302 and created["Location"] == reverse(
        "cohort_detail", args=[cohort.id]
    )
    assert cohort.draw.result == preview.context["result"]
    assert cohort.draw.drawn_by == cast["qa_lead"]


def test_create_with_no_name_keeps_the_preview_and_a_newer_extract_is_refused(
    client, cast, extract, actor
):
    client.force_login(cast["qa_lead"])
    url = reverse("sample_draw")
    form = {"size": "4", "strata": "legal_status", "exclude_reviewed_within": "12",
            "as_of": "31/03/2026", "seed": "5", "name": ""}  # fmt: skip
    preview = client.post(url, {**form, "action": "preview"})
    assert f'name="extract" value="{extract.pk}"' in preview.content.decode()
    nameless = client.post(url, {**form, "extract": str(extract.pk), "action": "create"})
    page = nameless.content.decode()
    assert "Enter the name of the new cohort" in page
    assert "Children left out" in page and 'name="name"' in page  # the preview stays
    make_extract(actor, [("N001", "child_in_need", "North", "Ann Worker")])
    named = {**form, "name": "September 2026", "extract": str(extract.pk), "action": "create"}
    refused = client.post(url, named)
    assert "A newer caseload extract was imported after this preview" in refused.content.decode()
    assert not Cohort.objects.filter(name="September 2026").exists()


def test_the_page_refuses_a_sample_too_large_in_its_error_summary(client, cast, extract):
    client.force_login(cast["qa_lead"])
    response = client.post(
        reverse("sample_draw"),
        {"size": "50", "strata": "none", "exclude_reviewed_within": "12",
         "as_of": "31/03/2026", "action": "preview"},
    )  # fmt: skip
    assert "A sample of 50 is more than the 11 eligible children" in response.content.decode()
    assert response.context["result"] is None


def test_the_page_redraws_a_cohort_and_refuses_once_a_review_has_started(client, cast, extract):
    cohort = actions.draw_cohort(by=cast["qa_lead"], name="September 2026", rules=rules(1))
    client.force_login(cast["qa_lead"])
    url = reverse("sample_draw")
    page = client.get(f"{url}?redraw={cohort.id}").content.decode()
    assert "Draw September 2026 again" in page
    form = {"size": "3", "strata": "team", "exclude_reviewed_within": "6", "as_of": "31/03/2026",
            "seed": "5", "redraw": str(cohort.id), "action": "create"}  # fmt: skip
    assert client.post(url, form).status_code == 302
    cohort.draw.refresh_from_db()
    assert (cohort.draw.seed, cohort.draw.rules["strata"]) == (5, "team")
    review = review_of(cast["qa_lead"], "S101", datetime.date(2026, 9, 1), "September 2026")
    refused = client.post(url, {**form, "seed": "6"}).content.decode()
    assert "cannot be drawn again: a review in it has started" in refused
    assert review.cohort.draw.seed == 5


def test_only_the_qa_lead_may_draw(client, cast, extract):
    for person in ("senior_leader", "reviewer_internal", "admin"):
        client.force_login(cast[person])
        assert client.get(reverse("sample_draw")).status_code == 404


def test_the_summary_report_of_a_drawn_cohort_says_how_it_was_drawn(actor, extract):
    cohort = actions.draw_cohort(by=actor, name="October 2026", rules=rules(42))
    review = review_of(actor, cohort.draw.result["sample"][0]["case_ref"],
                       datetime.date(2026, 10, 1), "October 2026")  # fmt: skip
    how = report_data(Review.objects.filter(pk=review.pk)).how_drawn
    assert how.startswith("The cohort was chosen at random: 3 children drawn at random")
    assert "The seed was 42" in how and "31 March 2026" in how
    # A report over more than one cohort, or none drawn, says nothing of a draw.
    other = Review.objects.filter(cohort__name="Earlier reviews")
    assert report_data(other).how_drawn == ""
    assert report_data(Review.objects.all()).how_drawn == ""
