"""The newsroom pages with Django's test client: access, permissions, escaping, CSRF, conflicts."""

import html
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import strip_tags

from articles.models import ChecklistItem, ItemState, Note
from articles.services.items import item_verify
from articles.services.progress import article_progress_refresh
from articles.templatetags.newsroom import highlight_body
from tests.factories import ArticleFactory, ChecklistItemFactory, NoteFactory
from tests.ui.conftest import DEADLINE_BODY, place

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def article_url(article):
    return reverse("newsroom:article", args=[article.pk])


def state_url(item):
    return reverse("newsroom:item_state", args=[item.pk])


def assign_url(item):
    return reverse("newsroom:item_assign", args=[item.pk])


def note_url(item):
    return reverse("newsroom:item_note", args=[item.pk])


def body_region(content: str) -> str:
    match = re.search(r'<div id="article-body"[^>]*>(.*?)</div>', content, flags=re.DOTALL)
    assert match, "the page has the article text"
    return match.group(1)


def fetch(client, url, data):
    """What the page's script sends."""
    return client.post(url, data, headers={"X-Requested-With": "fetch"})


# --- access -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["home", "article"])
def test_pages_need_a_signed_in_user(client, article, name):
    url = reverse("newsroom:home") if name == "home" else article_url(article)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


def test_actions_need_a_signed_in_user(client, items):
    response = client.post(state_url(items["money"]), {"state": "verified", "version": 1})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert ChecklistItem.objects.get(pk=items["money"].pk).state == ItemState.OPEN


def test_signing_in_leads_to_the_queue(client, cast, article):
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in page.content.decode()

    response = client.post(reverse("login"), {"username": cast.editor.username, "password": PASSWORD}, follow=True)

    assert response.redirect_chain[-1][0] == "/"
    assert "Articles to check" in response.content.decode()
    assert "Council budget" in response.content.decode()


def test_a_user_without_a_newsroom_role_is_refused(login, cast, article):
    client = login(cast.outsider)

    assert client.get(reverse("newsroom:home")).status_code == 403
    assert client.get(article_url(article)).status_code == 403


def test_an_unknown_article_or_item_is_not_found(login, cast):
    client = login(cast.editor)

    assert client.get(reverse("newsroom:article", args=[999_999])).status_code == 404
    assert client.post(reverse("newsroom:item_state", args=[999_999]), {"state": "verified", "version": 1}).status_code == 404
    assert client.post(reverse("newsroom:item_note", args=[999_999]), {"body": "x"}).status_code == 404
    assert client.post(reverse("newsroom:item_add", args=[999_999]), {"text": "x", "kind": "date"}).status_code == 404


def test_actions_only_accept_post(login, cast, items):
    assert login(cast.editor).get(state_url(items["money"])).status_code == 405


# --- queue ------------------------------------------------------------------------------


def test_the_queue_shows_progress_and_readiness(login, cast, items):
    ChecklistItem.objects.filter(pk=items["money"].pk).update(state=ItemState.VERIFIED)
    article_progress_refresh([items["money"].article_id])  # a bulk write recounts, as the services do
    ArticleFactory(title="Finished story", checklist_status="ready")

    content = login(cast.editor).get(reverse("newsroom:home")).content.decode()

    assert "Council budget" in content
    assert "1 / 3 resolved" in content
    assert "2 required to check" in content
    assert "Ready to publish" in content  # the finished story has no items left


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ({"readiness": "ready"}, ["Done story"], ["Council budget", "Wrong story"]),
        ({"readiness": "blocked"}, ["Wrong story"], ["Council budget", "Done story"]),
        ({"readiness": "not_ready"}, ["Council budget", "Wrong story", "Pending story"], ["Done story"]),
        ({"status": "pending"}, ["Pending story"], ["Council budget"]),
        ({"source": "wire"}, ["Wrong story"], ["Council budget", "Done story"]),
        ({"q": "wrong"}, ["Wrong story"], ["Council budget", "Done story"]),
    ],
)
def test_the_queue_can_be_filtered(login, cast, items, query, shown, hidden):
    ChecklistItemFactory(article=ArticleFactory(title="Done story", checklist_status="ready"), verified=True)
    ChecklistItemFactory(
        article=ArticleFactory(title="Wrong story", source="wire", checklist_status="ready"), incorrect=True
    )
    ArticleFactory(title="Pending story", checklist_status="pending")

    response = login(cast.editor).get(reverse("newsroom:home"), query)

    assert response.status_code == 200
    table = response.content.decode().split('id="my-items"')[0]
    for title in shown:
        assert title in table
    for title in hidden:
        assert title not in table


