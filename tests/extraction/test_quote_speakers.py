from articles.extraction import extract_claims
from tests.extraction.helpers import items


def speakers(body: str) -> dict[str, str | None]:
    return {c.text: c.speaker for c in items(body, "quote")}


def test_quote_followed_by_name_and_verb_names_that_speaker():
    found = speakers("“The bridge will reopen in May,” Alicia Moreno, the transport commissioner, said.")
    assert found == {"The bridge will reopen in May": "Alicia Moreno"}


def test_said_smith_after_the_quote_names_smith():
    assert speakers('"Nobody saw this coming," said Harold Finch.') == {"Nobody saw this coming": "Harold Finch"}


def test_present_tense_smith_says_names_smith():
    body = "Priya Natarajan has run the shelter for a decade. “We turn people away every night,” Natarajan says."
    assert speakers(body)["We turn people away every night"] == "Priya Natarajan"


def test_he_said_resolves_to_last_named_person():
    body = (
        "Mayor Colin Abernathy defended the plan on Tuesday.\n\n"
        "“We cannot keep patching the same roads,” he said."
    )
    assert speakers(body)["We cannot keep patching the same roads"] == "Mayor Colin Abernathy"


def test_pronoun_ignores_names_mentioned_inside_quotes():
    body = (
        "Coach Dana Whitfield spoke after the match. “Even Lionel Marsh could not have stopped that,” she said."
    )
    assert speakers(body)["Even Lionel Marsh could not have stopped that"] == "Coach Dana Whitfield"


def test_partial_quote_inside_a_sentence_takes_the_sentence_speaker():
    body = "Inspector Ruth Galloway said the evidence was “overwhelming and consistent” with a break-in."
    assert speakers(body) == {"overwhelming and consistent": "Inspector Ruth Galloway"}


def test_quote_running_over_paragraphs_is_one_item_with_the_closing_speaker():
    body = (
        "“The first thing we did was count the damage.\n\n"
        "“Then we called every family on the list,” said Tomas Reyes, the relief coordinator."
    )
    found = items(body, "quote")
    assert len(found) == 1
    assert found[0].text.startswith("The first thing") and found[0].text.endswith("on the list")
    assert found[0].speaker == "Tomas Reyes"


def test_quote_attributed_to_an_organisation_names_the_organisation():
    body = (
        "The Environment Agency (EA) issued a warning on Sunday.\n\n"
        "“Rivers are expected to peak overnight,” the EA said."
    )
    assert speakers(body)["Rivers are expected to peak overnight"] == "EA"


def test_role_noun_resolves_to_the_person_holding_that_role():
    body = (
        "Health Minister Kofi Asante visited the clinic.\n\n"
        "The minister said the wards were \"far too crowded\" for winter."
    )
    assert speakers(body)["far too crowded"] == "Health Minister Kofi Asante"


def test_a_quoted_programme_title_is_not_a_quote():
    assert items('She told "The Morning Show" that she would run again.', "quote") == []


def test_scare_quotes_without_a_speaker_are_not_quotes():
    assert items('The so-called "reform" was shelved.', "quote") == []


def test_uk_single_quotes_are_quotes_when_there_are_no_double_quotes():
    body = "‘It was a grossly irresponsible decision,’ said Fiona Hale, the union’s general secretary."
    assert speakers(body) == {"It was a grossly irresponsible decision": "Fiona Hale"}


def test_relative_clause_subject_is_its_antecedent():
    body = 'Senator Ada Kerr, who has said she will retire, called the plan "a reckless gamble" on Monday.'
    assert speakers(body) == {"a reckless gamble": "Senator Ada Kerr"}


def test_coordinated_verb_shares_the_subject():
    body = 'Rep. Tom Alder said it was "a bad deal" and predicted it would be "back within a year."'
    assert set(speakers(body).values()) == {"Rep. Tom Alder"}


def test_sentence_subject_speaks_after_and_said():
    body = (
        "The firm's owner, Nora Vale, bowed at a news conference in Oslo and said the delay was hers.\n\n"
        '"I take full responsibility for what happened.\n\n'
        '"We will publish the review in March."'
    )
    assert set(speakers(body).values()) == {"Nora Vale"}


def test_quote_after_described_as_belongs_to_the_subject():
    body = 'Dr. Ian Moss, a cardiologist who was not involved, described the results as "very encouraging."'
    assert speakers(body) == {"very encouraging.": "Dr. Ian Moss"}


def test_role_before_comma_name_makes_a_person_for_he_says():
    body = (
        "Dr Ruth Crane, the union's president, says staff are exhausted.\n\n"
        "The shadow minister, Owen Tate, says the cuts have ‘gutted the service’.\n\n"
        "‘Patients are paying the price,’ he says."
    )
    assert speakers(body)["Patients are paying the price"] == "Owen Tate"


def test_two_apostrophes_stand_for_a_double_quote_mark():
    body = (
        "The mayor said the plan ''will not raise a single tax this year,'' and left the hall.\n"
        "''We have balanced the books,'' the treasurer told the council on Monday.\n"
    )

    quotes = [(c.text, c.speaker) for c in extract_claims(body, score_sentences=False) if c.kind == "quote"]

    assert quotes == [
        ("will not raise a single tax this year", "The mayor"),
        ("We have balanced the books", "the treasurer"),
    ]
