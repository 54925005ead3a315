"""Linking a stored checklist to the desk's: related claims, variants as checks, stories."""

import pytest
from django.db.models import Q

from articles.models import Article, ChecklistItem, ClaimFingerprint, ClaimLink, ItemOrigin, ItemState, Story
from articles.services import article_upsert, checklist_extract
from articles.services.items import item_mark_incorrect, item_verify
from articles.services.stories import (
    INCORRECT_ELSEWHERE_PRIORITY,
    article_link,
    articles_move_to_story,
    stories_merge,
    story_rename,
    story_split,
)
from tests.factories import extract_again

pytestmark = pytest.mark.django_db

STARTED = "We already started working on that"
READY = "We are ready to organize a joint production"


def import_and_extract(path, **fields) -> Article:
    article = article_upsert(source="desk", external_id=path.stem, body=path.read_text(encoding="utf-8"), **fields).article
    checklist_extract(article_id=article.pk)
    article.refresh_from_db()
    return article


@pytest.fixture
def samples(sample_paths):
    return [import_and_extract(path, title=f"Sample {path.stem[:3]}") for path in sample_paths]


def quote_item(article, starting: str) -> ChecklistItem:
    return article.items.get(kind="quote", text__startswith=starting, origin=ItemOrigin.AUTO)


def link_between(item, other) -> ClaimLink:
    return ClaimLink.objects.get(item=item, other=other)


def test_the_five_samples_are_one_story(samples):
    assert len({article.story_id for article in samples}) == 1
    assert samples[0].story_id is not None
    assert Story.objects.count() == 1
    assert Story.objects.get().name == "Sample 000"


def test_the_same_quote_is_linked_as_same_both_ways(samples):
    first, second = quote_item(samples[0], STARTED), quote_item(samples[1], STARTED)

    assert link_between(second, first).relation == "same"
    assert link_between(first, second).relation == "same"


def test_a_quote_with_a_changed_word_is_a_variant_and_a_check_in_the_later_article(samples):
    first, second = quote_item(samples[0], READY), quote_item(samples[1], READY)
    assert link_between(second, first).relation == "variant"

    check = samples[1].items.get(kind="consistency", origin=ItemOrigin.LINKED, start=second.start, end=second.end)
    assert check.value["variant_of"]["item"] == first.pk
    assert check.value["variant_of"]["article"] == samples[0].pk
    assert check.value["changed_here"] == ["They"] and check.value["changed_there"] == ["There"]
    assert "Sample 000" in check.guidance
    assert not samples[0].items.filter(origin=ItemOrigin.LINKED, start=first.start, end=first.end).exists()


def test_the_variant_check_counts_in_the_articles_progress(samples):
    article = Article.objects.get(pk=samples[1].pk)
    assert article.item_total == article.items.current().count()


def test_linking_again_changes_nothing(samples):
    article = samples[1]
    before = sorted(ClaimLink.objects.filter(item__article=article).values_list("item", "other", "relation"))
    items_before = sorted(article.items.values_list("pk", "kind", "start", "end", "version"))

    article_link(article=article)

    assert sorted(ClaimLink.objects.filter(item__article=article).values_list("item", "other", "relation")) == before
    assert sorted(article.items.values_list("pk", "kind", "start", "end", "version")) == items_before


def test_extracting_the_article_again_keeps_the_variant_check_and_the_work_on_it(samples, cast):
    article = samples[1]
    check = article.items.get(kind="consistency", origin=ItemOrigin.LINKED, text__startswith=READY)
    item_verify(item_id=check.pk, by=cast.by_role("editor"))

    extract_again(article)

    check.refresh_from_db()
    assert check.state == ItemState.VERIFIED
    assert article.items.filter(kind="consistency", origin=ItemOrigin.LINKED, text__startswith=READY).count() == 1


def test_a_claim_no_longer_in_the_other_article_loses_its_link_and_its_untouched_check(samples):
    first, second = samples[0], samples[1]
    edited = first.body.replace("There will be Philippine products", "The factories will be Philippine-owned")
    edited = edited.replace(STARTED, "Talks have not started")
    article_upsert(source="desk", external_id=first.external_id, body=edited)
    checklist_extract(article_id=first.pk)
    extract_again(second)

    assert not ClaimLink.objects.filter(item__article=second, other__article=first, item__text__startswith=STARTED).exists()


