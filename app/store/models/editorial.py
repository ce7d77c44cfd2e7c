"""The editorial workflow (events, review states, the queue, site statuses), notes on passages
and the pre-publish checklist."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.store.models.base import Base, UTCDateTime, utcnow


class WorkflowEvent(Base):
    """One step in the life of a piece: recorded here (a local action) or read from its site."""

    __tablename__ = "workflow_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    piece_id: Mapped[int | None] = mapped_column(
        ForeignKey("pieces.id", ondelete="CASCADE"), nullable=True, index=True
    )
    site_id: Mapped[int | None] = mapped_column(
        ForeignKey("sites.id", ondelete="CASCADE"), nullable=True
    )
    post_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    source: Mapped[str] = mapped_column(String(10), default="local")  # "local" or "site"
    action: Mapped[str] = mapped_column(String(30))
    from_status: Mapped[str] = mapped_column(String(30), default="")
    to_status: Mapped[str] = mapped_column(String(30), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_name: Mapped[str] = mapped_column(Text, default="")
    machine: Mapped[str] = mapped_column(String(100), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    key: Mapped[str] = mapped_column(String(200), unique=True)  # a site event is stored once


class ReviewState(Base):
    """Where a linked piece stands in review on its site, as last seen (and what it was then)."""

    __tablename__ = "review_states"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    piece_id: Mapped[int] = mapped_column(ForeignKey("pieces.id", ondelete="CASCADE"))
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    post_id: Mapped[int] = mapped_column(Integer)
    remote_status: Mapped[str] = mapped_column(String(20), default="")
    state: Mapped[str] = mapped_column(String(30), default="")  # the plugin's review state
    note: Mapped[str] = mapped_column(Text, default="")
    modified_gmt: Mapped[str] = mapped_column(String(32), default="")
    date_gmt: Mapped[str] = mapped_column(String(32), default="")
    content_hash: Mapped[str] = mapped_column(String(64), default="")  # the plugin's fingerprint
    fingerprint: Mapped[str] = mapped_column(String(64), default="")  # the piece's at the last sync
    submitted_revision_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("piece_id", "site_id", name="uq_review_states"),)


class ReviewQueueItem(Base):
    """A post awaiting review on a site, as the last look at the queue found it (read offline)."""

    __tablename__ = "review_queue"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    post_id: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text, default="")
    byline: Mapped[str] = mapped_column(Text, default="")
    submitted_by: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    word_count: Mapped[int] = mapped_column(default=0)
    categories: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of term ids
    modified_gmt: Mapped[str] = mapped_column(String(32), default="")
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    link: Mapped[str] = mapped_column(Text, default="")
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(30), default="pending", server_default="pending")

    __table_args__ = (UniqueConstraint("site_id", "post_id", name="uq_review_queue"),)


class SiteStatus(Base):
    """A post status a site registers (``/wp/v2/statuses``), custom ones included, with its label."""

    __tablename__ = "site_statuses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(String(50))
    label: Mapped[str] = mapped_column(Text)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("site_id", "slug", name="uq_site_statuses"),)


# -- notes on passages and the pre-publish checklist (issue 11) ------------------------------------


class Note(Base):
    """A note on a passage of a piece (or on the whole piece), or a reply to one."""

    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)  # also the request id of its creation
    piece_id: Mapped[int] = mapped_column(ForeignKey("pieces.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("notes.id", ondelete="CASCADE"), nullable=True
    )
    author: Mapped[str] = mapped_column(Text, default="")
    author_remote_id: Mapped[int] = mapped_column(default=0)  # the site's user id (0: written here)
    mine: Mapped[bool] = mapped_column(default=True)  # written by this library's user
    body: Mapped[str] = mapped_column(Text, default="")
    anchor: Mapped[str] = mapped_column(Text, default="")  # JSON (app.notes.anchor); "": whole piece
    orphaned: Mapped[bool] = mapped_column(default=False)
    resolved: Mapped[bool] = mapped_column(default=False)
    resolved_by: Mapped[str] = mapped_column(Text, default="")
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deleted: Mapped[bool] = mapped_column(default=False)  # kept until the site has the deletion
    site_id: Mapped[int | None] = mapped_column(
        ForeignKey("sites.id", ondelete="SET NULL"), nullable=True
    )
    remote_id: Mapped[int | None] = mapped_column(Integer, nullable=True)  # the site's comment id
    remote_modified: Mapped[str] = mapped_column(String(32), default="")
    dirty: Mapped[bool] = mapped_column(default=False)  # changed here since the site last had it


class NoteBase(Base):
    """A version of a piece's text that notes were anchored on (kept once per version)."""

    __tablename__ = "note_bases"

    hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    piece_id: Mapped[int] = mapped_column(ForeignKey("pieces.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Checklist(Base):
    """The pre-publish checklist of one site (``site_id`` None: pieces on no site), as JSON."""

    __tablename__ = "checklists"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int | None] = mapped_column(
        ForeignKey("sites.id", ondelete="CASCADE"), nullable=True
    )
    config: Mapped[str] = mapped_column(Text, default="{}")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("site_id", name="uq_checklists_site"),)
