"""The trends page (/reports/trends/, issue 17): its figures are the figures module's trends,
its filters are in the URL, bad filters count nothing, and its CSV and PNG downloads count what
the page shows. The seed cohorts: July 2024 (14 reviews, first on 1 July 2024) and September
2024 to February 2025 (10, first on 17 September 2024), both small (under 20 reviews)."""

import dataclasses
import datetime
import re

import pytest
from django.utils import timezone

from practice_review.accounts.models import StaffMember, Team
from practice_review.audit.models import AuditEvent
from practice_review.core.audit_templates import read_yaml
from practice_review.core.dates import add_months
from practice_review.core.numbers import n_of_n
from practice_review.core.spreadsheets import to_csv
from practice_review.reports.figures import trends_for, trends_json
from practice_review.reports.trends import CSV_HEADER, csv_rows
from practice_review.reviews.models import AuditTemplate, Cohort, Review
from practice_review.reviews.queries import find_cohort
from practice_review.reviews.template_actions import load_template
from tests.conftest import JULY, SEPTEMBER, regrade
from tests.integration.test_audit_templates import NEGLECT
from tests.integration.test_template_figures import answers, completed_review, neglect_cohort
from tests.integration.test_trends import many_cohorts

pytestmark = pytest.mark.django_db

URL, CSV_URL = "/reports/trends/", "/reports/trends/trends.csv"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
BOTH = {"date_from": "2024-01-01", "date_to": "2025-12-31"}
FIRST, LAST = datetime.date(2024, 1, 1), datetime.date(2025, 12, 31)
FIGURE = re.compile(r'data-figure="([a-z0-9-]+)">([^<]*)<')


def get(client, user, url=URL, **query):
    client.force_login(user)
    return client.get(url, query)


def html(response):
    return response.content.decode()


def text_of(response):
    return " ".join(re.sub(r"<[^>]+>", " ", html(response)).split())


def table(response, name):
    page = html(response)
    start = page.index(f'data-table="{name}"')
    return page[start : page.index("</table>", start)]


def cohort_rows(response):
    """[{figure: text}] for each row of the cohorts table, in the page's order."""
    rows = table(response, "cohorts").split('data-cohort="')[1:]
    return [dict(FIGURE.findall(row)) for row in rows]


def interval(block):
    low, high = block["ci95"]
    return f"95% interval: {low:.1f}% to {high:.1f}%"  # as the JSON: one decimal


def expected_row(cohort):
    """A cohort of the trends as the table writes it."""
    row = {"reviews": str(cohort["reviews"]), "alerts": str(cohort["alerts"])}
    for place, axis in enumerate(("practice", "outcome"), 1):
        block = cohort[axis]
        row[f"good-or-better-{place}"] = n_of_n(block["good_or_better"], block["graded"])
        row[f"interval-{place}"] = interval(block)
        row[f"outstanding-{place}"] = n_of_n(block["outstanding"], block["graded"])
    made = cohort["recommendations"]
    row["recommendations-on-time"] = (
        n_of_n(made["completed_on_time"], made["due"]) if made["due"] else "None due yet"
    )
    return row


# ------------------------------------------------------------------------------ the figures


def test_the_page_shows_every_cohort_oldest_first_with_the_figures_the_trends_count(client, cast):
    response = get(client, cast["senior_leader"], **BOTH)
    assert response.status_code == 200
    trends = trends_for(Review.objects.all(), FIRST, LAST)
    assert [c["name"] for c in trends["cohorts"]] == [JULY, SEPTEMBER]
    for row, cohort in zip(cohort_rows(response), trends["cohorts"], strict=True):
        assert row == expected_row(cohort)
    # A row per standard (those that applied), a column per cohort.
    standards = [dict(FIGURE.findall(row))
                 for row in table(response, "standards").split('data-standard="')[1:]]  # fmt: skip
    cohorts = trends["cohorts"]
    applied = [key for key in cohorts[0]["standards_met"]
               if any(c["standards_met"][key]["applicable"] for c in cohorts)]  # fmt: skip
    assert len(standards) == len(applied) == 8
    for key, shown in zip(applied, standards, strict=True):
        assert shown == {
            f"cohort-{place}": n_of_n(c["standards_met"][key]["met"],
                                      c["standards_met"][key]["applicable"])
            for place, c in enumerate(trends["cohorts"], 1)
        }  # fmt: skip
    # By hand (Wilson, z = 1.959964): practice good or better in July is 12 of 14, whose
    # interval is 60.06% to 95.99%.
    july = cohort_rows(response)[0]
    assert july["good-or-better-1"] == "12 of 14 (86%)"
    assert july["interval-1"] == "95% interval: 60.1% to 96.0%"
    assert text_of(response).index(JULY) < text_of(response).index(SEPTEMBER)


