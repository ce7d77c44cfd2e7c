"""Remote sites, the links of pieces to their posts, and the outbox."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.store.models.base import Base, UTCDateTime, utcnow


class Site(Base):
    """A WordPress site the user pushes to. The application password lives in the OS keyring only."""

    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    url: Mapped[str] = mapped_column(Text)  # the site's address, normalised, without a trailing slash
    username: Mapped[str] = mapped_column(Text)
    api_root: Mapped[str] = mapped_column(Text, default="")  # ".../wp-json/" or ".../?rest_route=/"
    allow_insecure_http: Mapped[bool] = mapped_column(default=False)
    secret_key: Mapped[str] = mapped_column(Text)  # the keyring entry's user name, never the secret
    role: Mapped[str] = mapped_column(String(50), default="")
    capabilities: Mapped[str] = mapped_column(Text, default="[]")  # JSON list, from the last check
    companion_version: Mapped[str] = mapped_column(String(20), default="")
    # JSON: where the byline and the standfirst go (app.sites.mapping.SiteMapping)
    publishing: Mapped[str] = mapped_column(Text, default="{}", server_default="{}")
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PieceLink(Base):
    """Where one piece lives on one site: the remote post, and what was last sent and seen there."""

    __tablename__ = "piece_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    piece_id: Mapped[int] = mapped_column(ForeignKey("pieces.id", ondelete="CASCADE"))
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    remote_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    link: Mapped[str] = mapped_column(Text, default="")
    remote_status: Mapped[str] = mapped_column(String(20), default="")
    modified_gmt: Mapped[str] = mapped_column(String(32), default="")  # as WordPress wrote it
    remote_hash: Mapped[str] = mapped_column(String(64), default="")  # of the post as last seen
    content_hash: Mapped[str] = mapped_column(String(64), default="")  # of what was last pushed
    media: Mapped[str] = mapped_column(Text, default="{}")  # JSON: local image -> remote media
    terms: Mapped[str] = mapped_column(Text, default="{}")  # JSON: taxonomy -> name -> term id
    pending_write: Mapped[str] = mapped_column(Text, default="")  # JSON: a write sent, answer unseen
    pushed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    pulled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        UniqueConstraint("piece_id", "site_id", name="uq_piece_links"),
        # one local piece per remote post (NULLs, "not pushed yet", do not collide)
        Index("ix_piece_links_remote", "site_id", "remote_id", unique=True),
    )


class OutboxJob(Base):
    """One remote action waiting, running, done or failed: every push goes through here."""

    __tablename__ = "outbox_jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))  # "push", later "comment.approve", ...
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    piece_id: Mapped[int | None] = mapped_column(
        ForeignKey("pieces.id", ondelete="SET NULL"), nullable=True, index=True
    )
    payload: Mapped[str] = mapped_column(Text, default="{}")  # JSON, the kind's own arguments
    state: Mapped[str] = mapped_column(String(20), default="queued")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str] = mapped_column(Text, default="")
    error_kind: Mapped[str] = mapped_column(String(20), default="")
    result: Mapped[str] = mapped_column(Text, default="{}")  # JSON
    claimed_by: Mapped[str] = mapped_column(String(200), default="")
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    __table_args__ = (
        CheckConstraint(
            "state IN ('queued', 'in_flight', 'done', 'failed', 'cancelled')",
            name="ck_outbox_jobs_state",
        ),
        Index("ix_outbox_jobs_due", "state", "next_attempt_at"),
    )
