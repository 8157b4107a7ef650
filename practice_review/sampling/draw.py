"""Drawing a cohort from the caseload extract: who is eligible, how many places each stratum
gets, and which children are drawn (issue 16; the rules in words are in docs/sampling.md,
"Drawing a cohort"). Pure Python: sampling/queries.py reads the extract and the reviews into
the dataclasses below, and the same draw comes out of the command line, the page and the
cohort's record of how it was drawn.

Everything a draw depends on is in its input, its rules and its seed, so a draw can be
repeated by anyone holding them: strata are taken in key order, each stratum's eligible
children in case reference order, and one `random.Random(seed)` draws through them in turn.
"""

import datetime
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from practice_review.core.dates import add_months
from practice_review.core.text import long_date

STRATA = ("legal_status", "team", "none")
COVER = ("", "social_worker")
DEFAULT_MONTHS = 12
# The limits of what a draw takes, for the page and the command alike: ten years of earlier
# reviews, and a seed the database's whole numbers hold (a negative seed would draw as its
# positive, so it is not one of them).
MOST_MONTHS, LARGEST_SEED = 120, 2**63 - 1
# The one stratum of a draw with no strata.
ALL_CHILDREN = "all children"


class SampleRefused(ValueError):
    """A draw that cannot be made as asked; the message is one line for the person asking."""


@dataclass(frozen=True)
class LastReview:
    """A child's (or a worker's) latest review. `pending` when the review has not been done
    yet: it is in a cohort with its due date standing in for the review date."""

    day: datetime.date
    pending: bool = False

    def in_words(self) -> str:
        if self.pending:
            return f"in a cohort, review due on {long_date(self.day)}"
        return f"reviewed on {long_date(self.day)}"


@dataclass(frozen=True)
class OpenCase:
    """A child in the current extract, with what the draw needs to know about them."""

    case_ref: str
    legal_status: str
    team: str
    social_worker: str = ""  # who the worker is, as any stable text (the staff id); "" if none
    last_review: LastReview | None = None

    def stratum(self, strata: str) -> str:
        if strata == "legal_status":
            return self.legal_status
        if strata == "team":
            return self.team
        return ALL_CHILDREN


@dataclass(frozen=True)
class Rules:
    size: int
    as_of: datetime.date
    seed: int
    strata: str = "legal_status"
    exclude_reviewed_within: int = DEFAULT_MONTHS  # months; 0 turns the exclusion off
    cover: str = ""  # "social_worker": children of workers not reviewed within are drawn first

    def as_json(self) -> dict[str, Any]:
        """The rules as the cohort keeps them (sampling.models.CohortDraw.rules)."""
        return {
            "size": self.size,
            "strata": self.strata,
            "exclude_reviewed_within": self.exclude_reviewed_within,
            "cover": self.cover,
        }


def new_seed() -> int:
    """A seed for a draw given none: a whole number below 2**31, short enough to read out."""
    return random.SystemRandom().randrange(2**31)


# An extract more than this many days older than the date drawn as of may miss cases opened or
# closed since: the draw goes ahead (the QA lead may have no newer one) but says so.
OLD_EXTRACT_DAYS = 31


def old_extract_warning(imported_on: datetime.date, as_of: datetime.date) -> str:
    """One line warning that the extract is much older than the date drawn as of, or ""."""
    if (as_of - imported_on).days <= OLD_EXTRACT_DAYS:
        return ""
    months = 0
    while add_months(imported_on, months + 1) <= as_of:
        months += 1
    gap = f"{months} month{'s' if months != 1 else ''}"
    return (
        f"The current caseload extract was imported on {long_date(imported_on)}, {gap} before "
        "the date drawn as of: import a newer one first if cases have changed"
    )


def cutoff(rules: Rules) -> datetime.date | None:
    """The first day a review keeps a child out of the draw: MONTHS months before the as-of
    date. None when the exclusion is off."""
    if rules.exclude_reviewed_within <= 0:
        return None
    return add_months(rules.as_of, -rules.exclude_reviewed_within)


def recently_reviewed(last: LastReview | None, since: datetime.date | None) -> bool:
    return bool(last and since and last.day >= since)


