"""Retention purge, legal hold and subject access (docs/spec/quality.md#data-protection,
"Reliability: nothing lost": "retention purge with a legal hold; subject access export for one
child -> only expired, unheld data removed; the export is complete").

The seed reviews are dated July 2024 to February 2025. With a 6-year retention and "today" on
1 January 2031, reviews dated before 1 January 2025 have expired and later ones have not.
"""

import io
import json
import zipfile
from datetime import date

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import CommandError, call_command
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from practice_review.alerts.models import Alert
from practice_review.audit.events import record
from practice_review.audit.models import AuditEvent
from practice_review.core import personal_data
from practice_review.core.history import save_as
from practice_review.data_protection.purge import finding_topics_history, purge_expired
from practice_review.data_protection.subject_access import collect, files_described
from practice_review.moderation.models import AgendaReview, Meeting
from practice_review.reports.actions import create_report, publish, published_file
from practice_review.reports.checks import problems_digest
from practice_review.reports.drafts import Draft
from practice_review.reports.figures import cohort_figures
from practice_review.reports.models import PublishedFile, PublishedReport
from practice_review.reviews.actions import create_cohort
from practice_review.reviews.answers import standard, with_grades, with_standard_values
from practice_review.reviews.models import (
    Child,
    Cohort,
    Conversation,
    LearningTopic,
    Review,
    ReviewEvent,
    ReviewResponse,
    ThemeFinding,
)
from practice_review.sampling.models import CaseloadEntry, CaseloadExtract, CohortDraw
from practice_review.tracker.models import ImpactCheck, Recommendation, RecommendationUpdate
from tests.conftest import PASSWORD

TODAY = date(2031, 1, 1)  # cutoff 1 January 2025 with 6 years
SECRET = "Zanzibar-words-about-the-child"


@pytest.fixture(autouse=True)
def six_years(settings):
    settings.RETENTION_YEARS = 6


def enrich(review, by, tag):
    """Give a review one of every kind of record, each with free text and a history."""
    review.answers = with_standard_values(
        with_grades(review.answers, {"practice": {"rationale": f"{SECRET} {tag} rationale"}}),
        ["basic_details"],
        {"basic_details_comment": f"{SECRET} {tag} comment"},
    )
    review.moderation_reason = f"{SECRET} {tag} moderation"
    save_as(review, by)
    finding = ThemeFinding.objects.filter(review=review).first() or ThemeFinding(
        review=review, theme="journey"
    )
    finding.strengths = f"{SECRET} {tag} strength"
    save_as(finding, by)
    topic, _ = LearningTopic.objects.get_or_create(name="Chronology")
    finding.topics.add(topic)
    save_as(
        Conversation(
            review=review,
            held_with="child_or_family",
            held_on=review.review_date,
            method="phone",
            their_words=f"{SECRET} {tag} words",
        ),
        by,
    )
    ReviewEvent.objects.create(
        review=review, from_status="final", to_status="final", by=by, reason=f"{SECRET} {tag}"
    )
    save_as(ReviewResponse(review=review, by=by, text=f"{SECRET} {tag} response"), by)
    save_as(
        Alert(review=review, concern=f"{SECRET} {tag} concern", severity="low", raised_by=by), by
    )
    recommendation = save_as(
        Recommendation(
            level="child", review=review, theme="journey", action=f"{SECRET} {tag} action",
            created_by=by, status="completed",
        ),
        by,
    )  # fmt: skip
    RecommendationUpdate.objects.create(
        recommendation=recommendation, text=f"{SECRET} {tag} update", by=by
    )
    save_as(
        ImpactCheck(
            recommendation=recommendation, completed_at=timezone.now(), due_on=TODAY,
            evidence=f"{SECRET} {tag} evidence",
        ),
        by,
    )  # fmt: skip
    meeting = Meeting.objects.first() or save_as(
        Meeting(held_on=date(2025, 3, 1), attendees="The panel", created_by=by), by
    )
    save_as(AgendaReview(meeting=meeting, review=review, reason=f"{SECRET} {tag} decision"), by)


def expired_reviews():
    return Review.objects.filter(review_date__lt=date(2025, 1, 1)).order_by("id")


