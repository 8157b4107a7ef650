"""Importing at the service's pages in two steps: upload, then check and confirm
(docs/review-files.md).

Nothing is written until the person confirms; the check page names every member of staff the
import would add. The file is held between the steps under a signed token bound to the person
who uploaded it (core/uploads.py); a token from someone else, a changed token or a token used
once already is refused with words a person can act on, and changes nothing.
"""

import io
import os
import re
import time
from unittest import mock

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from practice_review.accounts.models import StaffMember
from practice_review.reviews.models import Child, ImportRecord, Review
from tests.conftest import make_user
from tests.integration.helpers import csv_bytes, seed_rows, table_counts

pytestmark = pytest.mark.django_db

MARCH = "March 2025"


def march_rows():
    """Two reviews in a new cohort naming two people the service does not know, and KN, whom
    the seed data already holds."""
    first, second = seed_rows()[0], seed_rows()[1]
    return [
        {**first, "cohort": MARCH, "review_date": "2025-03-03", "social_worker": "Jane Smith",
         "supervisor": "KN", "reviewer": "Priya Shah"},
        {**second, "cohort": MARCH, "review_date": "2025-03-04", "social_worker": "jane  smith",
         "supervisor": "Priya Shah"},
    ]  # fmt: skip


def upload(client, data, name="march.csv", cohort=""):
    return client.post(
        reverse("import_reviews"), {"file": SimpleUploadedFile(name, data), "cohort": cohort}
    )


def token_of(response):
    return response.context["token"]


def confirm(client, token):
    return client.post(reverse("import_confirm"), {"token": token}, follow=True)


def held_files():
    folder = settings.HELD_UPLOADS_DIR
    return sorted(folder.iterdir()) if folder.exists() else []


def text_of(response):
    return re.sub(r"\s+", " ", response.content.decode())


def test_an_upload_writes_nothing_and_names_the_staff_it_would_add(client, cast):
    client.force_login(cast["qa_lead"])
    before = table_counts()

    response = upload(client, csv_bytes(march_rows()))

    assert response.status_code == 200
    page = text_of(response)
    assert "<title>Check before importing" in page
    assert "2 reviews" in page and MARCH in page
    # One row per person, with the columns that name them; "jane  smith" is Jane Smith again.
    staff = response.context["plan"].added_staff
    assert [(person.name, person.roles_text) for person in staff] == [
        ("Jane Smith", "social worker"),
        ("Priya Shah", "supervisor, reviewer"),
    ]
    assert "Jane Smith" in page and "Priya Shah" in page and "Supervisor, reviewer" in page
    # Known already: not added. (Not the page's hidden token, random letters that may hold "KN".)
    assert "KN" not in re.sub(r'value="[^"]*"', "", page)
    assert "Confirm and import" in page and reverse("import_cancel") in page
    assert table_counts() == before
    assert len(held_files()) == 1


def test_confirming_imports_the_held_file_once_and_removes_it(client, cast):
    qa_lead = cast["qa_lead"]
    client.force_login(qa_lead)
    token = token_of(upload(client, csv_bytes(march_rows())))

    response = confirm(client, token)

    assert response.redirect_chain[-1][0] == reverse("home")
    page = text_of(response)
    assert "Imported 2 reviews into March 2025: 2 new, 0 updated, 0 unchanged." in page
    assert "Added 2 members of staff not known before: Jane Smith (social worker), " in page
    assert Review.objects.filter(cohort__name=MARCH).count() == 2
    assert StaffMember.objects.filter(name="Jane Smith").count() == 1
    assert ImportRecord.objects.get(file_name="march.csv").by == qa_lead
    assert held_files() == []


def test_a_confirm_used_again_is_refused_and_imports_nothing_more(client, cast):
    client.force_login(cast["qa_lead"])
    token = token_of(upload(client, csv_bytes(march_rows())))
    confirm(client, token)
    before = table_counts()

    again = confirm(client, token)

    assert "This file has already been imported or cancelled" in text_of(again)
    assert again.redirect_chain[-1][0] == reverse("import_reviews")
    assert table_counts() == before
    assert ImportRecord.objects.filter(file_name="march.csv").count() == 1


def test_cancelling_writes_nothing_and_removes_the_held_file(client, cast):
    client.force_login(cast["qa_lead"])
    before = table_counts()
    token = token_of(upload(client, csv_bytes(march_rows())))

    response = client.get(reverse("import_cancel"), follow=True)

    assert "Nothing was imported" in text_of(response)
    assert response.redirect_chain[-1][0] == reverse("import_reviews")
    assert held_files() == []
    assert table_counts() == before
    assert "already been imported or cancelled" in text_of(confirm(client, token))
    assert table_counts() == before


