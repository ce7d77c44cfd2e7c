"""Notes and the checklist in the columnist's window, against the real WordPress with the companion
plugin: the editor (a second library) writes a note; after a sync it is in the columnist's panel, on
its passage; the columnist's reply from the panel reaches the editor. And the checklist blocks a
submission, listing what is missing, with no way round it for a contributor."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.checklist.config import ChecklistConfig
from tests.helpers.secret_service import SecretService
from tests.helpers.wp_server import WordPressServer
from tests.integration.conftest import Clock, make_remote
from tests.integration.workflow_helpers import desk
from tests.ui.conftest import WAIT_MS, open_window  # noqa: F401  (the fixture)
from ui.checklist.report import ConfirmDialog
from ui.main_window import MainWindow

pytestmark = [pytest.mark.wordpress, pytest.mark.keyring]

BODY = "The last bus leaves at midnight.\n\nNobody on it is going home.\n"


def _signed_in(
    qtbot: QtBot, window: MainWindow, wordpress: WordPressServer, clock: Clock, user: str
) -> None:
    """*window*'s library signed in to the site as *user*, with a piece open."""
    remote = make_remote(window.core, clock)
    account = wordpress.users[user]
    remote.sites.add("Gazette", wordpress.url, account["user"], account["app_password"])
    qtbot.keyClicks(window.metadata.title, "Night buses")
    window.editor.insertPlainText(BODY)
    piece_id = window.session.piece_id or 0
    qtbot.waitUntil(lambda: window.core.pieces.get(piece_id).body == BODY, timeout=WAIT_MS)


@pytest.fixture
def columnist(  # noqa: PLR0917  (fixtures)
    qtbot: QtBot,
    open_window: Callable[[Path], MainWindow],  # noqa: F811
    data_dir: Path,
    wordpress: WordPressServer,
    secret_service: SecretService,
    clock: Clock,
) -> MainWindow:
    """The columnist's window, signed in to the site as the contributor, with a piece open."""
    window = open_window(data_dir)
    _signed_in(qtbot, window, wordpress, clock, "contributor")
    return window


def test_the_editors_note_appears_in_the_columnists_panel_after_a_sync(
    qtbot: QtBot, columnist: MainWindow, tmp_path: Path, wordpress: WordPressServer, clock: Clock
) -> None:
    window, piece_id = columnist, columnist.session.piece_id or 0
    site = window.core.remote.sites.list()[0]
    [outcome] = window.core.workflow.send([window.core.workflow.submit(piece_id, site.id).id])
    assert outcome.done, outcome.job.last_error
    post_id = int(outcome.job.result["post_id"])

    with desk(tmp_path / "editor", wordpress, "editor", clock) as editor:
        opened = editor.core.workflow.open_post(editor.site.id, post_id)
        assert opened.id is not None
        editor.core.notes.add_on_quote(opened.id, "Nobody on it", "Who? Name one.")
        assert editor.core.notes.sync().errors == []

        panel = window.notes.panel
        assert panel.sharing.text().startswith("Notes stay on this computer")  # on no site yet
        window.action_table["notes/sync"].trigger()
        qtbot.waitUntil(lambda: len(panel.threads()) == 1, timeout=WAIT_MS)
        qtbot.waitUntil(
            lambda: panel.sharing.text() == "Shared with the editors of Gazette.", timeout=WAIT_MS
        )
        thread = panel.threads()[0]
        assert (thread.note.author, thread.note.body, thread.note.mine) == (
            "Editor",
            "Who? Name one.",
            False,
        )
        item = panel.tree.topLevelItem(0)
        assert item is not None and item.text(0).startswith("“Nobody on it”\nEditor · ")
        qtbot.waitUntil(
            lambda: (
                [m.cursor.selectedText() for m in window.editor.extraSelections()] == ["Nobody on it"]
            ),
            timeout=WAIT_MS,
        )
        panel.tree.setCurrentItem(item)
        assert not panel.edit.isEnabled()  # the editor's note: only they may change it

        # the columnist's reply, from the panel, is sent at once and reaches the editor
        panel.composer.setPlainText("Ana, a night nurse; added.")
        panel.reply.click()

        def reply_sent() -> bool:
            replies = window.core.notes.threads(piece_id)[0].replies
            return len(replies) == 1 and not replies[0].pending

        qtbot.waitUntil(reply_sent, timeout=WAIT_MS)
        editor.core.notes.sync()
        [editor_thread] = editor.core.notes.threads(opened.id)
        assert [(r.author, r.body) for r in editor_thread.replies] == [
            ("Contributor", "Ana, a night nurse; added.")
        ]


