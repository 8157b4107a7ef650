"""Field-level need-to-know: every page, CSV, XLSX, JSON and DOCX the app gives each person
holds only what they may know.

docs/spec/quality.md#need-to-know: "render each page, CSV, XLSX and JSON as each role -> restricted
fields never appear". Unique markers are planted in restricted fields (a child's initials, a
review's free text, a conversation in the family's words, an alert's concern, the first reviewer's
reasons in a dual review, a reflection, a draft's recommendation, a gap case's reason). Then every
GET URL of the access table is fetched as every person of the cast, for every object it can name, in
every format, and each body is searched for the markers that person may not see:

- the administrator sees no child data at all (docs/spec/domain.md#who-sees-what: "no case
  content");
- practitioners and managers see nothing of a review before it is submitted, nor any other
  worker's or supervisor's reviews;
- a second reviewer grading blind never sees the first reviewer's write-up: reasons, standards
  comments, findings, conversations, recommendations, alerts (dual_review.py);
- the wider-circulation edition of a report names no child and gives no case's reasons
  (builder.py), whoever downloads it.
"""

import io
import json
import zipfile

import docx
import openpyxl
import pytest
from django.urls import reverse

from practice_review.alerts.actions import raise_alert
from practice_review.reviews import actions
from practice_review.reviews.answers import with_standard_values
from practice_review.reviews.models import Child, Conversation, Review, ReviewEvent, ThemeFinding
from practice_review.reviews.queries import find_cohort
from practice_review.tracker.models import Recommendation
from tests.conftest import SEPTEMBER, regrade
from tests.integration.access_world import build_world
from tests.integration.url_access import ACCESS, CHILD, CONVERSATION, kwargs_for

pytestmark = pytest.mark.django_db

LEADERS = {"qa_lead", "senior_leader"}
# marker -> the people of the cast who may see it. Everyone else must never be shown it.
MAY_SEE = {
    # Child C1008 (worker RL, supervisor BA; reviewed by an IRO outside the cast), submitted.
    "MKRLKID": LEADERS | {"practitioner", "manager"},
    "MK-RESPONSE": LEADERS | {"practitioner", "manager"},
    # Child C1003 (worker AB, supervisor KN), reviewed by reviewer_internal.
    "MKHSKID": LEADERS | {"reviewer_internal"},
    "MK-HS-COMMENT": LEADERS | {"reviewer_internal"},
    "MK-REC-OTHER": LEADERS | {"reviewer_internal"},
    "MK-ALERT-SENIOR": LEADERS | {"reviewer_internal"},
    # reviewer_independent's draft of C1001 (worker RL, supervisor BA): not submitted, so not
    # for the practitioner and manager yet, though it is their case. Its alert is for BA at once.
    "MK-DRAFT-COMMENT": LEADERS | {"reviewer_independent"},
    "MK-DRAFT-WORDS": LEADERS | {"reviewer_independent"},
    "MK-DRAFT-REC": LEADERS | {"reviewer_independent"},
    "MK-DRAFT-CONFLICT": LEADERS | {"reviewer_independent"},
    "MK-ALERT-CONCERN": LEADERS | {"reviewer_independent", "manager"},
    # The dual review C1002: reviewer_internal grades it blind, so none of the first reviewer's
    # write-up: reasons, standards comments, findings, conversations, recommendations, alerts.
    "MK-FIRST-RATIONALE": LEADERS | {"reviewer_independent"},
    "MK-DUAL-COMMENT": LEADERS | {"reviewer_independent"},
    "MK-DUAL-FINDING": LEADERS | {"reviewer_independent"},
    "MK-DUAL-WORDS": LEADERS | {"reviewer_independent"},
    "MK-DUAL-REC": LEADERS | {"reviewer_independent"},
    "MK-DUAL-CONCERN": LEADERS | {"reviewer_independent"},
    # AS-S's gap case (practice outstanding, outcomes not): its reason is in the full report.
    "MK-GAP-REASON": LEADERS | {"reviewer_independent"},
}
# In the wider-circulation edition, for anyone: no child named, no case's circumstances.
NEVER_IN_WIDER_EDITION = ["MKRLKID", "MKHSKID", "MK-GAP-REASON"]

# Formats beyond the table's example kwargs: every file the app writes.
VARIANTS = {
    "review_document": [{"format": "docx"}],
    "tracker_export": [{"file_type": "csv"}, {"file_type": "xlsx"}],
    "report_draft_file": [
        {"edition": e, "format": f} for e in ("full", "wider-circulation") for f in ("html", "docx")
    ],  # fmt: skip
    "report_version_file": [
        {"edition": e, "format": f} for e in ("full", "wider-circulation") for f in ("html", "docx")
    ],  # fmt: skip
}


def september(case_ref):
    return Review.objects.get(cohort=find_cohort(SEPTEMBER), child__case_ref=case_ref)


def commented(review, comment):
    """The review's answers with `comment` as the first standard's comment."""
    review.refresh_from_db()
    fields = {"basic_details_comment": comment}
    return with_standard_values(review.answers, ["basic_details"], fields)


