"""The plain values of the comment desk: they cross threads and layers with no database attached."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class CommentStatus(StrEnum):
    """A comment's status as WordPress's REST API names it."""

    APPROVED = "approved"
    HOLD = "hold"
    SPAM = "spam"
    TRASH = "trash"
    POST_TRASHED = "post-trashed"  # its post is in the trash

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.value]


STATUS_LABELS = {
    "approved": "Approved",
    "hold": "Awaiting moderation",
    "spam": "Spam",
    "trash": "Trash",
    "post-trashed": "Post in the trash",
}
# what "total" counts and what a thread shows unless a status is chosen: what readers can see or may
VISIBLE = ("approved", "hold")


class Action(StrEnum):
    APPROVE = "approve"
    HOLD = "hold"
    SPAM = "spam"
    TRASH = "trash"
    RESTORE = "restore"  # out of the spam or the trash, to the status it had before

    @property
    def label(self) -> str:
        return {
            "approve": "Approve",
            "hold": "Hold",
            "spam": "Mark as spam",
            "trash": "Trash",
            "restore": "Restore",
        }[self.value]

    @property
    def target(self) -> str | None:
        """The status the comment will have; None for restore (the site remembers which)."""
        return {"approve": "approved", "hold": "hold", "spam": "spam", "trash": "trash"}.get(self.value)


REPLY = "reply"  # the action of a reply of the user's waiting to be sent


class SortKey(StrEnum):
    NEWEST = "newest"
    OLDEST = "oldest"
    VOTES = "votes"

    @property
    def label(self) -> str:
        return {"newest": "Newest first", "oldest": "Oldest first", "votes": "Most voted"}[self.value]


@dataclass(frozen=True)
class Counts:
    new: int = 0  # arrived since the user last looked
    held: int = 0  # awaiting moderation
    total: int = 0  # approved and awaiting moderation (not spam, not trash)

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.new + other.new, self.held + other.held, self.total + other.total)

    def as_tuple(self) -> tuple[int, int, int]:
        return (self.new, self.held, self.total)


@dataclass(frozen=True)
class VotesAvailability:
    available: bool
    reason: str = ""  # why not, in words for a tooltip


@dataclass(frozen=True)
class CommentData:
    id: int  # local
    site_id: int
    remote_id: int | None  # None: a reply of the user's not sent yet
    post_id: int  # the remote post
    parent_id: int  # the remote parent comment, 0 for none
    author_name: str
    author_url: str
    mine: bool  # written by the signed-in user
    date: datetime  # UTC
    status: str  # as last seen on the site
    html: str  # as the site renders it: untrusted, sanitise before showing (app.comments.sanitize)
    text: str  # plain text
    votes: int
    link: str
    first_seen_at: datetime
    parent_author: str = ""  # "Reply to Bevin"
    parent_status: str = ""
    post_title: str = ""
    pending: str = ""  # an action (or "reply") waiting in the outbox, "" when none
    problem: str = ""  # why the last action failed: changed or gone on the site, refused...
    new: bool = False

    @property
    def shown_status(self) -> str:
        """The status the desk shows: where a waiting action will take the comment."""
        target = Action(self.pending).target if self.pending in Action._value2member_map_ else None
        return target or self.status

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.shown_status, self.shown_status)

    @property
    def pending_label(self) -> str:
        if not self.pending:
            return ""
        if self.pending == REPLY:
            return "Reply waiting to be sent"
        return f"{Action(self.pending).label} waiting to be sent"


@dataclass(frozen=True)
class PostRef:
    """A post with comments, and the piece it was pushed from (None when Copydesk did not push it)."""

    site_id: int
    site_name: str
    post_id: int
    title: str
    link: str
    piece_id: int | None
    counts: Counts = field(default_factory=Counts)
    votes: VotesAvailability = field(default_factory=lambda: VotesAvailability(False))

    @property
    def key(self) -> tuple[int, int]:
        return (self.site_id, self.post_id)


@dataclass(frozen=True)
class ThreadNode:
    comment: CommentData
    children: tuple[ThreadNode, ...] = ()


@dataclass(frozen=True)
class Thread:
    """What the desk shows: comments as a tree, sorted, with what they are about."""

    title: str
    roots: tuple[ThreadNode, ...]
    count: int
    sort: SortKey
    votes: VotesAvailability
    posts: tuple[PostRef, ...] = ()


@dataclass(frozen=True)
class SyncReport:
    site_id: int
    site_name: str
    full: bool  # everything was fetched (the first sync, or asked for)
    fetched: int  # comments read from the site
    added: int  # comments new to the library
    changed: int  # comments whose status, text or votes changed
    removed: int  # comments gone from the site
    requests: int  # HTTP requests made
    scope: str  # "site" (every comment) or "own" (the user's posts)
    votes: bool  # the site shows votes (companion plugin)

    @property
    def summary(self) -> str:
        parts = [f"{self.added} new" if self.added else "nothing new"]
        if self.changed:
            parts.append(f"{self.changed} changed")
        if self.removed:
            parts.append(f"{self.removed} gone")
        return f"{self.site_name}: " + ", ".join(parts)