def _shown(name: str) -> ConfirmDialog | None:
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, ConfirmDialog) and w.isVisible()]
    return next((w for w in found if w.objectName() == name), None)


@pytest.mark.expect_log("ui.messages", "WARNING", "Only editors may override the checklist on Gazette")
def test_a_required_item_blocks_submitting_and_a_contributor_cannot_override(
    qtbot: QtBot, columnist: MainWindow
) -> None:
    window, piece_id = columnist, columnist.session.piece_id or 0
    site = window.core.remote.sites.list()[0]
    config = ChecklistConfig().with_level("category", "required").with_level("spelling", "off")
    window.core.checklist.set_config(site.id, config)
    window.review.actions.submit(piece_id, site.id)
    qtbot.waitUntil(lambda: _shown("checklistBlocked") is not None, timeout=WAIT_MS)
    dialog = _shown("checklistBlocked")
    assert dialog is not None
    assert "It cannot be submitted yet." in dialog.summary.text()
    assert dialog.view.states()["category"] == "Missing" and not dialog.go.isEnabled()
    assert window.core.remote.outbox.jobs() == []  # nothing was queued
    dialog.reason.setText("Deadline")
    dialog.go.click()
    qtbot.waitUntil(
        lambda: "Only editors may override the checklist" in window.messages.text, timeout=WAIT_MS
    )
    assert window.core.remote.outbox.jobs() == []


def test_a_push_that_publishes_asks_first_and_an_editor_may_override(  # noqa: PLR0917  (fixtures)
    qtbot: QtBot,
    open_window: Callable[[Path], MainWindow],  # noqa: F811
    data_dir: Path,
    wordpress: WordPressServer,
    secret_service: SecretService,
    clock: Clock,
) -> None:
    from ui.publish.push import PushDialog

    window = open_window(data_dir)
    _signed_in(qtbot, window, wordpress, clock, "editor")
    piece_id = window.session.piece_id or 0
    site = window.core.remote.sites.list()[0]
    config = ChecklistConfig().with_level("category", "required").with_level("spelling", "off")
    window.core.checklist.set_config(site.id, config)
    window.action_table["publish/push"].trigger()
    [push] = [d for d in window.findChildren(PushDialog) if d.isVisible()]
    qtbot.waitUntil(push.push_button.isEnabled, timeout=WAIT_MS)
    push._status_buttons["publish"].setChecked(True)
    push.push_button.click()
    qtbot.waitUntil(lambda: _shown("checklistConfirm") is not None, timeout=WAIT_MS)
    confirm = _shown("checklistConfirm")
    assert confirm is not None and confirm.windowTitle() == "Publish “Night buses”?"
    assert confirm.view.states()["category"] == "Missing" and not confirm.go.isEnabled()
    assert window.core.remote.outbox.jobs() == []  # nothing sent before the answer
    confirm.reason.setText("Category added on the site by the desk")
    confirm.go.click()
    qtbot.waitUntil(lambda: "Pushed." in push.message.text(), timeout=WAIT_MS)
    link = window.core.remote.links.get(piece_id, site.id)
    assert link is not None and link.remote_id is not None
    assert (
        wordpress.rest("GET", f"/wp/v2/posts/{link.remote_id}", params={"context": "edit"})["status"]
        == "publish"
    )
    overrides = [
        e for e in window.core.workflow.timeline(piece_id) if e.action == "checklist-overridden"
    ]
    assert [e.note.split(" (")[0] for e in overrides] == ["Category added on the site by the desk"]
