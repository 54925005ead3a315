"""import_articles with every format, folders and addresses: a summary, a reason per failure, no traceback."""

import os
import shutil
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article
from tests.imports.conftest import FIXTURES

pytestmark = pytest.mark.django_db


def test_a_folder_of_mixed_formats_is_imported_with_a_summary(tmp_path, capsys):
    for name in ["page.html", "ninjs2.json", "api.json", "feed.rss", "feed.atom", "cp1252.txt"]:
        shutil.copy(FIXTURES / name, tmp_path / name)
    (tmp_path / "notes.md").write_text("not an article format")

    call_command("import_articles", str(tmp_path))
    output = capsys.readouterr()

    assert "Imported 6 file(s): 8 new, 0 updated, 0 unchanged, 0 failed." in output.out
    assert Article.objects.count() == 8
    assert "file/s" in output.err


def test_a_feed_address_imports_its_entries(site, capsys):
    url = site.serve("/science.atom", (FIXTURES / "feed.atom").read_bytes(), content_type="application/atom+xml")

    call_command("import_articles", url)

    assert "1 new, 0 updated, 0 unchanged, 0 failed" in capsys.readouterr().out
    assert Article.objects.get().external_id == "tag:wire.example.org,2024:science-77"


def test_failures_are_listed_with_reasons_and_the_rest_imported(tmp_path, site, settings, capsys):
    good = tmp_path / "good.html"
    good.write_text("<html><body><p>Unemployment fell to 3.9% in March, the agency said.</p></body></html>")
    broken = tmp_path / "broken.json"
    broken.write_text('{"body": ')
    settings.FETCH_TIMEOUT_SECONDS = 0.3
    slow = site.serve("/slow", "<p>Late.</p>", delay=2)

    with pytest.raises(CommandError, match="3 of 4 file"):
        call_command("import_articles", str(good), str(broken), slow, "file:///etc/passwd")
    output = capsys.readouterr()

    assert f"failed {broken}: the JSON is malformed" in output.err
    assert f"failed {slow}: {slow} did not answer within 0.3 seconds" in output.err
    assert "failed file:///etc/passwd: refused to fetch file:///etc/passwd: only http and https" in output.err
    assert "1 new, 0 updated, 0 unchanged, 3 failed" in output.out
    assert list(Article.objects.values_list("external_id", flat=True)) == ["good"]


def test_a_failing_run_exits_non_zero_with_a_message_and_no_traceback(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2")
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_"))}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", DJANGO_SETTINGS_MODULE="factcheck.settings")

    def manage(*args):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=FIXTURES.parent.parent.parent, env=env, capture_output=True, text=True, timeout=120,
        )

    assert manage("migrate", "-v0").returncode == 0
    result = manage("import_articles", str(bad))

    assert result.returncode != 0
    assert "the JSON is malformed" in result.stderr
    assert "could not be imported" in result.stderr
    assert "Traceback" not in result.stderr
