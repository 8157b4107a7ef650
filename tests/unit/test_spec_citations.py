"""Every citation of the spec names a heading that exists
(docs/spec/README.md#how-code-cites-the-spec).

Code, tests, benchmarks and guides cite the spec by file and heading anchor, written from the
repository root (`docs/spec/<file>.md#<anchor>`) or, in Markdown, as a link relative to the page.
A heading renamed without its citations, or a mistyped anchor, fails here. No database, no
Django: the repository's text files are read and the spec's headings turned into anchors the way
GitHub does (lower case, punctuation dropped, spaces to hyphens, a repeat numbered -1, -2...).
"""

import os
import re
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "docs" / "spec"

SKIPPED_FOLDERS = {
    ".git",
    ".venv",
    "venv",
    "node_modules",
    "__pycache__",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".import_linter_cache",
}
TEXT_SUFFIXES = {".py", ".md", ".html", ".txt", ".toml", ".cfg", ".ini", ".yml", ".yaml", ".sh"}
TEXT_NAMES = {"Makefile"}

# From the repository root, anywhere: docs/spec/domain.md#review-states.
ROOTED = re.compile(r"(?<![\w/.-])docs/spec/([\w.-]+\.md)#([\w-]+)")
# In Markdown, a link: [text](spec/domain.md#review-states), [text](#transitions).
LINK = re.compile(r"\]\(([^()\s#]*)#([^()\s]+)\)")
FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"`[^`\n]*`")
HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$", re.MULTILINE)


def spec(name):
    return SPEC / f"{name}.md"


def text_files():
    for folder, folders, files in os.walk(ROOT):
        folders[:] = sorted(name for name in folders if name not in SKIPPED_FOLDERS)
        for name in sorted(files):
            path = Path(folder, name)
            if path.suffix in TEXT_SUFFIXES or name in TEXT_NAMES:
                yield path


def slug(heading):
    """The anchor GitHub gives a heading's text."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link reads as its text
    text = re.sub(r"[^\w\- ]", "", text.lower())
    return text.replace(" ", "-")


@cache
def anchors(path):
    """The anchors of a Markdown file's headings (none for a file that does not exist)."""
    if not path.is_file():
        return frozenset()
    found, seen = set(), {}
    for heading in HEADING.findall(FENCE.sub("", path.read_text(encoding="utf-8"))):
        anchor = slug(heading)
        count = seen.get(anchor, 0)
        seen[anchor] = count + 1
        found.add(anchor if count == 0 else f"{anchor}-{count}")
    return frozenset(found)


def citations():
    """(where, the spec file cited, anchor) for every citation of the spec in the repository."""
    for path in text_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        where = path.relative_to(ROOT)
        for match in ROOTED.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            yield f"{where}:{line}", SPEC / match[1], match[2]
        if path.suffix != ".md":
            continue
        # Examples in code are not links: blank them out, keeping the line numbers.
        prose = FENCE.sub(lambda found: re.sub(r"[^\n]", " ", found[0]), text)
        prose = CODE_SPAN.sub(lambda found: " " * len(found[0]), prose)
        for match in LINK.finditer(prose):
            target = (path.parent / match[1]).resolve() if match[1] else path
            if target.parent != SPEC:
                continue
            line = prose.count("\n", 0, match.start()) + 1
            yield f"{where}:{line}", target, match[2]


def test_the_spec_has_its_files_and_the_anchors_the_readme_promises():
    for name in ("README", "domain", "interchange", "quality"):
        assert spec(name).is_file(), name
    assert {"review-states", "who-sees-what", "practice-standards"} <= anchors(spec("domain"))
    assert "all-or-nothing-import" in anchors(spec("quality"))
    assert "re-importing" in anchors(spec("interchange"))


def test_every_citation_of_the_spec_names_a_heading_that_exists():
    found = list(citations())
    assert len(found) > 100  # the walk reached the code, the tests and the guides
    broken = [
        f"{where}: {target.relative_to(ROOT)}#{anchor}"
        for where, target, anchor in found
        if anchor not in anchors(target)
    ]
    assert broken == [], "citations of headings that do not exist:\n" + "\n".join(broken)
