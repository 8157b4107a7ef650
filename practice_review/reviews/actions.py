"""Writes for running reviews in the app: cohorts, assignment, the form, the workflow.

Each action is keyword-only, takes `by` (the person acting), runs in one transaction and
records history (and, for state changes, an append-only ReviewEvent).
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from practice_review.core.history import delete_as, save_as
from practice_review.core.vocabulary import (
    EDITABLE_STATES,
    ReviewStatus,
    Role,
)
from practice_review.reviews import dual_review, review_sections, section_merge, workflow
from practice_review.reviews.answers import (
    MODERATED,
    SECOND,
    with_grade_values,
    with_grades,
    with_question_values,
    with_standard_values,
)
from practice_review.reviews.models import (
    AuditTemplate,
    Cohort,
    Conversation,
    GradeDescriptorSet,
    Review,
    ReviewEvent,
    ReviewResponse,
    ThemeFinding,
)
from practice_review.reviews.notifications import notify_review_submitted
from practice_review.reviews.queries import section_values
from practice_review.reviews.review_file import age_on
from practice_review.reviews.review_sections import ready_to_submit


class NotAllowed(Exception):
    """The person may not do this to this review in its current state."""


def conflicts_of_interest(*, reviewer, social_worker=None, supervisor=None, iro=None):
    """Why `reviewer` should not review this case (docs/spec/domain.md#conflicts-of-interest): they
    are too close to it."""
    reasons = []
    if reviewer is None:
        return reasons
    for person, role in [
        (social_worker, "the child's social worker"),
        (supervisor, "the social worker's supervisor"),
        (iro, "the child's Independent Reviewing Officer"),
    ]:
        if person is not None and person.pk == reviewer.pk:
            reasons.append(role)
    return reasons


def _event(review, from_status, to_status, by, reason=""):
    ReviewEvent.objects.create(
        review=review, from_status=from_status, to_status=to_status, by=by, reason=reason
    )


def _save(review, by, **changes):
    for name, value in changes.items():
        setattr(review, name, value)
    save_as(review, by)


@transaction.atomic
def create_cohort(
    *, by, name, period_start, period_end, selected_by, selection_reason, theme="", template=None
):
    """A new cohort on `template` (a published AuditTemplate), or on the built-in one."""
    template = template or AuditTemplate.objects.built_in()
    if not template.is_published:
        raise NotAllowed(f"{template} is a draft: publish it before a cohort uses it")
    cohort = Cohort(
        name=name,
        period_start=period_start,
        period_end=period_end,
        selected_by=selected_by,
        selection_reason=selection_reason,
        theme=theme,
        template=template,
    )
    save_as(cohort, by)
    return cohort


@transaction.atomic
def assign_review(
    *,
    by,
    cohort,
    child,
    reviewer,
    reviewer_type,
    due_date,
    social_worker,
    supervisor=None,
    iro=None,
    social_worker_is_student=False,
    conflict_reason="",
):
    """Add a child's case to a cohort for `reviewer`, with the child's details as a snapshot."""
    reasons = conflicts_of_interest(
        reviewer=reviewer, social_worker=social_worker, supervisor=supervisor, iro=iro
    )
    if reasons and not conflict_reason.strip():
        raise NotAllowed(f"The reviewer is {' and '.join(reasons)}: give a reason to go ahead")
    age_years, age_written = (None, "")
    if child.date_of_birth:
        age_years, age_written = age_on(child.date_of_birth, due_date)
    review = Review(
        cohort=cohort,
        template_id=cohort.template_id,  # kept by the review even if the cohort moves on
        child=child,
        # A placeholder: the reviewer gives the date the file was reviewed in the form.
        review_date=due_date,
        review_date_confirmed=False,
        due_date=due_date,
        status=ReviewStatus.ASSIGNED,
        reviewer=reviewer,
        reviewer_type=reviewer_type,
        social_worker=social_worker,
        social_worker_was_student=social_worker_is_student,
        supervisor=supervisor,
        independent_reviewing_officer=iro,
        conflict_reason=conflict_reason.strip(),
        age_years=age_years,
        age_as_written=age_written,
        gender=child.gender,
        ethnicity=child.ethnicity,
        religion=child.religion,
        first_language=child.first_language,
        interpreter_needed=child.interpreter_needed,
        uasc=child.uasc,
        descriptor_set=GradeDescriptorSet.objects.order_by("-version").first(),
    )
    _save(review, by)
    _event(review, "", ReviewStatus.ASSIGNED, by, conflict_reason.strip())
    return review


@transaction.atomic
def reassign_review(*, review, by, reviewer, reviewer_type, due_date, conflict_reason=""):
    """Give a review not yet submitted to another reviewer (or a new due date)."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    ensure_editable(review)
    if review.second_reviewer_id is not None and reviewer.pk == review.second_reviewer_id:
        raise NotAllowed(f"{reviewer} is this review's second reviewer: choose someone else")
    reasons = conflicts_of_interest(
        reviewer=reviewer,
        social_worker=review.social_worker,
        supervisor=review.supervisor,
        iro=review.independent_reviewing_officer,
    )
    if reasons and not conflict_reason.strip():
        raise NotAllowed(f"The reviewer is {' and '.join(reasons)}: give a reason to go ahead")
    note = f"Reassigned from {review.reviewer} to {reviewer}, due {due_date:%-d %B %Y}"
    if conflict_reason.strip():
        note += f". Reason: {conflict_reason.strip()}"
    _event(review, review.status, review.status, by, note)
    _save(
        review,
        by,
        reviewer=reviewer,
        reviewer_type=reviewer_type,
        due_date=due_date,
        conflict_reason=conflict_reason.strip(),
        version=review.version + 1,
    )
    return review


@dataclass
class SaveResult:
    version: int
    saved_at: object = None
    # Answers both the person and someone else changed, differently, since the page was
    # loaded: nothing was written, and the person chooses (section_merge.py).
    conflicts: list = field(default_factory=list)
    # The section's answers as they are now saved (after a clash, the other person's): the
    # base of the person's next save.
    saved: dict = field(default_factory=dict)
    # After a clash, the answers to show: the merge, with the person's own answer where they clash.
    shown: dict = field(default_factory=dict)
    # Answers where someone else's change since the page was loaded was kept.
    kept: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.conflicts


@transaction.atomic
def save_section(*, review_id, section, values, seen_version, by, base=None):
    """Save one section of the form, merged with what anyone else saved since `seen_version`.

    Each section has its own version, so a reviewer's autosaves (which carry the version each
    save returned) never conflict with themselves, and two people editing different sections
    never conflict. When someone else has saved the section since, the answers are merged
    with theirs against `base`, the answers the person's page was loaded with
    (section_merge.py): each keeps the answers only they changed. If both changed an answer
    differently, nothing is written and the clashes are returned to be shown. Without a base,
    every answer that differs from the saved one is a clash.
    """
    review = Review.objects.select_for_update().get(pk=review_id)
    if review.status not in EDITABLE_STATES:
        raise NotAllowed("This review has been submitted and can no longer be changed")
    current = review.section_versions.get(section, 0)
    saved = section_values(review, section)
    kept = []
    if seen_version != current:
        merged = section_merge.merge(base or {}, saved, values)
        if merged.clashes:
            return SaveResult(version=current, conflicts=merged.clashes, saved=saved,
                              shown={**saved, **merged.values})  # fmt: skip
        values, kept = merged.values, merged.kept
    new_date = values.get("review_date")
    problem = review_sections.review_date_problem(new_date, timezone.localdate())
    if problem:
        raise NotAllowed(problem)
    if (
        new_date
        and new_date != review.review_date
        and Review.objects.filter(
            cohort=review.cohort_id, child=review.child_id, review_date=new_date
        )
        .exclude(pk=review.pk)
        .exists()
    ):
        raise NotAllowed("This child already has a review on that date in this cohort")
    differences = [
        name
        for name in values
        if section_merge.comparable(saved.get(name)) != section_merge.comparable(values[name])
    ]
    if not differences:
        return SaveResult(version=current, saved_at=timezone.now(), saved=saved, kept=kept)
    if section == "themes":
        _save_themes(review, values, by)
        changes = {}
    elif section == "standards":
        changes = {"answers": with_standard_values(review.answers, review.standard_keys, values)}
    elif section == "questions":
        kinds = review.question_kinds
        changes = {"answers": with_question_values(review.answers, kinds, values)}
    elif section == "grades":
        own = [name for name in review_sections.SECTION_FIELDS["grades"] if name in values]
        changes = {"answers": with_grade_values(review.answers, review.axis_keys, values),
                   **{name: values[name] for name in own}}  # fmt: skip
    else:
        changes = dict(values)
    review.section_versions = {**review.section_versions, section: current + 1}
    changes.update(version=review.version + 1, section_versions=review.section_versions)
    if review.status == ReviewStatus.ASSIGNED:
        changes["status"] = ReviewStatus.IN_PROGRESS
        _event(review, ReviewStatus.ASSIGNED, ReviewStatus.IN_PROGRESS, by)
    _save(review, by, **changes)
    return SaveResult(version=current + 1, saved_at=timezone.now(),
                      saved=section_values(review, section), kept=kept)  # fmt: skip


def _save_themes(review, values, by):
    existing = {finding.theme: finding for finding in review.findings.all()}
    for theme in (theme.key for theme in review.themes):
        strengths = values[f"strengths_{theme}"]
        development = values[f"development_{theme}"]
        topics = list(values[f"topics_{theme}"])
        before_window = values[f"before_window_{theme}"]
        finding = existing.get(theme)
        if finding is None and not (strengths or development or topics or before_window):
            continue
        finding = finding or ThemeFinding(review=review, theme=theme)
        finding.strengths, finding.development = strengths, development
        finding.before_window = before_window
        save_as(finding, by)
        finding.topics.set(topics)


def ensure_editable(review):
    if review.status not in EDITABLE_STATES:
        raise NotAllowed("This review has been submitted and can no longer be changed")


@transaction.atomic
def add_conversation(*, review, by, held_with, held_on, method, their_words):
    ensure_editable(review)
    conversation = Conversation(
        review=review, held_with=held_with, held_on=held_on, method=method, their_words=their_words
    )
    save_as(conversation, by)
    mark_started(review, by)
    return conversation


@transaction.atomic
def remove_item(*, review, item, by):
    """Remove a conversation (or, through the tracker, a recommendation) added by mistake,
    before submission. The deletion is kept in the item's history, with who did it."""
    ensure_editable(review)
    if item.review_id != review.pk:
        raise NotAllowed("That item belongs to another review")
    delete_as(item, by)


def mark_started(review, by):
    """The first thing added to an assigned review starts it. Decided on the review re-read
    under a lock: two first saves at once must record one "started" event, and saving the
    caller's copy (loaded before this transaction) could overwrite another person's save."""
    if review.status != ReviewStatus.ASSIGNED:
        return
    current = _locked(review)
    if current.status == ReviewStatus.ASSIGNED:
        _event(current, ReviewStatus.ASSIGNED, ReviewStatus.IN_PROGRESS, by)
        _save(current, by, status=ReviewStatus.IN_PROGRESS)
    review.status = current.status


def _locked(review):
    """The review as it is now, locked for this transaction: two clicks on one button (or two
    people) must not both pass a state check made on a copy loaded earlier."""
    return Review.objects.select_for_update().get(pk=review.pk)


@transaction.atomic
def submit_review(*, review, by, answers):
    """Submit a complete review; `answers` is `queries.review_answers(review)`."""
    review = _locked(review)
    if not workflow.can("submit", review.status, Role.REVIEWER):
        raise NotAllowed("Only a review in progress can be submitted")
    if not ready_to_submit(answers):
        raise NotAllowed("The review is not complete")
    _event(review, review.status, ReviewStatus.SUBMITTED, by)
    review.status = ReviewStatus.SUBMITTED
    _save(review, by, version=review.version + 1, answers=_with_pair(review))
    transaction.on_commit(lambda: notify_review_submitted(review))
    return review


@transaction.atomic
def sign_off_review(*, review, by):
    review = _locked(review)
    if not workflow.can("sign_off", review.status, by.role):
        raise NotAllowed("Only the QA lead signs off a submitted review")
    _event(review, review.status, ReviewStatus.FINAL, by, "Signed off by the QA lead")
    _save(review, by, status=ReviewStatus.FINAL, version=review.version + 1)
    return review


@transaction.atomic
def reopen_review(*, review, by, reason):
    review = _locked(review)
    if not workflow.can("reopen", review.status, by.role):
        raise NotAllowed("Only the QA lead reopens a submitted or final review")
    if not reason.strip():
        raise NotAllowed("Give the reason for reopening the review")
    _event(review, review.status, ReviewStatus.IN_PROGRESS, by, reason.strip())
    # A reopened review is moderated again once resubmitted: until then its own grades count.
    # The earlier moderation stays in the review's history and in that meeting's record.
    _save(
        review,
        by,
        status=ReviewStatus.IN_PROGRESS,
        version=review.version + 1,
        answers=with_grades(review.answers, {axis: {MODERATED: None} for axis in review.axis_keys}),
        moderation_reason="",
    )
    return review


@transaction.atomic
def record_response(*, review, by, text):
    """A practitioner's or manager's reflection: a new dated entry, never an edit."""
    if review.status not in (ReviewStatus.SUBMITTED, ReviewStatus.FINAL):
        raise NotAllowed("Responses are recorded once a review is submitted")
    response = ReviewResponse(review=review, by=by, text=text.strip())
    save_as(response, by)
    return response


@transaction.atomic
def assign_second_reviewer(*, review, by, second_reviewer):
    """A second, blind reviewer for a dual review (the QA lead), until they have graded it."""
    review = _locked(review)
    if dual_review.second_graded(review):
        raise NotAllowed("The second reviewer has already graded this review")
    if review.is_moderated:
        raise NotAllowed("This review has been moderated: a second review would not be blind")
    if second_reviewer.pk == review.reviewer_id:
        raise NotAllowed("The second reviewer must be someone other than the first")
    reasons = conflicts_of_interest(
        reviewer=second_reviewer,
        social_worker=review.social_worker,
        supervisor=review.supervisor,
        iro=review.independent_reviewing_officer,
    )
    if reasons:
        raise NotAllowed(f"{second_reviewer} is {reasons[0]}: choose someone independent")
    _save(review, by, second_reviewer=second_reviewer)
    return review


@transaction.atomic
def record_second_grades(*, review, by, grades, rationale):
    """The second reviewer's own grades ({axis: grade}, every axis of the review's template),
    recorded once: after that both reviewers' grades can be compared, and changing one would
    defeat the comparison."""
    review = _locked(review)
    if by.staff_member_id is None or by.staff_member_id != review.second_reviewer_id:
        raise NotAllowed("Only the second reviewer records the second grades")
    if dual_review.second_graded(review):
        raise NotAllowed("The second grades are already recorded")
    if not rationale.strip():
        raise NotAllowed("Give the reasons for your grades")
    for axis in review.axes:
        if grades.get(axis.key) not in {level.key for level in axis.levels}:
            raise NotAllowed(f"Select {axis.label.lower()}")
    review.answers = with_grades(
        review.answers, {axis: {SECOND: grades[axis]} for axis in review.axis_keys}
    )
    review.second_graded_at = timezone.now()
    _save(review, by, second_rationale=rationale.strip(), answers=_with_pair(review))
    return review


def _with_pair(review):
    """The review's answers with the first reviewer's grades kept as the pair, if both
    reviewers have now graded (dual_review.pair_completed)."""
    return with_grades(review.answers, dual_review.pair_completed(review))
