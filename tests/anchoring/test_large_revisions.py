"""A one-paragraph edit of a long article (about 900 KB): every claim elsewhere keeps its
words at its shifted offsets, and the claims of the edited paragraph come out exactly as
they do when the paragraph is edited in a short text."""

import re

import pytest

from articles.anchoring import CHANGED, FOUND, REMOVED, TextDiff
from articles.extraction import Claim
from articles.models import ChecklistItem, ItemAnchor, ItemState
from articles.scalebench import revision as revision_bench
from articles.scalebench.revision import FIGURE, NEW_FIGURE, edit_one_paragraph, first_figure, is_claimed
from articles.services import article_upsert, checklist_store
from tests.conftest import SAMPLES

TARGET_BYTES = 900_000


def long_body() -> str:
    """The sample articles over and over (``bench_revision``'s long article)."""
    return revision_bench.long_body([path.read_text().strip() for path in sorted(SAMPLES.glob("*.txt"))], TARGET_BYTES)


@pytest.fixture(scope="module")
def revision():
    old = long_body()
    new, start, old_length, new_length = edit_one_paragraph(old)
    return old, new, start, old_length, new_length


def spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Claims spread through the text: every figure, and the four words from each third figure on."""
    found = []
    for number, match in enumerate(FIGURE.finditer(text, start, len(text) if end is None else end)):
        found.append((match.start(), match.end()))
        if number % 3 == 0:
            words = re.match(r"\S+(\s+\S+){3}", text[match.start() :])
            if words:
                found.append((match.start(), match.start() + len(words.group())))
    return found


def test_the_long_article_is_long(revision):
    old, new, *_ = revision
    assert len(old.encode()) > 890_000
    assert len(new.encode()) < 1_000_000  # the upsert's limit


def test_claims_outside_the_edited_paragraph_keep_their_words_at_shifted_offsets(revision):
    old, new, start, old_length, new_length = revision
    diff = TextDiff(old, new)
    shift = new_length - old_length
    outside = [(s, e) for s, e in spans(old) if e <= start or s >= start + old_length]
    assert len(outside) > 5_000

    for s, e in outside:
        relocation = diff.relocate(s, e)
        moved = 0 if e <= start else shift
        assert (relocation.status, relocation.start, relocation.end) == (FOUND, s + moved, e + moved), old[s:e]
        assert relocation.text == old[s:e] == new[relocation.start : relocation.end]


def test_claims_in_the_edited_paragraph_come_out_as_in_a_short_text(revision):
    old, new, start, old_length, new_length = revision
    diff = TextDiff(old, new)
    # The same edit in a short text: the paragraph with the paragraphs around it.
    before = old.rfind("\n", 0, old.rfind("\n", 0, start - 1)) + 1
    old_after = old.find("\n", old.find("\n", start + old_length + 1) + 1)
    new_after = new.find("\n", new.find("\n", start + new_length + 1) + 1)
    short = TextDiff(old[before:old_after], new[before:new_after])
    inside = [(s, e) for s, e in spans(old, start, start + old_length) if e <= start + old_length]
    statuses = set()

    for s, e in inside:
        relocation = diff.relocate(s, e)
        expected = short.relocate(s - before, e - before)
        statuses.add(relocation.status)
        assert relocation.status == expected.status, old[s:e]
        assert relocation.text == expected.text
        if relocation.status != REMOVED:
            assert (relocation.start, relocation.end) == (expected.start + before, expected.end + before)
            assert new[relocation.start : relocation.end] == relocation.text
    figure = first_figure(old, start)
    changed = diff.relocate(figure.start(), figure.end())
    assert (changed.status, changed.text) == (CHANGED, NEW_FIGURE)
    assert {CHANGED, REMOVED} <= statuses


def claims_of(body: str) -> list[Claim]:
    """What an engine would find: figures, chosen by their own digits so that an edit elsewhere changes nothing."""
    return [
        Claim(kind="number", start=m.start(), end=m.end(), text=m.group(), sentence=m.group(), guidance="Check it.")
        for m in FIGURE.finditer(body)
        if is_claimed(m)
    ]


@pytest.mark.django_db
def test_a_one_paragraph_edit_of_a_long_article_moves_every_item_and_keeps_the_work_on_it(revision):
    old, new, start, old_length, new_length = revision
    article = article_upsert(source="test", external_id="long", body=old).article
    checklist_store(article=article, claims=claims_of(old))
    items = list(article.items.order_by("start"))
    assert len(items) > 1_500
    verified = items[::50]
    ChecklistItem.objects.filter(pk__in=[item.pk for item in verified]).update(state=ItemState.VERIFIED)
    edited = [item for item in items if start <= item.start and item.end <= start + old_length]
    assert edited

    article = article_upsert(source="test", external_id="long", body=new).article
    checklist_store(article=article, claims=claims_of(new))

    shift = new_length - old_length
    after = {item.pk: item for item in ChecklistItem.objects.filter(article=article)}
    for item in items:
        if start <= item.start < start + old_length:
            continue
        moved = after[item.pk]
        assert moved.start == item.start + (shift if item.start > start else 0)
        assert (moved.text, moved.anchor, moved.anchored_revision) == (item.text, ItemAnchor.FOUND, 2)
        assert new[moved.start : moved.end] == moved.text
    for item in verified:
        if not start <= item.start < start + old_length:
            assert after[item.pk].state == ItemState.VERIFIED
    # In the edited paragraph, each item follows its words: the changed figure is reopened with
    # its old words, the figure cut out is marked removed (and kept).
    diff = TextDiff(old, new)
    for item in edited:
        relocation = diff.relocate(item.start, item.end)
        kept = after.get(item.pk)
        if relocation.status == CHANGED:
            assert (kept.anchor, kept.previous_text, kept.text) == (ItemAnchor.CHANGED, item.text, relocation.text)
            assert kept.state == ItemState.OPEN
        elif relocation.status == FOUND:
            assert (kept.start, kept.anchor) == (relocation.start, ItemAnchor.FOUND)
        else:  # words gone: kept, marked removed
            assert kept.anchor == ItemAnchor.REMOVED
    assert {CHANGED, REMOVED} <= {diff.relocate(item.start, item.end).status for item in edited}
    assert article.items.filter(anchor=ItemAnchor.CHANGED, text=NEW_FIGURE).count() == 1
    spans_now = list(article.items.exclude(anchor=ItemAnchor.REMOVED).values_list("kind", "start", "end"))
    assert len(spans_now) == len(set(spans_now))
