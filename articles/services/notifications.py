"""Notifications: telling people, by email and in chat, of work that lands on them.

A change writes its notifications in its own transaction — one row per person and channel
they receive, so a rolled-back change tells no one — and after commit one task per person
and channel sends everything waiting for them as one message: assigning forty items to
someone is one email. Reminders of items due soon and the morning digest are written by beat
with a key, so they are told once however often beat runs. A message that could not be sent
(mail server or chat away) is tried again with backoff, then by beat; nothing is sent inside
a request's transaction.

Who is told what:
- ``assigned``: the new assignee, unless they assigned themselves.
- ``due_soon``: the assignee of an unfinished item due within ``NOTIFY_DUE_SOON_MINUTES``.
- ``article_ready``: the article's editor and everyone who works on its items (assigned to
  them, or whose verdict they gave), when the article becomes ready to publish.
- ``incorrect``: the article's editor, when an item is marked incorrect.
- ``digest``: each morning, every checker with open items, a list of them.
Nobody is told of their own action.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from ..models import (
    Article,
    ChecklistItem,
    ItemAnchor,
    ItemState,
    Notification,
    NotificationChannel,
    NotificationEvent,
    NotificationSettings,
    NotificationStatus,
    notification_pairs,
)
from ..outbound import UnsafeURL, check_outbound_url, outbound_session
from .errors import WorkflowError
from .queueing import enqueue_after_commit

logger = logging.getLogger(__name__)

# A message that could not be sent is tried again (the task's retries, then beat's every
# few minutes) until it is this old, then given up.
GIVE_UP_AFTER = datetime.timedelta(hours=24)
# The most notifications one message carries; more go in the next. Chat services cut long
# messages (Mattermost near 16,000 characters): a chat message carries fewer.
MAX_PER_MESSAGE = {NotificationChannel.EMAIL: 200, NotificationChannel.CHAT: 25}
# States of items still to be worked on: the ones reminded of and listed in the digest.
UNFINISHED = (ItemState.OPEN, ItemState.IN_PROGRESS)
# Events in the order a message lists them.
EVENT_ORDER = [
    NotificationEvent.INCORRECT,
    NotificationEvent.DUE_SOON,
    NotificationEvent.ASSIGNED,
    NotificationEvent.ARTICLE_READY,
    NotificationEvent.DIGEST,
]
HEADINGS = {
    NotificationEvent.INCORRECT: ("item found incorrect", "items found incorrect"),
    NotificationEvent.DUE_SOON: ("item due soon", "items due soon"),
    NotificationEvent.ASSIGNED: ("item assigned to you", "items assigned to you"),
    NotificationEvent.ARTICLE_READY: ("article ready to publish", "articles ready to publish"),
    NotificationEvent.DIGEST: ("morning digest", "morning digests"),
}


class NotificationNotSent(Exception):
    """The mail server or the chat webhook refused or could not be reached; tried again later."""


class SettingsRejected(WorkflowError):
    pass


# --- preferences ------------------------------------------------------------------------


def notification_settings_of(user) -> NotificationSettings:
    """The person's settings; everything on (and no chat address) until they change them."""
    found = NotificationSettings.objects.filter(user=user).first()
    return found or NotificationSettings(user=user)


def notification_settings_update(
    *, user, switches: Mapping[tuple[str, str], bool], chat_webhook_url: str | None = None
) -> NotificationSettings:
    """Turn (channel, event) pairs on (True) or off (False); pairs not in ``switches`` keep
    their setting, and so does the chat address when ``chat_webhook_url`` is None.

    The chat address must be one the service may contact (the outbound rules).
    """
    unknown = set(switches) - set(notification_pairs())
    if unknown:
        raise SettingsRejected(f"Unknown channel and event: {', '.join(':'.join(p) for p in sorted(unknown))}.")
    preferences = notification_settings_of(user)
    if chat_webhook_url is not None:
        chat_webhook_url = chat_webhook_url.strip()
        if chat_webhook_url:
            try:
                check_outbound_url(chat_webhook_url, allow_private=settings.ALLOW_PRIVATE_URLS)
            except UnsafeURL as error:
                raise SettingsRejected(f"This address cannot receive chat messages: {error}.") from None
        preferences.chat_webhook_url = chat_webhook_url
    preferences.muted = sorted(
        f"{channel}:{event}" for channel, event in notification_pairs()
        if not switches.get((channel, event), preferences.wants(channel, event))
    )
    preferences.save()
    return preferences