def kept_reviews():
    return Review.objects.filter(review_date__gte=date(2025, 1, 1)).order_by("id")


@pytest.fixture
def world(cast, actor):
    """One expired child to purge, one expired child on legal hold, one child not expired."""
    expired = list(expired_reviews().select_related("child"))
    purged_child = expired[0].child
    held_child = next(r.child for r in expired if r.child_id != purged_child.pk)
    held_child.legal_hold = True
    held_child.legal_hold_reason = "Claim reference LIT-1"
    save_as(held_child, actor)
    unexpired_child = kept_reviews().first().child
    for tag, child in [("purged", purged_child), ("held", held_child), ("kept", unexpired_child)]:
        for review in Review.objects.filter(child=child):
            enrich(review, actor, tag)
    return {"purged": purged_child, "held": held_child, "kept": unexpired_child}


def snapshot(reviews):
    """Every row and historical row belonging to these reviews, as plain data."""
    ids = list(reviews.values_list("id", flat=True))
    child_ids = list(reviews.values_list("child", flat=True))
    recommendation_ids = Recommendation.objects.filter(review__in=ids).values("id")
    finding_ids = ThemeFinding.objects.filter(review__in=ids).values("id")
    sets = [
        Child.objects.filter(id__in=child_ids),
        Child.history.filter(id__in=child_ids),
        Review.objects.filter(id__in=ids),
        Review.history.filter(id__in=ids),
        finding_topics_history().objects.filter(history__id__in=finding_ids),
    ]
    for model in [ThemeFinding, Conversation, ReviewResponse, Alert, AgendaReview]:
        sets += [model.objects.filter(review__in=ids), model.history.filter(review__in=ids)]
    sets += [
        ReviewEvent.objects.filter(review__in=ids),
        Recommendation.objects.filter(id__in=recommendation_ids),
        Recommendation.history.filter(id__in=recommendation_ids),
        RecommendationUpdate.objects.filter(recommendation__in=recommendation_ids),
        ImpactCheck.objects.filter(recommendation__in=recommendation_ids),
        ImpactCheck.history.filter(recommendation__in=recommendation_ids),
    ]
    return [serializers.serialize("json", rows.order_by("pk")) for rows in sets]


def publish_everything(by):
    report = create_report(by=by, title="All reviews", cohorts=list(Cohort.objects.all()))
    draft = Draft(report, Review.objects.all())
    return publish(
        by=by,
        report=report,
        reviews=Review.objects.all(),
        version=report.version,
        seen_problems=problems_digest(draft.problems),
        override_reason="Test" if draft.problems else "",
    )


