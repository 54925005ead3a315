"""Throughput of full extraction against the bare language pipeline on the same text.

The baseline is the configured spaCy pipeline alone (``nlp.pipe`` with every component it
loads by default: tagger, parser, entities, lemmatizer) over the sample articles repeated
to at least 1 MB; full extraction reads the same text, parses only the sentences it needs,
and runs every finder, the speaker model and the check-worthiness scorer. Both run in the
same process, on one core, alternating; the ratio is what matters, absolute numbers
depend on the machine.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import spacy

from .engine import extract_claims, forget_recent_readings
from .nlp import configured_name
from .text import prepare_text

DEFAULT_SAMPLES = Path(__file__).resolve().parents[2] / "samples"
MIN_BYTES = 1_000_000


@dataclass(frozen=True)
class BenchResult:
    articles: int
    megabytes: float
    words: int
    extraction_seconds: float
    pipeline_seconds: float
    pipeline: str

    @property
    def extraction_wps(self) -> float:
        return self.words / self.extraction_seconds

    @property
    def pipeline_wps(self) -> float:
        return self.words / self.pipeline_seconds

    @property
    def ratio(self) -> float:
        return self.extraction_wps / self.pipeline_wps


def load_corpus(sample_dir: Path, min_bytes: int = MIN_BYTES) -> list[str]:
    bodies = [prepare_text(p.read_bytes()).body for p in sorted(sample_dir.glob("*.txt"))]
    if not bodies:
        raise FileNotFoundError(f"no .txt articles in {sample_dir}")
    corpus: list[str] = []
    size = 0
    while size < min_bytes:
        for body in bodies:
            corpus.append(body)
            size += len(body.encode("utf-8"))
    return corpus


def run_benchmark(sample_dir: Path = DEFAULT_SAMPLES, min_bytes: int = MIN_BYTES, rounds: int = 3) -> BenchResult:
    corpus = load_corpus(sample_dir, min_bytes)
    words = sum(len(body.split()) for body in corpus)
    name = configured_name()
    bare = spacy.load(name)
    extract_claims(corpus[0])  # load lazily built pieces outside the timing
    list(bare.pipe(corpus[:1]))
    best_extract = best_pipeline = float("inf")
    # Alternate the two and keep the best round of each, so machine noise hits both alike.
    for _ in range(rounds):
        started = time.perf_counter()
        for _doc in bare.pipe(corpus):
            pass
        best_pipeline = min(best_pipeline, time.perf_counter() - started)
        started = time.perf_counter()
        for body in corpus:
            forget_recent_readings()  # each article as if new: the corpus repeats the samples
            extract_claims(body)
        best_extract = min(best_extract, time.perf_counter() - started)
    megabytes = sum(len(b.encode("utf-8")) for b in corpus) / 1e6
    return BenchResult(len(corpus), megabytes, words, best_extract, best_pipeline, name)


def main(sample_dir: Path = DEFAULT_SAMPLES, stdout: TextIO | None = None, rounds: int = 3) -> BenchResult:
    stdout = stdout or sys.stdout
    result = run_benchmark(sample_dir, rounds=rounds)
    stdout.write(
        f"corpus: {result.articles} articles, {result.megabytes:.2f} MB, {result.words:,} words\n"
        f"full extraction:           {result.extraction_wps:>10,.0f} words/s ({result.extraction_seconds:.2f} s)\n"
        f"bare pipeline ({result.pipeline}): {result.pipeline_wps:>10,.0f} words/s ({result.pipeline_seconds:.2f} s)\n"
        f"ratio extraction/pipeline: {result.ratio:.2f}\n"
    )
    return result


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SAMPLES)
