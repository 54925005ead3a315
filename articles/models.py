from __future__ import annotations

import functools
import hashlib

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from .extraction import KINDS
from .extraction import tiers


def content_hash(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


class ChecklistStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    RUNNING = "running", "Running"
    READY = "ready", "Extracted"
    FAILED = "failed", "Failed"


# Article fields that count its current items (see Article); kept by services/progress.py.
PROGRESS_FIELDS = (
    "item_total",
    "item_resolved",
    "required_total",
    "required_resolved",
    "recommended_open",
    "items_open",
    "items_in_progress",
    "items_verified",
    "items_incorrect",
    "items_unverifiable",
    "items_dismissed",
    "is_ready",
)


class ArticleQuerySet(models.QuerySet):
    def waiting_for_broker(self) -> ArticleQuerySet:
        """Saved, but no extraction message reached the broker yet (see ``checklist_due_at``)."""
        return self.filter(checklist_status=ChecklistStatus.PENDING, checklist_due_at__isnull=True)


class Story(models.Model):
    """Articles that tell one story: grouped by the claims and people they share (see
    services/stories.py), merged, split and named by editors."""

    name = models.CharField(max_length=300, blank=True, help_text="Blank: named after its first article.")
    name_pinned = models.BooleanField(default=False, help_text="An editor named the story; it keeps the name.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-updated_at"]
        verbose_name_plural = "stories"

    def __str__(self):
        return self.name or f"Story {self.pk}"


class Article(models.Model):
    source = models.CharField(max_length=100, help_text="Where the article comes from: a CMS name, 'file', a feed.")
    external_id = models.CharField(max_length=255, help_text="The article's id in its source; unique per source.")
    title = models.CharField(max_length=500, blank=True)
    byline = models.CharField(max_length=300, blank=True)
    url = models.URLField(max_length=1000, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    body = models.TextField(help_text="The article text exactly as stored; item offsets point into it.")
    content_hash = models.CharField(max_length=64, editable=False)
    revision = models.PositiveIntegerField(default=1, editable=False)
    source_version = models.PositiveIntegerField(
        null=True, blank=True, editable=False,
        help_text="The source's own version number of the article (a wire's), when it gives one.",
    )
    checklist_status = models.CharField(
        max_length=10, choices=ChecklistStatus.choices, default=ChecklistStatus.PENDING, db_index=True
    )
    checklist_changed_at = models.DateTimeField(
        auto_now_add=True, help_text="When checklist_status last changed; stale pending work is enqueued again."
    )
    checklist_due_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the queued extraction is due to start; empty while no message could be sent "
        "(broker away), which beat's recovery corrects.",
    )
    story = models.ForeignKey(
        Story, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles",
        help_text="The story the article belongs to; found when its checklist is linked to the desk's.",
    )
    story_pinned = models.BooleanField(
        default=False, help_text="An editor put the article in its story; automatic grouping leaves it there."
    )
    desk_link_pending = models.BooleanField(
        default=False, editable=False,
        help_text="Its checklist is stored and waits to be linked to the story desk (a task of its own).",
    )
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="edited_articles",
        help_text="The editor responsible for the article: told when an item is found incorrect and when it is "
        "ready. The first editor to assign its items takes it on unless one is named.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    # Progress, kept rather than recomputed: maintained in the transaction of every change to
    # the article's items or checklist status (services/progress.py; `repair_progress`
    # recomputes them). Items whose words left the text are not counted.
    item_total = models.PositiveIntegerField(default=0, editable=False)
    item_resolved = models.PositiveIntegerField(default=0, editable=False)
    required_total = models.PositiveIntegerField(default=0, editable=False)
    required_resolved = models.PositiveIntegerField(default=0, editable=False)
    recommended_open = models.PositiveIntegerField(default=0, editable=False)
    items_open = models.PositiveIntegerField(default=0, editable=False)
    items_in_progress = models.PositiveIntegerField(default=0, editable=False)
    items_verified = models.PositiveIntegerField(default=0, editable=False)
    items_incorrect = models.PositiveIntegerField(default=0, editable=False)
    items_unverifiable = models.PositiveIntegerField(default=0, editable=False)
    items_dismissed = models.PositiveIntegerField(default=0, editable=False)
    is_ready = models.BooleanField(
        "ready to publish",
        default=False,
        editable=False,
        help_text="Extracted, every required item resolved and none marked incorrect.",
    )

    history = HistoricalRecords(
        excluded_fields=[
            "body", "updated_at", "checklist_changed_at", "checklist_due_at", "desk_link_pending", *PROGRESS_FIELDS
        ]
    )

    objects = ArticleQuerySet.as_manager()

    @property
    def extraction_waiting_for_broker(self) -> bool:
        """Saved, but its extraction could not be queued yet: the broker was unreachable."""
        return self.checklist_status == ChecklistStatus.PENDING and self.checklist_due_at is None

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(fields=["source", "external_id"], name="article_unique_source_external_id"),
        ]
        indexes = [
            # The lists' filters, each with the lists' order, so a page is read from the index.
            models.Index(fields=["is_ready", "-updated_at"], name="article_ready_recent"),
            models.Index(fields=["checklist_status", "-updated_at"], name="article_status_recent"),
            models.Index(fields=["source", "-updated_at"], name="article_source_recent"),
            # The desk's linking finds an earlier copy of a body (a wire story again) by its hash.
            models.Index(fields=["content_hash"], name="article_content_hash"),
            # Beat's recovery of links whose task was lost: few articles at any moment.
            models.Index(fields=["checklist_changed_at"], condition=Q(desk_link_pending=True), name="article_link_pending"),
            # The queue's "has incorrect items": few articles, read newest first.
            models.Index(fields=["-updated_at"], condition=Q(items_incorrect__gt=0), name="article_blocked_recent"),
        ]

    def __str__(self):
        return self.title or f"{self.source}:{self.external_id}"


