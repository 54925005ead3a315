"""The story desk through the API: stories, related claims across articles, adopted verdicts.

The five sample articles (samples/000..004) are imported in-process and their checklists
extracted as the worker would (``checklist_extract``), so the links and the story are the
ones the real engine and the real linking service find: no mocks.

- 000 and 001 quote Khovaev's "We already started working on that": the *same* claim.
- 000's "We are ready to organize a joint production ... There will be Philippine products"
  is a *variant* of 001's "... They will be Philippine products".
- All five articles end up in one story.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from articles.models import Article, ChecklistItem, ClaimLink, ItemState, Note, Story
from articles.services import article_upsert, checklist_extract
from articles.services.items import item_assign, item_verify, note_add

pytestmark = pytest.mark.django_db

SAME_QUOTE = "We already started working on that"
VARIANT_QUOTE = "We are ready to organize a joint production"
SOURCE = "https://www.youtube.com/watch?v=embassy-briefing"

TITLES = {
    "000": "Russia eyes gun factory in the Philippines",
    "001": "Russia proposes arms hub in PH, envoy says",
    "002": "Duterte weighs Russian arms offer",
    "003": "Moscow courts Manila with weapons deal",
    "004": "Khovaev: Russia ready to help PH defense industry",
}


# --- fixtures and helpers ---------------------------------------------------------------


def import_samples(sample_paths, numbers=("000", "001", "002", "003", "004"), titles=TITLES) -> dict[str, Article]:
    """Import the samples in order and extract each checklist in-process, as the worker would."""
    imported = {}
    for path in sample_paths:
        number = path.name[:3]
        if number not in numbers:
            continue
        article = article_upsert(
            source="samples", external_id=path.stem, body=path.read_text(), title=titles[number]
        ).article
        checklist_extract(article_id=article.pk)
        article.refresh_from_db()
        imported[number] = article
    return imported


@pytest.fixture
def desk(sample_paths, cast) -> dict[str, Article]:
    """The five samples, imported and linked."""
    return import_samples(sample_paths)


@pytest.fixture
def pair(sample_paths, cast) -> dict[str, Article]:
    """Only 000 and 001: they hold both the same claim and the variant."""
    return import_samples(sample_paths, numbers=("000", "001"))


def claim(article: Article, words: str, *, kind: str = "quote") -> ChecklistItem:
    """The article's extracted (not linked) item of ``kind`` whose text starts with ``words``."""
    found = list(
        ChecklistItem.objects.filter(article=article, kind=kind, text__startswith=words).exclude(origin="linked")
    )
    assert len(found) == 1, f"one {kind} starting {words!r} in article {article.pk}: {found}"
    return found[0]


def items_of(client, article: Article) -> list[dict]:
    response = client.get(f"/api/v1/articles/{article.pk}/items/", {"page_size": 500})
    assert response.status_code == 200, response.content
    return response.json()["results"]


def item_json(client, item: ChecklistItem) -> dict:
    response = client.get(f"/api/v1/items/{item.pk}/")
    assert response.status_code == 200, response.content
    return response.json()


def adopt(client, item: ChecklistItem, source: ChecklistItem, **extra):
    return client.post(f"/api/v1/items/{item.pk}/adopt/", {"from": source.pk, **extra}, format="json")


# --- stories ----------------------------------------------------------------------------


def test_the_five_samples_are_listed_as_one_story_with_their_articles_oldest_first(api, desk):
    response = api("reporter").get("/api/v1/stories/")

    assert response.status_code == 200, response.content
    stories = response.json()["results"]
    assert len(stories) == 1
    story = stories[0]
    assert story["article_count"] == 5
    assert [a["id"] for a in story["articles"]] == [desk[n].pk for n in sorted(desk)]
    assert {a["title"] for a in story["articles"]} == set(TITLES.values())
    assert set(story["articles"][0]) >= {"id", "title", "source", "external_id", "url", "ready"}
    # Named after the article that started it, and readable one by one.
    assert story["name"] == TITLES["000"]
    one = api("reporter").get(f"/api/v1/stories/{story['id']}/")
    assert one.status_code == 200
    assert one.json()["article_count"] == 5


