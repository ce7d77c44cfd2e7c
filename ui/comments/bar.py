"""The desk's controls: which thread, in what order, which statuses, a search; and the sync line."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.comments import Counts, PostRef, SortKey, VotesAvailability
from ui.library.model import relative_time
from ui.messages import MessageBar

INBOX = ("inbox",)
STATUS_CHOICES = (
    ("Approved and held", None),
    ("Awaiting moderation", "hold"),
    ("Approved", "approved"),
    ("Spam", "spam"),
    ("Trash", "trash"),
)


def counts_text(new: int, held: int, total: int) -> str:
    parts = []
    if new:
        parts.append(f"{new} new")
    if held:
        parts.append(f"{held} held")
    parts.append(f"{total} in all" if total != 1 else "1 in all")
    return " · ".join(parts)


class DeskBar(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._extra: dict[tuple[object, ...], str] = {}
        self.view = QComboBox()
        self.view.setObjectName("commentView")
        self.view.setMinimumContentsLength(16)
        self.view.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.sort = QComboBox()
        self.sort.setObjectName("commentSort")
        for key in SortKey:
            self.sort.addItem(key.label, key.value)
        self.status = QComboBox()
        self.status.setObjectName("commentStatus")
        for label, value in STATUS_CHOICES:
            self.status.addItem(label, value or "")
        self.open_piece = QPushButton("Open piece")
        self.open_piece.setObjectName("commentOpenPiece")
        self.open_piece.setToolTip("Open this piece in the editor")
        self.open_piece.hide()
        self.search = QLineEdit(placeholderText="Search comments")
        self.search.setObjectName("commentSearch")
        self.search.setClearButtonEnabled(True)
        self.sync_button = QPushButton("Sync now")
        self.sync_button.setObjectName("commentSync")
        self.progress = QProgressBar()
        self.progress.setObjectName("commentSyncProgress")
        self.progress.setMaximumWidth(160)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.messages = MessageBar()
        self.state = QLabel("Not synced yet")
        self.state.setObjectName("commentSyncState")
        self.state.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top = QHBoxLayout()
        top.addWidget(self.view, 1)
        top.addWidget(self.open_piece)
        filters = QHBoxLayout()
        filters.addWidget(self.sort)
        filters.addWidget(self.status)
        filters.addWidget(self.search, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.messages)
        # the sync line goes at the foot of the desk (CommentDesk places it)
        self.footer = QWidget()
        line = QHBoxLayout(self.footer)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.state, 1)
        line.addWidget(self.progress)
        line.addWidget(self.sync_button)

    # -- the list of threads ---------------------------------------------------------------------

    def set_posts(self, posts: list[PostRef], held: int, current: tuple[object, ...]) -> None:
        """Fill the thread chooser: the inbox, then the user's pieces, then the site's other posts."""
        self.view.blockSignals(True)
        self.view.clear()
        self.view.addItem(f"Awaiting moderation, every site ({held})", INBOX)
        pieces: dict[int, list[PostRef]] = {}
        others: list[PostRef] = []
        for post in posts:
            if post.piece_id is not None:
                pieces.setdefault(post.piece_id, []).append(post)
            else:
                others.append(post)
        sites = {p.site_id for p in posts}
        if pieces:
            self.view.insertSeparator(self.view.count())
        for piece_id, refs in pieces.items():
            counts = sum((r.counts for r in refs), Counts())
            label = f"{refs[0].title} — {counts_text(*counts.as_tuple())}"
            self.view.addItem(label, ("piece", piece_id))
        if others:
            self.view.insertSeparator(self.view.count())
        for post in others:
            where = f" ({post.site_name})" if len(sites) > 1 else ""
            label = f"{post.title}{where} — {counts_text(*post.counts.as_tuple())}"
            self.view.addItem(label, ("post", post.site_id, post.post_id))
            self.view.setItemData(
                self.view.count() - 1, "A post Copydesk did not push", Qt.ItemDataRole.ToolTipRole
            )
        for key, label in self._extra.items():  # threads with no comments yet are in no list
            if self.view.findData(key) < 0:
                self.view.addItem(label, key)
        self.select(current)
        self.view.blockSignals(False)

    def select(self, key: tuple[object, ...]) -> bool:
        for row in range(self.view.count()):
            if self.view.itemData(row) == key:
                self.view.setCurrentIndex(row)
                return True
        return False

    def ensure(self, key: tuple[object, ...], label: str) -> None:
        """Show *key* as the current thread, adding it to the list when it has no comments yet."""
        self.view.blockSignals(True)
        if not self.select(key):
            self._extra[key] = label
            self.view.addItem(label, key)
            self.view.setCurrentIndex(self.view.count() - 1)
        self.view.blockSignals(False)

    def current_key(self) -> tuple[object, ...]:
        data = self.view.currentData()
        return tuple(data) if isinstance(data, tuple) else INBOX

    # -- sort and status -------------------------------------------------------------------------

    def set_votes(self, votes: VotesAvailability) -> None:
        """Offer "Most voted" only where the site shows votes; say why not in a tooltip."""
        model = self.sort.model()
        row = self.sort.findData(SortKey.VOTES.value)
        if isinstance(model, QStandardItemModel) and row >= 0:
            item = model.item(row)
            item.setEnabled(votes.available)
            item.setToolTip(votes.reason)
        self.sort.setToolTip("" if votes.available else f"“Most voted” is off: {votes.reason}")
        if not votes.available and self.sort_key() is SortKey.VOTES:
            self.sort.setCurrentIndex(self.sort.findData(SortKey.NEWEST.value))

    def votes_enabled(self) -> bool:
        model = self.sort.model()
        row = self.sort.findData(SortKey.VOTES.value)
        return isinstance(model, QStandardItemModel) and model.item(row).isEnabled()

    def sort_key(self) -> SortKey:
        return SortKey(self.sort.currentData())

    def status_filter(self) -> str | None:
        return str(self.status.currentData()) or None


def sync_state_text(last: datetime | None, waiting: int) -> str:
    text = f"Last synced {relative_time(last)}" if last is not None else "Not synced yet"
    if waiting:
        text += f" · {waiting} action{'s' if waiting != 1 else ''} waiting to be sent"
    return text
