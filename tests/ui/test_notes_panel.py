"""Notes on passages and the pre-publish checklist in the real window, offscreen."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QTreeWidgetItem
from pytestqt.qtbot import QtBot

from app.checklist.config import ChecklistConfig, Level
from tests.ui.conftest import WAIT_MS
from ui.checklist.dialog import ChecklistDialog
from ui.checklist.report import ConfirmDialog
from ui.main_window import MainWindow
from ui.notes.panel import NoteDialog

TEXT = "The council met on Tuesday. The budget passed narrowly. Residents objected loudly."
QUOTE = "budget passed narrowly"


def _open_text(qtbot: QtBot, window: MainWindow, text: str = TEXT) -> int:
    window.editor.selectAll()
    window.editor.insertPlainText(text)
    piece_id = window.session.piece_id or 0
    qtbot.waitUntil(lambda: window.core.pieces.get(piece_id).body == text, timeout=WAIT_MS)
    return piece_id


def _select(window: MainWindow, quote: str) -> None:
    start = window.editor.toPlainText().index(quote)
    cursor = window.editor.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(start + len(quote), QTextCursor.MoveMode.KeepAnchor)
    window.editor.setTextCursor(cursor)


def _write_note(qtbot: QtBot, window: MainWindow, text: str) -> None:
    qtbot.waitUntil(lambda: window.notes.dialog is not None, timeout=WAIT_MS)
    dialog = window.notes.dialog
    assert isinstance(dialog, NoteDialog)
    dialog.editor.setPlainText(text)
    dialog.ok.click()
    window.notes.dialog = None


def _add_note(qtbot: QtBot, window: MainWindow, quote: str, text: str) -> None:
    count = len(window.notes.panel.threads())
    _select(window, quote)
    window.action_table["notes/add"].trigger()
    _write_note(qtbot, window, text)
    qtbot.waitUntil(lambda: len(window.notes.panel.threads()) == count + 1, timeout=WAIT_MS)


def _marked(window: MainWindow) -> list[str]:
    return [mark.cursor.selectedText() for mark in window.editor.extraSelections()]


def _item(window: MainWindow, row: int = 0) -> QTreeWidgetItem:
    item = window.notes.panel.tree.topLevelItem(row)
    assert item is not None
    return item


def test_a_note_on_a_selection_is_listed_and_its_passage_highlighted(
    qtbot: QtBot, window: MainWindow
) -> None:
    piece_id = _open_text(qtbot, window)
    _add_note(qtbot, window, QUOTE, "Say by how many votes.")
    thread = window.notes.panel.threads()[0]
    assert thread.note.body == "Say by how many votes." and thread.note.quote == QUOTE
    assert thread.note.author == "Me" and thread.note.mine
    assert _item(window).text(0).startswith(f"“{QUOTE}”\nMe · ")
    qtbot.waitUntil(lambda: _marked(window) == [QUOTE], timeout=WAIT_MS)
    assert window.core.notes.threads(piece_id)[0].note.body == "Say by how many votes."
    # typing before the passage moves the highlight with it
    cursor = window.editor.textCursor()
    cursor.setPosition(0)
    window.editor.setTextCursor(cursor)
    window.editor.insertPlainText("Late news. ")
    qtbot.waitUntil(
        lambda: window.notes.panel.threads()[0].placement.start == TEXT.index(QUOTE) + 11,  # type: ignore[union-attr]
        timeout=WAIT_MS,
    )
    assert _marked(window) == [QUOTE]


def test_the_shortcut_is_ctrl_alt_m_and_the_editor_menu_offers_it(window: MainWindow) -> None:
    assert window.action_table["notes/add"].shortcut().toString() == "Ctrl+Alt+M"
    assert "Add Note on Selection…" in [a.text() for a in window.editor.context_actions]


def test_clicking_a_note_selects_its_passage(qtbot: QtBot, window: MainWindow) -> None:
    _open_text(qtbot, window)
    _add_note(qtbot, window, QUOTE, "Votes?")
    window.editor.moveCursor(QTextCursor.MoveOperation.End)
    assert window.editor.textCursor().selectedText() == ""
    tree = window.notes.panel.tree
    window.notes.show_panel()
    qtbot.waitUntil(tree.isVisible, timeout=WAIT_MS)
    qtbot.mouseClick(
        tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualItemRect(_item(window)).center()
    )
    assert window.editor.textCursor().selectedText() == QUOTE


def test_reply_then_resolve_and_reopen(qtbot: QtBot, window: MainWindow) -> None:
    piece_id = _open_text(qtbot, window)
    _add_note(qtbot, window, QUOTE, "Votes?")
    panel = window.notes.panel
    panel.tree.setCurrentItem(_item(window))
    assert not panel.reply.isEnabled()  # nothing written yet
    panel.composer.setPlainText("Seven to five.")
    panel.reply.click()
    qtbot.waitUntil(lambda: _item(window).childCount() == 1, timeout=WAIT_MS)
    assert _item(window).child(0).text(0).endswith("\nSeven to five.")  # type: ignore[union-attr]
    panel.tree.setCurrentItem(_item(window))
    assert panel.resolve.isEnabled() and not panel.reopen.isEnabled()
    panel.resolve.click()
    qtbot.waitUntil(lambda: panel.threads()[0].note.resolved, timeout=WAIT_MS)
    assert "resolved by Me" in _item(window).text(0)
    assert _marked(window) == []  # a resolved note is not highlighted
    assert window.core.notes.open_count(piece_id) == 0
    panel.tree.setCurrentItem(_item(window))
    panel.reopen.click()
    qtbot.waitUntil(lambda: not panel.threads()[0].note.resolved, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: _marked(window) == [QUOTE], timeout=WAIT_MS)


def test_a_note_whose_passage_is_gone_is_shown_orphaned_with_its_quote(
    qtbot: QtBot, window: MainWindow
) -> None:
    _open_text(qtbot, window)
    _add_note(qtbot, window, QUOTE, "Votes?")
    _select(window, QUOTE)
    window.editor.insertPlainText("It was deferred until March after hours of argument")
    qtbot.waitUntil(lambda: window.notes.panel.threads()[0].orphaned, timeout=WAIT_MS)
    assert _item(window).text(0).startswith(f"Orphaned: its passage is gone. It was on “{QUOTE}”")
    assert _marked(window) == []


def test_a_note_on_the_whole_piece_and_the_local_only_line(qtbot: QtBot, window: MainWindow) -> None:
    _open_text(qtbot, window)
    panel = window.notes.panel
    qtbot.waitUntil(
        lambda: panel.sharing.text().startswith("Notes stay on this computer"), timeout=WAIT_MS
    )
    assert not panel.sync.isEnabled()
    panel.add_piece.click()
    _write_note(qtbot, window, "Strong ending.")
    qtbot.waitUntil(lambda: len(panel.threads()) == 1, timeout=WAIT_MS)
    assert _item(window).text(0).startswith("On the whole piece\n")


def test_only_the_author_may_edit_or_delete(qtbot: QtBot, window: MainWindow) -> None:
    piece_id = _open_text(qtbot, window)
    _add_note(qtbot, window, QUOTE, "Mine")
    note = window.notes.panel.threads()[0].note
    window.core.notes.store.change(note.id, mine=False, author="Ada the editor")
    window.notes.reload()
    panel = window.notes.panel
    qtbot.waitUntil(lambda: not panel.threads()[0].note.mine, timeout=WAIT_MS)
    panel.tree.setCurrentItem(_item(window))
    assert not panel.edit.isEnabled() and not panel.delete.isEnabled()
    assert panel.edit.toolTip() == "Only Ada the editor may change it."
    assert panel.resolve.isEnabled() and window.core.notes.open_count(piece_id) == 1


def test_the_checklist_dialog_sets_levels_and_limits_and_round_trips_json(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    window.action_table["checklist/edit"].trigger()
    qtbot.waitUntil(lambda: window.checklist.dialog is not None, timeout=WAIT_MS)
    dialog = window.checklist.dialog
    assert isinstance(dialog, ChecklistDialog)
    qtbot.waitUntil(lambda: dialog.levels["links"].currentData() == "off", timeout=WAIT_MS)
    dialog.levels["category"].setCurrentIndex(dialog.levels["category"].findData("required"))
    dialog.limits["word_min"].setValue(600)
    dialog.limits["word_max"].setValue(900)
    exported = tmp_path / "newsroom.json"
    dialog.export_to(exported)
    assert ChecklistConfig.from_json(exported.read_text()).level("category") is Level.REQUIRED
    dialog.limits["word_min"].setValue(5)
    dialog.import_from(exported)
    assert dialog.limits["word_min"].value() == 600
    assert "press Save" in dialog.message.text()
    (tmp_path / "bad.json").write_text('{"levels": {"colour": "required"}}')
    dialog.import_from(tmp_path / "bad.json")
    assert dialog.message.text() == "The checklist has no items colour."
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        dialog.save()
    config = window.core.checklist.config(None)
    assert config.level("category") is Level.REQUIRED and (config.word_min, config.word_max) == (
        600,
        900,
    )


def _dialog(name: str) -> ConfirmDialog | None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, ConfirmDialog) and widget.objectName() == name and widget.isVisible():
            return widget
    return None


def test_publish_now_asks_first_and_lists_what_is_missing(qtbot: QtBot, window: MainWindow) -> None:
    piece_id = _open_text(qtbot, window)
    config = ChecklistConfig().with_level("category", "required").with_level("spelling", "off")
    window.core.checklist.set_config(None, config)
    window.review.actions.publish_now(piece_id, None)
    qtbot.waitUntil(lambda: _dialog("checklistConfirm") is not None, timeout=WAIT_MS)
    dialog = _dialog("checklistConfirm")
    assert dialog is not None
    states = dialog.view.states()
    assert states["category"] == "Missing" and states["headline"] == "Warning"
    assert "The checklist requires: at least one category." in dialog.summary.text()
    assert not dialog.go.isEnabled()  # a required item is missing: only an override goes ahead
    dialog.reason.setText("Breaking news: categories after")
    assert dialog.go.isEnabled() and dialog.override() == "Breaking news: categories after"
    dialog.reject()


def test_the_checklist_panel_shows_the_open_piece(qtbot: QtBot, window: MainWindow) -> None:
    _open_text(qtbot, window)
    window.core.checklist.set_config(None, ChecklistConfig().with_level("category", "required"))
    window.action_table["checklist/show"].trigger()
    panel = window.checklist.panel
    qtbot.waitUntil(lambda: panel.summary.text().startswith("Blocked: 1 required item"), timeout=WAIT_MS)
    assert panel.view.states()["category"] == "Missing"
    assert panel.view.states()["open_notes"] == "Met"
    first = panel.view.topLevelItem(0)
    assert first is not None and first.text(0) == "✗ Missing"  # what blocks comes first


def test_anchors_move_to_the_saved_text_every_few_minutes_not_at_each_autosave(
    qtbot: QtBot, window: MainWindow
) -> None:
    piece_id = _open_text(qtbot, window)
    _add_note(qtbot, window, QUOTE, "Votes?")
    first_base = window.core.notes.store.for_piece(piece_id)[0].anchor.base_hash  # type: ignore[union-attr]
    window.editor.moveCursor(QTextCursor.MoveOperation.End)
    window.editor.insertPlainText(" More.")
    qtbot.waitUntil(lambda: window.core.pieces.get(piece_id).body.endswith("More."), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not window.session.dirty, timeout=WAIT_MS)
    window.session.save_blocking()
    # an autosave keeps no new base: the anchor is still on the text it was made on
    assert window.core.notes.store.for_piece(piece_id)[0].anchor.base_hash == first_base  # type: ignore[union-attr]
    window.notes._rebased_at -= 3600  # an hour later
    window.editor.insertPlainText(" Even more.")
    qtbot.waitUntil(
        lambda: window.core.notes.store.for_piece(piece_id)[0].anchor.base_hash != first_base,  # type: ignore[union-attr]
        timeout=WAIT_MS,
    )
    thread = window.core.notes.threads(piece_id)[0]
    assert thread.placement is not None and thread.placement.method == "exact"


def _contrast(a: object, b: object) -> float:
    def luminance(colour: object) -> float:
        def channel(value: float) -> float:
            return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

        r, g, b_ = (channel(v) for v in (colour.redF(), colour.greenF(), colour.blueF()))  # type: ignore[attr-defined]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b_

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_highlight_colours_meet_wcag_aa() -> None:
    from ui.notes import highlights

    for background, text in (
        highlights.LIGHT,
        highlights.LIGHT_CURRENT,
        highlights.DARK,
        highlights.DARK_CURRENT,
    ):
        assert _contrast(background, text) >= 4.5


def test_every_control_has_a_name_and_tab_reaches_the_panel(qtbot: QtBot, window: MainWindow) -> None:
    from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QWidget

    _open_text(qtbot, window)
    _add_note(qtbot, window, QUOTE, "Votes?")
    window.action_table["checklist/edit"].trigger()
    qtbot.waitUntil(lambda: window.checklist.dialog is not None, timeout=WAIT_MS)
    for part in (window.notes.panel, window.checklist.panel, window.checklist.dialog):
        assert part is not None
        for widget in part.findChildren(QWidget):
            inner = isinstance(widget.parentWidget(), QAbstractSpinBox)  # the spin box's own editor
            if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.isVisibleTo(part) and not inner:
                named = widget.accessibleName() or (
                    isinstance(widget, QAbstractButton) and widget.text()
                )
                assert named, f"{type(widget).__name__} in {part.objectName()} has no name"
    window.checklist.dialog.reject()  # type: ignore[union-attr]
    window.activateWindow()
    window.notes.show_panel()
    panel = window.notes.panel
    qtbot.waitUntil(panel.tree.hasFocus, timeout=WAIT_MS)
    panel.tree.setCurrentItem(_item(window))
    reached = set()
    for _ in range(4):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        reached.add(QApplication.focusWidget())
    assert {panel.composer, panel.resolve} <= reached
    panel.tree.setFocus()
    for _ in range(3):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backtab)
        reached.add(QApplication.focusWidget())
    assert {panel.show_resolved, panel.add_piece} <= reached


def test_the_spelling_item_uses_the_windows_dictionary(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.spelling.ready, timeout=WAIT_MS)
    assert window.core.checklist.spelling is not None  # lent once the dictionary loaded
    _open_text(qtbot, window, "The councl met on Tuesday.")
    window.checklist.show_panel()
    view = window.checklist.panel.view
    qtbot.waitUntil(lambda: view.states().get("spelling") == "Warning", timeout=WAIT_MS)
    rows = [view.topLevelItem(i) for i in range(view.topLevelItemCount())]
    [row] = [r for r in rows if r is not None and r.data(0, Qt.ItemDataRole.UserRole) == "spelling"]
    assert row.text(2) == "1 misspelt: councl"
    window.settings.set("editor.spell_check", False)  # off: the gate no longer checks spelling
    qtbot.waitUntil(lambda: window.core.checklist.spelling is None, timeout=WAIT_MS)
