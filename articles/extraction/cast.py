"""Everyone an article names, and what it calls them.

People come from the pipeline's PERSON entities in the reporter's words, grouped by
surname: "Igor Khovaev", "Khovaev" and "Mr Khovaev" are one person, whose name is the
fullest form the article gives. Each person keeps the words of the titles and roles the
article attaches ("Russian Ambassador", "director of the FSMTC") and, where the article
shows it, whether "he" or "she" refers to them.

The cast answers the questions a speaker needs answered: who is "he" here, who is "the
ambassador", what is the full name of "Mr Thomas".
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from .lexicon import LEADING_JUNK, NON_PERSON, ORG_CHAIN, TITLES
from .mentions import Mention, MentionFinder
from .nlp import Analysis, Entity
from .sentences import Layout

HONORIFICS = frozenset(
    "mr mr. mrs mrs. ms ms. miss dr dr. prof prof. sir dame lord lady sen sen. rep rep. gov gov. gen gen. "
    "lt lt. col col. capt capt. sgt sgt. rev rev. president senator governor judge justice mayor".split()
)
_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
_POSSESSIVE = re.compile(r"['’]s?$")
_MALE = frozenset({"he", "him", "his", "himself"})
_FEMALE = frozenset({"she", "her", "hers", "herself"})
_PRONOUN_WORD = re.compile(r"\b(?:he|him|his|himself|she|her|hers|herself)\b", re.IGNORECASE)
_GENDER_TITLE = re.compile(r"\b(Mr|Mrs|Ms|Miss|Sir|Dame|Lord|Lady)\.?[ \t]+(?:[A-Z][\w'’-]*[ \t]+)?([A-Z][\w'’-]+)")
_TITLE_GENDER = {"Mr": "m", "Sir": "m", "Lord": "m", "Mrs": "f", "Ms": "f", "Miss": "f", "Dame": "f", "Lady": "f"}
_NAME_WORD = re.compile(r"[A-ZÀ-Þ][\w'’.-]*|(?:de|da|del|van|von|bin|al|la|le|di|du)")
_CAPITALISED_RUN = re.compile(r"((?:[A-Z][\w.'’-]*[ \t]+){1,5})$")
_NOT_TITLES = frozenset({"Mr", "Mrs", "Ms", "Miss"})
_HONORIFIC_BEFORE = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Sir|Dame)\.?[ \t]+$")
_GIVEN_NAMES_BEFORE = re.compile(r"(?<![\w.])((?:[A-Z][a-z]+[ \t]+){1,2})$")
_MISREAD_LABELS = frozenset({"ORG", "GPE", "NORP", "FAC", "PRODUCT", "WORK_OF_ART", "LOC"})
MAX_NAME_SPAN = 200
_AGE_OR_PARTY = re.compile(r",[ \t]*(?:\d{1,3}|[RDI]-[A-Z][\w.]*|\([RDI]-[A-Z][\w.]*\))(?=[,.;:)\s]|$)")
# ", from Omaha, Nebraska": where the person comes from, when the parse leaves it aside.
_ORIGIN = re.compile(r",[ \t]*from[ \t]+[A-Z][\w.'’-]*(?:,?[ \t]+[A-Z][\w.'’-]*){0,3}")
_ABBREVIATION_AFTER = re.compile(r"[ \t]*\(([A-Z][A-Za-z&]{1,9})\)")
_LEADING_THE = re.compile(r"[Tt]he[ \t]+")
_BODY_LABELS = frozenset({"ORG", "FAC", "EVENT", "LAW"})
_TRAILING_SMALL_WORD = re.compile(r"[ \t]+(?:of|for|and|the|on|in|at|&)[ \t]*$")
# The words that make a capitalised phrase the formal name of an institution, whose exact
# form a checker confirms: "Mumbai High Court", "University of Michigan", "Metzler Bank".
INSTITUTION_HEADS = frozenset(
    """
    court courts tribunal foundation institute institution university college school hospital clinic
    bank association academy society commission committee agency bureau trust fund
    corporation company inc ltd llc plc ag gmbh sa motor motors group holdings league
    administration authority centre center centers centres laboratory laboratories museum library
    organisation organization network coalition alliance charity
    """.split()
)
_INSTITUTION_WORD = re.compile(
    r"\b(?:" + "|".join(sorted((w.capitalize() for w in INSTITUTION_HEADS if w.isalpha() and len(w) > 3), key=len, reverse=True)) + r")\b"
)
_ORG_CHAIN = re.compile(ORG_CHAIN)


def _institution_head(words: list[str]) -> str:
    """The head of a name: the word before "of"/"for" ("University of Michigan"), else the last."""
    for i, word in enumerate(words):
        if i and word in ("of", "for", "on"):
            return words[i - 1].lower().strip(".,")
    return words[-1].lower().strip(".,")


_NAMING_KINDS = frozenset({"person", "proper", "org", "place", "group", "work", "event", "other"})
# ... and through how many mentions of people at most (a text without paragraphs).
PRONOUN_REACH_MENTIONS = 60
# How far back "he" may reach for the person it means.
PRONOUN_REACH_PARAGRAPHS = 3


def name_words(text: str) -> list[str]:
    """The words of a personal name, without honorifics, possessives or suffixes."""
    words = [_POSSESSIVE.sub("", w).strip(",.()") if not w.endswith(".") or len(w) > 3 else w for w in text.split()]
    words = [w for w in words if w]
    while words and words[0].lower() in HONORIFICS:
        words = words[1:]
    while words and words[-1].lower().strip(",") in _SUFFIXES:
        words = words[:-1]
    return words


@dataclass(frozen=True)
class NameToCheck:
    start: int  # the whole mention: title and role included
    end: int
    name: str
    role: str | None
    kind: str  # "person" or "body"
    abbreviation: str | None = None
    also_written: tuple[str, ...] = ()  # the later, shorter mentions that are the same person: "Mr Thomas"


@dataclass
class Person:
    key: str  # the surname, lower case
    name: str  # the fullest form: "Igor Khovaev"
    positions: list[int] = field(default_factory=list)  # where any mention of them starts
    role_words: set[str] = field(default_factory=set)
    gender: str | None = None  # "m", "f" or unknown
    title: str = ""  # a formal title the article puts before the name: "Russian President"
    role_heads: set[str] = field(default_factory=set)  # what "the host", "the minister" would call them

    @property
    def display(self) -> str:
        """The name with its formal title, as a newsroom would write it: "Sen. Mike Lee"."""
        return f"{self.title} {self.name}" if self.title else self.name


class Cast:
    def __init__(
        self,
        body: str,
        analysis: Analysis,
        mentions: MentionFinder,
        layout: Layout,
        in_quote: Callable[[int], bool],
    ) -> None:
        self.body = body
        self.layout = layout
        self.mentions = mentions
        self.analysis = analysis
        self.in_quote = in_quote
        self.people: dict[str, Person] = {}
        self._person_mentions: list[tuple[int, str, str]] = []  # (start, person key, role)
        self._head_keys: dict[int, str] = {}  # where a mention of a person starts → the person
        self._appositive_people: dict[int, str] = {}  # a role followed by a name in apposition → the person
        self._mentions_of: dict[str, list[Mention]] = {}
        self._by_head = {m.head_start: m for m in mentions.mentions}
        self._asides: dict[int, list[Mention]] = {}  # a noun's start → the asides describing it
        for mention in mentions.mentions:
            if mention.of >= 0:
                self._asides.setdefault(mention.of, []).append(mention)
        named = [e for e in analysis.entities if not in_quote(e.start)]
        for entity in named:
            if entity.label == "PERSON":
                self._add(entity)
        # The pipeline sometimes calls a titled person something else ("Mayor Roxann
        # Wedegartner" as an organisation); a title in front settles it.
        for entity in named:
            if entity.label in _MISREAD_LABELS and self._is_titled_name(entity):
                self._add(entity)
        # ...and once someone is known, the other mentions of the surname are them too.
        for entity in named:
            if entity.label in _MISREAD_LABELS and self._is_known_surname(entity):
                self._add(entity)
        self._attach_mentions()
        self._person_mentions.sort()
        self._mention_starts = [m[0] for m in self._person_mentions]
        self._genders()

    # -- building -------------------------------------------------------------

    def _is_titled_name(self, entity: Entity) -> bool:
        """"Mayor Roxann Wedegartner", "Mr Mubanga": a name with a title or an honorific in front."""
        words = name_words(entity.text)
        if not words or len(words) > 4 or not all(_NAME_WORD.fullmatch(w) and w not in NON_PERSON for w in words):
            return False
        if _HONORIFIC_BEFORE.search(self.body, max(0, entity.start - 8), entity.start):
            return True
        return len(words) >= 2 and bool(self._title_before(entity.start))

    def _is_known_surname(self, entity: Entity) -> bool:
        words = name_words(entity.text)
        return (
            1 <= len(words) <= 4
            and words[-1].lower() in self.people
            and all(_NAME_WORD.fullmatch(w) and w not in NON_PERSON for w in words)
        )

    def _add(self, entity: Entity) -> None:
        words = name_words(entity.text)
        if not words or not all(_NAME_WORD.fullmatch(w) for w in words):
            return
        if len(words) >= 2 and not entity.text.split()[0].lower() in HONORIFICS:
            # "Karen Louise Whitby" read as "Louise Whitby": take in the given names before it.
            before = _GIVEN_NAMES_BEFORE.search(self.body, max(0, entity.start - 40), entity.start)
            if before:
                extra = [w for w in before.group(1).split()]
                while extra and (extra[0] in TITLES or extra[0] in NON_PERSON):
                    extra = extra[1:]
                if extra and not any(w in TITLES or w in NON_PERSON for w in extra):
                    words = extra + words
        key = words[-1].lower()
        person = self.people.get(key)
        full = " ".join(words)
        if person is None:
            person = self.people[key] = Person(key, full)
        elif len(words) > len(person.name.split()) and len(words) <= 4:
            person.name = full
        person.positions.append(entity.start)
        title = self._title_before(entity.start)
        if len(title) > len(person.title):
            person.title = title

    def _title_before(self, start: int) -> str:
        """"Russian President", "Sen.", "Senate Majority Leader" right before a name; never "Mr"."""
        words = _CAPITALISED_RUN.search(self.body, max(0, start - 60), start)
        if not words:
            return ""
        run = words.group(1).split()
        while run and run[0] in LEADING_JUNK:
            run = run[1:]
        if not run or run[-1] not in TITLES or run[-1].rstrip(".") in _NOT_TITLES:
            return ""
        return " ".join(run[-4:])

    def _attach_mentions(self) -> None:
        """Roles from the phrases around each person's mentions; mention roles for pronouns."""
        body = self.body
        heads = self._head_keys
        for mention in self.mentions.mentions:
            key = self.key_for(mention)
            if key is None:
                continue
            person = self.people[key]
            heads[mention.head_start] = key
            self._mentions_of.setdefault(key, []).append(mention)
            self._person_mentions.append((mention.head_start, key, mention.role))
            if mention.start < mention.head_start:
                person.role_words.update(w.lower() for w in re.findall(r"[A-Za-z]+", body[mention.start:mention.head_start]))
                person.role_heads.update(self._title_heads(mention))
        by_head = self._by_head
        for mention in self.mentions.mentions:
            if mention.of in heads and mention.kind in ("role", "noun", "roles"):
                # "Igor Khovaev, Russian ambassador": the aside is a role of the person.
                person = self.people[heads[mention.of]]
                person.role_words.update(w.lower() for w in re.findall(r"[A-Za-z]+", mention.text))
                person.role_heads.add(mention.head_text.lower())
            elif mention.head_start in heads and mention.of in by_head:
                # "The Health Secretary, Victoria Atkins": the person is the aside of the role.
                key = heads[mention.head_start]
                self._appositive_people[mention.of] = key
                described = by_head[mention.of]
                self.people[key].role_words.update(w.lower() for w in re.findall(r"[A-Za-z]+", described.text))
                self.people[key].role_heads.add(described.head_text.lower())
        for person in self.people.values():
            person.positions.sort()
            person.role_words -= set(person.name.lower().split())
        self._index_roles()
        # "The Russian ambassador downplayed ..." mentions the ambassador the article named:
        # "he" in the next sentence may mean him.
        for mention in self.mentions.mentions:
            if mention.kind == "role" and mention.head_start not in heads and _is_definite(mention.text):
                head = mention.head_text.lower()
                person = self.person_with_role(head, mention.head_start)
                if person is not None and person.positions and person.positions[0] < mention.head_start:
                    self._person_mentions.append((mention.head_start, person.key, mention.role))

    def _index_roles(self) -> None:
        """Who has each role word and each role head, in the cast's order: ``person_with_role``
        looks at the people given the role, not at everyone the article names."""
        self._with_role_word: dict[str, list[Person]] = {}
        self._with_role_head: dict[str, list[Person]] = {}
        for person in self.people.values():
            for word in person.role_words:
                self._with_role_word.setdefault(word, []).append(person)
            for word in person.role_heads:
                self._with_role_head.setdefault(word, []).append(person)
        self._cast_order = {key: index for index, key in enumerate(self.people)}

    def _title_heads(self, mention: Mention) -> set[str]:
        """The nouns of a title in front of a name: "host" in "CNN host Jake Tapper"."""
        token = self.analysis.token_at(mention.head_start)
        if token is None:
            return set()
        entity = self.analysis.entity_at(mention.head_start)
        tokens = self.analysis.tokens
        heads = set()
        for child in self.analysis.children(token.i):
            other = tokens[child]
            inside_name = entity is not None and entity.start <= other.start < entity.end
            if other.dep == "compound" and other.tag in ("NN", "NNS", "NNP") and not inside_name and other.start < token.start:
                heads.add(other.lower.rstrip("."))
        return heads

    def _name_of(self, mention: Mention) -> str:
        """A proper-noun mention without its asides: "Mr Mubanga", not "Mr Mubanga, 32, from Wembley"."""
        entity = self.analysis.entity_at(mention.head_start)
        if entity is not None:
            return entity.text
        end = mention.head_end
        cut = re.search(r"[,(]", self.body[mention.start:end])
        return self.body[mention.start:mention.start + cut.start()] if cut else self.body[mention.start:end]

    def _genders(self) -> None:
        votes: dict[str, Counter] = {key: Counter() for key in self.people}
        for match in _GENDER_TITLE.finditer(self.body):
            key = _POSSESSIVE.sub("", match.group(2)).lower()
            if key in votes:
                votes[key][_TITLE_GENDER[match.group(1)]] += 3
        # A pronoun in the sentence after one that names a single person is likely theirs.
        layout = self.layout
        named_in: dict[int, set[str]] = {}
        for start, key, _ in self._person_mentions:
            named_in.setdefault(layout.sentence_index(start), set()).add(key)
        for index, keys in named_in.items():
            if len(keys) != 1 or index + 1 >= len(layout.sentences):
                continue
            (key,) = keys
            for offset in (0, 1):
                sentence = layout.sentences[index + offset]
                if offset and (index + 1) in named_in:
                    continue
                for word in _PRONOUN_WORD.findall(self.body, sentence.start, sentence.end):
                    word = word.lower()
                    votes[key]["m" if word in _MALE else "f"] += 1
        for key, counter in votes.items():
            if counter:
                (gender, count), *rest = counter.most_common()
                if not rest or count > 1.5 * rest[0][1]:
                    self.people[key].gender = gender

    # -- look-ups -------------------------------------------------------------

    def key_for(self, mention: Mention) -> str | None:
        """The person a mention names, also when the pipeline took the name for something else."""
        if mention.kind not in _NAMING_KINDS:
            return None
        entity = self.analysis.entity_at(mention.head_start)
        # The entity holds the whole surname where the parse split it ("Jean-Pierre").
        text = entity.text if entity is not None else self.body[mention.head_start:mention.head_end]
        words = name_words(text)
        key = words[-1].lower() if words else None
        return key if key in self.people else None

    def person_named(self, text: str) -> Person | None:
        words = name_words(text)
        return self.people.get(words[-1].lower()) if words else None

    def person_before(self, offset: int, gender: str | None, prefer: str | None = None) -> Person | None:
        """Who "he"/"she" at ``offset`` most likely means: a subject nearby, else the nearest person."""
        floor_paragraph = self.layout.paragraph_of(offset) - PRONOUN_REACH_PARAGRAPHS
        end = bisect.bisect_left(self._mention_starts, offset)
        sentence = self.layout.sentence_index(offset)
        nearest = None
        for index in range(end - 1, max(-1, end - 1 - PRONOUN_REACH_MENTIONS), -1):
            start, key, role = self._person_mentions[index]
            if self.layout.paragraph_of(start) < floor_paragraph:
                break
            person = self.people[key]
            if gender and person.gender and person.gender != gender:
                continue
            if nearest is None:
                nearest = person
            if prefer == key and self.layout.sentence_index(start) >= sentence - 3:
                return person
            if role in ("speech_subj", "subj", "appos_speech_subj") and self.layout.sentence_index(start) >= sentence - 1:
                return person
        if prefer and prefer in self.people and nearest is None:
            return self.people[prefer]
        return nearest

    def person_with_role(self, word: str, before: int, *, heads_only: bool = False) -> Person | None:
        """The most recently mentioned person the article gave the role ``word``.

        ``heads_only``: only the head of a title or role ("host" in "CNN host Jake Tapper",
        "minister" in "the health minister"), not any word of it.
        """
        best, best_pos = None, -1
        words = ROLE_SYNONYMS.get(word, frozenset({word}))
        index = self._with_role_head if heads_only else self._with_role_word
        given = {person.key: person for w in words for person in index.get(w, ())}
        for person in sorted(given.values(), key=lambda p: self._cast_order[p.key]):
            earlier = bisect.bisect_left(person.positions, before)
            pos = person.positions[earlier - 1] if earlier else -1
            if pos > best_pos or best is None:
                best, best_pos = person, pos
        return best

    # -- names to check -------------------------------------------------------

    def names_to_check(self) -> list[NameToCheck]:
        """Each person at their first full mention (with the title or role the article gives
        them there), and each body with a name of two words or more, at its first mention."""
        found = [n for n in (self._person_to_check(p) for p in self.people.values()) if n is not None]
        found += self._bodies_to_check()
        return sorted(found, key=lambda n: n.start)

    def _person_to_check(self, person: Person) -> NameToCheck | None:
        by_head, asides = self._by_head, self._asides
        for mention in sorted(self._mentions_of.get(person.key, ()), key=lambda m: m.start):
            entity = self.analysis.entity_at(mention.head_start)
            name_start, name_end = (entity.start, entity.end) if entity else (mention.head_start, mention.head_end)
            name_start, name_end = max(name_start, mention.start), min(name_end, max(mention.end, mention.head_end))
            words = name_words(self.body[name_start:name_end])
            titled = bool(self._title_before(name_start)) or mention.start < name_start
            if len(words) < 2 and not titled:
                continue
            start, end = min(mention.start, name_start), max(mention.end, name_end)
            described = by_head.get(mention.of)
            if described is not None and described.end <= start and not self.body[described.end:start].strip(" ,"):
                start = described.start  # "The Health Secretary, Victoria Atkins"
            aside = next(
                (m for m in asides.get(mention.head_start, ()) if m.start >= end and not self.body[end:m.start].strip(" ,")),
                None,
            )
            if aside is not None:
                end = aside.end  # "Igor Khovaev, Russian ambassador to the Philippines"
            tail = _AGE_OR_PARTY.match(self.body, end)
            if tail:
                end = tail.end()  # "Dana Whitcomb, 47", "Sen. Mike Lee, R-Utah"
            origin = _ORIGIN.match(self.body, end)
            if origin:
                end = origin.end()
            start, end = _trim_span(self.body, start, end)
            if end - start > MAX_NAME_SPAN:
                start, end = name_start, name_end
            role = " ".join((self.body[start:name_start] + " " + self.body[name_end:end]).split()).strip(" ,") or None
            later = {
                " ".join(self._name_of(m).split())
                for m in self._mentions_of.get(person.key, ())
                if m.start >= end and m.kind in _NAMING_KINDS
            }
            later.discard(person.name)
            return NameToCheck(start, end, person.name, role, "person", None, tuple(sorted(later)))
        return None

    def _bodies_to_check(self) -> list[NameToCheck]:
        seen: set[str] = set(self.people)
        found = []
        for entity in self.analysis.entities:
            if entity.label not in _BODY_LABELS or self.in_quote(entity.start) or "\n" in entity.text:
                continue
            start, end = entity.start, entity.end
            text = entity.text
            lead = _LEADING_THE.match(text)
            if lead:
                start += lead.end()
            possessive = _POSSESSIVE.search(self.body, start, end)
            if possessive:
                end = possessive.start()
            while True:
                trailing = _TRAILING_SMALL_WORD.search(self.body, start, end)
                if not trailing:
                    break
                end = trailing.start()
            name = self.body[start:end].strip()
            words = name.split()
            if len(words) < 2 or name.lower() in seen or words[-1].lower() in seen:
                continue
            abbreviation = _ABBREVIATION_AFTER.match(self.body, end)
            if not abbreviation and _institution_head(words) not in INSTITUTION_HEADS:
                continue  # "the White House", "Atlanta Hawks": named in passing, not a name to check
            seen.add(name.lower())
            if abbreviation:
                end = abbreviation.end()
            found.append(NameToCheck(start, end, name, None, "body", abbreviation.group(1) if abbreviation else None))
        # Institutions the pipeline did not tag: a capitalised name ending in "Court", "Foundation" ...
        spans = sorted((n.start, n.end) for n in found)
        starts = [start for start, _ in spans]
        for head in _INSTITUTION_WORD.finditer(self.body):
            index = bisect.bisect_right(starts, head.start()) - 1
            covered_until = spans[index][1] if index >= 0 else -1
            if self.in_quote(head.start()) or head.start() < covered_until:
                continue
            for chain in _ORG_CHAIN.finditer(self.body, max(0, head.start() - 80), min(len(self.body), head.end() + 60)):
                if not chain.start() <= head.start() < chain.end():
                    continue
                words = chain.group().split()
                while words and (words[0] in LEADING_JUNK or words[0] in TITLES):
                    words = words[1:]
                name = " ".join(words)
                if len(words) >= 2 and _institution_head(words) in INSTITUTION_HEADS and name.lower() not in seen:
                    seen.add(name.lower())
                    start = chain.end() - len(name) if chain.group().endswith(name) else chain.start()
                    found.append(NameToCheck(start, chain.end(), name, None, "body"))
                break
        return found

    # -- speakers -------------------------------------------------------------

    def speaker_name(self, mention: Mention, previous: str | None = None) -> tuple[str | None, str | None]:
        """What to call the speaker ``mention`` refers to, and the person's key when it is a person.

        ``previous`` is the key of the person quoted last, whom "he" most often means.
        """
        kind = mention.kind
        if mention.of in self._head_keys:
            # "Chad Bown, an expert on trade, said": the aside is the person it describes.
            key = self._head_keys[mention.of]
            return self.people[key].display, key
        if mention.head_start in self._appositive_people:
            # "The Health Secretary, Victoria Atkins, said": the role is the person named beside it.
            key = self._appositive_people[mention.head_start]
            return self.people[key].display, key
        if kind in _NAMING_KINDS:
            key = self.key_for(mention)
            if key:
                return self.people[key].display, key
            if kind in ("person", "proper"):
                return _clean_phrase(self._name_of(mention), named=True), None
        if kind == "he":
            gender = "f" if mention.text.lower() == "she" else "m"
            person = self.person_before(mention.head_start, gender, prefer=previous)
            return (person.display, person.key) if person else (None, None)
        if kind in ("they", "it", "we"):
            floor = mention.paragraph - 2
            for other in self.mentions.before(mention.head_start, PRONOUN_REACH_MENTIONS):
                if other.paragraph < floor:
                    break
                if other.kind in ("org", "group", "roles") and other.role != "modifier":
                    return _clean_phrase(other.text), None
            return None, None
        if kind == "i":
            return None, None
        if kind in ("role", "noun") and _is_definite(mention.text):
            # "the CNN host", "the minister": the person the article gave that title or role.
            head = mention.head_text.lower()
            person = self.person_with_role(head, mention.head_start, heads_only=True)
            if person is None and kind == "role":
                person = self.person_with_role(head, mention.head_start)
            if person:
                return person.display, person.key
        return _clean_phrase(mention.text, named=kind in _NAMING_KINDS), None


