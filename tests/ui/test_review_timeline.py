"""A piece's timeline in the window: the site's steps and this library's, merged by time, with who,
when and from which machine, and the editor's note."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.core import Core
from tests.helpers.review import NOTE, review_parts, seed_review
from tests.ui.conftest import WAIT_MS
from tests.ui.test_review_actions import open_piece
from ui.review.timeline import TimelineDialog


def test_the_timeline_merges_the_site_and_the_library(qtbot: QtBot, core: Core) -> None:
    sample = seed_review(core, "editor")
    with review_parts(qtbot, core) as parts:
        open_piece(qtbot, parts, sample.pending_id)
        parts.table["review/timeline"].trigger()
        views = parts.controller.views
        qtbot.waitUntil(lambda: views.timeline_dialog is not None, timeout=WAIT_MS)
        dialog: TimelineDialog = views.timeline_dialog
        assert dialog.isVisible()
        rows = dialog.rows()
        steps = [(what, who, machine, where) for _when, what, who, machine, where, _note in rows]
        assert steps == [
            ("Draft → Pending review", "Mere Kingi", "mere-laptop", "The Evening Gazette"),
            ("submitted for review", "Mere Kingi", "mere-laptop", "The Evening Gazette"),
            ("returned with changes requested", "Ana Lopez", "desk-imac", "The Evening Gazette"),
            ("submitted for review", "Mere Kingi", "mere-laptop",
             "this library (The Evening Gazette)"),
            ("submitted for review", "Mere Kingi", "mere-laptop", "The Evening Gazette"),
            ("queued", "you", "desk-imac", "this library (The Evening Gazette)"),
        ]  # fmt: skip
        assert rows[2][5] == NOTE
        assert dialog.note.text() == f"Note: {NOTE}"  # in full, not cut off in its column
        assert not dialog.missing.isVisibleTo(dialog)  # the site has the plugin
        dialog.close()


def test_without_the_plugin_the_timeline_says_what_is_missing(qtbot: QtBot) -> None:
    dialog = TimelineDialog("Night buses", [], ["Gazette has no Copydesk companion plugin."])
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.rows() == []
    assert dialog.empty.isVisible()
    assert "no Copydesk companion plugin" in dialog.missing.text()
    assert dialog.missing.isVisible()