# --- writing notifications --------------------------------------------------------------


@dataclass(frozen=True)
class Notice:
    """One thing to tell some people: what is written for each of them on each channel."""

    recipients: tuple
    event: str
    text: str
    article: Article | None = None
    item: ChecklistItem | None = None
    link: str = ""
    dedupe_key: str = ""


def notify(
    *,
    recipients: Iterable,
    event: str,
    text: str,
    article: Article | None = None,
    item: ChecklistItem | None = None,
    link: str = "",
    dedupe_key: str = "",
    actor=None,
) -> int:
    """Write the notification for every recipient on every channel they receive it on, and
    send each person's waiting messages after commit; returns how many were written.

    ``actor`` (who made the change) is never told of it; inactive people are told nothing.
    """
    notice = Notice(tuple(recipients), event, text, article, item, link, dedupe_key)
    return notify_all([notice], actor=actor)


def notify_all(notices: Iterable[Notice], *, actor=None) -> int:
    """``notify`` for many notices at once: the people and their settings are read once."""
    notices = list(notices)
    not_told = {None, getattr(actor, "pk", actor)}
    wanted = {getattr(r, "pk", r) for notice in notices for r in notice.recipients} - not_told
    if not wanted:
        return 0
    people = _recipients_with_settings(wanted)
    rows = []
    for notice in notices:
        for recipient_id in dict.fromkeys(getattr(r, "pk", r) for r in notice.recipients):
            if recipient_id in not_told or recipient_id not in people:
                continue
            user, preferences = people[recipient_id]
            rows += [
                Notification(
                    recipient=user, channel=channel, event=notice.event, article=notice.article, item=notice.item,
                    text=notice.text[:5000], link=notice.link, dedupe_key=notice.dedupe_key,
                )
                for channel in _channels(user, preferences, notice.event)
            ]
    return _write(rows)


def _recipients_with_settings(user_ids: set[int]) -> dict[int, tuple]:
    users = get_user_model().objects.filter(pk__in=user_ids, is_active=True)
    preferences = {s.user_id: s for s in NotificationSettings.objects.filter(user_id__in=user_ids)}
    return {user.pk: (user, preferences.get(user.pk) or NotificationSettings(user=user)) for user in users}


def _channels(user, preferences: NotificationSettings, event: str) -> list[str]:
    channels = []
    if user.email and preferences.wants(NotificationChannel.EMAIL, event):
        channels.append(NotificationChannel.EMAIL)
    if preferences.chat_webhook_url and preferences.wants(NotificationChannel.CHAT, event):
        channels.append(NotificationChannel.CHAT)
    return channels


def _write(rows: list[Notification]) -> int:
    """Insert the rows (those whose key was already told are skipped) and send after commit."""
    if not rows:
        return 0
    keyed = [row for row in rows if row.dedupe_key]
    if keyed:
        told = set(
            Notification.objects.filter(
                dedupe_key__in={row.dedupe_key for row in keyed}, recipient_id__in={row.recipient_id for row in keyed}
            ).values_list("recipient_id", "channel", "dedupe_key")
        )
        rows = [row for row in rows if not row.dedupe_key or (row.recipient_id, row.channel, row.dedupe_key) not in told]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    for recipient_id, channel in sorted({(row.recipient_id, row.channel) for row in rows}):
        _send_after_commit(recipient_id, channel)
    return len(rows)


def _send_after_commit(recipient_id: int, channel: str, *, recovered: bool = False) -> None:
    enqueue_after_commit(
        "send_notifications", recipient_id, channel, what=f"{channel} notifications of user {recipient_id}",
        recovered=recovered, once_per_transaction=True,
    )


# --- the events -------------------------------------------------------------------------


def notify_assigned(*, items: Iterable[ChecklistItem], by) -> None:
    """Tell each item's new assignee; a batch of items is written (and sent) at once."""
    notify_all(
        [
            Notice(
                (item.assignee_id,), NotificationEvent.ASSIGNED,
                f"{_name(by)} assigned you {_item_phrase(item)}"
                + (f" — due {_when(item.due_at)}" if item.due_at else ""),
                item.article, item, _item_link(item),
            )
            for item in items
        ],
        actor=by,
    )


def notify_incorrect(*, item: ChecklistItem, by, note: str) -> None:
    reason = f" — {_shorten(note, 200)}" if note else ""
    notify(
        recipients=[item.article.editor_id], actor=by, event=NotificationEvent.INCORRECT, article=item.article,
        item=item, text=f"{_name(by)} marked incorrect {_item_phrase(item)}{reason}", link=_item_link(item),
    )


