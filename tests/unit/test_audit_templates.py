"""Audit templates as files (docs/spec/audit-templates.md): reading, checking and writing them.

Pure tests: text or plain data in, an `AuditTemplate` or `TemplateProblems` out. No database.

Every template is built from GOOD, a file that reads cleanly; each test changes only what it is
about, so a failure points at one rule, and each rule's message is asserted word for word: the
QA lead acts on it.
"""

import copy
import importlib
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from practice_review.core import audit_templates as at
from practice_review.core import vocabulary as v
from practice_review.core.audit_templates import (
    BUILT_IN_KEY,
    AuditTemplate,
    GradeAxis,
    Level,
    Question,
    Standard,
    TemplateProblems,
    Theme,
    built_in,
    from_data,
    read_yaml,
    to_data,
    to_yaml,
)

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "templates" / "neglect-thematic.yaml"
SHIPPED = ROOT / "practice_review" / "core" / "instruments" / "practice_and_impact-1.yaml"

GOOD = """\
key: neglect_thematic
name: Thematic audit - neglect
version: 1
grades:
  - key: practice
    label: Social work practice
    scale: ilacs
    good_or_better: good
standards:
  - {key: graded_care_profile, label: "A Graded Care Profile 2 was completed"}
themes:
  - {key: journey, label: "The journey of the child"}
questions:
  - {key: voice_recorded, label: "Was the child's voice recorded?", type: yes_no}
"""

ILACS_LEVELS = tuple(Level(key, label) for key, label in v.GRADES)


def good_data():
    return yaml.safe_load(GOOD)


def problems(data):
    with pytest.raises(TemplateProblems) as raised:
        from_data(data)
    return raised.value.problems


def yaml_problems(text):
    with pytest.raises(TemplateProblems) as raised:
        read_yaml(text)
    return raised.value.problems


def changed(change):
    data = good_data()
    change(data)
    return data


# --- What a good file reads as ---------------------------------------------------------------


def test_a_good_file_reads_as_a_template():
    assert read_yaml(GOOD) == AuditTemplate(
        key="neglect_thematic",
        name="Thematic audit - neglect",
        version=1,
        description="",
        grades=(GradeAxis("practice", "Social work practice", "ilacs", ILACS_LEVELS, "good"),),
        standards=(Standard("graded_care_profile", "A Graded Care Profile 2 was completed"),),
        themes=(Theme("journey", "The journey of the child"),),
        questions=(Question("voice_recorded", "Was the child's voice recorded?", "yes_no"),),
    )


def test_descriptors_of_an_ilacs_axis_go_to_its_levels():
    data = changed(lambda d: d["grades"][0].update(descriptors={"good": "Purposeful."}))
    axis = from_data(data).grades[0]
    assert [level.descriptor for level in axis.levels] == ["", "Purposeful.", "", ""]


def test_a_custom_scale_is_read_best_first_and_cut_at_its_good_or_better():
    data = changed(
        lambda d: d["grades"][0].update(
            scale=[
                {"key": "strong", "label": "Strong", "descriptor": "Clear difference."},
                {"key": "adequate", "label": "Adequate"},
                {"key": "weak", "label": "Weak"},
            ],
            good_or_better="adequate",
        )
    )
    axis = from_data(data).grades[0]
    assert axis.scale == "custom"
    assert axis.levels == (
        Level("strong", "Strong", "Clear difference."),
        Level("adequate", "Adequate"),
        Level("weak", "Weak"),
    )
    assert axis.good_or_better_keys == ("strong", "adequate")


def test_an_axis_without_a_cut_has_no_good_or_better_grades():
    data = changed(lambda d: d["grades"][0].update(good_or_better=None))
    assert from_data(data).grades[0].good_or_better_keys == ()
    del data["grades"][0]["good_or_better"]
    assert from_data(data).grades[0].good_or_better_keys == ()


def test_the_ilacs_cut_at_good_matches_the_vocabulary():
    assert read_yaml(GOOD).grades[0].good_or_better_keys == v.GOOD_OR_BETTER


def test_optional_fields_read_as_empty_when_absent_or_blank():
    data = changed(lambda d: d.update(description="   ", standards=[], themes=None))
    del data["questions"]
    template = from_data(data)
    assert (template.description, template.standards, template.themes, template.questions) == (
        "",
        (),
        (),
        (),
    )


