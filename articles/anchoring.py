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
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from rapidfuzz import fuzz

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
        matcher = SequenceMatcher(
            None, [old[a:b] for a, b in old_words], [new[a:b] for a, b in new_words], autojunk=False
        )
        self._opcodes = _without_chance_matches(matcher.get_opcodes())
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
