import csv
import datetime
import io

import openpyxl

from tests.conftest import SEED_FILE


def seed_rows():
    with SEED_FILE.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def csv_bytes(rows, encoding="utf-8"):
    """A CSV file from a list of dicts, with the union of their keys as the header."""
    header = list(dict.fromkeys(key for row in rows for key in row))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows):
    header = list(dict.fromkeys(key for row in rows for key in row))
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(column) for column in header])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def table_counts():
    """Rows in every case-data table and its history: 'nothing written' means none change."""
    from practice_review.accounts.models import StaffMember
    from practice_review.reviews.models import (
        Child,
        Cohort,
        ImportRecord,
        Review,
        ReviewEvent,
        ThemeFinding,
    )

    models = [StaffMember, Child, Cohort, Review, ReviewEvent, ThemeFinding, ImportRecord]
    counts = {model.__name__: model.objects.count() for model in models}
    for model in [StaffMember, Child, Cohort, Review, ThemeFinding]:
        counts[f"history of {model.__name__}"] = model.history.count()
    return counts


def import_at_the_page(client, data, name="reviews.csv", cohort="", follow=False, extra=None):
    """Upload a review file at Import reviews and, if it passes, confirm it at the check page:
    the two steps a person takes. The upload's response when the file is refused (no check page),
    else the confirmation's. `extra` fields go with both posts."""
    extra = extra or {}
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    response = client.post(
        reverse("import_reviews"),
        {**extra, "file": SimpleUploadedFile(name, data), "cohort": cohort},
        follow=follow,
    )
    token = response.context and response.context.get("token")
    if not token:
        return response
    return client.post(reverse("import_confirm"), {**extra, "token": token}, follow=follow)


# (case, status, days from today to the due date, level): what the figures count for September,
# as the manager BA sees it (BA supervises C1001, C1004, C1006 and C1008) and as the QA lead does.
RECOMMENDATIONS_FOR_THE_FIGURES = [
    ("C1001", "open", -1, "child"),  # overdue since yesterday
    ("C1004", "in_progress", -10, "child"),  # overdue, though work has begun
    ("C1006", "completed", -10, "child"),  # done, so not overdue however late
    ("C1008", "open", 30, "child"),  # not yet due
    ("C1008", "open", 0, "child"),  # due today: overdue only from tomorrow
    ("C1003", "open", -5, "child"),  # overdue, on a review the manager BA cannot see
    ("C1001", "open", -5, "service"),  # service-level: not a recommendation for a child
]


def make_recommendations_for_the_figures(actor, today):
    """RECOMMENDATIONS_FOR_THE_FIGURES as rows: for BA 5 made, 2 overdue; for the QA lead 6
    made, 3 overdue."""
    from practice_review.reviews.models import Review
    from practice_review.tracker.models import Recommendation

    for case_ref, status, days, level in RECOMMENDATIONS_FOR_THE_FIGURES:
        review = Review.objects.get(child__case_ref=case_ref)
        Recommendation.objects.create(
            level=level,
            review=review,
            cohort=review.cohort,
            theme="journey",
            action="Update the chronology and share it with the family.",
            due_date=today + datetime.timedelta(days=days),
            status=status,
            created_by=actor,
        )