def test_each_article_carries_its_story_in_the_list_and_alone(api, desk):
    story = Story.objects.get()
    client = api("cms")

    listed = client.get("/api/v1/articles/", {"page_size": 50}).json()["results"]

    assert {a["id"]: a["story"] for a in listed} == {a.pk: story.pk for a in desk.values()}
    for article in desk.values():
        assert client.get(f"/api/v1/articles/{article.pk}/").json()["story"] == story.pk


# --- related claims ---------------------------------------------------------------------


def test_an_item_lists_the_same_claim_in_the_other_article(api, pair):
    mine, theirs = claim(pair["001"], SAME_QUOTE), claim(pair["000"], SAME_QUOTE)

    listed = next(i for i in items_of(api("reporter"), pair["001"]) if i["id"] == mine.pk)

    assert listed["related"] == [
        {
            "article": pair["000"].pk,
            "article_title": TITLES["000"],
            "item": theirs.pk,
            "text": theirs.text,
            "relation": "same",
            "state": "open",
            "verdict_by": None,
            "verdict_at": None,
            "sources": 0,
            "can_adopt": False,
        }
    ]
    # Both directions: the other article's item lists this one, and the item alone says the same.
    other_side = item_json(api("reporter"), theirs)["related"]
    assert [(r["article"], r["item"], r["relation"]) for r in other_side] == [(pair["001"].pk, mine.pk, "same")]
    assert item_json(api("reporter"), mine)["related"] == listed["related"]


def test_a_reworded_quote_is_a_variant_and_gives_the_later_article_a_consistency_check(api, pair):
    earlier, later = claim(pair["000"], VARIANT_QUOTE), claim(pair["001"], VARIANT_QUOTE)
    assert "There will be" in earlier.text and "They will be" in later.text

    related = {r["item"]: r for r in item_json(api("reporter"), earlier)["related"]}

    assert related[later.pk]["relation"] == "variant"
    assert related[later.pk]["can_adopt"] is False
    linked = [
        i for i in items_of(api("reporter"), pair["001"])
        if i["origin"] == "linked" and i["value"]["variant_of"]["item"] == earlier.pk
    ]
    assert len(linked) == 1
    check = linked[0]
    assert check["kind"] == "consistency"
    assert check["text"] == later.text
    assert check["value"]["variant_of"]["article"] == pair["000"].pk
    assert check["value"]["variant_of"]["item_here"] == later.pk
    assert check["value"]["variant_of"]["text"] == earlier.text
    assert check["value"]["changed_here"] == ["They"]
    assert check["value"]["changed_there"] == ["There"]
    assert TITLES["000"] in check["guidance"]
    # The earlier article gets no check of its own for the pair.
    assert not [
        i for i in items_of(api("reporter"), pair["000"])
        if i["origin"] == "linked" and i["value"]["variant_of"]["article"] == pair["001"].pk
    ]


def test_a_verdict_reached_on_one_article_is_shown_on_the_same_claim_in_the_other(api, pair, cast):
    original, mine = claim(pair["000"], SAME_QUOTE), claim(pair["001"], SAME_QUOTE)
    version = item_json(api("editor"), original)["version"]

    verified = api("editor").patch(
        f"/api/v1/items/{original.pk}/", {"state": "verified", "version": version}, format="json"
    )
    assert verified.status_code == 200, verified.content

    [related] = item_json(api("checker"), mine)["related"]
    assert related["item"] == original.pk
    assert related["state"] == "verified"
    assert related["verdict_by"] == cast.editor.username
    assert related["verdict_at"] is not None
    assert related["can_adopt"] is True
    # Nothing changes on the item itself until someone adopts the verdict.
    assert item_json(api("checker"), mine)["state"] == "open"


