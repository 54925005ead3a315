"""A bounded, thread-safe memory of recent results of a pure function of text (plain Python).

The language pipeline and the check-worthiness scorer read a sentence the same way every
time, and sentences come back: the untouched paragraphs of an edited article, a story's
quotes across its articles, a wire story under several sources. Each keeps its recent
results here and works out only the texts it has not seen.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Generic, TypeVar

from cachetools import LRUCache

Result = TypeVar("Result")


class RecentResults(Generic[Result]):
    """The results for the last ``maxsize`` distinct texts, least recently used forgotten first."""

    def __init__(self, maxsize: int) -> None:
        self._results: LRUCache[str, Result] = LRUCache(maxsize=maxsize)
        self._lock = threading.Lock()

    def recall(self, texts: Sequence[str], work_out: Callable[[list[str]], Sequence[Result]]) -> list[Result]:
        """The result for each of ``texts``, in order; ``work_out`` is called once, with the
        distinct texts not remembered, and must return their results in that order."""
        with self._lock:
            known = {text: self._results[text] for text in texts if text in self._results}
        missing = list(dict.fromkeys(text for text in texts if text not in known))
        if missing:
            known.update(zip(missing, work_out(missing)))
            with self._lock:
                for text in missing:
                    self._results[text] = known[text]
        return [known[text] for text in texts]

    def clear(self) -> None:
        with self._lock:
            self._results.clear()

    def __len__(self) -> int:
        return len(self._results)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._results))
