"""Tracked changes against the real WordPress with two libraries: the editor changes the submitted
piece, the columnist's sync brings the changes back to decide on one by one; and when the columnist
edited too, a three-way merge from the submitted version, with the overlapping change to choose."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.pieces.workflow import Status
from tests.helpers.secret_service import SecretService
from tests.helpers.wp_server import WordPressServer
from tests.integration.conftest import Clock
from tests.integration.workflow_helpers import Desk, desk, new_piece, post

pytestmark = [pytest.mark.wordpress, pytest.mark.keyring]

BODY = (
    "The last bus leaves at midnight.\n\n"
    "Nobody on it is going home: nurses and bakers ride it to work.\n\n"
    "The council wants to cut it.\n"
)


def submit(writer: Desk, piece_id: int) -> int:
    outcome = writer.send(writer.core.workflow.submit(piece_id, writer.site.id).id)
    assert outcome.done, outcome.job.last_error
    return int(outcome.job.result["post_id"])


def edit_and_return(
    wordpress: WordPressServer, editor: Desk, post_id: int, change: dict[str, str]
) -> None:
    """The editor changes the post's text on the site, then returns it to the writer."""
    content = str(post(wordpress, post_id)["content"]["raw"])  # type: ignore[index]
    for old, new in change.items():
        assert old in content
        content = content.replace(old, new)
    wordpress.rest("POST", f"/wp/v2/posts/{post_id}", json={"content": content})
    opened = editor.core.workflow.open_post(editor.site.id, post_id)
    assert opened.id is not None
    outcome = editor.send(editor.core.workflow.send_back(opened.id, "See my edits").id)
    assert outcome.done, outcome.job.last_error


def test_the_editors_changes_come_back_and_are_accepted_and_rejected_one_by_one(
    tmp_path: Path, wordpress: WordPressServer, secret_service: SecretService, clock: Clock
) -> None:
    with (
        desk(tmp_path / "columnist", wordpress, "contributor", clock) as writer,
        desk(tmp_path / "editor", wordpress, "editor", clock) as editor,
    ):
        piece = new_piece(writer.core, body=BODY)
        assert piece.id is not None
        post_id = submit(writer, piece.id)
        edit_and_return(
            wordpress, editor, post_id,
            {"midnight": "half past twelve", "nurses and bakers": "nurses, bakers and cleaners",
             "cut it": "cut it in April"},
        )  # fmt: skip

        writer.sync()
        [report] = writer.last_reports
        assert report.text_updated == [piece.id] and report.conflicts == []
        assert writer.core.pieces.get(piece.id).status is Status.CHANGES_REQUESTED
        found = writer.core.changes.review(piece.id)
        assert found is not None
        base, review = found
        assert base.text == BODY and base.label == "the version you submitted"
        assert [(c.removed, c.inserted) for c in review.changes] == [
            ("midnight", "half past twelve"),
            (" and bakers", ", bakers and cleaners"),
            ("", " in April"),
        ]
        first, second, third = review.changes
        review.accept(first.id)
        review.reject(second.id)
        review.accept(third.id)
        revisions = len(writer.core.pieces.revisions.history(piece.id))
        saved = writer.core.changes.finish(piece.id, review)

        expected = BODY.replace("midnight", "half past twelve").replace("cut it", "cut it in April")
        assert saved.body == expected
        history = writer.core.pieces.revisions.history(piece.id)
        assert len(history) == revisions + 1 and history[0].reason == "reviewed"
        entries = writer.core.workflow.timeline(piece.id)
        assert [e.note for e in entries if e.action == "changes-reviewed"] == ["2 accepted, 1 rejected"]
        assert writer.core.changes.review(piece.id) is None

        # submitted again: the editor sees what the columnist changed since the return
        assert submit(writer, piece.id) == post_id
        editor.sync()
        [opened_id] = [p.id for p in editor.core.pieces.summaries()]
        found = editor.core.changes.review(opened_id)
        assert found is not None
        base, review = found
        assert base.label == "the version you returned" and "nurses, bakers and cleaners" in base.text
        assert [(c.removed, c.inserted) for c in review.changes] == [
            (", bakers and cleaners", " and bakers")
        ]
        assert review.current == expected


def test_a_local_edit_and_the_editors_merge_with_the_overlapping_change_to_choose(
    tmp_path: Path, wordpress: WordPressServer, secret_service: SecretService, clock: Clock
) -> None:
    with (
        desk(tmp_path / "columnist", wordpress, "contributor", clock) as writer,
        desk(tmp_path / "editor", wordpress, "editor", clock) as editor,
    ):
        piece = new_piece(writer.core, body=BODY)
        assert piece.id is not None
        post_id = submit(writer, piece.id)
        # the columnist goes on editing meanwhile
        mine = BODY.replace("midnight", "ten to one").replace("going home", "heading home")
        writer.core.pieces.save(writer.core.pieces.get(piece.id).copy(body=mine))
        edit_and_return(wordpress, editor, post_id, {"midnight": "12.30", "cut it": "cut it in April"})

        writer.sync()
        [report] = writer.last_reports
        [conflict] = report.conflicts  # nothing overwritten
        assert writer.core.pieces.get(piece.id).body == mine
        result = writer.core.changes.merge(piece.id, conflict.theirs_piece.body)
        [overlap] = result.conflicts
        assert (overlap.base, overlap.mine, overlap.theirs) == ("midnight", "ten to one", "12.30")
        merged = result.text({overlap.index: "theirs"})
        assert merged == BODY.replace("midnight", "12.30").replace("going home", "heading home").replace(
            "cut it", "cut it in April"
        )

        piece_now = writer.core.pieces.get(piece.id)
        pushed = writer.core.remote.publisher.push_merged(conflict, piece_now.copy(body=merged))
        assert pushed.post_id == post_id
        assert writer.core.pieces.get(piece.id).body == merged
        content = str(post(wordpress, post_id)["content"]["raw"])  # type: ignore[index]
        assert "12.30" in content and "heading home" in content and "in April" in content
        assert "ten to one" not in content
