"""Stories in the admin: the list and the change page, renaming (the name is kept), merging
with the list's action, and moving articles to a new story from the article list."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group
from django.urls import reverse

from articles.models import Article, Story
from articles.services import article_upsert, checklist_extract
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(username="chief", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def stories(db):
    """Three stories made at different times: 'Arms' (two articles), 'Budget' (one), 'Floods' (one)."""
    made = {}
    for name, count in (("Arms", 2), ("Budget", 1), ("Floods", 1)):
        story = Story.objects.create(name=name)
        made[name] = (story, [ArticleFactory(story=story, title=f"{name} article {n}") for n in range(count)])
    return made


def changelist_url(model: str) -> str:
    return reverse(f"admin:articles_{model}_changelist")


def change_url(story) -> str:
    return reverse("admin:articles_story_change", args=[story.pk])


def run_action(client, model: str, action: str, objects, **extra):
    return client.post(
        changelist_url(model),
        {"action": action, ACTION_CHECKBOX_NAME: [o.pk for o in objects], "index": 0, **extra},
        follow=True,
    )


# --- list and change page ---------------------------------------------------------------


def test_the_story_list_shows_each_story_with_its_number_of_articles(superuser_client, stories):
    response = superuser_client.get(changelist_url("story"))

    assert response.status_code == 200
    content = response.content.decode()
    for name in stories:
        assert name in content
    assert "merge_into_oldest" in content
    assert superuser_client.get(changelist_url("story"), {"q": "Arms"}).status_code == 200
    assert superuser_client.get(changelist_url("story"), {"o": "2"}).status_code == 200  # by number of articles


def test_the_story_change_page_lists_its_articles_with_links(superuser_client, stories):
    story, articles = stories["Arms"]

    response = superuser_client.get(change_url(story))

    assert response.status_code == 200
    content = response.content.decode()
    for article in articles:
        assert reverse("admin:articles_article_change", args=[article.pk]) in content
        assert article.title in content
    assert "Budget article" not in content


def test_stories_are_not_added_by_hand(superuser_client, stories):
    assert superuser_client.get(reverse("admin:articles_story_add")).status_code == 403


def test_the_story_history_page_loads(superuser_client, stories):
    story, _ = stories["Arms"]

    assert superuser_client.get(reverse("admin:articles_story_history", args=[story.pk])).status_code == 200


def test_the_article_page_links_to_its_story(superuser_client, stories):
    story, articles = stories["Arms"]

    response = superuser_client.get(reverse("admin:articles_article_change", args=[articles[0].pk]))

    assert response.status_code == 200
    assert change_url(story) in response.content.decode()


def test_the_sample_articles_story_in_the_admin(superuser_client, sample_paths):
    """The real thing: the five samples, imported and linked, make one story listed with them."""
    for path in sample_paths:
        article = article_upsert(source="samples", external_id=path.stem, body=path.read_text()).article
        checklist_extract(article_id=article.pk)
    story = Story.objects.get()

    assert superuser_client.get(changelist_url("story")).status_code == 200
    content = superuser_client.get(change_url(story)).content.decode()
    for article in Article.objects.all():
        assert reverse("admin:articles_article_change", args=[article.pk]) in content


# --- renaming -----------------------------------------------------------------------------


def test_renaming_in_the_admin_keeps_the_name(superuser_client, stories):
    story, articles = stories["Arms"]
    assert not story.name_pinned

    response = superuser_client.post(change_url(story), {"name": "  Russian arms   for Manila "}, follow=True)

    assert response.status_code == 200
    story.refresh_from_db()
    assert (story.name, story.name_pinned) == ("Russian arms for Manila", True)
    assert story.history.first().history_change_reason == "renamed"
    assert Article.objects.filter(story=story).count() == len(articles)


def test_a_blank_name_in_the_admin_is_refused_with_a_message(superuser_client, stories):
    # A blank name is refused by the form, which shows the error; the story keeps its name.
    story, _ = stories["Arms"]

    response = superuser_client.post(change_url(story), {"name": "   "}, follow=True)

    assert response.status_code == 200
    assert "A story needs a name." in response.content.decode()
    story.refresh_from_db()
    assert (story.name, story.name_pinned) == ("Arms", False)


# --- merging ------------------------------------------------------------------------------


def test_merge_into_oldest_moves_every_article_into_the_oldest_story(superuser_client, stories):
    arms, arms_articles = stories["Arms"]
    budget, budget_articles = stories["Budget"]
    floods, floods_articles = stories["Floods"]

    response = run_action(superuser_client, "story", "merge_into_oldest", [floods, arms, budget])

    assert response.status_code == 200
    assert "2 story(ies) merged into “Arms”" in response.content.decode()
    assert list(Story.objects.values_list("pk", flat=True)) == [arms.pk]
    merged = Article.objects.filter(story=arms)
    assert set(merged.values_list("pk", flat=True)) == {a.pk for a in arms_articles + budget_articles + floods_articles}
    assert all(merged.values_list("story_pinned", flat=True))


def test_merge_into_oldest_needs_two_stories(superuser_client, stories):
    arms, _ = stories["Arms"]

    response = run_action(superuser_client, "story", "merge_into_oldest", [arms])

    assert "Choose at least two stories to merge." in response.content.decode()
    assert Story.objects.count() == 3


def test_staff_without_the_editor_role_cannot_merge_stories(client, stories):
    """The admin's action asks the same question as the API and the pages: editors only."""
    checker = UserFactory(username="staff-checker", is_staff=True)
    from articles.roles import sync_role_groups

    sync_role_groups()
    checker.groups.add(Group.objects.get(name="checker"))
    client.force_login(checker)
    arms, _ = stories["Arms"]
    budget, _ = stories["Budget"]

    response = run_action(client, "story", "merge_into_oldest", [arms, budget])

    assert response.status_code in (200, 403)
    assert Story.objects.count() == 3
    assert Article.objects.filter(story=budget).count() == 1