def _trim_span(body: str, start: int, end: int) -> tuple[int, int]:
    while start < end and body[start] in " \t,":
        start += 1
    while end > start and body[end - 1] in " \t,;:":
        end -= 1
    return start, end


def _is_definite(phrase: str) -> bool:
    """"the ambassador", "Russia's envoy": a phrase that points at someone already known."""
    first = phrase.split()[0] if phrase.split() else ""
    return first.lower() in ("the", "this", "that", "its", "his", "her", "their") or first.endswith(("'s", "’s"))


_MARKS = "\"“”‘’'«»„―—–-<>"


def _clean_phrase(text: str, named: bool = False) -> str | None:
    """The phrase as a speaker: no leading conjunction, and a name without its "the" ("the EA" → "EA")."""
    words = text.replace("\n", " ").split()
    while words and (words[0].lower() in ("and", "but", "or", "as", "while") or not any(c.isalnum() for c in words[0])):
        words = words[1:]
    if words:
        words[0] = words[0].lstrip(_MARKS)
        words[-1] = words[-1].rstrip(_MARKS)
    if named and len(words) > 1 and words[0].lower() == "the":
        words = words[1:]
    text = " ".join(words).strip(" ,;:")
    return text or None


# Roles an article may use for one another when it refers back: "Russian ambassador Igor
# Khovaev ... its envoy said".
_ROLE_GROUPS = (
    {"ambassador", "envoy"},
    {"spokesman", "spokeswoman", "spokesperson"},
    {"executive", "ceo", "boss"},
)
ROLE_SYNONYMS = {word: frozenset(group) for group in _ROLE_GROUPS for word in group}

