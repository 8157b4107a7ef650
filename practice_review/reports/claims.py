"""What each number in a sentence claims, checked against the figure for the measure it names.

Pure Python. A sentence is read as a list of words (one linear pass of a regular expression that
cannot backtrack over a run of spaces), the words are matched against the measure lexicon
(core/measures.py, longest phrase first), and every number, number word, fraction word,
quantifier and percentage becomes a claim about the nearest measure the sentence names, in this
cohort or in the comparator when its part of the sentence names that ("in July 2024", "the
summer", "last time"). Direction words ("improved", "fell", "the same as") are checked against
the comparator. A number the figures do not count ("every 2 months", "section 5", dates) is not
a claim; a claim that names no measure is left to the older checks in figure_check.py.
"""

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from practice_review.core import measures as m
from practice_review.core import vocabulary as v
from practice_review.core.audit_templates import AuditTemplate
from practice_review.core.numbers import n_of_n, round_half_up, whole_percentage

# A number (with decimals or a percent sign), a word, or any one other character. Each
# alternative consumes what it matches and no match can start inside a run of spaces.
_TOKEN = re.compile(r"\d+(?:\.\d+)?%?|[A-Za-z]+(?:'[A-Za-z]+)?|[^\sA-Za-z\d]")

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
}  # fmt: skip
# (words, fraction): checked before number words, so "two thirds" is not "two".
FRACTIONS = [
    (("half",), Fraction(1, 2)), (("a", "half"), Fraction(1, 2)), (("one", "half"), Fraction(1, 2)),
    (("a", "third"), Fraction(1, 3)), (("one", "third"), Fraction(1, 3)),
    (("two", "thirds"), Fraction(2, 3)), (("a", "quarter"), Fraction(1, 4)),
    (("one", "quarter"), Fraction(1, 4)), (("three", "quarters"), Fraction(3, 4)),
    (("a", "fifth"), Fraction(1, 5)), (("one", "fifth"), Fraction(1, 5)),
    (("two", "fifths"), Fraction(2, 5)), (("three", "fifths"), Fraction(3, 5)),
    (("four", "fifths"), Fraction(4, 5)),
]  # fmt: skip
# Quantifiers: (words, lowest share, highest share, strictly above lowest, strictly below highest)
QUANTIFIERS = [
    (("the", "majority"), Fraction(1, 2), Fraction(1), True, False),
    (("a", "majority"), Fraction(1, 2), Fraction(1), True, False),
    (("most",), Fraction(1, 2), Fraction(1), True, False),
    (("a", "minority"), Fraction(0), Fraction(1, 2), True, True),
    (("a", "few"), Fraction(0), Fraction(1, 3), True, False),
    (("few",), Fraction(0), Fraction(1, 3), True, False),
]  # fmt: skip
_HEDGES = {"about", "nearly", "almost", "around", "approximately", "roughly", "over", "under",
           "just", "than", "least", "most", "close"}  # fmt: skip
# A number after these words, or before these, is not a count of reviews.
_NOT_A_COUNT_BEFORE = {
    "section", "sections", "paragraph", "page", "pages", "standard", "stage", "step", "level",
    "aged", "age", "ages", "year", "years", "week", "month", "day", "every", "last", "first",
    "next", "past", "over", "within", "since", "version", "appendix", "table", "figure", "no",
    "number", "tier", "phase", "priority", "recommendation", "question", "item",
}  # fmt: skip
_MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december"}  # fmt: skip
_COUNT_VERBS = {"were", "was", "had", "have", "are", "is"}
_COPULAS = {"were", "was", "are", "is"}
_PRIMARY = (m.MEASURE, m.GRADE, m.STANDARD)
_OF_THE = {"of", "the", "these", "those", "our", "all"}
_NOT_A_COUNT_AFTER = {
    "year", "years", "month", "months", "week", "weeks", "day", "days", "hours", "minutes",
    "times", "visits", "sessions", "%", "per", "percent",
}  # fmt: skip
# Where a sentence turns from one cohort to the other.
_CONNECTORS = [("compared", "to"), ("compared", "with"), ("compares", "to"),
               ("compares", "with"), ("against",), ("than",), ("from",), ("whereas",),
               ("while",), ("versus",), ("vs",), (";",), ("on",), ("to",)]  # fmt: skip
# How many words from a number word or quantifier its measure may be ("seven reviews were by
# independent reviewers": four).
NEAR = 8
_CLAUSE_BREAKS = {",", ";", ":", "–", "—"}
_SENTENCE_ENDS = {".", "!", "?"}
_SEASONS = dict.fromkeys((12, 1, 2), "winter") | dict.fromkeys((3, 4, 5), "spring")
_SEASONS |= dict.fromkeys((6, 7, 8), "summer") | dict.fromkeys((9, 10, 11), "autumn")
_COMPARATOR_WORDS = {("previous",), ("previously",), ("last", "time"), ("last", "cohort"),
                     ("comparator",), ("earlier", "cohort"), ("last", "review"),
                     ("previous", "cohort"), ("last", "audit")}  # fmt: skip
