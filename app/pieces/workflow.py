"""The life of a piece, from first draft to published column.

Columnists write drafts and submit them; editors send them back or approve and schedule them. The status
is stored on the piece; every change of status keeps a revision, so the history shows who moved it when.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    SCHEDULED = "scheduled"
    PUBLISHED = "published"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS: dict[Status, str] = {
    Status.DRAFT: "Draft",
    Status.SUBMITTED: "Submitted",
    Status.CHANGES_REQUESTED: "Changes requested",
    Status.APPROVED: "Approved",
    Status.SCHEDULED: "Scheduled",
    Status.PUBLISHED: "Published",
}

# Which status may follow which. Going back to draft is always allowed: the writer may pull a piece back.
_TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.DRAFT: frozenset({Status.SUBMITTED, Status.APPROVED, Status.SCHEDULED, Status.PUBLISHED}),
    Status.SUBMITTED: frozenset({Status.DRAFT, Status.CHANGES_REQUESTED, Status.APPROVED}),
    Status.CHANGES_REQUESTED: frozenset({Status.DRAFT, Status.SUBMITTED}),
    Status.APPROVED: frozenset({Status.DRAFT, Status.SCHEDULED, Status.PUBLISHED}),
    Status.SCHEDULED: frozenset({Status.DRAFT, Status.APPROVED, Status.PUBLISHED}),
    Status.PUBLISHED: frozenset({Status.DRAFT}),
}


def allowed_next(status: Status) -> frozenset[Status]:
    return _TRANSITIONS[status]


def can_move(current: Status, new: Status) -> bool:
    return new == current or new in _TRANSITIONS[current]
