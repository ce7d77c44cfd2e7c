"""An editor's own edits in the library: sent before an approval (once, even when the approval's
answer is lost), a conflict when the post changed on the site meanwhile; and opening a post whose
piece was edited here reports the conflict at once, in the core and on the command line."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.pieces.data import PieceData
from app.pieces.workflow import Status
from app.publishing.safety import PushConflictError
from tests.helpers.cli_runner import Cli
from tests.helpers.fault_proxy import FaultProxy, Request, route
from tests.helpers.secret_service import SecretService
from tests.helpers.wp_server import WordPressServer
from tests.integration.conftest import Clock
from tests.integration.workflow_helpers import Desk, desk, new_piece, post

pytestmark = [pytest.mark.wordpress, pytest.mark.keyring]

EDIT = "A sentence the editor wrote in the library."


@contextmanager
def submitted_and_opened(
    tmp_path: Path, wordpress: WordPressServer, clock: Clock, url: str = ""
) -> Iterator[tuple[Desk, Desk, int, int]]:
    """A contributor's piece submitted; the editor opened it: (writer, editor, editor's piece id,
    post id)."""
    with (
        desk(tmp_path / "columnist", wordpress, "contributor", clock, url=url) as writer,
        desk(tmp_path / "editor", wordpress, "editor", clock, url=url) as editor,
    ):
        piece = new_piece(writer.core)
        outcome = writer.send(writer.core.workflow.submit(piece.id, writer.site.id).id)
        assert outcome.done, outcome.job.last_error
        post_id = int(outcome.job.result["post_id"])
        opened = editor.core.workflow.open_post(editor.site.id, post_id)
        assert opened.id is not None
        yield writer, editor, opened.id, post_id


def edit_here(editor: Desk, piece_id: int) -> PieceData:
    piece = editor.core.pieces.get(piece_id)
    return editor.core.pieces.save(piece.copy(body=piece.body + "\n" + EDIT + "\n"))


def edit_on_site(wordpress: WordPressServer, post_id: int) -> None:
    wordpress.rest(
        "POST", f"/wp/v2/posts/{post_id}", "admin", json={"content": "<p>Rewritten on the site.</p>"}
    )


def raw_content(wordpress: WordPressServer, post_id: int) -> str:
    content = post(wordpress, post_id)["content"]
    assert isinstance(content, dict)
    return str(content["raw"])


@pytest.mark.parametrize("action", ["approve", "schedule", "publish"])
def test_approving_sends_the_editors_own_edits_first(
    tmp_path: Path,
    wordpress: WordPressServer,
    secret_service: SecretService,
    clock: Clock,
    action: str,
) -> None:
    with submitted_and_opened(tmp_path, wordpress, clock) as (writer, editor, piece_id, post_id):
        edit_here(editor, piece_id)
        flow = editor.core.workflow
        at = datetime.now(UTC) + timedelta(hours=2)
        job = flow.approve(piece_id, at=at if action == "schedule" else None,
                           publish=action == "publish")  # fmt: skip
        outcome = editor.send(job.id)
        assert outcome.done, outcome.job.last_error
        assert EDIT in raw_content(wordpress, post_id)
        status = {"approve": "pending", "schedule": "future", "publish": "publish"}[action]
        assert post(wordpress, post_id)["status"] == status
        steps = [e.action for e in flow.timeline(piece_id) if e.source == "local"]
        assert steps.count("pushed") == 1
        writer.sync()
        [report] = writer.last_reports
        assert report.conflicts == []
        if action == "approve":  # the columnist gets the editor's text back as a new revision
            link = writer.remote.links.by_remote(writer.site.id, post_id)
            assert link is not None
            assert EDIT in writer.core.pieces.get(link.piece_id).body


def test_the_edits_are_sent_once_when_the_approvals_answer_is_lost(
    tmp_path: Path, wordpress: WordPressServer, secret_service: SecretService, clock: Clock
) -> None:
    def approve_route(request: Request) -> bool:
        return request.method == "POST" and route(request).endswith("/approve")

    with (
        FaultProxy(wordpress.url) as proxy,
        submitted_and_opened(tmp_path, wordpress, clock, proxy.url) as (_w, editor, piece_id, post_id),
    ):
        edit_here(editor, piece_id)
        proxy.add(approve_route, "drop")
        outcome = editor.send(editor.core.workflow.approve(piece_id).id)
        assert not outcome.done and outcome.job.error_kind == "lost"
        clock.advance(120)
        [landed] = editor.core.workflow.send_due()
        assert landed.done, landed.job.last_error
        review = wordpress.rest("GET", f"/copydesk/v1/reviews/{post_id}", "editor")
        assert review["state"] == "approved"
        assert EDIT in raw_content(wordpress, post_id)


def test_edits_here_and_on_the_site_are_a_conflict_and_nothing_is_approved(
    tmp_path: Path, wordpress: WordPressServer, secret_service: SecretService, clock: Clock
) -> None:
    with submitted_and_opened(tmp_path, wordpress, clock) as (_writer, editor, piece_id, post_id):
        edit_here(editor, piece_id)
        edit_on_site(wordpress, post_id)
        outcome = editor.send(editor.core.workflow.approve(piece_id).id)
        assert not outcome.done
        assert isinstance(outcome.error, PushConflictError)
        assert outcome.error.info.post_id == post_id
        assert raw_content(wordpress, post_id) == "<p>Rewritten on the site.</p>"
        review = wordpress.rest("GET", f"/copydesk/v1/reviews/{post_id}", "editor")
        assert review["state"] == "submitted"
        assert EDIT in editor.core.pieces.get(piece_id).body


MakeCli = Callable[[Path], Cli]


@pytest.fixture
def make_cli(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    secret_service: SecretService,
) -> MakeCli:
    return lambda folder: Cli(capsys, monkeypatch, folder)


def test_opening_a_post_edited_both_here_and_on_the_site_reports_the_conflict_at_once(
    tmp_path: Path, wordpress: WordPressServer, clock: Clock, make_cli: MakeCli
) -> None:
    with submitted_and_opened(tmp_path, wordpress, clock) as (_writer, editor, piece_id, post_id):
        edit_here(editor, piece_id)
        edit_on_site(wordpress, post_id)
        opened = editor.core.workflow.open_post_checked(editor.site.id, post_id)
        assert opened.piece.id == piece_id and EDIT in opened.piece.body  # kept
        assert opened.conflict is not None
        assert opened.conflict.post_id == post_id
        assert "Rewritten on the site." in opened.conflict.theirs.content
        assert editor.core.pieces.get(piece_id).status is Status.SUBMITTED
    code, out, err = make_cli(tmp_path / "editor")("review", "open", str(post_id), "--site", "Gazette")
    assert code == 1
    assert out == f"{piece_id}\n"
    assert err.startswith("copydesk: conflict: “Night buses” was changed both here and on the site")


def test_opening_a_post_edited_only_here_keeps_the_edits_without_a_conflict(
    tmp_path: Path, wordpress: WordPressServer, secret_service: SecretService, clock: Clock
) -> None:
    with submitted_and_opened(tmp_path, wordpress, clock) as (_writer, editor, piece_id, post_id):
        edit_here(editor, piece_id)
        opened = editor.core.workflow.open_post_checked(editor.site.id, post_id)
        assert opened.conflict is None
        assert EDIT in opened.piece.body
