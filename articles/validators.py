"""Rules for text that reaches the database, shared by the request middleware, the API and the forms.

Text may hold tabs and line breaks but no other C0 control character and no DEL: PostgreSQL
cannot store a NUL, and none of the others belongs in an article, a note or a name.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

# C0 controls other than tab, line feed and carriage return, and DEL.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CONTROL_CHARACTERS_RULE = "text may hold tabs and line breaks but no other control characters"


def control_character_in(text: str) -> str | None:
    """The first forbidden control character in ``text``, written as ``U+0001`` (``U+0000 (NUL)``);
    None when there is none."""
    match = CONTROL_CHARACTERS.search(text)
    if not match:
        return None
    return "U+0000 (NUL)" if match.group() == "\x00" else f"U+{ord(match.group()):04X}"


def refuse_control_characters(value: str) -> None:
    """Text from a form holds no control character other than tab, line feed and carriage
    return (NUL is refused by Django's own validator, with its own message)."""
    character = control_character_in(value.replace("\x00", ""))
    if character:
        raise ValidationError(
            f"This holds the control character {character}; {CONTROL_CHARACTERS_RULE}.", code="control_character"
        )
