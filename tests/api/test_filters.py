"""A filter value the API does not know is refused with 400 saying which filter, never ignored
(which would answer a different question) and never a server error."""

import pytest

pytestmark = pytest.mark.django_db

ARTICLES = "/api/v1/articles/"


def items_url(article):
    return f"/api/v1/articles/{article.pk}/items/"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("ready", "maybe"),
        ("ready", "yes please"),
        ("ready", "2"),
        ("checklist_status", "done"),
        ("updated_since", "yesterday"),
        ("updated_since", "2026-13-45T00:00:00Z"),
        ("updated_since", "0001-01-01T00:00:00+05:00"),
    ],
)
def test_an_unknown_article_filter_value_is_a_400_naming_the_filter(api, checklist, name, value):
    response = api("reporter").get(ARTICLES, {name: value})

    assert response.status_code == 400
    assert list(response.json()) == [name]


@pytest.mark.parametrize(("value", "count"), [("true", 0), ("false", 1), ("1", 0), ("0", 1), ("TRUE", 0), ("", 1)])
def test_the_ready_filter_takes_true_or_false(api, checklist, value, count):
    response = api("reporter").get(ARTICLES, {"ready": value})

    assert response.status_code == 200
    assert response.json()["count"] == count


@pytest.mark.parametrize(
    ("name", "value"),
    [("state", "approved"), ("kind", "gossip"), ("tier", "optional"), ("anchor", "lost"), ("kind", "MONEY")],
)
def test_an_unknown_item_filter_value_is_a_400_naming_the_filter(api, checklist, name, value):
    article, money, date = checklist

    response = api("reporter").get(items_url(article), {name: value})

    assert response.status_code == 400
    assert list(response.json()) == [name]


@pytest.mark.parametrize(
    ("name", "value"), [("state", "open"), ("kind", "date"), ("tier", "required"), ("anchor", "found")]
)
def test_every_item_filter_takes_its_documented_values(api, checklist, name, value):
    article, money, date = checklist

    response = api("reporter").get(items_url(article), {name: value})

    assert response.status_code == 200
    assert all(item[name] == value for item in response.json()["results"])


def test_the_item_filters_are_in_the_schema_with_their_choices(api):
    schema = api("reporter").get("/api/v1/schema/?format=json").json()
    parameters = schema["paths"]["/api/v1/articles/{id}/items/"]["get"]["parameters"]
    enums = {parameter["name"]: parameter["schema"].get("enum") for parameter in parameters}

    assert enums["anchor"] == ["changed", "found", "removed"]
    assert set(enums["tier"]) == {"required", "recommended"}
    assert {"state", "kind", "assignee"} <= set(enums)