def test_the_sources_of_the_original_are_counted(api, pair, cast):
    original, mine = claim(pair["000"], SAME_QUOTE), claim(pair["001"], SAME_QUOTE)
    note_add(item_id=original.pk, author=cast.editor, body="Heard on the recording.", source=SOURCE)
    note_add(item_id=original.pk, author=cast.reporter, body="No source here.")
    item_verify(item_id=original.pk, by=cast.editor)

    [related] = item_json(api("reporter"), mine)["related"]

    assert related["sources"] == 1


# --- adopting a verdict -----------------------------------------------------------------


def test_adopting_the_same_claims_verdict_verifies_with_a_note_naming_the_original_and_its_sources(api, pair, cast):
    original, mine = claim(pair["000"], SAME_QUOTE), claim(pair["001"], SAME_QUOTE)
    note_add(item_id=original.pk, author=cast.reporter, body="Heard on the recording.", source=SOURCE)
    item_verify(item_id=original.pk, by=cast.editor, note="Matches the audio.")
    version = item_json(api("editor"), mine)["version"]

    response = adopt(api("editor"), mine, original, version=version)

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "verified"
    assert body["version"] == version + 1
    mine.refresh_from_db()
    assert mine.state == ItemState.VERIFIED
    assert mine.state_changed_by == cast.editor
    [note] = Note.objects.filter(item=mine)
    assert note.author == cast.editor
    assert f"item {original.pk}" in note.body
    assert TITLES["000"] in note.body
    assert "adopted" in note.body
    assert SOURCE in note.body
    assert f"/articles/{pair['000'].pk}/" in note.source and f"#item-{original.pk}" in note.source
    record = mine.history.first()
    assert record.state == ItemState.VERIFIED
    assert record.history_user == cast.editor
    assert "adopt" in record.history_change_reason
    assert str(original.pk) in record.history_change_reason


def test_a_checker_adopts_on_an_item_assigned_to_them(api, pair, cast):
    original, mine = claim(pair["000"], SAME_QUOTE), claim(pair["001"], SAME_QUOTE)
    item_verify(item_id=original.pk, by=cast.editor)
    item_assign(item_id=mine.pk, assignee=cast.checker, by=cast.editor)

    response = adopt(api("checker"), mine, original)

    assert response.status_code == 200, response.content
    assert response.json()["state"] == "verified"


def test_a_checker_cannot_adopt_on_an_item_not_assigned_to_them(api, pair, cast):
    original, mine = claim(pair["000"], SAME_QUOTE), claim(pair["001"], SAME_QUOTE)
    item_verify(item_id=original.pk, by=cast.editor)

    response = adopt(api("checker"), mine, original)

    assert response.status_code == 403
    mine.refresh_from_db()
    assert mine.state == ItemState.OPEN


def test_a_variants_verdict_cannot_be_adopted(api, pair, cast):
    earlier, later = claim(pair["000"], VARIANT_QUOTE), claim(pair["001"], VARIANT_QUOTE)
    item_verify(item_id=earlier.pk, by=cast.editor)

    response = adopt(api("editor"), later, earlier)

    assert response.status_code == 400, response.content
    assert "variant" in response.json()["detail"]
    later.refresh_from_db()
    assert later.state == ItemState.OPEN
    assert not Note.objects.filter(item=later).exists()


def test_an_unrelated_items_verdict_cannot_be_adopted(api, pair, cast):
    mine = claim(pair["001"], SAME_QUOTE)
    unrelated = claim(pair["000"], VARIANT_QUOTE)
    assert not ClaimLink.objects.filter(item=mine, other=unrelated).exists()
    item_verify(item_id=unrelated.pk, by=cast.editor)

    response = adopt(api("editor"), mine, unrelated)

    assert response.status_code == 400, response.content
    assert "not a claim related" in response.json()["detail"]
    mine.refresh_from_db()
    assert mine.state == ItemState.OPEN


