"""`practice-review serve`: what it hands gunicorn (site/management/commands/serve.py)."""

import os

import pytest
from django.core.management import call_command

from practice_review.site.management.commands import serve

pytestmark = pytest.mark.django_db


class Started(Exception):
    """Stands for gunicorn taking over the process."""


@pytest.fixture
def started(monkeypatch):
    for name in ("PRACTICE_REVIEW_SITE_URL", "PRACTICE_REVIEW_DEMO_MODE"):
        monkeypatch.delenv(name, raising=False)  # and restored after the test
    monkeypatch.setattr(serve, "call_command", lambda *args, **kwargs: None)  # collectstatic

    def execv(path, arguments):
        raise Started(arguments)

    monkeypatch.setattr(serve.os, "execv", execv)


def test_in_demo_mode_links_in_emails_point_at_the_port_it_serves_on(started, settings):
    settings.DEMO_MODE = True
    with pytest.raises(Started):
        call_command("serve", port=8123)
    assert os.environ["PRACTICE_REVIEW_SITE_URL"] == "http://127.0.0.1:8123"


def test_a_site_address_that_is_set_is_kept(started, settings, monkeypatch):
    settings.DEMO_MODE = True
    monkeypatch.setenv("PRACTICE_REVIEW_SITE_URL", "https://practice-review.example.gov.uk")
    with pytest.raises(Started):
        call_command("serve", port=8123)
    assert os.environ["PRACTICE_REVIEW_SITE_URL"] == "https://practice-review.example.gov.uk"


def test_outside_demo_mode_the_site_address_is_left_to_the_deployment(started, settings):
    settings.DEMO_MODE = False
    with pytest.raises(Started):
        call_command("serve", port=8123)
    assert "PRACTICE_REVIEW_SITE_URL" not in os.environ


def test_serve_refuses_a_database_with_the_demos_users_unless_demo_mode_is_asked_for(
    started, settings
):
    from django.core.management.base import CommandError

    from practice_review.accounts.models import User

    User.objects.create_user("qa.lead", email="qa.lead@demo.invalid", password="demo-password-1")
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="holds the demo's users"):
        call_command("serve", port=8123)
    settings.DEMO_MODE = True
    with pytest.raises(Started):
        call_command("serve", port=8123)


def test_serve_starts_a_real_service_outside_demo_mode(started, settings):
    settings.DEMO_MODE = False
    with pytest.raises(Started):
        call_command("serve", port=8123)
