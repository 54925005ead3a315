import datetime

from tests.extraction.helpers import items, texts

PUBLISHED = datetime.date(2024, 3, 14)  # a Thursday


def test_weekday_resolves_to_the_most_recent_one_before_publication():
    [date] = items("The board met on Monday.", "date", published_on=PUBLISHED)
    assert date.text == "on Monday" and date.value["date"] == "2024-03-11"


def test_month_and_day_without_year_take_the_publication_year():
    [date] = items("Talks began on Feb. 2 in Geneva.", "date", published_on=PUBLISHED)
    assert date.value["date"] == "2024-02-02"


def test_last_month_name_is_in_the_previous_year_when_it_has_not_come_round():
    [date] = items("Sales slumped last November.", "date", published_on=PUBLISHED)
    assert date.value["month"] == "2023-11"


def test_relative_periods_resolve_against_publication():
    values = {c.text: c.value for c in items("Prices rose earlier this year and fell last week.", "date", published_on=PUBLISHED)}
    assert values["earlier this year"]["year"] == 2024
    assert values["last week"]["week_of"] == "2024-03-07"


def test_years_after_counts_from_the_year_just_mentioned():
    body = "The plant closed in 2009. Three years later, it reopened as a museum."
    values = [c.value for c in items(body, "date")]
    assert values[-1]["year"] == 2012


def test_without_publication_date_relative_dates_say_what_they_need():
    [date] = items("The mayor spoke yesterday.", "date")
    assert date.value["needs"] == "publication date"


def test_may_the_verb_is_not_a_month():
    assert texts("Officials said the bridge May close. Talks may resume in May.", "date") == ["May"]


def test_a_relative_date_repeated_verbatim_is_listed_once():
    body = "The minister visited early this month. Protests followed early this month too."
    assert texts(body, "date") == ["early this month"]


def test_a_month_and_day_after_and_is_one_date():
    assert texts("The contests between Monday and March 14 will award delegates.", "date") == ["Monday", "March 14"]
