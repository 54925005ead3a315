from tests.extraction.helpers import texts


def test_first_with_its_comparison_is_one_item():
    body = "It was the first visit by a sitting Irish premier to Cuba since the revolution in 1959."
    assert texts(body, "superlative") == [
        "the first visit by a sitting Irish premier to Cuba since the revolution in 1959"
    ]


def test_possessive_superlative():
    assert texts("Lagos is Africa’s largest city by population.", "superlative") == ["Africa’s largest city by population"]


def test_for_the_first_time_is_a_superlative():
    assert texts("The club reached the final for the first time in its history.", "superlative") == [
        "for the first time in its history"
    ]


def test_records_and_the_only():
    found = texts("Turnout hit a record high, and she is the only candidate from the north.", "superlative")
    assert found == ["a record high", "the only candidate from the north"]


def test_at_least_is_a_quantity_not_a_superlative():
    assert texts("At least 12 homes were damaged.", "superlative") == []


def test_a_speakers_ordering_inside_a_quote_is_not_a_record():
    body = '"The first step is to listen," said councillor Amy Prescott.'
    assert texts(body, "superlative") == []


def test_compound_records_and_lowercase_possessors():
    body = "She scored a career-high 41 points. It was the arena's first sellout since 2019. The effect was largest among boys."
    found = texts(body, "superlative")
    assert "career-high" in found
    assert any(t.startswith("arena's first sellout since 2019") for t in found)
    assert any(t.startswith("largest among boys") for t in found)


def test_firsts_among_people_first_reports_top_spots_and_than_any_are_superlatives():
    from articles.extraction import extract_claims

    def superlatives(body):
        return [c.text for c in extract_claims(body, score_sentences=False) if c.kind == "superlative"]

    assert superlatives("She became the first American to win the prize in Oslo.") == [
        "the first American to win the prize in Oslo"
    ]
    assert superlatives("The story was first reported by the Daily Planet on Sunday.") == [
        "first reported by the Daily Planet on Sunday"
    ]
    assert superlatives("He holds the top spot in many polls.") == ["the top spot in many polls"]
    assert superlatives("The governor has spent more time in the state than any of his rivals.") == [
        "The governor has spent more time in the state than any of his rivals"
    ]
    assert superlatives("The first Monday of the month is a holiday.") == []