def test_purge_removes_only_expired_unheld_personal_data_and_its_history(world, actor):
    """docs/spec/quality.md#retention: retention purge with a legal hold -> only expired, unheld
    data removed."""
    purged, held, kept = world["purged"], world["held"], world["kept"]
    untouched_before = snapshot(Review.objects.filter(child__in=[held, kept]))
    unexpired_before = snapshot(kept_reviews())
    purged_ids = list(
        expired_reviews().exclude(child=held).filter(status="final").values_list("id", flat=True)
    )
    assert purged.reviews.exists()
    before = {r.pk: standard(r.answers, "basic_details")["result"] for r in Review.objects.all()}
    result = purge_expired(by=actor, today=TODAY)

    assert sorted(result.review_ids) == sorted(purged_ids)
    # Held and unexpired children: every row and historical row byte for byte the same.
    assert snapshot(Review.objects.filter(child__in=[held, kept])) == untouched_before
    assert snapshot(kept_reviews()) == unexpired_before
    # The purged child: identifiers gone, the row kept (figures count distinct children).
    purged.refresh_from_db()
    assert (purged.case_ref, purged.date_of_birth, purged.initials) == (None, None, "Removed")
    assert purged.anonymised_at is not None
    for review in Review.objects.filter(id__in=purged_ids):
        assert review.purged_at is not None
        assert review.grade("practice", "rationale") == ""
        assert standard(review.answers, "basic_details")["comment"] == ""
        # What the figures count stays: every standard's result.
        assert standard(review.answers, "basic_details")["result"] == before[review.pk]
        assert review.moderation_reason == review.age_as_written == ""
        assert review.grade("practice") and review.legal_status and review.gender
    for model, field in [
        (ThemeFinding, "strengths"), (Conversation, "their_words"), (ReviewEvent, "reason"),
        (ReviewResponse, "text"), (Alert, "concern"), (Recommendation, "action"),
        (AgendaReview, "reason"),
    ]:  # fmt: skip
        assert not model.objects.filter(review__in=purged_ids).exclude(**{field: ""}).exists()
        assert model.objects.filter(review__in=purged_ids).exists()  # kept: the figures count
    assert not RecommendationUpdate.objects.filter(recommendation__review__in=purged_ids).exclude(
        text=""
    )
    assert not ImpactCheck.objects.filter(recommendation__review__in=purged_ids).exclude(
        evidence=""
    )
    assert ThemeFinding.objects.filter(review__in=purged_ids, topics__isnull=False).exists()
    # Every historical copy of the purged rows is gone.
    assert not Review.history.filter(id__in=purged_ids).exists()
    assert not Child.history.filter(id=purged.pk).exists()
    for model in [ThemeFinding, Conversation, ReviewResponse, Alert, AgendaReview]:
        assert not model.history.filter(review__in=purged_ids).exists()
    assert not Recommendation.history.filter(review__in=purged_ids).exists()
    assert not ImpactCheck.history.filter(recommendation__review__in=purged_ids).exists()

    # The secret words survive only for the held and unexpired children.
    def reasons(reviews):
        return [review.grade("practice", "rationale") for review in reviews]

    assert not any(SECRET in text for text in reasons(Review.objects.filter(id__in=purged_ids)))
    assert any("held" in text for text in reasons(Review.objects.filter(child=held)))


def test_a_child_with_a_review_still_kept_is_not_anonymised(world, actor):
    """docs/spec/quality.md#retention: retention purge -> only expired data removed (the child row
    stays whole while any of their reviews is kept)."""
    expired = expired_reviews().exclude(child=world["held"]).first()
    later = kept_reviews().exclude(child=world["held"]).first()
    later.child = expired.child
    later.save()
    before = serializers.serialize("json", Child.objects.filter(pk=expired.child_id))
    purge_expired(by=actor, today=TODAY)
    child = Child.objects.get(pk=expired.child_id)
    assert child.anonymised_at is None and child.initials != "Removed"
    assert Review.objects.get(pk=expired.pk).purged_at is not None
    assert Child.history.filter(id=child.pk).exists()
    assert serializers.serialize("json", Child.objects.filter(pk=child.pk)) == before


def test_unfinished_expired_reviews_are_kept_and_reported(world, actor):
    """docs/spec/quality.md#retention: retention purge -> only final reviews are purged; loose ends
    are counted."""
    review = expired_reviews().exclude(child=world["held"]).first()
    Review.objects.filter(pk=review.pk).update(status="in_progress")
    result = purge_expired(by=actor, today=TODAY)
    assert review.pk not in result.review_ids
    assert result.kept["not final"] == 1
    assert Review.objects.get(pk=review.pk).grade("practice", "rationale").startswith(SECRET)


def test_cohort_and_published_figures_are_unchanged_by_the_purge(world, actor):
    """docs/spec/quality.md#retention: retention purge -> published reports keep their figures;
    cohort figures computed afterwards are identical."""
    version = publish_everything(actor)
    files = [published_file(version, "internal", "html").content]
    before = {cohort.pk: cohort_figures(cohort) for cohort in Cohort.objects.all()}
    frozen = PublishedReport.objects.values("figures", "documents", "narrative").get()
    purge_expired(by=actor, today=TODAY)
    after = {cohort.pk: cohort_figures(cohort) for cohort in Cohort.objects.all()}
    assert after == before
    assert PublishedReport.objects.values("figures", "documents", "narrative").get() == frozen
    assert [bytes(f.content) for f in PublishedFile.objects.all()] == [bytes(f) for f in files]


