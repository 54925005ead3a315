"""One pass over the words of a body, telling each finder where to look.

Running every big pattern over every character of the text was the engine's main
cost. Instead, one cheap word scan records where trigger words sit (digits, month
names, "first", "said" ...) and each finder runs its full pattern only in a small
window around them. Finders stay correct because every pattern they use must
contain at least one of its trigger words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_WORD = re.compile(r"\w+")


class TriggerIndex:
    """Positions of trigger words, by finder name."""

    def __init__(self, text: str, lexicon: dict[str, tuple[str, ...]], digits: tuple[str, ...]) -> None:
        self.text = text
        self.positions: dict[str, list[int]] = {name: [] for names in lexicon.values() for name in names}
        for name in digits:
            self.positions.setdefault(name, [])
        get = lexicon.get
        for match in _WORD.finditer(text):
            word = match.group()
            if word[0].isdigit():
                for name in digits:
                    self.positions[name].append(match.start())
                continue
            names = get(word) or get(word.lower())
            if names:
                for name in names:
                    self.positions[name].append(match.start())

    def __getitem__(self, name: str) -> list[int]:
        return self.positions.get(name, [])


def _word_end(text: str, pos: int) -> int:
    end = len(text)
    while pos < end and (text[pos].isalnum() or text[pos] in ".,:-"):
        pos += 1
    return pos


def windowed_finditer(
    pattern: re.Pattern, text: str, positions: list[int], before: int, after: int
) -> Iterator[re.Match]:
    """Non-overlapping matches of ``pattern`` found near ``positions``, in order."""
    cursor = 0
    for pos in positions:
        if pos < cursor:
            continue
        lo = max(cursor, pos - before)
        hi = _word_end(text, min(len(text), pos + after))
        for match in pattern.finditer(text, lo, hi):
            if match.start() < cursor or match.end() == match.start():
                continue
            # The window may have cut the match short; match again without the cut.
            match = pattern.match(text, match.start(), min(len(text), match.start() + 300)) or match
            yield match
            cursor = match.end()
