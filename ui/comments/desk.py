"""The comment desk: a piece's (or a post's) reader comments as threads, and the site-wide inbox.

The widget only shows and asks: the thread chooser, the tree, the reader, the reply editor and the
moderation actions (from ``COMMENT_ACTIONS`` in ``ui/actions.py``). What it asks for (a thread,
a sync, an action, a reply, a comment's pictures) is done by ``ui/comments/controller.py``.

    desk.show_piece(piece_id)               # or show_post(site_id, post_id), show_inbox()
    desk.piece_requested.connect(...)       # "Open the piece" of the thread shown
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QLabel, QSplitter, QTreeView, QVBoxLayout, QWidget

from app.comments import Action, CommentData, SortKey, Thread
from ui.actions import COMMENT_ACTIONS, COMMENT_TOOLBAR, ActionTable
from ui.comments.bar import INBOX, DeskBar, sync_state_text
from ui.comments.delegate import CommentDelegate
from ui.comments.model import ThreadModel
from ui.comments.reader import CommentReader
from ui.comments.reply import ReplyEditor
from ui.runner import TaskRunner

log = logging.getLogger(__name__)

SEARCH_DELAY_MS = 250


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
    thread_shown = Signal(int)  # how many comments the thread shows
    piece_requested = Signal(int)  # "Open the piece" of the thread shown
    refresh_requested = Signal(bool)  # load the thread shown again; True: and mark it seen
    moderation_requested = Signal(object, object)  # an app.comments.Action, the comment ids
    images_requested = Signal(object)  # the CommentData whose pictures to fetch

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        """*runner* renders the reply editor's preview."""
        super().__init__(parent)
        self.setObjectName("commentDesk")
        self._view: tuple[object, ...] = INBOX
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
        self.action_table = ActionTable(self, COMMENT_ACTIONS)
        self.load_images = self.action_table["comments/load-images"]
        # a toolbar, not a row of buttons: in a narrow dock the actions that do not fit go into
        # its overflow menu instead of forcing the dock (and the window) wider
        self.buttons = self.action_table.make_toolbar(
            "Comment actions", "commentActions", COMMENT_TOOLBAR
        )
        self.buttons.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self._build()
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._connect_signals()
        self._update_actions()

    # -- construction ----------------------------------------------------------------------------

    def _build(self) -> None:
        for action in Action:  # their keys work while the tree has the focus
            self.tree.addAction(self.action_table[f"comments/{action.value}"])
        self.tree.addAction(self.action_table["comments/reply"])
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
        for action in Action:
            self.action_table[f"comments/{action.value}"].triggered.connect(
                lambda _=False, a=action: self.moderation_requested.emit(a, self.selected_ids())
            )
        self.action_table["comments/reply"].triggered.connect(self._on_reply_triggered)
        self.load_images.triggered.connect(self._on_load_images_triggered)
        self.bar.view.currentIndexChanged.connect(self._on_view_chosen)
        self.bar.sort.currentIndexChanged.connect(lambda _i: self.refresh_requested.emit(False))
        self.bar.status.currentIndexChanged.connect(lambda _i: self.refresh_requested.emit(False))
        self.bar.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.bar.open_piece.clicked.connect(self._on_open_piece_clicked)
        self._search_timer.timeout.connect(lambda: self.refresh_requested.emit(False))
        self.tree.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.reader.link_activated.connect(self._on_link_activated)
        self.reader.images_requested.connect(lambda _id: self._on_load_images_triggered())

    def sizeHint(self) -> QSize:
        return QSize(900, 640)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        wide = event.size().width() > event.size().height() * 1.15
        self.splitter.setOrientation(Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical)

    # -- what is shown ---------------------------------------------------------------------------

    @property
    def view(self) -> tuple[object, ...]:
        """The thread shown: ``INBOX``, ``("piece", piece_id)`` or ``("post", site_id, post_id)``."""
        return self._view

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
        self.refresh_requested.emit(True)

    def set_sort(self, key: SortKey) -> None:
        self.bar.sort.setCurrentIndex(self.bar.sort.findData(key.value))  # refreshes

    def set_status_filter(self, status: str | None) -> None:
        self.bar.status.setCurrentIndex(self.bar.status.findData(status or ""))

    def set_search(self, words: str) -> None:
        self.bar.search.setText(words)
        self._search_timer.stop()
        self.refresh_requested.emit(False)

    def _on_open_piece_clicked(self) -> None:
        if self._view[0] == "piece":
            self.piece_requested.emit(int(self._view[1]))  # type: ignore[call-overload]

    def _on_view_chosen(self, _row: int) -> None:
        self._view = self.bar.current_key()
        self.refresh_requested.emit(True)

    # -- showing ---------------------------------------------------------------------------------

    def show_thread(self, thread: Thread, view: tuple[object, ...], keep: list[int]) -> None:
        """Show a loaded thread, selecting the comments *keep* again."""
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

    def show_posts(self, posts: list[Any], held: int, sync_state: tuple[Any, int] | None) -> None:
        """Fill the thread chooser; *sync_state* is (last synced, actions waiting), or None while
        a sync runs (its progress is shown instead)."""
        self.bar.set_posts(posts, held, self._view)
        if sync_state is not None:
            self.bar.state.setText(sync_state_text(*sync_state))

    def show_sync_started(self) -> None:
        self.bar.sync_button.setEnabled(False)
        self.bar.progress.setRange(0, 0)
        self.bar.progress.show()
        self.bar.state.setText("Syncing comments…")

    def show_sync_progress(self, done: int, total: int) -> None:
        if total:
            self.bar.progress.setRange(0, total)
            self.bar.progress.setValue(done)
            self.bar.state.setText(f"Syncing comments… {done:,} of {total:,}")

    def show_sync_ended(self) -> None:
        self.bar.sync_button.setEnabled(True)
        self.bar.progress.hide()

    # -- acting ----------------------------------------------------------------------------------

    def _on_reply_triggered(self) -> None:
        chosen = self.selected()
        if len(chosen) == 1:
            self.reply.start(chosen[0])

    def _on_load_images_triggered(self) -> None:
        if self.reader.comment is not None:
            self.images_requested.emit(self.reader.comment)

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
            item = self.action_table[f"comments/{action.value}"]
            if action is Action.RESTORE:
                item.setEnabled(any(c.shown_status in ("spam", "trash") for c in sent))
            else:
                item.setEnabled(any(c.shown_status != action.target for c in sent))
        self.action_table["comments/reply"].setEnabled(
            len(sent) == 1 and sent[0].shown_status not in ("spam", "trash")
        )
        comment = self.reader.comment
        from app.comments.sanitize import image_urls

        self.load_images.setVisible(comment is not None and bool(image_urls(comment.html)))