def notify_articles_ready(*, article_ids: Iterable[int], actor=None) -> None:
    """Tell the editor and everyone working on each article that it became ready to publish:
    once per revision (an extraction run again, or progress recounted, tells no one twice)."""
    article_ids = list(article_ids)
    if not article_ids:
        return
    people = defaultdict(set)
    rows = (
        ChecklistItem.objects.filter(article_id__in=article_ids)
        .exclude(anchor=ItemAnchor.REMOVED)
        .filter(Q(assignee__isnull=False) | Q(state_changed_by__isnull=False))
        .order_by()
        .values_list("article_id", "assignee_id", "state_changed_by_id")
        .distinct()
    )
    for article_id, assignee_id, changed_by_id in rows:
        people[article_id].update({assignee_id, changed_by_id} - {None})
    articles = Article.objects.filter(pk__in=article_ids).only(
        "pk", "title", "source", "external_id", "editor_id", "revision"
    )
    notify_all(
        (
            Notice(
                (article.editor_id, *sorted(people[article.pk])), NotificationEvent.ARTICLE_READY,
                f"{_quoted_title(article)} is ready to publish: every required item is resolved", article,
                link=reverse("newsroom:article", args=[article.pk]),
                dedupe_key=f"ready:{article.pk}:{article.revision}",
            )
            for article in articles
        ),
        actor=actor,
    )


def notify_due_soon(*, now: datetime.datetime | None = None) -> int:
    """Beat: remind each assignee of their unfinished items due within the window (once per
    item and due time); returns how many reminders were written."""
    now = now or timezone.now()
    window = datetime.timedelta(minutes=settings.NOTIFY_DUE_SOON_MINUTES)
    items = (
        ChecklistItem.objects.filter(
            assignee__isnull=False, state__in=UNFINISHED, due_at__lte=now + window,
            # An item long overdue is the digest's business, not a reminder's.
            due_at__gte=now - datetime.timedelta(days=1),
        )
        .exclude(anchor=ItemAnchor.REMOVED)
        .select_related("article")
        .defer("article__body")
        .order_by("due_at")
    )
    return notify_all(
        Notice(
            (item.assignee_id,), NotificationEvent.DUE_SOON,
            f"{_item_phrase(item, capital=True)} is {'overdue since' if item.due_at < now else 'due'} "
            f"{_when(item.due_at)}",
            item.article, item, _item_link(item), dedupe_key=f"due:{item.pk}:{int(item.due_at.timestamp())}",
        )
        for item in items
    )


def notify_digest(*, today: datetime.date | None = None, listed: int = 15) -> int:
    """Beat, each morning: every person with unfinished items assigned gets the list of them
    (most urgent first), once a day; returns how many digests were written."""
    today = today or timezone.localdate()
    end_of_today = timezone.make_aware(datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time()))
    items = (
        ChecklistItem.objects.filter(assignee__isnull=False, state__in=UNFINISHED)
        .exclude(anchor=ItemAnchor.REMOVED)
        .select_related("article")
        .only("pk", "kind", "text", "due_at", "priority", "assignee_id", "article__id", "article__title",
              "article__source", "article__external_id")
        .order_by("assignee_id", "due_at", "-priority", "pk")  # no due time comes last on PostgreSQL and SQLite
    )
    by_person: dict[int, list[ChecklistItem]] = defaultdict(list)
    for item in items.iterator(chunk_size=2000):
        by_person[item.assignee_id].append(item)
    digests = []
    for person_id, open_items in by_person.items():
        open_items.sort(key=lambda i: (i.due_at is None, i.due_at or end_of_today, -i.priority, i.pk))
        overdue = sum(1 for i in open_items if i.due_at and i.due_at < timezone.now())
        due_today = sum(1 for i in open_items if i.due_at and timezone.now() <= i.due_at < end_of_today)
        lines = [
            f"{_count(len(open_items), 'open item')} assigned to you"
            + (f": {overdue} overdue" if overdue else "")
            + (f"{', ' if overdue else ': '}{due_today} due today" if due_today else "")
        ]
        for item in open_items[:listed]:
            due = f" (due {_when(item.due_at)})" if item.due_at else ""
            lines.append(f"• {_item_phrase(item, capital=True)}{due} {_absolute(_item_link(item))}")
        if len(open_items) > listed:
            lines.append(f"…and {len(open_items) - listed} more: {_absolute(reverse('newsroom:home'))}#my-items")
        digests.append(
            Notice(
                (person_id,), NotificationEvent.DIGEST, "\n".join(lines), link=reverse("newsroom:home") + "#my-items",
                dedupe_key=f"digest:{today.isoformat()}",
            )
        )
    return notify_all(digests)


