"""The story-desk benchmark (``manage.py bench_stories``): the cost of linking one more
article as the desk grows.

The desk is synthetic but shaped like a newsroom's: articles belong to stories that run
for a few days; an article of a story names its people, quotes them and cites its
figures, and repeats some of what earlier articles of the story said — the same words
(two thirds) or with a word changed (a third). Words are drawn from a Zipf-like
vocabulary, so that common words are common, as in news copy (the MinHash index must
not find every article through "the"). Items are written directly, as the engine would
store them (no extraction: ten thousand articles in minutes), and every article is
linked in the transaction that stores it (``services.stories.article_link``); the articles
measured are linked as the worker's task links them (``services.stories.desk_link``).

At each size, new articles of a running story — they repeat claims the desk holds — are
stored and linked one by one, and the time and queries of their linking are reported,
with their ratio to the smallest size. A baseline measured in the same run compares the probe's claims with every
claim of the desk, as linking without an index would.
"""

from __future__ import annotations

import random
import statistics
import string
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from .. import matching
from ..models import Article, ChecklistItem, ChecklistStatus, ClaimFingerprint, ItemTier, content_hash
from ..services.progress import article_progress_refresh
from ..services.upkeep import database_upkeep
from ..services.stories import article_link, desk_link

DEFAULT_SIZES = (1_000, 5_000, 10_000)
QUICK_SIZES = (30, 60)
VOCABULARY = 6_000
QUOTES, STATEMENTS, FIGURES, NAMES = 8, 5, 4, 4
REPEATED = 0.25  # share of an article's quotes and statements that an earlier article of its story said
SOURCE = "bench-desk"


@dataclass
class Claim:
    kind: str
    sentence: str
    text: str
    speaker: str = ""
    value: dict | None = None


@dataclass
class Story:
    people: list[str]
    said: list[Claim] = field(default_factory=list)


class Desk:
    """Deterministic synthetic articles (the same seed gives the same desk)."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        syllables = ["".join(p) for p in zip(self._letters(400), self._letters(400, vowels=True))]
        self.words = [self._word(syllables) for _ in range(VOCABULARY)]
        self.weights = [1 / (rank + 1) for rank in range(VOCABULARY)]  # Zipf: "the" is everywhere
        self.surnames = [self._word(syllables, 3).capitalize() for _ in range(20_000)]
        self.first_names = [self._word(syllables, 2).capitalize() for _ in range(2_000)]
        self.stories: list[Story] = []

    def _letters(self, n: int, vowels: bool = False) -> list[str]:
        pool = "aeiou" if vowels else "".join(set(string.ascii_lowercase) - set("aeiou"))
        return [self.rng.choice(sorted(pool)) for _ in range(n)]

    def _word(self, syllables: list[str], parts: int | None = None) -> str:
        return "".join(self.rng.choice(syllables) for _ in range(parts or self.rng.randint(1, 3)))

    def _words(self, low: int, high: int) -> str:
        return " ".join(self.rng.choices(self.words, self.weights, k=self.rng.randint(low, high)))

    def _story(self) -> Story:
        if self.stories and self.rng.random() < 0.8:
            return self.rng.choice(self.stories[-200:])  # a running story
        people = [f"{self.rng.choice(self.first_names)} {self.rng.choice(self.surnames)}" for _ in range(5)]
        self.stories.append(Story(people))
        return self.stories[-1]

    def _again(self, claim: Claim) -> Claim:
        """What an earlier article said, the same or with one word changed."""
        if self.rng.random() < 2 / 3:
            return claim
        words = claim.text.split()
        words[self.rng.randrange(len(words))] = self.rng.choice(self.words[:2000])
        text = " ".join(words)
        return Claim(claim.kind, claim.sentence.replace(claim.text, text), text, claim.speaker, claim.value)

    def article(self, story: Story | None = None) -> tuple[str, str, list[Claim]]:
        """(title, body, claims) of one more article of ``story`` (by default a running or new one)."""
        story = story or self._story()
        claims: list[Claim] = []
        for kind, count in (("quote", QUOTES), ("statement", STATEMENTS)):
            for _ in range(count):
                earlier = [c for c in story.said if c.kind == kind]
                if earlier and self.rng.random() < REPEATED:
                    claims.append(self._again(self.rng.choice(earlier)))
                    continue
                text = self._words(8, 24)
                speaker = self.rng.choice(story.people) if kind == "quote" else ""
                if kind == "quote":
                    sentence = f'"{text}," said {speaker}.'
                else:
                    text = text[0].upper() + text[1:]
                    sentence = f"{text}."
                claims.append(Claim(kind, sentence, text, speaker))
                story.said.append(claims[-1])
        for _ in range(FIGURES):
            amount = self.rng.randint(2, 900)
            text = f"${amount} million"
            sentence = f"{self._words(6, 10).capitalize()} {text} {self._words(6, 10)}."
            claims.append(Claim("money", sentence, text, value={"amount": amount * 1_000_000, "currency": "USD"}))
        for person in self.rng.sample(story.people, k=min(NAMES, len(story.people))):
            claims.append(Claim("name", f"{person} {self._words(5, 9)}.", person, value={"name": person}))
        self.rng.shuffle(claims)
        title = self._words(5, 9).capitalize()
        return title, "\n\n".join(claim.sentence for claim in claims) + "\n", claims


def store(title: str, body: str, claims: list[Claim], *, number: int, tag: str, link: bool = True) -> Article:
    """The article and its items, as a worker stores them, and (``link``) linked to the desk."""
    with transaction.atomic():
        article = Article.objects.create(
            source=SOURCE, external_id=f"{tag}-{number:06d}", title=title, body=body, content_hash=content_hash(body),
            checklist_status=ChecklistStatus.READY,
        )
        items, position = [], 0
        for claim in claims:
            at = body.index(claim.sentence, position)
            start = at + claim.sentence.index(claim.text)
            position = at + len(claim.sentence)
            items.append(ChecklistItem(
                article=article, kind=claim.kind, start=start, end=start + len(claim.text), text=claim.text,
                sentence=claim.sentence, speaker=claim.speaker, value=claim.value, guidance="Check it.",
                priority=60, tier=ItemTier.REQUIRED,
            ))
        ChecklistItem.objects.bulk_create(items)
        if link:
            article_link(article=article)
        article_progress_refresh([article.pk])
    return article


def link_without_index(article: Article) -> int:
    """The baseline: the probe's claims compared with every claim of the desk; how many are related."""
    mine = [w for w in (_wording(*row) for row in _claim_rows(ChecklistItem.objects.filter(article=article))) if w]
    related = 0
    for row in _claim_rows(ChecklistItem.objects.exclude(article=article).filter(kind__in=matching.LINKED_KINDS)):
        other = _wording(*row)
        if other is not None:
            related += sum(matching.relation(w, other) is not None for w in mine)
    return related


