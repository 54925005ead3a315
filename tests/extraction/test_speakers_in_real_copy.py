"""Who said it, in the ways real copy says it: verbs that are not "said", people named by
their role, organisations and documents as sources, and quotation marks that go missing."""

from tests.extraction.helpers import items


def speakers(body: str) -> dict[str, str | None]:
    return {c.text: c.speaker for c in items(body, "quote", score_sentences=False)}


def quote_items(body: str):
    return items(body, "quote", score_sentences=False)


def test_the_subject_of_any_verb_that_takes_the_quote_is_its_speaker():
    body = (
        "The files were withheld for a year.\n\n"
        "Information Commissioner Richard Thomas \"totally condemned\" the decision to withhold them."
    )
    assert speakers(body) == {"totally condemned": "Information Commissioner Richard Thomas"}


def test_an_urging_politician_speaks_the_words_he_urges():
    body = (
        "Lib Dem constitutional affairs committee chairman Alan Beith criticised the plan.\n\n"
        "Mr Beith urged ministers to \"support the freedom of information regime\" rather than weaken it."
    )
    assert speakers(body)["support the freedom of information regime"].endswith("Alan Beith")


def test_a_role_is_resolved_to_the_person_the_article_gave_it():
    body = (
        "CNN host Jake Tapper pressed the senator on the vote.\n\n"
        "\"Is that a yes or a no?\" the CNN host asked.\n\n"
        "\"We will see,\" she replied, before Senator Maria Lopez left the studio."
    )
    found = speakers(body)
    assert found["Is that a yes or a no?"].endswith("Jake Tapper")


def test_she_is_the_woman_named_before_not_the_man_named_last():
    body = (
        "Councillor Ruth Adeyemi, who chairs the housing committee, met the developer, Mr Colin Hart, on Friday.\n\n"
        "\"This scheme will not be built while I chair this committee,\" she said."
    )
    assert speakers(body) == {
        "This scheme will not be built while I chair this committee": "Councillor Ruth Adeyemi"
    }


def test_organisations_and_documents_can_be_the_source():
    spokeswoman = "\"We are reviewing the guidance,\" a Cabinet Office spokeswoman said."
    [item] = quote_items(spokeswoman)
    assert item.speaker == "a Cabinet Office spokeswoman"
    assert item.value["source_type"] == "named"

    report = "The report said the scheme had been \"poorly managed from the start\" by the council."
    [item] = quote_items(report)
    assert "report" in item.speaker.lower()


def test_an_unnamed_source_of_a_quote_is_flagged_as_unnamed():
    body = "\"The deal is dead,\" a senior official said, speaking on condition of anonymity."
    [item] = quote_items(body)
    assert item.value["source_type"] == "unnamed"
    assert "unnamed source" in item.guidance


def test_a_place_after_the_name_is_never_the_speaker():
    body = (
        "Martin Mubanga was held for almost three years.\n\n"
        "Mr Mubanga, 32, from Wembley, London, said: \"I was treated like an animal.\""
    )
    assert speakers(body) == {"I was treated like an animal.": "Martin Mubanga"}


def test_a_date_is_never_the_speaker():
    body = "On Monday, the mayor said \"the bridge will reopen within weeks\", Mayor Ana Silva told reporters."
    assert "Monday" not in (speakers(body)["the bridge will reopen within weeks"] or "")


def test_a_leading_conjunction_is_not_part_of_the_speaker():
    body = (
        "Athletes and an IAAF spokesman said the ruling was \"a victory for clean sport\" after the hearing."
    )
    speaker = speakers(body)["a victory for clean sport"] or ""
    assert not speaker.lower().startswith("and ")


def test_a_newspaper_described_by_its_country_is_not_the_country():
    body = "The influential US daily said the talks were \"on the brink of collapse\"."
    assert speakers(body)["on the brink of collapse"] != "US"


def test_when_no_one_is_said_to_have_spoken_the_speaker_is_left_open():
    body = (
        "The stadium fell silent at half-time.\n\n"
        "\"Never again. Never forget.\"\n\n"
        "The banner was taken down by stewards after the match."
    )
    [item] = quote_items(body)
    assert item.speaker is None
    assert "does not say" in item.guidance


def test_a_quote_over_paragraphs_is_one_item_also_when_the_paragraphs_are_run_together():
    over = "“We will fight this in every court.\n\n“And we will win,” said Harriet Cole, the union's lawyer."
    flattened = "“We will fight this in every court. “And we will win,” said Harriet Cole, the union's lawyer."
    for body in (over, flattened):
        [item] = quote_items(body)
        assert item.text.startswith("We will fight") and item.text.endswith("we will win")
        assert item.speaker == "Harriet Cole"


def test_an_unclosed_quote_damages_only_its_own_paragraph():
    body = (
        "Gareth Price said: \"This is the worst decision the board has ever made.\n\n"
        "The board met on Tuesday and voted five to two.\n\n"
        "\"We stand by it,\" said chairwoman Ellen Shaw.\n\n"
        "\"It was a fair process,\" said Amir Khan, a board member."
    )
    found = speakers(body)
    assert found["This is the worst decision the board has ever made."] == "Gareth Price"
    assert found["We stand by it"].endswith("Ellen Shaw")
    assert found["It was a fair process"] == "Amir Khan"
    assert not any("voted five to two" in text for text in found)


def test_a_missing_closing_mark_before_the_reporters_words_ends_the_quote_there():
    body = (
        "Tariq Aziz, a shop owner, was stopped twice at the airport.\n\n"
        "“They searched me because I was a Muslim. He added: “Nobody ever told me why.”"
    )
    found = speakers(body)
    assert "They searched me because I was a Muslim." in found
    assert "Nobody ever told me why." in found
    assert all(speaker == "Tariq Aziz" for speaker in found.values())
