"""The ORM models of the local library (SQLAlchemy 2.x, typed), one module per area.

Times are stored in UTC and come back timezone-aware. The schema is created and changed only by the
Alembic migrations in ``app/store/migrations``; these classes must stay in step with them
(a test compares them).
"""

from app.store.models.base import Base, UTCDateTime, utcnow
from app.store.models.comments import Comment, CommentPost, CommentSync
from app.store.models.editorial import (
    Checklist,
    Note,
    NoteBase,
    ReviewQueueItem,
    ReviewState,
    SiteStatus,
    WorkflowEvent,
)
from app.store.models.pieces import (
    BoilerplateEntry,
    DefaultRule,
    Disclaimer,
    Piece,
    PieceSnippet,
    PieceTerm,
    Revision,
    Snippet,
)
from app.store.models.remote import OutboxJob, PieceLink, Site

__all__ = [
    "Base",
    "BoilerplateEntry",
    "Checklist",
    "Comment",
    "CommentPost",
    "CommentSync",
    "DefaultRule",
    "Disclaimer",
    "Note",
    "NoteBase",
    "OutboxJob",
    "Piece",
    "PieceLink",
    "PieceSnippet",
    "PieceTerm",
    "ReviewQueueItem",
    "ReviewState",
    "Revision",
    "Site",
    "SiteStatus",
    "Snippet",
    "UTCDateTime",
    "WorkflowEvent",
    "utcnow",
]