_THIS_WORDS = {("this", "cohort"), ("this", "time"), ("this", "period"), ("this", "round"),
               ("now",), ("these", "reviews")}  # fmt: skip
_STOP = {"to", "and", "the", "of", "in", "a", "cohort", "review", "reviews"}


@dataclass(frozen=True)
class ClaimProblem:
    start: int
    end: int
    text: str
    problem: str
    expected: str | None
    # The placeholder to type instead ("{outcome.good_or_better}"), where there is one.
    placeholder: str | None = None


@dataclass
class _Token:
    text: str
    low: str
    start: int
    end: int
    # On the first word of a lexicon phrase: its kind (measures.MEASURE...) and key.
    kind: str = ""
    key: Any = None
    covered: bool = False  # inside a lexicon phrase: "under 18" is no count


@dataclass
class _Claim:
    first: int  # token indexes
    last: int
    kind: str  # "count", "percent", "fraction", "range", or "skip" (words read and let be)
    n: int | None = None
    total: int | None = None
    percent: str | None = None
    fraction: Fraction | None = None
    low: Fraction | None = None
    high: Fraction | None = None
    above_low: bool = False
    below_high: bool = False
    said: str = ""
    follows: bool = False  # its measure usually comes after it ("half of the care leavers")
    total_only: bool = False  # "all 10 reviews": a claim about the number of reviews
    # A bare number ("seven reviews were..."): a claim only where the sentence says the number
    # *is* the measure ("were by independent reviewers", "there were 3 alerts"), not where it
    # tells a story about some of them ("for one asylum-seeking child").
    bare: bool = False
    cell: bool = False  # a number in a table's row, counting the measure named before it
    # "no alerts": the measure straight after the word is what it counts. Otherwise a measure
    # straight after a quantifier is the group it is a share of ("most care leavers had plans").
    counts_what_follows: bool = False
    # "fewer than 3", "more than 5", "at least 8": how the figure must compare with the number.
    compare: str = "="


def tokens(text: str) -> list[_Token]:
    found = []
    for match in _TOKEN.finditer(text):
        word = match[0]
        if word == "-":
            continue  # "up-to-date" reads as "up to date"
        found.append(_Token(word, word.lower(), match.start(), match.end()))
    return found


def _tag(words: list[_Token], lexicon: m.Lexicon) -> None:
    """Mark the first word of each lexicon phrase with its (kind, key); longest phrase wins."""
    i = 0
    while i < len(words):
        length = 0
        for phrase, kind, key in lexicon.table.get(words[i].low.replace("-", ""), ()):
            if tuple(w.low for w in words[i : i + len(phrase)]) == phrase:
                words[i].kind, words[i].key, length = kind, key, len(phrase)
                break
        for word in words[i + 1 : i + length]:
            word.covered = True
        i += max(length, 1)


def _number(word: _Token) -> int | None:
    if word.low in NUMBER_WORDS:
        return NUMBER_WORDS[word.low]
    if word.text.isdigit() and len(word.text) <= 4:
        return int(word.text)
    return None


def _starts(words: list[_Token], i: int, phrase: tuple[str, ...]) -> bool:
    return tuple(w.low for w in words[i : i + len(phrase)]) == phrase


def _claims(words: list[_Token]) -> list[_Claim]:
    """Every claim in one sentence, in order."""
    claims: list[_Claim] = []
    i = 0
    while i < len(words):
        claim = _claim_at(words, i)
        if claim:
            claims.append(claim)
            i = claim.last + 1
        else:
            i += 1
    claims = [claim for claim in claims if claim.kind != "skip"]
    return [claim for k, claim in enumerate(claims) if not _beside_a_fraction(words, claims, k)]


def _cells(words: list[_Token]) -> list[_Claim]:
    """The numbers in a table's row ("Care leavers<tab>5"), each a count of the measure named
    before it in the row."""
    return [
        _Claim(i, i, "count", n=int(word.text), said=word.text, cell=True)
        for i, word in enumerate(words)
        if word.text.isdigit() and len(word.text) <= 4 and not word.covered
    ]


