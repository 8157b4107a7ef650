"""Audit templates as files (docs/spec/audit-templates.md): read, check and write them.

A template is the instrument a review answers: grade axes, standards, themes and questions.
Councils share templates as YAML files, so everything that loads or shows one goes through here:
`read_yaml` (a file's text) and `from_data` (the same, already parsed) check every rule and
raise `TemplateProblems` with every problem at once, each a sentence naming the line and the
item; `to_data` and `to_yaml` write a template back, so that `read_yaml(to_yaml(t)) == t`.

Pure Python: no Django, no models. The database keeps templates as rows; this module is the one
definition of what a valid template is (docs/spec/audit-templates.md#rules).
"""

import difflib
import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from practice_review.core import vocabulary as v

BUILT_IN_KEY = "practice_and_impact"

KEY_PATTERN = re.compile(r"[a-z][a-z0-9_]*\Z")
# "a__b" would read as two steps of a database lookup into a review's answers
# (reviews/answers.py), and "a_" runs into the "_comment" after it, so neither is a key.
_KEY_JOINS = re.compile(r"__|_\Z")
MAX_KEY_LENGTH = 60
MAX_LABEL_LENGTH = 500
MAX_TEXT_LENGTH = 5_000
MAX_ITEMS = 200
MIN_LEVELS, MAX_LEVELS = 2, 10
MIN_CHOICES, MAX_CHOICES = 2, 50
# The largest version every supported database keeps in an integer column.
MAX_VERSION = 2**31 - 1
# A template is a few kilobytes; the cap bounds the time and memory the pure-Python YAML reader
# may spend on a file (docs/spec/audit-templates.md#reading-a-file).
MAX_FILE_BYTES = 1024 * 1024
# A template nests five deep (template > grades > axis > scale > level); anything much deeper
# is not a template, and would exhaust Python's recursion in the YAML composer.
MAX_DEPTH = 20

# The report figures' own top-level names (docs/spec/interchange.md#report-figures, and the
# extra keys docs/spec/interchange.md lists): each grade axis's counts are under its key beside
# them, so no axis may take one. tests/integration/test_figures.py checks this list against the
# figures themselves.
FIGURES_KEYS = frozenset({
    "schema", "cohort", "reviewers", "both_outstanding", "practice_good_or_better_outcome_not",
    "gender", "age", "legal_status", "practice_standards", "alerts", "agreement", "comparison",
    "template", "templates", "left_out", "not_compared", "questions", "uasc",
    "distinct_children", "moderated", "grades_changed_at_moderation", "recommendations",
})  # fmt: skip
ILACS = "ilacs"
CUSTOM = "custom"
QUESTION_TYPES = ("yes_no", "choice", "number", "text")
# As review files (reviews/review_file.py): tab and line breaks are text, the rest are not.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

TEMPLATE_FIELDS = (
    "key", "name", "version", "description", "grades", "standards", "themes", "questions",
)  # fmt: skip
AXIS_FIELDS = ("key", "label", "scale", "good_or_better", "descriptors")
LEVEL_FIELDS = ("key", "label", "descriptor")
STANDARD_FIELDS = ("key", "label", "help")
THEME_FIELDS = ("key", "label")
QUESTION_FIELDS = ("key", "label", "type", "choices", "required")
CHOICE_FIELDS = ("key", "label")


@dataclass(frozen=True)
class Level:
    """One grade on a scale; `descriptor` describes that grade on its axis."""

    key: str
    label: str
    descriptor: str = ""


@dataclass(frozen=True)
class GradeAxis:
    """An ordinal scale a review grades (practice, outcome): levels best first."""

    key: str
    label: str
    scale: str  # ILACS (the vocabulary's four grades) or CUSTOM (the file lists its levels)
    levels: tuple[Level, ...]
    good_or_better: str | None  # the lowest level still counted good or better; None: no cut

    @property
    def good_or_better_keys(self) -> tuple[str, ...]:
        """The levels counted good or better, best first."""
        keys = tuple(level.key for level in self.levels)
        if self.good_or_better is None or self.good_or_better not in keys:
            return ()
        return keys[: keys.index(self.good_or_better) + 1]


