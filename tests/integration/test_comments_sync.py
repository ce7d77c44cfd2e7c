"""Comment sync against the real WordPress: a seeded site of thousands, with and without the plugin,
editor versus author, incremental syncs that catch new comments, changes made on the site and
deletions in a handful of requests."""

from __future__ import annotations

import time
from collections import Counter

import pytest
import requests

from app.comments import SortKey
from app.comments.sanitize import comment_html
from app.comments.threads import count_nodes
from app.core import Core
from tests.helpers.comments import HOSTILE, UNICODE_TEXTS, add_comment, seed_comments, set_status
from tests.helpers.wp_server import WordPressServer
from tests.integration.conftest import AddSite

pytestmark = [pytest.mark.wordpress, pytest.mark.keyring]


def expected_status(n: int) -> str:
    """The status seed_comments gives its n-th comment."""
    if n % 97 == 96:
        return "trash"
    if n % 50 == 49:
        return "spam"
    if n % 10 == 9:
        return "hold"
    return "approved"


def site_statuses(wp: WordPressServer, user: str = "admin") -> dict[int, str]:
    found: dict[int, str] = {}
    with requests.Session() as session:
        session.trust_env = False
        page = 1
        while True:
            reply = session.get(
                wp.rest_url("/wp/v2/comments"),
                params={"status": "any", "per_page": 100, "page": page, "_fields": "id,status"},
                auth=wp.auth(user),
                timeout=30,
            )
            found.update((row["id"], row["status"]) for row in reply.json())
            if page >= int(reply.headers["X-WP-TotalPages"]):
                return found
            page += 1


def local_statuses(core: Core, site_id: int) -> dict[int, str]:
    return core.comments.store.statuses(site_id)


@pytest.mark.slow
def test_an_editor_syncs_a_site_of_thousands_then_only_what_changed(
    core: Core, add_site: AddSite, wordpress: WordPressServer
) -> None:
    posts = seed_comments(wordpress, posts=30, per_post=100, authors=("author", "author2"))
    time.sleep(6)  # the seeding stamped votes as changes: let them age past the sync's margin
    site = add_site("editor")
    seen: list[tuple[int, int]] = []
    report = core.comments.sync(site.id, progress=lambda done, total: seen.append((done, total)))
    assert (report.full, report.added, report.scope, report.votes) == (True, 3000, "site", True)
    assert report.requests <= 30 + 4  # 30 pages, who is asking, the titles of the posts
    assert seen[-1] == (3000, 3000)
    assert local_statuses(core, site.id) == site_statuses(wordpress)
    assert Counter(local_statuses(core, site.id).values()) == Counter(
        expected_status(n) for n in range(3000)
    )

    # threads as on the site, titles of the posts, votes from the plugin
    first = posts[0]
    thread = core.comments.thread_for_post(site.id, int(first["id"]), sort=SortKey.OLDEST)
    assert thread.title == "Column 0" and thread.votes.available
    every = {c.remote_id: c for c in core.comments.store.comments(site_id=site.id)}
    ids = first["comments"]
    assert isinstance(ids, list)
    assert every[ids[3]].parent_id == ids[2]  # seed: the 4th answers the 3rd
    assert every[ids[3]].parent_author == "Reader 2"
    assert every[ids[0]].votes == -5 and every[ids[7]].votes == (7 * 37) % 23 - 5
    assert count_nodes(thread.roots) == thread.count
    ordered = core.comments.thread_for_post(site.id, int(first["id"]), sort=SortKey.VOTES)
    tops = [n.comment.votes for n in ordered.roots]
    assert tops == sorted(tops, reverse=True)

    # Unicode intact, hostile HTML stored as the site sent it and shown clean
    for text in UNICODE_TEXTS:
        found = core.comments.search(text.split()[0].strip(":,"))
        assert any(c.text.startswith(text) for c in found), text
    for hostile in HOSTILE:
        comment = next(c for c in every.values() if c.html.startswith(hostile[:20]))
        shown = comment_html(comment.html).lower()
        assert "<script" not in shown and "onerror" not in shown and "javascript:" not in shown
        assert "<img" not in shown and "<iframe" not in shown and "onmouseover" not in shown
    phish = next(c for c in every.values() if "bank.example" in c.html)
    assert "https://bank.example/login (127.0.0.1)" in phish.text

    # nothing happened: a handful of requests, nothing re-read
    quiet = core.comments.sync(site.id)
    assert (quiet.full, quiet.added, quiet.changed, quiet.removed) == (False, 0, 0, 0)
    assert quiet.requests == 5

    # ten new comments, changes and a deletion made on the site
    for n in range(10):
        add_comment(wordpress, int(posts[n % 3]["id"]), f"<p>Late word {n} — ā 🎉</p>", parent=ids[0])
    set_status(wordpress, ids[1], "spam")
    set_status(wordpress, ids[9], "approve")  # was held
    set_status(wordpress, ids[2], "delete")
    report = core.comments.sync(site.id)
    assert (report.added, report.changed, report.removed) == (10, 2, 1)
    assert report.requests == 6  # one more: the plugin's log of deletions is confirmed
    assert local_statuses(core, site.id) == site_statuses(wordpress)
    late = core.comments.search("Late word 3")
    assert [c.text for c in late] == ["Late word 3 — ā 🎉"] and late[0].parent_author == "Reader 0"


