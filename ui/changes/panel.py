"""The changes panel: every change that came back, what it was and what it is now, to accept or
reject one by one or all at once, and to step through (previous, next)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.changes.tracked import Change
from ui.theme import is_dark

ID_ROLE = Qt.ItemDataRole.UserRole
# the removed and inserted words, on the list's base colour: at least 4.5:1 (WCAG AA) in both themes
WAS = {False: QColor("#a3231a"), True: QColor("#ff9b91")}
NOW = {False: QColor("#17692d"), True: QColor("#8fd9a1")}


def _short(text: str, width: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


class ChangesPanel(QWidget):
    change_selected = Signal(str)  # a change's id
    accept_requested = Signal(str)
    reject_requested = Signal(str)
    accept_all_requested = Signal()
    reject_all_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("changesPanel")
        self.setAccessibleName("Tracked changes")
        self.heading = QLabel("No changes to review.")
        self.heading.setWordWrap(True)
        self.heading.setAccessibleName("What the changes are compared with")
        self.tree = QTreeWidget()
        self.tree.setObjectName("changesList")
        self.tree.setAccessibleName("Changes")
        self.tree.setAccessibleDescription(
            "Each change: the words it removes and the words it puts in their place"
        )
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Was", "Now"])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setWordWrap(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.tree.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.tree.currentItemChanged.connect(self._on_tree_current_changed)
        self.tree.itemActivated.connect(lambda _item, _col: self._emit_current(self.accept_requested))
        self.accept_button = self._button("&Accept", "Accept the selected change", "changesAccept")
        self.reject_button = self._button("&Reject", "Reject the selected change", "changesReject")
        self.previous_button = self._button("&Previous", "Go to the previous change", "changesPrevious")
        self.next_button = self._button("&Next", "Go to the next change", "changesNext")
        self.accept_all_button = self._button("Accept A&ll", "Accept every change", "changesAcceptAll")
        self.reject_all_button = self._button("Reject Al&l", "Reject every change", "changesRejectAll")
        self.accept_button.clicked.connect(lambda: self._emit_current(self.accept_requested))
        self.reject_button.clicked.connect(lambda: self._emit_current(self.reject_requested))
        self.accept_all_button.clicked.connect(self.accept_all_requested)
        self.reject_all_button.clicked.connect(self.reject_all_requested)
        self.previous_button.clicked.connect(self.select_previous)
        self.next_button.clicked.connect(self.select_next)
        buttons = QGridLayout()
        buttons.addWidget(self.accept_button, 0, 0)
        buttons.addWidget(self.reject_button, 0, 1)
        buttons.addWidget(self.previous_button, 1, 0)
        buttons.addWidget(self.next_button, 1, 1)
        buttons.addWidget(self.accept_all_button, 2, 0)
        buttons.addWidget(self.reject_all_button, 2, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)
        QWidget.setTabOrder(self.tree, self.accept_button)
        QWidget.setTabOrder(self.accept_button, self.reject_button)
        QWidget.setTabOrder(self.reject_button, self.previous_button)
        QWidget.setTabOrder(self.previous_button, self.next_button)
        QWidget.setTabOrder(self.next_button, self.accept_all_button)
        QWidget.setTabOrder(self.accept_all_button, self.reject_all_button)
        self.show_changes([], "")

    def _button(self, text: str, tip: str, name: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setToolTip(tip)
        button.setAccessibleName(text.replace("&", ""))
        button.setAccessibleDescription(tip)
        return button

    # -- what it shows -------------------------------------------------------------------------

    def show_changes(
        self, changes: Sequence[Change], heading: str, *, current: str | None = None
    ) -> None:
        """List *changes* under *heading*; keep *current* (an id) selected when it is still there."""
        self.tree.blockSignals(True)
        try:
            self.tree.clear()
            dark = is_dark(self.tree.palette())
            struck = QFont(self.tree.font())
            struck.setStrikeOut(True)
            chosen = None
            for change in changes:
                item = QTreeWidgetItem([_short(change.removed) or "—", _short(change.inserted) or "—"])
                item.setData(0, ID_ROLE, change.id)
                item.setToolTip(0, change.removed or "(nothing: words were inserted)")
                item.setToolTip(1, change.inserted or "(nothing: words were deleted)")
                if change.removed:
                    item.setFont(0, struck)
                    item.setForeground(0, WAS[dark])
                if change.inserted:
                    item.setForeground(1, NOW[dark])
                self.tree.addTopLevelItem(item)
                if change.id == current:
                    chosen = item
            if chosen is None:
                chosen = self.tree.topLevelItem(0)
            if chosen is not None:
                self.tree.setCurrentItem(chosen)
        finally:
            self.tree.blockSignals(False)
        self.heading.setText(heading or "No changes to review.")
        has = bool(changes)
        for button in (self.accept_button, self.reject_button, self.previous_button,
                       self.next_button, self.accept_all_button, self.reject_all_button):  # fmt: skip
            button.setEnabled(has)

    def current_id(self) -> str | None:
        item = self.tree.currentItem()
        return str(item.data(0, ID_ROLE)) if item is not None else None

    def _items(self) -> list[QTreeWidgetItem]:
        found = (self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount()))
        return [item for item in found if item is not None]

    def ids(self) -> list[str]:
        return [str(item.data(0, ID_ROLE)) for item in self._items()]

    def select(self, change_id: str) -> None:
        for item in self._items():
            if item.data(0, ID_ROLE) == change_id:
                if item is self.tree.currentItem():  # chosen again: shown again in the editor
                    self.change_selected.emit(change_id)
                self.tree.setCurrentItem(item)
                return

    def _step(self, by: int) -> None:
        items = self._items()
        if not items:
            return
        current = self.tree.currentItem()
        index = items.index(current) if current in items else -1
        item = items[(index + by) % len(items)]
        if item is current:  # the only one: show it again in the editor
            self.change_selected.emit(str(item.data(0, ID_ROLE)))
        self.tree.setCurrentItem(item)

    def select_next(self) -> None:
        self._step(1)

    def select_previous(self) -> None:
        self._step(-1)

    def _emit_current(self, signal: SignalInstance) -> None:
        change_id = self.current_id()
        if change_id is not None:
            signal.emit(change_id)

    def _on_tree_current_changed(self, item: QTreeWidgetItem | None, _previous: object) -> None:
        if item is not None:
            self.change_selected.emit(str(item.data(0, ID_ROLE)))
