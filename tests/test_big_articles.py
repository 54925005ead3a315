"""An article of a megabyte with thousands of items stays workable: its page shows the checklist
a window at a time and highlights only that window's items, readiness lists a bounded number
of blocking items, the admin shows the first items inline. No timing is asserted: sizes and
query counts are (a 1 MB article once made a 59 MB page and a 1.35 MB readiness answer)."""

from __future__ import annotations

import re

import pytest
from django.db.models import Q
from django.urls import reverse
from django.utils.html import strip_tags
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from articles.models import Article, ChecklistItem, ItemState, content_hash
from articles.services.progress import article_progress_refresh
from articles.views import CHECKLIST_WINDOW
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PARAGRAPH = (
    "The city council approved a $4.5-million budget on Monday, Mayor Ann Lee said. "
    '"We balanced it without new taxes," she told reporters in paragraph {n}. '
    "Officials said the plan was the largest in a decade.\n\n"
)
CLAIMS = (
    ("money", "$4.5-million", "required"),
    ("date", "on Monday", "required"),
    ("quote", "We balanced it without new taxes,", "required"),
    ("superlative", "the largest in a decade", "recommended"),
)
MEGABYTE = 1_000_000


@pytest.fixture
def big(db, cast):
    """About 1 MB of text and four items per paragraph (thousands), created in bulk: some
    verified, some assigned, one incorrect, a few removed."""
    paragraphs, size, n = [], 0, 0
    while True:
        paragraph = PARAGRAPH.format(n=n)
        if size + len(paragraph) > MEGABYTE - 200:
            break
        paragraphs.append(paragraph)
        size += len(paragraph)
        n += 1
    body = "".join(paragraphs)
    article = Article.objects.create(
        source="cms", external_id="one-megabyte", title="A very long article", body=body,
        content_hash=content_hash(body), checklist_status="ready",
    )
    items, offset = [], 0
    for number, paragraph in enumerate(paragraphs):
        for position, (kind, words, tier) in enumerate(CLAIMS):
            start = offset + paragraph.index(words)
            sentence_start = body.rfind(". ", offset, start)
            sentence_start = offset if sentence_start < 0 else sentence_start + 2
            index = number * len(CLAIMS) + position
            items.append(ChecklistItem(
                article=article, kind=kind, tier=tier, start=start, end=start + len(words), text=words,
                sentence=body[sentence_start : body.index(".", start) + 1],
                state=ItemState.VERIFIED if index % 3 == 0 else ItemState.OPEN,
                assignee=cast.checker if index % 5 == 0 else None,
                anchor="removed" if index % 997 == 0 else "found",
            ))
        offset += len(paragraph)
    items[7].state = ItemState.INCORRECT
    ChecklistItem.objects.bulk_create(items, batch_size=2000)
    article_progress_refresh([article.pk])
    article.refresh_from_db()
    return article


@pytest.fixture
def login(client):
    def signed_in(user):
        client.force_login(user)
        return client

    return signed_in


@pytest.fixture
def api(cast):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=cast.editor).key}")
    return client


def test_the_fixture_is_a_megabyte_with_thousands_of_items(big):
    assert 0.95 * MEGABYTE < len(big.body.encode()) <= MEGABYTE
    assert big.items.count() > 8000
    assert big.item_total > 8000 and not big.is_ready


def small_page(client, url, django_assert_max_num_queries) -> str:
    """The page at ``url`` (asked twice: the second time, as most requests find the caches),
    checked to take at most 9 queries (the page's own, its sources included) and to stay under 5 MB."""
    client.get(url)
    with django_assert_max_num_queries(9):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.content) < 5 * MEGABYTE
    return response.content.decode()


def test_the_article_page_shows_one_window_and_stays_small(login, cast, big, django_assert_max_num_queries):
    client = login(cast.editor)

    content = small_page(client, reverse("newsroom:article", args=[big.pk]), django_assert_max_num_queries)
    cards = re.findall(r'<li id="item-(\d+)"', content)
    assert len(cards) == CHECKLIST_WINDOW
    # Only the window's items are highlighted; the whole text is there, exactly.
    highlighted = set(re.findall(r'id="hl-(\d+)"', content))
    assert highlighted and highlighted <= set(cards)
    body = content.split('id="article-body"', 1)[1].split(">", 1)[1].split("</div>", 1)[0]
    assert strip_tags(body).replace("&#13;", "\r") == big.body.replace("&", "&amp;").replace("<", "&lt;").replace(
        ">", "&gt;").replace('"', "&quot;").replace("'", "&#x27;")
    # The counts are the whole checklist's, and the reader can move on.
    assert f"({big.required_total} required, {big.item_total - big.required_total} recommended)" in content
    assert f"Items 1–{CHECKLIST_WINDOW} of {big.items.count()}" in content
    assert f'href="/articles/{big.pk}/?page=2" rel="next"' in content


