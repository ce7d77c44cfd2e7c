"""A site that answers a byte at a time: every request ends at its deadline, with a message.

The deadline is shortened to 2 s for these tests (``app.cms.http.DEFAULT_DEADLINE`` is read when a
request is made). The drip sends one byte a second, far under the 20 s read timeout of the tests, so
only the deadline can end a request; it hangs up after a few bytes, so that without a deadline the
tests fail (on a cut-off answer) instead of hanging.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from app.cms.base import LostResponseError
from app.core import Core
from app.errors import NetworkError
from app.pieces.data import PieceData
from app.remote import RemoteServices
from app.sites.registry import SiteData
from tests.helpers.fault_proxy import FaultProxy, Request, creates_post, route
from tests.helpers.wp_server import WordPressServer

pytestmark = [pytest.mark.wordpress, pytest.mark.keyring]

DEADLINE = 2.0


def drip(proxy: FaultProxy, match: Callable[[Request], bool], *, head_too: bool = False) -> None:
    proxy.add(match, "drip", interval=1.0, limit=6, head_too=head_too, times=-1)


@pytest.fixture(autouse=True)
def short_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("app.cms.http.DEFAULT_DEADLINE", DEADLINE)


@pytest.fixture
def site(wordpress: WordPressServer) -> Iterator[FaultProxy]:
    with FaultProxy(wordpress.url) as proxy:
        yield proxy


@pytest.fixture
def added(remote: RemoteServices, wordpress: WordPressServer, site: FaultProxy) -> SiteData:
    stored, _report = remote.sites.add(
        "Gazette", site.url, "editor", wordpress.users["editor"]["app_password"]
    )
    return stored


def expect_deadline(error: NetworkError, proxy: FaultProxy) -> None:
    assert error.message.startswith(
        f"127.0.0.1:{proxy.port} did not finish answering within 2 seconds, so Copydesk stopped waiting."
    ), error.message
    assert error.hint


@pytest.mark.parametrize("head_too", [False, True], ids=["body", "headers"])
def test_site_check_ends(
    remote: RemoteServices, site: FaultProxy, added: SiteData, head_too: bool
) -> None:
    drip(site, lambda r: route(r) == "/wp/v2/users/me", head_too=head_too)
    report = remote.sites.check(added.id)
    problem = report.item("credentials")
    assert problem is not None and problem.level == "error" and problem.cause == "network"
    assert problem.title.startswith(f"127.0.0.1:{site.port} did not finish answering within 2")


def test_site_add_ends(remote: RemoteServices, wordpress: WordPressServer, site: FaultProxy) -> None:
    drip(site, lambda r: route(r) in ("", "/"))
    with pytest.raises(NetworkError) as failed:
        remote.sites.add("Gazette", site.url, "editor", wordpress.users["editor"]["app_password"])
    expect_deadline(failed.value, site)
    assert remote.sites.list() == []


def test_pull_ends(remote: RemoteServices, site: FaultProxy, added: SiteData) -> None:
    drip(site, lambda r: route(r) == "/wp/v2/posts")
    with pytest.raises(NetworkError) as failed:
        remote.puller.list_posts(added.id)
    expect_deadline(failed.value, site)


def test_a_push_whose_answer_drips_is_a_lost_answer_and_never_a_duplicate(
    core: Core, remote: RemoteServices, site: FaultProxy, added: SiteData, wordpress: WordPressServer
) -> None:
    piece = core.pieces.create(PieceData(title="Slow gulls"))
    site.add(creates_post, "drip", interval=1.0, limit=6)  # WordPress makes the post, then drips
    with pytest.raises(LostResponseError) as failed:
        remote.publisher.push(piece.id, added.id)
    expect_deadline(failed.value, site)
    again = remote.publisher.push(piece.id, added.id)
    assert not again.created
    titles = [p["title"]["raw"] for p in wordpress.rest("GET", "/wp/v2/posts",
              params={"status": "any", "context": "edit", "per_page": 100})]  # fmt: skip
    assert titles.count("Slow gulls") == 1


def test_comments_sync_ends(core: Core, site: FaultProxy, added: SiteData) -> None:
    drip(site, lambda r: route(r) == "/wp/v2/comments")
    with pytest.raises(NetworkError) as failed:
        core.comments.sync(added.id)
    expect_deadline(failed.value, site)
