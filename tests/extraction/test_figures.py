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


def test_fractions_ordinals_and_counts_out_of_a_total():
    body = (
        "Prices rose for the fifth consecutive month. The club is 12th in the league and has lost four of "
        "its last five. Shares lost more than a third of their value."
    )
    found = texts(body, "number")
    assert "fifth consecutive month" in found and "12th" in found
    assert "four of its last five" in found and "more than a third" in found


def test_hyphenated_counts_are_numbers_but_one_off_is_not():
    assert texts("They ended a nine-game losing streak with a one-off win.", "number") == ["nine-game"]


def test_dates_clock_times_and_anonymous_sources_are_not_counts():
    body = "After the Nov. 5 election, two people familiar with the talks said it closed at 1310 GMT in late 2022 when rates rose."
    assert texts(body, "number") == []


def test_qualified_amount_is_money_not_a_number():
    body = "The recall will cost about 38 billion yen."
    assert texts(body, "number") == [] and texts(body, "money") == ["38 billion yen"]


def test_added_points_is_not_a_report():
    assert items("Mia Stone added 22 points and nine rebounds for the Lynx.", "attribution") == []


def test_a_figure_inside_a_longer_one_is_dropped_and_every_other_kept():
    """Against the definition, one figure at a time, on many random layouts (the sweep must
    agree with it, ties and identical spans included)."""
    import random

    from articles.extraction.figures import Figure, _drop_nested

    def by_definition(figures):
        kept = [
            f for f in figures
            if not any(
                o is not f and o.start <= f.start and f.end <= o.end and o.end - o.start > f.end - f.start
                for o in figures
            )
        ]
        return sorted(kept, key=lambda f: (f.start, f.end))

    chance = random.Random(7)
    for _ in range(500):
        figures = []
        for _ in range(chance.randint(0, 12)):
            start = chance.randint(0, 30)
            figures.append(Figure("number", start, start + chance.randint(1, 8), {}))
        assert [id(f) for f in _drop_nested(figures)] == [id(f) for f in by_definition(figures)]
