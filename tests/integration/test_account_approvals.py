"""The two-person rule for account changes (docs/security.md#two-person-rule-for-account-changes).

An administrator manages accounts but sees no case data. Before this rule they could give
themselves case access: make an account with the QA lead's role, or set the QA lead's password
and reset their two-factor sign-in, then sign in as them. Now a change that gives an account case
access, or that changes how another person signs in (password, two-factor, email address), is
filed as a request in the admin and applied only when a QA lead or a superuser who did not ask
for it approves it (/accounts/approvals/).

Each test goes through the Django admin as the demo's administrator does (is_staff, the
administrator role) and through the approvals page as the QA lead, with the test client.
"""

import datetime

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.hashers import check_password
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from practice_review.accounts import two_factor
from practice_review.accounts.models import AccountChangeRequest, StaffMember, User
from practice_review.audit.models import AuditEvent
from practice_review.core.permissions import Permission, has_permission
from practice_review.core.vocabulary import AccountChangeStatus, Role
from practice_review.reviews.queries import reviews_visible_to
from tests.conftest import PASSWORD, TwoFactorClient

pytestmark = pytest.mark.django_db

WAITING_MESSAGE = "Waiting for approval by a quality assurance lead or a superuser"
NEW_PASSWORD = "a brand new passphrase for the qa lead 42"


@pytest.fixture
def people(cast):
    for user in cast.values():
        user.email = f"{user.username}@council.example"
        user.save()
    cast["admin"].is_staff = True  # as the demo makes its administrator
    cast["admin"].save()
    return cast


def signed_in(user):
    browser = TwoFactorClient()
    browser.force_login(user)
    return browser


@pytest.fixture
def administrator(people):
    return signed_in(people["admin"])


@pytest.fixture
def qa_lead(people):
    return signed_in(people["qa_lead"])


def change_form(user, **changes):
    """What the admin's change form for `user` posts, as it stands, with `changes` made."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "role": user.role,
        "staff_member": user.staff_member_id or "",
        "is_active": "on" if user.is_active else "",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": user.date_joined.strftime("%d/%m/%Y"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def change_in_admin(browser, user, **changes):
    response = browser.post(
        reverse("admin:accounts_user_change", args=[user.pk]), change_form(user, **changes)
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    return browser.get(response["Location"]).content.decode()


def set_password_in_admin(browser, user, password=NEW_PASSWORD):
    return browser.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {"usable_password": "true", "password1": password, "password2": password},
        follow=True,
    )


def reset_two_factor_in_admin(browser, *users):
    return browser.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [user.pk for user in users]},
        follow=True,
    )


def waiting():
    return AccountChangeRequest.objects.filter(status=AccountChangeStatus.WAITING)


def has_case_access(user):
    user = User.objects.get(pk=user.pk)
    return has_permission(user, Permission.VIEW_CASES) or reviews_visible_to(user).exists()


def approve(browser, change):
    return browser.post(
        reverse("account_approval", args=[change.pk]), {"decision": "approve"}, follow=True
    )


def decline(browser, change, reason):
    return browser.post(
        reverse("account_approval", args=[change.pk]),
        {"decision": "decline", "reason": reason},
        follow=True,
    )


def with_authenticator(user):
    device = TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    two_factor.new_recovery_codes(by=user)
    return device


# What the administrator can no longer do alone ------------------------------------------------


def test_an_administrator_making_a_qa_lead_makes_an_account_with_no_case_access_until_approved(
    administrator, people
):
    """The attack: make an account, give it the QA lead's role, sign in as it."""
    response = administrator.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "new.qa.lead",
            "usable_password": "true",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "role": Role.QA_LEAD,
            "email": "new.qa.lead@council.example",
        },
        follow=True,
    )
    assert response.status_code == 200
    account = User.objects.get(username="new.qa.lead")
    # Then the role again on the change page, as an administrator does today.
    page = change_in_admin(administrator, account, role=Role.QA_LEAD)
    assert WAITING_MESSAGE in page
    account.refresh_from_db()
    assert account.role == ""
    assert not has_case_access(account)
    assert account.check_password(NEW_PASSWORD)  # a new account's first password is its own
    change = waiting().get(account=account)
    assert (change.new_account, change.changes_role, change.role_from, change.role_to) == (
        True,
        True,
        "",
        Role.QA_LEAD,
    )
    assert change.requested_by == people["admin"]
    # Signing in as it shows nothing of any child.
    assert signed_in(account).get(reverse("cohort_create")).status_code == 404


