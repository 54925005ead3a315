"""Statement items: check-worthy sentences in the reporter's words that no rule covers, trimmed to the claim."""

import pytest

from articles.extraction import extract_claims
from articles.extraction.engine import _Article
from articles.extraction.statements import find_statements


def scorer_giving(score: float):
    """A stand-in sentence scorer (the engine accepts any callable); the real model is tested below."""
    return lambda sentences: [score for _ in sentences]


def statements(body: str, score: float = 0.9) -> list[str]:
    return [c.text for c in extract_claims(body, score_sentences=scorer_giving(score)) if c.kind == "statement"]


PARAGRAPH = (
    "The agency regulates the export of defense equipment and reports to the president. "
    "It was founded to oversee arms sales abroad. "
    "Officials met again in the capital to review the talks. "
    "The ministry has no history of cooperation with the agency."
)


def test_a_high_scoring_sentence_becomes_a_statement_without_its_full_stop():
    found = statements(PARAGRAPH)

    assert "The agency regulates the export of defense equipment and reports to the president" in found


def test_no_more_than_a_share_of_the_sentences_become_statements():
    assert len(statements(PARAGRAPH)) <= max(1, int(0.3 * 4))


def test_low_scoring_sentences_give_no_statement():
    assert statements(PARAGRAPH, score=0.2) == []


def trimmed(body: str, score: float = 0.9) -> list[str]:
    """Statement spans when no rule item covers the sentence (reported speech included)."""
    article = _Article(body, None)
    found = find_statements(body, article.layout, article.reports, [], scorer_giving(score))
    return [body[f.start : f.end] for f in found]


def test_reported_speech_is_left_to_the_attribution_item():
    body = "The ministry has never bought weapons from Russia before this year, Lorenzana added."

    kinds = [c.kind for c in extract_claims(body, score_sentences=scorer_giving(0.95))]

    assert "attribution" in kinds and "statement" not in kinds


def test_an_attribution_tail_is_trimmed_off():
    body = "The ministry has never bought weapons from Russia before this year, the spokesman said."

    assert trimmed(body) == ["The ministry has never bought weapons from Russia before this year"]


def test_a_reporting_clause_in_front_is_trimmed_off_and_needs_a_higher_score():
    body = "Lorenzana said that the department is ready to finalize a framework agreement with Moscow."

    assert trimmed(body, score=0.85) == ["the department is ready to finalize a framework agreement with Moscow"]
    assert trimmed(body, score=0.6) == []


def test_a_leading_connective_is_left_out():
    body = "However, the country has had no history of military cooperation with Russia."

    assert statements(body) == ["the country has had no history of military cooperation with Russia"]


def test_sentences_with_quotations_or_questions_give_no_statement():
    assert statements('"We are ready to build the factory next year," the ambassador told reporters.') == []
    assert statements("Will the country buy helicopters from Russia next year?") == []


def test_a_sentence_already_covered_by_a_superlative_gives_no_statement():
    body = "This is the first-ever visit of a defense secretary to Russia since relations began."

    kinds = {c.kind for c in extract_claims(body, score_sentences=scorer_giving(0.95))}

    assert "superlative" in kinds and "statement" not in kinds


def test_without_a_scorer_the_engine_gives_rule_items_only():
    body = "The council approved a $4.5-million budget on Monday. " + PARAGRAPH

    claims = extract_claims(body, score_sentences=False)

    assert claims and all(c.kind != "statement" for c in claims)
    money = next(c for c in claims if c.kind == "money")
    assert money.priority == 85


@pytest.mark.parametrize(
    "fact",
    [
        "The Federal Service for Military Technical Cooperation is the executive body that regulates the export "
        "of Russian defense equipment and dual-use products.",
        "The Pentagon has bought a large number of Russian helicopters for use in Afghanistan.",
    ],
)
def test_the_committed_model_finds_background_facts_and_skips_small_talk(fact):
    body = f"{fact}\nThe weather was pleasant and everyone enjoyed the lunch after the meeting.\n"

    found = [c.text for c in extract_claims(body) if c.kind == "statement"]

    assert found == [fact.rstrip(".")]


def test_sentences_carried_by_their_figures_are_not_statements():
    body = (
        "Revenue rose 4% to 5,100 units while costs fell 3% in the quarter under review.\n\n"
        "The firm employs around 58,000 people."
    )
    claims = extract_claims(body, score_sentences=scorer_giving(0.9))
    assert [c for c in claims if c.kind == "statement"] == []


def test_a_closing_clause_naming_who_said_it_is_reported_speech_even_when_the_reading_missed_it():
    # No reporting clause from the reading: the closing clause's speech verb is enough.
    # Reported speech needs a higher score, and the span leaves the reporting clause out.
    body = "Closer trade ties are vital for both economies and their ports, the visiting trade envoy said on Monday.\n"
    layout = _Article(body, None).layout

    def found(score):
        return [body[f.start : f.end] for f in find_statements(body, layout, [], [], scorer_giving(score))]

    assert found(0.7) == []
    assert found(0.9) == ["Closer trade ties are vital for both economies and their ports"]


def test_what_a_source_would_not_say_is_not_a_statement():
    body = (
        "The minister, however, did not identify the companies involved in the talks.\n"
        "The agency declined to comment on the size of the contract with the shipyard.\n"
    )

    assert statements(body) == []


def test_a_headline_or_subhead_line_is_not_a_statement():
    body = (
        "Council Approves New Bridge Plan For The Harbor\n\n"
        "The council approved the plan after a long debate about the harbor bridge.\n"
    )

    assert statements(body) == ["The council approved the plan after a long debate about the harbor bridge"]
