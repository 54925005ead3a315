"""The story-desk benchmark: a short, bounded run (the full one is `manage.py bench_stories`)."""

import json

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, ClaimLink, Story
from articles.scalebench.desk import Desk
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_quick_run_links_a_desk_and_reports_the_cost_of_one_more_article_at_each_size(tmp_path, capsys):
    out = tmp_path / "desk.json"

    call_command("bench_stories", "--quick", "--json", str(out))

    results = json.loads(out.read_text())
    assert [r["articles"] for r in results] == [33, 63]  # the desk and the three new articles linked at each size
    assert results[0]["ratio"] == 1.0 and results[1]["ratio"] > 0
    assert all(r["link_ms_median"] > 0 and r["baseline_ms"] > 0 for r in results)
    # The same number of queries whatever the size of the desk.
    assert results[0]["queries"] == results[1]["queries"]
    # The probe repeats claims of its story: linking finds them, as comparing with every claim does.
    assert results[-1]["links_found"] > 0 and results[-1]["baseline_related"] >= results[-1]["links_found"]
    assert ClaimLink.objects.exists() and Story.objects.count() < Article.objects.count()
    assert "| articles |" in capsys.readouterr().out


def test_a_database_holding_articles_is_refused_without_force():
    ArticleFactory()
    with pytest.raises(CommandError, match="already holds 1 article"):
        call_command("bench_stories", "--quick")


def test_the_synthetic_desk_is_the_same_for_the_same_seed():
    first, second = Desk(7), Desk(7)
    assert [first.article()[1] for _ in range(5)] == [second.article()[1] for _ in range(5)]
