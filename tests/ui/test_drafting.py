"""Writing a piece in the real window: typing, preview, autosave, metadata, disclaimers."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.pieces.data import PieceData
from app.render.article import date_label
from tests.ui.conftest import WAIT_MS, wait_for_preview
from ui.main_window import MainWindow


def _stored_body(window: MainWindow) -> str:
    return window.core.pieces.get(window.session.piece_id or 0).body


def test_a_new_library_opens_on_a_fresh_piece(qtbot: QtBot, window: MainWindow) -> None:
    assert window.isVisible()
    assert window.core.pieces.count() == 1
    assert window.editor.isEnabled() and window.editor.toPlainText() == ""
    # the fresh piece opens first; the list that shows it is read again in the background after
    qtbot.waitUntil(lambda: window.library.model.rowCount() == 1, timeout=WAIT_MS)


def test_typing_shows_in_the_preview_with_typography(qtbot: QtBot, window: MainWindow) -> None:
    window.editor.setFocus()
    qtbot.keyClicks(window.editor, 'It\'s "live" -- *really*...')
    dom = wait_for_preview(qtbot, window, "<em>really</em>")
    assert "It’s “live” – <em>really</em>…" in dom
    qtbot.waitUntil(lambda: window.status.words.text() == "3 words", timeout=WAIT_MS)
    assert window.status.reading.text() == "1 min read"


def test_autosave_needs_no_action_and_is_due_within_two_seconds(
    qtbot: QtBot, window: MainWindow
) -> None:
    from ui.editor import session

    assert session.AUTOSAVE_DELAY_MS <= 1000  # leaves a second for the write itself
    qtbot.keyClicks(window.editor, "Saved without asking")
    assert window.session.dirty
    # no save is asked for: the autosave timer alone must write it
    qtbot.waitUntil(lambda: _stored_body(window) == "Saved without asking", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not window.session.dirty, timeout=WAIT_MS)
    assert window.status.saved.text().startswith("Saved")


def test_headline_edits_rename_the_piece_everywhere(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClicks(window.metadata.title, "Harbour lights")
    wait_for_preview(qtbot, window, "Harbour lights</h1>")
    assert window.windowTitle().startswith("Harbour lights")
    qtbot.waitUntil(
        lambda: window.core.pieces.get(window.session.piece_id or 0).slug == "harbour-lights",
        timeout=WAIT_MS,
    )
    assert window.metadata.slug.text() == "harbour-lights"
    qtbot.waitUntil(lambda: window.library.model.summary(0).title == "Harbour lights")


def test_attaching_a_disclaimer_shows_it_in_preview_and_export(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.metadata.disclaimer.count() > 1, timeout=WAIT_MS)
    qtbot.keyClicks(window.editor, "Body first.")
    index = window.metadata.disclaimer.findText("Opinion column")
    window.metadata.disclaimer.setCurrentIndex(index)
    dom = wait_for_preview(qtbot, window, '<footer class="cd-disclaimer">')
    assert "The views expressed in it are the author’s own" in dom
    assert dom.index("Body first.") < dom.index('<footer class="cd-disclaimer">')
    window.session.save_blocking()
    exported = window.core.export_html(window.session.piece_id or 0)
    assert "The views expressed in it are the author’s own" in exported
    assert "disclaimer: Opinion column" in window.core.export_markdown(window.session.piece_id or 0)


def test_a_category_brings_its_default_disclaimer(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.metadata.disclaimer.count() > 1, timeout=WAIT_MS)
    window.metadata.categories.setFocus()
    qtbot.keyClicks(window.metadata.categories, "Opinion")
    qtbot.keyClick(window.metadata.categories, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: window.metadata.disclaimer.currentText() == "Opinion column", timeout=WAIT_MS
    )
    wait_for_preview(qtbot, window, '<footer class="cd-disclaimer">')


def test_snippets_appear_before_the_disclaimer(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.metadata.snippets.count() > 0, timeout=WAIT_MS)
    opinion = window.core.boilerplate.find("disclaimer", "Opinion column")
    window.session.update(disclaimer_id=opinion.id)
    item = window.metadata.snippets.findItems("Newsletter sign-up", Qt.MatchFlag.MatchExactly)[0]
    item.setCheckState(Qt.CheckState.Checked)
    dom = wait_for_preview(qtbot, window, '<aside class="cd-cta">')
    assert dom.index('<aside class="cd-cta">') < dom.index('<footer class="cd-disclaimer">')


def test_switching_pieces_saves_and_loads(qtbot: QtBot, window: MainWindow) -> None:
    other = window.core.pieces.create(PieceData(title="Other", body="Other body"))
    qtbot.keyClicks(window.editor, "First body")
    window.library.refresh(select=other.id)
    qtbot.waitUntil(lambda: window.session.piece_id == other.id, timeout=WAIT_MS)
    assert window.editor.toPlainText() == "Other body"
    first = [s for s in window.core.pieces.summaries() if s.id != other.id][0]
    assert window.core.pieces.get(first.id).body == "First body"
    wait_for_preview(qtbot, window, "Other body")


def test_find_and_replace_all_is_one_undo_step(qtbot: QtBot, window: MainWindow) -> None:
    window.editor.setPlainText("cat and cat and Cat")
    bar = window.editor_panel.find_bar
    bar.open_find(with_replace=True)
    bar.find_field.setText("cat")
    bar.replace_field.setText("dog")
    assert bar.count.text() in {"3 matches", "1 of 3"}
    assert bar.replace_all() == 3
    assert window.editor.toPlainText() == "dog and dog and dog"
    window.editor.undo()
    assert window.editor.toPlainText() == "cat and cat and Cat"
    bar.case.setChecked(True)
    assert bar.replace_all() == 2


def test_formatting_commands(qtbot: QtBot, window: MainWindow) -> None:
    window.editor.setPlainText("word")
    window.editor.selectAll()
    window.action_table["format/bold"].trigger()
    assert window.editor.toPlainText() == "**word**"
    window.editor.selectAll()
    window.action_table["format/bold"].trigger()
    assert window.editor.toPlainText() == "word"


def test_lists_continue_on_enter(qtbot: QtBot, window: MainWindow) -> None:
    window.editor.setFocus()
    qtbot.keyClicks(window.editor, "1. first")
    qtbot.keyClick(window.editor, Qt.Key.Key_Return)
    qtbot.keyClicks(window.editor, "second")
    qtbot.keyClick(window.editor, Qt.Key.Key_Return)
    qtbot.keyClick(window.editor, Qt.Key.Key_Return)
    assert window.editor.toPlainText() == "1. first\n2. second\n"


def test_schedule_is_kept_in_utc(qtbot: QtBot, window: MainWindow) -> None:
    window.metadata.schedule_on.setChecked(True)
    chosen = window.session.snapshot().publish_at
    assert chosen is not None and chosen.utcoffset() is not None
    window.session.save_blocking()
    stored = window.core.pieces.get(window.session.piece_id or 0).publish_at
    assert stored == chosen
    wait_for_preview(qtbot, window, f">{date_label(chosen.astimezone())}</time>")