def test_raising_a_reviewer_to_senior_leader_leaves_them_a_reviewer_until_approved(
    administrator, people
):
    reviewer = people["reviewer_independent"]
    page = change_in_admin(administrator, reviewer, role=Role.SENIOR_LEADER, first_name="Indy")
    assert WAITING_MESSAGE in page
    reviewer.refresh_from_db()
    assert reviewer.role == Role.REVIEWER
    assert reviewer.first_name == "Indy"  # the rest of the change is saved at once
    change = waiting().get(account=reviewer)
    assert (change.role_from, change.role_to) == (Role.REVIEWER, Role.SENIOR_LEADER)
    # The admin's own log of the change does not claim the role was changed.
    logged = LogEntry.objects.filter(object_id=str(reviewer.pk)).latest("action_time")
    assert "First name" in logged.get_change_message()
    assert "Role" not in logged.get_change_message()


def test_linking_an_account_to_a_member_of_staff_waits_for_approval(administrator, people):
    """A reviewer, practitioner or manager sees the reviews of the member of staff they are."""
    outsider = people["outsider"]
    worker = StaffMember.objects.get(name="PA")  # the social worker on C1002 and others
    page = change_in_admin(administrator, outsider, staff_member=worker.pk)
    assert WAITING_MESSAGE in page
    outsider.refresh_from_db()
    assert outsider.staff_member.name == "Nobody On Any Review"
    assert not reviews_visible_to(outsider).exists()


def test_setting_the_qa_leads_password_waits_and_keeps_only_a_hash(administrator, people):
    qa = people["qa_lead"]
    response = set_password_in_admin(administrator, qa)
    assert WAITING_MESSAGE in response.content.decode()
    qa.refresh_from_db()
    assert qa.check_password(PASSWORD)
    assert not qa.check_password(NEW_PASSWORD)
    change = waiting().get(account=qa)
    assert change.sets_password
    assert check_password(NEW_PASSWORD, change.new_password_hash)
    # Nowhere in the database, the request's history or the audit trail is the password itself.
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (our own table names)
            assert NEW_PASSWORD not in str(cursor.fetchall()), table
    history = change.history.values()
    assert all("new_password_hash" not in row for row in history)


def test_resetting_the_qa_leads_two_factor_keeps_their_devices_until_approved(
    administrator, people
):
    qa = people["qa_lead"]
    with_authenticator(qa)
    page = reset_two_factor_in_admin(administrator, qa).content.decode()
    assert WAITING_MESSAGE in page
    assert TOTPDevice.objects.filter(user=qa, name="Phone").exists()
    assert StaticDevice.objects.filter(user=qa).exists()
    assert waiting().get(account=qa).reset_two_factor


def test_changing_the_qa_leads_email_address_waits_for_approval(administrator, people):
    """Email is where the service writes to a person (and where any password reset would go)."""
    qa = people["qa_lead"]
    page = change_in_admin(administrator, qa, email="attacker@example.com")
    assert WAITING_MESSAGE in page
    qa.refresh_from_db()
    assert qa.email == "qa.lead@council.example"
    change = waiting().get(account=qa)
    assert (change.email_from, change.email_to) == (
        "qa.lead@council.example",
        "attacker@example.com",
    )


def test_an_administrator_cannot_make_anyone_a_superuser_or_staff(administrator, people):
    reviewer = people["reviewer_internal"]
    change_in_admin(
        administrator, reviewer, is_superuser="on", is_staff="on", groups="", user_permissions=""
    )
    reviewer.refresh_from_db()
    assert not reviewer.is_superuser
    assert not reviewer.is_staff
    page = administrator.get(reverse("admin:accounts_user_change", args=[reviewer.pk]))
    page = page.content.decode()
    assert 'name="is_superuser"' not in page and 'name="is_staff"' not in page


def test_taking_access_away_happens_at_once(administrator, people):
    """Lowering a role or unlinking a member of staff needs nobody's approval."""
    qa, manager = people["qa_lead"], people["manager"]
    change_in_admin(administrator, qa, role=Role.ADMIN)
    change_in_admin(administrator, manager, staff_member="")
    qa.refresh_from_db()
    manager.refresh_from_db()
    assert (qa.role, manager.staff_member) == (Role.ADMIN, None)
    assert not waiting().exists()


