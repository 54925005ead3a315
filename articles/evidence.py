"""Evidence: the passage of an article's source documents that supports each checklist item.

Plain Python (no Django), so it runs in the worker, in tests and in the benchmark alike.

For every quote, figure (number, money), date and name of an article, ``match_claims``
looks through the article's sources (transcripts, press releases, reports) and says
whether a source says the same thing (``exact``), nearly the same with some words or a
figure changed (``variant``, with the differing words), or nothing was found (no
evidence: ``not_found``).

How (built for speed: an article's ~60 items against ~100,000 words of sources in well
under a second):

1. ``SourceIndex`` reads every source once into one list of folded words (NFKC,
   case-folded, typographic apostrophes made plain; punctuation, quote marks and
   dashes separate words and are otherwise ignored), each word with its exact character
   offsets in its source, and an inverted index word → positions.
2. Quotes: the quote's rarest words (anchors) are looked up in the index; each hit votes
   for the place where the quote would start ("diagonal"). Only the best few places
   are aligned, word by word, with ``difflib.SequenceMatcher``: no item is ever compared
   with every window of the sources. A place where the whole quote reads word for word
   is ``exact``; one where at least ``QUOTE_MIN_SHARE`` of the quote's words (and at
   least ``QUOTE_MIN_WORDS``) align is ``variant``, its passage the aligned span and its
   differences the words that differ. Quotes of one or two words must read word for word.
3. Figures and dates: the engine's own finders (``find_money``, ``find_numbers``,
   ``find_dates``) run once over each source, the first time a figure or date is asked
   for (where the index says their trigger words are); their normalised values are
   indexed. Context = the content words of the item's sentence against those within
   ``CONTEXT_WORDS`` of the source figure, weighted by rarity, as a share of the smaller
   of the two (a long article sentence is rarely all in a source).
   - The item's value (same currency or unit when both are known) with at least
     ``EXACT_MIN_SHARED`` context word → ``exact``. With no shared context word it is
     still ``exact`` (score ``LONE_OCCURRENCE_SCORE``) only when it is the value's only
     occurrence in all the sources, or when the item has no context words at all: a
     value said once is rarely a coincidence, "two" said fifty times often is.
   - Another value of the same family (money, a count, a year, a full date ...) →
     ``variant`` only where the context agrees well (``VARIANT_MIN_CONTEXT``, and at
     least ``VARIANT_MIN_SHARED`` words); found through the rarest context words, again
     via the index. Such a variant hides a same-value figure whose context agrees less
     than half as well ("$233 million for roads" elsewhere does not confirm "the $233
     million helicopter deal" when the source's helicopter deal is $235 million).
   - Dates compare normalised values; a less precise date that agrees ("2016" in the
     source for "Oct. 4, 2016") counts, scored a little lower; relative dates compare
     their offset ("two years after" = "two years later").
   The passage is the source sentence holding the figure (at most ``PASSAGE_MAX_WORDS``
   words).
4. Names: capitalised source words only. The surname (the last capitalised word of the
   name) is looked up as written and, through a vocabulary of capitalised source words,
   at a small edit distance (``rapidfuzz``; same first letter); the other words of the
   name are checked beside it. All words as written → ``exact``; any word at a small
   distance ("Formin" for "Fomin") → ``variant`` naming the words.

Scores order the evidence of one item: 1.0 for a quote or a full name word for word;
figures, dates and partial names score by how well the context agrees; a variant always
scores below 0.5 and always ranks after every exact passage.
"""

from __future__ import annotations

import bisect
import difflib
import functools
import math
import random
import re
import time
import unicodedata
from array import array
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from .extraction.dates import TRIGGERS as DATE_TRIGGERS
from .extraction.dates import find_dates
from .extraction.figures import CURRENCY_WORDS, NUMBER_TRIGGERS, SCALES, WORD_NUMBERS, find_money, find_numbers
from .extraction.lexicon import STOPWORDS

MATCHABLE_KINDS = ("quote", "number", "money", "date", "name")
EXACT, VARIANT, NOT_FOUND = "exact", "variant", "not_found"
MAX_EVIDENCE = 3  # passages kept per item, best first

# Quotes
QUOTE_MIN_SHARE = 0.7  # of the quote's words that must align for a variant
QUOTE_MIN_WORDS = 3  # and at least this many
EXACT_ONLY_MAX_WORDS = 2  # quotes this short must read word for word
ANCHOR_SHARE = 0.3  # one more anchor than the words a variant may change: one always survives
MIN_ANCHORS = 3
MAX_ANCHOR_POSTINGS = 2000  # a word written more often than this is a poor anchor
MAX_QUOTE_CANDIDATES = 10  # places aligned per quote
SLACK_SHARE = 0.3  # extra source words either side of a place, for added words
MIN_SLACK = 3
STRAY_BLOCK_WORDS = 2  # a short match at an edge, far from the rest, is a stray ("the" nearby)
STRAY_GAP = 2

# Figures and dates
CONTEXT_WORDS = 20  # words either side of a source figure that count as its context
CONTEXT_ANCHORS = 6  # rarest context words used to find variant figures
EXACT_MIN_SHARED = 1  # shared context words for a same-value figure to be exact
VARIANT_MIN_CONTEXT = 0.4  # weighted share of the item's context words around a variant
VARIANT_MIN_SHARED = 2
LONE_OCCURRENCE_SCORE = 0.3
DOMINANCE = 2.0  # a variant whose context agrees this many times better hides a weak exact
LESS_PRECISE_FACTOR = 0.9  # "2016" in the source for "Oct. 4, 2016" in the article
PASSAGE_MAX_WORDS = 30

