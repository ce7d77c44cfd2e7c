"""Push against the real WordPress: roles, statuses, images, terms, scheduling, updates."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests

from app.core import Core
from app.errors import InvalidInputError, NotFoundError, PermissionDenied
from app.pieces.data import PieceData
from app.publishing.guards import ScheduleTooSoonError
from app.remote import RemoteServices
from app.sites.mapping import SiteMapping
from tests.helpers.pictures import write_png
from tests.helpers.wp_server import WordPressServer
from tests.integration.conftest import AddSite

pytestmark = [pytest.mark.wordpress, pytest.mark.keyring]


def remote_posts(wp: WordPressServer) -> list[dict[str, object]]:
    found = wp.rest("GET", "/wp/v2/posts", params={"status": "any", "context": "edit", "per_page": 100})
    assert isinstance(found, list)
    return found


def ids(values: object) -> str:
    assert isinstance(values, list)
    return ",".join(str(v) for v in values)


def new_piece(core: Core, **fields: object) -> PieceData:
    data = PieceData(title="Night buses", standfirst="The *last* bus home.", body="It was late.\n")
    return core.pieces.create(data.copy(**fields))


ROLES = ["admin", "editor", "author", "contributor"]
STATUSES = ["draft", "pending", "future", "publish"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("status", STATUSES)
def test_every_role_and_status(
    *,
    core: Core,
    remote: RemoteServices,
    add_site: AddSite,
    wordpress: WordPressServer,
    role: str,
    status: str,
) -> None:
    site = add_site(role)
    publish_at = datetime.now(UTC).replace(microsecond=0) + timedelta(days=2)
    piece = new_piece(core, publish_at=publish_at)
    if role == "contributor" and status in ("future", "publish"):
        with pytest.raises(PermissionDenied) as refused:
            remote.publisher.push(piece.id, site.id, status=status)
        assert refused.value.message == (
            f"Your role on {site.name} (contributor) does not allow publishing or scheduling."
        )
        assert "Pending review" in refused.value.hint
        assert remote_posts(wordpress) == []
        return
    result = remote.publisher.push(piece.id, site.id, status=status)
    assert result.created and result.status == status and result.notices == ()
    [post] = remote_posts(wordpress)
    assert post["id"] == result.post_id and post["status"] == status
    assert post["author"] == wordpress.users[role]["id"]
    if status == "future":
        assert post["date_gmt"] == publish_at.strftime("%Y-%m-%dT%H:%M:%S")


def test_wordpress_itself_refuses_a_contributor_who_publishes(
    core: Core, remote: RemoteServices, wordpress: WordPressServer
) -> None:
    """A site added without a check does not know the role: WordPress's own 403 is explained."""
    site, report = remote.sites.add(
        "Unchecked", wordpress.url, "contributor", wordpress.users["contributor"]["app_password"],
        check=False,
    )  # fmt: skip
    assert report is None
    piece = new_piece(core)
    with pytest.raises(PermissionDenied) as refused:
        remote.publisher.push(piece.id, site.id, status="publish")
    assert refused.value.message == "Your role on this site does not allow publishing or scheduling."
    assert remote_posts(wordpress) == []
    link = remote.links.get(piece.id, site.id)
    assert link is not None and link.pending is None  # refused: nothing is left pending


def test_sends_the_exact_html_of_the_preview_with_title_excerpt_slug_and_comments(
    core: Core, remote: RemoteServices, add_site: AddSite, wordpress: WordPressServer
) -> None:
    site = add_site("editor")
    remote.sites.set_mapping(site.id, SiteMapping(standfirst="excerpt"))  # the lead: test_mapping.py
    body = "Rain on the *windows*.\n\n## Later\n\n- one\n- two\n\n> A quote.\n"
    disclaimer = core.boilerplate.entries("disclaimer")[0]
    piece = new_piece(
        core, title="Fish & chips at 2 a.m.", body=body, comment_status="closed",
        disclaimer_id=disclaimer.id,
    )  # fmt: skip
    rendered = core.articles.render(piece)
    result = remote.publisher.push(piece.id, site.id, status="draft")
    post = wordpress.rest("GET", f"/wp/v2/posts/{result.post_id}", params={"context": "edit"})
    assert isinstance(post, dict)
    # block markup (docs/publishing.md, Blocks); with the plugin nothing is added
    assert post["content"]["raw"] == rendered.content_markup
    assert "cd-disclaimer" in post["content"]["raw"]  # the disclaimer goes with it
    assert post["title"]["raw"] == rendered.title_text == "Fish & chips at 2 a.m."
    assert post["excerpt"]["raw"] == "The last bus home."
    assert post["slug"] == piece.slug == "fish-and-chips-at-2-a-m"
    assert post["comment_status"] == "closed"
    assert post["meta"] == {"copydesk_uid": piece.uid}
    # an excerpt of its own wins over the standfirst
    core.pieces.save(core.pieces.get(piece.id).copy(excerpt="Chips, mostly."))
    remote.publisher.push(piece.id, site.id)
    post = wordpress.rest("GET", f"/wp/v2/posts/{result.post_id}", params={"context": "edit"})
    assert isinstance(post, dict) and post["excerpt"]["raw"] == "Chips, mostly."


