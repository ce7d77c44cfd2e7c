"""A note from the site is read like every other answer: numbers no WordPress sends are refused."""

from __future__ import annotations

import pytest

from app.cms.wordpress.notes import parse_note
from app.errors import RemoteError


def _row(**fields: object) -> dict[str, object]:
    return {"id": 7, "post": 3, "parent": 0, "author": 2, "content": "Tighten the lede.", **fields}


def test_a_note_is_read_with_its_ids() -> None:
    note = parse_note(_row())
    assert (note.id, note.post, note.parent, note.author) == (7, 3, 0, 2)


@pytest.mark.parametrize("value", [float("inf"), 2**80, -(2**70)])
def test_a_number_no_wordpress_sends_is_an_unreadable_answer(value: object) -> None:
    with pytest.raises(RemoteError):
        parse_note(_row(id=value))
