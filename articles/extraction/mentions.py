"""Mentions of who or what may have said something: the phrases a quote's speaker is chosen from.

A mention is a noun phrase in the reporter's words (never inside a quotation) with what
the parse says about it: what kind of thing it names (a person, an organisation, a
pronoun, a role such as "a spokeswoman"), and how it relates to a reporting verb::

    "Mr Mubanga, 32, from Wembley, London, said"  → "Mr Mubanga" (person, subject of "said"),
                                                    "Wembley" (place, object of "from")
    "said the chief executive of a car maker"     → "the chief executive of a car maker" (role, subject)
    "according to diplomatic sources"             → "diplomatic sources" (role, after "according to")
    "Trump told Fox News"                         → "Fox News" (organisation, told: the listener)

Sentences the pipeline did not parse still offer their named entities and pronouns, with
no syntactic role.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass

from .lexicon import ROLE_NOUNS, SPEECH_NOUNS, SPEECH_VERB_FORMS, TITLES
from .nlp import Analysis, Token
from .sentences import Layout

NOUN_TAGS = frozenset({"NN", "NNS", "NNP", "NNPS"})
_PRONOUN_KINDS = {"he": "he", "she": "he", "they": "they", "it": "it", "we": "we", "i": "i"}
_ENTITY_KINDS = {
    "PERSON": "person",
    "ORG": "org",
    "FAC": "org",
    "GPE": "place",
    "LOC": "place",
    "NORP": "group",
    "WORK_OF_ART": "work",
    "PRODUCT": "work",
    "LAW": "work",
    "EVENT": "event",
}
# Entities that are never anyone: "Monday", "32", "$5bn".
NOT_SPEAKERS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT"})
# Left-hand dependents that belong to a noun phrase: "the influential US daily", "Rep. Gwen Moore".
_NP_LEFT = frozenset({"det", "amod", "compound", "poss", "nmod", "nummod", "quantmod", "case", "punct", "prep", "pobj", "advmod", "predet"})
# Prepositions whose phrase completes a role: "a spokeswoman for the campaign", "director of FSMTC".
_NP_PREPS = frozenset({"of", "for", "at", "from", "with", "in", "on", "to"})
MAX_PHRASE_TOKENS = 12
# What a phrase's right-hand side leaves out: relative clauses, asides, punctuation.
_ASIDES = frozenset({"relcl", "acl", "appos", "punct"})
_NOT_NOMINAL = frozenset({"PRP", "PRP$", "WP", "WDT", "EX", "DT", "CD", "IN", "CC", "TO", "-LRB-", "-RRB-", ",", ":", "``", "''", "HYPH", "NFP", "SYM", "XX", "_SP"})
_QUOTE_MARKS = frozenset("\"“”„«»")
_NOT_SAYING = frozenset("declined declines decline declining refused refuses refuse refusing".split())
_UNPARSED_PRONOUN = re.compile(r"\b(he|she|they|He|She|They)\b")
# The tags of the tokens that may head a mention (pronouns, "who", nouns), and the labels
# that make any other word the subject heading one ("The influential US daily said"):
# _mention_at finds no mention at any other token.
_MAY_HEAD = NOUN_TAGS | {"PRP", "WP", "WDT"}
_SUBJECTS = frozenset({"nsubj", "nsubjpass"})


@dataclass
class Mention:
    start: int  # the phrase shown ("the chief executive of a car maker")
    end: int
    head_start: int  # the word it is about ("executive")
    head_end: int
    kind: str  # person, org, place, group, work, event, other, proper, role, roles, noun, he, they, it, we, i
    # speech_subj, speech_agent, according, speech_obj, speech_noun, subj, appos_*, conj_*, pobj_*,
    # modifier, root, other, unparsed
    role: str
    verb: int  # token index of the reporting verb the mention is the subject of, or -1
    sentence: int  # index into Layout.sentences
    paragraph: int
    text: str
    of: int = -1  # for an aside ("Smith, the spokesman"): where the noun it describes starts
    reported: bool = False  # inside what a reporting verb reports ("said the plan would ...")

    @property
    def head_text(self) -> str:
        return self.text[self.head_start - self.start:self.head_end - self.start]


def _kind_of_noun(token: Token, entity_label: str | None) -> str:
    if entity_label:
        return _ENTITY_KINDS.get(entity_label, "other")
    lower = token.lower
    if lower in ROLE_NOUNS or token.text in TITLES:
        return "roles" if token.tag in ("NNS", "NNPS") else "role"
    if token.tag in ("NNP", "NNPS"):
        return "proper"
    return "noun"


def _has_word(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def is_speech_verb(token: Token) -> bool:
    return token.tag.startswith("VB") and token.lower in SPEECH_VERB_FORMS


# Reporting verbs that also do other things: "added 22 points", "posted a loss", "put the case".
# With a direct object they are not reporting speech.
_OBJECT_MAKES_IT_OTHER = frozenset(
    form for base in ("add", "post", "report", "put", "continue", "charge", "cite", "echo", "counter", "answer", "point")
    for form in (base, base + "s", base + "ed", base + "ing", base + "d")
)


class MentionFinder:
    """Every mention of an article, in text order."""

    def __init__(self, body: str, analysis: Analysis, layout: Layout, in_quote: Callable[[int], bool]) -> None:
        self.body = body
        self.analysis = analysis
        self.layout = layout
        self.in_quote = in_quote
        self.mentions: list[Mention] = []
        self._find()
        self.mentions.sort(key=lambda m: (m.head_start, m.start))
        self._starts = [m.head_start for m in self.mentions]

    def before(self, offset: int, limit: int):
        """Up to ``limit`` mentions starting before ``offset``, nearest first."""
        end = bisect.bisect_left(self._starts, offset)
        for index in range(end - 1, max(-1, end - 1 - limit), -1):
            yield self.mentions[index]

    def between(self, start: int, end: int) -> list[Mention]:
        lo = bisect.bisect_left(self._starts, start)
        hi = bisect.bisect_left(self._starts, end, lo)
        return self.mentions[lo:hi]

    # -- finding ----------------------------------------------------------------

    def _find(self) -> None:
        analysis = self.analysis
        sentence_of = self.layout.sentence_indexes(token.start for token in analysis.tokens)
        parsed_sentences = set(sentence_of)
        for token, sentence in zip(analysis.tokens, sentence_of):
            # Most tokens (verbs, determiners, marks) never head a mention, as their tag and
            # label tell: they are passed over before _mention_at looks anything up.
            if token.tag not in _MAY_HEAD and (token.dep not in _SUBJECTS or token.tag in _NOT_NOMINAL):
                continue
            mention = self._mention_at(token, sentence)
            if mention is not None:
                self.mentions.append(mention)
        # Sentences left unparsed still name people and bodies.
        for entity in analysis.entities:
            if entity.label in NOT_SPEAKERS or entity.label not in _ENTITY_KINDS:
                continue
            index = self.layout.sentence_index(entity.start)
            if index in parsed_sentences or self.in_quote(entity.start):
                continue
            self.mentions.append(self._unparsed(entity.start, entity.end, _ENTITY_KINDS[entity.label], index))
        for index, sentence in enumerate(self.layout.sentences):
            if index in parsed_sentences:
                continue
            for match in _UNPARSED_PRONOUN.finditer(self.body, sentence.start, sentence.end):
                if not self.in_quote(match.start()):
                    kind = _PRONOUN_KINDS[match.group().lower()]
                    self.mentions.append(self._unparsed(match.start(), match.end(), kind, index))

    def _unparsed(self, start: int, end: int, kind: str, sentence: int) -> Mention:
        paragraph = self.layout.sentences[sentence].paragraph
        return Mention(start, end, start, end, kind, "unparsed", -1, sentence, paragraph, self.body[start:end])

    def _mention_at(self, token: Token, sentence: int) -> Mention | None:
        analysis = self.analysis
        if self.in_quote(token.start):
            return None
        entity = analysis.entity_at(token.start)
        if entity is not None and entity.label in NOT_SPEAKERS:
            return None
        head = token  # the word the mention is about
        of = -1  # for an aside, where the noun it describes starts
        if token.tag == "PRP":
            kind = _PRONOUN_KINDS.get(token.lower)
            if kind is None:
                return None
            start, end = token.start, token.end
        elif token.tag in ("WP", "WDT") and token.dep in ("nsubj", "nsubjpass"):
            # "Smith, who said ...": the relative pronoun stands for the noun it hangs on.
            clause = analysis.tokens[token.head]
            if clause.dep != "relcl" or clause.head == clause.i:
                return None
            head = analysis.tokens[clause.head]
            if head.tag not in NOUN_TAGS or self.in_quote(head.start):
                return None
            antecedent = analysis.entity_at(head.start)
            kind = _kind_of_noun(head, antecedent.label if antecedent else None)
            start, end = self._phrase(head)
        elif token.tag in NOUN_TAGS or (token.dep in ("nsubj", "nsubjpass") and token.tag not in _NOT_NOMINAL):
            # A subject is a noun phrase whatever its tag ("The influential US daily said").
            if token.dep in ("compound", "amod", "nmod") and analysis.tokens[token.head].tag in NOUN_TAGS:
                return None  # part of a longer name: the phrase's head is the mention
            if token.dep == "appos" and entity is not None and entity.start <= analysis.tokens[token.head].start < entity.end:
                return None  # the parse split one name in two
            kind = _kind_of_noun(token, entity.label if entity else None)
            start, end = self._phrase(token)
        else:
            return None
        if head is token and token.dep == "appos":
            of = analysis.tokens[token.head].start
        # The role is the pronoun's own for "who", the word's for everything else.
        role, verb = self._role(token)
        return Mention(
            start, end, head.start, head.end, kind, role, verb, sentence,
            self.layout.sentences[sentence].paragraph, self.body[start:end], of, self._reported(token),
        )

    def _phrase(self, head: Token) -> tuple[int, int]:
        """The noun phrase ``head`` heads, without relative clauses or asides."""
        analysis = self.analysis
        tokens = analysis.tokens
        lo = head.i
        for child in analysis.children(head.i):
            if child < head.i and tokens[child].dep in _NP_LEFT:
                lo = min(lo, self._edges(child)[0])
        hi = head.i
        for child in analysis.children(head.i):
            if child > head.i and tokens[child].dep == "prep" and tokens[child].lower in _NP_PREPS:
                right = self._edges(child, _ASIDES)[1]
                if right - lo < MAX_PHRASE_TOKENS:
                    hi = max(hi, right)
            elif child > head.i and tokens[child].dep == "compound":
                hi = max(hi, child)
        while lo < head.i and (tokens[lo].dep in ("punct", "case", "cc") or self.in_quote(tokens[lo].start) or not _has_word(tokens[lo].text)):
            lo += 1
        while hi > head.i and (tokens[hi].dep in ("punct", "cc") or self.in_quote(tokens[hi].start) or not _has_word(tokens[hi].text)):
            hi -= 1
        # A phrase never runs across a quotation mark ("div class="x"><p>"Hello").
        for i in range(head.i - 1, lo - 1, -1):
            if _QUOTE_MARKS & set(tokens[i].text):
                lo = i + 1
                break
        for i in range(head.i + 1, hi + 1):
            if _QUOTE_MARKS & set(tokens[i].text):
                hi = i - 1
                break
        if hi - lo >= MAX_PHRASE_TOKENS:
            lo = max(lo, head.i - MAX_PHRASE_TOKENS // 2)
            hi = min(hi, head.i + MAX_PHRASE_TOKENS // 2)
        return tokens[lo].start, tokens[hi].end

    def _edges(self, i: int, skip: frozenset[str] = frozenset()) -> tuple[int, int]:
        """First and last token of the phrase ``i`` heads, leaving out dependents labelled ``skip``."""
        tokens = self.analysis.tokens
        stack, lo, hi = [i], i, i
        while stack:
            j = stack.pop()
            lo, hi = min(lo, j), max(hi, j)
            stack.extend(c for c in self.analysis.children(j) if tokens[c].dep not in skip)
        return lo, hi

    def _role(self, token: Token) -> tuple[str, int]:
        """How ``token`` relates to a reporting verb, and which verb (token index, or -1)."""
        tokens = self.analysis.tokens
        dep = token.dep
        head = tokens[token.head]
        if dep == "appos":
            # "Smith, the spokesman, said": the aside shares its noun's role.
            role, verb = self._role(head)
            return "appos_" + role, verb
        if dep == "conj" and head.tag in NOUN_TAGS | {"PRP"}:
            # "Smith and Jones said": both are subjects.
            role, verb = self._role(head)
            return "conj_" + role, verb
        if dep in ("nsubj", "nsubjpass"):
            verb = self._speech_verb_of(head)
            if verb is not None:
                return "speech_subj", verb.i
            return "subj", head.i
        if dep == "pobj":
            prep = head
            governor = tokens[prep.head]
            if prep.lower == "to" and governor.lower == "according":
                return "according", governor.i
            if prep.lower == "by" and is_speech_verb(governor):
                return "speech_agent", governor.i
            if prep.lower in ("from", "in", "at", "of"):
                return "pobj_" + prep.lower, -1
            return "pobj", -1
        if dep in ("dobj", "dative") and is_speech_verb(head):
            return "speech_obj", head.i
        if dep in ("poss", "compound"):
            if head.lower in SPEECH_NOUNS:
                return "speech_noun", head.i
            return "modifier", -1
        if dep == "ROOT" or token.head == token.i:
            return "root", -1
        return "other", -1

    def _reported(self, token: Token) -> bool:
        """Whether ``token`` sits inside the clause a reporting verb reports."""
        tokens = self.analysis.tokens
        for _ in range(8):
            if token.head == token.i:
                return False
            head = tokens[token.head]
            if token.dep in ("ccomp", "xcomp", "parataxis", "dobj") and is_speech_verb(head) and token.tag.startswith("VB"):
                return True
            token = head
        return False

    def reports_speech(self, verb: Token) -> bool:
        """Whether ``verb`` reports what someone said ("added that", not "added 22 points")."""
        if not is_speech_verb(verb):
            return False
        if verb.lower in _OBJECT_MAKES_IT_OTHER:
            tokens = self.analysis.tokens
            deps = {tokens[c].dep for c in self.analysis.children(verb.i)}
            if "dobj" in deps:
                return False
            # "It reports directly to the president": reporting to someone, unless it reports a clause.
            return not (verb.lower.startswith("report") and not deps & {"ccomp", "parataxis"})
        return True

    def _speech_verb_of(self, verb: Token) -> Token | None:
        """The reporting verb a subject belongs to: the verb itself, or one it leads to.

        "Smith said", "Smith was quoted as saying", "Smith went on to say", "Smith
        criticised the plan and said".
        """
        if self.reports_speech(verb):
            return verb
        if verb.lower in _NOT_SAYING:
            return None  # "declined to comment"
        tokens = self.analysis.tokens
        for child in self.analysis.children(verb.i):
            other = tokens[child]
            if other.dep in ("xcomp", "conj", "advcl", "pcomp") and self.reports_speech(other):
                return other
            if other.dep == "prep" and other.lower == "as":
                for grandchild in self.analysis.children(child):
                    if self.reports_speech(tokens[grandchild]):
                        return tokens[grandchild]
        return None
