"""Real-looking article variants for the scale benchmark: plain Python, no Django.

A variant keeps an article's first paragraph (its lead) in place and shuffles the others,
gives every figure other digits (a day of the month stays a valid day, a year stays as it
is) and gives the people it names other first names and surnames, the same person the same
new name throughout. Everything follows from a seeded ``random.Random``: the same seed gives
the same text on every machine.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable
from dataclasses import dataclass

FIRST_NAMES = (
    "Amara", "Bruno", "Chen", "Dalia", "Emeka", "Farah", "Gustavo", "Hana", "Ivan", "Jonas", "Kavya", "Lucia",
    "Mateo", "Nadia", "Olu", "Priya", "Quentin", "Rosa", "Samir", "Tomasz", "Ulla", "Viktor", "Wen", "Yusuf",
)
SURNAMES = (
    "Alvarez", "Brennan", "Castellano", "Dimitrov", "Eriksen", "Fernandes", "Haddad", "Ibsen", "Jovanovic",
    "Kowalski", "Lindqvist", "Moreau", "Nakamura", "Okafor", "Petrov", "Quispe", "Rahman", "Sorensen",
    "Takahashi", "Urbina", "Vasquez", "Whitcombe", "Yilmaz", "Zielinski",
)

_DIGITS = re.compile(r"\d+")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_NAME_TOKEN = re.compile(r"[A-Z][a-z]{2,}")


@dataclass(frozen=True)
class Variant:
    title: str
    body: str


def person_names(names: Iterable[str]) -> tuple[list[str], list[str]]:
    """(first names, surnames) among full names as the engine reads them ("Igor Khovaev")."""
    firsts, lasts = [], []
    for name in names:
        tokens = [token for token in name.split() if _NAME_TOKEN.fullmatch(token)]
        if len(tokens) < 2:
            continue
        for token in tokens[:-1]:
            if token not in firsts:
                firsts.append(token)
        if tokens[-1] not in lasts:
            lasts.append(tokens[-1])
    return firsts, [last for last in lasts if last not in firsts]


def _name_mapping(rng: random.Random, firsts: list[str], lasts: list[str]) -> dict[str, str]:
    mapping = {}
    for originals, pool in ((firsts, FIRST_NAMES), (lasts, SURNAMES)):
        replacements = rng.sample(pool, k=min(len(originals), len(pool)))
        mapping.update(zip(originals, replacements))
    return mapping


def _swap_names(text: str, mapping: dict[str, str]) -> str:
    if not mapping:
        return text
    pattern = re.compile(r"\b(" + "|".join(re.escape(name) for name in sorted(mapping, key=len, reverse=True)) + r")\b")
    return pattern.sub(lambda match: mapping[match.group(1)], text)


def _other_digits(rng: random.Random, digits: str) -> str:
    value = int(digits)
    if len(digits) == 4 and 1900 <= value <= 2099:
        return digits  # a year: the dates stay in the article's own time
    if len(digits) <= 2 and 1 <= value <= 31 and not digits.startswith("0"):
        return str(rng.randint(1, 28))  # may be a day of the month: stays a valid one
    if len(digits) == 1:
        return str(rng.randint(0 if value == 0 else 1, 9))
    first = str(rng.randint(1, 9)) if digits[0] != "0" else "0"
    return first + "".join(str(rng.randint(0, 9)) for _ in digits[1:])


def _swap_numbers(text: str, rng: random.Random) -> str:
    return _DIGITS.sub(lambda match: _other_digits(rng, match.group(0)), text)


def make_variant(
    title: str, body: str, *, seed: str, names: Iterable[str] = (), shuffle: bool = True
) -> Variant:
    """A variant of the article: paragraphs after the lead shuffled, other figures, other people.

    ``names`` are the people the article names (full names, as in the engine's ``name``
    items); only their first names and surnames are replaced, as whole words.
    """
    rng = random.Random(seed)
    mapping = _name_mapping(rng, *person_names(names))
    paragraphs = [paragraph for paragraph in _PARAGRAPH_BREAK.split(body.strip("\n")) if paragraph.strip()]
    if shuffle and len(paragraphs) > 2:
        rest = paragraphs[1:]
        rng.shuffle(rest)
        paragraphs = [paragraphs[0], *rest]
    new_body = "\n\n".join(paragraphs) + "\n"
    numbers_rng = random.Random(f"{seed}:numbers")
    new_body = _swap_numbers(_swap_names(new_body, mapping), numbers_rng)
    new_title = _swap_numbers(_swap_names(title, mapping), random.Random(f"{seed}:numbers"))
    return Variant(title=new_title, body=new_body)
