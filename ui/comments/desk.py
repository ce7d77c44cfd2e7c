"""The comment desk: a piece's (or a post's) reader comments as threads, and the site-wide inbox.

Every call to the core goes through the task runner (reads and the network on the pool, the queuing
of actions on the writer); results come back as callbacks on the GUI thread. Syncing runs in the
background on a timer and on demand; its progress comes back through a signal. Actions are queued in
the outbox first (so they survive going offline) and sent at once when the site answers.

For the main window:

    desk = CommentDesk(runner)              # before the library is open
    desk.attach(core)                       # then: loads the lists, starts syncing on its timer
    desk.show_piece(piece_id)               # or show_post(site_id, post_id), show_inbox()
    desk.counts_changed.connect(...)        # {piece_id: (new, held, total)} for the library pane
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QSplitter,
    QToolBar,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.comments import Action, CommentData, SortKey, Thread
from app.errors import CopydeskError
from ui.comments.bar import INBOX, DeskBar, sync_state_text
from ui.comments.delegate import CommentDelegate
from ui.comments.model import ThreadModel
from ui.comments.reader import CommentReader
from ui.comments.reply import ReplyEditor
from ui.messages import Level
from ui.runner import TaskRunner

if TYPE_CHECKING:
    from app.comments.service import CommentService, SyncOutcome
    from app.core import Core
    from app.outbox.worker import JobOutcome

log = logging.getLogger(__name__)

SYNC_INTERVAL_MS = 5 * 60 * 1000
FIRST_SYNC_MS = 3000
SEARCH_DELAY_MS = 250
ACTION_KEYS = {
    Action.APPROVE: "A",
    Action.HOLD: "H",
    Action.SPAM: "S",
    Action.TRASH: QKeySequence.StandardKey.Delete,
    Action.RESTORE: "U",
}


class _Progress(QObject):
    """Carries a sync's progress from the worker thread to the GUI thread (a queued signal)."""

    progressed = Signal(int, int)


class ThreadView(QTreeView):
    """The tree; rows are re-measured when the width changes (they wrap)."""

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            delegate = self.itemDelegate()
            if isinstance(delegate, CommentDelegate):
                delegate.clear_cache()
            self.scheduleDelayedItemsLayout()


