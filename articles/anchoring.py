"""Find a claim of an old version of an article in its new version.

Plain Python, no Django. A claim is a span of the old text. In the new text it is, in
this order of preference:

1. found where a word-level diff of the two versions puts it, with the same words
   (covers an unchanged position and text shifted by insertions or deletions);
2. found elsewhere with the same words, chosen by how well the text around it matches
   the old prefix and suffix, as a W3C TextQuoteSelector (exact, prefix, suffix) is
   resolved (covers moved paragraphs);
3. changed: the diff maps the span onto different words in the same place (a number
   edited inside a sentence);
4. removed: nothing in the new text corresponds to it.

The word-level diff is computed paragraph by paragraph: paragraphs (lines holding words)
are first aligned by their exact text, a linear-time step even for a megabyte of text,
and words are compared only inside the runs of paragraphs that differ. A small edit of a
long article therefore costs about as much as a small edit of a short one.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

FOUND = "found"
CHANGED = "changed"
REMOVED = "removed"

CONTEXT_CHARS = 32
# How much (0-100) of the text right before or after a copy of the words found elsewhere
# must be the same as around the claim, unless the claim is long enough to be unmistakable on its own.
MIN_CONTEXT_SIMILARITY = 75
UNMISTAKABLE_LENGTH = 24
# A changed claim stays local: its new words are not much longer than the old ones.
MAX_GROWTH_CHARS = 40
# Runs of fewer equal words between two edits are chance ("in 2019" in two unrelated
# sentences), not the same text: they count as rewritten.
MIN_EQUAL_WORDS = 3
# Runs of changed paragraphs longer than this (in words, on both sides) are first aligned
# on the words they share exactly once.
LONG_RUN_WORDS = 2000
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Relocation:
    status: str  # FOUND, CHANGED or REMOVED
    start: int | None = None
    end: int | None = None
    text: str = ""


class TextDiff:
    """A word-level alignment of two versions of a text, computed once for many spans."""

    def __init__(self, old: str, new: str):
        self.old, self.new = old, new
        old_words = [(m.start(), m.end()) for m in _WORD.finditer(old)]
        new_words = [(m.start(), m.end()) for m in _WORD.finditer(new)]
        self._old_words, self._new_words = old_words, new_words
        self._old_starts = [start for start, _ in old_words]
        self._old_ends = [end for _, end in old_words]
        self._opcodes = _without_chance_matches(_word_opcodes(old, new, old_words, new_words))
        self._opcode_starts = [opcode[1] for opcode in self._opcodes]

    def relocate(self, start: int, end: int) -> Relocation:
        text = self.old[start:end]
        mapped = self._map_through_diff(start, end)
        if mapped is not None and self.new[mapped[0] : mapped[1]] == text:
            return Relocation(FOUND, mapped[0], mapped[1], text)
        elsewhere = self._find_by_quote(start, end)
        if elsewhere is not None:
            return Relocation(FOUND, elsewhere, elsewhere + len(text), text)
        if mapped is not None and _is_local_change(text, self.new[mapped[0] : mapped[1]]):
            return Relocation(CHANGED, mapped[0], mapped[1], self.new[mapped[0] : mapped[1]])
        return Relocation(REMOVED)

    def _map_through_diff(self, start: int, end: int) -> tuple[int, int] | None:
        first = bisect.bisect_right(self._old_ends, start)  # first word ending after start
        last = bisect.bisect_left(self._old_starts, end) - 1  # last word starting before end
        if first > last:
            return None
        new_start = self._map_boundary(first, start, side="start")
        new_end = self._map_boundary(last, end, side="end")
        if new_start is None or new_end is None:
            return None
        new_start, new_end = _strip(self.new, new_start, new_end)
        return (new_start, new_end) if new_start < new_end else None

    def _map_boundary(self, word: int, offset: int, *, side: str) -> int | None:
        """Where the span's first (or last) word, and the offset inside it, lands in the new text."""
        tag, i1, i2, j1, j2 = self._opcodes[bisect.bisect_right(self._opcode_starts, word) - 1]
        if tag == "equal":
            new_word = self._new_words[j1 + word - i1]
            old_word = self._old_words[word]
            if side == "start":
                return new_word[0] + (offset - old_word[0])
            return new_word[1] - (old_word[1] - offset)
        if j1 == j2:  # the word was deleted: nothing in the new text takes its place
            return None
        # Words around the claim rewritten too: a larger rewrite, not an edit of this claim.
        rewritten_outside = offset - self._old_words[i1][0] if side == "start" else self._old_words[i2 - 1][1] - offset
        if rewritten_outside > MAX_GROWTH_CHARS:
            return None
        return self._new_words[j1][0] if side == "start" else self._new_words[j2 - 1][1]

    def _find_by_quote(self, start: int, end: int) -> int | None:
        text = self.old[start:end]
        candidates = []
        position = self.new.find(text)
        while position != -1:
            similarity = self._context_similarity(start, end, position, position + len(text))
            candidates.append((similarity, -abs(position - start), position))
            position = self.new.find(text, position + 1)
        if not candidates:
            return None
        similarity, _, position = max(candidates)
        if similarity >= MIN_CONTEXT_SIMILARITY or (len(text) >= UNMISTAKABLE_LENGTH and len(candidates) == 1):
            return position
        return None

    def _context_similarity(self, old_start: int, old_end: int, new_start: int, new_end: int) -> float:
        """How much of the text right before, or right after, is the same (0-100), on the side that agrees better.

        Only the closer side needs to agree: the other may have been edited, or be a new
        neighbour of a moved paragraph.
        """
        before = _agreement(
            self.old[max(0, old_start - CONTEXT_CHARS) : old_start][::-1],
            self.new[max(0, new_start - CONTEXT_CHARS) : new_start][::-1],
        )
        after = _agreement(self.old[old_end : old_end + CONTEXT_CHARS], self.new[new_end : new_end + CONTEXT_CHARS])
        return max(before, after)


