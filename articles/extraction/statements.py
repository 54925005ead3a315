"""Statement items: factual sentences no rule covers, chosen by the check-worthiness model.

A sentence becomes a ``statement`` item when the model scores it high, it is in the
reporter's own words (no quotation in it), no other item already carries its claim (a
quote, attribution, superlative, figure or amount in it asks to check the sentence; a
date or a name alone does not: they check when and who, not what), and it ranks among the article's most check-worthy sentences (at most
``MAX_SHARE`` of them, so a long article does not turn into a list of every sentence).
The span is trimmed to the claim: a leading connective ("However,"), a reporting clause
in front ("Lorenzana said that") or at the end (", Khovaev said") and the final full
stop are left out.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Callable, Sequence

from .lexicon import SPEECH_VERB_FORMS, WORD
from .merge import Finding
from .sentences import Layout
from .spans import SpanIndex
from .speakers import Report

# A sentence must score at least this to become a statement item...
MIN_SCORE = 0.5
# ...and a sentence that only reports what someone said needs more: the claim to check
# first is that they said it, and quote and attribution items already ask for that.
MIN_SCORE_REPORTED = 0.8
# At most this share of an article's sentences become statement items, the best first.
MAX_SHARE = 0.3
MIN_WORDS = 5
# A closing clause of at most this many words with a speech verb reports who said the rest.
MAX_TAIL_WORDS = 10
# An item of one of these kinds inside the claim already asks to check it.
COVERING_KINDS = frozenset({"attribution", "superlative", "quote", "number", "money"})

_CONNECTIVE = re.compile(
    r"(?:However|But|And|Also|Meanwhile|Still|Yet|Moreover|Furthermore|In addition|Besides|Instead|Already)\b,?\s+"
)
_THAT = re.compile(r"[ \t]*(?:that[ \t]+)?")
_TAIL_FILLER = re.compile(r"[\s,.;:!?]*(?:\b[\w’'-]+\b[\s,.;:!?]*){0,4}")
_WORD = re.compile(WORD)
_WITHHELD = re.compile(
    r"\b(?:did not|didn[’']t|would not|wouldn[’']t|could not|couldn[’']t|declined to|refused to|was unable to)"
    r"[ \t]+(?:immediately[ \t]+|yet[ \t]+|publicly[ \t]+)?"
    r"(?:identify|specify|say|disclose|elaborate|give|provide|reveal|name|comment|confirm|detail|respond|return)\b",
    re.IGNORECASE,
)


SentenceScorer = Callable[[Sequence[str]], list[float]]


def find_statements(
    body: str,
    layout: Layout,
    reports: list[Report],
    findings: list[Finding],
    score: SentenceScorer,
    *,
    skip_until: int = 0,
    skip: Callable[[int, int], bool] = lambda start, end: False,
) -> list[Finding]:
    """Statement findings for the best-scoring uncovered sentences, in text order.

    Only the sentences that could become statements (in the reporter's words, not carried
    by another item) are scored: the model is the slow part.
    """
    covered = SpanIndex([f for f in findings if f.kind in COVERING_KINDS], span=lambda f: (f.start, f.end)).touches
    sentences = layout.sentences
    starts = [sentence.start for sentence in sentences]
    reports_in: dict[int, list[Report]] = {}
    for report in reports:
        reports_in.setdefault(bisect.bisect_right(starts, report.start) - 1, []).append(report)
    open_claims = []
    for index, sentence in enumerate(sentences):
        if sentence.start < skip_until or skip(sentence.start, sentence.end):
            continue
        inside = [r for r in reports_in.get(index, ()) if r.end <= sentence.end]
        span = _claim_span(body, sentence.start, sentence.end, inside)
        if span is not None and not covered(span[0], span[1]):
            open_claims.append((sentence, *span))
    scores = score([body[sentence.start : sentence.end] for sentence, *_ in open_claims]) if open_claims else []
    candidates = [
        (value, start, end)
        for (sentence, start, end, reported), value in zip(open_claims, scores)
        if value >= (MIN_SCORE_REPORTED if reported else MIN_SCORE)
    ]
    limit = max(1, math.floor(MAX_SHARE * len(sentences))) if sentences else 0
    best = sorted(candidates, key=lambda c: (-c[0], c[1]))[:limit]
    return [
        Finding("statement", start, end, value={"score": round(score, 3)}, info={"score": score})
        for score, start, end in sorted(best, key=lambda c: c[1])
    ]


def _claim_span(body: str, start: int, end: int, inside: list[Report]) -> tuple[int, int, bool] | None:
    """The claim inside the sentence ``body[start:end]``, and whether the sentence reports someone's words.

    ``inside``: the reporting clauses that lie within the sentence.
    """
    text = body[start:end]
    if any(mark in text for mark in '"“”') or text.rstrip().endswith("?"):
        return None  # quotations are quote items; questions are not claims
    if not text.rstrip().endswith((".", "!", "…")):
        return None  # a headline, subhead or caption line, not a sentence of the story
    if _WITHHELD.search(text):
        return None  # what a source would not say is the reporting, not a claim to check
    reported = False
    connective = _CONNECTIVE.match(body, start)
    if connective:
        start = connective.end()
    for report in inside:
        if report.start <= start + 1 and not report.inverted:
            # "Lorenzana said (that) ...": the claim is what follows.
            start = _THAT.match(body, report.end).end()
            reported = True
        elif report.inverted and report.start <= start + 1:
            # "According to X, ...": the claim follows the comma.
            comma = body.find(",", report.end, end)
            if comma != -1:
                start = comma + 1
            reported = True
        elif _is_tail(body, report, end):
            # "..., Khovaev said." / "..., said the DFA.": the claim ends before it.
            comma = body.rfind(",", start, report.start)
            end = comma if comma != -1 else report.start
            reported = True
    if not reported:
        # A closing ", <someone> said (Tuesday)." the reading did not parse.
        comma = body.rfind(",", start, end)
        tail_words = _WORD.findall(body[comma:end]) if comma != -1 else []
        if 0 < len(tail_words) <= MAX_TAIL_WORDS and any(w.lower() in SPEECH_VERB_FORMS for w in tail_words):
            end, reported = comma, True
    start, end = _strip(body, start, end)
    if len(_WORD.findall(body[start:end])) < MIN_WORDS:
        return None
    return start, end, reported


def _is_tail(body: str, report: Report, sentence_end: int) -> bool:
    rest = _TAIL_FILLER.match(body, report.end, sentence_end)
    return rest is not None and rest.end() >= sentence_end - 1


def _strip(body: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (body[start].isspace() or body[start] in ",;:—–-"):
        start += 1
    while end > start and (body[end - 1].isspace() or body[end - 1] in ".,;:!—–-"):
        end -= 1
    return start, end
