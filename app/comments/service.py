"""The comment desk's one entry point: ``core.comments``.

Reading (threads, the inbox, counts, search) works on the library alone, offline. Syncing, moderating
and replying use the remote services (``core.remote``: sites, keyring, outbox), built on first use.
Every method is synchronous; the UI calls them through its task runner.

    desk = core.comments
    desk.sync_all()                                   # every site, incrementally
    thread = desk.thread_for_piece(piece_id, sort=SortKey.NEWEST)
    jobs = desk.moderate([comment.id], Action.APPROVE) # queued, shown as pending
    desk.send([job.id for job in jobs])                # now, if the site answers
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from app.cms.base import Progress
from app.comments import threads
from app.comments.data import (
    VISIBLE,
    Action,
    CommentData,
    Counts,
    PostRef,
    SortKey,
    SyncReport,
    Thread,
    ThreadNode,
    VotesAvailability,
)
from app.comments.images import fetch_image
from app.comments.results import KINDS
from app.comments.store import CommentStore
from app.errors import CopydeskError, InvalidInputError, NotFoundError

if TYPE_CHECKING:
    from collections.abc import Callable

    from app.outbox.queue import Job
    from app.outbox.worker import JobOutcome
    from app.pieces.library import PieceLibrary
    from app.remote import RemoteServices
    from app.store import Database

log = logging.getLogger(__name__)

STATUS_FILTERS = ("approved", "hold", "spam", "trash")


@dataclass(frozen=True)
class SyncOutcome:
    reports: tuple[SyncReport, ...]
    errors: tuple[tuple[str, CopydeskError], ...]  # (site name, what went wrong)


def _check_status(status: str | None) -> None:
    if status is not None and status not in STATUS_FILTERS:
        raise InvalidInputError(
            f"“{status}” is not a comment status; use one of {', '.join(STATUS_FILTERS)}."
        )


class CommentService:
    def __init__(self, db: Database, pieces: PieceLibrary, remote: Callable[[], RemoteServices]) -> None:
        self._db = db
        self._pieces = pieces
        self._remote_services = remote  # built on first use: reading comments needs no network
        self.store = CommentStore(db)

    @property
    def _remote(self) -> RemoteServices:
        return self._remote_services()

    # -- what there is -------------------------------------------------------------------------

    def votes(self, site_id: int) -> VotesAvailability:
        state = self.store.state(site_id)
        name = self._site_name(site_id)
        if state is None:
            return VotesAvailability(
                False, f"Sync the comments of {name} first: Copydesk then learns whether it keeps votes."
            )
        if "comment-votes" not in state.features:
            return VotesAvailability(
                False,
                f"{name} does not show comment votes to Copydesk: WordPress keeps none itself. Ask its "
                "administrator to install the Copydesk companion plugin (it shows the votes of "
                "wpDiscuz and similar plugins).",
            )
        return VotesAvailability(True)

    def _site_name(self, site_id: int) -> str:
        from app.store.models import Site

        with self._db.session() as session:
            row = session.get(Site, site_id)
            if row is None:
                raise NotFoundError(f"There is no site with id {site_id}.")
            return row.name

    def posts(self) -> list[PostRef]:
        """Every post with comments, the user's pieces first, then by title."""
        counts = self.store.counts()
        votes: dict[int, VotesAvailability] = {}
        refs = []
        for site_id, site_name, post_id, title, link, piece_id in self.store.posts():
            if site_id not in votes:
                votes[site_id] = self.votes(site_id)
            refs.append(
                PostRef(
                    site_id=site_id,
                    site_name=site_name,
                    post_id=post_id,
                    title=title or f"Post {post_id}",
                    link=link,
                    piece_id=piece_id,
                    counts=counts.get((site_id, post_id), Counts()),
                    votes=votes[site_id],
                )
            )
        refs.sort(key=lambda r: (r.piece_id is None, r.title.casefold(), r.site_name, r.post_id))
        return refs

    def piece_counts(self) -> dict[int, tuple[int, int, int]]:
        """For the library pane: piece id → (new, held, total) over the posts it was pushed as."""
        totals: dict[int, Counts] = {}
        counts = self.store.counts()
        for site_id, _name, post_id, _title, _link, piece_id in self.store.posts():
            if piece_id is not None:
                found = counts.get((site_id, post_id), Counts())
                totals[piece_id] = totals.get(piece_id, Counts()) + found
        return {piece: c.as_tuple() for piece, c in totals.items()}

    def get(self, comment_id: int) -> CommentData:
        found = self.store.get(comment_id)
        if found is None:
            raise NotFoundError(f"There is no comment {comment_id} in the library.")
        return found

    # -- threads -------------------------------------------------------------------------------

    def _thread(
        self,
        title: str,
        posts: Sequence[PostRef],
        comments: list[CommentData],
        sort: SortKey,
        *,
        flat: bool,
    ) -> Thread:
        votes = self._votes_of(posts)
        if sort is SortKey.VOTES and not votes.available:
            raise InvalidInputError(votes.reason)
        if flat:
            roots = tuple(ThreadNode(c) for c in threads.sort_flat(comments, sort))
        else:
            roots = threads.build(comments, sort)
        return Thread(title, roots, len(comments), sort, votes, tuple(posts))

    def _votes_of(self, posts: Sequence[PostRef]) -> VotesAvailability:
        for post in posts:
            if not post.votes.available:
                return post.votes
        if not posts:
            return VotesAvailability(False, "There are no comments to sort.")
        return VotesAvailability(True)

    def _query(
        self, site_id: int | None, post_id: int | None, status: str | None, search: str
    ) -> list[CommentData]:
        _check_status(status)
        if status is not None:
            return self.store.comments(
                site_id=site_id, post_id=post_id, statuses=[status], search=search
            )
        found = self.store.comments(site_id=site_id, post_id=post_id, search=search)
        # unless a status is chosen: what readers see or may see, and whatever the user just did
        return [c for c in found if c.shown_status in VISIBLE or c.pending or c.problem]

    def thread_for_post(
        self,
        site_id: int,
        post_id: int,
        *,
        sort: SortKey = SortKey.NEWEST,
        status: str | None = None,
        search: str = "",
    ) -> Thread:
        posts = [p for p in self.posts() if p.key == (site_id, post_id)]
        comments = self._query(site_id, post_id, status, search)
        title = posts[0].title if posts else f"Post {post_id}"
        return self._thread(title, posts, comments, sort, flat=bool(search.strip()))

    def thread_for_piece(
        self,
        piece_id: int,
        *,
        sort: SortKey = SortKey.NEWEST,
        status: str | None = None,
        search: str = "",
    ) -> Thread:
        keys = set(self.store.posts_of_piece(piece_id))
        posts = [p for p in self.posts() if p.key in keys]
        comments: list[CommentData] = []
        for site_id, post_id in sorted(keys):
            comments += self._query(site_id, post_id, status, search)
        title = self._pieces.get(piece_id).title or "Untitled"
        return self._thread(title, posts, comments, sort, flat=bool(search.strip()))

    def inbox(self, *, sort: SortKey = SortKey.NEWEST, search: str = "") -> Thread:
        """Everything awaiting moderation, on every site, in one list."""
        comments = self.store.comments(statuses=["hold"], search=search)
        keys = {(c.site_id, c.post_id) for c in comments}
        posts = [p for p in self.posts() if p.key in keys]
        return self._thread("Awaiting moderation", posts, comments, sort, flat=True)

    def search(self, words: str, *, status: str | None = None) -> list[CommentData]:
        """Full-text search over every stored comment (author and text), newest first."""
        _check_status(status)
        statuses = [status] if status else None
        return threads.sort_flat(self.store.comments(statuses=statuses, search=words), SortKey.NEWEST)

    def comments(self, *, status: str | None = None, search: str = "") -> list[CommentData]:
        """Every stored comment in *status* (default: approved and held), on every site."""
        return self._query(None, None, status, search)

    def mark_seen(self, site_id: int, post_id: int) -> None:
        self.store.mark_seen(site_id, post_id)

    def mark_piece_seen(self, piece_id: int) -> None:
        for site_id, post_id in self.store.posts_of_piece(piece_id):
            self.store.mark_seen(site_id, post_id)

    # -- the sites -----------------------------------------------------------------------------

    def sync(self, site_id: int, *, full: bool = False, progress: Progress | None = None) -> SyncReport:
        from app.comments.sync import CommentSyncer

        syncer = CommentSyncer(self.store, self._remote.sites, clock=self._remote.clock)
        return syncer.sync(site_id, full=full, progress=progress)

    def sync_all(self, *, full: bool = False, progress: Progress | None = None) -> SyncOutcome:
        """Send what waits, then sync every site; a site that fails does not stop the others."""
        self.send_due()
        reports: list[SyncReport] = []
        errors: list[tuple[str, CopydeskError]] = []
        for site in self._remote.sites.list():
            try:
                reports.append(self.sync(site.id, full=full, progress=progress))
            except CopydeskError as exc:
                log.info("Comments of %s not synced: %s", site.name, exc)
                errors.append((site.name, exc))
        return SyncOutcome(tuple(reports), tuple(errors))

    def moderate(self, comment_ids: Sequence[int], action: Action) -> list[Job]:
        return self._remote.comment_jobs.moderate(comment_ids, action)

    def reply(self, comment_id: int, markdown: str) -> tuple[CommentData, Job]:
        return self._remote.comment_jobs.reply(comment_id, markdown)

    def discard_reply(self, comment_id: int) -> None:
        self._remote.comment_jobs.discard_reply(comment_id)

    def send(self, job_ids: Sequence[int]) -> list[JobOutcome]:
        """Run these comment jobs now (right after the user acted); those the site does not take
        now stay queued and are retried."""
        return self._remote.send(job_ids)

    def send_due(self) -> list[JobOutcome]:
        """Run the comment jobs that are due (not pushes: those have their own button)."""
        return self._remote.send_due(KINDS)

    def waiting(self) -> int:
        """Comment actions queued in the outbox, not sent yet (read offline, from the library)."""
        return self.store.waiting_actions()

    def last_synced(self) -> datetime | None:
        """When the comments of the least recently synced site were last synced (None: never)."""
        return self.store.last_synced()

    @staticmethod
    def fetch_image(url: str) -> bytes:
        return fetch_image(url)
