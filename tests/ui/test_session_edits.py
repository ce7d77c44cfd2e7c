"""What counts as an edit, and what the open piece's session hands out."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.pieces.data import PieceData
from tests.ui.conftest import WAIT_MS
from ui.main_window import MainWindow


def _settled(qtbot: QtBot, window: MainWindow, text: str) -> None:
    window.editor.setFocus()
    qtbot.keyClicks(window.editor, text)
    qtbot.waitUntil(lambda: not window.session.dirty, timeout=WAIT_MS)


def test_re_highlighting_marks_nothing_as_edited_and_saves_nothing(
    qtbot: QtBot, window: MainWindow
) -> None:
    qtbot.waitUntil(lambda: window.spelling.ready, timeout=WAIT_MS)
    _settled(qtbot, window, "Teh harbour lihgts were out.")
    stored = window.core.pieces.get(window.session.piece_id or 0)
    toggle = window.action_table["spelling/toggle"]
    with (
        qtbot.assertNotEmitted(window.editor.text_edited),
        qtbot.assertNotEmitted(window.session.content_changed),
        # longer than the autosave delay: nothing may be queued meanwhile either
        qtbot.assertNotEmitted(window.session.draft_saved, wait=1500),
    ):
        # re-highlighting does touch the document: Qt reports it as a text change
        with qtbot.waitSignal(window.editor.textChanged, timeout=WAIT_MS):
            toggle.setChecked(not toggle.isChecked())
        with qtbot.waitSignal(window.editor.textChanged, timeout=WAIT_MS):
            toggle.setChecked(not toggle.isChecked())
        with qtbot.waitSignal(window.editor.textChanged, timeout=WAIT_MS):
            window.spelling.load()  # the dictionary (re)loaded: everything is re-highlighted
        assert not window.session.dirty
    assert window.core.pieces.get(window.session.piece_id or 0).updated_at == stored.updated_at


def test_a_real_change_is_an_edit_even_when_it_keeps_the_length(
    qtbot: QtBot, window: MainWindow
) -> None:
    _settled(qtbot, window, "cat")
    cursor = window.editor.textCursor()
    cursor.setPosition(0)
    cursor.setPosition(3, cursor.MoveMode.KeepAnchor)
    with qtbot.waitSignal(window.editor.text_edited, timeout=WAIT_MS):
        cursor.insertText("dog")  # three characters for three
    assert window.session.dirty
    qtbot.waitUntil(
        lambda: window.core.pieces.get(window.session.piece_id or 0).body == "dog",
        timeout=WAIT_MS,
    )


def test_opening_a_piece_is_not_an_edit(qtbot: QtBot, window: MainWindow) -> None:
    other = window.core.pieces.create(PieceData(title="Other", body="Already written."))
    with qtbot.assertNotEmitted(window.editor.text_edited):
        window.library_controller.open_piece(other.id or 0)
        qtbot.waitUntil(lambda: window.session.piece_id == other.id, timeout=WAIT_MS)
    assert window.editor.toPlainText() == "Already written."
    assert not window.session.dirty


def test_everything_the_session_hands_out_carries_the_body_in_the_editor(
    qtbot: QtBot, window: MainWindow
) -> None:
    session = window.session
    _settled(qtbot, window, "Saved body.")
    window.editor.insertPlainText(" Typed since.")  # not saved yet
    expected = "Saved body. Typed since."
    assert session.snapshot().body == expected

    with qtbot.waitSignal(session.metadata_changed, timeout=WAIT_MS) as changed:
        session.update(title="A headline")
    assert changed.args[0].body == expected

    with qtbot.waitSignal(session.draft_saved, timeout=WAIT_MS) as saved:
        session.save()
        window.editor.insertPlainText(" And more.")  # typed while the save is on its way
    assert saved.args[0].body == expected + " And more."

    other = window.core.pieces.create(PieceData(title="Other", body="Elsewhere."))
    with qtbot.waitSignal(session.piece_opened, timeout=WAIT_MS) as opened:
        window.library_controller.open_piece(other.id or 0)
    assert opened.args[0].body == "Elsewhere." == window.editor.toPlainText()
    # the piece left behind was saved with everything typed in it
    qtbot.waitUntil(lambda: not session.dirty, timeout=WAIT_MS)
    assert window.core.pieces.get(saved.args[0].id).body == expected + " And more."


def test_the_push_dialog_gets_the_body_as_typed(qtbot: QtBot, window: MainWindow) -> None:
    from ui.publish.push import PushDialog

    window.editor.setFocus()
    qtbot.keyClicks(window.editor, "Not saved yet")
    window.publishing.push()
    [dialog] = [d for d in window.findChildren(PushDialog) if d.isVisible()]
    assert dialog._piece.body == "Not saved yet"  # noqa: SLF001
    dialog.reject()