@dataclass(frozen=True)
class Standard:
    """An item answered met, not met or not applicable (vocabulary.STANDARD_RESULTS)."""

    key: str
    label: str
    help: str = ""


@dataclass(frozen=True)
class Theme:
    """Where a review records strengths and areas for development."""

    key: str
    label: str


@dataclass(frozen=True)
class Question:
    """What a council asks beyond standards: type is one of QUESTION_TYPES."""

    key: str
    label: str
    type: str
    choices: tuple[tuple[str, str], ...] = ()  # (key, label), for type "choice" only
    required: bool = False


@dataclass(frozen=True)
class AuditTemplate:
    key: str
    name: str
    version: int
    description: str
    grades: tuple[GradeAxis, ...]
    standards: tuple[Standard, ...]
    themes: tuple[Theme, ...]
    questions: tuple[Question, ...]


class TemplateProblems(ValueError):
    """Every problem with a template, each a sentence naming where it is; one a line as text."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


# --- Checking -----------------------------------------------------------------------------------

# Where a value is: field names and list positions from the top of the file,
# ("standards", 2, "key") for the third standard's key.
Path = tuple[Any, ...]
# Item names by list, for "grades, item 1, level 2".
ITEM_NAMES = {"scale": "level", "choices": "choice"}


def _place(path: Path) -> str:
    """Where an item is, as words: "standards, item 3", "grades, item 1, level 2"."""
    words: list[str] = []
    for parent, step in zip((None, *path), path, strict=False):
        if isinstance(step, int):
            name = ITEM_NAMES.get(parent, "item")
            words.append(f"{name} {step + 1}")
        elif parent is None:
            words.append(str(step))
    return ", ".join(words)


def _shown(value: object) -> str:
    """A value as a problem quotes it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value[:60]}..."' if len(value) > 60 else f'"{value}"'
    if value is None:
        return "empty"
    if isinstance(value, int):
        return f"{value:,}" if abs(value) >= 10_000 else str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "a set of fields"
    if isinstance(value, bytes):
        return "binary data"
    return str(value)


def _suggestion(word: object, choices: tuple[str, ...] | list[str]) -> str:
    close = difflib.get_close_matches(str(word).lower(), choices, n=1, cutoff=0.6)
    return f': did you mean "{close[0]}"?' if close else ""


