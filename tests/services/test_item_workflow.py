import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from articles.models import ChecklistItem, ItemState, Note
from articles.services.items import (
    InvalidItem,
    ItemConflict,
    NoteRequired,
    TransitionNotAllowed,
    WorkflowError,
    article_assign_open_items,
    item_add_manual,
    item_assign,
    item_dismiss,
    item_mark_incorrect,
    item_mark_unverifiable,
    item_reopen,
    item_set_state,
    item_start,
    item_unassign,
    item_verify,
    items_assign,
    note_add,
)
from tests.factories import ArticleFactory, ChecklistItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def item():
    return ChecklistItemFactory()


def test_verifying_records_who_and_when_and_raises_the_version(item, cast):
    item_verify(item_id=item.pk, by=cast.editor)

    item.refresh_from_db()
    assert item.state == ItemState.VERIFIED
    assert item.state_changed_by == cast.editor
    assert item.state_changed_at is not None
    assert item.version == 2
    last = item.history.first()
    assert last.history_user == cast.editor
    assert last.history_change_reason == "verify"


def test_an_item_moves_open_to_in_progress_to_verified_and_back_to_open(item, cast):
    item_start(item_id=item.pk, by=cast.editor)
    item_verify(item_id=item.pk, by=cast.editor)
    item_reopen(item_id=item.pk, by=cast.editor)

    item.refresh_from_db()
    assert item.state == ItemState.OPEN
    assert [h.state for h in item.history.order_by("history_date")][-3:] == ["in_progress", "verified", "open"]


@pytest.mark.parametrize("verb", [item_mark_incorrect, item_mark_unverifiable, item_dismiss])
def test_a_verdict_other_than_verified_requires_a_note(item, cast, verb):
    with pytest.raises(NoteRequired):
        verb(item_id=item.pk, by=cast.editor, note="  ")

    item.refresh_from_db()
    assert item.state == ItemState.OPEN


@pytest.mark.parametrize(
    ("verb", "state"),
    [(item_mark_incorrect, "incorrect"), (item_mark_unverifiable, "unverifiable"), (item_dismiss, "dismissed")],
)
def test_the_note_explaining_a_verdict_is_kept_on_the_item(item, cast, verb, state):
    verb(item_id=item.pk, by=cast.editor, note="The minutes say $4.2 million.", source="https://example.org/minutes")

    item.refresh_from_db()
    assert item.state == state
    note = item.notes.get()
    assert (note.author, note.body, note.source) == (cast.editor, "The minutes say $4.2 million.", "https://example.org/minutes")


def test_a_verdict_cannot_change_to_another_verdict_without_reopening(item, cast):
    item_verify(item_id=item.pk, by=cast.editor)

    with pytest.raises(TransitionNotAllowed, match="reopen it first"):
        item_dismiss(item_id=item.pk, by=cast.editor, note="Opinion.")


def test_an_unknown_state_is_refused(item, cast):
    with pytest.raises(TransitionNotAllowed, match="not a state"):
        item_set_state(item_id=item.pk, state="approved", by=cast.editor)


def test_setting_the_state_it_already_has_changes_nothing(item, cast):
    item_verify(item_id=item.pk, by=cast.editor)
    item_verify(item_id=item.pk, by=cast.editor)

    item.refresh_from_db()
    assert item.version == 2


def test_a_stale_version_is_a_conflict_that_carries_the_current_item(item, cast):
    item_verify(item_id=item.pk, by=cast.editor, expected_version=1)

    with pytest.raises(ItemConflict) as conflict:
        item_reopen(item_id=item.pk, by=cast.editor, expected_version=1)

    assert conflict.value.current.state == ItemState.VERIFIED
    assert conflict.value.current.version == 2


def test_assigning_sets_the_assignee_and_due_time(item, cast):
    due = timezone.now() + datetime.timedelta(hours=2)

    item_assign(item_id=item.pk, assignee=cast.checker, by=cast.editor, due_at=due)

    item.refresh_from_db()
    assert (item.assignee, item.due_at) == (cast.checker, due)


def test_unassigning_clears_the_assignee_and_due_time(item, cast):
    item_assign(item_id=item.pk, assignee=cast.checker, by=cast.editor, due_at=timezone.now())

    item_unassign(item_id=item.pk, by=cast.editor)

    item.refresh_from_db()
    assert (item.assignee, item.due_at) == (None, None)


