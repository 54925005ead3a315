"""One item per claim: overlapping findings of a kind become one, and a figure that
is part of a larger finding (a year inside a date, a number inside an amount of
money) is not listed twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .spans import SpanIndex

# Kinds whose items may be long: the claim is a sentence or a quotation.
LONG_KINDS = frozenset({"quote", "attribution", "statement"})
MAX_SPAN = 200
# A number inside one of these is already checked as part of it.
_ABSORBS_NUMBERS = ("money", "date")


@dataclass
class Finding:
    kind: str
    start: int
    end: int
    value: Any = None
    speaker: str | None = None
    info: dict = field(default_factory=dict)


def _overlaps(a: Finding, b: Finding) -> bool:
    return a.start < b.end and b.start < a.end


def merge_findings(findings: list[Finding]) -> list[Finding]:
    by_kind: dict[str, list[Finding]] = {}
    for finding in sorted(findings, key=lambda f: (f.start, -f.end)):
        by_kind.setdefault(finding.kind, []).append(finding)
    merged: list[Finding] = []
    for kind, items in by_kind.items():
        current: Finding | None = None
        for item in items:
            if current is not None and _overlaps(current, item):
                start, end = min(current.start, item.start), max(current.end, item.end)
                if kind in LONG_KINDS or end - start <= MAX_SPAN:
                    current.start, current.end = start, end
                    current.value = current.value or item.value
                    current.speaker = current.speaker or item.speaker
                    current.info = {**item.info, **current.info}
                # Too broad together: keep the first, never two items over the same words.
                continue
            if current is not None:
                merged.append(current)
            current = item
        if current is not None:
            merged.append(current)
    absorbers = SpanIndex([f for f in merged if f.kind in _ABSORBS_NUMBERS], span=lambda f: (f.start, f.end))
    result = []
    for finding in merged:
        if finding.kind == "number":
            around = absorbers.overlapping(finding.start, finding.end)
            if around and not _has_own_count(finding, around):
                continue
        result.append(finding)
    return sorted(result, key=lambda f: (f.start, f.end, f.kind))


def _has_own_count(number: Finding, absorbers: list[Finding]) -> bool:
    """"a 25-year loan signed in 2016": the number survives if it reaches past the date."""
    for other in absorbers:
        if other.start <= number.start and number.end <= other.end:
            return False
        # "about 38 billion yen": the qualifier in front does not make the amount a count.
        if other.kind == "money" and other.start < number.end <= other.end:
            return False
    return True
