"""Importing review files into the database: all or nothing, idempotent, attributed."""

import datetime

import pytest
from django.utils import timezone

from practice_review.core.vocabulary import ReviewStatus
from practice_review.reports.figures import cohort_figures
from practice_review.reviews.importing import import_reviews
from practice_review.reviews.models import Child, Cohort, Review, ReviewEvent, ThemeFinding
from practice_review.reviews.queries import find_cohort
from tests.conftest import JULY, SEED_FILE, SEPTEMBER
from tests.integration.helpers import csv_bytes, seed_rows, table_counts, xlsx_bytes

pytestmark = pytest.mark.django_db


def figures_for(name):
    return cohort_figures(find_cohort(name))


def test_seed_cohorts_give_the_reference_reports_figures(seeded):
    september = figures_for(SEPTEMBER)
    assert september["cohort"]["reviews"] == 10
    assert [september["practice"][g] for g in ["outstanding", "good", "requires_improvement",
                                                "inadequate"]] == [8, 2, 0, 0]  # fmt: skip
    assert [september["outcome"][g] for g in ["outstanding", "good", "requires_improvement",
                                               "inadequate"]] == [6, 2, 2, 0]  # fmt: skip
    assert september["both_outstanding"] == 6
    assert september["practice_good_or_better_outcome_not"] == 2
    assert september["legal_status"]["looked_after"] == 2
    assert september["legal_status"]["care_leaver"] == 6
    assert september["age"]["aged_21_or_over"] == 4
    assert september["reviewers"] == {"independent": 8, "internal": 2}

    july = figures_for(JULY)
    assert july["cohort"]["reviews"] == 14
    assert (july["practice"]["outstanding"], july["practice"]["good"],
            july["practice"]["requires_improvement"]) == (6, 6, 2)  # fmt: skip


def test_figures_match_an_independent_count_of_the_file(seeded):
    rows = seed_rows()
    for name in (SEPTEMBER, JULY):
        mine = [row for row in rows if row["cohort"] == name]
        figures = figures_for(name)
        assert figures["cohort"]["reviews"] == len(mine)
        for grade in ["outstanding", "good", "requires_improvement", "inadequate"]:
            assert figures["practice"][grade] == sum(r["practice_grade"] == grade for r in mine)
            assert figures["outcome"][grade] == sum(r["outcome_grade"] == grade for r in mine)
        assert figures["gender"]["male"] == sum(r["gender"] == "M" for r in mine)
        assert figures["uasc"] == sum(r["uasc"] == "yes" for r in mine)
        for standard, counts in figures["practice_standards"].items():
            for result, count in counts.items():
                assert count == sum(r[standard] == result for r in mine), (standard, result)


def test_importing_the_same_file_twice_changes_nothing(seeded, actor):
    before = table_counts()
    result = import_reviews(data=SEED_FILE.read_bytes(), file_name=SEED_FILE.name, by=actor)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 24)
    after = table_counts()
    after.pop("ImportRecord"), before.pop("ImportRecord")  # the attempt itself is recorded
    assert after == before


def test_a_changed_row_updates_the_review_and_history_keeps_the_old_value(seeded, actor):
    rows = seed_rows()
    rows[0]["practice_grade"] = "good"
    result = import_reviews(data=csv_bytes(rows), file_name="changed.csv", by=actor)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 23)
    review = Review.objects.get(child__case_ref="C1001")
    assert review.grade("practice") == "good"
    history = list(review.history.order_by("history_date"))
    assert [h.answers["grades"]["practice"]["grade"] for h in history] == ["outstanding", "good"]
    assert history[-1].history_user == actor
    assert history[-1].history_type == "~"


