"""The review window against the real WordPress: a contributor's library submits (through the core),
an editor's window reviews: the queue, opening the post, return with a note, the inbox line after a
pieces sync with the writer's new text in the editor, approve and schedule, rescheduling from the
calendar, and Publish Now with the network cut (it waits in the outbox and lands once)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from app.pieces.workflow import Status
from tests.conftest import ExpectLog
from tests.helpers.fault_proxy import FaultProxy
from tests.helpers.review import ReviewParts, review_parts
from tests.helpers.secret_service import SecretService
from tests.helpers.wp_server import WordPressServer
from tests.integration.conftest import Clock
from tests.integration.workflow_helpers import desk, new_piece, post
from tests.ui.conftest import WAIT_MS
from ui.metadata.fields import to_qdatetime

pytestmark = [pytest.mark.wordpress, pytest.mark.keyring]


@pytest.fixture
def proxy(wordpress: WordPressServer) -> Iterator[FaultProxy]:
    with FaultProxy(wordpress.url) as running:
        yield running


def sent(qtbot: QtBot, parts: ReviewParts, trigger: object) -> list[object]:
    """Run *trigger* and wait until the review action it starts has been sent (or queued)."""
    with qtbot.waitSignal(parts.controller.actions.sent, timeout=60_000) as done:
        trigger()  # type: ignore[operator]
    outcomes: list[object] = done.args[0]
    return outcomes


def publish_now_confirmed(qtbot: QtBot, parts: ReviewParts) -> None:
    """Publish Now, and say yes when it asks with the checklist shown."""
    parts.table["review/publish-now"].trigger()
    qtbot.waitUntil(
        lambda: parts.window.findChild(QDialog, "checklistConfirm") is not None, timeout=WAIT_MS
    )
    dialog = parts.window.findChild(QDialog, "checklistConfirm")
    assert dialog is not None
    dialog.accept()


def wp_date(server: WordPressServer, post_id: int) -> datetime:
    return datetime.fromisoformat(str(post(server, post_id)["date_gmt"]) + "+00:00")


def open_from_queue(qtbot: QtBot, parts: ReviewParts, post_id: int) -> None:
    review, panel = parts.controller, parts.controller.panel
    with qtbot.waitSignal(review.queue_shown, timeout=WAIT_MS * 2):
        review.refresh_queue()
    assert [(p, t) for _s, p, t in panel.items()] == [(post_id, "Night buses")]
    assert panel.state.text() == "1 awaiting review, newest first."
    # opening it makes the linked piece and shows it in the editor
    panel.tree.setCurrentItem(panel.tree.topLevelItem(0))
    panel.open.click()
    wait_for_actions(qtbot, parts)
    assert parts.session.snapshot().body.startswith("The last bus leaves at midnight.")


def wait_for_actions(qtbot: QtBot, parts: ReviewParts) -> None:
    """Until the open piece's review is read and its actions offered."""
    qtbot.waitUntil(parts.table["review/approve"].isEnabled, timeout=WAIT_MS * 2)


def return_with_note(qtbot: QtBot, parts: ReviewParts, server: WordPressServer, post_id: int) -> None:
    parts.table["review/return"].trigger()
    dialog = parts.controller.return_dialog
    assert dialog is not None
    dialog.note.setPlainText("Who is on the bus?")
    [done] = sent(qtbot, parts, dialog.ok.click)
    assert done.done, done.job.last_error  # type: ignore[attr-defined]
    assert post(server, post_id)["status"] == "draft"
    qtbot.waitUntil(lambda: parts.session.snapshot().status is Status.CHANGES_REQUESTED, timeout=WAIT_MS)


def schedule_then_move(qtbot: QtBot, parts: ReviewParts, server: WordPressServer, post_id: int) -> None:
    """Approve and schedule an hour from now, then a day later from the calendar."""
    wait_for_actions(qtbot, parts)
    parts.table["review/schedule"].trigger()
    dialog = parts.controller.schedule_dialog
    assert dialog is not None
    at = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(hours=1)
    dialog.when.setDateTime(to_qdatetime(at))
    [done] = sent(qtbot, parts, dialog.ok.click)
    assert done.done, done.job.last_error  # type: ignore[attr-defined]
    assert post(server, post_id)["status"] == "future"
    assert wp_date(server, post_id) == at

    parts.table["review/calendar"].trigger()
    views = parts.controller.views
    qtbot.waitUntil(lambda: views.calendar_dialog is not None, timeout=WAIT_MS)
    calendar = views.calendar_dialog
    assert calendar is not None and calendar.can_reschedule
    calendar.show_days_of(at.astimezone().date())
    qtbot.waitUntil(lambda: bool(calendar.entries), timeout=WAIT_MS)
    [index] = [i for i, e in enumerate(calendar.entries) if e.post_id == post_id]
    later = at.astimezone().date() + timedelta(days=1)
    [done] = sent(qtbot, parts, lambda: calendar.move_entry(index, later))
    assert done.done, done.job.last_error  # type: ignore[attr-defined]
    assert wp_date(server, post_id) == at + timedelta(days=1)
    calendar.close()


