"""Every write to articles and checklists goes through these functions.

Views, the API, the admin, management commands and tasks call them; none of them writes
models directly. Slow work is enqueued only after the transaction commits.
"""

from .articles import ArticleInput, ArticleRejected, UpsertOutcome, UpsertResult, article_upsert, article_upsert_many
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
    "ArticleInput",
    "article_upsert",
    "article_upsert_many",
    "checklist_extract",
    "checklist_mark_failed",
    "checklist_request",
    "checklist_recover",
    "checklist_retry_later",
    "checklist_store",
]
