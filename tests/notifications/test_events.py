"""Who is told what, on which channel, and how many messages a change makes."""

import datetime
import json

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from articles.models import Notification, NotificationStatus
from articles.services.items import (
    article_assign_open_items,
    item_assign,
    item_mark_incorrect,
    item_set_tier,
    item_verify,
)
from articles.services.notifications import notify_digest, notify_due_soon
from tests.factories import ArticleFactory, ChecklistItemFactory
from tests.notifications.conftest import chat_on

pytestmark = pytest.mark.django_db


def messages_to(user):
    return [message for message in mail.outbox if message.to == [user.email]]


# --- assignment ---------------------------------------------------------------------------


def test_an_assignee_is_emailed_the_item_and_a_link_to_it(people, budget, in_process_tasks, django_capture_on_commit_callbacks):
    article, money, *_ = budget
    due = timezone.make_aware(datetime.datetime(2026, 12, 4, 17, 0))

    with django_capture_on_commit_callbacks(execute=True):
        item_assign(item_id=money.pk, assignee=people.checker, by=people.editor, due_at=due)

    (message,) = messages_to(people.checker)
    assert message.subject == 'edna-editor assigned you a money item in "Council budget": "$4.5-million" — due Fri 04 Dec 17:00'
    assert f"https://desk.example/items/{money.pk}/" in message.body
    assert "https://desk.example/account/notifications/" in message.body
    assert messages_to(people.editor) == []


def test_taking_an_item_yourself_tells_no_one(people, budget, in_process_tasks, django_capture_on_commit_callbacks):
    _, money, *_ = budget

    with django_capture_on_commit_callbacks(execute=True):
        item_assign(item_id=money.pk, assignee=people.checker, by=people.checker)

    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_a_bulk_assignment_is_one_message_listing_every_item(
    people, budget, in_process_tasks, django_capture_on_commit_callbacks
):
    article, money, date, quote = budget
    for item in (money, date):
        item.kind = "money"
        item.save(update_fields=["kind"])

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assigned = article_assign_open_items(article_id=article.pk, kind="money", assignee=people.checker, by=people.editor)

    assert len(assigned) == 2
    (message,) = messages_to(people.checker)
    assert message.subject == "Fact-check desk: 2 items assigned to you"
    assert f"/items/{money.pk}/" in message.body and f"/items/{date.pk}/" in message.body
    sends = [c for c in callbacks if getattr(c, "task_name", "") == "send_notifications"]
    assert len(sends) == 1  # one task for the person, not one per item


def test_reassigning_to_the_same_person_does_not_tell_them_again(
    people, budget, in_process_tasks, django_capture_on_commit_callbacks
):
    _, money, *_ = budget
    with django_capture_on_commit_callbacks(execute=True):
        item_assign(item_id=money.pk, assignee=people.checker, by=people.editor)
    with django_capture_on_commit_callbacks(execute=True):
        item_assign(item_id=money.pk, assignee=people.checker, by=people.editor, due_at=timezone.now())

    assert len(messages_to(people.checker)) == 1


def test_a_change_rolled_back_tells_no_one(people, budget, in_process_tasks, django_capture_on_commit_callbacks):
    _, money, *_ = budget

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            item_assign(item_id=money.pk, assignee=people.checker, by=people.editor)
            raise RuntimeError("the request failed after the assignment")

    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_nothing_is_sent_before_the_change_commits(people, budget, in_process_tasks, django_capture_on_commit_callbacks):
    _, money, *_ = budget

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        item_assign(item_id=money.pk, assignee=people.checker, by=people.editor)
        assert mail.outbox == []

    assert mail.outbox == []  # the send waits for the commit...
    for callback in callbacks:
        callback()
    assert len(messages_to(people.checker)) == 1  # ...and happens after it


# --- preferences and channels ------------------------------------------------------------


