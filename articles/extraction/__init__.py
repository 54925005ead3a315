"""The claim extraction engine: plain Python, no Django.

Two entry points, shared by every import path (CLI, worker, API):

- ``prepare_text(raw)`` turns raw bytes or text into a ``PreparedArticle``
  (detected title and the cleaned body that is stored and highlighted);
- ``extract_claims(body, published_on=...)`` returns the ``Claim`` list for a body.

``engine_version()`` (the engine's ``ENGINE_VERSION``, the language pipeline and the
speaker model's weights) changes whenever the output for the same body may change.
"""

from .claims import KINDS, Claim
from .engine import ENGINE_VERSION, engine_version, extract_claims
from .text import InvalidText, PreparedArticle, prepare_text

__all__ = [
    "ENGINE_VERSION",
    "KINDS",
    "Claim",
    "InvalidText",
    "PreparedArticle",
    "engine_version",
    "extract_claims",
    "prepare_text",
]