# --- sending ----------------------------------------------------------------------------


def notifications_send(*, recipient_id: int, channel: str) -> int:
    """Send everything waiting for one person on one channel as one message; returns how many
    notifications it carried (0 when another worker is sending them, or nothing waits).

    The rows stay locked while the message is sent, so two workers never send them twice.
    What the person turned off since (the event, the channel, their account) is not sent.
    Raises ``NotificationNotSent`` when the message could not be sent: each row counts the
    attempt, and one older than ``GIVE_UP_AFTER`` is given up.
    """
    with transaction.atomic():
        waiting = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(recipient_id=recipient_id, channel=channel, status=NotificationStatus.PENDING)
            .select_related("recipient")
            .order_by("created_at", "pk")[: MAX_PER_MESSAGE[channel]]
        )
        if not waiting:
            return 0
        recipient = waiting[0].recipient
        preferences = notification_settings_of(recipient)
        wanted = [n for n in waiting if _still_wanted(recipient, preferences, n)]
        if len(wanted) < len(waiting):
            Notification.objects.filter(pk__in=[n.pk for n in waiting if n not in wanted]).update(
                status=NotificationStatus.SKIPPED
            )
        error = ""
        if wanted:
            try:
                if channel == NotificationChannel.EMAIL:
                    _send_email(recipient, wanted)
                else:
                    _send_chat(preferences.chat_webhook_url, wanted)
            except NotificationNotSent as failure:
                error = str(failure)
            except Exception as failure:  # noqa: BLE001 - recorded, so the queue never sticks on it
                logger.exception("sending %s notifications to user %s failed", channel, recipient_id)
                error = f"{type(failure).__name__}: {failure}"
            _record_attempt(wanted, error)
    if error:
        raise NotificationNotSent(error)
    if len(waiting) == MAX_PER_MESSAGE[channel]:  # more wait: the next message
        _send_after_commit(recipient_id, channel)
    return len(wanted)


def _still_wanted(recipient, preferences: NotificationSettings, notification: Notification) -> bool:
    return recipient.is_active and notification.channel in _channels(recipient, preferences, notification.event)


def _record_attempt(sent: list[Notification], error: str) -> None:
    now = timezone.now()
    rows = Notification.objects.filter(pk__in=[n.pk for n in sent])
    if not error:
        rows.update(
            status=NotificationStatus.SENT, sent_at=now, last_attempt_at=now, last_error="",
            attempt_count=F("attempt_count") + 1,
        )
        return
    rows.update(attempt_count=F("attempt_count") + 1, last_attempt_at=now, last_error=error[:2000])
    gave_up = rows.filter(created_at__lt=now - GIVE_UP_AFTER).update(status=NotificationStatus.FAILED)
    logger.warning(
        "could not send %d %s notification(s) to user %s%s: %s", len(sent), sent[0].channel, sent[0].recipient_id,
        f" ({gave_up} given up)" if gave_up else "", error,
    )


def notifications_recover(*, retry_after: datetime.timedelta) -> list[tuple[int, str]]:
    """Beat: send again what waits — never tried a minute after it was written (its message
    lost with Redis or a dead worker), or last tried longer than ``retry_after`` ago (a mail
    server or chat webhook away longer than the task's own retries); gives up what is older
    than ``GIVE_UP_AFTER``. Returns the (person, channel) pairs sent again."""
    now = timezone.now()
    pending = Notification.objects.filter(status=NotificationStatus.PENDING)
    pending.filter(created_at__lt=now - GIVE_UP_AFTER).update(status=NotificationStatus.FAILED)
    pairs = list(
        pending.filter(
            Q(last_attempt_at__isnull=True, created_at__lt=now - datetime.timedelta(minutes=1))
            | Q(last_attempt_at__lt=now - retry_after)
        )
        .order_by()
        .values_list("recipient_id", "channel")
        .distinct()
    )
    for recipient_id, channel in pairs:
        _send_after_commit(recipient_id, channel, recovered=True)
    return pairs


def notifications_prune(*, older_than: datetime.timedelta) -> int:
    """Beat: forget the messages sent or given up longer ago than ``older_than``; returns how many."""
    deleted, _ = (
        Notification.objects.filter(created_at__lt=timezone.now() - older_than)
        .exclude(status=NotificationStatus.PENDING)
        .delete()
    )
    return deleted