class CommentDesk(QWidget):
    counts_changed = Signal(object)  # {piece_id: (new, held, total)}
    thread_shown = Signal(int)  # how many comments the thread shows
    sync_started = Signal()
    sync_finished = Signal(object)  # app.comments.service.SyncOutcome
    sync_failed = Signal(object)  # the exception
    action_failed = Signal(object)  # a CopydeskError: refused here, or by the site (shown here too)
    piece_requested = Signal(int)  # "Open the piece" of the thread shown

    def __init__(
        self,
        runner: TaskRunner,
        core: Core | None = None,
        parent: QWidget | None = None,
        *,
        sync_interval_ms: int = SYNC_INTERVAL_MS,
        auto_sync: bool = True,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("commentDesk")
        self._runner = runner
        self._core: Core | None = None
        self._auto_sync = auto_sync
        self._request = 0
        self._view: tuple[object, ...] = INBOX
        self._syncing = False
        self._counts: dict[int, tuple[int, int, int]] = {}
        self.bar = DeskBar()
        self.model = ThreadModel()
        self.tree = ThreadView()
        self.tree.setObjectName("commentThread")
        self.tree.setModel(self.model)
        self.delegate = CommentDelegate(self.tree)
        self.tree.setItemDelegate(self.delegate)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setIndentation(18)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.empty = QLabel()
        self.empty.setObjectName("commentEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.reader = CommentReader()
        self.reply = ReplyEditor(runner)
        self.reply.hide()
        self.actions: dict[str, QAction] = {}
        # a toolbar, not a row of buttons: in a narrow dock the actions that do not fit go into
        # its overflow menu instead of forcing the dock (and the window) wider
        self.buttons = QToolBar("Comment actions")
        self.buttons.setObjectName("commentActions")
        self.buttons.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self._build()
        self._progress = _Progress(self)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._sync_timer = QTimer(self, interval=sync_interval_ms)
        self._connect_signals()
        self._update_actions()
        if core is not None:
            self.attach(core)

    # -- construction ----------------------------------------------------------------------------

    def _build(self) -> None:
        for action in Action:
            item = QAction(action.label, self)
            item.setObjectName(f"comments/{action.value}")
            item.setShortcut(QKeySequence(ACTION_KEYS[action]))
            item.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            item.setToolTip(f"{action.label} the selected comments ({item.shortcut().toString()})")
            item.triggered.connect(lambda _=False, a=action: self.moderate(a))
            self.tree.addAction(item)
            self.actions[action.value] = item
        reply = QAction("Reply", self)
        reply.setObjectName("comments/reply")
        reply.setShortcut(QKeySequence("R"))
        reply.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        reply.setToolTip("Answer the selected comment, in Markdown (R)")
        reply.triggered.connect(self._on_reply_triggered)
        self.tree.addAction(reply)
        self.actions["reply"] = reply
        self.load_images = QAction("Load images", self)
        self.load_images.setObjectName("comments/load-images")
        self.load_images.setToolTip(
            "Fetch this comment's pictures from the web (nothing is fetched until you ask)"
        )
        self.load_images.triggered.connect(self._on_load_images_triggered)
        self.actions["load-images"] = self.load_images
        for name in ("approve", "hold", "spam", "trash", "restore", None, "reply", "load-images"):
            if name is None:
                self.buttons.addSeparator()
            else:
                self.buttons.addAction(self.actions[name])
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.tree, 1)
        left_layout.addWidget(self.empty, 1)
        self.empty.hide()
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.buttons)
        right_layout.addWidget(self.reader, 1)
        right_layout.addWidget(self.reply, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("commentSplitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.bar)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.bar.footer)

    def _connect_signals(self) -> None:
        self.bar.view.currentIndexChanged.connect(self._on_view_chosen)
        self.bar.sort.currentIndexChanged.connect(lambda _i: self.refresh())
        self.bar.status.currentIndexChanged.connect(lambda _i: self.refresh())
        self.bar.search.textChanged.connect(lambda _t: self._search_timer.start())
        # clicked() and timeout() would pass their own arguments: call without them
        self.bar.open_piece.clicked.connect(self._on_open_piece_clicked)
        self.bar.sync_button.setToolTip(
            f"Fetch new comments and changes now (Copydesk also syncs every "
            f"{max(self._sync_timer.interval() // 60000, 1)} minutes by itself)"
        )
        self.bar.sync_button.clicked.connect(lambda: self.sync_now())  # noqa: PLW0108
        self._search_timer.timeout.connect(self.refresh)
        self._sync_timer.timeout.connect(lambda: self.sync_now())  # noqa: PLW0108
        self._progress.progressed.connect(self._on_sync_progressed)
        self.tree.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.reader.link_activated.connect(self._on_link_activated)
        self.reader.images_requested.connect(lambda _id: self._on_load_images_triggered())
        self.reply.send_requested.connect(self._on_reply_send_requested)

    def sizeHint(self) -> QSize:
        return QSize(900, 640)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        wide = event.size().width() > event.size().height() * 1.15
        self.splitter.setOrientation(Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical)

    # -- the library -----------------------------------------------------------------------------

    def attach(self, core: Core) -> None:
        """Work on this library: load the threads, and sync on the timer (unless told not to)."""
        self._core = core
        self.refresh_posts()
        self.refresh()
        if self._auto_sync:
            QTimer.singleShot(FIRST_SYNC_MS, self, lambda: self.sync_now())  # noqa: PLW0108
            self._sync_timer.start()

    @property
    def service(self) -> CommentService:
        assert self._core is not None, "attach() the library first"
        return self._core.comments

    def counts(self) -> dict[int, tuple[int, int, int]]:
        """The last counts sent with :attr:`counts_changed`."""
        return dict(self._counts)

    @property
    def thread_count(self) -> int:
        return self.model.count

    def selected_ids(self) -> list[int]:
        rows = self.tree.selectionModel().selectedRows()
        found = [self.model.comment(index) for index in rows]
        return [c.id for c in found if c is not None]

    def selected(self) -> list[CommentData]:
        found = [self.model.comment(index) for index in self.tree.selectionModel().selectedRows()]
        return [c for c in found if c is not None]

    # -- what to show ----------------------------------------------------------------------------

    def show_inbox(self) -> None:
        self._show(INBOX)

    def show_piece(self, piece_id: int) -> None:
        self._show(("piece", piece_id))

    def show_post(self, site_id: int, post_id: int) -> None:
        self._show(("post", site_id, post_id))

    def _show(self, key: tuple[object, ...]) -> None:
        self._view = key
        self.bar.view.blockSignals(True)
        self.bar.select(key)
        self.bar.view.blockSignals(False)
        self.refresh(mark_seen=True)

    def set_sort(self, key: SortKey) -> None:
        self.bar.sort.setCurrentIndex(self.bar.sort.findData(key.value))  # refreshes

    def set_status_filter(self, status: str | None) -> None:
        self.bar.status.setCurrentIndex(self.bar.status.findData(status or ""))

    def set_search(self, words: str) -> None:
        self.bar.search.setText(words)
        self._search_timer.stop()
        self.refresh()

    def _on_open_piece_clicked(self) -> None:
        if self._view[0] == "piece":
            self.piece_requested.emit(int(self._view[1]))  # type: ignore[call-overload]

    def _on_view_chosen(self, _row: int) -> None:
        self._view = self.bar.current_key()
        self.refresh(mark_seen=True)

    # -- loading ---------------------------------------------------------------------------------

    def _load_function(self) -> Callable[[], Thread]:
        service, view = self.service, self._view
        sort, status = self.bar.sort_key(), self.bar.status_filter()
        search = self.bar.search.text().strip()
        if sort is SortKey.VOTES and not self.bar.votes_enabled():
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
        if self._core is None:
            return
        self._request += 1
        request, view = self._request, self._view
        keep = self.selected_ids()
        self._runner.read(
            self._load_function(),
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
        flat = view == INBOX or bool(self.bar.search.text().strip())
        self.model.set_thread(thread.roots, with_post=flat)
        self.tree.expandAll()
        self.bar.set_votes(thread.votes)
        inbox = view == INBOX
        if not inbox:
            self.bar.ensure(view, f"{thread.title} — no comments yet")
        self.bar.open_piece.setVisible(view[0] == "piece")
        self.bar.status.setEnabled(not inbox)
        self.bar.status.setToolTip("The inbox shows what awaits moderation" if inbox else "")
        self._show_empty(thread)
        if keep:
            self._select(keep)
        elif self.model.count:
            self.tree.setCurrentIndex(self.model.index(0, 0))
        self._update_actions()
        self._on_selection_changed()
        self.thread_shown.emit(self.model.count)
        if mark_seen and view != INBOX and self._core is not None:
            self._runner.write(self._mark_seen_function(view), on_done=lambda _r: self.refresh_posts())

    def _mark_seen_function(self, view: tuple[object, ...]) -> Callable[[], None]:
        service = self.service
        if view[0] == "piece":
            piece = int(view[1])  # type: ignore[call-overload]
            return lambda: service.mark_piece_seen(piece)
        site, post = int(view[1]), int(view[2])  # type: ignore[call-overload]
        return lambda: service.mark_seen(site, post)

    def _show_empty(self, thread: Thread) -> None:
        if self.model.count:
            self.empty.hide()
            self.tree.show()
            return
        if self.bar.search.text().strip():
            text = "No comment matches."
        elif self._view == INBOX:
            text = "Nothing awaits moderation."
        elif not thread.posts:
            text = "No comments yet. New ones arrive with each sync."
        else:
            text = "No comments in this status."
        self.empty.setText(text)
        self.tree.hide()
        self.empty.show()

    def _select(self, ids: Sequence[int]) -> None:
        selection = self.tree.selectionModel()
        first = True
        for comment_id in ids:
            index = self.model.index_of(comment_id)
            if not index.isValid():
                continue
            flags = selection.SelectionFlag.Select | selection.SelectionFlag.Rows
            if first:
                self.tree.setCurrentIndex(index)
                first = False
            selection.select(index, flags)

    def refresh_posts(self) -> None:
        """Reload the thread chooser and the counts (after a sync, an action, a look)."""
        if self._core is None:
            return
        service = self.service

        def load() -> tuple[list[Any], int, dict[int, tuple[int, int, int]], Any, int]:
            posts = service.posts()
            held = sum(p.counts.held for p in posts)
            return posts, held, service.piece_counts(), service.last_synced(), service.waiting()

        self._runner.read(load, on_done=self._on_posts_loaded, on_error=self._on_expected_error)

    def _on_posts_loaded(
        self, found: tuple[list[Any], int, dict[int, tuple[int, int, int]], Any, int]
    ) -> None:
        posts, held, counts, last, waiting = found
        self.bar.set_posts(posts, held, self._view)
        if not self._syncing:
            self.bar.state.setText(sync_state_text(last, waiting))
        if counts != self._counts:
            self._counts = counts
            self.counts_changed.emit(dict(counts))

    # -- syncing ---------------------------------------------------------------------------------

    def sync_now(self, *, full: bool = False) -> bool:
        """Sync every site in the background; False when one is running already."""
        if self._core is None or self._syncing:
            return False
        self._syncing = True
        service, progress = self.service, self._progress
        self.bar.sync_button.setEnabled(False)
        self.bar.progress.setRange(0, 0)
        self.bar.progress.show()
        self.bar.state.setText("Syncing comments…")
        self.sync_started.emit()
        self._runner.read(
            lambda: service.sync_all(full=full, progress=progress.progressed.emit),
            on_done=self._on_synced,
            on_error=self._on_sync_failed,
        )
        return True

    def _on_sync_progressed(self, done: int, total: int) -> None:
        if total:
            self.bar.progress.setRange(0, total)
            self.bar.progress.setValue(done)
            self.bar.state.setText(f"Syncing comments… {done:,} of {total:,}")

    def _sync_ended(self) -> None:
        self._syncing = False
        self.bar.sync_button.setEnabled(True)
        self.bar.progress.hide()

    def _on_synced(self, outcome: SyncOutcome) -> None:
        self._sync_ended()
        from datetime import datetime

        if not outcome.reports and not outcome.errors:
            self.bar.state.setText("No site to sync yet: add one under Publish → Sites")
            self.sync_finished.emit(outcome)
            return
        text = f"Synced at {datetime.now():%H:%M}"
        added = sum(r.added for r in outcome.reports)
        if added:
            text += f": {added} new comment{'s' if added != 1 else ''}"
        self.bar.state.setText(text)
        if outcome.errors:
            name, error = outcome.errors[0]
            self.bar.messages.show_message(f"Comments of {name} not synced: {error}", Level.WARNING)
        self.sync_finished.emit(outcome)
        self.refresh_posts()
        self.refresh()

    def _on_sync_failed(self, error: BaseException) -> None:
        self._sync_ended()
        self.bar.state.setText("Not synced")
        self.sync_failed.emit(error)
        if not isinstance(error, CopydeskError):
            raise error
        self.bar.messages.show_message(f"Comments not synced: {error}", Level.WARNING)

    # -- acting ----------------------------------------------------------------------------------

    def moderate(self, action: Action, ids: Sequence[int] | None = None) -> None:
        """Queue *action* for the selected comments (or *ids*) and send it now if the site answers."""
        chosen = list(ids) if ids is not None else self.selected_ids()
        if self._core is None or not chosen:
            return
        service = self.service
        self._runner.write(
            lambda: service.moderate(chosen, action),
            on_done=self._on_queued,
            on_error=self._on_expected_error,
        )

    def _on_queued(self, jobs: list[Any]) -> None:
        self.refresh()
        self.refresh_posts()
        service, ids = self.service, [job.id for job in jobs]
        self._runner.read(
            lambda: service.send(ids), on_done=self._on_sent, on_error=self._on_expected_error
        )

    def _on_sent(self, outcomes: list[JobOutcome]) -> None:
        waiting = [o for o in outcomes if o.job.waiting_to_retry]
        failed = [o for o in outcomes if not o.done and not o.job.waiting_to_retry]
        for outcome in failed:
            error = outcome.error or CopydeskError(outcome.job.last_error)
            self.action_failed.emit(error)
            self.bar.messages.show_message(str(error), Level.ERROR)
        if waiting and not failed:
            count = len(waiting)
            self.bar.messages.show_message(
                f"{waiting[0].job.last_error} {'It waits' if count == 1 else f'{count} actions wait'} "
                "in the outbox and will be sent when the site answers."
            )
        self.refresh()
        self.refresh_posts()

    def _on_reply_triggered(self) -> None:
        chosen = self.selected()
        if len(chosen) == 1:
            self.reply.start(chosen[0])

    def _on_reply_send_requested(self, comment_id: int, markdown: str) -> None:
        service = self.service
        self.reply.set_busy(True)

        def queued(result: tuple[CommentData, Any]) -> None:
            self.reply.finish()
            self._on_queued([result[1]])

        def refused(error: BaseException) -> None:
            self.reply.set_busy(False)
            self._on_expected_error(error)

        self._runner.write(lambda: service.reply(comment_id, markdown), on_done=queued, on_error=refused)

    def _on_load_images_triggered(self) -> None:
        comment = self.reader.comment
        if comment is None:
            return
        from app.comments.sanitize import image_urls

        urls = [u for u in image_urls(comment.html) if u not in self.reader.images_shown(comment.id)]
        service, comment_id = self.service, comment.id
        for url in urls:
            self._runner.read(
                lambda u=url: service.fetch_image(u),
                on_done=lambda data, u=url: self.reader.add_image(comment_id, u, data),
                on_error=self._on_expected_error,
            )

    def _on_link_activated(self, url: QUrl) -> None:
        QDesktopServices.openUrl(url)

    # -- reactions -------------------------------------------------------------------------------

    def _on_selection_changed(self, *_args: object) -> None:
        chosen = self.selected()
        comment = chosen[0] if len(chosen) == 1 else None
        if comment is None and not chosen:
            current = self.model.comment(self.tree.currentIndex())
            comment = current
        parent_text = ""
        if comment is not None and comment.parent_id:
            parent = next(
                (
                    c
                    for c in self.model.comments()
                    if c.remote_id == comment.parent_id and c.site_id == comment.site_id
                ),
                None,
            )
            parent_text = parent.text if parent is not None else ""
        self.reader.show_comment(comment, parent_text)
        self._update_actions()

    def _update_actions(self) -> None:
        chosen = self.selected()
        sent = [c for c in chosen if c.remote_id is not None]
        for action in Action:
            item = self.actions[action.value]
            if action is Action.RESTORE:
                item.setEnabled(any(c.shown_status in ("spam", "trash") for c in sent))
            else:
                item.setEnabled(any(c.shown_status != action.target for c in sent))
        self.actions["reply"].setEnabled(
            len(sent) == 1 and sent[0].shown_status not in ("spam", "trash")
        )
        comment = self.reader.comment
        from app.comments.sanitize import image_urls

        self.load_images.setVisible(comment is not None and bool(image_urls(comment.html)))

    def _on_expected_error(self, error: BaseException) -> None:
        if not isinstance(error, CopydeskError):
            raise error
        self.action_failed.emit(error)
        self.bar.messages.show_message(str(error), Level.ERROR)
