"""The main window's docks, and its layout kept in the settings: its geometry, its docks and toolbar,
the split between editor and preview, and the library's sort order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QSplitter, QWidget

if TYPE_CHECKING:
    from app.settings import Settings
    from ui.library.pane import LibraryPane

DEFAULT_SIZE = (1400, 860)
DEFAULT_SIDE_WIDTHS = [340, 300]  # the library on the left, the metadata on the right


@dataclass(frozen=True)
class Docks:
    """The window's docks. The outbox's and the comments' widgets arrive with the library."""

    library: QDockWidget
    metadata: QDockWidget
    outbox: QDockWidget
    comments: QDockWidget

    def with_actions(self) -> tuple[tuple[QDockWidget, str], ...]:
        """Each dock with the id of the View menu action that shows it."""
        return (
            (self.library, "view/library"),
            (self.metadata, "view/metadata"),
            (self.comments, "view/comments"),
            (self.outbox, "view/outbox"),
        )


def add_docks(window: QMainWindow, library: QWidget, metadata: QWidget) -> Docks:
    """The library on the left; metadata and comments in tabs on the right; the outbox below, hidden."""
    left, right = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea
    docks = Docks(
        library=add_dock(window, left, "libraryDock", "Library", library),
        metadata=add_dock(window, right, "metadataDock", "Metadata", metadata),
        outbox=add_dock(
            window, Qt.DockWidgetArea.BottomDockWidgetArea, "outboxDock", "Outbox", QWidget()
        ),
        comments=add_dock(window, right, "commentsDock", "Comments", QWidget()),
    )
    window.tabifyDockWidget(docks.metadata, docks.comments)
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
