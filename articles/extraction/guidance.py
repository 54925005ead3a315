"""What to verify for each item, as a colleague would put it, and how much harm it does when wrong.

Priority is risk, 0 to 100: high for what does damage when it is wrong (claims on unnamed
sources, allegations of wrongdoing, money and figures, firsts and records, quotes), low
for what a reader would shrug at (a vague "this month", a name mentioned in passing).
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from .lexicon import ALLEGATION_PATTERN

_ALLEGATION = re.compile(ALLEGATION_PATTERN, re.IGNORECASE)

FIGURE_PRIORITY = {"money": 85, "number": 75}
SUPERLATIVE_PRIORITY = 80
CONSISTENCY_PRIORITY = 75
QUOTE_PRIORITY, UNNAMED_QUOTE_PRIORITY = 80, 90
ATTRIBUTION_PRIORITY, UNNAMED_ATTRIBUTION_PRIORITY = 55, 90
# Names: with a title or role, or an organisation's official name, against one in passing.
NAME_PRIORITY, NAME_IN_PASSING_PRIORITY = 55, 35
# Dates: a calendar date or year; one counted from the publication date ("last month",
# "two years ago", "on Tuesday"); a vague one ("this month", "today", "this year").
DATE_PRIORITY, RELATIVE_DATE_PRIORITY, VAGUE_DATE_PRIORITY = 60, 55, 40
# A statement's priority grows with its sentence's check-worthiness score (0 to 1).
STATEMENT_BASE, STATEMENT_PER_SCORE = 35, 45
# Allegations of wrongdoing raise whatever carries them.
ALLEGATION_BONUS = 20

_PAST_OR_NEXT = frozenset({"last", "past", "previous", "next", "coming"})


def alleges_wrongdoing(sentence: str) -> bool:
    return bool(_ALLEGATION.search(sentence))


def priority_for(kind: str, value: Any, speaker: str | None, info: dict, sentence: str = "") -> int:
    value = value if isinstance(value, dict) else {}
    unnamed = info.get("source_type") == "unnamed"
    if kind == "quote":
        priority = UNNAMED_QUOTE_PRIORITY if unnamed or not speaker else QUOTE_PRIORITY
    elif kind in FIGURE_PRIORITY:
        priority = FIGURE_PRIORITY[kind]
    elif kind == "superlative":
        priority = SUPERLATIVE_PRIORITY
    elif kind == "consistency":
        priority = CONSISTENCY_PRIORITY
    elif kind == "date":
        priority = _date_priority(value)
    elif kind == "name":
        # A person named once, without a title or role, is a name in passing; bodies carry no role.
        in_passing = "role" in info and not info["role"] and info.get("mentions", 1) <= 1
        priority = NAME_IN_PASSING_PRIORITY if in_passing else NAME_PRIORITY
    elif kind == "attribution":
        priority = UNNAMED_ATTRIBUTION_PRIORITY if unnamed else ATTRIBUTION_PRIORITY
    elif kind == "statement":
        priority = round(STATEMENT_BASE + STATEMENT_PER_SCORE * float(info.get("score", 0.5)))
    else:
        priority = 50
    if kind in ("attribution", "statement", "quote") and alleges_wrongdoing(sentence):
        priority += ALLEGATION_BONUS
    return max(0, min(100, priority))


def _date_priority(value: dict) -> int:
    kind = value.get("type")
    if kind == "time" or (kind == "relative" and "day" in value):
        return VAGUE_DATE_PRIORITY
    if kind == "relative":
        if value.get("which") and value["which"] not in _PAST_OR_NEXT:
            return VAGUE_DATE_PRIORITY
        return RELATIVE_DATE_PRIORITY
    if value.get("needs"):
        return RELATIVE_DATE_PRIORITY
    return DATE_PRIORITY


# --- guidance ----------------------------------------------------------------------------


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _when(value: dict) -> str:
    """The calendar date a relative date was worked out to, in words; empty when it was not."""
    for key in ("date", "week_of"):
        if isinstance(value.get(key), str):
            try:
                day = datetime.date.fromisoformat(value[key])
            except ValueError:
                continue
            text = f"{day.day} {day:%B %Y}"
            return f"the week of {text}" if key == "week_of" else text
    month = value.get("month")
    if isinstance(month, str) and re.fullmatch(r"\d{4}-\d{2}", month):
        return f"{datetime.date(int(month[:4]), int(month[5:]), 1):%B %Y}"
    if isinstance(value.get("year"), int):
        return str(value["year"])
    return ""


def guidance_for(kind: str, text: str, value: Any, speaker: str | None, info: dict, sentence: str = "") -> str:
    quoted = f'"{_short(text)}"'
    value = value if isinstance(value, dict) else {}
    note = _guidance(kind, text, quoted, value, speaker, info)
    if kind in ("attribution", "statement") and alleges_wrongdoing(sentence):
        note += " It alleges wrongdoing: make sure the person or body accused has been asked to respond."
    return note


def _guidance(kind: str, text: str, quoted: str, value: dict, speaker: str | None, info: dict) -> str:
    if kind == "quote":
        if not speaker:
            return (
                f"The article does not say who said {quoted}. Find out, then check the wording against a "
                "recording or transcript."
            )
        if info.get("source_type") == "unnamed":
            return (
                f"Said by an unnamed source ({_short(speaker, 70)}). Make sure we know who it is, that they said "
                f"{quoted} in these words, and that a second source backs the claim."
            )
        return f"Check that {speaker} said {quoted} in these words: a recording, a transcript or {speaker}'s office."
    if kind == "money":
        amount, currency = value.get("amount"), value.get("currency")
        shown = f" ({amount:,.0f} {currency})" if isinstance(amount, (int, float)) and currency else ""
        return f"Check the amount {quoted}{shown} and what it pays for against the contract, budget or filing."
    if kind == "number":
        return f"Check the figure {quoted} against the original data or report."
    if kind == "date":
        when = _when(value)
        if value.get("needs") or value.get("type") in ("relative", "weekday"):
            if when:
                return f"{quoted} works out to {when}: check that the event happened then."
            return f"{quoted} counts from the publication date: work out the day it means and check the event happened then."
        return f"Check that the event this sentence places at {quoted} happened then."
    if kind == "superlative":
        return f"Find the record or ranking that shows {quoted} is true: firsts and records are often wrong."
    if kind == "name":
        name, role = info.get("name") or text, info.get("role")
        if role:
            return f"Check the spelling of {name} and the title \"{_short(role, 80)}\"."
        if value.get("abbreviation"):
            return f"Check the official name {quoted} and its abbreviation {value['abbreviation']}."
        return f"Check the spelling and official form of the name {quoted}."
    if kind == "attribution":
        source = _short(info.get("source") or "the source", 70)
        if info.get("source_type") == "unnamed":
            return f"Rests on an unnamed source ({source}): make sure we know who it is and confirm the claim with a second, independent source."
        return f"Check with {source} that this is what they said, and check the claim itself."
    if kind == "consistency":
        return (
            f"Spelled \"{info['variant']}\" here ({info['variant_count']}x) but \"{info['canonical']}\" "
            f"elsewhere ({info['canonical_count']}x): confirm the right spelling and fix the other."
        )
    if kind == "statement":
        return f"Find a document, record or data set, or a second independent source, that shows {quoted}."
    return f"Check {quoted}."