def _agreement(old_side: str, new_side: str) -> float:
    """Percentage of the shorter side that both share, reading outwards from the claim."""
    available = min(len(old_side), len(new_side))
    if available == 0:
        return 100.0 if old_side == new_side else 0.0
    shared = 0
    while shared < available and old_side[shared] == new_side[shared]:
        shared += 1
    return 100.0 * shared / available


def _word_opcodes(old: str, new: str, old_words: list[tuple[int, int]], new_words: list[tuple[int, int]]) -> list[tuple]:
    """Opcodes (as difflib gives them) turning the old words into the new ones.

    Paragraphs whose text is the same in both versions are aligned first; only the words
    of the paragraphs between two such alignments are diffed, with difflib as before.
    """
    old_paragraphs = _paragraphs(old, old_words)
    new_paragraphs = _paragraphs(new, new_words)
    ids: dict[str, int] = {}  # the same text, the same number: paragraphs compared as numbers
    old_ids = [ids.setdefault(old[start:end], len(ids)) for start, end, _, _ in old_paragraphs]
    new_ids = [ids.setdefault(new[start:end], len(ids)) for start, end, _, _ in new_paragraphs]
    opcodes: list[tuple] = []

    def words_of(paragraphs: list[tuple], first: int, last: int, total: int) -> tuple[int, int]:
        """The word indices of paragraphs[first:last]."""
        start = paragraphs[first][2] if first < len(paragraphs) else total
        end = paragraphs[last - 1][3] if last > first else start
        return start, end

    def changed(p1: int, p2: int, q1: int, q2: int) -> None:
        i1, i2 = words_of(old_paragraphs, p1, p2, len(old_words))
        j1, j2 = words_of(new_paragraphs, q1, q2, len(new_words))
        old_run = [old[a:b] for a, b in old_words[i1:i2]]
        new_run = [new[a:b] for a, b in new_words[j1:j2]]
        for tag, a1, a2, b1, b2 in _diff_words(old_run, new_run):
            opcodes.append((tag, i1 + a1, i1 + a2, j1 + b1, j1 + b2))

    pending = None  # the run of changed paragraphs being gathered: [p1, p2, q1, q2]
    for tag, p1, p2, q1, q2 in Indel.opcodes(old_ids, new_ids).as_list():
        if tag == "equal":
            if pending:
                changed(*pending)
                pending = None
            i1, i2 = words_of(old_paragraphs, p1, p2, len(old_words))
            j1, j2 = words_of(new_paragraphs, q1, q2, len(new_words))
            opcodes.append(("equal", i1, i2, j1, j2))
        elif pending:
            pending[1], pending[3] = p2, q2
        else:
            pending = [p1, p2, q1, q2]
    if pending:
        changed(*pending)
    return _joined(opcodes)


