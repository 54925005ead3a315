"""The newsroom pages in a real browser: Playwright driving Debian's Chromium, headless.

Needs the ``playwright`` Python package and ``/usr/bin/chromium`` (``apt-get install -y
chromium``; ``playwright install`` is not used; FACTCHECK_CHROMIUM names another binary). Without them these tests are skipped,
unless FACTCHECK_REQUIRE_SERVICES=1 (CI), where they fail instead. Screenshots of the
queue and the article page are saved in ``screenshots/`` (ignored by git).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from articles.models import Article, ChecklistItem, ItemState, Note

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples"
SCREENSHOTS = REPO / "screenshots"
CHROMIUM = Path(os.environ.get("FACTCHECK_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "correct horse battery staple"
SAMPLE_TITLE = "Russia eyes closer military cooperation with PH, says Russian ambassador"


def _unavailable(message: str) -> None:
    if os.environ.get("FACTCHECK_REQUIRE_SERVICES") == "1":
        pytest.fail(f"{message} (FACTCHECK_REQUIRE_SERVICES=1, so browser tests must run)")
    pytest.skip(message)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        _unavailable(f"Chromium is not installed at {CHROMIUM}; install it with `apt-get install -y chromium`")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright Python package is not installed; `pip install -e '.[test]'`")
    # Playwright's sync API keeps an event loop in this thread while it runs; without this,
    # Django would take the tests' own synchronous database work for async code.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def site(transactional_db, live_server, settings, cast):
    """The live server with the five sample articles imported and their checklists extracted."""
    from django.core.management import call_command

    from articles.services.checklists import checklist_extract
    from factcheck.celery import app as celery_app

    settings.SESSION_COOKIE_SECURE = False  # the live server speaks plain http
    settings.CSRF_COOKIE_SECURE = False
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True  # extract in-process even when a broker is configured
    try:
        call_command("import_articles", str(SAMPLES), verbosity=0)
    finally:
        celery_app.conf.task_always_eager = eager
    for article in Article.objects.exclude(checklist_status="ready"):
        checklist_extract(article_id=article.pk)
    SCREENSHOTS.mkdir(exist_ok=True)
    return live_server


@pytest.fixture
def sample(site):
    article = Article.objects.get(title=SAMPLE_TITLE)
    assert article.items.exists(), "the sample article has a checklist"
    return article


@pytest.fixture
def open_page(browser, site):
    contexts = []

    def signed_in(user, *, width=1366, height=900, javascript=True):
        context = browser.new_context(viewport={"width": width, "height": height}, java_script_enabled=javascript)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.goto(f"{site.url}/")
        assert "/accounts/login/" in page.url, "the queue asks for a login"
        page.get_by_label("User name").fill(user.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{site.url}/")
        return page

    yield signed_in
    for context in contexts:
        context.close()


def expect(locator):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def progress_text(page) -> str:
    return page.locator('#summary [data-testid="progress-text"]').inner_text()


def open_actions(item):
    item.locator("details.item-actions > summary").click()


def test_an_editor_verifies_an_item_and_adds_a_note_without_a_reload(open_page, cast, sample):
    page = open_page(cast.editor)
    assert page.get_by_role("heading", name="Articles to check").is_visible()
    page.screenshot(path=str(SCREENSHOTS / "queue.png"), full_page=True)

    page.get_by_role("link", name=SAMPLE_TITLE).click()
    page.wait_for_url(re.compile(rf"/articles/{sample.pk}/$"))
    total = sample.items.count()
    assert page.locator("#article-body mark.hl").count() >= total
    assert page.locator("#article-body a.hl-tag").count() == total, "one labelled anchor per item"
    assert progress_text(page).startswith(f"0 of {total} resolved")
    page.screenshot(path=str(SCREENSHOTS / "article.png"), full_page=False)
    page.screenshot(path=str(SCREENSHOTS / "article-full.png"), full_page=True)

    # Clicking a highlight jumps to its item; the item's link jumps back.
    target = sample.items.order_by("start").first()
    page.locator(f'#article-body mark[data-item="{target.pk}"]').first.click()
    page.wait_for_url(re.compile(rf"#item-{target.pk}$"))
    item = page.locator(f"#item-{target.pk}")
    assert item.evaluate("element => element === document.activeElement")
    item.get_by_role("link", name=re.compile("Show in text")).click()
    page.wait_for_url(re.compile(rf"#hl-{target.pk}$"))

    page.evaluate("window.__sameDocument = true")
    open_actions(item)
    item.get_by_role("button", name="Verified").click()
    page.locator(f"#item-{target.pk} .state-verified").first.wait_for()
    assert progress_text(page).startswith(f"1 of {total} resolved")
    expect(page.locator("#live")).to_contain_text("is now verified")

    item = page.locator(f"#item-{target.pk}")
    item.get_by_label("Note", exact=True).fill("Matches the embassy's transcript.")
    item.get_by_label(re.compile("^Source")).last.fill("https://example.org/transcript")
    item.get_by_role("button", name="Add note").click()
    item.get_by_text("Matches the embassy's transcript.").wait_for()
    assert item.get_by_role("link", name="https://example.org/transcript").is_visible()
    assert page.evaluate("window.__sameDocument") is True, "the page was never reloaded"

    target.refresh_from_db()
    assert target.state == ItemState.VERIFIED
    assert Note.objects.filter(item=target, body="Matches the embassy's transcript.").exists()
    assert page.errors == []


def test_a_note_with_a_script_is_shown_as_text_and_never_runs(open_page, cast, sample):
    evil = '<script>window.pwned = 1</script><img src="x" onerror="window.pwned = 2">'
    target = sample.items.order_by("start").first()
    page = open_page(cast.reporter)
    page.goto(f"{page.url}articles/{sample.pk}/#item-{target.pk}")
    item = page.locator(f"#item-{target.pk}")
    open_actions(item)

    item.get_by_label("Note", exact=True).fill(evil)
    item.get_by_role("button", name="Add note").click()
    item.locator(".note-body").get_by_text(evil).wait_for()
    assert page.evaluate("typeof window.pwned") == "undefined"

    page.reload()
    assert page.locator(f"#item-{target.pk} .note-body").get_by_text(evil).is_visible()
    assert page.evaluate("typeof window.pwned") == "undefined"


def test_a_verdict_needs_a_note_and_the_reason_is_shown(open_page, cast, sample):
    target = sample.items.order_by("start").first()
    page = open_page(cast.editor)
    page.goto(f"{page.url}articles/{sample.pk}/")
    item = page.locator(f"#item-{target.pk}")
    open_actions(item)

    item.get_by_role("button", name="Incorrect").click()
    page.locator(f"#item-{target.pk} .item-error").wait_for()
    assert "a note is required" in page.locator(f"#item-{target.pk} .item-error").inner_text()
    target.refresh_from_db()
    assert target.state == ItemState.OPEN


def test_a_stale_page_gets_a_conflict_and_the_current_item(open_page, cast, sample):
    from articles.services.items import item_start

    target = sample.items.order_by("start").first()
    page = open_page(cast.editor)
    page.goto(f"{page.url}articles/{sample.pk}/")
    item_start(item_id=target.pk, by=cast.editor)  # changed elsewhere (another tab, the API) meanwhile

    item = page.locator(f"#item-{target.pk}")
    open_actions(item)
    item.get_by_role("button", name="Verified").click()
    error = page.locator(f"#item-{target.pk} .item-error")
    error.wait_for()
    assert "Someone else changed this item" in error.inner_text()
    assert page.locator(f"#item-{target.pk} .item-head .state-in_progress").is_visible()
    target.refresh_from_db()
    assert target.state == ItemState.IN_PROGRESS


def test_selected_words_become_a_manual_item_at_the_right_offsets(open_page, cast, sample):
    page = open_page(cast.editor)
    page.goto(f"{page.url}articles/{sample.pk}/")
    first_mark = sample.items.order_by("start").first()

    # Select from a few characters before the first highlight into it: across segments.
    selected = page.evaluate(
        """(itemId) => {
            const mark = document.querySelector(`#article-body mark[data-item="${itemId}"]`);
            let before = mark.previousSibling;
            while (before && !(before.nodeType === 1 && before.matches("span[data-start]"))) before = before.previousSibling;
            const beforeText = before.firstChild, markText = mark.firstChild;
            const range = document.createRange();
            range.setStart(beforeText, Math.max(0, beforeText.data.length - 12));
            range.setEnd(markText, Math.min(markText.data.length, 8));
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
            document.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
            return range.toString();
        }""",
        first_mark.pk,
    )
    button = page.get_by_role("button", name="Add selection to checklist")
    button.click()
    form = page.locator("#manual-item")
    assert form.get_by_label("Exact words from the article").input_value() == selected.strip()
    form.get_by_label("Kind").select_option("statement")
    form.get_by_label(re.compile("^What to check")).fill("Is this right?")
    form.get_by_role("button", name="Add to checklist").click()
    page.get_by_text(f"Added “", exact=False).first.wait_for()

    item = ChecklistItem.objects.get(article=sample, origin="manual")
    assert item.text == selected.strip()
    assert sample.body[item.start : item.end] == selected.strip()
    assert page.locator(f"#item-{item.pk}").is_visible()
    assert page.locator(f"#hl-{item.pk}").count() == 1


def test_the_forms_work_without_javascript(open_page, cast, sample):
    target = sample.items.order_by("start").first()
    page = open_page(cast.editor, javascript=False)
    page.goto(f"{page.url}articles/{sample.pk}/")
    item = page.locator(f"#item-{target.pk}")
    open_actions(item)

    item.get_by_role("button", name="Start checking").click()
    page.wait_for_url(re.compile(rf"/articles/{sample.pk}/#item-{target.pk}$"))
    expect(page.locator("#live")).to_contain_text("is now in progress")
    target.refresh_from_db()
    assert target.state == ItemState.IN_PROGRESS


def test_the_checklist_moves_below_the_text_on_a_narrow_screen(open_page, cast, sample):
    page = open_page(cast.checker, width=800, height=1100)
    page.goto(f"{page.url}articles/{sample.pk}/")
    text = page.locator(".article-text").bounding_box()
    checklist = page.locator(".checklist-panel").bounding_box()
    assert checklist["y"] >= text["y"] + text["height"], "stacked, not side by side"
    page.screenshot(path=str(SCREENSHOTS / "article-tablet.png"), full_page=False)

    wide = open_page(cast.checker, width=1366)
    wide.goto(f"{wide.url}articles/{sample.pk}/")
    text = wide.locator(".article-text").bounding_box()
    checklist = wide.locator(".checklist-panel").bounding_box()
    assert checklist["x"] >= text["x"] + text["width"], "side by side on a wide screen"


def test_the_page_can_be_used_with_the_keyboard(open_page, cast, sample):
    page = open_page(cast.editor)
    page.goto(f"{page.url}articles/{sample.pk}/")

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # The first labelled highlight anchor is reachable and leads to its item.
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('hl-tag')"):
            break
    else:
        pytest.fail("no highlight anchor could be reached with Tab")
    item_id = page.evaluate("document.activeElement.dataset.item")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"#item-{item_id}$"))
    assert page.evaluate("document.activeElement.id") == f"item-{item_id}"
