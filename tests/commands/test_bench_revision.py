"""bench_revision: an edit of a long article timed against its first read, in a transaction rolled back."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, ChecklistItem


@pytest.mark.django_db
def test_the_quick_run_times_two_edits_against_a_first_read_and_leaves_nothing_behind(tmp_path):
    out = io.StringIO()

    call_command("bench_revision", "--quick", "--json", str(tmp_path / "edit.json"), stdout=out)

    report = out.getvalue()
    for row in ("first read (baseline)", "edit, in a process that never read it", "edit, in the process that read it"):
        assert row in report
    result = json.loads((tmp_path / "edit.json").read_text())
    assert result["body_bytes"] >= 60_000 and result["items"] > 100
    # Both edits moved the items after them, and reopened the changed figure's item.
    assert result["items_moved"] > result["items"] // 4
    assert result["items_reopened"] >= 1
    assert 0 < result["verified_after"] <= result["verified_before"]
    assert not Article.objects.exists()
    assert not ChecklistItem.history.exists()


@pytest.mark.django_db
def test_an_article_over_the_size_limit_is_refused_with_a_message(settings):
    settings.ARTICLE_MAX_BYTES = 50_000

    with pytest.raises(CommandError, match="over the article size limit"):
        call_command("bench_revision", "--bytes", "60000", stdout=io.StringIO())


@pytest.mark.django_db
def test_a_folder_without_articles_is_refused_with_a_message(tmp_path):
    with pytest.raises(CommandError, match="no .txt articles"):
        call_command("bench_revision", "--quick", "--samples", str(tmp_path), stdout=io.StringIO())
