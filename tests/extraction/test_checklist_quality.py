"""The quality bars on the sample articles, scored by the vendored scorer and gold set."""

from pathlib import Path

import pytest

from articles.extraction import cli
from tests.extraction.helpers import score, write_predictions

HERE = Path(__file__).resolve().parent
SAMPLES = HERE.parents[1] / "samples"
FIXTURES = HERE / "fixtures"
GOLD = HERE / "quality" / "seeds.json"


@pytest.fixture(scope="module")
def predictions(tmp_path_factory) -> Path:
    pred = tmp_path_factory.mktemp("pred") / "pred.json"
    write_predictions(SAMPLES.glob("*.txt"), pred)
    return pred


@pytest.fixture(scope="module")
def summary(predictions):
    """The rule-based kinds alone, as the extraction engine's bars are stated."""
    return score(GOLD, predictions, "--exclude-kinds", "statement")


@pytest.fixture(scope="module")
def full_summary(predictions):
    """Every kind, statements from the check-worthiness model included."""
    return score(GOLD, predictions)


def test_with_statements_the_samples_meet_the_recall_and_precision_bars(full_summary):
    assert full_summary["must_recall"] >= 0.93
    assert full_summary["precision"] >= 0.88
    assert full_summary["recall_by_kind"]["statement"] > 0


def test_samples_meet_the_recall_bar(summary):
    assert summary["must_recall"] >= 0.95


def test_samples_meet_the_precision_bar(summary):
    assert summary["precision"] >= 0.90


def test_samples_meet_the_speaker_bar(summary):
    assert summary["speaker_accuracy"] >= 0.95


def test_samples_have_no_noise_bad_spans_or_lost_anchors(summary):
    assert summary["noise_hits"] == 0
    assert summary["bad_spans"] == 0
    assert summary["anchors_lost"] == 0
    assert summary["too_broad"] == 0 and summary["duplicates"] == 0


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.txt")), ids=lambda p: p.stem)
def test_every_item_on_other_articles_has_an_exact_span_guidance_and_a_priority(path):
    record = cli.checklist_for(str(path))
    assert record["items"]
    for item in record["items"]:
        assert record["body"][item["start"]:item["end"]] == item["text"]
        assert 0 <= item["priority"] <= 100 and item["guidance"]
        if item["kind"] == "statement":
            assert not item["text"].endswith((".", ",", " said")), "a statement is trimmed to the claim"


def test_quotes_on_other_articles_all_have_speakers():
    for path in sorted(FIXTURES.glob("*.txt")):
        quotes = [i for i in cli.checklist_for(str(path))["items"] if i["kind"] == "quote"]
        assert quotes and all(q["speaker"] for q in quotes), path.name
