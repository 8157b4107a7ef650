"""The load test's data and requests are real (docs/spec/quality.md#load: "load on loopback: 50
users, mixed reads and writes, bounded time"): prepare.py gives every simulated person an
account with their own authenticator and their own work, and the forms the locust file posts
(read from the page as a browser would, then typed into) are the ones the server accepts."""

import datetime
import importlib.util
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from practice_review.accounts.models import StaffMember
from practice_review.reviews import actions
from practice_review.reviews.models import Child, Review
from practice_review.reviews.review_forms import SECTION_FORMS

LOAD = Path(__file__).resolve().parents[2] / "benchmarks" / "load"


def load_module(name):
    spec = importlib.util.spec_from_file_location(f"load_{name}", LOAD / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


forms = load_module("browser_forms")


@pytest.mark.slow
def test_prepare_gives_each_person_an_account_an_authenticator_and_their_own_work(tmp_path):
    """docs/spec/quality.md#load: load on loopback: 50 users, mixed reads and writes, bounded
    time."""
    data = tmp_path / "data"
    env = {**os.environ, "PRACTICE_REVIEW_DATA_DIR": str(data)}
    env.pop("DATABASE_URL", None)  # a fresh SQLite file in the data folder
    subprocess.run(
        [sys.executable, str(LOAD / "prepare.py"), "--users", "2"],
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    prepared = json.loads((data / "load-users.json").read_text())
    users = {user["username"]: user for user in prepared["users"]}
    assert {"load.reviewer.01", "load.reviewer.02", "load.practitioner.02", "load.manager.02",
            "load.qa.01"} <= set(users)  # fmt: skip
    assert prepared["two_factor"] is True
    assert all(len(bytes.fromhex(user["totp_key"])) == 20 for user in users.values())
    assert len({user["totp_key"] for user in users.values()}) == len(users)

    database = sqlite3.connect(data / "practice-review.sqlite3")
    # Served as a real installation: the demo's shared-password users are switched off.
    assert database.execute(
        "SELECT COUNT(*) FROM accounts_user WHERE email LIKE '%@demo.invalid' OR "
        "(username = 'qa.lead' AND is_active)"
    ).fetchone() == (0,)
    sql = """SELECT r.status, r.reviewer_id, r.social_worker_id, r.supervisor_id,
                    u.staff_member_id, d.confirmed, d.key
             FROM reviews_review r, accounts_user u, otp_totp_totpdevice d
             WHERE r.id = ? AND u.username = ? AND d.user_id = u.id"""

    def look_up(username):
        return database.execute(sql, (users[username]["review"], username)).fetchone()

    reviews = set()
    for slot in ("01", "02"):
        status, reviewer, _, _, staff, confirmed, key = look_up(f"load.reviewer.{slot}")
        assert (status, reviewer, confirmed, key) == (
            "assigned",
            staff,
            1,
            users[f"load.reviewer.{slot}"]["totp_key"],
        )
        reviews.add(users[f"load.reviewer.{slot}"]["review"])
        status, _, social_worker, _, staff, *_ = look_up(f"load.practitioner.{slot}")
        assert (status, social_worker) == ("final", staff)
        status, _, _, supervisor, staff, *_ = look_up(f"load.manager.{slot}")
        assert (status, supervisor) == ("final", staff)
        owner = database.execute(
            "SELECT owner_id FROM tracker_recommendation WHERE id = ?",
            (users[f"load.manager.{slot}"]["recommendation"],),
        ).fetchone()[0]
        assert owner == staff
    assert len(reviews) == 2  # each reviewer has a review of their own: no conflicts
    database.close()


@pytest.fixture
def review(cast):
    cohort = actions.create_cohort(
        by=cast["qa_lead"], name="Load", period_start=datetime.date(2026, 3, 1),
        period_end=datetime.date(2026, 3, 31), selected_by="Test", selection_reason="mixed",
    )  # fmt: skip
    return actions.assign_review(
        by=cast["qa_lead"], cohort=cohort, child=Child.objects.get(case_ref="C1008"),
        reviewer=StaffMember.objects.get(name="Independent Associate"),
        reviewer_type="independent", due_date=timezone.localdate() + datetime.timedelta(days=14),
        social_worker=StaffMember.objects.get(name="RL"),
        supervisor=StaffMember.objects.get(name="BA"),
    )  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("section", ["child", "standards", "themes", "grades"])
def test_the_load_tests_autosaves_and_save_are_accepted_and_saved(client, cast, review, section):
    """docs/spec/quality.md#load: load on loopback: 50 users, mixed reads and writes, bounded time.

    What the locust file posts is read from the page (CSRF token, version and every answer, as
    FormData would), so a change to the form that broke it would fail here, not silently."""
    client.force_login(cast["reviewer_independent"])
    client.handler.enforce_csrf_checks = True  # the token must come from the page, as in use
    path = reverse("review_section", args=[review.id, section])
    form = forms.Forms(client.get(path).content.decode()).find(attr="data-autosave")
    assert dict(form["fields"])["csrfmiddlewaretoken"]
    for expected_version in (1, 2):
        forms.type_into(form, section)
        response = client.post(path, form_data(form), headers={"X-Autosave": "1"})
        assert response.status_code == 200, response.content
        assert response.json()["version"] == expected_version
        forms.set_field(form, "version", str(response.json()["version"]))
    forms.type_into(form, section)
    response = client.post(path, form_data(form))
    assert response.status_code == 302
    assert response["Location"] == reverse("review_tasks", args=[review.id])
    saved = Review.objects.get(pk=review.pk)
    assert saved.section_versions[section] == 3
    # Every answer typed is what the review now holds.
    held = SECTION_FORMS[section].initial_from(saved)
    posted = dict(form["fields"])
    texts = forms.CHILD_TEXT if section == "child" else form["textareas"]
    assert any(posted[name] for name in texts)
    assert {name: (held[name] or "") for name in texts} == {
        name: posted[name].strip() for name in texts
    }


def form_data(form):
    """The fields as the test client posts them: a name given twice keeps both values."""
    data = {}
    for name, value in form["fields"]:
        data.setdefault(name, []).append(value)
    return data


@pytest.mark.django_db
def test_the_load_tests_response_and_tracker_update_forms_are_found_and_accepted(
    client, cast, review
):
    """docs/spec/quality.md#load: load on loopback: 50 users, mixed reads and writes, bounded
    time."""
    from practice_review.tracker.models import Recommendation

    final = Review.objects.filter(status="final", supervisor__name="BA").first()
    recommendation = Recommendation.objects.create(
        level="child", review=final, cohort=final.cohort, action="Update the chronology.",
        owner=StaffMember.objects.get(name="BA"), due_date=datetime.date(2026, 6, 30),
        success_measure="It is current.", created_by=cast["qa_lead"],
    )  # fmt: skip
    client.force_login(cast["manager"])
    client.handler.enforce_csrf_checks = True
    page = reverse("review_detail", args=[final.id])
    action = reverse("review_respond", args=[final.id])
    form = forms.Forms(client.get(page).content.decode()).find(action=action)
    forms.set_field(form, "text", forms.PHRASES[0])
    assert client.post(action, form_data(form)).status_code == 302
    assert final.responses.get().text == forms.PHRASES[0]

    page = reverse("tracker_detail", args=[recommendation.id])
    action = reverse("tracker_add_update", args=[recommendation.id])
    form = forms.Forms(client.get(page).content.decode()).find(action=action)
    forms.set_field(form, "text", forms.PHRASES[1])
    assert client.post(action, form_data(form)).status_code == 302
    assert recommendation.updates.get().text == forms.PHRASES[1]
