"""The figure check's lexicon (core/measures.py) with a council's own frameworks and the
counted reviews' templates."""

from pathlib import Path

from practice_review.core import measures as m
from practice_review.core.audit_templates import built_in, read_yaml
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


NEGLECT = Path(__file__).parents[2] / "docs" / "templates" / "neglect-thematic.yaml"


def test_a_templates_standard_labels_are_words_for_the_standard_met():
    neglect = read_yaml(NEGLECT.read_text())
    lexicon = m.lexicon(BUILT_IN_FRAMEWORKS, (neglect,))
    path = ("practice_standards", "graded_care_profile", "met")
    for phrase in ("A Graded Care Profile 2 was completed", "Graded Care Profile 2 was completed"):
        assert entries(lexicon, phrase) == [(m.MEASURE, path)]
    # What a label adds in brackets is left out: a sentence names the standard without it.
    health = ("practice_standards", "health_needs_followed_up", "met")
    assert entries(lexicon, "Health needs are followed up") == [(m.MEASURE, health)]
    measure = lexicon.named_measure(path)
    assert measure.label == "A Graded Care Profile 2 was completed (met)"
    # "every" and "most" are shares of the reviews where it applied, as for built-in standards.
    assert measure.applicable == ("practice_standards", "graded_care_profile")
    choice = ("questions", "neglect_level", "significant")
    assert entries(lexicon, "Significant - child protection") == [(m.MEASURE, choice)]


def test_the_lexicon_for_the_built_in_template_is_the_built_in_lexicon_and_is_kept():
    assert m.lexicon(BUILT_IN_FRAMEWORKS, (built_in(),)).table == m.LEXICON
    neglect = read_yaml(NEGLECT.read_text())
    assert m.lexicon(BUILT_IN_FRAMEWORKS, (neglect,)) is m.lexicon(BUILT_IN_FRAMEWORKS, (neglect,))