class ArticleSearchDocument(models.Model):
    """An article's title, byline and text as one full-text search document (PostgreSQL;
    ``articles/search.py`` searches it).

    A table of its own, written by a database trigger when an article is created or its
    title, byline or text change (migration 0020; ``articles_search_document``, the SQL
    function of migration 0011, works the document out). The article's other updates — its
    checklist status, and its kept counts, rewritten by every change to its items — never
    work the document out again, as an index on the article's row did for each of them (a
    third of a second for a 900 KB article). Empty on other databases, whose search reads
    the title and byline.
    """

    article = models.OneToOneField(Article, primary_key=True, on_delete=models.CASCADE, related_name="+")
    document = SearchVectorField()

    class Meta:
        indexes = [GinIndex(fields=["document"], name="article_search")]


class ArticleRevision(models.Model):
    """Every body an article has had; revision 1 is the first import."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    body = models.TextField()
    content_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["article", "number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="revision_unique_number_per_article"),
        ]

    def __str__(self):
        return f"{self.article} r{self.number}"


class ItemKind(models.TextChoices):
    QUOTE = "quote", "Quote"
    NUMBER = "number", "Number"
    MONEY = "money", "Money"
    DATE = "date", "Date"
    SUPERLATIVE = "superlative", "Superlative"
    NAME = "name", "Name and title"
    ATTRIBUTION = "attribution", "Claim resting on a source"
    CONSISTENCY = "consistency", "Spelling consistency"
    STATEMENT = "statement", "Factual statement"


assert tuple(ItemKind.values) == KINDS, "item kinds must match the extraction engine's vocabulary"


class ItemTier(models.TextChoices):
    """Required items must be cleared before publication; recommended ones if time allows."""

    REQUIRED = tiers.REQUIRED, "Required"
    RECOMMENDED = tiers.RECOMMENDED, "Recommended"


class SourceType(models.TextChoices):
    NAMED = "named", "Named source"
    UNNAMED = "unnamed", "Unnamed source"


class ItemState(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    VERIFIED = "verified", "Verified"
    INCORRECT = "incorrect", "Incorrect"
    UNVERIFIABLE = "unverifiable", "Unverifiable"
    DISMISSED = "dismissed", "Not a claim"

    @classmethod
    @functools.cache
    def resolved(cls) -> frozenset[str]:
        """States that let an article be published (``incorrect`` blocks until fixed)."""
        return frozenset({cls.VERIFIED, cls.UNVERIFIABLE, cls.DISMISSED})

    @classmethod
    @functools.cache
    def allowed_transitions(cls) -> dict[str, frozenset[str]]:
        verdicts = frozenset({cls.VERIFIED, cls.INCORRECT, cls.UNVERIFIABLE, cls.DISMISSED})
        return {
            cls.OPEN: verdicts | {cls.IN_PROGRESS},
            cls.IN_PROGRESS: verdicts | {cls.OPEN},
            **{verdict: frozenset({cls.OPEN}) for verdict in verdicts},
        }

    @classmethod
    def can_move(cls, old: str, new: str) -> bool:
        return new in cls.allowed_transitions().get(old, frozenset())


class ItemOrigin(models.TextChoices):
    AUTO = "auto", "Found by the engine"
    MANUAL = "manual", "Added by an editor"
    LINKED = "linked", "Found across the desk"  # a variant of another article's claim


class ItemAnchor(models.TextChoices):
    """Where the item stands in the article's current text, after the last revision."""

    FOUND = "found", "In the text"
    CHANGED = "changed", "Words changed in a new revision"
    REMOVED = "removed", "No longer in the text"


