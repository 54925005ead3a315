"""People and bodies named in an article, found without a trained model.

A capitalised run is taken for a person when the article itself says so: a title in
front of it ("Defense Secretary Delfin Lorenzana"), a role after it ("Igor Khovaev,
Russian ambassador"), or a full name whose surname the article goes on to use alone.
Bodies are taken when the article introduces them with an abbreviation ("(DFA)")
or when their name says they are an event or a document ("... Conference on ...").
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .lexicon import (
    EVENT_WORDS,
    MONTH_FULL,
    WEEKDAY,
    LEADING_JUNK,
    NON_PERSON,
    ORG_CHAIN,
    PERSON_CHAIN,
    ROLE_NOUNS,
    SPEECH_VERBS,
    STOPWORDS,
    TITLES,
)

_PERSON_CHAIN = re.compile(PERSON_CHAIN)
_ABBR = re.compile(r"[ \t]*\(([A-Z][A-Za-z&]{1,9})\)")
_ORG_BEFORE_ABBR = re.compile(rf"({ORG_CHAIN})(?=[ \t]*\([A-Z][A-Za-z&]{{1,9}}\))")
_ORG_CHAIN = re.compile(ORG_CHAIN)
_TRAILING_DATE = re.compile(rf"[ \t]+(?:on|in|of)[ \t]+(?:{WEEKDAY}|{MONTH_FULL})$")
_EVENT_WORD = re.compile(rf"\b(?:{'|'.join(sorted(EVENT_WORDS))})\b")
_COMPLEMENT = re.compile(rf"[ \t]+(?:to|of|for|at|in)[ \t]+(?:the[ \t]+)?({PERSON_CHAIN})")
_APPOSITIVE = re.compile(r",[ \t]+((?:(?:the|a|an|its|his|her|their)[ \t]+)?[^,.;:\n\"“”]{2,140}?)(?=[,.;:\n])")
_SPEECH_AFTER = re.compile(
    rf"(?:,[^,\n]{{1,120}},)?,?[ \t]+(?:\w+ly[ \t]+|also[ \t]+|has[ \t]+|had[ \t]+)?(?:{SPEECH_VERBS})\b"
)
_SPEECH_BEFORE = re.compile(r"\b(?:said|says|according to)[ \t]+$")
_LOWER_ROLE_BEFORE = re.compile(r"(?:\b([A-Z][\w-]*)[ \t]+)?\b([a-z][a-z-]+)[ \t]+$")
_POSSESSIVE = re.compile(r"['’]s?$")
# "The Health Secretary, Victoria Atkins" / "Kensai's president, Hiroshi Tanabe": the role
# comes first, set off by a comma.
_ROLE_COMMA_BEFORE = re.compile(
    r"(?:(?<=[^\w])|^)((?:[Tt]he|[A-Z][\w-]*['’]s?)[ \t]+(?:[\w'’-]+[ \t]+){0,3}?([A-Za-z-]+)),[ \t]+$"
)


@dataclass
class Mention:
    start: int  # of the whole mention, title included
    end: int  # of the whole mention, role after the name included
    name_start: int
    name_end: int
    name: str
    has_title: bool
    has_role: bool

    @property
    def has_first_name(self) -> bool:
        return " " in self.name


@dataclass
class Person:
    surname: str
    full_name: str
    roles: set[str] = field(default_factory=set)
    mentions: list[Mention] = field(default_factory=list)
    positions: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Body:
    """An organisation or named event/document."""

    name: str
    start: int
    end: int
    abbreviation: str | None


def _strip_leading(tokens: list[str]) -> int:
    """Index of the first token that may belong to a name (skips "The", "However" ...)."""
    i = 0
    while i < len(tokens) and tokens[i] in LEADING_JUNK:
        i += 1
    return i


def _is_name_token(token: str) -> bool:
    bare = _POSSESSIVE.sub("", token)
    return (
        len(bare) > 1
        and bare not in NON_PERSON
        and bare not in TITLES
        and not bare.isupper()
        and not any(ch.isdigit() for ch in bare)
    )


class NameIndex:
    """Everyone and every body the article names, with where they are mentioned."""

    def __init__(self, body: str, masked: str) -> None:
        self.body = body
        self.masked = masked
        self.people: dict[str, Person] = {}
        self.bodies: list[Body] = []
        self.abbreviations: dict[str, str] = {}
        self._find_bodies()
        self._find_people()

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
            self.abbreviations.setdefault(abbr, name)
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

    def is_body(self, text: str) -> bool:
        words = text.split()
        return (
            text in self.abbreviations
            or text in self.abbreviations.values()
            or bool(words) and (words[-1] in NON_PERSON or text.isupper())
        )

    # -- people ---------------------------------------------------------------

    def _find_people(self) -> None:
        masked = self.masked
        chains = []
        single = []
        for match in _PERSON_CHAIN.finditer(masked):
            tokens = match.group().split()
            offsets = [m.start() + match.start() for m in re.finditer(r"\S+", match.group())]
            first = _strip_leading(tokens)
            if first >= len(tokens) or (len(tokens) - first == 1 and tokens[first] not in TITLES):
                # A lone capitalised word is never a full mention, but it may be a surname used alone.
                if first < len(tokens):
                    single.append((tokens[first:], offsets[first:], match.end()))
                continue
            chains.append((tokens[first:], offsets[first:], match.end()))
        standalone = {_POSSESSIVE.sub("", t[0]) for t, _, _ in single if _is_name_token(t[0])}
        candidates: list[Mention] = []
        consumed_until = -1
        for tokens, offsets, end in chains:
            if offsets[0] < consumed_until:
                continue  # the name part of "Ambassador to the Philippines Igor Khovaev"
            mention = self._classify(tokens, offsets, end, standalone)
            if mention:
                candidates.append(mention)
                consumed_until = mention.end
        for mention in candidates:
            surname = mention.name.split()[-1]
            person = self.people.get(surname)
            if person is None:
                person = self.people[surname] = Person(surname, mention.name)
            if len(mention.name.split()) > len(person.full_name.split()):
                person.full_name = mention.name
            person.mentions.append(mention)
            roles = self.body[mention.start:mention.name_start] + " " + self.body[mention.name_end:mention.end]
            person.roles.update(w.lower() for w in re.findall(r"[A-Za-z]+", roles))
        # Every later use of a known surname, for resolving "he" and "the ambassador".
        for tokens, offsets, _ in chains + single:
            last = _POSSESSIVE.sub("", tokens[-1])
            if last in self.people:
                self.people[last].positions.append(offsets[-1])
        for person in self.people.values():
            person.positions.sort()

    def _classify(self, tokens: list[str], offsets: list[int], end: int, standalone: set[str]) -> Mention | None:
        masked = self.masked
        start = offsets[0]
        title_idx = max((i for i, t in enumerate(tokens) if t in TITLES), default=-1)
        has_title = title_idx >= 0
        name_tokens = tokens[title_idx + 1:]
        name_offsets = offsets[title_idx + 1:]
        chain_end = end
        if has_title and not name_tokens:
            complement = _COMPLEMENT.match(masked, end)
            if not complement:
                return None
            rest = complement.group(1).split()
            rest_offsets = [m.start() + complement.start(1) for m in re.finditer(r"\S+", complement.group(1))]
            keep = 2 if len(rest) >= 3 else 1
            if len(rest) < 2:
                return None
            name_tokens, name_offsets = rest[-keep:], rest_offsets[-keep:]
            chain_end = complement.end()
        if not name_tokens or len(name_tokens) > 4:
            return None
        if not all(_is_name_token(t) for t in name_tokens):
            return None
        if not has_title:
            before = _LOWER_ROLE_BEFORE.search(masked, max(0, start - 40), start)
            if before and before.group(2) in ROLE_NOUNS:
                has_title = True
                start = before.start(1) if before.group(1) and before.group(1) not in STOPWORDS else before.start(2)
        if not has_title and len(name_tokens) >= 2:
            role = _ROLE_COMMA_BEFORE.search(masked, max(0, start - 60), start)
            if role and (role.group(2).lower() in ROLE_NOUNS or role.group(2).capitalize() in TITLES):
                has_title = True
                start = role.start(1)
        name_start = name_offsets[0]
        name_end = name_offsets[-1] + len(_POSSESSIVE.sub("", name_tokens[-1]))
        name = " ".join(name_tokens)
        name = name[: len(name) - (len(name_tokens[-1]) - len(_POSSESSIVE.sub("", name_tokens[-1])))]
        mention_end = name_end if chain_end != end or name_end < chain_end else chain_end
        has_role = False
        appositive = _APPOSITIVE.match(masked, name_end)
        if appositive and not has_title and len(name_tokens) >= 2:
            words = appositive.group(1).lower().split()
            if any(w.strip("()") in ROLE_NOUNS or w.capitalize() in TITLES for w in words[:5]):
                has_role = True
                mention_end = appositive.end(1)
        surname = name_tokens[-1]
        is_person = has_title or has_role
        if not is_person and len(name_tokens) >= 2:
            is_person = _POSSESSIVE.sub("", surname) in standalone
        if not is_person and len(name_tokens) >= 2 and _SPEECH_AFTER.match(masked, name_end):
            is_person = True
        if not is_person and len(name_tokens) >= 2 and _SPEECH_BEFORE.search(masked, max(0, start - 20), start):
            is_person = True
        if not is_person:
            return None
        return Mention(start, mention_end, name_start, name_end, name, has_title, has_role)

    # -- look-ups -------------------------------------------------------------

    def person_for(self, text: str) -> Person | None:
        words = _POSSESSIVE.sub("", text.strip()).split()
        return self.people.get(words[-1]) if words else None

    def last_person_before(self, offset: int) -> Person | None:
        best, best_pos = None, -1
        for person in self.people.values():
            earlier = bisect.bisect_left(person.positions, offset)  # positions are sorted
            if earlier and person.positions[earlier - 1] > best_pos:
                best, best_pos = person, person.positions[earlier - 1]
        return best

    def person_with_role(self, role: str, before: int) -> Person | None:
        """The most recently mentioned person whose title or role contains ``role``."""
        best, best_pos = None, -1
        for person in self.people.values():
            if role not in person.roles:
                continue
            earlier = bisect.bisect_left(person.positions, before)
            pos = person.positions[earlier - 1] if earlier else (person.positions[0] if person.positions else 0)
            if pos > best_pos:
                best, best_pos = person, pos
        return best
