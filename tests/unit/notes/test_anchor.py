"""Anchoring notes to passages: found again after edits, or orphaned, never on the wrong text."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from app.notes.anchor import Anchor, Relocator, anchor_at, locate, rebase, text_hash

PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=9)
# Prose, not "aa aa aa": with every word repeated, the text around a deleted passage is the passage's
# own context and "the wrong text" has no meaning. Distinct words keep passages distinguishable.
TEXTS = st.lists(WORDS.filter(lambda w: len(w) >= 3), min_size=30, max_size=90, unique=True).map(
    " ".join
)
INSERTS = st.lists(WORDS, min_size=0, max_size=6).map(" ".join)


@st.composite
def passages(draw: st.DrawFn) -> tuple[str, int, int]:
    text = draw(TEXTS)
    start = draw(st.integers(0, len(text) - 9))
    end = draw(st.integers(start + 8, min(len(text), start + 80)))
    return text, start, end


def edit(text: str, at: int, cut: int, insert: str) -> str:
    return text[:at] + insert + text[at + cut :]


@PROPERTY
@given(passages(), st.data(), INSERTS, st.booleans())
def test_an_edit_outside_the_passage_never_loses_or_moves_the_anchor(
    passage: tuple[str, int, int], data: st.DataObject, insert: str, base_known: bool
) -> None:
    text, start, end = passage
    anchor = anchor_at(text, start, end)
    before = data.draw(st.booleans())
    if before:
        at = data.draw(st.integers(0, start))
        cut = data.draw(st.integers(0, start - at))
    else:
        at = data.draw(st.integers(end, len(text)))
        cut = data.draw(st.integers(0, len(text) - at))
    assume(cut or insert)
    edited = edit(text, at, cut, insert)
    assume(edited.count(anchor.exact) == 1)  # a passage that can be told apart at all
    expected = start + len(insert) - cut if before else start

    placed = locate(anchor, edited, base_text=text if base_known else None)

    assert placed is not None
    assert (placed.start, placed.end) == (expected, expected + len(anchor.exact))
    assert edited[placed.start : placed.end] == anchor.exact


@PROPERTY
@given(passages(), st.data(), INSERTS, st.booleans())
def test_an_edit_inside_the_passage_re_anchors_on_it_or_orphans_it(
    passage: tuple[str, int, int], data: st.DataObject, insert: str, base_known: bool
) -> None:
    text, start, end = passage
    anchor = anchor_at(text, start, end)
    assume(text.count(anchor.exact) == 1)
    at = data.draw(st.integers(start, end))
    cut = data.draw(st.integers(0, end - at))
    edited = edit(text, at, cut, insert)
    assume(edited != text)
    new_end = end - cut + len(insert)  # the passage as edited is edited[start:new_end]
    # the quote may survive only on the edited passage (else it is a new copy elsewhere)
    found = edited.find(anchor.exact)
    while found != -1:
        assume(found < new_end and found + len(anchor.exact) > start)
        found = edited.find(anchor.exact, found + 1)

    placed = locate(anchor, edited, base_text=text if base_known else None)

    if placed is not None:  # re-anchored: on the edited passage, never elsewhere
        assert placed.start < max(new_end, start + 1) and placed.end > start
        assert placed.method in ("mapped", "quote", "fuzzy")


def test_the_same_text_finds_the_anchor_where_it_was() -> None:
    text = "The last bus leaves at midnight. Nobody on it is going home."
    anchor = anchor_at(text, 4, 12)
    placed = locate(anchor, text)
    assert placed is not None and (placed.start, placed.end, placed.method) == (4, 12, "exact")
    assert anchor.prefix == "The " and anchor.suffix == text[12:44]
    assert anchor.base_hash == text_hash(text)


def test_a_passage_moved_to_another_paragraph_is_found_by_its_quote() -> None:
    first = "Nurses and bakers ride the last bus home every night."
    second = "The driver knows each of them by name and by stop."
    text = f"{first}\n\n{second}\n"
    anchor = anchor_at(text, text.index("knows each"), text.index(" by name"))
    moved = f"{second}\n\nA new paragraph here.\n\n{first}\n"
    placed = locate(anchor, moved)
    assert placed is not None and moved[placed.start : placed.end] == "knows each of them"
    assert placed.method == "quote"


def test_a_reworded_passage_is_found_again_by_a_fuzzy_match() -> None:
    text = (
        "Intro words here. " * 3 + "The council voted to close the library on Sundays. " + "Tail. " * 5
    )
    start = text.index("The council")
    anchor = anchor_at(text, start, start + len("The council voted to close the library on Sundays"))
    edited = text.replace("voted to close", "voted to shut")
    for base in (None, text):
        placed = locate(anchor, edited, base_text=base)
        assert placed is not None and placed.method == "fuzzy"
        assert edited[placed.start : placed.end].startswith("The council voted to shut")


def test_a_deleted_passage_is_orphaned_not_attached_elsewhere() -> None:
    text = "One paragraph about buses.\n\nThe fares rise again in April, the council says.\n\nEnd."
    start = text.index("The fares")
    anchor = anchor_at(text, start, text.index(", the council"))
    edited = text.replace("The fares rise again in April, the council says.\n\n", "")
    assert locate(anchor, edited) is None
    assert locate(anchor, edited, base_text=text) is None


def test_a_repeated_phrase_goes_to_the_copy_with_its_context() -> None:
    text = "Alpha said yes, of course. Beta said yes, of course. Gamma said no."
    start = text.index("Beta said") + len("Beta ")
    anchor = anchor_at(text, start, start + len("said yes"))
    edited = "Preface. " + text
    placed = locate(anchor, edited)
    assert placed is not None and placed.start == start + len("Preface. ")


def test_anchors_round_trip_through_json_and_rebase_on_the_new_text() -> None:
    text = "A quick brown fox jumps over the lazy dog."
    anchor = anchor_at(text, 2, 15)
    assert Anchor.from_json(anchor.to_json()) == anchor
    assert Anchor.from_json("") is None and Anchor.from_json("{not json") is None
    edited = "Look: " + text
    relocator = Relocator(edited, {anchor.base_hash: text})
    [placed] = relocator.locate_all([anchor])
    assert placed is not None and placed.method == "mapped"
    moved = rebase(anchor, edited, placed)
    assert moved.start == 8 and moved.base_hash == text_hash(edited) and moved.exact == anchor.exact
    assert anchor.to_selectors()[0]["type"] == "TextQuoteSelector"


def test_an_empty_or_out_of_range_passage_is_refused() -> None:
    with pytest.raises(ValueError):
        anchor_at("abc", 2, 2)
    with pytest.raises(ValueError):
        anchor_at("abc", 1, 9)