def test_every_window_of_the_checklist_can_be_reached(login, cast, big):
    client = login(cast.editor)
    total = big.items.count()
    last = -(-total // CHECKLIST_WINDOW)

    response = client.get(reverse("newsroom:article", args=[big.pk]), {"page": last})

    content = response.content.decode()
    assert response.status_code == 200
    assert len(re.findall(r'<li id="item-(\d+)"', content)) == total - (last - 1) * CHECKLIST_WINDOW
    assert "No longer in the text" in content  # removed items come last, as their section does
    assert 'rel="next"' not in content and 'rel="prev"' in content
    # Past the required items, the recommended ones are shown open.
    page = client.get(reverse("newsroom:article", args=[big.pk]), {"page": last - 2}).content.decode()
    assert '<details id="recommended" class="tier-section tier-section-recommended" open>' in page


def test_an_item_far_down_the_checklist_is_reached_by_its_address(login, cast, big):
    client = login(cast.checker)
    far = big.items.filter(assignee=cast.checker, tier="recommended").order_by("-start").first()

    redirect = client.get(reverse("newsroom:item", args=[far.pk]))
    assert redirect.status_code == 302
    assert re.search(rf"\?page=\d+#item-{far.pk}$", redirect["Location"])
    assert f'<li id="item-{far.pk}"' in client.get(redirect["Location"]).content.decode()

    # "My items" in the queue links to the window that holds the item.
    queue = client.get(reverse("newsroom:home")).content.decode()
    links = re.findall(r'href="/articles/\d+/\?item=(\d+)#item-(\d+)"', queue)
    assert links and all(asked == anchor for asked, anchor in links)
    page = client.get(reverse("newsroom:article", args=[big.pk]), {"item": far.pk}).content.decode()
    assert f'<li id="item-{far.pk}"' in page


def test_a_change_to_an_item_far_down_keeps_its_window(login, cast, big):
    client = login(cast.editor)
    far = big.items.filter(tier="required", state="open").order_by("-start").first()
    window = client.get(reverse("newsroom:item", args=[far.pk]))["Location"]
    page = int(re.search(r"page=(\d+)", window).group(1))

    response = client.post(
        reverse("newsroom:item_state", args=[far.pk]),
        {"state": "verified", "version": far.version, "group": "sentence", "page": page},
        headers={"X-Requested-With": "fetch"},
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert f'<li id="item-{far.pk}"' in content and "state-verified" in content
    assert len(response.content) < 5 * MEGABYTE
    # Without the script: back to the window holding the item.
    plain = client.post(
        reverse("newsroom:item_state", args=[far.pk]), {"state": "open", "version": far.version + 1, "page": page}
    )
    assert plain.status_code == 302 and plain["Location"].endswith(f"?page={page}#item-{far.pk}")


def test_readiness_is_bounded_and_pages_through_the_blocking_items(api, big, django_assert_max_num_queries):
    # Required and unresolved, or incorrect in either tier (the one incorrect item is recommended).
    blocking = ChecklistItem.objects.filter(article=big).exclude(anchor="removed").filter(
        Q(state__in=["open", "in_progress", "incorrect"], tier="required") | Q(state="incorrect")
    )
    url = f"/api/v1/articles/{big.pk}/readiness/"
    api.get(url)

    with django_assert_max_num_queries(5):
        response = api.get(url)

    data = response.json()
    assert response.status_code == 200
    assert len(response.content) < 50_000
    assert data["blocking_count"] == blocking.count() > 50
    assert len(data["blocking"]) == 50
    assert [item["id"] for item in data["blocking"]] == list(
        blocking.order_by("start", "end", "kind", "pk").values_list("pk", flat=True)[:50]
    )
    assert data["required_total"] == big.required_total and data["counts"]["incorrect"] == 1
    assert data["reason"] == "1 item(s) are marked incorrect."
    rest = api.get(data["blocking_next"]).json()
    assert rest["count"] == data["blocking_count"]
    assert [item["id"] for item in rest["results"]] == list(
        blocking.order_by("start", "end", "kind", "pk").values_list("pk", flat=True)[50:100]
    )


def test_the_item_list_is_paged(api, big, django_assert_max_num_queries):
    url = f"/api/v1/articles/{big.pk}/items/"
    api.get(url)

    with django_assert_max_num_queries(4):
        response = api.get(url, {"page_size": 500})

    assert len(response.json()["results"]) == 500
    assert response.json()["count"] == big.items.count()


def test_the_admin_page_of_a_big_article_lists_its_first_items(client, big, django_assert_max_num_queries):
    client.force_login(UserFactory(username="chief", is_staff=True, is_superuser=True))

    content = small_page(client, reverse("admin:articles_article_change", args=[big.pk]), django_assert_max_num_queries)
    assert f"?article__id__exact={big.pk}" in content
    assert "No: 1 item(s) are marked incorrect." in content
    items = client.get(reverse("admin:articles_checklistitem_changelist"), {"article__id__exact": big.pk})
    assert items.context["cl"].result_count == big.items.count()
