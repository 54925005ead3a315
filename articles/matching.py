"""When two claims in different articles are the same claim, or a variant of it.

Plain Python (no Django): the desk's linking service (``services/stories.py``) stores what
this module computes and asks it to compare.

A claim is compared through its *wording*: the words of a quote, a statement or a claim
resting on a source; for a figure or a superlative, which say little alone ("$233
million", "the first time"), the words of its sentence around it, without the figures.

- **same**: the same wording up to punctuation, case and white space; a quote by the same
  speaker (or one of the two unnamed); a figure with the same value.
- **variant**: the same quote or statement with some words changed, added or left out, or
  the same figure with another value: word sets that overlap by ``VARIANT_JACCARD`` or
  more, or a shorter wording found almost whole (``VARIANT_CONTAINMENT``) in a longer one at
  most twice its length (a fragment quoted from a long quote is not a variant of it).

Finding candidates is indexed, never a comparison with every earlier claim: each claim has
a few 63-bit ``keys`` — one for its exact wording, and ``BANDS`` bands of a MinHash of its
word pairs (locality-sensitive hashing: two wordings that share most of their word pairs
share a band with high probability — 0.99 at a Jaccard of 0.6, 0.93 at 0.5 — while
unrelated ones rarely do: 0.25% at 0.05). Candidates sharing a key are then compared here exactly.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

import numpy as np
from datasketch import MinHash

from .extraction.lexicon import TITLES

# Part of every key: bumped when keys are computed differently, so that keys of another
# version never match (an article gets the new ones the next time it is linked).
FINGERPRINT_VERSION = "2"

WORDING_KINDS = frozenset({"quote", "statement", "attribution"})
FIGURE_KINDS = frozenset({"number", "money"})
CONTEXT_KINDS = FIGURE_KINDS | {"superlative"}
LINKED_KINDS = WORDING_KINDS | CONTEXT_KINDS

SAME, VARIANT = "same", "variant"
MIN_WORDS = 4  # shorter wordings ("actively working") recur by chance
FIGURE_WINDOW = 8  # words of the sentence each side of a figure that say what it counts
VARIANT_JACCARD = 0.6
VARIANT_CONTAINMENT = 0.9
CONTAINED_MIN_WORDS = 6
CONTAINED_MIN_SHARE = 0.5
BANDS, ROWS = 20, 3
_SEED = 20161213
# datasketch's hashing scheme, named rather than left to the library's default, which changed
# once (2.0) and with it every MinHash value.
_SCHEME = "affine32"
_PERMUTATIONS = MinHash(num_perm=BANDS * ROWS, seed=_SEED, scheme=_SCHEME).permutations

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_FIGURE = re.compile(r"\d")


def words(text: str) -> list[str]:
    """The words of ``text``, case-folded, without punctuation (apostrophes inside words kept)."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    return _WORD.findall(text)


@dataclass(frozen=True)
class ClaimWording:
    """What a claim is compared by."""

    kind: str
    words: tuple[str, ...]
    speaker: str = ""  # quotes: who said it, as the article names them
    value: str = ""  # figures: the normalised value ("233000000 USD")
    _set: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_set", frozenset(self.words))

    @property
    def family(self) -> str:
        """Kinds compared with each other: a statement may be another article's attributed claim."""
        if self.kind in FIGURE_KINDS:
            return "figure"
        return "superlative" if self.kind == "superlative" else "wording"

    @property
    def text(self) -> str:
        return " ".join(self.words)


def wording_of(kind: str, text: str, sentence: str = "", speaker: str = "", value=None) -> ClaimWording | None:
    """The wording of an item, or None when it is not linked across articles (names, dates,
    spelling checks, or too few words to tell a recurrence from a coincidence)."""
    if kind not in LINKED_KINDS:
        return None
    if kind in WORDING_KINDS:
        found = words(text)
    else:
        found = _context_words(text, sentence or text)
    if len(found) < MIN_WORDS:
        return None
    return ClaimWording(
        kind=kind,
        words=tuple(found),
        speaker=speaker if kind == "quote" else "",
        value=_figure_value(value, text) if kind in FIGURE_KINDS else "",
    )


def _context_words(text: str, sentence: str) -> list[str]:
    """The sentence's words around ``text``, without figures: what a figure or a superlative is about."""
    at = sentence.find(text)
    if at < 0:
        before, inside, after = words(sentence), [], []
    else:
        before, inside, after = words(sentence[:at]), words(text), words(sentence[at + len(text):])
    around = before[-FIGURE_WINDOW:] + [w for w in inside if not _FIGURE.search(w)] + after[:FIGURE_WINDOW]
    return [w for w in around if not _FIGURE.search(w)]


def _figure_value(value, text: str) -> str:
    if isinstance(value, dict):
        amount = value.get("amount", value.get("value"))
        unit = value.get("currency") or value.get("unit") or ""
        if amount is not None:
            return f"{amount} {unit}".strip()
    return " ".join(w for w in words(text) if _FIGURE.search(w))


# --- keys ---------------------------------------------------------------------------------


