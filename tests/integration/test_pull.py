"""Pull against the real WordPress: list a site's posts, open one as a piece, push it back."""

from __future__ import annotations

from typing import Any

import pytest

from app.core import Core
from app.errors import InvalidInputError, NotFoundError
from app.pieces.workflow import Status
from app.remote import RemoteServices
from tests.helpers.pictures import png_bytes
from tests.helpers.wp_server import WordPressServer
from tests.integration.conftest import AddSite

pytestmark = [pytest.mark.wordpress, pytest.mark.keyring]

CONTENT = """<!-- wp:paragraph -->
<p>The <strong>ferry</strong> leaves at <a href="https://example.org/times">six</a>.</p>
<!-- /wp:paragraph -->
<h2>On board</h2>
<ul><li>Tea</li><li>Gulls</li></ul>
<blockquote><p>Mind the gap.</p></blockquote>
<figure><img src="https://example.org/ferry.jpg" alt="The ferry"></figure>"""


def rest(wp: WordPressServer, method: str, route: str, user: str = "editor", **kwargs: Any) -> Any:
    """The site's REST API, as the editor unless told otherwise."""
    return wp.rest(method, route, user, **kwargs)


@pytest.fixture
def seeded(wordpress: WordPressServer) -> dict[str, Any]:
    category = rest(wordpress, "POST", "/wp/v2/categories", json={"name": "Travel"})
    tag = rest(wordpress, "POST", "/wp/v2/tags", json={"name": "Sea & sky"})
    media = rest(
        wordpress, "POST", "/wp/v2/media", data=png_bytes(),
        headers={"Content-Type": "image/png", "Content-Disposition": 'attachment; filename="f.png"'},
    )  # fmt: skip
    post = rest(
        wordpress,
        "POST",
        "/wp/v2/posts",
        json={
            "title": "Ferry & fog",
            "content": CONTENT,
            "excerpt": "A crossing.",
            "status": "publish",
            "categories": [category["id"]],
            "tags": [tag["id"]],
            "featured_media": media["id"],
            "slug": "ferry-fog",
        },
    )
    draft = rest(wordpress, "POST", "/wp/v2/posts", json={"title": "Draft note", "status": "draft"})
    return {"post": post, "draft": draft, "media": media}


def test_list_posts_of_a_site(remote: RemoteServices, add_site: AddSite, seeded: dict[str, Any]) -> None:
    site = add_site("editor")
    listing = remote.puller.list_posts(site.id)
    assert {p.title for p in listing.posts} == {"Ferry & fog", "Draft note"}
    assert listing.total == 2 and listing.linked == {}
    drafts = remote.puller.list_posts(site.id, status="draft")
    assert [(p.title, p.status_label) for p in drafts.posts] == [("Draft note", "Draft")]
    found = remote.puller.list_posts(site.id, search="ferry")
    assert [p.id for p in found.posts] == [seeded["post"]["id"]]
    with pytest.raises(InvalidInputError, match="is not a post status"):
        remote.puller.list_posts(site.id, status="published")


def test_open_a_post_as_a_piece_and_push_it_back(
    core: Core, remote: RemoteServices, add_site: AddSite, wordpress: WordPressServer,
    seeded: dict[str, Any],
) -> None:  # fmt: skip
    site = add_site("editor")
    post_id = seeded["post"]["id"]
    piece = remote.puller.import_post(site.id, post_id)
    assert piece.title == "Ferry & fog"
    # the block becomes Markdown; the classic HTML after it is kept exactly (docs/publishing.md, Blocks)
    classic = CONTENT[CONTENT.index("\n<h2>") :]
    assert piece.body == (
        "The **ferry** leaves at [six](https://example.org/times).\n\n"
        f"<!-- copydesk:block classic -->\n{classic}\n<!-- /copydesk:block -->\n"
    )
    assert (piece.categories, piece.tags) == (["Travel"], ["Sea & sky"])
    assert (piece.excerpt, piece.slug, piece.status) == ("A crossing.", "ferry-fog", Status.PUBLISHED)
    assert piece.featured_image == seeded["media"]["source_url"]
    assert piece.disclaimer_id is None and piece.snippet_ids == []
    assert [r.reason for r in core.pieces.revisions.history(piece.id)] == ["pulled"]
    listing = remote.puller.list_posts(site.id)
    assert listing.piece_of(post_id) == piece.id

    # pushed back: the same post, its featured image kept, no conflict
    core.pieces.save(core.pieces.get(piece.id).copy(body=piece.body + "\nA new line.\n"))
    result = remote.publisher.push(piece.id, site.id)
    assert result.post_id == post_id and not result.created and result.status == "publish"
    assert result.notices == (
        "1 part(s) of the post were kept exactly as they are on the site (classic); edit them in "
        "WordPress.",
    )
    post = rest(wordpress, "GET", f"/wp/v2/posts/{post_id}", params={"context": "edit"})
    assert post["content"]["raw"].startswith(CONTENT + "\n\n<!-- wp:paragraph -->\n<p>A new line.")
    assert post["featured_media"] == seeded["media"]["id"]
    assert "A new line." in post["content"]["raw"]
    assert len(rest(wordpress, "GET", "/wp/v2/posts", params={"status": "any"})) == 2

    with pytest.raises(InvalidInputError) as twice:
        remote.puller.import_post(site.id, post_id)
    assert twice.value.message == f"That post is already in your library as piece {piece.id}."


def test_classic_editor_paragraphs(
    remote: RemoteServices, add_site: AddSite, wordpress: WordPressServer
) -> None:
    post = rest(
        wordpress, "POST", "/wp/v2/posts",
        json={"title": "Classic", "content": "First line\nsame.\n\nSecond one.\n\n<h3>Head</h3>"},
    )  # fmt: skip
    site = add_site("editor")
    piece = remote.puller.import_post(site.id, post["id"])
    assert piece.body == "First line  \nsame.\n\nSecond one.\n\n### Head\n"


def test_a_missing_post(remote: RemoteServices, add_site: AddSite) -> None:
    site = add_site("author")
    with pytest.raises(NotFoundError, match="The site has no post with id 999."):
        remote.puller.import_post(site.id, 999)


def test_paging_through_many_posts(
    remote: RemoteServices, add_site: AddSite, wordpress: WordPressServer
) -> None:
    wordpress.run_php(
        "for ($i = 1; $i <= 230; $i++) { wp_insert_post(array('post_title' => \"Post $i\", "
        "'post_status' => 'publish', 'post_author' => 1)); }"
    )
    site = add_site("author")
    seen: list[tuple[int, int]] = []
    listing = remote.puller.list_posts(site.id, progress=lambda d, t: seen.append((d, t)))
    assert len(listing.posts) == 230 and len({p.id for p in listing.posts}) == 230
    assert seen == [(100, 230), (200, 230), (230, 230)]
    assert len(remote.puller.list_posts(site.id, limit=150).posts) == 150
