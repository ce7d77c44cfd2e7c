"""The three-way merge on words: both sides' changes from a common base, with merge3.

Changes that touch different passages merge by themselves; a passage both sides changed differently
is a conflict, kept with the base's, my and their words, to be chosen. Nothing is overwritten
silently: until every conflict has a choice there is no merged text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, cast

import merge3

from app.errors import InvalidInputError
from app.pieces.diff import tokens

Choice = Literal["mine", "theirs", "both"]


@dataclass(frozen=True)
class Conflict:
    index: int
    base: str
    mine: str
    theirs: str

    def text(self, choice: Choice) -> str:
        if choice == "mine":
            return self.mine
        if choice == "theirs":
            return self.theirs
        return self.mine + (" " if self.mine and not self.mine.endswith(" ") else "") + self.theirs


@dataclass(frozen=True)
class MergeResult:
    parts: tuple[str | Conflict, ...]  # merged text, and conflicts where both sides changed a passage

    @property
    def conflicts(self) -> list[Conflict]:
        return [p for p in self.parts if isinstance(p, Conflict)]

    @property
    def clean(self) -> bool:
        return not self.conflicts

    def text(self, choices: Mapping[int, Choice] | None = None) -> str:
        """The merged text; every conflict needs a choice in *choices* (by its index)."""
        choices = choices or {}
        out: list[str] = []
        for part in self.parts:
            if isinstance(part, str):
                out.append(part)
            elif part.index in choices:
                out.append(part.text(choices[part.index]))
            else:
                raise InvalidInputError(
                    "Some passages were changed on both sides: choose a version of each first."
                )
        return "".join(out)


def merge(base: str, mine: str, theirs: str) -> MergeResult:
    """Merge my changes and theirs, both made on *base*, word by word."""
    b, a, t = tokens(base), tokens(mine), tokens(theirs)
    parts: list[str | Conflict] = []

    def add(text: str) -> None:
        if parts and isinstance(parts[-1], str):
            parts[-1] += text
        elif text:
            parts.append(text)

    for region in merge3.Merge3(b, a, t).merge_regions():
        kind = region[0]
        if kind == "unchanged":
            add("".join(b[region[1] : region[2]]))
        elif kind in ("a", "same"):
            add("".join(a[region[1] : region[2]]))
        elif kind == "b":
            add("".join(t[region[1] : region[2]]))
        else:
            z1, z2, a1, a2, t1, t2 = cast("tuple[int, int, int, int, int, int]", region[1:])
            conflict = Conflict(
                index=sum(isinstance(p, Conflict) for p in parts),
                base="".join(b[z1:z2]),
                mine="".join(a[a1:a2]),
                theirs="".join(t[t1:t2]),
            )
            parts.append(conflict)
    return MergeResult(tuple(parts))
