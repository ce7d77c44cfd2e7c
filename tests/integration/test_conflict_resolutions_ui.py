"""Each way out of a conflict, from the window, against the real WordPress: afterwards the editor, the
library and the site hold the same text, and the next edit builds on it instead of undoing it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import requests
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from tests.helpers.secret_service import SecretService
from tests.helpers.wp_server import WordPressServer
from tests.integration.test_publish_ui import _add_site, _push
from tests.ui.conftest import WAIT_MS, open_window  # noqa: F401  (the fixture)
from ui.main_window import MainWindow

pytestmark = [pytest.mark.wordpress, pytest.mark.keyring]

MINE = "My first paragraph."
THEIRS = "The sub-editor wrote this paragraph."
MINE_LATER = " And my second thought."
MERGED = "The sub-editor wrote this, with my second thought."


@pytest.fixture
def desk(
    open_window: Callable[[Path], MainWindow],  # noqa: F811
    data_dir: Path,
    secret_service: SecretService,
) -> MainWindow:
    from datetime import UTC, datetime

    from tests.integration.conftest import make_remote

    window = open_window(data_dir)
    make_remote(window.core, lambda: datetime.now(UTC))
    return window


def _site_content(wordpress: WordPressServer, post_id: int) -> str:
    post = requests.get(
        wordpress.rest_url(f"/wp/v2/posts/{post_id}"),
        params={"context": "edit"},
        auth=wordpress.auth("admin"),
        timeout=10,
    ).json()
    return str(post["content"]["raw"])


def _conflict(qtbot: QtBot, desk: MainWindow, wordpress: WordPressServer) -> tuple[object, int]:
    """Push, edit the post on the site, edit the piece here, push again: the conflict dialog."""
    from ui.publish.conflict import ConflictDialog

    _add_site(qtbot, desk, wordpress.url, wordpress.users["editor"])
    qtbot.keyClicks(desk.metadata.title, "Harbour")
    qtbot.keyClicks(desk.editor, MINE)
    dialog = _push(qtbot, desk, "draft")
    qtbot.waitUntil(lambda: "Pushed." in dialog.message.text(), timeout=WAIT_MS)  # type: ignore[attr-defined]
    post_id = desk.core.remote.publisher.links_of(desk.session.piece_id or 0)[0].remote_id
    assert post_id is not None
    dialog.reject()  # type: ignore[attr-defined]
    edited = requests.post(
        wordpress.rest_url(f"/wp/v2/posts/{post_id}"),
        json={"content": f"<p>{THEIRS}</p>"},
        auth=wordpress.auth("admin"),
        timeout=10,
    )
    assert edited.status_code == 200
    qtbot.keyClicks(desk.editor, MINE_LATER)
    _push(qtbot, desk, "draft")
    qtbot.waitUntil(lambda: desk.findChild(ConflictDialog) is not None, timeout=WAIT_MS)
    return desk.findChild(ConflictDialog), post_id


def _stored_body(desk: MainWindow) -> str:
    return desk.core.pieces.get(desk.session.piece_id or 0).body


def _type_on_and_check_it_builds_on(qtbot: QtBot, desk: MainWindow, text: str) -> None:
    """An edit after the resolution is saved on top of the resolved text, not the old one."""
    cursor = desk.editor.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    desk.editor.setTextCursor(cursor)
    qtbot.keyClicks(desk.editor, " Later.")
    qtbot.waitUntil(lambda: _stored_body(desk) == f"{text} Later.", timeout=WAIT_MS)


def test_edit_a_merge_puts_the_merge_in_the_editor_the_library_and_on_the_site(
    qtbot: QtBot, desk: MainWindow, wordpress: WordPressServer
) -> None:
    from ui.publish.conflict import MergeDialog

    conflict, post_id = _conflict(qtbot, desk, wordpress)

    def merge() -> None:
        dialog = conflict.findChild(MergeDialog)  # type: ignore[attr-defined]
        assert dialog is not None
        dialog.merged.setPlainText(MERGED)
        dialog.accept()

    QTimer.singleShot(0, merge)  # the merge dialog runs its own loop
    conflict.merge.click()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: desk.editor.toPlainText() == MERGED, timeout=WAIT_MS)
    assert _stored_body(desk) == MERGED
    assert MERGED in _site_content(wordpress, post_id)
    assert not desk.session.dirty
    _type_on_and_check_it_builds_on(qtbot, desk, MERGED)


def test_take_theirs_puts_the_sites_text_in_the_editor_and_the_library(
    qtbot: QtBot, desk: MainWindow, wordpress: WordPressServer
) -> None:
    conflict, post_id = _conflict(qtbot, desk, wordpress)
    conflict.take_theirs.click()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: THEIRS in desk.editor.toPlainText(), timeout=WAIT_MS)
    taken = desk.editor.toPlainText()
    assert taken.rstrip("\n") == THEIRS  # as pulled: the site's paragraph, a line end after it
    assert _stored_body(desk) == taken
    assert THEIRS in _site_content(wordpress, post_id)
    assert not desk.session.dirty
    _type_on_and_check_it_builds_on(qtbot, desk, taken)


def test_keep_mine_leaves_my_text_in_the_editor_and_the_library_and_sends_it(
    qtbot: QtBot, desk: MainWindow, wordpress: WordPressServer
) -> None:
    conflict, post_id = _conflict(qtbot, desk, wordpress)
    conflict.keep_mine.click()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: "Pushed" in desk.messages.text, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: MINE + MINE_LATER in _site_content(wordpress, post_id), timeout=WAIT_MS)
    assert desk.editor.toPlainText() == MINE + MINE_LATER
    assert _stored_body(desk) == MINE + MINE_LATER
    assert THEIRS not in _site_content(wordpress, post_id)
    _type_on_and_check_it_builds_on(qtbot, desk, MINE + MINE_LATER)
