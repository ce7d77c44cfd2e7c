"""The comment desk on its own, offscreen, on a sample thread stored as a sync would have stored it.

The network is not needed here (tests/integration/test_comment_desk_ui.py has the real WordPress):
where the desk would send an action or fetch a picture, the core's call is replaced by a recorder.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.comments import SortKey, SyncReport
from app.comments.service import CommentService, SyncOutcome
from app.core import Core
from app.errors import NetworkError
from tests.helpers.comments import seed_sample, shown_desk
from tests.helpers.pictures import write_png
from tests.ui.conftest import WAIT_MS
from ui.comments.controller import CommentController
from ui.comments.delegate import READ_MORE, header_text
from ui.comments.desk import CommentDesk
from ui.comments.model import DEPTH_ROLE


@pytest.fixture
def sample(core: Core) -> tuple[int, int]:
    return seed_sample(core)


@pytest.fixture
def desk_parts(
    qtbot: QtBot, qapp: QApplication, core: Core, sample: tuple[int, int]
) -> Iterator[tuple[CommentDesk, CommentController]]:
    with shown_desk(qtbot, core) as parts:
        yield parts


@pytest.fixture
def desk(desk_parts: tuple[CommentDesk, CommentController]) -> CommentDesk:
    return desk_parts[0]


@pytest.fixture
def comments(desk_parts: tuple[CommentDesk, CommentController]) -> CommentController:
    return desk_parts[1]


def show_piece(qtbot: QtBot, desk: CommentDesk, piece_id: int) -> None:
    with qtbot.waitSignal(desk.thread_shown, timeout=WAIT_MS):
        desk.show_piece(piece_id)


def roots(desk: CommentDesk) -> list[int]:
    model = desk.model
    return [model.comment(model.index(r, 0)).remote_id for r in range(model.rowCount())]  # type: ignore[union-attr]


def select(desk: CommentDesk, remote_id: int) -> None:
    [comment] = [c for c in desk.model.comments() if c.remote_id == remote_id]
    desk.tree.setCurrentIndex(desk.model.index_of(comment.id))


def test_a_thread_as_a_tree_in_the_order_chosen(
    qtbot: QtBot, desk: CommentDesk, sample: tuple[int, int]
) -> None:
    piece_id, _site = sample
    show_piece(qtbot, desk, piece_id)
    assert desk.thread_count == 8 and roots(desk) == [8, 6, 5, 4, 1]
    bevin = desk.model.index_of(1)
    aroha = desk.model.index(0, 0, bevin)
    reply = desk.model.index(0, 0, aroha)
    assert (aroha.data(DEPTH_ROLE), reply.data(DEPTH_ROLE)) == (1, 2)
    assert (
        desk.tree.isExpanded(bevin)
        and desk.tree.visualRect(reply).left() > desk.tree.visualRect(bevin).left()
    )
    assert header_text(desk.model.comment(reply), with_post=False).startswith(  # type: ignore[arg-type]
        "↳ reply to Aroha Ngata · "
    )
    desk.tree.collapse(bevin)  # threads fold
    assert not desk.tree.isVisible() or not desk.tree.visualRect(reply).isValid()
    with qtbot.waitSignal(desk.thread_shown, timeout=WAIT_MS):
        desk.set_sort(SortKey.OLDEST)
    assert roots(desk) == [1, 4, 5, 6, 8]
    assert desk.bar.votes_enabled()
    with qtbot.waitSignal(desk.thread_shown, timeout=WAIT_MS):
        desk.set_sort(SortKey.VOTES)
    assert roots(desk) == [1, 4, 8, 5, 6]
    # looking at it marks it seen: no longer "3 new"
    title = "The night bus is a parliament — 2 held · 8 in all"
    qtbot.waitUntil(lambda: desk.bar.view.currentText() == title, timeout=WAIT_MS)


def test_most_voted_is_off_with_the_reason_on_a_site_without_the_plugin(
    qtbot: QtBot, desk: CommentDesk, core: Core, sample: tuple[int, int]
) -> None:
    piece_id, site_id = sample
    core.comments.store.save_state(site_id, features=set())
    show_piece(qtbot, desk, piece_id)
    assert not desk.bar.votes_enabled()
    model = desk.bar.sort.model()
    item = model.item(desk.bar.sort.findData("votes"))  # type: ignore[attr-defined]
    assert "companion plugin" in item.toolTip()
    assert desk.bar.sort.toolTip().startswith("“Most voted” is off: The Evening Gazette does not show")


def test_status_filter_search_and_the_inbox(
    qtbot: QtBot, desk: CommentDesk, sample: tuple[int, int]
) -> None:
    piece_id, _site = sample
    show_piece(qtbot, desk, piece_id)
    with qtbot.waitSignal(desk.thread_shown, timeout=WAIT_MS):
        desk.set_status_filter("hold")
    assert sorted(roots(desk)) == [5, 6]
    with qtbot.waitSignal(desk.thread_shown, timeout=WAIT_MS):
        desk.set_status_filter(None)
    with qtbot.waitSignal(desk.thread_shown, timeout=WAIT_MS):
        desk.set_search("mangere")  # accents do not matter
    assert roots(desk) == [2]
    with qtbot.waitSignal(desk.thread_shown, timeout=WAIT_MS):
        desk.set_search("nobody wrote this")
    assert desk.empty.isVisible() and desk.empty.text() == "No comment matches."
    with qtbot.waitSignal(desk.thread_shown, timeout=WAIT_MS):
        desk.set_search("")
    with qtbot.waitSignal(desk.thread_shown, timeout=WAIT_MS):
        desk.show_inbox()
    assert roots(desk) == [6, 5, 20] and desk.model.with_post
    assert not desk.bar.status.isEnabled()
    qtbot.waitUntil(
        lambda: desk.bar.view.currentText() == "Awaiting moderation, every site (3)", timeout=WAIT_MS
    )


def test_long_comments_fold_with_read_more(
    qtbot: QtBot, desk: CommentDesk, sample: tuple[int, int]
) -> None:
    show_piece(qtbot, desk, sample[0])
    index = desk.model.index_of(1)
    folded = desk.tree.visualRect(index).height()
    desk.tree.scrollTo(index)
    qtbot.waitUntil(lambda: 1 in desk.delegate._toggles, timeout=WAIT_MS)
    box = desk.delegate._toggles[1]
    with qtbot.waitSignal(desk.delegate.read_more_toggled, timeout=WAIT_MS) as unfolded:
        qtbot.mouseClick(desk.tree.viewport(), Qt.MouseButton.LeftButton, pos=box.center())
    assert unfolded.args == [1, True]
    qtbot.waitUntil(lambda: desk.tree.visualRect(index).height() > folded, timeout=WAIT_MS)
    assert READ_MORE == "Read more"


def test_hostile_html_is_shown_clean_and_pictures_wait_to_be_asked_for(
    qtbot: QtBot,
    desk: CommentDesk,
    sample: tuple[int, int],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Any,
) -> None:
    fetched: list[str] = []
    picture = write_png(tmp_path / "p.png", 40, 30, (200, 40, 40)).read_bytes()

    def fetch(url: str) -> bytes:
        fetched.append(url)
        return picture

    monkeypatch.setattr(CommentService, "fetch_image", staticmethod(fetch))
    show_piece(qtbot, desk, sample[0])
    select(desk, 5)
    shown = desk.reader.toHtml()
    for bad in ("alert", "script", "onerror", 'pixel.gif" width'):
        assert bad not in shown, bad
    assert "(198.51.100.7)" in desk.reader.toPlainText()
    assert "[image: 198.51.100.7]" in desk.reader.toPlainText()
    assert desk.load_images.isVisible() and fetched == []
    # nothing from outside loads unless it is a picture the user asked for
    assert (
        desk.reader.loadResource(QTextDocument.ResourceType.ImageResource.value, "http://x/y.png")
        is None
    )
    desk.load_images.trigger()
    qtbot.waitUntil(lambda: "<img" in desk.reader.toHtml(), timeout=WAIT_MS)
    assert fetched == ["http://198.51.100.7/pixel.gif"]


def test_actions_queue_and_show_as_pending(
    *,
    qtbot: QtBot,
    desk: CommentDesk,
    comments: CommentController,
    core: Core,
    sample: tuple[int, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    piece_id, _site = sample
    sent: list[list[int]] = []
    monkeypatch.setattr(CommentService, "send", lambda self, ids: sent.append(list(ids)) or [])
    show_piece(qtbot, desk, piece_id)
    select(desk, 6)
    actions = desk.action_table
    assert actions["comments/approve"].isEnabled() and not actions["comments/hold"].isEnabled()
    qtbot.waitUntil(lambda: comments.counts() == {piece_id: (0, 2, 8)}, timeout=WAIT_MS)  # seen
    actions["comments/approve"].trigger()
    qtbot.waitUntil(lambda: comments.counts() == {piece_id: (0, 1, 8)}, timeout=WAIT_MS)  # one less
    qtbot.waitUntil(lambda: bool(sent), timeout=WAIT_MS)
    qtbot.waitUntil(
        lambda: desk.reader.comment is not None and desk.reader.comment.pending == "approve",
        timeout=WAIT_MS,
    )
    assert "Approve waiting to be sent." in desk.reader.toPlainText()
    assert "1 action waiting to be sent" in desk.bar.state.text()

    # a reply, in Markdown, threaded under the comment, pending
    select(desk, 2)
    actions["comments/reply"].trigger()
    assert desk.reply.isVisible() and "Aroha Ngata" in desk.reply.context.text()
    desk.reply.editor.setPlainText("Thank you, *Aroha*.")
    desk.reply.preview_button.setChecked(True)
    qtbot.waitUntil(
        lambda: "Aroha" in desk.reply.preview.toHtml() and "italic" in desk.reply.preview.toHtml(),
        timeout=WAIT_MS,
    )
    with qtbot.waitSignal(desk.thread_shown, timeout=WAIT_MS):
        desk.reply.send_button.click()
    qtbot.waitUntil(lambda: len(sent) == 2, timeout=WAIT_MS)
    [mine] = [c for c in desk.model.comments() if c.mine]
    assert (mine.pending, mine.parent_author, mine.text) == ("reply", "Aroha Ngata", "Thank you, Aroha.")
    assert desk.model.index_of(mine.id).data(DEPTH_ROLE) == 2
    assert not desk.reply.isVisible()


def test_sync_runs_in_the_background_with_progress(
    qtbot: QtBot, desk: CommentDesk, comments: CommentController, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()

    def sync_all(self: CommentService, *, full: bool = False, progress: Any = None) -> SyncOutcome:
        progress(40, 100)
        assert release.wait(30)
        report = SyncReport(1, "The Evening Gazette", False, 2, 2, 0, 0, 5, "own", True)
        return SyncOutcome((report,), ())

    monkeypatch.setattr(CommentService, "sync_all", sync_all)
    with qtbot.waitSignal(comments.sync_started, timeout=WAIT_MS):
        assert comments.sync_now()
    assert not comments.sync_now()  # one at a time
    # the window keeps working meanwhile: events are handled, progress shows
    qtbot.waitUntil(lambda: desk.bar.progress.value() == 40, timeout=WAIT_MS)
    assert desk.bar.state.text() == "Syncing comments… 40 of 100"
    assert not desk.bar.sync_button.isEnabled()
    with qtbot.waitSignal(comments.sync_finished, timeout=WAIT_MS):
        release.set()
    assert desk.bar.sync_button.isEnabled() and not desk.bar.progress.isVisible()
    assert desk.bar.state.text().startswith("Synced at ") and "2 new comments" in desk.bar.state.text()


def test_open_piece_is_offered_for_a_piece(
    qtbot: QtBot, desk: CommentDesk, sample: tuple[int, int]
) -> None:
    show_piece(qtbot, desk, sample[0])
    assert desk.bar.open_piece.isVisible()
    with qtbot.waitSignal(desk.piece_requested, timeout=WAIT_MS) as asked:
        qtbot.mouseClick(desk.bar.open_piece, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert asked.args == [sample[0]]


@pytest.mark.expect_log("ui.messages", "WARNING", "not synced: Could not reach")
def test_a_piece_without_comments_and_a_failed_sync_say_so(
    qtbot: QtBot,
    desk: CommentDesk,
    comments: CommentController,
    core: Core,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from app.pieces.data import PieceData

    piece = core.pieces.create(PieceData(title="Unpushed"))
    assert piece.id is not None
    show_piece(qtbot, desk, piece.id)
    assert (
        desk.empty.isVisible()
        and desk.empty.text() == "No comments yet. New ones arrive with each sync."
    )
    qtbot.waitUntil(lambda: desk.bar.view.currentText() == "Unpushed — no comments yet", timeout=WAIT_MS)
    comments.refresh_posts()  # the list is made again: the piece stays chosen
    qtbot.waitUntil(lambda: not comments._runner.busy, timeout=WAIT_MS)
    assert desk.bar.view.currentText() == "Unpushed — no comments yet"

    def unreachable(self: object, site_id: int, **_kwargs: object) -> None:
        raise NetworkError("Could not reach gazette.example.")

    monkeypatch.setattr(CommentService, "sync", unreachable)
    monkeypatch.setattr(CommentService, "send_due", lambda self: [])
    with qtbot.waitSignal(comments.sync_finished, timeout=WAIT_MS) as synced:
        comments.sync_now()  # the site cannot be reached: the desk says so, and goes on
    [(name, error)] = synced.args[0].errors
    assert name == "The Evening Gazette" and str(error) == "Could not reach gazette.example."
    assert desk.bar.messages.isVisible()
    assert desk.bar.messages.text == f"Comments of The Evening Gazette not synced: {error}"