def test_a_blank_moderated_cell_never_removes_a_moderation(seeded, actor):
    rows = seed_rows()
    rows[0]["moderated_practice_grade"] = "good"
    import_reviews(data=csv_bytes(rows), file_name="moderated.csv", by=actor)
    assert Review.objects.get(child__case_ref="C1001").grade("practice", "moderated") == "good"
    assert figures_for(SEPTEMBER)["practice"]["outstanding"] == 7  # the counted grade

    rows[0]["moderated_practice_grade"] = ""
    result = import_reviews(data=csv_bytes(rows), file_name="blank.csv", by=actor)
    assert result.updated == 0
    assert Review.objects.get(child__case_ref="C1001").grade("practice", "moderated") == "good"


def test_a_file_with_bad_rows_writes_nothing_and_names_every_bad_row(seeded, actor):
    rows = seed_rows()
    rows[2]["practice_grade"] = "Excellent"
    rows[7]["review_date"] = "31/02/2025"
    rows.append({**rows[0], "child_ref": "C2000", "review_date": "2025-02-12"})  # a good new row
    before = table_counts()
    result = import_reviews(data=csv_bytes(rows), file_name="bad.csv", by=actor)
    assert not result.ok
    assert [str(p) for p in result.problems] == [
        "row 4, column practice_grade: got 'Excellent'; expected one of outstanding, good, "
        "requires_improvement, inadequate (or RI, or 1 to 4)",
        "row 9, column review_date: got '31/02/2025'; expected a date such as 2024-09-17 or "
        "17/09/2024 (day first) that exists",
    ]
    assert table_counts() == before


def test_one_bad_row_among_many_new_rows_writes_nothing(actor):
    template = seed_rows()[0]
    rows = [{**template, "child_ref": f"N{n}", "review_date": "2024-10-01"} for n in range(1, 301)]
    rows[150]["gender"] = "Robot"
    result = import_reviews(data=csv_bytes(rows), file_name="many.csv", by=actor)
    assert [p.row for p in result.problems] == [152]
    assert Review.objects.count() == 0
    assert Child.objects.count() == 0
    assert Cohort.objects.count() == 0


def test_a_child_ref_whose_initials_disagree_with_what_is_stored_is_refused(seeded, actor):
    row = {**seed_rows()[0], "initials": "ZZ", "review_date": "2025-03-01"}
    result = import_reviews(data=csv_bytes([row]), file_name="clash.csv", by=actor)
    assert [str(p) for p in result.problems] == [
        "row 2, column initials: got 'ZZ'; expected 'VB', as already recorded for child_ref 'C1001'"
    ]
    assert not Review.objects.filter(review_date=datetime.date(2025, 3, 1)).exists()


def test_the_same_child_ref_in_another_cohort_is_the_same_child(seeded, actor):
    row = {**seed_rows()[0], "cohort": "March 2025", "review_date": "2025-03-05"}
    result = import_reviews(data=csv_bytes([row]), file_name="march.csv", by=actor)
    assert result.created == 1
    child = Child.objects.get(case_ref="C1001")
    assert child.reviews.count() == 2


def test_children_without_a_reference_are_known_by_details_within_the_cohort(actor):
    rows = [{**r, "child_ref": ""} for r in seed_rows()[:3]]
    first = import_reviews(data=csv_bytes(rows), file_name="noref.csv", by=actor)
    assert first.created == 3
    again = import_reviews(data=csv_bytes(rows), file_name="noref.csv", by=actor)
    assert (again.created, again.unchanged) == (0, 3)
    assert Child.objects.count() == 3


def test_cohort_option_fills_blank_cohorts_and_refuses_a_different_one(actor):
    rows = [{k: v for k, v in r.items() if k != "cohort"} for r in seed_rows()[:2]]
    result = import_reviews(
        data=csv_bytes(rows), file_name="x.csv", by=actor, default_cohort="  autumn 2025 "
    )
    assert result.ok and Cohort.objects.get().name == "autumn 2025"

    rows = seed_rows()[:1]
    result = import_reviews(data=csv_bytes(rows), file_name="x.csv", by=actor,
                            default_cohort="Autumn 2025")  # fmt: skip
    assert [p.column for p in result.problems] == ["cohort"]