def test_small_cohorts_carry_a_caution_in_words(client, cast):
    response = get(client, cast["qa_lead"], **BOTH)
    assert html(response).count("data-small-cohort") == 2
    assert "Cohorts marked “Fewer than 20 reviews” are small" in text_of(response)


def test_the_charts_are_drawn_in_the_page_with_their_data_in_words(client, cast):
    response = get(client, cast["senior_leader"], **BOTH)
    page = html(response)
    assert page.count('src="data:image/svg+xml;base64,') == 2
    assert 'alt="Line chart, Practice and outcomes good or better' in page
    assert "July 2024 Practice Assurance Fortnight 86% (95% interval 60.1% to 96.0%)" in page
    assert 'alt="Line chart, Practice standards met' in page


def test_leaders_reach_the_page_from_their_home_and_the_reports_list(client, cast):
    for url in ("/", "/reports/"):
        assert 'href="/reports/trends/"' in html(get(client, cast["senior_leader"], url))


# ------------------------------------------------------------------------- ranges and filters


def test_the_default_range_is_the_last_24_months_and_one_cohort_is_not_a_trend(client, cast):
    today = timezone.localdate()
    september = Review.objects.filter(cohort=find_cohort(SEPTEMBER))
    september.update(review_date=add_months(today, -23))
    response = get(client, cast["senior_leader"])
    assert response.status_code == 200
    assert [row["reviews"] for row in cohort_rows(response)] == ["10"]
    assert "A trend needs at least two cohorts" in text_of(response)
    assert "data-chart" not in html(response)
    assert f'value="{add_months(today, -24):%d/%m/%Y}"' in html(response)
    # The chart a link kept from a wider range asks for is not drawn, and says why.
    chart = get(client, cast["senior_leader"], "/reports/trends/grades.png")
    assert chart.status_code == 400
    assert "fewer than two cohorts" in chart.content.decode()


def test_a_range_with_no_cohorts_says_so(client, cast):
    response = get(client, cast["senior_leader"], date_from="2020-01-01", date_to="2020-12-31")
    assert response.status_code == 200
    assert "No cohort has its first completed review between 1 January 2020 and 31 December " \
           "2020" in text_of(response)  # fmt: skip
    assert 'data-table="cohorts"' not in html(response)
    assert "data-equity" not in html(response)


@pytest.mark.parametrize(
    "query, message",
    [
        ({"date_from": "31/02/2024"}, "The from date must be a real date, like 17/09/2024"),
        ({"date_from": "2025-06-01", "date_to": "2024-06-01"},
         "The end of the date range must be on or after its start"),
        ({"team": "999999"}, "Select a team from the list"),
        ({"template": "no_such_template"}, "Select an audit template from the list"),
    ],
)  # fmt: skip
def test_a_bad_filter_is_named_in_an_error_summary_and_nothing_is_counted(
    client, cast, query, message
):
    for url in (URL, CSV_URL, "/reports/trends/grades.png"):
        response = get(client, cast["senior_leader"], url, **{**BOTH, **query})
        assert response.status_code == 400
        page = html(response)
        assert "govuk-error-summary" in page
        assert message in text_of(response)
        assert "<title>Error: Trends" in page
        assert "data-table" not in page and "data-equity" not in page


