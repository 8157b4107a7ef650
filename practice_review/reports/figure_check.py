"""The figure check: numbers an author typed into the narrative, checked against the figures.

Pure Python. Every "n of N", "n out of N", "n of the N", "n/N", fraction word ("two thirds",
"half") and percentage ("80%", "80 per cent") is checked: its percentage must match its fraction,
N must be the cohort's or the comparator's size (or, beside the word "recommendation", the
recommendations made in it), and n must be one of the computed figures over that N. A fraction
word with no n/N beside it ("two thirds of the young people") must be exactly some computed
figure, and one hedged with "about", "nearly" and the like is always flagged.
The reference report fails these checks in the places docs/spec/domain.md#figure-check lists; ours
cannot publish until they pass or are overridden with a reason.
"""

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from practice_review.core import vocabulary as v
from practice_review.core.audit_templates import AuditTemplate
from practice_review.core.numbers import n_of_n, round_half_up
from practice_review.reports.claims import check_claims

FRACTION_WORDS = {
    "a half": Fraction(1, 2), "half": Fraction(1, 2), "one half": Fraction(1, 2),
    "a third": Fraction(1, 3), "one third": Fraction(1, 3), "two thirds": Fraction(2, 3),
    "a quarter": Fraction(1, 4), "one quarter": Fraction(1, 4),
    "three quarters": Fraction(3, 4), "a fifth": Fraction(1, 5), "one fifth": Fraction(1, 5),
    "two fifths": Fraction(2, 5), "three fifths": Fraction(3, 5), "four fifths": Fraction(4, 5),
    "all": Fraction(1), "none": Fraction(0),
}  # fmt: skip
# Every run of spaces in these patterns is possessive (`\s++`, `\s*+`: taken whole, never given
# back) and none can start a match: a pattern that could start anywhere in a run and then try
# each shorter part of it took time that grew as the square of its length (49,000 spaces: 35 s).
# Longest first, so "two thirds" wins over "third"; words may be split across a line break.
_WORDS = "|".join(sorted((r"\s++".join(map(re.escape, w.split())) for w in FRACTION_WORDS
                          if w not in ("all", "none")), key=len, reverse=True))  # fmt: skip
# "percent\b" so that "percentage points" and "percentile" are not percentages. "pc" is left
# out: in social care writing it is as often a police constable as a percentage.
_PERCENT = r"(\d{1,3}(?:\.\d+)?)\s*+(?:%|per[\s-]?cent\b)"
# "8 of 10", "8 out of 10", "6 of the 10", optionally followed by "(80%)".
_OF = re.compile(
    rf"\b(\d{{1,5}})\s++(?:out\s++)?of\s++(?:the\s++)?(\d{{1,5}})\b(?:[^()\d%]{{0,40}}?\(\s*+{_PERCENT}\s*+\))?",
    re.I,
)
# "6/10" (not part of a date such as 17/09/2024), with an optional fraction word or percentage
# just before it: "two thirds (6/10)", "20% (2/10)". It starts at the word, the percentage, the
# bracket or the first digit, never at a space.
_SLASH = re.compile(
    rf"(?:\b({_WORDS})\s*+|{_PERCENT}\s*+)?(?:\(\s*+)?(?<![\d/])(\d{{1,5}})\s*+/\s*+(\d{{1,5}})(?![\d/])(?:\s*+\))?",
    re.I,
)
_BARE_PERCENT = re.compile(rf"(?<![\d.]){_PERCENT}")
# Hedges an author puts before a fraction word; longer ones first so "just over" beats "over".
_HEDGE = (
    r"just\s++over|just\s++under|more\s++than|less\s++than|fewer\s++than|close\s++to|"
    r"at\s++least|at\s++most|approximately|roughly|around|about|nearly|almost|over|under"
)
# "two thirds of the young people", "half the reviews", "nearly half of": only before "of" or
# "the", so that "half-term", "a half-day" and "half an hour" are not figures.
_FRACTION_WORD = re.compile(rf"\b(?:({_HEDGE})\s++)?({_WORDS})(?=\s++(?:of|the)\b)", re.I)
# "the first half of the year" is a stretch of time, not a share of the reviews.
_PERIOD = re.compile(r"\b(?:first|second|last|final|latter|former|top|bottom)\s++$", re.I)
# The n/N an author gives in brackets a few words after a fraction word, in the same clause:
# "half of the reviews (5/10)", "two thirds of them (6 of 10)".
_BRACKETED = re.compile(
    r"[^().,;:\d%]{0,40}?\(\s*+(\d{1,5})\s*+(?:/\s*+|(?:out\s++)?of\s++(?:the\s++)?)(\d{1,5})\b",
    re.I,
)
_OVER = re.compile(r"\baged\s++over\s++(\d{1,2})\b", re.I)


