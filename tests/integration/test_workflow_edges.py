"""Bad input and faults of the review: a category filter, an author's own publishing, a post trashed on
the site, a role the site changed meanwhile."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.errors import InvalidInputError
from app.outbox.queue import JobState
from app.pieces.data import PieceData
from app.pieces.workflow import Status
from tests.helpers.secret_service import SecretService
from tests.helpers.wp_server import WordPressServer
from tests.integration.conftest import Clock
from tests.integration.workflow_helpers import desk, new_piece, post

pytestmark = [pytest.mark.wordpress, pytest.mark.keyring]


def test_the_queue_filters_by_category_and_says_when_there_is_none(
    tmp_path: Path, wordpress: WordPressServer, secret_service: SecretService, clock: Clock
) -> None:
    wordpress.rest("POST", "/wp/v2/categories", json={"name": "Opinion"})
    with (
        desk(tmp_path / "columnist", wordpress, "contributor", clock) as writer,
        desk(tmp_path / "editor", wordpress, "editor", clock) as editor,
    ):
        opinion = writer.core.pieces.create(
            PieceData(title="Ban cars", body="Now.\n", categories=["Opinion"])
        )
        plain = new_piece(writer.core, "Tides")
        for piece in (opinion, plain):
            assert writer.send(writer.core.workflow.submit(piece.id, writer.site.id).id).done
        flow = editor.core.workflow
        assert [i.title for i in flow.queue(editor.site.id)] == ["Tides", "Ban cars"]
        assert [i.title for i in flow.queue(editor.site.id, category="Opinion")] == ["Ban cars"]
        assert len(flow.cached_queue(editor.site.id)) == 2  # a filtered look keeps the whole queue
        with pytest.raises(InvalidInputError, match="no category “Sport”"):
            flow.queue(editor.site.id, category="Sport")


def test_an_author_publishes_their_own_piece(
    tmp_path: Path, wordpress: WordPressServer, secret_service: SecretService, clock: Clock
) -> None:
    with desk(tmp_path / "author", wordpress, "author", clock) as author:
        piece = new_piece(author.core)
        outcome = author.send(author.core.workflow.submit(piece.id, author.site.id).id)
        post_id = int(outcome.job.result["post_id"])
        job = author.core.workflow.publish_now(piece.id)
        assert job.kind == "push"
        [done] = author.remote.worker().run_due()
        assert done.done, done.job.last_error
        assert post(wordpress, post_id)["status"] == "publish"
        author.sync()
        assert author.core.pieces.get(piece.id).status is Status.PUBLISHED


def test_a_trashed_post_and_a_changed_role_are_explained(
    tmp_path: Path, wordpress: WordPressServer, secret_service: SecretService, clock: Clock
) -> None:
    with (
        desk(tmp_path / "columnist", wordpress, "contributor", clock) as writer,
        desk(tmp_path / "editor", wordpress, "editor", clock) as editor,
    ):
        first, second = new_piece(writer.core, "One"), new_piece(writer.core, "Two")
        ids = []
        for piece in (first, second):
            job = writer.core.workflow.submit(piece.id, writer.site.id)
            ids.append(int(writer.send(job.id).job.result["post_id"]))
        opened = editor.core.workflow.open_post(editor.site.id, ids[1])

        wordpress.rest("DELETE", f"/wp/v2/posts/{ids[0]}")  # to the trash
        writer.sync()
        [report] = writer.last_reports
        assert len(report.problems) == 1 and "“One”" in report.problems[0]
        assert writer.core.pieces.get(first.id).status is Status.SUBMITTED  # nothing changed here

        # the site made the editor an author meanwhile: the approval is refused, and says so
        editor_id = wordpress.users["editor"]["id"]
        wordpress.run_php(f"(new WP_User({editor_id}))->set_role('author');")
        outcome = editor.send(editor.core.workflow.approve(opened.id, publish=True).id)
        assert outcome.job.state is JobState.FAILED
        assert outcome.job.error_kind == "permission"
        assert "Only editors and administrators may return or approve" in outcome.job.last_error
        assert post(wordpress, ids[1])["status"] == "pending"
