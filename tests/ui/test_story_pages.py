"""The story desk on the newsroom pages (Django's test client, no browser): the story list and
story page, editors renaming, splitting and merging stories, the article page's related
claims, variants side by side, adopting a colleague's verdict, and the ClaimReview download.

The sample articles are imported and extracted in-process, as the worker would: the links
and stories are the ones the real engine and linking service find.
"""

from __future__ import annotations

import html
import json
import re

import pytest
from django.urls import reverse

from articles.models import Article, ChecklistItem, ItemState, Note, Story
from articles.services import article_upsert, checklist_extract
from articles.services.items import item_verify, note_add

pytestmark = pytest.mark.django_db

SAME_QUOTE = "We already started working on that"
VARIANT_QUOTE = "We are ready to organize a joint production"
SOURCE = "https://www.youtube.com/watch?v=embassy-briefing"
HOSTILE = "<script>alert(1)</script>"

TITLES = {
    "000": "Russia eyes gun factory in the Philippines",
    "001": "Russia proposes arms hub in PH, envoy says",
    "002": "Duterte weighs Russian arms offer",
    "003": "Moscow courts Manila with weapons deal",
    "004": "Khovaev: Russia ready to help PH defense industry",
}


def import_samples(sample_paths, numbers=tuple(TITLES), titles=TITLES) -> dict[str, Article]:
    imported = {}
    for path in sample_paths:
        number = path.name[:3]
        if number in numbers:
            article = article_upsert(
                source="samples", external_id=path.stem, body=path.read_text(), title=titles[number]
            ).article
            checklist_extract(article_id=article.pk)
            article.refresh_from_db()
            imported[number] = article
    return imported


@pytest.fixture
def desk(sample_paths, cast):
    return import_samples(sample_paths)


@pytest.fixture
def pair(sample_paths, cast):
    return import_samples(sample_paths, numbers=("000", "001"))


@pytest.fixture
def hostile_pair(sample_paths, cast):
    """000 and 001 where 000's title (and so the story's name) holds markup."""
    titles = {**TITLES, "000": f"{HOSTILE} Russia & the <b>Philippines</b>"}
    return import_samples(sample_paths, numbers=("000", "001"), titles=titles)


def claim(article, words, *, kind="quote") -> ChecklistItem:
    return ChecklistItem.objects.exclude(origin="linked").get(article=article, kind=kind, text__startswith=words)


def variant_check(article, other_item) -> ChecklistItem:
    """The linked consistency item in ``article`` naming ``other_item``'s wording."""
    found = [
        item for item in ChecklistItem.objects.filter(article=article, origin="linked", kind="consistency")
        if item.value["variant_of"]["item"] == other_item.pk
    ]
    assert len(found) == 1
    return found[0]


