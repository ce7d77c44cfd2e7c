from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.core import Core
from app.errors import NotFoundError
from app.pieces import library as library_module
from app.pieces.data import PieceData
from app.pieces.workflow import Status


def _piece(core: Core, **fields: object) -> PieceData:
    return core.pieces.create(PieceData(**fields))  # type: ignore[arg-type]


def test_create_and_get_round_trip_every_field(core: Core) -> None:
    disclaimer = core.boilerplate.entries("disclaimer")[0]
    snippets = core.boilerplate.entries("snippet")
    when = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    made = _piece(
        core,
        title="Tides of change",
        standfirst="What the harbour knows",
        byline="Kai Tane",
        body="Māori fishermen *know* the sea.",
        tags=["sea", "Sea", "  harbour "],
        categories=["Opinion"],
        excerpt="Short",
        featured_image="/tmp/boat.jpg",
        publish_at=when,
        comment_status="closed",
        disclaimer_id=disclaimer.id,
        snippet_ids=[snippets[1].id, snippets[0].id],
        extra={"mood": "calm"},
    )
    got = core.pieces.get(made.id or 0)
    assert got.title == "Tides of change"
    assert got.slug == "tides-of-change" and not got.slug_manual
    assert got.tags == ["sea", "harbour"]  # duplicates dropped, case-insensitive; spaces trimmed
    assert got.categories == ["Opinion"]
    assert got.publish_at == when
    assert got.comment_status == "closed"
    assert got.disclaimer_id == disclaimer.id
    assert got.snippet_ids == [snippets[1].id, snippets[0].id]
    assert got.extra == {"mood": "calm"}
    assert got.word_count == 5
    assert got.uid and got.created_at and got.updated_at


def test_slug_follows_the_title_until_set_by_hand(core: Core) -> None:
    piece = _piece(core, title="First title")
    piece = core.pieces.save(piece.copy(title="Second title"))
    assert piece.slug == "second-title"
    piece = core.pieces.save(piece.copy(slug="my-own", slug_manual=True))
    piece = core.pieces.save(piece.copy(title="Third title"))
    assert piece.slug == "my-own"


def test_unknown_piece_is_a_clear_error(core: Core) -> None:
    with pytest.raises(NotFoundError, match="no piece with id 99"):
        core.pieces.get(99)


def test_list_is_newest_first_and_excludes_the_trash(core: Core) -> None:
    a = _piece(core, title="A")
    b = _piece(core, title="B")
    core.pieces.save(a.copy(body="edited"))
    assert [s.title for s in core.pieces.summaries()] == ["A", "B"]
    core.pieces.trash([a.id or 0])
    assert [s.title for s in core.pieces.summaries()] == ["B"]
    assert [s.title for s in core.pieces.summaries(trashed=True)] == ["A"]
    core.pieces.restore([a.id or 0])
    assert {s.title for s in core.pieces.summaries()} == {"A", "B"}
    assert b.id is not None


def test_empty_trash_deletes_only_trashed_pieces_with_their_revisions(core: Core) -> None:
    keep = _piece(core, title="Keep")
    gone = _piece(core, title="Gone")
    core.pieces.trash([gone.id or 0])
    assert core.pieces.empty_trash() == 1
    assert [s.title for s in core.pieces.summaries()] == ["Keep"]
    assert core.pieces.revisions.history(gone.id or 0) == []
    assert core.pieces.revisions.history(keep.id or 0) != []


def test_duplicate_makes_an_independent_draft(core: Core) -> None:
    original = _piece(core, title="Original", body="Words", tags=["x"], status=Status.APPROVED)
    copy = core.pieces.duplicate(original.id or 0)
    assert copy.id != original.id and copy.uid != original.uid
    assert copy.title == "Original (copy)" and copy.body == "Words" and copy.tags == ["x"]
    assert copy.status == Status.DRAFT


def test_full_text_search_finds_prefixes_accents_and_ranks_titles_first(core: Core) -> None:
    _piece(core, title="Budget night", body="The chancellor spoke.")
    _piece(core, title="Weather", body="The budget for umbrellas is small. Café life goes on.")
    _piece(core, title="Gardening", body="Roses.")
    assert [s.title for s in core.pieces.search("budg")] == ["Budget night", "Weather"]
    assert [s.title for s in core.pieces.search("cafe")] == ["Weather"]
    assert core.pieces.search("nothing-matches-this") == []
    assert len(core.pieces.search("  ")) == 3  # an empty query lists everything


def test_search_follows_edits(core: Core) -> None:
    piece = _piece(core, title="Draft", body="alpha")
    core.pieces.save(piece.copy(body="omega"))
    assert core.pieces.search("alpha") == []
    assert [s.id for s in core.pieces.search("omega")] == [piece.id]


def test_revisions_at_save_and_status_change_and_throttled_autosave(
    core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    piece = _piece(core, title="T", body="one")
    piece = core.pieces.save(piece.copy(body="one two"))  # autosave right after creation: no revision
    assert [r.reason for r in core.pieces.revisions.history(piece.id or 0)] == ["created"]
    piece = core.pieces.save(piece.copy(body="one two three"), reason="saved")
    piece = core.pieces.save(piece.copy(status=Status.SUBMITTED))
    reasons = [r.reason for r in core.pieces.revisions.history(piece.id or 0)]
    assert reasons == ["status", "saved", "created"]
    # an autosave keeps a revision once the last one is older than the interval
    later = datetime.now(UTC) + library_module.REVISION_INTERVAL + timedelta(seconds=1)
    monkeypatch.setattr("app.pieces.revisions.utcnow", lambda: later)
    core.pieces.save(piece.copy(body="one two three four"))
    core.pieces.save(piece.copy(body="one two three four"))
    reasons = [r.reason for r in core.pieces.revisions.history(piece.id or 0)]
    assert reasons == ["autosave", "status", "saved", "created"]


def test_restore_is_itself_a_new_revision(core: Core) -> None:
    piece = _piece(core, title="T", body="first version")
    first = core.pieces.revisions.history(piece.id or 0)[0]
    piece = core.pieces.save(piece.copy(body="second version", status=Status.SUBMITTED), reason="saved")
    restored = core.pieces.restore_revision(first.id)
    assert restored.body == "first version"
    assert restored.status == Status.SUBMITTED  # the workflow status is not rolled back
    reasons = [r.reason for r in core.pieces.revisions.history(piece.id or 0)]
    assert reasons[0] == "restored" and len(reasons) == 3
    second = core.pieces.revisions.history(piece.id or 0)[1]
    assert core.pieces.revisions.content(second.id).body == "second version"


def test_restore_keeps_unrecorded_autosaved_text_in_the_history(core: Core) -> None:
    piece = _piece(core, title="T", body="first")
    first = core.pieces.revisions.history(piece.id or 0)[0]
    core.pieces.save(piece.copy(body="typed since, autosaved only"))  # no revision (too soon)
    core.pieces.restore_revision(first.id)
    bodies = [
        core.pieces.revisions.content(r.id).body for r in core.pieces.revisions.history(piece.id or 0)
    ]
    assert bodies == ["first", "typed since, autosaved only", "first"]
