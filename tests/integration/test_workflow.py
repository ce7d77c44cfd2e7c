"""The editorial workflow against the real WordPress with the companion plugin: a contributor's and
an editor's library (two data folders, two users) work one piece through review."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.errors import PermissionDenied
from app.outbox.queue import JobState
from app.pieces.workflow import Status
from tests.helpers.secret_service import SecretService
from tests.helpers.wp_server import WordPressServer
from tests.integration.conftest import Clock
from tests.integration.workflow_helpers import (
    Desk,
    desk,
    move_schedule_into_past,
    new_piece,
    post,
    run_cron,
)

pytestmark = [pytest.mark.wordpress, pytest.mark.keyring]


def assert_timeline(writer: Desk, piece_id: int, note: str) -> None:
    """The timeline, merged from the site and the library: who, when, from which machine."""
    entries = writer.core.workflow.timeline(piece_id)
    site_steps = [(e.action, e.to_status, e.machine) for e in entries if e.source == "site"]
    assert ("submitted", "pending", "contributor-machine") in site_steps
    assert ("returned", "draft", "editor-machine") in site_steps
    assert ("scheduled", "future", "editor-machine") in site_steps
    assert ("status", "publish", "") in site_steps
    returned = [e for e in entries if e.action == "returned" and e.source == "site"]
    assert [(e.user_name, e.note) for e in returned] == [("Editor", note)]
    assert len([e for e in entries if e.action == "submitted" and e.source == "site"]) == 2
    assert any(e.source == "local" and e.action == "submitted" for e in entries)


def schedule_and_publish(
    wordpress: WordPressServer,
    writer: Desk,
    editor: Desk,
    *,
    piece_id: int,
    opened_id: int,
    post_id: int,
) -> None:
    """Approved for an hour from now, the time comes, the cron runs: published in both libraries."""
    # approved for an hour from now: scheduled on the site
    at = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=1)
    outcome = editor.send(editor.core.workflow.approve(opened_id, at=at).id)
    assert outcome.done, outcome.job.last_error
    assert post(wordpress, post_id)["status"] == "future"
    assert editor.core.pieces.get(opened_id).status is Status.SCHEDULED
    writer.sync()
    assert writer.core.pieces.get(piece_id).status is Status.SCHEDULED

    # the time comes, the site's cron runs: published, in both libraries
    move_schedule_into_past(wordpress, post_id, 10)
    run_cron(wordpress)
    assert post(wordpress, post_id)["status"] == "publish"
    writer.sync()
    editor.sync()
    assert writer.core.pieces.get(piece_id).status is Status.PUBLISHED
    assert editor.core.pieces.get(opened_id).status is Status.PUBLISHED


def test_submit_return_resubmit_schedule_and_publish_in_both_libraries(
    tmp_path: Path, wordpress: WordPressServer, secret_service: SecretService, clock: Clock
) -> None:
    with (
        desk(tmp_path / "columnist", wordpress, "contributor", clock) as writer,
        desk(tmp_path / "editor", wordpress, "editor", clock) as editor,
    ):
        piece = new_piece(writer.core)
        outcome = writer.send(writer.core.workflow.submit(piece.id, writer.site.id).id)
        assert outcome.done, outcome.job.last_error
        post_id = int(outcome.job.result["post_id"])
        assert post(wordpress, post_id)["status"] == "pending"
        assert writer.core.pieces.get(piece.id).status is Status.SUBMITTED

        # the editor sees it in the queue, with its byline, words and who submitted it
        items = editor.core.workflow.queue(editor.site.id)
        assert [(i.post_id, i.title, i.byline, i.submitted_by) for i in items] == [
            (post_id, "Night buses", "Contributor", "Contributor")
        ]
        assert items[0].word_count == 12  # as the library counts the piece
        opened = editor.core.workflow.open_post(editor.site.id, post_id)
        assert opened.body.startswith("The last bus leaves at midnight.")
        assert opened.status is Status.SUBMITTED

        # returned with a note
        note = "Tighten the lede; who is on the bus?"
        outcome = editor.send(editor.core.workflow.send_back(opened.id, note).id)
        assert outcome.done, outcome.job.last_error
        assert post(wordpress, post_id)["status"] == "draft"
        assert editor.core.pieces.get(opened.id).status is Status.CHANGES_REQUESTED

        writer.sync()
        [report] = writer.last_reports
        assert report.returned == [piece.id]
        assert report.inbox == ["1 piece returned to you on Gazette"]
        assert writer.core.pieces.get(piece.id).status is Status.CHANGES_REQUESTED
        state = writer.core.workflow.store.state(piece.id, writer.site.id)
        assert state is not None and state.note == note

        # revised and submitted again; the editor's library gets the new text as a revision
        revised = writer.core.pieces.get(piece.id)
        writer.core.pieces.save(
            revised.copy(body="Nurses and bakers ride the last bus.\n\n" + revised.body)
        )
        outcome = writer.send(writer.core.workflow.submit(piece.id, writer.site.id).id)
        assert outcome.done, outcome.job.last_error
        assert int(outcome.job.result["post_id"]) == post_id  # the same post, not a second one

        editor.sync()
        [report] = editor.last_reports
        assert report.text_updated == [opened.id]
        assert report.awaiting_review == 1
        again = editor.core.pieces.get(opened.id)
        assert again.body.startswith("Nurses and bakers")
        assert again.status is Status.SUBMITTED
        reasons = [r.reason for r in editor.core.pieces.revisions.history(opened.id)]
        assert "pulled" in reasons

        schedule_and_publish(
            wordpress, writer, editor, piece_id=piece.id, opened_id=opened.id, post_id=post_id
        )
        assert_timeline(writer, piece.id, note)


def test_a_contributor_cannot_publish_or_approve(
    tmp_path: Path, wordpress: WordPressServer, secret_service: SecretService, clock: Clock
) -> None:
    with desk(tmp_path / "columnist", wordpress, "contributor", clock) as writer:
        piece = new_piece(writer.core)
        assert writer.send(writer.core.workflow.submit(piece.id, writer.site.id).id).done
        flow = writer.core.workflow
        with pytest.raises(PermissionDenied, match=r"Contributor\) does not allow you to publish"):
            flow.publish_now(piece.id)
        with pytest.raises(PermissionDenied, match="approve pieces"):
            flow.approve(piece.id)
        with pytest.raises(PermissionDenied, match="cannot set it"):
            flow.set_status(piece.id, Status.PUBLISHED)
        assert [j.kind for j in writer.remote.outbox.jobs([JobState.QUEUED])] == []
        assert writer.core.pieces.get(piece.id).status is Status.SUBMITTED
        # the plugin refuses it too, whatever the app believes about the role
        reply = wordpress.rest("GET", "/copydesk/v1/status", "contributor")
        assert reply["can_review"] is False


def test_a_moved_post_is_not_approved_over_someone_elses_change(
    tmp_path: Path, wordpress: WordPressServer, secret_service: SecretService, clock: Clock
) -> None:
    with (
        desk(tmp_path / "columnist", wordpress, "contributor", clock) as writer,
        desk(tmp_path / "editor", wordpress, "editor", clock) as editor,
    ):
        piece = new_piece(writer.core)
        post_id = int(
            writer.send(writer.core.workflow.submit(piece.id, writer.site.id).id).job.result["post_id"]
        )
        opened = editor.core.workflow.open_post(editor.site.id, post_id)
        # another editor changes the text on the site meanwhile
        wordpress.rest("POST", f"/wp/v2/posts/{post_id}", json={"content": "<p>Rewritten.</p>"})
        outcome = editor.send(editor.core.workflow.approve(opened.id, publish=True).id)
        assert not outcome.done
        assert outcome.job.state is JobState.FAILED
        assert "changed the post on the site since you looked at it" in outcome.job.last_error
        assert post(wordpress, post_id)["status"] == "pending"


def test_missed_schedule_is_raised_with_publish_now(
    tmp_path: Path, wordpress: WordPressServer, secret_service: SecretService, clock: Clock
) -> None:
    with (
        desk(tmp_path / "columnist", wordpress, "contributor", clock) as writer,
        desk(tmp_path / "editor", wordpress, "editor", clock) as editor,
    ):
        piece = new_piece(writer.core)
        post_id = int(
            writer.send(writer.core.workflow.submit(piece.id, writer.site.id).id).job.result["post_id"]
        )
        opened = editor.core.workflow.open_post(editor.site.id, post_id)
        at = datetime.now(UTC) + timedelta(hours=2)
        assert editor.send(editor.core.workflow.approve(opened.id, at=at).id).done
        move_schedule_into_past(wordpress, post_id, 6 * 60)  # six minutes late, no cron ran
        editor.sync()
        [report] = editor.last_reports
        assert [m.post_id for m in report.missed] == [post_id]
        assert "has not published it" in report.missed[0].message
        assert [m.piece_id for m in editor.core.workflow.missed()] == [opened.id]
        warning = editor.core.workflow.edit_warning(opened.id)
        assert warning is not None and "any edit of it on the site publishes it" in warning
        outcome = editor.send(editor.core.workflow.publish_now(opened.id).id)
        assert outcome.done, outcome.job.last_error
        assert post(wordpress, post_id)["status"] == "publish"
        assert editor.core.workflow.missed() == []


def test_a_sync_where_nothing_changed_costs_one_request_a_hundred_pieces(
    tmp_path: Path, wordpress: WordPressServer, secret_service: SecretService, clock: Clock
) -> None:
    with (
        desk(tmp_path / "columnist", wordpress, "contributor", clock) as writer,
        desk(tmp_path / "editor", wordpress, "editor", clock) as editor,
    ):
        posts = []
        for title in ("One", "Two", "Three"):
            piece = new_piece(writer.core, title)
            outcome = writer.send(writer.core.workflow.submit(piece.id, writer.site.id).id)
            posts.append(int(outcome.job.result["post_id"]))
        for post_id in posts:
            editor.core.workflow.open_post(editor.site.id, post_id)
        writer.sync()
        editor.sync()
        writer.sync()
        editor.sync()
        [mine] = writer.last_reports
        [theirs] = editor.last_reports
        assert (mine.checked, mine.requests) == (3, 1)  # /copydesk/v1/reviews?ids=...
        assert (theirs.checked, theirs.requests) == (3, 2)  # and how many await review
        assert theirs.awaiting_review == 3
        assert mine.status_changed == mine.text_updated == theirs.text_updated == []


def test_an_editor_who_pushed_their_own_edit_can_still_return_the_piece(
    tmp_path: Path, wordpress: WordPressServer, secret_service: SecretService, clock: Clock
) -> None:
    """The editor's own push moves the post's modified time; the review actions must expect it."""
    with (
        desk(tmp_path / "columnist", wordpress, "contributor", clock) as writer,
        desk(tmp_path / "editor", wordpress, "editor", clock) as editor,
    ):
        piece = new_piece(writer.core)
        outcome = writer.send(writer.core.workflow.submit(piece.id, writer.site.id).id)
        assert outcome.done, outcome.job.last_error
        post_id = int(outcome.job.result["post_id"])
        opened = editor.core.workflow.open_post(editor.site.id, post_id)

        edited = editor.core.pieces.save(opened.copy(body=opened.body + "\n\nA line from the desk."))
        editor.remote.publisher.push(edited.id, editor.site.id)

        outcome = editor.send(editor.core.workflow.send_back(opened.id, "One more pass, please.").id)
        assert outcome.done, outcome.job.last_error
        assert post(wordpress, post_id)["status"] == "draft"