class ChecklistItemQuerySet(models.QuerySet):
    def current(self) -> ChecklistItemQuerySet:
        """Items whose words are in the article's current text (removed ones are kept apart)."""
        return self.exclude(anchor=ItemAnchor.REMOVED)

    def without_editorial_work(self) -> ChecklistItemQuerySet:
        """Items nobody has touched: ``ChecklistItem.has_editorial_work`` asked of the database."""
        return (
            self.exclude(origin=ItemOrigin.MANUAL)
            .filter(state=ItemState.OPEN, assignee__isnull=True)
            .exclude(models.Exists(Note.objects.filter(item=models.OuterRef("pk"))))
        )


class ChecklistItem(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=20, choices=ItemKind.choices)
    start = models.PositiveIntegerField(help_text="Offset of the claim's first character in the article body.")
    end = models.PositiveIntegerField(help_text="Offset just past the claim's last character.")
    text = models.TextField(help_text="The claim's words: body[start:end].")
    sentence = models.TextField(blank=True)
    speaker = models.CharField(max_length=200, blank=True)
    value = models.JSONField(null=True, blank=True, help_text="Normalised value: amount and currency, a number, a date.")
    guidance = models.TextField(blank=True, help_text="What to verify.")
    priority = models.PositiveSmallIntegerField(
        default=50, help_text="Risk: 0 (little harm if wrong) to 100 (check first)."
    )
    tier = models.CharField(
        max_length=12, choices=ItemTier.choices, default=ItemTier.REQUIRED,
        help_text="Required items decide whether the article is ready; recommended ones are done if time allows.",
    )
    tier_pinned = models.BooleanField(
        default=False, help_text="An editor chose the tier; the tier policy leaves it alone."
    )
    state = models.CharField(max_length=20, choices=ItemState.choices, default=ItemState.OPEN)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="checklist_items"
    )
    due_at = models.DateTimeField(null=True, blank=True)
    origin = models.CharField(max_length=10, choices=ItemOrigin.choices, default=ItemOrigin.AUTO)
    version = models.PositiveIntegerField(default=1, help_text="Raised on every change; guards concurrent edits.")
    anchor = models.CharField(max_length=10, choices=ItemAnchor.choices, default=ItemAnchor.FOUND)
    anchored_revision = models.PositiveIntegerField(
        default=1, help_text="The article revision that start and end point into."
    )
    previous_text = models.TextField(
        blank=True, help_text="The claim's words before a revision changed them, for comparison."
    )
    state_changed_at = models.DateTimeField(null=True, blank=True)
    state_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    has_related = models.BooleanField(
        default=False, editable=False,
        help_text="Linked to claims of other articles (ClaimLink): only such items' links are read.",
    )
    evidence_match = models.CharField(
        max_length=10, null=True, blank=True, editable=False, choices=[
            ("exact", "Found as is in a source"), ("variant", "Differs from a source"),
            ("not_found", "Not found in any source"),
        ],
        help_text="The best match of the claim in the article's sources; empty while it has none.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["sentence", "updated_at", "has_related", "evidence_match"])

    objects = ChecklistItemQuerySet.as_manager()

    class Meta:
        ordering = ["article", "start", "end", "kind"]
        permissions = [
            ("work_assigned_item", "Can change the state of items assigned to them"),
            ("work_any_item", "Can change the state of any item"),
            ("assign_item", "Can assign items to anyone"),
            ("claim_item", "Can assign unassigned items to themselves"),
        ]
        indexes = [
            models.Index(fields=["article", "start"], name="item_article_position"),
            models.Index(fields=["article", "state"], name="item_article_state"),
            models.Index(fields=["assignee", "state"], name="item_assignee_state"),
            models.Index(fields=["state"], name="item_state"),
            # "My items": a person's unresolved items in the queue's order, read from the index's start.
            models.Index(
                fields=["assignee", "state", "due_at", "article", "start"],
                condition=~Q(state__in=["dismissed", "unverifiable", "verified"]),
                name="item_assignee_open",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="item_span_not_empty"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:60]}"

    @property
    def is_resolved(self) -> bool:
        return self.state in ItemState.resolved()

    @property
    def is_required(self) -> bool:
        return self.tier == ItemTier.REQUIRED

    @property
    def blocks_publication(self) -> bool:
        """Unresolved and required, or marked incorrect in any tier: a known error is never waved through."""
        return self.state == ItemState.INCORRECT or (self.is_required and not self.is_resolved)

    @property
    def source_type(self) -> str | None:
        """``named`` or ``unnamed`` for quotes and attributed claims whose source the engine read."""
        value = self.value if isinstance(self.value, dict) else {}
        source_type = value.get("source_type")
        return source_type if source_type in SourceType.values else None

    @property
    def source_label(self) -> str:
        return SourceType(self.source_type).label if self.source_type else ""

    @property
    def has_editorial_work(self) -> bool:
        """Whether a person has touched the item; such items are never dropped silently
        (``ChecklistItemQuerySet.without_editorial_work`` is the same rule in SQL).

        Reads a ``has_notes`` annotation when the query made one, else asks the database.
        """
        has_notes = getattr(self, "has_notes", None)
        if has_notes is None:
            has_notes = self.notes.exists()
        return (
            self.origin == ItemOrigin.MANUAL
            or self.state != ItemState.OPEN
            or self.assignee_id is not None
            or has_notes
        )


class TierRule(models.Model):
    """One line of the newsroom's tier policy, edited in the admin.

    Rules are tried in ``position`` order; the first one an item matches gives its tier,
    and an item no rule matches is required. Every change is kept in the history.
    """

    position = models.PositiveSmallIntegerField(default=100, help_text="Rules are tried from the lowest position up.")
    kind = models.CharField(max_length=20, choices=ItemKind.choices, blank=True, help_text="Blank: any kind.")
    source_type = models.CharField(
        max_length=10, choices=SourceType.choices, blank=True,
        help_text="For quotes and attributions: whether the source is named. Blank: any.",
    )
    min_priority = models.PositiveSmallIntegerField(
        default=0, help_text="The rule applies to items of at least this priority (risk, 0 to 100)."
    )
    tier = models.CharField(max_length=12, choices=ItemTier.choices)
    description = models.CharField(max_length=300, blank=True, help_text="Why the rule is there, for colleagues.")
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(min_priority__lte=100), name="tier_rule_priority_at_most_100"),
        ]

    def __str__(self):
        kind = self.get_kind_display() if self.kind else "Any item"
        source = f" ({self.get_source_type_display().lower()})" if self.source_type else ""
        floor = f", priority {self.min_priority}+" if self.min_priority else ""
        return f"{kind}{source}{floor} → {self.get_tier_display().lower()}"

    def as_rule(self) -> tiers.TierRule:
        return tiers.TierRule(
            tier=self.tier,
            kind=self.kind or None,
            source_type=self.source_type or None,
            min_priority=self.min_priority,
            description=self.description,
        )


