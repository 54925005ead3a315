"""Bounded, thread-safe memories of recent results of a pure function of text (plain Python).

The language pipeline and the check-worthiness scorer read a sentence the same way every
time, and sentences come back: the untouched paragraphs of an edited article, a story's
quotes across its articles, a wire story under several sources. Each keeps its recent
results here and works out only the texts it has not seen.

A memory that is given a namespace and a codec can also share its results with the other
processes through a ``SharedStore`` (the workers use Redis, ``articles/shared_readings.py``):
what one worker process read, the others find instead of reading it again. The store is
consulted after the process's own memory and before the work; a store that fails answers
nothing, and the work is done as if it were not there.
"""

from __future__ import annotations

import functools
import hashlib
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, Protocol, TypeVar

from cachetools import LRUCache

Result = TypeVar("Result")


class SharedStore(Protocol):
    """Results shared between processes, as bytes under string keys."""

    def get_many(self, keys: list[str]) -> dict[str, bytes]:
        """The values of the keys it holds (an empty dict when it cannot answer)."""

    def set_many(self, values: dict[str, bytes]) -> None:
        """Keep these values (silently nothing when it cannot)."""


@dataclass(frozen=True)
class Codec(Generic[Result]):
    """How a memory's results are written to a shared store and read back."""

    encode: Callable[[Result], bytes]
    decode: Callable[[bytes], Result]


_shared: list[SharedStore] = []


def share_with(store: SharedStore | None) -> None:
    """From now on every memory of this process with a namespace also shares its results
    through ``store`` (None: stop sharing)."""
    _shared[:] = [store] if store is not None else []


def shared_store() -> SharedStore | None:
    return _shared[0] if _shared else None


@functools.lru_cache(maxsize=None)
def code_digest(*folders: str) -> str:
    """A digest of the Python and JSON files in ``folders`` (and their subfolders): part of
    every shared namespace, so that results worked out by other code (a deploy that changed a
    rule or a feature) are never taken for this code's."""
    digest = hashlib.sha256()
    for folder in folders:
        root = Path(folder)
        for path in sorted(p for p in root.rglob("*") if p.suffix in (".py", ".json") and p.is_file()):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def text_key(namespace: str, text: str) -> str:
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
    return f"{namespace}:{digest}"


class RecentResults(Generic[Result]):
    """The results for the last ``maxsize`` distinct texts, least recently used forgotten first.

    With a ``namespace`` (naming the function and the version of its model: results under
    one namespace must be interchangeable) and a ``codec``, also shared through the store
    set by ``share_with``.
    """

    def __init__(self, maxsize: int, *, namespace: str | None = None, codec: Codec[Result] | None = None) -> None:
        self._results: LRUCache[str, Result] = LRUCache(maxsize=maxsize)
        self._lock = threading.Lock()
        self._namespace = namespace if codec is not None else None
        self._codec = codec

    def recall(self, texts: Sequence[str], work_out: Callable[[list[str]], Sequence[Result]]) -> list[Result]:
        """The result for each of ``texts``, in order; ``work_out`` is called once, with the
        distinct texts neither remembered nor shared, and must return their results in that order."""
        with self._lock:
            known = {text: self._results[text] for text in texts if text in self._results}
        missing = list(dict.fromkeys(text for text in texts if text not in known))
        if missing:
            store = shared_store() if self._namespace else None
            keys = {text: text_key(self._namespace, text) for text in missing} if store else {}
            if store:
                known.update(self._shared_results(store, keys))
            to_work_out = [text for text in missing if text not in known]
            if to_work_out:
                worked_out = list(zip(to_work_out, work_out(to_work_out)))
                known.update(worked_out)
                if store:
                    store.set_many(self._encoded(keys, worked_out))
            with self._lock:
                for text in missing:
                    self._results[text] = known[text]
        return [known[text] for text in texts]

    def _encoded(self, keys: dict[str, str], worked_out: list[tuple[str, Result]]) -> dict[str, bytes]:
        encoded = {}
        for text, result in worked_out:
            try:
                encoded[keys[text]] = self._codec.encode(result)
            except Exception:  # noqa: BLE001 - a result the codec cannot write stays in this process
                continue
        return encoded

    def _shared_results(self, store: SharedStore, keys: dict[str, str]) -> dict[str, Result]:
        found = store.get_many(list(keys.values()))
        results = {}
        for text, key in keys.items():
            raw = found.get(key)
            if raw is None:
                continue
            try:
                results[text] = self._codec.decode(raw)
            except Exception:  # noqa: BLE001 - an unreadable value is worked out again
                continue
        return results

    def clear(self) -> None:
        with self._lock:
            self._results.clear()

    def __len__(self) -> int:
        return len(self._results)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._results))
