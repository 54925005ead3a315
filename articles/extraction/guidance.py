"""What to verify for each item, in one line, and how urgent it is."""

from __future__ import annotations

from typing import Any

# Base urgency per kind: figures and exact words are what corrections are made of.
BASE_PRIORITY = {
    "consistency": 90,
    "money": 85,
    "quote": 80,
    "number": 75,
    "superlative": 75,
    "attribution": 65,
    "date": 60,
    "name": 55,
    "statement": 50,
}


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _date_value(value: dict[str, Any]) -> str:
    for key in ("date", "month", "year", "week_of", "decade", "time"):
        if key in value:
            return str(value[key])
    return ""


def guidance_for(kind: str, text: str, value: Any, speaker: str | None, info: dict) -> str:
    quoted = f'"{_short(text)}"'
    if kind == "quote":
        if not speaker:
            return (
                f"Establish who said {quoted}: the article does not say. Then check the exact wording "
                "against a recording or transcript."
            )
        if info.get("source_type") == "unnamed":
            return (
                f"Unnamed source ({_short(speaker, 40)}): identify who said {quoted}, confirm the exact "
                "wording with them and the claim independently."
            )
        return f"Check the exact wording of {quoted} against a recording or transcript, and that {speaker} said it."
    if kind == "money":
        amount = value.get("amount") if isinstance(value, dict) else None
        currency = value.get("currency") if isinstance(value, dict) else None
        shown = f"{amount:,} {currency}" if isinstance(amount, (int, float)) else text
        return f"Confirm the amount {shown} ({quoted}) and what it pays for, against the contract, budget or filing."
    if kind == "number":
        what = value.get("unit", "") if isinstance(value, dict) else ""
        return f"Confirm the figure {quoted}{' (' + what + ')' if what else ''} against the original source or data."
    if kind == "date":
        resolved = _date_value(value) if isinstance(value, dict) else ""
        if isinstance(value, dict) and value.get("needs"):
            return f"Pin down which date {quoted} means (needs the publication date) and confirm the event happened then."
        return f"Confirm the date {quoted}{' = ' + resolved if resolved else ''} for the event it places."
    if kind == "superlative":
        return f"Verify the superlative {quoted}: find the record or ranking that shows it is really so."
    if kind == "name":
        role = info.get("role")
        if role:
            return f"Check the spelling of {info.get('name', text)} and the title or role \"{_short(role, 80)}\"."
        return f"Check the spelling and official form of the name {quoted}."
    if kind == "attribution":
        source = info.get("source") or "the source"
        if info.get("source_type") == "unnamed":
            return f"Unnamed source ({_short(source, 40)}) — identify it and confirm the claim independently."
        return f"Reported speech of {_short(source, 40)} — confirm the paraphrase with {_short(source, 40)}, and check the claim itself."
    if kind == "consistency":
        return (
            f"Spelled \"{info['variant']}\" here ({info['variant_count']}x) but \"{info['canonical']}\" "
            f"elsewhere ({info['canonical_count']}x): confirm the right spelling and fix the other."
        )
    if kind == "statement":
        return f"Find a primary source (record, document, data or a second independent source) that confirms {quoted}."
    return f"Verify {quoted}."


def priority_for(kind: str, value: Any, speaker: str | None, info: dict) -> int:
    priority = BASE_PRIORITY.get(kind, 50)
    if kind == "quote" and not speaker:
        priority += 10  # an unattributed quote is the riskiest kind of quote
    if kind == "quote" and info.get("source_type") == "unnamed":
        priority += 5
    if kind == "attribution" and info.get("source_type") == "unnamed":
        priority += 10
    if kind == "date" and isinstance(value, dict) and value.get("needs"):
        priority -= 10
    if kind == "name" and info.get("role"):
        priority += 5
    return max(0, min(100, priority))
