"""Requests the services refuse. Each message is written for the person who made the request."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import OperationalError

if TYPE_CHECKING:
    from ..models import ChecklistItem


class WorkflowError(Exception):
    """A request the workflow refuses; the message is for the person who made it."""


class TransitionNotAllowed(WorkflowError):
    pass


class NoteRequired(WorkflowError):
    pass


class InvalidItem(WorkflowError):
    pass


class ItemConflict(WorkflowError):
    """Someone else changed the item since the caller read it; ``current`` is what it is now."""

    def __init__(self, current: "ChecklistItem"):
        super().__init__(
            f"This item was changed by someone else (now version {current.version}, state {current.state}); "
            "reload it and try again."
        )
        self.current = current


# PostgreSQL's codes for a transaction cancelled in favour of a concurrent one: deadlock
# detected, serialization failure.
_CONCURRENCY_CODES = frozenset({"40P01", "40001"})
CONCURRENT_CHANGE_MESSAGE = "Someone changed the same rows at the same moment; nothing was saved. Try again."


def lost_to_a_concurrent_change(error: BaseException) -> bool:
    """Whether ``error`` is the database cancelling this transaction for a concurrent one
    (nothing was saved; the same request sent again can succeed)."""
    return isinstance(error, OperationalError) and getattr(error.__cause__, "sqlstate", None) in _CONCURRENCY_CODES
