"""Template helpers of the newsroom pages, and the highlighted article text.

The highlighted text is built here, in Python, because overlapping items cannot be
expressed as nested template blocks. The body is cut at every item boundary into
segments; each segment is one element carrying ``data-start`` (its offset in the body,
in code points) so a selection in the browser maps back to exact body offsets. Nothing
but the body's own characters ends up as text: item labels are empty links whose visible
label comes from CSS and whose accessible name is ``aria-label``. Stripping the tags and
unescaping gives the body back unchanged.
"""

from __future__ import annotations

import re
from collections import defaultdict

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from ..models import ItemKind, ItemState

register = template.Library()

KIND_SHORT = {
    ItemKind.QUOTE: "Quote",
    ItemKind.NUMBER: "Number",
    ItemKind.MONEY: "Money",
    ItemKind.DATE: "Date",
    ItemKind.SUPERLATIVE: "Superlative",
    ItemKind.NAME: "Name",
    ItemKind.ATTRIBUTION: "Source",
    ItemKind.CONSISTENCY: "Spelling",
    ItemKind.STATEMENT: "Claim",
}

_CSS_SAFE = re.compile(r"[^a-z0-9_-]")


def css_token(value: str) -> str:
    return _CSS_SAFE.sub("", str(value).lower())


def _text(fragment: str) -> str:
    """Escape body text so that the browser's DOM holds exactly these characters.

    A literal carriage return would be folded into a line feed by the HTML parser; a
    character reference survives. NUL would become U+FFFD; keep it as a reference too
    (the parser still replaces it, but the server-side text stays exact).
    """
    return escape(fragment).replace("\r", "&#13;")


@register.filter
def kind_short(kind: str) -> str:
    return KIND_SHORT.get(kind, str(kind).title())


@register.filter
def kind_label(kind: str) -> str:
    try:
        return ItemKind(kind).label
    except ValueError:
        return str(kind)


@register.filter
def state_label(state: str) -> str:
    try:
        return ItemState(state).label
    except ValueError:
        return str(state)


@register.filter
def priority_label(priority: int) -> str:
    if priority is None:
        return ""
    if priority >= 75:
        return "High"
    if priority >= 40:
        return "Medium"
    return "Low"


@register.filter
def source_link(source: str):
    """A source that is a web address becomes a link (http and https only); anything else is text."""
    source = (source or "").strip()
    if re.match(r"^https?://[^\s<>\"']+$", source, flags=re.IGNORECASE):
        return format_html('<a href="{}" rel="noopener noreferrer nofollow" target="_blank">{}</a>', source, source)
    return escape(source)


@register.filter
def percent(part, whole) -> int:
    try:
        return round(100 * int(part) / int(whole)) if int(whole) else 100
    except (TypeError, ValueError):
        return 0


@register.filter
def get_item(mapping, key):
    try:
        return mapping.get(key)
    except AttributeError:
        return None


def _mark_classes(covering: list) -> str:
    inner = covering[0]
    classes = ["hl", f"kind-{css_token(inner.kind)}", f"depth-{min(len(covering), 3)}"]
    states = {item.state for item in covering}
    if ItemState.INCORRECT in states:
        classes.append("is-incorrect")
    elif states <= ItemState.resolved():
        classes.append("is-resolved")
    return " ".join(classes)


