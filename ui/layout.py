"""The main window's layout: the central area, the docks, and what is kept in the settings (the
window's geometry, its docks and toolbar, the split between editor and preview, the library's sort
order)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QSplitter, QVBoxLayout, QWidget

from ui.actions import ActionTable, set_checked_quietly

if TYPE_CHECKING:
    from app.settings import Settings
    from ui.library.pane import LibraryPane

DEFAULT_SIZE = (1400, 860)
DEFAULT_SIDE_WIDTHS = [340, 300]  # the library on the left, the metadata on the right


class CentralArea(QWidget):
    """Messages above the editor and the preview, which share a splitter. The preview (QtWebEngine)
    arrives after the window is on screen; its place is kept, in the article's paper colour, so
    nothing moves when it comes."""

    def __init__(self, messages: QWidget, editor: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview_host = QWidget()
        self.preview_host.setObjectName("previewHost")
        self.preview_host.setStyleSheet("#previewHost { background: #fdfcf9; }")
        self._preview_place = QVBoxLayout(self.preview_host)
        self._preview_place.setContentsMargins(0, 0, 0, 0)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("editorSplitter")
        self.splitter.addWidget(editor)
        self.splitter.addWidget(self.preview_host)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([600, 600])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.addWidget(messages)
        layout.addWidget(self.splitter, 1)

    def set_preview(self, view: QWidget) -> None:
        self._preview_place.addWidget(view)


@dataclass(frozen=True)
class Docks:
    """The window's docks. The outbox's, the comments' and the review queue's widgets arrive with
    the library; the docks themselves exist before the saved layout is restored, so it places them."""

    library: QDockWidget
    metadata: QDockWidget
    outbox: QDockWidget
    comments: QDockWidget
    review: QDockWidget

    def with_actions(self) -> tuple[tuple[QDockWidget, str], ...]:
        """Each dock with the id of the View menu action that shows it."""
        return (
            (self.library, "view/library"),
            (self.metadata, "view/metadata"),
            (self.comments, "view/comments"),
            (self.review, "view/review"),
            (self.outbox, "view/outbox"),
        )

    def show_checks(self, table: ActionTable) -> None:
        """Check each dock's View action as the dock is shown or hidden now."""
        for dock, action_id in self.with_actions():
            set_checked_quietly(table[action_id], not dock.isHidden())

    def connect_view_actions(self, table: ActionTable) -> None:
        """The View actions show and hide the docks (a dock shown comes to the front of its tabs);
        their check marks follow the docks, however they are shown or hidden."""
        for dock, action_id in self.with_actions():
            action = table[action_id]
            dock.visibilityChanged.connect(lambda v, act=action: set_checked_quietly(act, v))
            action.toggled.connect(lambda on, d=dock: show_dock(d, on))


def show_dock(dock: QDockWidget, visible: bool = True) -> None:
    dock.setVisible(visible)
    if visible:
        dock.raise_()


def add_docks(window: QMainWindow, library: QWidget, metadata: QWidget) -> Docks:
    """The library on the left; metadata, comments and the review queue in tabs on the right; the
    outbox below, hidden."""
    left, right = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea
    docks = Docks(
        library=add_dock(window, left, "libraryDock", "Library", library),
        metadata=add_dock(window, right, "metadataDock", "Metadata", metadata),
        outbox=add_dock(
            window, Qt.DockWidgetArea.BottomDockWidgetArea, "outboxDock", "Outbox", QWidget()
        ),
        comments=add_dock(window, right, "commentsDock", "Comments", QWidget()),
        review=add_dock(window, right, "reviewDock", "Review", QWidget()),
    )
    window.tabifyDockWidget(docks.metadata, docks.comments)
    window.tabifyDockWidget(docks.comments, docks.review)
    docks.metadata.raise_()
    docks.outbox.hide()
    return docks


def add_dock(
    window: QMainWindow, area: Qt.DockWidgetArea, name: str, title: str, widget: QWidget
) -> QDockWidget:
    """A dock the user can move, float and close; *name* keys it in the saved window state."""
    dock = QDockWidget(title, window)
    dock.setObjectName(name)
    dock.setWidget(widget)
    dock.setFeatures(
        QDockWidget.DockWidgetFeature.DockWidgetMovable
        | QDockWidget.DockWidgetFeature.DockWidgetClosable
        | QDockWidget.DockWidgetFeature.DockWidgetFloatable
    )
    window.addDockWidget(area, dock)
    return dock


def add_tabbed_dock(
    window: QMainWindow, name: str, title: str, widget: QWidget, beside: QDockWidget | None
) -> QDockWidget:
    """A dock on the right (see `add_dock`), in a tab behind *beside*, which stays the raised tab."""
    dock = add_dock(window, Qt.DockWidgetArea.RightDockWidgetArea, name, title, widget)
    if beside is not None:
        window.tabifyDockWidget(beside, dock)
        beside.raise_()
    return dock


def _decoded(text: str) -> QByteArray:
    return QByteArray.fromBase64(text.encode())


def _encoded(data: QByteArray) -> str:
    return bytes(data.toBase64().data()).decode()


def restore_layout(
    window: QMainWindow,
    settings: Settings,
    splitter: QSplitter,
    library: LibraryPane,
    side_docks: Sequence[QDockWidget],
) -> None:
    """Put the window back as it was left; the first time, give the side docks their widths."""
    if settings.get("window.geometry"):
        window.restoreGeometry(_decoded(settings.get("window.geometry")))
    else:
        window.resize(*DEFAULT_SIZE)
    if settings.get("window.state"):
        window.restoreState(_decoded(settings.get("window.state")))
    else:
        window.resizeDocks(list(side_docks), DEFAULT_SIDE_WIDTHS, Qt.Orientation.Horizontal)
    if settings.get("window.splitter"):
        splitter.restoreState(_decoded(settings.get("window.splitter")))
    library.set_sort_state(settings.get("library.sort_column"), settings.get("library.sort_descending"))


def save_layout(
    window: QMainWindow, settings: Settings, splitter: QSplitter, library: LibraryPane
) -> None:
    """Keep the window's layout in the settings, and write them."""
    settings.set("window.geometry", _encoded(window.saveGeometry()))
    settings.set("window.state", _encoded(window.saveState()))
    settings.set("window.splitter", _encoded(splitter.saveState()))
    column, descending = library.sort_state()
    settings.set("library.sort_column", column)
    settings.set("library.sort_descending", descending)
    settings.save()
