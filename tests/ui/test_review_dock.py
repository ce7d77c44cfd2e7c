"""The Review dock is one of the window's docks: the View menu shows and hides it, and where the user
put it is remembered, like the other docks."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from tests.ui.conftest import WAIT_MS
from ui.application import Startup
from ui.main_window import MainWindow
from ui.review.queue import ReviewQueuePanel


def open_ready(qtbot: QtBot, qapp: object, data_dir: Path) -> tuple[Startup, MainWindow]:
    startup = Startup(qapp)  # type: ignore[arg-type]
    window = startup.open(data_dir)
    assert window is not None
    qtbot.waitUntil(lambda: window.ready_for_work, timeout=WAIT_MS)
    return startup, window


def test_the_view_menu_shows_and_hides_the_review_dock(qtbot: QtBot, window: MainWindow) -> None:
    action = window.action_table["view/review"]
    view_menu = next(m for m in window.menuBar().findChildren(QMenu) if m.title() == "&View")
    assert action in view_menu.actions()
    assert isinstance(window.review_dock.widget(), ReviewQueuePanel)
    action.setChecked(True)
    qtbot.waitUntil(window.review_dock.isVisible, timeout=WAIT_MS)
    action.setChecked(False)
    qtbot.waitUntil(window.review_dock.isHidden, timeout=WAIT_MS)
    window.action_table["review/queue"].trigger()  # shown another way: the check follows
    qtbot.waitUntil(action.isChecked, timeout=WAIT_MS)


def test_where_the_review_dock_was_put_is_remembered(qtbot: QtBot, qapp: object, data_dir: Path) -> None:
    startup, window = open_ready(qtbot, qapp, data_dir)
    try:
        assert window.dockWidgetArea(window.review_dock) == Qt.DockWidgetArea.RightDockWidgetArea
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, window.review_dock)
        window.review_dock.show()
    finally:
        startup.close()
    startup, window = open_ready(qtbot, qapp, data_dir)
    try:
        assert window.dockWidgetArea(window.review_dock) == Qt.DockWidgetArea.BottomDockWidgetArea
        assert not window.review_dock.isHidden()
        assert window.action_table["view/review"].isChecked()
    finally:
        startup.close()
