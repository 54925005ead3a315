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
        page.console_messages = []
        page.on("console", lambda message: page.console_messages.append(message.text))
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


def csp_violations(page) -> list[str]:
    """What the browser refused under the Content-Security-Policy, as it reports it in the console."""
    return [text for text in page.console_messages if "Content Security Policy" in text]


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
    required = sample.items.filter(tier="required").count()
    assert page.locator("#article-body mark.hl").count() >= total
    assert page.locator("#article-body a.hl-tag").count() == total, "one labelled anchor per item"
    assert progress_text(page).startswith(f"0 of {required} required checked")
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
    resolved_required = 1 if target.is_required else 0
    assert progress_text(page).startswith(f"{resolved_required} of {required} required checked")
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
    assert csp_violations(page) == [], "the pages and their updates load with no Content-Security-Policy violation"


def test_every_kind_of_page_loads_under_the_content_security_policy(open_page, cast, sample):
    cast.editor.is_staff = True
    cast.editor.save()
    page = open_page(cast.editor)
    base = page.url.rstrip("/")
    assert "default-src 'self'" in page.request.get(f"{base}/").headers["content-security-policy"]

    from articles.services.items import item_verify
    from articles.templatetags.newsroom import percent

    required = sample.items.filter(tier="required").order_by("start")
    item_verify(item_id=required[0].pk, by=cast.editor)
    page.goto(f"{base}/articles/{sample.pk}/")
    bar = page.locator("#summary .progress-bar").bounding_box()
    track = page.locator("#summary .progress").bounding_box()
    expected = percent(1, required.count())
    assert abs(bar["width"] - track["width"] * expected / 100) < 1.5, "the bar is as long as its class says"

    page.goto(f"{base}/account/notifications/")
    page.get_by_role("checkbox", name="Each morning, my open items, by email").uncheck()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your notification settings are saved.")).to_be_visible()
    expect(page.get_by_role("checkbox", name="Each morning, my open items, by email")).not_to_be_checked()

    page.goto(f"{base}/admin/")
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
    page.goto(f"{base}/admin/articles/checklistitem/")
    page.locator("#changelist-form select[name=action]").wait_for()

    page.goto(f"{base}/api/v1/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Fact-check checklist API")
    page.locator(".swagger-ui .opblock").first.wait_for()

    assert csp_violations(page) == []
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


def mark_first_item_incorrect_without_a_note(open_page, cast, sample):
    """Open the article as an editor and press "Incorrect" on its first item with no note."""
    target = sample.items.order_by("start").first()
    page = open_page(cast.editor)
    page.goto(f"{page.url}articles/{sample.pk}/")
    item = page.locator(f"#item-{target.pk}")
    open_actions(item)
    item.get_by_role("button", name="Incorrect").click()
    return page, item, target


def test_a_verdict_needs_a_note_and_the_reason_is_shown(open_page, cast, sample):
    page, item, target = mark_first_item_incorrect_without_a_note(open_page, cast, sample)
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
    page.get_by_text("Added “", exact=False).first.wait_for()

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


# --- on deadline ------------------------------------------------------------------------


@pytest.fixture
def deadline_page(site, deadline):
    """The article of the ``deadline`` fixture, served by the live server."""
    return deadline


def boxes_overlap(a, b) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"]
    )


def test_a_sentence_with_several_checks_shows_them_under_one_heading(open_page, cast, deadline_page):
    article, quote = deadline_page["article"], deadline_page["quote"]
    page = open_page(cast.editor)
    page.goto(f"{page.url}articles/{article.pk}/")

    group = page.locator(".tier-section-required .sentence-group").filter(
        has=page.get_by_role("heading", name=re.compile(r"Sentence: .I leave a city"))
    )
    expect(group).to_have_count(1)
    expect(group.locator("h4.sentence")).to_have_count(1)
    expect(group.locator("li.item")).to_have_count(3)
    ids = group.locator("li.item").evaluate_all("items => items.map(item => item.id)")
    assert ids == [f"item-{deadline_page[name].pk}" for name in ("quote", "figure", "date")], "text order"
    expect(group.get_by_text("3 checks")).to_be_visible()
    # Required sentences come first: the first sentence of the text heads the checklist.
    first_heading = page.locator("#checklist-groups h4.sentence").first
    expect(first_heading).to_contain_text("The mayor resigned on Friday.")
    page.locator(f"#sentence-{quote.pk}").scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "article-sentences.png"), full_page=False)
    assert page.errors == []