def test_an_item_that_does_not_exist_cannot_lend_its_verdict(api, pair):
    mine = claim(pair["001"], SAME_QUOTE)

    response = api("editor").post(f"/api/v1/items/{mine.pk}/adopt/", {"from": 2**62}, format="json")

    assert response.status_code == 400


def test_a_claim_without_a_verdict_lends_none(api, pair):
    original, mine = claim(pair["000"], SAME_QUOTE), claim(pair["001"], SAME_QUOTE)

    response = adopt(api("editor"), mine, original)

    assert response.status_code == 400, response.content
    assert "no verdict" in response.json()["detail"]
    mine.refresh_from_db()
    assert mine.state == ItemState.OPEN


def test_a_claim_being_checked_lends_no_verdict(api, pair, cast):
    original, mine = claim(pair["000"], SAME_QUOTE), claim(pair["001"], SAME_QUOTE)
    api("editor").patch(f"/api/v1/items/{original.pk}/", {"state": "in_progress"}, format="json")

    response = adopt(api("editor"), mine, original)

    assert response.status_code == 400
    [related] = item_json(api("editor"), mine)["related"]
    assert (related["state"], related["can_adopt"], related["verdict_by"]) == ("in_progress", False, None)


def test_an_incorrect_verdict_is_adopted_with_its_note(api, pair, cast):
    original, mine = claim(pair["000"], SAME_QUOTE), claim(pair["001"], SAME_QUOTE)
    api("editor").patch(
        f"/api/v1/items/{original.pk}/", {"state": "incorrect", "note": "He never said it.", "source": SOURCE},
        format="json",
    )

    response = adopt(api("editor"), mine, original)

    assert response.status_code == 200, response.content
    assert response.json()["state"] == "incorrect"
    assert SOURCE in Note.objects.get(item=mine).body


def test_a_reporter_cannot_adopt_a_verdict(api, pair, cast):
    original, mine = claim(pair["000"], SAME_QUOTE), claim(pair["001"], SAME_QUOTE)
    item_verify(item_id=original.pk, by=cast.editor)

    response = adopt(api("reporter"), mine, original)

    assert response.status_code == 403
    mine.refresh_from_db()
    assert mine.state == ItemState.OPEN
    assert not Note.objects.filter(item=mine).exists()


def test_a_stale_version_is_a_conflict_with_the_item_as_it_is_now(api, pair, cast):
    original, mine = claim(pair["000"], SAME_QUOTE), claim(pair["001"], SAME_QUOTE)
    item_verify(item_id=original.pk, by=cast.editor)
    read = item_json(api("editor"), mine)["version"]
    item_assign(item_id=mine.pk, assignee=cast.checker, by=cast.editor)  # someone else changes it meanwhile

    response = adopt(api("editor"), mine, original, version=read)

    assert response.status_code == 409, response.content
    assert response.json()["current"]["version"] == read + 1
    assert response.json()["current"]["state"] == "open"
    mine.refresh_from_db()
    assert mine.state == ItemState.OPEN


@pytest.mark.parametrize("body", [{}, {"from": "seven"}, {"from": 0}, {"from": True}, {"from": None}])
def test_a_malformed_adoption_is_refused(api, pair, body):
    mine = claim(pair["001"], SAME_QUOTE)

    response = api("editor").post(f"/api/v1/items/{mine.pk}/adopt/", body, format="json")

    assert response.status_code == 400


def test_adopting_on_an_item_that_does_not_exist_is_404(api, pair, cast):
    original = claim(pair["000"], SAME_QUOTE)
    item_verify(item_id=original.pk, by=cast.editor)

    response = api("editor").post(f"/api/v1/items/{2**62}/adopt/", {"from": original.pk}, format="json")

    assert response.status_code == 404


# --- naming stories ---------------------------------------------------------------------


