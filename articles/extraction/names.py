"""Bodies named in an article that a statistical tagger may miss, found by their form.

Bodies are taken when the article introduces them with an abbreviation ("(DFA)") or when
their name says they are an event or a document ("... Conference on ...", "... Treaty").
People, and bodies the pipeline tags, are the cast's (``cast.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import EVENT_WORDS, MONTH_FULL, ORG_CHAIN, STOPWORDS, TITLES, WEEKDAY

_ABBR = re.compile(r"[ \t]*\(([A-Z][A-Za-z&]{1,9})\)")
_ORG_BEFORE_ABBR = re.compile(rf"({ORG_CHAIN})(?=[ \t]*\([A-Z][A-Za-z&]{{1,9}}\))")
_ORG_CHAIN = re.compile(ORG_CHAIN)
_TRAILING_DATE = re.compile(rf"[ \t]+(?:on|in|of)[ \t]+(?:{WEEKDAY}|{MONTH_FULL})$")
_EVENT_WORD = re.compile(rf"\b(?:{'|'.join(sorted(EVENT_WORDS))})\b")


@dataclass(frozen=True)
class Body:
    """An organisation or named event/document."""

    name: str
    start: int
    end: int
    abbreviation: str | None


class NameIndex:
    """Bodies the article introduces with an abbreviation or names as events and documents."""

    def __init__(self, body: str, masked: str) -> None:
        self.body = body
        self.masked = masked
        self.bodies: list[Body] = []
        self._find_bodies()

    # -- bodies ---------------------------------------------------------------

    def _find_bodies(self) -> None:
        seen: set[str] = set()
        masked = self.masked
        for paren in re.finditer(r"\([A-Z][A-Za-z&]{1,9}\)", masked):
            # The name sits just before "(DFA)": look in a short window, not the whole text.
            chains = list(_ORG_BEFORE_ABBR.finditer(masked, max(0, paren.start() - 120), paren.end()))
            if not chains:
                continue
            chain = chains[-1]
            abbr_match = _ABBR.match(masked, chain.end())
            if not abbr_match or abbr_match.end() != paren.end():
                continue
            words = chain.group(1).split()
            start = chain.start(1)
            # Drop leading small words and anything before the last break in the run.
            while words and (words[0].lower() in STOPWORDS or words[0] in TITLES):
                start = self.masked.index(words[1], start + len(words[0])) if len(words) > 1 else start
                words = words[1:]
            if len(words) < 2:
                continue
            name = " ".join(words)
            abbr = abbr_match.group(1)
            if name not in seen:
                seen.add(name)
                self.bodies.append(Body(name, start, paren.end(), abbr))
        event_chains = []
        for event in _EVENT_WORD.finditer(masked):
            if event_chains and event.start() < event_chains[-1].end():
                continue
            for chain in _ORG_CHAIN.finditer(masked, max(0, event.start() - 80), min(len(masked), event.end() + 80)):
                if chain.start() <= event.start() < chain.end():
                    event_chains.append(chain)
                    break
        for match in event_chains:
            words = match.group().split()
            if len(words) < 2 or not any(w in EVENT_WORDS for w in words[1:]):
                continue
            if any(b.start <= match.start() < b.end for b in self.bodies):
                continue
            # "Lorenzana and the Mutual Defense Treaty": keep the part with the keyword;
            # "Bislett Games on Saturday": the day is not part of the name.
            text = _TRAILING_DATE.sub("", match.group())
            start = match.start()
            for part in re.split(r"[ \t]+(?:and|&)[ \t]+", text):
                part_words = part.split()
                if len(part_words) >= 2 and any(w in EVENT_WORDS for w in part_words[1:]):
                    offset = text.index(part)
                    lead = 0
                    while part_words and part_words[0].lower() in STOPWORDS:
                        lead += len(part_words[0]) + 1
                        part_words = part_words[1:]
                    if len(part_words) >= 2 and " ".join(part_words) not in seen:
                        seen.add(" ".join(part_words))
                        s = start + offset + lead
                        self.bodies.append(Body(" ".join(part_words), s, start + offset + len(part), None))
                    break
