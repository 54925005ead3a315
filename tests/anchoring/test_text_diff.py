"""Finding a claim of an old version in the new version: moved, changed or removed."""

from articles.anchoring import CHANGED, FOUND, REMOVED, TextDiff

OLD = (
    "Lorenzana said the $233-million agreement with Canada was signed on Monday.\n\n"
    '"We are ready to buy more," he said.\n\n'
    "Relations were established in 1976, officials said.\n\n"
    "The visit ends on Friday."
)


def relocate(old: str, new: str, words: str):
    start = old.index(words)
    return TextDiff(old, new).relocate(start, start + len(words))


def test_an_unchanged_text_keeps_every_claim_where_it_was():
    start = OLD.index("1976")

    relocation = TextDiff(OLD, OLD).relocate(start, start + 4)

    assert (relocation.status, relocation.start, relocation.end) == (FOUND, start, start + 4)


def test_text_inserted_before_a_claim_shifts_it():
    new = "A paragraph added at the top.\n\n" + OLD

    relocation = relocate(OLD, new, '"We are ready to buy more,"')

    assert relocation.status == FOUND
    assert new[relocation.start : relocation.end] == '"We are ready to buy more,"'


def test_a_figure_changed_inside_a_sentence_is_a_changed_claim_with_the_new_words():
    new = OLD.replace("$233-million", "$250-million")

    relocation = relocate(OLD, new, "$233-million")

    assert relocation.status == CHANGED
    assert relocation.text == "$250-million"
    assert new[relocation.start : relocation.end] == "$250-million"


def test_a_longer_claim_around_the_changed_figure_is_changed_too():
    new = OLD.replace("$233-million", "$250-million")

    relocation = relocate(OLD, new, "the $233-million agreement with Canada")

    assert relocation.status == CHANGED
    assert relocation.text == "the $250-million agreement with Canada"


def test_a_deleted_paragraph_removes_its_claims():
    new = OLD.replace("Relations were established in 1976, officials said.\n\n", "")

    assert relocate(OLD, new, "1976").status == REMOVED
    assert relocate(OLD, new, "Friday").status == FOUND


def test_reordered_paragraphs_keep_their_claims_with_the_same_words():
    paragraphs = OLD.split("\n\n")
    new = "\n\n".join(reversed(paragraphs))

    for words in ("$233-million", '"We are ready to buy more,"', "1976", "Friday"):
        relocation = relocate(OLD, new, words)
        assert relocation.status == FOUND, words
        assert new[relocation.start : relocation.end] == words


def test_of_two_copies_of_the_words_the_one_with_the_same_surroundings_is_chosen():
    old = "Sales rose 5 percent in May. Costs rose 5 percent in June."
    new = "Costs rose 5 percent in June. Sales rose 5 percent in May."
    start = old.index("5 percent in June") + 0

    relocation = TextDiff(old, new).relocate(start, start + len("5 percent"))

    assert relocation.status == FOUND
    assert new[relocation.start - 11 : relocation.start] == "Costs rose "


def test_a_short_claim_is_not_matched_to_the_same_words_in_another_context():
    old = "The budget was approved in 2019 by the council.\n\nNothing else."
    new = "Nothing else.\n\nThe new stadium opened in 2019 to crowds."

    assert relocate(old, new, "2019").status == REMOVED


def test_a_rewritten_passage_removes_the_claim_rather_than_pointing_at_unrelated_words():
    new = (
        "Officials declined to comment on any of the matters raised in the earlier report, "
        "saying a full statement would follow next week after consultations."
    )

    assert relocate(OLD, new, "1976").status == REMOVED