def _beside_a_fraction(words: list[_Token], claims: list[_Claim], k: int) -> bool:
    """Whether claim k is a percentage or fraction word given with its n of N beside it: "2 of
    10 (25%)", "25% (2/10)", "two thirds of the reviews (6/10)". The n of N is checked against
    the measure; whether the word or percentage agrees with it is the older check's question,
    which names them both."""
    claim = claims[k]
    if claim.kind not in ("percent", "fraction"):
        return False
    previous = claims[k - 1] if k else None
    if previous and previous.total and claim.first - previous.last <= 3:
        return True
    following = claims[k + 1] if k + 1 < len(claims) else None
    return bool(
        following
        and following.total
        and following.first - claim.last <= 6
        and any(word.low == "(" for word in words[claim.last + 1 : following.first])
    )


def _next_is_counted(words: list[_Token], i: int) -> bool:
    """Whether the word at i says what a number before it counts."""
    if i >= len(words):
        return False
    word = words[i]
    if word.kind in (m.MEASURE, m.NOUN, m.GRADE):
        return True
    return word.low in _COUNT_VERBS


def _claim_at(words: list[_Token], i: int) -> _Claim | None:  # noqa: C901 - one reader per form
    word = words[i]
    before = words[i - 1].low if i else ""
    hedged = before in _HEDGES
    for phrase, fraction in FRACTIONS:
        if _starts(words, i, phrase):
            last = i + len(phrase) - 1
            after = words[last + 1].low if last + 1 < len(words) else ""
            if after not in ("of", "the") or before in ("first", "second", "last", "final"):
                return None
            if hedged:
                return None  # "about half" is flagged by the older check as an approximation
            said = " ".join(w.low for w in words[i : last + 1])
            return _Claim(i, last, "fraction", fraction=fraction, said=said, follows=True)
    for phrase, low, high, above, below in QUANTIFIERS:
        if _starts(words, i, phrase):
            last = i + len(phrase) - 1
            if last + 1 < len(words) and (
                words[last + 1].low == "of" or _next_is_counted(words, last + 1)
            ):
                said = " ".join(w.low for w in words[i : last + 1])
                return _Claim(i, last, "range", low=low, high=high, above_low=above,
                              below_high=below, said=said, follows=True)  # fmt: skip
            return None
    if word.low in ("all", "every"):
        if i + 1 < len(words) and _number(words[i + 1]) is not None and word.low == "all":
            n = _number(words[i + 1])
            return _Claim(i, i + 1, "count", n=n, total=n, said=f"all {words[i + 1].text}",
                          follows=True, total_only=True)  # fmt: skip
        if i + 1 < len(words) and (
            words[i + 1].low in ("of", "the") or words[i + 1].kind in (m.NOUN, m.MEASURE)
        ):
            return _Claim(i, i, "fraction", fraction=Fraction(1), said=word.low, follows=True)
        return None
    if word.low == "none" and i + 1 < len(words) and words[i + 1].low == "of":
        return _Claim(i, i, "count", n=0, said="none", follows=True)
    if word.low == "no" and i + 1 < len(words) and (words[i + 1].kind in (m.NOUN, m.MEASURE)):
        said = f"no {words[i + 1].low}"
        return _Claim(i, i, "count", n=0, said=said, follows=True, counts_what_follows=True)
    if (
        word.low == "both"
        and _next_is_counted(words, i + 1)
        and words[i + 1].low not in _COUNT_VERBS
    ):
        return _Claim(i, i, "count", n=2, said="both", follows=True)
    n = _number(word)
    if n is None and word.text.endswith("%") and word.text[:-1].replace(".", "", 1).isdigit():
        return _Claim(i, i, "percent", percent=word.text[:-1], said=word.text)
    if word.covered:
        return None
    if n is None:
        if re.fullmatch(r"\d+\.\d+", word.text) and _percent_after(words, i):
            last = _percent_after(words, i)
            return _Claim(i, last, "percent", percent=word.text, said=_said(words, i, last))
        return None
    if before == "/" or (i + 1 < len(words) and words[i + 1].low == "/" and (
        i + 3 < len(words) and words[i + 3].low == "/"
    )):  # fmt: skip
        return None  # a date such as 17/09/2024
    last = _percent_after(words, i)
    if last:
        # str(n): "seven per cent" and "seven%" are 7%, as "7%" is.
        return _Claim(i, last, "percent", percent=str(n), said=_said(words, i, last))
    compare = _comparison_before(words, i)
    of = _of_total(words, i)
    if compare is None:
        # "about 8 of 10", "nearly 8": an approximation, which only the author can judge.
        return _Claim(i, of[0] if of else i, "skip")
    if of:
        last, total = of
        said = _said(words, i, last)
        return _Claim(i, last, "count", n=n, total=total, said=said, compare=compare)
    if compare != "=":
        return None
    if before in _NOT_A_COUNT_BEFORE or before in _MONTHS or n >= 1000:
        return None
    if _starts(words, i + 1, ("of",)) and i + 2 < len(words) and words[i + 2].low in (
        "the", "these", "them", "those"
    ):  # fmt: skip
        # "three of the young people were female": a count of whatever the sentence names.
        said = _said(words, i, i + 2).lower()
        return _Claim(i, i + 2, "count", n=n, said=said, follows=True, bare=True)
    if i + 1 < len(words) and words[i + 1].low in _MONTHS:
        return None
    after = words[i + 1].low if i + 1 < len(words) else ""
    if (
        before in ("for", "in")
        and _measure_just_before(words, i - 1)
        and (after not in _NOT_A_COUNT_AFTER)
    ):
        # "Outstanding for 8 and Good in 2": a count of the grade just named.
        return _Claim(i, i, "count", n=n, said=word.low)
    if (
        i + 2 < len(words)
        and words[i + 1].low in ("for", "that", "with")
        and words[i + 2].kind in _PRIMARY
    ):
        # "6 for Outstanding", "2 that Required Improvement".
        return _Claim(i, i, "count", n=n, said=word.low, follows=True)
    if _next_is_counted(words, i + 1):
        determiner = before in ("the", "these", "all") or (
            i >= 2 and _starts(words, i - 2, ("total", "of"))
        )
        if words[i + 1].kind == m.NOUN:
            if not determiner:
                # "one young person was consulted by WhatsApp": a count the figures do not
                # keep, unless the sentence names a measure ("6 children were care leavers").
                return _Claim(i, i, "count", n=n, said=word.low, follows=True, bare=True)
            return _Claim(i, i, "count", n=n, said=word.low, total_only=True)
        return _Claim(i, i, "count", n=n, said=word.low, follows=True, bare=True)
    return None


