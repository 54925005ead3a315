"""The learned part of speaker attribution: weights over candidate features.

A logistic regression scores each candidate mention of a quote (see
``quote_speakers.py`` for the features); the best-scoring candidate is the speaker. A
quote with no candidate, or whose best candidate falls under ``min_probability`` (chosen
on dev; 0 for the committed weights), has no speaker, and the guidance asks for one to be
established. Trained on PolNeAR's train split, tuned on its dev split; the
weights, the data's checksums and the numbers are in ``SPEAKER_MODEL_CARD.md`` beside
``speaker_model.json``. Retrain with ``manage.py train_speaker_model``.
"""

from __future__ import annotations

import functools
import itertools
import json
import math
from dataclasses import dataclass
from pathlib import Path

from .quote_speakers import Candidate

DEFAULT_MODEL_PATH = Path(__file__).with_name("speaker_model.json")


class SpeakerModelError(ValueError):
    """The weights file is missing or malformed."""


@dataclass(frozen=True)
class SpeakerModel:
    weights: dict[str, float]
    bias: float
    # Below this probability the best candidate is not trusted: no speaker is better than a guess.
    min_probability: float

    def probability(self, features: list[str]) -> float:
        weights = self.weights
        z = self.bias + sum(map(weights.get, features, itertools.repeat(0.0)))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def choose(self, candidates: list[Candidate]) -> tuple[Candidate | None, float]:
        """The most likely speaker among ``candidates`` and its probability (None when too unlikely)."""
        best, best_p = None, 0.0
        for candidate in candidates:
            p = self.probability(candidate.features)
            if p > best_p:
                best, best_p = candidate, p
        if best is None or best_p < self.min_probability:
            return None, best_p
        return best, best_p

    def to_json(self) -> dict:
        return {"bias": self.bias, "min_probability": self.min_probability, "weights": self.weights}


def read_model(path: str | Path) -> SpeakerModel:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return SpeakerModel(
            weights={str(k): float(v) for k, v in data["weights"].items()},
            bias=float(data["bias"]),
            min_probability=float(data.get("min_probability", 0.0)),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise SpeakerModelError(f"cannot read the speaker model {path}: {error}") from error


@functools.lru_cache(maxsize=2)
def _cached(path: str) -> SpeakerModel:
    return read_model(path)


def load_speaker_model(path: str | Path | None = None) -> SpeakerModel:
    """The speaker model at ``path`` (default: the committed one), read once per process."""
    return _cached(str(Path(path) if path is not None else DEFAULT_MODEL_PATH))
