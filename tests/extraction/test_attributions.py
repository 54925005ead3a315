import pytest

from tests.extraction.helpers import items


def test_unnamed_sources_are_flagged():
    body = "The company is preparing layoffs, according to people familiar with the plans."
    [item] = items(body, "attribution", score_sentences=False)
    assert "according to people familiar" in item.text and item.priority >= 70, "an unnamed source ranks high by kind"


def test_reportedly_is_flagged():
    assert items("The club is reportedly in talks to sign the striker.", "attribution")


def test_reported_speech_without_quotes_is_an_attribution():
    body = "Governor Ellen Price said the state would cover half of the repair costs."
    [item] = items(body, "attribution")
    assert item.text.startswith("Governor Ellen Price said")
    assert "Ellen Price" in item.guidance


def test_a_direct_quote_is_not_also_an_attribution():
    assert items('“We will cover half the costs,” Governor Ellen Price said.', "attribution") == []


def test_the_source_after_according_to_is_named_in_the_item():
    [vague] = items("According to diplomatic sources, the deal was signed in May.", "attribution")
    [named] = items("According to the Department of Foreign Affairs, the deal was signed in May.", "attribution")

    assert (vague.value["source"], vague.value["source_type"]) == ("diplomatic sources", "unnamed")
    assert "(diplomatic sources)" in vague.guidance
    assert (named.value["source"], named.value["source_type"]) == ("Department of Foreign Affairs", "named")


def test_officials_at_the_start_of_a_sentence_are_an_unnamed_source():
    [item] = items("Officials said the plant would close next year.", "attribution")

    assert item.value["source_type"] == "unnamed"


def test_anonymous_sources_not_next_to_the_verb_are_flagged():
    body = "Two people familiar with the talks, who asked not to be named, said the bid had been dropped."
    assert items(body, "attribution", score_sentences=False)
    body = "The broadcaster, citing unnamed officials, reported that the plant would close."
    assert items(body, "attribution", score_sentences=False)


@pytest.mark.parametrize(
    "sentence",
    [
        "The mayor would be hard to beat in the spring, many analysts think, after the budget deal.",
        "Ministry officials stressed on Monday that the talks had not broken down.",
        "The senator appeared on two talk shows amid news reports that question her account of the vote.",
        "A clerk who did not want to be named said the files had been moved before the audit.",
        "The plan will be announced next week, said an aide who was not authorized to speak publicly.",
    ],
)
def test_sources_that_name_nobody_are_unnamed_attributions(sentence):
    [item] = items(sentence, "attribution", score_sentences=False)

    assert item.value["source_type"] == "unnamed"
    assert item.tier == "required"


def test_a_quote_from_an_unnamed_speaker_also_gets_its_unnamed_source_item():
    body = '"The deal is dead," said an official close to the talks, speaking on condition of anonymity.'

    [quote] = items(body, "quote", score_sentences=False)
    [source] = items(body, "attribution", score_sentences=False)

    assert quote.value["source_type"] == "unnamed"
    assert source.value["source_type"] == "unnamed"


@pytest.mark.parametrize(
    "sentence",
    [
        "Governor Ellen Price still maintains a comfortable lead in the polls across the state.",
        "When he arrived, Governor Ellen Price insisted on paying for the dinner herself.",
        "Governor Ellen Price claimed victory in the primary after a long count.",
        "The host asked Governor Ellen Price whether the bridge would be finished on time.",
    ],
)
def test_verbs_that_report_no_claim_give_no_attribution(sentence):
    assert items(sentence, "attribution", score_sentences=False) == []