def test_an_incorrect_verdict_raises_the_priority_of_the_related_claims_once_it_commits(
    samples, cast, django_capture_on_commit_callbacks
):
    first, second = quote_item(samples[0], STARTED), quote_item(samples[1], STARTED)

    with django_capture_on_commit_callbacks() as after_commit:
        item_mark_incorrect(item_id=first.pk, by=cast.by_role("editor"), note="He said the opposite on tape.")
    second.refresh_from_db()
    assert second.priority < INCORRECT_ELSEWHERE_PRIORITY, "not before the verdict commits"
    for callback in after_commit:
        callback()

    second.refresh_from_db()
    assert second.priority == INCORRECT_ELSEWHERE_PRIORITY
    assert second.history.first().history_change_reason.startswith("a related claim")


def test_an_article_imported_after_a_claim_was_found_incorrect_gets_it_first(sample_paths, cast):
    first = import_and_extract(sample_paths[0], title="First")
    item_mark_incorrect(item_id=quote_item(first, STARTED).pk, by=cast.by_role("editor"), note="Wrong.")

    second = import_and_extract(sample_paths[1], title="Second")

    assert quote_item(second, STARTED).priority == INCORRECT_ELSEWHERE_PRIORITY


def test_an_unrelated_article_starts_its_own_story(samples, tmp_path):
    unrelated = tmp_path / "unrelated.txt"
    unrelated.write_text(
        "The city council of Springfield approved a new budget for its public libraries on Tuesday. "
        '"Reading rooms will stay open on Sundays," said councillor Maria Gonzales, who chairs the '
        "culture committee. The budget adds 12 librarians.",
        encoding="utf-8",
    )
    article = import_and_extract(unrelated, title="Libraries stay open")

    assert article.story_id not in {a.story_id for a in samples}
    assert Story.objects.get(pk=article.story_id).name == "Libraries stay open"


def test_an_article_an_editor_placed_stays_where_it_is(samples, cast):
    editor = cast.by_role("editor")
    story = articles_move_to_story(article_ids=[samples[4].pk], story=None, by=editor, name="Lorenzana")

    extract_again(samples[4])

    samples[4].refresh_from_db()
    assert samples[4].story_id == story.pk and samples[4].story_pinned


def test_an_editor_splits_a_story_and_merges_it_back(samples, cast):
    editor = cast.by_role("editor")
    story = Story.objects.get()

    new = story_split(story=story, article_ids=[samples[3].pk, samples[4].pk], by=editor, name="Lorenzana in Moscow")

    assert set(new.articles.values_list("pk", flat=True)) == {samples[3].pk, samples[4].pk}
    assert new.name == "Lorenzana in Moscow" and new.name_pinned
    assert story.articles.count() == 3
    assert not Article.objects.filter(story_pinned=False).exists()

    stories_merge(into=story, stories=[new], by=editor)

    assert story.articles.count() == 5
    assert not Story.objects.filter(pk=new.pk).exists()


def test_a_split_must_leave_an_article_behind_and_move_one(samples, cast):
    from articles.services.errors import WorkflowError

    editor, story = cast.by_role("editor"), Story.objects.get()
    with pytest.raises(WorkflowError):
        story_split(story=story, article_ids=[a.pk for a in samples], by=editor)
    with pytest.raises(WorkflowError):
        story_split(story=story, article_ids=[], by=editor)


def test_only_editors_manage_stories(samples, cast):
    from django.core.exceptions import PermissionDenied

    checker, story = cast.by_role("checker"), Story.objects.get()
    with pytest.raises(PermissionDenied):
        story_rename(story=story, name="Mine", by=checker)
    with pytest.raises(PermissionDenied):
        story_split(story=story, article_ids=[samples[0].pk], by=checker)
    assert Story.objects.get().name == "Sample 000"


def test_a_renamed_story_keeps_its_name(samples, cast):
    story = story_rename(story=Story.objects.get(), name="  Russia offers arms  ", by=cast.by_role("editor"))

    assert story.name == "Russia offers arms" and story.name_pinned
    assert story.history.first().history_change_reason == "renamed"


