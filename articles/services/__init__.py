"""Every write to articles and checklists goes through these functions.

Views, the API, the admin, management commands and tasks call them; none of them writes
models directly. Slow work is enqueued only after the transaction commits.
"""

from .articles import ArticleRejected, UpsertOutcome, UpsertResult, article_upsert
from .checklists import (
    checklist_extract,
    checklist_mark_failed,
    checklist_request,
    checklist_recover,
    checklist_retry_later,
    checklist_store,
)

__all__ = [
    "ArticleRejected",
    "UpsertOutcome",
    "UpsertResult",
    "article_upsert",
    "checklist_extract",
    "checklist_mark_failed",
    "checklist_request",
    "checklist_recover",
    "checklist_retry_later",
    "checklist_store",
]
