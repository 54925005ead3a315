#!/usr/bin/env python
"""Retrain the committed check-worthiness model.

    python scripts/train_checkworthiness.py --requirements > train-requirements.txt
    pip install --no-deps -r train-requirements.txt      # the pinned 'train' extra
    python scripts/train_checkworthiness.py --data PATH/TO/checkworthiness
    python scripts/train_checkworthiness.py --data DIR --out /tmp/model.npz

Needs scikit-learn and SciPy (training only); the MiniLM encoder runs from the committed
articles/checkworthiness/encoder.npz. The data files' SHA-256 sums are checked. Deterministic:
the same data gives the same model file. See articles/checkworthiness/MODEL_CARD.md.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from articles.checkworthiness.training_cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
