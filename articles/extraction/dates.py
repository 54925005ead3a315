"""Dates, years, weekdays and relative dates, resolved against the publication date.

One compiled alternation finds every expression in a single pass over the body;
resolution is plain calendar arithmetic (no dateparser on the hot path).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from .lexicon import MONTH, MONTH_ABBR, MONTH_FULL, WEEKDAY
from .scan import windowed_finditer

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
_COUNT_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "several": None, "a few": None, "few": None, "many": None,
}

_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[6-9]\d\d|20\d\d)"
_MODIFIER = r"(?i:(?:just|only|as recently as|since|until|till|by|from|early|late|mid-?|last|next|this|on|earlier|later)[ \t]+)"
_PERIOD = r"(?:week|weekend|month|year|decade|century|quarter|season|spring|summer|autumn|fall|winter|term|semester)"
_COUNT = r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|a few|few|many)"

# Matches only start at a word start; the lookbehind spares the engine trying every
# alternative at every character, which made this pattern the slowest in the engine.
DATE = re.compile(
    r"(?<![\w])(?=[\w'’])(?:" + "|".join(
        [
            # "last April 26", "Oct. 22", "January 5, 2020", "Tuesday, Oct. 22"
            rf"(?P<md>(?:{_MODIFIER}?{WEEKDAY},?[ \t]+)?{_MODIFIER}?(?P<md_m>{MONTH})[ \t]+(?P<md_d>{_DAY})\b(?:,?[ \t]+(?P<md_y>{_YEAR})\b)?)",
            # "26 April 2019", "5th of May"
            rf"(?P<dm>{_MODIFIER}?(?P<dm_d>{_DAY})[ \t]+(?:of[ \t]+)?(?P<dm_m>{MONTH})\b(?:,?[ \t]+(?P<dm_y>{_YEAR})\b)?)",
            # "November 2019", "in May", "last November", "early March"
            rf"(?P<my>(?P<my_mod>(?i:in|since|until|till|by|from|during|of|last|next|this|early|late|mid-?|through|before|after|between|and)[ \t]+(?:(?:early|late|mid-?)[ \t]*)?)?(?P<my_m>{MONTH_FULL}|{MONTH_ABBR}(?=[ \t]+{_YEAR}))(?![ \t]+{_DAY}\b(?![ \t]*(?:%|percent|per)))(?:,?[ \t]+(?P<my_y>{_YEAR}))?\b(?:[ \t]+(?P<my_rel>last|next|this)[ \t]+year\b)?)",
            # "on Tuesday", "last Monday", "said Tuesday"
            rf"(?P<wd>(?P<wd_mod>(?i:last|next|this|on|since|until|by|from|early|late)[ \t]+)?(?P<wd_d>{WEEKDAY})(?:[ \t]+(?:morning|afternoon|evening|night))?)\b",
            # "the 1990s", "'90s"
            r"(?P<decade>(?:the[ \t]+)?(?:(?:1[6-9]|20)\d0|['’]\d0)s)\b",
            # "in 1951", "2016"
            rf"(?P<year>(?<![\d$€£.,#-]){_YEAR}(?![\d%,.]\d|[ \t]*%|-\d))",
            # "two years after", "a week ago"
            rf"(?P<ago>\b(?P<ago_n>(?i:{_COUNT}))[ \t-]+(?P<ago_u>day|week|month|year|decade)s?[ \t]+(?P<ago_dir>ago|after|later|earlier|before|on)\b)",
            # "early this month", "later this year", "just last week", "next month"
            rf"(?P<rel>\b(?i:(?:just|only|early|earlier|late|later|so far)[ \t]+(?:in[ \t]+)?)?(?P<rel_which>(?i:this|last|next|past|previous|coming))[ \t]+(?P<rel_u>{_PERIOD})\b)",
            r"(?P<deictic>\b(?i:today|yesterday|tomorrow|tonight|last night|this (?:morning|afternoon|evening))\b)",
            # "10:30 a.m.", "3 p.m."
            r"(?P<time>\b(?:[01]?\d|2[0-3])(?::[0-5]\d)?[ \t]?(?:a\.m\.|p\.m\.|am\b|pm\b))",
        ]
    ) + ")",
)
_PLURAL_AFTER = re.compile(
    r"[ \t]+(?:[a-z]+(?<!s)s|people|men|women|children|police|staff|personnel|troops|cattle)\b(?!['’])"
)


def counts_things(body: str, start: int, end: int) -> bool:
    """True when a year-like figure counts things ("2000 troops", "1500 people"), not a year.

    "the 2016 election" and "in 1990 he" are years; "in 2000 people" stays a year (a
    preposition before a four-digit figure almost always places something in time).
    """
    return bool(_PLURAL_AFTER.match(body, end)) and not re.search(
        r"\b(?:in|since|of|by|from|until)[ \t]+$", body[max(0, start - 8):start]
    )


# A capitalised word that is not itself a date ("Mellody", not "Monday" or "2016").
_NAME_AFTER = re.compile(rf"[ \t]+(?!{WEEKDAY}\b|{MONTH}\b)[A-Z][a-z]+\b")
# The word before is capitalised and the sentence goes on ("USA Today", "But For Today").
_CAPITALISED_BEFORE = re.compile(r"(?<![.!?:;\"“”'‘’(—–-][ \t])\b[A-Z][\w’'-]*[ \t]+$")


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    value: dict[str, Any]
    relative: bool


def _year_of(text: str | None) -> int | None:
    return int(text) if text else None


def _month_year(month: int, year: int | None, published: dt.date | None, mod: str) -> int | None:
    if year or not published:
        return year
    mod = mod.strip().lower()
    if mod == "next":
        return published.year + (1 if month <= published.month else 0)
    if mod == "last" or month > published.month:
        return published.year - (1 if month >= published.month else 0) if mod == "last" else published.year - 1
    return published.year


def _weekday(published: dt.date, weekday: int, mod: str) -> dt.date:
    mod = mod.strip().lower()
    if mod == "next":
        return published + dt.timedelta(days=(weekday - published.weekday()) % 7 or 7)
    back = (published.weekday() - weekday) % 7
    if mod == "last" and back == 0:
        back = 7
    return published - dt.timedelta(days=back)


def _shift_month(day: dt.date, months: int) -> str:
    index = day.year * 12 + day.month - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


TRIGGERS = tuple(
    [m.capitalize() for m in MONTHS] + [d.capitalize() for d in WEEKDAYS]
    + "today yesterday tomorrow tonight night morning afternoon evening day days week weeks weekend "
    "month months year years decade decades century centuries quarter season spring summer autumn "
    "fall winter term semester".split()
)


def find_dates(body: str, published: dt.date | None = None, positions: list[int] | None = None) -> list[DateMention]:
    """``positions``: where trigger words (TRIGGERS, digits) are; None scans everything."""
    found: list[DateMention] = []
    last_year: int | None = None
    matches = DATE.finditer(body) if positions is None else windowed_finditer(DATE, body, positions, 32, 40)
    for match in matches:
        groups = match.groupdict()
        start, end = match.span()
        value: dict[str, Any]
        relative = False
        if groups["md"] is not None or groups["dm"] is not None:
            prefix = "md" if groups["md"] is not None else "dm"
            month = MONTHS[groups[f"{prefix}_m"].rstrip(".").lower()]
            day = int(re.match(r"\d+", groups[f"{prefix}_d"]).group())
            year = _year_of(groups[f"{prefix}_y"])
            text = match.group().lower()
            mod = "last" if "last " in text else "next" if "next " in text else ""
            year = _month_year(month, year, published, mod)
            try:
                value = {"type": "date", "date": dt.date(year, month, day).isoformat()} if year else {
                    "type": "date", "month": month, "day": day}
            except ValueError:
                continue
            if year:
                last_year = year
        elif groups["my"] is not None:
            month_text = groups["my_m"]
            mod = groups["my_mod"] or ""
            # "May" and "March" are months only with a preposition or a year beside them
            # (a capitalised "May" opening a sentence is the verb); other bare month names are months.
            if month_text in ("May", "March") and not mod and not groups["my_y"]:
                continue
            # "April Mellody, a spokeswoman": a bare month name before a capitalised word is a first name.
            if not mod and not groups["my_y"] and _NAME_AFTER.match(body, match.end("my_m")):
                continue
            month = MONTHS[month_text.rstrip(".").lower()]
            year = _year_of(groups["my_y"])
            rel = groups["my_rel"]
            if rel and published:
                year = published.year + {"last": -1, "next": 1, "this": 0}[rel]
            else:
                year = _month_year(month, year, published, mod)
            value = {"type": "month", "month": f"{year:04d}-{month:02d}" if year else month}
            # Keep "in"/"of" out of the span: the month is the fact.
            if mod.strip().lower() in ("in", "of", "and", "during", "from", "through", "between", "before", "after", "by"):
                start = match.start("my_m")
            relative = not groups["my_y"]
        elif groups["wd"] is not None:
            weekday = WEEKDAYS[groups["wd_d"].lower()]
            mod = groups["wd_mod"] or ""
            value = {"type": "weekday", "weekday": groups["wd_d"]}
            if published:
                value["date"] = _weekday(published, weekday, mod).isoformat()
            relative = True
        elif groups["decade"] is not None:
            value = {"type": "decade", "decade": match.group().replace("the ", "").strip()}
        elif groups["year"] is not None:
            # "2000 troops" is a count; "the 2016 election" and "in 1951" are years.
            if counts_things(body, start, end):
                continue
            year = int(match.group())
            value = {"type": "year", "year": year}
            last_year = year
        elif groups["ago"] is not None:
            count_text = groups["ago_n"].lower()
            count = int(count_text) if count_text.isdigit() else _COUNT_WORDS.get(count_text)
            unit, direction = groups["ago_u"].lower(), groups["ago_dir"].lower()
            value = {"type": "relative", "offset": count, "unit": unit, "direction": direction}
            relative = True
            if count and unit == "year":
                if direction in ("after", "later", "on") and last_year:
                    value["year"] = last_year + count  # counted from the year just mentioned
                elif direction in ("before", "earlier") and last_year:
                    value["year"] = last_year - count
                elif direction == "ago" and published:
                    value["year"] = published.year - count
        elif groups["rel"] is not None:
            which, unit = groups["rel_which"].lower(), groups["rel_u"].lower()
            value = {"type": "relative", "period": unit, "which": which}
            relative = True
            if published:
                step = {"this": 0, "last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}[which]
                if unit == "year":
                    value["year"] = published.year + step
                elif unit == "month":
                    value["month"] = _shift_month(published, step)
                elif unit in ("week", "weekend"):
                    value["week_of"] = (published + dt.timedelta(weeks=step)).isoformat()
        elif groups["deictic"] is not None:
            if match.group()[0].isupper() and _CAPITALISED_BEFORE.search(body, max(0, start - 30), start):
                continue  # "USA Today", "Work Starts Tomorrow": part of a name or a title
            word = match.group().lower()
            value = {"type": "relative", "day": word}
            relative = True
            if published:
                shift = {"yesterday": -1, "tomorrow": 1}.get(word, 0)
                value["date"] = (published + dt.timedelta(days=shift)).isoformat()
        else:
            value = {"type": "time", "time": match.group()}
        if not published and relative:
            value.setdefault("needs", "publication date")
        found.append(DateMention(start, end, value, relative))
    return found
