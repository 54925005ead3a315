"""schema.org ClaimReview JSON-LD for the verdicts on items (articles/claimreview.py)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from articles.claimreview import NoVerdict, item_claim_review
from articles.models import ItemAnchor
from articles.services.items import (
    item_dismiss,
    item_mark_incorrect,
    item_mark_unverifiable,
    item_start,
    item_verify,
    note_add,
)
from tests.factories import ArticleFactory, ChecklistItemFactory

pytestmark = pytest.mark.django_db

SERVICE = "http://testserver"
SENTENCE = "The city council approved a $4.5-million budget on Monday, Mayor Ann Lee said"


def review_url(item):
    return f"/api/v1/items/{item.pk}/claimreview/"


def article_reviews_url(article):
    return f"/api/v1/articles/{article.pk}/claimreview/"


@pytest.fixture
def editor(cast):
    return cast.by_role("editor")


@pytest.fixture
def publisher(settings):
    settings.PUBLISHER_NAME = "Daily Bugle Fact Check"
    settings.PUBLISHER_URL = "https://bugle.example/factcheck"
    return settings


@pytest.fixture
def article(db):
    return ArticleFactory(
        title="Council passes budget",
        url="https://bugle.example/news/council-budget",
        published_at=datetime.datetime(2024, 5, 6, 9, 30, tzinfo=datetime.timezone.utc),
        checklist_status="ready",
    )


def item_at(article, words, **fields):
    """An item over ``words`` in the article's body."""
    start = article.body.index(words)
    return ChecklistItemFactory(article=article, start=start, end=start + len(words), **fields)


# --- one item ---------------------------------------------------------------------------


def test_a_verified_item_is_a_complete_claim_review(api, article, editor, publisher):
    item = item_at(article, "$4.5-million", speaker="Ann Lee")
    item = item_verify(item_id=item.pk, by=editor, note="Matches the minutes.", source="https://council.example/m")

    response = api("cms").get(review_url(item))

    assert response.status_code == 200
    appearance = {
        "@type": "CreativeWork",
        "url": "https://bugle.example/news/council-budget",
        "headline": "Council passes budget",
        "datePublished": "2024-05-06",
    }
    assert response.json() == {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"{SERVICE}/items/{item.pk}/",
        "claimReviewed": SENTENCE,
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Person", "name": "Ann Lee"},
            "appearance": appearance,
            "firstAppearance": appearance,
        },
        "author": {
            "@type": "Organization",
            "name": "Daily Bugle Fact Check",
            "url": "https://bugle.example/factcheck",
        },
        "datePublished": timezone.localdate(item.state_changed_at).isoformat(),
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": 5,
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": "True",
        },
        "citation": ["https://council.example/m"],
    }


def test_an_incorrect_item_is_rated_false_with_the_worst_rating(api, article, editor):
    item = item_at(article, "$4.5-million")
    item_mark_incorrect(item_id=item.pk, by=editor, note="The budget is $5.4 million.")

    rating = api("checker").get(review_url(item)).json()["reviewRating"]

    assert rating == {"@type": "Rating", "ratingValue": 1, "bestRating": 5, "worstRating": 1, "alternateName": "False"}


def test_an_unverifiable_item_is_rated_unverifiable_in_the_middle_of_the_scale(api, article, editor):
    item = item_at(article, "$4.5-million")
    item_mark_unverifiable(item_id=item.pk, by=editor, note="The minutes are not published yet.")

    rating = api("reporter").get(review_url(item)).json()["reviewRating"]

    assert rating["alternateName"] == "Unverifiable"
    assert rating["ratingValue"] == 3


def test_an_open_item_has_no_verdict_to_publish(api, article):
    item = item_at(article, "$4.5-million")

    response = api("cms").get(review_url(item))

    assert response.status_code == 409
    assert response.json() == {"detail": f"Item {item.pk} has no verdict yet: it is open."}


def test_an_item_in_progress_has_no_verdict_to_publish(api, article, editor):
    item = item_at(article, "$4.5-million")
    item_start(item_id=item.pk, by=editor)

    response = api("cms").get(review_url(item))

    assert response.status_code == 409
    assert response.json()["detail"] == f"Item {item.pk} has no verdict yet: it is in progress."


