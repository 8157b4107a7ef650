"""Settings from the environment (settings.py, read with environs): the defaults are the README's,
values are read as their type, and a bad value stops start-up naming the variable.

Each case imports the settings module in a fresh Python, as a server starting would.
"""

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Besides every PRACTICE_REVIEW_* variable: left out of the environment so defaults show.
OTHER_VARIABLES = {
    "DATABASE_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "EMAIL_HOST", "EMAIL_PORT",
    "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD", "EMAIL_USE_TLS", "DEFAULT_FROM_EMAIL", "LOG_LEVEL",
    "DJANGO_SETTINGS_MODULE", "OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET",
    "OIDC_ROLE_GROUPS", "OIDC_REQUIRE_MFA_CLAIM", "OIDC_TIMEOUT_SECONDS",
}  # fmt: skip
READ = (
    "import json, sys, practice_review.settings as s; "
    "print(json.dumps({n: getattr(s, n) for n in sys.argv[1:]}, default=str))"
)


def start(data_dir, names=(), **variables):
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("PRACTICE_REVIEW_") and name not in OTHER_VARIABLES
    }
    environment.update(PRACTICE_REVIEW_DATA_DIR=str(data_dir), **variables)
    return subprocess.run(
        [sys.executable, "-c", READ, *names],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def settings_values(data_dir, names, **variables):
    started = start(data_dir, names, **variables)
    assert started.returncode == 0, started.stderr
    return json.loads(started.stdout)


DEFAULTS = {
    "DEBUG": False,
    "ALLOWED_HOSTS": ["127.0.0.1", "localhost", "[::1]"],
    "DEMO_MODE": False,
    "COUNCIL_NAME": "City of London Corporation",
    "SITE_URL": "http://127.0.0.1:8000",
    "EMAIL_HOST": "",
    "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
    "EMAIL_PORT": 587,
    "EMAIL_USE_TLS": True,
    "DEFAULT_FROM_EMAIL": "practice-review@localhost",
    "ALERT_ACKNOWLEDGE_WORKING_DAYS": 1,
    "MODERATION_EVERY_MONTHS": 2,
    "RECOMMENDATION_REMINDER_DAYS": 7,
    "IMPACT_CHECK_MONTHS": 3,
    "EXTRA_BANK_HOLIDAYS": [],
    "IMPORT_MAX_BYTES": 20 * 1024 * 1024,
    "TWO_FACTOR_REQUIRED": True,
    "HTTPS": True,
    "SECURE_HSTS_PRELOAD": False,
    "RETENTION_YEARS": 6,
    "AUDIT_PAGE_SIZE": 50,
}


def test_with_nothing_set_the_defaults_are_the_readmes(tmp_path):
    values = settings_values(tmp_path, [*DEFAULTS, "DATABASES", "LOGGING"])
    assert {name: values[name] for name in DEFAULTS} == DEFAULTS
    assert values["DATABASES"]["default"]["NAME"] == str(tmp_path / "practice-review.sqlite3")
    assert values["LOGGING"]["root"]["level"] == "INFO"


def test_values_are_read_as_their_type(tmp_path):
    values = settings_values(
        tmp_path,
        ["DEBUG", "ALLOWED_HOSTS", "RECOMMENDATION_REMINDER_DAYS", "EXTRA_BANK_HOLIDAYS", "HTTPS"],
        DEBUG="yes",
        ALLOWED_HOSTS="practice-review.example.gov.uk, localhost",
        PRACTICE_REVIEW_REMINDER_DAYS="10",
        PRACTICE_REVIEW_BANK_HOLIDAYS="2031-06-09,2031-06-10",
        PRACTICE_REVIEW_HTTPS="off",
    )
    assert values == {
        "DEBUG": True,
        "ALLOWED_HOSTS": ["practice-review.example.gov.uk", "localhost"],
        "RECOMMENDATION_REMINDER_DAYS": 10,
        "EXTRA_BANK_HOLIDAYS": [str(datetime.date(2031, 6, 9)), str(datetime.date(2031, 6, 10))],
        "HTTPS": False,
    }


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PRACTICE_REVIEW_REMINDER_DAYS", "abc"),
        ("EMAIL_PORT", "587a"),
        ("DEBUG", "maybe"),
        ("PRACTICE_REVIEW_BANK_HOLIDAYS", "2031-06-09,2031-02-30"),
        ("PRACTICE_REVIEW_RETENTION_YEARS", "0"),
        ("LOG_LEVEL", "LOUD"),
    ],
)
def test_a_bad_value_stops_start_up_naming_the_variable(tmp_path, name, value):
    started = start(tmp_path, **{name: value})
    assert started.returncode != 0
    assert f'Environment variable "{name}" invalid' in started.stderr, started.stderr