@dataclass(frozen=True)
class Mismatch:
    start: int
    end: int
    text: str
    problem: str
    expected: str | None = None  # the figure it should be, "8 of 10 (80%)", where one is known
    placeholder: str | None = None  # the placeholder to type instead, where there is one


def _fraction_word(word: str) -> str:
    """The FRACTION_WORDS key for a word as typed ("Two\nthirds" is "two thirds")."""
    return " ".join(word.lower().split())


def computed_counts(figures: dict[str, Any]) -> dict[int, set[int]]:
    """{N: {every count computed over N}} for the cohort and its comparator."""
    counts: dict[int, set[int]] = {}
    for block in (figures, figures.get("comparison") or {}):
        if not block:
            continue
        total = block["cohort"]["reviews"]
        counts.setdefault(total, set()).update(_integers(block) | {total})
    return counts


def with_recommendations(
    figures: dict[str, Any], counts: dict[int, set[int]]
) -> dict[int, set[int]]:
    """`counts` and the overdue recommendations over those made: for figures written near the
    word "recommendation", so that 4 of 12 recommendations overdue does not make "one third of
    the reviews" a figure."""
    counts = {total: set(ns) for total, ns in counts.items()}
    for block in (figures, figures.get("comparison") or {}):
        recommendations = (block or {}).get("recommendations")
        if recommendations and recommendations["made"]:
            made = recommendations["made"]
            counts.setdefault(made, set()).update({recommendations["overdue"], made})
    return counts


def _sizes(figures: dict[str, Any]) -> str:
    """The numbers of reviews, as a problem names them: "10 or 14"."""
    blocks = (figures, figures.get("comparison") or {})
    return " or ".join(str(size) for size in sorted({b["cohort"]["reviews"] for b in blocks if b}))


def _integers(value: object) -> set[int]:
    if isinstance(value, bool):
        return set()
    if isinstance(value, int):
        return {value}
    if isinstance(value, dict):
        found: set[int] = set()
        for key, item in value.items():
            # Recommendations are counted out of those made, not out of the reviews.
            # A template's version, and a sum of numbers answered, are not counts of reviews.
            if key not in ("comparison", "agreement", "cohort", "recommendations", "template",
                           "templates", "left_out", "total"):  # fmt: skip
                found |= _integers(item)
        return found
    return set()


def _percent_matches(stated: str, n: int, total: int) -> bool:
    exact = Fraction(100 * n, total)
    places = len(stated.partition(".")[2])
    return Fraction(stated) == round_half_up(exact, places) or Fraction(stated) == exact


# A fraction whose base is no review count is only about reviews if reviews are mentioned
# near it: "24/7 support" and "every 2/3 weeks" are not figures.
_ABOUT_REVIEWS = re.compile(r"review|child|young|case|famil|cohort|care leaver", re.I)
_ABOUT_RECOMMENDATIONS = re.compile(r"recommendation", re.I)


def _check_fraction(
    n: int,
    total: int,
    counts: dict[int, set[int]],
    where: tuple[int, int],
    text: str,
    problems: list[Mismatch],
    context: str = "",
    sizes: str = "",
) -> None:
    if total not in counts and not _ABOUT_REVIEWS.search(context):
        return
    if total == 0 or n > total:
        problems.append(Mismatch(*where, text, f"{n} of {total} is not a possible figure"))
    elif total not in counts:
        problems.append(Mismatch(*where, text, f"{total} is not the number of reviews ({sizes})"))
    elif n not in counts[total]:
        problems.append(Mismatch(*where, text,
                                 f"{n} of {total} is not one of the computed figures"))  # fmt: skip