# Heads of phrases that describe a source without naming it: "officials", "a senior aide",
# "people familiar with the talks", "the chief executive of a leading car maker".
UNNAMED_HEADS = frozenset(
    """
    official officials source sources people person persons insider insiders diplomat diplomats
    aide aides adviser advisers advisor advisors executive executives expert experts analyst analysts
    observer observers critic critics member members staffer staffers employee employees someone
    anyone one others resident residents witness witnesses investigator investigators authorities
    officer officers lawmaker lawmakers legislator legislators supporter supporters opponent opponents
    colleague colleagues friend friends associate associates partner partners negotiator negotiators
    figure figures individual individuals veteran veterans operative operatives strategist strategists
    """.split()
)
# Heads through which a named body speaks: "a Cabinet Office spokeswoman", "a statement from Chelsea".
VOICE_HEADS = frozenset(
    "spokesman spokeswoman spokesperson spokespeople spokesmen statement release report letter filing "
    "document documents memo website post tweet email".split()
)


def source_type(mention: Mention, name: str | None, person: str | None, has_named_body: bool) -> str:
    """``named`` when the article says who the source is, ``unnamed`` when it only describes them.

    ``has_named_body``: the phrase holds the name of a person or body ("a Cabinet Office
    spokeswoman", "Chelsea's statement").
    """
    if person is not None:
        return "named"
    kind = mention.kind
    if kind in ("person", "proper", "org", "place", "work", "event"):
        return "named"
    if kind in ("he", "they", "it", "we", "i"):
        return "named" if name else "unnamed"
    head = re.sub(r"[^a-z-]", "", mention.head_text.lower())
    if head in VOICE_HEADS:
        return "named" if has_named_body else "unnamed"
    definite = _is_definite(mention.text)
    if kind == "group" or kind == "roles" or head in UNNAMED_HEADS and not (definite and has_named_body):
        # "officials", "a senior aide"; but "Apple's chief executive" is one person, named by the role.
        return "unnamed"
    return "named" if has_named_body or definite else "unnamed"
