"""The claim extractor: every claim in a news article a fact-checker must verify, as one
checklist item each.

The body is laid out once (sentences, paragraphs, quotations) and read once by the
statistical pipeline (``reading.py``: entities, a parse of the sentences that report
speech, the cast of people, each quote's speaker chosen by the speaker model). Figures,
dates, superlatives and unnamed sources are found by compiled patterns over the raw text,
so offsets stay exact. Speakers and names are looked for in the reporter's words only.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime
import functools
import hashlib
import json
import logging
import re
from collections import Counter
from pathlib import Path
from collections.abc import Sequence

from . import attribution, dates, figures, speakers, superlatives
from .attribution import find_attributions
from .claims import Claim
from .consistency import Variant, find_variants
from .dates import find_dates
from .figures import find_money, find_numbers
from .guidance import guidance_for, priority_for
from .merge import Finding, merge_findings
from .scan import TriggerIndex
from .names import NameIndex
from .quotes import find_quotes, mask_quotes, word_count
from .nlp import Pipeline, configured_name, pipeline
from .speaker_model import DEFAULT_MODEL_PATH
from .reading import Reading, attribute_quotes
from .sentences import Layout
from .spans import SpanIndex
from .statements import SentenceScorer, find_statements
from .speakers import NAMED
from .superlatives import find_superlatives
from .text import headline_end
from .tiers import DEFAULT_POLICY, TierRule, tier_for
from ..memo import Codec, RecentResults, code_digest

ENGINE_VERSION = "2.0"


def engine_version() -> str:
    """What made a checklist: the engine, the language pipeline and the speaker model's weights."""
    return f"{ENGINE_VERSION}+{configured_name()}+{_speaker_weights_digest()}"[:50]


@functools.lru_cache(maxsize=1)
def _speaker_weights_digest() -> str:
    return hashlib.sha256(DEFAULT_MODEL_PATH.read_bytes()).hexdigest()[:8]

logger = logging.getLogger(__name__)


_SCARE_QUOTE_WORDS = 2


def _trigger_lexicon() -> dict[str, tuple[str, ...]]:
    """Trigger word → the finders it wakes, each once.

    A capitalised entry ("Said", "According") also wakes the finders of its lower-case
    form: the index looks a word up as written before trying it in lower case.
    """
    lexicon: dict[str, list[str]] = {}
    for finder, words in (
        ("date", dates.TRIGGERS),
        ("number", figures.NUMBER_TRIGGERS),
        ("superlative", superlatives.TRIGGERS),
        ("speech", speakers.VERB_TRIGGERS),
        ("attribution", attribution.TRIGGERS),
    ):
        for word in words:
            finders = lexicon.setdefault(word, [])
            if finder not in finders:
                finders.append(finder)
    for word, finders in lexicon.items():
        for finder in lexicon.get(word.lower(), ()):
            if finder not in finders:
                finders.append(finder)
    return {word: tuple(finders) for word, finders in lexicon.items()}


_LEXICON = _trigger_lexicon()
_DIGIT_FINDERS = ("date", "number", "money")


def read(body: str, *, nlp: Pipeline | None = None) -> Reading:
    """The pipeline's reading of ``body`` exactly as extraction makes it (training reads articles so)."""
    return _Article(body, None, nlp=nlp).reading


_WORDS = re.compile(r"\w+")


