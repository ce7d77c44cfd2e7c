"""The comment desk against the real WordPress: sync from the button, moderate online and offline,
reply, and load a comment's picture only when asked."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.core import Core
from app.remote import RemoteServices
from tests.helpers.comments import add_comment, seed_comments, shown_desk
from tests.helpers.fault_proxy import FaultProxy, Request, http_response
from tests.helpers.pictures import write_png
from tests.helpers.wp_server import WordPressServer
from tests.integration.conftest import AddSite, Clock
from tests.integration.test_comments_actions import on_site, status_on_site
from tests.ui.conftest import WAIT_MS
from ui.comments.controller import CommentController
from ui.comments.desk import CommentDesk

pytestmark = [pytest.mark.wordpress, pytest.mark.keyring]


@pytest.fixture
def proxy(wordpress: WordPressServer) -> Iterator[FaultProxy]:
    with FaultProxy(wordpress.url) as running:
        yield running


@pytest.fixture
def desk_parts(
    qtbot: QtBot, qapp: QApplication, core: Core, remote: RemoteServices
) -> Iterator[tuple[CommentDesk, CommentController]]:
    with shown_desk(qtbot, core) as parts:
        yield parts


@pytest.fixture
def desk(desk_parts: tuple[CommentDesk, CommentController]) -> CommentDesk:
    return desk_parts[0]


@pytest.fixture
def comments(desk_parts: tuple[CommentDesk, CommentController]) -> CommentController:
    return desk_parts[1]


def pick(desk: CommentDesk, remote_id: int) -> None:
    [comment] = [c for c in desk.model.comments() if c.remote_id == remote_id]
    desk.tree.setCurrentIndex(desk.model.index_of(comment.id))


def shown(desk: CommentDesk, remote_id: int) -> object:
    return next((c for c in desk.model.comments() if c.remote_id == remote_id), None)


def test_sync_moderate_reply_online_then_offline(
    *,
    qtbot: QtBot,
    desk: CommentDesk,
    comments: CommentController,
    add_site: AddSite,
    wordpress: WordPressServer,
    proxy: FaultProxy,
    clock: Clock,
    tmp_path: object,
) -> None:
    site = add_site("editor", url=proxy.url)
    [post] = seed_comments(wordpress, posts=1, per_post=12)
    ids = [int(i) for i in post["comments"]]  # type: ignore[union-attr]
    picture = write_png(tmp_path / "p.png", 30, 20, (40, 90, 200)).read_bytes()  # type: ignore[operator]

    def is_picture(request: Request) -> bool:
        return request.path == "/picture.png"

    proxy.add(
        is_picture, "respond", http_response(200, picture, {"Content-Type": "image/png"}), times=-1
    )
    with_picture = add_comment(
        wordpress, int(post["id"]), f'<p>Look: <img src="{proxy.url}/picture.png" alt="a bus"></p>'
    )

    with qtbot.waitSignal(comments.sync_finished, timeout=WAIT_MS) as synced:
        desk.bar.sync_button.click()
    assert [r.added for r in synced.args[0].reports] == [13]
    qtbot.waitUntil(lambda: desk.bar.view.count() == 3, timeout=WAIT_MS)  # inbox, separator, post
    with qtbot.waitSignal(desk.thread_shown, timeout=WAIT_MS):
        desk.show_post(site.id, int(post["id"]))

    # online: approve a held comment with the button
    pick(desk, ids[9])
    desk.action_table["comments/approve"].trigger()
    qtbot.waitUntil(lambda: status_on_site(wordpress, ids[9]) == "approved", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: shown(desk, ids[9]).status == "approved", timeout=WAIT_MS)  # type: ignore[union-attr]

    # the picture is fetched only when asked for
    pick(desk, with_picture)
    assert desk.load_images.isVisible()
    assert not any(is_picture(r) for r in proxy.requests)
    desk.load_images.trigger()
    qtbot.waitUntil(lambda: "<img" in desk.reader.toHtml(), timeout=WAIT_MS)
    assert sum(1 for r in proxy.requests if is_picture(r)) == 1

    # offline: the action waits, pending, and goes when the site is back
    proxy.stop()
    pick(desk, ids[0])
    desk.action_table["comments/trash"].trigger()
    qtbot.waitUntil(lambda: "waits in the outbox" in desk.bar.messages.text, timeout=WAIT_MS)
    assert shown(desk, ids[0]).pending == "trash"  # type: ignore[union-attr]
    pick(desk, ids[1])
    desk.action_table["comments/reply"].trigger()
    desk.reply.editor.setPlainText("Back *soon*.")
    desk.reply.send_button.click()
    qtbot.waitUntil(
        lambda: any(getattr(c, "pending", "") == "reply" for c in desk.model.comments()), timeout=WAIT_MS
    )
    assert status_on_site(wordpress, ids[0]) == "approved"

    proxy.start()
    clock.advance(31)
    with qtbot.waitSignal(comments.sync_finished, timeout=WAIT_MS):
        assert comments.sync_now()
    assert status_on_site(wordpress, ids[0]) == "trash"
    qtbot.waitUntil(lambda: shown(desk, ids[0]) is None, timeout=WAIT_MS)  # trash is not shown
    [mine] = [c for c in desk.model.comments() if c.mine]
    assert mine.remote_id is not None and mine.pending == ""
    posted = on_site(wordpress, mine.remote_id)
    assert posted is not None and posted["parent"] == ids[1]
    assert "1 action" not in desk.bar.state.text()
