"""One item per claim: overlapping findings of a kind become one, and a figure that
is part of a larger finding (a year inside a date, a number inside an amount of
money) is not listed twice.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any

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
    absorbers = _Absorbers([f for f in merged if f.kind in _ABSORBS_NUMBERS])
    result = []
    for finding in merged:
        if finding.kind == "number":
            around = absorbers.overlapping(finding)
            if around and not _has_own_count(finding, around):
                continue
        result.append(finding)
    return sorted(result, key=lambda f: (f.start, f.end, f.kind))


class _Absorbers:
    """The money and date findings, found by position: the ones overlapping a number are those
    starting less than the longest of them before it ends (a binary search, not a scan)."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = sorted(findings, key=lambda f: f.start)
        self.starts = [f.start for f in self.findings]
        self.longest = max((f.end - f.start for f in self.findings), default=0)

    def overlapping(self, finding: Finding) -> list[Finding]:
        lo = bisect.bisect_left(self.starts, finding.start - self.longest)
        hi = bisect.bisect_left(self.starts, finding.end)
        return [f for f in self.findings[lo:hi] if _overlaps(finding, f)]


def _has_own_count(number: Finding, absorbers: list[Finding]) -> bool:
    """"a 25-year loan signed in 2016": the number survives if it reaches past the date."""
    for other in absorbers:
        if other.start <= number.start and number.end <= other.end:
            return False
        # "about 38 billion yen": the qualifier in front does not make the amount a count.
        if other.kind == "money" and other.start < number.end <= other.end:
            return False
    return True
