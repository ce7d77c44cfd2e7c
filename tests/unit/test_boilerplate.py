from __future__ import annotations

import pytest

from app.core import Core
from app.errors import InvalidInputError, NotFoundError
from app.pieces.data import PieceData


def test_a_new_library_ships_our_disclaimers_and_snippets(core: Core) -> None:
    names = [d.name for d in core.boilerplate.entries("disclaimer")]
    assert "Opinion column" in names
    opinion = core.boilerplate.find("disclaimer", "opinion COLUMN")
    assert "views expressed" in opinion.body
    assert core.boilerplate.entries("snippet")


def test_names_are_unique_and_texts_required(core: Core) -> None:
    core.boilerplate.add("snippet", "Podcast", "Listen to our *podcast*.")
    with pytest.raises(InvalidInputError, match="already"):
        core.boilerplate.add("snippet", "Podcast", "again")
    with pytest.raises(InvalidInputError, match="no text"):
        core.boilerplate.add("snippet", "Empty", "   ")
    with pytest.raises(NotFoundError):
        core.boilerplate.remove("snippet", "Nope")


def test_category_default_applies_to_a_new_piece(core: Core) -> None:
    piece = core.new_piece(PieceData(title="Hot take", categories=["opinion"]))
    opinion = core.boilerplate.find("disclaimer", "Opinion column")
    assert piece.disclaimer_id == opinion.id


def test_byline_defaults_add_snippets_without_replacing_a_chosen_disclaimer(core: Core) -> None:
    podcast = core.boilerplate.add("snippet", "Podcast", "Listen to our podcast.")
    custom = core.boilerplate.add("disclaimer", "Guest", "A guest writer.")
    core.boilerplate.add_rule("snippet", podcast.id, "byline", "Ana Ruiz")
    piece = PieceData(byline="ana ruiz", categories=["Opinion"], disclaimer_id=custom.id)
    applied = core.boilerplate.apply_defaults(piece)
    assert applied.disclaimer_id == custom.id
    assert applied.snippet_ids == [podcast.id]


def test_defaults_follow_changes_but_respect_a_removal(core: Core) -> None:
    opinion = core.boilerplate.find("disclaimer", "Opinion column")
    before = PieceData(categories=[])
    after = core.boilerplate.apply_defaults(before.copy(categories=["Opinion"]), before)
    assert after.disclaimer_id == opinion.id
    removed = after.copy(disclaimer_id=None)
    # the writer removed it; an unrelated edit does not force it back
    assert core.boilerplate.apply_defaults(removed.copy(title="x"), removed).disclaimer_id is None


def test_removing_a_disclaimer_detaches_it_and_its_rules(core: Core) -> None:
    piece = core.new_piece(PieceData(categories=["Opinion"]))
    core.boilerplate.remove("disclaimer", "Opinion column")
    assert core.pieces.get(piece.id or 0).disclaimer_id is None
    assert all(r.target_name != "Opinion column" for r in core.boilerplate.rules())
