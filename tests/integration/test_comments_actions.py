"""Moderating and answering comments against the real WordPress: online, offline through the outbox,
changed or deleted on the site meanwhile, an author's rights, replies threaded and never doubled."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from app.cms.wordpress.comments import CommentsApi
from app.comments import Action
from app.core import Core
from app.outbox.queue import JobState
from app.remote import RemoteServices
from tests.helpers.comments import seed_comments, set_status
from tests.helpers.fault_proxy import FaultProxy, Request, route
from tests.helpers.wp_server import WordPressServer
from tests.integration.conftest import AddSite, Clock

pytestmark = [pytest.mark.wordpress, pytest.mark.keyring]


def on_site(wp: WordPressServer, comment: int) -> dict[str, object] | None:
    with requests.Session() as session:
        session.trust_env = False
        reply = session.get(
            wp.rest_url("/wp/v2/comments"),
            params={"include": comment, "status": "any", "context": "edit"},
            auth=wp.auth("admin"),
            timeout=30,
        )
    rows = reply.json()
    return rows[0] if rows else None


def status_on_site(wp: WordPressServer, comment: int) -> str:
    found = on_site(wp, comment)
    return str(found["status"]) if found else "gone"


def local(core: Core, remote_id: int) -> int:
    """The library's id of a comment of the site."""
    [found] = [c for c in core.comments.store.comments() if c.remote_id == remote_id]
    return found.id


@pytest.fixture
def proxy(wordpress: WordPressServer) -> Iterator[FaultProxy]:
    with FaultProxy(wordpress.url) as running:
        yield running


def posts_comments(request: Request) -> bool:
    return request.method == "POST" and route(request) == "/wp/v2/comments"


def seeded(core: Core, wp: WordPressServer, site_id: int) -> list[int]:
    """A post of the author's with 12 comments (the 10th held), synced; their ids on the site."""
    [post] = seed_comments(wp, posts=1, per_post=12)
    core.comments.sync(site_id)
    ids = post["comments"]
    assert isinstance(ids, list)
    return [int(i) for i in ids]


def test_every_moderation_action_online(
    core: Core, add_site: AddSite, wordpress: WordPressServer
) -> None:
    site = add_site("editor")
    ids = seeded(core, wordpress, site.id)
    desk = core.comments
    held, approved = ids[9], ids[0]

    def act(remote_ids: list[int], action: Action) -> list[str]:
        jobs = desk.moderate([local(core, i) for i in remote_ids], action)
        outcomes = desk.send([j.id for j in jobs])
        assert all(o.done for o in outcomes), [o.job.last_error for o in outcomes]
        return [status_on_site(wordpress, i) for i in remote_ids]

    assert act([held], Action.APPROVE) == ["approved"]
    assert act([approved], Action.HOLD) == ["hold"]
    assert act([approved], Action.SPAM) == ["spam"]
    assert act([approved], Action.RESTORE) == ["hold"]  # back to where it was before the spam
    assert act([held], Action.TRASH) == ["trash"]
    assert act([held], Action.RESTORE) == ["approved"]
    assert act(ids[1:4], Action.TRASH) == ["trash"] * 3  # a selection at once
    shown = [desk.get(local(core, i)) for i in (held, approved, *ids[1:4])]
    assert [(c.status, c.pending, c.problem) for c in shown] == [
        ("approved", "", ""), ("hold", "", ""), ("trash", "", ""), ("trash", "", ""),
        ("trash", "", ""),
    ]  # fmt: skip


def test_offline_actions_wait_as_pending_and_reach_the_site_later(
    *,
    core: Core,
    remote: RemoteServices,
    add_site: AddSite,
    wordpress: WordPressServer,
    proxy: FaultProxy,
    clock: Clock,
) -> None:
    site = add_site("author", url=proxy.url)
    ids = seeded(core, wordpress, site.id)
    desk = core.comments
    proxy.stop()  # on a train: connection refused
    approve = desk.moderate([local(core, ids[9])], Action.APPROVE)
    spam = desk.moderate([local(core, ids[4])], Action.SPAM)
    reply, reply_job = desk.reply(local(core, ids[2]), "On my way, *Reader 2*.")
    outcomes = desk.send([j.id for j in [*approve, *spam, reply_job]])
    assert [(o.job.state, o.job.error_kind) for o in outcomes] == [(JobState.QUEUED, "network")] * 3
    assert desk.sync_all().errors  # the sync cannot reach the site either; nothing is lost
    waiting = desk.get(local(core, ids[9]))
    assert (waiting.pending, waiting.shown_status, waiting.status) == ("approve", "approved", "hold")
    assert desk.get(reply.id).pending == "reply" and desk.waiting() == 3
    assert status_on_site(wordpress, ids[9]) == "hold"

    proxy.start()
    assert desk.send_due() == []  # not due yet: the outbox waits before trying again
    clock.advance(31)
    done = desk.send_due()
    assert [o.job.state for o in done] == [JobState.DONE] * 3
    assert status_on_site(wordpress, ids[9]) == "approved"
    assert status_on_site(wordpress, ids[4]) == "spam"
    sent = desk.get(reply.id)
    assert sent.remote_id is not None and sent.pending == ""
    posted = on_site(wordpress, sent.remote_id)
    assert posted is not None
    assert (posted["parent"], posted["author"]) == (ids[2], wordpress.users["author"]["id"])
    assert posted["content"] == {  # as WordPress keeps and shows comments: paragraphs by blank lines
        "raw": "On my way, <em>Reader 2</em>.",
        "rendered": "<p>On my way, <em>Reader 2</em>.</p>\n",
    }
    assert desk.waiting() == 0