class _Article:
    """Everything the finders share about one body, computed once."""

    def __init__(self, body: str, published_on: datetime.date | None, nlp: Pipeline | None = None) -> None:
        self.body = body
        self.published_on = published_on
        self.layout = Layout(body)
        self.head_end = headline_end(body)
        self.triggers = TriggerIndex(body, _LEXICON, _DIGIT_FINDERS)
        self.quotes = [q for q in find_quotes(body, self.layout) if q.open_at >= self.head_end]
        self.masked = mask_quotes(body, self.quotes)
        # A quote's words and the mark closing them, found by bisection rather than a scan of every quote.
        self._quote_spans = SpanIndex([(q.start, q.end + 1) for q in self.quotes])
        self.reading = Reading(body, self.layout, self.quotes, self.triggers["speech"], nlp)
        self.names = NameIndex(body, self.masked)
        self.reports = self.reading.reports()
        self.variants = find_variants(body, self.masked, self.head_end)
        self._canonical = {v.variant: v.canonical for v in self.variants}

    def in_quote(self, start: int, end: int) -> bool:
        return self._quote_spans.covers(start, end)

    @functools.cached_property
    def _word_counts(self) -> Counter[str]:
        return Counter(_WORDS.findall(self.body))

    def mentions(self, word: str) -> int:
        """How many times ``word`` stands as a whole word in the body (one pass over the body
        for every word asked, not one per word)."""
        if _WORDS.fullmatch(word):
            return self._word_counts[word]
        # "O'Brien", "al-Assad": the pattern is tried only where the word is written, found
        # with str.find, instead of running over the whole body for every such word.
        whole_word = re.compile(rf"\b{re.escape(word)}\b")
        body = self.body
        count, at = 0, body.find(word)
        while at >= 0:
            if whole_word.match(body, at):  # \b looks at the character before ``at`` too
                count += 1
                at = body.find(word, at + len(word))
            else:
                at = body.find(word, at + 1)
        return count

    def canonical_name(self, name: str) -> str:
        """A name as the article spells it right: a misspelt surname ("Khovaeb") is the person spelled right elsewhere."""
        if not any(w in self._canonical for w in name.split()):
            return name
        canonical = " ".join(self._canonical.get(w, w) for w in name.split())
        person = self.reading.cast.person_named(canonical)
        return person.display if person else canonical


def _quote_findings(article: _Article) -> list[Finding]:
    findings = []
    for found in attribute_quotes(article.reading):
        quote, speaker = found.quote, found.speaker
        name = article.canonical_name(speaker.name) if speaker and speaker.name else None
        if name is None and word_count(article.body[quote.start:quote.end]) <= _SCARE_QUOTE_WORDS:
            continue  # scare quotes around a word or two, not a quotation
        value = None
        if name is not None:
            said_as = " ".join(found.mention.text.split()) if found.mention else None
            value = {"source_type": speaker.source_type, "said_as": said_as}
        findings.append(Finding("quote", quote.start, quote.end, speaker=name, value=value, info=dict(value or {})))
    return findings


# Words a name never capitalises inside itself, but a Title-Case headline does:
# "Senator Says He Is Not Impressed By The Deal". A newspaper's "The" ("Ann Lee of The
# Times") is the only small word a name may capitalise, so small words must come in twos.
_HEADLINE_VERBS = frozenset(
    "Is Are Was Were Will Be Been Has Have Had Isn't Aren't Wasn't Won't Says Said Just Too Not "
    "Might Can Could Would Should Gets Got".split()
)
_HEADLINE_SMALL = frozenset("The A An In By Of To At On With From For And".split())
# "CLEVELAND - ", "OTHER STATES - ", "-": a dateline or a headline run into the name, or a list dash.
_LEADING_NOISE = re.compile(r"(?:[A-Z][A-Z.'’ ]*[A-Z.][ \t]+[-–—][ \t]+|[-–—•*][ \t]*)(?=[A-Z][a-z])")


def _name_span(body: str, start: int, end: int) -> tuple[int, int] | None:
    """The span of a name item, or None when the run of capitals is a headline, not a name."""
    lead = _LEADING_NOISE.match(body, start, end)
    if lead:
        start = lead.end()
    text = body[start:end]
    words = [w.strip(",.:;") for w in text.split()]
    if len(words) >= 2 and not any(c.islower() for c in text):
        return None  # "CORRECTION APPENDED": a heading in capitals
    if any(w in _HEADLINE_VERBS for w in words[1:]) or sum(w in _HEADLINE_SMALL for w in words[1:]) >= 2:
        return None
    line_start = body.rfind("\n", 0, start) + 1
    line_end = body.find("\n", end)
    line = body[line_start:len(body) if line_end < 0 else line_end].strip(" \t.:;!?")
    if len(words) >= 4 and line == text.strip() and all(w[:1].isupper() for w in words if w):
        return None  # a Title-Case line of its own: a headline or a related link
    return start, end