def test_an_event_turned_off_by_email_is_not_emailed(people, budget, in_process_tasks, django_capture_on_commit_callbacks):
    _, money, *_ = budget
    chat_on(people.checker, "", muted=["email:assigned"])

    with django_capture_on_commit_callbacks(execute=True):
        item_assign(item_id=money.pk, assignee=people.checker, by=people.editor)

    assert mail.outbox == []


def test_chat_gets_one_slack_compatible_message_with_the_words_escaped(
    people, in_process_tasks, chat, django_capture_on_commit_callbacks
):
    article = ArticleFactory(title="Budget <b>cuts</b> & taxes", checklist_status="ready")
    money = ChecklistItemFactory(article=article)
    chat_on(people.checker, chat.url, muted=["email:assigned"])

    with django_capture_on_commit_callbacks(execute=True):
        item_assign(item_id=money.pk, assignee=people.checker, by=people.editor)

    assert mail.outbox == []
    ((headers, body),) = chat.requests
    assert headers["content-type"] == "application/json"
    text = json.loads(body)["text"]
    assert text.startswith("*1 item assigned to you*\n• edna-editor assigned you a money item in")
    assert "Budget &lt;b&gt;cuts&lt;/b&gt; &amp; taxes" in text
    assert f"<https://desk.example/items/{money.pk}/|open>" in text


def test_a_person_without_an_email_address_is_told_only_in_chat(
    people, budget, in_process_tasks, chat, django_capture_on_commit_callbacks
):
    _, money, *_ = budget
    people.checker.email = ""
    people.checker.save(update_fields=["email"])
    chat_on(people.checker, chat.url)

    with django_capture_on_commit_callbacks(execute=True):
        item_assign(item_id=money.pk, assignee=people.checker, by=people.editor)

    assert mail.outbox == []
    assert len(chat.requests) == 1


def test_a_chat_webhook_that_fails_keeps_the_message_waiting_with_the_reason(
    people, budget, in_process_tasks, chat, django_capture_on_commit_callbacks
):
    _, money, *_ = budget
    chat_on(people.checker, chat.url, muted=["email:assigned"])
    chat.replies = [500]

    with django_capture_on_commit_callbacks(execute=True):
        item_assign(item_id=money.pk, assignee=people.checker, by=people.editor)

    waiting = Notification.objects.get()
    assert waiting.status == NotificationStatus.PENDING
    assert waiting.attempt_count == 1
    assert "HTTP 500" in waiting.last_error

    from articles.services.notifications import notifications_send

    assert notifications_send(recipient_id=people.checker.pk, channel="chat") == 1  # the receiver is back
    waiting.refresh_from_db()
    assert waiting.status == NotificationStatus.SENT
    assert len(chat.requests) == 2


def test_a_mail_server_that_is_away_keeps_the_message_waiting(
    people, budget, in_process_tasks, settings, django_capture_on_commit_callbacks
):
    _, money, *_ = budget
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2  # nothing listens

    with django_capture_on_commit_callbacks(execute=True):
        item_assign(item_id=money.pk, assignee=people.checker, by=people.editor)

    waiting = Notification.objects.get()
    assert waiting.status == NotificationStatus.PENDING
    assert "ConnectionRefusedError" in waiting.last_error


# --- incorrect and ready -------------------------------------------------------------------


def test_the_editor_of_the_article_is_told_when_an_item_is_found_incorrect(
    people, budget, in_process_tasks, django_capture_on_commit_callbacks
):
    article, money, *_ = budget
    with django_capture_on_commit_callbacks(execute=True):
        item_assign(item_id=money.pk, assignee=people.checker, by=people.editor)  # the editor takes the article on
    article.refresh_from_db()
    assert article.editor == people.editor
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        item_mark_incorrect(item_id=money.pk, by=people.checker, note="The minutes say $4.2 million.")

    (message,) = messages_to(people.editor)
    assert message.subject.startswith('carl-checker marked incorrect a money item in "Council budget"')
    assert "The minutes say $4.2 million." in message.subject
    assert messages_to(people.checker) == []