class _Checker:
    """Collects problems while turning plain data into a template."""

    def __init__(
        self,
        value_lines: Mapping[Path, int] | None = None,
        field_lines: Mapping[Path, int] | None = None,
    ) -> None:
        self.problems: list[tuple[int, str]] = []
        self.value_lines = value_lines or {}
        self.field_lines = field_lines or {}

    def line_of(self, path: Path, field: bool = False) -> int:
        if field and path in self.field_lines:
            return self.field_lines[path]
        while path:
            if path in self.value_lines:
                return self.value_lines[path]
            path = path[:-1]
        return self.value_lines.get((), 0)

    def problem(
        self, item: Path, message: str, at: Path | None = None, field: bool = False
    ) -> None:
        """`message` about `item` (a path to a set of fields); its line is that of `at`."""
        line = self.line_of(item if at is None else at, field)
        place = _place(item)
        text = f"{place}: {message}" if place else message
        self.problems.append((line, f"line {line}: {text}" if line else text))

    # Fields and values -------------------------------------------------------------------------

    def fields(self, value: object, path: Path, known: tuple[str, ...]) -> dict[Any, Any] | None:
        """The fields of an item, reporting any the format does not know."""
        if not isinstance(value, dict):
            where = _place(path)
            names = ", ".join(known)
            self.problem(
                (), f"{where} must be a set of fields ({names}), not {_shown(value)}", path
            )
            return None
        for name in value:
            if name not in known:
                hint = _suggestion(name, known) or f": the fields here are {', '.join(known)}"
                self.problem(path, f'unknown field "{_shown_key(name)}"{hint}', (*path, name), True)
        return value

    def text(
        self,
        fields: dict[Any, Any],
        path: Path,
        name: str,
        limit: int,
        required: bool,
        called: str = "",
    ) -> str:
        """A text field; `called` is how problems name it, when not by its field name."""
        value = fields.get(name)
        at = (*path, name)
        name = called or name
        if value is None:
            if required:
                self.problem(path, f"{name} is required", at if name in fields else path)
            return ""
        if not isinstance(value, str):
            hint = ""
            if isinstance(value, bool):
                hint = (
                    " (YAML reads yes, no, on, off, true and false as yes or no: "
                    "put the text in quotes)"
                )
            self.problem(path, f"{name} must be text, not {_shown(value)}{hint}", at)
            return ""
        if not value.strip():
            if required:
                self.problem(path, f"{name} must not be blank", at)
            return ""
        self.length_and_characters(path, name, value, limit, at)
        return value

    def length_and_characters(
        self, path: Path, name: str, value: str, limit: int, at: Path
    ) -> None:
        if len(value) > limit:
            self.problem(
                path,
                f"{name} must be at most {limit:,} characters (this one has {len(value):,})",
                at,
            )
        if CONTROL_CHARACTERS.search(value):
            self.problem(path, f"{name} must not contain control characters", at)

    def key(self, fields: dict[Any, Any], path: Path) -> str:
        value = fields.get("key")
        at = (*path, "key")
        if value is None:
            self.problem(path, "key is required", at if "key" in fields else path)
            return ""
        if not isinstance(value, str):
            self.problem(path, f"key must be text, not {_shown(value)}", at)
            return ""
        if not KEY_PATTERN.match(value):
            self.problem(
                path,
                f"key {_shown(value)} must be lower-case letters, digits and _, "
                "starting with a letter",
                at,
            )
            return ""
        if _KEY_JOINS.search(value):
            self.problem(path, f'key "{value}" must not have two _ together or end with _', at)
            return ""
        if len(value) > MAX_KEY_LENGTH:
            self.problem(
                path,
                f'key "{value}" is too long: at most {MAX_KEY_LENGTH} characters '
                f"(this one has {len(value)})",
                at,
            )
            return ""
        return value

    def items(
        self,
        container: dict[Any, Any],
        path: Path,
        name: str,
        read: Callable[[object, Path], Any],
    ) -> list[Any]:
        """A list of items, each read by `read`; keys unique within the list."""
        value = container.get(name)
        at = (*path, name)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(path, f"{name} must be a list, not {_shown(value)}", at)
            return []
        if len(value) > MAX_ITEMS:
            self.problem(path, f"{name} has {len(value):,} items: at most {MAX_ITEMS}", at)
            return []
        read_items = []
        first: dict[str, int] = {}
        for position, item in enumerate(value):
            item_path = (*at, position)
            read_item = read(item, item_path)
            if read_item is None:
                continue
            key = read_item[0] if isinstance(read_item, tuple) else read_item.key
            if key in first:
                other = f"{ITEM_NAMES.get(name, 'item')} {first[key] + 1}"
                self.problem(
                    item_path, f'key "{key}" is already used by {other}', (*item_path, "key")
                )
            elif key:
                first[key] = position
            read_items.append(read_item)
        return read_items

    # The parts of a template -------------------------------------------------------------------

    def template(self, data: object) -> AuditTemplate | None:
        if not isinstance(data, dict):
            names = ", ".join(TEMPLATE_FIELDS)
            self.problem((), f"a template must be a set of fields ({names}), not {_shown(data)}")
            return None
        self.fields(data, (), TEMPLATE_FIELDS)
        key = self.key(data, ())
        name = self.text(data, (), "name", MAX_LABEL_LENGTH, required=True)
        version = self.version(data)
        description = self.text(data, (), "description", MAX_TEXT_LENGTH, required=False)
        if data.get("grades") is None:
            self.problem(
                (), "grades is required: a template needs at least one grade axis", ("grades",)
            )
        elif data["grades"] == []:
            self.problem(
                (), "grades is empty: a template needs at least one grade axis", ("grades",)
            )
        grades = self.items(data, (), "grades", self.axis)
        standards = self.items(data, (), "standards", self.standard)
        themes = self.items(data, (), "themes", self.theme)
        questions = self.items(data, (), "questions", self.question)
        return AuditTemplate(
            key=key,
            name=name,
            version=version,
            description=description,
            grades=tuple(grades),
            standards=tuple(standards),
            themes=tuple(themes),
            questions=tuple(questions),
        )

    def version(self, data: dict[Any, Any]) -> int:
        value = data.get("version")
        at = ("version",)
        if value is None:
            self.problem((), "version is required", at if "version" in data else ())
        elif isinstance(value, bool) or not isinstance(value, int):
            self.problem((), f"version must be a whole number, not {_shown(value)}", at)
        elif value < 1:
            self.problem((), f"version must be 1 or more, not {_shown(value)}", at)
        elif value > MAX_VERSION:
            self.problem((), f"version must be at most {MAX_VERSION:,}, not {_shown(value)}", at)
        else:
            return value
        return 0

    def axis(self, value: object, path: Path) -> GradeAxis | None:
        fields = self.fields(value, path, AXIS_FIELDS)
        if fields is None:
            return None
        key = self.key(fields, path)
        if key in FIGURES_KEYS:
            self.problem(
                path,
                f"key \"{key}\" is one of the figures' own names, and an axis's key names its "
                "grades in the figures: choose another",
                (*path, "key"),
            )
        label = self.text(fields, path, "label", MAX_LABEL_LENGTH, required=True)
        scale, levels = self.scale(fields, path)
        descriptors = fields.get("descriptors")
        if descriptors is not None:
            if scale == ILACS:
                levels = self.ilacs_descriptors(descriptors, path, levels)
            elif scale == CUSTOM:
                self.problem(
                    path,
                    "descriptors are only for scale: ilacs: give each level of a scale of your "
                    "own its descriptor",
                    (*path, "descriptors"),
                    field=True,
                )
        cut = fields.get("good_or_better")
        level_keys = [level.key for level in levels]
        # A scale with problems has no levels to check the cut against: those problems first.
        if cut is not None and scale and cut not in level_keys:
            self.problem(
                path,
                f"good_or_better {_shown(cut)} is not a level of this scale: use one of "
                f"{', '.join(level_keys)} (or leave it out for no cut)",
                (*path, "good_or_better"),
            )
            cut = None
        return GradeAxis(key, label, scale, levels, cut if isinstance(cut, str) else None)

    def scale(self, fields: dict[Any, Any], path: Path) -> tuple[str, tuple[Level, ...]]:
        """The scale's name and levels; ("", ()) when it has problems."""
        value = fields.get("scale")
        at = (*path, "scale")
        if value is None:
            self.problem(path, "scale is required", at if "scale" in fields else path)
            return "", ()
        if value == ILACS:
            return ILACS, tuple(Level(key, label) for key, label in v.GRADES)
        if not isinstance(value, list):
            hint = _suggestion(value, [ILACS]) if isinstance(value, str) else ""
            self.problem(
                path, f'scale must be "ilacs" or a list of levels, not {_shown(value)}{hint}', at
            )
            return "", ()
        if not MIN_LEVELS <= len(value) <= MAX_LEVELS:
            self.problem(
                path,
                f"scale must have {MIN_LEVELS} to {MAX_LEVELS} levels (this one has {len(value)})",
                at,
            )
            return "", ()
        count = len(self.problems)
        levels = self.items(fields, path, "scale", self.level)
        if len(self.problems) > count:
            return "", ()
        return CUSTOM, tuple(levels)

    def level(self, value: object, path: Path) -> Level | None:
        fields = self.fields(value, path, LEVEL_FIELDS)
        if fields is None:
            return None
        return Level(
            self.key(fields, path),
            self.text(fields, path, "label", MAX_LABEL_LENGTH, required=True),
            self.text(fields, path, "descriptor", MAX_TEXT_LENGTH, required=False),
        )

    def ilacs_descriptors(
        self, value: object, path: Path, levels: tuple[Level, ...]
    ) -> tuple[Level, ...]:
        at = (*path, "descriptors")
        if not isinstance(value, dict):
            self.problem(
                path,
                f"descriptors must be a set of fields (one for each grade), not {_shown(value)}",
                at,
            )
            return levels
        grade_keys = [level.key for level in levels]
        for grade in value:
            if grade not in grade_keys:
                hint = _suggestion(grade, grade_keys) or f": use {', '.join(grade_keys)}"
                self.problem(
                    path,
                    f'descriptors: "{_shown_key(grade)}" is not a grade of the ILACS scale{hint}',
                    (*at, grade),
                    field=True,
                )
        described = []
        for level in levels:
            text = self.text(
                value,
                at,
                level.key,
                MAX_TEXT_LENGTH,
                required=False,
                called=f'the descriptor of "{level.key}"',
            )
            described.append(Level(level.key, level.label, text))
        return tuple(described)

    def standard(self, value: object, path: Path) -> Standard | None:
        fields = self.fields(value, path, STANDARD_FIELDS)
        if fields is None:
            return None
        return Standard(
            self.key(fields, path),
            self.text(fields, path, "label", MAX_LABEL_LENGTH, required=True),
            self.text(fields, path, "help", MAX_TEXT_LENGTH, required=False),
        )

    def theme(self, value: object, path: Path) -> Theme | None:
        fields = self.fields(value, path, THEME_FIELDS)
        if fields is None:
            return None
        return Theme(
            self.key(fields, path),
            self.text(fields, path, "label", MAX_LABEL_LENGTH, required=True),
        )

    def question(self, value: object, path: Path) -> Question | None:
        fields = self.fields(value, path, QUESTION_FIELDS)
        if fields is None:
            return None
        key = self.key(fields, path)
        label = self.text(fields, path, "label", MAX_LABEL_LENGTH, required=True)
        kind = fields.get("type")
        if kind is None:
            self.problem(path, "type is required", (*path, "type") if "type" in fields else path)
        elif kind not in QUESTION_TYPES:
            hint = _suggestion(kind, QUESTION_TYPES) if isinstance(kind, str) else ""
            self.problem(
                path,
                f"type {_shown(kind)} is not a question type: use yes_no, choice, number or "
                f"text{hint}",
                (*path, "type"),
            )
        choices = self.choices(fields, path, kind)
        required = fields.get("required")
        if required is None:
            required = False
        elif not isinstance(required, bool):
            self.problem(
                path, f"required must be true or false, not {_shown(required)}", (*path, "required")
            )
            required = False
        return Question(key, label, kind if isinstance(kind, str) else "", choices, required)

    def choices(
        self, fields: dict[Any, Any], path: Path, kind: object
    ) -> tuple[tuple[str, str], ...]:
        value = fields.get("choices")
        at = (*path, "choices")
        if kind != "choice":
            if value not in (None, []) and kind in QUESTION_TYPES:
                self.problem(
                    path,
                    f"choices are only for questions of type choice (this one is {kind})",
                    at,
                    field=True,
                )
            return ()
        if value is not None and not isinstance(value, list):
            self.problem(path, f"choices must be a list, not {_shown(value)}", at)
            return ()
        count = len(value or [])
        if not MIN_CHOICES <= count <= MAX_CHOICES:
            self.problem(
                path,
                f"a choice question needs {MIN_CHOICES} to {MAX_CHOICES} choices "
                f"(this one has {count})",
                at if value is not None else path,
            )
            return ()
        return tuple(self.items(fields, path, "choices", self.choice))

    def choice(self, value: object, path: Path) -> tuple[str, str] | None:
        fields = self.fields(value, path, CHOICE_FIELDS)
        if fields is None:
            return None
        return (
            self.key(fields, path),
            self.text(fields, path, "label", MAX_LABEL_LENGTH, required=True),
        )

    def result(self, template: AuditTemplate | None) -> AuditTemplate:
        if self.problems or template is None:
            # In the order of the file; problems without a line (from_data) keep their order.
            ordered = sorted(self.problems, key=lambda problem: problem[0])
            raise TemplateProblems([text for _line, text in ordered])
        return template


