"""The library pane: every piece, with status, last change and length; filter, sort and search."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.pieces.data import PieceData, PieceSummary
from app.pieces.workflow import Status
from ui.library.model import (
    COMMENTS,
    ID_ROLE,
    STATUS,
    TITLE,
    UPDATED,
    WORDS,
    PieceFilterModel,
    PieceTableModel,
)
from ui.runner import TaskRunner

if TYPE_CHECKING:
    from app.core import Core

log = logging.getLogger(__name__)

TRASH = "trash"
ALL = "all"
SEARCH_DELAY_MS = 200


class LibraryPane(QWidget):
    piece_selected = Signal(int)
    selection_changed = Signal(list)  # ids
    list_loaded = Signal(int)  # how many rows

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("libraryPane")
        self._core: Core | None = None
        self._runner = runner
        self._request = 0
        self._context_actions: list[QAction] = []
        self.search = QLineEdit(placeholderText="Search all pieces")
        self.search.setClearButtonEnabled(True)
        self.filter = QComboBox()
        self.filter.addItem("All pieces", ALL)  # never None: see ui/metadata/panel.py
        for status in Status:
            self.filter.addItem(status.label, status.value)
        self.filter.insertSeparator(self.filter.count())
        self.filter.addItem("Trash", TRASH)
        self.model = PieceTableModel()
        self.proxy = PieceFilterModel()
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
        # fixed widths from the font, not ResizeToContents: that would ask every row for its text
        metrics = self.table.fontMetrics()
        samples = (
            (STATUS, "Submitted"),
            (UPDATED, "Yesterday"),
            (WORDS, "99,999"),
            (COMMENTS, "99 (9 new)"),
        )
        for column, sample in samples:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, metrics.horizontalAdvance(sample) + 24)
        header.setHighlightSections(False)
        self.table.setColumnHidden(COMMENTS, True)  # until there are comments
        # the source model sorts itself (fast); the header only shows and changes the order
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(UPDATED, Qt.SortOrder.DescendingOrder)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.count = QLabel()
        self.count.setObjectName("libraryCount")
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.filter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self._search_timer.timeout.connect(self.refresh)
        self.filter.currentIndexChanged.connect(self._on_filter_changed)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.table.customContextMenuRequested.connect(self._on_context_menu_requested)
        self.table.horizontalHeader().sortIndicatorChanged.connect(self._on_sort_changed)
        self.proxy.rowsInserted.connect(self._update_count)
        self.proxy.rowsRemoved.connect(self._update_count)
        self.proxy.modelReset.connect(self._update_count)
        self.proxy.layoutChanged.connect(self._update_count)

    def attach(self, core: Core) -> None:
        """Show this library (the window is on screen before the library is open)."""
        self._core = core

    # -- state ---------------------------------------------------------------------------------

    @property
    def showing_trash(self) -> bool:
        return bool(self.filter.currentData() == TRASH)

    def selected_ids(self) -> list[int]:
        rows = self.table.selectionModel().selectedRows()
        return [int(index.data(ID_ROLE)) for index in rows]

    def set_context_actions(self, actions: list[QAction]) -> None:
        self._context_actions = actions

    def sort_state(self) -> tuple[int, bool]:
        header = self.table.horizontalHeader()
        return (
            header.sortIndicatorSection(),
            header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder,
        )

    def set_sort_state(self, column: int, descending: bool) -> None:
        if 0 <= column <= COMMENTS:
            order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
            self.table.horizontalHeader().setSortIndicator(column, order)

    def _on_sort_changed(self, column: int, order: Qt.SortOrder) -> None:
        if not self.search.text().strip():
            self.model.sort(column, order)

    # -- loading -------------------------------------------------------------------------------

    def refresh(self, select: int | None = None) -> None:
        """Reload the list (or the search results) in the background; then select *select*."""
        if self._core is None:
            return
        pieces = self._core.pieces
        self._request += 1
        request = self._request
        words = self.search.text().strip()
        trashed = self.showing_trash
        if words:
            job = lambda: pieces.search(words, trashed=trashed)  # noqa: E731
        else:
            job = lambda: pieces.summaries(trashed=trashed)  # noqa: E731
        self._runner.read(job, owner=self, on_done=lambda rows: self._on_loaded(request, rows, select))

    def _on_loaded(self, request: int, rows: list[PieceSummary], select: int | None) -> None:
        if request != self._request:
            return  # a newer list was asked for meanwhile
        keep = select if select is not None else next(iter(self.selected_ids()), None)
        searching = bool(self.search.text().strip())
        # search results come ranked; a plain list is sorted by the header
        self.table.horizontalHeader().setSortIndicatorShown(not searching)
        self.table.selectionModel().blockSignals(True)
        self.model.set_rows(rows, keep_order=searching)
        self.table.selectionModel().blockSignals(False)
        if keep is not None:
            self.select_piece(keep, emit=select is not None)
        self._update_count()
        self.list_loaded.emit(len(rows))

    def select_piece(self, piece_id: int, *, emit: bool = True) -> None:
        row = self.model.row_of(piece_id)
        if row is None:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return
        selection = self.table.selectionModel()
        if not emit:
            selection.blockSignals(True)
        selection.setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
        )
        selection.blockSignals(False)
        self.table.scrollTo(index)

    def set_comment_counts(self, counts: dict[int, tuple[int, int, int]]) -> None:
        """Show the Comments column once any piece has comments (a library without sites has
        none, and the narrow pane keeps its room for the titles)."""
        self.model.set_comment_counts(counts)
        self.table.setColumnHidden(COMMENTS, not any(total for _, _, total in counts.values()))

    def select_first(self) -> None:
        """Select (and so open) the piece at the top of the list, if there is one."""
        if self.proxy.rowCount():
            self.select_piece(int(self.proxy.index(0, 0).data(ID_ROLE)))

    def update_piece(self, piece: PieceData) -> None:
        """A piece was saved: refresh its row (and keep the sort order true)."""
        if self.model.update_piece(piece) and not self.search.text().strip():
            header = self.table.horizontalHeader()
            self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())

    # -- reactions -----------------------------------------------------------------------------

    def _on_filter_changed(self, _index: int) -> None:
        status = self.filter.currentData()
        self.proxy.set_status(None if status in (ALL, TRASH) else status)
        self.refresh()

    def _on_selection_changed(self, *_args: object) -> None:
        ids = self.selected_ids()
        self.selection_changed.emit(ids)
        current = self.table.selectionModel().currentIndex()
        if len(ids) == 1 and current.isValid():
            self.piece_selected.emit(int(current.data(ID_ROLE)))

    def _on_context_menu_requested(self, position: QPoint) -> None:
        index: QModelIndex = self.table.indexAt(position)
        if index.isValid() and int(index.data(ID_ROLE)) not in self.selected_ids():
            self.select_piece(int(index.data(ID_ROLE)))
        menu = QMenu(self)
        for action in self._context_actions:
            if action.isVisible():
                menu.addAction(action)
        menu.exec(self.table.viewport().mapToGlobal(position))
        menu.deleteLater()

    def _update_count(self, *_args: object) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        noun = "piece" if total == 1 else "pieces"
        where = " in the trash" if self.showing_trash else ""
        if self.search.text().strip():
            noun = "piece" if shown == 1 else "pieces"
            verb = "matches" if shown == 1 else "match"
            self.count.setText(f"{shown} {noun}{where} {verb}")
        elif shown != total:
            self.count.setText(f"{shown} of {total} {noun}{where}")
        else:
            self.count.setText(f"{total} {noun}{where}")