def test_without_the_plugin_the_post_carries_a_hidden_marker(
    core: Core, remote: RemoteServices, add_site: AddSite, wordpress_plain: WordPressServer
) -> None:
    site = add_site("author", server=wordpress_plain)
    piece = new_piece(core, standfirst="")  # no lead paragraph (tests/integration/test_mapping.py)
    result = remote.publisher.push(piece.id, site.id)
    post = wordpress_plain.rest("GET", f"/wp/v2/posts/{result.post_id}", params={"context": "edit"})
    assert isinstance(post, dict)
    rendered = core.articles.render(piece).content_markup  # the marker in an HTML block
    marker = f"<!-- wp:html -->\n<!-- copydesk:{piece.uid} -->\n<!-- /wp:html -->"
    assert post["content"]["raw"] == f"{rendered}\n\n{marker}"


def test_images_are_uploaded_once_and_urls_rewritten(
    core: Core, remote: RemoteServices, add_site: AddSite, wordpress: WordPressServer, tmp_path: Path
) -> None:
    site = add_site("author")
    featured = write_png(tmp_path / "Front page.png", 120, 80, (10, 120, 200))
    inline = write_png(tmp_path / "bus stop.png", 64, 48)
    other = write_png(tmp_path / "night.png", 30, 30, (0, 0, 0))
    body = f"![A stop]({inline})\n\nText.\n\n![Night]({other})\n\nAgain: ![Same stop]({inline})\n"
    piece = new_piece(core, body=body, featured_image=str(featured))
    seen: list[tuple[int, int]] = []
    result = remote.publisher.push(piece.id, site.id, progress=lambda d, t: seen.append((d, t)))
    assert (result.uploaded, result.reused_images) == (3, 0)
    total = sum(p.stat().st_size for p in (featured, inline, other))
    assert seen[-1] == (total, total) and all(t == total for _, t in seen)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    media = wordpress.rest("GET", "/wp/v2/media", params={"per_page": 100})
    assert isinstance(media, list) and len(media) == 3
    urls = {m["id"]: m["source_url"] for m in media}
    post = wordpress.rest("GET", f"/wp/v2/posts/{result.post_id}", params={"context": "edit"})
    assert isinstance(post, dict)
    assert post["featured_media"] in urls
    content = post["content"]["raw"]
    assert "file:" not in content
    assert content.count(urls[next(m["id"] for m in media if "bus-stop" in m["source_url"])]) == 2
    alt = next(m for m in media if "bus-stop" in m["source_url"])["alt_text"]
    assert alt == "A stop"
    # the images arrived: the site serves them
    assert requests.get(urls[post["featured_media"]], timeout=10).content == featured.read_bytes()

    # a second push with new text uploads nothing again
    core.pieces.save(core.pieces.get(piece.id).copy(body=body + "\nA new paragraph.\n"))
    again = remote.publisher.push(piece.id, site.id)
    assert (again.uploaded, again.reused_images, again.created) == (0, 3, False)
    # a changed file is uploaded again; the others are not
    write_png(other, 31, 31, (0, 0, 0))
    third = remote.publisher.push(piece.id, site.id)
    assert (third.uploaded, third.reused_images) == (1, 2)
    media = wordpress.rest("GET", "/wp/v2/media", params={"per_page": 100})
    assert isinstance(media, list) and len(media) == 4
    # another piece with the same picture reuses the upload
    second = new_piece(core, title="Second", body=f"![Stop]({inline})\n")
    assert remote.publisher.push(second.id, site.id).reused_images == 1


def test_a_missing_image_stops_the_push_before_anything_is_sent(
    core: Core, remote: RemoteServices, add_site: AddSite, wordpress: WordPressServer, tmp_path: Path
) -> None:
    site = add_site("admin")
    piece = new_piece(core, body=f"![Gone]({tmp_path / 'gone.png'})\n")
    with pytest.raises(InvalidInputError) as bad:
        remote.publisher.push(piece.id, site.id)
    assert "gone.png does not exist" in bad.value.message
    assert remote_posts(wordpress) == []