def test_a_claim_the_desk_checked_long_ago_is_still_found(sample_paths, tmp_path):
    """Linking reads a bounded slice of the index per key: the most recent holders. A claim
    with a rare wording is found however many other articles came in between."""
    first = import_and_extract(sample_paths[0], title="Long ago")
    for n in range(30):
        filler = tmp_path / f"filler-{n}.txt"
        filler.write_text(
            f"Residents of district {n} voted on a new park plan on Saturday. "
            f'"We need more trees in district {n} and more benches along the river," said organiser Pat Doe{n}.',
            encoding="utf-8",
        )
        import_and_extract(filler)

    later = import_and_extract(sample_paths[1], title="Now")

    assert link_between(quote_item(later, STARTED), quote_item(first, STARTED)).relation == "same"


def test_linking_one_more_article_costs_the_same_number_of_queries_however_big_the_desk(
    sample_paths, tmp_path, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def link_cost(article):
        with CaptureQueriesContext(connection) as queries:
            article_link(article=article)
        return len(queries)

    small = [import_and_extract(path) for path in sample_paths[:2]]
    cost_small = link_cost(small[1])
    for path in sample_paths[2:]:
        import_and_extract(path)
    assert link_cost(small[1]) <= cost_small + 2


def test_fingerprints_are_replaced_not_added_when_an_article_is_linked_again(samples):
    count = ClaimFingerprint.objects.filter(article=samples[0]).count()
    article_link(article=samples[0])
    assert ClaimFingerprint.objects.filter(article=samples[0]).count() == count > 0


def test_a_claim_gets_one_variant_check_whatever_order_the_articles_are_linked_in(sample_paths):
    from django.db.models import Count

    bodies = {"a": sample_paths[0], "b": sample_paths[1], "c": sample_paths[0]}
    articles = {
        key: article_upsert(source=f"desk-{key}", external_id=path.stem, body=path.read_text(encoding="utf-8")).article
        for key, path in bodies.items()
    }
    for key in ("c", "b", "a", "b", "c"):  # the later articles first, then again
        checklist_extract(article_id=articles[key].pk)
        Article.objects.filter(pk=articles[key].pk).update(checklist_status="pending")

    doubles = (
        ChecklistItem.objects.filter(origin=ItemOrigin.LINKED)
        .values("article", "start", "end").annotate(n=Count("pk")).filter(n__gt=1)
    )
    assert not doubles.exists()
    assert ChecklistItem.objects.filter(origin=ItemOrigin.LINKED, article=articles["b"]).exists()


def test_linking_an_article_again_keeps_the_links_other_articles_found_to_it(sample_paths, monkeypatch):
    """Each item compares its likeliest candidates and keeps at most MAX_LINKS_PER_ITEM of
    what it finds; the links later copies found to it are not its to drop, and linking
    anything again changes nothing."""
    from articles.services import stories

    monkeypatch.setattr(stories, "MAX_LINKS_PER_ITEM", 1)
    monkeypatch.setattr(stories, "CANDIDATES_PER_ITEM", 1)
    copies = [
        article_upsert(source=f"wire-{n}", external_id="story", body=sample_paths[0].read_text(encoding="utf-8")).article
        for n in range(3)
    ]
    for article in copies:
        checklist_extract(article_id=article.pk)
    oldest, middle, newest = (quote_item(article, STARTED) for article in copies)
    assert link_between(middle, oldest) and link_between(newest, middle)

    def desk():
        return (
            set(ClaimLink.objects.values_list("item_id", "other_id", "relation")),
            set(ChecklistItem.objects.filter(origin=ItemOrigin.LINKED).values_list("pk", flat=True)),
        )

    before = desk()
    for article in (copies[0], copies[1], copies[2], copies[0]):
        article_link(article=article)
    links, checks = desk()

    assert link_between(oldest, middle), "found by the middle copy, kept when the oldest links again"
    oldest.refresh_from_db()
    assert oldest.has_related
    assert link_between(oldest, newest), "the oldest's own pick, now that it compares the newest too"
    assert checks == before[1]
    assert links >= before[0]
    linked_again = desk()
    for article in copies:
        article_link(article=article)
    assert desk() == linked_again


def test_a_copy_of_a_linked_article_is_linked_as_comparing_its_claims_would_link_it(samples, sample_paths, monkeypatch):
    """A wire story imported again under another source: its claims are the copy's, so
    their links are the copy's plus the copy itself, found without searching for candidates."""
    from articles.services import stories

    compared = []
    compare = stories._related_pairs
    monkeypatch.setattr(stories, "_related_pairs", lambda *args: compared.append(args) or compare(*args))
    copy = article_upsert(source="wire", external_id="again", body=sample_paths[1].read_text(encoding="utf-8")).article

    checklist_extract(article_id=copy.pk)

    def linked():
        return (
            set(ClaimLink.objects.filter(item__article=copy).values_list("item__start", "item__kind", "other", "relation")),
            set(ClaimLink.objects.filter(other__article=copy).values_list("item", "other__start", "other__kind", "relation")),
            {(check.start, check.value["variant_of"]["item"]) for check in copy.items.filter(origin=ItemOrigin.LINKED)},
            Article.objects.get(pk=copy.pk).story_id,
        )

    as_the_copy = linked()
    assert not compared, "a copy compares no candidates"
    assert {relation for *_, relation in as_the_copy[0]} == {"same", "variant"}
    assert as_the_copy[2], "the copy's variants are checks here too"
    assert as_the_copy[3] == samples[1].story_id

    ClaimLink.objects.filter(Q(item__article=copy) | Q(other__article=copy)).delete()
    copy.items.filter(origin=ItemOrigin.LINKED).delete()
    monkeypatch.setattr(stories, "_linked_copy", lambda *args: None)
    article_link(article=copy)

    assert compared
    assert linked() == as_the_copy


def test_a_claim_reworded_in_place_loses_the_links_of_its_old_words(samples):
    """The engine refreshes an item's words in place (same item, new text): the links its old
    words had go, even to claims its new words no longer lead to."""
    first, second = quote_item(samples[0], STARTED), quote_item(samples[1], STARTED)
    assert link_between(second, first).relation == "same"

    ChecklistItem.objects.filter(pk=second.pk).update(text='"Nothing about factories, only the harvest in the valley."')
    article_link(article=samples[1])

    assert not ClaimLink.objects.filter(item=second, other=first).exists()
    assert not ClaimLink.objects.filter(item=first, other=second).exists()


# --- the worker links in a task of its own -------------------------------------------------


def test_the_worker_stores_the_checklist_first_and_links_it_in_a_task_sent_after_commit(
    sample_paths, django_capture_on_commit_callbacks
):
    from articles.services.stories import LINK_PRIORITY, desk_link

    first = import_and_extract(sample_paths[0])
    second = article_upsert(source="desk", external_id="second", body=sample_paths[1].read_text(encoding="utf-8")).article

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        checklist_extract(article_id=second.pk, link_now=False)

    second.refresh_from_db()
    assert second.checklist_status == "ready" and second.desk_link_pending
    assert not ClaimLink.objects.filter(item__article=second).exists()
    (link_task,) = [c for c in callbacks if getattr(c, "task_name", "") == "link_article_to_desk"]
    assert (link_task.args, link_task.priority) == ((second.pk,), LINK_PRIORITY)  # behind waiting extractions

    result = desk_link(article_id=second.pk)

    second.refresh_from_db()
    assert result.links > 0 and not second.desk_link_pending
    assert second.story_id == first.story_id
    assert ClaimLink.objects.filter(item__article=second, other__article=first).exists()
    assert desk_link(article_id=second.pk).links == result.links  # a message delivered twice changes nothing


def test_a_linking_whose_message_was_lost_is_sent_again_once_the_queue_is_empty(
    sample_paths, django_capture_on_commit_callbacks
):
    import datetime

    from django.utils import timezone

    from articles.services.stories import desk_links_recover

    article = article_upsert(source="desk", external_id="lost", body=sample_paths[0].read_text(encoding="utf-8")).article
    with django_capture_on_commit_callbacks(execute=False):
        checklist_extract(article_id=article.pk, link_now=False)
    Article.objects.filter(pk=article.pk).update(checklist_changed_at=timezone.now() - datetime.timedelta(minutes=5))

    with django_capture_on_commit_callbacks(execute=False):
        assert desk_links_recover(queue_is_empty=lambda: False, lost_after=datetime.timedelta(minutes=1)) == []
        assert desk_links_recover(queue_is_empty=lambda: True, lost_after=datetime.timedelta(minutes=1)) == [article.pk]
        assert desk_links_recover(queue_is_empty=lambda: True, lost_after=datetime.timedelta(minutes=10)) == []
