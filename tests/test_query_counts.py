"""Every list and page runs a small number of SQL queries that does not grow with the data.

Each endpoint is requested at two sizes of newsroom — 3 and 30 articles with their items,
notes, runs, revisions, webhooks, feeds and tier rules, the article the per-article
endpoints read holding 3 or 30 items, the rows spread over several people — under the same
bound. A query per row (an assignee, an article, a note author read on its own) fails the
larger size. The bounds are the counts measured when they were written; raising one needs a
reason.
"""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from articles.models import (
    Article,
    ArticleRevision,
    ChecklistItem,
    ExtractionRun,
    Feed,
    Note,
    TierRule,
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscription,
    content_hash,
)
from articles.services.progress import article_progress_refresh
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SIZES = (3, 30)
SENTENCE = (
    'The city council approved a $4.5-million budget on Monday, Mayor Ann Lee said. '
    '"We balanced it without new taxes," she told reporters. '
)
CLAIMS = (("money", "$4.5-million", "required"), ("date", "on Monday", "required"),
          ("quote", "We balanced it without new taxes,", "recommended"))
SOURCES = ("cms", "wire", "metro")
STATES = ("open", "in_progress", "verified", "open", "incorrect", "dismissed")


@dataclass
class Newsroom:
    size: int
    target: Article
    item: ChecklistItem
    people: list
    admin: object
    source: str = "wire"


def body_of(sentences: int) -> str:
    return "".join(f"{SENTENCE}({number}) " for number in range(sentences))


