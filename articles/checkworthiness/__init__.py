"""Sentence check-worthiness scorer (plain Python, no Django).

    from articles.checkworthiness import load_scorer
    scorer = load_scorer()                 # loaded once, then cached
    scores = scorer.score(["Duterte has not visited the US.", "Thank you."])
    flags = [scorer.is_checkworthy(s) for s in scores]   # threshold: scorer.threshold

The committed model (``model.npz``) blends two logistic regressions trained on CLEF
CheckThat! 2024 Task 1 English debate sentences: one over word TF-IDF features and sixteen
hand-made cues, one over contextual all-MiniLM-L6-v2 sentence embeddings (mean-pooled
layers 3-6), computed by a NumPy forward pass of the transformer from ``encoder.npz``.
Inference needs only NumPy; both files hold arrays and a JSON string, loaded without
pickle. See MODEL_CARD.md.
"""

from __future__ import annotations

import functools
import os

from .model import DEFAULT_MODEL_PATH, ModelFileError, Scorer, load_model

__all__ = ["DEFAULT_MODEL_PATH", "ModelFileError", "Scorer", "load_model", "load_scorer"]


@functools.lru_cache(maxsize=4)
def _cached(path: str) -> Scorer:
    return load_model(path)


def load_scorer(path: str | os.PathLike | None = None) -> Scorer:
    """Return the scorer for ``path`` (default: the committed model), loading it once."""
    return _cached(os.path.abspath(path if path is not None else DEFAULT_MODEL_PATH))
