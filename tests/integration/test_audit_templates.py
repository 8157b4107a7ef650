"""Audit templates as versioned data, stage 1 (issue 15; docs/adr/0007): the built-in template,
cohorts and reviews recording their version, and templates loaded from and printed as files."""

import io
import json
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from practice_review.core.audit_templates import (
    BUILT_IN_KEY,
    MAX_FILE_BYTES,
    built_in,
    read_yaml,
    to_data,
)
from practice_review.reviews import actions
from practice_review.reviews.models import AuditTemplate, Child, Cohort, Review
from practice_review.reviews.template_actions import load_template
from tests.conftest import SEPTEMBER

pytestmark = pytest.mark.django_db

NEGLECT = Path(__file__).parents[2] / "docs" / "templates" / "neglect-thematic.yaml"


def templates(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("templates", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(*args):
    err = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("templates", *args, stdout=io.StringIO(), stderr=err)
    return raised.value, err.getvalue()


def test_the_built_in_template_is_stored_published_as_its_shipped_file(db):
    stored = AuditTemplate.objects.get(key=BUILT_IN_KEY, version=1)
    assert stored.is_published
    assert stored.definition == to_data(built_in())
    assert stored.template == built_in()
    assert AuditTemplate.objects.built_in() == stored


def test_every_imported_cohort_and_review_is_on_the_built_in_template(seeded):
    built = AuditTemplate.objects.built_in()
    assert Cohort.objects.count() == 2
    assert set(Cohort.objects.values_list("template", flat=True)) == {built.pk}
    assert set(Review.objects.values_list("template", flat=True)) == {built.pk}


def test_a_flushed_database_gets_the_built_in_template_back_from_its_file(db):
    AuditTemplate.objects.all().delete()
    assert AuditTemplate.objects.built_in().definition == to_data(built_in())
    assert AuditTemplate.objects.count() == 1


def test_a_new_cohort_is_on_the_built_in_template_unless_another_is_chosen(actor):
    cohort = create_cohort(actor, "October 2024")
    assert cohort.template == AuditTemplate.objects.built_in()
    neglect = load_template(by=actor, definition=read_yaml(NEGLECT.read_text())).template
    assert create_cohort(actor, "Neglect audit", template=neglect).template == neglect


def test_a_cohort_cannot_use_a_draft_template(actor):
    draft = AuditTemplate.objects.create(
        key="draft_one", version=1, name="Draft", definition=to_data(built_in()), created_by=actor
    )
    with pytest.raises(actions.NotAllowed, match="is a draft: publish it"):
        create_cohort(actor, "On a draft", template=draft)


def test_a_review_keeps_the_template_version_it_was_assigned_with(cast):
    actor = cast["qa_lead"]
    neglect = load_template(by=actor, definition=read_yaml(NEGLECT.read_text())).template
    cohort = create_cohort(actor, "Neglect audit", template=neglect)
    child = Child.objects.order_by("id").first()
    review = actions.assign_review(
        by=actor, cohort=cohort, child=child, reviewer=cast["reviewer_internal"].staff_member,
        reviewer_type="internal", due_date=cohort.period_end,
        social_worker=Review.objects.first().social_worker,
    )  # fmt: skip
    assert review.template == neglect
    # The cohort moving on later does not change what the review was asked.
    cohort.template = AuditTemplate.objects.built_in()
    cohort.save()
    review.refresh_from_db()
    assert review.template == neglect


def test_loading_a_template_file_adds_it_and_says_what_it_has(actor):
    out, _ = templates("load", str(NEGLECT))
    definition = read_yaml(NEGLECT.read_text())
    stored = AuditTemplate.objects.get(key=definition.key, version=definition.version)
    assert stored.is_published and stored.template == definition
    assert stored.history.get().history_user == actor  # attributed to the command-line user
    assert out.startswith(f"added: {definition.name}, version {definition.version} ")
    assert f"{len(definition.standards)} standards" in out


def test_loading_the_same_file_again_changes_nothing(actor):
    templates("load", str(NEGLECT))
    stored = AuditTemplate.objects.exclude(key=BUILT_IN_KEY).get()
    history = stored.history.count()
    out, _ = templates("load", str(NEGLECT))
    assert out.startswith("unchanged: ")
    assert stored.history.count() == history


def test_a_changed_file_replaces_a_version_no_cohort_uses(actor, tmp_path):
    templates("load", str(NEGLECT))
    changed = tmp_path / "neglect.yaml"
    changed.write_text(NEGLECT.read_text().replace("name: ", "name: Revised ", 1))
    out, _ = templates("load", str(changed))
    assert out.startswith("replaced: Revised ")
    assert AuditTemplate.objects.exclude(key=BUILT_IN_KEY).get().name.startswith("Revised ")


def test_a_changed_file_for_a_version_in_use_is_refused_naming_the_next_version(actor, tmp_path):
    neglect = load_template(by=actor, definition=read_yaml(NEGLECT.read_text())).template
    create_cohort(actor, "Neglect audit", template=neglect)
    changed = tmp_path / "neglect.yaml"
    changed.write_text(NEGLECT.read_text().replace("name: ", "name: Revised ", 1))
    error, _ = refused("load", str(changed))
    assert str(error) == (
        f"nothing loaded: Version 1 of {neglect.key} is used by 1 cohort, so it cannot change: "
        "give the changed template version 2"
    )
    neglect.refresh_from_db()
    assert not neglect.name.startswith("Revised ")


def test_a_bad_file_is_refused_with_a_line_per_problem_and_changes_nothing(actor, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("key: Bad Key\nname: ''\nversion: one\ngrades: []\n")
    before = AuditTemplate.objects.count()
    error, err = refused("load", str(bad))
    problems = err.strip().splitlines()
    assert len(problems) >= 4  # the key, the name, the version, no grade axis
    assert str(error) == f"nothing loaded: {len(problems)} problems in bad.yaml"
    assert error.returncode == 1
    assert AuditTemplate.objects.count() == before


def test_a_file_that_is_not_text_is_refused(actor, tmp_path):
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"\xff\xfe\x00key")
    error, _ = refused("load", str(binary))
    assert str(error) == "nothing loaded: binary.yaml is not UTF-8 text"


def test_dump_prints_the_file_that_loads_back_as_the_same_template(actor):
    out, _ = templates("dump", BUILT_IN_KEY)
    assert read_yaml(out) == built_in()
    templates("load", str(NEGLECT))
    key = read_yaml(NEGLECT.read_text()).key
    assert read_yaml(templates("dump", key, "--version", "1")[0]) == read_yaml(NEGLECT.read_text())


def test_dump_of_a_template_there_is_not_is_a_usage_error(db):
    error, _ = refused("dump", "no_such_template")
    assert (str(error), error.returncode) == ("there is no published template no_such_template", 2)


def create_cohort(actor, name, template=None):
    seed = Cohort.objects.filter(name=SEPTEMBER).first()
    start = seed.period_start if seed else None
    return actions.create_cohort(
        by=actor, name=name, period_start=start, period_end=start, selected_by="QA lead",
        selection_reason="mixed", template=template,
    )  # fmt: skip


# The seed cohorts' figures as `practice-review report --format json` printed them before
# templates existed (made at 0d926de, the commit before migration 0012). Every stage of issue 15
# must leave them byte for byte the same, apart from the `template` key stage 2 adds.
GOLDEN = Path(__file__).parent / "data" / "seed-report-figures"


@pytest.mark.parametrize(
    "golden, arguments",
    [
        ("july.json", ["--cohort", "July 2024 Practice Assurance Fortnight"]),
        ("september-with-july.json", ["--cohort", SEPTEMBER,
                                      "--compare", "July 2024 Practice Assurance Fortnight"]),
    ],
)  # fmt: skip
def test_the_seed_cohorts_figures_are_byte_for_byte_what_they_were_before_templates(
    seeded, golden, arguments, capsysbinary
):
    call_command("report", *arguments, "--format", "json")  # writes to the process's stdout
    printed = capsysbinary.readouterr().out
    # The `template` entries (the cohort's and the comparator's) taken out as text, so that
    # everything else is compared byte for byte.
    entry = re.compile(rb'^( *)"template": \{\n.*?\n\1\},\n', re.MULTILINE | re.DOTALL)
    templates = [json.loads(b"{" + found[0].rstrip(b",\n") + b"}") for found in
                 entry.finditer(printed)]  # fmt: skip
    shipped = {"key": BUILT_IN_KEY, "version": built_in().version, "name": built_in().name}
    assert templates == [{"template": shipped}] * (len(arguments) // 2)  # and the comparator's
    assert entry.sub(b"", printed) == (GOLDEN / golden).read_bytes()


def test_a_file_over_the_template_size_limit_is_refused_unread(actor, tmp_path):
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    error, _ = refused("load", str(big))
    assert str(error) == f"nothing loaded: big.yaml is larger than {MAX_FILE_BYTES:,} bytes"
    assert error.returncode == 1


def test_grades_of_a_templates_own_load_and_clashing_grade_keys_are_refused(actor, tmp_path):
    """A template grades on its own axes and scales (ADR 0007, stage 3); an axis whose key is
    one of the figures' own names, or whose columns another axis's would take, is refused with
    a line each, and nothing is loaded."""
    own_scale = (
        "scale:\n      - {key: secure, label: Secure}\n      - {key: not_secure, label: Not secure}"
    )
    own = tmp_path / "own.yaml"
    own.write_text(
        NEGLECT.read_text()
        .replace("key: outcome", "key: safety", 1)
        .replace("scale: ilacs", own_scale, 1)
        .replace("good_or_better: good", "good_or_better: secure", 1)
    )
    out, _ = templates("load", str(own))
    assert out.startswith("added: ")
    stored = AuditTemplate.objects.exclude(key=BUILT_IN_KEY).get()
    assert [axis.key for axis in stored.template.grades] == ["practice", "safety"]
    assert [level.key for level in stored.template.grades[0].levels] == ["secure", "not_secure"]

    clashing = tmp_path / "clashing.yaml"
    clashing.write_text(
        NEGLECT.read_text()
        .replace("key: neglect_thematic", "key: clashing", 1)
        .replace("key: outcome", "key: second_practice", 1)
        .replace("  - key: practice", "  - key: cohort", 1)
    )
    before = AuditTemplate.objects.count()
    error, err = refused("load", str(clashing))
    assert err.strip().splitlines() == [
        'line 13: grades, item 1: key "cohort" is one of the figures\' own names, and an '
        "axis's key names its grades in the figures: choose another",
    ]
    clashing.write_text(clashing.read_text().replace("key: cohort", "key: practice", 1))
    error, err = refused("load", str(clashing))
    assert err.strip().splitlines() == [
        'grade "second_practice": its column second_practice_grade is also grade "practice"\'s, '
        "so review files could not tell them apart: give the grade another key",
    ]
    assert error.returncode == 1
    assert AuditTemplate.objects.count() == before


def test_a_template_may_word_its_grades_its_own_way(actor, tmp_path):
    changed = tmp_path / "worded.yaml"
    changed.write_text(
        NEGLECT.read_text().replace(
            "label: Social work practice", "label: Practice with the family", 1
        )
    )
    templates("load", str(changed))
    stored = AuditTemplate.objects.exclude(key=BUILT_IN_KEY).get()
    assert stored.template.grades[0].label == "Practice with the family"