def test_purge_is_idempotent_and_audited_with_counts_only(world, actor, capsys):
    """docs/spec/quality.md#retention: retention purge -> running it again removes nothing more; one
    audit event."""
    first = purge_expired(by=actor, today=TODAY)
    assert first.review_ids
    after_first = snapshot(Review.objects.all())
    second = purge_expired(by=actor, today=TODAY)
    assert second.review_ids == [] and second.child_ids == []
    assert snapshot(Review.objects.all()) == after_first
    events = AuditEvent.objects.filter(action="purged").order_by("id")
    assert events.count() == 2
    details = events.first().details
    assert details["reviews"] == len(first.review_ids)
    assert details["rows"]["conversations"] == first.counts["conversations"] > 0
    assert SECRET not in json.dumps(details)
    assert world["purged"].initials not in " ".join(first.summary_lines())


def test_dry_run_changes_nothing_and_says_what_would_go(world, actor, capsys, settings):
    """docs/spec/quality.md#retention: retention purge -> a dry run removes nothing."""
    before = snapshot(Review.objects.all())
    events = AuditEvent.objects.count()
    result = purge_expired(by=actor, today=TODAY, dry_run=True)
    assert result.review_ids
    assert snapshot(Review.objects.all()) == before
    assert AuditEvent.objects.count() == events
    real = purge_expired(by=actor, today=TODAY)
    assert real.review_ids == result.review_ids and real.counts == result.counts
    assert real.history_counts == result.history_counts


