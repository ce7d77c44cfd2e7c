"""The desk's sync line is not undone by a list of posts read before the sync ended."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.comments import SyncReport
from app.comments.service import CommentService, SyncOutcome
from app.core import Core
from tests.helpers.comments import seed_sample, shown_desk
from tests.ui.conftest import WAIT_MS

BLOCK_S = 30


def test_a_posts_list_read_before_a_sync_ended_does_not_undo_its_state_line(
    qtbot: QtBot, qapp: QApplication, core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_sample(core)
    with shown_desk(qtbot, core) as (desk, comments):
        runner = comments._runner
        qtbot.waitUntil(lambda: not runner.busy, timeout=WAIT_MS)  # the first lists are shown
        synced: list[datetime] = []
        # each list of posts ends with waiting(); hold the first two there, one after the other
        asked = [threading.Event(), threading.Event()]
        gates = [threading.Event(), threading.Event()]
        calls: list[int] = []
        real_waiting = CommentService.waiting
        shown: list[object] = []
        real_show = desk.show_posts

        def gated_waiting(self: CommentService) -> int:
            number = len(calls)
            calls.append(number)
            if number < len(gates):
                asked[number].set()
                gates[number].wait(BLOCK_S)
            return real_waiting(self)

        def sync_all(self: CommentService, *, full: bool = False, progress: Any = None) -> SyncOutcome:
            synced.append(datetime.now(UTC))
            report = SyncReport(1, "The Evening Gazette", False, 2, 2, 0, 0, 5, "own", True)
            return SyncOutcome((report,), ())

        def show_posts(*args: Any) -> None:
            shown.append(args)
            real_show(*args)

        monkeypatch.setattr(CommentService, "waiting", gated_waiting)
        monkeypatch.setattr(CommentService, "last_synced", lambda self: synced[-1] if synced else None)
        monkeypatch.setattr(CommentService, "sync_all", sync_all)
        monkeypatch.setattr(desk, "show_posts", show_posts)
        try:
            comments.refresh_posts()  # read before the sync: "not synced yet"
            assert asked[0].wait(BLOCK_S)
            with qtbot.waitSignal(comments.sync_finished, timeout=WAIT_MS):
                assert comments.sync_now()
            assert desk.bar.state.text().startswith("Synced at ")
            assert asked[1].wait(BLOCK_S)  # the sync asked for the lists again
            gates[0].set()
            qtbot.waitUntil(lambda: len(shown) == 1, timeout=WAIT_MS)  # the old list arrives
            assert desk.bar.state.text().startswith("Synced at ")
        finally:
            for gate in gates:
                gate.set()
        qtbot.waitUntil(lambda: not runner.busy, timeout=WAIT_MS)
        assert len(shown) == 2 and desk.bar.state.text().startswith("Last synced ")