def _name_findings(article: _Article) -> list[Finding]:
    findings = []
    for named in article.reading.cast.names_to_check():
        value = {"name": named.name}
        if named.abbreviation:
            value["abbreviation"] = named.abbreviation
        if named.also_written:
            value["also_written"] = list(named.also_written)
        surname = named.name.split()[-1]
        info = {"name": named.name, "role": named.role, "mentions": article.mentions(surname)}
        span = _name_span(article.body, named.start, named.end)
        if span is None:
            continue
        findings.append(Finding("name", *span, value=value, info=info))
    # Bodies introduced with an abbreviation or named as events and documents, which the
    # pipeline may not tag: "Federal Service for Military Technical Cooperation (FSMTC)".
    for named in article.names.bodies:
        value = {"name": named.name, "abbreviation": named.abbreviation}
        span = _name_span(article.body, named.start, named.end)
        if span is None:
            continue
        findings.append(Finding("name", *span, value=value, info={"name": named.name}))
    return findings


def _date_findings(article: _Article) -> list[Finding]:
    findings = []
    seen_relative: set[str] = set()
    for mention in find_dates(article.body, article.published_on, article.triggers["date"]):
        if mention.relative:
            # The same relative date said twice ("early this month") names the same period.
            key = re.sub(r"\s+", " ", article.body[mention.start:mention.end].lower())
            if key in seen_relative:
                continue
            seen_relative.add(key)
        findings.append(Finding("date", mention.start, mention.end, value=mention.value))
    return findings


def _consistency_findings(variants: list[Variant]) -> list[Finding]:
    return [
        Finding(
            "consistency",
            v.start,
            v.end,
            value={"variant": v.variant, "canonical": v.canonical},
            info={
                "variant": v.variant,
                "canonical": v.canonical,
                "variant_count": v.variant_count,
                "canonical_count": v.canonical_count,
            },
        )
        for v in variants
    ]


def _collect(article: _Article) -> list[Finding]:
    body = article.body
    findings = _quote_findings(article)
    triggers = article.triggers
    findings += [Finding(f.kind, f.start, f.end, value=f.value) for f in find_money(body, triggers["money"])]
    findings += [Finding(f.kind, f.start, f.end, value=f.value) for f in find_numbers(body, triggers["number"])]
    findings += _date_findings(article)
    sentence_end = lambda offset: article.layout.sentence_at(offset).end  # noqa: E731
    findings += [
        Finding("superlative", s.start, s.end, value={"trigger": s.trigger})
        for s in find_superlatives(body, sentence_end, article.in_quote, triggers["superlative"])
    ]
    findings += _name_findings(article)
    layout = article.layout
    quoted = frozenset(
        index
        for f in findings
        if f.kind == "quote" and f.speaker and (f.value or {}).get("source_type") == NAMED
        for index in range(layout.sentence_index(f.start), layout.sentence_index(max(f.end - 1, f.start)) + 1)
    )
    for a in find_attributions(
        body, article.masked, article.layout, article.reports, article.head_end, triggers["attribution"], quoted
    ):
        source = article.canonical_name(a.source) if a.source and a.source_type == NAMED else a.source
        value = {"source": source, "source_type": a.source_type}
        findings.append(Finding("attribution", a.start, a.end, value=value, info=dict(value)))
    findings += _consistency_findings(article.variants)
    return [
        f
        for f in findings
        if f.start >= article.head_end
        and (f.kind == "date" or not layout.in_dateline(f.start, f.end))
        and not layout.in_credits(f.start, f.end)
    ]


def default_sentence_scorer() -> SentenceScorer | None:
    """The committed check-worthiness model, or None (no statements) when it cannot be loaded."""
    from ..checkworthiness import ModelFileError, load_scorer

    try:
        return load_scorer().score
    except (ModelFileError, OSError) as error:
        logger.warning("check-worthiness model unavailable, extracting without statements: %s", error)
        return None


def _encode_claims(claims: list[Claim]) -> bytes:
    data = [dataclasses.asdict(claim) for claim in claims]
    encoded = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    if json.loads(encoded) != data:
        raise ValueError("these claims do not survive JSON unchanged")  # a tuple somewhere: not shared
    return encoded.encode("utf-8", "surrogatepass")


def _decode_claims(raw: bytes) -> list[Claim]:
    return [Claim(**fields) for fields in json.loads(raw.decode("utf-8", "surrogatepass"))]