def test_an_editor_reviews_in_the_window(
    *,
    qtbot: QtBot,
    tmp_path: Path,
    wordpress: WordPressServer,
    secret_service: SecretService,
    clock: Clock,
    proxy: FaultProxy,
    expect_log: ExpectLog,
) -> None:
    expect_log("ui.messages", "WARNING", r"Publish .* waits in the outbox")
    expect_log("app", "WARNING", r".", optional=True)  # the outbox's own note of the cut
    with (
        desk(tmp_path / "columnist", wordpress, "contributor", clock) as writer,
        desk(tmp_path / "editor", wordpress, "editor", clock, url=proxy.url) as editor,
    ):
        piece = new_piece(writer.core)
        outcome = writer.send(writer.core.workflow.submit(piece.id, writer.site.id).id)
        post_id = int(outcome.job.result["post_id"])

        with review_parts(qtbot, editor.core) as parts:
            review = parts.controller
            open_from_queue(qtbot, parts, post_id)
            return_with_note(qtbot, parts, wordpress, post_id)

            # revised and submitted again: the sync brings the inbox line and the new text
            revised = writer.core.pieces.get(piece.id)
            writer.core.pieces.save(revised.copy(body="Nurses ride it.\n\n" + revised.body))
            writer.send(writer.core.workflow.submit(piece.id, writer.site.id).id)
            with qtbot.waitSignal(review.sync_finished, timeout=60_000):
                review.sync_now()
            assert "1 piece awaits your review on Gazette" in parts.messages.text
            qtbot.waitUntil(
                lambda: parts.session.snapshot().body.startswith("Nurses ride it."),
                timeout=WAIT_MS,
            )

            schedule_then_move(qtbot, parts, wordpress, post_id)

            # Publish Now with the network cut: it waits, and lands once when the site answers
            proxy.stop()
            [waiting] = sent(qtbot, parts, lambda: publish_now_confirmed(qtbot, parts))
            assert waiting.job.waiting_to_retry  # type: ignore[attr-defined]
            assert "waits in the outbox" in parts.messages.text
            assert post(wordpress, post_id)["status"] == "future"
            proxy.start()
            clock.advance(3600)  # its retry is due
            with qtbot.waitSignal(review.sync_finished, timeout=60_000):
                review.sync_now()
            assert post(wordpress, post_id)["status"] == "publish"
            assert editor.core.workflow.waiting() == 0
            qtbot.waitUntil(lambda: parts.session.snapshot().status is Status.PUBLISHED, timeout=WAIT_MS)
            qtbot.waitUntil(lambda: not parts.table["review/approve"].isEnabled(), timeout=WAIT_MS)


def test_the_queue_offline_shows_the_cached_one_and_says_so(
    *,
    qtbot: QtBot,
    tmp_path: Path,
    wordpress: WordPressServer,
    secret_service: SecretService,
    clock: Clock,
    proxy: FaultProxy,
    expect_log: ExpectLog,
) -> None:
    expect_log("app", "WARNING", r".", optional=True)
    with (
        desk(tmp_path / "columnist", wordpress, "contributor", clock) as writer,
        desk(tmp_path / "editor", wordpress, "editor", clock, url=proxy.url) as editor,
    ):
        piece = new_piece(writer.core)
        writer.send(writer.core.workflow.submit(piece.id, writer.site.id).id)
        with review_parts(qtbot, editor.core) as parts:
            review, panel = parts.controller, parts.controller.panel
            with qtbot.waitSignal(review.queue_shown, timeout=WAIT_MS * 2):
                review.refresh_queue()
            assert len(panel.items()) == 1
            proxy.stop()
            with qtbot.waitSignal(review.queue_shown, timeout=WAIT_MS * 2):
                review.refresh_queue()
            assert [t for _s, _p, t in panel.items()] == ["Night buses"]
            assert panel.state.text().startswith("Offline: the queue as it was last fetched.")
            assert "Gazette did not answer" in panel.state.text()


def test_opening_a_piece_edited_here_and_on_the_site_shows_the_conflict_at_once(
    qtbot: QtBot, tmp_path: Path, wordpress: WordPressServer, secret_service: SecretService,
    clock: Clock,
) -> None:  # fmt: skip
    with (
        desk(tmp_path / "columnist", wordpress, "contributor", clock) as writer,
        desk(tmp_path / "editor", wordpress, "editor", clock) as editor,
    ):
        piece = new_piece(writer.core)
        outcome = writer.send(writer.core.workflow.submit(piece.id, writer.site.id).id)
        assert outcome.done, outcome.job.last_error
        post_id = int(outcome.job.result["post_id"])
        opened = editor.core.workflow.open_post(editor.site.id, post_id)
        assert opened.id is not None
        editor.core.pieces.save(opened.copy(body=opened.body + "\nMine, from the library.\n"))
        wordpress.rest("POST", f"/wp/v2/posts/{post_id}", "admin",
                       json={"content": "<p>Theirs, on the site.</p>"})  # fmt: skip
        with review_parts(qtbot, editor.core) as parts:
            with qtbot.waitSignal(parts.controller.conflict_found, timeout=WAIT_MS * 2) as found:
                parts.controller.open_post(editor.site.id, post_id)
            conflict = found.args[0].info
            assert (conflict.piece_id, conflict.post_id) == (opened.id, post_id)
            assert "Theirs, on the site." in conflict.theirs.content
            qtbot.waitUntil(lambda: parts.session.piece_id == opened.id, timeout=WAIT_MS)
            assert "Mine, from the library." in parts.session.snapshot().body  # kept