def test_an_administrators_own_password_and_email_are_theirs_to_change(administrator, people):
    me = people["admin"]
    change_in_admin(administrator, me, email="me@council.example")
    set_password_in_admin(administrator, me, password="my own new passphrase 42")
    me.refresh_from_db()
    assert me.email == "me@council.example"
    assert me.check_password("my own new passphrase 42")
    assert not waiting().exists()


# Deciding ------------------------------------------------------------------------------------


def test_the_qa_lead_approves_and_the_change_is_applied_audited_and_emailed(
    administrator, qa_lead, people, django_capture_on_commit_callbacks
):
    reviewer = people["reviewer_independent"]
    with_authenticator(reviewer)
    change_in_admin(administrator, reviewer, role=Role.SENIOR_LEADER, email="indy@council.example")
    set_password_in_admin(administrator, reviewer)
    reset_two_factor_in_admin(administrator, reviewer)
    assert waiting().filter(account=reviewer).count() == 3
    mail.outbox.clear()

    page = qa_lead.get(reverse("account_approvals")).content.decode()
    assert "reviewer.independent" in page and "Senior leader" in page
    assert NEW_PASSWORD not in page and "md5$" not in page
    for change in waiting().filter(account=reviewer):
        with django_capture_on_commit_callbacks(execute=True):
            response = approve(qa_lead, change)
        assert response.status_code == 200
        assert "Change approved" in response.content.decode()

    reviewer.refresh_from_db()
    assert reviewer.role == Role.SENIOR_LEADER
    assert reviewer.email == "indy@council.example"
    assert reviewer.check_password(NEW_PASSWORD)
    assert not TOTPDevice.objects.filter(user=reviewer).exists()
    assert not StaticDevice.objects.filter(user=reviewer).exists()
    decided = AccountChangeRequest.objects.filter(account=reviewer)
    assert {c.status for c in decided} == {AccountChangeStatus.APPROVED}
    assert {c.decided_by for c in decided} == {people["qa_lead"]}
    assert all(c.new_password_hash == "" for c in decided)  # not kept once used

    events = AuditEvent.objects.filter(details__event="account_change_approved")
    assert events.count() == 3
    for event in events:
        assert (event.actor, event.target_type, event.target_id) == (
            people["qa_lead"],
            "user",
            str(reviewer.pk),
        )
        assert event.details["asked_by"] == "admin"
    role_event = AuditEvent.objects.get(
        action=AuditEvent.Action.CHANGED, target_type="user", changes__has_key="role"
    )
    assert role_event.changes["role"] == {"before": "reviewer", "after": "senior_leader"}
    assert role_event.actor == people["qa_lead"]
    reset = AuditEvent.objects.get(details__event="reset")
    assert reset.actor == people["qa_lead"]

    told = [address for message in mail.outbox for address in message.to]
    assert "indy@council.example" in told  # the person, at the new address ...
    assert "reviewer.independent@council.example" in told  # ... and the old one
    assert "admin@council.example" in told  # the administrator who asked
    assert all(NEW_PASSWORD not in message.body for message in mail.outbox)


def test_a_change_is_applied_only_once_approved_then_signing_in_with_it_works(
    administrator, qa_lead, people
):
    reviewer = people["reviewer_internal"]
    set_password_in_admin(administrator, reviewer)
    client = TwoFactorClient()
    assert not client.login(username=reviewer.username, password=NEW_PASSWORD)
    approve(qa_lead, waiting().get(account=reviewer))
    assert client.login(username=reviewer.username, password=NEW_PASSWORD)


def test_declining_needs_a_reason_and_applies_nothing(
    administrator, qa_lead, people, django_capture_on_commit_callbacks
):
    qa = people["qa_lead"]
    reviewer = people["reviewer_independent"]
    change_in_admin(administrator, reviewer, role=Role.QA_LEAD)
    change = waiting().get(account=reviewer)
    mail.outbox.clear()

    response = decline(qa_lead, change, reason="")
    page = response.content.decode()
    assert "Enter why you are declining the change" in page
    assert "govuk-error-summary" in page
    change.refresh_from_db()
    assert change.status == AccountChangeStatus.WAITING

    with django_capture_on_commit_callbacks(execute=True):
        response = decline(qa_lead, change, reason="No new QA lead has been appointed.")
    assert "Change declined" in response.content.decode()
    change.refresh_from_db()
    reviewer.refresh_from_db()
    assert (change.status, change.decided_by, change.decision_reason) == (
        AccountChangeStatus.DECLINED,
        qa,
        "No new QA lead has been appointed.",
    )
    assert reviewer.role == Role.REVIEWER
    event = AuditEvent.objects.get(details__event="account_change_declined")
    assert (event.actor, event.target_id) == (qa, str(reviewer.pk))
    told = [address for message in mail.outbox for address in message.to]
    assert set(told) == {"reviewer.independent@council.example", "admin@council.example"}
    assert any("No new QA lead has been appointed." in m.body for m in mail.outbox)