def _shown_key(name: object) -> str:
    """A field name as a problem quotes it (YAML may read `yes:` as a yes-or-no value)."""
    return _shown(name).strip('"') if isinstance(name, str) else _shown(name)


def from_data(data: object) -> AuditTemplate:
    """The template that plain data (as YAML or JSON reads a template file) describes.

    Raises TemplateProblems with every problem found, in the order of the fields.
    """
    checker = _Checker()
    return checker.result(checker.template(data))


# --- Reading YAML -------------------------------------------------------------------------------


class _Refused(Exception):
    def __init__(self, mark: yaml.Mark | None, message: str) -> None:
        super().__init__(message)
        self.line = mark.line + 1 if mark else 0
        self.message = message


class _SafeTemplateLoader(yaml.SafeLoader):
    """yaml.safe_load's reader, refusing anchors and aliases (a few lines of them can expand to
    gigabytes: "billion laughs") and nesting deeper than any template."""

    depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _Refused(
                event.start_mark,
                "anchors and aliases (& and *) are not allowed in a template: write each item "
                "out in full",
            )
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _Refused(
                event.start_mark,
                f"the file is nested too deeply: a template needs at most {MAX_DEPTH} levels",
            )
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _lines(
    loader: _SafeTemplateLoader, node: yaml.Node
) -> tuple[dict[Path, int], dict[Path, int], list[tuple[int, str]]]:
    """The line of each value and of each field name, by path; fields given twice."""
    value_lines: dict[Path, int] = {}
    field_lines: dict[Path, int] = {}
    repeated: list[tuple[int, str]] = []
    stack: list[tuple[Path, yaml.Node]] = [((), node)]
    while stack:
        path, current = stack.pop()
        value_lines[path] = current.start_mark.line + 1
        if isinstance(current, yaml.SequenceNode):
            stack.extend(((*path, n), item) for n, item in enumerate(current.value))
        elif isinstance(current, yaml.MappingNode):
            seen = set()
            for key_node, value_node in current.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    continue
                name = loader.construct_object(key_node)
                line = key_node.start_mark.line + 1
                if name in seen:
                    place = _place(path)
                    text = f'field "{_shown_key(name)}" is given twice'
                    repeated.append(
                        (line, f"line {line}: {place}: {text}" if place else f"line {line}: {text}")
                    )
                seen.add(name)
                field_lines[(*path, name)] = line
                stack.append(((*path, name), value_node))
    return value_lines, field_lines, repeated