def _claim_rows(items):
    return items.values_list("kind", "text", "sentence", "speaker", "value").iterator(chunk_size=5000)


def _wording(kind, text, sentence, speaker, value):
    return matching.wording_of(kind, text, sentence, speaker, value)


@dataclass
class Measurement:
    articles: int
    items: int
    fingerprints: int
    link_ms_median: float
    link_ms_p95: float
    queries: int
    links_found: int
    baseline_ms: float
    baseline_related: int
    ratio: float | None = None  # link time against the smallest size
    baseline_ratio: float | None = None


def measure(desk: Desk, story: Story, *, repeat: int, tag: str) -> Measurement:
    """Link ``repeat`` new articles of ``story`` (one more each time, as a worker would) and
    time the linking alone; then the baseline for the last of them."""
    times, found, query_counts = [], 0, []
    for number in range(repeat):
        article = store(*desk.article(story), number=number, tag=tag, link=False)
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            result = desk_link(article_id=article.pk)  # the worker's linking task
            times.append((time.perf_counter() - started) * 1000)
        query_counts.append(len(queries))
        found = max(found, result.links)
    started = time.perf_counter()
    related = link_without_index(article)
    baseline = (time.perf_counter() - started) * 1000
    times.sort()
    return Measurement(
        articles=Article.objects.filter(source=SOURCE).count(),
        items=ChecklistItem.objects.count(),
        fingerprints=ClaimFingerprint.objects.count(),
        link_ms_median=round(statistics.median(times), 2),
        link_ms_p95=round(times[min(len(times) - 1, int(0.95 * len(times)))], 2),
        queries=max(query_counts),
        links_found=found,
        baseline_ms=round(baseline, 1),
        baseline_related=related,
    )


def run(*, sizes: list[int], repeat: int, seed: int, log: Callable[[str], None]) -> list[Measurement]:
    """Grow the desk to each size (articles) and measure linking new articles there."""
    desk = Desk(seed)
    tag = f"{seed}-{timezone.now():%Y%m%d%H%M%S}"
    have = 0
    results: list[Measurement] = []
    started = time.perf_counter()
    for size in sorted(set(sizes)):
        while have < size:
            have += 1
            store(*desk.article(), number=have, tag=tag)
            if have % 1000 == 0:
                log(f"  {have:,} articles stored and linked ({time.perf_counter() - started:.0f} s)")
        database_upkeep()  # the service's own vacuum and analyze pass, as beat runs it
        # New articles of a running story: they repeat what the desk holds, as real ones do.
        story = desk.stories[-1]
        results.append(measure(desk, story, repeat=repeat, tag=f"{tag}-at-{size}"))
        have += repeat
        log(f"{size:,} articles: linking one more takes {results[-1].link_ms_median} ms "
            f"({results[-1].queries} queries); comparing with every claim {results[-1].baseline_ms} ms")
    first = results[0]
    for result in results:
        result.ratio = round(result.link_ms_median / first.link_ms_median, 2) if first.link_ms_median else None
        result.baseline_ratio = round(result.baseline_ms / first.baseline_ms, 2) if first.baseline_ms else None
    return results


def table(results: list[Measurement]) -> str:
    rows = ["| articles | items | link one more (median / p95) | queries | × smallest | links | every-claim baseline | × smallest |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        rows.append(
            f"| {r.articles:,} | {r.items:,} | {r.link_ms_median} / {r.link_ms_p95} ms | {r.queries} | {r.ratio} | "
            f"{r.links_found} | {r.baseline_ms:,} ms | {r.baseline_ratio} |"
        )
    return "\n".join(rows)