# Names
NAME_FUZZY_MIN_LENGTH = 4  # shorter words must be spelled the same
NAME_LONG_WORD = 7  # from this length two edits are allowed, below it one

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'", "′": "'"})
_WORD_CHARS = r"[\w\u0300-\u036f]"
_TOKEN = re.compile(rf"{_WORD_CHARS}+(?:['’‘ʼ]{_WORD_CHARS}+)*")
# Between two words: the end of a sentence or clause, a line break or a quotation mark.
_BREAK = re.compile(r"[.!?;:][\"”’'»)\]]*\s|\n|[\"“”«»]")
_SENTENCE_END = re.compile(r"[.!?][\"”’'»)\]]*\s|\n")
# Relative dates that say the same thing in other words.
_DIRECTIONS = {"later": "after", "on": "after", "earlier": "before", "past": "last", "previous": "last", "coming": "next"}
_NOT_CONTEXT = (
    STOPWORDS
    | set(WORD_NUMBERS) | set(SCALES) | set(CURRENCY_WORDS)
    | {"said", "says", "say", "told", "according", "mr", "ms", "mrs", "per", "cent", "percent"}
)


@dataclass(frozen=True)
class SourceText:
    id: int
    text: str  # the source document's extracted text; offsets point into it


@dataclass(frozen=True)
class ClaimToMatch:
    id: int
    kind: str  # quote, number, money, date, name; other kinds are not matched
    text: str  # the item's words as in the article (a quote without its quote marks)
    value: dict | None  # the engine's normalised value (Claim.value)
    sentence: str = ""  # the article sentence around it


@dataclass(frozen=True)
class Evidence:
    source: int  # SourceText.id
    start: int  # offsets into that source's text of the supporting passage
    end: int
    passage: str  # text[start:end]
    match: str  # exact or variant
    differences: list  # [{"claim": words in the item, "source": words in the source}], empty for exact
    score: float  # how good, for ordering (1.0: word for word)


def match_claims(claims: Sequence[ClaimToMatch], sources: Sequence[SourceText]) -> dict[int, list[Evidence]]:
    """For each claim id of a matchable kind: its evidence, best first (at most 3); [] is not found."""
    index = SourceIndex(sources)
    return {claim.id: index.find(claim) for claim in claims if claim.kind in MATCHABLE_KINDS}


def best_match(evidence: list[Evidence]) -> str:
    """exact, variant or not_found: the best of an item's evidence."""
    if not evidence:
        return NOT_FOUND
    return EXACT if any(e.match == EXACT for e in evidence) else VARIANT


# ---------------------------------------------------------------------------------------
# Words


def fold(word: str) -> str:
    """A word as compared: NFKC, plain apostrophes, case-folded."""
    if word.isascii():
        return word.lower()  # the common case, and the same result
    return _fold_unicode(word)


@functools.lru_cache(maxsize=100_000)
def _fold_unicode(word: str) -> str:
    return unicodedata.normalize("NFKC", word).translate(_APOSTROPHES).casefold()