def read_yaml(text: str) -> AuditTemplate:
    """The template a YAML file describes (docs/spec/audit-templates.md#reading-a-file).

    Read as yaml.safe_load reads (no Python objects), but refusing anchors and aliases, files
    over MAX_FILE_BYTES and deep nesting. Raises TemplateProblems, each problem with its line.
    """
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > MAX_FILE_BYTES:
        raise TemplateProblems(
            [
                f"the file is {size:,} bytes: a template file must be at most "
                f"{MAX_FILE_BYTES:,} bytes (1 MB)"
            ]
        )
    loader = None
    try:
        loader = _SafeTemplateLoader(text)  # refuses characters YAML does not allow
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
        if node is None:
            raise TemplateProblems(
                ["the file is empty: a template needs key, name, version and grades"]
            )
        value_lines, field_lines, repeated = _lines(loader, node)
    except _Refused as refused:
        raise TemplateProblems([f"line {refused.line}: {refused.message}"]) from None
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, error.position) + 1
        raise TemplateProblems(
            [
                f"line {line}: the file has a character YAML does not allow "
                f"(#x{error.character:04x}): remove it"
                if isinstance(error.character, int)
                else f"line {line}: the file could not be read as text: {error.reason}"
            ]
        ) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 0
        # PyYAML splits its message: "expected a single document" (context), "but found
        # another document" (problem); either alone can be unclear.
        problem = ", ".join(part for part in (error.context, error.problem) if part)
        raise TemplateProblems([f"line {line}: the file is not valid YAML: {problem}"]) from None
    except yaml.YAMLError as error:
        raise TemplateProblems([f"the file is not valid YAML: {error}"]) from None
    finally:
        if loader is not None:
            loader.dispose()
    checker = _Checker(value_lines, field_lines)
    checker.problems.extend(repeated)
    return checker.result(checker.template(data))


