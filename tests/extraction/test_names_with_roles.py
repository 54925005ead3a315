"""Name items: each person and body a checker must verify, once, at the first full mention,
spanning the title or role the article gives them there."""

from tests.extraction.helpers import items


def names(body: str) -> list[str]:
    return [c.text for c in items(body, "name", score_sentences=False)]


def test_a_long_title_in_front_of_the_name_is_part_of_the_item():
    body = (
        "Lib Dem constitutional affairs committee chairman Alan Beith said the bill went too far. "
        "Mr Beith has opposed it since March."
    )
    assert names(body) == ["Lib Dem constitutional affairs committee chairman Alan Beith"]


def test_a_capitalised_title_and_a_role_word_both_count():
    body = (
        "The film was pulled on Friday. Director Anurag Kashyap called it censorship, "
        "and journalist S Hussain Zaidi, whose book it adapts, agreed."
    )
    found = names(body)
    assert any(text.endswith("Anurag Kashyap") and text.startswith("Director") for text in found)
    assert any(text.endswith("S Hussain Zaidi") and "journalist" in text for text in found)


def test_where_a_person_comes_from_is_part_of_their_description():
    body = "Andrew Fisher, from Omaha, Nebraska, was among those detained at the border."
    found = names(body)
    assert any(text.startswith("Andrew Fisher, from Omaha") for text in found)


def test_an_organisation_in_the_title_is_not_cut_in_half():
    body = "Fair Trials Abroad director Stephen Jakobi said the men had been denied lawyers."
    found = names(body)
    assert any(text.endswith("Stephen Jakobi") for text in found)
    assert not any(text.startswith("Abroad") for text in found)


def test_a_court_is_a_name_to_check():
    body = "The Mumbai High Court refused to hear the petition on Tuesday."
    assert "Mumbai High Court" in names(body)


def test_a_person_is_listed_once_at_the_first_full_mention():
    body = (
        "Information Commissioner Richard Thomas published the report on Monday. "
        "Mr Thomas said it was overdue. Thomas will appear before MPs next week."
    )
    [item] = items(body, "name", score_sentences=False)
    assert item.text == "Information Commissioner Richard Thomas"
    assert "Thomas" in item.value["also_written"], "the later mentions are attached to the item"


def test_an_age_after_the_name_is_kept_with_it():
    body = "Dana Whitcomb, 47, who runs the hardware store, said she would lose customers."
    assert names(body)[0].startswith("Dana Whitcomb, 47")


def test_the_role_given_after_the_name_is_part_of_the_item():
    body = "Igor Khovaev, Russian ambassador to the Philippines, said the talks were going well."
    assert names(body) == ["Igor Khovaev, Russian ambassador to the Philippines"]


def test_the_role_given_before_the_name_with_a_comma_is_part_of_the_item():
    body = "The Health Secretary, Victoria Atkins, said the figures showed progress."
    assert names(body) == ["The Health Secretary, Victoria Atkins"]


def test_names_in_a_reporting_credit_line_are_not_claims():
    body = (
        "Nordvik AG cut its forecast on Tuesday.\n\n"
        "(Reporting by Christoph Steitz; Editing by Matthew Lewis)"
    )
    assert not any("Steitz" in text or "Lewis" in text for text in names(body))
