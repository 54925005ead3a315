"""The look-ups that keep the rules linear on long bodies answer as the scans they replace."""

import random
import re

import pytest

from articles.extraction.consistency import _first_use
from articles.extraction.nlp import Analysis, Entity, Token, _children_of
from articles.extraction.sentences import Layout
from articles.extraction.spans import SpanIndex


def test_covers_matches_a_scan_of_the_spans():
    rng = random.Random(7)
    spans = [(s, s + rng.randint(0, 30)) for s in (rng.randint(0, 500) for _ in range(60))]
    index = SpanIndex(spans)
    for _ in range(2000):
        start = rng.randint(0, 540)
        end = start + rng.randint(0, 20)
        assert index.covers(start, end) == any(s <= start and end <= e for s, e in spans)
    assert not SpanIndex([]).covers(0, 1)


def test_sentence_indexes_match_sentence_index():
    text = "First one here. Second one, longer, here. Third!\n\nA new paragraph. And its end."
    layout = Layout(text)
    offsets = list(range(-2, len(text) + 3))
    assert layout.sentence_indexes(offsets) == [layout.sentence_index(o) for o in offsets]
    shuffled = offsets[:]
    random.Random(3).shuffle(shuffled)  # out of text order: still right, only slower
    assert layout.sentence_indexes(shuffled) == [layout.sentence_index(o) for o in shuffled]


def test_children_in_text_order_and_entities_between():
    heads = [1, 1, 1, 5, 5, 1, 5]
    tokens = [Token(i, i * 2, i * 2 + 1, "w", "NN", "dep", head) for i, head in enumerate(heads)]
    expected = [[] for _ in tokens]
    for token in tokens:
        if token.head != token.i:
            expected[token.head].append(token.i)
    assert [list(c) for c in _children_of(tokens)] == expected
    assert Analysis([], tokens).children(1) == (0, 2, 5)
    entities = [Entity(0, 5, "ORG", "a"), Entity(3, 4, "ORG", "b"), Entity(6, 10, "ORG", "c"), Entity(8, 20, "ORG", "d")]
    analysis = Analysis(entities, tokens)
    for start in range(0, 22):
        for end in range(start, 22):
            # The entities starting in [start, end) that also end by ``end``.
            expected_between = [e for e in entities if start <= e.start < end and e.end <= end]
            assert analysis.entities_between(start, end) == expected_between


@pytest.mark.parametrize(
    "text, word, start",
    [
        ("Fomin met Formin. Formin left.", "Formin", 0),
        ("Forminx Formin", "Formin", 0),
        ("xFormin Formin", "Formin", 0),
        ("McFormin said", "Formin", 2),  # a run cut by ``start`` counts from there
        ("McFormin said", "Formin", 3),
        ("Formin", "Formin", 1),
        ("no such name", "Formin", 0),
    ],
)
def test_first_use_matches_a_scan_of_word_runs(text, word, start):
    first: dict[str, int] = {}
    for match in re.finditer(r"\w+", text[start:]):
        first.setdefault(match.group(), match.start() + start)
    assert _first_use(text, word, start) == first.get(word)
