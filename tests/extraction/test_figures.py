from tests.extraction.helpers import items, texts


def test_money_carries_amount_and_currency():
    [money] = items("The council approved a $4.5-million contract for the bridge.", "money")
    assert money.text == "$4.5-million"
    assert money.value == {"amount": 4_500_000, "currency": "USD"}


def test_money_in_words_and_uk_abbreviations():
    values = [c.value for c in items("It raised £2.3bn and 40 million euros.", "money")]
    assert values == [{"amount": 2_300_000_000, "currency": "GBP"}, {"amount": 40_000_000, "currency": "EUR"}]


def test_count_with_what_is_counted():
    [number] = items("Firefighters rescued 37 residents from the tower.", "number")
    assert number.text == "37 residents" and number.value == {"value": 37, "unit": "residents"}


def test_word_multiples_are_numbers():
    values = [c.value for c in items("She has won the title five times and lost the final twice.", "number")]
    assert {"value": 5, "unit": "times"} in values and {"value": 2, "unit": "times"} in values


def test_ordinal_occasion_is_a_number():
    [number] = items("The striker scored for the third time this season.", "number")
    assert number.value == {"ordinal": 3, "unit": "time"}


def test_durations_and_percentages():
    found = texts("The 12-year lease was cut by 15 percent.", "number")
    assert found == ["12-year", "15 percent"]


def test_qualifier_stays_with_the_number():
    assert texts("At least 200 people were evacuated.", "number") == ["At least 200 people"]


def test_model_numbers_and_referring_counts_are_not_figures():
    assert texts("The F-16 jets and the two countries were discussed at one of the meetings.", "number") == []


def test_a_year_is_a_date_not_a_number():
    body = "The treaty was signed in 1987."
    assert texts(body, "number") == [] and texts(body, "date") == ["1987"]