def largest_remainder(counts: Mapping[str, int], size: int) -> dict[str, int]:
    """`size` places shared in proportion to `counts` by the largest remainder method: each
    key gets the whole part of its share, and the places left go one each to the largest
    remainders; equal remainders go to the key with the larger count, then the key first in
    alphabetical order. Integers throughout, so no rounding decides a tie."""
    total = sum(counts.values())
    if total == 0:
        return {key: 0 for key in counts}
    places = {key: size * count // total for key, count in counts.items()}
    remainders = {key: size * count % total for key, count in counts.items()}
    left = size - sum(places.values())
    by_remainder = sorted(counts, key=lambda key: (-remainders[key], -counts[key], key))
    for key in by_remainder[:left]:
        places[key] += 1
    return places


def allocate(counts: Mapping[str, int], size: int) -> dict[str, int]:
    """Places per stratum: proportional by the largest remainder, then, when there are at
    least as many places as non-empty strata, one for every non-empty stratum that got none,
    each taken from the stratum with the most places (equal: the one with more eligible
    children, then the first in alphabetical order)."""
    places = largest_remainder(counts, size)
    non_empty = [key for key in sorted(counts) if counts[key] > 0]
    if size >= len(non_empty):
        for key in non_empty:
            if places[key] == 0:
                giver = min(places, key=lambda other: (-places[other], -counts[other], other))
                places[giver] -= 1
                places[key] = 1
    return places


def _draw_stratum(
    rng: random.Random, children: Sequence[OpenCase], places: int, first: set[str]
) -> list[tuple[OpenCase, bool]]:
    """`places` children drawn without replacement, those in `first` (workers to cover)
    before the rest. (child, drawn first) in draw order."""
    priority = [child for child in children if child.case_ref in first]
    rest = [child for child in children if child.case_ref not in first]
    if len(priority) >= places:
        return [(child, True) for child in rng.sample(priority, places)]
    drawn = [(child, True) for child in rng.sample(priority, len(priority))]
    return drawn + [(child, False) for child in rng.sample(rest, places - len(priority))]


def _sample_reason(child: OpenCase, drawn_first: bool, rules: Rules) -> str:
    last = child.last_review.in_words() if child.last_review else "no review on record"
    if drawn_first:
        months = rules.exclude_reviewed_within
        return (
            f"{last}; drawn first at random: their social worker has had no review in the "
            f"{months} months before the as-of date"
        )
    return f"{last}; drawn at random"


def draw(
    cases: Iterable[OpenCase],
    rules: Rules,
    workers_last_reviewed: Mapping[str, datetime.date] | None = None,
) -> dict[str, Any]:
    """The draw as `practice-review sample` prints it (keys in this order): seed, as_of, size,
    strata (by key, alphabetical), sample (stratum by stratum, in draw order), excluded (by
    case reference). Raises SampleRefused when it cannot be made."""
    if rules.strata not in STRATA:
        raise SampleRefused(f"Strata must be one of {', '.join(STRATA)}; got '{rules.strata}'")
    if rules.cover not in COVER:
        raise SampleRefused(f"Cover must be social_worker or nothing; got '{rules.cover}'")
    if rules.size < 1:
        raise SampleRefused("The sample size must be at least 1")
    since = cutoff(rules)
    population: dict[str, int] = {}
    eligible: dict[str, list[OpenCase]] = {}
    excluded = []
    for child in sorted(cases, key=lambda case: case.case_ref):
        key = child.stratum(rules.strata)
        population[key] = population.get(key, 0) + 1
        eligible.setdefault(key, [])
        last = child.last_review
        if last is not None and recently_reviewed(last, since):
            excluded.append({"case_ref": child.case_ref, "reason": last.in_words()})
        else:
            eligible[key].append(child)
    counts = {key: len(children) for key, children in eligible.items()}
    total = sum(counts.values())
    if rules.size > total:
        raise SampleRefused(
            f"A sample of {rules.size} is more than the {total} eligible "
            f"child{'ren' if total != 1 else ''} in the extract"
        )
    places = allocate(counts, rules.size)
    first = _to_cover(eligible, rules, since, workers_last_reviewed or {})
    # Reproducible from the seed, which is the point; nothing here is a secret.
    rng = random.Random(rules.seed)  # noqa: S311  # nosec B311
    sample = []
    for key in sorted(eligible):
        for child, drawn_first in _draw_stratum(rng, eligible[key], places[key], first):
            reason = _sample_reason(child, drawn_first, rules)
            sample.append({"case_ref": child.case_ref, "stratum": key, "reason": reason})
    return {
        "seed": rules.seed,
        "as_of": rules.as_of.isoformat(),
        "size": rules.size,
        "strata": {
            key: {"population": population[key], "eligible": counts[key], "allocated": places[key]}
            for key in sorted(population)
        },
        "sample": sample,
        "excluded": excluded,
    }


def _to_cover(
    eligible: Mapping[str, Sequence[OpenCase]],
    rules: Rules,
    since: datetime.date | None,
    workers_last_reviewed: Mapping[str, datetime.date],
) -> set[str]:
    """Case references of the children to draw first: with --cover social_worker, those whose
    worker has had no review since the cutoff (with the exclusion off, every worker's)."""
    if rules.cover != "social_worker" or since is None:
        return set()  # with no months to look back over, no worker counts as uncovered
    return {
        child.case_ref
        for children in eligible.values()
        for child in children
        if child.social_worker
        and not (
            since and workers_last_reviewed.get(child.social_worker, datetime.date.min) >= since
        )
    }


STRATA_WORDS = {
    "legal_status": "legal or practice framework",
    "team": "team",
}


def rules_in_words(rules: Mapping[str, Any], as_of: datetime.date) -> str:
    """How a cohort was drawn, in a sentence for the cohort page and the summary report, from
    the rules it keeps (Rules.as_json)."""
    size = rules["size"]
    children = f"{size} child{'ren' if size != 1 else ''}"
    strata = rules["strata"]
    if strata in STRATA_WORDS:
        words = (
            f"{children} drawn at random from the caseload extract, the places shared by "
            f"{STRATA_WORDS[strata]} in proportion to the children who could be drawn"
        )
    else:
        words = f"{children} drawn at random from the caseload extract"
    months = rules["exclude_reviewed_within"]
    if months:
        words += (
            f"; children with a review in the {months} months before {long_date(as_of)} "
            "were left out"
        )
    else:
        words += f"; as of {long_date(as_of)}, with no child left out for an earlier review"
    if rules.get("cover") == "social_worker":
        words += "; children of social workers with no review in that time were drawn first"
    return words + "."
