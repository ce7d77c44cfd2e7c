"""What the comment desk asks of the core: loading threads and the thread chooser, syncing, moderating,
replying, fetching a comment's pictures.

Every call goes through the task runner (reads on the pool, the queuing of actions on the writer,
syncing, sending and fetching pictures on the network lane); results come back as callbacks on the
GUI thread and are shown in the :class:`~ui.comments.desk.CommentDesk`. Syncing runs on a timer and
on demand; its progress comes back through a signal. Actions are queued in the outbox first (so
they survive going offline) and sent at once when the site answers.

For the main window:

    desk = CommentDesk(runner)                          # the widget, in its dock
    comments = CommentController(core, runner, desk)    # loads the lists, syncs on its timer
    comments.counts_changed.connect(...)                # {piece_id: (new, held, total)}
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from app.comments import Action, CommentData, SortKey, Thread
from app.errors import CopydeskError
from ui.comments.bar import INBOX
from ui.comments.desk import CommentDesk
from ui.messages import Level
from ui.runner import TaskRunner

if TYPE_CHECKING:
    from app.comments.service import CommentService, SyncOutcome
    from app.core import Core
    from app.outbox.worker import JobOutcome

log = logging.getLogger(__name__)

SYNC_INTERVAL_MS = 5 * 60 * 1000
FIRST_SYNC_MS = 3000


class _Progress(QObject):
    """Carries a sync's progress from the worker thread to the GUI thread (a queued signal)."""

    progressed = Signal(int, int)