def test_a_contributor_cannot_upload_images(
    core: Core, remote: RemoteServices, add_site: AddSite, wordpress: WordPressServer, tmp_path: Path
) -> None:
    site = add_site("contributor")
    piece = new_piece(core, body=f"![Pic]({write_png(tmp_path / 'p.png')})\n")
    with pytest.raises(PermissionDenied) as refused:
        remote.publisher.push(piece.id, site.id, status="pending")
    assert refused.value.message == "Your role on this site does not allow uploading images."
    assert remote_posts(wordpress) == []


def test_categories_and_tags_by_name(
    core: Core, remote: RemoteServices, add_site: AddSite, wordpress: WordPressServer
) -> None:
    wordpress.rest("POST", "/wp/v2/categories", json={"name": "Arts & Culture", "slug": "arts"})
    wordpress.rest("POST", "/wp/v2/categories", json={"name": "Opinion"})
    author = add_site("author")
    editor = add_site("editor")
    # the author may use existing categories (whatever their slug) and create tags
    piece = new_piece(core, categories=["opinion", "Arts & Culture"], tags=["Buses", "Night life"])
    result = remote.publisher.push(piece.id, author.id)
    post = wordpress.rest("GET", f"/wp/v2/posts/{result.post_id}", params={"context": "edit"})
    assert isinstance(post, dict)
    cats = wordpress.rest("GET", "/wp/v2/categories", params={"include": ids(post["categories"])})
    tags = wordpress.rest("GET", "/wp/v2/tags", params={"include": ids(post["tags"])})
    assert isinstance(cats, list) and isinstance(tags, list)
    assert sorted(c["name"] for c in cats) == ["Arts &amp; Culture", "Opinion"]
    assert sorted(t["name"] for t in tags) == ["Buses", "Night life"]
    # ... but not new categories: the error names them, and nothing was made on the site
    refused = new_piece(
        core, title="Other", categories=["Transport", "Opinion", "Cities"], tags=["New tag"]
    )
    with pytest.raises(PermissionDenied) as denied:
        remote.publisher.push(refused.id, author.id)
    assert denied.value.message == (
        "The site has no categories “Transport” and “Cities”, and your role may not create them."
    )
    assert denied.value.hint.startswith("Ask an editor to create them")
    names = wordpress.rest("GET", "/wp/v2/tags", params={"per_page": 100})
    assert isinstance(names, list) and "New tag" not in [t["name"] for t in names]
    assert len(remote_posts(wordpress)) == 1
    # an editor creates them
    created = remote.publisher.push(refused.id, editor.id)
    post = wordpress.rest("GET", f"/wp/v2/posts/{created.post_id}", params={"context": "edit"})
    assert isinstance(post, dict) and len(post["categories"]) == 3


def test_author_unchecked_site_hears_wordpress_refuse_a_new_category(
    core: Core, remote: RemoteServices, wordpress: WordPressServer
) -> None:
    site, _ = remote.sites.add(
        "Unchecked", wordpress.url, "author", wordpress.users["author"]["app_password"], check=False
    )
    piece = new_piece(core, categories=["Transport"])
    with pytest.raises(PermissionDenied) as denied:
        remote.publisher.push(piece.id, site.id)
    assert "no category “Transport”" in denied.value.message
    assert remote_posts(wordpress) == []


def test_scheduling(
    core: Core, remote: RemoteServices, add_site: AddSite, wordpress: WordPressServer
) -> None:
    site = add_site("author")
    later = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=5)
    piece = new_piece(core, publish_at=later)
    result = remote.publisher.push(piece.id, site.id, status="future")
    assert result.status == "future" and result.status_label == "Scheduled"
    # less than a minute ahead, or past: WordPress would publish at once, so nothing is sent
    # (tests/integration/test_push_guards.py covers the guard through the outbox and the CLI)
    soon = new_piece(core, title="Soon", publish_at=datetime.now(UTC) + timedelta(seconds=20))
    with pytest.raises(ScheduleTooSoonError, match="less than a minute away") as refused:
        remote.publisher.push(soon.id, site.id, status="future")
    assert not refused.value.passed and "Publish it now" in refused.value.hint
    past = new_piece(core, title="Late", publish_at=datetime.now(UTC) - timedelta(hours=2))
    with pytest.raises(ScheduleTooSoonError, match="has passed"):
        remote.publisher.push(past.id, site.id, status="future")
    assert [p["id"] for p in remote_posts(wordpress)] == [result.post_id]
    # publishing the scheduled one now publishes it now, not at its date
    published = remote.publisher.push(piece.id, site.id, status="publish")
    assert published.status == "publish" and published.post_id == result.post_id
    post = wordpress.rest("GET", f"/wp/v2/posts/{result.post_id}")
    assert isinstance(post, dict)
    published_at = datetime.fromisoformat(post["date_gmt"]).replace(tzinfo=UTC)
    assert published_at < datetime.now(UTC) + timedelta(minutes=1)
    # scheduling needs a time
    undated = new_piece(core, title="No date")
    with pytest.raises(InvalidInputError, match="Set the publication date"):
        remote.publisher.push(undated.id, site.id, status="future")


