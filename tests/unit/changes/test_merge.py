"""The three-way merge on words."""

from __future__ import annotations

import pytest

from app.changes.merge import merge
from app.errors import InvalidInputError

BASE = (
    "The last bus leaves at midnight.\n\nNobody on it is going home.\n\nThe council wants to cut it.\n"
)


def test_changes_to_different_passages_merge_by_themselves() -> None:
    mine = BASE.replace("Nobody on it", "Nobody aboard")
    theirs = BASE.replace("cut it", "cut it in April")
    result = merge(BASE, mine, theirs)
    assert result.clean
    assert result.text() == BASE.replace("Nobody on it", "Nobody aboard").replace(
        "cut it", "cut it in April"
    )


def test_the_same_change_on_both_sides_is_no_conflict() -> None:
    both = BASE.replace("midnight", "half past twelve")
    assert merge(BASE, both, both).text() == both


def test_an_overlapping_change_is_a_conflict_with_both_sides() -> None:
    mine = BASE.replace("midnight", "half past twelve").replace("going home", "heading home")
    theirs = BASE.replace("midnight", "12.30 a.m.").replace("cut it", "cut it in April")
    result = merge(BASE, mine, theirs)
    [conflict] = result.conflicts
    assert (conflict.base, conflict.mine, conflict.theirs) == (
        "midnight",
        "half past twelve",
        "12.30 a.m.",
    )
    with pytest.raises(InvalidInputError, match="choose"):
        result.text()  # never an overwrite nobody chose
    merged = result.text({conflict.index: "theirs"})
    assert merged == BASE.replace("midnight", "12.30 a.m.").replace(
        "going home", "heading home"
    ).replace("cut it", "cut it in April")
    assert "half past twelve" in result.text({conflict.index: "mine"})
    both = result.text({conflict.index: "both"})
    assert "half past twelve 12.30 a.m." in both