def test_the_queue_lists_my_unresolved_items_across_articles(login, cast, items):
    other = ChecklistItemFactory(article=ArticleFactory(title="Other story"), assignee=cast.checker, kind="date")
    ChecklistItemFactory(article=ArticleFactory(title="Old story"), assignee=cast.checker, verified=True)

    content = login(cast.checker).get(reverse("newsroom:home")).content.decode()
    my_items = content.split('id="my-items"')[1]

    assert f"#item-{items['quote'].pk}" in my_items
    assert f"#item-{other.pk}" in my_items
    assert "Old story" not in my_items


# --- article page -----------------------------------------------------------------------


def test_the_article_page_shows_the_text_with_every_item_highlighted(login, cast, items):
    response = login(cast.editor).get(article_url(items["money"].article))

    assert response.status_code == 200
    content = response.content.decode()
    region = body_region(content)
    for item in items.values():
        assert f'id="hl-{item.pk}"' in region, "every item has a labelled anchor in the text"
        assert f'href="#item-{item.pk}"' in region
        assert f'id="item-{item.pk}"' in content, "and an entry in the checklist"
        assert f'href="#hl-{item.pk}"' in content, "which links back to the text"
    assert 'aria-label="Money (open): go to checklist item"' in region, "the kind is named, not only coloured"
    assert "Ann Lee" in content and "Check the council minutes." in content


def test_the_checklist_says_whether_a_source_is_named_or_unnamed(login, cast, article):
    unnamed = ChecklistItemFactory(
        article=article, kind="attribution", start=0, end=7, text=article.body[:7],
        value={"source": "officials", "source_type": "unnamed"},
    )
    named = ChecklistItemFactory(
        article=article, kind="attribution", start=8, end=14, text=article.body[8:14],
        value={"source": "Ann Lee", "source_type": "named"},
    )
    quote = ChecklistItemFactory(
        article=article, kind="quote", start=15, end=20, text=article.body[15:20], speaker="Ann Lee",
        value={"source_type": "named", "said_as": "she"},
    )

    content = login(cast.editor).get(article_url(article)).content.decode()

    assert f'id="item-{unnamed.pk}"' in content and "Unnamed source" in content
    assert f'id="item-{named.pk}"' in content and content.count("Named source") == 1, (
        "a named source is labelled on a claim resting on it; a quote of a named speaker needs no label"
    )
    assert f'id="item-{quote.pk}"' in content


def test_a_changed_claim_shows_its_old_words_and_a_removed_one_is_set_apart(login, cast, items):
    money, quote = items["money"], items["quote"]
    ChecklistItem.objects.filter(pk=money.pk).update(anchor="changed", previous_text="$4-million")
    ChecklistItem.objects.filter(pk=quote.pk).update(anchor="removed")
    article_progress_refresh([quote.article_id])

    content = login(cast.editor).get(article_url(money.article)).content.decode()

    assert "Words changed" in content and "<del>$4-million</del>" in content
    removed_section = content[content.index('id="group-removed"') :]
    assert f'id="item-{quote.pk}"' in removed_section
    assert f'id="hl-{quote.pk}"' not in body_region(content), "a removed claim is not highlighted in the text"
    assert f'id="hl-{money.pk}"' in body_region(content)


def test_overlapping_items_are_cut_into_segments(items):
    money, statement = items["money"], items["statement"]
    body = money.article.body

    rendered = str(highlight_body(body, [money, statement, items["quote"]]))

    starts = [int(s) for s in re.findall(r'data-start="(\d+)"', rendered)]
    assert starts == sorted(starts) and starts[0] == 0
    assert money.start in starts and money.end in starts and statement.start in starts
    inner = re.search(rf'<mark[^>]*data-start="{money.start}"[^>]*>', rendered).group(0)
    assert f'data-items="{money.pk} {statement.pk}"' in inner, "innermost first, then the item around it"
    assert "depth-2" in inner


def test_highlighting_keeps_the_body_text_exactly(login, cast, items):
    content = login(cast.editor).get(article_url(items["money"].article)).content.decode()

    assert html.unescape(strip_tags(body_region(content))) == items["money"].article.body