def make_article(number: int, items: int, people: list, *, status="ready", title=None) -> Article:
    """An article whose ``items`` items sit in successive sentences, worked by several people."""
    sentences = max(1, -(-items // len(CLAIMS)))
    body = body_of(sentences)
    article = Article.objects.create(
        source=SOURCES[number % len(SOURCES)], external_id=f"story-{number}", title=title or f"Budget story {number}",
        byline="Ann Lee", body=body, content_hash=content_hash(body), checklist_status=status,
    )
    rows = []
    starts = [index for index in range(len(body)) if body.startswith(SENTENCE, index)]
    for position in range(items):
        kind, words, tier = CLAIMS[position % len(CLAIMS)]
        sentence_start = starts[position // len(CLAIMS)]
        start = body.index(words, sentence_start)
        person = people[position % len(people)]
        state = STATES[(number + position) % len(STATES)]
        rows.append(ChecklistItem(
            article=article, kind=kind, start=start, end=start + len(words), text=words, tier=tier,
            sentence=body[sentence_start : body.index(". ", sentence_start) + 1], state=state,
            assignee=person, state_changed_by=people[(position + 1) % len(people)] if state != "open" else None,
            due_at=timezone.now() + datetime.timedelta(hours=position),
            anchor="removed" if position == 5 else "found",
        ))
    created = ChecklistItem.objects.bulk_create(rows)
    Note.objects.bulk_create(
        Note(item=item, author=people[(index + 2) % len(people)], body=f"Checked {index}.",
             source="https://example.org")
        for index, item in enumerate(created)
    )
    ArticleRevision.objects.create(article=article, number=1, body=body, content_hash=article.content_hash)
    ExtractionRun.objects.create(article=article, extractor_version="test", item_count=items, status="succeeded")
    return article


@pytest.fixture(params=SIZES, ids=lambda size: f"{size}-articles")
def newsroom(request, cast) -> Newsroom:
    size = request.param
    people = [cast.checker, cast.other_checker, cast.editor]
    for number in range(3):
        person = UserFactory(username=f"checker-{number}")
        person.groups.add(Group.objects.get(name="checker"))
        people.append(person)
    target = make_article(0, size, people)
    for number in range(1, size + 1):
        make_article(number, 3, people, status="pending" if number % 7 == 0 else "ready",
                     title="" if number % 5 == 0 else None)
    article_progress_refresh(Article.objects.values_list("pk", flat=True))
    owners = itertools.cycle([cast.editor, cast.cms, *people])
    for number in range(size):
        subscription = WebhookSubscription.objects.create(
            url=f"https://hooks.example.org/{number}", events=["item.updated"], created_by=next(owners),
            description=f"Receiver {number}",
        )
        delivery = WebhookDelivery.objects.create(
            subscription=subscription, event="item.updated", message_id=f"msg_{number}", payload={"n": number},
        )
        WebhookAttempt.objects.create(delivery=delivery, number=1, status_code=500)
        Feed.objects.create(name=f"feed-{number}", url=f"https://feeds.example.org/{number}.xml")
        TierRule.objects.create(position=200 + number, kind="date", min_priority=number, tier="recommended")
    admin = UserFactory(username="chief", is_staff=True, is_superuser=True)
    item = target.items.exclude(anchor="removed").order_by("start").first()
    return Newsroom(size=size, target=target, item=item, people=people, admin=admin)


@pytest.fixture
def api(cast):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=cast.editor).key}")
    return client


@pytest.fixture
def page_client(client, cast):
    client.force_login(cast.editor)
    return client


@pytest.fixture
def admin_client_(client, newsroom):
    client.force_login(newsroom.admin)
    return client


def assert_bounded(client, url, bound, django_assert_max_num_queries, **params):
    """Requested once to warm what a real server keeps warm (sessions, content types), then counted."""
    assert client.get(url, params).status_code == 200
    with django_assert_max_num_queries(bound):
        response = client.get(url, params)
    assert response.status_code == 200
    return response


# --- API ---------------------------------------------------------------------------------

# token and user, the caller's permissions (one query), the page (read one row past its end:
# no COUNT when it is the last page).
API_LIST = 3
# The same, with a next page: its COUNT.
API_LIST_WITH_NEXT = 4
# A full-text search also sets and resets the search plan in a savepoint (four statements).
API_SEARCH = 7


@pytest.mark.parametrize(
    "filters",
    [{}, {"ready": "true"}, {"ready": "false"}, {"checklist_status": "ready"}, {"source": "wire"},
     {"updated_since": "2000-01-01T00:00:00Z"}, {"checklist_status": "pending", "source": "cms"}],
    ids=lambda filters: urlencode(filters) or "plain",
)
def test_the_article_list(api, newsroom, django_assert_max_num_queries, filters):
    response = assert_bounded(api, "/api/v1/articles/", API_LIST, django_assert_max_num_queries, **filters)
    assert response.json()["count"] >= 1 or filters


def test_the_article_list_with_a_next_page(api, newsroom, django_assert_max_num_queries):
    response = assert_bounded(api, "/api/v1/articles/", API_LIST_WITH_NEXT, django_assert_max_num_queries, page_size=2)
    assert response.json()["count"] == newsroom.size + 1


def test_the_article_list_searched(api, newsroom, django_assert_max_num_queries):
    response = assert_bounded(api, "/api/v1/articles/", API_SEARCH, django_assert_max_num_queries, q="budget")
    assert response.json()["count"] == newsroom.size + 1


def test_one_article(api, newsroom, django_assert_max_num_queries):
    assert_bounded(api, f"/api/v1/articles/{newsroom.target.pk}/", 3, django_assert_max_num_queries)


@pytest.mark.parametrize(
    "filters", [{}, {"state": "open"}, {"assignee": "carl-checker"}, {"blocking": "true"}, {"page_size": 2}],
    ids=lambda filters: urlencode(filters) or "plain",
)
def test_the_item_list(api, newsroom, django_assert_max_num_queries, filters):
    # Token, permissions, the page; a COUNT only when there is a next page. The article itself
    # is not read: the page shows it exists.
    bound = 4 if filters.get("page_size") else 3
    response = assert_bounded(
        api, f"/api/v1/articles/{newsroom.target.pk}/items/", bound, django_assert_max_num_queries, **filters
    )
    assert response.json()["results"]


def test_readiness(api, newsroom, django_assert_max_num_queries):
    # Token, permissions, the article's kept progress, the first blocking items (their COUNT
    # only when there are more than the 50 listed: tests/test_big_articles.py).
    response = assert_bounded(
        api, f"/api/v1/articles/{newsroom.target.pk}/readiness/", 4, django_assert_max_num_queries
    )
    assert response.json()["blocking_count"] >= len(response.json()["blocking"])


def test_one_item(api, newsroom, django_assert_max_num_queries):
    assert_bounded(api, f"/api/v1/items/{newsroom.item.pk}/", 3, django_assert_max_num_queries)


def test_the_notes_of_an_item(api, newsroom, django_assert_max_num_queries):
    assert_bounded(api, f"/api/v1/items/{newsroom.item.pk}/notes/", 4, django_assert_max_num_queries)


# --- pages -------------------------------------------------------------------------------

# Session, user, permissions, the sources (one index probe each), the page of articles (and
# their COUNT when there is a next page), "my items", the start of the untitled articles' text.
QUEUE = 8


@pytest.mark.parametrize(
    "filters",
    [{}, {"readiness": "ready"}, {"readiness": "not_ready"}, {"readiness": "blocked"}, {"status": "pending"},
     {"source": "wire"}, {"page": 2}],
    ids=lambda filters: urlencode(filters) or "plain",
)
def test_the_queue(page_client, newsroom, django_assert_max_num_queries, filters):
    assert_bounded(page_client, reverse("newsroom:home"), QUEUE, django_assert_max_num_queries, **filters)


def test_the_queue_searched(page_client, newsroom, django_assert_max_num_queries):
    # The search plan is set and reset in a savepoint: four statements more.
    response = assert_bounded(
        page_client, reverse("newsroom:home"), QUEUE + 4, django_assert_max_num_queries, q="budget"
    )
    assert "Budget story" in response.content.decode()


def test_the_queue_of_a_checker_with_items(client, cast, newsroom, django_assert_max_num_queries):
    client.force_login(cast.checker)
    response = assert_bounded(client, reverse("newsroom:home"), QUEUE, django_assert_max_num_queries)
    assert response.content.decode().count('class="my-item-text"') >= 2


@pytest.mark.parametrize("group", ["sentence", "state", "kind"])
def test_the_article_page(page_client, newsroom, django_assert_max_num_queries, group):
    # Session, user, permissions, the article (with its story), every item's sort fields, the
    # window's items, their notes, the people who can be assigned, its sources (and, when it
    # has some, its items counted by their match in them).
    response = assert_bounded(
        page_client, reverse("newsroom:article", args=[newsroom.target.pk]), 9, django_assert_max_num_queries,
        group=group,
    )
    assert f'id="item-{newsroom.item.pk}"' in response.content.decode()


def test_the_article_page_of_a_reader(client, cast, newsroom, django_assert_max_num_queries):
    client.force_login(cast.reporter)
    assert_bounded(client, reverse("newsroom:article", args=[newsroom.target.pk]), 8, django_assert_max_num_queries)


# --- admin -------------------------------------------------------------------------------

ADMIN_LISTS = [
    ("article", {}),
    ("article", {"is_ready__exact": "0"}),
    ("article", {"source__exact": "wire"}),
    ("article", {"q": "budget"}),
    ("checklistitem", {}),
    ("checklistitem", {"assignee__id__exact": "ASSIGNEE"}),
    ("checklistitem", {"assigned": "me"}),
    ("checklistitem", {"state": "open", "kind": "money"}),
    ("note", {}),
    ("note", {"author__id__exact": "ASSIGNEE"}),
    ("extractionrun", {}),
    ("articlerevision", {}),
    ("webhooksubscription", {}),
    ("webhookdelivery", {}),
    ("feed", {}),
    ("tierrule", {}),
]


@pytest.mark.parametrize(("model", "filters"), ADMIN_LISTS, ids=lambda value: value if isinstance(value, str) else
                         urlencode(value) or "plain")
def test_every_admin_list(admin_client_, newsroom, django_assert_max_num_queries, model, filters):
    # Session, user, the rows' COUNT, the page with its relations joined, the filters' choices
    # (the people who have rows: one index probe each, not a DISTINCT over every row).
    filters = {key: newsroom.people[0].pk if value == "ASSIGNEE" else value for key, value in filters.items()}
    response = assert_bounded(
        admin_client_, reverse(f"admin:articles_{model}_changelist"), 6, django_assert_max_num_queries, **filters
    )
    if not filters:
        assert response.context["cl"].result_count >= 1


def test_the_admin_article_page(admin_client_, newsroom, django_assert_max_num_queries):
    # ...and the editors the article's editor is chosen among.
    assert_bounded(
        admin_client_, reverse("admin:articles_article_change", args=[newsroom.target.pk]), 7,
        django_assert_max_num_queries,
    )
