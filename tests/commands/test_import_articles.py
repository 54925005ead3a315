import io
import shutil

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article

pytestmark = pytest.mark.django_db


def run_import(*paths, capsys):
    call_command("import_articles", *map(str, paths))
    return capsys.readouterr()


def test_a_folder_of_articles_is_imported_with_a_summary(tmp_path, sample_paths, capsys):
    for path in sample_paths:
        shutil.copy(path, tmp_path)

    output = run_import(tmp_path, capsys=capsys)

    assert Article.objects.count() == len(sample_paths)
    assert f"{len(sample_paths)} new, 0 updated, 0 unchanged, 0 failed" in output.out
    assert "file/s" in output.err, "a progress bar is shown for many files"


def test_reimporting_unchanged_files_changes_nothing(sample_paths, capsys):
    run_import(*sample_paths, capsys=capsys)
    before = list(Article.objects.values_list("pk", "updated_at", "revision"))

    output = run_import(*sample_paths, capsys=capsys)

    assert f"0 new, 0 updated, {len(sample_paths)} unchanged" in output.out
    assert list(Article.objects.values_list("pk", "updated_at", "revision")) == before


def test_an_edited_file_updates_its_article(tmp_path, capsys):
    story = tmp_path / "story.txt"
    story.write_text("The mayor said 40 people were hired.")
    run_import(story, capsys=capsys)

    story.write_text("The mayor said 45 people were hired.")
    output = run_import(story, capsys=capsys)

    assert "0 new, 1 updated" in output.out
    article = Article.objects.get(external_id="story")
    assert "45 people" in article.body
    assert article.revision == 2


def test_bad_files_are_reported_and_skipped_and_the_rest_imported(tmp_path, capsys):
    good = tmp_path / "good.txt"
    good.write_text("Unemployment fell to 3.9% in March, the agency said.")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\x00\x01\x02\x03" * 100)
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n")
    missing = tmp_path / "missing.txt"

    with pytest.raises(CommandError, match="3 of 4 file"):
        call_command("import_articles", str(good), str(binary), str(empty), str(missing))
    output = capsys.readouterr()

    assert list(Article.objects.values_list("external_id", flat=True)) == ["good"]
    assert "failed" in output.err and "binary" in output.err
    assert "empty" in output.err
    assert "no such file" in output.err
    assert "1 new, 0 updated, 0 unchanged, 3 failed" in output.out


def test_a_file_over_the_size_limit_is_refused(tmp_path, settings, capsys):
    settings.ARTICLE_MAX_BYTES = 1000
    huge = tmp_path / "huge.txt"
    huge.write_text("Sales rose 5%. " * 200)

    with pytest.raises(CommandError):
        call_command("import_articles", str(huge))

    assert "limit is 1,000 bytes" in capsys.readouterr().err
    assert not Article.objects.exists()


def test_a_folder_without_text_files_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="No .txt files found"):
        call_command("import_articles", str(tmp_path))


def test_an_unmigrated_database_stops_the_import_with_one_clear_message(tmp_path, sample_paths):
    import os
    import subprocess
    import sys
    from pathlib import Path

    repo = Path(__file__).resolve().parents[2]
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_"))}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}", DJANGO_SETTINGS_MODULE="factcheck.settings")

    result = subprocess.run(
        [sys.executable, "manage.py", "import_articles", str(sample_paths[0])],
        cwd=repo, env=env, capture_output=True, text=True, timeout=120,
    )

    assert result.returncode == 1
    assert "run `python manage.py migrate` first" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.django_db(transaction=True)
def test_with_redis_down_the_import_saves_every_article_pending_and_succeeds(unreachable_broker):
    from pathlib import Path

    samples = Path(__file__).resolve().parents[2] / "samples"
    out = io.StringIO()
    call_command("import_articles", str(samples), stdout=out, stderr=io.StringIO())

    assert "0 failed" in out.getvalue()
    assert "5 article(s) saved with extraction pending: the task broker (REDIS_URL) is unreachable" in out.getvalue()
    assert set(Article.objects.values_list("checklist_status", flat=True)) == {"pending"}
    assert Article.objects.waiting_for_broker().count() == 5
