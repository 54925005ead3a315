"""Sentence boundaries: abbreviations that end sentences and ones that do not."""

import pytest

from articles.extraction.sentences import Layout


def sentences(text: str) -> list[str]:
    return [text[s.start : s.end] for s in Layout(text).sentences]


@pytest.mark.parametrize(
    "text",
    [
        "He met U.S. Senator Jane Roe on Monday.",
        "The U.N. Security Council met in New York.",
        "Mr. Smith arrived on Oct. 22 with Dr. Jones.",
        "John F. Kennedy was president.",
    ],
)
def test_abbreviations_before_a_name_do_not_end_the_sentence(text):
    assert sentences(text) == [text]


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("Sales fell in the U.S. The company said demand was weak.", "Sales fell in the U.S."),
        ("It rose in the U.K. About 800,000 people moved.", "It rose in the U.K."),
        ("It was founded by Acme Inc. In 2020 it grew.", "It was founded by Acme Inc."),
        ("He arrived at 9 a.m. He left at noon.", "He arrived at 9 a.m."),
    ],
)
def test_an_abbreviation_at_the_end_of_a_sentence_ends_it_before_a_new_one(text, first):
    assert sentences(text)[0] == first
    assert len(sentences(text)) == 2


def test_an_editors_note_and_a_closing_co_author_biography_are_credits_not_claims():
    from articles.extraction import extract_claims

    body = (
        "Editor's note: The mayor has been accused in 2019 of misusing $40,000 in city funds.\n\n"
        "The council approved the harbor plan on Monday after a long debate.\n\n"
        "Ann Lee is co-author of the upcoming book The Harbor Years, published in 2027.\n"
    )

    items = extract_claims(body, score_sentences=lambda sentences: [0.9 for _ in sentences])

    assert {c.kind for c in items} == {"date", "statement"}
    assert all("Editor" not in c.sentence and "co-author" not in c.sentence for c in items)