_COMPARISONS = {
    ("fewer", "than"): "<", ("less", "than"): "<", ("under",): "<", ("more", "than"): ">",
    ("over",): ">", ("at", "least"): ">=", ("at", "most"): "<=", ("no", "more", "than"): "<=",
    ("no", "fewer", "than"): ">=",
}  # fmt: skip
_APPROXIMATELY = {"about", "nearly", "almost", "around", "approximately", "roughly", "some"}


def _comparison_before(words: list[_Token], i: int) -> str | None:
    """How the words before the number at i say the figure compares with it: "=" when they say
    nothing, "<" for "fewer than", None for "about" (an approximation)."""
    if i and words[i - 1].low in _APPROXIMATELY:
        return None
    for phrase, compare in sorted(_COMPARISONS.items(), key=lambda item: -len(item[0])):
        if i >= len(phrase) and _starts(words, i - len(phrase), phrase):
            return compare
    return "="


def _measure_just_before(words: list[_Token], i: int) -> bool:
    """Whether a measure's phrase ends just before word i ("Outstanding", "Requires
    improvement"): its first word is one of the few before i, in the same clause."""
    for j in range(i - 1, max(i - 5, -1), -1):
        if words[j].kind in _PRIMARY:
            return True
        if not words[j].covered:
            return False
    return False


def _percent_after(words: list[_Token], i: int) -> int:
    """The index of the last word of "%", "per cent" or "percent" after the number at i, or 0."""
    if _starts(words, i + 1, ("%",)) or _starts(words, i + 1, ("percent",)):
        return i + 1
    if _starts(words, i + 1, ("per", "cent")):
        return i + 2
    return 0


def _of_total(words: list[_Token], i: int) -> tuple[int, int] | None:
    """(last index, N) for "n of N", "n out of N", "n of the N", "n/N" starting at i."""
    j = i + 1
    if _starts(words, j, ("/",)) or _starts(words, j, ("of",)):
        j += 1
    elif _starts(words, j, ("out", "of")):
        j += 2
    else:
        return None
    if j < len(words) and words[j].low in ("the", "these"):
        j += 1
    total = _number(words[j]) if j < len(words) else None
    if total is None or (j + 1 < len(words) and words[j + 1].low == "/"):
        return None
    return j, total


def _said(words: list[_Token], first: int, last: int) -> str:
    return " ".join(w.text for w in words[first : last + 1]).replace(" / ", "/").replace(" %", "%")


# -- Which measure, which cohort ----------------------------------------------------------------


