"""The workflow's plain values: they cross threads and the command line's JSON as they are."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from app.pieces.workflow import Status
from app.publishing.safety import ConflictInfo
from app.sites.statuses import DRAFT, FUTURE, PENDING, PUBLISH, label
from app.workflow.roles import Act, Role

_FROM_SITE: dict[tuple[str, str], Status] = {
    (PENDING, ""): Status.SUBMITTED,
    (PENDING, "submitted"): Status.SUBMITTED,
    (PENDING, "changes_requested"): Status.SUBMITTED,
    (PENDING, "approved"): Status.APPROVED,
    (DRAFT, ""): Status.DRAFT,
    (DRAFT, "submitted"): Status.DRAFT,
    (DRAFT, "changes_requested"): Status.CHANGES_REQUESTED,
    (DRAFT, "approved"): Status.APPROVED,
}


def local_status(remote_status: str, state: str, current: Status) -> Status:
    """The local status of a linked piece, from its post's status and the plugin's review state; a
    status the app does not know (a custom one the site registers) leaves it as it was."""
    if remote_status == PUBLISH:
        return Status.PUBLISHED
    if remote_status == FUTURE:
        return Status.SCHEDULED
    return _FROM_SITE.get((remote_status, state), current)


def status_label(status: str, site_labels: dict[str, str] | None = None) -> str:
    """A post's status in words: the site's own label for a status it registers (a custom one, e.g.
    PublishPress's “Pitch”), else Copydesk's ("Pending review"), else the word itself."""
    if site_labels and status in site_labels and label(status) == status:
        return site_labels[status]
    return label(status)


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
    status: str = "pending"  # the post's status: pending, or a custom one the site registers
    status_label: str = "Pending review"  # in words, as the site names it

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
    site_labels: dict[str, str] | None = field(default=None, compare=False)  # custom statuses

    @property
    def text(self) -> str:
        words = {
            "submitted": "submitted for review",
            "returned": "returned with changes requested",
            "approved": "approved",
            "scheduled": "approved and scheduled",
            "published": "published",
            "queued": "queued",
            "pushed": "your edits sent before approving",
        }
        if self.action == "status":
            old = status_label(self.from_status, self.site_labels) if self.from_status else "new"
            return f"{old} → {status_label(self.to_status, self.site_labels)}"
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
