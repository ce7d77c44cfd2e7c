"""The change list between a base text and the current one, and accepting or rejecting its changes.

A change is one passage where the current text differs from the base: words removed, words inserted,
or both (a replacement). Its id is made of what it removes and inserts and how many identical changes
come before it, so deciding one change leaves the ids of the others as they were.

A review keeps the change list made at its start and a decision per change: the text is the base
with the accepted and open changes in and the rejected ones out, so deciding one change never moves
or renames another.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection
from dataclasses import dataclass, replace

from app.pieces.diff import word_diff

_SHORT_WORD = re.compile(r"[ \t]+\w{1,3}[ \t]+")


@dataclass(frozen=True)
class Change:
    id: str
    base_start: int  # the removed passage in the base text
    base_end: int
    start: int  # the inserted passage in the current text
    end: int
    removed: str
    inserted: str

    @property
    def kind(self) -> str:
        if self.removed and self.inserted:
            return "replaced"
        return "inserted" if self.inserted else "deleted"

    def describe(self, width: int = 60) -> str:
        """The change in one line, for a list."""

        def short(text: str) -> str:
            flat = " ".join(text.split())
            return flat if len(flat) <= width else flat[: width - 1] + "…"

        if self.kind == "replaced":
            return f"“{short(self.removed)}” → “{short(self.inserted)}”"
        if self.kind == "inserted":
            return f"Inserted “{short(self.inserted)}”"
        return f"Deleted “{short(self.removed)}”"


def _change_id(removed: str, inserted: str, occurrence: int) -> str:
    digest = hashlib.sha1(f"{removed}\0{inserted}\0{occurrence}".encode(), usedforsecurity=False)
    return digest.hexdigest()[:12]


def _joins(same: str) -> bool:
    """Whether what both versions share between two changes is one short word alone ("on", "the"):
    two changes around it read better as one."""
    return _SHORT_WORD.fullmatch(same) is not None


def changes_between(base: str, current: str) -> list[Change]:
    """Every change from *base* to *current*, in reading order, with stable ids."""
    found: list[Change] = []
    seen: dict[tuple[str, str], int] = {}
    b = c = 0
    removed = inserted = ""
    start_b = start_c = 0

    def close() -> None:
        nonlocal removed, inserted
        if removed or inserted:
            n = seen.get((removed, inserted), 0)
            seen[(removed, inserted)] = n + 1
            found.append(
                Change(_change_id(removed, inserted, n), start_b, b, start_c, c, removed, inserted)
            )
        removed = inserted = ""

    chunks = word_diff(base, current)
    for index, chunk in enumerate(chunks):
        if chunk.op == "equal":
            if (removed or inserted) and index + 1 < len(chunks) and _joins(chunk.text):
                removed += chunk.text  # one short word between two changes: one change reads better
                inserted += chunk.text
                b += len(chunk.text)
                c += len(chunk.text)
                continue
            close()
            b += len(chunk.text)
            c += len(chunk.text)
            start_b, start_c = b, c
        elif chunk.op == "delete":
            removed += chunk.text
            b += len(chunk.text)
        else:
            inserted += chunk.text
            c += len(chunk.text)
    close()
    return found


def resolve(base: str, changes: list[Change], accepted: Collection[str]) -> str:
    """*base* with the changes whose ids are in *accepted* applied (the others rejected)."""
    parts: list[str] = []
    at = 0
    for change in changes:
        parts.append(base[at : change.base_start])
        parts.append(change.inserted if change.id in accepted else change.removed)
        at = change.base_end
    parts.append(base[at:])
    return "".join(parts)


class TrackedReview:
    """A review in progress: the changes from *base* to *edited*, each accepted, rejected or open.

    The change list is made once; deciding a change never moves or renames the others.
    """

    def __init__(self, base: str, edited: str) -> None:
        self.base = base
        self.edited = edited
        self.all = changes_between(base, edited)
        self._decisions: dict[str, bool] = {}
        self.decided_before = (0, 0)  # (accepted, rejected) before the text was edited by hand

    def _ids(self, *, keep_open: bool) -> set[str]:
        return {c.id for c in self.all if self._decisions.get(c.id, keep_open)}

    @property
    def current(self) -> str:
        """The text now: accepted and open changes in, rejected ones out."""
        return resolve(self.base, self.all, self._ids(keep_open=True))

    @property
    def changes(self) -> list[Change]:
        """The open changes, placed in :attr:`current`."""
        found: list[Change] = []
        shift = 0
        for change in self.all:
            decided = self._decisions.get(change.id)
            start = change.base_start + shift
            if decided is None:
                found.append(replace(change, start=start, end=start + len(change.inserted)))
            if decided is not False:
                shift += len(change.inserted) - len(change.removed)
        return found

    @property
    def accepted(self) -> list[Change]:
        return [c for c in self.all if self._decisions.get(c.id) is True]

    @property
    def rejected(self) -> list[Change]:
        return [c for c in self.all if self._decisions.get(c.id) is False]

    @property
    def done(self) -> bool:
        return len(self._decisions) == len(self.all)

    def _decide(self, change_id: str, accept: bool) -> None:
        if change_id not in {c.id for c in self.all}:
            raise KeyError(change_id)
        self._decisions.setdefault(change_id, accept)

    def accept(self, change_id: str) -> None:
        self._decide(change_id, True)

    def reject(self, change_id: str) -> None:
        self._decide(change_id, False)

    def accept_all(self) -> None:
        for change in self.changes:
            self.accept(change.id)

    def reject_all(self) -> None:
        for change in self.changes:
            self.reject(change.id)

    def rebased(self, current: str) -> TrackedReview:
        """The review after the text was edited to *current* by hand: the accepted changes become
        part of the base, the rejected ones stay out, the decisions made so far are counted on."""
        review = TrackedReview(resolve(self.base, self.all, self._ids(keep_open=False)), current)
        review.decided_before = (
            self.decided_before[0] + len(self.accepted),
            self.decided_before[1] + len(self.rejected),
        )
        return review

    def summary(self) -> str:
        accepted = self.decided_before[0] + len(self.accepted)
        rejected = self.decided_before[1] + len(self.rejected)
        return f"{accepted} accepted, {rejected} rejected"
