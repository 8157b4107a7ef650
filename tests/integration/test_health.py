"""The health check for load balancers (/health/, site/views.py)."""

from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from django.db import OperationalError, connections
from django.test import Client
from django.urls import reverse

from practice_review.audit.models import AuditEvent
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_it_says_ok_in_plain_text_when_the_database_answers():
    response = Client().get(reverse("health"))
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "no-store" in response["Cache-Control"]


def test_it_answers_head_and_refuses_other_methods():
    browser = Client()
    assert browser.head(reverse("health")).status_code == 200
    assert browser.post(reverse("health")).status_code == 405


def test_503_when_the_database_does_not_answer():
    down = OperationalError("connection refused")
    with mock.patch.object(connections["default"], "cursor", side_effect=down):
        response = Client().get(reverse("health"))
    assert response.status_code == 503
    assert response.content == b"unavailable"  # nothing about the error or the server
    assert response["Content-Type"] == "text/plain; charset=utf-8"


def test_it_sets_no_session_and_no_cookie():
    browser = Client()
    response = browser.get(reverse("health"))
    assert response.cookies == {}
    assert "Set-Cookie" not in response
    assert browser.cookies == {}
    assert not Session.objects.exists()


def test_a_signed_in_person_reaches_it_and_the_audit_trail_records_nothing(client, cast):
    client.force_login(cast["qa_lead"])
    before = AuditEvent.objects.count()
    assert client.get(reverse("health")).content == b"ok"
    assert AuditEvent.objects.count() == before


def test_a_password_only_session_is_not_sent_to_the_second_factor_step(cast):
    browser = Client()
    browser.post(reverse("login"), {"username": "qa.lead", "password": PASSWORD})
    response = browser.get(reverse("health"))
    assert response.status_code == 200
    assert response.content == b"ok"


def test_it_answers_plain_http_where_everything_else_is_redirected_to_https(settings):
    settings.SECURE_SSL_REDIRECT = True
    browser = Client()
    assert browser.get(reverse("health")).status_code == 200
    assert browser.get(reverse("accessibility")).status_code == 301
