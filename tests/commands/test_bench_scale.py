"""The scale benchmark runs end to end in its quick mode; no assertion is made on speed."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, ChecklistItem
from articles.scalebench import ENDPOINTS, QUICK_SIZES
from articles.scalebench.variants import make_variant
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_quick_run_measures_every_endpoint_at_both_sizes(tmp_path):
    path = tmp_path / "bench.json"
    stdout = io.StringIO()

    call_command("bench_scale", "--quick", "--json", str(path), stdout=stdout, stderr=io.StringIO())

    data = json.loads(path.read_text())
    sizes = data["options"]["sizes"]
    assert sizes == list(QUICK_SIZES)
    for fill in data["fill"]["sizes"]:
        assert fill["items"] == fill["requested"]
        assert fill["articles"] > 0
    assert data["fill"]["history_records"] is False
    assert ChecklistItem.objects.count() >= sizes[-1]

    assert data["endpoints"] == list(ENDPOINTS)
    results = {(row["endpoint"], row["size"]): row for row in data["results"]}
    assert set(results) == {(endpoint, size) for endpoint in ENDPOINTS for size in sizes}
    for (endpoint, size), row in results.items():
        assert row["status"] == 200, endpoint
        assert row["repeat"] == 3
        assert row["p50_ms"] > 0 and row["p95_ms"] > 0, endpoint
        assert row["p95_ms"] >= row["p50_ms"]
        assert row["queries"] > 0, endpoint
        assert row["items"] >= size
        assert row["p95_ratio_to_smallest"] > 0
    assert {row["size"] for row in data["item_list_throughput"]} == set(sizes)
    for row in data["item_list_throughput"]:
        assert row["ratio_to_drf_list"] > 0 and row["ratio_to_json_response"] > 0
    assert [row["size"] for row in data["ingest"]] == sizes
    for row in data["ingest"]:
        assert row["articles"] == 5 and row["items"] > 0 and row["articles_per_second"] > 0

    table = stdout.getvalue()
    assert "p95 large/small" in table
    for endpoint in ENDPOINTS:
        assert endpoint in table


def test_a_database_holding_articles_is_refused_without_force(tmp_path):
    ArticleFactory()
    path = tmp_path / "bench.json"

    with pytest.raises(CommandError, match=r"already holds 1 article.*throwaway database.*--force"):
        call_command("bench_scale", "--quick", "--json", str(path), stdout=io.StringIO(), stderr=io.StringIO())

    assert not path.exists()
    assert Article.objects.count() == 1
    assert ChecklistItem.objects.count() == 0


def test_force_adds_to_a_database_holding_articles(tmp_path):
    existing = ArticleFactory()
    path = tmp_path / "bench.json"

    call_command(
        "bench_scale", "--force", "--sizes", "150", "--repeat", "1", "--ingest", "0", "--variants", "1",
        "--json", str(path), stdout=io.StringIO(), stderr=io.StringIO(),
    )

    data = json.loads(path.read_text())
    assert data["fill"]["sizes"][0]["items"] == 150 == ChecklistItem.objects.count()
    assert Article.objects.filter(pk=existing.pk, body=existing.body).exists()
    assert data["ingest"] == []


def test_variants_are_deterministic_and_keep_the_lead():
    title = "Council approves budget"
    body = (
        "LONDON, Oct. 22 -- The council approved a 4.5 million budget in 2019, Mayor Ann Lee said.\n\n"
        "Lee said 30 schools would benefit.\n\nThe vote was 7 to 2.\n\nCritics said 12 roads were left out.\n"
    )

    first = make_variant(title, body, seed="1:a:1", names=["Ann Lee"])
    again = make_variant(title, body, seed="1:a:1", names=["Ann Lee"])
    other = make_variant(title, body, seed="1:a:2", names=["Ann Lee"])

    assert first == again
    assert first.body != other.body
    assert first.body.startswith("LONDON, Oct. ")
    assert "2019" in first.body  # years stay
    assert "Lee" not in first.body and "Ann" not in first.body  # the people are someone else
    assert len(first.body.split("\n\n")) == 4  # the same paragraphs, the lead first
