"""An article's title, and a body that does not repeat it.

Every imported article gets a title. In order of preference:

1. the title the input names itself: an HTML page's og:title, <title> or <h1>, a feed
   entry's title, a ninjs headline, the ``title`` field of JSON in the API's shape;
2. a headline on the first line of the text (short, no sentence punctuation);
3. else the article's first sentence (after any dateline), shortened on a word boundary.

A title that is also the first line of the text is taken out of the body, so the page
does not show it twice; a title made from the first sentence is not (that sentence is
article text, with claims to check).
"""

from __future__ import annotations

import re

from ..extraction.sentences import Layout
from ..extraction.text import headline_end

# Long enough for a real headline; a first sentence longer than this is shortened.
TITLE_MAX_CHARS = 100
# A first sentence is shortened at a clause break (", " "; " " — ") when one leaves at least this much.
_MIN_CLAUSE_CHARS = 40

# The first sentence is looked for in the start of the body only: a title needs no more.
_FIRST_SENTENCE_WINDOW = 2000
_ELLIPSIS = "…"
_CLAUSE_BREAK = re.compile(r"(?:[,;:]|[ \t](?:--|—|–))[ \t]")
# "GREENFIELD — ", "NEW YORK, Oct. 4 — ": a place in capitals that opens the first paragraph.
# (Datelines naming a wire service, "ATLANTA (AP) — ", are the sentence splitter's.)
_CAPITALS_DATELINE = re.compile(
    r"[A-Z][A-Z .'’-]{1,30}(?:,[ \t]*[A-Z][a-z]{2,8}\.?[ \t]*\d{1,2})?[ \t]*(?:--|—|–)[ \t]*"
)
_LEADING_BLANK_LINES = re.compile(r"(?:[ \t]*\n)*")
# How a page's <title> often follows its headline with the site's name: "Headline | Site".
_SITE_SEPARATORS = ("|", "-", "–", "—", ":", "·", "•")
_FOLD = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})


def title_and_body(body: str, *, known_titles: tuple[str | None, ...] = ()) -> tuple[str | None, str]:
    """The article's title and its body without a first line that repeats the title.

    ``body`` is cleaned text (``prepare_text``). ``known_titles`` are the titles the input
    names itself, best first (a feed entry's, then its page's); without any, a headline on
    the first line is the title. A first line that is one of them leaves the body, with
    the blank lines after it.
    """
    titles = [title for title in known_titles if title]
    first_line, _, rest = body.partition("\n")
    if not titles and headline_end(body):
        titles = [" ".join(first_line.split())]
    if rest.strip() and any(is_same_title(first_line, title) for title in titles):
        body = rest[_LEADING_BLANK_LINES.match(rest).end():]
    return (titles[0] if titles else title_from_body(body)), body


def is_same_title(line: str, title: str) -> bool:
    """Whether a line of text is ``title``, or the headline part of a page title ("Headline | Site")."""
    line, title = _folded(line), _folded(title)
    if not line:
        return False
    if line == title:
        return True
    site = title[len(line):] if title.startswith(line) else ""
    return site[:1].isspace() and site.lstrip()[:1] in _SITE_SEPARATORS


def title_from_body(body: str) -> str | None:
    """A title for an article that has none: its first sentence after any dateline, shortened."""
    head = body[:_FIRST_SENTENCE_WINDOW]
    for sentence in Layout(head).sentences:
        text = " ".join(head[sentence.start:sentence.end].split())
        text = text[_dateline_length(text):]
        if any(ch.isalnum() for ch in text):
            return shortened(text)
    return None


def shortened(text: str, limit: int = TITLE_MAX_CHARS) -> str:
    """``text`` as a title: without a sentence's full stop, cut on a clause break or a word boundary past ``limit``."""
    if text.endswith(".") and not text.endswith(".."):
        text = text[:-1]
    if len(text) <= limit:
        return text
    head = text[: limit + 1]
    clause_ends = [match.start() for match in _CLAUSE_BREAK.finditer(head) if match.start() >= _MIN_CLAUSE_CHARS]
    if clause_ends:
        cut = clause_ends[-1]
    else:
        cut = head.rfind(" ")
        if cut <= 0:
            cut = limit
    return text[:cut].rstrip(" \t,;:-–—") + _ELLIPSIS


def _dateline_length(text: str) -> int:
    match = _CAPITALS_DATELINE.match(text)
    return match.end() if match and match.end() < len(text) else 0


def _folded(text: str) -> str:
    return " ".join(text.translate(_FOLD).split()).casefold()