class ClaimRelation(models.TextChoices):
    SAME = "same", "Same claim"
    VARIANT = "variant", "Variant"


class ClaimLink(models.Model):
    """``item`` and ``other``, in two articles, are the same claim or variants of one; stored
    both ways round, so an item's links are one index read."""

    item = models.ForeignKey(ChecklistItem, on_delete=models.CASCADE, related_name="links")
    other = models.ForeignKey(ChecklistItem, on_delete=models.CASCADE, related_name="+")
    relation = models.CharField(max_length=10, choices=ClaimRelation.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "other"]
        constraints = [models.UniqueConstraint(fields=["item", "other"], name="claim_link_unique_pair")]

    def __str__(self):
        return f"{self.item_id} {self.relation} {self.other_id}"


class ClaimFingerprint(models.Model):
    """One index key of an item (matching.keys: its exact wording, a MinHash band, a name):
    items sharing a key are candidates to compare. Rebuilt whenever the article is linked."""

    item = models.ForeignKey(ChecklistItem, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    key = models.BigIntegerField()

    class Meta:
        indexes = [
            # The most recent holders of a key first: a lookup reads a bounded slice of the index.
            # The article last, so the lookup reads the index alone, never the table.
            models.Index(fields=["key", "-item", "article"], name="fingerprint_key_recent"),
            models.Index(fields=["article"], name="fingerprint_article"),
        ]


class SourceKind(models.TextChoices):
    PASTED = "text", "Pasted text"
    FILE = "file", "Uploaded file"
    URL = "url", "Web page"


class SourceStatus(models.TextChoices):
    PENDING = "pending", "Being read"
    READY = "ready", "Read"
    FAILED = "failed", "Could not be read"


class SourceDocument(models.Model):
    """A document a claim of the article can be checked against: a transcript, a press
    release, a filing, a report. Read by a worker (``text``); every version is kept."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="sources")
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=10, choices=SourceKind.choices)
    url = models.URLField(max_length=1000, blank=True)
    filename = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    data = models.BinaryField(blank=True, editable=False, help_text="The file as uploaded, or the pasted text.")
    content_hash = models.CharField(max_length=64, editable=False)
    revision = models.PositiveIntegerField(default=1, editable=False)
    text = models.TextField(blank=True, editable=False, help_text="The text read from it; evidence offsets point into it.")
    format = models.CharField(max_length=10, blank=True, editable=False)
    pages = models.PositiveIntegerField(null=True, blank=True, editable=False)
    status = models.CharField(max_length=10, choices=SourceStatus.choices, default=SourceStatus.PENDING)
    error = models.TextField(blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="sources_added"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["data", "text", "updated_at"])

    class Meta:
        ordering = ["article", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["article", "title"], name="source_unique_title_per_article"),
        ]

    def __str__(self):
        return self.title


class SourceRevision(models.Model):
    """Every text a source has had; revision 1 is the first."""

    source = models.ForeignKey(SourceDocument, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    text = models.TextField()
    content_hash = models.CharField(max_length=64)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["source", "number"]
        constraints = [
            models.UniqueConstraint(fields=["source", "number"], name="source_revision_unique_number"),
        ]


class EvidenceMatch(models.TextChoices):
    EXACT = "exact", "Found as is"
    VARIANT = "variant", "Differs"
    NOT_FOUND = "not_found", "Not found"


class ItemEvidence(models.Model):
    """A passage of a source that supports (``exact``) or nearly supports (``variant``) an item."""

    item = models.ForeignKey(ChecklistItem, on_delete=models.CASCADE, related_name="evidence")
    source = models.ForeignKey(SourceDocument, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField(default=0, help_text="0 is the best passage.")
    start = models.PositiveIntegerField(help_text="Offset of the passage in the source's text.")
    end = models.PositiveIntegerField()
    passage = models.TextField()
    match = models.CharField(max_length=10, choices=[("exact", "Found as is"), ("variant", "Differs")])
    differences = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["item", "rank"]
        indexes = [models.Index(fields=["item", "rank"], name="evidence_item_rank")]


NOTE_MAX_LENGTH = 20_000  # one limit for every way a note arrives: pages, API, admin


class Note(models.Model):
    item = models.ForeignKey(ChecklistItem, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="notes")
    body = models.TextField()
    source = models.CharField(
        max_length=1000, blank=True, help_text="Where the check was made: a URL, a document, a person contacted."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["item", "created_at"]

    def __str__(self):
        return self.body[:60]


class RunStatus(models.TextChoices):
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"
    SUPERSEDED = "superseded", "Superseded by a newer version"


class ExtractionRun(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="extraction_runs")
    task_id = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=12, choices=RunStatus.choices, default=RunStatus.RUNNING)
    error = models.TextField(blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    extractor_version = models.CharField(max_length=50)
    item_count = models.PositiveIntegerField(null=True, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["article", "-started_at"], name="run_article_recent")]

    def __str__(self):
        return f"{self.article} {self.status} {self.started_at:%Y-%m-%d %H:%M}"


class WebhookEvent(models.TextChoices):
    CHECKLIST_READY = "checklist.ready", "The checklist of an article has been extracted"
    ITEM_UPDATED = "item.updated", "An item changed (state, assignee, due time)"
    ARTICLE_READY = "article.ready", "Every required item of an article is resolved"


def new_webhook_secret() -> str:
    import base64
    import secrets

    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


class WebhookSubscription(models.Model):
    url = models.URLField(max_length=1000, help_text="http(s) address that receives signed POST requests.")
    secret = models.CharField(
        max_length=100, default=new_webhook_secret, help_text="Standard Webhooks signing secret (whsec_...)."
    )
    events = models.JSONField(default=list, help_text="Event names to send; see WebhookEvent.")
    description = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="webhook_subscriptions"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.description or self.url


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SUCCEEDED = "succeeded", "Delivered"
    FAILED = "failed", "Gave up"


class WebhookDelivery(models.Model):
    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40, choices=WebhookEvent.choices)
    message_id = models.CharField(max_length=64, unique=True, help_text="Sent as webhook-id; receivers deduplicate on it.")
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempt_count = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "webhook deliveries"
        indexes = [models.Index(fields=["subscription", "-created_at"], name="delivery_subscription_recent")]

    def __str__(self):
        return f"{self.event} → {self.subscription.url}"


class WebhookAttempt(models.Model):
    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveSmallIntegerField()
    attempted_at = models.DateTimeField(auto_now_add=True)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["delivery", "number"]

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class Feed(models.Model):
    """An RSS or Atom feed that beat polls; its entries are imported as articles under its name."""

    name = models.CharField(
        max_length=100, unique=True, help_text="Stored as the source of every article from this feed."
    )
    url = models.URLField(max_length=1000, unique=True, help_text="http(s) address of the RSS or Atom feed.")
    is_active = models.BooleanField(default=True, help_text="Inactive feeds are not polled.")
    etag = models.CharField(max_length=500, blank=True, editable=False, help_text="ETag of the last response.")
    modified = models.CharField(
        max_length=100, blank=True, editable=False, help_text="Last-Modified of the last response."
    )
    last_polled_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_success_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_result = models.CharField(max_length=200, blank=True, editable=False, help_text="Counts of the last poll.")
    last_error = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


# --- notifications ----------------------------------------------------------------------


class NotificationEvent(models.TextChoices):
    ASSIGNED = "assigned", "An item is assigned to me"
    DUE_SOON = "due_soon", "An item of mine is due soon"
    ARTICLE_READY = "article_ready", "An article I work on is ready to publish"
    INCORRECT = "incorrect", "An item is found incorrect in an article I edit"
    DIGEST = "digest", "Each morning, my open items"


class NotificationChannel(models.TextChoices):
    EMAIL = "email", "Email"
    CHAT = "chat", "Chat (Slack-compatible webhook)"


def notification_pairs() -> list[tuple[str, str]]:
    """Every (channel, event) a person can turn on or off."""
    return [(channel, event) for channel in NotificationChannel.values for event in NotificationEvent.values]


class NotificationSettings(models.Model):
    """One person's notification preferences: every event on every channel they can receive,
    except the ones they turned off."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="notification_settings"
    )
    chat_webhook_url = models.URLField(
        "chat webhook", max_length=1000, blank=True,
        help_text="A Slack-compatible incoming webhook address (Slack, Mattermost, Rocket.Chat...) for chat messages.",
    )
    muted = models.JSONField(
        default=list, blank=True, help_text='What is turned off, as "channel:event" (e.g. "email:digest").'
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "notification settings"

    def __str__(self):
        return f"notification settings of {self.user}"

    def wants(self, channel: str, event: str) -> bool:
        return f"{channel}:{event}" not in self.muted


class NotificationStatus(models.TextChoices):
    PENDING = "pending", "Waiting"
    SENT = "sent", "Sent"
    SKIPPED = "skipped", "Not sent: turned off since"
    FAILED = "failed", "Gave up"


class Notification(models.Model):
    """One thing to tell one person on one channel. Written in the transaction of the change it
    tells of; a worker sends every waiting notification of a person and channel as one message."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    channel = models.CharField(max_length=10, choices=NotificationChannel.choices)
    event = models.CharField(max_length=20, choices=NotificationEvent.choices)
    article = models.ForeignKey(Article, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(ChecklistItem, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(help_text="The line (or, for a digest, lines) the message carries.")
    link = models.CharField(max_length=500, blank=True, help_text="Path of the page to open.")
    dedupe_key = models.CharField(
        max_length=100, blank=True, help_text="Notifications with the same key are told once (reminders, digests)."
    )
    status = models.CharField(max_length=10, choices=NotificationStatus.choices, default=NotificationStatus.PENDING)
    attempt_count = models.PositiveSmallIntegerField(default=0)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["recipient", "channel", "created_at"], condition=Q(status="pending"),
                name="notification_waiting",
            ),
            models.Index(fields=["created_at"], name="notification_created"),
            models.Index(fields=["recipient", "-created_at"], name="notification_recipient_recent"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "channel", "dedupe_key"], condition=~Q(dedupe_key=""),
                name="notification_told_once",
            ),
        ]

    def __str__(self):
        return f"{self.get_event_display()} → {self.recipient} ({self.channel})"