def _send_email(recipient, waiting: list[Notification]) -> None:
    message = EmailMessage(
        subject=_subject(waiting), body=_email_body(waiting), to=[recipient.email],
        headers={"Auto-Submitted": "auto-generated"},
    )
    try:
        message.send(fail_silently=False)
    except (smtplib.SMTPException, OSError) as error:
        raise NotificationNotSent(f"the mail server: {type(error).__name__}: {error}") from None


def _send_chat(url: str, waiting: list[Notification]) -> None:
    try:
        # Checked and pinned like every outbound request; a redirect is not followed.
        with outbound_session() as session, session.post(
            url, json={"text": _chat_text(waiting)}, timeout=settings.WEBHOOK_TIMEOUT_SECONDS, allow_redirects=False,
            stream=True,
        ) as response:
            if not 200 <= response.status_code < 300:
                raise NotificationNotSent(f"the chat webhook answered HTTP {response.status_code}")
    except (UnsafeURL, requests.RequestException) as error:
        # Not the error's words: they hold the address, whose path is the webhook's secret.
        raise NotificationNotSent(f"the chat webhook could not be reached ({type(error).__name__})") from None


# --- wording ----------------------------------------------------------------------------


def _grouped(waiting: list[Notification]) -> list[tuple[str, list[Notification]]]:
    groups = defaultdict(list)
    for notification in waiting:
        groups[notification.event].append(notification)
    return [(event, groups[event]) for event in EVENT_ORDER if groups[event]]


def _subject(waiting: list[Notification]) -> str:
    if len(waiting) == 1 and waiting[0].event != NotificationEvent.DIGEST:
        return _shorten(waiting[0].text, 150)
    if all(n.event == NotificationEvent.DIGEST for n in waiting):
        return "Your open fact-check items this morning"
    parts = [_count(len(group), *HEADINGS[event]) for event, group in _grouped(waiting)]
    return "Fact-check desk: " + ", ".join(parts)


def _email_body(waiting: list[Notification]) -> str:
    sections = []
    for event, group in _grouped(waiting):
        lines = [_count(len(group), *HEADINGS[event]).capitalize() + ":"]
        for notification in group:
            link = f"\n  {_absolute(notification.link)}" if notification.link else ""
            lines.append(f"- {notification.text}{link}")
        sections.append("\n".join(lines))
    settings_link = _absolute(reverse("newsroom:notification_settings"))
    return "\n\n".join(sections) + f"\n\n--\nChoose what you are told: {settings_link}\n"


def _chat_text(waiting: list[Notification]) -> str:
    """Slack's message text: ``&``, ``<`` and ``>`` escaped, links as ``<url|words>``."""
    lines = []
    for event, group in _grouped(waiting):
        lines.append(f"*{_count(len(group), *HEADINGS[event]).capitalize()}*")
        for notification in group:
            words = _chat_escape(notification.text)
            url = _absolute(notification.link) if notification.link else ""
            lines.append(f"• {words} <{_chat_escape(url)}|open>" if url.startswith("http") else f"• {words}")
    return "\n".join(lines)


def _chat_escape(text: str) -> str:
    """Words from articles and people, made inert in chat: Slack's ``& < >`` escaped, and a
    zero-width space after ``@`` (no mention pings a channel) and inside ``](`` and ``![``
    (no Markdown link or image in Mattermost or Rocket.Chat)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("@", "@\u200b").replace("](", "]\u200b(").replace("![", "!\u200b[")


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}" if settings.SITE_URL and path.startswith("/") else path


def _item_link(item: ChecklistItem) -> str:
    return reverse("newsroom:item", args=[item.pk])


def _item_phrase(item: ChecklistItem, *, capital: bool = False) -> str:
    kind = item.get_kind_display().lower()
    article = "An" if kind[:1] in "aeiou" else "A"
    return f'{article if capital else article.lower()} {kind} item in {_quoted_title(item.article)}: "{_shorten(item.text, 120)}"'


def _quoted_title(article: Article) -> str:
    return f'"{_shorten(str(article), 100)}"'


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else "Someone"


def _when(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%a %d %b %H:%M")


def _count(number: int, singular: str, plural: str | None = None) -> str:
    return f"{number} {singular if number == 1 else (plural or singular + 's')}"


def _shorten(text: str, limit: int) -> str:
    return Truncator(" ".join(text.split())).chars(limit)
