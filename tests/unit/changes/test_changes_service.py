"""Tracked changes in one library, offline: the base, the review, its revision and timeline entry."""

from __future__ import annotations

from app.core import Core
from app.pieces.data import PieceData
from app.pieces.workflow import Status

BODY = "The last bus leaves at midnight.\n\nNobody on it is going home.\n"


def test_the_editor_sees_what_came_back_since_the_return_and_the_result_is_a_revision(
    core: Core,
) -> None:
    created = core.pieces.create(PieceData(title="Night buses", body=BODY, status=Status.SUBMITTED))
    assert created.id is not None
    piece_id = created.id
    assert core.changes.review(piece_id) is None  # nothing came back
    core.pieces.set_status(piece_id, Status.CHANGES_REQUESTED, note="Returned")  # the return
    back = BODY.replace("midnight", "half past twelve").replace("going home", "heading home")
    core.pieces.save(core.pieces.get(piece_id).copy(body=back), reason="pulled")

    found = core.changes.review(piece_id)
    assert found is not None
    base, review = found
    assert base.text == BODY and base.label == "the version you returned"
    first, second = review.changes
    review.accept(first.id)
    review.reject(second.id)
    saved = core.changes.finish(piece_id, review)
    assert saved.body == BODY.replace("midnight", "half past twelve")
    assert core.pieces.revisions.history(piece_id)[0].reason == "reviewed"
    [event] = [e for e in core.workflow.timeline(piece_id) if e.action == "changes-reviewed"]
    assert event.note == "1 accepted, 1 rejected"
    assert core.changes.review(piece_id) is None  # reviewed: nothing left


def test_a_local_edit_merges_with_the_site_version_from_the_base(core: Core) -> None:
    created = core.pieces.create(PieceData(title="Night buses", body=BODY, status=Status.SUBMITTED))
    assert created.id is not None
    piece_id = created.id
    core.pieces.set_status(piece_id, Status.CHANGES_REQUESTED)
    core.pieces.save(core.pieces.get(piece_id).copy(body=BODY.replace("Nobody on it", "Nobody aboard")))
    result = core.changes.merge(piece_id, BODY.replace("midnight", "12.30"))
    assert result.clean
    assert result.text() == BODY.replace("Nobody on it", "Nobody aboard").replace("midnight", "12.30")