def _key(*parts: str) -> int:
    digest = hashlib.blake2b("\x1f".join((FINGERPRINT_VERSION, *parts)).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1  # fits a signed 64-bit column


def exact_key(wording: ClaimWording) -> int:
    return _key("exact", wording.family, wording.text)


def band_keys(wording: ClaimWording) -> list[int]:
    """The MinHash bands of the wording's word pairs. Pairs, not words: every sentence holds
    "the", "of" and "to", and single words would make unrelated sentences collide."""
    sketch = MinHash(num_perm=BANDS * ROWS, seed=_SEED, scheme=_SCHEME, permutations=_PERMUTATIONS)
    sketch.update_batch({f"{a} {b}".encode("utf-8") for a, b in zip(wording.words, wording.words[1:])})
    values = np.asarray(sketch.hashvalues, dtype=np.uint64).reshape(BANDS, ROWS)
    return [_key("band", wording.family, str(band), row.tobytes().hex()) for band, row in enumerate(values)]


def keys(wording: ClaimWording) -> list[int]:
    """Every index key of the wording: its exact wording first, then its MinHash bands."""
    return [exact_key(wording), *band_keys(wording)]


def name_key(name: str) -> int | None:
    """The index key of a person's or organisation's name, by its last word (a surname
    stands for the person in later mentions: "Khovaev", "Igor Khovaev")."""
    found = [w for w in words(name) if w not in _TITLE_WORDS and len(w) > 2]
    return _key("name", found[-1]) if found else None


_TITLE_WORDS = frozenset(w.casefold() for title in TITLES for w in words(title))


# --- comparison ---------------------------------------------------------------------------


def relation(a: ClaimWording, b: ClaimWording) -> str | None:
    """``same``, ``variant`` or None (not the same claim)."""
    if a.family != b.family:
        return None
    if a.family == "figure":
        if not _overlaps(a, b):
            return None
        return SAME if a.value == b.value else VARIANT
    if a.words == b.words:
        return SAME if speakers_agree(a.speaker, b.speaker) else VARIANT
    return VARIANT if _overlaps(a, b) else None


def _overlaps(a: ClaimWording, b: ClaimWording) -> bool:
    shared = len(a._set & b._set)
    if not shared:
        return False
    if shared / len(a._set | b._set) >= VARIANT_JACCARD:
        return True
    shorter, longer = sorted((a._set, b._set), key=len)
    # A sentence added to or dropped from a quote; not a fragment quoted from a long one.
    return (
        len(shorter) >= CONTAINED_MIN_WORDS
        and len(shorter) >= CONTAINED_MIN_SHARE * len(longer)
        and shared / len(shorter) >= VARIANT_CONTAINMENT
    )


def speakers_agree(a: str, b: str) -> bool:
    """Whether two articles' speakers may be one person: the same last name ("Khovaev",
    "Igor Khovaev"), or either not a plain name — unnamed, a role ("the Russian
    ambassador"), a body ("DFA") — which may stand for anyone."""
    key_a, key_b = name_key(a), name_key(b)
    return key_a == key_b or not _is_plain_name(a) or not _is_plain_name(b)


def _is_plain_name(speaker: str) -> bool:
    """A person's name and nothing else: capitalised words, none of them a title, not an acronym."""
    found = re.findall(r"\w+", speaker)
    return bool(found) and all(w[:1].isupper() and not w.isupper() and w.casefold() not in _TITLE_WORDS for w in found)


# --- the difference, for the page ---------------------------------------------------------


@dataclass(frozen=True)
class Piece:
    text: str
    changed: bool


def word_difference(a: str, b: str) -> tuple[list[Piece], list[Piece]]:
    """``a`` and ``b`` cut into pieces, the words that differ between them marked changed.

    The texts keep their own punctuation and spacing; only words are compared (case-folded).
    """
    tokens_a, tokens_b = _tokens(a), _tokens(b)
    keys_a = [words(t)[0] if words(t) else None for t in tokens_a]
    keys_b = [words(t)[0] if words(t) else None for t in tokens_b]
    only_a = [i for i, k in enumerate(keys_a) if k is not None]
    only_b = [i for i, k in enumerate(keys_b) if k is not None]
    matcher = difflib.SequenceMatcher(None, [keys_a[i] for i in only_a], [keys_b[i] for i in only_b], autojunk=False)
    changed_a, changed_b = set(only_a), set(only_b)
    for block in matcher.get_matching_blocks():
        changed_a -= {only_a[block.a + n] for n in range(block.size)}
        changed_b -= {only_b[block.b + n] for n in range(block.size)}
    return _pieces(tokens_a, changed_a), _pieces(tokens_b, changed_b)


def changed_words(a: str, b: str) -> tuple[list[str], list[str]]:
    """The words of ``a`` not in ``b``'s wording and those of ``b`` not in ``a``'s, in order."""
    pieces_a, pieces_b = word_difference(a, b)
    return [p.text for p in pieces_a if p.changed], [p.text for p in pieces_b if p.changed]


_TOKEN = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*|[\W_]+")


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _pieces(tokens: list[str], changed: set[int]) -> list[Piece]:
    """Adjacent tokens of the same kind joined; the spaces and punctuation between two changed
    words are marked with them ("with the Philippines"), never alone."""
    marked = set(changed)
    for index in range(1, len(tokens) - 1):
        if index not in changed and not words(tokens[index]) and index - 1 in changed and index + 1 in changed:
            marked.add(index)
    pieces: list[Piece] = []
    for index, token in enumerate(tokens):
        flag = index in marked
        if pieces and pieces[-1].changed == flag:
            pieces[-1] = Piece(pieces[-1].text + token, flag)
        else:
            pieces.append(Piece(token, flag))
    return pieces