@pytest.mark.parametrize(
    "body",
    [
        'Tom & Jerry <script>alert("x")</script> said 5 > 3.\n\nIt\'s "fine".',
        "Line one\r\nLine two with 40% and an emoji 😀 then 12 people.\n\n\n  Indented.",
        "",
    ],
)
def test_highlighting_keeps_tricky_bodies_exactly(body):
    article = ArticleFactory(body=body)
    items = []
    for words, kind in [("5 > 3", "number"), ("40%", "number"), ("12 people", "number"), ("emoji 😀 then 12", "statement")]:
        if words in body:
            start = body.index(words)
            items.append(ChecklistItemFactory(article=article, kind=kind, start=start, end=start + len(words), text=words))

    rendered = str(highlight_body(body, items))

    assert "<script>" not in rendered
    text = html.unescape(strip_tags(rendered))
    assert text == body
    for segment in re.finditer(r'data-start="(\d+)"[^>]*>([^<]*)<', rendered):
        start, raw = int(segment.group(1)), html.unescape(segment.group(2))
        assert body[start : start + len(raw)] == raw, "every segment's data-start is its offset in the body"


def test_the_checklist_can_be_grouped_by_kind(login, cast, items):
    content = login(cast.editor).get(article_url(items["money"].article), {"group": "kind"}).content.decode()

    assert 'id="group-money"' in content and 'id="group-quote"' in content and 'id="group-statement"' in content
    assert 'aria-current="true">Kind' in content


def test_controls_follow_the_user_role(login, cast, items):
    url = article_url(items["money"].article)
    quote = items["quote"]  # assigned to the checker

    reporter = login(cast.reporter).get(url).content.decode()
    assert f'action="{note_url(quote)}"' in reporter
    assert f'action="{state_url(quote)}"' not in reporter
    assert "Assign to me" not in reporter
    assert "Add an item the engine missed" not in reporter

    checker = login(cast.checker).get(url).content.decode()
    assert f'action="{state_url(quote)}"' in checker, "a checker works on their own item"
    assert f'action="{state_url(items["money"])}"' not in checker, "but not on someone else's"
    assert "Assign to me" in checker

    editor = login(cast.editor).get(url).content.decode()
    assert f'action="{state_url(items["money"])}"' in editor
    assert 'name="assignee"' in editor and "olga-checker" in editor
    assert "Add an item the engine missed" in editor


# --- permission matrix on the actions ---------------------------------------------------


@pytest.mark.parametrize(
    ("role", "item", "expected"),
    [
        ("reporter", "money", 403),
        ("cms", "money", 403),
        ("checker", "money", 403),  # not assigned to them
        ("checker", "quote", 302),  # assigned to them
        ("other_checker", "quote", 403),
        ("editor", "money", 302),
        ("editor", "quote", 302),
    ],
)
def test_who_may_change_the_state(login, cast, items, role, item, expected):
    target = items[item]
    user = getattr(cast, role)

    response = login(user).post(state_url(target), {"state": "verified", "version": target.version})

    assert response.status_code == expected
    target.refresh_from_db()
    assert target.state == (ItemState.VERIFIED if expected == 302 else ItemState.OPEN)
    if expected == 403:
        assert "not saved" in response.content.decode()


@pytest.mark.parametrize(
    ("role", "expected"), [("reporter", 302), ("checker", 302), ("editor", 302), ("cms", 403)]
)
def test_who_may_add_a_note(login, cast, items, role, expected):
    response = login(getattr(cast, role)).post(note_url(items["money"]), {"body": "Called the council.", "source": ""})

    assert response.status_code == expected
    assert Note.objects.filter(item=items["money"], body="Called the council.").exists() == (expected == 302)


@pytest.mark.parametrize(
    ("role", "assignee", "expected"),
    [
        ("reporter", "me", 403),
        ("cms", "me", 403),
        ("checker", "me", 302),
        ("checker", "other_checker", 403),
        ("editor", "other_checker", 302),
        ("editor", "me", 302),
    ],
)
def test_who_may_assign(login, cast, items, role, assignee, expected):
    user = getattr(cast, role)
    value = "me" if assignee == "me" else str(getattr(cast, assignee).pk)
    target = items["money"]

    response = login(user).post(assign_url(target), {"assignee": value, "version": target.version})

    assert response.status_code == expected
    target.refresh_from_db()
    if expected == 302:
        assert target.assignee == (user if assignee == "me" else getattr(cast, assignee))
    else:
        assert target.assignee is None


def test_a_checker_can_release_their_own_item(login, cast, items):
    quote = items["quote"]

    response = login(cast.checker).post(assign_url(quote), {"assignee": "", "version": quote.version})

    assert response.status_code == 302
    quote.refresh_from_db()
    assert quote.assignee is None