def test_a_dismissed_item_is_not_a_claim_and_has_nothing_to_review(api, article, editor):
    item = item_at(article, "$4.5-million")
    item_dismiss(item_id=item.pk, by=editor, note="A figure of speech.")

    response = api("cms").get(review_url(item))

    assert response.status_code == 409
    assert response.json()["detail"] == f"Item {item.pk} was dismissed as not a claim: there is nothing to review."


def test_an_item_without_a_speaker_has_no_claim_author(api, article, editor):
    item = item_at(article, "$4.5-million", speaker="")
    item_verify(item_id=item.pk, by=editor)

    claim = api("cms").get(review_url(item)).json()["itemReviewed"]

    assert "author" not in claim
    assert claim["@type"] == "Claim"


def test_an_article_without_a_url_appears_at_its_page_in_the_service(api, editor):
    article = ArticleFactory(url="", published_at=None)
    item = item_at(article, "$4.5-million")
    item_verify(item_id=item.pk, by=editor)

    claim = api("cms").get(review_url(item)).json()["itemReviewed"]

    assert claim["appearance"]["url"] == f"{SERVICE}/articles/{article.pk}/"
    assert claim["firstAppearance"] == claim["appearance"]
    assert "datePublished" not in claim["appearance"]


def test_the_claim_is_the_item_text_when_no_sentence_was_read(api, article, editor):
    item = item_at(article, "$4.5-million", sentence="")
    item_verify(item_id=item.pk, by=editor)

    assert api("cms").get(review_url(item)).json()["claimReviewed"] == "$4.5-million"


def test_the_claim_is_plain_text_on_one_line(api, article, editor):
    item = item_at(article, "$4.5-million", sentence="The council approved\n  a $4.5-million\tbudget ")
    item_verify(item_id=item.pk, by=editor)

    assert api("cms").get(review_url(item)).json()["claimReviewed"] == "The council approved a $4.5-million budget"


def test_the_publisher_url_is_left_out_when_none_is_configured(api, article, editor, settings):
    settings.PUBLISHER_NAME = "Desk"
    settings.PUBLISHER_URL = ""
    item = item_at(article, "$4.5-million")
    item_verify(item_id=item.pk, by=editor)

    assert api("cms").get(review_url(item)).json()["author"] == {"@type": "Organization", "name": "Desk"}


def test_citations_are_the_notes_sources_each_once_in_order(api, article, editor):
    item = item_at(article, "$4.5-million")
    note_add(item_id=item.pk, author=editor, body="Asked the clerk.", source="City clerk, by phone")
    note_add(item_id=item.pk, author=editor, body="No source here.")
    note_add(item_id=item.pk, author=editor, body="Again.", source="City clerk, by phone")
    item_verify(item_id=item.pk, by=editor, note="Minutes agree.", source="https://council.example/m")

    review = api("cms").get(review_url(item)).json()

    assert review["citation"] == ["City clerk, by phone", "https://council.example/m"]


def test_an_item_without_sources_has_no_citation(api, article, editor):
    item = item_at(article, "$4.5-million")
    item_verify(item_id=item.pk, by=editor)

    assert "citation" not in api("cms").get(review_url(item)).json()


def test_without_a_request_the_service_urls_are_relative_paths(editor):
    article = ArticleFactory(url="")
    item = item_at(article, "$4.5-million")
    item = item_verify(item_id=item.pk, by=editor)

    review = item_claim_review(item)

    assert review["url"] == reverse("newsroom:item", args=[item.pk]) == f"/items/{item.pk}/"
    assert review["itemReviewed"]["appearance"]["url"] == f"/articles/{article.pk}/"


def test_the_service_raises_no_verdict_for_an_open_item(article):
    item = item_at(article, "$4.5-million")

    with pytest.raises(NoVerdict, match="no verdict yet: it is open"):
        item_claim_review(item)


def test_a_nonexistent_item_is_not_found(api):
    assert api("cms").get("/api/v1/items/999999/claimreview/").status_code == 404


