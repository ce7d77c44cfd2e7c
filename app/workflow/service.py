"""The editorial workflow's one entry point: ``core.workflow``.

Reading (the timeline, the calendar, the cached review queue, missed schedules) works on the library
alone, offline. Every action on a site goes through the outbox (:mod:`app.workflow.jobs`), so it waits
offline and lands once; ``send()`` tries it at once. Synchronous; the UI calls it through its runner.

    flow = core.workflow
    job = flow.submit(piece.id, site.id)                # contributor
    flow.send([job.id])
    items = flow.queue(site.id)                         # editor
    piece = flow.open_post(site.id, items[0].post_id)
    flow.send([flow.send_back(piece.id, "Tighten the lede").id])
    flow.send([flow.approve(piece.id, at=tomorrow).id])
    reports = flow.sync()                               # both: statuses and the editor's text back
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from app.cms.wordpress.review import ReviewApi
from app.errors import CopydeskError, InvalidInputError, NotFoundError
from app.pieces.data import PieceData
from app.pieces.workflow import Status
from app.publishing.safety import ConflictInfo
from app.workflow.calendar import Calendar
from app.workflow.data import (
    CalendarEntry,
    MissedSchedule,
    PieceSyncReport,
    QueueItem,
    SiteWorkflow,
    TimelineEntry,
    status_label,
)
from app.workflow.jobs import (
    APPROVE,
    KINDS,
    PLUGIN_VERSION,
    RETURN,
    SUBMIT,
    WorkflowDeps,
    WorkflowJobs,
    has_review_plugin,
)
from app.workflow.queue import QueueReader, SiteStatuses
from app.workflow.roles import (
    Act,
    Role,
    allowed_acts,
    allowed_local,
    check_local_status,
    check_schedule,
    require,
    role_of,
)
from app.workflow.store import WorkflowStore, fingerprint, pushed_since
from app.workflow.sync import PieceSyncer

if TYPE_CHECKING:
    from app.outbox.queue import Job
    from app.outbox.worker import JobOutcome
    from app.pieces.library import PieceLibrary
    from app.publishing.links import LinkData
    from app.remote import RemoteServices
    from app.render.stored import ArticleRenderer
    from app.sites.registry import SiteData
    from app.store import Database

log = logging.getLogger(__name__)

MAX_NOTE = 20_000


@dataclass(frozen=True)
class OpenedPost:
    """A post opened as a local piece; *conflict* when the piece had edits of its own here and the
    post changed on the site too (nothing was overwritten: the side-by-side view decides)."""

    piece: PieceData
    conflict: ConflictInfo | None = None


class WorkflowService:
    def __init__(
        self,
        db: Database,
        pieces: PieceLibrary,
        articles: ArticleRenderer,
        remote: Callable[[], RemoteServices],
    ) -> None:
        self._pieces = pieces
        self._articles = articles
        self._remote_services = remote  # built on first use: reading needs no network
        self.store = WorkflowStore(db)
        self.statuses = SiteStatuses(self.store, lambda: self._deps.clock())  # noqa: PLW0108 - later
        self._queue = QueueReader(remote, self.store, self.statuses)
        # (piece, site, action, override reason): the pre-publish checklist, set by the core
        self.gate: Callable[[int, int, str, str], None] | None = None

    @property
    def _remote(self) -> RemoteServices:
        return self._remote_services()

    @property
    def _jobs(self) -> WorkflowJobs:
        return self._remote.workflow_jobs

    @property
    def _deps(self) -> WorkflowDeps:
        return self._remote.workflow_deps

    # -- roles and what the site offers -------------------------------------------------------------

    def site(self, site_id: int) -> SiteWorkflow:
        """The user's role on a site (from the last connection check) and what the site keeps."""
        site = self._remote.sites.get(site_id)
        role = role_of(site.capabilities) if site.checked_at else Role.NONE
        missing: list[str] = []
        if not site.companion_version:
            missing.append(
                f"{site.name} has no Copydesk companion plugin: Copydesk works with WordPress's "
                "statuses alone. The editor's note, “approved” and “changes requested”, who did what "
                "from which machine, and the submitted version are kept only in each library; and "
                "a contributor cannot follow the piece once it is scheduled. Ask the site's "
                "administrator to install packaging/wordpress/copydesk-companion.php."
            )
        elif not has_review_plugin(site):
            wanted = ".".join(str(n) for n in PLUGIN_VERSION)
            missing.append(
                f"The Copydesk plugin on {site.name} is version {site.companion_version}, older than "
                f"this Copydesk expects ({wanted}): the review is kept with WordPress's statuses "
                "alone until its administrator updates it."
            )
        features = frozenset({"review-state", "review-timeline", "review-submissions"})
        return SiteWorkflow(
            site_id=site.id, site_name=site.name, role=role, acts=allowed_acts(role),
            plugin_version=site.companion_version,
            features=features if has_review_plugin(site) else frozenset(),
            missing=tuple(missing),
        )  # fmt: skip

    def _role(self, site: SiteData) -> Role:
        if site.checked_at is None:
            raise InvalidInputError(
                f"Copydesk does not know your role on {site.name} yet.",
                hint=f"Check the connection first (copydesk site check “{site.name}”).",
            )
        return role_of(site.capabilities)

    def _linked(self, piece_id: int) -> list[LinkData]:
        return [link for link in self._remote.links.for_piece(piece_id) if link.remote_id is not None]

    def allowed_statuses(self, piece_id: int) -> frozenset[Status]:
        """The local statuses the piece may be given (every one when it is on no site)."""
        roles = [self._role(self._remote.sites.get(link.site_id)) for link in self._linked(piece_id)]
        return allowed_local(roles)

    def set_status(self, piece_id: int, status: Status) -> PieceData:
        """Set a local status; refused when a site the piece is on would not let the user set it."""
        piece = self._pieces.get(piece_id)
        links = self._linked(piece_id) if self.store.has_links() else []  # none: no network
        roles = [self._role(self._remote.sites.get(link.site_id)) for link in links]
        check_local_status(piece.status, status, roles)
        return self._pieces.set_status(piece_id, status)

    def _target(self, piece_id: int, site_id: int | None) -> tuple[SiteData, LinkData]:
        links = self._linked(piece_id)
        if site_id is not None:
            links = [link for link in links if link.site_id == site_id]
        if not links:
            title = self._pieces.get(piece_id).title or "The piece"
            raise InvalidInputError(
                f"“{title}” is not on that site yet.",
                hint="Open it from the review queue, or submit it first.",
            )
        if len(links) > 1:
            raise InvalidInputError("The piece is on several sites; name one with --site.")
        return self._remote.sites.get(links[0].site_id), links[0]

    def _expected(self, piece_id: int, site_id: int, post_id: int) -> dict[str, str]:
        state = self.store.state(piece_id, site_id)
        link = self._remote.links.get(piece_id, site_id)
        if pushed_since(link, state) and link is not None:  # the version the user saw: ours
            return {"expected_modified_gmt": link.modified_gmt, "expected_hash": ""}
        if state is not None and state.modified_gmt:
            return {"expected_modified_gmt": state.modified_gmt, "expected_hash": state.content_hash}
        queued = self.store.queued_post(site_id, post_id)
        if queued is not None:
            return {"expected_modified_gmt": queued[0], "expected_hash": queued[1]}
        return {}

    # -- the actions (each one an outbox job) ------------------------------------------------------

    def submit(self, piece_id: int, site_id: int, *, override: str = "") -> Job:
        site = self._remote.sites.get(site_id)
        require(self._role(site), Act.SUBMIT, site.name)
        if self.gate:
            self.gate(piece_id, site.id, "submit", override)
        piece, _site = self._remote.publisher.validate(piece_id, site_id, "pending")
        title = piece.title or "untitled"
        return self._jobs.enqueue(SUBMIT, piece_id, site_id, f"Submit “{title}” for review")

    def send_back(self, piece_id: int, note: str, *, site_id: int | None = None) -> Job:
        note = note.strip()
        if not note:
            raise InvalidInputError("Say what should change: the note cannot be empty.")
        if len(note) > MAX_NOTE:
            raise InvalidInputError(f"The note is too long (at most {MAX_NOTE} characters).")
        site, link = self._target(piece_id, site_id)
        require(self._role(site), Act.RETURN, site.name)
        self._refuse_published(link, site)
        post_id = link.remote_id or 0
        title = self._pieces.get(piece_id).title or "untitled"
        return self._jobs.enqueue(
            RETURN, piece_id, site.id, f"Return “{title}” with a note", post_id=post_id, note=note,
            **self._expected(piece_id, site.id, post_id),
        )  # fmt: skip

    def approve(
        self,
        piece_id: int,
        *,
        at: datetime | None = None,
        publish: bool = False,
        site_id: int | None = None,
        override: str = "",
    ) -> Job:
        """Approve; with *at*, schedule it then (WordPress's 60-second rule checked first); with
        *publish*, publish it now. The checklist is checked first (*override*: an editor's reason)."""
        site, link = self._target(piece_id, site_id)
        role = self._role(site)
        require(role, Act.PUBLISH if publish else Act.SCHEDULE if at else Act.APPROVE, site.name)
        self._refuse_published(link, site)
        if at is not None:
            if publish:
                raise InvalidInputError("Either schedule it or publish it now, not both.")
            check_schedule(at, self._deps.clock())
        if self.gate:
            self.gate(piece_id, site.id, "publish" if publish else "schedule" if at else "approve",
                      override)  # fmt: skip
        post_id = link.remote_id or 0
        title = self._pieces.get(piece_id).title or "untitled"
        verb = "Schedule" if at else "Publish" if publish else "Approve"
        return self._jobs.enqueue(
            APPROVE, piece_id, site.id, f"{verb} “{title}”", post_id=post_id,
            at=at.astimezone(UTC).isoformat() if at else "", publish=publish,
            **self._expected(piece_id, site.id, post_id),
        )  # fmt: skip

    def publish_now(self, piece_id: int, *, site_id: int | None = None, override: str = "") -> Job:
        """Publish at once: an editor through the review, an author their own piece by a push."""
        site, _link = self._target(piece_id, site_id)
        role = self._role(site)
        if role is Role.AUTHOR:
            if self.gate:
                self.gate(piece_id, site.id, "publish", override)
            return self._remote.outbox.enqueue_push(piece_id, site.id, status="publish")
        return self.approve(piece_id, publish=True, site_id=site.id, override=override)

    def _refuse_published(self, link: LinkData, site: SiteData) -> None:
        if link.remote_status == "publish":
            raise InvalidInputError(
                f"The piece is published on {site.name} already; there is nothing to review.",
                hint="Sync the pieces if you think that is out of date.",
            )

    def send(self, job_ids: Sequence[int]) -> list[JobOutcome]:
        """Run these jobs now; those the site does not take now stay queued and are retried."""
        return self._remote.send(job_ids)

    def send_due(self) -> list[JobOutcome]:
        """Run the review actions that are due."""
        return self._remote.send_due(KINDS)

    def waiting(self) -> int:
        """Review actions queued in the outbox, not carried out yet."""
        from app.outbox.queue import JobState

        return len([j for j in self._remote.outbox.jobs([JobState.QUEUED]) if j.kind in KINDS])

    # -- the review queue ----------------------------------------------------------------------------

    def queue(self, site_id: int, *, category: str | None = None) -> list[QueueItem]:
        """The posts awaiting review on a site (pending, or in a custom status the site registers),
        newest first (fetched now, and kept for offline)."""
        return self._queue.fetch(site_id, category=category)

    def cached_queue(self, site_id: int | None = None) -> list[QueueItem]:
        """The review queue as last fetched (offline)."""
        return self.store.queue(site_id)

    def open_post(self, site_id: int, post_id: int) -> PieceData:
        """Make (or bring up to date) the local piece linked to a post, e.g. from the queue. A piece
        with edits of its own here keeps them (see :meth:`open_post_checked` for the conflict)."""
        return self.open_post_checked(site_id, post_id).piece

    def open_post_checked(self, site_id: int, post_id: int) -> OpenedPost:
        """:meth:`open_post`, and the conflict when the piece was edited here and the post changed
        on the site too: reported at once, as a pieces sync would (nothing is overwritten)."""
        remote = self._remote
        link = remote.links.by_remote(site_id, post_id)
        if link is None:
            piece = remote.puller.import_post(site_id, post_id)
        else:
            piece = self._pieces.get(link.piece_id)
            state = self.store.state(link.piece_id, site_id)
            if state is None or fingerprint(piece) == state.fingerprint:
                piece = remote.publisher.take_theirs(link.piece_id, site_id)
        assert piece.id is not None
        report = self._refresh_state(piece.id, site_id, post_id)
        conflict = report.conflicts[0] if report.conflicts else None
        return OpenedPost(self._pieces.get(piece.id), conflict)

    def _refresh_state(self, piece_id: int, site_id: int, post_id: int) -> PieceSyncReport:
        """Read the post's review once and remember it as the version the user saw."""
        site = self._remote.sites.get(site_id)
        syncer = PieceSyncer(self._deps, self._articles)
        report = PieceSyncReport(site_id, site.name)
        api = ReviewApi(self._remote.sites.client(site_id))
        plugin = has_review_plugin(site)
        found, missing = api.reviews([post_id]) if plugin else api.states([post_id])
        if post_id in missing:
            raise NotFoundError(f"Post {post_id} is no longer on {site.name}.")
        self.statuses.labels(site_id, api, met={found[post_id].status})
        syncer._one(  # noqa: SLF001 - the same step as a sync, for one post
            site, self._remote.sites.client(site_id), piece_id, post_id, found[post_id], report,
            plugin=plugin,
        )  # fmt: skip
        return report

    # -- sync ------------------------------------------------------------------------------------------

    def sync(
        self, site_id: int | None = None
    ) -> tuple[list[PieceSyncReport], list[tuple[str, CopydeskError]]]:
        """Send the review actions that are due, then bring each linked piece's status (and the
        editor's text) back from its site. A site that fails does not stop the others."""
        self.send_due()
        syncer = PieceSyncer(self._deps, self._articles)
        sites = [self._remote.sites.get(site_id)] if site_id else self._remote.sites.list()
        reports, errors = [], []
        for site in sites:
            try:
                reports.append(syncer.sync_site(site.id))
            except CopydeskError as exc:
                log.info("Pieces of %s not synced: %s", site.name, exc)
                errors.append((site.name, exc))
        return reports, errors

    # -- reading, offline --------------------------------------------------------------------------

    def site_statuses(self, piece_id: int) -> list[tuple[str, str]]:
        """Where the piece stands on each site it is on, as last synced: (site name, the status in
        the site's own words: a custom status by its label). Offline; Copydesk never sets one."""
        found = []
        for state in self.store.states():
            if state.piece_id == piece_id and state.remote_status:
                name = self._remote.sites.get(state.site_id).name
                labels = self.statuses.kept(state.site_id)
                found.append((name, status_label(state.remote_status, labels)))
        return found

    def timeline(self, piece_id: int) -> list[TimelineEntry]:
        self._pieces.get(piece_id)  # NotFoundError for a piece that does not exist
        return self.store.timeline(piece_id)

    @property
    def _calendar(self) -> Calendar:
        return Calendar(self.store, self._pieces, lambda site_id: self._remote.sites.get(site_id).name)

    def missed(self, now: datetime | None = None) -> list[MissedSchedule]:
        """Scheduled posts whose time passed more than five minutes ago, as last synced."""
        return self._calendar.missed(now)

    def edit_warning(self, piece_id: int, now: datetime | None = None) -> str | None:
        """What to tell before the piece is pushed or edited on a site where it missed its schedule."""
        return self._calendar.edit_warning(piece_id, now)

    def calendar(self, start: datetime, days: int) -> list[CalendarEntry]:
        """Scheduled and published pieces between *start* and *start + days*, by time."""
        return self._calendar.entries(start, days)