def test_someone_elses_file_cannot_be_confirmed(client, cast):
    client.force_login(cast["qa_lead"])
    token = token_of(upload(client, csv_bytes(march_rows())))
    other_lead = make_user("qa.lead.two", "qa_lead")
    before = table_counts()

    client.force_login(other_lead)
    response = confirm(client, token)

    assert "This file was uploaded by someone else" in text_of(response)
    assert table_counts() == before
    assert len(held_files()) == 1  # still the uploader's to confirm or cancel
    client.force_login(cast["qa_lead"])
    assert "Imported 2 reviews" in text_of(confirm(client, token))


@pytest.mark.parametrize(
    "change",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: token.replace(":", ";", 1),
        lambda token: "",
        lambda token: "x" * 5000,
    ],
    ids=["signature", "payload", "blank", "junk"],
)
def test_a_changed_token_is_refused(client, cast, change):
    client.force_login(cast["qa_lead"])
    token = token_of(upload(client, csv_bytes(march_rows())))
    before = table_counts()

    response = confirm(client, change(token))

    assert "This import could not be confirmed" in text_of(response)
    assert table_counts() == before


def test_a_check_left_too_long_is_refused(client, cast):
    client.force_login(cast["qa_lead"])
    token = token_of(upload(client, csv_bytes(march_rows())))
    before = table_counts()

    # 31 minutes on for the signature's clock only: the session has its own idle timeout.
    later = time.time() + 31 * 60
    with mock.patch("django.core.signing.time", mock.Mock(time=lambda: later)):
        response = confirm(client, token)

    assert "not confirmed within 30 minutes" in text_of(response)
    assert table_counts() == before


def test_a_held_file_left_too_long_is_removed_by_the_next_upload(client, cast):
    client.force_login(cast["qa_lead"])
    upload(client, csv_bytes(march_rows()))
    (stale,) = held_files()
    hour_ago = time.time() - 60 * 60
    os.utime(stale, (hour_ago, hour_ago))
    upload(client, csv_bytes(march_rows()))
    assert stale not in held_files() and len(held_files()) == 1


def test_the_scheduled_purge_removes_held_files_nobody_can_confirm(client, cast):
    client.force_login(cast["qa_lead"])
    upload(client, csv_bytes(march_rows()))
    (held,) = held_files()
    call_command("purge_expired", stdout=io.StringIO())
    assert held_files() == [held]  # still within its 30 minutes
    hour_ago = time.time() - 60 * 60
    os.utime(held, (hour_ago, hour_ago))
    call_command("purge_expired", "--dry-run", stdout=io.StringIO())
    assert held_files() == [held]  # a dry run changes nothing
    call_command("purge_expired", stdout=io.StringIO())
    assert held_files() == []


def test_a_new_upload_replaces_the_one_not_confirmed(client, cast):
    client.force_login(cast["qa_lead"])
    first = token_of(upload(client, csv_bytes(march_rows())))
    upload(client, csv_bytes(march_rows()), name="march-again.csv")
    assert len(held_files()) == 1
    assert "already been imported or cancelled" in text_of(confirm(client, first))


def test_when_the_records_changed_since_the_check_the_confirm_lists_the_problems(client, cast):
    client.force_login(cast["qa_lead"])
    rows = march_rows()
    rows[0]["child_ref"] = "C9001"
    token = token_of(upload(client, csv_bytes(rows)))
    # Meanwhile the child is recorded with other initials (another import, say).
    Child.objects.create(case_ref="C9001", initials="ZZ", gender="male")
    before = table_counts()

    response = confirm(client, token)

    page = text_of(response)
    assert "The file was not imported: fix 1 problem" in page
    assert "row 2, column initials" in page and "as already recorded for child_ref" in page
    assert table_counts() == before
    assert held_files() == []


def test_a_file_naming_nobody_new_still_shows_the_check(client, cast):
    client.force_login(cast["qa_lead"])
    rows = [{**seed_rows()[0], "cohort": MARCH, "review_date": "2025-03-03"}]
    response = upload(client, csv_bytes(rows))
    assert response.context["plan"].added_staff == []
    assert "Every member of staff named in the file is already known" in text_of(response)
    assert "Imported 1 review into March 2025" in text_of(confirm(client, token_of(response)))


def test_a_bad_file_lists_its_problems_without_a_check_step(client, cast):
    client.force_login(cast["qa_lead"])
    rows = march_rows()
    rows[0]["gender"] = "Robot"
    before = table_counts()
    response = upload(client, csv_bytes(rows))
    assert "The file was not imported: fix 1 problem" in text_of(response)
    assert "token" not in response.context
    assert held_files() == []
    assert table_counts() == before


def test_only_the_qa_lead_may_confirm_or_cancel(client, cast):
    client.force_login(cast["qa_lead"])
    token = token_of(upload(client, csv_bytes(march_rows())))
    for person in ["reviewer_independent", "manager", "senior_leader", "admin"]:
        client.force_login(cast[person])
        assert client.post(reverse("import_confirm"), {"token": token}).status_code == 404
        assert client.get(reverse("import_cancel")).status_code == 404
    assert len(held_files()) == 1
