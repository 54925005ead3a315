"""Required and recommended items: readiness counts the required tier, the policy is data
editors change, and editors move single items with a note."""

import pytest
from django.core.exceptions import PermissionDenied

from articles.models import ChecklistStatus, ItemState, ItemTier, TierRule
from articles.selectors import READY, article_readiness, articles_with_progress
from articles.services import checklist_extract
from articles.services.items import NoteRequired, item_set_tier, item_update, item_verify
from articles.services.tiers import items_retier, tier_policy
from tests.factories import ArticleFactory, ChecklistItemFactory, extract_again

pytestmark = pytest.mark.django_db


def article_with(*tiers_and_states):
    article = ArticleFactory(checklist_status=ChecklistStatus.READY)
    for offset, (tier, state) in enumerate(tiers_and_states):
        ChecklistItemFactory(article=article, kind="number", start=offset, end=offset + 2, tier=tier, state=state)
    return article


def is_ready_in_lists(article) -> bool:
    return articles_with_progress().filter(READY, pk=article.pk).exists()


def test_open_recommended_items_do_not_hold_an_article_back():
    article = article_with(("required", "verified"), ("recommended", "open"), ("recommended", "in_progress"))

    readiness = article_readiness(article)

    assert readiness.ready and is_ready_in_lists(article)
    assert (readiness.required_resolved, readiness.required_total, readiness.recommended_open) == (1, 1, 2)
    assert "2 recommended still open" in readiness.reason


def test_an_open_required_item_holds_it_back():
    article = article_with(("required", "open"), ("recommended", "verified"))

    readiness = article_readiness(article)

    assert not readiness.ready and not is_ready_in_lists(article)
    assert readiness.reason == "1 required item(s) are not resolved yet."


def test_a_recommended_item_marked_incorrect_still_blocks_publication():
    article = article_with(("required", "verified"), ("recommended", "incorrect"))

    readiness = article_readiness(article)

    assert not readiness.ready and not is_ready_in_lists(article)
    assert [item.tier for item in readiness.blocking] == ["recommended"]


def test_a_new_installation_starts_with_the_default_policy():
    rules = tier_policy()

    assert rules and rules[-1].kind is None
    assert TierRule.objects.filter(kind="attribution", source_type="unnamed", tier="required").exists()


def test_extraction_gives_every_item_the_tier_of_the_policy(cast):
    article = ArticleFactory(
        body="The deal collapsed this month, officials said.\nThe treaty was signed in 1951.\n"
    )
    TierRule.objects.all().delete()
    TierRule.objects.create(position=1, kind="date", min_priority=58, tier="required")
    TierRule.objects.create(position=2, tier="recommended")

    checklist_extract(article_id=article.pk)

    tiers = {item.text: item.tier for item in article.items.all()}
    assert tiers["1951"] == "required"
    assert tiers["this month"] == "recommended"


def test_changing_the_policy_retiers_open_work_but_not_resolved_items_or_ready_articles(cast):
    waiting = article_with(("required", "open"), ("required", "verified"))
    ready = article_with(("required", "verified"))
    open_item, verified_item = waiting.items.order_by("start")
    TierRule.objects.all().delete()
    TierRule.objects.create(position=1, kind="number", tier="recommended")

    moved = items_retier()

    open_item.refresh_from_db()
    verified_item.refresh_from_db()
    assert moved == 1
    assert open_item.tier == "recommended"
    assert verified_item.tier == "required" and verified_item.state == ItemState.VERIFIED
    assert ready.items.get().tier == "required"
    assert open_item.history.first().history_change_reason == "tier policy changed"


def test_a_policy_change_leaves_an_item_an_editor_changed_while_it_ran(cast, monkeypatch):
    """The re-tiering reads the open items, then locks their articles to write: an editor's
    move committed in between is kept, and the editor's version stands."""
    from articles.services import tiers

    article = article_with(("required", "open"), ("required", "open"))
    first, second = article.items.order_by("start")
    TierRule.objects.all().delete()
    TierRule.objects.create(position=1, kind="number", tier="recommended")
    lock = tiers.articles_lock

    def an_editor_moves_the_first_item_meanwhile(article_ids):
        item_set_tier(item_id=first.pk, tier="required", note="The lede's figure.", by=cast.editor)
        return lock(article_ids)

    monkeypatch.setattr(tiers, "articles_lock", an_editor_moves_the_first_item_meanwhile)
    moved = items_retier()

    first.refresh_from_db()
    second.refresh_from_db()
    assert moved == 1
    assert (first.tier, first.tier_pinned, first.version) == ("required", True, 2)
    assert second.tier == "recommended"


def test_a_policy_change_that_clears_the_last_required_item_makes_the_article_ready_in_lists(cast):
    article = article_with(("required", "open"), ("required", "verified"))
    assert not is_ready_in_lists(article)
    TierRule.objects.all().delete()
    TierRule.objects.create(position=1, kind="number", tier="recommended")

    items_retier()

    article.refresh_from_db()
    assert is_ready_in_lists(article)
    assert (article.required_total, article.recommended_open) == (1, 1)


def test_an_editor_moves_an_item_with_a_note_and_the_move_is_kept(cast):
    article = article_with(("required", "open"))
    item = article.items.get()

    item_set_tier(item_id=item.pk, tier="recommended", note="Background the desk confirmed last week.", by=cast.editor)

    item.refresh_from_db()
    assert (item.tier, item.tier_pinned) == ("recommended", True)
    assert item.notes.get().body == "Moved to recommended: Background the desk confirmed last week."
    assert item.history.first().history_user == cast.editor
    assert article_readiness(article).ready
    TierRule.objects.all().delete()
    TierRule.objects.create(position=1, tier="required")
    items_retier()
    item.refresh_from_db()
    assert item.tier == "recommended"  # the policy leaves an editor's choice alone


def test_moving_an_item_needs_a_note_and_an_editor(cast):
    item = article_with(("required", "open")).items.get()

    with pytest.raises(NoteRequired):
        item_set_tier(item_id=item.pk, tier="recommended", note=" ", by=cast.editor)
    with pytest.raises(PermissionDenied):
        item_set_tier(item_id=item.pk, tier="recommended", note="Not needed.", by=cast.checker)

    item.refresh_from_db()
    assert item.tier == ItemTier.REQUIRED and not item.tier_pinned


def test_a_re_extraction_keeps_the_tier_an_editor_chose(cast):
    article = ArticleFactory(body="The treaty was signed in 1951 in San Francisco.\n")
    checklist_extract(article_id=article.pk)
    year = article.items.get(kind="date")
    item_set_tier(item_id=year.pk, tier="recommended", note="Well known.", by=cast.editor)

    extract_again(article)

    year.refresh_from_db()
    assert year.tier == "recommended"


def test_a_tier_move_and_a_verdict_go_together_in_one_update(cast):
    item = article_with(("recommended", "open")).items.get()

    item_update(item_id=item.pk, by=cast.editor, tier="required", state="verified", note="Central to the story.")

    item.refresh_from_db()
    assert (item.tier, item.state) == ("required", "verified")
    item_verify(item_id=item.pk, by=cast.editor)  # already verified: nothing to do, no error
