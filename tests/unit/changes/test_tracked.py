"""The change list between two texts, and accepting or rejecting its changes."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from app.changes.tracked import TrackedReview, changes_between, resolve

BASE = "The last bus leaves at midnight. Nobody on it is going home."
EDITED = "The last night bus leaves at 12.30. Nobody on it is going home tonight."


def test_each_change_is_a_passage_with_what_it_removes_and_inserts() -> None:
    changes = changes_between(BASE, EDITED)
    assert [(c.kind, c.removed, c.inserted) for c in changes] == [
        ("inserted", "", " night"),
        ("replaced", "midnight", "12.30"),
        ("inserted", "", " tonight"),
    ]
    for change in changes:
        assert BASE[change.base_start : change.base_end] == change.removed
        assert EDITED[change.start : change.end] == change.inserted
    assert changes[1].describe() == "“midnight” → “12.30”"


def test_ids_are_stable_when_other_changes_are_decided() -> None:
    review = TrackedReview(BASE, EDITED)
    first, second, third = review.changes
    review.reject(first.id)
    assert [c.id for c in review.changes] == [second.id, third.id]
    review.accept(third.id)
    [left] = review.changes
    assert left.id == second.id
    assert review.current[left.start : left.end] == "12.30"
    assert review.current == "The last bus leaves at 12.30. Nobody on it is going home tonight."
    assert review.summary() == "1 accepted, 1 rejected"
    review.reject(second.id)
    assert review.done and review.changes == []
    assert review.current == "The last bus leaves at midnight. Nobody on it is going home tonight."


def test_the_same_change_twice_has_two_ids() -> None:
    changes = changes_between("night bus night bus", "night car night car")
    assert len(changes) == 2 and changes[0].id != changes[1].id


WORDS = st.sampled_from(["the", "bus", "night", "nurse", "leaves", "at", "twelve", ",", "."])
TEXTS = st.lists(WORDS, max_size=30).map(" ".join)
PARAGRAPHS = st.lists(TEXTS, min_size=1, max_size=4).map("\n\n".join)


@settings(max_examples=300, deadline=None)
@given(base=PARAGRAPHS, edited=PARAGRAPHS)
def test_accepting_all_gives_the_edited_text_and_rejecting_all_the_base(base: str, edited: str) -> None:
    changes = changes_between(base, edited)
    assert resolve(base, changes, {c.id for c in changes}) == edited
    assert resolve(base, changes, set()) == base
    assert len({c.id for c in changes}) == len(changes)


@settings(max_examples=200, deadline=None)
@given(base=PARAGRAPHS, edited=PARAGRAPHS, data=st.data())
def test_deciding_one_by_one_ends_where_the_decisions_say(
    base: str, edited: str, data: st.DataObject
) -> None:
    changes = changes_between(base, edited)
    accepted = {c.id for c in changes if data.draw(st.booleans())}
    review = TrackedReview(base, edited)
    for change in changes:
        (review.accept if change.id in accepted else review.reject)(change.id)
        text = review.current
        assert all(text[c.start : c.end] == c.inserted for c in review.changes)
    assert review.done
    assert review.current == resolve(base, changes, accepted)


def test_an_edit_by_hand_keeps_the_decisions_and_the_open_changes() -> None:
    review = TrackedReview(BASE, EDITED)
    first, second, third = review.changes
    review.accept(first.id)
    review.reject(third.id)
    typed = review.current.replace("Nobody", "No one")
    again = review.rebased(typed)
    assert again.current == typed
    assert [(c.removed, c.inserted) for c in again.changes] == [
        ("midnight", "12.30"),
        ("Nobody", "No one"),
    ]
    again.accept_all()
    assert again.summary() == "3 accepted, 1 rejected"


def test_changes_around_one_short_word_are_one_change() -> None:
    [change] = changes_between("asleep on her knees.", "flour still on their sleeves.")
    assert (change.removed, change.inserted) == ("asleep on her knees", "flour still on their sleeves")