def test_an_item_id_that_is_not_a_number_is_not_found(api):
    assert api("cms").get("/api/v1/items/true/claimreview/").status_code == 404


def test_an_anonymous_caller_is_refused(article, editor):
    item = item_at(article, "$4.5-million")
    item_verify(item_id=item.pk, by=editor)

    assert APIClient().get(review_url(item)).status_code in (401, 403)
    assert APIClient().get(article_reviews_url(article)).status_code in (401, 403)


def test_a_user_without_a_role_is_refused(api, article, editor):
    item = item_at(article, "$4.5-million")
    item_verify(item_id=item.pk, by=editor)

    assert api("outsider").get(review_url(item)).status_code == 403
    assert api("outsider").get(article_reviews_url(article)).status_code == 403


# --- an article's reviews ---------------------------------------------------------------


def test_an_article_lists_only_its_items_with_verdicts_in_text_order(api, article, editor):
    # Made in a different order from the text's, so the order comes from the positions.
    taxes = item_at(article, "without new taxes", kind="statement", speaker="Ann Lee")
    item_at(article, "Monday", kind="date")
    money = item_at(article, "$4.5-million")
    mayor = item_at(article, "Mayor Ann Lee", kind="name")
    dismissed = item_at(article, "reporters", kind="statement")
    item_verify(item_id=taxes.pk, by=editor)
    item_mark_incorrect(item_id=money.pk, by=editor, note="It is $5.4 million.")
    item_mark_unverifiable(item_id=mayor.pk, by=editor, note="No record of the title.")
    item_dismiss(item_id=dismissed.pk, by=editor, note="Not a claim.")
    # "Monday" stays open.

    response = api("cms").get(article_reviews_url(article))

    assert response.status_code == 200
    reviews = response.json()
    assert [review["url"] for review in reviews] == [
        f"{SERVICE}/items/{item.pk}/" for item in (money, mayor, taxes)
    ]
    assert [review["reviewRating"]["alternateName"] for review in reviews] == ["False", "Unverifiable", "True"]
    assert reviews[1]["itemReviewed"]["appearance"]["url"] == article.url


def test_items_no_longer_in_the_text_are_not_reviewed(api, article, editor):
    gone = item_at(article, "$4.5-million", anchor=ItemAnchor.REMOVED)
    item_verify(item_id=gone.pk, by=editor)

    assert api("cms").get(article_reviews_url(article)).json() == []


def test_an_article_without_verdicts_has_an_empty_list(api, article):
    item_at(article, "$4.5-million")

    response = api("cms").get(article_reviews_url(article))

    assert response.status_code == 200
    assert response.json() == []


def test_the_article_list_matches_the_one_item_review(api, article, editor, publisher):
    item = item_at(article, "$4.5-million", speaker="Ann Lee")
    item_verify(item_id=item.pk, by=editor, note="Checked.", source="Council minutes")

    assert api("cms").get(article_reviews_url(article)).json() == [api("cms").get(review_url(item)).json()]


@pytest.mark.parametrize("count", [1, 25])
def test_the_article_list_takes_a_bounded_number_of_queries(
    api, article, editor, count, django_assert_max_num_queries
):
    body = " ".join(f"Claim {n} costs ${n} million." for n in range(count))
    article.body = body
    article.save()
    for n in range(count):
        item = item_at(article, f"${n} million", sentence=f"Claim {n} costs ${n} million.")
        item_verify(item_id=item.pk, by=editor, note="Checked.", source=f"https://source.example/{n}")
    client = api("cms")

    # The token and its user, the caller's permissions, the article, the items, their notes' sources.
    with django_assert_max_num_queries(5):
        reviews = client.get(article_reviews_url(article)).json()

    assert len(reviews) == count
    assert [review["citation"] for review in reviews] == [[f"https://source.example/{n}"] for n in range(count)]


def test_a_nonexistent_article_is_not_found(api):
    assert api("cms").get("/api/v1/articles/999999/claimreview/").status_code == 404
    assert api("cms").get("/api/v1/articles/true/claimreview/").status_code == 404