def page(client, url, status=200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.content[:500]
    return response.content.decode()


def card(content: str, item: ChecklistItem) -> str:
    """The item's card on the article page, up to the next card."""
    start = content.index(f'<li id="item-{item.pk}"')
    following = re.compile(r'<li id="item-\d+"').search(content, start + 1)
    return content[start : following.start() if following else len(content)]


def article_url(article) -> str:
    return reverse("newsroom:article", args=[article.pk])


def story_url(story) -> str:
    return reverse("newsroom:story", args=[story.pk])


def adopt_url(item) -> str:
    return reverse("newsroom:item_adopt", args=[item.pk])


def story_state() -> set[tuple]:
    return set(Article.objects.values_list("pk", "story_id", "story_pinned")) | set(
        Story.objects.values_list("pk", "name", "name_pinned")
    )


# --- the story list and the story page ---------------------------------------------------


def test_a_reporter_sees_the_story_list_with_its_five_articles(login, cast, desk):
    story = Story.objects.get()

    content = page(login(cast.reporter), reverse("newsroom:stories"))

    assert f'href="{story_url(story)}"' in content
    assert html.escape(story.name) in content
    assert "5 articles" in content
    for article in desk.values():
        assert f'href="{article_url(article)}"' in content
        assert html.escape(article.title) in content


def test_a_reporter_sees_the_story_page_without_the_editors_forms(login, cast, desk):
    story = Story.objects.get()

    content = page(login(cast.reporter), story_url(story))

    assert html.escape(story.name) in content
    assert "5 articles" in content
    for article in desk.values():
        assert f'href="{article_url(article)}"' in content
    assert 'name="action" value="rename"' not in content
    assert 'name="articles"' not in content
    assert 'value="merge"' not in content


def test_an_editor_sees_the_rename_and_split_forms(login, cast, pair):
    story = Story.objects.get()

    content = page(login(cast.editor), story_url(story))

    assert 'name="action" value="rename"' in content
    for article in pair.values():
        assert f'name="articles" value="{article.pk}"' in content


def test_the_story_pages_need_a_signed_in_reader(client, login, cast, pair):
    story = Story.objects.get()

    for url in (reverse("newsroom:stories"), story_url(story)):
        response = client.get(url)
        assert response.status_code == 302
        assert "login" in response["Location"]
        assert login(cast.outsider).get(url).status_code == 403
    assert login(cast.reporter).get(reverse("newsroom:story", args=[10**9])).status_code == 404


# --- editors rename, split and merge ------------------------------------------------------


def test_an_editor_renames_a_story_through_the_page(login, cast, pair):
    story = Story.objects.get()
    client = login(cast.editor)

    response = client.post(story_url(story), {"action": "rename", "name": "Russian arms for Manila"})

    assert response.status_code == 302
    assert response["Location"] == story_url(story)
    story.refresh_from_db()
    assert (story.name, story.name_pinned) == ("Russian arms for Manila", True)
    content = page(client, story_url(story))
    assert "Russian arms for Manila" in content
    assert "Story renamed." in content


def test_a_blank_name_is_refused_on_the_page(login, cast, pair):
    story = Story.objects.get()

    response = login(cast.editor).post(story_url(story), {"action": "rename", "name": "  "})

    assert response.status_code == 400
    assert "A story needs a name." in response.content.decode()
    story.refresh_from_db()
    assert story.name == TITLES["000"]


def test_an_editor_splits_articles_off_into_a_new_story_and_both_are_pinned(login, cast, desk):
    story = Story.objects.get()
    moving = [desk["003"].pk, desk["004"].pk]

    response = login(cast.editor).post(story_url(story), {"action": "split", "articles": moving, "name": ""})

    assert response.status_code == 302
    new = Story.objects.exclude(pk=story.pk).get()
    assert set(Article.objects.filter(story=new).values_list("pk", flat=True)) == set(moving)
    assert set(Article.objects.filter(story=story).values_list("pk", flat=True)) == {
        desk[n].pk for n in ("000", "001", "002")
    }
    assert not Article.objects.filter(story_pinned=False).exists()
    # Named after the oldest article moved, not pinned: no editor named it.
    assert (new.name, new.name_pinned) == (TITLES["003"], False)
    assert Story.objects.count() == 2


def test_articles_split_off_stay_apart_when_extracted_again(login, cast, desk):
    story = Story.objects.get()
    login(cast.editor).post(story_url(story), {"action": "split", "articles": [desk["001"].pk], "name": "Arms hub"})
    new = Story.objects.get(name="Arms hub")
    assert new.name_pinned

    # 001 shares claims with 000: automatic grouping would put it back, but an editor placed it.
    Article.objects.filter(pk=desk["001"].pk).update(checklist_status="pending")
    checklist_extract(article_id=desk["001"].pk)

    assert Article.objects.get(pk=desk["001"].pk).story_id == new.pk


def test_the_split_message_counts_the_articles_actually_moved(login, cast, desk):
    # An id of an article in another story (a stale page, a forged form) is ignored, and not counted.
    story = Story.objects.get()
    elsewhere = Article.objects.create(source="other", external_id="elsewhere", body="Text.", title="Elsewhere")
    client = login(cast.editor)

    response = client.post(story_url(story), {"action": "split", "articles": [desk["004"].pk, elsewhere.pk]}, follow=True)

    assert Article.objects.get(pk=elsewhere.pk).story_id is None
    content = html.unescape(response.content.decode())
    assert "article(s) moved to the new story" in content
    assert "1 article(s) moved" in content, re.findall(r"\d+ article\(s\) moved[^<]*", content)


def test_a_split_must_leave_an_article_and_move_one(login, cast, pair):
    story = Story.objects.get()
    client = login(cast.editor)
    before = story_state()

    everything = client.post(story_url(story), {"action": "split", "articles": [a.pk for a in pair.values()]})
    nothing = client.post(story_url(story), {"action": "split"})

    assert everything.status_code == 400
    assert "at least one article" in everything.content.decode()
    assert nothing.status_code == 400
    assert story_state() == before


def test_an_editor_merges_a_story_into_another_through_the_page(login, cast, desk):
    story = Story.objects.get()
    client = login(cast.editor)
    client.post(story_url(story), {"action": "split", "articles": [desk["003"].pk, desk["004"].pk]})
    other = Story.objects.exclude(pk=story.pk).get()
    assert f'<option value="{other.pk}">' in page(client, story_url(story))

    response = client.post(story_url(story), {"action": "merge", "stories": [other.pk]})

    assert response.status_code == 302
    assert list(Story.objects.values_list("pk", flat=True)) == [story.pk]
    assert Article.objects.filter(story=story).count() == 5
    assert not Article.objects.filter(story_pinned=False).exists()
    assert "5 articles" in page(client, story_url(story))


def test_merging_without_choosing_a_story_is_refused(login, cast, pair):
    story = Story.objects.get()
    before = story_state()

    response = login(cast.editor).post(story_url(story), {"action": "merge"})

    assert response.status_code == 400
    assert story_state() == before


def test_an_unknown_action_is_refused(login, cast, pair):
    story = Story.objects.get()

    response = login(cast.editor).post(story_url(story), {"action": "delete"})

    assert response.status_code == 400
    assert Story.objects.filter(pk=story.pk).exists()


@pytest.mark.parametrize("role", ["checker", "reporter"])
@pytest.mark.parametrize("action", ["rename", "split", "merge"])
def test_only_editors_change_stories(login, cast, desk, role, action):
    story = Story.objects.get()
    # A second story to merge: made by an editor beforehand.
    login(cast.editor).post(story_url(story), {"action": "split", "articles": [desk["004"].pk]})
    other = Story.objects.exclude(pk=story.pk).get()
    before = story_state()
    data = {
        "rename": {"action": "rename", "name": "Hijacked"},
        "split": {"action": "split", "articles": [desk["003"].pk]},
        "merge": {"action": "merge", "stories": [other.pk]},
    }[action]

    response = login(cast.by_role(role)).post(story_url(story), data)

    assert response.status_code == 403
    assert story_state() == before


def test_a_story_form_without_its_csrf_token_is_refused(cast, pair):
    from django.test import Client

    story = Story.objects.get()
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.editor)

    response = client.post(story_url(story), {"action": "rename", "name": "Forged"})

    assert response.status_code == 403
    story.refresh_from_db()
    assert story.name == TITLES["000"]


