"""A new version of an article keeps editors' work: claims are moved, reopened or marked removed."""

import pytest

from articles.models import ChecklistItem, ItemAnchor, ItemState, Note
from articles.selectors import article_readiness
from articles.services import article_upsert, checklist_extract
from articles.services.items import item_add_manual, item_verify, note_add

pytestmark = pytest.mark.django_db

QUOTE = "We already started working on that."
AMOUNT = "$233-million"


@pytest.fixture
def body(sample_paths):
    text = next(path for path in sample_paths if path.name.startswith("001_")).read_text()
    assert QUOTE in text and AMOUNT in text
    return text


@pytest.fixture
def article(body):
    article = article_upsert(source="test", external_id="revised", body=body).article
    checklist_extract(article_id=article.pk)
    return article


def publish(article, body):
    """A new version arrives and its checklist is extracted, as the worker would."""
    article_upsert(source=article.source, external_id=article.external_id, body=body)
    checklist_extract(article_id=article.pk)
    article.refresh_from_db()
    return article


def item(article, kind: str, words: str) -> ChecklistItem:
    return article.items.get(kind=kind, text=words)


def verified(article, kind, words, editor, note="Checked against the recording.") -> ChecklistItem:
    found = item(article, kind, words)
    return item_verify(item_id=found.pk, by=editor, note=note)


def assert_no_duplicates(article):
    spans = list(article.items.exclude(anchor=ItemAnchor.REMOVED).values_list("kind", "start", "end"))
    assert len(spans) == len(set(spans))


def assert_anchored(article):
    for current in article.items.exclude(anchor=ItemAnchor.REMOVED):
        assert article.body[current.start : current.end] == current.text
        assert current.anchored_revision == article.revision


def test_text_inserted_at_the_top_keeps_verified_claims_with_their_notes_at_new_offsets(article, body, cast):
    quote = verified(article, "quote", QUOTE, cast.editor)
    note_add(item_id=quote.pk, author=cast.reporter, body="Audio at 12:40.")
    item_count = article.items.count()
    inserted = "MANILA — An update on the visit.\n"

    article = publish(article, inserted + body)

    moved = ChecklistItem.objects.get(pk=quote.pk)
    assert moved.state == ItemState.VERIFIED
    assert moved.anchor == ItemAnchor.FOUND
    assert moved.start == quote.start + len(inserted)
    assert [n.body for n in moved.notes.all()] == ["Checked against the recording.", "Audio at 12:40."]
    assert article.items.count() == item_count
    assert_no_duplicates(article)
    assert_anchored(article)


def test_a_changed_amount_inside_a_verified_claim_is_reopened_with_its_old_words(article, body, cast):
    money = verified(article, "money", AMOUNT, cast.editor)

    article = publish(article, body.replace(AMOUNT, "$250-million"))

    changed = ChecklistItem.objects.get(pk=money.pk)
    assert changed.state == ItemState.OPEN
    assert changed.anchor == ItemAnchor.CHANGED
    assert changed.previous_text == AMOUNT
    assert changed.text == "$250-million"
    assert changed.value["amount"] == 250_000_000
    assert changed.notes.count() == 1
    assert article.items.filter(kind="money", text="$250-million").count() == 1
    assert_no_duplicates(article)
    assert_anchored(article)


def test_verifying_a_changed_claim_again_clears_the_changed_mark_and_keeps_the_old_words(article, body, cast):
    money = verified(article, "money", AMOUNT, cast.editor)
    publish(article, body.replace(AMOUNT, "$250-million"))

    again = item_verify(item_id=money.pk, by=cast.editor, note="The new figure is in the contract.")

    assert again.anchor == ItemAnchor.FOUND
    assert again.previous_text == AMOUNT


def test_a_deleted_paragraph_marks_its_claims_removed_and_never_deletes_them(article, body, cast):
    paragraph = next(line for line in body.splitlines() if QUOTE in line)
    quote = verified(article, "quote", QUOTE, cast.editor)
    untouched = article.items.filter(start__gte=body.index(paragraph), end__lte=body.index(paragraph) + len(paragraph))
    untouched_ids = set(untouched.values_list("pk", flat=True))

    article = publish(article, body.replace(paragraph + "\n", ""))

    removed = ChecklistItem.objects.get(pk=quote.pk)
    assert removed.anchor == ItemAnchor.REMOVED
    assert removed.state == ItemState.VERIFIED
    assert removed.notes.exists()
    assert set(article.items.filter(anchor=ItemAnchor.REMOVED).values_list("pk", flat=True)) == untouched_ids
    assert_no_duplicates(article)
    assert_anchored(article)


def test_removed_claims_do_not_count_towards_readiness(article, body, cast):
    paragraph = next(line for line in body.splitlines() if QUOTE in line)
    article = publish(article, body.replace(paragraph + "\n", ""))
    removed = article.items.filter(anchor=ItemAnchor.REMOVED)
    assert removed.exists()

    readiness = article_readiness(article)

    assert readiness.total == article.items.exclude(anchor=ItemAnchor.REMOVED).count()
    assert not {blocking.pk for blocking in readiness.blocking} & set(removed.values_list("pk", flat=True))


def test_reordered_paragraphs_keep_every_state(article, body, cast):
    quote = verified(article, "quote", QUOTE, cast.editor)
    money = verified(article, "money", AMOUNT, cast.editor)
    paragraphs = body.split("\n")
    item_count = article.items.count()

    article = publish(article, "\n".join(reversed(paragraphs)))

    for kept in (quote, money):
        moved = ChecklistItem.objects.get(pk=kept.pk)
        assert (moved.state, moved.anchor) == (ItemState.VERIFIED, ItemAnchor.FOUND)
        assert moved.start != kept.start
    assert article.items.exclude(anchor=ItemAnchor.REMOVED).count() == item_count
    assert_no_duplicates(article)
    assert_anchored(article)


def test_a_manual_item_moves_with_its_words(article, body, cast):
    words = "press briefing"
    manual = item_add_manual(
        article_id=article.pk, start=body.index(words), end=body.index(words) + len(words), kind="date", by=cast.editor
    )

    article = publish(article, "A new first line.\n" + body)

    moved = ChecklistItem.objects.get(pk=manual.pk)
    assert article.body[moved.start : moved.end] == words
    assert moved.origin == "manual"


def test_new_claims_in_a_new_version_become_new_open_items(article, body):
    article = publish(article, body + "\nThe ministry spent $12 million on the talks in 2015.")

    added = article.items.get(kind="money", text="$12 million")
    assert added.state == ItemState.OPEN
    assert added.anchor == ItemAnchor.FOUND
    assert_no_duplicates(article)


def test_every_move_is_in_the_items_history(article, body, cast):
    quote = verified(article, "quote", QUOTE, cast.editor)

    publish(article, "New first line.\n" + body.replace(AMOUNT, "$250-million"))

    reasons = list(ChecklistItem.objects.get(pk=quote.pk).history.values_list("history_change_reason", flat=True))
    assert "moved into revision 2" in reasons
    money = article.items.get(kind="money", previous_text=AMOUNT)
    assert "words changed in revision 2; reopened" in money.history.values_list("history_change_reason", flat=True)
    assert Note.objects.filter(item=quote).count() == 1
