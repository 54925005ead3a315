"""Who says what: a speaker as the checklist shows it, and a reporting clause ("Khovaev said",
"said Smith", "according to the DFA") with where its words sit.

Both are read from the parse (see ``reading.py``); this module only says what they are.
"""

from __future__ import annotations

from dataclasses import dataclass

from .lexicon import SPEECH_VERB_FORMS

# Words that wake the parse of a sentence: the forms of a reporting verb that are rarely
# anything else, and "according". "States", "points" or "questions" are mostly nouns; their
# sentences are parsed only when something else asks for it.
_MOSTLY_NOUNS = frozenset(
    """
    state states point points question questions report reports post posts charge charges answer
    answers comment comments claim claims note notes echo echoes counter counters demand demands
    promise promises pledge pledges tweet tweets quote quotes continue put puts cite plead
    remark remarks reply replies testify
    """.split()
)
VERB_TRIGGERS = tuple(sorted(SPEECH_VERB_FORMS - _MOSTLY_NOUNS)) + ("according",)

NAMED = "named"
UNNAMED = "unnamed"


@dataclass(frozen=True)
class Speaker:
    name: str | None  # what to show: "Sen. Mike Lee", "a Cabinet Office spokeswoman"; None: not said
    source_type: str  # NAMED: the article says who; UNNAMED: it only describes them ("officials")
    person: str | None = None  # the cast's key when the speaker is a named person

    @property
    def unnamed(self) -> bool:
        return self.source_type == UNNAMED


@dataclass(frozen=True)
class Report:
    """A reporting clause: who, and where the words that report sit."""

    start: int  # start of the speaker phrase (or of the verb when the speaker follows)
    verb_start: int
    verb_end: int
    end: int  # end of the speaker phrase when it follows the verb, else verb_end
    speaker: Speaker | None
    inverted: bool  # "said Smith" / "according to X"
