"""Managing audit templates in the browser (issue 15 stage 4; docs/audit-templates.md#managing-
templates-in-the-browser): the list, a version's page and file, uploading a file, and a draft
made, changed item by item, previewed, published or deleted, each change checked as a file is
and kept in the history. A published version never changes."""

from pathlib import Path

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from practice_review.audit.models import AuditEvent
from practice_review.core.audit_templates import (
    BUILT_IN_KEY,
    MAX_FILE_BYTES,
    built_in,
    read_yaml,
    to_data,
)
from practice_review.core.permissions import Permission, has_permission
from practice_review.reviews import actions as review_actions
from practice_review.reviews import template_actions
from practice_review.reviews.actions import NotAllowed
from practice_review.reviews.forms import ReviewFileForm
from practice_review.reviews.models import AuditTemplate, Cohort
from practice_review.reviews.queries import latest_published_template
from practice_review.reviews.review_forms import CohortForm
from practice_review.reviews.template_editing import revision, suggest_key

pytestmark = pytest.mark.django_db

NEGLECT = Path(__file__).parents[2] / "docs" / "templates" / "neglect-thematic.yaml"


@pytest.fixture
def qa(cast, client):
    client.force_login(cast["qa_lead"])
    return cast["qa_lead"]


@pytest.fixture
def draft(qa):
    """A draft copy of the built-in template: 2 grades, 8 standards, 5 themes."""
    return template_actions.copy_template(
        by=qa, source=AuditTemplate.objects.built_in(), key="monthly_audit", name="Monthly audit"
    )


def fresh(template):
    return AuditTemplate.objects.get(pk=template.pk)


def standard_keys(template):
    return [standard.key for standard in fresh(template).template.standards]


def page(client, view, *args, **data):
    url = reverse(view, args=args)
    response = client.post(url, data) if data else client.get(url)
    return response, response.content.decode()


# --- Who may ------------------------------------------------------------------------------------


def test_only_the_qa_lead_may_manage_templates(cast):
    allowed = {
        name for name, user in cast.items() if has_permission(user, Permission.MANAGE_TEMPLATES)
    }
    assert allowed == {"qa_lead"}


def test_the_qa_lead_finds_the_templates_in_the_service_navigation(client, qa):
    _, html = page(client, "home")
    assert f'href="{reverse("template_list")}"' in html
    assert "Audit templates" in html


# --- The list -----------------------------------------------------------------------------------


def test_the_list_shows_each_version_with_its_status_and_use(client, qa, draft):
    _, html = page(client, "template_list")
    assert "Practice and Impact Review" in html and "Built in" in html
    assert "Monthly audit" in html and "monthly_audit" in html
    assert 'govuk-tag--grey">Draft' in html and 'govuk-tag--green">Published' in html
    built = AuditTemplate.objects.built_in()
    counts = f"{Cohort.objects.filter(template=built).count()}</td>"
    assert counts in html  # the seed cohorts, on the built-in template


def test_the_list_reads_the_use_of_every_version_in_one_query(
    client, qa, draft, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("template_list"))
    for number in range(5):
        template_actions.copy_template(
            by=qa, source=draft, key=f"copy_{number + 1}", name=f"Copy {number + 1}"
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("template_list"))
    assert "Copy 5" in response.content.decode()


# --- Uploading a file ---------------------------------------------------------------------------


def upload(client, content, name="neglect.yaml"):
    file = SimpleUploadedFile(name, content, content_type="application/yaml")
    response = client.post(reverse("template_upload"), {"file": file})
    return response, response.content.decode()


def test_uploading_a_file_loads_it_as_templates_load_does(client, qa):
    response, _ = upload(client, NEGLECT.read_bytes())
    stored = AuditTemplate.objects.get(key="neglect_thematic", version=1)
    assert response.status_code == 302 and response["Location"] == reverse(
        "template_detail", args=[stored.pk]
    )
    assert stored.is_published and stored.published_by == qa
    assert stored.template == read_yaml(NEGLECT.read_text())
    follow = client.get(response["Location"]).content.decode()
    assert "Thematic audit - neglect, version 1 loaded and published" in follow
    response, _ = upload(client, NEGLECT.read_bytes())  # the same file again changes nothing
    follow = client.get(response["Location"]).content.decode()
    assert "was already loaded: nothing changed" in follow
    assert stored.history.count() == 1


