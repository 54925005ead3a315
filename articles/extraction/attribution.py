"""Claims that rest on someone else's word: unnamed sources ("according to diplomatic
sources", "reportedly", "officials said", "it is understood") and reported speech of a
named person or body that is not a direct quotation ("Duterte said he could easily go to
Russia").

One item per sentence: the sentence is the claim, the source is why it needs checking,
and ``source_type`` says whether the article names it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import WORD
from .scan import windowed_finditer
from .sentences import Layout
from .speakers import NAMED, UNNAMED, Report

# Plural sources that name nobody ("officials said", "many strategists think").
_GROUP_SOURCES = (
    r"(?:officials|strategists|analysts|experts|observers|critics|insiders|aides|advisers|advisors|"
    r"diplomats|economists|sources)"
)
_GROUP_VERBS = (
    r"(?:said|say|says|think|believe|believed|argue|argued|emphasi[sz]ed|stressed|insisted|told|noted|warned|"
    r"suggested|predicted|predict|expect|expected|fear|feared|contend|contended|described|estimated|estimate)"
)
VAGUE = re.compile(
    r"\b(?:reportedly|allegedly|purportedly|supposedly|rumou?red|"
    r"(?:is|are|was|were)[ \t]+(?:said|believed|understood|thought|reported|alleged|rumou?red)[ \t]+to|"
    r"it[ \t]+is[ \t]+(?:understood|believed|reported|alleged|claimed)|"
    r"(?:sources?|insiders?|people[ \t]+(?:familiar|close)[ \t]+(?:with|to))[ \t]+(?:said|say|says|told|claimed|claim)|"
    r"(?:people|persons|officials?|sources?)[ \t]+(?:familiar[ \t]+with|close[ \t]+to|with[ \t]+(?:direct[ \t]+)?knowledge[ \t]+of|briefed[ \t]+on)|"
    r"on[ \t]+(?:the[ \t]+)?condition[ \t]+of[ \t]+anonymity|"
    r"(?:did[ \t]+not|didn[’']t|would[ \t]+not|wouldn[’']t|declined[ \t]+to|refused[ \t]+to)[ \t]+(?:want[ \t]+to[ \t]+)?"
    r"be[ \t]+(?:named|identified|quoted)|"
    r"(?:was|were|is|are)[ \t]+not[ \t]+authori[sz]ed[ \t]+to[ \t]+(?:speak|comment|discuss)|"
    r"(?:news|media|press)[ \t]+reports?|"
    rf"(?P<group>{_GROUP_SOURCES})[ \t]+(?:have[ \t]+|had[ \t]+)?{_GROUP_VERBS}|"
    r"citing[ \t]+(?:unnamed|anonymous|unidentified)|(?:unnamed|anonymous|unidentified)[ \t]+(?:[a-z]+[ \t]+)?(?:sources?|officials?)|"
    r"according[ \t]+to)\b",
    re.IGNORECASE,
)
TRIGGERS = tuple(
    "reportedly allegedly purportedly supposedly rumoured rumored said believed understood thought "
    "reported alleged claimed source sources insider insiders people according familiar anonymity "
    "citing unnamed anonymous unidentified named identified quoted authorized authorised reports report "
    "officials strategists analysts experts observers critics insiders aides advisers advisors diplomats economists".split()
) + (
    "Reportedly", "Allegedly", "According", "Sources", "Citing", "Unnamed", "Anonymous", "Officials", "Critics",
    "Analysts", "Experts", "Strategists", "Diplomats", "Economists", "Observers", "Insiders", "Aides", "Advisers",
)
_WORD = re.compile(WORD)
_MIN_REPORTED_WORDS = 4
# Verbs whose named speaker makes a claim worth an item of its own ("Khovaev said Russia is
# ready to supply ..."); questions, promises, requests and participles ("saying ...") do not.
CLAIMING_VERBS = frozenset(
    """
    said says say told tells tell added adds claimed claims claim stated states announced announces
    insisted insists argued argues warned warns explained explains noted notes confirmed confirms
    denied denies alleged alleges accused accuses predicted predicts revealed reveals disclosed
    acknowledged acknowledges admitted admits maintained maintains contended contends asserted asserts
    reported estimated estimates wrote writes
    """.split()
)


# "insisted on paying", "maintains a lead", "claimed victory", "asked him if": the verb
# does something other than report a claim.
_NOT_A_CLAIM_AFTER = re.compile(
    r"[ \t]+(?:on[ \t]+\w+ing\b|(?:victory|credit|responsibility|control|ownership)\b|"
    r"(?:a|an|the|his|her|its|their|our)[ \t]+(?!(?:report|statement|claim)s?\b)\w+)",
    re.IGNORECASE,
)
_OBJECT_TAKING = frozenset(
    "maintain maintains maintained claim claims claimed insist insists insisted hold holds held".split()
)
_QUESTIONS = frozenset("ask asks asked asking wonder wonders wondered question questions questioned".split())
# "... who had accused", "... which claims": the verb sits in a clause describing the speaker.
_RELATIVE_BEFORE = re.compile(r"\b(?:who|which|that)(?:[ \t]+(?:had|has|have|also|later|once|previously|repeatedly))*[ \t]+$")


@dataclass(frozen=True)
class Attribution:
    start: int
    end: int
    source: str | None  # who the claim rests on, as the article puts it; None when unsaid
    source_type: str  # NAMED or UNNAMED


def _trim(body: str, start: int, end: int) -> tuple[int, int]:
    while end > start and body[end - 1] in " \t.;:":
        end -= 1
    while start < end and body[start] in " \t":
        start += 1
    return start, end


def find_attributions(
    body: str,
    masked: str,
    layout: Layout,
    reports: list[Report],
    skip_until: int = 0,
    positions: list[int] | None = None,
    quoted_sentences: frozenset[int] = frozenset(),
) -> list[Attribution]:
    """Claims resting on someone's word, one per sentence.

    ``positions``: where TRIGGERS are (None scans everything). ``quoted_sentences``: sentences
    holding a quote item whose speaker is known; the quote item already asks who said it.
    """
    found: dict[int, Attribution] = {}
    if positions is None:
        matches = VAGUE.finditer(masked, skip_until)
    else:
        matches = windowed_finditer(VAGUE, masked, [p for p in positions if p >= skip_until], 22, 40)
    according = {r.verb_start: r.speaker for r in reports if r.inverted and r.speaker is not None}
    for match in matches:
        index = layout.sentence_index(match.start())
        if index in quoted_sentences:
            continue
        sentence = layout.sentences[index]
        start, end = _trim(body, sentence.start, sentence.end)
        source, source_type = match.group("group") or match.group(), UNNAMED
        named = according.get(match.start())
        if named is not None:
            # "according to diplomatic sources" / "according to the DFA": the source is who follows.
            source, source_type = named.name or source, named.source_type
        found[index] = Attribution(start, end, source, source_type)
    for report in reports:
        if report.start < skip_until or report.speaker is None:
            continue
        index = layout.sentence_index(report.verb_start)
        if index in found or index in quoted_sentences:
            continue
        sentence = layout.sentences[index]
        text = masked[sentence.start:sentence.end]
        if report.speaker.name is None:
            continue  # "he said" with no one to be "he": nothing to name here
        start, end = _trim(body, sentence.start, sentence.end)
        verb = body[report.verb_start:report.verb_end].lower()
        if not report.inverted and (verb.endswith("ing") or _RELATIVE_BEFORE.search(masked, report.start, report.verb_start)):
            # "with 140 members blasting the raids", "a chief who had accused him of bias":
            # a participle or a relative clause describes someone; it reports no claim.
            continue
        if verb in _QUESTIONS or (verb in _OBJECT_TAKING and _NOT_A_CLAIM_AFTER.match(masked, report.verb_end)):
            continue  # a question, or "insisted on paying", "maintains a lead": no claim reported
        if report.speaker.unnamed:
            found[index] = Attribution(start, end, report.speaker.name, UNNAMED)
            continue
        # Direct quotes are their own items; here only what is reported in the
        # reporter's words, and only when there is a claim of some length.
        if any(mark in text for mark in "\"“”‘") or report.inverted:
            continue
        if body[sentence.start:sentence.end].rstrip()[-1:] not in ".!?":
            continue  # the sentence runs on into a quotation: the quote item asks about it
        if body[report.verb_start:report.verb_end].lower() not in CLAIMING_VERBS:
            continue
        reported = masked[report.verb_end:sentence.end]
        if report.start > sentence.start + 2:
            before = masked[sentence.start:report.start]
            if len(_WORD.findall(before)) > len(_WORD.findall(reported)):
                reported = before
        if len(_WORD.findall(reported)) < _MIN_REPORTED_WORDS:
            continue
        found[index] = Attribution(start, end, report.speaker.name, NAMED)
    return [found[i] for i in sorted(found)]
