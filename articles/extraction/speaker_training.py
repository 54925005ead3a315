"""Training the speaker model on PolNeAR (plain Python; needs the ``train`` extra).

PolNeAR annotates every attribution in 1,008 US political news articles as Source, Cue
and Content spans (brat standoff files). For every quotation the engine finds, the
annotation whose Content covers it names the Source; each candidate mention of the quote
is a positive example when it overlaps that Source, a negative one otherwise. The
previous quote's speaker is taken from the annotation while training (as the engine
takes its own previous choice in service).

    python manage.py train_speaker_model --polnear ../shared/corpus/polnear

fits on ``train``, picks the regularisation on ``dev`` (speaker agreement as the PolNeAR
scorer counts it) and the no-speaker threshold (the highest probability under which the
model's choices on dev are wrong at least as often as right, counting quotes annotated
with no source as wrong whoever is named), then writes ``speaker_model.json``
and prints what the model card records. The corpus's texts are read, never copied.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .reading import Reading, attribute_quotes
from .speaker_model import SpeakerModel

C_GRID = (0.003, 0.01, 0.03, 0.1, 0.3)
THRESHOLD_GRID = (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4)
# As the PolNeAR scorer: a gold quote has at least three words; a speaker agrees with the
# annotated source when they share a content word.
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’.-]*")
_STOP = frozenset(
    "he she they i we it you him her them his hers their who which that one me us this these those "
    "the a an of and in on for to at by with from mr mrs ms dr said says according s 's ’s as its former told".split()
)


@dataclass
class Attribution:
    content: list[tuple[int, int]]
    source: list[tuple[int, int]]


@dataclass
class AnnotatedArticle:
    name: str
    text: str
    attributions: list[Attribution] = field(default_factory=list)


def read_brat(path: Path) -> list[Attribution]:
    spans: dict[str, list[tuple[int, int]]] = {}
    relations = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        if parts[0].startswith("T"):
            _, _, ranges = parts[1].partition(" ")
            try:
                spans[parts[0]] = [tuple(int(x) for x in r.split()) for r in ranges.split(";")]  # type: ignore[misc]
            except ValueError:
                continue
        elif parts[0].startswith("E"):
            relations.append(dict(p.split(":", 1) for p in parts[1].split() if ":" in p))
    found = []
    for relation in relations:
        content = spans.get(relation.get("Content", ""))
        if content:
            found.append(Attribution(content, spans.get(relation.get("Source", ""), [])))
    return found


def read_split(directory: Path) -> Iterator[AnnotatedArticle]:
    """Articles of one PolNeAR split (``text/NAME.txt`` and ``attributions/NAME_ANNOTATOR.ann``), first annotator."""
    annotations = sorted((directory / "attributions").glob("*.ann"))
    for text_path in sorted((directory / "text").glob("*.txt")):
        mine = [a for a in annotations if a.name.startswith(text_path.stem + "_")]
        if mine:
            yield AnnotatedArticle(text_path.name, text_path.read_text(encoding="utf-8"), read_brat(mine[0]))


def split_checksum(directory: Path) -> tuple[int, str]:
    """How many files a split has and one SHA-256 over their names and contents, for the model card."""
    digest = hashlib.sha256()
    files = sorted(p for p in directory.rglob("*") if p.is_file())
    for path in files:
        digest.update(str(path.relative_to(directory)).encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return len(files), digest.hexdigest()


def _overlap(a: int, b: int, c: int, d: int) -> int:
    return max(0, min(b, d) - max(a, c))


def _annotation_of(start: int, end: int, attributions: list[Attribution]) -> Attribution | None:
    best, best_overlap = None, 0
    for attribution in attributions:
        covered = sum(_overlap(start, end, a, b) for a, b in attribution.content)
        if covered > best_overlap:
            best, best_overlap = attribution, covered
    return best if best is not None and best_overlap * 2 >= end - start else None


@dataclass
class ReadArticle:
    article: AnnotatedArticle
    reading: Reading


def _source_labels(mentions: list, source: list[tuple[int, int]]) -> list[bool]:
    """Which mentions are the annotated source: their head word lies in the Source span, and
    they are not a phrase inside another such mention ("the Clinton campaign" inside "a
    spokesman for the Clinton campaign" is not who spoke)."""
    inside = [any(a <= m.head_start < b for a, b in source) for m in mentions]
    labels = []
    for m, hit in zip(mentions, inside):
        nested = any(
            other_hit and o is not m and o.start <= m.start and m.end <= o.end and (o.start, o.end) != (m.start, m.end)
            for o, other_hit in zip(mentions, inside)
        )
        labels.append(hit and not nested)
    return labels


def candidate_examples(read: ReadArticle) -> list[tuple[list[str], bool]]:
    """(features, is the annotated source) for every candidate of every annotated quote."""
    examples = []
    reading, attributions = read.reading, read.article.attributions
    previous = None
    for quote in reading.quotes:
        candidates = reading.quote_context.candidates(quote, previous)
        annotation = _annotation_of(quote.start, quote.end, attributions)
        if annotation is None or not annotation.source:
            continue
        labels = _source_labels([c.mention for c in candidates], annotation.source)
        if not any(labels):
            continue  # the source is not among the candidates: nothing to learn from here
        examples.extend((c.features, label) for c, label in zip(candidates, labels))
        previous = candidates[labels.index(True)].mention
    return examples


def _content_words(text: str) -> set[str]:
    words = (w.lower().strip(".'’") for w in _WORD.findall(text))
    return {w for w in words if w and w not in _STOP and len(w) > 1}


def judged_quotes(
    reads: list[ReadArticle], model: SpeakerModel, *, sourceless: bool = False
) -> list[tuple[float, bool]]:
    """(the model's probability, whether its speaker names the annotated source) for every
    annotated quote of three words or more whose source names someone, as the PolNeAR scorer counts.

    ``sourceless``: also the quotes annotated as having no source, where any speaker is wrong.
    """
    judged = []
    for read in reads:
        text = read.article.text
        for found in attribute_quotes(read.reading, model):
            quote = found.quote
            if len(_WORD.findall(text[quote.start:quote.end])) < 3:
                continue
            annotation = _annotation_of(quote.start, quote.end, read.article.attributions)
            if annotation is None:
                continue
            if not annotation.source:
                if sourceless and found.probability > 0:
                    judged.append((found.probability, found.name is None))
                continue
            source = _content_words(" ".join(text[a:b] for a, b in annotation.source))
            if not source:
                continue
            speaker = found.name or ""
            right = bool(source & _content_words(speaker)) and len(_WORD.findall(speaker)) <= 10
            judged.append((found.probability, right))
    return judged


def speaker_agreement(reads: list[ReadArticle], model: SpeakerModel) -> tuple[float, int]:
    """Share of annotated quotes whose speaker names the annotated source, and how many were judged."""
    judged = judged_quotes(reads, model)
    return sum(right for _, right in judged) / max(len(judged), 1), len(judged)


def no_guess_threshold(judged: list[tuple[float, bool]], minimum: int = 10) -> float:
    """The highest probability below which the model's choices are wrong at least as often as
    right: under it, no speaker is better than a guess."""
    best = 0.0
    for threshold in THRESHOLD_GRID:
        below = [right for p, right in judged if p < threshold]
        if len(below) >= minimum and sum(below) <= len(below) / 2:
            best = threshold
    return best


def fit(examples: list[tuple[list[str], bool]], C: float, min_probability: float = 0.0) -> SpeakerModel:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = DictVectorizer()
    matrix = vectorizer.fit_transform([dict.fromkeys(features, 1) for features, _ in examples])
    classifier = LogisticRegression(C=C, max_iter=5000)
    classifier.fit(matrix, [int(label) for _, label in examples])
    weights = {
        name: round(float(weight), 5)
        for name, weight in zip(vectorizer.get_feature_names_out(), classifier.coef_[0])
        if abs(weight) >= 1e-5
    }
    return SpeakerModel(weights=weights, bias=round(float(classifier.intercept_[0]), 5), min_probability=min_probability)


@dataclass
class TrainingReport:
    model: SpeakerModel
    C: float
    train_articles: int
    dev_articles: int
    train_examples: int
    dev_agreement: float
    dev_quotes: int
    grid: list[tuple[float, float]]  # (C, dev agreement)


def train(
    polnear: Path,
    read: Callable[[str], Reading],
    log: Callable[[str], None] = lambda message: None,
) -> TrainingReport:
    """Fit on PolNeAR train, choose C and the threshold on dev, refit nothing: dev is only for choosing."""
    reads = {}
    for split in ("train", "dev"):
        reads[split] = [ReadArticle(a, read(a.text)) for a in read_split(polnear / split)]
        log(f"{split}: {len(reads[split])} articles read")
    examples = [e for r in reads["train"] for e in candidate_examples(r)]
    log(f"train: {len(examples)} candidate examples")
    grid = []
    best: tuple[float, SpeakerModel, float] | None = None
    for C in C_GRID:
        model = fit(examples, C)
        agreement, _ = speaker_agreement(reads["dev"], model)
        grid.append((C, agreement))
        log(f"C={C}: dev speaker agreement {agreement:.3f}")
        if best is None or agreement > best[0] + 1e-9:
            best = (agreement, model, C)
    assert best is not None
    agreement, model, C = best
    judged = judged_quotes(reads["dev"], model, sourceless=True)
    threshold = no_guess_threshold(judged)
    model = SpeakerModel(model.weights, model.bias, threshold)
    agreement, dev_quotes = speaker_agreement(reads["dev"], model)
    log(f"no-speaker threshold {threshold}: dev speaker agreement {agreement:.3f}")
    return TrainingReport(model, C, len(reads["train"]), len(reads["dev"]), len(examples), agreement, dev_quotes, grid)