def test_recommended_items_wait_behind_one_click(open_page, cast, deadline_page):
    article, declined = deadline_page["article"], deadline_page["declined"]
    page = open_page(cast.editor)
    page.goto(f"{page.url}articles/{article.pk}/")

    block = page.locator("details#recommended")
    assert block.evaluate("element => element.open") is False, "closed by default"
    expect(page.locator(f"#item-{declined.pk}")).to_be_hidden()

    page.get_by_text("3 more if time allows").click()

    expect(page.locator(f"#item-{declined.pk}")).to_be_visible()
    expect(block.locator("li.item")).to_have_count(3)
    block.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "article-recommended.png"), full_page=False)


def test_a_highlight_of_a_recommended_item_opens_its_block(open_page, cast, deadline_page):
    article, may = deadline_page["article"], deadline_page["may"]
    page = open_page(cast.editor)
    page.goto(f"{page.url}articles/{article.pk}/")

    page.locator(f'#article-body mark[data-item="{may.pk}"]').first.click()

    expect(page.locator(f"#item-{may.pk}")).to_be_visible()
    assert page.locator("details#recommended").evaluate("element => element.open") is True


def test_an_editor_moves_an_item_to_recommended_without_a_reload(open_page, cast, deadline_page):
    article, figure = deadline_page["article"], deadline_page["figure"]
    page = open_page(cast.editor)
    page.goto(f"{page.url}articles/{article.pk}/")
    page.evaluate("window.__sameDocument = true")
    item = page.locator(f"#item-{figure.pk}")
    open_actions(item)

    item.get_by_label(re.compile("^Why move it")).fill("The city's own figure; low risk.")
    item.get_by_role("button", name="Move to recommended").click()

    moved = page.locator(f"details#recommended #item-{figure.pk}")
    expect(moved).to_be_visible()
    expect(moved.locator(".item-head .tier")).to_have_text("Tier: Recommended")
    expect(page.locator("#summary")).to_contain_text("0 of 3 required checked")
    expect(page.locator("#live .flash-success")).to_contain_text("is now recommended")
    assert page.evaluate("window.__sameDocument") is True
    figure.refresh_from_db()
    assert figure.tier == "recommended"


def test_on_a_phone_the_checklist_is_one_tap_from_the_top(open_page, cast, sample):
    page = open_page(cast.checker, width=390, height=844)
    page.goto(f"{page.url}articles/{sample.pk}/")
    heading = page.locator("#checklist-heading")
    assert heading.bounding_box()["y"] > 844 * 3, "the long text stands between the top and the checklist"
    page.screenshot(path=str(SCREENSHOTS / "article-phone.png"), full_page=False)

    required = sample.items.filter(tier="required").count()
    jump = page.get_by_role("link", name=f"Checklist ({required} required)")
    assert jump.bounding_box()["y"] < 844, "the way to the checklist is on the first screen"
    jump.click()

    expect(heading).to_be_in_viewport()
    box = heading.bounding_box()
    bar = page.locator("#section-jump").bounding_box()
    assert bar["y"] + bar["height"] <= box["y"] < 844 / 2, "at the top, not hidden under the bar"
    page.screenshot(path=str(SCREENSHOTS / "article-phone-checklist.png"), full_page=False)

    # The bar stays while reading, and leads back to the text.
    page.get_by_role("link", name="Text", exact=True).click()
    expect(page.locator("#text-heading")).to_be_in_viewport()