def test_a_blank_variable_is_not_set_and_spaces_around_a_value_are_ignored(tmp_path):
    """`DEBUG=${DEBUG}` in a compose file or a systemd unit leaves variables empty: the
    defaults apply, as they did before environs (core/environment.py)."""
    names = ["DEBUG", "ALLOWED_HOSTS", "TWO_FACTOR_REQUIRED", "EMAIL_USE_TLS", "RETENTION_YEARS"]
    blank = settings_values(
        tmp_path, names, DEBUG="", ALLOWED_HOSTS=" ", PRACTICE_REVIEW_TWO_FACTOR="",
        EMAIL_USE_TLS="", PRACTICE_REVIEW_RETENTION_YEARS="",
    )  # fmt: skip
    assert blank == {name: DEFAULTS[name] for name in names}
    spaced = settings_values(tmp_path, ["DEBUG", "RETENTION_YEARS"], DEBUG=" true ",
                             PRACTICE_REVIEW_RETENTION_YEARS=" 7 ")  # fmt: skip
    assert spaced == {"DEBUG": True, "RETENTION_YEARS": 7}


def test_a_data_folder_that_once_held_the_demo_does_not_turn_demo_mode_on(tmp_path):
    """Only PRACTICE_REVIEW_DEMO_MODE=true (set by `practice-review demo` for its server) turns
    off the second factor and HTTPS: never a file left in the data folder."""
    (tmp_path / "demo-mode").touch()  # the marker earlier versions of the demo left behind
    values = settings_values(tmp_path, ["DEMO_MODE", "TWO_FACTOR_REQUIRED", "HTTPS"])
    assert values == {"DEMO_MODE": False, "TWO_FACTOR_REQUIRED": True, "HTTPS": True}
    asked = settings_values(tmp_path, ["DEMO_MODE"], PRACTICE_REVIEW_DEMO_MODE="true")
    assert asked == {"DEMO_MODE": True}


def test_council_account_settings_are_read_together(tmp_path):
    """docs/signing-in.md#setting-up-sign-in-with-council-accounts: the provider, the client and
    the groups' roles from OIDC_*; without them, no council sign-in and passwords as before."""
    values = settings_values(tmp_path, ["SINGLE_SIGN_ON", "LOCAL_SIGN_IN"])
    assert "issuer=''" in values["SINGLE_SIGN_ON"] and values["LOCAL_SIGN_IN"] is True
    values = settings_values(
        tmp_path,
        ["SINGLE_SIGN_ON", "LOCAL_SIGN_IN"],
        OIDC_ISSUER="https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0/",
        OIDC_CLIENT_ID="app-id",
        OIDC_CLIENT_SECRET="app-secret",
        OIDC_ROLE_GROUPS="qa_lead=g1, reviewer=g2",
        PRACTICE_REVIEW_LOCAL_SIGN_IN="false",
    )
    assert (
        "issuer='https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0'"
        in (values["SINGLE_SIGN_ON"])
    )
    assert "('g1', Role.QA_LEAD)" in values["SINGLE_SIGN_ON"]
    assert "app-secret" not in values["SINGLE_SIGN_ON"]  # the secret is never in its repr
    assert values["LOCAL_SIGN_IN"] is False


@pytest.mark.parametrize(
    "variables, named",
    [
        ({"OIDC_ISSUER": "https://idp.example"}, "OIDC_CLIENT_ID, OIDC_CLIENT_SECRET not set"),
        (
            {
                "OIDC_ISSUER": "https://idp.example",
                "OIDC_CLIENT_ID": "a",
                "OIDC_CLIENT_SECRET": "b",
            },
            "OIDC_ROLE_GROUPS not set",
        ),
        (
            {
                "OIDC_ISSUER": "http://idp.example",
                "OIDC_CLIENT_ID": "a",
                "OIDC_CLIENT_SECRET": "b",
                "OIDC_ROLE_GROUPS": "reviewer=g",
            },
            "OIDC_ISSUER must be an https:// address",
        ),
        ({"PRACTICE_REVIEW_LOCAL_SIGN_IN": "false"}, "nobody could sign in"),
    ],
)
def test_a_council_account_setting_that_cannot_work_stops_start_up_naming_it(
    tmp_path, variables, named
):
    started = start(tmp_path, ["SINGLE_SIGN_ON"], **variables)
    assert started.returncode != 0
    assert named in started.stderr, started.stderr
