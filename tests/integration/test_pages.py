"""Signing in, the home page and the import page, through Django's test client."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from practice_review.reviews.models import Review
from tests.conftest import JULY, PASSWORD, SEPTEMBER
from tests.integration.helpers import csv_bytes, import_at_the_page, seed_rows, table_counts

pytestmark = pytest.mark.django_db


def test_signing_in_leads_to_the_home_page_with_both_seed_cohorts(client, cast):
    device = TOTPDevice.objects.create(user=cast["qa_lead"], name="Phone")
    response = client.post(
        reverse("login"), {"username": "qa.lead", "password": PASSWORD}, follow=True
    )
    # The password leads to the second factor (tests/integration/test_two_factor.py), then home.
    assert response.redirect_chain[-1][0] == reverse("two_factor_verify")
    code = f"{totp(device.bin_key):06d}"
    response = client.post(reverse("two_factor_verify"), {"code": code}, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("home")
    assert SEPTEMBER in page and JULY in page
    # September: practice good or better 10 of 10, outcomes 8 of 10; July: 12 of 14, 13 of 14.
    for figure in ["10 of 10 (100%)", "8 of 10 (80%)", "12 of 14 (86%)", "13 of 14 (93%)"]:
        assert figure in page


def test_a_wrong_password_is_refused_with_a_gov_uk_error_summary(client, cast):
    response = client.post(reverse("login"), {"username": "qa.lead", "password": "nope"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "Enter a correct username and password" in page
    assert "<title>Error: Sign in" in page


def test_blank_sign_in_names_both_missing_fields(client, cast):
    page = client.post(reverse("login"), {"username": "", "password": ""}).content.decode()
    assert "Enter your username" in page and "Enter your password" in page
    assert 'href="#id_username"' in page


def test_the_home_page_of_a_practitioner_lists_only_their_cohorts(client, cast):
    client.force_login(cast["practitioner"])
    page = client.get(reverse("home")).content.decode()
    mine = [r for r in seed_rows() if r["social_worker"] == "RL"]
    september = sum(r["cohort"] == SEPTEMBER for r in mine)
    assert SEPTEMBER in page and JULY in page
    assert f"{september} of {september} (100%)" in page  # all of RL's practice good or better


def test_the_outsider_sees_an_empty_home_page(client, cast):
    client.force_login(cast["outsider"])
    page = client.get(reverse("home")).content.decode()
    assert "There are no cohorts for you to see yet" in page
    assert SEPTEMBER not in page


def test_signing_out_needs_a_post_and_ends_the_session(client, cast):
    client.force_login(cast["qa_lead"])
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def upload(client, data, name="reviews.csv", cohort=""):
    return import_at_the_page(client, data, name, cohort, follow=True)


def test_the_qa_lead_imports_a_file_and_the_import_is_attributed(client, cast):
    client.force_login(cast["qa_lead"])
    rows = [{**seed_rows()[0], "cohort": "March 2025", "review_date": "2025-03-03"}]
    page = upload(client, csv_bytes(rows)).content.decode()
    assert "Imported 1 review into March 2025: 1 new" in page
    review = Review.objects.get(cohort__name="March 2025")
    assert review.history.get().history_user == cast["qa_lead"]


def test_a_bad_upload_lists_every_problem_and_changes_nothing(client, cast):
    client.force_login(cast["qa_lead"])
    rows = seed_rows()
    rows[0]["gender"] = "Robot"
    rows[5]["outcome_grade"] = "Brilliant"
    before = table_counts()
    response = upload(client, csv_bytes(rows))
    page = response.content.decode()
    assert "The file was not imported: fix 2 problems" in page
    assert "row 2, column gender: got &#x27;Robot&#x27;" in page
    assert "row 7, column outcome_grade: got &#x27;Brilliant&#x27;" in page
    assert "<title>Error: Import reviews" in page
    assert table_counts() == before


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("notes.txt", "The selected file must be a CSV or XLSX file"),
        ("old.xls", "The selected file must be a CSV or XLSX file"),
    ],
)
def test_the_upload_refuses_other_file_types(client, cast, name, message):
    client.force_login(cast["qa_lead"])
    page = upload(client, b"anything", name=name).content.decode()
    assert message in page


def test_the_upload_refuses_oversize_files(client, cast, settings):
    settings.IMPORT_MAX_BYTES = 1024
    client.force_login(cast["qa_lead"])
    page = upload(client, b"x" * 2048).content.decode()
    assert "The selected file must be smaller than" in page


def test_pages_show_the_council_name_and_no_crown(client, cast):
    client.force_login(cast["qa_lead"])
    page = client.get(reverse("home")).content.decode()
    assert "City of London Corporation" in page
    assert "govuk-header__logotype" not in page and "crown" not in page.lower()


def test_demo_mode_shows_a_banner(client, cast, settings):
    settings.DEMO_MODE = True
    settings.TWO_FACTOR_REQUIRED = False
    page = client.get(reverse("login")).content.decode()
    assert "Two-factor sign-in is turned off" in page
    # A demo with two-factor turned on (PRACTICE_REVIEW_TWO_FACTOR=true) does not say it is off.
    settings.TWO_FACTOR_REQUIRED = True
    page = client.get(reverse("login")).content.decode()
    assert "This is a demonstration" in page and "Two-factor sign-in is turned off" not in page
    settings.DEMO_MODE = False
    assert "Two-factor sign-in is turned off" not in client.get(reverse("login")).content.decode()


def test_a_missing_page_uses_the_service_404_page(client, cast):
    client.force_login(cast["qa_lead"])
    response = client.get("/reviews/999999/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_pages_for_a_signed_in_person_are_never_stored_by_the_browser(client, cast):
    client.force_login(cast["qa_lead"])
    assert "no-store" in client.get(reverse("home"))["Cache-Control"]
    client.logout()
    assert "no-store" not in client.get(reverse("accessibility")).get("Cache-Control", "")
