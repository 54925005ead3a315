"""Spans of a text found by position (plain Python).

Many rules ask whether a finding overlaps one of a set of spans (an item covering a claim,
a dateline, an amount around a number). ``SpanIndex`` answers with a binary search over the
spans' starts and the furthest end reached before each, instead of a scan of the set.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

Item = TypeVar("Item")


def _as_span(item) -> tuple[int, int]:
    return item


class SpanIndex(Generic[Item]):
    """Items with a span (``span(item)`` gives ``(start, end)``; by default the item is one)."""

    def __init__(self, items: Iterable[Item], span: Callable[[Item], tuple[int, int]] = _as_span) -> None:
        self.span = span
        self.items = sorted(items, key=lambda item: span(item)[0])
        self.starts = [span(item)[0] for item in self.items]
        self.reach = list(itertools.accumulate((span(item)[1] for item in self.items), max))

    def touches(self, start: int, end: int) -> bool:
        """Whether one of the spans overlaps [start, end)."""
        before_end = bisect.bisect_left(self.starts, end)  # the spans that start before it ends
        return before_end > 0 and self.reach[before_end - 1] > start

    def covers(self, start: int, end: int) -> bool:
        """Whether one of the spans holds all of [start, end)."""
        started = bisect.bisect_right(self.starts, start)  # the spans that start at or before it
        return started > 0 and self.reach[started - 1] >= end

    def overlapping(self, start: int, end: int) -> list[Item]:
        """The items whose spans overlap [start, end), by start."""
        before_end = bisect.bisect_left(self.starts, end)
        # Before the first span whose furthest end passes ``start``, none can overlap.
        first = bisect.bisect_right(self.reach, start, 0, before_end)
        return [item for item in self.items[first:before_end] if self.span(item)[1] > start]
