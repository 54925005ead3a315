"""Training the check-worthiness model (needs scikit-learn and SciPy; inference does not).

Procedure (deterministic: no random state is involved):

1. Lexical model: an L2-regularised logistic regression (lbfgs) over the features of
   ``features.py``: sublinear TF-IDF of word 1-2-grams (optionally character n-grams) and
   sixteen hand-made cues (optionally the mean of static token vectors distilled from
   all-MiniLM-L6-v2, ``distill.py``: the previous model; off by default).
2. Sentence-embedding model: a logistic regression over the standardised, concatenated,
   L2-normalised mean-pooled hidden states of layers 3-6 of all-MiniLM-L6-v2, computed by
   the NumPy encoder (``encoder.py``) from the committed ``encoder.npz``.
3. The score is the logistic of the blend ``(1 - b) * lexical + b * embedding`` of the two
   log-odds (b = 0.5): still one linear function, exported as such.
4. Choose the decision threshold that maximises F1 of the ``Yes`` class on out-of-fold
   scores of a *leave-debates-out* cross-validation of the training sentences: five folds
   of contiguous sentence ids (ids are consecutive within a debate and debates are in
   chronological order, so a fold is a run of whole debates). Scores on new debates are
   less confident than on held-in ones, so a threshold picked on held-in sentences (such
   as the dev split, drawn from the training debates) would be too high.
5. Export vocabularies, IDF weights and coefficients to an ``.npz`` file (no pickle).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np

from . import features as F
from .data import Row
from .encoder import DEFAULT_ENCODER_PATH
from .model import MODEL_FORMAT

CACHE = Path(os.environ.get("CHECKWORTHINESS_CACHE", Path.home() / ".cache" / "factcheck-checkworthiness"))

DEFAULT_CONFIG: dict = {
    "name": "word-tfidf+cues-logreg+minilm-l3-6-logreg",
    "word": True,
    "char_range": None,  # character 2-5-grams: no gain, 4x slower
    "hand": True,
    "min_df": 2,
    "C": 4.0,
    "word_weight": 1.0,
    "char_weight": 1.0,
    "hand_weight": 1.0,
    "emb": False,  # distilled static token vectors (the previous model): overfit the debates
    "emb_weight": 0.05,
    "sent": True,  # contextual MiniLM sentence embeddings (encoder.py)
    "sent_layers": [3, 4, 5, 6],
    "sent_C": 0.1,
    "sent_blend": 0.5,  # weight of the embedding model's log-odds; the lexical model gets the rest
    "cv_folds": 5,
}


@dataclass
class Metrics:
    n: int
    positives: int
    f1: float
    precision: float
    recall: float

    def as_dict(self) -> dict:
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in self.__dict__.items()}


def yes_metrics(labels: Sequence[bool], predicted: Sequence[bool]) -> Metrics:
    tp = sum(1 for y, p in zip(labels, predicted) if y and p)
    fp = sum(1 for y, p in zip(labels, predicted) if p and not y)
    fn = sum(1 for y, p in zip(labels, predicted) if y and not p)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Metrics(len(labels), sum(bool(y) for y in labels), f1, precision, recall)


THRESHOLD_GRID = np.round(np.arange(0.05, 0.951, 0.01), 2)


def f1_curve(labels: Sequence[bool], scores: Sequence[float]) -> np.ndarray:
    """Yes-F1 at each threshold of THRESHOLD_GRID."""
    y = np.asarray(labels, dtype=bool)
    s = np.asarray(scores, dtype=float)
    return np.array([yes_metrics(y, s >= t).f1 for t in THRESHOLD_GRID])


def best_threshold(*curves: np.ndarray) -> tuple[float, float]:
    """Grid threshold maximising the mean of the given F1 curves (ties: the lowest)."""
    mean = np.mean(np.vstack(curves), axis=0)
    k = int(np.argmax(mean))
    return float(THRESHOLD_GRID[k]), float(mean[k])


def _char_analyzer(lo: int, hi: int):
    def analyze(text: str) -> list[str]:
        return F.char_ngrams(text, lo, hi)
    return analyze


class TokenMean:
    """Mean of a sentence's WordPiece token vectors (zeros for a sentence without tokens)."""

    def __init__(self, vocab: Sequence[str], vectors: np.ndarray):
        self.vocab = list(vocab)
        self.index = {t: i for i, t in enumerate(self.vocab)}
        self.vectors = np.asarray(vectors, dtype=np.float64)
        self._ids: dict[str, list[int]] = {}

    def token_ids(self, text: str) -> list[int]:
        out: list[int] = []
        for word in F.bert_words(text):
            ids = self._ids.get(word)
            if ids is None:
                ids = self._ids[word] = [self.index[p] for p in F.wordpiece(word, self.index)]
            out += ids
        return out

    def means(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.vectors.shape[1]))
        for k, text in enumerate(texts):
            ids = self.token_ids(text)
            if ids:
                out[k] = self.vectors[ids].mean(axis=0)
        return out


