"""A one-paragraph edit of a long article (about 900 KB): every claim elsewhere keeps its
words at its shifted offsets, and the claims of the edited paragraph come out exactly as
they do when the paragraph is edited in a short text."""

import re
from string import ascii_lowercase

import pytest

from articles.anchoring import CHANGED, FOUND, REMOVED, TextDiff
from articles.extraction import Claim
from articles.models import ChecklistItem, ItemAnchor, ItemState
from articles.services import article_upsert, checklist_store
from tests.conftest import SAMPLES

TARGET_BYTES = 900_000
NEW_FIGURE = "987650"
FIGURE = re.compile(r"\d[\d,.]*\d|\d")


def long_body() -> str:
    """The sample articles over and over, each copy's words spelt its own way and every
    paragraph marked with its copy and place: as in a real long article, no two paragraphs
    are the same and a claim's words with their surroundings are found once."""
    texts = [path.read_text().strip() for path in sorted(SAMPLES.glob("*.txt"))]
    copies, size, copy = [], 0, 0
    while size < TARGET_BYTES:
        spelling = ascii_lowercase[copy // 26] + ascii_lowercase[copy % 26]
        varied = re.sub(r"[A-Za-z]{4,}", lambda word: word.group() + spelling, texts[copy % len(texts)])
        lines = varied.split("\n")
        text = "\n".join(f"Part {copy}.{index}: {line}" if line.strip() else line for index, line in enumerate(lines))
        copies.append(text)
        size += len(text.encode()) + 2
        copy += 1
    return "\n\n".join(copies)


def edit_one_paragraph(body: str) -> tuple[str, int, int, int]:
    """Change the first figure of a paragraph in the middle (one the engine claims) and
    rewrite its end from its last figure on.

    Returns the new body, where the paragraph starts, and its old and new lengths.
    """
    lines = body.split("\n")
    index = len(lines) // 2
    while not fit_for_the_edit(lines[index]):
        index += 1
    old = lines[index]
    figure, last = first_figure(old), list(FIGURE.finditer(old))[-1]
    new = old[: figure.start()] + NEW_FIGURE + old[figure.end() : last.start()] + "more, by a revised count."
    start = sum(len(line) + 1 for line in lines[:index])
    lines[index] = new
    return "\n".join(lines), start, len(old), len(new)


def first_figure(text: str, start: int = 0) -> re.Match | None:
    """The first figure of the paragraph at ``start``, after its "Part n.m:" mark."""
    mark = text.find(": ", start)
    return FIGURE.search(text, mark + 2) if mark != -1 else None


def fit_for_the_edit(paragraph: str) -> bool:
    """A long paragraph with two figures or more some words apart, the first one the engine claims."""
    mark = paragraph.find(": ")
    figures = list(FIGURE.finditer(paragraph, mark + 2)) if mark != -1 else []
    return (
        len(figures) > 1
        and is_claimed(figures[0])
        and len(paragraph[figures[0].end() : figures[-1].start()].split()) > 6
        and len(paragraph.split()) > 15
    )


def is_claimed(figure: re.Match) -> bool:
    return figure.group()[-1] in "0369"


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
