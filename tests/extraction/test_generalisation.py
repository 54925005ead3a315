"""The hidden-set bars on a hand-annotated set of articles in house styles the samples do not
cover (wire, British, local, earnings in cp1252, science, sports, court, multi-paragraph quotes),
scored by the vendored scorer with statements included."""

import contextlib
import importlib.util
import io
import json
from pathlib import Path

import pytest

from articles.extraction import cli

HERE = Path(__file__).resolve().parent
SET = HERE / "generalisation"


def _score(pred: Path, *extra: str) -> dict:
    spec = importlib.util.spec_from_file_location("score_checklist", HERE / "quality" / "score_checklist.py")
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        scorer.main(["--gold", str(SET / "gold.json"), "--pred", str(pred), "--json", *extra])
    return json.loads(buffer.getvalue())


@pytest.fixture(scope="module")
def summary(tmp_path_factory) -> dict:
    pred = tmp_path_factory.mktemp("pred") / "pred.json"
    records = [cli.checklist_for(str(p)) for p in sorted((SET / "articles").glob("*.txt"))]
    pred.write_text(json.dumps(records, ensure_ascii=False))
    return _score(pred)


def test_the_set_includes_an_article_that_is_not_utf8():
    raw = (SET / "articles" / "reuters_earnings_cp1252.txt").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")


def test_generalisation_set_meets_the_recall_bar(summary):
    assert summary["must_recall"] >= 0.85


def test_generalisation_set_meets_the_precision_bar(summary):
    assert summary["precision"] >= 0.85


def test_generalisation_set_meets_the_speaker_bar(summary):
    assert summary["speaker_accuracy"] >= 0.85


def test_generalisation_set_has_no_lost_anchors_or_bad_spans(summary):
    assert summary["anchors_lost"] == 0 and summary["bad_spans"] == 0
