"""Firsts, records and superlatives, with the phrase that says first/biggest *of what*.

"the first-ever visit ... since the establishment of diplomatic relations in 1976" is
one claim: the trigger word plus its noun phrase plus the prepositional phrases that
bound the comparison.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import LETTER
from .scan import windowed_finditer

# Superlative adjectives common in news copy; "-est" words outside this list are
# mostly nouns or verbs ("interest", "protest", "suggest").
_EST = (
    "largest biggest oldest youngest highest lowest greatest smallest longest shortest "
    "richest poorest deadliest costliest busiest fastest slowest strongest weakest worst best "
    "heaviest lightest hottest coldest warmest wettest driest tallest deepest widest closest "
    "nearest farthest furthest earliest newest cheapest safest toughest hardest easiest "
    "brightest loudest fewest least most top-selling best-selling wealthiest healthiest "
    "bloodiest fiercest harshest steepest sharpest tightest heaviest"
).split()
_POSSESSOR = rf"(?:the|its|his|her|their|our|[{LETTER[:6]}A-Z][\w.-]*['’]s?)"
TRIGGER = re.compile(
    r"|".join(
        [
            r"(?P<first_time>\b(?:for|is|was|marks)?[ \t]*the[ \t]+first[ \t]+time\b)",
            r"(?P<first>\b(?:(?:the|its|his|her|their|our|a)[ \t]+|[A-Z][\w-]*['’]s?[ \t]+|[a-z][\w-]*['’]s[ \t]+)first(?:-ever|[ \t]+ever)?[ \t]+(?=[a-z0-9]))",
            # "the first American to ...", "the first Muslim mayor": a first among people or bodies.
            r"(?P<first_of>\bthe[ \t]+first[ \t]+(?=[A-Z][a-z]+[ \t]+(?:to|in|of|[a-z]+[ \t]+to)\b))",
            r"(?P<first_reported>\b(?:was|were|is|are|had[ \t]+been|has[ \t]+been)[ \t]+first[ \t]+(?:reported|revealed|disclosed|published|announced|broadcast)\b)",
            r"(?P<top>\bthe[ \t]+top[ \t]+(?:spot|position|place|seat|rank|ranking)\b)",
            r"(?P<than_any>\bthan[ \t]+any(?:one|body)?(?:[ \t]+other)?\b)",
            r"(?P<ever>\b(?:first|biggest|largest|highest|lowest|worst|best)-ever\b)",
            rf"(?P<est>\b(?:(?:the|its|his|her|their|our)[ \t]+|[A-Z][\w-]*['’]s?[ \t]+|[a-z][\w-]*['’]s[ \t]+)(?:(?:second|third|fourth|fifth)[- ])?(?:{'|'.join(_EST)})\b)",
            r"(?P<most>\b(?:the|its|his|her|their|our)[ \t]+(?:most|least)[ \t]+(?=[a-z]{4,}))",
            r"(?P<only>\bthe[ \t]+(?:only|sole)[ \t]+(?=[a-z]))",
            rf"(?P<pred>\b(?:is|are|was|were)[ \t]+(?:{'|'.join(w for w in _EST if w not in ('most', 'least', 'best'))})[ \t]+(?:among|in|for|at|on)\b)",
            r"(?P<record>\b[a-z]+-record\b|\b(?:career|season|personal|all-time)-(?:best|high|low)\b|\b(?:a[ \t]+)?record(?:-breaking|-high|-low|[ \t]+(?:high|low|number|level|amount))\b|\ball-time[ \t]+(?:high|low)\b|\bunprecedented\b|\bnever[ \t]+before\b)",
            r"(?P<flagship>\b(?:the|its|their)[ \t]+flagship\b)",
        ]
    )
)
# Words that end the noun phrase: verbs, clause openers, conjunctions.
_PHRASE_END = frozenset(
    """
    is are was were be been has have had will would can could may might must shall should do
    does did said says told and or but that which who whom whose when where while because as
    if than so then held made took gave got went came met said i we you he she they it
    """.split()
)
_PREPOSITIONS = frozenset("of in since to among on for at from by ever".split())
# "U.S.", "U.N." and "Mr." are words: their full stops do not close the phrase.
_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|(?:Mr|Mrs|Ms|Dr|St|Sen|Rep|Gov|Gen|Lt|Col|Jr|Sr)\.(?=[ \t]+[A-Z])|[\w’'-]+|[^\w\s]")
_MAX_SPAN = 190


@dataclass(frozen=True)
class Superlative:
    start: int
    end: int
    trigger: str


def _extend(body: str, pos: int, limit: int) -> int:
    """End of the noun phrase and bounding prepositional phrases that start at ``pos``."""
    end = pos
    words_in_phrase = 0
    previous = ""
    for match in _TOKEN.finditer(body, pos, limit):
        word = match.group()
        lower = word.lower()
        if not (word[0].isalnum() or word[0] in "’'-"):
            break  # punctuation closes the claim
        comparing = lower == "than" and previous in ("more", "less", "fewer")  # "in more than a year"
        previous = lower
        if comparing:
            pass
        elif lower in _PHRASE_END or (lower.endswith("ed") and words_in_phrase > 0 and lower not in _PREPOSITIONS):
            break
        if lower in _PREPOSITIONS:
            words_in_phrase = 0
        else:
            words_in_phrase += 1
            if words_in_phrase > 6:
                break
        end = match.end()
        if end - pos > _MAX_SPAN:
            break
    # A dangling preposition or article says nothing.
    tail = re.search(r"(?:[ \t]+(?:of|in|since|to|among|on|for|at|from|by|the|a|an))+$", body[pos:end])
    if tail:
        end = pos + tail.start()
    return end


TRIGGERS = tuple(_EST) + ("record", "best", "high", "low") + (
    "first", "First", "most", "least", "only", "sole", "record", "unprecedented", "never", "flagship", "ever", "all",
    "time", "top", "than",
)
_CLAUSE_OPENING = re.compile(r"[.;:!?,—–]\s*")


def _clause_start(body: str, pos: int) -> int:
    """Where the clause holding ``pos`` begins: "more time in the state than any other" is one claim."""
    window_start = max(0, pos - 120)
    opening = window_start
    for match in _CLAUSE_OPENING.finditer(body, window_start, pos):
        opening = match.end()
    return opening


def find_superlatives(body: str, sentence_end_of, in_quote, positions: list[int] | None = None) -> list[Superlative]:
    """``sentence_end_of(offset)`` bounds each phrase; ``in_quote(start, end)`` says
    whether a span sits inside a direct quotation; ``positions`` are where TRIGGERS are."""
    found = []
    matches = TRIGGER.finditer(body) if positions is None else windowed_finditer(TRIGGER, body, positions, 32, 30)
    for match in matches:
        kind = match.lastgroup
        start = match.start()
        if kind == "first" and in_quote(start, match.end()):
            continue  # "the first step should be": a speaker's ordering, not a record
        if body[start:match.end()].lower().startswith(("at least", "at most", "at best")):
            continue
        if kind == "first_reported":
            start = match.start() + len(re.match(r"\w+(?:[ \t]+been)?[ \t]+", match.group()).group())
        if kind == "than_any":
            start = _clause_start(body, start)
        if kind == "pred":
            start = match.start() + len(re.match(r"\w+[ \t]+", match.group()).group())
        if kind == "first_time":
            start = match.start() + (len(match.group()) - len(match.group().lstrip()))
        limit = min(sentence_end_of(start), start + _MAX_SPAN + 40)
        end = _extend(body, match.end(), limit) if kind != "record" else match.end()
        end = max(end, match.end())
        text = body[start:end].rstrip()
        end = start + len(text)
        # "for the first time" needs its "in its history"; a bare trigger is still a claim.
        found.append(Superlative(start, end, kind))
    return found