@pytest.fixture
def marked(cast):
    # Before the world is built, so the published report carries them as any report would.
    Child.objects.filter(case_ref="C1008").update(initials="MKRLKID")
    Child.objects.filter(case_ref="C1003").update(initials="MKHSKID")
    Review.objects.filter(pk=september("C1005").pk).update(practice_outcome_reason="MK-GAP-REASON")
    world = build_world(cast)
    draft = world["draft_independent"]
    Review.objects.filter(pk=draft.pk).update(
        answers=commented(draft, "MK-DRAFT-COMMENT"), conflict_reason="MK-DRAFT-CONFLICT"
    )
    ReviewEvent.objects.filter(review=draft).update(reason="MK-DRAFT-CONFLICT")
    Conversation.objects.filter(review=draft).update(their_words="MK-DRAFT-WORDS")
    Recommendation.objects.filter(review=draft).update(action="MK-DRAFT-REC")
    submitted = world["submitted"]
    Review.objects.filter(pk=submitted.pk).update(answers=commented(submitted, "MK-HS-COMMENT"))
    dual = world["dual"]
    regrade(
        Review.objects.filter(pk=dual.pk),
        practice_rationale="MK-FIRST-RATIONALE",
        answers=commented(dual, "MK-DUAL-COMMENT"),
    )
    ThemeFinding.objects.filter(review=dual).update(development="MK-DUAL-FINDING")
    Conversation.objects.create(review=dual, held_with="practitioner", held_on=dual.review_date,
                                method="phone", their_words="MK-DUAL-WORDS")  # fmt: skip
    Recommendation.objects.create(level="child", review=dual, action="MK-DUAL-REC",
                                  created_by=cast["reviewer_independent"])  # fmt: skip
    raise_alert(review=dual, concern="MK-DUAL-CONCERN", severity="high", must_act=dual.supervisor,
                by=cast["reviewer_independent"])  # fmt: skip
    world["alert_ba"].__class__.objects.filter(pk=world["alert_ba"].pk).update(
        concern="MK-ALERT-CONCERN"
    )
    world["alert_escalated"].__class__.objects.filter(pk=world["alert_escalated"].pk).update(
        concern="MK-ALERT-SENIOR"
    )
    world["recommendations"]["other"].__class__.objects.filter(
        pk=world["recommendations"]["other"].pk
    ).update(action="MK-REC-OTHER")
    actions.record_response(review=world["submitted_rl"], by=cast["practitioner"],
                            text="MK-RESPONSE")  # fmt: skip
    return world


def text_of(response):
    """Everything a person could read in a response: HTML, CSV and JSON as text, XLSX cell
    values, DOCX paragraphs and table cells."""
    content_type = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if "spreadsheetml" in content_type:
        workbook = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
        rows = (row for sheet in workbook for row in sheet.iter_rows(values_only=True))
        return "\n".join(str(cell) for row in rows for cell in row if cell is not None)
    if "wordprocessingml" in content_type:
        document = docx.Document(io.BytesIO(body))
        cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    if "zip" in content_type:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "\n".join(archive.read(name).decode(errors="replace")
                             for name in archive.namelist())  # fmt: skip
    if "json" in content_type:
        return json.dumps(json.loads(body), ensure_ascii=False)
    return body.decode(errors="replace")


def urls_to_render(world):
    """(name, url) for every GET URL of the access table, for every object it can name among
    those that carry markers (and every object of the kinds with few), in every format."""
    marked_reviews = [world[key].pk for key in ("draft_independent", "draft_internal",
                                                 "submitted", "submitted_rl", "dual")]  # fmt: skip
    marked_reviews.append(september("C1005").pk)
    for name, access in ACCESS.items():
        if access.post_only or name in ("logout", "login"):
            continue
        for variant in VARIANTS.get(name, [access.extra]):
            if access.object is None:
                yield name, reverse(name, kwargs=variant or None)
                continue
            objects = access.object.candidates()
            if objects.model is Review:
                objects = objects.filter(pk__in=marked_reviews)
            elif access.object is CHILD:
                objects = objects.filter(reviews__in=marked_reviews).distinct()
            elif access.object is CONVERSATION:
                objects = objects.filter(review__in=marked_reviews)
            for obj in objects:
                kwargs = {**kwargs_for(access, obj), **variant}
                yield name, reverse(name, kwargs=kwargs)


def test_no_one_is_shown_a_field_they_do_not_need(client, cast, marked):
    """docs/spec/quality.md#need-to-know: render each page, CSV, XLSX and JSON as each role ->
    restricted fields never appear."""
    urls = list(urls_to_render(marked))
    leaks, shown, rendered = [], {marker: set() for marker in MAY_SEE}, 0
    for person, user in cast.items():
        client.force_login(user)
        for _name, url in urls:
            response = client.get(url)
            assert response.status_code < 500, url
            if response.status_code != 200:
                continue
            rendered += 1
            text = text_of(response)
            for marker, allowed in MAY_SEE.items():
                if marker not in text:
                    continue
                shown[marker].add(person)
                if person not in allowed:
                    leaks.append(f"{person:<22} sees {marker:<20} at {url}")
                if "wider-circulation" in url and marker in NEVER_IN_WIDER_EDITION:
                    leaks.append(f"{person:<22} sees {marker:<20} in the wider edition {url}")
    print(f"{len(urls)} URLs, {rendered} responses searched", *leaks, sep="\n")
    assert leaks == []
    # Each marker really is shown to someone allowed (so the search would find a leak).
    assert {marker: bool(people) for marker, people in shown.items()} == dict.fromkeys(
        MAY_SEE, True
    )