def check_figures(
    text: str,
    figures: dict[str, Any],
    frameworks: Iterable[v.FrameworkTerms] = v.BUILT_IN_FRAMEWORKS,
    templates: Iterable[AuditTemplate] = (),
) -> list[Mismatch]:
    """Every mismatch in `text`, in order, each saying what is wrong. `frameworks`: the
    council's legal or practice frameworks (reviews/queries.py), whose names are measures;
    `templates`: the counted reviews' template versions, whose items' labels are too."""
    reviews_only = computed_counts(figures)
    sizes = _sizes(figures)
    with_them = with_recommendations(figures, reviews_only)

    def counts_near(match: re.Match[str]) -> dict[int, set[int]]:
        # A sentence names what it counts before or after the figure; a bounded look keeps the
        # check linear in the length of the text.
        near = text[max(0, match.start() - 120) : match.end() + 60]
        return with_them if _ABOUT_RECOMMENDATIONS.search(near) else reviews_only

    problems: list[Mismatch] = []
    covered: list[tuple[int, int]] = []
    for match in _OF.finditer(text):
        n, total = int(match[1]), int(match[2])
        where = (match.start(), match.end())
        covered.append(where)
        context = text[match.start() : match.end() + 40]
        _check_fraction(n, total, counts_near(match), where, match[0], problems, context, sizes)
        if match[3] and total and not _percent_matches(match[3], n, total):
            actual = round_half_up(Fraction(100 * n, total), 0)
            problems.append(
                Mismatch(*where, match[0], f"{n} of {total} is {actual}%, not {match[3]}%")
            )
    for match in _SLASH.finditer(text):
        n, total = int(match[3]), int(match[4])
        where = (match.start(), match.end())
        covered.append(where)
        context = text[max(0, match.start() - 40) : match.end() + 40]
        _check_fraction(
            n, total, counts_near(match), where, match[0].strip(), problems, context, sizes
        )
        word = match[1] and _fraction_word(match[1])
        if word and total and FRACTION_WORDS[word] != Fraction(n, total):
            problems.append(Mismatch(*where, match[0].strip(),
                                     f"{n}/{total} is not {word}"))  # fmt: skip
        if match[2] and total and not _percent_matches(match[2], n, total):
            problems.append(Mismatch(*where, match[0].strip(), f"{n}/{total} is not {match[2]}%"))
    for match in _BARE_PERCENT.finditer(text):
        if any(start <= match.start() < end for start, end in covered):
            continue
        stated = match[1]
        if not any(_percent_matches(stated, n, total) for total, ns in counts_near(match).items()
                   for n in ns if total):  # fmt: skip
            problems.append(Mismatch(match.start(), match.end(), match[0],
                                     f"no computed figure is {stated}%"))  # fmt: skip
    for match in _FRACTION_WORD.finditer(text):
        if _PERIOD.search(text[max(0, match.start() - 20) : match.start()]) or any(
            start < match.end() and match.start() < end for start, end in covered
        ):
            continue
        problem = _fraction_word_problem(match, text, counts_near(match))
        if problem:
            problems.append(Mismatch(match.start(), match.end(), match[0], problem))
    for match in _OVER.finditer(text):
        age = match[1]
        counted = (figures.get("age") or {}).get(f"aged_{age}_or_over")
        if isinstance(counted, int):
            shown = n_of_n(counted, figures["cohort"]["reviews"])
            problem = (f"'over {age}' means older than {age}; the figures count aged {age} or "
                       f"over, {shown}: say 'aged {age} or over'")  # fmt: skip
        else:
            shown, problem = None, f"the figures count 'aged {age} or over': say exactly that"
        placeholder = f"{{age.aged_{age}_or_over}}" if shown else None
        problems.append(Mismatch(match.start(), match.end(), match[0], problem, shown, placeholder))
    # What a number claims about the measure its sentence names comes first; the checks above
    # still catch what no measure explains (a base that is no cohort's size, a bare percentage).
    claimed = [
        Mismatch(
            found.start, found.end, found.text, found.problem, found.expected, found.placeholder
        )  # fmt: skip
        for found in check_claims(text, figures, frameworks, templates)
    ]
    # Claims come in order of start; `reach` is the furthest any of them up to each one ends, so
    # whether an older problem overlaps one is a binary search, not a pass over all of them.
    starts, reach, furthest = [], [], -1
    for found in claimed:
        furthest = max(furthest, found.end)
        starts.append(found.start)
        reach.append(furthest)

    def overlaps(problem: Mismatch) -> bool:
        before = bisect_left(starts, problem.end)  # the claims that start before it ends
        return bool(before) and reach[before - 1] > problem.start

    problems = [problem for problem in problems if not overlaps(problem)]
    return sorted(problems + claimed, key=lambda problem: problem.start)


def _fraction_word_problem(
    match: re.Match[str], text: str, counts: dict[int, set[int]]
) -> str | None:
    """What is wrong with a fraction word such as "nearly two thirds", or None."""
    hedge, word = match[1], _fraction_word(match[2])
    fraction = FRACTION_WORDS[word]
    given = _BRACKETED.match(text, match.end())
    if given and int(given[2]):
        # The author has said which figure they mean, so the word must be that figure; whether
        # the figure itself was computed is the n/N check's business.
        n, total = int(given[1]), int(given[2])
        if Fraction(n, total) != fraction:
            return f"{n}/{total} is not {word}"
    elif not any(Fraction(n, total) == fraction for total, ns in counts.items() if total
                 for n in ns):  # fmt: skip
        return f"no computed figure is exactly {word}: write the figure as 'n of N' instead"
    if hedge:
        # Even when some figure is exactly this fraction, "about half" says it is not quite.
        said = " ".join(match[0].split())
        return f"'{said}' is an approximation: write the figure as 'n of N' instead"
    return None
