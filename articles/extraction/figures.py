"""Numbers and amounts of money, with their normalised values."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .dates import counts_things
from .lexicon import LEADING_JUNK, MONTH, STOPWORDS, UPPER, WEEKDAY
from .scan import windowed_finditer

WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12,
}
ORDINALS = {
    "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
}
SCALES = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "mln": 1e6,
    "billion": 1e9, "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12, "crore": 1e7, "lakh": 1e5,
}
CURRENCY_SYMBOLS = {
    "US$": "USD", "$": "USD", "A$": "AUD", "AU$": "AUD", "C$": "CAD", "CA$": "CAD", "HK$": "HKD",
    "NZ$": "NZD", "S$": "SGD", "R$": "BRL", "€": "EUR", "£": "GBP", "¥": "JPY", "₱": "PHP",
    "₹": "INR", "₩": "KRW", "₽": "RUB", "Php": "PHP", "PHP": "PHP", "P": "PHP", "Rs": "INR",
    "Rs.": "INR", "USD": "USD", "EUR": "EUR", "GBP": "GBP", "JPY": "JPY", "CNY": "CNY",
    "RMB": "CNY", "INR": "INR", "AUD": "AUD", "CAD": "CAD", "CHF": "CHF",
}
CURRENCY_WORDS = {
    "dollar": "USD", "dollars": "USD", "euro": "EUR", "euros": "EUR", "pound": "GBP",
    "pounds": "GBP", "sterling": "GBP", "yen": "JPY", "peso": "PHP", "pesos": "PHP", "yuan": "CNY",
    "renminbi": "CNY", "rupee": "INR", "rupees": "INR", "rouble": "RUB", "roubles": "RUB",
    "ruble": "RUB", "rubles": "RUB", "franc": "CHF", "francs": "CHF", "won": "KRW",
    "ringgit": "MYR", "rand": "ZAR", "cents": "USD", "pence": "GBP", "naira": "NGN",
    "shillings": "KES", "baht": "THB", "rupiah": "IDR", "dirhams": "AED", "riyals": "SAR",
}

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = r"(?:thousand|million|billion|trillion|mln|mn|bn|tn|crore|lakh|[kmb])\b"
_SYMBOL = r"(?:US\$|AU?\$|CA?\$|HK\$|NZ\$|S\$|R\$|\$|€|£|¥|₱|₹|₩|₽|(?:USD|EUR|GBP|JPY|CNY|RMB|INR|AUD|CAD|CHF|PHP|Php|Rs\.?)[ \t]?|P(?=\d))"
_CURRENCY_WORD = "|".join(sorted(CURRENCY_WORDS, key=len, reverse=True))
_WORD_NUM = "|".join(sorted(WORD_NUMBERS, key=len, reverse=True))
_QUALIFIER = (
    r"(?:(?:at least|at most|more than|less than|fewer than|over|under|nearly|almost|about|around|"
    r"approximately|roughly|some|up to|as many as|as much as|as few as|close to|an estimated|"
    r"upwards of|just over|just under)[ \t]+)?"
)
MONEY = re.compile(
    rf"(?<![\w$€£])(?:{_SYMBOL}[ \t]?(?P<n1>{_NUM})(?:[ \t-]?(?P<s1>{_SCALE}))?"
    rf"|(?P<n2>{_NUM})(?:[ \t-]?(?P<s2>{_SCALE}))?[ \t]+(?:US[ \t]+|Hong Kong[ \t]+|Australian[ \t]+|Canadian[ \t]+)?(?P<w2>{_CURRENCY_WORD})\b)",
)
_UNIT = (
    r"(?:years?|months?|weeks?|days?|hours?|minutes?|seconds?|decades?|centuries|century|"
    r"percent|per cent|percentage points?|points?|times|kilometres?|kilometers?|km|miles?|metres?|"
    r"meters?|feet|foot|inches|tons?|tonnes?|kilograms?|kg|pounds|acres?|hectares?|degrees?|"
    r"storey|story|member|person|man|woman|seat|nation|country)"
)
NUMBER = re.compile(
    rf"(?<![\w.,$€£/-])(?<![A-Za-z]-){_QUALIFIER}"
    rf"(?:(?P<digits>{_NUM}(?:-\d+(?![\d.]))?)(?:[ \t]?(?P<pct>%|percent\b|per cent\b))?(?:[ \t-](?P<scale>million|billion|thousand|trillion)\b)?"
    rf"|(?P<words>(?:{_WORD_NUM})(?:[ \t-](?:{_WORD_NUM}))*)\b)"
    rf"(?P<unit>-(?:{_UNIT})(?:-old)?\b|[ \t]+(?:{_UNIT})\b|-(?-i:[a-z]{{3,}})\b(?!-))?"
    rf"(?P<noun>[ \t]+(?!(?:of|in|on|at|to|and|or|the|a|an|for|from|by|with|as|is|are|was|were|"
    rf"that|who|which|than|per|more|less|ago|after|later|earlier|before|since|when|where|while|because|but|if|so|until|then|"
    # Pronouns, auxiliaries and adverbs open the next clause ("in 1990 he", "77 have been"):
    # they never say what is counted.
    rf"he|she|it|they|we|you|i|his|her|its|their|our|can|could|may|might|will|would|should|must|shall|"
    rf"do|does|did|have|has|had|be|been|being|last|next|between|among|also|not|just|only|still|all|"
    rf"both|each|into|over|under|about|against|during|through|via|here|there|this|these|those|"
    rf"said|says|say|this|said)\b)(?-i:[a-z][a-z]+(?:-[a-z]+)*))?",
    re.IGNORECASE,
)
MULTIPLE = re.compile(
    rf"\b(?:(?P<twice>twice|thrice)\b|(?:the[ \t]+)?(?P<ord>{'|'.join(ORDINALS)})[ \t]+time\b"
    rf"|(?P<n>{_NUM}|{_WORD_NUM})[ \t]+times\b(?![ \t]+(?:more|less|as|higher|lower|larger|bigger)\b))",
    re.IGNORECASE,
)
_ORDINAL_WORDS = "|".join(ORDINALS)
# "a third of", "more than a quarter", "half of": shares written as words.
FRACTION = re.compile(
    rf"\b{_QUALIFIER}(?:(?:a|one|two|three)[ \t-](?P<part>half|thirds?|quarters?|fifths?|tenths?)\b(?![ \t-](?:century|centuries|final|mile|world))"
    rf"|half(?=[ \t]+(?:of|the|its|their|his|her)\b))",
    re.IGNORECASE,
)
_HALF_OF_PERIOD = re.compile(r"\b(?:first|second|latter|other|top|bottom)[ \t]+$", re.IGNORECASE)
# "time and a half", "a decade and a half": the half belongs to the quantity before it.
_AND_BEFORE = re.compile(r"\band[ \t-]$", re.IGNORECASE)
# "Two people familiar with the talks": the sources, not a figure to check.
_SOURCES_AFTER = re.compile(r"[ \t]+(?:familiar|close|with[ \t]+(?:direct[ \t]+)?knowledge|briefed|who[ \t]+spoke)\b")
_PARTS = {"half": 2, "third": 3, "quarter": 4, "fifth": 5, "tenth": 10}
# "the fifth consecutive month", "12th in the league": a place in a series.
ORDINAL = re.compile(
    rf"\b(?:(?P<word>{_ORDINAL_WORDS})[ \t]+(?:consecutive|straight|successive|running)[ \t]+[a-z]+"
    rf"|(?P<digits>\d{{1,3}})(?:st|nd|rd|th)\b)",
    re.IGNORECASE,
)
_MONTH_BEFORE = re.compile(rf"\b{MONTH}[ \t]+$")
# "Nov. 6 to 10", "June 3-5": the second day of a range of dates.
_DAY_RANGE_BEFORE = re.compile(rf"\b{MONTH}[ \t]+\d{{1,2}}(?:st|nd|rd|th)?[ \t]*(?:to|through|until|and|-|–)[ \t]*$")
# "36th Street", "14th Amendment", "101st Airborne": an ordinal inside a name; "the 21st century".
_NAME_AFTER_ORDINAL = re.compile(rf"[ \t]+(?:[{UPPER}][a-z]|century\b|centuries\b)")
# "Boeing 757", "Super Bowl 50", "Route 66": a number that identifies a model, an edition
# or a road after a capitalised word is part of a name, not a count.
_IDENTIFIER = re.compile(rf"(?<![\w.])(?P<word>[{UPPER}][\w-]*)[ \t]+(?P<digits>\d+)\b(?![.,]\d|[ \t]*(?:%|percent\b|per cent\b))")
_NOT_NAME_WORDS = frozenset(w.lower() for w in LEADING_JUNK) | STOPWORDS | {"nearly", "almost", "about", "around", "over", "under", "some", "roughly", "approximately", "exactly", "top", "no", "number", "chapter", "no.", "page", "step", "phase", "day", "week", "year", "game", "round"}
_WEEKDAY_RE = re.compile(rf"{WEEKDAY}|{MONTH}")
# "at one point": an idiom, not a figure.
_AT_BEFORE = re.compile(r"\bat[ \t]+$", re.IGNORECASE)
# "four of their last five", "Two of the eight authors": a count out of a total.
OUT_OF = re.compile(
    rf"\b(?:{_NUM}|{_WORD_NUM})[ \t]+of[ \t]+(?:the|their|its|his|her|our)[ \t]+"
    rf"(?:(?:last|past|first|next|previous)[ \t]+)?(?:{_NUM}|{_WORD_NUM})\b",
    re.IGNORECASE,
)
_TIME_ZONE_AFTER = re.compile(r"[ \t]*(?:GMT|UTC|[ECMP][SD]?T|BST|CET|CEST|JST|local time)\b")
_UNIT_WORD = re.compile(rf"{_UNIT}(?:-old)?")
_DEFINITE = re.compile(r"\b(?:the|these|those|both|all|its|their|his|her|our)[ \t]+$", re.IGNORECASE)
_VAGUE_COUNTS = {"hundred", "dozen"}


@dataclass(frozen=True)
class Figure:
    kind: str  # number or money
    start: int
    end: int
    value: dict[str, Any]


def parse_number(text: str) -> float | None:
    text = text.strip().lower().replace(",", "")
    text = re.sub(r"^(\d+(?:\.\d+)?)-\d+$", r"\1", text)  # "5-4": a score or a vote, keep the first figure
    try:
        return float(text)
    except ValueError:
        pass
    current = 0.0
    for word in re.split(r"[ \t-]+", text):
        if word not in WORD_NUMBERS:
            return None
        n = WORD_NUMBERS[word]
        if n == 100:
            current = (current or 1) * 100
        else:
            current += n
    return current


def _clean(value: float) -> int | float:
    return int(value) if value == int(value) else value


NUMBER_TRIGGERS = (
    tuple(WORD_NUMBERS) + tuple(w.capitalize() for w in WORD_NUMBERS) + ("twice", "thrice", "times", "time", "Twice")
    + ("half", "Half", "third", "thirds", "quarter", "quarters", "fifth", "fifths", "tenth", "tenths")
    + tuple(ORDINALS) + tuple(w.capitalize() for w in ORDINALS)
)


def find_money(body: str, positions: list[int] | None = None) -> list[Figure]:
    """``positions``: where digits are (every amount has one); None scans everything."""
    found = []
    matches = MONEY.finditer(body) if positions is None else windowed_finditer(MONEY, body, positions, 12, 40)
    for match in matches:
        number = match.group("n1") or match.group("n2")
        scale = (match.group("s1") or match.group("s2") or "").lower()
        amount = parse_number(number)
        if amount is None:
            continue
        if scale:
            amount *= SCALES.get(scale, 1)
        text = match.group()
        if match.group("w2"):
            currency = CURRENCY_WORDS[match.group("w2").lower()]
            if match.group("w2").lower() in ("cents", "pence"):
                amount /= 100
        else:
            symbol = re.match(_SYMBOL, text).group().strip()
            currency = CURRENCY_SYMBOLS.get(symbol, CURRENCY_SYMBOLS.get(symbol.rstrip("."), "?"))
        found.append(Figure("money", match.start(), match.end(), {"amount": _clean(amount), "currency": currency}))
    return found


def find_numbers(body: str, positions: list[int] | None = None) -> list[Figure]:
    """``positions``: where digits and NUMBER_TRIGGERS are; None scans everything."""
    found = []
    scan = (lambda p, b, a: p.finditer(body)) if positions is None else (
        lambda p, b, a: windowed_finditer(p, body, positions, b, a))
    for match in scan(MULTIPLE, 20, 20):
        if match.group("twice"):
            value = {"value": 2 if match.group("twice").lower() == "twice" else 3, "unit": "times"}
        elif match.group("ord"):
            value = {"ordinal": ORDINALS[match.group("ord").lower()], "unit": "time"}
        else:
            n = parse_number(match.group("n"))
            if n is None:
                continue
            value = {"value": _clean(n), "unit": "times"}
        found.append(Figure("number", match.start(), match.end(), value))
    for match in scan(FRACTION, 30, 20):
        if _HALF_OF_PERIOD.search(body, max(0, match.start() - 12), match.start()):
            continue  # "the second half of 2025" is a period
        if _AND_BEFORE.search(body, max(0, match.start() - 4), match.start()):
            continue  # "time and a half": part of the quantity before it
        part = (match.group("part") or "half").lower().rstrip("s")
        found.append(Figure("number", match.start(), match.end(), {"fraction": f"1/{_PARTS[part]}"}))
    for match in scan(ORDINAL, 20, 30):
        if match.group("digits") and _MONTH_BEFORE.search(body, max(0, match.start() - 12), match.start()):
            continue  # "March 5th" is a date
        if match.group("digits") and _NAME_AFTER_ORDINAL.match(body, match.end()):
            continue  # "36th Street", "the 21st century"
        ordinal = int(match.group("digits")) if match.group("digits") else ORDINALS[match.group("word").lower()]
        found.append(Figure("number", match.start(), match.end(), {"ordinal": ordinal}))
    for match in scan(OUT_OF, 20, 40):
        found.append(Figure("number", match.start(), match.end(), {"count_of_total": match.group()}))
    identifiers = _identifiers(body)
    for match in scan(NUMBER, 28, 45):
        figure = _number_from(body, match, identifiers)
        if figure:
            found.append(figure)
    return _drop_nested(found)


def _drop_nested(figures: list[Figure]) -> list[Figure]:
    """A figure inside a longer one ("four" in "four of their last five") is not listed twice."""
    # In order of start, longest first: a figure lies inside a longer one when one starting
    # earlier ends at or after its end, or one starting with it ends after it.
    inside: set[int] = set()
    reach = -1  # the furthest end of the figures starting before the current start
    by_start = sorted(figures, key=lambda f: (f.start, -f.end))
    index = 0
    while index < len(by_start):
        start = by_start[index].start
        group_end = by_start[index].end
        group = index
        while index < len(by_start) and by_start[index].start == start:
            f = by_start[index]
            if reach >= f.end or f.end < group_end:
                inside.add(id(f))
            index += 1
        reach = max(reach, max(f.end for f in by_start[group:index]))
    kept = [f for f in figures if id(f) not in inside]
    return sorted(kept, key=lambda f: (f.start, f.end))


def _identifiers(body: str) -> dict[str, int]:
    """Numbers the article uses as part of a name ("Boeing 757"), each with where it first does."""
    found: dict[str, int] = {}
    for match in _IDENTIFIER.finditer(body):
        word = match.group("word")
        if word.lower() in _NOT_NAME_WORDS or _WEEKDAY_RE.fullmatch(word.rstrip(".")) or word.isupper() and len(word) <= 1:
            continue
        if re.fullmatch(r"(?:1[6-9]|20)\d\d", match.group("digits")):
            continue  # "Obama 2012", "Rio 2016": a year, for the date finder
        found.setdefault(match.group("digits"), match.start("digits"))
    return found


def _number_from(body: str, match: re.Match, identifiers: dict[str, int] | None = None) -> Figure | None:
    digits, words = match.group("digits"), match.group("words")
    unit = (match.group("unit") or "").strip(" \t-").lower()
    noun = (match.group("noun") or "").strip()
    start, end = match.start(), match.end()
    if words:
        lowered = words.lower()
        first = lowered.split()[0].split("-")[0]
        if lowered in _VAGUE_COUNTS:
            return None
        # "one of", "no one", "one day": the word "one" is rarely a figure to check.
        if first == "one" and not unit:
            return None
        if lowered == "one" and unit.startswith("point") and _AT_BEFORE.search(body, max(0, start - 4), start):
            return None  # "at one point"
        # "the two countries" refers back to something already counted.
        if _DEFINITE.search(body, max(0, start - 12), start) and not unit:
            return None
        if not unit and not noun:
            return None
        # "second-hand", "one-off": a compound, not a count ("four-day" is a count).
        if body[match.end("words"):match.end("words") + 1] == "-" and not _UNIT_WORD.fullmatch(unit) and first == "one":
            return None
    else:
        # "MI-171", "COVID-19", "3.5.1": part of a model or version name.
        after = body[match.end("digits"):match.end("digits") + 1]
        if after.isalpha() and not match.group("pct") and not unit:
            return None
        plain = not (unit or match.group("pct") or match.group("scale"))
        if plain and len(digits) == 2 and body[start - 1:start] in ("'", "’"):
            return None  # "in ’08": a year with its century left off
        # "Nov. 5 election", "in late 2022 when", "by 1310 GMT": dates and clock times, not counts.
        if plain and _MONTH_BEFORE.search(body, max(0, start - 12), start):
            return None
        if plain and _DAY_RANGE_BEFORE.search(body, max(0, start - 20), start):
            return None
        # "the 2012 attack", "in 1990 he": a year, which the date finder lists; "2000 troops" is a count.
        if plain and re.fullmatch(r"(?:1[6-9]|20)\d\d", digits) and not counts_things(body, start, match.end("digits")):
            return None
        # "a Boeing 757", and later "the 757": a model or edition number, part of a name.
        if plain and identifiers and digits in identifiers and identifiers[digits] <= start:
            return None
        if _TIME_ZONE_AFTER.match(body, match.end("digits")):
            return None
    if noun in ("people", "persons", "sources", "officials") and _SOURCES_AFTER.match(body, match.end()):
        return None
    value = parse_number(digits or words)
    if value is None:
        return None
    if match.group("scale"):
        value *= SCALES[match.group("scale").lower()]
    if match.group("pct"):
        unit = "percent"
    result: dict[str, Any] = {"value": _clean(value)}
    if unit:
        result["unit"] = unit
    # The noun says what is counted ("16 helicopters"); after a unit or a verb form it
    # only starts the next phrase, so the span stops before it.
    if noun and (unit or noun.endswith(("ed", "ing", "ly"))):
        end = match.start("noun")
    elif noun:
        result["unit"] = noun
    return Figure("number", start, end, result)
