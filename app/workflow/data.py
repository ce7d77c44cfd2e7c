"""The workflow's plain values: they cross threads and the command line's JSON as they are."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from app.pieces.workflow import Status
from app.publishing.safety import ConflictInfo
from app.workflow.roles import Act, Role

SITE_STATUS_LABELS = {
    "draft": "Draft",
    "pending": "Pending review",
    "future": "Scheduled",
    "publish": "Published",
    "private": "Private",
    "trash": "In the trash",
}


_FROM_SITE: dict[tuple[str, str], Status] = {
    ("pending", ""): Status.SUBMITTED,
    ("pending", "submitted"): Status.SUBMITTED,
    ("pending", "changes_requested"): Status.SUBMITTED,
    ("pending", "approved"): Status.APPROVED,
    ("draft", ""): Status.DRAFT,
    ("draft", "submitted"): Status.DRAFT,
    ("draft", "changes_requested"): Status.CHANGES_REQUESTED,
    ("draft", "approved"): Status.APPROVED,
}


def local_status(remote_status: str, state: str, current: Status) -> Status:
    """The local status of a linked piece, from its post's status and the plugin's review state."""
    if remote_status == "publish":
        return Status.PUBLISHED
    if remote_status == "future":
        return Status.SCHEDULED
    return _FROM_SITE.get((remote_status, state), current)


@dataclass(frozen=True)
class SiteWorkflow:
    """What the user may do on one site, and what the site keeps of the review."""

    site_id: int
    site_name: str
    role: Role
    acts: frozenset[Act]
    plugin_version: str  # "" without the companion plugin
    features: frozenset[str]
    missing: tuple[str, ...]  # what the workflow lacks on this site, in words

    @property
    def has_review(self) -> bool:
        return "review-state" in self.features


@dataclass(frozen=True)
class QueueItem:
    site_id: int
    site_name: str
    post_id: int
    title: str
    byline: str
    submitted_by: str
    submitted_at: datetime | None
    word_count: int
    categories: tuple[int, ...]
    link: str
    piece_id: int | None  # the local piece linked to it, if any

    def age(self, now: datetime) -> float:
        """Seconds since it was submitted (0 when the site does not say)."""
        return (now - self.submitted_at).total_seconds() if self.submitted_at else 0.0


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    action: str  # "status", "submitted", "returned", "approved", "scheduled", "published", "queued"
    from_status: str
    to_status: str
    user_name: str
    machine: str
    note: str
    source: str  # "site" (read from the site) or "local" (done or queued here)
    site_name: str = ""

    @property
    def text(self) -> str:
        words = {
            "submitted": "submitted for review",
            "returned": "returned with changes requested",
            "approved": "approved",
            "scheduled": "approved and scheduled",
            "published": "published",
            "queued": "queued",
        }
        if self.action == "status":
            old = SITE_STATUS_LABELS.get(self.from_status, self.from_status or "new")
            new = SITE_STATUS_LABELS.get(self.to_status, self.to_status)
            return f"{old} → {new}"
        return words.get(self.action, self.action)


@dataclass(frozen=True)
class CalendarEntry:
    when: datetime
    piece_id: int | None
    post_id: int | None
    title: str
    site_name: str  # "" for a piece on no site
    status: str  # "future" or "publish"
    missed: bool = False


@dataclass(frozen=True)
class MissedSchedule:
    piece_id: int
    site_id: int
    site_name: str
    post_id: int
    title: str
    due: datetime

    @property
    def message(self) -> str:
        return (
            f"“{self.title}” was due on {self.site_name} at {self.due:%Y-%m-%d %H:%M} UTC but the "
            "site has not published it (WordPress's scheduler runs only when someone visits). "
            "Publish it now, or reschedule it. Careful: any edit of it on the site publishes it at "
            "once."
        )


@dataclass
class PieceSyncReport:
    """What a pieces sync found on one site."""

    site_id: int
    site_name: str
    checked: int = 0
    status_changed: list[int] = field(default_factory=list)  # piece ids
    text_updated: list[int] = field(default_factory=list)  # piece ids: the editor's text came back
    returned: list[int] = field(default_factory=list)  # piece ids now "changes requested"
    conflicts: list[ConflictInfo] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # deleted, trashed, no longer visible
    missed: list[MissedSchedule] = field(default_factory=list)
    awaiting_review: int | None = None  # pending posts an editor may review (None: not an editor)
    requests: int = 0

    @property
    def inbox(self) -> list[str]:
        lines = []
        if self.returned:
            n = len(self.returned)
            lines.append(f"{n} piece{'s' if n > 1 else ''} returned to you on {self.site_name}")
        if self.awaiting_review:
            n = self.awaiting_review
            verb = "await" if n > 1 else "awaits"
            lines.append(f"{n} piece{'s' if n > 1 else ''} {verb} your review on {self.site_name}")
        return lines
