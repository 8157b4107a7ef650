"""Two years of monthly demo cohorts, so the trends page (docs/spec/domain.md#trends) has
something to show: the seed file's two cohorts are from 2024, before the page's default range.

Every child, worker and reviewer here is made up (case references `M0001`...). The grades
improve slowly over the months and care leavers' outcomes lag behind, so the page has a trend
and the equity lens a finding to point out; the numbers come from a fixed seed, so every demo
shows the same. The rows are a review file imported through the one import, as a council's
monthly file would be."""

import datetime
import random

from practice_review.core import vocabulary as v

MONTHS = 23
PREFIX = "Monthly audit"
SEED = 2026
WORKERS = {  # initials: (name, team)
    "JH": ("Jade Harris", "Assessment and Intervention"),
    "OK": ("Oliver Kaur", "Assessment and Intervention"),
    "TW": ("Tayo Williams", "Children in Care"),
    "EF": ("Erin Fraser", "Children in Care"),
    "GM": ("George Malik", "Care Leavers"),
    "HS": ("Hana Sato", "Care Leavers"),
}
SUPERVISOR = {"JH": "DP", "OK": "DP", "TW": "CR", "EF": "CR", "GM": "YB", "HS": "YB"}
TEAMS = {"Assessment and Intervention": ("early_help", "child_in_need", "child_protection"),
         "Children in Care": ("looked_after",), "Care Leavers": ("care_leaver",)}  # fmt: skip
REVIEWERS = [("Jordan Ellis", "internal"), ("Morgan Price", "independent")]
ETHNICITIES = ["White British"] * 8 + [
    "White Irish", "Any other White background", "Black African", "Black Caribbean",
    "Asian Bangladeshi", "Asian Pakistani", "Mixed White and Black Caribbean", "Arab", "",
]  # fmt: skip
AGES = {"early_help": (0, 15), "child_in_need": (0, 15), "child_protection": (0, 15),
        "looked_after": (0, 17), "care_leaver": (18, 24)}  # fmt: skip


def month_start(today, back):
    """The first day of the month `back` months before `today`'s."""
    month = today.year * 12 + today.month - 1 - back
    return datetime.date(month // 12, month % 12 + 1, 1)


def cohort_name(first_day):
    return f"{PREFIX}, {first_day:%B %Y}"


def _grade(chance, rng):
    """A grade, good or better with probability `chance`."""
    if rng.random() < chance:
        return "outstanding" if rng.random() < 0.3 else "good"
    return "requires_improvement" if rng.random() < 0.8 else "inadequate"


def monthly_rows(today, seed=SEED):
    """Review-file rows (docs/spec/interchange.md#columns) for a cohort in each of the MONTHS
    months before `today`'s, oldest first: 12 to 30 reviews each. Pure."""
    # Made-up demo data, the same every time: not a secret, so not a secure generator.
    rng = random.Random(seed)  # noqa: S311  # nosec B311
    rows = []
    child = 0
    for back in range(MONTHS, 0, -1):
        first_day = month_start(today, back)
        improvement = (MONTHS - back) / MONTHS  # 0 in the first month, near 1 in the last
        for _ in range(rng.randint(12, 30)):
            child += 1
            reviewed_on = first_day + datetime.timedelta(days=rng.randint(0, 20))
            worker = rng.choice(list(WORKERS))
            status = rng.choice(TEAMS[WORKERS[worker][1]])
            reviewer, reviewer_type = rng.choice(REVIEWERS)
            practice_chance = 0.55 + 0.33 * improvement
            # Care leavers' outcomes lag behind their practice: the finding the demo's equity
            # lens points out.
            outcome_chance = practice_chance - (0.3 if status == "care_leaver" else 0.05)
            practice, outcome = _grade(practice_chance, rng), _grade(outcome_chance, rng)
            age = rng.randint(*AGES[status])
            rows.append({
                "cohort": cohort_name(first_day),
                "child_ref": f"M{child:04d}",
                "initials": "".join(rng.choice("ABCDEFGHJKLMNPRSTW") for _ in range(2)),
                "gender": rng.choices(["male", "female", "other", "not_recorded"],
                                      weights=[48, 48, 2, 2])[0],
                "age_at_review": str(age) if age else f"{rng.randint(1, 11)} months",
                "ethnicity": rng.choice(ETHNICITIES),
                "uasc": "yes" if status == "care_leaver" and rng.random() < 0.35 else "no",
                "legal_status": status,
                "social_worker": worker,
                "supervisor": SUPERVISOR[worker],
                "reviewer": reviewer,
                "reviewer_type": reviewer_type,
                "review_date": reviewed_on.isoformat(),
                "practice_grade": practice,
                "outcome_grade": outcome,
                **{key: _standard(key, improvement, rng) for key in v.PRACTICE_STANDARD_KEYS},
                "alerts": "1" if rng.random() < 0.04 else "0",
                "practice_outcome_reason": (
                    "The plan is right but the young person is still waiting for a home."
                    if practice in v.GOOD_OR_BETTER and outcome not in v.GOOD_OR_BETTER else ""
                ),
            })  # fmt: skip
    return rows


def _standard(key, improvement, rng):
    if key == "seen_alone" and rng.random() < 0.3:
        return "not_applicable"
    return "met" if rng.random() < 0.8 + 0.15 * improvement else "not_met"


def recommendations(rows, today, seed=SEED):
    """[(child_ref, due date, completed on or None)]: a recommendation for each child whose
    outcomes were not good or better, due two months after the review; of those due by
    `today`, most completed, more of them on time as the months go on. Pure."""
    # Made-up demo data, the same every time: not a secret, so not a secure generator.
    rng = random.Random(seed + 1)  # noqa: S311  # nosec B311
    made = []
    for place, row in enumerate(rows):
        if row["outcome_grade"] in v.GOOD_OR_BETTER:
            continue
        due = datetime.date.fromisoformat(row["review_date"]) + datetime.timedelta(days=61)
        on_time_chance = 0.55 + 0.35 * place / len(rows)
        completed = None
        if due <= today and rng.random() < 0.9:
            late = rng.random() > on_time_chance
            completed = due + datetime.timedelta(days=rng.randint(1, 30) if late
                                                 else -rng.randint(0, 40))  # fmt: skip
            completed = min(completed, today)
        made.append((row["child_ref"], due, completed))
    return made
