"""Requests the services refuse. Each message is written for the person who made the request."""

from __future__ import annotations

from typing import TYPE_CHECKING

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