# --- the article page -------------------------------------------------------------------


def test_the_article_page_links_to_its_story(login, cast, pair):
    story = Story.objects.get()

    content = page(login(cast.reporter), article_url(pair["001"]))

    assert f'<a href="{story_url(story)}">{html.escape(story.name)}</a>' in content


def test_the_article_page_shows_the_same_claim_in_the_other_article(login, cast, pair):
    mine, theirs = claim(pair["001"], SAME_QUOTE), claim(pair["000"], SAME_QUOTE)

    content = card(page(login(cast.reporter), article_url(pair["001"])), mine)

    assert "In other articles" in content
    assert "Same claim" in content
    assert f'href="{article_url(pair["000"])}' in content and f"item-{theirs.pk}" in content
    assert html.escape(TITLES["000"]) in content


def test_a_variant_is_shown_with_the_other_wording(login, cast, pair):
    earlier, later = claim(pair["000"], VARIANT_QUOTE), claim(pair["001"], VARIANT_QUOTE)

    content = card(page(login(cast.reporter), article_url(pair["000"])), earlier)

    assert "Variant" in content
    assert f"item-{later.pk}" in content
    quoted = re.search(r'<li class="related-variant">.*?<q>(.*?)</q>', content, flags=re.DOTALL)
    assert quoted, "the other wording is quoted"
    assert quoted.group(1).startswith(html.escape(later.text[:60]))  # shortened to 160 characters


def test_the_variant_check_shows_both_wordings_with_the_differing_words_marked(login, cast, pair):
    earlier = claim(pair["000"], VARIANT_QUOTE)
    check = variant_check(pair["001"], earlier)

    content = card(page(login(cast.reporter), article_url(pair["001"])), check)

    match = re.search(r'<div class="variant-compare"[^>]*>(.*?)</div>', content, flags=re.DOTALL)
    assert match, "the linked consistency item shows the two wordings"
    here, there = re.findall(r"<figure>(.*?)</figure>", match.group(1), flags=re.DOTALL)
    assert "Here" in here
    assert re.findall(r"<mark>(.*?)</mark>", here) == ["They"]
    assert re.findall(r"<mark>(.*?)</mark>", there) == ["There"]
    assert "<mark>They</mark> will be Philippine products" in here
    assert "<mark>There</mark> will be Philippine products" in there
    assert html.escape(TITLES["000"]) in there
    assert f'href="{article_url(pair["000"])}' in there and f"item-{earlier.pk}" in there