def test_changed_or_deleted_on_the_site_meanwhile_is_said_not_hidden(
    *,
    core: Core,
    remote: RemoteServices,
    add_site: AddSite,
    wordpress: WordPressServer,
    proxy: FaultProxy,
    clock: Clock,
) -> None:
    site = add_site("editor", url=proxy.url)
    ids = seeded(core, wordpress, site.id)
    desk = core.comments
    proxy.stop()
    jobs = desk.moderate([local(core, ids[9])], Action.APPROVE)
    jobs += desk.moderate([local(core, ids[3])], Action.TRASH)
    desk.send([j.id for j in jobs])
    # meanwhile, another editor acts on the site
    set_status(wordpress, ids[9], "spam")
    set_status(wordpress, ids[3], "delete")
    proxy.start()
    clock.advance(31)
    changed, deleted = desk.send_due()
    assert (changed.job.state, changed.job.error_kind) == (JobState.FAILED, "conflict")
    assert changed.job.last_error.startswith(
        "The comment by Reader 9 was changed on the site meanwhile: it is now “Spam”. "
        "“Approve” was not applied."
    )
    assert status_on_site(wordpress, ids[9]) == "spam"  # nothing was overwritten
    now = desk.get(local(core, ids[9]))
    assert (now.status, now.pending, now.problem) == ("spam", "", changed.job.last_error)
    assert (deleted.job.state, deleted.job.error_kind) == (JobState.FAILED, "gone")
    assert deleted.job.last_error == (
        "The comment by Reader 3 no longer exists on the site (it was deleted), so “Trash” was not "
        "applied."
    )
    assert desk.get(local(core, ids[3])).problem == deleted.job.last_error
    desk.sync(site.id)  # the next sync lets the deleted one go
    assert ids[3] not in core.comments.store.statuses(site.id)


def test_an_author_moderates_the_comments_of_their_own_posts_only(
    core: Core, add_site: AddSite, wordpress: WordPressServer
) -> None:
    posts = seed_comments(wordpress, posts=2, per_post=10, authors=("author", "author2"))
    site = add_site("author")
    core.comments.sync(site.id)
    own, theirs = (list(map(int, p["comments"])) for p in posts)  # type: ignore[call-overload]
    desk = core.comments
    jobs = desk.moderate([local(core, own[9])], Action.APPROVE)
    assert [o.done for o in desk.send([j.id for j in jobs])] == [True]
    assert status_on_site(wordpress, own[9]) == "approved"
    assert all(c.post_id == posts[0]["id"] for c in desk.store.comments(site_id=site.id))

    # a comment on someone else's post (say the post changed hands since the last sync)
    api = CommentsApi(core.remote.sites.client(site.id))
    stranger = api.find(theirs[0])
    assert stranger is not None  # approved on a published post: anyone may read it
    desk.store.store(site.id, [stranger])
    jobs = desk.moderate([local(core, theirs[0])], Action.TRASH)
    [refused] = desk.send([j.id for j in jobs])
    assert (refused.job.state, refused.job.error_kind) == (JobState.FAILED, "permission")
    assert refused.job.last_error.startswith(
        "You may not moderate this comment: it is on someone else's post."
    )
    assert status_on_site(wordpress, theirs[0]) == "approved"


def test_a_reply_whose_answer_was_lost_is_found_not_posted_twice(
    *,
    core: Core,
    remote: RemoteServices,
    add_site: AddSite,
    wordpress: WordPressServer,
    proxy: FaultProxy,
    clock: Clock,
) -> None:
    site = add_site("editor", url=proxy.url)
    ids = seeded(core, wordpress, site.id)
    desk = core.comments
    proxy.add(posts_comments, "drop")  # WordPress posts it; the answer never comes back
    reply, job = desk.reply(local(core, ids[5]), "Agreed — *entirely*. ā 🎉")
    [lost] = desk.send([job.id])
    assert (lost.job.state, lost.job.error_kind) == (JobState.QUEUED, "lost")
    clock.advance(31)
    [found] = desk.send_due()
    assert found.done and found.job.result["found_again"] is True
    with requests.Session() as session:
        session.trust_env = False
        replies = session.get(
            wordpress.rest_url("/wp/v2/comments"),
            params={"parent": ids[5], "status": "any"},
            auth=wordpress.auth("admin"),
            timeout=30,
        ).json()
    assert len(replies) == 1 and replies[0]["author"] == wordpress.users["editor"]["id"]
    assert desk.get(reply.id).remote_id == replies[0]["id"]
    assert sum(1 for r in proxy.requests if posts_comments(r)) == 1
    core.comments.sync(site.id)
    assert [c.text for c in desk.search("entirely")] == ["Agreed — entirely. ā 🎉"]
