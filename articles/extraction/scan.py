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
    """Non-overlapping matches of ``pattern`` found near ``positions``, in order.

    Windows around close positions overlap; they are merged first, so no stretch of text
    is scanned twice.
    """
    cursor = 0
    for lo, hi in _merged_windows(text, positions, before, after):
        for match in pattern.finditer(text, max(lo, cursor), hi):
            if match.start() < cursor or match.end() == match.start():
                continue
            # The window may have cut the match short; match again without the cut.
            match = pattern.match(text, match.start(), min(len(text), match.start() + 300)) or match
            yield match
            cursor = match.end()


def _merged_windows(text: str, positions: list[int], before: int, after: int) -> Iterator[tuple[int, int]]:
    run: list[int] | None = None
    for pos in sorted(set(positions)):
        lo, hi = max(0, pos - before), _word_end(text, min(len(text), pos + after))
        if run is not None and lo <= run[1]:
            run[1] = max(run[1], hi)
            continue
        if run is not None:
            yield run[0], run[1]
        run = [lo, hi]
    if run is not None:
        yield run[0], run[1]
