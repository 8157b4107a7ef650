"""Findings that come back cohort after cohort. Pure Python.

A finding is a practice standard not met, or a learning topic the reviewers tagged. Counted per
cohort (in the cohorts' order), a finding seen in two or more cohorts is recurring: the
service has not yet fixed it, and it may need a service-level recommendation.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    key: str  # "standard:basic_details" or "topic:Chronology"
    label: str
    counts: tuple  # how many reviews in each cohort, in the cohorts' order

    @property
    def cohorts_seen(self) -> int:
        return sum(1 for count in self.counts if count)

    @property
    def recurring(self) -> bool:
        return self.cohorts_seen >= 2


def findings(
    cohort_names: list[str],
    standards_not_met: dict[tuple[str, str], int],
    topics: dict[tuple[str, str], int],
    standard_labels: dict[str, str],
) -> list[Finding]:
    """Every finding seen at least once, recurring ones first, then by how often seen.

    `standards_not_met` and `topics` are {(cohort name, key): count}; `standard_labels` is
    {standard key: label}.
    """
    found = []
    for prefix, counts, label_of in (
        ("standard", standards_not_met, lambda key: f"Not met: {standard_labels[key]}"),
        ("topic", topics, lambda key: f"Learning topic: {key}"),
    ):
        for key in sorted({key for _cohort, key in counts}):
            per_cohort = tuple(counts.get((name, key), 0) for name in cohort_names)
            if any(per_cohort):
                found.append(Finding(f"{prefix}:{key}", label_of(key), per_cohort))
    return sorted(found, key=lambda f: (not f.recurring, -f.cohorts_seen, -sum(f.counts), f.label))
