"""The Jinja2 environment of the item card (``templates/jinja2/newsroom/item.html``).

The article page repeats the item card up to 100 times per checklist window, forms and all;
rendered by the Django template language the cards were most of the page's time. Jinja2
compiles the card to Python once and renders it several times faster; everything else
stays in the Django template language. The filters are the newsroom template filters
(``templatetags/newsroom.py``) and Django's own, so the card prints what the Django
templates print: the same labels, the same dates in the current time zone, the same
escaping (autoescape on, and Django's safe strings stay safe).
"""

from __future__ import annotations

import functools
import re

from django.template import defaultfilters
from django.urls import get_script_prefix, reverse
from django.utils.timezone import template_localtime
from jinja2 import ChainableUndefined, Environment

from .matching import word_difference, words
from .selectors import VERDICTS

_PK_PLACEHOLDER = 918273645


def date(value, format_string=None):
    """Django's ``date`` filter, with the value first moved to the current time zone as the
    Django template language does."""
    return defaultfilters.date(template_localtime(value), format_string)


@functools.lru_cache(maxsize=64)
def _url_around_pk(name: str, script_prefix: str) -> tuple[str, str]:
    url = reverse(f"newsroom:{name}", args=[_PK_PLACEHOLDER])
    before, _, after = url.partition(str(_PK_PLACEHOLDER))
    return before, after


def item_url(name: str, pk: int) -> str:
    """``reverse("newsroom:<name>", args=[pk])`` for the item routes, whose only argument is the
    item's id: reversed once per route, not four times per card."""
    before, after = _url_around_pk(name, get_script_prefix())
    return f"{before}{int(pk)}{after}"


def article_item_url(article_id: int, item_id: int) -> str:
    """The article page scrolled to one of its items (``?item=`` opens the window that holds it)."""
    before, after = _url_around_pk("article", get_script_prefix())
    return f"{before}{int(article_id)}{after}?item={int(item_id)}#item-{int(item_id)}"


def passage_pieces(claim: str, passage: str, differences) -> list[tuple[str, str]]:
    """The passage cut into (text, mark) pieces: ``match`` for its words that are the claim's,
    ``differs`` for the words a difference names, ``""`` for the rest (its own context)."""
    claim_words = set(words(claim))
    differing = {w for difference in differences or () for w in words(str(difference.get("source", "")))}
    pieces: list[tuple[str, str]] = []
    for token in re.findall(r"[^\W_]+(?:['\u2019][^\W_]+)*|[\W_]+", passage):
        found = words(token)
        mark = ("differs" if found[0] in differing else "match" if found[0] in claim_words else "") if found else None
        if mark is None:  # spaces and punctuation go with what is around them
            mark = pieces[-1][1] if pieces else ""
        if pieces and pieces[-1][1] == mark:
            pieces[-1] = (pieces[-1][0] + token, mark)
        else:
            pieces.append((token, mark))
    return pieces


def environment(**options) -> Environment:
    from .templatetags import newsroom

    # A missing attribute prints nothing, however deep (``item.form_data.note`` of an item
    # without a form), as in the Django template language.
    options["undefined"] = ChainableUndefined
    env = Environment(**options)
    env.filters.update(
        kind_label=newsroom.kind_label,
        kind_short=newsroom.kind_short,
        priority_label=newsroom.priority_label,
        source_link=newsroom.source_link,
        date=date,
        truncatechars=defaultfilters.truncatechars,
        linebreaksbr=defaultfilters.linebreaksbr,
    )
    env.globals.update(
        item_url=item_url,
        people_options=newsroom.people_options,
        article_item_url=article_item_url,
        word_difference=word_difference,
        passage_pieces=passage_pieces,
        verdicts=VERDICTS,
    )
    return env
