"""Who says what: reporting clauses ("Khovaev said", "said Smith", "according to the
DFA") and the speaker of each direct quote.

Reporting clauses are looked for in the reporter's words only (quotes masked), so a
name inside a quotation never becomes a speaker. Pronouns and role nouns ("he", "the
ambassador") resolve to the most recently mentioned person, outside quotations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import ORG_CHAIN, ROLE_NOUNS, SPEECH_VERBS, TITLES
from .names import NameIndex
from .quotes import QuoteSpan
from .scan import windowed_finditer
from .sentences import Layout

_VERB = re.compile(rf"\b(?:{SPEECH_VERBS})\b")
# Every form in SPEECH_VERBS contains one of these words.
VERB_TRIGGERS = tuple(w for w in re.findall(r"[a-z]+", SPEECH_VERBS) if w not in {"was", "were", "as", "out", "reporters", "w", "ing", "sz", "ed", "es"}) + (
    "emphasized", "emphasised", "emphasizes", "emphasises", "according", "Said", "According")
_ACCORDING = re.compile(r"\b[Aa]ccording to[ \t]+")
_SKIPPABLE = frozenset(
    "also later earlier then again once further previously recently has had have would will "
    "separately repeatedly publicly yesterday today here there however".split()
)


def _strip_adverbs(text: str) -> str:
    """Drop the adverbs and auxiliaries between a subject and its verb ("Duterte earlier")."""
    while True:
        cut = max(text.rfind(" "), text.rfind("\t"))
        word = text[cut + 1:]
        if cut < 0 or not (word.lower() in _SKIPPABLE or (word.endswith("ly") and word.isalpha() and word.islower())):
            return text
        text = text[:cut].rstrip()
_CHAIN_AT_END = re.compile(rf"(?:\b([Tt]he|[Aa]n?)[ \t]+)?({ORG_CHAIN})['’]?s?$")
_ROLE_COMPLEMENT = re.compile(r"\b([a-z][\w-]*)[ \t]+(?:to|of|for|in|at|from)[ \t]+(?:the[ \t]+)?$")
_PRONOUN_AT_END = re.compile(r"\b(he|she|it|they|we|I)$", re.IGNORECASE)
_PHRASE_AT_END = re.compile(
    r"\b((?:the|a|an|its|his|her|their|our|one|two|three|several|some|many|other|which|who|that)[ \t]+)?"
    r"((?:[\w’'-]+[ \t]+){0,3}?[a-z][\w-]*)$"
)
_NAME_AFTER = re.compile(rf"[ \t]+(?:(the|a|an)[ \t]+)?({ORG_CHAIN})")
_PHRASE_AFTER = re.compile(r"[ \t]+((?:the|a|an|its|his|her|their)[ \t]+(?:[\w’'-]+[ \t]+){0,3}?[a-z][\w-]*)")
_SOURCE_AFTER = re.compile(r"([^,.;:\n()\"“”]{2,60}?)(?=[,.;:\n()\"“”]|[ \t]+(?:that|who|which)\b|$)")
_NOT_SPEECH_AFTER = re.compile(r"[ \t]+(?:another[ \t]+|a[ \t]+|an[ \t]+)?(?:\d|(?:one|two|three|four|five|six|seven|eight|nine|ten)\b)")
_NOT_SAYING_BEFORE = re.compile(r"\b(?:declined|refused|decline|declines|refuses|would[ \t]+not|wouldn['’]t)[ \t]+to[ \t]+$")
_RELATIVE = re.compile(r"^(?:which|who|that)[ \t]+", re.IGNORECASE)
# "McConnell, who has said ...": the speaker is who the relative clause hangs on.
_RELATIVE_AT_END = re.compile(r",[ \t]+(?:who|which)$")
# "... bowed and said", "said it was ... and predicted": the verb shares the sentence's subject.
_CONJUNCTION_AT_END = re.compile(r"(?:^|[ \t,])(?:and|but|then)$")
_PRONOUN_AT_START = re.compile(r"[\s\"“‘']*(he|she|it|they)\b", re.IGNORECASE)
# '... called the measure "the responsible thing to do"': the quote is the subject's words.
_NAMING_VERB = re.compile(
    r"(?<![\w-])(called|calling|described|describing|dubbed|termed|labell?ed|branded|rated|deemed)\b[^.;:\n\"“”]{0,60}$"
)


@dataclass(frozen=True)
class Speaker:
    name: str  # what to show: "Igor Khovaev", "DFA", "diplomats"
    kind: str  # person, body, role, unknown
    vague: bool = False  # an unnamed source: "diplomatic sources", "officials"


@dataclass(frozen=True)
class Report:
    """A reporting clause: who, and where the words that report sit."""

    start: int  # start of the speaker phrase (or of the verb when the speaker follows)
    verb_start: int
    verb_end: int
    end: int  # end of the speaker phrase when it follows the verb, else verb_end
    speaker: Speaker | None
    inverted: bool  # "said Smith" / "according to X"


class SpeakerResolver:
    def __init__(
        self,
        masked: str,
        layout: Layout,
        names: NameIndex,
        skip_until: int = 0,
        positions: list[int] | None = None,
    ) -> None:
        """``positions``: where VERB_TRIGGERS are; None scans everything."""
        self.masked = masked
        self.layout = layout
        self.names = names
        # Built in reading order, so "it said" can look back at the reports before it.
        self.reports: list[Report] = []
        if positions is None:
            verbs = _VERB.finditer(masked, skip_until)
            according = _ACCORDING.finditer(masked, skip_until)
        else:
            near = [p for p in positions if p >= skip_until]
            verbs = windowed_finditer(_VERB, masked, near, 24, 30)
            according = windowed_finditer(_ACCORDING, masked, near, 2, 20)
        cues = [(m.start(), m.end(), False) for m in verbs]
        cues += [(m.start(), m.end(), True) for m in according]
        for start, end, according in sorted(cues):
            report = self._according_at(start, end) if according else self._report_at(start, end)
            if report:
                self.reports.append(report)

    # -- reporting clauses ----------------------------------------------------

    def _according_at(self, start: int, end: int) -> Report | None:
        chain = _NAME_AFTER.match(self.masked, end - 1)
        if chain and chain.group(2)[0].isupper():
            speaker = self._speaker_for_name(chain.group(2), chain.start(2))
            return Report(start, start, end, chain.end(), speaker, True)
        phrase = _SOURCE_AFTER.match(self.masked, end)
        if not phrase:
            return None
        words = phrase.group(1).split()
        # "according to diplomatic sources": nobody named, which is what to flag.
        speaker = Speaker(phrase.group(1), "role", vague=words[-1].lower() in ROLE_NOUNS)
        return Report(start, start, end, phrase.end(1), speaker, True)

    def _report_at(self, verb_start: int, verb_end: int) -> Report | None:
        masked = self.masked
        # "added 22 points" is a tally, "declined to say" says nothing.
        if _NOT_SPEECH_AFTER.match(masked, verb_end) and masked[verb_start:verb_end] in ("added", "adds"):
            return None
        if _NOT_SAYING_BEFORE.search(masked, max(0, verb_start - 30), verb_start):
            return None
        sentence = self.layout.sentence_at(verb_start)
        prefix = masked[sentence.start:verb_start].rstrip()
        subject = None
        if prefix and prefix[-1] not in "\"”’'":
            subject = self._subject_before(sentence.start, verb_start)
        # '..., said Smith' and '"...," said Smith': the speaker follows the verb.
        if not prefix or prefix[-1] in ",\"”’'" and (subject is None or subject[1].kind == "role"):
            after = self._phrase_after(verb_end)
            if after:
                start, end, speaker = after
                return Report(verb_start, verb_start, verb_end, end, speaker, True)
        if subject is None:
            return None
        start, speaker = subject
        return Report(start, verb_start, verb_end, verb_end, speaker, False)

    def _subject_before(self, floor: int, verb_start: int) -> tuple[int, Speaker] | None:
        masked = self.masked
        lo = max(floor, verb_start - 160)
        text = masked[lo:verb_start].rstrip()
        text = _strip_adverbs(text)
        # "Khovaev, in a press conference on January 5, said": skip the aside, unless
        # the aside is the name ("The chief executive, Margaret Ellison, said").
        if text.endswith(","):
            inner = text[:-1]
            comma = inner.rfind(",")
            if comma < 0:
                return None
            aside = inner[comma + 1:].strip()
            named = _CHAIN_AT_END.fullmatch(aside)
            if named and aside[0].isupper() and self.names.person_for(aside):
                start = lo + comma + 1 + (len(inner[comma + 1:]) - len(inner[comma + 1:].lstrip()))
                return start, self._speaker_for_name(named.group(2), start)
            text = inner[:comma].rstrip()
        text = _strip_adverbs(text)
        relative = _RELATIVE_AT_END.search(text)
        if relative:
            text = _strip_adverbs(text[: relative.start()].rstrip())
        if not text or text[-1] in "\"”’'":
            return None
        if _CONJUNCTION_AT_END.search(text):
            return self._coordinated_subject(floor, lo + len(text))
        # The subject sits in the last few words; anchored searches stay cheap on a short tail.
        cut = max(0, len(text) - 90)
        lo += cut
        text = text[cut:]
        pronoun = _PRONOUN_AT_END.search(text)
        if pronoun:
            speaker = self._resolve_pronoun(pronoun.group(1).lower(), lo + pronoun.start())
            return lo + pronoun.start(), speaker or Speaker(pronoun.group(1), "unknown")
        chain = _CHAIN_AT_END.search(text)
        if chain and chain.group(2)[0].isupper():
            # "Russia's envoy to the Philippines said": the speaker is the envoy.
            role = _ROLE_COMPLEMENT.search(text, 0, chain.start())
            if role and role.group(1) in ROLE_NOUNS:
                phrase = _PHRASE_AT_END.search(text, 0, role.end(1))
                if phrase:
                    return lo + phrase.start(), self._speaker_for_phrase(phrase.group(0), lo + phrase.start())
            return lo + chain.start(), self._speaker_for_name(chain.group(2), lo + chain.start(2))
        phrase = _PHRASE_AT_END.search(text)
        if phrase:
            return lo + phrase.start(), self._speaker_for_phrase(phrase.group(0), lo + phrase.start())
        return None

    def _coordinated_subject(self, floor: int, pos: int) -> tuple[int, Speaker] | None:
        """The subject a coordinated verb shares: an earlier report in the sentence, or its subject."""
        earlier = _nearest(r for r in reversed(self.reports) if floor <= r.start and r.verb_end <= pos and r.speaker)
        if earlier:
            return pos, earlier.speaker
        pronoun = _PRONOUN_AT_START.match(self.masked, floor, pos)
        if pronoun:
            speaker = self._resolve_pronoun(pronoun.group(1).lower(), pronoun.start(1))
            return (pos, speaker) if speaker else None
        for person in self.names.people.values():
            if any(floor <= p < pos for p in person.positions):
                return pos, Speaker(person.full_name, "person")
        return None

    def _phrase_after(self, pos: int) -> tuple[int, int, Speaker] | None:
        masked = self.masked
        chain = _NAME_AFTER.match(masked, pos)
        if chain and chain.group(2)[0].isupper():
            return chain.start(2), chain.end(), self._speaker_for_name(chain.group(2), chain.start(2))
        phrase = _PHRASE_AFTER.match(masked, pos)
        if phrase:
            return phrase.start(1), phrase.end(), self._speaker_for_phrase(phrase.group(1), phrase.start(1))
        return None

    def _speaker_for_name(self, text: str, pos: int) -> Speaker:
        words = text.split()
        if len(words) == 1 and text.lower() in ROLE_NOUNS:
            # "Officials said": a capital at the start of a sentence, not a name.
            return self._speaker_for_phrase(text, pos)
        if self.names.is_body(text):
            return Speaker(text, "body")
        person = self.names.person_for(text)
        if person:
            return Speaker(person.full_name, "person")
        if words and words[-1] in TITLES:
            role = self.names.person_with_role(words[-1].lower(), pos)
            if role:
                return Speaker(role.full_name, "person")
        return Speaker(text, "unknown")

    def _speaker_for_phrase(self, text: str, pos: int) -> Speaker:
        text = _RELATIVE.sub("", text.strip())
        words = text.lower().split()
        head = words[-1] if words else ""
        if head in ROLE_NOUNS and not head.endswith("s"):
            person = self.names.person_with_role(head, pos)
            if person and head not in {"source", "statement", "release", "report", "document"}:
                return Speaker(person.full_name, "person")
        vague = head in ROLE_NOUNS
        return Speaker(text, "role", vague=vague)

    def _resolve_pronoun(self, pronoun: str, pos: int) -> Speaker | None:
        if pronoun in ("he", "she"):
            person = self.names.last_person_before(pos)
            return Speaker(person.full_name, "person") if person else None
        if pronoun in ("it", "they"):
            for report in reversed(self.reports):
                if report.verb_start < pos and report.speaker and report.speaker.kind in ("body", "role"):
                    return report.speaker
        return None

    # -- quotes ---------------------------------------------------------------

    def speaker_of(self, quote: QuoteSpan) -> Speaker | None:
        layout = self.layout
        end_sentence = layout.sentence_at(max(quote.close_at - 1, quote.start))
        start_sentence = layout.sentence_at(quote.open_at)
        tail_limit = max(end_sentence.end, quote.close_at)
        for report in self.reports:
            # '"...," Khovaev added.' / '"...," said Smith.' right after the closing mark.
            if quote.close_at <= report.start <= quote.close_at + 3 and report.start <= tail_limit:
                gap = self.masked[quote.close_at:report.start]
                if not gap.strip(" \t,"):
                    return report.speaker
        naming = _NAMING_VERB.search(self.masked, start_sentence.start, quote.open_at)
        if naming:
            subject = self._subject_before(start_sentence.start, naming.start(1))
            if subject:
                return subject[1]
        reports = self.reports
        before = _nearest(
            r for r in reversed(reports)
            if start_sentence.start <= r.start and r.verb_end <= quote.open_at and r.speaker
        )
        if before:
            return before.speaker
        later = _nearest(
            r for r in reports if quote.close_at <= r.start and r.verb_start < end_sentence.end and r.speaker
        )
        if later:
            return later.speaker
        # A quote standing alone carries on from the last person quoted.
        paragraph = layout.paragraph_of(quote.open_at)
        earlier = _nearest(r for r in reversed(reports) if r.verb_end <= quote.open_at and r.speaker)
        if earlier and layout.paragraph_of(earlier.verb_start) >= paragraph - 2:
            return earlier.speaker
        return None


def _nearest(reports) -> Report | None:
    """The first of ``reports`` (callers pass them nearest first), or None."""
    return next(iter(reports), None)
