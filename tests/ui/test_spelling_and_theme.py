"""Spelling underlines and suggestions in the editor; the dark palette."""

from __future__ import annotations

from PySide6.QtGui import QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from tests.ui.conftest import WAIT_MS
from ui.editor.offsets import Utf16Map
from ui.main_window import MainWindow


def _underlined(window: MainWindow, word: str) -> bool:
    block = window.editor.document().firstBlock()
    start = Utf16Map(block.text()).to_qt(block.text().index(word))
    for fmt_range in block.layout().formats():
        covers = fmt_range.start <= start < fmt_range.start + fmt_range.length
        style = fmt_range.format.underlineStyle()
        if covers and style == QTextCharFormat.UnderlineStyle.SpellCheckUnderline:
            return True
    return False


def test_misspelt_words_are_underlined_and_suggestions_offered(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.spelling.ready, timeout=WAIT_MS)
    window.editor.setPlainText("We recieve the colour of the sea.")
    qtbot.waitUntil(lambda: _underlined(window, "recieve"), timeout=WAIT_MS)
    assert not _underlined(window, "colour")  # British English by default
    cursor = window.editor.textCursor()
    cursor.setPosition(5)
    found = window.editor.word_at(cursor)
    assert found is not None and found[0] == "recieve"
    menu = QMenu()
    window.editor._add_spelling_actions(menu, *found)
    texts = [a.text() for a in menu.actions()]
    assert "receive" in texts and "Add “recieve” to Dictionary" in texts
    next(a for a in menu.actions() if a.text() == "receive").trigger()
    assert window.editor.toPlainText() == "We receive the colour of the sea."


def test_adding_a_word_to_the_dictionary_removes_its_underline(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.spelling.ready, timeout=WAIT_MS)
    window.editor.setPlainText("Tāmaki Copydeskery rocks")
    qtbot.waitUntil(lambda: _underlined(window, "Copydeskery"), timeout=WAIT_MS)
    window.spelling.add_to_dictionary("Copydeskery")
    qtbot.waitUntil(lambda: not _underlined(window, "Copydeskery"), timeout=WAIT_MS)
    assert "Copydeskery" in window.core.paths.personal_dictionary.read_text(encoding="utf-8")


def test_switching_to_american_english(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.spelling.ready, timeout=WAIT_MS)
    window.editor.setPlainText("colour")
    american = next(a for a in window.language_menu.actions() if a.data() == "en_US")
    american.trigger()
    qtbot.waitUntil(lambda: _underlined(window, "colour"), timeout=WAIT_MS)
    assert window.core.settings.get("editor.spell_language") == "en_US"
    assert window.status.language.text() == "English (United States)"


def test_emoji_do_not_shift_the_underline(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.spelling.ready, timeout=WAIT_MS)
    window.editor.setPlainText("😀😀 teh end")
    qtbot.waitUntil(lambda: _underlined(window, "teh"), timeout=WAIT_MS)
    block = window.editor.document().firstBlock()
    ranges = [
        r
        for r in block.layout().formats()
        if r.format.underlineStyle() == QTextCharFormat.UnderlineStyle.SpellCheckUnderline
    ]
    cursor = QTextCursor(block)
    cursor.setPosition(block.position() + ranges[0].start)
    cursor.setPosition(
        block.position() + ranges[0].start + ranges[0].length, QTextCursor.MoveMode.KeepAnchor
    )
    assert cursor.selectedText() == "teh"


def test_dark_theme_recolours_window_and_editor(qtbot: QtBot, window: MainWindow) -> None:
    window.theme.apply("dark")
    try:
        assert window.theme_dark()
        heading = window.editor.highlighter._heading.foreground().color()
        assert heading.lightness() > 128  # light text on the dark editor
    finally:
        window.theme.apply("light")
    assert not window.theme_dark()