def test_the_team_filter_counts_only_the_reviews_of_that_teams_social_workers(client, cast):
    north = Team.objects.create(name="North Children in Need")
    StaffMember.objects.filter(name="RL").update(team=north)
    StaffMember.objects.filter(name="PA").update(team=Team.objects.create(name="South"))
    response = get(client, cast["senior_leader"], **BOTH, team=north.pk)
    assert response.status_code == 200
    trends = trends_for(Review.objects.filter(social_worker__team=north), FIRST, LAST)
    assert trends["cohorts"]  # RL has reviews in the seed cohorts
    assert [row["reviews"] for row in cohort_rows(response)] == [
        str(cohort["reviews"]) for cohort in trends["cohorts"]
    ]
    assert sum(c["reviews"] for c in trends["cohorts"]) < Review.objects.count()
    for row, cohort in zip(cohort_rows(response), trends["cohorts"], strict=True):
        assert row["good-or-better-1"] == expected_row(cohort)["good-or-better-1"]
    assert "reviews of social workers in North Children in Need" in text_of(response)
    # The downloads count the same reviews.
    assert f"team={north.pk}" in html(response)
    csv = get(client, cast["senior_leader"], CSV_URL, **BOTH, team=north.pk)
    assert csv.content == to_csv(CSV_HEADER, csv_rows(trends_json(trends)))


def test_the_template_filter_is_offered_with_two_templates_and_counts_one(client, cast, actor):
    before = get(client, cast["senior_leader"], **BOTH)
    assert 'name="template"' not in html(before)  # one template: nothing to choose
    neglect = load_template(by=actor, definition=read_yaml(NEGLECT.read_text())).template
    Review.objects.filter(cohort=find_cohort(JULY)).update(template=neglect)
    response = get(client, cast["senior_leader"], **BOTH)
    assert 'name="template"' in html(response)
    assert "Thematic audit - neglect" in html(response)
    only = get(client, cast["senior_leader"], **BOTH, template=neglect.key)
    assert only.status_code == 200
    trends = trends_for(Review.objects.filter(template__key=neglect.key), FIRST, LAST)
    assert [c["name"] for c in trends["cohorts"]] == [JULY]
    assert [row["reviews"] for row in cohort_rows(only)] == ["14"]
    assert "reviews on the audit template Thematic audit - neglect." in text_of(only)
    assert AuditTemplate.objects.filter(key=neglect.key).exists()


# ------------------------------------------------------------------------------ who may see it


@pytest.mark.parametrize("person", ["reviewer_independent", "manager", "practitioner", "admin"])
def test_people_who_do_not_read_reports_are_not_found(client, cast, person):
    for url in (URL, CSV_URL, "/reports/trends/grades.png", "/reports/trends/standards.png"):
        assert get(client, cast[person], url, **BOTH).status_code == 404


# ------------------------------------------------------------------------------- downloads


def test_the_csv_is_every_series_of_the_trends_json_with_formula_cells_neutralised(client, cast):
    Cohort.objects.filter(name=JULY).update(name='=HYPERLINK("x")')
    response = get(client, cast["qa_lead"], CSV_URL, **BOTH)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="trends-2024-01-01-to-2025-12-31.csv"' in response["Content-Disposition"]
    trends = trends_json(trends_for(Review.objects.all(), FIRST, LAST))
    assert response.content == to_csv(CSV_HEADER, csv_rows(trends))
    body = response.content.decode("utf-8-sig")
    assert body.splitlines()[0] == ",".join(f'"{name}"' for name in CSV_HEADER)
    assert '"\'=HYPERLINK(""x"")"' in body
    assert '"=HYPERLINK' not in body
    assert '"practice_good_or_better","12","14","85.7","60.1","96.0"' in body


@pytest.mark.parametrize("chart", ["grades", "standards"])
def test_each_chart_downloads_as_a_png_over_the_same_filters(client, cast, chart):
    response = get(client, cast["senior_leader"], f"/reports/trends/{chart}.png", **BOTH)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(PNG_SIGNATURE)
    assert (f'filename="trends-{chart}-2024-01-01-to-2025-12-31.png"'
            in response["Content-Disposition"])  # fmt: skip
    page = html(get(client, cast["senior_leader"], **BOTH))
    assert (f'href="/reports/trends/{chart}.png?date_from=2024-01-01&amp;date_to=2025-12-31"'
            in page)  # fmt: skip


def test_a_chart_the_page_does_not_draw_is_not_found(client, cast):
    assert get(client, cast["senior_leader"], "/reports/trends/alerts.png", **BOTH).status_code \
        == 404  # fmt: skip


# ------------------------------------------------------------------------------ equity lens


