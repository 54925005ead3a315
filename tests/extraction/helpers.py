"""Shared helpers for the extraction tests (plain Python, no database)."""

from __future__ import annotations

from articles.extraction import Claim, extract_claims


def items(body: str, kind: str, **kwargs) -> list[Claim]:
    return [c for c in extract_claims(body, **kwargs) if c.kind == kind]


def texts(body: str, kind: str, **kwargs) -> list[str]:
    return [c.text for c in items(body, kind, **kwargs)]
