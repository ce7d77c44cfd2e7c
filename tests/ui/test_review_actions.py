"""The Review menu offline: what each role is offered on a piece, the local statuses the metadata
panel offers, WordPress's 60-second rule in the schedule dialog, the note a return needs, and a
refusal by the core said in words with nothing queued."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pytestqt.qtbot import QtBot

from app.core import Core
from tests.conftest import ExpectLog
from tests.helpers.review import ReviewParts, review_parts, seed_review
from tests.ui.conftest import WAIT_MS
from ui.metadata.fields import to_qdatetime
from ui.review.dialogs import ReturnDialog, ScheduleDialog

ACTIONS = ("review/submit", "review/return", "review/approve", "review/schedule",
           "review/publish-now", "review/timeline")  # fmt: skip


def open_piece(qtbot: QtBot, parts: ReviewParts, piece_id: int) -> None:
    parts.library.open_piece(piece_id)
    qtbot.waitUntil(
        lambda: parts.controller.review is not None and parts.controller.review.piece_id == piece_id,
        timeout=WAIT_MS,
    )


def offered(parts: ReviewParts) -> list[str]:
    return [i for i in ACTIONS if parts.table[i].isEnabled()]


def statuses(parts: ReviewParts) -> list[str]:
    combo = parts.metadata.status
    return [combo.itemText(i) for i in range(combo.count())]


def test_an_editor_is_offered_the_review_of_a_pending_piece(qtbot: QtBot, core: Core) -> None:
    sample = seed_review(core, "editor")
    with review_parts(qtbot, core) as parts:
        assert offered(parts) == []  # nothing open yet
        open_piece(qtbot, parts, sample.pending_id)
        assert offered(parts) == list(ACTIONS)
        assert statuses(parts) == ["Submitted", "Draft", "Changes requested", "Approved"]


def test_a_contributor_may_only_submit_and_take_back_to_draft(qtbot: QtBot, core: Core) -> None:
    sample = seed_review(core, "contributor")
    with review_parts(qtbot, core) as parts:
        open_piece(qtbot, parts, sample.pending_id)
        assert offered(parts) == ["review/submit", "review/timeline"]
        # the piece is Submitted: back to Draft is all a contributor may do here
        qtbot.waitUntil(lambda: statuses(parts) == ["Submitted", "Draft"], timeout=WAIT_MS)
        # a scheduled piece cannot be submitted again by its contributor
        open_piece(qtbot, parts, sample.scheduled_id)
        assert offered(parts) == ["review/timeline"]


def test_a_piece_on_no_site_keeps_personal_labels(qtbot: QtBot, core: Core) -> None:
    sample = seed_review(core, "contributor")
    with review_parts(qtbot, core) as parts:
        open_piece(qtbot, parts, sample.unlinked_id)
        assert offered(parts) == ["review/submit", "review/timeline"]
        qtbot.waitUntil(lambda: len(statuses(parts)) == 5, timeout=WAIT_MS)


def test_a_refused_action_says_why_and_queues_nothing(
    qtbot: QtBot, core: Core, expect_log: ExpectLog
) -> None:
    expect_log("ui.messages", "WARNING", r"does not allow you to approve")
    sample = seed_review(core, "contributor")
    with review_parts(qtbot, core) as parts:
        open_piece(qtbot, parts, sample.pending_id)
        with qtbot.waitSignal(parts.controller.actions.failed, timeout=WAIT_MS):
            parts.controller.actions.approve(sample.pending_id, None)
        assert "Contributor" in parts.messages.text
        assert "does not allow you to approve" in parts.messages.text
        assert core.workflow.waiting() == 0


def test_the_schedule_dialog_keeps_wordpress_minute(qtbot: QtBot) -> None:
    dialog = ScheduleDialog("Night buses")
    qtbot.addWidget(dialog)
    assert dialog.ok.isEnabled()  # it proposes a time far enough ahead
    assert dialog.moment() > datetime.now(UTC) + timedelta(minutes=2)
    dialog.when.setDateTime(to_qdatetime(datetime.now(UTC) + timedelta(seconds=30)))
    assert not dialog.ok.isEnabled()
    assert "less than two minutes away" in dialog.problem.text()
    assert "publishes at once" in dialog.problem.text()
    dialog.when.setDateTime(to_qdatetime(datetime.now(UTC) - timedelta(hours=1)))
    assert not dialog.ok.isEnabled()
    assert "has passed" in dialog.problem.text()
    dialog.soonest.click()
    assert dialog.ok.isEnabled()
    assert not dialog.problem.isVisibleTo(dialog)
    for control in (dialog.when, dialog.ok, dialog.soonest):
        assert control.accessibleName()


def test_a_return_needs_a_note(qtbot: QtBot) -> None:
    dialog = ReturnDialog("Night buses")
    qtbot.addWidget(dialog)
    assert not dialog.ok.isEnabled()
    dialog.note.setPlainText("   ")
    assert not dialog.ok.isEnabled()
    dialog.note.setPlainText("Tighten the lede.")
    assert dialog.ok.isEnabled()
    assert dialog.text() == "Tighten the lede."


def test_a_missed_schedule_is_raised_at_start_and_before_editing(
    qtbot: QtBot, core: Core, expect_log: ExpectLog
) -> None:
    expect_log("ui.messages", "WARNING", r"“Sunday crossword answers” was due on")
    seed_review(core, "editor", missed=True)
    [missed] = core.workflow.missed()
    with review_parts(qtbot, core) as parts:
        # the watchdog, from the library as last synced, when the window starts
        qtbot.waitUntil(lambda: "was due on" in parts.messages.text, timeout=WAIT_MS)
        assert "any edit of it on the site publishes it" in parts.messages.text
        assert parts.messages._action.text() == "Publish Now"  # noqa: SLF001
        parts.messages.clear()
        # and again when that piece is opened, before any edit
        open_piece(qtbot, parts, missed.piece_id)
        qtbot.waitUntil(lambda: "was due on" in parts.messages.text, timeout=WAIT_MS)
        assert parts.messages._action.isVisibleTo(parts.messages)  # noqa: SLF001
        assert parts.table["review/publish-now"].isEnabled()