def test_an_article_without_an_editor_tells_no_one_of_an_incorrect_item(
    people, budget, in_process_tasks, django_capture_on_commit_callbacks
):
    _, money, *_ = budget

    with django_capture_on_commit_callbacks(execute=True):
        item_mark_incorrect(item_id=money.pk, by=people.editor, note="Wrong figure.")

    assert mail.outbox == []


def test_everyone_working_on_an_article_is_told_when_it_becomes_ready_but_not_who_made_it_so(
    people, budget, in_process_tasks, django_capture_on_commit_callbacks
):
    article, money, date, quote = budget
    with django_capture_on_commit_callbacks(execute=True):
        item_assign(item_id=money.pk, assignee=people.checker, by=people.editor)
        item_assign(item_id=date.pk, assignee=people.other_checker, by=people.editor)
        item_set_tier(item_id=quote.pk, tier="recommended", note="Quote checked by the reporter.", by=people.editor)
        item_verify(item_id=date.pk, by=people.other_checker)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        item_verify(item_id=money.pk, by=people.checker)

    article.refresh_from_db()
    assert article.is_ready
    (to_editor,) = messages_to(people.editor)
    assert to_editor.subject == '"Council budget" is ready to publish: every required item is resolved'
    assert len(messages_to(people.other_checker)) == 1
    assert messages_to(people.checker) == []  # their own verdict made it ready
    assert messages_to(people.reporter) == []


def test_an_article_still_blocked_is_not_announced(people, budget, in_process_tasks, django_capture_on_commit_callbacks):
    article, money, date, quote = budget
    article.editor = people.editor
    article.save(update_fields=["editor"])

    with django_capture_on_commit_callbacks(execute=True):
        item_verify(item_id=money.pk, by=people.editor)  # the date and the quote are still open

    assert not any("ready to publish" in m.subject for m in mail.outbox)


# --- reminders and the digest ----------------------------------------------------------------


def test_an_item_due_soon_is_reminded_once(people, budget, in_process_tasks, settings, django_capture_on_commit_callbacks):
    _, money, date, quote = budget
    settings.NOTIFY_DUE_SOON_MINUTES = 60
    now = timezone.now()
    for item, due in ((money, now + datetime.timedelta(minutes=30)), (date, now + datetime.timedelta(hours=5))):
        item.assignee, item.due_at = people.checker, due
        item.save(update_fields=["assignee", "due_at"])
    quote.assignee, quote.due_at, quote.state = people.checker, now + datetime.timedelta(minutes=10), "verified"
    quote.save(update_fields=["assignee", "due_at", "state"])

    with django_capture_on_commit_callbacks(execute=True):
        assert notify_due_soon(now=now) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert notify_due_soon(now=now + datetime.timedelta(minutes=5)) == 0  # beat runs again: told once

    (message,) = messages_to(people.checker)
    assert message.subject.startswith('A money item in "Council budget": "$4.5-million" is due ')


def test_a_new_due_time_is_reminded_again(people, budget, in_process_tasks, django_capture_on_commit_callbacks):
    _, money, *_ = budget
    now = timezone.now()
    money.assignee, money.due_at = people.checker, now + datetime.timedelta(minutes=30)
    money.save(update_fields=["assignee", "due_at"])
    with django_capture_on_commit_callbacks(execute=True):
        notify_due_soon(now=now)

    money.due_at = now + datetime.timedelta(minutes=50)
    money.save(update_fields=["due_at"])
    with django_capture_on_commit_callbacks(execute=True):
        notify_due_soon(now=now)

    assert len(messages_to(people.checker)) == 2


