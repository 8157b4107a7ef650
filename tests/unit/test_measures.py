"""The figure check's lexicon (core/measures.py) with a council's own frameworks."""

from practice_review.core import measures as m
from practice_review.core.vocabulary import BUILT_IN_FRAMEWORKS, FrameworkTerms

FAMILY_HELP = FrameworkTerms("family_help", "Family Help", ("FH", "Family Help service"), True)


def entries(lexicon, phrase):
    words = tuple(m.words_of(phrase))
    return [(kind, key) for found, kind, key in lexicon.table.get(words[0], ()) if found == words]


def test_a_council_frameworks_label_and_synonyms_are_its_words():
    lexicon = m.lexicon((*BUILT_IN_FRAMEWORKS, FAMILY_HELP))
    path = ("legal_status", "family_help")
    for phrase in ("Family Help", "FH", "Family Help service"):
        assert entries(lexicon, phrase) == [(m.MEASURE, path)]
    assert lexicon.named_measure(path).label == "family help"


def test_the_built_in_words_stay_and_win():
    lexicon = m.lexicon((*BUILT_IN_FRAMEWORKS, FAMILY_HELP))
    assert entries(lexicon, "care leavers") == [(m.MEASURE, ("legal_status", "care_leaver"))]
    assert lexicon.named_measure(("legal_status", "care_leaver")).label == "care leavers"
    assert m.lexicon(BUILT_IN_FRAMEWORKS).table == m.LEXICON