def test_an_error_shows_in_an_error_banner_not_a_success_one(open_page, cast, sample):
    page, item, target = mark_first_item_incorrect_without_a_note(open_page, cast, sample)

    banner = page.locator("#alerts .flash-message")
    expect(banner).to_contain_text("a note is required")
    expect(banner).to_have_attribute("role", "alert")
    expect(banner).to_have_class(re.compile(r"\bflash-error\b"))
    expect(page.locator("#live .flash-message")).to_have_count(0)
    colours = banner.evaluate("element => getComputedStyle(element).backgroundColor")
    assert colours == "rgb(253, 236, 236)", "the error colour, not the success green"
    page.locator("#alerts").scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "article-error.png"), full_page=False)

    # A success afterwards replaces the error and looks like a success.
    item.get_by_role("button", name="Start checking").click()
    expect(page.locator("#live .flash-success")).to_contain_text("is now in progress")
    expect(page.locator("#alerts .flash-message")).to_have_count(0)


SELECT_WORDS = """([itemId, chars]) => {
    const mark = document.querySelector(`#article-body mark[data-item="${itemId}"]`);
    const text = mark.firstChild;
    const range = document.createRange();
    range.setStart(text, 0);
    range.setEnd(text, Math.min(text.data.length, chars));
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    const box = range.getBoundingClientRect();
    return {x: box.x, y: box.y, width: box.width, height: box.height};
}"""


def test_the_add_selection_button_stays_clear_of_the_selection_and_goes_with_it(open_page, cast, sample):
    page = open_page(cast.editor)
    page.goto(f"{page.url}articles/{sample.pk}/")
    target = sample.items.order_by("start")[2]
    page.locator(f'#article-body mark[data-item="{target.pk}"]').first.scroll_into_view_if_needed()

    # Selected with the mouse: drag across the words.
    mark = page.locator(f'#article-body mark[data-item="{target.pk}"]').first.bounding_box()
    page.mouse.move(mark["x"] + 1, mark["y"] + mark["height"] / 2)
    page.mouse.down()
    page.mouse.move(mark["x"] + mark["width"] - 1, mark["y"] + mark["height"] / 2, steps=5)
    page.mouse.up()
    selected = page.evaluate(
        "() => { const r = window.getSelection().getRangeAt(0).getBoundingClientRect();"
        " return {x: r.x, y: r.y, width: r.width, height: r.height}; }"
    )
    button = page.get_by_role("button", name="Add selection to checklist")
    expect(button).to_be_visible()
    box = button.bounding_box()
    assert not boxes_overlap(box, selected), "the selected words stay readable"
    assert box["y"] >= selected["y"] + selected["height"], "below the selection"
    text = page.locator("#article-body").bounding_box()
    assert text["x"] <= box["x"] and box["x"] + box["width"] <= text["x"] + text["width"], "within the text column"
    page.screenshot(path=str(SCREENSHOTS / "article-selection.png"), full_page=False)

    # Cleared by a click elsewhere in the text: the button goes.
    page.mouse.click(mark["x"] + mark["width"] + 40, mark["y"] - 40)
    expect(button).to_be_hidden()

    # Made by a script or the keyboard, then cleared without the mouse: it comes and goes too.
    selected = page.evaluate(SELECT_WORDS, [target.pk, 6])
    expect(button).to_be_visible()
    assert not boxes_overlap(button.bounding_box(), selected)
    page.evaluate("() => window.getSelection().removeAllRanges()")
    expect(button).to_be_hidden()


def test_the_add_item_form_is_reached_from_the_top_of_the_checklist(open_page, cast, sample):
    page = open_page(cast.editor)
    page.goto(f"{page.url}articles/{sample.pk}/")

    page.get_by_role("link", name="Add an item").click()

    form = page.locator("#manual-item")
    expect(form.get_by_label("Exact words from the article")).to_be_in_viewport()
    kind = form.get_by_label("Kind")
    assert kind.input_value() == "", "no kind is chosen for the person adding the item"
    expect(kind.locator("option:checked")).to_have_text("Choose a kind…")
