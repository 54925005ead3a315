"""The check-worthiness scorer: a linear model over exported coefficients.

The model file is a NumPy ``.npz`` archive holding only numeric and string arrays plus a
JSON configuration string; it is read with ``allow_pickle=False`` so loading it never
executes code. The score is the logistic of a sum of blocks: TF-IDF blocks and cues
(plain Python over dictionaries), optionally per-token scores (the previous model's
distilled token vectors), and the all-MiniLM-L6-v2 sentence-embedding block, which runs
the transformer in NumPy (``encoder.py``) from the separate weight file ``encoder.npz``.
"""

from __future__ import annotations

import json
import os
import struct
from itertools import repeat
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from ..memo import Codec, RecentResults, code_digest
from . import features as F

MODEL_FORMAT = "checkworthiness-linear/2"
# Files of the first format (no sentence-embedding block) still load.
READABLE_FORMATS = ("checkworthiness-linear/1", MODEL_FORMAT)
DEFAULT_MODEL_PATH = Path(__file__).with_name("model.npz")


class ModelFileError(Exception):
    """The model file is missing or is not a check-worthiness model."""


_BATCH = 512
# Scores of this many recent sentences are kept: a sentence scores the same every time, and
# the same sentences come back (a story's quotes and background across its articles, the
# untouched paragraphs of an edited article, a wire story under several sources).
SCORE_CACHE_SIZE = 100_000


class _TfidfBlock:
    """Sublinear TF-IDF with L2 normalisation, dotted with linear coefficients.

    Reproduces ``TfidfVectorizer(sublinear_tf=True, norm="l2")`` followed by a dot
    product, without building a sparse matrix: for the in-vocabulary features f of a
    sentence, ``sum_f v_f * coef_f / sqrt(sum_f v_f**2)`` with ``v_f = (1 + ln tf_f) * idf_f``.
    Scoring is batched: term lookups run in C (``map(dict.get, ...)``), the arithmetic in
    NumPy over the whole batch.
    """

    def __init__(self, analyzer, vocab: Sequence[str], idf: np.ndarray, coef: np.ndarray, weight: float):
        self.analyzer = analyzer
        self.index = {term: i for i, term in enumerate(vocab)}
        self.idf = np.append(np.asarray(idf, dtype=np.float64), 0.0)
        self.coef = np.append(np.asarray(coef, dtype=np.float64) * float(weight), 0.0)

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        get = self.index.get
        pad = self.idf.size - 1  # out-of-vocabulary terms map to a slot with idf 0, coef 0
        idx: list[int] = []
        lengths: list[int] = []
        for text in texts:
            before = len(idx)
            idx.extend(map(get, self.analyzer(text), repeat(pad)))
            lengths.append(len(idx) - before)
        owner = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
        n = len(texts)
        if not idx:
            return np.zeros(n)
        n_terms = self.idf.size
        key = owner * n_terms + np.asarray(idx, dtype=np.int64)
        key, tf = np.unique(key, return_counts=True)
        sent, term = np.divmod(key, n_terms)
        v = (1.0 + np.log(tf)) * self.idf[term]
        num = np.bincount(sent, weights=v * self.coef[term], minlength=n)
        sq = np.bincount(sent, weights=v * v, minlength=n)
        out = np.zeros(n)
        nz = sq > 0
        out[nz] = num[nz] / np.sqrt(sq[nz])
        return out


class _TokenMeanBlock:
    """Mean over a sentence's WordPiece tokens of a per-token score (0 without tokens).

    Equals a linear model over the mean of distilled MiniLM token vectors: training folds
    the coefficients into one number per token (see train.export).
    """

    _MAX_CACHE = 200_000

    def __init__(self, vocab: Sequence[str], score: np.ndarray):
        self.index = {t: i for i, t in enumerate(vocab)}
        self.score = np.asarray(score, dtype=np.float64)
        self._words: dict[str, tuple[float, int]] = {}

    def _word(self, word: str) -> tuple[float, int]:
        hit = self._words.get(word)
        if hit is None:
            pieces = F.wordpiece(word, self.index)
            hit = (float(sum(self.score[self.index[p]] for p in pieces)), len(pieces))
            if len(self._words) >= self._MAX_CACHE:
                self._words.clear()
            self._words[word] = hit
        return hit

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros(len(texts))
        for k, text in enumerate(texts):
            total, n = 0.0, 0
            for word in F.bert_words(text):
                s, c = self._word(word)
                total += s
                n += c
            if n:
                out[k] = total / n
        return out


class _SentenceEmbeddingBlock:
    """Linear coefficients over the all-MiniLM-L6-v2 sentence embedding (see encoder.py).

    The standardisation used at training time is folded into the coefficients and the
    intercept, so the block is one dot product per sentence. The encoder weights live in
    their own file (``encoder.npz``), checked against the SHA-256 recorded at training.
    """

    def __init__(self, coef: np.ndarray, layers: Sequence[int], encoder_file: str, encoder_sha256: str | None,
                 path: Path | None, encoder_path: Path | None = None):
        from .encoder import DEFAULT_ENCODER_PATH, EncoderFileError, load_encoder

        self.coef = np.asarray(coef, dtype=np.float64)
        self.layers = tuple(int(k) for k in layers)
        if encoder_path is not None:
            candidate = Path(encoder_path)
        else:  # beside the model file, else the committed one
            candidate = (path.parent if path is not None else DEFAULT_ENCODER_PATH.parent) / encoder_file
            if not candidate.is_file():
                candidate = DEFAULT_ENCODER_PATH.parent / encoder_file
        if not candidate.is_file():
            raise ModelFileError(f"{path}: encoder file {candidate} not found")
        if encoder_sha256 and _sha256(candidate) != encoder_sha256:
            raise ModelFileError(f"{path}: encoder file {candidate} does not match the model "
                                 f"(SHA-256 differs from the one recorded at training)")
        try:
            self.encoder = load_encoder(candidate)
        except EncoderFileError as exc:
            raise ModelFileError(str(exc)) from exc
        if self.encoder.dim * len(self.layers) != self.coef.size:
            raise ModelFileError(f"{path}: {self.coef.size} embedding coefficients for {len(self.layers)} "
                                 f"layers of a {self.encoder.dim}-dimensional encoder")

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros(0)
        return self.encoder.encode(texts, layers=self.layers).astype(np.float64) @ self.coef