class CommentController(QObject):
    counts_changed = Signal(object)  # {piece_id: (new, held, total)}
    sync_started = Signal()
    sync_finished = Signal(object)  # app.comments.service.SyncOutcome
    sync_failed = Signal(object)  # the exception
    action_failed = Signal(object)  # a CopydeskError: refused here, or by the site (shown here too)

    def __init__(
        self,
        core: Core,
        runner: TaskRunner,
        desk: CommentDesk,
        *,
        sync_interval_ms: int = SYNC_INTERVAL_MS,
        auto_sync: bool = True,
    ) -> None:
        super().__init__(desk)  # goes with the desk: results for a desk that is gone are dropped
        self._core = core
        self._runner = runner
        self.desk = desk
        self._auto_sync = auto_sync
        self._request = 0
        self._syncing = False
        self._syncs_ended = 0  # a list read before the last sync ended has an old sync state
        self._counts: dict[int, tuple[int, int, int]] = {}
        self._progress = _Progress(self)
        self._sync_timer = QTimer(self, interval=sync_interval_ms)
        self._connect_signals()

    def _connect_signals(self) -> None:
        desk = self.desk
        desk.bar.sync_button.setToolTip(
            f"Fetch new comments and changes now (Copydesk also syncs every "
            f"{max(self._sync_timer.interval() // 60000, 1)} minutes by itself)"
        )
        # clicked() and timeout() would pass their own arguments: call without them
        desk.bar.sync_button.clicked.connect(lambda: self.sync_now())  # noqa: PLW0108
        self._sync_timer.timeout.connect(lambda: self.sync_now())  # noqa: PLW0108
        self._progress.progressed.connect(desk.show_sync_progress)
        desk.refresh_requested.connect(lambda mark_seen: self.refresh(mark_seen=mark_seen))
        desk.moderation_requested.connect(self.moderate)
        desk.reply.send_requested.connect(self._on_reply_send_requested)
        desk.images_requested.connect(self._on_images_requested)

    def start(self) -> None:
        """Load the threads, and sync on the timer (unless told not to)."""
        self.refresh_posts()
        self.refresh()
        if self._auto_sync:
            QTimer.singleShot(FIRST_SYNC_MS, self, lambda: self.sync_now())  # noqa: PLW0108
            self._sync_timer.start()

    @property
    def service(self) -> CommentService:
        return self._core.comments

    def counts(self) -> dict[int, tuple[int, int, int]]:
        """The last counts sent with :attr:`counts_changed`."""
        return dict(self._counts)

    # -- loading ---------------------------------------------------------------------------------

    def _load_function(self, view: tuple[object, ...]) -> Callable[[], Thread]:
        service, bar = self.service, self.desk.bar
        sort, status = bar.sort_key(), bar.status_filter()
        search = bar.search.text().strip()
        if sort is SortKey.VOTES and not bar.votes_enabled():
            sort = SortKey.NEWEST
        if view[0] == "piece":
            piece = int(view[1])  # type: ignore[call-overload]
            return lambda: service.thread_for_piece(piece, sort=sort, status=status, search=search)
        if view[0] == "post":
            site, post = int(view[1]), int(view[2])  # type: ignore[call-overload]
            return lambda: service.thread_for_post(site, post, sort=sort, status=status, search=search)
        return lambda: service.inbox(sort=sort, search=search)

    def refresh(self, *, mark_seen: bool = False) -> None:
        """Load the thread shown again (in the background), keeping the selection."""
        self._request += 1
        request, view = self._request, self.desk.view
        keep = self.desk.selected_ids()
        self._runner.read(
            self._load_function(view),
            owner=self,
            on_done=lambda thread: self._on_thread_loaded(request, thread, keep, view, mark_seen),
            on_error=self._on_expected_error,
        )

    def _on_thread_loaded(
        self,
        request: int,
        thread: Thread,
        keep: list[int],
        view: tuple[object, ...],
        mark_seen: bool,
    ) -> None:
        if request != self._request:
            return  # something newer was asked for
        self.desk.show_thread(thread, view, keep)
        if mark_seen and view != INBOX:
            self._runner.write(
                self._mark_seen_function(view), owner=self, on_done=lambda _r: self.refresh_posts()
            )

    def _mark_seen_function(self, view: tuple[object, ...]) -> Callable[[], None]:
        service = self.service
        if view[0] == "piece":
            piece = int(view[1])  # type: ignore[call-overload]
            return lambda: service.mark_piece_seen(piece)
        site, post = int(view[1]), int(view[2])  # type: ignore[call-overload]
        return lambda: service.mark_seen(site, post)

    def refresh_posts(self) -> None:
        """Reload the thread chooser and the counts (after a sync, an action, a look)."""
        service = self.service

        def load() -> tuple[list[Any], int, dict[int, tuple[int, int, int]], Any, int]:
            posts = service.posts()
            held = sum(p.counts.held for p in posts)
            return posts, held, service.piece_counts(), service.last_synced(), service.waiting()

        syncs_ended = self._syncs_ended
        self._runner.read(
            load, owner=self, on_error=self._on_expected_error,
            on_done=lambda found: self._on_posts_loaded(found, syncs_ended),
        )  # fmt: skip

    def _on_posts_loaded(
        self, found: tuple[list[Any], int, dict[int, tuple[int, int, int]], Any, int], syncs_ended: int
    ) -> None:
        posts, held, counts, last, waiting = found
        current = not self._syncing and syncs_ended == self._syncs_ended
        self.desk.show_posts(posts, held, (last, waiting) if current else None)
        if counts != self._counts:
            self._counts = counts
            self.counts_changed.emit(dict(counts))

    # -- syncing ---------------------------------------------------------------------------------

    def sync_now(self, *, full: bool = False) -> bool:
        """Sync every site in the background; False when one is running already."""
        if self._syncing:
            return False
        self._syncing = True
        service, progress = self.service, self._progress
        self.desk.show_sync_started()
        self.sync_started.emit()
        self._runner.network(
            lambda: service.sync_all(full=full, progress=progress.progressed.emit),
            owner=self,
            on_finished=self._on_sync_ended,  # whatever came of it, even a bug
            on_done=self._on_synced,
            on_error=self._on_sync_failed,
        )
        return True

    def _on_sync_ended(self) -> None:
        self._syncing = False
        self._syncs_ended += 1
        self.desk.show_sync_ended()

    def _on_synced(self, outcome: SyncOutcome) -> None:
        bar = self.desk.bar
        if not outcome.reports and not outcome.errors:
            bar.state.setText("No site to sync yet: add one under Publish → Sites")
            self.sync_finished.emit(outcome)
            return
        text = f"Synced at {datetime.now():%H:%M}"
        added = sum(r.added for r in outcome.reports)
        if added:
            text += f": {added} new comment{'s' if added != 1 else ''}"
        bar.state.setText(text)
        if outcome.errors:
            name, error = outcome.errors[0]
            bar.messages.show_message(f"Comments of {name} not synced: {error}", Level.WARNING)
        self.sync_finished.emit(outcome)
        self.refresh_posts()
        self.refresh()

    def _on_sync_failed(self, error: BaseException) -> None:
        self.desk.bar.state.setText("Not synced")
        self.sync_failed.emit(error)
        self.desk.bar.messages.show_message(f"Comments not synced: {error}", Level.WARNING)

    # -- acting ----------------------------------------------------------------------------------

    def moderate(self, action: Action, ids: Sequence[int] | None = None) -> None:
        """Queue *action* for the selected comments (or *ids*) and send it now if the site answers."""
        chosen = list(ids) if ids is not None else self.desk.selected_ids()
        if not chosen:
            return
        service = self.service
        self._runner.write(
            lambda: service.moderate(chosen, action),
            owner=self,
            on_done=self._on_queued,
            on_error=self._on_expected_error,
        )

    def _on_queued(self, jobs: list[Any]) -> None:
        self.refresh()
        self.refresh_posts()
        service, ids = self.service, [job.id for job in jobs]
        self._runner.network(
            lambda: service.send(ids),
            owner=self,
            on_done=self._on_sent,
            on_error=self._on_expected_error,
        )

    def _on_sent(self, outcomes: list[JobOutcome]) -> None:
        messages = self.desk.bar.messages
        waiting = [o for o in outcomes if o.job.waiting_to_retry]
        failed = [o for o in outcomes if not o.done and not o.job.waiting_to_retry]
        for outcome in failed:
            error = outcome.error or CopydeskError(outcome.job.last_error)
            self.action_failed.emit(error)
            messages.show_message(str(error), Level.ERROR)
        if waiting and not failed:
            count = len(waiting)
            messages.show_message(
                f"{waiting[0].job.last_error} {'It waits' if count == 1 else f'{count} actions wait'} "
                "in the outbox and will be sent when the site answers."
            )
        self.refresh()
        self.refresh_posts()

    def _on_reply_send_requested(self, comment_id: int, markdown: str) -> None:
        service, reply = self.service, self.desk.reply
        reply.set_busy(True)

        def queued(result: tuple[CommentData, Any]) -> None:
            reply.finish()
            self._on_queued([result[1]])

        def refused(error: BaseException) -> None:
            reply.set_busy(False)
            self._on_expected_error(error)

        self._runner.write(
            lambda: service.reply(comment_id, markdown), owner=self, on_done=queued, on_error=refused
        )

    def _on_images_requested(self, comment: CommentData) -> None:
        from app.comments.sanitize import image_urls

        reader = self.desk.reader
        urls = [u for u in image_urls(comment.html) if u not in reader.images_shown(comment.id)]
        service, comment_id = self.service, comment.id
        for url in urls:
            self._runner.network(
                service.fetch_image,
                url,
                owner=self,
                on_done=partial(reader.add_image, comment_id, url),
                on_error=self._on_expected_error,
            )

    def _on_expected_error(self, error: BaseException) -> None:
        self.action_failed.emit(error)
        self.desk.bar.messages.show_message(str(error), Level.ERROR)