# --- Writing ------------------------------------------------------------------------------------


def _item(pairs: list[tuple[str, object]]) -> dict[str, object]:
    """Fields in order, leaving out empty optional ones."""
    return {
        name: value
        for name, value in pairs
        if value is not False and value not in ("", None, [], {})
    }


def _axis_data(axis: GradeAxis) -> dict[str, object]:
    if axis.scale == ILACS:
        descriptors = {level.key: level.descriptor for level in axis.levels if level.descriptor}
        scale: object = ILACS
    else:
        descriptors = {}
        scale = [
            _item([("key", level.key), ("label", level.label), ("descriptor", level.descriptor)])
            for level in axis.levels
        ]
    return _item(
        [
            ("key", axis.key),
            ("label", axis.label),
            ("scale", scale),
            ("good_or_better", axis.good_or_better),
            ("descriptors", descriptors),
        ]
    )


def to_data(template: AuditTemplate) -> dict[str, object]:
    """A template as plain data in the file format, fields in the documented order."""
    return _item(
        [
            ("key", template.key),
            ("name", template.name),
            ("version", template.version),
            ("description", template.description),
            ("grades", [_axis_data(axis) for axis in template.grades]),
            (
                "standards",
                [
                    _item([("key", s.key), ("label", s.label), ("help", s.help)])
                    for s in template.standards
                ],
            ),
            ("themes", [_item([("key", t.key), ("label", t.label)]) for t in template.themes]),
            (
                "questions",
                [
                    _item(
                        [
                            ("key", q.key),
                            ("label", q.label),
                            ("type", q.type),
                            ("choices", [{"key": k, "label": label} for k, label in q.choices]),
                            ("required", q.required),
                        ]
                    )
                    for q in template.questions
                ],
            ),
        ]
    )


