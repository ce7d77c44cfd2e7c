"""The comment desk: reader comments of the user's posts, synced, threaded, moderated, answered.

- :mod:`app.comments.service` — :class:`CommentService`, composed on a library as ``core.comments``
- :mod:`app.comments.sync` — incremental sync from WordPress (see its docstring for the strategy)
- :mod:`app.comments.jobs` — moderation and replies through the outbox
- :mod:`app.comments.store`, :mod:`app.comments.reading` — the tables (``comments``,
  ``comment_posts``, ``comment_sync``), written and read
- :mod:`app.comments.threads` — threads and sort orders
- :mod:`app.comments.sanitize` — hostile comment HTML made safe to show
- :mod:`app.comments.images` — a comment's pictures, fetched only when the user asks
- :mod:`app.cms.wordpress.comments` — WordPress's comment routes
- :mod:`app.comments.data` — the plain values that cross threads
"""

from app.comments.data import (
    Action,
    CommentData,
    CommentStatus,
    Counts,
    PostRef,
    SortKey,
    SyncReport,
    Thread,
    ThreadNode,
    VotesAvailability,
)

__all__ = [
    "Action",
    "CommentData",
    "CommentStatus",
    "Counts",
    "PostRef",
    "SortKey",
    "SyncReport",
    "Thread",
    "ThreadNode",
    "VotesAvailability",
]