def test_many_items_are_assigned_at_once(cast):
    article = ArticleFactory()
    items = [ChecklistItemFactory(article=article, start=i, end=i + 3, kind="number") for i in range(3)]

    items_assign(item_ids=[i.pk for i in items], assignee=cast.checker, by=cast.editor)

    assert set(ChecklistItem.objects.filter(assignee=cast.checker)) == set(items)


def test_assigning_many_is_all_or_nothing(cast):
    article = ArticleFactory()
    free = ChecklistItemFactory(article=article, start=0, end=3)
    taken = ChecklistItemFactory(article=article, start=4, end=8, assignee=cast.other_checker)

    with pytest.raises(PermissionDenied):
        items_assign(item_ids=[free.pk, taken.pk], assignee=cast.checker, by=cast.checker)

    free.refresh_from_db()
    assert free.assignee is None


def test_all_open_items_of_a_kind_are_assigned_in_one_go(cast):
    article = ArticleFactory()
    open_quote = ChecklistItemFactory(article=article, kind="quote", start=0, end=3)
    verified_quote = ChecklistItemFactory(article=article, kind="quote", start=4, end=8, verified=True)
    money = ChecklistItemFactory(article=article, kind="money")

    assigned = article_assign_open_items(article_id=article.pk, kind="quote", assignee=cast.checker, by=cast.editor)

    assert assigned == [open_quote]
    for other in (verified_quote, money):
        other.refresh_from_db()
        assert other.assignee is None


def test_a_checker_can_take_an_unassigned_item(item, cast):
    item_assign(item_id=item.pk, assignee=cast.checker, by=cast.checker)

    item.refresh_from_db()
    assert item.assignee == cast.checker


def test_a_checker_cannot_take_an_item_assigned_to_someone_else(item, cast):
    item_assign(item_id=item.pk, assignee=cast.other_checker, by=cast.editor)

    with pytest.raises(PermissionDenied):
        item_assign(item_id=item.pk, assignee=cast.checker, by=cast.checker)


def test_an_inactive_user_cannot_be_assigned(item, cast):
    cast.checker.is_active = False
    cast.checker.save()

    with pytest.raises(WorkflowError, match="only active checkers and editors"):
        item_assign(item_id=item.pk, assignee=cast.checker, by=cast.editor)


@pytest.mark.parametrize("role", ["cms", "reporter"])
def test_only_checkers_and_editors_can_be_assigned(item, cast, role):
    with pytest.raises(WorkflowError, match="cannot be assigned items"):
        item_assign(item_id=item.pk, assignee=getattr(cast, role), by=cast.editor)

    item.refresh_from_db()
    assert item.assignee is None


def test_a_note_with_a_source_is_added(item, cast):
    note = note_add(item_id=item.pk, author=cast.reporter, body="Called the clerk's office.", source="Jane Roe, clerk")

    assert list(item.notes.all()) == [note]
    assert note.source == "Jane Roe, clerk"


def test_an_empty_note_is_refused(item, cast):
    with pytest.raises(WorkflowError, match="empty"):
        note_add(item_id=item.pk, author=cast.editor, body="  ")
    assert not Note.objects.exists()


def test_an_editor_adds_a_manual_item_by_span(cast):
    article = ArticleFactory()
    start = article.body.index("Monday")

    item = item_add_manual(article_id=article.pk, start=start, end=start + 6, kind="date", by=cast.editor,
                           guidance="Check the meeting date.")

    assert item.origin == "manual"
    assert item.text == "Monday"
    assert "Monday" in item.sentence
    assert item.guidance == "Check the meeting date."


@pytest.mark.parametrize(("start", "end"), [(-1, 4), (5, 5), (0, 10_000)])
def test_a_manual_item_outside_the_article_is_refused(cast, start, end):
    article = ArticleFactory()

    with pytest.raises(InvalidItem):
        item_add_manual(article_id=article.pk, start=start, end=end, kind="date", by=cast.editor)


def test_a_manual_item_duplicating_an_existing_one_is_refused(cast):
    existing = ChecklistItemFactory()

    with pytest.raises(InvalidItem, match="already"):
        item_add_manual(article_id=existing.article_id, start=existing.start, end=existing.end, kind=existing.kind,
                        by=cast.editor)