class _IndentedDumper(yaml.SafeDumper):
    """yaml.safe_dump, with a list's items indented under its field, as people write them."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def to_yaml(template: AuditTemplate) -> str:
    """A template as a YAML file a person can read and edit: block style, the documented order."""
    return yaml.dump(
        to_data(template),
        Dumper=_IndentedDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )


# --- The built-in template ----------------------------------------------------------------------


@functools.cache  # a template is immutable, and the file ships with the code
def built_in() -> AuditTemplate:
    """The Practice and Impact Review, version 1: the template every council starts with."""
    shipped = resources.files("practice_review.core") / "instruments" / f"{BUILT_IN_KEY}-1.yaml"
    return read_yaml(shipped.read_text(encoding="utf-8"))


def themes_of(templates: Sequence[AuditTemplate]) -> tuple[Theme, ...]:
    """The themes of reviews answering `templates` (in the order given; none is the built-in),
    each once: first those every template asks, then the rest, each in the order of the first
    template that asks it and in its words. A report over two versions, or over a thematic
    audit beside the built-in, so has one section per theme, the shared ones together first."""
    templates = tuple(templates) or (built_in(),)
    every = [theme for template in templates for theme in template.themes]
    shared = [
        theme for theme in templates[0].themes
        if all(any(t.key == theme.key for t in template.themes) for template in templates[1:])
    ]  # fmt: skip
    listed = {theme.key for theme in shared}
    rest = []
    for theme in every:
        if theme.key not in listed:
            listed.add(theme.key)
            rest.append(theme)
    return (*shared, *rest)


def theme_labels(templates: Sequence[AuditTemplate]) -> dict[str, str]:
    """{theme key: its words} over `templates` and then the built-in, the first words found
    for each key: a theme chosen on any of them is named, never shown as its key."""
    return {theme.key: theme.label for theme in themes_of((*templates, built_in()))}