@pytest.mark.parametrize(("role", "expected"), [("editor", 302), ("checker", 403), ("reporter", 403), ("cms", 403)])
def test_who_may_add_a_manual_item(login, cast, article, role, expected):
    words = "Mayor Ann Lee"
    start = article.body.index(words)

    response = login(getattr(cast, role)).post(
        reverse("newsroom:item_add", args=[article.pk]),
        {"text": words, "start": start, "end": start + len(words), "kind": "name", "guidance": "Her title?"},
    )

    assert response.status_code == expected
    assert article.items.filter(kind="name", start=start).exists() == (expected == 302)


def test_a_manual_item_without_offsets_is_found_by_its_words(login, cast, article):
    response = login(cast.editor).post(
        reverse("newsroom:item_add", args=[article.pk]), {"text": " on Monday ", "kind": "date"}
    )

    assert response.status_code == 302
    item = article.items.get(kind="date")
    assert article.body[item.start : item.end] == "on Monday"
    assert response["Location"].endswith(f"#item-{item.pk}")


def test_a_manual_item_whose_offsets_do_not_match_is_refused(login, cast, article):
    response = login(cast.editor).post(
        reverse("newsroom:item_add", args=[article.pk]), {"text": "Monday", "start": 0, "end": 6, "kind": "date"}
    )

    assert response.status_code == 400
    assert "do not match" in response.content.decode()
    assert not article.items.exists()


# --- workflow answers -------------------------------------------------------------------


def test_a_verdict_without_a_note_is_refused_with_the_reason(login, cast, items):
    money = items["money"]

    response = login(cast.editor).post(state_url(money), {"state": "incorrect", "note": "  ", "version": money.version})

    assert response.status_code == 400
    assert "a note is required" in response.content.decode()
    money.refresh_from_db()
    assert money.state == ItemState.OPEN


def test_a_verdict_with_a_note_saves_the_note_and_its_source(login, cast, items):
    money = items["money"]

    response = login(cast.editor).post(
        state_url(money),
        {"state": "incorrect", "note": "The minutes say $4.2 million.", "source": "https://example.org/minutes",
         "version": money.version},
        follow=True,
    )

    assert response.status_code == 200
    money.refresh_from_db()
    assert money.state == ItemState.INCORRECT
    content = response.content.decode()
    assert "The minutes say $4.2 million." in content
    assert 'href="https://example.org/minutes"' in content
    assert "is now incorrect" in content, "the outcome is announced"


def test_a_stale_version_is_a_conflict_that_shows_the_item_as_it_is_now(login, cast, items):
    money = items["money"]
    seen = money.version
    # Someone else acts while the page is open, through the same service.
    item_verify(item_id=money.pk, by=cast.editor, expected_version=seen)

    response = login(cast.editor).post(
        state_url(money), {"state": "incorrect", "note": "My careful note", "version": seen}
    )

    assert response.status_code == 409
    content = response.content.decode()
    assert "Someone else changed this item" in content
    assert "it is now verified" in content
    item_html = content.split(f'id="item-{money.pk}"')[1].split("</li>")[0]
    assert f'name="version" value="{seen + 1}"' in content
    assert "My careful note" in content, "what the user typed is kept"
    assert "Verified" in item_html
    money.refresh_from_db()
    assert money.state == ItemState.VERIFIED


def test_the_script_gets_fragments_with_the_item_and_the_progress(login, cast, items):
    money = items["money"]

    response = fetch(login(cast.editor), state_url(money), {"state": "verified", "version": money.version})

    assert response.status_code == 200
    assert response["X-Newsroom-Fragment"] == "1"
    content = response.content.decode()
    assert f'<li id="item-{money.pk}"' in content
    assert 'id="summary"' in content and "1 of 3 required checked (33%)" in content
    assert 'id="article-body"' in content
    assert "is now verified" in content
    assert "<html" not in content


def test_the_script_gets_the_conflict_as_a_fragment_too(login, cast, items):
    money = items["money"]

    response = fetch(login(cast.editor), state_url(money), {"state": "verified", "version": money.version + 5})

    assert response.status_code == 409
    assert f'<li id="item-{money.pk}"' in response.content.decode()
    assert "Someone else changed this item" in response.content.decode()


def test_a_note_added_by_the_script_appears_in_the_item(login, cast, items):
    response = fetch(login(cast.reporter), note_url(items["quote"]), {"body": "Recording at 12:03.", "source": "tape"})

    assert response.status_code == 200
    assert "Recording at 12:03." in response.content.decode()


def test_a_bad_form_is_refused_with_a_message(login, cast, items):
    response = login(cast.editor).post(state_url(items["money"]), {"state": "sideways", "version": "x"})

    assert response.status_code == 400
    assert "Please correct this" in response.content.decode()


