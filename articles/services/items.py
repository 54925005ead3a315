"""Editorial work on checklist items: change state, assign, annotate, add what the engine missed.

Every verb is one function: inside a transaction it locks the item, checks the version the
caller saw (optimistic locking), the caller's permission and the transition, saves with
``update_fields`` and leaves an audit record naming who and why.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from .. import roles
from ..extraction.sentences import sentence_text
from ..models import Article, ChecklistItem, ItemAnchor, ItemKind, ItemOrigin, ItemState, ItemTier, Note
from ..selectors import article_editors, assignable_users
from .stories import related_found_incorrect
from .locks import articles_lock_for_items
from .errors import InvalidItem, ItemConflict, NoteRequired, TransitionNotAllowed, WorkflowError
from .notifications import notify_assigned, notify_incorrect
from .webhooks import webhooks_item_changed

__all__ = ["InvalidItem", "ItemConflict", "NoteRequired", "TransitionNotAllowed", "WorkflowError"]


# --- state ------------------------------------------------------------------------------


def item_start(*, item_id: int, by, expected_version: int | None = None) -> ChecklistItem:
    return item_set_state(item_id=item_id, state=ItemState.IN_PROGRESS, by=by, expected_version=expected_version)


def item_verify(
    *, item_id: int, by, note: str = "", source: str = "", expected_version: int | None = None
) -> ChecklistItem:
    return item_set_state(
        item_id=item_id, state=ItemState.VERIFIED, by=by, note=note, source=source, expected_version=expected_version
    )


def item_mark_incorrect(
    *, item_id: int, by, note: str, source: str = "", expected_version: int | None = None
) -> ChecklistItem:
    return item_set_state(
        item_id=item_id, state=ItemState.INCORRECT, by=by, note=note, source=source, expected_version=expected_version
    )


def item_mark_unverifiable(
    *, item_id: int, by, note: str, source: str = "", expected_version: int | None = None
) -> ChecklistItem:
    return item_set_state(
        item_id=item_id, state=ItemState.UNVERIFIABLE, by=by, note=note, source=source,
        expected_version=expected_version,
    )


def item_dismiss(*, item_id: int, by, note: str, source: str = "", expected_version: int | None = None) -> ChecklistItem:
    return item_set_state(
        item_id=item_id, state=ItemState.DISMISSED, by=by, note=note, source=source, expected_version=expected_version
    )


def item_reopen(*, item_id: int, by, note: str = "", expected_version: int | None = None) -> ChecklistItem:
    return item_set_state(item_id=item_id, state=ItemState.OPEN, by=by, note=note, expected_version=expected_version)


def item_set_state(
    *, item_id: int, state: str, by, note: str = "", source: str = "", expected_version: int | None = None
) -> ChecklistItem:
    """The verb for ``state``; for callers that receive the target state as data."""
    if state not in ItemState.values:
        raise TransitionNotAllowed(f"{state!r} is not a state; use one of: {', '.join(ItemState.values)}")
    with transaction.atomic():
        item = _lock_item(item_id, expected_version)
        return _apply_state(item, state, by=by, note=note, source=source)


# Verdicts other than "verified" must say why, so the next person can follow the reasoning.
STATES_NEEDING_A_NOTE = frozenset({ItemState.INCORRECT, ItemState.UNVERIFIABLE, ItemState.DISMISSED})
# How each move is named in the audit trail.
STATE_VERBS = {
    ItemState.IN_PROGRESS: "start",
    ItemState.VERIFIED: "verify",
    ItemState.INCORRECT: "mark incorrect",
    ItemState.UNVERIFIABLE: "mark unverifiable",
    ItemState.DISMISSED: "dismiss",
    ItemState.OPEN: "reopen",
}


def _apply_state(
    item: ChecklistItem, state: str, *, by, note: str = "", source: str = "", reason: str = ""
) -> ChecklistItem:
    """Move the locked ``item`` to ``state`` with its checks; a note goes with it when given.

    Starting work takes no note; reopening takes a note but no source.
    """
    if state == ItemState.IN_PROGRESS:
        note = ""
    if state in (ItemState.IN_PROGRESS, ItemState.OPEN):
        source = ""
    note = (note or "").strip()
    if not roles.can_work_item(by, item):
        raise PermissionDenied("You may only change the state of items assigned to you.")
    if item.state == state:
        return item
    if not ItemState.can_move(item.state, state):
        raise TransitionNotAllowed(
            f"An item that is {item.get_state_display().lower()} cannot be moved to "
            f"{ItemState(state).label.lower()}; reopen it first."
        )
    if state in STATES_NEEDING_A_NOTE and not note:
        raise NoteRequired(f"Say why the item is {ItemState(state).label.lower()}: a note is required.")
    previous_state = item.state
    item.state = state
    item.state_changed_at = timezone.now()
    item.state_changed_by = by
    fields = ["state", "state_changed_at", "state_changed_by"]
    if item.anchor == ItemAnchor.CHANGED and state != ItemState.OPEN:
        item.anchor = ItemAnchor.FOUND  # checked again in its new words; previous_text stays for the record
        fields.append("anchor")
    _save(item, by, reason or STATE_VERBS[state], fields)
    if note:
        _create_note(item, author=by, body=note, source=source)
    if state == ItemState.INCORRECT:
        related_found_incorrect(item=item)
        notify_incorrect(item=item, by=by, note=note)
    webhooks_item_changed(item=item, previous_state=previous_state)
    return item


# --- assignment -------------------------------------------------------------------------


def item_assign(
    *, item_id: int, assignee, by, due_at: datetime.datetime | None = None, expected_version: int | None = None
) -> ChecklistItem:
    """Assign the item to ``assignee`` (None unassigns), optionally with a due time."""
    with transaction.atomic():
        item = _lock_item(item_id, expected_version)
        return _apply_assignment(item, assignee, by=by, due_at=due_at)


def _apply_assignment(
    item: ChecklistItem, assignee, *, by, due_at: datetime.datetime | None, newly_assigned: list | None = None
) -> ChecklistItem:
    """Assign the locked ``item``; its new assignee is told at once, or, when the caller
    collects ``newly_assigned`` items (a batch), with the rest of the batch."""
    if not roles.can_assign(by, item, assignee):
        raise PermissionDenied("You may only assign unassigned items to yourself.")
    if assignee is not None and not assignable_users().filter(pk=assignee.pk).exists():
        raise WorkflowError(
            f"{assignee.get_username()} cannot be assigned items: only active checkers and editors can."
        )
    previous_assignee_id = item.assignee_id
    item.assignee = assignee
    item.due_at = due_at if assignee is not None else None
    _save(item, by, "assign" if assignee else "unassign", ["assignee", "due_at"])
    if assignee is not None and item.article.editor_id is None and article_editors().filter(pk=by.pk).exists():
        _take_on_article(item.article, editor=by)
    if assignee is not None and assignee.pk != previous_assignee_id:
        if newly_assigned is None:
            notify_assigned(items=[item], by=by)
        else:
            newly_assigned.append(item)
    webhooks_item_changed(item=item, previous_state=item.state)
    return item


def _take_on_article(article: Article, *, editor) -> None:
    """The first editor to hand out an article's items becomes its editor, unless one is named
    (an update that leaves the history alone: the assignment it came with is recorded)."""
    if Article.objects.filter(pk=article.pk, editor__isnull=True).update(editor=editor):
        article.editor = editor


def item_unassign(*, item_id: int, by, expected_version: int | None = None) -> ChecklistItem:
    return item_assign(item_id=item_id, assignee=None, by=by, expected_version=expected_version)


def items_assign(
    *, item_ids: Iterable[int], assignee, by, due_at: datetime.datetime | None = None
) -> list[ChecklistItem]:
    """Assign many items at once; all or none. Each assignee is told of their items together."""
    newly_assigned: list[ChecklistItem] = []
    item_ids = list(item_ids)
    with transaction.atomic():
        articles_lock_for_items(item_ids)  # all of them first, in the common order
        items = [
            _apply_assignment(
                _lock_item(item_id, None, article_locked=True), assignee, by=by, due_at=due_at,
                newly_assigned=newly_assigned,
            )
            for item_id in item_ids
        ]
        notify_assigned(items=newly_assigned, by=by)
    return items


def article_assign_open_items(
    *, article_id: int, kind: str, assignee, by, due_at: datetime.datetime | None = None
) -> list[ChecklistItem]:
    """Assign every open item of one kind in the article to ``assignee`` (editors only)."""
    if not roles.can_assign_anyone(by):
        raise PermissionDenied("Only editors assign items to others.")
    if kind not in ItemKind.values:
        raise WorkflowError(f"{kind!r} is not a kind; use one of: {', '.join(ItemKind.values)}")
    item_ids = (
        ChecklistItem.objects.filter(article_id=article_id, kind=kind, state=ItemState.OPEN)
        .current()
        .order_by("start")
        .values_list("pk", flat=True)
    )
    return items_assign(item_ids=list(item_ids), assignee=assignee, by=by, due_at=due_at)


# --- tiers ------------------------------------------------------------------------------


def _check_tier_move(tier: str, note: str, by) -> str:
    """The note, stripped, once the move is allowed."""
    if tier not in ItemTier.values:
        raise WorkflowError(f"{tier!r} is not a tier; use one of: {', '.join(ItemTier.values)}")
    if not roles.can_assign_anyone(by):
        raise PermissionDenied("Only editors move items between required and recommended.")
    note = (note or "").strip()
    if not note:
        raise NoteRequired(f"Say why the item is {ItemTier(tier).label.lower()}: a note is required.")
    return note


def item_set_tier(*, item_id: int, tier: str, note: str, by, expected_version: int | None = None) -> ChecklistItem:
    """An editor moves one item between required and recommended; the note says why.

    The item keeps that tier whatever the policy says later (``tier_pinned``).
    """
    note = _check_tier_move(tier, note, by)
    with transaction.atomic():
        item = _lock_item(item_id, expected_version)
        return _apply_tier(item, tier, by=by, note=note)


def _apply_tier(item: ChecklistItem, tier: str, *, by, note: str) -> ChecklistItem:
    if item.tier == tier and item.tier_pinned:
        return item
    was_required = item.is_required
    label = ItemTier(tier).label.lower()
    item.tier, item.tier_pinned = tier, True
    _save(item, by, f"moved to {label}: {note}"[:100], ["tier", "tier_pinned"])
    _create_note(item, author=by, body=f"Moved to {label}: {note}", source="")
    webhooks_item_changed(item=item, previous_state=item.state, no_longer_required=was_required and not item.is_required)
    return item


# --- notes and manual items -------------------------------------------------------------


def note_add(*, item_id: int, author, body: str, source: str = "") -> Note:
    if not roles.can_add_note(author):
        raise PermissionDenied("You may not add notes.")
    body = (body or "").strip()
    if not body:
        raise WorkflowError("A note cannot be empty.")
    with transaction.atomic():
        item = ChecklistItem.objects.select_for_update(no_key=True).get(pk=item_id)
        note = _create_note(item, author=author, body=body, source=source)
    return note


def item_add_manual(
    *, article_id: int, start: int, end: int, kind: str, by, guidance: str = "", speaker: str = ""
) -> ChecklistItem:
    """Add a claim the engine missed, by its span in the article body."""
    if not roles.can_add_item(by):
        raise PermissionDenied("You may not add items.")
    if kind not in ItemKind.values:
        raise InvalidItem(f"{kind!r} is not a kind; use one of: {', '.join(ItemKind.values)}")
    with transaction.atomic():
        article = Article.objects.select_for_update(no_key=True).get(pk=article_id)
        if not (0 <= start < end <= len(article.body)):
            raise InvalidItem(f"The span {start}..{end} is not inside the article (0..{len(article.body)}).")
        text = article.body[start:end]
        if not text.strip():
            raise InvalidItem("The span holds only white space.")
        if article.items.filter(kind=kind, start=start, end=end).current().exists():
            raise InvalidItem("The checklist already has this claim.")
        item = ChecklistItem(
            article=article,
            kind=kind,
            start=start,
            end=end,
            text=text,
            sentence=sentence_text(article.body, start, end),
            speaker=speaker,
            guidance=guidance or f"Added by {by.get_username()}: check this claim.",
            priority=60,
            origin=ItemOrigin.MANUAL,
            anchored_revision=article.revision,
        )
        item._history_user = by
        item._change_reason = "add manual item"
        item.save()
    return item


# --- helpers ----------------------------------------------------------------------------


def _lock_item(item_id: int, expected_version: int | None, *, article_locked: bool = False) -> ChecklistItem:
    """Lock the item's article (unless the caller has), then the item: the order every
    writer keeps (``locks``)."""
    if not article_locked:
        articles_lock_for_items([item_id])
    item = (
        ChecklistItem.objects.select_for_update(no_key=True, of=("self",))
        .select_related("article").defer("article__body").get(pk=item_id)
    )
    if expected_version is not None and item.version != expected_version:
        raise ItemConflict(item)
    return item


def _save(item: ChecklistItem, by, reason: str, fields: list[str]) -> None:
    item.version += 1
    item._history_user = by
    item._change_reason = reason
    item.save(update_fields=[*fields, "version", "updated_at"])


def _create_note(item: ChecklistItem, *, author, body: str, source: str) -> Note:
    note = Note(item=item, author=author, body=body, source=(source or "").strip())
    note._history_user = author
    note.save()
    return note


_UNCHANGED = object()


def item_update(
    *,
    item_id: int,
    by,
    state: str | None = None,
    tier: str | None = None,
    assignee=_UNCHANGED,
    due_at=_UNCHANGED,
    note: str = "",
    source: str = "",
    expected_version: int | None = None,
) -> ChecklistItem:
    """Change assignment, tier and state in one go, for callers that send several fields at once.

    All or nothing: the version is checked once, before the first change. ``note`` goes with
    the tier move when there is one, else with the state change.
    """
    if state is not None and state not in ItemState.values:
        raise TransitionNotAllowed(f"{state!r} is not a state; use one of: {', '.join(ItemState.values)}")
    if tier is not None:
        note = _check_tier_move(tier, note, by)
    with transaction.atomic():
        item = _lock_item(item_id, expected_version)
        if tier is not None:
            _apply_tier(item, tier, by=by, note=note)
            note = "" if state in (None, ItemState.VERIFIED) else note
        if assignee is not _UNCHANGED or due_at is not _UNCHANGED:
            _apply_assignment(
                item,
                item.assignee if assignee is _UNCHANGED else assignee,
                by=by,
                due_at=item.due_at if due_at is _UNCHANGED else due_at,
            )
        if state is not None:
            _apply_state(item, state, by=by, note=note, source=source)
    return item
