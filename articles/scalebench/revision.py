"""An edit of a long article, timed as a worker does it: ``python manage.py bench_revision``.

The article is the sample articles over and over up to the size asked (900 KB by
default), each copy's words spelt its own way and every paragraph marked with this run,
its copy and its place: as in a real long article no two paragraphs are the same, and
nothing of it is in the workers' shared memory from an earlier run. One paragraph in the
middle is then edited: its first claimed figure changed and its end rewritten.

Timed, in a transaction rolled back at the end (nothing is left in the database):

- **first read**, the baseline: the article upserted, then extracted and stored
  (``checklist_extract``, as the worker's task) with this process's memory of readings
  emptied, so every sentence goes through the models;
- **the edit in a new process**: the edited body upserted, this process's memory emptied
  again (a worker process that never read the article), then extracted, re-anchored and
  stored. Only the workers' shared memory (``FACTCHECK_SHARED_READINGS_URL``, by default
  the broker's Redis) can spare it the models: without one, this is a first read again;
- **the edit in the process that read it**: a second paragraph edited, the process's
  memory kept.

Before the edits a fiftieth of the items are marked verified: the report says how many
were still verified after them, and how many items moved, reopened or were marked removed.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from string import ascii_lowercase

from django.db import transaction

from ..extraction.engine import forget_recent_readings
from ..memo import shared_store
from ..models import ChecklistItem, ItemAnchor, ItemState
from ..services import article_upsert, checklist_extract

DEFAULT_BYTES = 900_000
QUICK_BYTES = 60_000
NEW_FIGURE = "987650"
FIGURE = re.compile(r"\d[\d,.]*\d|\d")


def long_body(texts: list[str], target_bytes: int, mark: str = "") -> str:
    """``texts`` over and over to ``target_bytes``, each copy's words spelt its own way and
    every paragraph marked "Part {mark}{copy}.{place}:"."""
    copies, size, copy = [], 0, 0
    while size < target_bytes:
        spelling = ascii_lowercase[copy // 26 % 26] + ascii_lowercase[copy % 26]
        varied = re.sub(r"[A-Za-z]{4,}", lambda word: word.group() + spelling, texts[copy % len(texts)])
        lines = varied.split("\n")
        text = "\n".join(
            f"Part {mark}{copy}.{index}: {line}" if line.strip() else line for index, line in enumerate(lines)
        )
        copies.append(text)
        size += len(text.encode()) + 2
        copy += 1
    return "\n\n".join(copies)


def edit_one_paragraph(body: str, at: float = 0.5) -> tuple[str, int, int, int]:
    """Change the first figure of the first paragraph fit for it from ``at`` (a fraction of
    the lines) on, one the engine claims, and rewrite the paragraph's end from its last figure.

    Returns the new body, where the paragraph starts, and its old and new lengths.
    """
    lines = body.split("\n")
    index = int(len(lines) * at)
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
    """Figures ending in 0, 3, 6 or 9: the ones the tests' stand-in engine claims."""
    return figure.group()[-1] in "0369"


@dataclass
class RevisionResult:
    body_bytes: int
    items: int
    shared_readings: bool
    first_read_seconds: float
    edit_new_process_seconds: float
    edit_same_process_seconds: float
    items_moved: int
    items_reopened: int
    items_removed: int
    verified_before: int
    verified_after: int

    def as_dict(self) -> dict:
        return asdict(self)


class _Rollback(Exception):
    """Raised to roll the benchmark's writes back."""


def run(samples: Path, *, target_bytes: int = DEFAULT_BYTES, log: Callable[[str], None] = print) -> RevisionResult:
    texts = [path.read_text().strip() for path in sorted(samples.glob("*.txt"))]
    if not texts:
        raise ValueError(f"no .txt articles in {samples}")
    body = long_body(texts, target_bytes, mark=f"{uuid.uuid4().hex[:6]}-")
    result: RevisionResult | None = None
    try:
        with transaction.atomic():
            result = _measure(body, log)
            raise _Rollback
    except _Rollback:
        pass
    return result


def _measure(body: str, log: Callable[[str], None]) -> RevisionResult:
    external_id = f"bench-revision-{uuid.uuid4().hex}"
    log(f"First read of a {len(body.encode()):,}-byte article…")
    first = _timed_revision(external_id, body, forget=True)
    items = ChecklistItem.objects.filter(article_id=first.article_id)
    count = items.count()
    to_verify = list(items.order_by("start").values_list("pk", flat=True)[::50])
    ChecklistItem.objects.filter(pk__in=to_verify).update(state=ItemState.VERIFIED)
    edited, *_ = edit_one_paragraph(body, at=0.5)
    log("An edit, read by a process that never read the article…")
    fresh = _timed_revision(external_id, edited, forget=True)
    again, *_ = edit_one_paragraph(edited, at=0.25)
    log("Another edit, read by the process that read it…")
    same = _timed_revision(external_id, again, forget=False)
    history = ChecklistItem.history.filter(id__in=items.values("pk"))
    return RevisionResult(
        body_bytes=len(body.encode()),
        items=count,
        shared_readings=shared_store() is not None,
        first_read_seconds=first.seconds,
        edit_new_process_seconds=fresh.seconds,
        edit_same_process_seconds=same.seconds,
        items_moved=history.filter(history_change_reason__startswith="moved into revision").count(),
        items_reopened=items.filter(anchor=ItemAnchor.CHANGED).count(),
        items_removed=items.filter(anchor=ItemAnchor.REMOVED).count(),
        verified_before=len(to_verify),
        verified_after=ChecklistItem.objects.filter(pk__in=to_verify, state=ItemState.VERIFIED).count(),
    )


@dataclass
class _Timed:
    article_id: int
    seconds: float


def _timed_revision(external_id: str, body: str, *, forget: bool) -> _Timed:
    """Upsert ``body`` and extract and store its checklist as the worker's task does (its
    desk linking, a task of its own, is not sent: the transaction never commits)."""
    if forget:
        forget_recent_readings()
    started = time.perf_counter()
    article = article_upsert(source="bench", external_id=external_id, body=body).article
    checklist_extract(article_id=article.pk, link_now=False)
    return _Timed(article.pk, time.perf_counter() - started)


def render(result: RevisionResult) -> str:
    first = result.first_read_seconds
    shared = (
        "the workers' shared memory of readings (Redis)"
        if result.shared_readings
        else "none: FACTCHECK_SHARED_READINGS_URL/REDIS_URL unset, so a new process reads it all again"
    )
    rows = [
        f"Article: {result.body_bytes:,} bytes, {result.items:,} items; one paragraph edited each time",
        f"Shared readings: {shared}",
        "",
        f"{'':<42}{'seconds':>9}{'vs first read':>15}",
        f"{'first read (baseline)':<42}{first:>9.2f}{1:>15.2f}",
        f"{'edit, in a process that never read it':<42}{result.edit_new_process_seconds:>9.2f}"
        f"{result.edit_new_process_seconds / first:>15.2f}",
        f"{'edit, in the process that read it':<42}{result.edit_same_process_seconds:>9.2f}"
        f"{result.edit_same_process_seconds / first:>15.2f}",
        "",
        f"Items moved {result.items_moved:,}, reopened {result.items_reopened}, marked removed "
        f"{result.items_removed}; verified before the edits {result.verified_before}, still verified "
        f"{result.verified_after} (items of the edited paragraphs reopen)",
    ]
    return "\n".join(rows)