def test_the_equity_lens_points_out_a_group_below_the_rest_in_words(client, cast):
    regrade(Review.objects.exclude(gender="female"), practice_grade="good")
    regrade(Review.objects.filter(gender="female"), practice_grade="inadequate")
    females = Review.objects.filter(gender="female").count()
    assert females >= 3
    response = get(client, cast["senior_leader"], **BOTH)
    page = html(response)
    gender = page[page.index('data-equity="gender"') : page.index('data-equity="age_band"')]
    assert "govuk-warning-text" in gender
    assert f"Practice was good or better in 0 of {females} (0%) reviews in the group “Female”" in (
        gender
    )
    assert "The intervals do not overlap" in gender
    # No other dimension has such a group.
    uasc = page[page.index('data-equity="uasc"') :]
    assert "No group is below the rest with intervals that do not overlap." in uasc


def test_the_equity_lens_withholds_small_groups_and_says_why(client, cast):
    response = get(client, cast["senior_leader"], **BOTH)
    page = html(response)
    age = page[page.index('data-equity="age_band"') : page.index('data-equity="ethnicity"')]
    under_one = age[age.index('data-group="under_1"') : age.index("</tr>", age.index("under_1"))]
    assert "fewer than 3" in under_one
    assert "[c]" in age
    assert "data-withheld" in age and "a count under 3 cannot be worked out" in age
    assert "Small groups are withheld" in text_of(response)


def test_viewing_the_trends_and_downloading_them_are_in_the_audit_trail(client, cast):
    get(client, cast["senior_leader"], **BOTH)
    get(client, cast["senior_leader"], CSV_URL, **BOTH)
    get(client, cast["senior_leader"], "/reports/trends/grades.png", **BOTH)
    events = AuditEvent.objects.filter(actor=cast["senior_leader"], target_type="trends")
    assert sorted((e.action, e.details.get("format", "")) for e in events) == [
        ("exported", "csv"), ("exported", "png"), ("viewed", "")]  # fmt: skip


def test_more_than_36_cohorts_are_pooled_by_month_and_the_csv_keeps_every_one(client, cast, actor):
    start = datetime.date(2025, 1, 1)
    many_cohorts(actor, [start + datetime.timedelta(days=3 * n) for n in range(40)])
    dates = {"date_from": "2025-01-01", "date_to": "2025-12-31"}
    response = get(client, cast["senior_leader"], **dates)
    assert 'data-pooled="month"' in html(response)
    assert "40 cohorts." in text_of(response)
    rows = table(response, "cohorts")
    assert "January 2025 (11 cohorts)" in rows and "Cohort 00" not in rows
    assert get(client, cast["senior_leader"], "/reports/trends/grades.png", **dates).status_code \
        == 200  # fmt: skip
    body = get(client, cast["senior_leader"], CSV_URL, **dates).content.decode("utf-8-sig")
    assert all(f'"Cohort {n:02d}"' in body for n in range(40))


def test_a_template_that_does_not_grade_outcomes_is_counted_and_left_out_of_the_lens(
    client, cast, actor
):
    # Reviews on a version grading practice only, in range with the seed's: outcomes are not
    # compared between groups (its reviews would count as not good or better), practice is.
    neglect = read_yaml(NEGLECT.read_text())
    practice = tuple(grade for grade in neglect.grades if grade.key == "practice")
    definition = dataclasses.replace(neglect, key="practice_only", grades=practice)
    template = load_template(by=actor, definition=definition).template
    cohort = neglect_cohort(actor, template, name="Practice only")
    for _ in range(3):
        completed_review(cohort, template, {**answers(met=["graded_care_profile"]),
                                            "grades": {"practice": {"grade": "good"}}})  # fmt: skip
    response = get(client, cast["senior_leader"], **BOTH)
    assert response.status_code == 200
    assert "Outcomes are not compared between groups" in text_of(response)
    assert "Practice is not compared" not in text_of(response)
    lens = html(response)[html(response).index('data-equity="gender"') :]
    assert "Practice good or better" in lens and "Outcomes good or better" not in lens
    # On that template alone, there is no outcome at all: nothing is left out, nothing fails.
    alone = get(client, cast["senior_leader"], **BOTH, template="practice_only")
    assert alone.status_code == 200
    assert "not compared between groups" not in text_of(alone)