def test_each_morning_every_checker_with_open_items_gets_one_digest(
    people, budget, in_process_tasks, django_capture_on_commit_callbacks
):
    _, money, date, quote = budget
    now = timezone.now()
    money.assignee, money.due_at = people.checker, now - datetime.timedelta(hours=1)
    money.save(update_fields=["assignee", "due_at"])
    date.assignee = people.checker
    date.save(update_fields=["assignee"])
    quote.assignee, quote.state = people.other_checker, "verified"  # nothing open for her
    quote.save(update_fields=["assignee", "state"])

    with django_capture_on_commit_callbacks(execute=True):
        assert notify_digest() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert notify_digest() == 0  # once a day

    (digest,) = messages_to(people.checker)
    assert digest.subject == "Your open fact-check items this morning"
    assert "2 open items assigned to you: 1 overdue" in digest.body
    lines = digest.body.splitlines()
    overdue_line = next(i for i, line in enumerate(lines) if "$4.5-million" in line)
    date_line = next(i for i, line in enumerate(lines) if '"Monday"' in line)
    assert overdue_line < date_line  # the most urgent first
    assert messages_to(people.other_checker) == []


def test_the_digest_can_be_turned_off(people, budget, in_process_tasks, django_capture_on_commit_callbacks):
    _, money, *_ = budget
    money.assignee = people.checker
    money.save(update_fields=["assignee"])
    chat_on(people.checker, "", muted=["email:digest"])

    with django_capture_on_commit_callbacks(execute=True):
        notify_digest()

    assert mail.outbox == []


def test_an_inactive_person_is_told_nothing(people, budget, in_process_tasks, django_capture_on_commit_callbacks):
    _, money, *_ = budget
    money.assignee = people.checker
    money.save(update_fields=["assignee"])
    people.checker.is_active = False
    people.checker.save(update_fields=["is_active"])

    with django_capture_on_commit_callbacks(execute=True):
        notify_digest()

    assert mail.outbox == []


def test_a_bulk_assignment_reads_the_people_and_their_settings_once(people, django_capture_on_commit_callbacks):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from articles.services.items import items_assign

    article = ArticleFactory(checklist_status="ready")
    body = article.body
    spans = [(i, i + 3) for i in range(0, 60, 3) if body[i:i + 3].strip()]
    items = [ChecklistItemFactory(article=article, kind="statement", start=a, end=b) for a, b in spans]

    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=False):
        items_assign(item_ids=[item.pk for item in items], assignee=people.checker, by=people.editor)

    settings_reads = [q for q in queries.captured_queries if 'FROM "articles_notificationsettings"' in q["sql"]]
    assert len(settings_reads) == 1
    assert Notification.objects.filter(recipient=people.checker).count() == len(items)


def test_beat_forgets_messages_sent_long_ago_but_never_one_still_waiting(people):
    from articles.tasks import send_morning_digests  # the daily pass also prunes

    old, waiting, recent = (
        Notification.objects.create(recipient=people.checker, channel="email", event="assigned", text=text, status=status)
        for text, status in (("old", "sent"), ("waiting", "pending"), ("recent", "sent"))
    )
    Notification.objects.filter(pk__in=[old.pk, waiting.pk]).update(created_at=timezone.now() - datetime.timedelta(days=91))

    send_morning_digests()

    assert set(Notification.objects.values_list("text", flat=True)) == {"waiting", "recent"}


# --- failures, retries and what changed before sending ---------------------------------------


def test_each_message_counts_its_own_attempts_and_is_given_up_only_when_a_day_old(
    people, budget, in_process_tasks, chat, django_capture_on_commit_callbacks
):
    from articles.services.notifications import NotificationNotSent, notifications_send

    _, money, date, _ = budget
    chat_on(people.checker, chat.url, muted=["email:assigned"])
    chat.replies = [500, 500]
    with django_capture_on_commit_callbacks(execute=True):
        item_assign(item_id=money.pk, assignee=people.checker, by=people.editor)
    old = Notification.objects.get()
    Notification.objects.filter(pk=old.pk).update(attempt_count=5, created_at=timezone.now() - datetime.timedelta(hours=25))
    with django_capture_on_commit_callbacks(execute=False):
        item_assign(item_id=date.pk, assignee=people.checker, by=people.editor)

    with pytest.raises(NotificationNotSent):
        notifications_send(recipient_id=people.checker.pk, channel="chat")  # the webhook answers 500 again

    new = Notification.objects.exclude(pk=old.pk).get()
    old.refresh_from_db()
    assert (old.attempt_count, old.status) == (6, NotificationStatus.FAILED)  # a day of trying: given up
    assert (new.attempt_count, new.status) == (1, NotificationStatus.PENDING)  # its first failure: tried again