# Whole checklists of recent articles, shared between processes like the sentence readings:
# the same text extracted again (a wire story imported under a second source, a message
# delivered twice) costs a lookup. The key is a digest of everything the checklist depends
# on: the body, the publication date, the tier policy, the engine and its models.
# Few: a process keeps them for a message delivered twice; other processes find them shared.
REMEMBERED_ARTICLES = 64
REMEMBERED_ARTICLE_MAX_CHARS = 100_000
_checklists_of: RecentResults[list[Claim]] = RecentResults(
    REMEMBERED_ARTICLES, namespace="checklist", codec=Codec(_encode_claims, _decode_claims)
)


def _checklist_key(body: str, published_on, tier_policy: Sequence[TierRule], scorer_digest: str) -> str:
    code = code_digest(str(Path(__file__).parent), str(Path(__file__).parents[1] / "checkworthiness"))
    what = repr((
        ENGINE_VERSION, pipeline().version, _speaker_weights_digest(), code, scorer_digest,
        str(published_on), tuple(tier_policy),
    ))
    return hashlib.sha256(f"{what}\n{body}".encode("utf-8", "surrogatepass")).hexdigest()


def forget_recent_readings() -> None:
    """Empty the process's memories of recent sentences (their scores, entities and parses)
    and articles, so that the benchmarks read every article as new."""
    from ..checkworthiness import ModelFileError, load_scorer
    from .nlp import PipelineUnavailable

    _checklists_of.clear()
    try:
        load_scorer().forget_scores()
    except (ModelFileError, OSError):
        pass
    try:
        pipeline().forget()
    except PipelineUnavailable:
        pass


def extract_claims(
    body: str,
    *,
    published_on: datetime.date | None = None,
    score_sentences: SentenceScorer | None | bool = True,
    tier_policy: Sequence[TierRule] = DEFAULT_POLICY,
) -> list[Claim]:
    """The checklist of ``body``.

    ``score_sentences`` scores sentences for check-worthiness: True (the default) uses the
    committed model, False or None extracts with rules only (no statement items).
    ``tier_policy`` decides which items are required and which recommended.
    """
    if not body.strip():
        return []
    if score_sentences is True:
        scorer_digest = _default_scorer_digest()
        score_sentences = default_sentence_scorer()
    else:
        scorer_digest = None if score_sentences else "no statements"
    if scorer_digest is None or len(body) > REMEMBERED_ARTICLE_MAX_CHARS:
        # A scorer of the caller's own has nothing to know it by; a very long text is not
        # worth copying in and out of the memory (its edits are new texts anyway).
        return _extract(body, published_on, score_sentences, tier_policy)
    tier_policy = tuple(tier_policy)
    key = _checklist_key(body, published_on, tier_policy, scorer_digest)
    (claims,) = _checklists_of.recall(
        [key], lambda _keys: [_extract(body, published_on, score_sentences, tier_policy)]
    )
    return copy.deepcopy(claims)  # the caller's own copy: the remembered one stays as it was


def _default_scorer_digest() -> str | None:
    from ..checkworthiness import ModelFileError, load_scorer

    try:
        return load_scorer().digest or None
    except (ModelFileError, OSError):
        return "no statements"


def _extract(
    body: str, published_on: datetime.date | None, score_sentences: SentenceScorer | None, tier_policy
) -> list[Claim]:
    article = _Article(body, published_on)
    findings = _collect(article)
    if score_sentences:
        findings += find_statements(
            body,
            article.layout,
            article.reports,
            findings,
            score_sentences,
            skip_until=article.head_end,
            skip=lambda start, end: article.layout.in_dateline(start, end) or article.layout.in_credits(start, end),
        )
    claims = []
    for f in merge_findings(findings):
        text = body[f.start:f.end]
        s_start, s_end = article.layout.sentence_span(f.start, f.end)
        sentence = body[s_start:s_end]
        priority = priority_for(f.kind, f.value, f.speaker, f.info, sentence)
        claims.append(
            Claim(
                kind=f.kind,
                start=f.start,
                end=f.end,
                text=text,
                sentence=sentence,
                speaker=f.speaker if f.kind == "quote" else None,
                value=f.value,
                guidance=guidance_for(f.kind, text, f.value, f.speaker, f.info, sentence),
                priority=priority,
                tier=tier_for(tier_policy, kind=f.kind, source_type=f.info.get("source_type"), priority=priority),
                extra=f.info,
            )
        )
    return claims