def file_sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class SentenceEmbedder:
    """Encoder features of sentences (``Encoder.encode(texts, layers)``), memoised per text.

    ``precompute`` encodes a whole corpus in one call (so the values do not depend on which
    subsets later ask for them) and keeps them in an on-disk cache keyed by the SHA-256 of
    the encoder file and of the code computing the vectors (encoder.py, features.py) and by
    the layers, so reruns skip the forward pass and a code change never reads stale vectors.
    """

    def __init__(self, encoder_path: str | Path, layers: Sequence[int], cache_dir: Path | None = CACHE):
        self.encoder_path = Path(encoder_path)
        self.layers = tuple(int(k) for k in layers)
        self.sha256 = file_sha256(self.encoder_path)
        self.memo: dict[str, np.ndarray] = {}
        self.cache = None
        if cache_dir is not None:
            code = hashlib.sha256()
            for module in ("encoder.py", "features.py"):
                code.update(Path(__file__).with_name(module).read_bytes())
            tag = "-".join(map(str, self.layers))
            self.cache = Path(cache_dir) / (f"sentence-embeddings-{self.sha256[:16]}-code{code.hexdigest()[:12]}"
                                            f"-layers{tag}.npz")
            if self.cache.is_file():
                with np.load(self.cache, allow_pickle=False) as npz:
                    self.memo = dict(zip(npz["texts"].tolist(), npz["vectors"]))

    def precompute(self, texts: Sequence[str], log=None) -> None:
        missing = list(dict.fromkeys(t for t in texts if t not in self.memo))
        if not missing:
            return
        if log:
            log(f"encoding {len(missing)} sentences with the NumPy MiniLM encoder "
                f"(cached in {self.cache or 'memory'}) ...")
        from .encoder import load_encoder_file
        vectors = load_encoder_file(self.encoder_path).encode(missing, layers=self.layers)
        self.memo.update(zip(missing, vectors))
        if self.cache is not None:
            self.cache.parent.mkdir(parents=True, exist_ok=True)
            texts_all = list(self.memo)
            tmp = self.cache.with_suffix(".tmp.npz")
            with open(tmp, "wb") as fh:
                np.savez(fh, texts=np.array(texts_all, dtype=str),
                         vectors=np.stack([self.memo[t] for t in texts_all]))
            tmp.replace(self.cache)

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        self.precompute(texts)
        return np.stack([self.memo[t] for t in texts]).astype(np.float64)


_EMBEDDERS: dict[tuple, SentenceEmbedder] = {}


def sentence_embedder(encoder_path: str | Path, layers: Sequence[int]) -> SentenceEmbedder:
    """One embedder per (encoder file, layers) and process."""
    key = (str(Path(encoder_path).resolve()), tuple(layers))
    if key not in _EMBEDDERS:
        _EMBEDDERS[key] = SentenceEmbedder(encoder_path, layers, CACHE)
    return _EMBEDDERS[key]


_TOKEN_MEAN: TokenMean | None = None


def token_mean() -> TokenMean:
    """The distilled MiniLM token vectors (see distill.py), loaded once per process."""
    global _TOKEN_MEAN
    if _TOKEN_MEAN is None:
        from .distill import token_vectors
        _TOKEN_MEAN = TokenMean(*token_vectors())
    return _TOKEN_MEAN


