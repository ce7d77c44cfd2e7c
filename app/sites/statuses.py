"""The statuses a post has on a site: the one place the rest of Copydesk takes them from.

The words themselves are WordPress's and belong to the CMS interface (:mod:`app.cms.base`); this
module names them, says which a push may ask for, which a role allows and which a listing shows, gives
their labels and maps them onto the piece's own workflow. It loads nothing heavy, so the window may
import it.
"""

from __future__ import annotations

from app.cms.base import PUSH_STATUSES, STATUS_LABELS, PostStatus
from app.pieces.workflow import Status

DRAFT: PostStatus = "draft"
PENDING: PostStatus = "pending"  # waiting for an editor's review
FUTURE: PostStatus = "future"  # scheduled
PUBLISH: PostStatus = "publish"
PRIVATE: PostStatus = "private"
TRASH = "trash"  # never pushed; a post in the trash cannot be updated

REVIEW_STATUSES: tuple[str, ...] = (DRAFT, PENDING)
"""What a role without ``publish_posts`` (a contributor) may push."""

LIST_STATUSES: tuple[str, ...] = (PUBLISH, FUTURE, DRAFT, PENDING, PRIVATE)
"""What a listing of a site's posts can be filtered by."""

REMOTE_TO_LOCAL: dict[str, Status] = {
    PUBLISH: Status.PUBLISHED,
    FUTURE: Status.SCHEDULED,
    PENDING: Status.SUBMITTED,
    DRAFT: Status.DRAFT,
    PRIVATE: Status.DRAFT,
}
"""A post's status on the site as the piece's workflow status (a pulled post keeps it)."""

__all__ = [
    "DRAFT",
    "FUTURE",
    "LIST_STATUSES",
    "PENDING",
    "PRIVATE",
    "PUBLISH",
    "PUSH_STATUSES",
    "REMOTE_TO_LOCAL",
    "REVIEW_STATUSES",
    "STATUS_LABELS",
    "TRASH",
    "PostStatus",
    "label",
]


def label(status: str) -> str:
    """The status in words ("Pending review"); an unknown status as it is."""
    return STATUS_LABELS.get(status, status)
