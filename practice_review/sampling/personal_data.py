"""The personal data in sampling's records (core/personal_data.py). Called from
SamplingConfig.ready()."""

from practice_review.core.personal_data import register
from practice_review.sampling.models import CaseloadEntry


def register_personal_data():
    # The extract itself (a file name, a checksum, a count, who and when) is about no child;
    # its entries are. The child's own details (case reference, initials, birth date...) are
    # on the child's record; an entry adds the child's framework, team, workers and age.
    register(
        CaseloadEntry,
        name="caseload_entries",
        reaches_review=None,
        reaches_child="child",
        identifying=("legal_status",),
        # Kept by the purge, as a review's legal status is: drawing and coverage count it.
        counted=("legal_status",),
        description="Each caseload extract the child was in: their legal or practice "
        "framework, team, social worker and supervisor (as staff ids: see staff.json), the "
        "date the case opened and, when the extract gave an age, their age.",
    )