def test_imported_reviews_are_final_with_an_attributed_event(seeded, actor):
    review = Review.objects.get(child__case_ref="C1008")
    assert review.status == "final" and review.imported
    event = ReviewEvent.objects.get(review=review)
    assert (event.to_status, event.by) == ("final", actor)
    assert review.history.get().history_user == actor


def test_strengths_and_areas_for_development_are_kept_by_theme(seeded):
    finding = ThemeFinding.objects.get(review__child__case_ref="C1003", theme="journey")
    assert finding.strengths.startswith("Referral by the child's dentist")
    assert ThemeFinding.objects.filter(review__child__case_ref="C1004").count() == 0


def test_xlsx_and_windows_1252_files_give_the_same_figures_as_the_csv(actor):
    rows = seed_rows()
    for row in rows:
        row["ethnicity"] = row["ethnicity"] + " é"  # forces a non-ASCII byte in cp1252
    as_csv = cohort_after_import(csv_bytes(rows, "cp1252"), "seed.csv", actor)
    Review.objects.all().delete()
    as_xlsx = cohort_after_import(xlsx_bytes(rows), "seed.xlsx", actor)
    assert as_csv == as_xlsx
    assert Review.objects.filter(ethnicity="British é").count() == 2


def cohort_after_import(data, name, actor):
    result = import_reviews(data=data, file_name=name, by=actor)
    assert result.ok, result.problems
    return {n: figures_for(n) for n in (SEPTEMBER, JULY)}


def test_the_child_keeps_the_details_of_their_latest_review(seeded, actor):
    row = {**seed_rows()[0], "cohort": "March 2025", "review_date": "2025-03-05",
           "ethnicity": "White British"}  # fmt: skip
    import_reviews(data=csv_bytes([row]), file_name="march.csv", by=actor)
    child = Child.objects.get(case_ref="C1001")
    assert child.ethnicity == "White British"
    # ... while the earlier review's snapshot is unchanged, so its figures never move.
    assert Review.objects.get(child=child, review_date="2024-09-17").ethnicity == "British"
    assert child.history.count() == 2


