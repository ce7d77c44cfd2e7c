"""Tracked changes of a piece (``core.changes``): the base version, the review, its result.

The base is a revision the workflow keeps already. For the writer it is the version they submitted
(``review_states.submitted_revision_id``, remembered by the submit job); for the editor, the version
at the return (the revision the return's status change made; a library that submitted the piece
looks only at its submissions, since its own sync changes the status too). Changes come back from
the site as a ``pulled`` revision (a pieces sync, or taking the site's version); a review is pending
while the newest ``pulled`` revision has no ``reviewed`` revision after it and differs from its base.

When the writer edited the piece meanwhile, the sync keeps both (it reports a conflict): then the
three-way merge of :mod:`app.changes.merge` combines their changes and the editor's from the base.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.changes.merge import MergeResult, merge
from app.changes.tracked import TrackedReview
from app.pieces.data import PieceData
from app.pieces.library import PieceLibrary
from app.pieces.revisions import RevisionInfo
from app.pieces.workflow import Status
from app.workflow.store import WorkflowStore


@dataclass(frozen=True)
class ReviewBase:
    revision_id: int
    text: str
    label: str  # "the version you submitted", in words


class ChangeService:
    def __init__(self, pieces: PieceLibrary, store: WorkflowStore, *, machine: str = "") -> None:
        self._pieces = pieces
        self._store = store
        self._machine = machine

    def _submitted_ids(self, piece_id: int) -> set[int]:
        return {
            s.submitted_revision_id
            for s in self._store.states()
            if s.piece_id == piece_id and s.submitted_revision_id is not None
        }

    def _base_in(self, piece_id: int, older: list[RevisionInfo]) -> ReviewBase | None:
        """The newest base among *older* (revisions, newest first)."""
        submitted = self._submitted_ids(piece_id)
        for info in older:
            if submitted:  # the writer's library: the sync's own status changes are no base
                if info.id not in submitted:
                    continue
                label = "the version you submitted"
            elif info.reason == "status" and info.status == Status.CHANGES_REQUESTED.value:
                label = "the version you returned"
            else:
                continue
            return ReviewBase(info.id, self._pieces.revisions.content(info.id).body, label)
        return None

    def base(self, piece_id: int) -> ReviewBase | None:
        """The version the changes that came back are compared with (None: nothing came back)."""
        history = self._pieces.revisions.history(piece_id)
        for index, info in enumerate(history):
            if info.reason == "reviewed":
                return None  # the last changes that came back were reviewed
            if info.reason == "pulled":
                return self._base_in(piece_id, history[index + 1 :])
        return None

    def merge_base(self, piece_id: int) -> ReviewBase | None:
        """The newest base whatever came after it: the common ancestor of a three-way merge."""
        return self._base_in(piece_id, self._pieces.revisions.history(piece_id))

    def review(self, piece_id: int) -> tuple[ReviewBase, TrackedReview] | None:
        """The changes to decide on the piece, or None when there are none."""
        base = self.base(piece_id)
        if base is None:
            return None
        current = self._pieces.get(piece_id).body
        if current == base.text:
            return None
        return base, TrackedReview(base.text, current)

    def finish(self, piece_id: int, review: TrackedReview) -> PieceData:
        """Keep the review's result as a new revision, and record it in the timeline."""
        piece = self._pieces.get(piece_id)
        saved = self._pieces.save(piece.copy(body=review.current), reason="reviewed")
        self._store.add_event(
            piece_id=piece_id, site_id=None, post_id=None, action="changes-reviewed",
            to_status=saved.status.value, machine=self._machine, note=review.summary(),
        )  # fmt: skip
        return saved

    def merge(self, piece_id: int, theirs: str) -> MergeResult:
        """The piece's text merged with *theirs* (the site's), both from the base version."""
        base = self.merge_base(piece_id)
        mine = self._pieces.get(piece_id).body
        return merge(base.text if base is not None else "", mine, theirs)
