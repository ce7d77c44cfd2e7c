"""Comments into threads: replies under what they answer, in the order the user chose.

The top-level comments follow the chosen order (newest, oldest, most voted). Replies are a
conversation, so under a comment they read oldest first, except in "most voted", where the most voted
reply comes first at every level (ties oldest first). A reply whose parent is not among the comments
shown (filtered out, in the trash, not synced) becomes a thread of its own; it keeps its "Reply to"
context.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from app.comments.data import CommentData, SortKey, ThreadNode

SortFn = Callable[[CommentData], tuple[float | int, datetime, int]]


def _key(sort: SortKey, *, top: bool) -> tuple[SortFn, bool]:
    """(key, reverse) for one level."""
    if sort is SortKey.VOTES:
        return (lambda c: (-c.votes, c.date, c.id)), False
    if sort is SortKey.NEWEST and top:
        return (lambda c: (0, c.date, c.id)), True
    return (lambda c: (0, c.date, c.id)), False


def sort_flat(comments: Sequence[CommentData], sort: SortKey) -> list[CommentData]:
    """Comments in one list (search results, a filtered inbox) in the chosen order."""
    key, reverse = _key(sort, top=True)
    return sorted(comments, key=key, reverse=reverse)


def build(comments: Sequence[CommentData], sort: SortKey) -> tuple[ThreadNode, ...]:
    """The comments of one or more posts as trees (no recursion: threads can be deep)."""
    by_remote: dict[tuple[int, int], CommentData] = {
        (c.site_id, c.remote_id): c for c in comments if c.remote_id is not None
    }
    children: dict[int, list[CommentData]] = {}
    roots: list[CommentData] = []
    for comment in comments:
        parent = by_remote.get((comment.site_id, comment.parent_id)) if comment.parent_id else None
        if parent is None or parent.id == comment.id:
            roots.append(comment)
        else:
            children.setdefault(parent.id, []).append(comment)
    # a loop of parents (never made by WordPress, but the data is not ours) hangs from no root:
    # break it where it is met, making that comment a root
    reachable: set[int] = set()

    def reach(start: CommentData) -> None:
        stack = [start]
        while stack:
            current = stack.pop()
            if current.id not in reachable:
                reachable.add(current.id)
                stack.extend(children.get(current.id, ()))

    for root in roots:
        reach(root)
    for comment in comments:
        if comment.id in reachable:
            continue
        parent = by_remote[(comment.site_id, comment.parent_id)]
        children[parent.id].remove(comment)
        roots.append(comment)
        reach(comment)

    child_key, child_reverse = _key(sort, top=False)
    for siblings in children.values():
        siblings.sort(key=child_key, reverse=child_reverse)
    top_key, top_reverse = _key(sort, top=True)
    roots.sort(key=top_key, reverse=top_reverse)

    # build the frozen nodes bottom-up: children before their parents
    order: list[CommentData] = []
    stack = list(roots)
    while stack:
        current = stack.pop()
        order.append(current)
        stack.extend(children.get(current.id, ()))
    built: dict[int, ThreadNode] = {}
    for comment in reversed(order):
        kids = tuple(built[c.id] for c in children.get(comment.id, ()))
        built[comment.id] = ThreadNode(comment, kids)
    return tuple(built[c.id] for c in roots)


def count_nodes(roots: Sequence[ThreadNode]) -> int:
    total = 0
    stack = list(roots)
    while stack:
        node = stack.pop()
        total += 1
        stack.extend(node.children)
    return total
