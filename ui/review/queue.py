"""The review queue: the pieces awaiting review on each site, newest first, in a dock.

The widget only shows and asks: which site and category to show (``refresh_requested``), which post
to open (``post_requested``). :class:`ui.review.controller.ReviewController` fetches the queue from
the sites, or the cached one offline, and opens the post in the editor.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.workflow.data import QueueItem

ALL_SITES = 0
COLUMNS = ("Piece", "Words", "Age")
ACTION_COLUMNS = 2  # the review actions' buttons, in rows of two (the dock is narrow)
ITEM_ROLE = Qt.ItemDataRole.UserRole


def age_text(seconds: float) -> str:
    """How long ago, in the fewest words: "just now", "12 min", "3 h", "2 days"."""
    minutes = int(seconds // 60)
    if minutes < 1:
        return "just now"
    if minutes < 60:
        return f"{minutes} min"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} h"
    return f"{hours // 24} days"


def _piece_text(item: QueueItem, *, with_site: bool) -> str:
    """Two lines: the title; then the byline, who submitted it if someone else, and the site (when
    the queue shows several)."""
    details = [f"by {item.byline}"]
    if item.status != "pending":  # a custom status the site registers, by its label
        details.insert(0, item.status_label)
    if item.submitted_by and item.submitted_by != item.byline:
        details.append(f"submitted by {item.submitted_by}")
    if with_site:
        details.append(item.site_name)
    return f"{item.title or 'Untitled'}\n{' · '.join(details)}"


def _age(item: QueueItem, now: datetime) -> str:
    return age_text(item.age(now)) if item.submitted_at else "—"


class _Row(QTreeWidgetItem):
    """Sorts Words and Age by their numbers, not their text."""

    def __lt__(self, other: QTreeWidgetItem) -> bool:
        tree = self.treeWidget()
        column = tree.sortColumn() if tree is not None else 0
        mine, theirs = (
            self.data(column, Qt.ItemDataRole.UserRole + 1),
            other.data(column, Qt.ItemDataRole.UserRole + 1),
        )
        if isinstance(mine, (int, float)) and isinstance(theirs, (int, float)):
            return mine < theirs
        if isinstance(mine, str) and isinstance(theirs, str):
            return mine < theirs
        return self.text(column).casefold() < other.text(column).casefold()


class ReviewQueuePanel(QWidget):
    refresh_requested = Signal(int, str)  # site id (0: every site), category name ("": any)
    post_requested = Signal(int, int)  # site id, post id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewQueue")
        self.setAccessibleName("Review queue")
        self.toolbar = QWidget()
        self.toolbar.setObjectName("reviewToolbar")
        self.toolbar.setAccessibleName("Review actions")
        self._buttons = QGridLayout(self.toolbar)
        self._buttons.setContentsMargins(0, 0, 0, 0)
        self._buttons.setSpacing(4)
        self.buttons: list[QToolButton] = []
        self.site = QComboBox()
        self.site.setObjectName("reviewSite")
        self.site.setAccessibleName("Show the queue of")
        self.site.addItem("All sites", ALL_SITES)
        self.category = QLineEdit()
        self.category.setObjectName("reviewCategory")
        self.category.setAccessibleName("Category filter")
        self.category.setPlaceholderText("Any category")
        self.category.setClearButtonEnabled(True)
        self.category.setToolTip("Show only the pieces of this category (asks the site)")
        self.refresh = QPushButton("Refresh")
        self.refresh.setObjectName("reviewRefresh")
        self.refresh.setAccessibleName("Refresh the review queue from the sites")
        self.state = QLabel()
        self.state.setObjectName("reviewQueueState")
        self.state.setAccessibleName("Review queue state")
        self.state.setWordWrap(True)
        self.piece_status = QLabel()
        self.piece_status.setObjectName("reviewPieceStatus")
        self.piece_status.setAccessibleName("The open piece on its site")
        self.piece_status.setWordWrap(True)
        self.piece_status.hide()
        self.tree = QTreeWidget()
        self.tree.setObjectName("reviewQueueList")
        self.tree.setAccessibleName("Pieces awaiting review")
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setHeaderLabels(list(COLUMNS))
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)  # every row has two lines
        self.tree.setWordWrap(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setSortingEnabled(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.empty = QLabel()
        self.empty.setObjectName("reviewQueueEmpty")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.hide()
        self.open = QPushButton("Open in Editor")
        self.open.setObjectName("reviewOpen")
        self.open.setAccessibleName("Open the selected piece in the editor")
        self.open.setEnabled(False)
        filters = QHBoxLayout()
        filters.addWidget(self.site, 1)
        filters.addWidget(self.category, 1)
        filters.addWidget(self.refresh)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.piece_status)
        layout.addLayout(filters)
        layout.addWidget(self.state)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.open, 0, Qt.AlignmentFlag.AlignRight)
        self.setTabOrder(self.site, self.category)
        self.setTabOrder(self.category, self.refresh)
        self.setTabOrder(self.refresh, self.tree)
        self.setTabOrder(self.tree, self.open)
        self.refresh.clicked.connect(self._on_refresh_clicked)
        self.category.returnPressed.connect(self._on_refresh_clicked)
        self.site.activated.connect(self._on_refresh_clicked)
        self.tree.itemActivated.connect(self._on_tree_item_activated)
        self.tree.itemSelectionChanged.connect(self._on_tree_selection_changed)
        self.open.clicked.connect(self._on_open_clicked)

    def set_actions(self, actions: Sequence[QAction]) -> None:
        """Show the review actions (the window's, from its action table) above the queue."""
        for action in actions:
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.setAccessibleName(action.text().replace("&", "").rstrip("…"))
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            index = len(self.buttons)
            self._buttons.addWidget(button, index // ACTION_COLUMNS, index % ACTION_COLUMNS)
            self.buttons.append(button)

    def set_sites(self, sites: Sequence[tuple[int, str]]) -> None:
        """The sites to choose from (id, name); the choice is kept when it still exists."""
        current = self.site_id()
        self.site.clear()
        self.site.addItem("All sites", ALL_SITES)
        for site_id, name in sites:
            self.site.addItem(name, site_id)
        self.site.setCurrentIndex(max(0, self.site.findData(current)))

    def site_id(self) -> int:
        return int(self.site.currentData() or ALL_SITES)

    def category_name(self) -> str:
        return self.category.text().strip()

    def show_items(self, items: Sequence[QueueItem], state: str, *, empty: str = "") -> None:
        """Show *items* (newest first) with a line saying where they come from."""
        keep = self.selected()
        self.state.setText(state)
        self.tree.setSortingEnabled(False)
        self.tree.clear()
        now = datetime.now(UTC)
        several = len({item.site_id for item in items}) > 1
        for item in items:
            row = _Row([_piece_text(item, with_site=several), f"{item.word_count:,}", _age(item, now)])
            row.setData(0, ITEM_ROLE, (item.site_id, item.post_id))
            row.setData(0, Qt.ItemDataRole.UserRole + 1, item.title.casefold())
            row.setData(1, Qt.ItemDataRole.UserRole + 1, item.word_count)
            row.setData(2, Qt.ItemDataRole.UserRole + 1, -item.age(now))
            for column in (1, 2):
                row.setTextAlignment(column, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            when = item.submitted_at.astimezone() if item.submitted_at else None
            row.setToolTip(
                0,
                f"{item.title}\nby {item.byline} · {item.word_count:,} words"
                + (f"\nsubmitted {when:%a %d %b %H:%M} by {item.submitted_by}" if when else ""),
            )
            self.tree.addTopLevelItem(row)
            if (item.site_id, item.post_id) == keep:
                row.setSelected(True)
                self.tree.setCurrentItem(row)
        self.tree.setSortingEnabled(True)
        self.tree.sortByColumn(2, Qt.SortOrder.DescendingOrder)  # the newest first
        self.empty.setText(empty or "Nothing awaits review.")
        self.tree.setVisible(bool(items))
        self.empty.setVisible(not items)
        self._on_tree_selection_changed()

    def show_piece_status(self, text: str) -> None:
        """Where the open piece stands on its site, in the site's words ("" to hide)."""
        self.piece_status.setText(text)
        self.piece_status.setVisible(bool(text))

    def show_state(self, text: str) -> None:
        self.state.setText(text)

    def set_busy(self, busy: bool) -> None:
        self.refresh.setEnabled(not busy)
        self.refresh.setText("Refreshing…" if busy else "Refresh")

    def items(self) -> list[tuple[int, int, str]]:
        """(site id, post id, title) of each row, as shown."""
        rows = []
        for index in range(self.tree.topLevelItemCount()):
            row = self.tree.topLevelItem(index)
            assert row is not None
            site_id, post_id = row.data(0, ITEM_ROLE)
            rows.append((int(site_id), int(post_id), row.text(0).split("\n")[0]))
        return rows

    def selected(self) -> tuple[int, int] | None:
        row = self.tree.currentItem()
        if row is None or not row.isSelected():
            return None
        site_id, post_id = row.data(0, ITEM_ROLE)
        return int(site_id), int(post_id)

    def _on_refresh_clicked(self) -> None:
        self.refresh_requested.emit(self.site_id(), self.category_name())

    def _on_tree_item_activated(self, row: QTreeWidgetItem, _column: int) -> None:
        site_id, post_id = row.data(0, ITEM_ROLE)
        self.post_requested.emit(int(site_id), int(post_id))

    def _on_tree_selection_changed(self) -> None:
        self.open.setEnabled(self.selected() is not None)

    def _on_open_clicked(self) -> None:
        chosen = self.selected()
        if chosen is not None:
            self.post_requested.emit(*chosen)