# --- escaping and CSRF ------------------------------------------------------------------

SCRIPT = '<script>window.pwned = 1</script>'


def test_user_supplied_text_is_escaped_everywhere(login, cast, items):
    article = items["money"].article
    article.title = f"Budget {SCRIPT}"
    article.byline = f"By {SCRIPT}"
    article.save()
    ChecklistItem.objects.filter(pk=items["quote"].pk).update(speaker=SCRIPT, guidance=f"Check {SCRIPT}")
    NoteFactory(item=items["money"], body=f"Note {SCRIPT}", source='javascript:alert(1)"><b>x</b>')
    client = login(cast.editor)

    for url in (reverse("newsroom:home"), article_url(article)):
        content = client.get(url).content.decode()
        assert SCRIPT not in content
        assert "&lt;script&gt;window.pwned = 1&lt;/script&gt;" in content
    article_page = client.get(article_url(article)).content.decode()
    assert 'href="javascript:' not in article_page
    assert "<b>x</b>" not in article_page


def test_forms_are_protected_against_cross_site_requests(cast, items):
    money = items["money"]
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.editor)

    forged = client.post(state_url(money), {"state": "verified", "version": money.version})
    assert forged.status_code == 403
    money.refresh_from_db()
    assert money.state == ItemState.OPEN

    page = client.get(article_url(money.article)).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    genuine = client.post(state_url(money), {"state": "verified", "version": money.version, "csrfmiddlewaretoken": token})
    assert genuine.status_code == 302
    money.refresh_from_db()
    assert money.state == ItemState.VERIFIED


def test_every_form_on_the_article_page_carries_a_csrf_token(login, cast, items):
    content = login(cast.editor).get(article_url(items["money"].article)).content.decode()

    post_forms = re.findall(r'<form method="post".*?</form>', content, flags=re.DOTALL)
    assert len(post_forms) > 5
    for form in post_forms:
        assert 'name="csrfmiddlewaretoken"' in form


def test_an_item_address_leads_to_the_item_on_its_article_page(login, cast, items):
    client = login(cast.reporter)
    url = reverse("newsroom:item", args=[items["quote"].pk])

    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{article_url(items['quote'].article)}#item-{items['quote'].pk}"

    fragment = client.get(url, headers={"X-Requested-With": "fetch"})
    assert fragment.status_code == 200
    assert f'<li id="item-{items["quote"].pk}"' in fragment.content.decode()


def test_a_manual_item_added_by_the_script_comes_back_in_the_checklist(login, cast, article):
    words = "Ann Lee"
    start = article.body.index(words)

    response = fetch(
        login(cast.editor),
        reverse("newsroom:item_add", args=[article.pk]),
        {"text": words, "start": start, "end": start + len(words), "kind": "name"},
    )

    assert response.status_code == 200
    item = article.items.get(kind="name")
    content = response.content.decode()
    assert 'id="checklist-groups"' in content and f'id="item-{item.pk}"' in content
    assert f'id="hl-{item.pk}"' in content
    assert f'data-focus="item-{item.pk}"' in content


def test_an_editor_assigns_every_open_item_of_a_kind_from_the_article_page(login, cast, items):
    article = items["money"].article
    client = login(cast.editor)
    assert 'id="assign-kind"' in client.get(article_url(article)).content.decode()

    response = client.post(
        reverse("newsroom:article_assign", args=[article.pk]),
        {"kind": "money", "assignee": cast.other_checker.pk, "due_at": "2030-01-02T17:30"},
        follow=True,
    )

    assert "1 open money item(s) assigned to olga-checker." in response.content.decode()
    money = ChecklistItem.objects.get(pk=items["money"].pk)
    assert money.assignee == cast.other_checker and money.due_at is not None
    assert ChecklistItem.objects.get(pk=items["statement"].pk).assignee is None


def test_only_editors_see_and_may_use_assignment_by_kind(login, cast, items):
    article = items["money"].article
    client = login(cast.checker)

    assert 'id="assign-kind"' not in client.get(article_url(article)).content.decode()
    response = client.post(
        reverse("newsroom:article_assign", args=[article.pk]), {"kind": "money", "assignee": cast.checker.pk}
    )
    assert response.status_code == 403
    assert ChecklistItem.objects.get(pk=items["money"].pk).assignee is None


# --- on deadline: required first, grouped by sentence -----------------------------------

def section(content: str, element_id: str, closing: str) -> str:
    """The HTML from the element with ``element_id`` to the first ``closing`` tag after it."""
    start = content.index(f'id="{element_id}"')
    return content[start : content.index(closing, start)]


