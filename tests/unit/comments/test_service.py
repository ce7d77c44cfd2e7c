"""The comment desk's core on a library alone: threads, counts, search, votes, pending actions."""

from __future__ import annotations

import pytest

from app.cms.wordpress.comments import RemoteComment
from app.comments import Action, SortKey
from app.core import Core
from app.errors import InvalidInputError, NotFoundError
from app.outbox.queue import JobState
from tests.helpers.comments import POST, seed_sample


@pytest.fixture
def sample(core: Core) -> tuple[int, int]:
    return seed_sample(core)


def ids(thread: object) -> list[int]:
    return [n.comment.id for n in thread.roots]  # type: ignore[attr-defined]


def test_posts_counts_and_what_is_new(core: Core, sample: tuple[int, int]) -> None:
    piece_id, site_id = sample
    desk = core.comments
    [mine, other] = desk.posts()
    assert (mine.piece_id, mine.post_id, mine.title) == (piece_id, POST, "The night bus is a parliament")
    assert mine.counts.as_tuple() == (3, 2, 8)  # comments 6, 7, 8 came after the last look
    assert (other.piece_id, other.counts.as_tuple()) == (None, (1, 1, 1))
    assert desk.piece_counts() == {piece_id: (3, 2, 8)}
    desk.mark_piece_seen(piece_id)
    assert desk.piece_counts() == {piece_id: (0, 2, 8)}
    assert [c.post_id for c in desk.comments() if c.new] == [502]


def test_thread_order_context_and_status_filter(core: Core, sample: tuple[int, int]) -> None:
    piece_id, site_id = sample
    desk = core.comments
    newest = desk.thread_for_piece(piece_id, sort=SortKey.NEWEST)
    assert ids(newest) == [8, 6, 5, 4, 1] and newest.count == 8
    bevin = newest.roots[-1]
    assert [n.comment.id for n in bevin.children] == [2]
    reply = bevin.children[0].children[0].comment
    assert (reply.id, reply.parent_author, reply.post_title) == (3, "Aroha Ngata", newest.title)
    assert ids(desk.thread_for_piece(piece_id, sort=SortKey.OLDEST)) == [1, 4, 5, 6, 8]
    assert ids(desk.thread_for_piece(piece_id, sort=SortKey.VOTES)) == [1, 4, 8, 5, 6]
    held = desk.thread_for_post(site_id, POST, status="hold")
    assert sorted(c.comment.id for c in held.roots) == [5, 6]
    with pytest.raises(InvalidInputError, match="not a comment status"):
        desk.thread_for_piece(piece_id, status="pending")
    assert [n.comment.remote_id for n in desk.inbox().roots] == [6, 5, 20]


def test_votes_need_the_plugin(core: Core, sample: tuple[int, int]) -> None:
    piece_id, site_id = sample
    desk = core.comments
    assert desk.votes(site_id).available
    desk.store.save_state(site_id, features=set())
    votes = desk.votes(site_id)
    assert not votes.available and "companion plugin" in votes.reason
    with pytest.raises(InvalidInputError, match="companion plugin"):
        desk.thread_for_piece(piece_id, sort=SortKey.VOTES)
    assert desk.thread_for_piece(piece_id).votes == votes


def test_full_text_search_ignores_accents(core: Core, sample: tuple[int, int]) -> None:
    desk = core.comments
    assert [c.id for c in desk.search("Mangere")] == [2]
    assert [c.id for c in desk.search("parliament night")] == [1]
    assert [c.id for c in desk.search("Lefèvre")] == [6]
    assert [c.id for c in desk.search("עברית")] == []
    assert [c.id for c in desk.search("שלי")] == [4]
    assert len(desk.search("   ")) == 9  # no words: every comment
    assert [n.comment.id for n in desk.thread_for_piece(sample[0], search="diesel").roots] == [8]


