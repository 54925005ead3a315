import io
import json
import re

import pytest
from django.core.management import CommandError, call_command

from articles.management.commands.evaluate_extraction import default_shared_dir

SCORES = ["precision", "must_recall", "speaker_accuracy", "names_recall"]


def evaluate(*args: str) -> str:
    out = io.StringIO()
    call_command("evaluate_extraction", *args, stdout=out)
    return out.getvalue()


def test_without_the_shared_folder_every_set_is_skipped_with_one_line_saying_so():
    output = evaluate("--shared", "/nonexistent")

    assert output.splitlines() == [
        "skipped samples: the shared folder /nonexistent does not exist",
        "skipped second set: the shared folder /nonexistent does not exist",
        "skipped PolNeAR dev: the shared folder /nonexistent does not exist",
    ]


def test_a_missing_part_of_the_shared_folder_is_named(tmp_path):
    (tmp_path / "corpus" / "seeds").mkdir(parents=True)
    (tmp_path / "corpus" / "seeds" / "story.txt").write_text("The mayor said 40 people were hired.")

    output = evaluate("--shared", str(tmp_path), "--set", "samples")

    assert output.strip() == (
        f"skipped samples: missing {tmp_path / 'gold' / 'seeds.json'}, {tmp_path / 'eval' / 'score_checklist.py'}"
    )


def test_skipped_sets_are_rows_without_numbers_in_json():
    rows = json.loads(evaluate("--shared", "/nonexistent", "--json"))

    assert [row["set"] for row in rows] == ["samples", "second set", "PolNeAR dev"]
    assert all(row["skipped"] and row["precision"] is None for row in rows)


@pytest.fixture(scope="module")
def samples_table() -> str:
    seeds = default_shared_dir() / "corpus" / "seeds"
    if not seeds.is_dir():
        pytest.skip(f"the sample articles are not at {seeds} (the shared folder beside the repository)")
    return evaluate("--set", "samples")


def test_the_samples_are_scored_with_and_without_statements(samples_table):
    header, *lines = samples_table.splitlines()
    columns = re.split(r"\s{2,}", header)
    rows = {cells[0]: dict(zip(columns, cells)) for cells in (re.split(r"\s{2,}", line) for line in lines)}

    for name in ["samples", "samples, no statements"]:
        row = rows[name]
        assert row["role"] == "development"
        assert int(row["articles"]) == len(list((default_shared_dir() / "corpus" / "seeds").glob("*.txt")))
        for score in SCORES:
            assert 0 <= float(row[score]) <= 1, f"{name} {score} = {row[score]}"
        assert row["quote_recall"] == "-", "quote recall comes from PolNeAR only"
        assert float(row["seconds"]) >= 0


def test_the_required_tier_is_scored_on_its_own_with_its_length_per_must_claim(samples_table):
    header, *lines = samples_table.splitlines()
    columns = re.split(r"\s{2,}", header)
    rows = {cells[0]: dict(zip(columns, cells)) for cells in (re.split(r"\s{2,}", line) for line in lines)}

    required, whole = rows["samples, required only"], rows["samples"]
    assert 0 < float(required["items_per_must"]) <= float(whole["items_per_must"])
    assert 0 <= float(required["must_recall"]) <= float(whole["must_recall"])
    assert rows["samples, no statements"]["items_per_must"] == "-"


def test_the_table_says_the_samples_are_a_development_set(samples_table):
    assert "development: rules were written against these articles" in samples_table
    assert "No set here is held out" in samples_table


def test_a_scorer_that_fails_is_reported_and_the_command_fails_without_a_traceback(tmp_path):
    for folder in ["corpus/seeds", "gold", "eval"]:
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "corpus" / "seeds" / "story.txt").write_text("The mayor said 40 people were hired.")
    (tmp_path / "gold" / "seeds.json").write_text('{"articles": []}')
    (tmp_path / "eval" / "score_checklist.py").write_text("import sys\nsys.exit('the gold file is not valid')\n")
    out = io.StringIO()

    with pytest.raises(CommandError, match="scoring failed for samples"):
        call_command("evaluate_extraction", "--shared", str(tmp_path), "--set", "samples", stdout=out)

    assert out.getvalue().strip() == (
        "failed samples: score_checklist.py exited with status 1: the gold file is not valid"
    )


def test_a_newsrooms_own_annotated_set_is_scored_like_the_samples():
    shared = default_shared_dir()
    rows = json.loads(evaluate(
        "--set", "samples", "--gold", str(shared / "gold" / "seeds.json"),
        "--articles", str(shared / "corpus" / "seeds"), "--json",
    ))

    by_set = {row["set"]: row for row in rows}
    own, samples = by_set["own set (seeds.json)"], by_set["samples"]
    assert (own["precision"], own["must_recall"]) == (samples["precision"], samples["must_recall"])
    assert "own set (seeds.json), required only" in by_set


def test_gold_without_its_articles_is_a_clear_error():
    with pytest.raises(CommandError, match="--gold and --articles go together"):
        evaluate("--gold", "gold.json")