def test_a_choice_question_keeps_its_choices_in_order_and_whether_it_is_required():
    data = changed(
        lambda d: d["questions"].append(
            {
                "key": "neglect_level",
                "label": "Level of neglect",
                "type": "choice",
                "required": True,
                "choices": [{"key": "low", "label": "Low"}, {"key": "high", "label": "High"}],
            }
        )
    )
    assert from_data(data).questions[1] == Question(
        "neglect_level", "Level of neglect", "choice", (("low", "Low"), ("high", "High")), True
    )


# --- Every rule, with a failing example and its message ----------------------------------------


def _set(path, value):
    def change(data):
        target = data
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value

    return change


def _delete(path):
    def change(data):
        target = data
        for step in path[:-1]:
            target = target[step]
        del target[path[-1]]

    return change


TOO_LONG_KEY = "k" * 61
RULES = [
    # keys
    (
        _set(("standards", 0, "key"), "Graded care"),
        'standards, item 1: key "Graded care" must be lower-case letters, digits and _, '
        "starting with a letter",
    ),
    (
        _set(("key",), "1st_audit"),
        'key "1st_audit" must be lower-case letters, digits and _, starting with a letter',
    ),
    (
        _set(("standards", 0, "key"), "seen__alone"),
        'standards, item 1: key "seen__alone" must not have two _ together or end with _',
    ),
    (
        _set(("questions", 0, "key"), "voice_"),
        'questions, item 1: key "voice_" must not have two _ together or end with _',
    ),
    (
        _set(("themes", 0, "key"), TOO_LONG_KEY),
        f'themes, item 1: key "{TOO_LONG_KEY}" is too long: at most 60 characters '
        "(this one has 61)",
    ),
    (_set(("themes", 0, "key"), 7), "themes, item 1: key must be text, not 7"),
    (_delete(("standards", 0, "key")), "standards, item 1: key is required"),
    (_delete(("key",)), "key is required"),
    (
        lambda d: d["standards"].append({"key": "graded_care_profile", "label": "Again"}),
        'standards, item 2: key "graded_care_profile" is already used by item 1',
    ),
    # name and labels
    (_delete(("name",)), "name is required"),
    (_set(("name",), "   "), "name must not be blank"),
    (_set(("name",), "n" * 501), "name must be at most 500 characters (this one has 501)"),
    (_set(("themes", 0, "label"), None), "themes, item 1: label is required"),
    (_set(("themes", 0, "label"), ""), "themes, item 1: label must not be blank"),
    (
        _set(("grades", 0, "label"), ["a", "b"]),
        "grades, item 1: label must be text, not a list",
    ),
    (
        _set(("questions", 0, "label"), True),
        "questions, item 1: label must be text, not true (YAML reads yes, no, on, off, true "
        "and false as yes or no: put the text in quotes)",
    ),
    (
        _set(("standards", 0, "label"), "Bell\x07"),
        "standards, item 1: label must not contain control characters",
    ),
    # longer texts
    (
        _set(("description",), "d" * 5001),
        "description must be at most 5,000 characters (this one has 5,001)",
    ),
    (
        _set(("standards", 0, "help"), "h" * 5001),
        "standards, item 1: help must be at most 5,000 characters (this one has 5,001)",
    ),
    (
        _set(("grades", 0, "descriptors"), {"good": "g" * 5001}),
        'grades, item 1: the descriptor of "good" must be at most 5,000 characters '
        "(this one has 5,001)",
    ),
    # version
    (_set(("version",), "one"), 'version must be a whole number, not "one"'),
    (_set(("version",), 1.5), "version must be a whole number, not 1.5"),
    (_set(("version",), True), "version must be a whole number, not true"),
    (_set(("version",), 0), "version must be 1 or more, not 0"),
    (
        _set(("version",), 2**31),
        "version must be at most 2,147,483,647, not 2,147,483,648",
    ),
    (_delete(("version",)), "version is required"),
    # grade axes
    (_delete(("grades",)), "grades is required: a template needs at least one grade axis"),
    (_set(("grades",), []), "grades is empty: a template needs at least one grade axis"),
    (_set(("grades",), "ilacs"), 'grades must be a list, not "ilacs"'),
    (
        _set(("grades", 0), "practice"),
        "grades, item 1 must be a set of fields (key, label, scale, good_or_better, "
        'descriptors), not "practice"',
    ),
    (_delete(("grades", 0, "scale")), "grades, item 1: scale is required"),
    (
        _set(("grades", 0, "scale"), "ILACS"),
        'grades, item 1: scale must be "ilacs" or a list of levels, not "ILACS": '
        'did you mean "ilacs"?',
    ),
    (
        _set(("grades", 0, "scale"), [{"key": "only", "label": "Only"}]),
        "grades, item 1: scale must have 2 to 10 levels (this one has 1)",
    ),
    (
        _set(
            ("grades", 0, "scale"),
            [{"key": f"level_{n}", "label": f"Level {n}"} for n in range(11)],
        ),
        "grades, item 1: scale must have 2 to 10 levels (this one has 11)",
    ),
    (
        _set(("grades", 0, "scale"), [{"key": "high", "label": "High"}, {"key": "high"}]),
        "grades, item 1, level 2: label is required",
    ),
    (
        _set(
            ("grades", 0, "scale"),
            [{"key": "high", "label": "High"}, {"key": "high", "label": "Low"}],
        ),
        'grades, item 1, level 2: key "high" is already used by level 1',
    ),
    (
        _set(("grades", 0, "good_or_better"), "great"),
        'grades, item 1: good_or_better "great" is not a level of this scale: use one of '
        "outstanding, good, requires_improvement, inadequate (or leave it out for no cut)",
    ),
    (
        _set(("grades", 0, "descriptors"), {"outstandng": "Text"}),
        'grades, item 1: descriptors: "outstandng" is not a grade of the ILACS scale: '
        'did you mean "outstanding"?',
    ),
    (
        _set(("grades", 0, "descriptors"), ["Text"]),
        "grades, item 1: descriptors must be a set of fields (one for each grade), not a list",
    ),
    (
        lambda d: d["grades"][0].update(
            scale=[{"key": "high", "label": "High"}, {"key": "low", "label": "Low"}],
            good_or_better="high",
            descriptors={"high": "Text"},
        ),
        "grades, item 1: descriptors are only for scale: ilacs: give each level of a scale "
        "of your own its descriptor",
    ),
    (
        lambda d: d["grades"].append(copy.deepcopy(d["grades"][0])),
        'grades, item 2: key "practice" is already used by item 1',
    ),
    # list sizes
    (
        _set(("themes",), [{"key": f"theme_{n}", "label": "A theme"} for n in range(201)]),
        "themes has 201 items: at most 200",
    ),
    # questions
    (_delete(("questions", 0, "type")), "questions, item 1: type is required"),
    (
        _set(("questions", 0, "type"), "yesno"),
        'questions, item 1: type "yesno" is not a question type: use yes_no, choice, number '
        'or text: did you mean "yes_no"?',
    ),
    (
        lambda d: d["questions"][0].update(type="choice", choices=[{"key": "a", "label": "A"}]),
        "questions, item 1: a choice question needs 2 to 50 choices (this one has 1)",
    ),
    (
        lambda d: d["questions"][0].update(type="choice"),
        "questions, item 1: a choice question needs 2 to 50 choices (this one has 0)",
    ),
    (
        lambda d: d["questions"][0].update(
            type="choice",
            choices=[{"key": f"c{n}", "label": f"Choice {n}"} for n in range(51)],
        ),
        "questions, item 1: a choice question needs 2 to 50 choices (this one has 51)",
    ),
    (
        lambda d: d["questions"][0].update(
            choices=[{"key": "a", "label": "A"}, {"key": "b", "label": "B"}]
        ),
        "questions, item 1: choices are only for questions of type choice (this one is yes_no)",
    ),
    (
        lambda d: d["questions"][0].update(
            type="choice", choices=[{"key": "a", "label": "A"}, {"key": "a", "label": "B"}]
        ),
        'questions, item 1, choice 2: key "a" is already used by choice 1',
    ),
    (
        _set(("questions", 0, "required"), "yes please"),
        'questions, item 1: required must be true or false, not "yes please"',
    ),
    # unknown fields
    (
        lambda d: d["themes"][0].update(lable="x"),
        'themes, item 1: unknown field "lable": did you mean "label"?',
    ),
    (
        lambda d: d.update(colour="blue"),
        'unknown field "colour": the fields here are key, name, version, description, grades, '
        "standards, themes, questions",
    ),
    # the whole file
    (lambda d: d.clear(), "key is required"),
]