class _Sentence:
    """One sentence's words, with what the checks look up for each claim worked out once, so a
    sentence of any length with any number of claims is read in time that grows with its length
    (times the log of it), never with its square."""

    def __init__(
        self, words: list[_Token], comparator_words: set, this_words: set, lexicon: m.Lexicon
    ) -> None:
        self.words = words
        self.lexicon = lexicon
        self.clauses: list[int] = []
        self.segments: list[int] = []
        self.positions: dict[str, list[int]] = {}
        clause = segment = 0
        segment_names: dict[int, set[str]] = {}
        for i, word in enumerate(words):
            if word.low in _CLAUSE_BREAKS:
                clause += 1
            if any(_starts(words, i, phrase) for phrase in _CONNECTORS):
                segment += 1
            self.clauses.append(clause)
            self.segments.append(segment)
            if word.low in _COPULAS:
                self.positions.setdefault("copula", []).append(i)
            if word.kind:
                self.positions.setdefault(word.kind, []).append(i)
                if word.kind in (m.MEASURE, m.GRADE, m.STANDARD):
                    self.positions.setdefault("primary", []).append(i)
            pair = (word.low, words[i + 1].low) if i + 1 < len(words) else None
            for markers, name in ((comparator_words, "comparator"), (this_words, "this")):
                if (word.low,) in markers or pair in markers:
                    segment_names.setdefault(segment, set()).add(name)
        self.segment_names = segment_names
        self.names_comparator = any("comparator" in names for names in segment_names.values())

    def _before(self, kind: str, i: int) -> int | None:
        found = self.positions.get(kind, [])
        at = bisect_left(found, i)
        return found[at - 1] if at else None

    def _after(self, kind: str, i: int) -> int | None:
        found = self.positions.get(kind, [])
        at = bisect_right(found, i)
        return found[at] if at < len(found) else None

    def nearest(self, kind: str, i: int) -> Any:
        before, after = self._before(kind, i), self._after(kind, i)
        if before is None and after is None:
            return None
        if before is not None and (after is None or i - before <= after - i):
            return self.words[before].key
        return self.words[after].key if after is not None else None

    def _phrase_end(self, i: int) -> int:
        """The index of the last word of the lexicon phrase starting at word i."""
        end = i
        while end + 1 < len(self.words) and self.words[end + 1].covered:
            end += 1
        return end

    def _holds_a_verb(self, i: int) -> bool:
        """Whether the phrase at word i says what its number is ("recommendations were
        overdue"), so "most of the" before it is a share of that, not of a group it names."""
        copula = self._after("copula", i)
        return copula is not None and copula <= self._phrase_end(i)

    def measures_for(self, claim: _Claim, axis: str | None) -> list[m.Measure]:
        """The measure(s) a claim is about: the nearest one the sentence names. Clauses are
        runs of words, so the nearest named measure before (or after) a claim is in the claim's
        clause if any is."""
        before = self._before("primary", claim.first)
        after = self._after("primary", claim.last)
        same = self.clauses[claim.first]
        before_here = before if before is not None and self.clauses[before] == same else None
        after_here = after if after is not None and self.clauses[after] == same else None
        near_after = (
            after_here if after_here is not None and after_here - claim.last <= NEAR else None
        )
        near_before = (
            before_here if before_here is not None and claim.first - before_here <= NEAR else None
        )
        if claim.bare and near_after is not None:
            copula = self._after("copula", claim.last)
            said_is = copula is not None and copula <= self._phrase_end(near_after)
            if not said_is and self.words[claim.first - 1].low not in _COPULAS | {"total"}:
                near_after = None
        elif (
            near_after is not None
            and not claim.counts_what_follows
            and not self._holds_a_verb(near_after)
        ):
            between = {word.low for word in self.words[claim.last + 1 : near_after]}
            if between <= _OF_THE:
                near_after = None
        if claim.bare:
            near_before = None
        if claim.follows and near_after is not None:
            following = self._after("primary", near_after)
            if (
                following is not None
                and self.clauses[following] == same
                and self.words[following].key != self.words[near_after].key
            ):
                # "most of the children in care or care leavers were unaccompanied": a share of
                # a share, which the figures do not count.
                return []
        if claim.cell:
            order = [before]
        elif claim.total_only:
            # "in all 10 reviews": about the number of reviews, unless a measure follows it
            # ("all ten reviews were by independent reviewers").
            order = [near_after]
        elif claim.follows:
            # A word or a bare number ("seven", "most", "none of") only counts a measure named
            # close by in its own clause: "one young person was consulted by WhatsApp" is not a
            # claim about the care leavers a sentence mentions later.
            order = [near_after, near_before]
        else:
            order = [before_here, after_here, before, after]
        for choice in order:
            if choice is not None:
                return self.resolve(choice, axis)
        if claim.total_only:
            noun = self._after(m.NOUN, claim.last)
            children = noun is not None and self.words[noun].key == "children"
            return [m.CHILDREN if children else m.REVIEWS]
        return []

    def resolve(self, i: int, axis: str | None) -> list[m.Measure]:
        kind, key = self.words[i].kind, self.words[i].key
        if kind == m.MEASURE:
            return [self.lexicon.named_measure(key)]
        if kind == m.GRADE:
            chosen = self.nearest(m.AXIS, i) or axis
            if chosen:
                return [m.grade_measure(chosen, key)]
            return [m.grade_measure("practice", key), m.grade_measure("outcome", key)]
        result = self.nearest(m.RESULT, i)
        return [m.standard_measure(key, result)] if result else []

    def cohorts(self, claim: _Claim, has_comparator: bool) -> list[str]:
        if not has_comparator:
            return ["this"]
        names = self.segment_names.get(self.segments[claim.first], set())
        if "comparator" in names:
            return ["comparator"]
        if "this" in names:
            return ["this"]
        # A part of a sentence that names neither cohort, in a sentence that names the
        # comparator elsewhere, could be about either ("in July, 13 of 14 were male").
        return ["this", "comparator"] if self.names_comparator else ["this"]


