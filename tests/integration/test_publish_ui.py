"""Publishing from the window, against the real WordPress: sites, push, conflicts, the outbox."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import requests
from pytestqt.qtbot import QtBot

from app.outbox.queue import JobState
from app.pieces.data import PieceData
from tests.helpers.fault_proxy import FaultProxy
from tests.helpers.secret_service import SecretService
from tests.helpers.wp_server import WordPressServer
from tests.integration.conftest import make_remote
from tests.ui.conftest import WAIT_MS, open_window  # noqa: F401  (the fixture)
from ui.main_window import MainWindow

pytestmark = [pytest.mark.wordpress, pytest.mark.keyring]


@pytest.fixture
def desk(
    open_window: Callable[[Path], MainWindow],  # noqa: F811
    data_dir: Path,
    secret_service: SecretService,
) -> MainWindow:
    window = open_window(data_dir)
    from datetime import UTC, datetime

    make_remote(window.core, lambda: datetime.now(UTC))  # short timeouts, the test keyring
    return window


def _add_site(qtbot: QtBot, window: MainWindow, url: str, user: dict[str, str]) -> None:
    from ui.publish.sites import AddSiteDialog, SitesDialog

    window.action_table["publish/sites"].trigger()
    sites = window.findChild(SitesDialog)
    assert sites is not None
    sites.add.click()
    add = sites.findChild(AddSiteDialog)
    assert add is not None
    add.name.setText("Gazette")
    add.url.setText(url)
    add.user.setText(user["user"])
    add.password.setText(user["app_password"])
    add.buttons.accepted.emit()
    qtbot.waitUntil(lambda: sites.sites.count() == 1, timeout=WAIT_MS)
    sites.accept()


def _push(qtbot: QtBot, window: MainWindow, status: str) -> object:
    from ui.publish.push import PushDialog

    window.action_table["publish/push"].trigger()
    # a closed dialog lingers until its deferred deletion: take the one on screen
    shown = [d for d in window.findChildren(PushDialog) if d.isVisible()]
    assert len(shown) == 1
    dialog = shown[0]
    qtbot.waitUntil(dialog.push_button.isEnabled, timeout=WAIT_MS)
    dialog._status_buttons[status].setChecked(True)
    dialog.push_button.click()
    return dialog


def test_add_a_site_and_push_a_piece_as_pending(
    qtbot: QtBot, desk: MainWindow, wordpress: WordPressServer
) -> None:
    _add_site(qtbot, desk, wordpress.url, wordpress.users["author"])
    qtbot.keyClicks(desk.metadata.title, "Night buses")
    qtbot.keyClicks(desk.editor, "The last bus home is *full*.")
    dialog = _push(qtbot, desk, "pending")
    qtbot.waitUntil(lambda: "Pushed." in dialog.message.text(), timeout=WAIT_MS)
    piece = desk.core.pieces.get(desk.session.piece_id or 0)
    posts = requests.get(
        wordpress.rest_url("/wp/v2/posts"),
        params={"status": "pending", "context": "edit"},
        auth=wordpress.auth("admin"),
        timeout=10,
    ).json()
    assert [p["title"]["raw"] for p in posts] == ["Night buses"]
    assert (
        desk.core.articles.render(piece).content_html.split("<!--")[0].strip()
        in posts[0]["content"]["raw"]
    )
    # the same push again updates that post and sends nothing new
    dialog.push_button.click()
    qtbot.waitUntil(lambda: "Nothing had changed" in dialog.message.text(), timeout=WAIT_MS)


def test_a_conflict_opens_both_versions_and_take_theirs_loads_the_sites_text(
    qtbot: QtBot, desk: MainWindow, wordpress: WordPressServer
) -> None:
    from ui.publish.conflict import ConflictDialog

    _add_site(qtbot, desk, wordpress.url, wordpress.users["editor"])
    qtbot.keyClicks(desk.metadata.title, "Harbour")
    qtbot.keyClicks(desk.editor, "My first paragraph.")
    dialog = _push(qtbot, desk, "draft")
    qtbot.waitUntil(lambda: "Pushed." in dialog.message.text(), timeout=WAIT_MS)
    post_id = desk.core.remote.publisher.links_of(desk.session.piece_id or 0)[0].remote_id
    dialog.reject()
    edited = requests.post(
        wordpress.rest_url(f"/wp/v2/posts/{post_id}"),
        json={"content": "<p>The sub-editor's paragraph.</p>"},
        auth=wordpress.auth("admin"),
        timeout=10,
    )
    assert edited.status_code == 200
    qtbot.keyClicks(desk.editor, " And my second thought.")
    _push(qtbot, desk, "draft")
    qtbot.waitUntil(lambda: desk.findChild(ConflictDialog) is not None, timeout=WAIT_MS)
    conflict = desk.findChild(ConflictDialog)
    assert "sub-editor" in conflict.theirs.toPlainText()
    assert "second thought" in conflict.mine.toPlainText()
    conflict.take_theirs.click()
    qtbot.waitUntil(lambda: "sub-editor" in desk.editor.toPlainText(), timeout=WAIT_MS)
    history = desk.core.pieces.revisions.history(desk.session.piece_id or 0)
    bodies = [desk.core.pieces.revisions.content(r.id).body for r in history]
    assert any("second thought" in body for body in bodies)  # nothing was lost


def test_offline_push_waits_in_the_outbox_and_goes_when_the_site_is_back(
    qtbot: QtBot, desk: MainWindow, wordpress: WordPressServer
) -> None:
    with FaultProxy(wordpress.url) as proxy:
        _add_site(qtbot, desk, proxy.url, wordpress.users["author"])
        qtbot.keyClicks(desk.metadata.title, "Written on a train")
        proxy.stop()  # the network is gone
        dialog = _push(qtbot, desk, "draft")
        qtbot.waitUntil(lambda: "Not sent yet" in dialog.message.text(), timeout=WAIT_MS)
        dialog.reject()
        desk.action_table["view/outbox"].setChecked(True)
        panel = desk.outbox_panel
        qtbot.waitUntil(lambda: panel.table.rowCount() == 1, timeout=WAIT_MS)
        # the row may still say what the first attempt was doing; it settles on waiting, with why
        qtbot.waitUntil(lambda: "Waiting" in panel.table.item(0, 1).text(), timeout=WAIT_MS)
        assert panel.table.item(0, 3).text()
        qtbot.waitUntil(lambda: desk.status.outbox.text() == "Outbox: 1 waiting", timeout=WAIT_MS)
        proxy.start()  # the network is back
        panel.table.selectRow(0)
        panel.send_now.click()
        qtbot.waitUntil(lambda: panel.table.rowCount() == 0, timeout=WAIT_MS)
        jobs = desk.core.remote.outbox.jobs()
        assert [j.state for j in jobs] == [JobState.DONE]
    posts = requests.get(
        wordpress.rest_url("/wp/v2/posts"),
        params={"status": "draft", "context": "edit"},
        auth=wordpress.auth("admin"),
        timeout=10,
    ).json()
    assert [p["title"]["raw"] for p in posts] == ["Written on a train"]


def test_open_a_post_from_the_site(qtbot: QtBot, desk: MainWindow, wordpress: WordPressServer) -> None:
    from ui.publish.pull import PullDialog

    made = requests.post(
        wordpress.rest_url("/wp/v2/posts"),
        json={
            "title": "From the site",
            "content": "<p>Written <em>there</em>.</p>",
            "status": "publish",
        },
        auth=wordpress.auth("admin"),
        timeout=10,
    )
    assert made.status_code == 201
    _add_site(qtbot, desk, wordpress.url, wordpress.users["admin"])
    desk.action_table["publish/pull"].trigger()
    dialog = desk.findChild(PullDialog)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=WAIT_MS)
    dialog.table.selectRow(0)
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: desk.metadata.title.text() == "From the site", timeout=WAIT_MS)
    assert desk.editor.toPlainText().strip() == "Written *there*."
    assert isinstance(desk.core.pieces.get(desk.session.piece_id or 0), PieceData)


def test_sending_a_job_that_is_no_longer_waiting_is_explained_not_a_crash(
    qtbot: QtBot, desk: MainWindow, wordpress: WordPressServer
) -> None:
    _add_site(qtbot, desk, wordpress.url, wordpress.users["author"])
    qtbot.keyClicks(desk.metadata.title, "Once only")
    dialog = _push(qtbot, desk, "draft")
    qtbot.waitUntil(lambda: "Pushed." in dialog.message.text(), timeout=WAIT_MS)
    job_id = dialog._job_id
    with qtbot.waitSignal(desk.outbox.run_failed, timeout=WAIT_MS) as failed:
        desk.outbox.run_now(job_id or 0)  # done already: the worker refuses it
    assert failed.args[0] == job_id
    assert "not waiting" in str(failed.args[1])


def test_a_push_the_background_sender_took_first_is_followed_to_its_end(
    qtbot: QtBot, desk: MainWindow, wordpress: WordPressServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The outbox's sender may claim a queued push before the dialog's own 'send now' does; the
    dialog must follow that run, not say 'Not pushed' while the post goes out."""
    _add_site(qtbot, desk, wordpress.url, wordpress.users["author"])
    qtbot.keyClicks(desk.metadata.title, "Taken first")
    outbox, remote = desk.outbox, desk.core.remote
    real_run_now = outbox.run_now

    def sender_was_faster(job_id: int) -> None:
        remote.outbox.claim("background", job_id=job_id, due_only=False)  # the sender has it
        real_run_now(job_id)  # refused: the job is in flight, not waiting

    monkeypatch.setattr(outbox, "run_now", sender_was_faster)
    dialog = _push(qtbot, desk, "draft")
    qtbot.waitUntil(lambda: dialog._following, timeout=WAIT_MS)
    assert "Not pushed" not in dialog.message.text()
    job_id = dialog._job_id or 0
    result = remote.publisher.push(desk.session.piece_id or 0, remote.sites.list()[0].id, status="draft")
    outbox.job_changed.emit(remote.outbox.finish(job_id, result.to_json()))
    qtbot.waitUntil(lambda: "Pushed." in dialog.message.text(), timeout=WAIT_MS)
