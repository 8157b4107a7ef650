"""Two imports at once: the second waits for the first instead of failing (PostgreSQL).

SQLite's IMMEDIATE transactions queue writers by design; the test database for SQLite is
in memory, where that cannot be shown, so this runs in CI's PostgreSQL pass.
"""

import threading

import pytest
from django.db import connection

from practice_review.accounts.models import system_actor
from practice_review.reviews.importing import import_reviews
from practice_review.reviews.models import Cohort, Review
from tests.integration.helpers import csv_bytes, seed_rows

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (CI runs the suite on it)"
    ),
]


def test_two_files_creating_the_same_cohort_at_once_both_import():
    actor = system_actor()
    template = {**seed_rows()[0], "cohort": "Race 2025"}
    files = [
        csv_bytes([{**template, "child_ref": f"{side}{n}"} for n in range(200)])
        for side in ("A", "B")
    ]
    results, start = [], threading.Barrier(2)

    def run(data):
        start.wait()
        try:
            results.append(import_reviews(data=data, file_name="race.csv", by=actor))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(data,)) for data in files]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert [r.ok for r in results] == [True, True], [r.problems for r in results]
    assert Cohort.objects.filter(name="Race 2025").count() == 1
    assert Review.objects.count() == 400