def test_an_extracted_item_has_no_side_by_side_block(login, cast, pair):
    later = claim(pair["001"], VARIANT_QUOTE)

    assert "variant-compare" not in card(page(login(cast.reporter), article_url(pair["001"])), later)


# --- adopting a verdict on the page -------------------------------------------------------


def test_an_adopt_button_appears_for_the_same_claims_verdict_and_adopting_verifies(login, cast, pair):
    original, mine = claim(pair["000"], SAME_QUOTE), claim(pair["001"], SAME_QUOTE)
    note_add(item_id=original.pk, author=cast.editor, body="Heard on the recording.", source=SOURCE)
    item_verify(item_id=original.pk, by=cast.editor)
    client = login(cast.editor)

    content = card(page(client, article_url(pair["001"])), mine)
    assert f'action="{adopt_url(mine)}"' in content
    assert f'name="from" value="{original.pk}"' in content
    assert "Adopt this verdict" in content
    assert "with 1 source" in content
    assert cast.editor.username in content

    mine.refresh_from_db()
    response = client.post(adopt_url(mine), {"from": original.pk, "version": mine.version})

    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.state == ItemState.VERIFIED
    note = Note.objects.get(item=mine)
    assert f"item {original.pk}" in note.body and SOURCE in note.body
    after = page(client, response["Location"].split("#")[0])
    assert "Verdict adopted" in after
    assert "Adopt this verdict" not in card(after, mine)


def test_adopting_through_the_pages_script_answers_with_the_card(login, cast, pair):
    original, mine = claim(pair["000"], SAME_QUOTE), claim(pair["001"], SAME_QUOTE)
    item_verify(item_id=original.pk, by=cast.editor)

    response = login(cast.editor).post(
        adopt_url(mine), {"from": original.pk, "version": mine.version}, headers={"X-Requested-With": "fetch"}
    )

    assert response.status_code == 200
    assert f'id="item-{mine.pk}"' in response.content.decode()
    assert "Verdict adopted" in response.content.decode()
    mine.refresh_from_db()
    assert mine.state == ItemState.VERIFIED


def test_no_adopt_button_for_a_variant_or_an_open_claim_or_a_reporter(login, cast, pair):
    earlier, later = claim(pair["000"], VARIANT_QUOTE), claim(pair["001"], VARIANT_QUOTE)
    original, mine = claim(pair["000"], SAME_QUOTE), claim(pair["001"], SAME_QUOTE)
    item_verify(item_id=earlier.pk, by=cast.editor)

    editor_page = page(login(cast.editor), article_url(pair["001"]))
    assert "Adopt this verdict" not in card(editor_page, later)  # a variant: verified, but worded differently
    assert "Adopt this verdict" not in card(editor_page, mine)  # the same claim, still open

    item_verify(item_id=original.pk, by=cast.editor)
    assert "Adopt this verdict" not in card(page(login(cast.reporter), article_url(pair["001"])), mine)


def test_adopting_a_variants_verdict_on_the_page_is_refused(login, cast, pair):
    earlier, later = claim(pair["000"], VARIANT_QUOTE), claim(pair["001"], VARIANT_QUOTE)
    item_verify(item_id=earlier.pk, by=cast.editor)

    response = login(cast.editor).post(adopt_url(later), {"from": earlier.pk, "version": later.version})

    assert response.status_code == 400
    assert "variant" in response.content.decode()
    later.refresh_from_db()
    assert later.state == ItemState.OPEN


@pytest.mark.parametrize("role", ["reporter", "checker"])
def test_adopting_on_the_page_needs_the_right_to_work_the_item(login, cast, pair, role):
    original, mine = claim(pair["000"], SAME_QUOTE), claim(pair["001"], SAME_QUOTE)
    item_verify(item_id=original.pk, by=cast.editor)

    response = login(cast.by_role(role)).post(adopt_url(mine), {"from": original.pk})

    assert response.status_code == 403
    mine.refresh_from_db()
    assert mine.state == ItemState.OPEN