def test_a_bad_file_shows_every_problem_and_changes_nothing(client, qa):
    before = AuditTemplate.objects.count()
    text = NEGLECT.read_text().replace("key: neglect_thematic", "key: Neglect")
    text = text.replace("type: yes_no", "type: yesno", 1)
    response, html = upload(client, text.encode())
    assert response.status_code == 200
    assert "govuk-error-summary" in html and "The template was not loaded: fix 2 problems" in html
    assert "Nothing has been changed. Correct the file and upload it again." in html
    assert "key &quot;Neglect&quot; must be lower-case letters" in html
    assert "type &quot;yesno&quot; is not a question type" in html
    assert AuditTemplate.objects.count() == before


def test_an_oversize_file_or_one_not_in_utf8_is_refused_and_changes_nothing(client, qa):
    before = AuditTemplate.objects.count()
    _, html = upload(client, b"#" * (MAX_FILE_BYTES + 1))
    assert "The selected file must be smaller than 1 MB" in html
    _, html = upload(
        client, NEGLECT.read_text().replace("- neglect", "– négligence").encode("cp1252")
    )
    assert "the file is not UTF-8 text" in html
    _, html = upload(client, b"a: &x [1]\nb: *x\n")
    assert "anchors and aliases (&amp; and *) are not allowed" in html
    assert AuditTemplate.objects.count() == before


# --- A version's page, its file and its preview ------------------------------------------------


def test_a_versions_page_summarises_its_grades_standards_themes_and_questions(client, qa):
    built = AuditTemplate.objects.built_in()
    _, html = page(client, "template_detail", built.pk)
    t = built_in()
    assert "govuk-summary-list" in html and "govuk-summary-card" in html
    for item in (*t.grades, *t.standards, *t.themes):
        assert item.label.replace("'", "&#x27;") in html
    assert "Ofsted ILACS grades" in html and "Good and above" in html
    assert "Make a new version from this" in html and "Copy as a new template" in html
    assert ">Publish</button>" not in html
    assert reverse("template_details", args=[built.pk]) not in html


