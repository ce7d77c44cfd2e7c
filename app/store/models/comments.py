"""Reader comments, the posts they belong to, and where each sync got to."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.store.models.base import Base, UTCDateTime, utcnow


class CommentPost(Base):
    """A post (or page) of a site whose comments the comment desk keeps, pushed by Copydesk or not."""

    __tablename__ = "comment_posts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    remote_id: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int] = mapped_column(default=0)  # the WordPress user who wrote the post
    remote_status: Mapped[str] = mapped_column(String(20), default="")
    seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)  # last looked at
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("site_id", "remote_id", name="uq_comment_posts"),)


class Comment(Base):
    """A reader comment as last seen on its site, or a reply of the user's waiting to be sent."""

    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    remote_id: Mapped[int | None] = mapped_column(Integer, nullable=True)  # None: a reply not sent yet
    post_id: Mapped[int] = mapped_column(Integer)  # the remote post
    parent_id: Mapped[int] = mapped_column(default=0)  # the remote parent comment, 0 for none
    author_name: Mapped[str] = mapped_column(Text, default="")
    author_url: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int] = mapped_column(default=0)  # the WordPress user, 0 for a visitor
    date_gmt: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(20), default="approved")  # as on the site
    html: Mapped[str] = mapped_column(Text, default="")  # as the site renders it: untrusted
    text: Mapped[str] = mapped_column(Text, default="")  # plain text, for previews and search
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    votes: Mapped[int] = mapped_column(default=0)
    link: Mapped[str] = mapped_column(Text, default="")
    action: Mapped[str] = mapped_column(String(20), default="")  # the last action asked here
    job_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbox_jobs.id", ondelete="SET NULL"), nullable=True
    )
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        Index("ix_comments_remote", "site_id", "remote_id", unique=True),
        Index("ix_comments_post", "site_id", "post_id"),
        Index("ix_comments_status", "status"),
    )


class CommentSync(Base):
    """What the last comment sync of a site learnt: who synced, what the site offers, how far it got."""

    __tablename__ = "comment_sync"

    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(default=0)
    user_name: Mapped[str] = mapped_column(Text, default="")
    scope: Mapped[str] = mapped_column(String(10), default="")  # "site" or "own"
    features: Mapped[str] = mapped_column(Text, default="[]")  # JSON, the companion plugin's
    max_remote_id: Mapped[int] = mapped_column(default=0)
    server_time: Mapped[int] = mapped_column(default=0)  # the site's clock when the last sync began
    synced_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    full_synced_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
