"""The preview keeps its place while the piece changes, and follows the editor when asked."""

from __future__ import annotations

from PySide6.QtWebEngineCore import QWebEngineScript
from pytestqt.qtbot import QtBot

from app.pieces.data import PieceData
from tests.ui.conftest import WAIT_MS, wait_for_preview
from ui.main_window import MainWindow

WORLD = QWebEngineScript.ScriptWorldId.ApplicationWorld


def _scroll_y(qtbot: QtBot, window: MainWindow) -> float:
    result: list[float] = []
    window.preview.page().runJavaScript("window.scrollY", WORLD, result.append)
    qtbot.waitUntil(lambda: bool(result), timeout=WAIT_MS)
    return float(result[0])


def _paragraph_at_top(qtbot: QtBot, window: MainWindow) -> tuple[str, int]:
    """The first words of the paragraph at the top of the view, and its distance from the top."""
    result: list[str] = []
    window.preview.page().runJavaScript(
        "(function(){var e=document.elementFromPoint(100, 40);"
        "while(e && e.tagName!=='P'){e=e.parentElement;}"
        "return e ? Math.round(e.getBoundingClientRect().top) + '|' + e.textContent.slice(0, 14)"
        " : '';})()",
        WORLD,
        result.append,
    )
    qtbot.waitUntil(lambda: bool(result), timeout=WAIT_MS)
    top, _, text = result[0].partition("|")
    return text, int(top)


def _long_piece(window: MainWindow) -> PieceData:
    body = "\n\n".join(f"Paragraph {n}: " + "words " * 60 for n in range(80))
    return window.core.pieces.create(PieceData(title="Long", body=body))


def test_typing_keeps_the_preview_where_the_reader_left_it(qtbot: QtBot, window: MainWindow) -> None:
    window.action_table["view/sync-scroll"].setChecked(False)
    piece = _long_piece(window)
    window.library.refresh(select=piece.id)
    wait_for_preview(qtbot, window, "Paragraph 79")
    window.preview.page().runJavaScript("window.scrollTo(0, 3000)", WORLD)
    qtbot.waitUntil(lambda: _scroll_y(qtbot, window) == 3000, timeout=WAIT_MS)
    before = _paragraph_at_top(qtbot, window)
    window.editor.moveCursor(window.editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(window.editor, " and one more sentence")
    wait_for_preview(qtbot, window, "one more sentence")
    # The reader's place is the paragraph at the top of the view and where it sits; the page may
    # shift by a line when the header's figures change above it, and the browser then keeps the
    # same text in view (scroll anchoring), so the scroll offset itself is not the measure.
    assert _paragraph_at_top(qtbot, window) == before


def test_the_preview_follows_the_editor(qtbot: QtBot, window: MainWindow) -> None:
    window.action_table["view/sync-scroll"].setChecked(True)
    piece = _long_piece(window)
    window.library.refresh(select=piece.id)
    wait_for_preview(qtbot, window, "Paragraph 79")
    qtbot.waitUntil(lambda: bool(window.preview_controller._blocks), timeout=WAIT_MS)
    window.preview_controller.sync_to_editor(120, 0.0)  # line 120 starts paragraph 60
    qtbot.waitUntil(lambda: _scroll_y(qtbot, window) > 1000, timeout=WAIT_MS)
    result: list[str] = []
    window.preview.page().runJavaScript(
        "(function(){var e=document.elementFromPoint(100, 40);"
        "while(e && e.tagName!=='P'){e=e.parentElement;} return e ? e.textContent : '';})()",
        WORLD,
        result.append,
    )
    qtbot.waitUntil(lambda: bool(result), timeout=WAIT_MS)
    assert result[0].startswith(("Paragraph 59", "Paragraph 60"))
    window.preview_controller.sync_to_editor(0, 0.0)
    qtbot.waitUntil(lambda: _scroll_y(qtbot, window) == 0, timeout=WAIT_MS)
