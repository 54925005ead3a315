"""The admin list of every item does not count a big table row by row: the unfiltered list
takes PostgreSQL's estimate of the table's rows; a filtered list is counted exactly."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.paging import EstimatedCountPaginator
from tests.factories import ArticleFactory, ChecklistItemFactory, UserFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the estimate is PostgreSQL's"),
]


@pytest.fixture
def items_after_analyze():
    article = ArticleFactory()
    items = [ChecklistItemFactory(article=article, start=n, end=n + 1, state="open") for n in range(6)]
    items[0].state = "verified"
    items[0].save()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_checklistitem")
    return items


def counts_run(captured) -> list[str]:
    """The queries that counted items: a COUNT the estimate did not stand in for."""
    return [
        query["sql"] for query in captured.captured_queries
        if "COUNT(" in query["sql"].upper() and "reltuples >=" not in query["sql"]
    ]


def test_the_unfiltered_item_list_of_a_big_table_shows_the_estimate_without_counting(
    client, items_after_analyze, monkeypatch
):
    monkeypatch.setattr(EstimatedCountPaginator, "ESTIMATE_FROM", 1)
    article = items_after_analyze[0].article
    ChecklistItemFactory(article=article, start=20, end=21)  # after the estimate was taken
    client.force_login(UserFactory(username="chief", is_staff=True, is_superuser=True))

    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("admin:articles_checklistitem_changelist"))

    assert response.status_code == 200
    assert counts_run(captured) == []
    assert response.context["cl"].result_count == 6  # the estimate of the last ANALYZE, not the 7 rows there are


def test_a_filtered_list_or_a_small_table_is_counted_exactly(client, items_after_analyze):
    client.force_login(UserFactory(username="chief", is_staff=True, is_superuser=True))
    url = reverse("admin:articles_checklistitem_changelist")

    with CaptureQueriesContext(connection) as captured:
        filtered = client.get(url, {"state__exact": "verified"})
        small = client.get(url)

    assert filtered.context["cl"].result_count == 1
    assert small.context["cl"].result_count == 6
    assert len(counts_run(captured)) == 1  # the filtered one; the small table's count rides with the estimate
