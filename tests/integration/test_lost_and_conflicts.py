"""Answers lost on the way (really dropped by a proxy) and edits made on the site meanwhile."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.cms.base import LostResponseError, SiteBusyError
from app.core import Core
from app.pieces.data import PieceData
from app.publishing import PushConflictError
from app.remote import RemoteServices
from tests.helpers.fault_proxy import (
    FaultProxy,
    creates_post,
    http_response,
    uploads_media,
    writes_post,
)
from tests.helpers.pictures import write_png
from tests.helpers.wp_server import WordPressServer
from tests.integration.conftest import AddSite

pytestmark = [pytest.mark.wordpress, pytest.mark.keyring]


def posts(wp: WordPressServer) -> list[dict[str, object]]:
    found = wp.rest("GET", "/wp/v2/posts", params={"status": "any", "context": "edit"})
    assert isinstance(found, list)
    return found


@pytest.fixture
def proxy(wordpress: WordPressServer) -> Iterator[FaultProxy]:
    with FaultProxy(wordpress.url) as running:
        yield running


@pytest.fixture
def plain_proxy(wordpress_plain: WordPressServer) -> Iterator[FaultProxy]:
    with FaultProxy(wordpress_plain.url) as running:
        yield running


def new_piece(core: Core, **fields: object) -> PieceData:
    return core.pieces.create(PieceData(title="Harbour lights", body="Boats.\n").copy(**fields))


@pytest.mark.parametrize("plugin", [True, False], ids=["companion", "marker"])
def test_a_lost_create_is_found_instead_of_made_twice(
    core: Core,
    remote: RemoteServices,
    add_site: AddSite,
    request: pytest.FixtureRequest,
    plugin: bool,
) -> None:
    server: WordPressServer = request.getfixturevalue("wordpress" if plugin else "wordpress_plain")
    proxy: FaultProxy = request.getfixturevalue("proxy" if plugin else "plain_proxy")
    site = add_site("author", url=proxy.url, server=server)
    assert bool(site.companion_version) is plugin
    proxy.add(creates_post, "drop")
    piece = new_piece(core)
    with pytest.raises(LostResponseError) as lost:
        remote.publisher.push(piece.id, site.id, status="draft")
    assert "broke before its answer arrived" in lost.value.message
    assert "nothing is made twice" in lost.value.hint
    assert len(posts(server)) == 1  # WordPress did make it
    link = remote.links.get(piece.id, site.id)
    assert link is not None and link.remote_id is None and link.pending is not None

    result = remote.publisher.push(piece.id, site.id, status="draft")
    [post] = posts(server)
    assert result.post_id == post["id"] and not result.created
    assert any("arrived after all" in notice for notice in result.notices)
    creates = [r for r in proxy.requests if creates_post(r)]
    assert len(creates) == 1  # the retry searched and updated; it made nothing


def test_a_create_that_never_arrived_is_made_on_retry(
    core: Core, remote: RemoteServices, add_site: AddSite, proxy: FaultProxy, wordpress: WordPressServer
) -> None:
    site = add_site("editor", url=proxy.url)
    # the proxy answers 502 without passing the request on: nothing was made
    proxy.add(
        creates_post,
        "respond",
        http_response(502, "<html>Bad gateway</html>", {"Content-Type": "text/html"}),
    )
    piece = new_piece(core)
    with pytest.raises(SiteBusyError, match="had a problem of its own"):
        remote.publisher.push(piece.id, site.id)
    link = remote.links.get(piece.id, site.id)
    assert link is not None and link.pending is not None  # a 5xx may have done something
    result = remote.publisher.push(piece.id, site.id)
    assert result.created and len(posts(wordpress)) == 1


def test_a_lost_update_is_not_taken_for_someone_elses_edit(
    core: Core, remote: RemoteServices, add_site: AddSite, proxy: FaultProxy, wordpress: WordPressServer
) -> None:
    site = add_site("author", url=proxy.url)
    piece = new_piece(core)
    first = remote.publisher.push(piece.id, site.id)
    core.pieces.save(core.pieces.get(piece.id).copy(body="Boats & nets.\n"))
    proxy.add(writes_post, "drop")
    with pytest.raises(LostResponseError):
        remote.publisher.push(piece.id, site.id)
    again = remote.publisher.push(piece.id, site.id)  # no conflict: the site holds what was sent
    assert again.post_id == first.post_id
    [post] = posts(wordpress)
    assert "Boats &amp; nets." in str(post["content"]) or "Boats & nets." in str(post["content"])


def test_a_lost_upload_is_not_uploaded_twice(
    *,
    core: Core,
    remote: RemoteServices,
    add_site: AddSite,
    proxy: FaultProxy,
    wordpress: WordPressServer,
    tmp_path: Path,
) -> None:
    site = add_site("author", url=proxy.url)
    image = write_png(tmp_path / "boat.png")
    piece = new_piece(core, featured_image=str(image))
    proxy.add(uploads_media, "drop")
    with pytest.raises(LostResponseError):
        remote.publisher.push(piece.id, site.id)
    result = remote.publisher.push(piece.id, site.id)
    media = wordpress.rest("GET", "/wp/v2/media")
    assert isinstance(media, list) and len(media) == 1
    assert (result.uploaded, result.reused_images) == (0, 1)
    post = wordpress.rest("GET", f"/wp/v2/posts/{result.post_id}")
    assert isinstance(post, dict) and post["featured_media"] == media[0]["id"]


def edit_on_site(wp: WordPressServer, post_id: int, **fields: object) -> None:
    wp.rest("POST", f"/wp/v2/posts/{post_id}", "editor", json=fields)


def test_a_conflict_overwrites_nothing_and_carries_both_versions(
    core: Core, remote: RemoteServices, add_site: AddSite, wordpress: WordPressServer
) -> None:
    site = add_site("author")
    piece = new_piece(core, body="Boats at dawn.\n")
    first = remote.publisher.push(piece.id, site.id)
    edit_on_site(wordpress, first.post_id, content="<p>Boats at dusk, says the editor.</p>")
    core.pieces.save(core.pieces.get(piece.id).copy(body="Boats at noon.\n"))
    with pytest.raises(PushConflictError) as conflict:
        remote.publisher.push(piece.id, site.id)
    error = conflict.value
    assert error.message == (
        f"Someone changed “Harbour lights” on {site.name} since your last push, so nothing was "
        "overwritten."
    )
    assert error.hint == "Compare the two versions and choose: keep yours, take theirs, or merge them."
    info = error.info
    assert info.theirs.content == "<p>Boats at dusk, says the editor.</p>"
    assert info.theirs_piece.body == "Boats at dusk, says the editor.\n"
    assert info.mine.body == "Boats at noon.\n" and "Boats at noon." in info.mine_html
    assert info.last_synced_gmt and info.theirs_modified_gmt >= info.last_synced_gmt
    [post] = posts(wordpress)
    assert post["content"]["raw"] == "<p>Boats at dusk, says the editor.</p>"  # type: ignore[index]

    # keep mine: replaces exactly the version that was seen
    kept = remote.publisher.keep_mine(info)
    assert kept.post_id == first.post_id
    assert any("as you chose" in n for n in kept.notices)
    [post] = posts(wordpress)
    assert "Boats at noon." in post["content"]["raw"]  # type: ignore[index]


def test_keep_mine_refuses_a_version_that_changed_again(
    core: Core, remote: RemoteServices, add_site: AddSite, wordpress: WordPressServer
) -> None:
    site = add_site("author")
    piece = new_piece(core)
    first = remote.publisher.push(piece.id, site.id)
    edit_on_site(wordpress, first.post_id, title="Their title")
    with pytest.raises(PushConflictError) as seen:
        remote.publisher.push(piece.id, site.id)
    time.sleep(1.1)  # modified_gmt has one-second steps
    edit_on_site(wordpress, first.post_id, title="Their second title")
    with pytest.raises(PushConflictError) as again:
        remote.publisher.keep_mine(seen.value.info)
    assert again.value.info.theirs.title == "Their second title"


def test_take_theirs_keeps_mine_in_the_revisions(
    core: Core, remote: RemoteServices, add_site: AddSite, wordpress: WordPressServer
) -> None:
    site = add_site("author")
    piece = new_piece(core, body="Mine.\n", tags=["Boats"])
    first = remote.publisher.push(piece.id, site.id)
    edit_on_site(wordpress, first.post_id, content="<p>Theirs, <em>edited</em>.</p>", title="New title")
    with pytest.raises(PushConflictError):
        remote.publisher.push(piece.id, site.id)
    taken = remote.publisher.take_theirs(piece.id, site.id)
    assert (taken.title, taken.body, taken.tags) == ("New title", "Theirs, *edited*.\n", ["Boats"])
    history = core.pieces.revisions.history(piece.id)
    assert [r.reason for r in history[:2]] == ["pulled", "saved"]
    before = core.pieces.revisions.content(history[1].id)
    assert before.body == "Mine.\n"
    # the piece is in step with the site now: the next push updates without a conflict
    result = remote.publisher.push(piece.id, site.id)
    assert result.post_id == first.post_id


def test_push_merged(
    core: Core, remote: RemoteServices, add_site: AddSite, wordpress: WordPressServer
) -> None:
    site = add_site("author")
    piece = new_piece(core, body="First paragraph.\n")
    first = remote.publisher.push(piece.id, site.id)
    edit_on_site(wordpress, first.post_id, content="<p>First paragraph, edited.</p>")
    with pytest.raises(PushConflictError) as conflict:
        remote.publisher.push(piece.id, site.id)
    merged = conflict.value.info.mine.copy(body="First paragraph, edited.\n\nAnd mine.\n")
    result = remote.publisher.push_merged(conflict.value.info, merged)
    assert result.post_id == first.post_id
    [post] = posts(wordpress)
    assert "And mine." in post["content"]["raw"] and "edited" in post["content"]["raw"]  # type: ignore[index]
    assert core.pieces.get(piece.id).body == "First paragraph, edited.\n\nAnd mine.\n"


def test_an_editor_publishing_is_not_a_conflict(
    core: Core, remote: RemoteServices, add_site: AddSite, wordpress: WordPressServer
) -> None:
    site = add_site("contributor")
    piece = new_piece(core)
    first = remote.publisher.push(piece.id, site.id, status="pending")
    edit_on_site(wordpress, first.post_id, status="draft")  # sent back, text untouched
    core.pieces.save(core.pieces.get(piece.id).copy(body="Revised.\n"))
    result = remote.publisher.push(piece.id, site.id, status="pending")
    assert result.notices[0].startswith("Someone changed the post's status or date on the site")
    assert result.status == "pending"