def test_an_editor_renames_a_story_and_the_name_is_kept(api, pair, cast):
    story = Story.objects.get()

    response = api("editor").patch(f"/api/v1/stories/{story.pk}/", {"name": "  Russian   arms for Manila "}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["name"] == "Russian arms for Manila"
    assert response.json()["article_count"] == 2
    story.refresh_from_db()
    assert (story.name, story.name_pinned) == ("Russian arms for Manila", True)
    assert story.history.first().history_user == cast.editor


def test_a_blank_name_is_refused(api, pair):
    story = Story.objects.get()

    response = api("editor").patch(f"/api/v1/stories/{story.pk}/", {"name": "   "}, format="json")

    assert response.status_code == 400
    story.refresh_from_db()
    assert story.name == TITLES["000"]


@pytest.mark.parametrize("role", ["checker", "reporter", "cms"])
def test_only_editors_rename_stories(api, pair, role):
    story = Story.objects.get()

    response = api(role).patch(f"/api/v1/stories/{story.pk}/", {"name": "Mine now"}, format="json")

    assert response.status_code == 403
    story.refresh_from_db()
    assert (story.name, story.name_pinned) == (TITLES["000"], False)


def test_stories_cannot_be_created_replaced_or_deleted_through_the_api(api, pair):
    story = Story.objects.get()
    editor = api("editor")

    assert editor.post("/api/v1/stories/", {"name": "New"}, format="json").status_code == 405
    assert editor.put(f"/api/v1/stories/{story.pk}/", {"name": "New"}, format="json").status_code == 405
    assert editor.delete(f"/api/v1/stories/{story.pk}/").status_code == 405
    assert Story.objects.filter(pk=story.pk).exists()


def test_without_credentials_nothing_is_shown_or_changed(pair):
    story = Story.objects.get()
    original, mine = claim(pair["000"], SAME_QUOTE), claim(pair["001"], SAME_QUOTE)
    anonymous = APIClient()

    assert anonymous.get("/api/v1/stories/").status_code in (401, 403)
    assert anonymous.get(f"/api/v1/stories/{story.pk}/").status_code in (401, 403)
    assert anonymous.patch(f"/api/v1/stories/{story.pk}/", {"name": "x"}, format="json").status_code in (401, 403)
    assert anonymous.post(f"/api/v1/items/{mine.pk}/adopt/", {"from": original.pk}, format="json").status_code in (
        401, 403,
    )
    story.refresh_from_db()
    assert story.name == TITLES["000"]


def test_a_user_without_a_role_sees_no_stories(api, pair):
    assert api("outsider").get("/api/v1/stories/").status_code == 403


# --- query counts -----------------------------------------------------------------------

# Token and user, the caller's permissions, the page of items, the related claims of the
# whole page (one prefetch, with their articles, verdict authors and source counts).
ITEM_LIST_WITH_RELATED = 4


def count_queries(client, url, params) -> tuple[int, dict]:
    assert client.get(url, params).status_code == 200  # warm what a server keeps warm
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries), response.json()


def test_the_item_list_reads_related_claims_in_a_bounded_number_of_queries(
    api, pair, cast, django_assert_max_num_queries
):
    for words in (SAME_QUOTE, VARIANT_QUOTE):
        item_verify(item_id=claim(pair["000"], words).pk, by=cast.editor)
        note_add(item_id=claim(pair["000"], words).pk, author=cast.editor, body="Checked.", source=SOURCE)
    client = api("editor")
    url = f"/api/v1/articles/{pair['001'].pk}/items/"

    # Every item of 001 on one page, several of them with related claims and verdicts...
    queries_all, everything = count_queries(client, url, {"page_size": 500})
    assert len(everything["results"]) >= 20
    assert len([i for i in everything["results"] if i["related"]]) >= 5
    # ...costs what its few quotes alone do: the related claims are read for the page at once.
    queries_few, quotes = count_queries(client, url, {"page_size": 500, "kind": "quote"})
    assert 2 <= len(quotes["results"]) < len(everything["results"])
    assert any(i["related"] for i in quotes["results"])
    assert queries_all == queries_few

    with django_assert_max_num_queries(ITEM_LIST_WITH_RELATED):
        response = client.get(url, {"page_size": 500})
    assert response.status_code == 200


