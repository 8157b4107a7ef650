"""The structure docs/architecture.md describes, kept by tests as import-linter keeps the layers
(`make lint`): no import of ours hidden in a function, one decorator for permissions, states and
roles named through the vocabulary rather than typed as strings."""

import ast
import re
from pathlib import Path

import practice_review

PACKAGE = Path(practice_review.__file__).parent
ROOT = PACKAGE.parent


def our_modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path, ast.parse(path.read_text())


def test_no_import_of_ours_is_hidden_in_a_function():
    """An import inside a function to dodge a cycle is a cycle. The one place for one is an
    AppConfig.ready(): models cannot be imported before the app registry is ready."""
    hidden = []
    for path, tree in our_modules():
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef) or function.name == "ready":
                continue
            for node in ast.walk(function):
                module = getattr(node, "module", None) or ""
                names = [alias.name for alias in getattr(node, "names", [])]
                if isinstance(node, (ast.Import, ast.ImportFrom)) and any(
                    name.startswith("practice_review") for name in [module, *names]
                ):
                    hidden.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert hidden == []


def test_views_are_guarded_by_the_one_decorator():
    """`@requires(Permission.X)` (core/permissions.py), not a check written out in each view."""
    written_out = []
    for path in PACKAGE.rglob("*views.py"):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(r"if not has_permission\(request\.user", line):
                written_out.append(f"{path.relative_to(PACKAGE)}:{number}")
    assert written_out == []


STATES_AND_ROLES = (
    "assigned|in_progress|submitted|final|"  # ReviewStatus
    "qa_lead|reviewer|practitioner|manager|senior_leader|admin"  # Role
)
COMPARED = r"(status|role)(__in)?\s*(==|!=|=|\bin\b|\bnot in\b)\s*[\[(]?\s*"
ASKED = r"workflow\.can\([^)]*"  # workflow.can("submit", review.status, "reviewer")
TYPED = re.compile(f"({COMPARED}|{ASKED})" + rf"""["']({STATES_AND_ROLES})["']""")


def test_states_and_roles_are_compared_through_the_vocabulary():
    """`review.status == ReviewStatus.SUBMITTED`, `user.role == Role.REVIEWER`: a typo in a
    string would compare false in silence; a typo in a name fails at once."""
    found = []
    for path, _tree in our_modules():
        if path.name == "vocabulary.py":
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if TYPED.search(line):
                found.append(f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}")
    assert found == []


def test_the_pattern_finds_typed_states_and_roles():
    for line in [
        'if review.status == "submitted":',
        'user.role in ("qa_lead", "senior_leader")',
        'filter(status__in=["assigned", "in_progress"])',
        'User.objects.filter(role="manager")',
        'workflow.can("submit", review.status, "reviewer")',
    ]:
        assert TYPED.search(line), line
    assert not TYPED.search("if review.status == ReviewStatus.SUBMITTED:")


def test_the_entity_relationship_diagram_is_drawn_from_the_models_as_they_are():
    """docs/architecture.md's diagram is scripts/diagrams.py's output: run the script after
    changing a model."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("diagrams", ROOT / "scripts" / "diagrams.py")
    diagrams = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(diagrams)
    document = (ROOT / "docs" / "architecture.md").read_text()
    drawn = document[
        document.index(diagrams.BEGIN) + len(diagrams.BEGIN) : document.index(diagrams.END)
    ]
    assert drawn.strip() == diagrams.diagram()
    assert "tracker_Recommendation }o--o| reviews_Review : review" in drawn


def test_every_app_is_on_a_floor_of_the_layers_contract():
    """A new app must be placed in the layers (pyproject.toml) and in docs/architecture.md."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    layers = config["contracts"][0]["layers"]
    placed = {name.strip() for layer in layers for name in layer.split(":")}
    apps = {f"practice_review.{path.parent.name}" for path in PACKAGE.glob("*/apps.py")}
    assert apps == placed
    document = (ROOT / "docs" / "architecture.md").read_text()
    assert all(f"`{app.split('.')[1]}`" in document for app in apps)
