"""What the Review menu and the review queue ask of ``core.workflow``, through the task runner.

- the queue: fetched from each site on the network lane (the cached one offline, and it says so);
  opening a post makes or updates the linked piece and shows it in the editor;
- the open piece: its role-dependent actions (enabled from :class:`~ui.review.state.PieceReview`),
  the local statuses the metadata panel may offer, the warning before editing a missed post;
- pieces sync: on demand and every few minutes; afterwards the inbox line in the message bar
  ("1 piece returned to you", "3 pieces await your review"), the missed-schedule alert with
  "Publish Now", and the editor's changes shown when the open piece has none of its own;
- the timeline and calendar dialogs.

For the main window:

    review = ReviewController(core=core, runner=runner, session=session, library=library,
                              messages=messages, window=window)
    review.connect_actions(action_table)
    review.statuses_allowed.connect(metadata.set_allowed_statuses)
    review.conflict_found.connect(publishing.show_conflict)
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from app.errors import CopydeskError
from app.outbox.data import JobState
from app.pieces.data import PieceData
from app.publishing.safety import PushConflictError
from app.workflow.data import MissedSchedule, PieceSyncReport
from ui.actions import ActionTable
from ui.messages import Level, MessageBar
from ui.review.acting import ReviewActions
from ui.review.queue import ALL_SITES, ReviewQueuePanel
from ui.review.state import PieceReview, QueueResult, read_queue, read_review
from ui.review.views import ReviewViews
from ui.runner import TaskRunner

if TYPE_CHECKING:
    from app.core import Core
    from app.outbox.data import Job
    from app.outbox.worker import JobOutcome
    from app.workflow.service import OpenedPost, WorkflowService
    from ui.editor.session import PieceSession
    from ui.library.controller import LibraryController
    from ui.review.dialogs import ReturnDialog, ScheduleDialog

log = logging.getLogger(__name__)

SYNC_INTERVAL_MS = 5 * 60 * 1000
FIRST_SYNC_MS = 4000
PIECE_ACTIONS = ("review/submit", "review/return", "review/approve", "review/schedule",
                 "review/publish-now", "review/timeline")  # fmt: skip
SyncResult = tuple[list[PieceSyncReport], list[tuple[str, CopydeskError]]]


class ReviewController(QObject):
    review_loaded = Signal(object)  # PieceReview of the open piece
    statuses_allowed = Signal(object)  # frozenset[Status] | None (None: any)
    conflict_found = Signal(object)  # a PushConflictError: the editor's text against unsynced edits
    queue_shown = Signal(int)  # how many pieces the queue shows
    sync_finished = Signal(object)  # SyncResult

    def __init__(
        self,
        *,
        core: Core,
        runner: TaskRunner,
        session: PieceSession,
        library: LibraryController,
        messages: MessageBar,
        window: QWidget,
        sync_interval_ms: int = SYNC_INTERVAL_MS,
        auto_sync: bool = True,
    ) -> None:
        super().__init__(window)
        self._core = core
        self._runner = runner
        self._session = session
        self._library = library
        self._messages = messages
        self._window = window
        self._auto_sync = auto_sync
        self._syncing = False
        self._request = 0
        self.review: PieceReview | None = None
        self.return_dialog: ReturnDialog | None = None
        self.schedule_dialog: ScheduleDialog | None = None
        self._table: ActionTable | None = None
        self.panel = ReviewQueuePanel()
        self.actions = ReviewActions(core, runner, session, messages, window)
        self.views = ReviewViews(
            core=core, runner=runner, actions=self.actions, open_piece=library.open_piece,
            on_error=self._error, window=window,
        )  # fmt: skip
        self._sync_timer = QTimer(self, interval=sync_interval_ms)
        self._sync_timer.timeout.connect(lambda: self.sync_now(quiet=True))
        self.panel.refresh_requested.connect(self.refresh_queue)
        self.panel.post_requested.connect(self.open_post)
        self.actions.sent.connect(self._on_actions_sent)
        session.piece_opened.connect(self._on_session_piece_opened)
        session.piece_closed.connect(self._on_session_piece_closed)

    @property
    def flow(self) -> WorkflowService:
        return self._core.workflow

    def connect_actions(self, table: ActionTable) -> None:
        """Connect the Review menu's actions (declared in ``ui/actions.py``) and show them above the
        queue."""
        self._table = table
        table["review/submit"].triggered.connect(self.submit)
        table["review/return"].triggered.connect(self.send_back)
        table["review/approve"].triggered.connect(self.approve)
        table["review/schedule"].triggered.connect(self.schedule)
        table["review/publish-now"].triggered.connect(self.publish_now)
        table["review/timeline"].triggered.connect(self.show_timeline)
        table["review/calendar"].triggered.connect(self.show_calendar)
        table["review/queue"].triggered.connect(self._show_queue)
        table["pieces/sync"].triggered.connect(lambda: self.sync_now())  # noqa: PLW0108
        self.panel.set_actions([table[i] for i in PIECE_ACTIONS[:-1]])
        self._show_review(self.review)

    def start(self) -> None:
        """Show the cached queue, and sync on the timer (unless told not to)."""
        self.refresh_queue(online=False)
        self._runner.read(self.flow.missed, owner=self, on_done=self._alert_missed)
        if self._auto_sync:
            QTimer.singleShot(FIRST_SYNC_MS, self, lambda: self.sync_now(quiet=True))
            self._sync_timer.start()

    # -- the open piece ------------------------------------------------------------------------------

    def _on_session_piece_opened(self, piece: PieceData) -> None:
        self.review = None
        self._show_review(None)
        if piece.id is not None:
            self.reload_review(piece.id)

    def _on_session_piece_closed(self) -> None:
        self.review = None
        self._show_review(None)

    def reload_review(self, piece_id: int) -> None:
        core = self._core
        self._runner.read(
            lambda: read_review(core, piece_id),
            owner=self,
            on_done=self._on_review_read,
            on_error=lambda error: log.info("Review of piece %s not read: %s", piece_id, error),
        )

    def _on_review_read(self, review: PieceReview) -> None:
        if review.piece_id != self._session.piece_id:
            return  # another piece is open now
        first = self.review is None or self.review.piece_id != review.piece_id
        self.review = review
        self._show_review(review)
        if first and review.edit_warning:
            self._warn_missed(review.edit_warning, review.piece_id, review.site_id)

    def _show_review(self, review: PieceReview | None) -> None:
        if self._table is not None:
            for action_id in PIECE_ACTIONS:
                self._table[action_id].setEnabled(review is not None and review.enabled(action_id))
        self.statuses_allowed.emit(review.allowed if review is not None else None)
        self.panel.show_piece_status(review.status_line if review is not None else "")
        if review is not None:
            self.review_loaded.emit(review)

    # -- the actions ---------------------------------------------------------------------------------

    def submit(self) -> None:
        if self.review is not None:
            self.actions.submit(self.review.piece_id, self.review.site_id)

    def send_back(self) -> None:
        from ui.review.dialogs import ReturnDialog

        review = self.review
        if review is None:
            return
        dialog = ReturnDialog(review.title or "Untitled", self._window)
        dialog.accepted.connect(
            lambda: self.actions.send_back(review.piece_id, review.site_id, dialog.text())
        )
        dialog.open()
        self.return_dialog = dialog

    def approve(self) -> None:
        if self.review is not None:
            self.actions.approve(self.review.piece_id, self.review.site_id)

    def schedule(self) -> None:
        from ui.review.dialogs import ScheduleDialog

        review = self.review
        if review is None:
            return
        proposed = self._session.snapshot().publish_at if self._session.is_open else None
        dialog = ScheduleDialog(review.title or "Untitled", proposed, self._window)
        dialog.accepted.connect(
            lambda: self.actions.schedule(review.piece_id, review.site_id, dialog.moment())
        )
        dialog.open()
        self.schedule_dialog = dialog

    def publish_now(self) -> None:
        if self.review is not None:
            self.actions.publish_now(self.review.piece_id, self.review.site_id)

    def on_job_changed(self, job: Job) -> None:
        """A job the outbox's sender carried out: a review action on the open piece moves it."""
        if job.kind.startswith("review.") and job.state is JobState.DONE:
            if job.piece_id is not None and job.piece_id == self._session.piece_id:
                self._reload_open(text=False)

    def _on_actions_sent(self, outcomes: Sequence[JobOutcome]) -> None:
        pieces = {o.job.piece_id for o in outcomes if o.job.piece_id is not None}
        if self._session.piece_id in pieces:
            self._reload_open(text=False)
        if self.panel.isVisible():
            self.refresh_queue()

    # -- the queue -----------------------------------------------------------------------------------

    def refresh_queue(
        self, site_id: int = ALL_SITES, category: str = "", *, online: bool = True
    ) -> None:
        """Fetch the queue from the sites (*online*), or show the one kept from the last fetch."""
        self._request += 1
        request, core = self._request, self._core
        site_id = site_id or self.panel.site_id()
        category = category or self.panel.category_name()
        if online:
            self.panel.set_busy(True)
            self.panel.show_state("Asking the sites…")
        lane = self._runner.network if online else self._runner.read
        lane(
            lambda: read_queue(core, site_id, category, online=online),
            owner=self,
            on_finished=lambda: self.panel.set_busy(False) if request == self._request else None,
            on_done=lambda found: self._on_queue_read(request, found),
            on_error=lambda error: self.panel.show_state(f"Not refreshed: {error}"),
        )

    def _on_queue_read(self, request: int, found: QueueResult) -> None:
        if request != self._request:
            return
        items, problems, sites, offline = found
        self.panel.set_sites(sites)
        if not sites:
            state = "No site yet: add one under Publish → Sites."
        elif offline:
            state = "Offline: the queue as it was last fetched. " + " ".join(problems)
        else:
            state = " ".join(problems) or f"{len(items)} awaiting review, newest first."
        self.panel.show_items(items, state)
        self.queue_shown.emit(len(items))

    def open_post(self, site_id: int, post_id: int) -> None:
        """Make or update the local piece linked to the post, and show it in the editor."""
        self._session.save()
        self._messages.show_message("Opening the piece from the site…")
        self._runner.network(
            self.flow.open_post_checked, site_id, post_id, owner=self, on_done=self._on_post_opened,
            on_error=lambda error: self._messages.show_message(
                f"Could not open the post: {error}", Level.ERROR
            ),
        )  # fmt: skip

    def _on_post_opened(self, opened: OpenedPost) -> None:
        """Show the piece; edited here while the post changed on the site: the conflict at once."""
        self._messages.clear()
        self._library.show_loaded(opened.piece)
        if opened.conflict is not None:
            self.conflict_found.emit(PushConflictError(opened.conflict))

    # -- pieces sync -----------------------------------------------------------------------------------

    def sync_now(self, *, quiet: bool = False) -> bool:
        """Sync the pieces of every site (after the open piece's save lands); False when one runs.
        *quiet*: a periodic sync, whose failure (offline) only shows in the queue's state line."""
        if self._syncing:
            return False
        self._syncing = True
        self._session.save()
        flow = self.flow

        def after_saves(_result: object) -> None:
            self._runner.network(
                flow.sync,
                owner=self,
                on_finished=lambda: setattr(self, "_syncing", False),
                on_done=lambda result: self._on_synced(result, quiet),
                on_error=lambda error: self._on_sync_failed(error, quiet),
            )

        self._runner.write(lambda: None, owner=self, on_done=after_saves)
        return True

    def _on_synced(self, result: SyncResult, quiet: bool) -> None:
        reports, errors = result
        self.sync_finished.emit(result)
        lines = [line for report in reports for line in report.inbox]
        problems = [p for report in reports for p in report.problems]
        if errors and not quiet:
            name, error = errors[0]
            self._messages.show_message(f"Pieces of {name} not synced: {error}", Level.WARNING)
        elif problems:
            self._messages.show_message(" ".join(problems), Level.WARNING)
        elif lines:
            self._messages.show_message(
                " · ".join(lines), action="Show Queue", callback=self._show_queue
            )
        elif not quiet:
            self._messages.show_message("Pieces synced: nothing new.")
        conflicts = [c for report in reports for c in report.conflicts]
        if conflicts:
            self.conflict_found.emit(PushConflictError(conflicts[0]))
        self._alert_missed([m for report in reports for m in report.missed])
        # the due actions sent first may have moved the open piece too: read its status again
        texts = {p for r in reports for p in r.text_updated}
        self._reload_open(text=self._session.piece_id in texts)
        if self.panel.isVisible() or any(r.awaiting_review for r in reports):
            self.refresh_queue(online=False)

    def _on_sync_failed(self, error: BaseException, quiet: bool) -> None:
        self.panel.show_state(f"Pieces not synced: {error}")
        if not quiet:
            self._messages.show_message(f"Pieces not synced: {error}", Level.WARNING)

    def _show_queue(self) -> None:
        dock = self.panel.parentWidget()
        if dock is not None:
            dock.show()
            dock.raise_()
        self.refresh_queue()

    def _reload_open(self, *, text: bool) -> None:
        """Bring the open piece's status (and, if asked, the editor's text) from the library."""
        piece_id = self._session.piece_id
        if piece_id is None:
            return
        self._runner.write(
            self._core.pieces.get,
            piece_id,
            owner=self,
            on_done=lambda piece: self._on_open_piece_reread(piece, text),
        )

    def _on_open_piece_reread(self, piece: PieceData, text: bool) -> None:
        if piece.id != self._session.piece_id:
            return
        if text and not self._session.dirty:
            self._library.show_loaded(piece)  # the editor's changes, in the editor and preview
            self._messages.show_message(f"“{piece.title}”: the editor's changes came back.")
        else:
            if text:  # typed meanwhile: the next save keeps this text; theirs is in the history
                self._messages.show_message(
                    f"The editor's changes to “{piece.title}” came back while you were typing: "
                    "they are in the revision history (File → Revision History).",
                    Level.WARNING,
                )
            mine = self._session.snapshot()  # the site moved it: its status and its time
            if (mine.status, mine.publish_at) != (piece.status, piece.publish_at):
                self._session.update(status=piece.status, publish_at=piece.publish_at)
            self.reload_review(piece.id or 0)

    # -- missed schedules ------------------------------------------------------------------------------

    def _alert_missed(self, missed: Sequence[MissedSchedule]) -> None:
        if missed:
            first = missed[0]
            more = f" ({len(missed) - 1} more missed their time too.)" if len(missed) > 1 else ""
            self._warn_missed(first.message + more, first.piece_id, first.site_id)

    def _warn_missed(self, text: str, piece_id: int, site_id: int | None) -> None:
        self._messages.show_message(
            text, Level.WARNING, action="Publish Now",
            callback=lambda: self.actions.publish_now(piece_id, site_id),
        )  # fmt: skip

    # -- timeline and calendar --------------------------------------------------------------------------

    def show_timeline(self) -> None:
        if self.review is not None:
            self.views.show_timeline(self.review)

    def show_calendar(self) -> None:
        self.views.show_calendar()

    def _error(self, error: BaseException) -> None:
        self._messages.show_message(str(error), Level.ERROR)
