from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

KINDS = (
    "quote",
    "number",
    "money",
    "date",
    "superlative",
    "name",
    "attribution",
    "consistency",
    "statement",
)


@dataclass(frozen=True)
class Claim:
    """One thing in an article that someone must verify.

    ``start``/``end`` are offsets into the body the claim was extracted from and
    ``text == body[start:end]``. ``priority`` runs from 0 (little harm if wrong) to 100 (check first);
    ``tier`` is ``required`` (must be cleared before publication) or ``recommended``.
    """

    kind: str
    start: int
    end: int
    text: str
    sentence: str
    speaker: str | None = None
    value: Any = None
    guidance: str = ""
    priority: int = 50
    tier: str = "required"
    extra: dict = field(default_factory=dict, compare=False)

    def as_dict(self) -> dict:
        data = asdict(self)
        data.pop("extra")
        return data