def test_an_xlsx_file_with_a_stale_sheet_size_is_read_whole(actor):
    """Some tools write a wrong <dimension>; trusting it would silently drop rows."""
    import io
    import re
    import zipfile

    rows = seed_rows()[:5]
    original = zipfile.ZipFile(io.BytesIO(xlsx_bytes(rows)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as rewritten:
        for item in original.infolist():
            content = original.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:B2"', content)
                assert b'<dimension ref="A1:B2"' in content
            rewritten.writestr(item, content)
    result = import_reviews(data=out.getvalue(), file_name="stale.xlsx", by=actor)
    assert result.ok, [str(p) for p in result.problems]
    assert result.created == 5


def test_one_attempt_names_file_problems_and_database_problems_together(seeded, actor):
    rows = seed_rows()[:2]
    rows[0]["gender"] = "Q"
    rows[1]["initials"] = "XY"  # C1002 is stored as NO-A
    result = import_reviews(data=csv_bytes(rows), file_name="both.csv", by=actor)
    assert [(p.row, p.column) for p in result.problems] == [(2, "gender"), (3, "initials")]


def test_a_name_matching_two_members_of_staff_is_refused(seeded, actor):
    from practice_review.accounts.models import StaffMember

    StaffMember.objects.create(name="Rachel Lewis", initials="RL2")
    StaffMember.objects.create(name="RL Team")  # neither matches "RL" exactly: still one match
    StaffMember.objects.create(name="Robert Lee", initials="rl")  # now "RL" matches two
    result = import_reviews(data=SEED_FILE.read_bytes(), file_name=SEED_FILE.name, by=actor)
    assert {p.column for p in result.problems} == {"social_worker"}
    assert "it matches" in str(result.problems[0])


@pytest.mark.parametrize("cohort", ["   ", ""])
def test_a_blank_cohort_option_counts_as_not_given(actor, cohort):
    rows = [{k: v for k, v in r.items() if k != "cohort"} for r in seed_rows()[:1]]
    result = import_reviews(data=csv_bytes(rows), file_name="x.csv", by=actor,
                            default_cohort=cohort)  # fmt: skip
    assert [(p.row, p.column) for p in result.problems] == [(1, "cohort")]
    assert not Cohort.objects.exists()


def test_long_names_are_refused_cleanly_even_when_casefolding_lengthens_them(actor):
    rows = seed_rows()[:1]
    rows[0]["cohort"] = "ß" * 150  # 150 characters, 300 once casefolded
    rows[0]["social_worker"] = "ß" * 150
    result = import_reviews(data=csv_bytes(rows), file_name="x.csv", by=actor)
    assert result.ok
    too_long = import_reviews(
        data=csv_bytes(seed_rows()[:1]), file_name="x.csv", by=actor,
        default_cohort="A" * 250,
    )  # fmt: skip
    assert [p.column for p in too_long.problems] == ["cohort"]


def test_an_identical_row_never_changes_a_review_in_progress(seeded, actor):
    review = Review.objects.get(child__case_ref="C1001")
    review.status = ReviewStatus.IN_PROGRESS
    review.save()
    history = review.history.count()
    result = import_reviews(data=SEED_FILE.read_bytes(), file_name=SEED_FILE.name, by=actor)
    assert result.updated == 0
    review.refresh_from_db()
    assert review.status == "in_progress" and review.history.count() == history


def test_later_imports_widen_the_cohorts_period(seeded, actor):
    row = {**seed_rows()[0], "child_ref": "C7777", "review_date": "2025-03-20"}
    import_reviews(data=csv_bytes([row]), file_name="late.csv", by=actor)
    cohort = find_cohort(SEPTEMBER)
    assert (cohort.period_start, cohort.period_end) == (
        datetime.date(2024, 9, 17),
        datetime.date(2025, 3, 20),
    )


def test_bad_rows_among_5000_write_nothing_and_every_bad_row_is_reported(seeded, actor):
    """docs/spec/quality.md#all-or-nothing-import: a file with one bad row among 5,000 -> 0 rows
    written; every bad row reported. One bad row at the very end, after 4,999 good ones; then three
    spread out."""
    template = seed_rows()[0]
    rows = [
        {**template, "cohort": "Large", "child_ref": f"L{n}", "review_date": "2024-10-01"}
        for n in range(1, 5001)
    ]
    before = table_counts()
    rows[4999]["practice_grade"] = "Excellent"
    result = import_reviews(data=csv_bytes(rows), file_name="large.csv", by=actor)
    assert [(p.row, p.column) for p in result.problems] == [(5001, "practice_grade")]
    assert table_counts() == before

    rows[0]["gender"] = "Robot"
    rows[2500]["review_date"] = "31/02/2025"
    result = import_reviews(data=csv_bytes(rows), file_name="large.csv", by=actor)
    assert [(p.row, p.column) for p in result.problems] == [
        (2, "gender"),
        (2502, "review_date"),
        (5001, "practice_grade"),
    ]
    assert table_counts() == before
    assert find_cohort("Large") is None


def test_a_review_dated_after_today_in_london_is_refused_and_nothing_is_written(seeded, actor):
    today = timezone.localdate()
    tomorrow = f"{today + datetime.timedelta(days=1):%d/%m/%Y}"
    rows = seed_rows()
    rows.append({**rows[0], "cohort": "March 2025", "review_date": "2025-03-05"})  # a good row
    rows.append({**rows[0], "cohort": "March 2025", "child_ref": "C2001", "review_date": tomorrow})
    before = table_counts()
    result = import_reviews(data=csv_bytes(rows), file_name="future.csv", by=actor)
    assert [str(p) for p in result.problems] == [
        f"row {len(rows) + 1}, column review_date: got '{tomorrow}'; "
        f"expected a date not after today ({today:%-d %B %Y})"
    ]
    assert table_counts() == before
    assert find_cohort("March 2025") is None


# ---------------------------------------------------------------------- staff the file adds


def staff_rows():
    first, second = seed_rows()[0], seed_rows()[1]
    return [
        {**first, "cohort": "March 2025", "review_date": "2025-03-03",
         "social_worker": "Jane Smith (student)", "supervisor": "KN", "reviewer": "JS"},
        {**second, "cohort": "March 2025", "review_date": "2025-03-04",
         "social_worker": "jane  SMITH", "supervisor": "js", "reviewer": "Priya Shah"},
    ]  # fmt: skip


def test_an_import_says_which_staff_it_added_by_name_and_role_in_the_file(seeded, actor):
    from practice_review.accounts.models import StaffMember

    result = import_reviews(data=csv_bytes(staff_rows()), file_name="march.csv", by=actor)

    assert result.ok
    # In the order the file first names them, spelt as first written, each once, with every
    # column that names them (in the columns' order); KN is known already. "JS" looks like
    # initials and is kept as such.
    assert [(p.name, p.initials, p.roles) for p in result.added_staff] == [
        ("Jane Smith", "", ("social_worker",)),
        ("JS", "JS", ("supervisor", "reviewer")),
        ("Priya Shah", "", ("reviewer",)),
    ]
    assert [str(p) for p in result.added_staff] == [
        "Jane Smith (social worker)", "JS (supervisor, reviewer)", "Priya Shah (reviewer)",
    ]  # fmt: skip
    added = StaffMember.objects.filter(name__in=["Jane Smith", "JS", "Priya Shah"])
    assert added.count() == 3
    assert all(member.history.get().history_user == actor for member in added)
    assert result.summary() == "Imported 2 reviews into March 2025: 2 new, 0 updated, 0 unchanged."
    again = import_reviews(data=csv_bytes(staff_rows()), file_name="march.csv", by=actor)
    assert again.added_staff == []


def test_a_refused_file_adds_no_staff(seeded, actor):
    rows = staff_rows()
    rows[1]["gender"] = "Robot"
    before = table_counts()
    result = import_reviews(data=csv_bytes(rows), file_name="march.csv", by=actor)
    assert not result.ok and result.added_staff == []
    assert table_counts() == before


def test_the_check_names_the_same_staff_the_import_then_adds(seeded, actor):
    """One answer to "who will this file add?": the check page's plan and the import agree."""
    from practice_review.reviews.importing import plan_import

    plan = plan_import(data=csv_bytes(staff_rows()), file_name="march.csv", by=actor)
    before = table_counts()
    assert plan.ok and plan.rows == 2
    assert plan.cohorts == [("March 2025", True)]
    assert table_counts() == before  # planning writes nothing
    result = import_reviews(data=csv_bytes(staff_rows()), file_name="march.csv", by=actor)
    assert plan.added_staff == result.added_staff


def test_the_command_adds_the_staff_it_added_to_its_summary(seeded, tmp_path):
    import io

    from django.core.management import call_command

    path = tmp_path / "march.csv"
    path.write_bytes(csv_bytes(staff_rows()))
    out = io.StringIO()
    call_command("import_reviews", str(path), stdout=out)
    assert out.getvalue().splitlines() == [
        "Imported 2 reviews into March 2025: 2 new, 0 updated, 0 unchanged.",
        "Added 3 members of staff not known before:",
        "  Jane Smith (social worker)",
        "  JS (supervisor, reviewer)",
        "  Priya Shah (reviewer)",
    ]
    again = io.StringIO()
    call_command("import_reviews", str(path), stdout=again)
    assert again.getvalue().splitlines() == [
        "Imported 2 reviews into March 2025: 0 new, 0 updated, 2 unchanged."
    ]