@dataclass
class _Fitted:
    config: dict
    vectorizers: dict = field(default_factory=dict)
    clf: object = None
    tokens: TokenMean | None = None
    emb_mean: np.ndarray | None = None
    emb_std: np.ndarray | None = None
    sent: SentenceEmbedder | None = None
    sent_clf: object = None
    sent_mean: np.ndarray | None = None
    sent_std: np.ndarray | None = None

    @property
    def lexical(self) -> bool:
        return self.clf is not None

    def transform(self, texts: Sequence[str], token_means: np.ndarray | None = None):
        """Feature matrix of ``texts``; ``token_means``: their mean token vectors when already computed."""
        from scipy import sparse
        cfg = self.config
        blocks = []
        if "word" in self.vectorizers:
            blocks.append(self.vectorizers["word"].transform(texts) * cfg["word_weight"])
        if "char" in self.vectorizers:
            blocks.append(self.vectorizers["char"].transform(texts) * cfg["char_weight"])
        if cfg["hand"]:
            blocks.append(sparse.csr_matrix(
                np.array([F.hand_features(t) for t in texts], dtype=np.float64) * cfg["hand_weight"]))
        if self.tokens is not None:
            means = self.tokens.means(texts) if token_means is None else token_means
            E = (means - self.emb_mean) / self.emb_std
            blocks.append(sparse.csr_matrix(E * cfg["emb_weight"]))
        return sparse.hstack(blocks, format="csr")

    def sent_transform(self, texts: Sequence[str]) -> np.ndarray:
        return (self.sent(texts) - self.sent_mean) / self.sent_std

    def decision(self, texts: Sequence[str]) -> np.ndarray:
        b = self.config["sent_blend"] if self.sent is not None and self.lexical else (1.0 if self.sent else 0.0)
        z = np.zeros(len(texts))
        if self.lexical:
            z += (1.0 - b) * self.clf.decision_function(self.transform(texts))
        if self.sent is not None:
            z += b * self.sent_clf.decision_function(self.sent_transform(texts))
        return z

    def proba(self, texts: Sequence[str]) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.decision(texts)))


def fit(texts: Sequence[str], labels: Sequence[bool], config: dict) -> _Fitted:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    texts = list(texts)
    y = np.asarray(labels, dtype=int)
    if len(set(y.tolist())) < 2:
        raise ValueError("training data must contain both Yes and No sentences")
    fitted = _Fitted(dict(config))
    if config.get("sent"):
        fitted.sent = sentence_embedder(config.get("encoder_path") or DEFAULT_ENCODER_PATH, config["sent_layers"])
        S = fitted.sent(texts)
        fitted.sent_mean = S.mean(axis=0)
        fitted.sent_std = S.std(axis=0) + 1e-6
        fitted.sent_clf = LogisticRegression(C=config["sent_C"], max_iter=5000, tol=1e-6).fit(
            (S - fitted.sent_mean) / fitted.sent_std, y)
    if not (config["word"] or config["char_range"] or config["hand"] or config.get("emb")):
        if fitted.sent is None:
            raise ValueError("the configuration enables no feature block")
        return fitted
    if config["word"]:
        fitted.vectorizers["word"] = TfidfVectorizer(
            analyzer=F.word_ngrams, min_df=config["min_df"], sublinear_tf=True, dtype=np.float64)
    if config["char_range"]:
        fitted.vectorizers["char"] = TfidfVectorizer(
            analyzer=_char_analyzer(*config["char_range"]), min_df=config["min_df"],
            sublinear_tf=True, dtype=np.float64)
    for vec in fitted.vectorizers.values():
        vec.fit(texts)
    E = None
    if config.get("emb"):
        fitted.tokens = token_mean()
        E = fitted.tokens.means(texts)
        fitted.emb_mean = E.mean(axis=0)
        fitted.emb_std = E.std(axis=0) + 1e-9
    X = fitted.transform(texts, token_means=E)
    fitted.clf = LogisticRegression(C=config["C"], max_iter=5000, tol=1e-6).fit(X, y)
    return fitted


def contiguous_folds(sentence_ids: Sequence[str], n_folds: int) -> np.ndarray:
    """Fold number per sentence: the sentences sorted by id, cut into equal contiguous runs.

    Ids are consecutive within a debate and debates are in chronological order, so each
    fold holds whole runs of debates (mostly whole campaigns): a model validated on a fold
    has seen neither those debates nor, mostly, their candidates and topics. Ties and
    non-numeric ids sort by text, so the assignment is deterministic.
    """
    def key(sid: str):
        return (0, int(sid), "") if sid.strip().isdigit() else (1, 0, sid)
    order = sorted(range(len(sentence_ids)), key=lambda i: key(sentence_ids[i]))
    folds = np.empty(len(sentence_ids), dtype=np.int64)
    for rank, i in enumerate(order):
        folds[i] = rank * n_folds // len(order)
    return folds


def out_of_fold_scores(rows: Sequence[Row], config: dict) -> np.ndarray:
    """Scores of every training sentence from a model that did not see its debates."""
    texts = [r.text for r in rows]
    y = np.asarray([r.label for r in rows], dtype=bool)
    n_folds = config["cv_folds"]
    folds = contiguous_folds([r.sentence_id for r in rows], n_folds)
    oof = np.zeros(len(rows))
    for k in range(n_folds):
        val = np.flatnonzero(folds == k)
        trn = np.flatnonzero(folds != k)
        if len(set(y[trn].tolist())) < 2:
            raise ValueError("each cross-validation fold needs Yes and No sentences to train on")
        model = fit([texts[i] for i in trn], y[trn], config)
        oof[val] = model.proba([texts[i] for i in val])
    return oof


