"""Who said each quotation: the mentions around it that could be its speaker, described by
features a learned model weighs (see ``speaker_model.py``).

For a quote, the candidates are the mentions in its own sentences, the two sentences
before it (reaching back at most into the previous paragraph) and the one after it (in
the same paragraph), and the speaker chosen for the
quote before it — a quote standing alone in its paragraph usually carries on from the
last person quoted. Each candidate is described by short feature strings: what it is
(``kind=person``), how it relates to a reporting verb (``role=speech_subj``), where it
sits (``dir=after``, ``sd=0``), whether its verb governs the quote (``link=direct``), and
their combinations. Features are plain strings so that examples can be read and the
weights inspected.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .lexicon import SPEECH_VERB_FORMS
from .mentions import Mention, MentionFinder
from .nlp import Analysis
from .quotes import QuoteSpan
from .sentences import Layout

SPEAKER_ROLES = frozenset({"speech_subj", "speech_agent", "according", "speech_noun", "appos_speech_subj", "conj_speech_subj"})
PERSONISH = frozenset({"person", "he", "proper", "role", "org", "roles", "group", "they", "it", "we", "i"})
_DASH_BEFORE = re.compile(r"[\s,]*[-–—―]+[\s]*$")
# A reporting verb right after a mention ("Flynn, a top Trump surrogate, said") or right
# before it ("said Flynn"): read from the words themselves, so a bad parse cannot hide it.
_WORD_AFTER = re.compile(r"[ \t]+(?:(?:\w+ly|has|had|also)[ \t]+)?(\w+)")
_WORD_AFTER_ASIDE = re.compile(r"[ \t]*,[^,.;:\n\"“”]{1,70},[ \t]+(?:(?:\w+ly|has|had|also)[ \t]+)?(\w+)")
_WORD_BEFORE = re.compile(r"(\w+)[ \t]+$")


def _cue_after(body: str, end: int) -> bool:
    for pattern in (_WORD_AFTER, _WORD_AFTER_ASIDE):
        match = pattern.match(body, end)
        if match and match.group(1).lower() in SPEECH_VERB_FORMS:
            return True
    return False


def _cue_before(body: str, start: int) -> bool:
    match = _WORD_BEFORE.search(body, max(0, start - 20), start)
    return bool(match) and match.group(1).lower() in SPEECH_VERB_FORMS


# Only a short gap can be "only punctuation" or a dash before a name: longer ones are not read.
_GAP_READ = 40
_ADJACENT = re.compile(r"[\s,:;—–―-]*")
_COLON_BETWEEN = re.compile(r"\s*:\s*$")
_WORDS = re.compile(r"\w+")


# The pairs of features the model also weighs together.
_FEATURE_PAIRS = (
    ("kind", "role"), ("role", "dir"), ("role", "link"), ("kind", "dir"), ("dir", "sd"),
    ("dir", "dist"), ("kind", "link"), ("role", "nspeech"), ("kind", "nperson"), ("dir", "punct"),
    ("kind", "carried"), ("role", "sd"), ("kind", "sd"), ("dir", "between"), ("carried", "far"),
    ("reported", "dir"), ("reported", "kind"), ("reported", "sd"),
    ("adjacent", "dir"), ("cue", "dir"), ("cue", "kind"), ("adjacent", "cue"), ("cue", "sd"),
    ("takes_other", "link"), ("takes_other", "role"), ("takes_other", "dir"),
    ("nested", "kind"), ("nested", "role"),
)


@dataclass
class Candidate:
    mention: Mention
    features: list[str] = field(default_factory=list)


def _bucket(chars: int) -> str:
    for limit, name in ((3, "0"), (12, "1"), (30, "2"), (70, "3"), (150, "4"), (400, "5")):
        if chars < limit:
            return name
    return "6"


class QuoteContext:
    """What the candidate features need to know about one article."""

    def __init__(self, body: str, layout: Layout, analysis: Analysis, mentions: MentionFinder, quotes: list[QuoteSpan]) -> None:
        self.body = body
        self.layout = layout
        self.analysis = analysis
        self.mentions = mentions
        self.quotes = quotes
        self._links_of = [self._links(quote) for quote in quotes]
        # Which quotes each verb takes: a verb that takes another quote speaks that one.
        self._quotes_of_verb: dict[int, set[int]] = {}
        for index, (quote, (governors, inside)) in enumerate(zip(quotes, self._links_of)):
            linked = set(governors) | {t.i for t in analysis.tokens_between(quote.open_at - 200, quote.close_at + 200) if t.head in inside and t.i not in inside}
            for verb in linked:
                self._quotes_of_verb.setdefault(verb, set()).add(index)
        self._index = {id(q): i for i, q in enumerate(quotes)}
        self._opens = sorted(q.open_at for q in quotes)

    # -- the quote ----------------------------------------------------------------

    def _quote_features(self, quote: QuoteSpan) -> list[str]:
        body, layout = self.body, self.layout
        para_start = layout.paragraphs[layout.paragraph_of(quote.open_at)][0]
        last_para_end = layout.paragraphs[layout.paragraph_of(max(quote.close_at - 1, quote.open_at))][1]
        opens = not body[para_start:quote.open_at].strip()
        closes = not body[quote.close_at:last_para_end].strip(" \t.,;:!?)")
        words = len(_WORDS.findall(body, quote.start, quote.end))
        tail = body[max(quote.start, quote.close_at - 3):quote.close_at]
        return [
            f"q_opens={opens}",
            f"q_closes={closes}",
            f"q_whole={opens and closes}",
            f"q_len={'1' if words <= 2 else '2' if words <= 7 else '3'}",
            f"q_comma={any(mark in tail for mark in ',?!')}",
        ]

    def _links(self, quote: QuoteSpan) -> tuple[set[int], set[int]]:
        """Tokens heading the quote's words from outside it, and tokens inside the quote."""
        tokens = self.analysis.tokens
        inside = {t.i for t in self.analysis.tokens_between(quote.start, quote.end)}
        governors = {tokens[i].head for i in inside if tokens[i].head not in inside}
        return governors, inside

    def _link(self, mention: Mention, governors: set[int], inside: set[int]) -> str:
        if mention.verb < 0:
            return "none"
        verb = self.analysis.tokens[mention.verb]
        if verb.i in inside:
            return "quoted_verb"  # Thomas "totally condemned" the decision: the quote is the verb
        if verb.i in governors or verb.head in inside:
            return "direct"
        if any(self.analysis.tokens[g].head == verb.i for g in governors):
            return "near"
        return "other"

    # -- candidates ---------------------------------------------------------------

    def window(self, quote: QuoteSpan) -> tuple[int, int]:
        """Offsets of the text whose mentions may be the quote's speaker."""
        layout = self.layout
        first = layout.sentence_index(quote.open_at)
        last = layout.sentence_index(max(quote.close_at - 1, quote.open_at))
        start_para = layout.sentences[first].paragraph
        lo = first
        while lo > 0 and first - lo < 2 and layout.sentences[lo - 1].paragraph >= start_para - 1:
            lo -= 1
        hi = last
        if hi + 1 < len(layout.sentences) and layout.sentences[hi + 1].paragraph == layout.sentences[last].paragraph:
            hi += 1
        return layout.sentences[lo].start, layout.sentences[hi].end

    def _opens_between(self, start: int, end: int) -> bool:
        """Whether another quotation opens in [start, end) (quotations never overlap)."""
        return bisect.bisect_left(self._opens, end) > bisect.bisect_left(self._opens, start)

    def candidates(self, quote: QuoteSpan, previous: Mention | None = None) -> list[Candidate]:
        layout, body = self.layout, self.body
        lo, hi = self.window(quote)
        mentions = [m for m in self.mentions.between(lo, hi) if not (quote.open_at <= m.start < quote.close_at)]
        if previous is not None and not any(m.head_start == previous.head_start for m in mentions):
            mentions.append(previous)
        if not mentions:
            return []
        quote_features = self._quote_features(quote)
        index = self._index.get(id(quote))
        governors, inside = self._links_of[index] if index is not None else self._links(quote)
        first_sentence = layout.sentence_index(quote.open_at)
        last_sentence = layout.sentence_index(max(quote.close_at - 1, quote.open_at))
        first_para = layout.paragraph_of(quote.open_at)
        last_para = layout.paragraph_of(max(quote.close_at - 1, quote.open_at))
        described = []
        for m in mentions:
            before = m.end <= quote.open_at
            if before:
                direction, chars = "before", quote.open_at - m.end
                sd, pd = first_sentence - m.sentence, first_para - m.paragraph
                between = self._opens_between(m.end, quote.open_at)
                gap = body[m.end:quote.open_at] if chars <= _GAP_READ else "…"
            else:
                direction, chars = "after", m.start - quote.close_at
                sd, pd = m.sentence - last_sentence, m.paragraph - last_para
                between = self._opens_between(quote.close_at, m.start)
                gap = body[quote.close_at:m.start] if chars <= _GAP_READ else "…"
            carried = previous is not None and m.head_start == previous.head_start
            far = not (lo <= m.start < hi)
            described.append((m, direction, chars, min(sd, 3), min(pd, 2), between, gap, carried, far))
        nearest_speech = {}
        nearest_person = {}
        for m, direction, chars, *_ in described:
            if m.role in SPEAKER_ROLES and (direction not in nearest_speech or chars < nearest_speech[direction][0]):
                nearest_speech[direction] = (chars, m.head_start)
            if m.kind in PERSONISH and (direction not in nearest_person or chars < nearest_person[direction][0]):
                nearest_person[direction] = (chars, m.head_start)
        candidates = []
        for m, direction, chars, sd, pd, between, gap, carried, far in described:
            link = self._link(m, governors, inside)
            punct = "dash" if direction == "after" and _DASH_BEFORE.fullmatch(gap) else (
                "colon" if direction == "before" and _COLON_BETWEEN.fullmatch(gap) else "none")
            adjacent = len(gap) <= 4 and bool(_ADJACENT.fullmatch(gap))
            # Inside another mention's span, and not the same span.
            nested = any(o.start <= m.start and m.end <= o.end and (o.start < m.start or m.end < o.end) for o in mentions)
            # Whether the verb also takes a quote other than this one.
            verb_quotes = self._quotes_of_verb.get(m.verb) if m.verb >= 0 else None
            takes_other = bool(verb_quotes) and (len(verb_quotes) > 1 or index not in verb_quotes)
            cue_after = _cue_after(body, m.end)
            cue_before = _cue_before(body, m.start)
            is_nearest_speech = nearest_speech.get(direction, (0, None))[1] == m.head_start
            is_nearest_person = nearest_person.get(direction, (0, None))[1] == m.head_start
            base = {
                "kind": m.kind,
                "role": m.role,
                "dir": direction,
                "sd": str(sd),
                "pd": str(pd),
                "dist": _bucket(chars),
                "link": link,
                "punct": punct,
                "between": str(between),
                "carried": str(carried),
                "far": str(far),
                "nspeech": str(is_nearest_speech),
                "nperson": str(is_nearest_person),
                "reported": str(m.reported),
                "adjacent": str(adjacent),
                "takes_other": str(takes_other),
                "nested": str(nested),
                "cue": "after" if cue_after else "before" if cue_before else "none",
            }
            features = [f"{k}={v}" for k, v in base.items()]
            for a, b in _FEATURE_PAIRS:
                features.append(f"{a}={base[a]}|{b}={base[b]}")
            features.append(f"role={m.role}|dir={direction}|link={link}")
            features.append(f"kind={m.kind}|role={m.role}|dir={direction}")
            features.append(f"role={m.role}|dir={direction}|sd={sd}")
            for qf in quote_features:
                features.append(f"{qf}|dir={direction}|sd={sd}")
                features.append(f"{qf}|carried={carried}")
                features.append(f"{qf}|role={m.role}")
            candidates.append(Candidate(m, features))
        return candidates