def _diff_words(old: list[str], new: list[str]) -> list[tuple]:
    """Word opcodes of one run of changed paragraphs.

    difflib, as always, unless both sides are long (most paragraphs of a long article
    edited): then the words found exactly once on each side, in the same order, are
    aligned first (as patience diff does) and difflib compares what lies between them,
    which keeps its cost near linear instead of quadratic.
    """
    if min(len(old), len(new)) <= LONG_RUN_WORDS:
        return SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    anchors = _unique_common_words(old, new)
    if not anchors:
        return SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    opcodes: list[tuple] = []
    i = j = 0
    for anchor_i, anchor_j in [*anchors, (len(old), len(new))]:
        if i < anchor_i or j < anchor_j:
            for tag, a1, a2, b1, b2 in _diff_words(old[i:anchor_i], new[j:anchor_j]):
                opcodes.append((tag, i + a1, i + a2, j + b1, j + b2))
        if anchor_i < len(old):
            opcodes.append(("equal", anchor_i, anchor_i + 1, anchor_j, anchor_j + 1))
        i, j = anchor_i + 1, anchor_j + 1
    return opcodes  # joined with the rest by the caller


def _unique_common_words(old: list[str], new: list[str]) -> list[tuple[int, int]]:
    """Positions (old, new) of words occurring once on each side, the longest run in the same order."""
    old_counts, new_counts = Counter(old), Counter(new)
    new_position = {word: j for j, word in enumerate(new) if new_counts[word] == 1}
    pairs = [(i, new_position[word]) for i, word in enumerate(old) if old_counts[word] == 1 and word in new_position]
    # Longest increasing subsequence of the new positions (patience sorting).
    tails: list[int] = []  # tails[k]: index in pairs of the smallest tail of an increasing run of length k + 1
    previous: list[int] = [-1] * len(pairs)
    tail_values: list[int] = []
    for index, (_, j) in enumerate(pairs):
        k = bisect.bisect_left(tail_values, j)
        if k:
            previous[index] = tails[k - 1]
        if k == len(tails):
            tails.append(index)
            tail_values.append(j)
        else:
            tails[k], tail_values[k] = index, j
    chain = []
    index = tails[-1] if tails else -1
    while index != -1:
        chain.append(pairs[index])
        index = previous[index]
    return chain[::-1]


def _paragraphs(text: str, words: list[tuple[int, int]]) -> list[tuple[int, int, int, int]]:
    """The lines of ``text`` holding words: (start, end, first word, last word + 1).

    Words never cross a line break, so the words of consecutive paragraphs are consecutive.
    """
    paragraphs = []
    word = 0
    position = 0
    for line in text.split("\n"):
        end = position + len(line)
        first = word
        while word < len(words) and words[word][0] < end:
            word += 1
        if word > first:
            paragraphs.append((position, end, first, word))
        position = end + 1
    return paragraphs


def _joined(opcodes: list[tuple]) -> list[tuple]:
    """Join neighbouring equal runs (one from the paragraphs, one from inside them) into one."""
    joined: list[tuple] = []
    for opcode in opcodes:
        if opcode[1] == opcode[2] and opcode[3] == opcode[4]:
            continue
        if joined and opcode[0] == "equal" and joined[-1][0] == "equal":
            tag, i1, _, j1, _ = joined[-1]
            joined[-1] = (tag, i1, opcode[2], j1, opcode[4])
        else:
            joined.append(opcode)
    return joined or [("equal", 0, 0, 0, 0)]


def _without_chance_matches(opcodes: list[tuple]) -> list[tuple]:
    """Fold short equal runs between two edits into one replacement."""
    merged: list[list] = []
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        between_edits = 0 < index < len(opcodes) - 1
        if tag == "equal" and between_edits and i2 - i1 < MIN_EQUAL_WORDS:
            tag = "replace"
        if merged and tag != "equal" and merged[-1][0] != "equal":
            merged[-1][0] = "replace"
            merged[-1][2], merged[-1][4] = i2, j2
        else:
            merged.append([tag, i1, i2, j1, j2])
    return [tuple(opcode) for opcode in merged]


def _is_local_change(old_text: str, new_text: str) -> bool:
    if not new_text.strip():
        return False
    if len(new_text) > 2 * len(old_text) + MAX_GROWTH_CHARS:
        return False
    # Short claims (a figure) may change entirely; longer ones must still resemble themselves.
    return len(old_text) < UNMISTAKABLE_LENGTH or fuzz.ratio(old_text, new_text) >= 50


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
