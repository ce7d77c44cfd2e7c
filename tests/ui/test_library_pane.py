"""The library pane: listing, searching, filtering, the trash, duplicates, revisions."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.pieces.data import PieceData
from app.pieces.workflow import Status
from tests.ui.conftest import WAIT_MS
from ui.main_window import MainWindow


def _titles(window: MainWindow) -> list[str]:
    proxy = window.library.proxy
    return [proxy.index(r, 0).data() for r in range(proxy.rowCount())]


def _seed(window: MainWindow) -> None:
    core = window.core
    core.pieces.create(PieceData(title="Budget night", body="The chancellor spoke at length."))
    core.pieces.create(PieceData(title="Harbour", body="Boats.", status=Status.SUBMITTED))
    window.library.refresh()
    window.qtbot_wait = None  # type: ignore[attr-defined]


def test_search_filter_and_count(qtbot: QtBot, window: MainWindow) -> None:
    _seed(window)
    qtbot.waitUntil(lambda: window.library.model.rowCount() == 3, timeout=WAIT_MS)
    window.library.search.setText("chancel")
    qtbot.waitUntil(lambda: _titles(window) == ["Budget night"], timeout=WAIT_MS)
    assert window.library.count.text() == "1 piece matches"
    window.library.search.clear()
    qtbot.waitUntil(lambda: len(_titles(window)) == 3, timeout=WAIT_MS)
    window.library.filter.setCurrentIndex(window.library.filter.findData("submitted"))
    qtbot.waitUntil(lambda: _titles(window) == ["Harbour"], timeout=WAIT_MS)
    assert window.library.count.text() == "1 of 3 pieces"


def test_trash_undo_and_empty(qtbot: QtBot, window: MainWindow, monkeypatch: object) -> None:
    _seed(window)
    qtbot.waitUntil(lambda: window.library.model.rowCount() == 3, timeout=WAIT_MS)
    harbour = next(s for s in window.core.pieces.summaries() if s.title == "Harbour")
    window.library.select_piece(harbour.id)
    qtbot.waitUntil(lambda: window.session.piece_id == harbour.id, timeout=WAIT_MS)
    window.action_table["piece/trash"].trigger()
    qtbot.waitUntil(lambda: "Harbour" not in _titles(window), timeout=WAIT_MS)
    assert not window.session.is_open
    assert "Moved 1 piece to the trash" in window.messages.text
    window.messages._action.click()  # Undo
    qtbot.waitUntil(lambda: "Harbour" in _titles(window), timeout=WAIT_MS)
    window.core.pieces.trash([harbour.id])
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(  # type: ignore[attr-defined]
        QMessageBox, "warning", lambda *a, **k: QMessageBox.StandardButton.Discard
    )
    window.action_table["library/empty-trash"].trigger()
    qtbot.waitUntil(lambda: "Deleted 1 piece for good" in window.messages.text, timeout=WAIT_MS)
    assert window.core.pieces.summaries(trashed=True) == []


def test_new_and_duplicate(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClicks(window.metadata.title, "Original")
    window.action_table["piece/duplicate"].trigger()
    qtbot.waitUntil(lambda: window.metadata.title.text() == "Original (copy)", timeout=WAIT_MS)
    window.action_table["piece/new"].trigger()
    qtbot.waitUntil(lambda: window.library.model.rowCount() == 3, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.metadata.title.text() == "", timeout=WAIT_MS)


def test_revision_history_restores_an_earlier_version(qtbot: QtBot, window: MainWindow) -> None:
    from ui.revisions.dialog import RevisionsDialog

    qtbot.keyClicks(window.editor, "First draft of the opening.")
    window.action_table["piece/save"].trigger()
    window.editor.selectAll()
    qtbot.keyClicks(window.editor, "Rewritten opening, sharper.")
    window.action_table["piece/save"].trigger()
    window.session.save_blocking()
    window.runner.drain_writes()
    window.action_table["piece/history"].trigger()
    dialog = window.findChild(RevisionsDialog)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.revisions.count() >= 3, timeout=WAIT_MS)
    # the second entry (newest first) is the first explicit save
    dialog.revisions.setCurrentRow(1)
    qtbot.waitUntil(lambda: "Rewritten" in dialog.diff.toPlainText(), timeout=WAIT_MS)
    assert "words added" in dialog.summary.text()
    dialog.restore.click()
    qtbot.waitUntil(
        lambda: window.editor.toPlainText() == "First draft of the opening.", timeout=WAIT_MS
    )
    reasons = [r.reason for r in window.core.pieces.revisions.history(window.session.piece_id or 0)]
    assert reasons[0] == "restored"


def test_sorting_keeps_the_selection_on_its_piece(qtbot: QtBot, window: MainWindow) -> None:
    from PySide6.QtCore import Qt

    from ui.library.model import TITLE

    _seed(window)
    qtbot.waitUntil(lambda: window.library.model.rowCount() == 3, timeout=WAIT_MS)
    harbour = next(s for s in window.core.pieces.summaries() if s.title == "Harbour")
    window.library.select_piece(harbour.id)
    qtbot.waitUntil(lambda: window.session.piece_id == harbour.id, timeout=WAIT_MS)
    header = window.library.table.horizontalHeader()
    for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
        header.setSortIndicator(TITLE, order)
        assert window.library.selected_ids() == [harbour.id]
        assert _titles(window) == sorted(_titles(window), reverse=order == Qt.SortOrder.DescendingOrder)