@pytest.mark.parametrize(("change", "message"), RULES, ids=[m[:60] for _c, m in RULES])
def test_each_rule_names_what_is_wrong_and_where(change, message):
    assert message in problems(changed(change))


def test_every_problem_is_reported_at_once():
    data = changed(
        lambda d: (
            d.update(version="one", name="")
            or d["standards"][0].update(key="Bad key")
            or d["questions"][0].update(type="essay")
        )
    )
    assert len(problems(data)) == 4


def test_a_file_that_is_not_a_set_of_fields_is_one_problem():
    assert problems(["key", "name"]) == [
        "a template must be a set of fields (key, name, version, description, grades, "
        "standards, themes, questions), not a list"
    ]


def test_an_empty_file_is_one_problem():
    assert yaml_problems("") == [
        "the file is empty: a template needs key, name, version and grades"
    ]
    assert yaml_problems("# only a comment\n") == [
        "the file is empty: a template needs key, name, version and grades"
    ]


def test_template_problems_read_one_a_line():
    error = TemplateProblems(["first problem", "second problem"])
    assert isinstance(error, ValueError)
    assert str(error) == "first problem\nsecond problem"


# --- Line numbers -------------------------------------------------------------------------------


def test_problems_name_the_line_of_the_value_at_fault():
    text = GOOD.replace("version: 1", "version: one").replace(
        "key: graded_care_profile", "key: Graded care"
    )
    assert yaml_problems(text) == [
        'line 3: version must be a whole number, not "one"',
        'line 10: standards, item 1: key "Graded care" must be lower-case letters, digits and _, '
        "starting with a letter",
    ]


