"""`practice-review serve`: what it hands gunicorn (site/management/commands/serve.py)."""

import os

import pytest
from django.core.management import call_command

from practice_review.site.management.commands import serve


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
