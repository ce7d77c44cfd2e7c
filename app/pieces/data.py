"""Plain values that carry a piece between the store, the renderer, the CLI and the UI.

These are detached copies: a worker thread can fill one and hand it to the GUI thread without any
database session attached.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from typing import Any, Literal

from app.pieces.workflow import Status

RevisionReason = Literal[
    "created",
    "saved",
    "autosave",
    "status",
    "restored",
    "imported",
    "duplicated",
    "pulled",
    "reviewed",
]


@dataclass
class PieceData:
    """Everything a columnist edits in a piece."""

    id: int | None = None
    uid: str = ""
    title: str = ""
    standfirst: str = ""
    slug: str = ""
    slug_manual: bool = False
    byline: str = ""
    body: str = ""
    tags: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    excerpt: str = ""
    featured_image: str = ""
    publish_at: datetime | None = None
    comment_status: str = "open"
    status: Status = Status.DRAFT
    disclaimer_id: int | None = None
    snippet_ids: list[int] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    created_at: datetime | None = None
    updated_at: datetime | None = None
    trashed_at: datetime | None = None
    word_count: int = 0

    def copy(self, **changes: Any) -> PieceData:
        clone = replace(self, **changes)
        # lists and dicts must not be shared between copies
        for name in ("tags", "categories", "snippet_ids"):
            if name not in changes:
                setattr(clone, name, list(getattr(self, name)))
        if "extra" not in changes:
            clone.extra = dict(self.extra)
        return clone

    def content_equals(self, other: PieceData) -> bool:
        """Whether the user-editable content is the same (times and counters aside)."""
        return all(getattr(self, name) == getattr(other, name) for name in EDITABLE_FIELDS)


EDITABLE_FIELDS: tuple[str, ...] = tuple(
    f.name
    for f in fields(PieceData)
    if f.name not in {"id", "uid", "created_at", "updated_at", "trashed_at", "word_count"}
)


@dataclass(frozen=True)
class PieceSummary:
    """One row of the library list."""

    id: int
    title: str
    status: Status
    updated_at: datetime
    word_count: int
    byline: str
    trashed: bool


@dataclass(frozen=True)
class Boilerplate:
    """A disclaimer or a call-to-action snippet from the library."""

    id: int
    name: str
    body: str


def to_snapshot(data: PieceData) -> dict[str, Any]:
    """The editable fields of *data* as JSON-ready values (for revisions)."""
    out: dict[str, Any] = {}
    for name in EDITABLE_FIELDS:
        value = getattr(data, name)
        if isinstance(value, datetime):
            value = value.isoformat()
        elif isinstance(value, Status):
            value = value.value
        out[name] = value
    return out


def from_snapshot(snapshot: dict[str, Any], base: PieceData) -> PieceData:
    """*base* with the fields of *snapshot* applied (fields the snapshot lacks keep their value)."""
    changes: dict[str, Any] = {}
    for name in EDITABLE_FIELDS:
        if name not in snapshot:
            continue
        value = snapshot[name]
        if name == "publish_at" and value is not None:
            value = datetime.fromisoformat(value)
        elif name == "status":
            value = Status(value)
        elif isinstance(value, list):
            value = list(value)
        elif isinstance(value, dict):
            value = dict(value)
        changes[name] = value
    return base.copy(**changes)
