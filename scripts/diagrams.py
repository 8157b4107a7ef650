"""Draws the entity-relationship diagram of docs/architecture.md from the models themselves.

    python scripts/diagrams.py          # rewrite the diagram in docs/architecture.md
    python scripts/diagrams.py --check  # exit 1 if the document is out of date (a test runs it)

Mermaid, so GitHub shows it as a picture. Records only (simple-history's copies, Django's own
and third-party models are left out); every foreign key and many-to-many link between them.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCUMENT = ROOT / "docs" / "architecture.md"
BEGIN, END = (
    "<!-- entity-relationship diagram: begin -->",
    "<!-- entity-relationship diagram: end -->",
)
OURS = ("audit", "accounts", "reviews", "alerts", "tracker", "sampling", "moderation", "reports")


def models_of_ours():
    from django.apps import apps

    for label in OURS:
        for model in apps.get_app_config(label).get_models():
            if not hasattr(model, "instance_type"):  # simple-history's copy of a record
                yield model


def entity(model):
    return f"{model._meta.app_label}_{model.__name__}"


def diagram():
    lines = ["```mermaid", "erDiagram"]
    mine = set(models_of_ours())
    for model in sorted(mine, key=entity):
        links = []
        for field in model._meta.get_fields():
            target = field.related_model
            if not field.concrete or target not in mine:
                continue
            if field.many_to_many:
                shape = "}o--o{"
            elif field.one_to_one:
                shape = "|o--o|" if field.null else "||--o|"
            else:
                shape = "}o--o|" if field.null else "}o--||"
            links.append(f"    {entity(model)} {shape} {entity(target)} : {field.name}")
        lines += sorted(links)
    lines.append("```")
    return "\n".join(lines)


def main():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "practice_review.settings")
    import django

    django.setup()
    text = DOCUMENT.read_text()
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    updated = text[:start] + "\n" + diagram() + "\n" + text[end:]
    if "--check" in sys.argv:
        if updated != text:
            print(
                "docs/architecture.md: the diagram is out of date: run python scripts/diagrams.py"
            )
            return 1
        return 0
    DOCUMENT.write_text(updated)
    return 0


if __name__ == "__main__":
    sys.exit(main())