SCORE_CODEC = Codec(lambda score: struct.pack("<d", score), lambda raw: struct.unpack("<d", raw)[0])

_SHA_CACHE: dict[tuple, str] = {}


def _sha256(path: Path) -> str:
    import hashlib

    st = path.stat()
    key = (str(path.resolve()), st.st_size, st.st_mtime_ns)
    if key not in _SHA_CACHE:
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        _SHA_CACHE[key] = h.hexdigest()
    return _SHA_CACHE[key]


class Scorer:
    """Scores sentences for check-worthiness in [0, 1].

    ``score(sentences)`` returns one probability-like score per sentence;
    ``is_checkworthy(score)`` applies the decision threshold chosen at training time.
    """

    def __init__(self, arrays: dict, path: Path | None = None, encoder_path: Path | None = None):
        try:
            config = json.loads(str(arrays["config"]))
        except (KeyError, ValueError) as exc:
            raise ModelFileError(f"{path}: no valid model configuration") from exc
        if config.get("format") not in READABLE_FORMATS:
            raise ModelFileError(f"{path}: unsupported model format {config.get('format')!r}")
        self.config = config
        self.path = path
        self.threshold: float = float(config["threshold"])
        self.intercept: float = float(arrays["intercept"])
        self.blocks: list[_TfidfBlock] = []
        if "word_vocab" in arrays:
            self.blocks.append(_TfidfBlock(
                F.word_ngrams, arrays["word_vocab"].tolist(), arrays["word_idf"],
                arrays["word_coef"], config["word_weight"]))
        if "char_vocab" in arrays:
            lo, hi = config["char_range"]
            self.blocks.append(_TfidfBlock(
                lambda s, lo=lo, hi=hi: F.char_ngrams(s, lo, hi), arrays["char_vocab"].tolist(),
                arrays["char_idf"], arrays["char_coef"], config["char_weight"]))
        if "emb_vocab" in arrays:
            self.blocks.append(_TokenMeanBlock(arrays["emb_vocab"].tolist(), arrays["emb_score"]))
        if "sent_coef" in arrays:
            self.blocks.append(_SentenceEmbeddingBlock(
                arrays["sent_coef"], config.get("sent_layers", [6]), config["encoder_file"],
                config.get("encoder_sha256"), path, encoder_path))
        self.hand_coef = arrays["hand_coef"].astype(np.float64) if "hand_coef" in arrays else None
        # What the scorer is: its model file's digest (None for a model built in memory).
        self.digest: str | None = _sha256(path)[:32] if path is not None and Path(path).is_file() else None
        # sentence -> score; shared between processes under the model file's digest.
        self._cache: RecentResults[float] = RecentResults(
            SCORE_CACHE_SIZE,
            namespace=f"checkworthiness:{self.digest}-{code_digest(str(Path(__file__).parent))}" if self.digest else None,
            codec=SCORE_CODEC,
        )

    # -- public API --------------------------------------------------------------------
    def decisions(self, sentences: Sequence[str]) -> np.ndarray:
        """Raw linear scores (log-odds), one per sentence."""
        z = np.full(len(sentences), self.intercept)
        for block in self.blocks:
            z += block(sentences)
        if self.hand_coef is not None and len(sentences):
            z += np.array([F.hand_features(s) for s in sentences]) @ self.hand_coef
        return z

    def score(self, sentences: Iterable[str]) -> list[float]:
        """Check-worthiness score in [0, 1] for each sentence, in order (the scores of the last
        ``SCORE_CACHE_SIZE`` distinct sentences are remembered)."""
        if isinstance(sentences, str):
            raise TypeError("score() takes a list of sentences, not a single string")
        texts = [s if isinstance(s, str) else str(s) for s in sentences]
        return self._cache.recall(texts, self._work_out)

    def _work_out(self, texts: list[str]) -> list[float]:
        out: list[float] = []
        for start in range(0, len(texts), _BATCH):
            z = self.decisions(texts[start:start + _BATCH])
            out.extend((1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))).tolist())
        return out

    def forget_scores(self) -> None:
        """Empty this process's memory of recent scores (the benchmarks measure sentences never seen)."""
        self._cache.clear()

    def is_checkworthy(self, score: float) -> bool:
        """Whether a score from ``score()`` passes the decision threshold."""
        return score >= self.threshold

    def predict(self, sentences: Iterable[str]) -> list[bool]:
        return [self.is_checkworthy(s) for s in self.score(sentences)]

    def __repr__(self) -> str:
        return f"<Scorer {self.config.get('name', '?')} threshold={self.threshold:.3f}>"


def load_model(path: str | os.PathLike | None = None) -> Scorer:
    """Load a scorer from an ``.npz`` model file (no caching; see ``load_scorer``)."""
    p = Path(path) if path is not None else DEFAULT_MODEL_PATH
    if not p.is_file():
        raise ModelFileError(f"model file not found: {p}")
    try:
        with np.load(p, allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in npz.files}
    except (OSError, ValueError) as exc:
        raise ModelFileError(f"{p}: not a readable model file ({exc})") from exc
    return Scorer(arrays, p)
