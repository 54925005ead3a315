"""Names spelled two ways in one article ("Fomin" three times, "Formin" once).

Only capitalised words that are not ordinary English are compared, and only forms
one edit apart (a transposition counts as one edit), so "Russia"/"Russian" or
"Iran"/"Iraq" style pairs of distinct words are left alone.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

from .lexicon import LEADING_JUNK, LETTER, MONTH_FULL, STOPWORDS, UPPER, WEEKDAY

_CAPITALISED = re.compile(rf"\b[{UPPER}][{LETTER}]{{4,}}\b")
# Month and weekday names are words of the calendar, never a spelling of someone's name
# ("Marco" is not "March" misspelt).
_CALENDAR = re.compile(rf"{MONTH_FULL}|{WEEKDAY}")
_SUFFIXES = ("s", "n", "an", "ian", "ese", "i", "ns", "es", "ed", "er", "ers")
# Endings two forms of one stem may carry side by side: "Democrats"/"Democratic".
_STEM_ENDINGS = frozenset(_SUFFIXES) | {"", "ic", "ics", "ism", "ist", "ists"}


@dataclass(frozen=True)
class Variant:
    start: int
    end: int
    variant: str
    canonical: str
    variant_count: int
    canonical_count: int


def _inflection(a: str, b: str) -> bool:
    """True when one form is the other plus an ending ("Russia"/"Russian")."""
    short, long = sorted((a, b), key=len)
    if long.startswith(short) and long[len(short):] in _SUFFIXES:
        return True
    stem = 0
    while stem < len(short) and short[stem] == long[stem]:
        stem += 1
    endings = (short[stem:], long[stem:])
    # Two one-letter endings are a spelling ("Sergey"/"Sergei"), not two forms of a word.
    return stem >= 4 and all(e in _STEM_ENDINGS for e in endings) and max(map(len, endings)) >= 2


def _max_edits(word: str) -> int:
    return 1 if len(word) < 9 else 2


_WORD_RUN = re.compile(r"\w+")
_AFTER_SPACE = re.compile(r" (\S+)")


def _first_use(text: str, word: str, start: int) -> int | None:
    """Where ``word`` (word characters only) is first a whole run of word characters from
    ``start`` on, as a scan of the runs from ``start`` finds it (a run cut by ``start`` counts
    from there). Only where ``word`` is written is looked at, not every word of the text."""
    at = text.find(word, start)
    while at >= 0:
        whole = _WORD_RUN.match(text, at).end() == at + len(word)
        if whole and (at == start or not _WORD_RUN.match(text, at - 1)):
            return at
        at = text.find(word, at + 1)
    return None


class _AfterSpace:
    """Whether the text holds a space followed by given letters: one sorted list of what
    follows each space, searched by bisection, instead of a scan of the text per word."""

    def __init__(self, text: str) -> None:
        self.runs = sorted(set(_AFTER_SPACE.findall(text)))

    def starts_with(self, letters: str) -> bool:
        index = bisect.bisect_left(self.runs, letters)
        return index < len(self.runs) and self.runs[index].startswith(letters)


def _nearest(rare: str, ranked: list[str]) -> str | None:
    """The first of ``ranked`` within the edits allowed of ``rare`` that is not another form of
    it: the distances to all of them in one call (in C), the few near ones then checked."""
    distances = process.cdist([rare], ranked, scorer=OSA.distance, score_cutoff=2, dtype=np.int32)[0]
    for index in np.flatnonzero(distances <= 2):
        common = ranked[index]
        if distances[index] <= _max_edits(common) and not _inflection(rare, common):
            return common
    return None


def find_variants(body: str, masked: str, skip_until: int = 0) -> list[Variant]:
    counts = Counter(m.group() for m in _CAPITALISED.finditer(body, skip_until))
    if len(counts) < 2:
        return []
    # A word the article also writes in lower case is ordinary English.
    # So is a word capitalised only because it opens a sentence ("While", "There").
    written_lower = _AfterSpace(body)
    forms = [
        w for w in counts
        if not w.isupper() and not written_lower.starts_with(w.lower()) and w not in LEADING_JUNK
        and w.lower() not in STOPWORDS and not _CALENDAR.fullmatch(w)
    ]
    # Only forms of the same first letter and a length within one are compared: bucketed, so
    # a long article's thousands of names are not compared each with each. Within a bucket the
    # spellings used twice or more stand ranked, most used first and then in the article's
    # order: the first one near enough to a rarer form is the one it is a variant of.
    by_shape: dict[tuple[str, int], list[str]] = {}
    for form in forms:
        if counts[form] >= 2:
            by_shape.setdefault((form[0], len(form)), []).append(form)
    position = {form: index for index, form in enumerate(forms)}
    ranked_of: dict[tuple[str, int], tuple[list[str], list[int]]] = {}
    variants = []
    for rare in forms:
        shape = (rare[0], len(rare))
        if shape not in ranked_of:
            nearby = [common for size in (len(rare) - 1, len(rare), len(rare) + 1) for common in by_shape.get((rare[0], size), ())]
            nearby.sort(key=lambda common: (-counts[common], position[common]))
            ranked_of[shape] = (nearby, [-counts[common] for common in nearby])
        ranked, minus_counts = ranked_of[shape]
        more_used = ranked[: bisect.bisect_left(minus_counts, -counts[rare])]  # strictly more uses than ``rare``
        best = _nearest(rare, more_used) if more_used else None
        if best is None:
            continue
        # The item sits on the first use of the rarer spelling in the reporter's text,
        # or in a quote when that is the only place it appears. (A word of these forms is
        # letters only, so it stands as a whole word exactly where it is a whole run of word
        # characters.)
        start = _first_use(masked, rare, skip_until)
        if start is None:
            start = _first_use(body, rare, skip_until)
        if start is not None:
            variants.append(Variant(start, start + len(rare), rare, best, counts[rare], counts[best]))
    return variants