def test_the_approvers_are_emailed_when_a_change_waits(
    administrator, people, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        change_in_admin(administrator, people["manager"], role=Role.SENIOR_LEADER)
    told = [address for message in mail.outbox for address in message.to]
    assert told == ["qa.lead@council.example"]
    assert reverse("account_approvals") in mail.outbox[0].body


def test_an_administrator_cannot_approve_their_own_request(administrator, people):
    change_in_admin(administrator, people["manager"], role=Role.SENIOR_LEADER)
    change = waiting().get()
    assert administrator.get(reverse("account_approvals")).status_code == 404
    assert approve(administrator, change).status_code == 404
    # Nor can a superuser who asked: someone else must decide.
    boss = people["senior_leader"]
    boss.is_superuser = boss.is_staff = True
    boss.save()
    superuser = signed_in(boss)
    change_in_admin(superuser, people["practitioner"], role=Role.QA_LEAD)
    theirs = waiting().get(requested_by=boss)
    assert approve(superuser, theirs).status_code == 404
    assert theirs.account.role == Role.PRACTITIONER
    assert approve(superuser, change).status_code == 200  # another's request: yes
    change.refresh_from_db()
    assert change.status == AccountChangeStatus.APPROVED


def test_nobody_decides_a_change_to_their_own_account(administrator, qa_lead, people):
    qa = people["qa_lead"]
    with_authenticator(qa)
    reset_two_factor_in_admin(administrator, qa)
    change = waiting().get(account=qa)
    page = qa_lead.get(reverse("account_approvals")).content.decode()
    assert "someone else must decide" in page
    assert approve(qa_lead, change).status_code == 404
    assert TOTPDevice.objects.filter(user=qa, name="Phone").exists()


@pytest.mark.parametrize("person", ["reviewer_independent", "practitioner", "manager", "admin"])
def test_only_qa_leads_and_superusers_reach_the_approvals_page(administrator, people, person):
    change_in_admin(administrator, people["outsider"], role=Role.QA_LEAD)
    change = waiting().get()
    browser = signed_in(people[person])
    assert browser.get(reverse("account_approvals")).status_code == 404
    assert browser.get(reverse("account_approval", args=[change.pk])).status_code == 404
    assert approve(browser, change).status_code == 404
    assert "Account approvals" not in browser.get(reverse("home")).content.decode()


def test_the_qa_lead_finds_the_approvals_page_in_the_navigation(qa_lead):
    page = qa_lead.get(reverse("home")).content.decode()
    assert f'href="{reverse("account_approvals")}"' in page
    assert "Account approvals" in page


def test_a_request_lapses_after_seven_days(administrator, qa_lead, people):
    change_in_admin(administrator, people["manager"], role=Role.SENIOR_LEADER)
    change = waiting().get()
    AccountChangeRequest.objects.filter(pk=change.pk).update(
        requested_at=timezone.now() - datetime.timedelta(days=7, minutes=1)
    )
    page = qa_lead.get(reverse("account_approvals")).content.decode()
    assert reverse("account_approval", args=[change.pk]) not in page
    assert approve(qa_lead, change).status_code == 404
    # The next request filed marks it expired.
    change_in_admin(administrator, people["practitioner"], role=Role.QA_LEAD)
    change.refresh_from_db()
    assert change.status == AccountChangeStatus.EXPIRED
    people["manager"].refresh_from_db()
    assert people["manager"].role == Role.MANAGER


def test_an_approval_is_refused_when_the_account_changed_since_it_was_asked_for(
    administrator, qa_lead, people
):
    manager = people["manager"]
    change_in_admin(administrator, manager, role=Role.SENIOR_LEADER)
    change_in_admin(administrator, manager, role=Role.ADMIN)  # taken away meanwhile, at once
    change = waiting().get()
    page = approve(qa_lead, change).content.decode()
    assert "The account has changed since this was asked for" in page
    manager.refresh_from_db()
    change.refresh_from_db()
    assert (manager.role, change.status) == (Role.ADMIN, AccountChangeStatus.WAITING)
