"""Feature extraction shared by training and inference.

Everything here is plain Python (``re`` and ``math`` only) so that the scorer can run
without scikit-learn. The training script feeds these exact functions to scikit-learn's
vectorisers as custom analysers, so a sentence is featurised identically at training and
at scoring time.
"""

from __future__ import annotations

import math
import re
import unicodedata

# Typographic quotes and dashes from news text are folded into the ASCII forms used by
# the debate transcripts the model is trained on.
_FOLD = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u00a0": " ",
})
_SPACES = re.compile(r"\s+")
_DIGIT = re.compile(r"\d")
_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?|\d+(?:[.,]\d+)*|[$%?!]")


def normalise(text: str) -> str:
    """Fold typographic punctuation and collapse whitespace."""
    return _SPACES.sub(" ", text.translate(_FOLD)).strip()


def word_tokens(text: str) -> list[str]:
    """Lower-cased word tokens; every number becomes ``0`` (its value is not a signal)."""
    toks = _TOKEN.findall(normalise(text).lower())
    return ["0" if t[0].isdigit() else t for t in toks]


def word_ngrams(text: str) -> list[str]:
    """Word unigrams and bigrams."""
    toks = word_tokens(text)
    return toks + [a + " " + b for a, b in zip(toks, toks[1:])]


def char_ngrams(text: str, lo: int = 2, hi: int = 5) -> list[str]:
    """Character n-grams (lo..hi) of the lower-cased text, digits folded to ``0``."""
    s = " " + _DIGIT.sub("0", normalise(text).lower()) + " "
    out: list[str] = []
    for n in range(lo, hi + 1):
        out.extend(map("".join, zip(*(s[k:] for k in range(n)))))
    return out


# --- hand-made linguistic cues ---------------------------------------------------------
_MONEY = re.compile(r"[$\u20ac\u00a3]|\b(?:dollars?|cents?|billion|million|trillion|thousand)\b", re.I)
_PERCENT = re.compile(r"%|\bper ?cent\b", re.I)
_YEAR = re.compile(r"\b(?:1[89]\d\d|20\d\d)s?\b")
_SUPERLATIVE = re.compile(
    r"\b(?:most|least|best|worst|\w+est|first|only|never|ever|record|largest|biggest)\b", re.I)
_COMPARATIVE = re.compile(
    r"\b(?:more|less|fewer|than|increased?|decreased?|rose|fell|doubled?|tripled?|cut|raised)\b", re.I)
_OPINION = re.compile(
    r"\b(?:i think|i believe|i feel|i hope|i want|i'd like|i would like|in my opinion|let me|"
    r"thank you|thanks|i'm going to|we're going to|we will|i will)\b", re.I)
_MODAL = re.compile(r"\b(?:will|would|should|must|could|can|need to|have to|got to|going to)\b", re.I)
_FIRST_SECOND = re.compile(r"\b(?:i|me|my|you|your)\b", re.I)
_FACT_VERB = re.compile(
    r"\b(?:voted|passed|signed|said|supported|opposed|created|lost|spent|raised|cut|has|have|had|"
    r"was|were|did|is|are)\b", re.I)

HAND_FEATURE_NAMES = (
    "has_number", "has_money", "has_year", "has_percent", "superlative", "comparative",
    "opinion_or_intent", "modal", "question", "capitalised_words", "has_capitalised_word",
    "log_length", "very_short", "long", "first_second_person_rate", "factual_verb",
)


def hand_features(text: str) -> list[float]:
    """Sixteen cues in [0, 1] that generalise across topics (see HAND_FEATURE_NAMES)."""
    s = normalise(text)
    words = s.split()
    n = len(words)
    caps = sum(1 for w in words[1:] if w[:1].isupper() and w not in ("I", "I'm", "I've", "I'd", "I'll"))
    return [
        float(bool(_DIGIT.search(s))),
        float(bool(_MONEY.search(s))),
        float(bool(_YEAR.search(s))),
        float(bool(_PERCENT.search(s))),
        float(bool(_SUPERLATIVE.search(s))),
        float(bool(_COMPARATIVE.search(s))),
        float(bool(_OPINION.search(s))),
        float(bool(_MODAL.search(s))),
        float(s.endswith("?")),
        min(caps, 5) / 5.0,
        float(caps > 0),
        min(math.log1p(n) / 4.0, 1.5),
        float(n < 6),
        float(n > 25),
        len(_FIRST_SECOND.findall(s)) / max(n, 1),
        float(bool(_FACT_VERB.search(s))),
    ]


# --- WordPiece tokens (for the distilled MiniLM token-vector block) ----------------------
def _is_punct(ch: str) -> bool:
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def bert_words(text: str) -> list[str]:
    """BERT "basic" tokenisation (uncased): lower-case, strip accents, split punctuation."""
    s = normalise(text).lower()
    if not s.isascii():  # ASCII has no accents to strip
        s = "".join(ch for ch in unicodedata.normalize("NFD", s) if unicodedata.category(ch) != "Mn")
    out: list[str] = []
    for chunk in s.split():
        if chunk.isalnum():  # letters and digits only: no punctuation to split off
            out.append(chunk)
            continue
        word = ""
        for ch in chunk:
            if _is_punct(ch):
                if word:
                    out.append(word)
                    word = ""
                out.append(ch)
            else:
                word += ch
        if word:
            out.append(word)
    return out


def wordpiece(word: str, vocab) -> list[str]:
    """Greedy longest-match-first WordPiece split of one word; ``["[UNK]"]`` if impossible."""
    if len(word) > 100:
        return ["[UNK]"]
    pieces: list[str] = []
    start = 0
    while start < len(word):
        end = len(word)
        piece = None
        while start < end:
            sub = word[start:end] if start == 0 else "##" + word[start:end]
            if sub in vocab:
                piece = sub
                break
            end -= 1
        if piece is None:
            return ["[UNK]"]
        pieces.append(piece)
        start = end
    return pieces