def test_purge_command_prints_counts_and_no_personal_data(world, actor, monkeypatch):
    """docs/spec/quality.md#retention: retention purge -> the command's summary holds counts, never
    names."""
    from practice_review.data_protection import purge

    monkeypatch.setattr(purge.timezone, "localdate", lambda: TODAY)
    out = io.StringIO()
    call_command("purge_expired", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "Would purge" in text and "Review ids:" in text
    assert not Review.objects.filter(purged_at__isnull=False).exists()
    out = io.StringIO()
    call_command("purge_expired", stdout=out)
    assert "Purged" in out.getvalue()
    assert SECRET not in out.getvalue() and world["purged"].case_ref not in out.getvalue()
    assert Review.objects.filter(purged_at__isnull=False).exists()
    with pytest.raises(CommandError):
        call_command("purge_expired", "--by", "nobody-at-all")


def test_the_purge_is_all_or_nothing(world, actor, monkeypatch):
    """docs/spec/quality.md#retention: retention purge -> a failure part way leaves every row as it
    was."""
    from practice_review.data_protection import purge

    before = snapshot(Review.objects.all())

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(purge, "record", fail)  # the last step of the transaction
    with pytest.raises(RuntimeError):
        purge_expired(by=actor, today=TODAY)
    assert snapshot(Review.objects.all()) == before


# -- Subject access ---------------------------------------------------------------------------


def open_zip(content):
    archive = zipfile.ZipFile(io.BytesIO(content))
    return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def test_subject_access_export_holds_everything_about_one_child_and_nobody_else(
    world, actor, tmp_path
):
    """docs/spec/quality.md#subject-access: subject access export for one child -> the export is
    complete."""
    child = world["held"]
    publish_everything(actor)
    path = tmp_path / "sar.zip"
    call_command("subject_access", child.case_ref, "--output", str(path))
    files = open_zip(path.read_bytes())
    data = {name: json.loads(text) for name, text in files.items() if name.endswith(".json")}
    assert "README.txt" in files and "reviews.json" in files["README.txt"]

    review_ids = set(Review.objects.filter(child=child).values_list("id", flat=True))
    recommendation_ids = set(
        Recommendation.objects.filter(review__in=review_ids).values_list("id", flat=True)
    )

    def pks(name):
        return {row["pk"] for row in data[name]}

    assert [row["pk"] for row in data["child.json"]] == [child.pk]
    assert data["child.json"][0]["fields"]["initials"] == child.initials
    assert pks("reviews.json") == review_ids
    expected = {
        "findings.json": ThemeFinding.objects.filter(review__in=review_ids),
        "conversations.json": Conversation.objects.filter(review__in=review_ids),
        "review_events.json": ReviewEvent.objects.filter(review__in=review_ids),
        "responses.json": ReviewResponse.objects.filter(review__in=review_ids),
        "alerts.json": Alert.objects.filter(review__in=review_ids),
        "recommendations.json": Recommendation.objects.filter(review__in=review_ids),
        "recommendation_updates.json": RecommendationUpdate.objects.filter(
            recommendation__in=recommendation_ids
        ),
        "impact_checks.json": ImpactCheck.objects.filter(recommendation__in=recommendation_ids),
        "moderation_decisions.json": AgendaReview.objects.filter(review__in=review_ids),
        "history/child.json": Child.history.filter(id=child.pk),
        "history/reviews.json": Review.history.filter(id__in=review_ids),
        "history/findings.json": ThemeFinding.history.filter(review__in=review_ids),
        "history/conversations.json": Conversation.history.filter(review__in=review_ids),
        "history/responses.json": ReviewResponse.history.filter(review__in=review_ids),
        "history/alerts.json": Alert.history.filter(review__in=review_ids),
        "history/recommendations.json": Recommendation.history.filter(review__in=review_ids),
        "history/impact_checks.json": ImpactCheck.history.filter(
            recommendation__in=recommendation_ids
        ),
        "history/moderation_decisions.json": AgendaReview.history.filter(review__in=review_ids),
    }
    for name, rows in expected.items():
        exported = {row["pk"] for row in data[name]}  # a historical row's pk is its history id
        assert exported == {row.pk for row in rows}, name
        assert exported, f"{name} is empty: the test world should give it rows"
    # Every field of a review is there, and the words.
    assert set(data["reviews.json"][0]["fields"]) >= {"answers", "practice_outcome_reason"}
    assert any("held comment" in json.dumps(row["fields"]["answers"])
               for row in data["reviews.json"])  # fmt: skip
    assert any("held words" in row["fields"]["their_words"] for row in data["conversations.json"])
    # The published report that counts the child's reviews.
    assert data["published_reports.json"][0]["reviews_in_the_report"]
    assert set(data["published_reports.json"][0]["reviews_in_the_report"]) <= review_ids
    # No other child's data: their ids, initials or words appear nowhere.
    everything = "\n".join(files.values())
    assert "purged words" not in everything and "kept words" not in everything
    others = Child.objects.exclude(pk=child.pk).exclude(case_ref=None)
    assert not [c.case_ref for c in others if f'"{c.case_ref}"' in everything]
    other_reviews = Review.objects.exclude(child=child).values_list("id", flat=True)
    assert not pks("reviews.json") & set(other_reviews)
    # The export is itself audited, with counts and no details.
    event = AuditEvent.objects.get(action="subject_access")
    assert (event.target_type, event.target_id) == ("child", str(child.pk))
    assert event.details["files"]["reviews.json"] == len(review_ids)


def test_subject_access_includes_the_audit_trail_of_the_childs_records(world, actor):
    """docs/spec/quality.md#subject-access: subject access export -> the audit events about the
    child's records."""
    child = world["kept"]
    review = Review.objects.filter(child=child).first()
    other = Review.objects.exclude(child=child).first()
    mine = record("viewed", by=actor, target=review)
    theirs = record("viewed", by=actor, target=other)
    exported = {row["pk"] for row in collect(child)["audit_events.json"]}
    assert mine.pk in exported and theirs.pk not in exported
    # Every event about the child's records, and only those (the saves made them too).
    conversation = Conversation.objects.filter(review__child=child).first()
    about = AuditEvent.objects.filter(
        Q(target_type="child", target_id=str(child.pk))
        | Q(target_type="review", target_id__in=[str(r.pk) for r in child.reviews.all()])
        | Q(target_type="conversation", target_id=str(conversation.pk))
    )
    assert set(about.values_list("pk", flat=True)) <= exported
    assert about.count() > 2
    others = AuditEvent.objects.filter(target_type="review", target_id=str(other.pk))
    assert not set(others.values_list("pk", flat=True)) & exported


def test_subject_access_of_an_unknown_case_reference_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="No child has that case reference"):
        call_command("subject_access", "NOPE", "--output", str(tmp_path / "x.zip"))
    assert not (tmp_path / "x.zip").exists()


# -- Pages ------------------------------------------------------------------------------------


