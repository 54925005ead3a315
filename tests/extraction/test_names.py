from tests.extraction.helpers import items, texts


def test_person_with_title_is_one_name_item_on_the_fullest_mention():
    body = (
        "Interior Minister Lena Brandt said on Monday that checks would tighten.\n\n"
        "Brandt added that 300 officers would be deployed. Minister Brandt declined further comment."
    )
    assert texts(body, "name") == ["Interior Minister Lena Brandt"]


def test_name_with_role_after_it_includes_the_role():
    body = "Samuel Ortiz, chief executive of Pinecrest Foods, said the plant would close. Ortiz gave no date."
    assert texts(body, "name") == ["Samuel Ortiz, chief executive of Pinecrest Foods"]


def test_body_introduced_with_an_abbreviation_is_a_name():
    body = "The National Transportation Safety Board (NTSB) opened an inquiry."
    assert texts(body, "name") == ["National Transportation Safety Board (NTSB)"]


def test_named_treaties_and_conferences_are_names():
    body = "Both sides referred to the Good Friday Agreement during the talks."
    assert texts(body, "name") == ["Good Friday Agreement"]


def test_places_are_not_people():
    body = "Trade between South Korea and the United States rose. Exports from New Zealand fell."
    assert items(body, "name") == []


def test_role_set_off_by_a_comma_before_the_name():
    body = "The Health Secretary, Ann Lowe, says the plan is working. Ms Lowe spoke in Leeds."
    assert texts(body, "name") == ["The Health Secretary, Ann Lowe"]