def positions(content: str, *items) -> list[int]:
    return [content.index(f'<li id="item-{item.pk}"') for item in items]


def test_the_default_checklist_shows_each_sentence_once_with_its_checks_beneath_it(login, cast, deadline):
    quote, figure, date = deadline["quote"], deadline["figure"], deadline["date"]

    content = login(cast.editor).get(article_url(deadline["article"])).content.decode()

    assert 'aria-current="true">Sentence' in content, "grouping by sentence is the default view"
    required = section(content, "required-heading", '<details id="recommended"')
    sentence_heading = re.search(rf'<h4 class="sentence" id="sentence-{quote.pk}">(.*?)</h4>', required, re.DOTALL)
    assert sentence_heading, "the sentence of the quote, the figure and the date is a heading"
    words = html.unescape(strip_tags(sentence_heading.group(1)))
    assert words == "Sentence: " + quote.sentence
    headings = [html.unescape(strip_tags(h)) for h in re.findall(r'<h4 class="sentence".*?</h4>', required, re.DOTALL)]
    assert headings.count("Sentence: " + quote.sentence) == 1, "the sentence is shown once for its three checks"
    group = required[required.index(f'id="sentence-{quote.pk}"') :].split("</section>")[0]
    for item in (quote, figure, date):
        assert f'<li id="item-{item.pk}"' in group, "each check of the sentence sits beneath it"
    assert "3 checks" in group
    assert positions(group, quote, figure, date) == sorted(positions(group, quote, figure, date)), "in text order"
    # The checks' words are marked in the sentence, in their kind's colour.
    assert '<mark class="sentence-mark kind-quote">' in sentence_heading.group(1)
    assert '<mark class="sentence-mark kind-date">on 3 March</mark>' in sentence_heading.group(1)


def test_sentences_come_in_text_order_required_ones_first(login, cast, deadline):
    content = login(cast.editor).get(article_url(deadline["article"])).content.decode()

    first, second = content.index(f'id="sentence-{deadline["resigned"].pk}"'), content.index(
        f'id="sentence-{deadline["quote"].pk}"'
    )
    assert first < second, "the first sentence of the text comes first though its item was created later"
    recommended = content.index('<details id="recommended"')
    for name in ("resigned", "quote", "figure", "date"):
        assert content.index(f'<li id="item-{deadline[name].pk}"') < recommended, f"required {name} before"
    for name in ("declined", "superlative", "may"):
        assert content.index(f'<li id="item-{deadline[name].pk}"') > recommended, f"recommended {name} after"


def test_recommended_items_are_collapsed_behind_how_many_more_there_are(login, cast, deadline):
    content = login(cast.editor).get(article_url(deadline["article"])).content.decode()

    details = content[content.index('<details id="recommended"') :]
    opening_tag = details[: details.index(">") + 1]
    assert " open" not in opening_tag, "closed by default"
    assert re.search(r"<summary>.*3 more if time allows", details), "N counts the recommended items"
    block = details[: details.index('id="manual-item"')]
    # Grouped by sentence inside too: the superlative sits under the quote's sentence again.
    assert f'id="sentence-{deadline["superlative"].pk}"' in block
    assert f'id="sentence-{deadline["declined"].pk}"' in block and f'id="sentence-{deadline["may"].pk}"' in block


def test_a_recommended_item_being_worked_on_keeps_its_block_open(login, cast, deadline):
    superlative = deadline["superlative"]

    response = login(cast.editor).post(
        state_url(superlative), {"state": "incorrect", "note": "", "version": superlative.version}
    )

    assert response.status_code == 400
    content = response.content.decode()
    opening_tag = content[content.index('<details id="recommended"') :].split(">")[0]
    assert " open" in opening_tag, "the error is not hidden in a closed block"


def test_the_summary_counts_required_items_and_recommended_apart(login, cast, deadline):
    ChecklistItem.objects.filter(pk=deadline["date"].pk).update(state=ItemState.VERIFIED)
    ChecklistItem.objects.filter(pk=deadline["may"].pk).update(state=ItemState.VERIFIED)
    article_progress_refresh([deadline["article"].pk])

    content = login(cast.editor).get(article_url(deadline["article"])).content.decode()
    summary = section(content, "summary", "</section>")

    assert "1 of 4 required checked (25%)" in summary
    assert "2 recommended still open" in summary
    assert "3 required item(s) are not resolved yet." in summary