def _tokens(text: str) -> list[tuple[str, int, int]]:
    """(folded word, start, end) for every word of ``text``."""
    return [(fold(m.group()), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _unit(unit: str | None) -> str | None:
    if not unit:
        return None
    unit = " ".join(unit.casefold().split()).replace("per cent", "percent")
    return unit[:-1] if len(unit) > 3 and unit.endswith("s") else unit


def _number(value) -> float | None:
    try:
        return round(float(value), 6)
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class _Facets:
    """What a figure or a date states, in comparable form.

    ``primary`` is its most precise statement; ``keys`` everything it implies (a full date
    implies its year); ``family`` what kind of quantity it is (money, a count, a year ...),
    so that another value of the same family can be a variant; ``qualifier`` the currency or
    unit, None when unknown.
    """

    primary: tuple
    keys: frozenset
    family: str
    qualifier: str | None = None


def _figure_facets(kind: str, value: dict) -> _Facets | None:
    if kind == "money":
        amount = _number(value.get("amount"))
        if amount is None:
            return None
        currency = value.get("currency")
        key = ("money", amount)
        return _Facets(key, frozenset([key]), "money", None if currency in (None, "", "?") else currency)
    if "value" in value:
        number = _number(value["value"])
        if number is None:
            return None
        key = ("value", number)
        return _Facets(key, frozenset([key]), "value", _unit(value.get("unit")))
    for field, family in (("ordinal", "ordinal"), ("fraction", "fraction")):
        if field in value:
            key = (family, str(value[field]))
            return _Facets(key, frozenset([key]), family)
    if "count_of_total" in value:
        key = ("count", " ".join(t[0] for t in _tokens(str(value["count_of_total"]))))
        return _Facets(key, frozenset([key]), "count")
    return None


def _date_facets(value: dict, text: str) -> _Facets | None:
    try:
        return _date_facets_of(value, text)
    except (TypeError, ValueError):  # a value stored by another version of the engine
        return None


def _date_facets_of(value: dict, text: str) -> _Facets | None:
    kind = value.get("type")
    if kind == "date" and value.get("date"):
        year, month, day = (int(p) for p in str(value["date"]).split("-"))
        primary = ("day", f"{year:04d}-{month:02d}-{day:02d}")
        keys = {primary, ("md", month, day), ("month", f"{year:04d}-{month:02d}"), ("m", month), ("year", year)}
        return _Facets(primary, frozenset(keys), "day")
    if kind == "date" and value.get("month") and value.get("day"):
        primary = ("md", int(value["month"]), int(value["day"]))
        return _Facets(primary, frozenset([primary, ("m", int(value["month"]))]), "day")
    if kind == "month" and value.get("month"):
        month = value["month"]
        if isinstance(month, str) and "-" in month:
            year, number = (int(p) for p in month.split("-"))
            primary = ("month", f"{year:04d}-{number:02d}")
            return _Facets(primary, frozenset([primary, ("m", number), ("year", year)]), "month")
        primary = ("m", int(month))
        return _Facets(primary, frozenset([primary]), "month")
    if kind == "year" and value.get("year"):
        primary = ("year", int(value["year"]))
        return _Facets(primary, frozenset([primary]), "year")
    if kind == "weekday" and value.get("weekday"):
        primary = ("weekday", str(value["weekday"]).casefold())
        return _Facets(primary, frozenset([primary]), "weekday")
    if kind == "decade" and value.get("decade"):
        primary = ("decade", re.sub(r"\D", "", str(value["decade"]))[-2:])
        return _Facets(primary, frozenset([primary]), "decade")
    if kind == "relative" and value.get("unit") and value.get("direction"):
        # "two years after" = "two years later" (the year it resolves to needs the source's own dates)
        direction = _DIRECTIONS.get(str(value["direction"]), str(value["direction"]))
        primary = ("offset", value.get("offset"), value["unit"], direction)
        return _Facets(primary, frozenset([primary]), "offset")
    if kind == "relative" and value.get("period"):
        primary = ("period", value["period"], _DIRECTIONS.get(str(value.get("which")), value.get("which")))
        return _Facets(primary, frozenset([primary]), "period")
    words = " ".join(t[0] for t in _tokens(text))
    if not words:
        return None
    # Other relative dates and times: the words themselves ("today", "10:30 a.m.").
    primary = ("said", words)
    return _Facets(primary, frozenset([primary]), kind or "said")


def _claim_facets(claim: ClaimToMatch) -> _Facets | None:
    """The item's value as facets; read again from its text when the value is missing."""
    value = claim.value if isinstance(claim.value, dict) else None
    facets = None
    if value:
        facets = _date_facets(value, claim.text) if claim.kind == "date" else _figure_facets(claim.kind, value)
    if facets is None:
        if claim.kind == "date":
            found = find_dates(claim.text)
            facets = _date_facets(found[0].value, claim.text[found[0].start:found[0].end]) if found else None
        else:
            found = (find_money if claim.kind == "money" else find_numbers)(claim.text)
            facets = _figure_facets(claim.kind, found[0].value) if found else None
    return facets


def _qualifiers_agree(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b


@dataclass(frozen=True)
class _Mention:
    """A figure or date the finders read in a source."""

    source: int  # index into SourceIndex.sources
    start: int
    end: int
    token: int  # global position of its first word
    facets: _Facets


# ---------------------------------------------------------------------------------------
# The index


def _trigger_lexicon() -> dict[str, tuple[str, ...]]:
    lexicon: dict[str, list[str]] = defaultdict(list)
    for finder, words in (("number", NUMBER_TRIGGERS), ("date", DATE_TRIGGERS)):
        for word in words:
            if finder not in lexicon[word.lower()]:
                lexicon[word.lower()].append(finder)
    return {word: tuple(finders) for word, finders in lexicon.items()}


# Folded, as the index holds words: a superset of the engine's triggers, so its finders
# read at least every window they would read over the whole text.
_FOLDED_TRIGGERS = {word.lower(): finders for word, finders in _trigger_lexicon().items()}
_DIGIT_FINDERS = ("number", "date", "money")


class SourceIndex:
    """The words of a set of sources, indexed once; ``find`` gives one item's evidence."""

    def __init__(self, sources: Sequence[SourceText]):
        self.sources = list(sources)
        words: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        capital = bytearray()
        bases: list[int] = []
        folded: dict[str, str] = {}
        for source in self.sources:
            bases.append(len(words))
            for match in _TOKEN.finditer(source.text):
                word = match.group()
                form = folded.get(word)
                if form is None:
                    form = folded[word] = fold(word)
                words.append(form)
                start, end = match.span()
                starts.append(start)
                ends.append(end)
                capital.append(word[0].isupper())
        bases.append(len(words))
        source_ids = array("I")
        for index in range(len(self.sources)):
            source_ids.extend(array("I", [index]) * (bases[index + 1] - bases[index]))
        self._source_ids = source_ids  # the source of each word
        postings: dict[str, list[int]] = defaultdict(list)
        for position, word in enumerate(words):
            postings[word].append(position)
        self._words, self._starts, self._ends, self._capital = words, starts, ends, capital
        self._bases = bases  # global position of each source's first word; the total last
        self._postings = dict(postings)
        self._total = max(1, len(words))

    # -- positions ------------------------------------------------------------------

    def _source_of(self, position: int) -> int:
        return self._source_ids[position]

    def _bounds(self, source: int) -> tuple[int, int]:
        return self._bases[source], self._bases[source + 1]

    def _count(self, word: str) -> int:
        return len(self._postings.get(word, ()))

    def _weight(self, word: str) -> float:
        """Rarer words say more (an inverse frequency)."""
        return math.log(1 + self._total / (1 + self._count(word)))

    def _text_between(self, source: int, first: int, last: int) -> str:
        """The source's text from the word at ``first`` to the end of the word at ``last``."""
        return self.sources[source].text[self._starts[first]:self._ends[last]]

    def _breaks_between(self, source: int, left: int) -> bool:
        """True when a sentence or quotation ends between the words at ``left`` and ``left + 1``."""
        return bool(_BREAK.search(self.sources[source].text, self._ends[left], self._starts[left + 1]))

    def _evidence(self, source: int, start: int, end: int, match: str, differences: list, score: float) -> Evidence:
        text = self.sources[source].text
        return Evidence(self.sources[source].id, start, end, text[start:end], match, differences, round(score, 4))

    def _sentence_passage(self, source: int, first: int, last: int) -> tuple[int, int]:
        """Offsets of the source sentence holding the words ``first``..``last``, at most
        ``PASSAGE_MAX_WORDS`` words (half before, half after)."""
        base, stop = self._bounds(source)
        text = self.sources[source].text
        half = PASSAGE_MAX_WORDS // 2
        def sentence_ends_after(word: int) -> bool:
            return bool(_SENTENCE_END.search(text, self._ends[word], self._starts[word + 1]))

        left = first
        while left > base and first - left < half and not sentence_ends_after(left - 1):
            left -= 1
        right = last
        while right + 1 < stop and right - last < half and not sentence_ends_after(right):
            right += 1
        end = self._ends[right]
        if end < len(text) and text[end] in ".!?":
            end += 1
        return self._starts[left], end

    # -- the entry point ---------------------------------------------------------------

    def find(self, claim: ClaimToMatch) -> list[Evidence]:
        """The claim's evidence, best first (at most ``MAX_EVIDENCE``); [] when nothing is found."""
        if not self._words or claim.kind not in MATCHABLE_KINDS:
            return []
        if claim.kind == "quote":
            found = self._find_quote(claim)
        elif claim.kind == "name":
            found = self._find_name(claim)
        else:
            found = self._find_mention(claim)
        return _best(found)

    # -- quotes ------------------------------------------------------------------------

    def _find_quote(self, claim: ClaimToMatch) -> list[Evidence]:
        quote = _tokens(claim.text)
        words = [t[0] for t in quote]
        if not words:
            return []
        if len(words) <= EXACT_ONLY_MAX_WORDS:
            return self._word_for_word(words)
        found = []
        for source, lo, hi in self._quote_places(words):
            evidence = self._align(claim, quote, source, lo, hi)
            if evidence:
                found.append(evidence)
        return found

    def _word_for_word(self, words: list[str]) -> list[Evidence]:
        found = []
        n = len(words)
        rarest = min(range(n), key=lambda i: self._count(words[i]))
        for hit in self._postings.get(words[rarest], ()):
            position = hit - rarest
            source = self._source_of(hit)
            inside = self._bases[source] <= position and position + n <= self._bases[source + 1]
            if inside and self._words[position:position + n] == words:
                start, end = self._starts[position], self._ends[position + n - 1]
                found.append(self._evidence(source, start, end, EXACT, [], 1.0))
                if len(found) >= MAX_EVIDENCE:
                    break
        return found

    def _quote_places(self, words: list[str]) -> list[tuple[int, int, int]]:
        """(source, first word, end word) of the places worth aligning the quote with, found
        through its rarest words: each hit votes for where the quote would start there."""
        n = len(words)
        wanted = max(MIN_ANCHORS, int(n * ANCHOR_SHARE) + 1)
        by_rarity = sorted((self._count(w), i) for i, w in enumerate(words) if self._count(w))
        anchors = [i for count, i in by_rarity if count <= MAX_ANCHOR_POSTINGS][:wanted]
        if not anchors:
            anchors = [i for _, i in by_rarity[:1]]  # only common words: the least common one
        votes: dict[int, set[int]] = defaultdict(set)
        for i in anchors:
            for position in self._postings[words[i]]:
                votes[position - i].add(i)
        if not votes:
            return []
        tolerance = max(MIN_SLACK, int(n * SLACK_SHARE))
        groups: list[tuple[int, int, int, set[int]]] = []  # (first diagonal, last diagonal, a hit, anchors)
        for diagonal in sorted(votes):
            if groups and diagonal - groups[-1][0] <= tolerance:
                first, _, hit, hits = groups[-1]
                groups[-1] = (first, diagonal, hit, hits | votes[diagonal])
            else:
                groups.append((diagonal, diagonal, diagonal + min(votes[diagonal]), set(votes[diagonal])))
        groups.sort(key=lambda g: (-len(g[3]), g[0]))
        places = []
        for first, last, hit, _ in groups[:MAX_QUOTE_CANDIDATES]:
            source = self._source_of(hit)
            base, stop = self._bounds(source)
            places.append((source, max(base, first - tolerance), min(stop, last + n + tolerance)))
        return places

    def _align(
        self, claim: ClaimToMatch, quote: list[tuple[str, int, int]], source: int, lo: int, hi: int
    ) -> Evidence | None:
        """The quote aligned with the source's words ``lo``..``hi``, or None when too few align."""
        words = [t[0] for t in quote]
        n = len(words)
        window = self._words[lo:hi]
        matcher = difflib.SequenceMatcher(None, words, window, autojunk=False)
        blocks = _without_strays([b for b in matcher.get_matching_blocks() if b.size])
        matched = sum(b.size for b in blocks)
        if not blocks or matched < max(QUOTE_MIN_WORDS, math.ceil(QUOTE_MIN_SHARE * n)):
            return None
        first, last = blocks[0], blocks[-1]
        # Quote words left over at an edge pair with the source words just there ("They" ~
        # "There"), up to the end of the source's sentence.
        begin = first.b
        while first.b - begin < first.a and begin > 0 and not self._breaks_between(source, lo + begin - 1):
            begin -= 1
        finish = last.b + last.size
        trailing = n - (last.a + last.size)
        while (finish - (last.b + last.size) < trailing and finish < len(window)
               and not self._breaks_between(source, lo + finish - 1)):
            finish += 1
        pairs = [((0, first.a), (begin, first.b))]
        pairs += [((a.a + a.size, b.a), (a.b + a.size, b.b)) for a, b in zip(blocks, blocks[1:])]
        pairs.append(((last.a + last.size, n), (last.b + last.size, finish)))
        differences = []
        for (qa, qb), (sa, sb) in pairs:
            # Words the same at either end of a gap are not a difference ("Our defense" ~
            # "Our military" is "defense" ~ "military").
            while qa < qb and sa < sb and words[qa] == window[sa]:
                qa, sa, matched = qa + 1, sa + 1, matched + 1
            while qa < qb and sa < sb and words[qb - 1] == window[sb - 1]:
                qb, sb, matched = qb - 1, sb - 1, matched + 1
            if qa == qb and sa == sb:
                continue
            said = claim.text[quote[qa][1]:quote[qb - 1][2]] if qb > qa else ""
            written = self._text_between(source, lo + sa, lo + sb - 1) if sb > sa else ""
            differences.append({"claim": said, "source": written})
        start, end = self._starts[lo + begin], self._ends[lo + finish - 1]
        if not differences:
            return self._evidence(source, start, end, EXACT, [], 1.0)
        score = 0.5 * 2 * matched / (n + finish - begin)
        return self._evidence(source, start, end, VARIANT, differences, score)

    # -- figures and dates ---------------------------------------------------------------

    @cached_property
    def _mentions(self) -> list[_Mention]:
        """Every figure and date of every source, read by the engine's own finders."""
        mentions = []
        triggers = self._trigger_positions()
        for index, source in enumerate(self.sources):
            text = source.text
            base, stop = self._bounds(index)
            if base == stop:
                continue
            where = triggers[index]
            found = [(f.start, f.end, _figure_facets(f.kind, f.value)) for f in find_money(text, where["money"])]
            found += [(f.start, f.end, _figure_facets(f.kind, f.value)) for f in find_numbers(text, where["number"])]
            found += [
                (d.start, d.end, _date_facets(d.value, text[d.start:d.end])) for d in find_dates(text, None, where["date"])
            ]
            for start, end, facets in found:
                if facets is None:
                    continue
                token = min(bisect.bisect_left(self._ends, start + 1, base, stop), stop - 1)
                mentions.append(_Mention(index, start, end, token, facets))
        mentions.sort(key=lambda m: m.token)
        return mentions

    def _trigger_positions(self) -> list[dict[str, list[int]]]:
        """Per source, where each finder must look (as the engine's ``TriggerIndex`` says),
        read from the inverted index: no second pass over the words."""
        positions: list[dict[str, list[int]]] = [{"number": [], "date": [], "money": []} for _ in self.sources]
        for word, postings in self._postings.items():
            finders = _DIGIT_FINDERS if word[0].isdigit() else _FOLDED_TRIGGERS.get(word.split("'")[0])
            if not finders:
                continue
            for position in postings:
                source = self._source_of(position)
                for finder in finders:
                    positions[source][finder].append(self._starts[position])
        for by_finder in positions:
            for found in by_finder.values():
                found.sort()
        return positions

    @cached_property
    def _mentions_by_key(self) -> dict[tuple, list[_Mention]]:
        by_key: dict[tuple, list[_Mention]] = defaultdict(list)
        for mention in self._mentions:
            for key in mention.facets.keys:
                by_key[key].append(mention)
        return dict(by_key)

    @cached_property
    def _mentions_by_primary(self) -> dict[tuple, list[_Mention]]:
        by_primary: dict[tuple, list[_Mention]] = defaultdict(list)
        for mention in self._mentions:
            by_primary[mention.facets.primary].append(mention)
        return dict(by_primary)

    @cached_property
    def _mention_tokens(self) -> list[int]:
        return [m.token for m in self._mentions]

    @cached_property
    def _contexts(self) -> dict[_Mention, tuple[frozenset[str], float]]:
        return {}

    def _context_of(self, mention: _Mention) -> tuple[frozenset[str], float]:
        """The content words within ``CONTEXT_WORDS`` of a source figure and their total
        weight (computed once, when first asked)."""
        context = self._contexts.get(mention)
        if context is None:
            base, stop = self._bounds(mention.source)
            low, high = max(base, mention.token - CONTEXT_WORDS), min(stop, mention.token + CONTEXT_WORDS + 1)
            words = frozenset(_bare(w) for w in self._words[low:high] if _is_content(w))
            context = self._contexts[mention] = (words, sum(self._weight(w) for w in words))
        return context

    def _claim_context(self, claim: ClaimToMatch) -> set[str]:
        """Content words of the item's sentence, without the figure's own digits and number words."""
        return {_bare(t[0]) for t in _tokens(claim.sentence or claim.text) if _is_content(t[0])}

    def _find_mention(self, claim: ClaimToMatch) -> list[Evidence]:
        facets = _claim_facets(claim)
        if facets is None:
            return []
        context = self._claim_context(claim)
        weights = {w: self._weight(w) for w in context}
        total = sum(weights.values())

        def agreement(mention: _Mention) -> tuple[int, float]:
            """Shared context words, and their weight against the smaller of the two contexts
            (a long article sentence is rarely all in the source's words)."""
            around, around_total = self._context_of(mention)
            shared = context & around
            smaller = min(total, around_total)
            return len(shared), (sum(weights[w] for w in shared) / smaller if smaller else 0.0)

        # Same value (or a less precise one that agrees).
        agreeing: dict[_Mention, float] = {}
        for mention in self._mentions_by_key.get(facets.primary, ()):
            if _qualifiers_agree(facets.qualifier, mention.facets.qualifier):
                agreeing[mention] = 1.0
        for key in facets.keys - {facets.primary}:
            for mention in self._mentions_by_primary.get(key, ()):
                if _qualifiers_agree(facets.qualifier, mention.facets.qualifier):
                    agreeing.setdefault(mention, LESS_PRECISE_FACTOR)
        exact: list[tuple[float, _Mention, float]] = []
        for mention, precision in agreeing.items():
            shared, share = agreement(mention)
            if shared >= EXACT_MIN_SHARED:
                exact.append((share, mention, precision * (0.5 + 0.5 * share)))
            elif not context or len(agreeing) == 1:
                exact.append((0.0, mention, precision * LONE_OCCURRENCE_SCORE))
        # Another value of the same kind, where the context agrees well.
        variants: list[tuple[float, _Mention]] = []
        for mention in self._mentions_near(context):
            if mention in agreeing or mention.facets.family != facets.family:
                continue
            if not _qualifiers_agree(facets.qualifier, mention.facets.qualifier):
                continue
            shared, share = agreement(mention)
            if shared >= min(VARIANT_MIN_SHARED, len(context)) and share >= VARIANT_MIN_CONTEXT:
                variants.append((share, mention))
        # The same value said in passing elsewhere does not hide another value said in the
        # item's own context ("$233 million for roads" vs "the $235 million helicopter deal").
        strongest = max((share for share, _ in variants), default=0.0)
        found = [
            self._mention_evidence(mention, EXACT, [], score)
            for share, mention, score in exact
            if share >= VARIANT_MIN_CONTEXT or strongest < DOMINANCE * max(share, 1e-9)
        ]
        for share, mention in variants:
            source_text = self.sources[mention.source].text[mention.start:mention.end]
            differences = [{"claim": claim.text, "source": source_text}]
            found.append(self._mention_evidence(mention, VARIANT, differences, 0.49 * share))
        return found

    def _mentions_near(self, context: set[str]) -> list[_Mention]:
        """Figures and dates within ``CONTEXT_WORDS`` of the item's rarest context words."""
        anchors = sorted((self._count(w), w) for w in context if 0 < self._count(w) <= MAX_ANCHOR_POSTINGS)[:CONTEXT_ANCHORS]
        tokens = self._mention_tokens
        near: dict[int, _Mention] = {}
        for _, word in anchors:
            for position in self._postings[word]:
                lo = bisect.bisect_left(tokens, position - CONTEXT_WORDS)
                hi = bisect.bisect_right(tokens, position + CONTEXT_WORDS)
                for i in range(lo, hi):
                    if self._mentions[i].source == self._source_of(position):
                        near[i] = self._mentions[i]
        return list(near.values())

    def _mention_evidence(self, mention: _Mention, match: str, differences: list, score: float) -> Evidence:
        stop = self._bases[mention.source + 1]
        last = max(mention.token, bisect.bisect_left(self._starts, mention.end, mention.token, stop) - 1)
        start, end = self._sentence_passage(mention.source, mention.token, last)
        return self._evidence(mention.source, min(start, mention.start), max(end, mention.end), match, differences, score)

    # -- names ---------------------------------------------------------------------------

    @cached_property
    def _capitalised_by_initial(self) -> dict[str, list[str]]:
        """Every word the sources write with a capital at least once, by first letter."""
        seen: set[str] = set()
        for position, word in enumerate(self._words):
            if self._capital[position]:
                seen.add(_bare(word))
        by_initial: dict[str, list[str]] = defaultdict(list)
        for word in sorted(seen):
            by_initial[word[0]].append(word)
        return dict(by_initial)

    @staticmethod
    def _allowed_edits(word: str) -> int:
        if len(word) < NAME_FUZZY_MIN_LENGTH:
            return 0
        return 2 if len(word) >= NAME_LONG_WORD else 1

    def _spelled_alike(self, word: str) -> list[str]:
        """Capitalised source words a small edit away from ``word`` (same first letter), itself excluded."""
        edits = self._allowed_edits(word)
        if not edits:
            return []
        candidates = self._capitalised_by_initial.get(word[0], [])
        found = process.extract(word, candidates, scorer=Levenshtein.distance, score_cutoff=edits, limit=None)
        return [form for form, _, _ in found if form != word]

    def _find_name(self, claim: ClaimToMatch) -> list[Evidence]:
        value = claim.value if isinstance(claim.value, dict) else {}
        name = str(value.get("name") or claim.text)
        tokens = _tokens(name)
        if not tokens:
            return []
        significant = [i for i, (_, start, _) in enumerate(tokens) if name[start].isupper() or name[start].isdigit()]
        if not significant:
            return []
        surname = significant[-1]
        words = [t[0] for t in tokens]
        forms = [words[surname], *self._spelled_alike(words[surname])]
        found = []
        for form in forms:
            for written in (form, form + "'s"):  # "Duterte's" is Duterte
                for position in self._postings.get(written, ()):
                    if self._capital[position]:
                        evidence = self._name_at(name, tokens, significant, surname, position)
                        if evidence:
                            found.append(evidence)
        return found

    def _name_at(
        self, name: str, tokens: list[tuple[str, int, int]], significant: list[int], surname: int, position: int
    ) -> Evidence | None:
        """The name read with its surname at ``position``: each word as written, spelled
        alike, or missing (another word or none: "Ambassador Khovaev")."""
        source = self._source_of(position)
        base, stop = self._bounds(source)
        exact, alike, differences, placed = 0, 0, [], []
        for i, (word, start, end) in enumerate(tokens):
            at = position + i - surname
            if not base <= at < stop or (at != position and i < surname and self._breaks_between(source, at)) or (
                    at != position and i > surname and self._breaks_between(source, at - 1)):
                continue
            written = _bare(self._words[at])
            if written == word:
                exact += 1
                placed.append(at)
            elif i in significant and self._capital[at] and _alike(word, written, self._allowed_edits(word)):
                alike += 1
                placed.append(at)
                differences.append({"claim": name[start:end], "source": self._text_between(source, at, at)})
        if not placed or position not in placed:
            return None
        start, end = self._sentence_passage(source, min(placed), max(placed))
        if differences:
            return self._evidence(source, start, end, VARIANT, differences, 0.49 * (exact + 0.5 * alike) / len(tokens))
        score = 1.0 if exact == len(tokens) else 0.9 * exact / len(tokens)
        return self._evidence(source, start, end, EXACT, [], score)


def _bare(word: str) -> str:
    """A folded word without its possessive ending."""
    return word[:-2] if word.endswith("'s") else word


def _is_content(word: str) -> bool:
    return len(word) > 1 and word not in _NOT_CONTEXT and not any(c.isdigit() for c in word)


def _alike(word: str, written: str, edits: int) -> bool:
    return bool(edits) and word[:1] == written[:1] and Levenshtein.distance(word, written, score_cutoff=edits) <= edits


def _without_strays(blocks: list) -> list:
    """Drop short matches at either edge that sit apart from the rest in the source."""

    def apart(left, right) -> bool:
        source_gap = right.b - (left.b + left.size)
        quote_gap = right.a - (left.a + left.size)
        return source_gap - quote_gap > STRAY_GAP

    while len(blocks) > 1 and blocks[0].size <= STRAY_BLOCK_WORDS and apart(blocks[0], blocks[1]):
        blocks = blocks[1:]
    while len(blocks) > 1 and blocks[-1].size <= STRAY_BLOCK_WORDS and apart(blocks[-2], blocks[-1]):
        blocks = blocks[:-1]
    return blocks


def _best(found: list[Evidence]) -> list[Evidence]:
    """Exact before variant, then by score; one passage per stretch of a source."""
    kept: list[Evidence] = []
    for evidence in sorted(found, key=lambda e: (e.match != EXACT, -e.score, e.source, e.start)):
        if any(k.source == evidence.source and k.start < evidence.end and evidence.start < k.end for k in kept):
            continue
        kept.append(evidence)
        if len(kept) == MAX_EVIDENCE:
            break
    return kept


# ---------------------------------------------------------------------------------------
# Benchmark

_PAGE_WORDS = 500
_PAGES_PER_SOURCE = 10
_VOCABULARY = 20_000
_ZIPF_EXPONENT = 1.07
_NAIVE_QUOTES = 2  # quotes timed against every window, the time then scaled to all quotes
_NAIVE_WORDS = 20_000  # source words those quotes are slid over, the time then scaled to all


def benchmark(words: int = 2000, pages: int = 200, seed: int = 1) -> dict:
    """Time matching a synthetic article of ``words`` words (about 3 items per 100 words)
    against ``pages`` pages of sources (500 words a page), index building included, and a
    naive baseline (each quote compared with every window of its length, via difflib) in
    the same run. Deterministic for a seed."""
    rng = random.Random(seed)
    letters = "abcdefghijklmnoprstuvwy"
    vocabulary = sorted({"".join(rng.choice(letters) for _ in range(rng.randint(2, 9))) for _ in range(_VOCABULARY)})
    rng.shuffle(vocabulary)
    weights = [1 / (rank + 1) ** _ZIPF_EXPONENT for rank in range(len(vocabulary))]
    cumulative = list(_accumulate(weights))
    surnames = [w.capitalize() for w in vocabulary[3000:3060] if len(w) >= 5][:40]
    given = [w.capitalize() for w in vocabulary[4000:4040]]

    def phrase(k: int) -> list[str]:
        return rng.choices(vocabulary, cum_weights=cumulative, k=k)

    def sentence() -> tuple[str, str]:
        """A source sentence and what it holds: plain, a figure or a name."""
        body = phrase(rng.randint(10, 24))
        roll = rng.random()
        held = ""
        if roll < 0.15:
            held = f"${rng.randint(2, 999)} million"
            body.insert(rng.randint(2, len(body) - 1), held)
        elif roll < 0.25:
            held = f"{rng.randint(11, 950)} {rng.choice(vocabulary[:50])}"
            body.insert(rng.randint(2, len(body) - 1), held)
        elif roll < 0.35:
            held = f"{rng.choice(given)} {rng.choice(surnames)}"
            body.insert(rng.randint(2, len(body) - 1), held)
        elif roll < 0.4:
            held = f"March {rng.randint(1, 28)}, {rng.randint(1990, 2024)}"
            body.insert(rng.randint(2, len(body) - 1), held)
        text = " ".join(body)
        return text[0].upper() + text[1:] + ".", held

    sources, sentences = [], []
    for number in range(max(1, math.ceil(pages / _PAGES_PER_SOURCE))):
        target = min(_PAGES_PER_SOURCE, pages - number * _PAGES_PER_SOURCE) * _PAGE_WORDS
        parts, count = [], 0
        while count < target:
            text, held = sentence()
            parts.append(text)
            sentences.append((text, held))
            count += len(text.split())
        sources.append(SourceText(number + 1, " ".join(parts)))

    claims: list[ClaimToMatch] = []
    expected: dict[int, str] = {}  # what each item was made to be
    items = max(5, round(words * 0.03))
    holding = {
        "money": [s for s in sentences if s[1].startswith("$")],
        "name": [s for s in sentences if s[1][:1].isupper() and not s[1].startswith("March")],
        "date": [s for s in sentences if s[1].startswith("March")],
        "number": [s for s in sentences if s[1][:1].isdigit()],
    }
    for i in range(items):
        kind = ("quote", "quote", "quote", "money", "number", "name", "date", "quote")[i % 8]
        if kind == "quote":
            text, _ = rng.choice(sentences)
            quote = text.rstrip(".").split()
            length = min(len(quote), rng.randint(8, 20))
            first = rng.randint(0, len(quote) - length)
            quote = quote[first:first + length]
            case = i % 3
            if case == 1:
                quote[len(quote) // 2] = rng.choice(vocabulary)  # one word changed
            elif case == 2:
                quote = phrase(length)  # not in the sources
            claims.append(ClaimToMatch(i, "quote", " ".join(quote), None, ""))
            expected[i] = (EXACT, VARIANT, NOT_FOUND)[case]
            continue
        pool = holding[kind]
        if not pool:
            continue
        sentence_text, held = rng.choice(pool)
        changed = (i // 8) % 2 == 1  # every other item of each kind is changed
        if kind == "money":
            amount = int(held[1:].split()[0]) + (2 if changed else 0)
            text = f"${amount} million"
            value = {"amount": amount * 1_000_000, "currency": "USD"}
        elif kind == "number":
            count, unit = held.split()
            text = f"{int(count) + (1 if changed else 0)} {unit}"
            value = {"value": int(text.split()[0]), "unit": unit}
        elif kind == "date":
            day, year = re.match(r"March (\d+), (\d+)", held).groups()
            text = held
            value = {"type": "date", "date": f"{int(year):04d}-03-{int(day):02d}"}
        else:
            first_name, surname = held.split()
            if changed:
                surname = surname[:2] + surname[3:]  # a letter dropped
            text = f"{first_name} {surname}"
            value = {"name": text}
        claims.append(ClaimToMatch(i, kind, text, value, sentence_text.replace(held, text)))
        expected[i] = VARIANT if changed and kind != "date" else EXACT

    began = time.perf_counter()
    index = SourceIndex(sources)
    indexed = time.perf_counter()
    results = {claim.id: index.find(claim) for claim in claims}
    matched = time.perf_counter()

    quotes = [c for c in claims if c.kind == "quote"]
    sample = quotes[:_NAIVE_QUOTES]
    window_words = index._words[:_NAIVE_WORDS]
    naive_began = time.perf_counter()
    for claim in sample:
        quote = [t[0] for t in _tokens(claim.text)]
        matcher = difflib.SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(quote)
        for start in range(max(1, len(window_words) - len(quote) + 1)):
            matcher.set_seq1(window_words[start:start + len(quote)])
            matcher.ratio()
    naive_sample = time.perf_counter() - naive_began
    scale = (len(index._words) / max(1, len(window_words))) * (len(quotes) / max(1, len(sample)))
    naive_seconds = naive_sample * scale
    index_seconds, match_seconds = indexed - began, matched - indexed
    outcomes = defaultdict(int)
    for evidence in results.values():
        outcomes[best_match(evidence)] += 1
    return {
        "index_seconds": round(index_seconds, 4),
        "match_seconds": round(match_seconds, 4),
        "items": len(claims),
        "source_words": len(index._words),
        "naive_seconds": round(naive_seconds, 3),
        "naive_measured_seconds": round(naive_sample, 3),
        "ratio": round(naive_seconds / max(1e-9, index_seconds + match_seconds), 1),
        "outcomes": dict(outcomes),
        "as_made": round(sum(best_match(results[i]) == made for i, made in expected.items()) / max(1, len(expected)), 3),
    }


def _accumulate(values):
    total = 0.0
    for value in values:
        total += value
        yield total