def export(fitted: _Fitted, threshold: float, extra: dict | None = None) -> dict:
    """Arrays for ``np.savez`` (strings, floats and one JSON configuration string)."""
    cfg = fitted.config
    arrays: dict = {}
    b = cfg["sent_blend"] if fitted.sent is not None and fitted.lexical else (1.0 if fitted.sent else 0.0)
    intercept = 0.0
    if fitted.lexical:
        intercept += (1.0 - b) * _export_lexical(fitted, arrays, 1.0 - b)
    if fitted.sent is not None:
        # Standardisation folded in: w . (x - mu) / sd = x . (w / sd) - mu . (w / sd).
        effective = b * fitted.sent_clf.coef_.ravel() / fitted.sent_std
        arrays["sent_coef"] = effective
        intercept += b * float(fitted.sent_clf.intercept_[0]) - float(fitted.sent_mean @ effective)
    arrays["intercept"] = np.array(intercept)
    meta = {
        "format": MODEL_FORMAT,
        "name": cfg["name"],
        "threshold": float(threshold),
        "word_weight": cfg["word_weight"],
        "char_weight": cfg["char_weight"],
        "char_range": list(cfg["char_range"]) if cfg["char_range"] else None,
        "hand_features": list(F.HAND_FEATURE_NAMES) if cfg["hand"] and fitted.lexical else [],
        "emb": "distilled all-MiniLM-L6-v2 token vectors, mean-pooled" if fitted.tokens is not None else None,
        "training": {k: v for k, v in cfg.items() if k != "encoder_path"},  # no machine paths
    }
    if fitted.sent is not None:
        meta.update({
            "encoder_file": fitted.sent.encoder_path.name,
            "encoder_sha256": fitted.sent.sha256,
            "sent_layers": list(fitted.sent.layers),
            "sent_blend": b,
        })
    if extra:
        meta.update(extra)
    arrays["config"] = np.array(json.dumps(meta, sort_keys=True))
    return arrays


def _export_lexical(fitted: _Fitted, arrays: dict, scale: float) -> float:
    """Add the lexical model's arrays (coefficients times ``scale``); return its intercept."""
    cfg = fitted.config
    coef = fitted.clf.coef_.ravel() * scale
    offset = 0
    for name in ("word", "char"):
        vec = fitted.vectorizers.get(name)
        if vec is None:
            continue
        vocab = vec.vocabulary_
        terms = sorted(vocab, key=vocab.get)
        n = len(terms)
        arrays[f"{name}_vocab"] = np.array(terms, dtype=str)
        arrays[f"{name}_idf"] = vec.idf_.astype(np.float32)
        arrays[f"{name}_coef"] = coef[offset:offset + n].astype(np.float32)
        offset += n
    if cfg["hand"]:
        n = len(F.HAND_FEATURE_NAMES)
        arrays["hand_coef"] = (coef[offset:offset + n] * cfg["hand_weight"]).astype(np.float32)
        offset += n
    intercept = float(fitted.clf.intercept_[0])
    shift = 0.0
    if fitted.tokens is not None:
        # Linear in the mean token vector, so each token reduces to one number:
        # w . (mean_t v_t - mu) / sd = mean_t (v_t . w/sd) - mu . w/sd.
        d = fitted.emb_mean.size
        effective = coef[offset:offset + d] * cfg["emb_weight"] / fitted.emb_std
        offset += d
        arrays["emb_vocab"] = np.array(fitted.tokens.vocab, dtype=str)
        arrays["emb_score"] = fitted.tokens.vectors @ effective
        shift = float(fitted.emb_mean @ effective)
    assert offset == coef.size
    return intercept - shift / scale if scale else intercept


def save(arrays: dict, path: str | Path) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # np.savez_compressed writes fixed zip timestamps, so equal arrays give equal bytes.
    with open(path, "wb") as fh:
        np.savez_compressed(fh, **arrays)


def train_model(train_rows: Sequence[Row], config: dict | None = None,
                threshold: float = 0.5, extra: dict | None = None) -> dict:
    """Fit on ``train_rows`` and export with the given decision threshold."""
    cfg = dict(DEFAULT_CONFIG, **(config or {}))
    fitted = fit([r.text for r in train_rows], [r.label for r in train_rows], cfg)
    return export(fitted, threshold, dict(extra or {}, n_fit=len(train_rows)))
