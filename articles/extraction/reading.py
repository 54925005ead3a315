"""What the statistical pipeline reads in one body, and who said each quotation.

``Reading`` runs the pipeline once per body: named entities of every sentence outside
quotations, a parse of the sentences that matter (those with a quotation mark or a
reporting word, and those where a person is first named), then the mentions, the cast of people, and the candidate
speakers of every quote. ``attribute_quotes`` walks the quotes in order and lets the
speaker model choose among the candidates; a quote standing alone may carry on from the
speaker chosen before it.

The engine and the speaker model's training both read articles through this class, so
the model is trained on exactly what it sees in service.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass

from .cast import Cast, source_type
from .mentions import Mention, MentionFinder
from .nlp import Entity, Pipeline, pipeline
from .quote_speakers import QuoteContext
from .quotes import QuoteSpan
from .sentences import Layout
from .speaker_model import SpeakerModel, load_speaker_model
from .speakers import Report, Speaker

# The mention roles that make a reporting clause: "Smith said", "said Smith", "according to Smith".
_REPORTING_ROLES = ("speech_subj", "conj_speech_subj", "speech_agent", "according")
# Entities that make a source named when its phrase holds one ("a Cabinet Office spokeswoman");
# a country or a nationality does not ("a US official").
_NAMING_LABELS = frozenset({"PERSON", "ORG", "FAC", "WORK_OF_ART", "PRODUCT", "EVENT", "LAW"})


@dataclass(frozen=True)
class QuoteSpeaker:
    quote: QuoteSpan
    speaker: Speaker | None  # None when the article does not say who spoke
    mention: Mention | None  # the words of the article the speaker was read from
    probability: float

    @property
    def name(self) -> str | None:
        return self.speaker.name if self.speaker else None


class Reading:
    def __init__(
        self,
        body: str,
        layout: Layout,
        quotes: list[QuoteSpan],
        cue_positions: Iterable[int],
        nlp: Pipeline | None = None,
    ) -> None:
        self.body = body
        self.layout = layout
        self.quotes = quotes
        self._inside = sorted((q.open_at + 1, q.close_at - 1) for q in quotes)
        # What is said inside a quotation is never a speaker, a source or a name to check:
        # sentences wholly inside one are not read at all, reporting words inside one wake nothing.
        self._cue_sentences = {layout.sentence_index(p) for p in cue_positions if not self.in_quote(p)}
        for quote in quotes:
            self._cue_sentences.add(layout.sentence_index(quote.open_at))
            self._cue_sentences.add(layout.sentence_index(max(quote.close_at - 1, quote.open_at)))
        outside = [(s.start, s.end) for s in layout.sentences if not self._wholly_quoted(s.start, s.end)]
        self.analysis = (nlp or pipeline()).analyse(body, self._parse_spans, outside)
        self.mentions = MentionFinder(body, self.analysis, layout, self.in_quote)
        self.cast = Cast(body, self.analysis, self.mentions, layout, self.in_quote)
        self.quote_context = QuoteContext(body, layout, self.analysis, self.mentions, quotes)

    def _quotation_around(self, offset: int) -> tuple[int, int] | None:
        """The inside of the last quotation opening at or before ``offset``."""
        index = bisect.bisect_right(self._inside, (offset, float("inf"))) - 1
        return self._inside[index] if index >= 0 else None

    def _wholly_quoted(self, start: int, end: int) -> bool:
        inside = self._quotation_around(start)
        return inside is not None and inside[0] <= start and end <= inside[1] + 1

    def _parse_spans(self, entities: list[Entity]) -> list[tuple[int, int]]:
        chosen = set(self._cue_sentences)
        seen: set[str] = set()
        for entity in entities:
            # A person's first mention is parsed for the title or role around the name.
            if entity.label == "PERSON" and entity.text not in seen and not self.in_quote(entity.start):
                seen.add(entity.text)
                chosen.add(self.layout.sentence_index(entity.start))
        sentences = self.layout.sentences
        return [(sentences[i].start, sentences[i].end) for i in sorted(chosen)]

    def speaker(self, mention: Mention, previous_person: str | None = None) -> Speaker:
        """Who ``mention`` is, and whether the article names them."""
        name, person = self.cast.speaker_name(mention, previous_person)
        named_body = any(
            e.label in _NAMING_LABELS for e in self.analysis.entities_between(mention.start, mention.end)
        )
        return Speaker(name, source_type(mention, name, person, named_body), person)

    def reports(self) -> list[Report]:
        """Every reporting clause in the reporter's words, from the parse, in text order."""
        tokens = self.analysis.tokens
        found: dict[int, Report] = {}
        for mention in self.mentions.mentions:
            if mention.role not in _REPORTING_ROLES or mention.verb < 0 or mention.verb in found:
                continue
            verb = tokens[mention.verb]
            verb_end = verb.end
            if mention.role == "according":
                verb_end = next((t.end for t in tokens[verb.i + 1:verb.i + 2] if t.lower == "to"), verb.end)
            elif not self.mentions.reports_speech(verb) and mention.role != "speech_agent":
                continue
            inverted = mention.role == "according" or mention.start > verb.start
            start, end = (verb.start, mention.end) if inverted else (mention.start, verb_end)
            found[mention.verb] = Report(start, verb.start, verb_end, end, self.speaker(mention), inverted)
        return sorted(found.values(), key=lambda r: r.start)

    def in_quote(self, offset: int) -> bool:
        """Whether ``offset`` is inside a quotation's marks."""
        inside = self._quotation_around(offset)
        return inside is not None and inside[0] <= offset < inside[1]


def attribute_quotes(reading: Reading, model: SpeakerModel | None = None) -> list[QuoteSpeaker]:
    """The speaker of every quote of ``reading``, in text order."""
    model = model or load_speaker_model()
    context = reading.quote_context
    found = []
    previous: Mention | None = None
    previous_person: str | None = None
    for quote in reading.quotes:
        candidate, probability = model.choose(context.candidates(quote, previous))
        if candidate is None:
            found.append(QuoteSpeaker(quote, None, None, probability))
            continue
        speaker = reading.speaker(candidate.mention, previous_person)
        found.append(QuoteSpeaker(quote, speaker, candidate.mention, probability))
        previous, previous_person = candidate.mention, speaker.person or previous_person
    return found
