"""Placeholder engine: finds direct quotes and figures with simple patterns."""

from __future__ import annotations

import datetime
import re

from .claims import Claim

ENGINE_VERSION = "0.1-placeholder"

_QUOTE = re.compile(r"[\"“]([^\"”\n]{3,}?)[\"”]")
_NUMBER = re.compile(r"\$?\d[\d,.]*(?:\s?(?:million|billion|percent|%))?")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def _sentence_bounds(body: str, start: int) -> tuple[int, int]:
    left = 0
    for match in _SENTENCE_END.finditer(body, 0, start):
        left = match.end()
    right_match = _SENTENCE_END.search(body, start)
    right = right_match.start() if right_match else len(body)
    return left, right


def extract_claims(body: str, *, published_on: datetime.date | None = None) -> list[Claim]:
    claims = []
    for kind, pattern, group in (("quote", _QUOTE, 1), ("number", _NUMBER, 0)):
        for match in pattern.finditer(body):
            start, end = match.span(group)
            left, right = _sentence_bounds(body, start)
            claims.append(
                Claim(
                    kind=kind,
                    start=start,
                    end=end,
                    text=body[start:end],
                    sentence=body[left:right],
                    guidance=f"Check the {kind}.",
                )
            )
    return sorted(claims, key=lambda claim: (claim.start, claim.end, claim.kind))
