"""Required and recommended items: the tier policy as plain data.

A checklist has two tiers. **Required** items are the ones a careful checker must clear
before the article is published; **recommended** items are worth doing if time allows.
The policy is an ordered list of rules; the first rule an item matches gives its tier, and
an item no rule matches is required (when in doubt, check it).

The newsroom keeps its own policy in the database (``TierRule`` rows, edited in the admin);
``DEFAULT_POLICY`` is what a new installation starts with and what the command line uses
without a database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

REQUIRED = "required"
RECOMMENDED = "recommended"
TIERS = (REQUIRED, RECOMMENDED)


@dataclass(frozen=True)
class TierRule:
    """Items of ``kind`` (None: any kind) whose source is ``source_type`` (None: any) and
    whose priority is at least ``min_priority`` take ``tier``."""

    tier: str
    kind: str | None = None
    source_type: str | None = None
    min_priority: int = 0
    description: str = ""

    def matches(self, *, kind: str, source_type: str | None, priority: int) -> bool:
        return (
            (self.kind is None or self.kind == kind)
            and (self.source_type is None or self.source_type == source_type)
            and priority >= self.min_priority
        )


def tier_for(rules: Sequence[TierRule], *, kind: str, source_type: str | None, priority: int) -> str:
    """The tier the first matching rule gives; required when none matches."""
    for rule in rules:
        if rule.matches(kind=kind, source_type=source_type, priority=priority):
            return rule.tier
    return REQUIRED


# Priorities are risk (see guidance.priority_for): what does damage when it is wrong is
# required, background a checker clears when there is time is recommended.
DEFAULT_POLICY: tuple[TierRule, ...] = (
    TierRule(REQUIRED, kind="attribution", source_type="unnamed",
             description="Claims resting on unnamed sources are always checked."),
    TierRule(REQUIRED, kind="attribution", min_priority=70,
             description="Allegations reported from a named source are checked."),
    TierRule(RECOMMENDED, kind="attribution",
             description="Other paraphrases of named sources: their quotes and figures are items of their own."),
    TierRule(REQUIRED, kind="statement", min_priority=63,
             description="The most check-worthy statements are checked."),
    TierRule(RECOMMENDED, kind="statement", description="Other statements if time allows."),
    TierRule(REQUIRED, min_priority=45, description="Everything else of medium or high risk is checked."),
    TierRule(RECOMMENDED, description="Low-risk items (vague dates, names in passing) if time allows."),
)