def test_storing_again_changes_nothing_and_changes_are_counted(
    core: Core, sample: tuple[int, int]
) -> None:
    _piece, site_id = sample
    store = core.comments.store
    before = core.comments.get(7)
    again = RemoteComment(
        id=7, post=POST, parent=4, author=0, author_name="Tom Okafor", author_url="",
        date_gmt="2020-01-01T00:00:00", html=before.html, status="approved", link=before.link, votes=3,
    )  # fmt: skip
    assert store.store(site_id, [again]) == (0, 0)
    from dataclasses import replace

    assert store.store(site_id, [replace(again, status="spam", votes=None)]) == (0, 1)
    after = core.comments.get(7)
    assert (after.status, after.votes, after.date) == ("spam", 3, before.date)
    assert store.store(site_id, [replace(again, id=99, parent=7)]) == (1, 0)


def test_actions_show_as_pending_until_their_job_ends(core: Core, sample: tuple[int, int]) -> None:
    piece_id, _site = sample
    desk = core.comments
    jobs = desk.moderate([5, 6], Action.APPROVE)
    assert [j.payload["expected"] for j in jobs] == [["hold"], ["hold"]]
    assert jobs[0].description == "Approve: the comment by Crypto Deals 4U on The Evening Gazette"
    assert jobs[0].piece_id == piece_id
    five = desk.get(5)
    assert (five.pending, five.shown_status, five.status) == ("approve", "approved", "hold")
    assert desk.piece_counts()[piece_id][1] == 0  # held, as the desk shows it
    assert desk.waiting() == 2
    # a second action replaces a waiting one
    [spam] = desk.moderate([5], Action.SPAM)
    assert core.remote.outbox.get(jobs[0].id).state == JobState.CANCELLED
    assert desk.get(5).shown_status == "spam"
    core.remote.outbox.cancel(spam.id)
    assert (desk.get(5).pending, desk.get(5).shown_status) == ("", "hold")
    core.remote.outbox.fail(jobs[1].id, "It changed on the site.", kind="conflict", retry=False)
    assert desk.get(6).problem == "It changed on the site."


def test_bad_actions_change_nothing(core: Core, sample: tuple[int, int]) -> None:
    desk = core.comments
    with pytest.raises(InvalidInputError, match="nothing to restore"):
        desk.moderate([5, 1], Action.RESTORE)
    with pytest.raises(InvalidInputError, match="already marked “Approved”"):
        desk.moderate([1], Action.APPROVE)
    with pytest.raises(NotFoundError):
        desk.moderate([1, 12345], Action.TRASH)
    with pytest.raises(InvalidInputError, match="empty"):
        desk.reply(1, "  \n ")
    assert core.remote.outbox.jobs() == []


def test_a_reply_shows_at_once_and_can_be_dropped(core: Core, sample: tuple[int, int]) -> None:
    desk = core.comments
    reply, job = desk.reply(2, "Thank you, *Aroha*.")
    assert (reply.remote_id, reply.parent_id, reply.parent_author) == (None, 2, "Aroha Ngata")
    assert (reply.mine, reply.pending, reply.author_name) == (True, "reply", "Mere Kingi")
    assert reply.html == "<p>Thank you, <em>Aroha</em>.</p>"
    assert job.payload["parent"] == 2 and job.payload["post"] == POST
    with pytest.raises(InvalidInputError, match="waiting to be sent"):
        desk.moderate([reply.id], Action.TRASH)
    desk.discard_reply(reply.id)
    with pytest.raises(NotFoundError):
        desk.get(reply.id)
    assert core.remote.outbox.get(job.id).state == JobState.CANCELLED


def test_comments_stored_in_bulk_keep_the_orms_time_format(core: Core, sample: tuple[int, int]) -> None:
    """The sync writes new comments straight to SQLite: their times must read back like any other."""
    import re
    import sqlite3

    with sqlite3.connect(core.db.path) as raw:
        [(stored, seen)] = raw.execute("SELECT date_gmt, first_seen_at FROM comments WHERE id = 1")
        [(orm,)] = raw.execute("SELECT created_at FROM pieces LIMIT 1")
    shape = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$")
    assert shape.match(stored) and shape.match(seen) and shape.match(orm)
    comment = core.comments.get(1)
    assert comment.date.tzinfo is not None
    assert comment.date.strftime("%Y-%m-%d %H:%M:%S.%f") == stored