def signed_in(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_the_qa_lead_finds_a_child_places_a_hold_and_downloads_the_export(client, cast):
    """docs/spec/quality.md#data-protection: legal hold set from the child's page, audited; export
    downloadable."""
    signed_in(client, cast["qa_lead"])
    child = Review.objects.first().child
    response = client.get(reverse("child_search"), {"case_ref": f" {child.case_ref} "})
    assert response.status_code == 302 and response.url == reverse("child_detail", args=[child.pk])
    page = client.get(response.url).content.decode()
    assert "Download everything we hold about this child" in page
    missing = client.get(reverse("child_search"), {"case_ref": "NOPE"}).content.decode()
    assert "No child has that case reference" in missing and "govuk-error-summary" in missing

    url = reverse("child_legal_hold", args=[child.pk])
    refused = client.post(url, {"hold": "on", "reason": ""})
    assert refused.status_code == 200 and "Enter why the records must be kept" in (
        refused.content.decode()
    )
    assert client.post(url, {"hold": "on", "reason": "Claim LIT-9"}).status_code == 302
    child.refresh_from_db()
    assert child.legal_hold and child.legal_hold_set_by == cast["qa_lead"]
    event = AuditEvent.objects.get(action="changed", target_type="child")
    assert event.changes == {"legal_hold": {"before": False, "after": True}}
    assert "LIT-9" not in json.dumps(event.details) + json.dumps(event.changes)
    assert client.post(url, {"hold": "off", "reason": "Claim settled"}).status_code == 302
    child.refresh_from_db()
    assert not child.legal_hold

    download = client.post(reverse("child_subject_access", args=[child.pk]))
    assert download["Content-Type"] == "application/zip"
    assert child.initials not in download["Content-Disposition"]
    assert "child.json" in open_zip(download.content)
    assert AuditEvent.objects.filter(action="subject_access", actor=cast["qa_lead"]).count() == 1
    # A GET never sets off an audited download.
    assert client.get(reverse("child_subject_access", args=[child.pk])).status_code == 302


@pytest.mark.parametrize(
    "role",
    ["reviewer_independent", "reviewer_internal", "practitioner", "manager", "senior_leader",
     "admin", "outsider"],
)  # fmt: skip
def test_only_the_qa_lead_reaches_the_data_protection_pages(client, cast, role):
    """docs/spec/quality.md#data-protection: retention and subject access -> everyone else gets a
    404."""
    signed_in(client, cast[role])
    child = Review.objects.first().child
    urls = [
        reverse("child_search") + f"?case_ref={child.case_ref}",
        reverse("child_detail", args=[child.pk]),
        reverse("child_legal_hold", args=[child.pk]),
        reverse("child_subject_access", args=[child.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
        # A page that takes no POST refuses one with 405 whoever asks (the audit middleware
        # decides by the URL alone, so it says nothing about the child); the rest are 404.
        assert client.post(url, {"hold": "on", "reason": "x"}).status_code in (404, 405), url
    child.refresh_from_db()
    assert not child.legal_hold
    assert not AuditEvent.objects.filter(action="subject_access").exists()


def test_a_child_out_of_range_is_a_404_for_the_qa_lead(client, cast):
    signed_in(client, cast["qa_lead"])
    missing = Child.objects.order_by("-pk").first().pk + 1
    assert client.get(reverse("child_detail", args=[missing])).status_code == 404


def test_the_child_page_says_when_each_review_may_be_purged(client, cast, settings):
    signed_in(client, cast["qa_lead"])
    review = Review.objects.first()
    page = client.get(reverse("child_detail", args=[review.child_id])).content.decode()
    kept = review.review_date.replace(year=review.review_date.year + 6)
    assert f"{kept.day} {kept:%B %Y}" in page


def test_a_large_purge_in_batches_does_exactly_what_one_batch_does(world, actor, monkeypatch):
    """docs/spec/quality.md#retention: retention purge -> batching (for databases' parameter limits)
    loses nothing."""
    from practice_review.data_protection import purge

    whole = purge_expired(by=actor, today=TODAY, dry_run=True)
    monkeypatch.setattr(purge, "CHUNK", 2)
    batched = purge_expired(by=actor, today=TODAY)
    assert batched.review_ids == whole.review_ids and batched.child_ids == whole.child_ids
    assert batched.counts == whole.counts and batched.history_counts == whole.history_counts
    assert not Review.history.filter(id__in=whole.review_ids).exists()
    assert not Child.objects.filter(id__in=whole.child_ids, anonymised_at__isnull=True).exists()


# ----------------------------------------------------------- one list of personal data
# core/personal_data.py, walked over every model: a new record or a new free-text field about a
# child is registered, survives neither the purge nor into the audit trail (test_audit_rules.py),
# and reaches the subject access export.

OURS = {"core", "audit", "accounts", "reviews", "alerts", "tracker", "moderation", "reports",
        "data_protection", "site", "sampling"}  # fmt: skip


def our_models(with_history=False):
    for model in apps.get_models():
        is_history = hasattr(model, "instance_type")  # simple-history's copy of a record
        if model._meta.app_label in OURS and (with_history or not is_history):
            yield model


def reaches_a_child(model, seen=()):
    """Does a chain of foreign keys lead from `model` to a child or a review?"""
    if model in (Child, Review):
        return True
    for field in model._meta.concrete_fields:
        target = field.related_model if field.many_to_one or field.one_to_one else None
        if (
            target is not None
            and target not in (*seen, model)
            and reaches_a_child(target, (*seen, model))
        ):
            return True
    return False


def text_fields(model):
    """Fields that can hold words: text without a fixed list of choices, and JSON."""
    return {
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, (models.CharField, models.TextField, models.JSONField))
        and not field.choices
    }


def test_every_record_that_reaches_a_child_is_registered_as_personal_data():
    about_a_child = {model for model in our_models() if reaches_a_child(model)}
    registered = {entry.model for entry in personal_data.records()}
    assert about_a_child - registered == set()
    assert {Child, Review, Alert, Recommendation, AgendaReview} <= registered


def test_every_text_field_of_a_record_about_a_child_is_classified():
    """A new CharField, TextField or JSONField on a record about a child fails here until its
    app says what it is: words (the purge clears them), identifying, or not personal."""
    unclassified = []
    for registered in personal_data.records():
        known = (registered.words | registered.identifying | registered.not_personal
                 | set(registered.documents))  # fmt: skip
        for name in known:
            registered.model._meta.get_field(name)  # each registered name is a real field
        model = registered.model
        unclassified += [f"{model.__name__}.{name}" for name in text_fields(model) - known]
    assert unclassified == []


def test_each_registered_record_is_a_file_of_the_subject_access_export(world):
    names = [entry.name for entry in personal_data.records()]
    assert len(names) == len(set(names))
    files = collect(world["purged"])
    assert {f"{name}.json" for name in names} <= set(files)
    assert {f"{name}.json" for name in names} <= set(files_described())


def rows_of(registered, review_ids, child_ids):
    if registered.reaches_review is None:
        return registered.model.objects.filter(id__in=child_ids)
    if registered.reaches_review == "":
        return registered.model.objects.filter(id__in=review_ids)
    return registered.model.objects.filter(**{f"{registered.reaches_review}__in": review_ids})


def mark_every_text_field_the_purge_clears(child, marker):
    """`marker` in every text field the purge must clear, on every registered row about the
    child, saved as the app would save it (so its history holds the words too)."""
    review_ids = list(Review.objects.filter(child=child).values_list("id", flat=True))
    marked = 0
    for registered in personal_data.records():
        fields = registered.cleared_by_purge & text_fields(registered.model)
        fields -= {f.name for f in registered.model._meta.concrete_fields if f.unique}
        for row in rows_of(registered, review_ids, [child.pk]) if fields else []:
            for name in fields:
                # Cut to the column's length (PostgreSQL refuses longer), the marker kept whole.
                length = row._meta.get_field(name).max_length
                setattr(row, name, f"{marker} {name}"[:length])
            # Queryset update: the tracker's append-only rows refuse save(); history copies
            # of the words already exist from enrich().
            type(row).objects.filter(pk=row.pk).update(**{n: getattr(row, n) for n in fields})
            marked += 1
    return marked


def every_row_holding(text):
    """'Model.field' for each row of every model of ours, live or historical, holding `text`."""
    found = []
    for model in our_models(with_history=True):
        for name in text_fields(model):
            for value in model.objects.values_list(name, flat=True):
                if value is not None and text in str(value):
                    found.append(f"{model.__name__}.{name}")
    return found


def test_no_word_about_a_purged_child_survives_in_any_table(world, actor):
    purged_marker, kept_marker = "Quetzal-purged", "Quetzal-kept"
    assert mark_every_text_field_the_purge_clears(world["purged"], purged_marker) >= 11
    assert mark_every_text_field_the_purge_clears(world["kept"], kept_marker) >= 11
    before = every_row_holding(purged_marker)
    assert len(set(before)) >= 15  # the scan finds the marker where it was put

    purge_expired(by=actor, today=TODAY)

    assert every_row_holding(purged_marker) == []
    assert every_row_holding(f"{SECRET} purged") == []  # the history's copies too
    assert sorted(set(every_row_holding(kept_marker))) == sorted(set(before))


def test_the_purge_takes_a_purged_childs_reference_out_of_every_draw(world, actor):
    """docs/sampling.md#drawing-a-cohort: a draw lists the case references it drew and left
    out; once the retention purge anonymises a child, no draw (nor its history) keeps theirs,
    and every other child's stays."""
    purged, kept = world["purged"], world["kept"]
    extract = CaseloadExtract.objects.create(file_name="open.csv", sha256="0" * 64, rows=2,
                                             imported_by=actor)  # fmt: skip
    cohort = create_cohort(by=actor, name="Drawn", period_start=None, period_end=None,
                           selected_by="QA", selection_reason="mixed")  # fmt: skip
    result = {"strata": {}, "sample": [{"case_ref": purged.case_ref, "stratum": "x", "reason": ""}],
              "excluded": [{"case_ref": kept.case_ref, "reason": "reviewed"}]}  # fmt: skip
    draw = save_as(CohortDraw(cohort=cohort, extract=extract, seed=1, as_of=TODAY, rules={},
                              result=result, drawn_by=actor), actor)  # fmt: skip
    purge_expired(by=actor, today=TODAY)
    draw.refresh_from_db()
    assert draw.result["sample"][0]["case_ref"] == "(removed)"
    assert draw.result["excluded"][0]["case_ref"] == kept.case_ref
    assert all(row.result["sample"][0]["case_ref"] == "(removed)" for row in draw.history.all())


def test_caseload_extract_entries_expire_with_their_extract_and_their_child_with_them(world, actor):
    """docs/data-protection.md: an extract's entries are purged once it was imported before the
    cutoff and is no longer the current one; a child known only from such entries is anonymised;
    the current extract, and a child on a legal hold, are kept."""
    never_reviewed = Child.objects.create(case_ref="X1", initials="NR", gender="female")
    held = Child.objects.create(case_ref="X2", initials="HD", gender="male", legal_hold=True)
    open_now = Child.objects.create(case_ref="X3", initials="ON", gender="male")
    old = CaseloadExtract.objects.create(file_name="2024.csv", sha256="1" * 64, rows=4,
                                         imported_by=actor)  # fmt: skip
    CaseloadExtract.objects.filter(pk=old.pk).update(
        imported_at=timezone.make_aware(timezone.datetime(2024, 6, 1))
    )
    for child in (never_reviewed, held, open_now, world["kept"]):
        CaseloadEntry.objects.create(extract=old, child=child, legal_status="child_in_need")
    current = CaseloadExtract.objects.create(file_name="now.csv", sha256="2" * 64, rows=1,
                                             imported_by=actor)  # fmt: skip
    kept_entry = CaseloadEntry.objects.create(extract=current, child=open_now,
                                              legal_status="looked_after")  # fmt: skip

    result = purge_expired(by=actor, today=TODAY)

    assert list(CaseloadEntry.objects.filter(extract=old).values_list("child", flat=True)) == [
        held.pk
    ]
    assert CaseloadEntry.objects.filter(pk=kept_entry.pk).exists()
    never_reviewed.refresh_from_db()
    assert (never_reviewed.case_ref, never_reviewed.initials) == (None, "Removed")
    for child in (held, open_now, world["kept"]):
        child.refresh_from_db()
        assert child.anonymised_at is None  # held; in the current extract; reviews kept
    assert len(result.entry_ids) == 3
    assert "delete 3 caseload extract entries" in " ".join(result.summary_lines())