def test_updates_never_duplicate(
    core: Core, remote: RemoteServices, add_site: AddSite, wordpress: WordPressServer
) -> None:
    site = add_site("author")
    piece = new_piece(core)
    first = remote.publisher.push(piece.id, site.id, status="draft")
    unchanged = remote.publisher.push(piece.id, site.id)
    assert unchanged.unchanged and unchanged.requests == 1 and unchanged.post_id == first.post_id
    for number in range(3):
        edited = core.pieces.get(piece.id).copy(body=f"Version {number}.\n")
        core.pieces.save(edited)
        result = remote.publisher.push(piece.id, site.id)
        assert result.post_id == first.post_id and not result.created
    posts = remote_posts(wordpress)
    assert len(posts) == 1 and "Version 2." in posts[0]["content"]["raw"]
    assert posts[0]["status"] == "draft"  # no status given: the site's status stays
    # a status given is applied to the same post
    assert remote.publisher.push(piece.id, site.id, status="pending").post_id == first.post_id
    assert [p["status"] for p in remote_posts(wordpress)] == ["pending"]


def test_formatting_wordpress_removes_is_reported(
    core: Core, remote: RemoteServices, add_site: AddSite
) -> None:
    site = add_site("author")  # no unfiltered_html
    piece = new_piece(core, body='Due on <time datetime="2026-12-01">1 December</time>.\n')
    result = remote.publisher.push(piece.id, site.id)
    assert result.notices == (
        "WordPress removed some formatting that your role may not use (<time>); the site shows "
        "the text without it.",
    )


def test_a_post_deleted_on_the_site(
    core: Core, remote: RemoteServices, add_site: AddSite, wordpress: WordPressServer
) -> None:
    site = add_site("editor")
    piece = new_piece(core)
    result = remote.publisher.push(piece.id, site.id)
    wordpress.rest("DELETE", f"/wp/v2/posts/{result.post_id}", params={"force": "true"})
    core.pieces.save(core.pieces.get(piece.id).copy(body="New.\n"))
    with pytest.raises(NotFoundError) as gone:
        remote.publisher.push(piece.id, site.id)
    assert gone.value.message == (
        f"The post this piece was pushed to on {site.name} (#{result.post_id}) no longer exists."
    )
    assert remote.publisher.unlink(piece.id, site.id)
    again = remote.publisher.push(piece.id, site.id)
    assert again.created and again.post_id != result.post_id


def test_link_records_terms_and_media(
    core: Core, remote: RemoteServices, add_site: AddSite, tmp_path: Path
) -> None:
    site = add_site("editor")
    image = write_png(tmp_path / "a.png")
    piece = new_piece(core, tags=["Rain"], categories=["Weather"], featured_image=str(image))
    result = remote.publisher.push(piece.id, site.id)
    [link] = remote.publisher.links_of(piece.id)
    assert link.remote_id == result.post_id and link.link == result.link
    assert set(link.terms) == {"category", "tag"} and "Weather" in link.terms["category"]
    assert link.media[str(image)].state == "done" and link.media[str(image)].id > 0
    assert json.loads(json.dumps(link.terms)) == link.terms


def test_a_checked_push_renders_the_article_once_and_its_result_comes_back_typed(
    core: Core,
    remote: RemoteServices,
    add_site: AddSite,
    wordpress: WordPressServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from app.publishing.jobs import PushResult
    from app.render import RenderedArticle

    site = add_site("author")
    piece = new_piece(core)
    rendered: list[str] = []
    render = core.articles.render

    def counting_render(data: PieceData) -> RenderedArticle:
        rendered.append(data.body)
        return render(data)

    monkeypatch.setattr(core.articles, "render", counting_render)
    remote.publisher.validate(piece.id, site.id, "draft")
    job = remote.outbox.enqueue_push(piece.id, site.id, status="draft")
    outcome = remote.worker().run_job(job.id)
    assert outcome.done and rendered == ["It was late.\n"]
    result = PushResult.of_job(outcome.job)
    assert result.created and result.status == "draft" and result.status_label == "Draft"
    assert PushResult.from_json(result.to_json()) == result

    # changed after the check: the push renders the piece as it is now, not the checked one
    remote.publisher.validate(piece.id, site.id, None)
    core.pieces.save(core.pieces.get(piece.id).copy(body="Much later.\n"), reason="saved")
    again = remote.publisher.push(piece.id, site.id)
    assert rendered[1:] == ["It was late.\n", "Much later.\n"] and not again.unchanged
    [post] = remote_posts(wordpress)
    assert "Much later." in str(post["content"])