def test_the_story_list_reads_its_articles_in_a_bounded_number_of_queries(api, desk, django_assert_max_num_queries):
    client = api("reporter")
    assert client.get("/api/v1/stories/").status_code == 200

    # Token and user, permissions, the page of stories, their articles (one prefetch).
    with django_assert_max_num_queries(4):
        response = client.get("/api/v1/stories/")
    assert response.json()["results"][0]["article_count"] == 5


# --- a claim found incorrect elsewhere ----------------------------------------------------


def test_marking_a_claim_incorrect_puts_the_same_claim_elsewhere_first(
    api, pair, cast, django_capture_on_commit_callbacks
):
    original, mine = claim(pair["000"], SAME_QUOTE), claim(pair["001"], SAME_QUOTE)
    assert mine.priority < 95

    with django_capture_on_commit_callbacks(execute=True):
        response = api("editor").patch(
            f"/api/v1/items/{original.pk}/", {"state": "incorrect", "note": "He never said it."}, format="json"
        )

    assert response.status_code == 200, response.content
    after = item_json(api("reporter"), mine)
    assert after["priority"] == 95
    assert after["related"][0]["state"] == "incorrect"
    mine.refresh_from_db()
    assert "incorrect" in mine.history.first().history_change_reason


def test_an_article_arriving_after_a_claim_was_found_incorrect_checks_it_first(sample_paths, api, cast):
    first = import_samples(sample_paths, numbers=("000",))["000"]
    item_mark = api("editor").patch(
        f"/api/v1/items/{claim(first, SAME_QUOTE).pk}/", {"state": "incorrect", "note": "Misquoted."}, format="json"
    )
    assert item_mark.status_code == 200

    later = import_samples(sample_paths, numbers=("001",))["001"]

    assert item_json(api("reporter"), claim(later, SAME_QUOTE))["priority"] == 95


# --- when the other wording is corrected ---------------------------------------------------


def test_a_variant_check_goes_when_the_earlier_article_is_corrected_to_the_same_wording(api, pair, sample_paths):
    # The check lives in the later article (001); correcting the earlier one (000) reaches it.
    earlier = claim(pair["000"], VARIANT_QUOTE)
    assert variant_check_ids(pair["001"], earlier)
    corrected = sample_paths[0].read_text().replace("There will be Philippine", "They will be Philippine")
    article_upsert(source="samples", external_id=pair["000"].external_id, body=corrected)
    checklist_extract(article_id=pair["000"].pk)

    now = claim(pair["000"], VARIANT_QUOTE)
    related = {r["item"]: r["relation"] for r in item_json(api("reporter"), now)["related"]}
    assert related[claim(pair["001"], VARIANT_QUOTE).pk] == "same"
    assert variant_check_ids(pair["001"], now) == []


def test_a_variant_check_goes_when_the_later_article_is_corrected_to_the_same_wording(api, pair, sample_paths):
    # An untouched check whose two wordings no longer differ goes when the article is linked again.
    earlier = claim(pair["000"], VARIANT_QUOTE)
    assert variant_check_ids(pair["001"], earlier)
    corrected = sample_paths[1].read_text().replace("They will be Philippine", "There will be Philippine")
    assert corrected != sample_paths[1].read_text()
    article_upsert(source="samples", external_id=pair["001"].external_id, body=corrected)
    checklist_extract(article_id=pair["001"].pk)

    related = {r["item"]: r["relation"] for r in item_json(api("reporter"), earlier)["related"]}
    assert related[claim(pair["001"], VARIANT_QUOTE).pk] == "same"
    assert variant_check_ids(pair["001"], earlier) == []


def variant_check_ids(article, other_item) -> list[int]:
    return [
        item.pk for item in ChecklistItem.objects.filter(article=article, origin="linked", kind="consistency")
        if item.value["variant_of"]["item"] == other_item.pk
    ]
