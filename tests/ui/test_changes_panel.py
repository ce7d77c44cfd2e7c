"""Tracked changes in the real window, offscreen: the panel, the marks in the editor, accepting and
rejecting (buttons and actions), the result as a revision; and the word merge dialog."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from app.changes.merge import merge
from app.cms.base import RemotePost
from app.core import open_core
from app.pieces.data import PieceData
from app.pieces.workflow import Status
from app.publishing.safety import ConflictInfo, PushConflictError
from tests.ui.conftest import WAIT_MS
from ui.changes import marks
from ui.changes.merge_view import WordMergeDialog
from ui.main_window import MainWindow

BASE = (
    "The last bus leaves at midnight.\n\nNobody on it is going home.\n\nThe council wants to cut it.\n"
)
BACK = (
    BASE.replace("midnight", "half past twelve")
    .replace("going home", "heading home")
    .replace("cut it", "cut it in April")
)


def returned_piece(data_dir: Path) -> int:
    """A piece in the library as an editor's is after the return and the writer's resubmission:
    the version at the return, then the writer's text pulled from the site."""
    core = open_core(data_dir)
    try:
        piece = core.pieces.create(PieceData(title="Night buses", body=BASE, status=Status.SUBMITTED))
        assert piece.id is not None
        core.pieces.set_status(piece.id, Status.CHANGES_REQUESTED, note="Returned")
        core.pieces.save(core.pieces.get(piece.id).copy(body=BACK), reason="pulled")
        return piece.id
    finally:
        core.close()


def change_marks(window: MainWindow) -> list[str]:
    """The words marked as inserted in the editor."""
    text = window.editor.toPlainText()
    return [
        text[s.cursor.selectionStart() : s.cursor.selectionEnd()]
        for s in window.editor.extraSelections()
        if s.format.property(marks.KIND) in ("inserted", "replaced")
    ]


def test_accepting_and_rejecting_changes_makes_a_reviewed_revision(
    qtbot: QtBot, open_window: Callable[[Path], MainWindow], data_dir: Path
) -> None:
    piece_id = returned_piece(data_dir)
    window = open_window(data_dir)
    panel = window.changes.panel
    qtbot.waitUntil(lambda: len(panel.ids()) == 3, timeout=WAIT_MS)
    assert window.editor.toPlainText() == BACK
    assert "3 changes since the version you returned" in panel.heading.text()
    assert window.changes.dock.isVisible()
    assert sorted(change_marks(window)) == ["half past twelve", "heading", "in April"]
    assert [panel.tree.topLevelItem(i).text(0) for i in range(3)] == ["midnight", "going", "—"]  # type: ignore[union-attr]
    assert window.action_table["changes/accept"].isEnabled()

    # the first change, chosen in the list, is selected in the editor and accepted with the button
    panel.select(panel.ids()[0])
    assert window.editor.textCursor().selectedText() == "half past twelve"
    qtbot.mouseClick(panel.accept_button, Qt.MouseButton.LeftButton)
    assert len(panel.ids()) == 2
    # the one after it is chosen now; through the actions (next, previous): rejected, so the
    # editor's text goes back to "going"
    assert panel.current_id() == panel.ids()[0]
    window.action_table["changes/next"].trigger()
    assert window.editor.textCursor().selectedText() == "in April"
    window.action_table["changes/previous"].trigger()
    window.action_table["changes/reject"].trigger()
    assert window.editor.toPlainText() == BACK.replace("heading home", "going home")
    assert len(panel.ids()) == 1
    # the last one accepted: the review is over, kept as a revision and in the timeline
    window.action_table["changes/accept-all"].trigger()
    expected = BASE.replace("midnight", "half past twelve").replace("cut it", "cut it in April")
    core = window.core
    assert core is not None
    qtbot.waitUntil(
        lambda: core.pieces.revisions.history(piece_id)[0].reason == "reviewed", timeout=WAIT_MS
    )
    assert core.pieces.get(piece_id).body == expected
    assert [e.note for e in core.workflow.timeline(piece_id) if e.action == "changes-reviewed"] == [
        "2 accepted, 1 rejected"
    ]
    assert panel.ids() == [] and change_marks(window) == []
    assert not window.action_table["changes/accept"].isEnabled()