def test_every_card_says_its_tier(login, cast, deadline):
    content = login(cast.reporter).get(article_url(deadline["article"])).content.decode()

    for name, label in (("quote", "Required"), ("declined", "Recommended")):
        card = content[content.index(f'<li id="item-{deadline[name].pk}"') :].split("</li>")[0]
        assert re.search(rf'<span class="tier tier-{label.lower()}"[^>]*><span class="visually-hidden">Tier: </span>{label}</span>', card)


def test_only_editors_get_the_control_to_move_an_item_between_tiers(login, cast, deadline):
    url = article_url(deadline["article"])
    quote = deadline["quote"]
    ChecklistItem.objects.filter(pk=quote.pk).update(assignee=cast.checker)

    editor = login(cast.editor).get(url).content.decode()
    card = editor[editor.index(f'<li id="item-{quote.pk}"') :].split("</li>")[0]
    assert 'name="tier" value="recommended"' in card and "Move to recommended" in card
    assert f'<label for="tier-note-{quote.pk}">Why move it?' in card
    recommended_card = editor[editor.index(f'<li id="item-{deadline["may"].pk}"') :].split("</li>")[0]
    assert "Move to required" in recommended_card

    checker = login(cast.checker).get(url).content.decode()
    assert f'action="{state_url(quote)}"' in checker, "the checker works on the item"
    assert 'name="tier"' not in checker, "but does not move items between tiers"
    assert 'name="tier"' not in login(cast.reporter).get(url).content.decode()


def test_an_editor_moves_an_item_to_recommended_with_a_note(login, cast, deadline):
    figure = deadline["figure"]

    response = login(cast.editor).post(
        state_url(figure),
        {"tier": "recommended", "note": "The figure is from the city's own release.", "version": figure.version},
        follow=True,
    )

    figure.refresh_from_db()
    assert figure.tier == "recommended" and figure.tier_pinned
    assert Note.objects.filter(item=figure, body__contains="The figure is from the city's own release.").exists()
    content = response.content.decode()
    assert "is now recommended." in content
    assert content.index(f'<li id="item-{figure.pk}"') > content.index('<details id="recommended"'), "it moved"
    assert "4 more if time allows" in content


def test_moving_an_item_between_tiers_needs_a_note_and_says_so_on_the_card(login, cast, deadline):
    figure = deadline["figure"]

    response = login(cast.editor).post(state_url(figure), {"tier": "recommended", "note": " ", "version": figure.version})

    assert response.status_code == 400
    content = response.content.decode()
    card = content[content.index(f'<li id="item-{figure.pk}"') :].split("</li>")[0]
    assert 'class="item-error" role="alert"' in card and "a note is required" in card
    assert '<div class="alert alert-error" role="alert">' in content
    figure.refresh_from_db()
    assert figure.tier == "required" and not figure.tier_pinned


def test_a_checker_may_not_move_an_item_between_tiers(login, cast, deadline):
    figure = deadline["figure"]
    ChecklistItem.objects.filter(pk=figure.pk).update(assignee=cast.checker)

    response = login(cast.checker).post(
        state_url(figure), {"tier": "recommended", "note": "Not worth it", "version": figure.version}
    )

    assert response.status_code == 403
    assert "Only editors move items" in response.content.decode()
    figure.refresh_from_db()
    assert figure.tier == "required"


def test_a_tier_move_sent_by_the_script_returns_the_whole_checklist(login, cast, deadline):
    may = deadline["may"]

    response = fetch(login(cast.editor), state_url(may), {"tier": "required", "note": "Legal asked.", "version": may.version})

    assert response.status_code == 200
    content = response.content.decode()
    assert 'id="checklist-groups"' in content, "the item changes place: the whole checklist comes back"
    assert content.index(f'<li id="item-{may.pk}"') < content.index('<details id="recommended"')
    assert "1 of 5 required checked" not in content and "0 of 5 required checked (0%)" in content
    assert 'id="checklist-count" class="count">(5 required, 2 recommended)' in content
    assert "Checklist <span class=\"count\">(5 required)</span>" in content, "the phone's jump bar is updated too"
    assert f'data-focus="item-{may.pk}"' in content


def test_a_form_with_neither_verdict_nor_tier_is_refused(login, cast, deadline):
    quote = deadline["quote"]

    response = login(cast.editor).post(state_url(quote), {"note": "hm", "version": quote.version})

    assert response.status_code == 400
    assert "Choose a verdict, or where the item belongs." in response.content.decode()