def test_an_unknown_field_is_reported_on_its_own_line():
    text = GOOD.replace("    good_or_better: good\n", "    good_or_better: good\n    lable: x\n")
    assert yaml_problems(text) == [
        'line 9: grades, item 1: unknown field "lable": did you mean "label"?'
    ]


def test_a_missing_field_is_reported_at_the_start_of_its_item():
    text = GOOD.replace("    label: Social work practice\n", "")
    assert yaml_problems(text) == ["line 5: grades, item 1: label is required"]


def test_a_field_given_twice_is_a_problem_on_the_second():
    text = GOOD.replace("version: 1\n", "version: 1\nversion: 2\n")
    assert yaml_problems(text) == ['line 4: field "version" is given twice']


def test_problems_come_in_the_order_of_the_file():
    text = GOOD.replace("key: journey", "key: Journey").replace("version: 1", "version: 0")
    assert [problem.split(":")[0] for problem in yaml_problems(text)] == ["line 3", "line 12"]


def test_a_yaml_syntax_error_is_one_problem_with_its_line():
    text = GOOD.replace("name: Thematic audit - neglect", 'name: "Thematic audit')
    found = yaml_problems(text)
    assert len(found) == 1
    assert found[0].startswith("line ")
    assert "is not valid YAML" in found[0]


def test_a_character_yaml_does_not_allow_is_one_problem_with_its_line():
    assert yaml_problems(GOOD.replace("Thematic", "The\x00matic")) == [
        "line 2: the file has a character YAML does not allow (#x0000): remove it"
    ]


def test_python_objects_are_never_constructed():
    text = GOOD.replace("version: 1", "version: !!python/object/apply:os.system ['true']")
    found = yaml_problems(text)
    assert len(found) == 1
    assert found[0].startswith("line 3: ")


def test_yes_and_no_without_quotes_are_explained():
    text = GOOD.replace("label: Social work practice", "label: Yes")
    assert yaml_problems(text) == [
        "line 6: grades, item 1: label must be text, not true (YAML reads yes, no, on, off, "
        "true and false as yes or no: put the text in quotes)"
    ]


# --- Safety: aliases, size, depth ---------------------------------------------------------------


