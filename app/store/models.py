"""The ORM models of the local library (SQLAlchemy 2.x, typed).

Times are stored in UTC and come back timezone-aware. The schema is created and changed only by the
Alembic migrations in ``app/store/migrations``; these classes must stay in step with them
(a test compares them).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out; naive UTC in SQLite so text order is time order."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    pass


class Piece(Base):
    __tablename__ = "pieces"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)
    title: Mapped[str] = mapped_column(Text, default="")
    standfirst: Mapped[str] = mapped_column(Text, default="")
    slug: Mapped[str] = mapped_column(String(200), default="")
    slug_manual: Mapped[bool] = mapped_column(default=False)
    byline: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    excerpt: Mapped[str] = mapped_column(Text, default="")
    featured_image: Mapped[str] = mapped_column(Text, default="")
    publish_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    comment_status: Mapped[str] = mapped_column(String(10), default="open")
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    word_count: Mapped[int] = mapped_column(default=0)
    disclaimer_id: Mapped[int | None] = mapped_column(
        ForeignKey("disclaimers.id", ondelete="SET NULL"), nullable=True
    )
    extra: Mapped[str] = mapped_column(Text, default="{}")  # unknown front matter keys, as JSON
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    trashed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, index=True)

    terms: Mapped[list[PieceTerm]] = relationship(
        back_populates="piece", cascade="all, delete-orphan", order_by="PieceTerm.position"
    )
    snippet_links: Mapped[list[PieceSnippet]] = relationship(
        back_populates="piece", cascade="all, delete-orphan", order_by="PieceSnippet.position"
    )
    revisions: Mapped[list[Revision]] = relationship(
        back_populates="piece", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (
        CheckConstraint("comment_status IN ('open', 'closed')", name="ck_pieces_comment_status"),
    )


class PieceTerm(Base):
    """A tag or a category of a piece, kept by name (they map to the CMS's terms when pushed)."""

    __tablename__ = "piece_terms"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    piece_id: Mapped[int] = mapped_column(ForeignKey("pieces.id", ondelete="CASCADE"))
    taxonomy: Mapped[str] = mapped_column(String(20))  # "tag" or "category"
    name: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(default=0)

    piece: Mapped[Piece] = relationship(back_populates="terms")

    __table_args__ = (
        UniqueConstraint("piece_id", "taxonomy", "name", name="uq_piece_terms"),
        CheckConstraint("taxonomy IN ('tag', 'category')", name="ck_piece_terms_taxonomy"),
        Index("ix_piece_terms_lookup", "taxonomy", "name"),
    )


class BoilerplateEntry(Base):
    """What disclaimers and snippets have in common: a unique name and a Markdown text."""

    __abstract__ = True

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Disclaimer(BoilerplateEntry):
    __tablename__ = "disclaimers"


class Snippet(BoilerplateEntry):
    """A reusable call-to-action block (newsletter sign-up, 'write to us', ...)."""

    __tablename__ = "snippets"


class PieceSnippet(Base):
    __tablename__ = "piece_snippets"

    piece_id: Mapped[int] = mapped_column(ForeignKey("pieces.id", ondelete="CASCADE"), primary_key=True)
    snippet_id: Mapped[int] = mapped_column(
        ForeignKey("snippets.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(default=0)

    piece: Mapped[Piece] = relationship(back_populates="snippet_links")
    snippet: Mapped[Snippet] = relationship()


class DefaultRule(Base):
    """Attach a disclaimer or a snippet to every new piece in a category or under a byline."""

    __tablename__ = "default_rules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    match_field: Mapped[str] = mapped_column(String(20))  # "category" or "byline"
    match_value: Mapped[str] = mapped_column(Text)
    disclaimer_id: Mapped[int | None] = mapped_column(
        ForeignKey("disclaimers.id", ondelete="CASCADE"), nullable=True
    )
    snippet_id: Mapped[int | None] = mapped_column(
        ForeignKey("snippets.id", ondelete="CASCADE"), nullable=True
    )

    __table_args__ = (
        CheckConstraint("match_field IN ('category', 'byline')", name="ck_default_rules_field"),
        CheckConstraint(
            "(disclaimer_id IS NULL) <> (snippet_id IS NULL)", name="ck_default_rules_target"
        ),
    )


class Revision(Base):
    """A full snapshot of a piece at one moment; restoring one makes a new revision."""

    __tablename__ = "revisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    piece_id: Mapped[int] = mapped_column(ForeignKey("pieces.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reason: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    title: Mapped[str] = mapped_column(Text, default="")
    word_count: Mapped[int] = mapped_column(default=0)
    snapshot: Mapped[str] = mapped_column(Text)  # JSON of the piece's fields

    piece: Mapped[Piece] = relationship(back_populates="revisions")


# -- remote sites, links of pieces to their posts, and the outbox (issue 3) -----------------------


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


# -- reader comments (issue 4) -------------------------------------------------------------------


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


# -- the editorial workflow (issue 10) -----------------------------------------------------------


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