def test_the_state_and_kind_views_remain(login, cast, deadline):
    client = login(cast.editor)

    by_state = client.get(article_url(deadline["article"]), {"group": "state"}).content.decode()
    assert 'id="group-open"' in by_state and 'aria-current="true">State' in by_state
    assert '<details id="recommended"' not in by_state
    by_kind = client.get(article_url(deadline["article"]), {"group": "kind"}).content.decode()
    assert 'id="group-date"' in by_kind and 'id="group-quote"' in by_kind


def test_a_sentence_is_escaped_like_everything_else(login, cast, article):
    evil = "<script>window.pwned = 1</script>"
    ChecklistItemFactory(article=article, kind="money", sentence=f"Budget {evil} $4.5-million")

    content = login(cast.editor).get(article_url(article)).content.decode()

    assert evil not in content
    assert "Budget &lt;script&gt;window.pwned = 1&lt;/script&gt; $4.5-million" in content


def test_the_sentence_view_costs_no_query_per_item(login, cast, deadline):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(cast.editor)
    small = ArticleFactory(title="Small", body=DEADLINE_BODY, checklist_status="ready")
    ChecklistItemFactory(article=small, kind="date", **place(DEADLINE_BODY, "on Friday"))
    client.get(article_url(small))  # warm the session and permission caches

    with CaptureQueriesContext(connection) as one_item:
        client.get(article_url(small))
    with CaptureQueriesContext(connection) as seven_items:
        client.get(article_url(deadline["article"]))

    assert len(seven_items) == len(one_item), [q["sql"] for q in seven_items.captured_queries]


# --- reaching the checklist and adding to it --------------------------------------------


def test_a_bar_at_the_top_leads_to_the_checklist_in_one_tap(login, cast, deadline):
    content = login(cast.checker).get(article_url(deadline["article"])).content.decode()

    bar = section(content, "section-jump", "</nav>")
    assert content.index('id="section-jump"') < content.index('id="text-heading"'), "above the text"
    assert '<a href="#checklist-heading" class="section-jump-checklist">Checklist <span class="count">(4 required)</span></a>' in bar


def test_the_add_item_form_is_one_link_away_from_the_top_of_the_checklist(login, cast, deadline):
    content = login(cast.editor).get(article_url(deadline["article"])).content.decode()

    link = content.index('<a class="add-item-link" href="#manual-item">Add an item</a>')
    assert link < content.index('id="checklist-groups"'), "before the first card"
    assert 'class="add-item-link"' not in login(cast.checker).get(article_url(deadline["article"])).content.decode()


def test_the_add_item_form_presets_no_kind(login, cast, article):
    content = login(cast.editor).get(article_url(article)).content.decode()

    select = re.search(r'<select name="kind"[^>]*>(.*?)</select>', content, re.DOTALL)
    assert select, "the form has a kind select"
    first_option = re.search(r"<option[^>]*>[^<]*</option>", select.group(1)).group(0)
    assert first_option == '<option value="" selected>Choose a kind…</option>'
    assert select.group(1).count(" selected") == 1


def test_an_item_without_a_kind_is_refused_with_a_clear_error(login, cast, article):
    words = "Mayor Ann Lee"
    start = article.body.index(words)

    response = login(cast.editor).post(
        reverse("newsroom:item_add", args=[article.pk]),
        {"text": words, "start": start, "end": start + len(words), "kind": ""},
    )

    assert response.status_code == 400
    content = response.content.decode()
    assert '<p class="item-error" role="alert">Choose a kind: say what sort of claim this is' in content
    assert f">{words}</textarea>" in content, "the words typed are kept"
    assert not article.items.exists()


# --- messages: errors look like errors --------------------------------------------------


def test_an_error_message_is_an_alert_styled_as_an_error(login, cast, items):
    article = items["money"].article

    response = login(cast.editor).post(
        reverse("newsroom:article_assign", args=[article.pk]), {"kind": "money", "assignee": ""}, follow=True
    )

    content = response.content.decode()
    alerts = section(content, "alerts", "</div>")
    assert '<p class="flash-message flash-error" role="alert">Nothing was assigned:' in alerts
    live = section(content, "live", "</div>")
    assert "Nothing was assigned" not in live and "flash-success" not in content


def test_a_success_message_is_a_polite_status_styled_as_a_success(login, cast, items):
    money = items["money"]

    response = login(cast.editor).post(state_url(money), {"state": "verified", "version": money.version}, follow=True)

    content = response.content.decode()
    live = section(content, "live", "</div>")
    assert 'role="status"' in live
    assert '<p class="flash-message flash-success">“$4.5-million” is now verified.</p>' in live
    assert "flash-error" not in content