def test_a_version_downloads_as_its_file(client, qa):
    built = AuditTemplate.objects.built_in()
    response = client.get(reverse("template_download", args=[built.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="practice_and_impact-1.yaml"'
    assert read_yaml(response.content.decode()) == built_in()


def test_the_preview_shows_the_review_form_disabled_and_labelled(client, qa):
    response, _ = upload(client, NEGLECT.read_bytes())
    neglect = AuditTemplate.objects.get(key="neglect_thematic")
    _, html = page(client, "template_preview", neglect.pk)
    assert "Preview the review form" in html and 'govuk-tag--yellow">Preview' in html
    for item in (*neglect.template.standards, *neglect.template.questions):
        assert item.label.replace("'", "&#x27;") in html
    assert "Significant" in html  # a choice of a choice question
    assert "<form" not in html.split("<main")[1].split("</main>")[0]  # nothing to save
    assert html.count(" disabled") >= len(neglect.template.standards) * 4


# --- Making a draft -----------------------------------------------------------------------------


def test_create_a_template_as_a_draft_with_a_key_made_from_its_name(client, qa):
    response, _ = page(client, "template_create", name="Domestic abuse audit", key="")
    made = AuditTemplate.objects.get(key="domestic_abuse_audit")
    assert response["Location"] == reverse("template_detail", args=[made.pk])
    assert (made.version, made.is_published, made.created_by) == (1, False, qa)
    assert [axis.key for axis in made.template.grades] == ["practice", "outcome"]
    assert made.history.get().history_user == qa


def test_a_new_template_cannot_take_a_key_already_used(client, qa):
    before = AuditTemplate.objects.count()
    response, html = page(client, "template_create", name="Again", key=BUILT_IN_KEY)
    assert response.status_code == 200 and "govuk-error-summary" in html
    assert f"Key &quot;{BUILT_IN_KEY}&quot; is already used" in html
    assert 'id="id_key-error"' in html
    assert AuditTemplate.objects.count() == before


def test_copy_as_a_new_template_asks_for_its_key_and_name(client, qa):
    built = AuditTemplate.objects.built_in()
    response, _ = page(client, "template_copy", built.pk, name="Our audit", key="our_audit")
    copy = AuditTemplate.objects.get(key="our_audit")
    assert (copy.version, copy.name, copy.is_published) == (1, "Our audit", False)
    assert copy.template.standards == built_in().standards


def test_a_new_version_is_a_draft_numbered_after_the_latest(client, qa):
    upload(client, NEGLECT.read_bytes())
    neglect = AuditTemplate.objects.get(key="neglect_thematic")
    response, _ = page(client, "template_new_version", neglect.pk, go="1")
    second = AuditTemplate.objects.get(key="neglect_thematic", version=2)
    assert response["Location"] == reverse("template_detail", args=[second.pk])
    assert not second.is_published
    assert second.template.standards == neglect.template.standards
    # One draft at a time: asking again says so and makes nothing.
    with pytest.raises(NotAllowed, match="Version 2 of .* is already a draft"):
        template_actions.new_version(by=qa, source=neglect)
    assert AuditTemplate.objects.filter(key="neglect_thematic").count() == 2


def test_drafts_are_offered_neither_for_cohorts_nor_for_imports(draft):
    assert draft not in CohortForm().fields["template"].queryset
    assert draft not in ReviewFileForm().fields["template"].queryset
    assert latest_published_template("monthly_audit") is None


# --- Changing a draft ---------------------------------------------------------------------------


def test_add_a_standard_with_a_key_made_from_its_words(client, draft, qa):
    response, _ = page(
        client,
        "template_add_item",
        draft.pk,
        "standards",
        label="The plan is up to date",
        key="",
        help="Within 3 months.",
    )
    assert response.status_code == 302
    added = fresh(draft).template.standards[-1]
    assert (added.key, added.label, added.help) == (
        "the_plan_is_up_to_date",
        "The plan is up to date",
        "Within 3 months.",
    )
    assert fresh(draft).history.first().history_user == qa


def test_every_change_to_a_draft_is_in_the_audit_trail_with_who_made_it(client, draft, qa):
    page(client, "template_move_item", draft.pk, "standards", 2, direction="up")
    page(client, "template_publish", draft.pk, go="1")
    events = AuditEvent.objects.filter(target_type="audittemplate", target_id=str(draft.pk))
    assert [(e.action, e.actor) for e in events.order_by("pk")] == [
        ("created", qa),
        ("changed", qa),
        ("changed", qa),
    ]
    assert "published_at" in str(events.order_by("pk").last().changes)


def test_a_bad_key_is_named_in_the_formats_words_and_nothing_changes(client, draft):
    before = fresh(draft).definition
    response, html = page(
        client, "template_add_item", draft.pk, "standards", label="Plan", key="Plan A"
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in html and 'id="id_key-error"' in html
    assert "Key &quot;Plan A&quot; must be lower-case letters, digits and _" in html
    assert fresh(draft).definition == before


def test_a_key_review_files_already_use_is_refused(client, draft):
    before = fresh(draft).definition
    response, html = page(
        client, "template_add_item", draft.pk, "questions", label="Age", key="age", type="number"
    )
    assert response.status_code == 200 and "review files already have a column called age" in html
    assert fresh(draft).definition == before


def test_change_a_standard_and_its_key(client, draft):
    page(client, "template_item", draft.pk, "standards", 1, label="Basics", key="basics")
    first = fresh(draft).template.standards[0]
    assert (first.key, first.label) == ("basics", "Basics")
    assert len(fresh(draft).template.standards) == 8


def test_move_a_standard_up_and_down(client, draft):
    keys = standard_keys(draft)
    page(client, "template_move_item", draft.pk, "standards", 3, direction="up")
    assert standard_keys(draft) == [keys[0], keys[2], keys[1], *keys[3:]]
    page(client, "template_move_item", draft.pk, "standards", 2, direction="down")
    assert standard_keys(draft) == keys
    page(client, "template_move_item", draft.pk, "standards", 1, direction="up")  # stays first
    assert standard_keys(draft) == keys


def test_remove_a_theme(client, draft):
    themes = [theme.key for theme in fresh(draft).template.themes]
    page(client, "template_remove_item", draft.pk, "themes", 2, go="1")
    assert [theme.key for theme in fresh(draft).template.themes] == [themes[0], *themes[2:]]


def test_the_last_grade_cannot_be_removed(client, draft):
    page(client, "template_remove_item", draft.pk, "grades", 1, go="1")
    response, html = page(client, "template_remove_item", draft.pk, "grades", 1, go="1")
    assert response.status_code == 302
    assert [axis.key for axis in fresh(draft).template.grades] == ["outcome"]
    follow = client.get(response["Location"]).content.decode()
    assert "grades is empty: a template needs at least one grade axis" in follow


def test_add_a_choice_question(client, draft):
    page(
        client,
        "template_add_item",
        draft.pk,
        "questions",
        label="At what level?",
        key="",
        type="choice",
        choices="Low\nSignificant\n",
        required="on",
    )
    question = fresh(draft).template.questions[-1]
    assert question.key == "at_what_level"
    assert question.choices == (("low", "Low"), ("significant", "Significant"))
    assert question.required


def test_a_choice_question_needs_two_choices(client, draft):
    response, html = page(
        client,
        "template_add_item",
        draft.pk,
        "questions",
        label="Level?",
        type="choice",
        choices="Low",
    )
    assert 'id="id_choices-error"' in html
    assert "A choice question needs 2 to 50 choices (this one has 1)" in html
    assert fresh(draft).template.questions == ()


def test_a_grade_on_levels_of_its_own(client, draft):
    page(
        client,
        "template_item",
        draft.pk,
        "grades",
        2,
        label="Outcomes",
        key="outcome",
        scale="custom",
        good_or_better="improved",
        level_1_label="Improved",
        level_1_descriptor="Better than before.",
        level_2_label="Unchanged",
        level_3_label="Worse",
    )
    axis = fresh(draft).template.grades[1]
    assert [level.key for level in axis.levels] == ["improved", "unchanged", "worse"]
    assert axis.levels[0].descriptor == "Better than before."
    assert axis.good_or_better == "improved"


def test_a_good_or_better_cut_that_is_no_level_is_named_on_its_field(client, draft):
    before = fresh(draft).definition
    response, html = page(
        client,
        "template_item",
        draft.pk,
        "grades",
        1,
        label="Practice",
        key="practice",
        scale="ilacs",
        good_or_better="great",
    )
    assert 'id="id_good_or_better-error"' in html
    assert "Good_or_better &quot;great&quot; is not a level of this scale" in html
    assert fresh(draft).definition == before


def test_an_ilacs_grades_descriptors_are_changed(client, draft):
    page(
        client,
        "template_item",
        draft.pk,
        "grades",
        1,
        label="Practice",
        key="practice",
        scale="ilacs",
        good_or_better="good",
        descriptor_good="Purposeful.",
    )
    axis = fresh(draft).template.grades[0]
    assert {level.key: level.descriptor for level in axis.levels}["good"] == "Purposeful."
    assert {level.key: level.descriptor for level in axis.levels}["outstanding"] == ""


def test_a_draft_of_a_new_template_may_change_its_key_and_name(client, draft):
    page(
        client,
        "template_details",
        draft.pk,
        name="Monthly practice audit",
        key="monthly_practice",
        description="Every month.",
    )
    changed = fresh(draft)
    assert (changed.key, changed.name) == ("monthly_practice", "Monthly practice audit")
    assert changed.template.description == "Every month."


def test_a_new_version_keeps_its_templates_key(client, qa):
    built = AuditTemplate.objects.built_in()
    second = template_actions.new_version(by=qa, source=built)
    response, html = page(client, "template_details", second.pk, name="Revised", key="revised")
    assert response.status_code == 200 and "Key cannot change" in html
    assert fresh(second).key == BUILT_IN_KEY and fresh(second).name == built.name


# --- Publishing and deleting --------------------------------------------------------------------


def test_publishing_fixes_the_version_and_offers_it_for_cohorts(client, draft, qa):
    response, _ = page(client, "template_publish", draft.pk, go="1")
    published = fresh(draft)
    assert published.is_published and published.published_by == qa
    assert published in CohortForm().fields["template"].queryset
    assert latest_published_template("monthly_audit") == published


EDIT_PAGES = [
    ("template_details", (), {"name": "Changed", "key": "monthly_audit"}),
    ("template_add_item", ("standards",), {"label": "Changed"}),
    ("template_item", ("standards", 1), {"label": "Changed"}),
    ("template_move_item", ("standards", 2), {"direction": "up"}),
    ("template_remove_item", ("standards", 1), {"go": "1"}),
    ("template_publish", (), {"go": "1"}),
    ("template_delete", (), {"go": "1"}),
]


def test_a_published_version_is_never_changed_by_any_edit_page(client, draft, qa):
    template_actions.publish(by=qa, template=draft)
    before = fresh(draft)
    for name, args, data in EDIT_PAGES:
        url = reverse(name, args=[draft.pk, *args])
        assert client.get(url).status_code in (404, 405), name
        assert client.post(url, data).status_code == 404, name
    after = fresh(draft)
    assert (after.definition, after.name, after.published_at) == (
        before.definition,
        before.name,
        before.published_at,
    )
    assert after.history.count() == before.history.count()


def test_the_actions_refuse_to_change_a_published_version(draft, qa):
    template_actions.publish(by=qa, template=draft)
    item = {"key": "new", "label": "New"}
    for change in (
        lambda: template_actions.save_item(
            by=qa, template=draft, part="standards", position=None, item=item
        ),
        lambda: template_actions.move_item(
            by=qa, template=draft, part="standards", position=1, up=True
        ),
        lambda: template_actions.remove_item(by=qa, template=draft, part="standards", position=0),
        lambda: template_actions.change_details(
            by=qa, template=draft, key="monthly_audit", name="Changed"
        ),
        lambda: template_actions.publish(by=qa, template=draft),
        lambda: template_actions.delete_draft(by=qa, template=draft),
    ):
        with pytest.raises(NotAllowed, match="is published, so it cannot change"):
            change()
    assert fresh(draft).definition == draft.definition


def test_a_draft_nothing_uses_is_deleted_after_asking(client, draft):
    response, html = page(client, "template_delete", draft.pk)
    assert "Are you sure you want to delete this draft?" in html
    assert AuditTemplate.objects.filter(pk=draft.pk).exists()
    response, _ = page(client, "template_delete", draft.pk, go="1")
    assert response["Location"] == reverse("template_list")
    assert not AuditTemplate.objects.filter(pk=draft.pk).exists()


def test_a_draft_in_use_is_not_deleted(client, draft, qa):
    # Only a published version can be chosen for a cohort; a cohort on a draft is set up here
    # to prove the delete refuses rather than leaving it without a template.
    cohort = review_actions.create_cohort(
        by=qa,
        name="On the draft",
        period_start=None,
        period_end=None,
        selected_by="",
        selection_reason="mixed",
    )
    Cohort.objects.filter(pk=cohort.pk).update(template=draft)
    with pytest.raises(NotAllowed, match="is used, so it cannot be deleted"):
        template_actions.delete_draft(by=qa, template=draft)
    assert AuditTemplate.objects.filter(pk=draft.pk).exists()


# --- Keys made from words -----------------------------------------------------------------------


def test_a_suggested_key_follows_the_key_rules_and_avoids_the_taken_ones():
    assert suggest_key("Was the child's voice recorded?") == "was_the_child_s_voice_recorded"
    assert suggest_key("2nd visit") == "item_2nd_visit"
    assert suggest_key("Plan", {"plan", "plan_2"}) == "plan_3"
    assert len(suggest_key("x" * 100, {"x" * 60})) == 60
    for label in ("Plan", "!!!", "Ärger über Übergänge", "a" * 80):
        key = suggest_key(label, {"plan"})
        data = {**to_data(built_in()), "standards": [{"key": key, "label": label}]}
        assert yaml.safe_dump(data) and read_yaml(yaml.safe_dump(data)).standards[0].key == key


# --- Two pages, one draft -----------------------------------------------------------------------


def test_a_change_from_a_page_shown_before_another_change_changes_nothing(client, draft, qa):
    """Two tabs (or two people): the second's "Move up item 3" or saved form would act on what
    the first changed, so it is refused and the person is asked to look again."""
    shown = revision(fresh(draft).definition)
    _, html = page(client, "template_detail", draft.pk)
    assert f'name="based_on" value="{shown}"' in html
    template_actions.remove_item(by=qa, template=draft, part="standards", position=0)
    after_other_change = fresh(draft).definition
    response, _ = page(client, "template_move_item", draft.pk, "standards", 3,
                       direction="up", based_on=shown)  # fmt: skip
    assert (
        "was changed after you opened the page" in client.get(response["Location"]).content.decode()
    )
    response, _ = page(client, "template_item", draft.pk, "standards", 1, label="Basics",
                       key="basics", based_on=shown)  # fmt: skip
    assert response.status_code == 302
    response, _ = page(client, "template_publish", draft.pk, based_on=shown)
    assert fresh(draft).definition == after_other_change
    assert not fresh(draft).is_published
    current = revision(after_other_change)
    page(client, "template_move_item", draft.pk, "standards", 3, direction="up", based_on=current)
    assert fresh(draft).definition != after_other_change


def test_extra_fields_posted_to_a_draft_change_nothing_they_name(client, draft):
    """No mass assignment (docs/spec/quality.md): a version, publication or creator sent with a
    change is ignored."""
    page(client, "template_details", draft.pk, name="Renamed", key="monthly_audit",
         version="7", published_at="2026-01-01", created_by="1", definition="{}")  # fmt: skip
    page(client, "template_add_item", draft.pk, "themes", label="Recording", version="9")
    changed = fresh(draft)
    assert (changed.name, changed.version, changed.is_published) == ("Renamed", 1, False)
    assert changed.created_by == draft.created_by
    assert changed.template.themes[-1].key == "recording"