# --- moving articles to a new story --------------------------------------------------------


def test_move_to_new_story_puts_the_articles_in_a_new_pinned_story(superuser_client, stories):
    arms, (first, second) = stories["Arms"]
    budget, (lonely,) = stories["Budget"]

    response = run_action(superuser_client, "article", "move_to_new_story", [second, lonely])

    assert response.status_code == 200
    new = Story.objects.exclude(pk__in=[s.pk for s, _ in stories.values()]).get()
    assert f"Moved to the new story “{new}”" in response.content.decode()
    assert set(Article.objects.filter(story=new).values_list("pk", flat=True)) == {second.pk, lonely.pk}
    assert all(Article.objects.filter(story=new).values_list("story_pinned", flat=True))
    # Named after the oldest of them; an editor did not name it.
    assert (new.name, new.name_pinned) == (second.title, False)
    # The story left empty goes; the one still holding an article stays with it.
    assert not Story.objects.filter(pk=budget.pk).exists()
    assert list(Article.objects.filter(story=arms).values_list("pk", flat=True)) == [first.pk]


def test_move_to_new_story_works_for_articles_without_a_story(superuser_client):
    loose = [ArticleFactory(), ArticleFactory()]

    run_action(superuser_client, "article", "move_to_new_story", loose)

    story = Story.objects.get()
    assert set(Article.objects.filter(story=story, story_pinned=True).values_list("pk", flat=True)) == {
        a.pk for a in loose
    }


def test_an_article_moved_to_a_new_story_stays_there_when_extracted_again(superuser_client, sample_paths):
    imported = []
    for path in sample_paths[:2]:
        article = article_upsert(source="samples", external_id=path.stem, body=path.read_text()).article
        checklist_extract(article_id=article.pk)
        imported.append(article)
    shared = Story.objects.get()
    assert set(Article.objects.filter(story=shared).values_list("pk", flat=True)) == {a.pk for a in imported}

    run_action(superuser_client, "article", "move_to_new_story", [imported[1]])
    moved_to = Article.objects.get(pk=imported[1].pk).story_id
    assert moved_to != shared.pk

    # The two share claims: grouping alone would bring it back; an editor placed it.
    Article.objects.filter(pk=imported[1].pk).update(checklist_status="pending")
    checklist_extract(article_id=imported[1].pk)

    assert Article.objects.get(pk=imported[1].pk).story_id == moved_to


def test_deleting_the_last_article_of_a_story_leaves_no_empty_story(superuser_client, stories):
    # Deleting the only article of a story deletes the story: no story of 0 articles is listed.
    budget, (lonely,) = stories["Budget"]

    response = run_action(superuser_client, "article", "delete_selected", [lonely], post="yes")

    assert response.status_code == 200
    assert not Article.objects.filter(pk=lonely.pk).exists()
    assert not Story.objects.filter(pk=budget.pk).exists()