def _markers(
    figures: dict[str, Any], lexicon: m.Lexicon
) -> tuple[set[tuple[str, ...]], set[tuple[str, ...]]]:
    """(words naming the comparator, words naming this cohort)."""
    comparison = figures.get("comparison") or {}
    if not comparison:
        return set(), set()
    this_name = set(m.words_of(figures["cohort"]["name"]))
    other_name = set(m.words_of(comparison["cohort"]["name"]))
    lexicon_words = set(lexicon.table)
    comparator = {(w,) for w in other_name - this_name - _STOP - lexicon_words} | _COMPARATOR_WORDS
    this = {(w,) for w in this_name - other_name - _STOP - lexicon_words} | _THIS_WORDS
    first = comparison["cohort"].get("first_review") or ""
    if len(first) >= 7 and first[5:7].isdigit():
        comparator.add((_SEASONS[int(first[5:7])],))
    return comparator, this


# -- Checking --------------------------------------------------------------------------------


def _value(block: dict[str, Any], path: tuple[str, ...]) -> int | None:
    value: Any = block
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _size(block: dict[str, Any], measure: m.Measure) -> int:
    """What "n of N" and a percentage of the measure are out of: the reviews, or its base."""
    if measure.base:
        return _value(block, measure.base) or 0
    return int(block["cohort"]["reviews"])


def _base(block: dict[str, Any], measure: m.Measure) -> int:
    """What a share of the measure ("most", "half") is of."""
    if measure.applicable:
        standard = _value_dict(block, measure.applicable)
        return standard.get("met", 0) + standard.get("not_met", 0)
    return _size(block, measure)


def _value_dict(block: dict[str, Any], path: tuple[str, ...]) -> dict[str, int]:
    value: Any = block
    for key in path:
        value = value.get(key, {}) if isinstance(value, dict) else {}
    return value if isinstance(value, dict) else {}


def _percent_matches(stated: str, n: int, total: int) -> bool:
    exact = Fraction(100 * n, total)
    places = len(stated.partition(".")[2])
    return Fraction(stated) == round_half_up(exact, places) or Fraction(stated) == exact


def _holds(claim: _Claim, value: int, total: int, base: int) -> bool:
    if claim.kind == "count":
        if claim.total is not None and not claim.total_only and claim.total != total:
            return False  # "2 of 10" where the figure is out of 9
        n = claim.n or 0
        return {"=": value == n, "<": value < n, ">": value > n, "<=": value <= n,
                ">=": value >= n}[claim.compare]  # fmt: skip
    if claim.kind == "percent":
        return bool(total) and _percent_matches(claim.percent or "0", value, total)
    if not base:
        return value == 0
    share = Fraction(value, base)
    if claim.kind == "fraction":
        return share == claim.fraction
    low, high = claim.low or Fraction(0), claim.high or Fraction(1)
    above = share > low if claim.above_low else share >= low
    below = share < high if claim.below_high else share <= high
    return above and below


def _shown(measure: m.Measure, value: int, total: int) -> str:
    if measure.path == ("alerts",) or measure == m.REVIEWS:
        return str(value)
    return n_of_n(value, total)


