"""Newsroom pages: the queue of articles and the article with its checklist.

Views are thin: parse the form, call the service in ``services.items``, render. Every
write answers in two ways. A plain form post (no JavaScript) is redirected back to the
article on success, and re-renders the whole page with the message on failure. A request
sent by the page's script (header ``X-Requested-With: fetch``) gets HTML fragments that
replace elements with the same id: the item, the progress summary and the highlighted
text. Errors map to statuses: permission → 403, refused by the workflow → 400, stale
version → 409 with the item as it is now.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from functools import wraps
from operator import attrgetter
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.db.models import Count, Prefetch
from django.db.models.functions import Substr
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import Truncator
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import roles, selectors
from .forms import (
    ArticleEditorForm,
    AssignForm,
    AssignKindForm,
    ManualItemForm,
    NoteForm,
    NotificationSettingsForm,
    QueueFilterForm,
    SourceForm,
    StateForm,
)
from .paging import CountWhenNeededPaginator
from .search import article_sources, search_articles
from .models import (
    PROGRESS_FIELDS,
    Article,
    ChecklistItem,
    ChecklistStatus,
    ItemAnchor,
    ItemKind,
    ItemState,
    ItemTier,
    Note,
    Notification,
    NotificationChannel,
    SourceDocument,
    Story,
)
from .services.articles import article_set_editor
from .services.notifications import SettingsRejected, notification_settings_of, notification_settings_update
from .services.evidence import item_verify_from_source, source_add, source_delete, uploaded_bytes
from .services.stories import item_adopt_verdict, stories_merge, story_rename, story_split
from .services.items import (
    article_assign_open_items,
    ItemConflict,
    WorkflowError,
    item_add_manual,
    item_assign,
    item_set_state,
    item_update,
    note_add,
)

READ_PERMISSIONS = ("articles.view_article", "articles.view_checklistitem")
# The first is the default: required items first, each sentence once with its checks beneath it.
GROUPINGS = ("sentence", "state", "kind")
DEFAULT_GROUPING = GROUPINGS[0]
STATE_ORDER = [
    ItemState.OPEN,
    ItemState.IN_PROGRESS,
    ItemState.INCORRECT,
    ItemState.UNVERIFIABLE,
    ItemState.VERIFIED,
    ItemState.DISMISSED,
]
# The buttons of the state form, in this order.
TRANSITION_VERBS = {
    ItemState.IN_PROGRESS: "Start checking",
    ItemState.VERIFIED: "Verified",
    ItemState.INCORRECT: "Incorrect",
    ItemState.UNVERIFIABLE: "Unverifiable",
    ItemState.DISMISSED: "Not a claim",
    ItemState.OPEN: "Reopen",
}
FRAGMENT_HEADER = "X-Newsroom-Fragment"


def newsroom_page(view):
    """Signed in (else to the login page) and allowed to read articles and items (else 403).

    The user's permissions are read once, in one query, for every role check of the request.
    """
    checked = permission_required(READ_PERMISSIONS, raise_exception=True)(view)

    @wraps(view)
    def with_permissions(request, *args, **kwargs):
        roles.load_permissions(request.user)
        return checked(request, *args, **kwargs)

    return login_required(with_permissions)


def wants_fragment(request) -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


# --- queue ------------------------------------------------------------------------------


def queue_readiness(article) -> tuple[str, str]:
    """(css token, label) for an article annotated by ``articles_with_progress``."""
    if article.checklist_status != ChecklistStatus.READY:
        return "pending", f"Checklist {article.get_checklist_status_display().lower()}"
    if article.items_incorrect:
        return "blocked", f"{article.items_incorrect} incorrect"
    unresolved = article.required_total - article.required_resolved
    if unresolved:
        return "open", f"{unresolved} required to check"
    return "ready", "Ready to publish"


# The start of the text, for the headline of an article without a title (the text itself is never read by a list).
HEADLINE_SOURCE = 300
QUEUE_PAGE_SIZE = 25


def attach_headline_sources(articles) -> None:
    """Give the untitled ones among ``articles`` (read without their text) the start of their
    text, for their headline: one query, and only when one of them has no title."""
    untitled: dict[int, list] = {}
    for article in articles:
        if not article.title.strip():
            untitled.setdefault(article.pk, []).append(article)
    if not untitled:
        return
    starts = Article.objects.filter(pk__in=untitled).annotate(start=Substr("body", 1, HEADLINE_SOURCE))
    for pk, start in starts.values_list("pk", "start"):
        for article in untitled[pk]:
            article.body_start = start


@require_GET
@newsroom_page
def queue(request):
    form = QueueFilterForm(request.GET or None, sources=article_sources())
    # The kept progress columns, never the text; each filter is served by an index.
    articles = selectors.article_list()
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            articles = search_articles(articles, data["q"])
        if data["status"]:
            articles = articles.filter(checklist_status=data["status"])
        if data["source"]:
            articles = articles.filter(source=data["source"])
        if data["readiness"] == "ready":
            articles = articles.filter(selectors.READY)
        elif data["readiness"] == "not_ready":
            articles = articles.exclude(selectors.READY)
        elif data["readiness"] == "blocked":
            articles = articles.filter(items_incorrect__gt=0)
    page = CountWhenNeededPaginator(articles, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    for article in page:
        article.readiness_token, article.readiness_label = queue_readiness(article)
    filters = {key: value for key, value in request.GET.items() if key != "page" and value}
    my_items = list(selectors.open_items_assigned_to(request.user)[:100])
    attach_headline_sources([*page, *(item.article for item in my_items)])
    return render(
        request,
        "newsroom/queue.html",
        {
            "form": form,
            "page": page,
            "filtered": bool(filters),
            "filter_query": urlencode(filters),
            "my_items": my_items,
        },
    )


# --- article ----------------------------------------------------------------------------


# An article page lists this many items at a time (and highlights those in the text); a longer
# checklist is read a window at a time, with links to the previous and next ones.
CHECKLIST_WINDOW = 100
# What the order of the checklist is worked out from, for every item of the article.
SORT_FIELDS = ("pk", "tier", "state", "kind", "priority", "start", "end", "anchor", "evidence_match")


def article_items(article, pks=None):
    """The article's items with what their cards show (assignee, notes), in text order; only
    those of ``pks`` when given."""
    notes = Note.objects.select_related("author").order_by("created_at")
    items = article.items.all() if pks is None else article.items.filter(pk__in=pks)
    items = list(
        items.select_related("assignee", "state_changed_by")
        .prefetch_related(Prefetch("notes", queryset=notes))
        .order_by(*selectors.TEXT_ORDER)
    )
    selectors.attach_desk(items)
    return items


def checklist_key(grouping: str):
    """Sort key of an item (or a named ``SORT_FIELDS`` row) in the order the checklist shows it.

    By sentence, required items first then recommended ones, in text order; by state or kind,
    group after group (``group_items`` sorts with it). Items no longer in the text come last,
    as their section does.
    """
    states = {str(state): position for position, state in enumerate(STATE_ORDER)}
    kinds = {kind: position for position, kind in enumerate(ItemKind.values)}

    def key(item):
        if item.anchor == ItemAnchor.REMOVED:
            return (1, 0, item.start, item.end, item.pk)
        if grouping == "state":
            return (0, states.get(item.state, len(states)), -item.priority, item.start, item.pk)
        if grouping == "kind":
            return (0, kinds.get(item.kind, len(kinds)), item.start, item.end, item.pk)
        # Within a tier, the claims that read differently in a source first.
        return (0, item.tier != ItemTier.REQUIRED, item.evidence_match != "variant", item.start, item.end, item.pk)

    return key


def page_number(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number >= 1 else None


def checklist_window(
    article, grouping: str, *, requested=None, focus=None, prefer_requested=False, evidence: str | None = None
) -> dict:
    """Which items of the article's checklist the page shows: window ``requested`` (1-based), or
    the one holding item ``focus``; only the items of that ``evidence`` match when given. One
    query reads every item's sort fields (a few numbers each)."""
    items = article.items.order_by()
    if evidence:
        items = items.filter(evidence_match=evidence)
    rows = sorted(items.values_list(*SORT_FIELDS, named=True), key=checklist_key(grouping))
    ordered = [row.pk for row in rows]
    total = len(ordered)
    pages = max(1, -(-total // CHECKLIST_WINDOW))
    number = min(requested or 1, pages)
    if focus is not None and focus in ordered:
        focus_number = ordered.index(focus) // CHECKLIST_WINDOW + 1
        if not (prefer_requested and requested and requested <= pages):
            number = focus_number
    first = (number - 1) * CHECKLIST_WINDOW
    shown = ordered[first : first + CHECKLIST_WINDOW]
    return {
        "pks": shown,
        "number": number,
        "pages": pages,
        "paged": pages > 1,
        "total": total,
        "first": first + 1 if shown else 0,
        "last": first + len(shown),
        "previous": number - 1 if number > 1 else None,
        "next": number + 1 if number < pages else None,
        "size": CHECKLIST_WINDOW,
        "next_size": min(CHECKLIST_WINDOW, total - first - len(shown)),
    }


def item_page(article, item_id: int, grouping: str) -> int:
    """The window of the article's checklist that holds the item (1 for any article of one window)."""
    return checklist_window(article, grouping, focus=item_id)["number"]


def decorate_item(item, user, *, can_assign_anyone: bool, can_note: bool, error=None, form_data=None, open_=False):
    """Attach what the templates need to show the item's controls for ``user``."""
    item.can_work = roles.can_work_item(user, item)
    item.can_claim = item.assignee_id != user.pk and roles.can_assign(user, item, user)
    item.can_release = item.assignee_id is not None and roles.can_assign(user, item, None)
    item.can_assign_anyone = can_assign_anyone
    item.can_note = can_note
    item.transitions = [
        {"value": state, "verb": TRANSITION_VERBS[state]}
        for state in TRANSITION_VERBS
        if ItemState.can_move(item.state, state)
    ]
    item.can_set_tier = can_assign_anyone and item.anchor != ItemAnchor.REMOVED
    item.error = error
    item.form_data = form_data or {}
    item.open = open_ or bool(error)
    item.heading_level = 4
    return item


def sentence_groups(items, body: str):
    """Items grouped under the sentence they sit in, sentences in text order, checks in text order.

    Items share ``item.sentence``; the same words can stand twice in an article, so an item's
    sentence is placed in the body around the item (the last occurrence that starts at or
    before the item and covers it). A sentence that cannot be placed (the text was revised
    since) is grouped by its words alone; an item without a sentence stands on its own.
    Pure Python over the items already loaded: no queries.
    """
    groups: dict[tuple, dict] = {}
    for item in sorted(items, key=lambda i: (i.start, i.end, i.pk)):
        sentence = (item.sentence or "").strip()
        offset = body.rfind(sentence, 0, item.start + len(sentence)) if sentence else -1
        if not sentence:
            key = ("item", item.pk)
        elif offset < 0 or offset + len(sentence) < item.end:
            key, offset = ("words", sentence), -1
        else:
            key = ("at", offset, sentence)
        group = groups.setdefault(
            key, {"key": item.pk, "sentence": sentence or item.text, "offset": offset, "items": []}
        )
        item.heading_level = 5
        group["items"].append(item)
    ordered = list(groups.values())  # first items were met in text order
    for group in ordered:
        offset = group["offset"]
        # Where each check sits in the sentence, to mark its words in the heading.
        group["spans"] = [
            (i.start - offset, i.end - offset, i)
            for i in group["items"]
            if offset >= 0 and body[i.start : i.end] == i.text
        ]
    # Sentences with a claim that reads differently in a source come first (stable: otherwise in text order).
    ordered.sort(key=lambda group: not any(i.evidence_match == "variant" for i in group["items"]))
    return ordered


def group_items(items, grouping: str):
    """Current items by state or by kind, in the checklist's order (``checklist_key``)."""
    label = ItemKind if grouping == "kind" else ItemState
    return [
        {"key": key, "label": label(key).label, "items": list(members)}
        for key, members in itertools.groupby(sorted(items, key=checklist_key(grouping)), attrgetter(grouping))
    ]


def grouping_of(request) -> str:
    grouping = request.POST.get("group") or request.GET.get("group")
    return grouping if grouping in GROUPINGS else DEFAULT_GROUPING


def requested_page(request) -> int | None:
    return page_number(request.POST.get("page") or request.GET.get("page"))


def article_context(
    request, article, *, errors=None, form_data=None, open_item=None, manual_form=None, focus=None,
    keep_page=False,
):
    """What the article page shows: the article, its progress (kept on the article), and one
    window of its checklist — the requested one, or the one holding ``focus`` (an item just
    changed, or ``?item=`` in the address). ``keep_page``: stay on the requested window even when
    the focused item is not in it (a fragment for the script, which keeps the page it shows)."""
    errors = errors or {}
    grouping = grouping_of(request)
    evidence = evidence_filter_of(request)
    can_assign_anyone = roles.can_assign_anyone(request.user)
    can_note = roles.can_add_note(request.user)
    focus = focus if focus is not None else page_number(request.GET.get("item"))
    window = checklist_window(
        article, grouping, requested=requested_page(request), focus=focus, prefer_requested=keep_page,
        evidence=evidence,
    )
    shown = article_items(article, window["pks"]) if window["pks"] else []
    if open_item is not None and all(item.pk != open_item for item in shown):
        # The item changed has left the window shown (its group changed): its card is still answered.
        shown += article_items(article, [open_item])
    for item in shown:
        decorate_item(
            item,
            request.user,
            can_assign_anyone=can_assign_anyone,
            can_note=can_note,
            error=errors.get(item.pk),
            form_data=(form_data or {}) if item.pk == open_item else None,
            open_=item.pk == open_item,
        )
    in_window = set(window["pks"])
    items = [item for item in shown if item.anchor != ItemAnchor.REMOVED and item.pk in in_window]
    removed_items = [item for item in shown if item.anchor == ItemAnchor.REMOVED and item.pk in in_window]
    required = [item for item in items if item.is_required]
    recommended = [item for item in items if not item.is_required]
    sentence_view = grouping == "sentence"
    people = selectors.assignable_users_marking_editors() if can_assign_anyone else []
    required_count = article.required_total
    recommended_count = article.item_total - article.required_total
    return {
        "article": article,
        "items": items,
        "focus_item_card": next((item for item in shown if item.pk == open_item), None),
        "highlighted_items": [item for item in items if item.anchored_revision == article.revision],
        "removed_items": removed_items,
        "groups": [] if sentence_view else group_items(items, grouping),
        "required_groups": sentence_groups(required, article.body) if sentence_view else [],
        "recommended_groups": sentence_groups(recommended, article.body) if sentence_view else [],
        "required_count": required_count,
        "recommended_count": recommended_count,
        "checklist_empty": article.item_total == 0,
        # Collapsed unless the reader is working on one of them (a form just sent, an error), or
        # has turned to a window of the checklist past its required items.
        "recommended_expanded": any(item.open for item in recommended)
        or (window["number"] > 1 and bool(recommended) and not required),
        "window": window,
        "window_links": window_links(article, grouping, window),
        "grouping": grouping,
        "groupings": [(key, key.title()) for key in GROUPINGS],
        "readiness": selectors.kept_readiness(article),
        "state_choices": [(str(s), ItemState(s).label) for s in STATE_ORDER],
        "kind_choices": ItemKind.choices,
        "can_add_item": roles.can_add_item(request.user),
        "manual_form": manual_form or ManualItemForm(body=article.body),
        "people": people,
        "editors": [person for person in people if person.is_editor],
        "article_editor": selectors.article_editor(article),
        "page_errors": errors,
        **evidence_context(request, article, evidence),
    }


EVIDENCE_FILTERS = {"not_found": "not found in any source", "variant": "reading differently in a source",
                    "exact": "found as is in a source"}


def evidence_filter_of(request) -> str | None:
    value = request.GET.get("evidence")
    return value if value in EVIDENCE_FILTERS else None


def evidence_context(request, article, evidence: str | None) -> dict:
    """The article's sources, and its claims counted by their match in them."""
    sources = list(
        SourceDocument.objects.filter(article=article).select_related("added_by")
        .defer("data", "text").order_by("created_at", "pk")
    )
    counts = dict(
        article.items.current().exclude(evidence_match=None).values_list("evidence_match")
        .annotate(n=Count("pk")).order_by()
    ) if sources else {}
    return {
        "sources": sources,
        "evidence_counts": [(key, label, counts.get(key, 0)) for key, label in EVIDENCE_FILTERS.items()],
        "evidence_filter": evidence,
        "evidence_filter_label": EVIDENCE_FILTERS.get(evidence or ""),
        "can_add_source": roles.can_add_source(request.user),
        "can_delete_source": roles.can_delete_source(request.user),
        "source_form": SourceForm(auto_id="source-%s"),  # ids of its own: the manual-item form has a "text" too
    }


def window_links(article, grouping: str, window: dict) -> dict:
    def link(number):
        return article_url(article, grouping, page=number) if number else None

    return {"previous": link(window["previous"]), "next": link(window["next"])}


def refresh_progress(article) -> None:
    """Read the article's kept progress again, after a change to its items in this request."""
    article.refresh_from_db(fields=[*PROGRESS_FIELDS, "checklist_status", "revision"])


@require_GET
@newsroom_page
def article_detail(request, pk):
    article = get_object_or_404(Article.objects.select_related("story", "editor"), pk=pk)
    return render(request, "newsroom/article.html", article_context(request, article))


@require_GET
@newsroom_page
def item_fragment(request, pk):
    """One item as the checklist shows it (also what the script swaps in)."""
    item = get_object_or_404(ChecklistItem.objects.select_related("article"), pk=pk)
    return respond_item(request, item.article, item.pk, message="")


# --- item actions -----------------------------------------------------------------------


def article_url(article, grouping: str | None = None, anchor: str | None = None, page: int | None = None) -> str:
    url = reverse("newsroom:article", args=[article.pk])
    query = {}
    if grouping and grouping != DEFAULT_GROUPING:
        query["group"] = grouping
    if page and page > 1:
        query["page"] = page
    if query:
        url += "?" + urlencode(query)
    return url + (f"#{anchor}" if anchor else "")


def item_url(article, item_id: int, grouping: str | None = None) -> str:
    """The article page at the window of its checklist that holds the item, scrolled to it."""
    page = item_page(article, item_id, grouping or DEFAULT_GROUPING)
    return article_url(article, grouping, f"item-{item_id}", page=page)


def short(text: str) -> str:
    return Truncator(" ".join(text.split())).chars(50)


def render_fragments(request, context, status=200):
    """The parts of the article page the script swaps in (``_swap.html``), marked as such."""
    response = render(request, "newsroom/_swap.html", context, status=status)
    response[FRAGMENT_HEADER] = "1"
    return response


def respond_item(
    request, article, item_id, *, message, error=None, status=200, form_data=None, whole_checklist=False
):
    """Answer a change to one item: fragments for the script, the page or a redirect otherwise.

    ``whole_checklist``: the item may have moved (between required and recommended), so the
    script gets the whole checklist rather than the one item.
    """
    fragment = wants_fragment(request)
    if not fragment and not error:
        if message:
            messages.success(request, message)
        return redirect(item_url(article, item_id, grouping_of(request)))
    if message or status == 409:  # changed by this request, or by someone else meanwhile
        refresh_progress(article)
    context = article_context(
        request, article, errors={item_id: error} if error else None, form_data=form_data, open_item=item_id,
        focus=item_id, keep_page=fragment and not whole_checklist,
    )
    if not fragment:
        return render(request, "newsroom/article.html", context, status=status)
    context["item"] = context["focus_item_card"]
    context["message"] = error or message
    context["message_is_error"] = bool(error)
    if whole_checklist and not error:
        context.update(swap_checklist=True, focus_item=item_id)
    return render_fragments(request, context, status)


def run_item_action(request, item, action, success_message, form_data, *, whole_checklist=False):
    """Call the service; map its refusals to statuses and messages."""
    try:
        action()
    except ItemConflict as conflict:
        current = conflict.current
        error, status = (
            f"Someone else changed this item while you had it open: it is now "
            f"{current.get_state_display().lower()}"
            f"{' and assigned to ' + current.assignee.get_username() if current.assignee_id else ''}. "
            "Your change was not saved; check the item as it is now and try again."
        ), 409
    except PermissionDenied as denied:
        error, status = str(denied) or "You may not do this.", 403
    except WorkflowError as refused:
        error, status = str(refused), 400
    else:
        return respond_item(request, item.article, item.pk, message=success_message, whole_checklist=whole_checklist)
    return respond_item(request, item.article, item.pk, message="", error=error, status=status, form_data=form_data)


def invalid_form(request, item, form, form_data):
    problems = "; ".join(
        f"{form.fields[name].label or name}: {' '.join(errs)}" if name in form.fields else " ".join(errs)
        for name, errs in form.errors.items()
    )
    return respond_item(
        request, item.article, item.pk, message="", error=f"Please correct this: {problems}", status=400,
        form_data=form_data,
    )


def get_item(pk):
    return get_object_or_404(ChecklistItem.objects.select_related("article", "assignee"), pk=pk)


@require_POST
@newsroom_page
def item_state(request, pk):
    """A verdict (``state``), or an editor's move between required and recommended (``tier``, with a note)."""
    item = get_item(pk)
    form = StateForm(request.POST)
    note_key = "tier_note" if request.POST.get("tier") else "note"
    form_data = {note_key: request.POST.get("note", ""), "source": request.POST.get("source", "")}
    if not form.is_valid():
        return invalid_form(request, item, form, form_data)
    data = form.cleaned_data
    if data["tier"]:
        state = data["state"] or None
        return run_item_action(
            request,
            item,
            lambda: item_update(
                item_id=item.pk,
                by=request.user,
                state=state,
                tier=data["tier"],
                note=data["note"],
                source=data["source"],
                expected_version=data["version"],
            ),
            f"“{short(item.text)}” is now {ItemTier(data['tier']).label.lower()}"
            + (f" and {ItemState(state).label.lower()}." if state else "."),
            form_data,
            whole_checklist=True,
        )
    label = ItemState(data["state"]).label.lower()
    return run_item_action(
        request,
        item,
        lambda: item_set_state(
            item_id=item.pk,
            state=data["state"],
            by=request.user,
            note=data["note"],
            source=data["source"],
            expected_version=data["version"],
        ),
        f"“{short(item.text)}” is now {label}.",
        form_data,
    )


@require_POST
@newsroom_page
def item_assign_view(request, pk):
    item = get_item(pk)
    form = AssignForm(request.POST, user=request.user)
    if not form.is_valid():
        return invalid_form(request, item, form, {})
    data = form.cleaned_data
    assignee = data["assignee"]
    if assignee is None:
        message = f"“{short(item.text)}” is no longer assigned."
    elif assignee.pk == request.user.pk:
        message = f"“{short(item.text)}” is assigned to you."
    else:
        message = f"“{short(item.text)}” is assigned to {assignee.get_username()}."
    return run_item_action(
        request,
        item,
        lambda: item_assign(
            item_id=item.pk, assignee=assignee, by=request.user, due_at=data["due_at"],
            expected_version=data["version"],
        ),
        message,
        {},
    )


@require_POST
@newsroom_page
def item_note(request, pk):
    item = get_item(pk)
    form = NoteForm(request.POST)
    form_data = {"note_body": request.POST.get("body", ""), "note_source": request.POST.get("source", "")}
    if not form.is_valid():
        return invalid_form(request, item, form, form_data)
    data = form.cleaned_data
    return run_item_action(
        request,
        item,
        lambda: note_add(item_id=item.pk, author=request.user, body=data["body"], source=data["source"]),
        f"Note added to “{short(item.text)}”.",
        form_data,
    )


def posted_id_and_version(request, field: str) -> tuple[int, int | None]:
    """The id posted in ``field`` and the item version the form was read at (None when not
    sent); ValueError when either is not a number."""
    version = request.POST.get("version")
    return int(request.POST.get(field, "")), int(version) if version else None


@require_POST
@newsroom_page
def item_adopt(request, pk):
    """Adopt the verdict a colleague reached on the same claim in another article."""
    item = get_item(pk)
    try:
        source_id, version = posted_id_and_version(request, "from")
    except ValueError:
        return respond_item(request, item.article, item.pk, message="", error="Choose a related claim.", status=400)
    return run_item_action(
        request,
        item,
        lambda: item_adopt_verdict(item_id=item.pk, from_item_id=source_id, by=request.user, expected_version=version),
        f"Verdict adopted for “{short(item.text)}”.",
        {},
    )


@require_GET
@newsroom_page
def article_claimreview(request, pk):
    """The article's verdicts as schema.org ClaimReview JSON-LD, downloaded as a file."""
    from .claimreview import article_claim_reviews

    article = get_object_or_404(Article, pk=pk)
    response = JsonResponse(article_claim_reviews(article, request=request), safe=False, json_dumps_params={"indent": 2})
    response["Content-Type"] = "application/ld+json"
    response["Content-Disposition"] = f'attachment; filename="article-{article.pk}-claimreview.jsonld"'
    return response


@require_POST
@newsroom_page
def article_source_add(request, pk):
    """Attach a source document (pasted text, a web address or a file) to the article."""
    article = get_object_or_404(Article.objects.only("pk"), pk=pk)
    form = SourceForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        upload = data.get("file")
        try:
            added = source_add(
                article_id=article.pk, title=data["title"], by=request.user, text=data.get("text") or None,
                url=data.get("url") or None, data=uploaded_bytes(upload) if upload else None,
                filename=upload.name if upload else "", content_type=getattr(upload, "content_type", "") or "",
            )
        except PermissionDenied as denied:
            messages.error(request, str(denied) or "You may not attach sources.")
            return redirect(reverse("newsroom:article", args=[article.pk]) + "#sources")
        except WorkflowError as refused:
            messages.error(request, str(refused))
        else:
            if not added.changed:
                messages.success(request, f"“{added.source.title}” is already attached, unchanged.")
            else:
                messages.success(request, f"“{added.source.title}” attached: it is being read, then the claims are matched against it.")
    else:
        problems = "; ".join(" ".join(errors) for errors in form.errors.values())
        messages.error(request, f"The source was not attached: {problems}")
    return redirect(reverse("newsroom:article", args=[article.pk]) + "#sources")


@require_POST
@newsroom_page
def source_remove(request, pk):
    source = get_object_or_404(SourceDocument.objects.only("pk", "article_id", "title"), pk=pk)
    try:
        source_delete(source_id=source.pk, by=request.user)
    except PermissionDenied as denied:
        messages.error(request, str(denied) or "You may not remove sources.")
    else:
        messages.success(request, f"“{source.title}” removed; the claims were matched again.")
    return redirect(reverse("newsroom:article", args=[source.article_id]) + "#sources")


@require_POST
@newsroom_page
def item_verify_source(request, pk):
    """Verify the item from a source that says it word for word."""
    item = get_item(pk)
    try:
        source_id, version = posted_id_and_version(request, "source")
    except ValueError:
        return respond_item(request, item.article, item.pk, message="", error="Choose a source.", status=400)
    return run_item_action(
        request,
        item,
        lambda: item_verify_from_source(item_id=item.pk, source_id=source_id, by=request.user, expected_version=version),
        f"“{short(item.text)}” verified from its source.",
        {},
    )


# --- stories ----------------------------------------------------------------------------


@require_GET
@newsroom_page
def story_list(request):
    page = Paginator(selectors.story_list(), 50).get_page(request.GET.get("page"))
    stories = list(page.object_list)
    articles = defaultdict(list)
    for article in selectors.story_articles_all().filter(story__in=stories):
        articles[article.story_id].append(article)
    for story in stories:
        story.listed_articles = articles[story.pk]
    return render(request, "newsroom/stories.html", {"page": page, "stories": stories})


@require_http_methods(["GET", "POST"])
@newsroom_page
def story_detail(request, pk):
    """A story's articles; editors rename it, split articles off into a new story, or merge
    another story into it."""
    story = get_object_or_404(Story, pk=pk)
    can_manage = roles.can_manage_stories(request.user)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "rename":
                story_rename(story=story, name=request.POST.get("name", ""), by=request.user)
                messages.success(request, "Story renamed.")
            elif action == "split":
                chosen = [int(pk) for pk in request.POST.getlist("articles") if pk.isdigit()]
                new = story_split(story=story, article_ids=chosen, by=request.user, name=request.POST.get("name", ""))
                messages.success(request, f"{new.articles.count()} article(s) moved to the new story “{new.name}”.")
            elif action == "merge":
                chosen = [int(pk) for pk in request.POST.getlist("stories") if pk.isdigit()]
                others = list(Story.objects.filter(pk__in=chosen).exclude(pk=story.pk))
                stories_merge(into=story, stories=others, by=request.user)
                messages.success(request, f"{len(others)} story(ies) merged into this one.")
            else:
                raise WorkflowError("Choose what to do: rename, split or merge.")
        except PermissionDenied as denied:
            messages.error(request, str(denied) or "You may not do this.")
            return render(request, "newsroom/story.html", _story_context(story, can_manage), status=403)
        except WorkflowError as refused:
            messages.error(request, str(refused))
            return render(request, "newsroom/story.html", _story_context(story, can_manage), status=400)
        return redirect("newsroom:story", pk=story.pk)
    return render(request, "newsroom/story.html", _story_context(story, can_manage))


def _story_context(story, can_manage: bool) -> dict:
    return {
        "story": story,
        "articles": list(selectors.story_articles(story)),
        "can_manage": can_manage,
        "other_stories": list(selectors.story_list().exclude(pk=story.pk)[:50]) if can_manage else [],
    }


@require_POST
@newsroom_page
def item_add(request, pk):
    article = get_object_or_404(Article, pk=pk)
    form = ManualItemForm(request.POST, body=article.body)

    def failed(message, status):
        if wants_fragment(request):
            context = article_context(request, article, manual_form=form, keep_page=True)
            context.update(message=message, message_is_error=True, manual_error=message, swap_manual=True)
            return render_fragments(request, context, status)
        context = article_context(request, article, manual_form=form)
        context["manual_error"] = message
        return render(request, "newsroom/article.html", context, status=status)

    if not form.is_valid():
        return failed(" ".join(" ".join(errs) for errs in form.errors.values()), 400)
    data = form.cleaned_data
    try:
        item = item_add_manual(
            article_id=article.pk, start=data["start"], end=data["end"], kind=data["kind"], by=request.user,
            guidance=data["guidance"].strip(),
        )
    except PermissionDenied as denied:
        return failed(str(denied) or "You may not add items.", 403)
    except WorkflowError as refused:
        return failed(str(refused), 400)
    message = f"Added “{short(item.text)}” to the checklist."
    if wants_fragment(request):
        refresh_progress(article)
        context = article_context(request, article, open_item=None, focus=item.pk)
        context.update(message=message, swap_checklist=True, swap_manual=True, focus_item=item.pk)
        return render_fragments(request, context)
    messages.success(request, message)
    return redirect(item_url(article, item.pk, grouping_of(request)))


@require_POST
@newsroom_page
def article_assign_kind(request, pk):
    """Assign every open item of one kind in the article to one person, then back to the article."""
    article = get_object_or_404(Article, pk=pk)
    if not roles.can_assign_anyone(request.user):
        raise PermissionDenied("Only editors assign items to others.")
    form = AssignKindForm(request.POST)
    grouping = grouping_of(request)
    if not form.is_valid():
        problems = " ".join(" ".join(errors) for errors in form.errors.values())
        messages.error(request, f"Nothing was assigned: {problems}")
        return redirect(article_url(article, grouping, page=requested_page(request)))
    data = form.cleaned_data
    try:
        assigned = article_assign_open_items(
            article_id=article.pk, kind=data["kind"], assignee=data["assignee"], by=request.user, due_at=data["due_at"]
        )
    except WorkflowError as refused:
        messages.error(request, f"Nothing was assigned: {refused}")
    else:
        label = ItemKind(data["kind"]).label.lower()
        messages.success(request, f"{len(assigned)} open {label} item(s) assigned to {data['assignee'].get_username()}.")
    return redirect(article_url(article, grouping, page=requested_page(request)))



@require_POST
@newsroom_page
def article_editor_view(request, pk):
    """Name the article's editor (editors only), then back to the article."""
    article = get_object_or_404(Article.objects.defer("body"), pk=pk)
    form = ArticleEditorForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The editor was not changed: choose one of the editors listed.")
    else:
        editor = form.cleaned_data["editor"]
        try:
            article_set_editor(article_id=article.pk, editor=editor, by=request.user)
        except WorkflowError as refused:
            messages.error(request, f"The editor was not changed: {refused}")
        else:
            messages.success(request, f"{editor.get_username()} edits this article." if editor else "The article has no editor.")
    return redirect(article_url(article, grouping_of(request), page=requested_page(request)))


# --- notifications ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@newsroom_page
def notification_settings(request):
    """What the signed-in person is told, on which channel, and the last messages sent to them."""
    preferences = notification_settings_of(request.user)
    if request.method == "POST":
        form = NotificationSettingsForm(request.POST)
        if form.is_valid():
            try:
                notification_settings_update(
                    user=request.user, switches=form.switches(), chat_webhook_url=form.cleaned_data["chat_webhook_url"]
                )
            except SettingsRejected as refused:
                form.add_error("chat_webhook_url", str(refused))
            else:
                messages.success(request, "Your notification settings are saved.")
                return redirect("newsroom:notification_settings")
        status = 400
    else:
        form = NotificationSettingsForm(initial=NotificationSettingsForm.initial_for(preferences))
        status = 200
    recent = (
        Notification.objects.filter(recipient=request.user)
        .only("event", "channel", "text", "link", "status", "created_at", "sent_at", "last_error")
        .order_by("-created_at")[:20]
    )
    context = {
        "form": form,
        "grid": form.grid(),
        "channels": NotificationChannel.choices,
        "has_email": bool(request.user.email),
        "recent": recent,
    }
    return render(request, "newsroom/notifications.html", context, status=status)
