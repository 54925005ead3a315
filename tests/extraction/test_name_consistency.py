from tests.extraction.helpers import items


def test_name_spelled_two_ways_gives_one_item_on_the_rarer_spelling():
    body = (
        "Police Chief Maria Kowalczyk said the case was closed. Kowalczyk said no charges would follow. "
        "Later, Kowalcyk told reporters the file had been sent to prosecutors. Kowalczyk declined to say more."
    )
    [item] = items(body, "consistency")
    assert item.text == "Kowalcyk"
    assert item.value == {"variant": "Kowalcyk", "canonical": "Kowalczyk"}
    assert "Kowalcyk" in item.guidance and "Kowalczyk" in item.guidance and "3x" in item.guidance


def test_transposed_letters_count_as_one_slip():
    body = "Officials in Hamburg met. Hamburg police said Hambrug was calm. Hamburg reopened."
    assert [c.text for c in items(body, "consistency")] == ["Hambrug"]


def test_inflected_forms_are_not_misspellings():
    body = "Russia said Russian troops left. Russia denied it. The Russians said nothing."
    assert items(body, "consistency") == []


def test_misspelt_speaker_is_still_credited_to_the_person():
    body = (
        "Senator Olivia Brandwell opposed the bill. Brandwell said it was rushed. Brandwell voted no.\n\n"
        "“We were given two days to read it,” Brandwel said."
    )
    [quote] = items(body, "quote")
    assert quote.speaker == "Senator Olivia Brandwell"
