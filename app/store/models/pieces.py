"""Pieces, their terms, disclaimers and snippets, the rules that attach them, and revisions."""

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
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.store.models.base import Base, UTCDateTime, utcnow


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