def test_beat_sends_again_what_was_never_tried_or_last_tried_long_ago(people, django_capture_on_commit_callbacks):
    from articles.services.notifications import notifications_recover

    now = timezone.now()
    rows = {
        name: Notification.objects.create(recipient=user, channel="email", event="assigned", text=name)
        for name, user in (("lost", people.checker), ("retrying", people.other_checker), ("stale", people.editor),
                           ("just written", people.reporter))
    }
    Notification.objects.filter(pk=rows["lost"].pk).update(created_at=now - datetime.timedelta(minutes=2))
    Notification.objects.filter(pk=rows["retrying"].pk).update(
        created_at=now - datetime.timedelta(minutes=3), last_attempt_at=now - datetime.timedelta(minutes=1)
    )
    Notification.objects.filter(pk=rows["stale"].pk).update(
        created_at=now - datetime.timedelta(hours=1), last_attempt_at=now - datetime.timedelta(minutes=20)
    )

    with django_capture_on_commit_callbacks(execute=False):
        again = notifications_recover(retry_after=datetime.timedelta(minutes=10))

    assert sorted(again) == sorted([(people.checker.pk, "email"), (people.editor.pk, "email")])


def test_an_event_turned_off_before_the_message_went_is_not_sent(
    people, budget, in_process_tasks, django_capture_on_commit_callbacks
):
    from articles.services.notifications import notifications_send

    _, money, *_ = budget
    with django_capture_on_commit_callbacks(execute=False):
        item_assign(item_id=money.pk, assignee=people.checker, by=people.editor)
    chat_on(people.checker, "", muted=["email:assigned"])

    assert notifications_send(recipient_id=people.checker.pk, channel="email") == 0

    assert mail.outbox == []
    assert Notification.objects.get().status == NotificationStatus.SKIPPED


def test_chat_words_cannot_mention_everyone_or_hide_a_link(people, in_process_tasks, chat, django_capture_on_commit_callbacks):
    article = ArticleFactory(title="@channel ![p](https://evil.example/p.png) [click](https://evil.example)",
                             checklist_status="ready")
    money = ChecklistItemFactory(article=article)
    chat_on(people.checker, chat.url, muted=["email:assigned"])

    with django_capture_on_commit_callbacks(execute=True):
        item_assign(item_id=money.pk, assignee=people.checker, by=people.editor)

    text = json.loads(chat.requests[0][1])["text"]
    assert "@channel" not in text and "@\u200bchannel" in text
    assert "](" not in text.split("<https://desk.example")[0]  # no Markdown link or image in the words
    assert "![" not in text


def test_an_article_ready_again_in_the_same_revision_is_not_announced_twice(
    people, budget, in_process_tasks, django_capture_on_commit_callbacks
):
    from articles.services.progress import article_progress_refresh, articles_progress_repair

    article, money, date, quote = budget
    article.editor = people.editor
    article.save(update_fields=["editor"])
    with django_capture_on_commit_callbacks(execute=True):
        item_set_tier(item_id=quote.pk, tier="recommended", note="Reporter checked it.", by=people.editor)
        item_verify(item_id=date.pk, by=people.editor)
        item_assign(item_id=money.pk, assignee=people.other_checker, by=people.editor)
        item_verify(item_id=money.pk, by=people.other_checker)
    assert len([m for m in messages_to(people.editor) if "ready to publish" in m.subject]) == 1

    with django_capture_on_commit_callbacks(execute=True):
        type(article).objects.filter(pk=article.pk).update(is_ready=False)  # an extraction run again...
        article_progress_refresh([article.pk])  # ...and recounted
        type(article).objects.filter(pk=article.pk).update(is_ready=False)
        articles_progress_repair()

    assert len([m for m in messages_to(people.editor) if "ready to publish" in m.subject]) == 1