def test_adopting_with_a_stale_version_on_the_page_is_a_conflict(login, cast, pair):
    original, mine = claim(pair["000"], SAME_QUOTE), claim(pair["001"], SAME_QUOTE)
    item_verify(item_id=original.pk, by=cast.editor)

    response = login(cast.editor).post(adopt_url(mine), {"from": original.pk, "version": mine.version + 5})

    assert response.status_code == 409
    mine.refresh_from_db()
    assert mine.state == ItemState.OPEN


@pytest.mark.parametrize("data", [{}, {"from": "x"}, {"from": "1", "version": "v"}])
def test_a_malformed_adoption_on_the_page_is_refused(login, cast, pair, data):
    mine = claim(pair["001"], SAME_QUOTE)

    response = login(cast.editor).post(adopt_url(mine), data)

    assert response.status_code == 400
    mine.refresh_from_db()
    assert mine.state == ItemState.OPEN


def test_adopting_is_a_post(login, cast, pair):
    mine = claim(pair["001"], SAME_QUOTE)

    assert login(cast.editor).get(adopt_url(mine)).status_code == 405


# --- escaping -----------------------------------------------------------------------------


def test_a_title_with_markup_is_escaped_on_the_story_pages(login, cast, hostile_pair):
    story = Story.objects.get()
    assert HOSTILE in story.name  # the story is named after the article's title, as given
    client = login(cast.editor)

    for url in (reverse("newsroom:stories"), story_url(story)):
        content = page(client, url)
        assert HOSTILE not in content
        assert "<b>Philippines</b>" not in content
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


def test_a_title_with_markup_is_escaped_in_the_related_block_and_the_variant_block(login, cast, hostile_pair):
    content = page(login(cast.editor), article_url(hostile_pair["001"]))

    assert HOSTILE not in content
    assert "<b>Philippines</b>" not in content
    mine = claim(hostile_pair["001"], SAME_QUOTE)
    assert "&lt;script&gt;" in card(content, mine)
    check = variant_check(hostile_pair["001"], claim(hostile_pair["000"], VARIANT_QUOTE))
    compare = card(content, check)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in compare
    assert "&lt;b&gt;Philippines&lt;/b&gt;" in compare


def test_a_story_name_with_markup_given_by_an_editor_is_escaped(login, cast, pair):
    story = Story.objects.get()
    client = login(cast.editor)
    client.post(story_url(story), {"action": "rename", "name": f"{HOSTILE} arms"})

    for url in (reverse("newsroom:stories"), story_url(story), article_url(pair["000"])):
        content = page(client, url)
        assert HOSTILE not in content
        assert "&lt;script&gt;alert(1)&lt;/script&gt; arms" in content


# --- ClaimReview download -----------------------------------------------------------------


def test_the_claimreview_download_is_an_attachment_holding_json(login, cast, pair):
    original = claim(pair["000"], SAME_QUOTE)
    item_verify(item_id=original.pk, by=cast.editor, source=SOURCE, note="Heard on the recording.")
    url = reverse("newsroom:article_claimreview", args=[pair["000"].pk])
    assert url == f"/articles/{pair['000'].pk}/claimreview.jsonld"

    response = login(cast.reporter).get(url)

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert f'filename="article-{pair["000"].pk}-claimreview.jsonld"' in response["Content-Disposition"]
    assert response["Content-Type"].startswith("application/ld+json")
    reviews = json.loads(response.content)
    assert isinstance(reviews, list) and len(reviews) == 1
    assert reviews[0]["@type"] == "ClaimReview"
    assert reviews[0]["reviewRating"]["alternateName"] == "True"


def test_the_claimreview_download_of_an_article_without_verdicts_is_an_empty_list(login, cast, pair):
    response = login(cast.reporter).get(reverse("newsroom:article_claimreview", args=[pair["001"].pk]))

    assert response.status_code == 200
    assert json.loads(response.content) == []


def test_the_claimreview_download_needs_a_signed_in_reader(client, login, cast, pair):
    url = reverse("newsroom:article_claimreview", args=[pair["000"].pk])

    assert client.get(url).status_code == 302
    assert login(cast.outsider).get(url).status_code == 403
    assert login(cast.reporter).get(reverse("newsroom:article_claimreview", args=[10**9])).status_code == 404
