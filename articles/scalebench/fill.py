"""Fill the configured database with a year of a newsroom's articles and checklists, fast.

Each distinct article text (a sample article or one of its variants) is read by the real
extraction engine once; its checklist is then stored again for every article that carries
that text under another (source, external_id). Articles, revisions, extraction runs, items
and notes are written with ``bulk_create``, a few hundred articles per transaction, without
history records and without the per-item signals: the articles' kept progress counts are
recomputed afterwards (``articles_progress_repair``).

Articles are spread over the year before now. Those older than two weeks are worked
through (required items resolved, some recommended ones too, now and then one marked
incorrect); the last two weeks' are in progress. A few checklists failed or wait.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import random
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from ..extraction import engine_version, extract_claims
from ..importers.text import parse_text
from ..models import (
    Article,
    ArticleRevision,
    ChecklistItem,
    ChecklistStatus,
    ExtractionRun,
    ItemState,
    ItemTier,
    Note,
    RunStatus,
    content_hash,
)
from ..roles import CHECKER, EDITOR, sync_role_groups
from ..extraction.bench import DEFAULT_SAMPLES
from ..services.checklists import item_fields
from ..services.progress import articles_progress_repair
from ..services.upkeep import database_upkeep
from ..services.tiers import tier_policy
from .variants import make_variant

SAMPLES = DEFAULT_SAMPLES

# Where a year of articles comes from, and how often.
SOURCES = (
    ("cms", 30), ("wire-xinhua", 12), ("wire-reuters", 12), ("politics-feed", 8), ("business-feed", 7),
    ("world-feed", 7), ("metro-desk", 6), ("investigations", 3), ("sports-feed", 5), ("partner-ap", 5),
    ("opinion", 3), ("newsletter", 2),
)
SEARCH_SOURCE = "politics-feed"
BYLINES = (
    "Ann Lee", "Marco Bianchi", "Grace Mensah", "Tomás Ortega", "Ingrid Holm", "Ravi Menon", "Sophie Laurent",
    "Daniel Kim", "Fatima Zahra", "Peter Novak", "Lena Fischer", "Joseph Mwangi",
)
ACTIVE_DAYS = 14  # articles younger than this are still being checked
CHUNK_ARTICLES = 300  # articles written per transaction

NOTE_TEXTS = {
    ItemState.INCORRECT: ("The figure in the release differs; flagged to the desk.",
                          "Wrong title: she left the post in March.",
                          "The quote is from a different speech; the words differ."),
    ItemState.UNVERIFIABLE: ("No record reachable before deadline; the office did not answer.",
                             "Only the one unnamed source; could not confirm independently.",
                             "The report is not public; asked for a copy."),
    ItemState.DISMISSED: ("Not a claim: background the reader knows.",
                          "Duplicate of the item above.",
                          "Attribution only, nothing to check."),
    ItemState.VERIFIED: ("Matches the official transcript.", "Confirmed by phone with the press office.",
                         "Checked against the published annual report."),
}
NOTE_SOURCES = ("https://example.gov/press/release", "https://example.org/transcript", "phone call, press office",
                "annual report, p. 14", "")


@dataclass
class Body:
    """One distinct article text and the checklist the engine found in it."""

    label: str
    title: str
    body: str
    content_hash: str
    items: list[dict]


@dataclass
class Cast:
    admin: object
    checkers: list
    editors: list
    api_user: object
    token: str

    @property
    def assignees(self) -> list:
        return [*self.checkers, *self.editors, self.admin]


@dataclass
class FillReport:
    requested: int
    items: int
    articles: int
    added_items: int
    added_articles: int
    notes: int
    seconds: float
    history: bool = False
    progress_repair: str = ""
    upkeep: str = ""


def read_originals(directories: Sequence[Path]) -> list[tuple[str, str, str]]:
    """(label, title, body) of every .txt article in the folders, read as ``import_articles`` reads them."""
    originals = []
    for directory in directories:
        for path in sorted(Path(directory).glob("*.txt")):
            parsed = parse_text(path.read_bytes())
            title = parsed.title or parsed.body.split("\n", 1)[0][:120]
            originals.append((path.stem, title, parsed.body))
    if not originals:
        raise FileNotFoundError(f"no .txt articles in {', '.join(str(d) for d in directories)}")
    return originals


def names_in(claims) -> list[str]:
    return [claim.value["name"] for claim in claims
            if claim.kind == "name" and isinstance(claim.value, dict) and claim.value.get("name")]


def build_bodies(
    originals: list[tuple[str, str, str]], *, variants: int, seed: int, log: Callable[[str], None]
) -> tuple[list[Body], dict[str, list[str]]]:
    """Every original and ``variants - 1`` variants of each, each read by the engine once.

    Returns the bodies and, per original, the people it names (for making more variants).
    """
    policy = tier_policy()

    def read(label: str, title: str, text: str) -> list:
        claims = extract_claims(text, tier_policy=policy)
        bodies.append(Body(label, title, text, content_hash(text), [item_fields(c) for c in claims]))
        return claims

    bodies, names = [], {}
    started = time.perf_counter()
    for label, title, body in originals:
        names[label] = names_in(read(label, title, body))
        for number in range(1, max(1, variants)):
            variant = make_variant(title, body, seed=f"{seed}:{label}:{number}", names=names[label])
            read(f"{label}~{number}", variant.title, variant.body)
    seconds = time.perf_counter() - started
    log(f"read {len(bodies)} distinct article texts with the extraction engine in {seconds:.1f} s "
        f"({sum(len(b.items) for b in bodies) / len(bodies):.1f} items per text)")
    return bodies, names


def ensure_cast() -> Cast:
    """The people of the benchmark: a superuser, six checkers, two editors and an API client (editor)."""
    sync_role_groups()
    from django.contrib.auth.models import Group

    users = get_user_model().objects
    admin = users.filter(username="bench-admin").first()
    if admin is None:
        admin = users.create_superuser("bench-admin", "bench-admin@example.org", None)
    groups = {name: Group.objects.get(name=name) for name in (CHECKER, EDITOR)}

    def member(username: str, role: str):
        user, created = users.get_or_create(username=username, defaults={"email": f"{username}@example.org"})
        if created:
            user.set_unusable_password()
            user.save()
        user.groups.add(groups[role])
        return user

    checkers = [member(f"bench-checker-{n}", CHECKER) for n in range(1, 7)]
    editors = [member(f"bench-editor-{n}", EDITOR) for n in range(1, 3)]
    api_client = member("bench-api", EDITOR)
    token = Token.objects.get_or_create(user=api_client)[0].key
    return Cast(admin, checkers, editors, api_client, token)


@contextlib.contextmanager
def explicit_timestamps(*models) -> Iterator[None]:
    """Let bulk inserts write the timestamps given (a year of history) instead of now.

    Turns ``auto_now``/``auto_now_add`` off on the models' date fields for the block and
    back on after it; every such field must then be set on every row written.
    """
    fields = [
        f for model in models for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def progress_repair() -> str:
    """Recount the articles' kept progress; a line saying what happened."""
    started = time.perf_counter()
    count = articles_progress_repair()
    return f"articles_progress_repair() recounted {count:,} articles in {time.perf_counter() - started:.1f} s"