def test_without_the_plugin_votes_are_off_and_changes_are_still_caught(
    core: Core, add_site: AddSite, wordpress_plain: WordPressServer
) -> None:
    posts = seed_comments(wordpress_plain, posts=3, per_post=40)
    site = add_site("editor", url=wordpress_plain.url, server=wordpress_plain, name="Plain")
    report = core.comments.sync(site.id)
    assert (report.added, report.votes) == (120, False)
    votes = core.comments.votes(site.id)
    assert not votes.available and "companion plugin" in votes.reason
    assert all(c.votes == 0 for c in core.comments.store.comments(site_id=site.id))

    ids = posts[0]["comments"]
    assert isinstance(ids, list)
    add_comment(wordpress_plain, int(posts[1]["id"]), "<p>New</p>")
    set_status(wordpress_plain, ids[0], "hold")
    set_status(wordpress_plain, ids[9], "approve")  # held before
    set_status(wordpress_plain, ids[49 - 40], "trash")
    set_status(wordpress_plain, ids[5], "delete")
    report = core.comments.sync(site.id)
    assert (report.added, report.removed) == (1, 1) and report.changed >= 2
    assert local_statuses(core, site.id) == site_statuses(wordpress_plain)
    assert report.requests <= 10  # three short lists and a count instead of the plugin's stamps


def test_an_author_syncs_only_the_comments_of_their_own_posts(
    core: Core, add_site: AddSite, wordpress: WordPressServer
) -> None:
    posts = seed_comments(wordpress, posts=4, per_post=30, authors=("author", "author2"))
    own = {int(p["id"]) for p in posts if p["author"] == wordpress.users["author"]["id"]}
    # WordPress counts the comments it will not show an author: the header alone would mislead
    with requests.Session() as session:
        session.trust_env = False
        reply = session.get(
            wordpress.rest_url("/wp/v2/comments"),
            params={"status": "hold", "per_page": 100},
            auth=wordpress.auth("author"),
            timeout=30,
        )
    assert int(reply.headers["X-WP-Total"]) > len(reply.json())

    site = add_site("author")
    report = core.comments.sync(site.id)
    assert (report.scope, report.added) == ("own", 60)
    stored = core.comments.store.comments(site_id=site.id)
    assert {c.post_id for c in stored} == own
    everything = site_statuses(wordpress)
    mine = {c.remote_id for c in stored}
    assert Counter(everything[i] for i in mine) == Counter(c.status for c in stored)

    # a new comment on someone else's post stays out; one on the author's own post comes in
    others = next(int(p["id"]) for p in posts if int(p["id"]) not in own)
    add_comment(wordpress, others, "<p>Not yours</p>", status=0)
    add_comment(wordpress, min(own), "<p>Yours</p>", status=0)
    again = core.comments.sync(site.id)
    assert again.added == 1 and again.requests <= 7
    assert [c.text for c in core.comments.search("Yours")] == ["Yours"]
    assert core.comments.search("Not yours") == []


def test_an_editor_sees_the_whole_site(
    core: Core, add_site: AddSite, wordpress: WordPressServer
) -> None:
    seed_comments(wordpress, posts=4, per_post=15, authors=("author", "author2"))
    site = add_site("editor")
    report = core.comments.sync(site.id)
    assert (report.scope, report.added) == ("site", 60)
    assert len(core.comments.posts()) == 4
