"""Notes in one library, offline: threads, resolving, who may change what, placement after edits."""

from __future__ import annotations

import pytest

from app.core import Core
from app.errors import InvalidInputError, PermissionDenied
from app.pieces.data import PieceData

BODY = (
    "The last bus leaves at midnight.\n\n"
    "Nobody on it is going home: nurses, bakers and cleaners ride it to work.\n\n"
    "The council wants to cut it in April.\n"
)


def piece(core: Core) -> int:
    created = core.pieces.create(PieceData(title="Night buses", body=BODY))
    assert created.id is not None
    return created.id


def test_a_note_on_a_passage_and_one_on_the_whole_piece_with_replies(core: Core) -> None:
    piece_id = piece(core)
    notes = core.notes
    on_passage = notes.add_on_quote(piece_id, "nurses, bakers and cleaners", "Name one of them?")
    whole = notes.add(piece_id, "Strong ending; keep it.")
    reply = notes.reply(on_passage.id, "Added Ana, a night nurse.")
    notes.reply(reply.id, "Thanks.")  # a reply to a reply joins the same thread

    threads = notes.threads(piece_id)
    assert [t.note.id for t in threads] == [on_passage.id, whole.id]  # by position, whole last
    first = threads[0]
    assert first.placement is not None
    assert BODY[first.placement.start : first.placement.end] == "nurses, bakers and cleaners"
    assert [r.body for r in first.replies] == ["Added Ana, a night nurse.", "Thanks."]
    assert threads[1].note.anchor is None and threads[1].placement is None
    assert not threads[1].orphaned
    assert notes.open_count(piece_id) == 2
    sharing = notes.sharing(piece_id)
    assert not sharing.shared and "stay in this library" in sharing.message


def test_resolving_reopening_editing_and_deleting(core: Core) -> None:
    piece_id = piece(core)
    notes = core.notes
    note = notes.add_on_quote(piece_id, "cut it in April", "Which April meeting?")
    resolved = notes.resolve(note.id)
    assert resolved.resolved and resolved.resolved_at is not None
    assert notes.open_count(piece_id) == 0
    assert not notes.reopen(note.id).resolved
    assert notes.edit(note.id, "Which meeting, exactly?").body == "Which meeting, exactly?"
    reply = notes.reply(note.id, "The 14th.")
    with pytest.raises(InvalidInputError, match="Resolve the note"):
        notes.resolve(reply.id)
    notes.delete(note.id)
    assert notes.threads(piece_id) == []


def test_only_the_author_changes_or_deletes_a_note(core: Core) -> None:
    piece_id = piece(core)
    note = core.notes.add(piece_id, "Too long by a third.")
    core.notes.store.change(note.id, send=False, mine=False, author="Editor")
    with pytest.raises(PermissionDenied, match="Only Editor may change"):
        core.notes.edit(note.id, "Mine now")
    with pytest.raises(PermissionDenied, match="Only Editor may delete"):
        core.notes.delete(note.id)
    assert core.notes.resolve(note.id).resolved  # anyone who reads it may resolve it


def test_notes_follow_their_passage_through_edits_and_are_orphaned_when_it_goes(core: Core) -> None:
    piece_id = piece(core)
    notes = core.notes
    kept = notes.add_on_quote(piece_id, "nurses, bakers and cleaners", "Name one?")
    gone = notes.add_on_quote(piece_id, "The council wants to cut it in April.", "Source?")
    edited = "A new opening line.\n\n" + BODY.replace("The council wants to cut it in April.\n", "")

    threads = {t.note.id: t for t in notes.threads(piece_id, text=edited)}
    placed = threads[kept.id].placement
    assert placed is not None and placed.method == "mapped"
    assert edited[placed.start : placed.end] == "nurses, bakers and cleaners"
    assert threads[gone.id].orphaned and threads[gone.id].note.quote.startswith("The council")

    assert notes.rebase(piece_id, edited) == 1
    again = {t.note.id: t for t in notes.threads(piece_id, text=edited)}
    assert again[kept.id].placement is not None and again[kept.id].placement.method == "exact"
    assert again[gone.id].orphaned  # never dropped, never moved onto other text


def test_empty_notes_and_missing_quotes_are_refused(core: Core) -> None:
    piece_id = piece(core)
    with pytest.raises(InvalidInputError, match="cannot be empty"):
        core.notes.add(piece_id, "   ")
    with pytest.raises(InvalidInputError, match="no passage"):
        core.notes.add_on_quote(piece_id, "not in the text", "Hm")
    with pytest.raises(InvalidInputError, match="more than once"):
        core.notes.add_on_quote(piece_id, "it", "Hm")