def test_reject_all_puts_back_the_base_and_typing_keeps_the_list_in_step(
    qtbot: QtBot, open_window: Callable[[Path], MainWindow], data_dir: Path
) -> None:
    returned_piece(data_dir)
    window = open_window(data_dir)
    panel = window.changes.panel
    qtbot.waitUntil(lambda: len(panel.ids()) == 3, timeout=WAIT_MS)
    cursor = window.editor.textCursor()
    cursor.setPosition(0)
    window.editor.setTextCursor(cursor)
    qtbot.keyClicks(window.editor, "Tonight: ")
    qtbot.waitUntil(lambda: len(panel.ids()) == 4, timeout=WAIT_MS)
    assert panel.tree.topLevelItem(0).text(1) == "Tonight:"  # type: ignore[union-attr]
    qtbot.mouseClick(panel.reject_all_button, Qt.MouseButton.LeftButton)
    assert window.editor.toPlainText() == BASE
    qtbot.waitUntil(lambda: panel.ids() == [], timeout=WAIT_MS)


def test_the_panel_is_named_and_reachable_with_tab(
    qtbot: QtBot, open_window: Callable[[Path], MainWindow], data_dir: Path
) -> None:
    returned_piece(data_dir)
    window = open_window(data_dir)
    panel = window.changes.panel
    qtbot.waitUntil(lambda: len(panel.ids()) == 3, timeout=WAIT_MS)
    controls: list[QWidget] = [panel.tree, *panel.findChildren(QPushButton)]
    assert all(c.accessibleName() for c in controls)
    panel.tree.setFocus()
    reached = []
    for _ in range(len(controls) - 1):
        focused = window.focusWidget()
        assert focused is not None
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
        reached.append(window.focusWidget())
    assert reached == [
        panel.accept_button, panel.reject_button, panel.previous_button, panel.next_button,
        panel.accept_all_button, panel.reject_all_button,
    ]  # fmt: skip


def test_the_merge_dialog_asks_for_every_overlapping_passage(qtbot: QtBot) -> None:
    mine = BASE.replace("midnight", "ten to one").replace("going home", "heading home")
    theirs = BASE.replace("midnight", "12.30").replace("cut it", "cut it in April")
    dialog = WordMergeDialog(merge(BASE, mine, theirs), "Night buses")
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()  # no silent choice
    dialog.choose(0, "theirs")
    assert ok.isEnabled()
    assert dialog.merged_text() == BASE.replace("midnight", "12.30").replace(
        "going home", "heading home"
    ).replace("cut it", "cut it in April")


def conflict_on(window: MainWindow, piece_id: int, theirs: str) -> ConflictInfo:
    """A pieces sync's conflict on the open piece, as it reports it (the site is not reachable)."""
    core = window.core
    assert core is not None
    mine = core.pieces.get(piece_id)
    post = RemotePost(id=7, title=mine.title, content=f"<p>{theirs}</p>", excerpt="", status="draft",
                      slug="", link="", date_gmt="", modified_gmt="2026-01-01T00:00:00")  # fmt: skip
    return ConflictInfo(piece_id=piece_id, site_id=99, site_name="Gazette", post_id=7,
                        last_synced_gmt="", theirs=post, theirs_piece=mine.copy(body=theirs),
                        mine=mine, mine_html="")  # fmt: skip


@pytest.mark.expect_log("ui.messages", "WARNING", "Not merged and sent")
def test_a_conflict_offers_the_word_merge_and_a_failed_send_shows_what_the_library_holds(
    qtbot: QtBot, open_window: Callable[[Path], MainWindow], data_dir: Path
) -> None:
    piece_id = returned_piece(data_dir)
    window = open_window(data_dir)
    qtbot.waitUntil(lambda: len(window.changes.panel.ids()) == 3, timeout=WAIT_MS)
    theirs = BASE.replace("midnight", "12.30")  # the base here: the version at the return
    with qtbot.waitSignal(window.merging.dialog_shown, timeout=WAIT_MS) as shown:
        window.review.conflict_found.emit(PushConflictError(conflict_on(window, piece_id, theirs)))
    dialog: WordMergeDialog = shown.args[0]
    [overlap] = dialog.merge_result.conflicts
    assert (overlap.mine, overlap.theirs) == ("half past twelve", "12.30")
    dialog.choose(0, "theirs")
    dialog.accept()  # no such site: nothing is sent
    qtbot.waitUntil(lambda: "Not merged and sent" in window.messages.text, timeout=WAIT_MS * 2)
    merged = BACK.replace("half past twelve", "12.30")
    qtbot.waitUntil(lambda: window.editor.toPlainText() == merged, timeout=WAIT_MS)
    assert window.core is not None and window.core.pieces.get(piece_id).body == merged


def test_a_conflict_without_a_base_opens_the_side_by_side_view(qtbot: QtBot, window: MainWindow) -> None:
    piece_id = window.session.piece_id or 0
    shown: list[BaseException] = []
    window.merging._fallback = shown.append  # noqa: SLF001 - the old view, observed
    window.review.conflict_found.emit(PushConflictError(conflict_on(window, piece_id, "Theirs.")))
    qtbot.waitUntil(lambda: bool(shown), timeout=WAIT_MS)
    assert window.merging.dialog is None