def check_claims(
    text: str,
    figures: dict[str, Any],
    frameworks: Iterable[v.FrameworkTerms] = v.BUILT_IN_FRAMEWORKS,
    templates: Iterable[AuditTemplate] = (),
) -> list[ClaimProblem]:
    """Every claim in `text` that its measure's figure contradicts, in order. `frameworks` is
    the council's list (reviews/queries.py): its own frameworks' names are measures too, as are
    the labels of the standards and questions of `templates` (the counted reviews' versions)."""
    lexicon = m.lexicon(tuple(frameworks), tuple(templates))
    words = tokens(text)
    _tag(words, lexicon)
    comparator_words, this_words = _markers(figures, lexicon)
    blocks = {"this": figures, "comparator": figures.get("comparison") or None}
    problems: list[ClaimProblem] = []
    axis: str | None = None  # the last axis a sentence of this paragraph named
    sentence: list[_Token] = []
    row = False  # whether the sentence is a table's row (its cells separated by tabs)
    end = _Token(".", ".", len(text), len(text))  # the last sentence ends with the text
    for index, word in enumerate([*words, end]):
        # The text between two words is spaces, line breaks and hyphens (the only character
        # `tokens` drops): a blank line starts a paragraph, a list item a sentence.
        gap = text[words[index - 1].end : word.start] if index else ""
        new_paragraph = gap.count("\n") >= 2
        # A line with tabs is a table's row: each is read on its own.
        new_item = "\n" in gap and (row or "-" in gap or word.low in ("*", "+", "#"))
        if word.low in _SENTENCE_ENDS or new_paragraph or new_item:
            if sentence:
                problems += _check_sentence(
                    sentence, blocks, comparator_words, this_words, axis, row, lexicon
                )
                named = [w.key for w in sentence if w.kind == m.AXIS]
                axis = named[-1] if named else axis
            sentence = []
            if new_paragraph:
                axis = None
            row = False
            if (new_paragraph or new_item) and word.low not in _SENTENCE_ENDS:
                sentence = [word]
            continue
        row = row or "\t" in gap
        sentence.append(word)
    # Each problem quotes the text as written, so the draft page can mark it where it is.
    return [
        ClaimProblem(
            found.start,
            found.end,
            text[found.start : found.end],
            found.problem,
            found.expected,
            found.placeholder,
        )  # fmt: skip
        for found in sorted(problems, key=lambda found: found.start)
    ]


def _check_sentence(  # noqa: C901 - one pass per claim, then the direction
    words: list[_Token],
    blocks: dict[str, Any],
    comparator_words: set[tuple[str, ...]],
    this_words: set[tuple[str, ...]],
    axis: str | None,
    row: bool,
    lexicon: m.Lexicon,
) -> list[ClaimProblem]:
    problems: list[ClaimProblem] = []
    sentence = _Sentence(words, comparator_words, this_words, lexicon)
    comparator = blocks["comparator"]
    measured: list[tuple[m.Measure, str]] = []
    for claim in _cells(words) if row else _claims(words):
        measures = sentence.measures_for(claim, axis)
        if not measures:
            continue
        cohorts = sentence.cohorts(claim, bool(comparator))
        if claim.total is not None:
            out_of: set[str] = {c for c in ("this", "comparator") if blocks[c] and
                      any(_size(blocks[c], ms) == claim.total for ms in measures)}  # fmt: skip
            sizes = [c for c in cohorts if c in out_of]
            if not sizes:
                others: list[str] = [c for c in ("this", "comparator") if c in out_of]
                if others:
                    sizes = others
                elif any(measure.base for measure in measures):
                    # "2 of 10 recommendations": out of no number the measure is counted over,
                    # so wrong whatever the count.
                    sizes = cohorts
                else:
                    continue  # a base that is no cohort's size: the older check says so
            cohorts = sizes
        results = []
        for cohort in cohorts:
            block = blocks[cohort]
            for measure in measures:
                value = _value(block, measure.path)
                if value is None:
                    continue
                total = _size(block, measure)
                base = _base(block, measure)
                results.append((cohort, measure, value, total, base))
        if not results:
            continue
        measured.append((results[0][1], results[0][0]))
        if any(_holds(claim, value, total, base) for _, _, value, total, base in results):
            continue
        if claim.kind == "percent" and not any(total for *_, total, _ in results):
            continue
        first, last = words[claim.first], words[claim.last]
        said = _said_claim(claim)
        descriptions = []
        for cohort, measure, value, total, _ in results:
            where = f" in {blocks[cohort]['cohort']['name']}" if cohort == "comparator" else ""
            descriptions.append(f"{measure.label}{where} is {_shown(measure, value, total)}")
        shown = {_shown(measure, value, total) for _, measure, value, total, _ in results}
        expected = shown.pop() if len(shown) == 1 else None
        problem = f"{' and '.join(descriptions)}, not {said}"
        placeholder = (
            _placeholder(
                results[0][1], results[0][0], claim, _starts(words, claim.last + 1, ("of",))
            )
            if len(results) == 1
            else None
        )
        problems.append(
            ClaimProblem(first.start, last.end, claim.said, problem, expected, placeholder)
        )
    if comparator:
        problems += _direction_problems(sentence, blocks, measured, axis)
    return problems