def upkeep() -> str:
    """The service's own database upkeep pass after a bulk fill, as beat would run it; a line
    saying what it did (PostgreSQL only: elsewhere it does nothing)."""
    result = database_upkeep()
    if result.skipped:
        return f"database upkeep skipped: {result.skipped}"
    return f"database upkeep vacuumed and analyzed {', '.join(result.vacuumed) or 'nothing'} in {result.seconds:.1f} s"


@dataclass
class _Plan:
    """One article about to be written, with its items' states worked out."""

    article: Article
    body: Body
    items: list[dict] = field(default_factory=list)
    notes: list[tuple[int, dict]] = field(default_factory=list)  # (index into items, note fields)


class Filler:
    """Grows the database one size after another; the same seed gives the same data."""

    def __init__(self, bodies: list[Body], cast: Cast, *, seed: int, now: datetime.datetime | None = None):
        self.bodies = bodies
        self.cast = cast
        self.rng = random.Random(f"{seed}:fill")
        self.now = now or timezone.now()
        self.tag = hashlib.sha256(f"{seed}:{self.now.isoformat()}".encode()).hexdigest()[:6]
        self.sequence = 0
        self.version = engine_version()
        self.sources = [name for name, _ in SOURCES]
        self.source_weights = [weight for _, weight in SOURCES]

    # --- one article ---------------------------------------------------------------------

    def _plan(self, remaining: int) -> _Plan:
        rng, now = self.rng, self.now
        self.sequence += 1
        body = rng.choice(self.bodies)
        source = rng.choices(self.sources, self.source_weights)[0]
        age = datetime.timedelta(days=rng.random() * 365)
        published = now - age
        created = published - datetime.timedelta(hours=rng.uniform(0.5, 6))
        active = age < datetime.timedelta(days=ACTIVE_DAYS)
        worked_until = published + datetime.timedelta(hours=rng.uniform(0.2, 48))
        updated = min(now, worked_until)
        roll = rng.random()
        status = ChecklistStatus.READY
        if roll < 0.005:  # a few checklists failed or still wait for the engine
            status = ChecklistStatus.FAILED if roll < 0.004 else ChecklistStatus.PENDING
        slug = "-".join(body.title.lower().split()[:6])
        slug = "".join(ch for ch in slug if ch.isalnum() or ch == "-")[:60]
        article = Article(
            source=source,
            external_id=f"{published:%Y%m%d}-{self.tag}-{self.sequence:07d}",
            title=body.title[:500],
            byline=f"By {rng.choice(BYLINES)}",
            url=f"https://news.example.org/{source}/{published:%Y/%m/%d}/{slug}-{self.sequence}",
            published_at=published,
            body=body.body,
            content_hash=body.content_hash,
            revision=1,
            checklist_status=status,
            checklist_changed_at=created + datetime.timedelta(seconds=8),
            checklist_due_at=created + datetime.timedelta(seconds=1),
            created_at=created,
            updated_at=updated,
        )
        plan = _Plan(article, body)
        if status != ChecklistStatus.READY:
            return plan
        claims = body.items[:remaining]
        main = rng.choices(self.cast.assignees, [1] * len(self.cast.checkers) + [0.5] * len(self.cast.editors) + [0.3])[0]
        progress = rng.random() if active else 1.0
        incorrect_at = rng.randrange(len(claims)) if claims and not active and rng.random() < 0.015 else None
        for index, fields in enumerate(claims):
            plan.items.append(self._item(plan, index, fields, main, active, progress, incorrect_at == index))
        return plan

    def _item(self, plan: _Plan, index: int, fields: dict, main, active: bool, progress: float, incorrect: bool) -> dict:
        rng, article = self.rng, plan.article
        tier, pinned = fields["tier"], False
        if rng.random() < 0.01:
            tier, pinned = (ItemTier.RECOMMENDED if tier == ItemTier.REQUIRED else ItemTier.REQUIRED), True
        required = tier == ItemTier.REQUIRED
        if incorrect:
            state = ItemState.INCORRECT
        elif not active:
            if required:
                state = rng.choices([ItemState.VERIFIED, ItemState.UNVERIFIABLE, ItemState.DISMISSED], [80, 7, 13])[0]
            else:
                state = rng.choices(
                    [ItemState.VERIFIED, ItemState.DISMISSED, ItemState.UNVERIFIABLE, ItemState.OPEN], [45, 10, 3, 42]
                )[0]
        elif rng.random() < progress * (1.0 if required else 0.4):
            state = rng.choices(
                [ItemState.VERIFIED, ItemState.UNVERIFIABLE, ItemState.DISMISSED, ItemState.INCORRECT], [82, 6, 10, 2]
            )[0]
        else:
            state = ItemState.IN_PROGRESS if rng.random() < 0.3 else ItemState.OPEN
        worker = main if rng.random() < 0.9 else rng.choice(self.cast.assignees)
        if state == ItemState.OPEN:
            assignee = worker if rng.random() < (0.5 if active else 0.15) else None
        else:
            assignee = worker
        created = article.created_at + datetime.timedelta(seconds=9)
        changed_at = None
        if state != ItemState.OPEN:
            span = max(1.0, (article.updated_at - created).total_seconds())
            changed_at = created + datetime.timedelta(seconds=rng.uniform(0, span))
        due_at = None
        if assignee is not None and (active or rng.random() < 0.3):
            due_at = article.published_at + datetime.timedelta(hours=rng.uniform(1, 48))
        version = 1 + (assignee is not None) + (state != ItemState.OPEN) + pinned
        needs_note = state in (ItemState.INCORRECT, ItemState.UNVERIFIABLE, ItemState.DISMISSED)
        text = None
        if needs_note or (state == ItemState.VERIFIED and rng.random() < 0.25):
            text = rng.choice(NOTE_TEXTS[state])
        elif pinned:  # an editor's tier move always comes with a note
            text = f"Moved to {tier} by hand: " + ("minor detail." if tier == ItemTier.RECOMMENDED else "legal risk.")
        if text is not None:
            at = changed_at or created + datetime.timedelta(minutes=rng.uniform(1, 120))
            plan.notes.append((index, {
                "author": assignee or self.cast.editors[0], "body": text, "source": rng.choice(NOTE_SOURCES),
                "created_at": at, "updated_at": at,
            }))
            version += 1
        return {
            **fields,
            "tier": tier,
            "tier_pinned": pinned,
            "state": state,
            "assignee": assignee,
            "due_at": due_at,
            "version": version,
            "anchored_revision": 1,
            "state_changed_at": changed_at,
            "state_changed_by": assignee if changed_at else None,
            "created_at": created,
            "updated_at": changed_at or created,
        }

    # --- writing -------------------------------------------------------------------------

    def _write(self, plans: list[_Plan]) -> tuple[int, int]:
        with transaction.atomic():
            articles = Article.objects.bulk_create([plan.article for plan in plans], batch_size=500)
            for plan, article in zip(plans, articles):
                plan.article = article
            ArticleRevision.objects.bulk_create(
                [ArticleRevision(article=p.article, number=1, body=p.body.body, content_hash=p.body.content_hash,
                                 created_at=p.article.created_at) for p in plans],
                batch_size=500,
            )
            runs = []
            for p in plans:
                status = p.article.checklist_status
                if status == ChecklistStatus.PENDING:
                    continue
                started = p.article.created_at + datetime.timedelta(seconds=2)
                runs.append(ExtractionRun(
                    article=p.article, task_id=f"bench-{p.article.external_id}",
                    status=RunStatus.SUCCEEDED if status == ChecklistStatus.READY else RunStatus.FAILED,
                    error="" if status == ChecklistStatus.READY else "TimeoutError: the language pipeline did not answer",
                    content_hash=p.body.content_hash, extractor_version=self.version,
                    item_count=len(p.items) if status == ChecklistStatus.READY else None,
                    started_at=started, finished_at=started + datetime.timedelta(seconds=6),
                ))
            ExtractionRun.objects.bulk_create(runs, batch_size=1000)
            items, owners = [], []
            for p in plans:
                for fields in p.items:
                    items.append(ChecklistItem(article=p.article, **fields))
                owners.append((p, len(items) - len(p.items)))
            items = ChecklistItem.objects.bulk_create(items, batch_size=1000)
            notes = [
                Note(item=items[offset + index], **note)
                for plan, offset in owners
                for index, note in plan.notes
            ]
            Note.objects.bulk_create(notes, batch_size=1000)
        return len(items), len(notes)

    def fill_to(self, requested: int, *, log: Callable[[str], None]) -> FillReport:
        """Add articles until the database holds ``requested`` items (exactly, unless it holds more)."""
        started = time.perf_counter()
        items_before = ChecklistItem.objects.count()
        remaining = requested - items_before
        added_items = added_articles = notes = 0
        if remaining <= 0:
            log(f"the database already holds {items_before:,} items (>= {requested:,}); nothing added")
        with explicit_timestamps(Article, ArticleRevision, ChecklistItem, ExtractionRun, Note):
            while remaining > 0:
                plans = []
                while remaining > 0 and len(plans) < CHUNK_ARTICLES:
                    plan = self._plan(remaining)
                    remaining -= len(plan.items)
                    plans.append(plan)
                written, noted = self._write(plans)
                added_items += written
                added_articles += len(plans)
                notes += noted
        fill_seconds = time.perf_counter() - started
        if added_items:
            log(f"inserted {added_items:,} items, {added_articles:,} articles, {notes:,} notes in {fill_seconds:.1f} s "
                f"({added_items / max(fill_seconds, 1e-9):,.0f} items/s; bulk inserts without history records)")
        repaired = progress_repair()
        log(repaired)
        upkept = upkeep()
        log(upkept)
        return FillReport(
            requested=requested,
            items=ChecklistItem.objects.count(),
            articles=Article.objects.count(),
            added_items=added_items,
            added_articles=added_articles,
            notes=notes,
            seconds=round(time.perf_counter() - started, 1),
            progress_repair=repaired,
            upkeep=upkept,
        )


def new_ingest_variants(
    originals: list[tuple[str, str, str]], names: dict[str, list[str]], *, count: int, seed: str
):
    """``count`` new article texts for the ingest measurement, cycling through the originals."""
    for number in range(count):
        label, title, body = originals[number % len(originals)]
        yield make_variant(title, body, seed=f"{seed}:{label}:{number}", names=names.get(label, ()))
