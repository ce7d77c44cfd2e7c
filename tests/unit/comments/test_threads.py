"""Threads: replies under what they answer, in the order chosen, whatever the data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.comments import CommentData, SortKey
from app.comments.threads import build, count_nodes, sort_flat

START = datetime(2024, 3, 1, tzinfo=UTC)


def comment(cid: int, parent: int = 0, minutes: int = 0, votes: int = 0) -> CommentData:
    return CommentData(
        id=cid, site_id=1, remote_id=cid, post_id=1, parent_id=parent, author_name=f"R{cid}",
        author_url="", mine=False, date=START + timedelta(minutes=minutes or cid), status="approved",
        html="", text="", votes=votes, link="", first_seen_at=START,
    )  # fmt: skip


def shape(roots: tuple[object, ...]) -> list[object]:
    return [(n.comment.id, shape(n.children)) for n in roots]  # type: ignore[attr-defined]


def test_newest_first_threads_with_replies_in_conversation_order() -> None:
    comments = [comment(1), comment(2), comment(3, parent=1), comment(4, parent=1), comment(5, 3)]
    assert shape(build(comments, SortKey.NEWEST)) == [(2, []), (1, [(3, [(5, [])]), (4, [])])]
    assert shape(build(comments, SortKey.OLDEST)) == [(1, [(3, [(5, [])]), (4, [])]), (2, [])]


def test_most_voted_at_every_level_ties_oldest_first() -> None:
    comments = [
        comment(1, votes=2), comment(2, votes=9), comment(3, parent=1, votes=1),
        comment(4, parent=1, votes=5), comment(5, votes=2),
    ]  # fmt: skip
    assert shape(build(comments, SortKey.VOTES)) == [(2, []), (1, [(4, []), (3, [])]), (5, [])]


def test_orphans_become_threads_and_loops_are_broken() -> None:
    comments = [comment(1, parent=99), comment(2, parent=3), comment(3, parent=2), comment(4, 4)]
    roots = build(comments, SortKey.OLDEST)
    assert count_nodes(roots) == 4
    assert {n.comment.id for n in roots} >= {1, 4}


def test_deep_threads_need_no_recursion() -> None:
    comments = [comment(1)] + [comment(i, parent=i - 1) for i in range(2, 5001)]
    roots = build(comments, SortKey.NEWEST)
    assert count_nodes(roots) == 5000


def test_flat_order() -> None:
    comments = [comment(1), comment(2, votes=3), comment(3)]
    assert [c.id for c in sort_flat(comments, SortKey.NEWEST)] == [3, 2, 1]
    assert [c.id for c in sort_flat(comments, SortKey.VOTES)] == [2, 1, 3]