def test_anchors_and_aliases_are_refused():
    text = GOOD.replace(
        "  - {key: journey", "  - &theme {key: other, label: Other}\n  - *theme\n  - {key: journey"
    )
    assert yaml_problems(text) == [
        "line 12: anchors and aliases (& and *) are not allowed in a template: write each item "
        "out in full"
    ]


def test_a_billion_laughs_file_is_refused_before_it_expands():
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 10)]
    found = yaml_problems("\n".join(lines))
    assert found == [
        "line 1: anchors and aliases (& and *) are not allowed in a template: write each item "
        "out in full"
    ]


def test_a_file_over_one_megabyte_is_refused_unread():
    text = GOOD + "description: " + "x" * (at.MAX_FILE_BYTES) + "\n"
    assert yaml_problems(text) == [
        f"the file is {len(text.encode()):,} bytes: a template file must be at most "
        "1,048,576 bytes (1 MB)"
    ]


def test_the_size_cap_counts_bytes_not_characters():
    text = "# " + "é" * (at.MAX_FILE_BYTES // 2) + "\n" + GOOD
    assert "a template file must be at most" in yaml_problems(text)[0]


def test_deep_nesting_is_one_problem_not_a_crash():
    found = yaml_problems("key: " + "[" * 5000 + "]" * 5000)
    assert found == ["line 1: the file is nested too deeply: a template needs at most 20 levels"]


def test_more_than_one_document_is_a_problem():
    assert yaml_problems(GOOD + "---\n" + GOOD) == [
        "line 15: the file is not valid YAML: expected a single document in the stream, "
        "but found another document"
    ]


# --- Writing ------------------------------------------------------------------------------------


def test_to_data_writes_the_documented_order_and_leaves_out_empty_fields():
    data = to_data(read_yaml(GOOD))
    assert list(data) == ["key", "name", "version", "grades", "standards", "themes", "questions"]
    assert data["grades"] == [
        {
            "key": "practice",
            "label": "Social work practice",
            "scale": "ilacs",
            "good_or_better": "good",
        }
    ]
    assert data["questions"] == [
        {"key": "voice_recorded", "label": "Was the child's voice recorded?", "type": "yes_no"}
    ]


def test_to_yaml_writes_ilacs_without_its_levels_and_descriptors_only_when_given():
    written = to_yaml(read_yaml(GOOD))
    assert "scale: ilacs\n" in written
    assert "outstanding" not in written
    assert "descriptors" not in written
    with_descriptor = changed(lambda d: d["grades"][0].update(descriptors={"good": "Purposeful."}))
    assert "descriptors:\n      good: Purposeful.\n" in to_yaml(from_data(with_descriptor))


def test_to_yaml_is_block_style_in_the_documented_order_and_keeps_unicode():
    data = changed(lambda d: d.update(name="Audit – neglect (Māori names kept)"))
    written = to_yaml(from_data(data))
    assert written.startswith("key: neglect_thematic\nname: Audit – neglect (Māori names kept)\n")
    assert "{" not in written
    assert read_yaml(written) == from_data(data)


def test_a_custom_scale_is_written_as_its_levels():
    data = changed(
        lambda d: d["grades"][0].update(
            scale=[
                {"key": "high", "label": "High", "descriptor": "Text"},
                {"key": "low", "label": "Low"},
            ],
            good_or_better=None,
        )
    )
    assert to_data(from_data(data))["grades"][0] == {
        "key": "practice",
        "label": "Social work practice",
        "scale": [
            {"key": "high", "label": "High", "descriptor": "Text"},
            {"key": "low", "label": "Low"},
        ],
    }


KEYS = st.from_regex(r"[a-z](?:_?[a-z0-9]){0,29}", fullmatch=True)  # no "__", no "_" at the end
TEXT = st.text(
    st.characters(blacklist_categories=["Cs", "Cc"]) | st.sampled_from("\n\t"), max_size=80
)
LABELS = TEXT.filter(str.strip)
OPTIONAL_TEXT = st.one_of(st.just(""), LABELS)


def unique_by_key(items, min_size=0, max_size=6):
    return st.lists(items, min_size=min_size, max_size=max_size, unique_by=lambda item: item.key)


@st.composite
def grade_axes(draw):
    if draw(st.booleans()):
        levels = tuple(Level(key, label, draw(OPTIONAL_TEXT)) for key, label in v.GRADES)
        scale = "ilacs"
    else:
        levels = tuple(draw(unique_by_key(st.builds(Level, KEYS, LABELS, OPTIONAL_TEXT), 2, 10)))
        scale = "custom"
    cut = draw(st.none() | st.sampled_from([level.key for level in levels]))
    return GradeAxis(draw(KEYS), draw(LABELS), scale, levels, cut)


@st.composite
def questions(draw):
    kind = draw(st.sampled_from(["yes_no", "choice", "number", "text"]))
    choices = ()
    if kind == "choice":
        pairs = draw(
            st.lists(st.tuples(KEYS, LABELS), min_size=2, max_size=5, unique_by=lambda p: p[0])
        )
        choices = tuple(pairs)
    return Question(draw(KEYS), draw(LABELS), kind, choices, draw(st.booleans()))


templates = st.builds(
    AuditTemplate,
    key=KEYS,
    name=LABELS,
    version=st.integers(1, 2**31 - 1),
    description=OPTIONAL_TEXT,
    grades=unique_by_key(grade_axes(), 1, 3).map(tuple),
    standards=unique_by_key(st.builds(Standard, KEYS, LABELS, OPTIONAL_TEXT)).map(tuple),
    themes=unique_by_key(st.builds(Theme, KEYS, LABELS)).map(tuple),
    questions=unique_by_key(questions()).map(tuple),
)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(templates)
def test_every_valid_template_survives_a_round_trip_through_yaml(template):
    assert from_data(to_data(template)) == template
    assert read_yaml(to_yaml(template)) == template


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300) | templates.map(to_yaml).map(lambda text: text[: len(text) // 2]))
def test_any_text_reads_as_a_template_or_as_problems_never_a_crash(text):
    try:
        read_yaml(text)
    except TemplateProblems as error:
        assert error.problems
        assert all(isinstance(problem, str) and problem for problem in error.problems)


# --- The built-in template and the shipped example ----------------------------------------------


def test_the_built_in_template_is_the_practice_and_impact_review_version_1():
    template = built_in()
    assert (template.key, template.version, template.name) == (
        BUILT_IN_KEY,
        1,
        "Practice and Impact Review",
    )
    assert BUILT_IN_KEY == "practice_and_impact"
    assert template.questions == ()


def test_the_built_in_standards_and_themes_are_the_vocabulary():
    template = built_in()
    assert [(item.key, item.label) for item in template.standards] == v.PRACTICE_STANDARDS
    assert [(item.key, item.label) for item in template.themes] == v.THEMES


def test_the_built_in_grades_are_ilacs_with_the_reference_descriptors():
    descriptors = importlib.import_module(
        "practice_review.reviews.migrations.0002_reference_data"
    ).DESCRIPTORS
    grades = built_in().grades
    assert [(axis.key, axis.label, axis.scale, axis.good_or_better) for axis in grades] == [
        ("practice", "Social work practice", "ilacs", "good"),
        ("outcome", "Outcomes for the child", "ilacs", "good"),
    ]
    for axis in grades:
        assert [(level.key, level.label) for level in axis.levels] == v.GRADES
        assert {level.key: level.descriptor for level in axis.levels} == descriptors[axis.key]
        assert axis.good_or_better_keys == v.GOOD_OR_BETTER


def test_the_built_in_file_is_written_as_to_yaml_writes_it():
    # So that `templates dump practice_and_impact` gives back the shipped file, byte for byte.
    assert SHIPPED.read_text(encoding="utf-8") == to_yaml(built_in())


def test_the_shipped_example_loads_and_round_trips():
    template = read_yaml(EXAMPLE.read_text(encoding="utf-8"))
    assert template.key == "neglect_thematic"
    assert [axis.key for axis in template.grades] == ["practice", "outcome"]
    assert {question.type for question in template.questions} == {
        "yes_no",
        "choice",
        "number",
        "text",
    }
    assert len(template.standards) >= 7
    assert read_yaml(to_yaml(template)) == template


def test_the_example_in_the_spec_reads_as_a_template():
    spec = (ROOT / "docs" / "spec" / "audit-templates.md").read_text(encoding="utf-8")
    example = spec.split("```yaml\n", 1)[1].split("```", 1)[0]
    template = read_yaml(example)
    assert template.grades[1].good_or_better_keys == ("improved",)
