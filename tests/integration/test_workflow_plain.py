"""The review round trip on a site without the companion plugin: WordPress's statuses alone, and the
app says plainly what is missing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.pieces.workflow import Status
from tests.helpers.secret_service import SecretService
from tests.helpers.wp_server import WordPressServer
from tests.integration.conftest import Clock
from tests.integration.workflow_helpers import (
    desk,
    move_schedule_into_past,
    new_piece,
    post,
    run_cron,
)

pytestmark = [pytest.mark.wordpress, pytest.mark.keyring]


def test_round_trip_with_wordpress_statuses_alone(
    tmp_path: Path, wordpress_plain: WordPressServer, secret_service: SecretService, clock: Clock
) -> None:
    wp = wordpress_plain
    with (
        desk(tmp_path / "columnist", wp, "contributor", clock) as writer,
        desk(tmp_path / "editor", wp, "editor", clock) as editor,
    ):
        about = editor.core.workflow.site(editor.site.id)
        assert about.features == frozenset()
        assert "has no Copydesk companion plugin" in about.missing[0]
        assert "note" in about.missing[0]

        piece = new_piece(writer.core)
        outcome = writer.send(writer.core.workflow.submit(piece.id, writer.site.id).id)
        assert outcome.done, outcome.job.last_error
        assert outcome.job.result["recorded_on_site"] is False
        post_id = int(outcome.job.result["post_id"])

        [item] = editor.core.workflow.queue(editor.site.id)
        assert (item.post_id, item.title, item.word_count) == (post_id, "Night buses", 12)
        opened = editor.core.workflow.open_post(editor.site.id, post_id)

        outcome = editor.send(editor.core.workflow.send_back(opened.id, "Shorter, please.").id)
        assert outcome.done, outcome.job.last_error
        assert outcome.job.result["note_on_site"] is False
        assert post(wp, post_id)["status"] == "draft"
        assert editor.core.pieces.get(opened.id).status is Status.CHANGES_REQUESTED
        writer.sync()
        # the site has no field for "changes requested": the writer sees a draft again
        assert writer.core.pieces.get(piece.id).status is Status.DRAFT

        assert writer.send(writer.core.workflow.submit(piece.id, writer.site.id).id).done
        editor.sync()
        assert editor.core.pieces.get(opened.id).status is Status.SUBMITTED

        at = datetime.now(UTC) + timedelta(hours=3)
        outcome = editor.send(editor.core.workflow.approve(opened.id, at=at).id)
        assert outcome.done, outcome.job.last_error
        assert post(wp, post_id)["status"] == "future"
        move_schedule_into_past(wp, post_id, 10)
        run_cron(wp)
        writer.sync()
        editor.sync()
        assert writer.core.pieces.get(piece.id).status is Status.PUBLISHED
        assert editor.core.pieces.get(opened.id).status is Status.PUBLISHED
        # the editor's own library keeps its side of the story
        actions = [e.action for e in editor.core.workflow.timeline(opened.id)]
        assert "returned" in actions and "scheduled" in actions
