"""The tier policy: which items must be cleared before publication.

An editor's exception for one item is ``items.item_set_tier``.

The policy is the ordered ``TierRule`` rows; the rule matching lives in
``extraction.tiers`` so that the engine, the command line and the database agree.
"""

from __future__ import annotations

from django.db import DatabaseError, transaction
from simple_history.utils import bulk_update_with_history

from ..extraction import tiers
from ..models import ChecklistItem, ItemState, TierRule
from .locks import articles_lock
from .progress import article_progress_refresh

RETIER_BATCH = 500


def tier_policy() -> list[tiers.TierRule]:
    """The newsroom's rules in the order they are tried (no rows: every item is required)."""
    return [rule.as_rule() for rule in TierRule.objects.order_by("position", "pk")]


def tier_policy_or_default() -> tuple[tiers.TierRule, ...]:
    """The newsroom's rules, or the default policy where there is no database to read them from."""
    try:
        return tuple(tier_policy())
    except DatabaseError:
        return tiers.DEFAULT_POLICY


def tier_of(item: ChecklistItem, policy) -> str:
    return tiers.tier_for(policy, kind=item.kind, source_type=item.source_type, priority=item.priority)


def items_retier(*, reason: str = "tier policy changed") -> int:
    """Give the policy's tier to the open items of articles not yet ready; returns how many moved.

    Items an editor put in a tier, resolved items and articles already ready are left
    alone: a policy change never reopens finished work. The moved items' articles are
    recounted in the same transaction (a bulk update sends no item signals).
    """
    from ..selectors import READY, articles_with_progress

    policy = tier_policy()
    not_ready = articles_with_progress().exclude(READY).values("pk")
    candidates = (
        ChecklistItem.objects.current()
        .filter(article__in=not_ready, tier_pinned=False)
        .exclude(state__in=ItemState.resolved())
        .only("pk", "article_id", "kind", "priority", "value", "tier", "version")
        .order_by("pk")
    )
    moved: list[ChecklistItem] = []
    for item in candidates.iterator(chunk_size=RETIER_BATCH):
        tier = tier_of(item, policy)
        if tier != item.tier:
            item.tier = tier
            item.version += 1
            moved.append(item)
    if moved:
        with transaction.atomic():
            articles_lock(item.article_id for item in moved)  # before their items (``locks``)
            # An item someone changed since it was read (pinned its tier, gave a verdict) is theirs.
            versions = dict(ChecklistItem.objects.filter(pk__in=[item.pk for item in moved]).values_list("pk", "version"))
            moved = [item for item in moved if versions.get(item.pk) == item.version - 1]
            bulk_update_with_history(
                moved, ChecklistItem, ["tier", "version"], batch_size=RETIER_BATCH, default_change_reason=reason
            )
            article_progress_refresh(item.article_id for item in moved)
    return len(moved)


def tier_policy_changed(*, by) -> int:
    """Call after editors changed the rules (the admin does): re-tier the open work."""
    return items_retier(reason=f"tier policy changed by {by.get_username()}" if by else "tier policy changed")