def highlight_body(body: str, items) -> SafeString:
    """The article body with every item highlighted, as safe HTML (see the module docstring)."""
    length = len(body)
    spans = []
    for item in items:
        start, end = max(0, int(item.start)), min(length, int(item.end))
        if start < end:
            spans.append((start, end, item))
    starting, ending = defaultdict(list), defaultdict(list)
    for start, end, item in spans:
        starting[start].append((start, end, item))
        ending[end].append(item)
    bounds = sorted({0, length, *starting, *ending})

    parts: list[str] = []
    active: dict[int, tuple[int, int, object]] = {}
    for a, b in zip(bounds, bounds[1:]):
        for item in ending.get(a, ()):
            active.pop(item.pk, None)
        # Outer items first so their label comes before the labels of items inside them.
        for start, end, item in sorted(starting.get(a, ()), key=lambda s: (-s[1], s[2].pk)):
            active[item.pk] = (start, end, item)
            parts.append(
                format_html(
                    '<a class="hl-tag kind-{kind}" id="hl-{pk}" href="#item-{pk}" data-item="{pk}" '
                    'data-label="{short}" aria-label="{label} ({state}): go to checklist item"></a>',
                    kind=css_token(item.kind),
                    pk=item.pk,
                    short=kind_short(item.kind),
                    label=kind_label(item.kind),
                    state=state_label(item.state).lower(),
                )
            )
        text = _text(body[a:b])
        if active:
            # Innermost (shortest) item first: it decides the colour and where a click goes.
            covering = [entry[2] for entry in sorted(active.values(), key=lambda s: (s[1] - s[0], s[2].pk))]
            title = "; ".join(f"{kind_label(i.kind)} ({state_label(i.state).lower()})" for i in covering)
            parts.append(
                format_html(
                    '<mark class="{classes}" data-start="{start}" data-item="{inner}" data-items="{ids}" '
                    'title="{title}">',
                    classes=_mark_classes(covering),
                    start=a,
                    inner=covering[0].pk,
                    ids=" ".join(str(i.pk) for i in covering),
                    title=title,
                )
                + text
                + "</mark>"
            )
        else:
            parts.append(format_html('<span data-start="{}">', a) + text + "</span>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece above is escaped


def mark_sentence(sentence: str, spans) -> SafeString:
    """The sentence with the words of its checks marked in their kind's colour, as safe HTML.

    ``spans`` are ``(start, end, item)`` with offsets into ``sentence``. Where checks overlap
    the innermost one gives the colour. No ids or links: the text above has those.
    """
    length = len(sentence)
    spans = [(max(0, s), min(length, e), item) for s, e, item in spans if max(0, s) < min(length, e)]
    bounds = sorted({0, length, *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    parts = []
    for a, b in zip(bounds, bounds[1:]):
        covering = sorted((e - s, item.pk, item) for s, e, item in spans if s <= a and b <= e)
        text = _text(sentence[a:b])
        if covering:
            inner = covering[0][2]
            parts.append(format_html('<mark class="sentence-mark kind-{}">', css_token(inner.kind)) + text + "</mark>")
        else:
            parts.append(text)
    return mark_safe("".join(parts))  # noqa: S308 - every piece above is escaped


@register.simple_tag
def people_options(people, selected_pk, user_pk) -> SafeString:
    """The ``<option>`` of each person who can be assigned (the one assigned selected, the reader
    marked "(me)"): written here once per card instead of a template loop per person per card."""
    return mark_safe(  # noqa: S308 - every piece is escaped
        "".join(
            format_html(
                '<option value="{}"{}>{}{}</option>',
                person.pk,
                mark_safe(" selected") if person.pk == selected_pk else "",  # noqa: S308 - a constant
                person.get_username(),
                " (me)" if person.pk == user_pk else "",
            )
            for person in people
        )
    )


@register.simple_tag
def marked_sentence(group) -> SafeString:
    return mark_sentence(group["sentence"], group.get("spans") or [])


@register.simple_tag
def highlighted(body: str, items) -> SafeString:
    return highlight_body(body, items)


@register.filter
def headline(article) -> str:
    """The title, or for an untitled article the start of its first line.

    Lists never read the text: they give the start of it as ``body_start``. Without either, the
    article is named by its source and id rather than read from the database here.
    """
    if article.title.strip():
        return article.title
    body = getattr(article, "body_start", None)
    if body is None:
        body = "" if "body" in article.get_deferred_fields() else article.body
    for line in body.splitlines():
        if line.strip():
            return Truncator(line.strip()).chars(90)
    return f"{article.source}:{article.external_id}"


@register.simple_tag(takes_context=True)
def item_card(context, item) -> SafeString:
    """One item card (``templates/jinja2/newsroom/item.html``, see ``articles/jinja.py``) with
    what it needs from the page: the reader, the people they may assign, the CSRF field and
    the checklist's grouping and window (where a form returns)."""
    from django.template import engines
    from django.template.backends.utils import csrf_input

    request = context.get("request")
    card = engines["jinja2"].get_template("newsroom/item.html").template
    return mark_safe(  # noqa: S308 - the card is rendered with autoescape on
        card.render(
            item=item,
            user=context.get("user"),
            people=context.get("people") or (),
            csrf_input=csrf_input(request) if request is not None else "",
            grouping=context.get("grouping", ""),
            window=context.get("window"),
        )
    )
