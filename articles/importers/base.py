"""What every importer returns, and the errors they raise."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from ..extraction import InvalidText


class UnreadableInput(InvalidText):
    """The input cannot be read as any article format; the message says why, for a person to read."""


@dataclass(frozen=True)
class ParsedArticle:
    """One article read from a file, a page, a JSON document or a feed entry.

    ``external_id`` is None when the input does not name one (a text file, a web page):
    the caller supplies it (the file stem, the canonical URL). ``source`` is set only
    when the input names its own (JSON in the API's shape). An empty ``body`` with a
    ``url`` is a feed entry that only links to its article: fetch the URL to read it.
    """

    format: str
    body: str
    external_id: str | None = None
    title: str | None = None
    byline: str | None = None
    url: str | None = None
    published_at: datetime.datetime | None = None
    source: str | None = None
    # When the source last changed it (a feed entry's <updated>); not stored, used to skip re-fetching.
    updated_at: datetime.datetime | None = None
    # The source's own version number of the item (a NewsML-G2 ``version``): an older version
    # never overwrites a newer one already stored.
    version: int | None = None

    @property
    def needs_fetch(self) -> bool:
        return not self.body.strip() and bool(self.url)


@dataclass(frozen=True)
class EntrySkipped:
    """One entry that is not an article to check (a photo, an event, a planning item, a
    document without text): skipped with the reason, not counted as a failure."""

    label: str
    reason: str


@dataclass(frozen=True)
class EntryError:
    """One entry of a multi-article input (a JSON list, a feed) that cannot be read; the others still can."""

    label: str
    reason: str


def parse_datetime(value, *, field: str) -> datetime.datetime | None:
    """An ISO 8601 timestamp as an aware datetime (UTC when the input gives no offset)."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise UnreadableInput(f"{field} is not a date and time: {value!r}")
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise UnreadableInput(f"{field} is not an ISO 8601 date and time: {value!r}") from None
    return aware(parsed)


def aware(moment: datetime.datetime) -> datetime.datetime:
    if moment.tzinfo is None or moment.tzinfo.utcoffset(moment) is None:
        return moment.replace(tzinfo=datetime.timezone.utc)
    return moment


def clean_str(value) -> str | None:
    """A metadata string with its whitespace collapsed, or None when there is nothing in it."""
    if value is None:
        return None
    if not isinstance(value, str):
        value = str(value)
    collapsed = " ".join(value.split())
    return collapsed or None