def _placeholder(
    measure: m.Measure, cohort: str, claim: _Claim, before_of: bool = False
) -> str | None:
    """The placeholder (docs/spec/interchange.md#placeholders) that shows this measure in the
    form the author wrote it: "{x}" for "8 of 10 (80%)", "{x.percent}", "{x.count}". A share in
    words followed by "of" ("half of the children") takes the percentage, so that the sentence
    still reads: "60% of the children", not "6 of 10 (60%) of the children"."""
    prefix = "comparison." if cohort == "comparator" else ""
    if measure == m.REVIEWS or measure.path == ("alerts",):
        return f"{{{prefix}{measure.path[-1]}}}"
    if measure == m.CHILDREN:
        return None
    path = measure.path
    if path[0] == "practice_standards":
        path = ("standards", *path[1:])
    name = prefix + ".".join(path)
    if claim.kind == "percent" or (claim.kind in ("fraction", "range") and before_of):
        return f"{{{name}.percent}}"
    if claim.kind == "count" and claim.total is None:
        return f"{{{name}.count}}"
    return f"{{{name}}}"


def _said_claim(claim: _Claim) -> str:
    words = {"=": "", "<": "fewer than ", ">": "more than ", "<=": "at most ", ">=": "at least "}
    if claim.kind == "count" and claim.total is not None and not claim.total_only:
        return f"{words[claim.compare]}{claim.n} of {claim.total}"
    return claim.said


def _direction_problems(
    sentence: _Sentence,
    blocks: dict[str, Any],
    measured: list[tuple[m.Measure, str]],
    axis: str | None,
) -> list[ClaimProblem]:
    """A direction word ("improved", "fell", "the same as") in a sentence that names the
    comparator, checked on the sentence's first measure; "outcomes improved" alone is about
    outcomes good or better."""
    words = sentence.words
    directions = sentence.positions.get(m.DIRECTION, [])
    if not directions or not sentence.names_comparator:
        return []
    measure = measured[0][0] if measured else None
    if measure is None:
        at = directions[0]
        found = sentence.measures_for(_Claim(at, at, "range"), axis)
        if not found:
            named = sentence.nearest(m.AXIS, at) or axis
            found = [m.grade_measure(named, "good_or_better")] if named else []
        if len(found) != 1:
            return []
        measure = found[0]
    if measure.path == ("cohort", "reviews"):
        return []
    this, other = blocks["this"], blocks["comparator"]
    i = directions[0]
    left_out = _not_compared(other, measure)
    if left_out:
        # Cohorts on different templates: a figure only one was asked, or asked as another kind
        # of question, is no change from the other (docs/spec/interchange.md#figures-json).
        end = _direction_end(words, i)
        said = " ".join(w.text for w in words[i : end + 1])
        problem = (f"{measure.label} cannot be compared with {other['cohort']['name']}: the "
                   f"two were not asked the same {left_out}, so not '{said}'")  # fmt: skip
        return [ClaimProblem(words[i].start, words[end].end, said, problem, None)]
    now, then = _value(this, measure.path), _value(other, measure.path)
    now_base, then_base = _base(this, measure), _base(other, measure)
    if now is None or then is None or not now_base or not then_base:
        return []
    if measure.path == ("alerts",):
        now_share, then_share = Fraction(now), Fraction(then)
    else:
        now_share, then_share = Fraction(now, now_base), Fraction(then, then_base)
    word = words[i]
    direction = word.key
    went = "rose" if now_share > then_share else "fell" if now_share < then_share else "stayed"
    holds = {
        "up": now_share > then_share,
        "down": now_share < then_share,
        "same": whole_percentage(now, now_base) == whole_percentage(then, then_base),
    }[direction]
    if holds:
        return []
    end = _direction_end(words, i)
    said = " ".join(w.text for w in words[i : end + 1])
    now_shown = _shown(measure, now, _size(this, measure))
    then_shown = _shown(measure, then, _size(other, measure))
    if went == "stayed":
        change = f"stayed at {now_shown}"
    else:
        change = f"{went} from {then_shown} in {other['cohort']['name']} to {now_shown}"
    problem = f"{measure.label} {change}: not '{said}'"
    # No placeholder to offer: a word for a change is not a figure to put in its place.
    return [ClaimProblem(word.start, words[end].end, said, problem, now_shown)]


def _direction_end(words: list[_Token], i: int) -> int:
    """Where the direction phrase starting at `i` ("an improvement on") ends."""
    while i + 1 < len(words) and words[i + 1].covered:
        i += 1
    return i


def _not_compared(other: dict[str, Any], measure: m.Measure) -> str:
    """The kind of item ("standard" or "question") when the comparator's figures leave the
    measure's standard or question out of the comparison (figures.py `not_compared`), else
    the empty string."""
    left_out = other.get("not_compared") or {}
    kind = {"practice_standards": "standards", "questions": "questions"}.get(measure.path[0])
    if kind and measure.path[1] in left_out.get(kind, ()):
        return kind[:-1]
    return ""
