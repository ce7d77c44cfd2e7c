"""Opening a post from a site as a piece, to edit and push back."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.sites.statuses import DRAFT, FUTURE, PENDING, PUBLISH
from ui.runner import TaskRunner

if TYPE_CHECKING:
    from app.core import Core
    from app.pieces.data import PieceData
    from app.publishing.pull import RemoteListing
    from app.sites.registry import SiteData

LIMIT = 500
FILTERS = (
    ("", "All posts"),
    (PUBLISH, "Published"),
    (DRAFT, "Drafts"),
    (PENDING, "Pending"),
    (FUTURE, "Scheduled"),
)


class PullDialog(QDialog):
    piece_opened = Signal(object)  # PieceData (imported now, or the piece already linked)

    def __init__(self, core: Core, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Open a Post from a Site")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # one per use
        self.resize(820, 560)
        self._core = core
        self._runner = runner
        self._sites: list[SiteData] = []
        self._listing: RemoteListing | None = None
        self._request = 0
        self.site = QComboBox()
        self.status = QComboBox()
        for value, label in FILTERS:
            self.status.addItem(label, value)
        self.search = QLineEdit(placeholderText="Search the site's posts")
        self.search.setClearButtonEnabled(True)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(("Title", "Status", "Changed", "In your library"))
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.message = QLabel()
        self.message.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.site)
        top.addWidget(self.status)
        top.addWidget(self.search, 1)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Close
        )
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self._search_timer = QTimer(self, singleShot=True, interval=400)
        self._search_timer.timeout.connect(self.reload)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.site.currentIndexChanged.connect(lambda _i: self.reload())
        self.status.currentIndexChanged.connect(lambda _i: self.reload())
        self.table.itemDoubleClicked.connect(lambda _item: self._on_open_clicked())
        self.buttons.accepted.connect(self._on_open_clicked)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.Open).setEnabled(False)
        self.table.itemSelectionChanged.connect(
            lambda: self.buttons.button(QDialogButtonBox.StandardButton.Open).setEnabled(
                bool(self.table.selectedItems())
            )
        )
        runner.read(core.remote.sites.list, owner=self, on_done=self._on_sites, on_error=self._on_error)

    def _on_sites(self, sites: list[SiteData]) -> None:
        self._sites = sites
        if not sites:
            self.message.setText("There is no site yet: add one with Publish ▸ Sites….")
            return
        self.site.blockSignals(True)
        for site in sites:
            self.site.addItem(site.name, site.id)
        self.site.blockSignals(False)
        self.reload()

    def reload(self) -> None:
        if self.site.currentIndex() < 0:
            return
        self._request += 1
        request = self._request
        site_id = int(self.site.currentData())
        status = self.status.currentData() or None
        words = self.search.text().strip()
        self.message.setText("Fetching the posts…")
        self._runner.network(
            lambda: self._core.remote.puller.list_posts(
                site_id, status=status, search=words, limit=LIMIT
            ),
            owner=self,
            on_done=lambda listing: self._on_listed(request, listing),
            on_error=self._on_error,
        )

    def _on_listed(self, request: int, listing: RemoteListing) -> None:
        if request != self._request:
            return
        self._listing = listing
        self.table.setRowCount(len(listing.posts))
        for row, post in enumerate(listing.posts):
            linked = listing.piece_of(post.id)
            cells = (
                html.unescape(post.title) or "(no title)",
                post.status_label,
                post.modified_gmt.replace("T", " ")[:16],
                "yes" if linked else "",
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, post.id)
                self.table.setItem(row, column, item)
        shown = len(listing.posts)
        more = f" (the newest {shown} of {listing.total})" if listing.total > shown else ""
        self.message.setText(f"{shown} posts{more}.")

    def _on_open_clicked(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or self._listing is None:
            return
        item = self.table.item(rows[0].row(), 0)
        if item is None:
            return
        post_id = int(item.data(Qt.ItemDataRole.UserRole))
        linked = self._listing.piece_of(post_id)
        if linked is not None:
            self._runner.read(self._core.pieces.get, linked, owner=self, on_done=self._on_opened)
            return
        site_id = int(self.site.currentData())
        self.message.setText("Opening the post…")
        self._runner.network(
            self._core.remote.puller.import_post, site_id, post_id,
            owner=self, on_done=self._on_opened, on_error=self._on_error,
        )  # fmt: skip

    def _on_opened(self, piece: PieceData) -> None:
        self.piece_opened.emit(piece)
        self.accept()

    def _on_error(self, error: BaseException) -> None:
        self.message.setText(str(error))
