"""Block posts against the real WordPress 6.1: every corpus post pulled and pushed back unchanged.

- As an editor (``unfiltered_html``), WordPress stores the posted markup byte for byte: the post must
  come back byte-identical.
- As an author, kses parses and re-serialises the markup on every save: the post must come back as the
  site stored it the first time (a second save changes nothing).
- A post written in the classic editor stays classic; an edited block comes back as the editor saves it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.core import Core
from app.pieces.data import PieceData
from app.remote import RemoteServices
from tests.helpers.block_oracle import normalise, php_parse_blocks
from tests.helpers.pictures import write_png
from tests.helpers.wp_server import WordPressServer
from tests.integration.conftest import AddSite

pytestmark = [pytest.mark.wordpress, pytest.mark.keyring]

CORPUS = Path(__file__).resolve().parents[1] / "data" / "blocks"
CLASSIC = "26-classic"  # no block at all: pushed back as HTML, never turned into blocks


def corpus() -> dict[str, str]:
    return {p.stem: p.read_bytes().decode("utf-8") for p in sorted(CORPUS.glob("*.html"))}


def raw(wp: WordPressServer, post_id: int, user: str) -> str:
    post = wp.rest("GET", f"/wp/v2/posts/{post_id}", user, params={"context": "edit"})
    text: str = post["content"]["raw"]
    return text


def create(wp: WordPressServer, user: str, name: str, content: str) -> dict[str, Any]:
    created: dict[str, Any] = wp.rest(
        "POST", "/wp/v2/posts", user, json={"title": name, "content": content, "status": "draft"}
    )
    return created


def round_trip(remote: RemoteServices, site_id: int, post_id: int) -> list[str]:
    piece = remote.puller.import_post(site_id, post_id)
    assert piece.id is not None
    result = remote.publisher.push(piece.id, site_id)
    assert result.post_id == post_id and not result.unchanged
    return list(result.notices)


def test_editor_round_trip_is_byte_identical_for_every_corpus_post(
    remote: RemoteServices, add_site: AddSite, wordpress: WordPressServer
) -> None:
    site = add_site("editor")
    posts = corpus()
    for name, content in posts.items():
        post = create(wordpress, "editor", name, content)
        assert raw(wordpress, post["id"], "editor") == content, f"{name}: stored as sent"
        round_trip(remote, site.id, post["id"])
        back = raw(wordpress, post["id"], "editor")
        if name == CLASSIC:
            assert "<!-- wp:" not in back and "The gulls agree." in back
        else:
            assert back == content, name
    assert len(posts) >= 30


def test_author_round_trip_is_idempotent_for_every_corpus_post(
    remote: RemoteServices, add_site: AddSite, wordpress: WordPressServer
) -> None:
    site = add_site("author")
    for name, content in corpus().items():
        post = create(wordpress, "author", name, content)
        stored = raw(wordpress, post["id"], "author")  # as kses re-serialised it
        round_trip(remote, site.id, post["id"])
        back = raw(wordpress, post["id"], "author")
        if name == CLASSIC:
            assert "<!-- wp:" not in back and "The gulls agree." in back
        else:
            assert back == stored, name


def test_an_edited_block_post_comes_back_as_the_editor_saves_it(
    core: Core, remote: RemoteServices, add_site: AddSite, wordpress: WordPressServer
) -> None:
    site = add_site("editor")
    content = corpus()["31-mixed-column"]
    post = create(wordpress, "editor", "Mixed", content)
    piece = remote.puller.import_post(site.id, post["id"])
    edited = piece.body.replace("Scarves", "Two scarves").replace("| Tue | Later |", "| Tue | Never |")
    core.pieces.save(core.pieces.get(piece.id).copy(body=edited))
    result = remote.publisher.push(piece.id, site.id)
    back = raw(wordpress, post["id"], "editor")
    expected = content.replace("Scarves", "Two scarves").replace("<td>Later</td>", "<td>Never</td>")
    assert back == expected
    assert result.notices == ()
    mine = php_parse_blocks([back])[0]
    assert [b["blockName"] for b in mine if b["blockName"]] == [
        b["blockName"] for b in normalise(php_parse_blocks([content])[0]) if b["blockName"]
    ]


def test_a_kept_block_is_announced_and_sent_back_untouched(
    core: Core, remote: RemoteServices, add_site: AddSite, wordpress: WordPressServer
) -> None:
    site = add_site("editor")
    content = corpus()["25-reusable"]
    post = create(wordpress, "editor", "Reusable", content)
    piece = remote.puller.import_post(site.id, post["id"])
    core.pieces.save(core.pieces.get(piece.id).copy(body=piece.body.replace("After", "Later")))
    result = remote.publisher.push(piece.id, site.id)
    assert raw(wordpress, post["id"], "editor") == content.replace("After", "Later")
    assert result.notices == (
        "1 part(s) of the post were kept exactly as they are on the site (core/block); edit them "
        "in WordPress.",
    )


def test_a_new_piece_goes_out_as_blocks_with_its_image_and_boilerplate_as_blocks(
    core: Core,
    remote: RemoteServices,
    add_site: AddSite,
    wordpress: WordPressServer,
    tmp_path: Path,
) -> None:
    site = add_site("author")  # kses re-serialises what an author sends: it must not change it
    picture = write_png(tmp_path / "quay.png", 40, 30)
    disclaimer = core.boilerplate.entries("disclaimer")[0]
    body = f'Fog.\n\n![The quay]({picture} "The quay at six")\n\n### Later\n\n1. one\n2. two\n'
    piece = core.pieces.create(
        PieceData(title="Quay", body=body, standfirst="", disclaimer_id=disclaimer.id)
    )
    assert piece.id is not None
    result = remote.publisher.push(piece.id, site.id)
    stored = raw(wordpress, result.post_id, "author")
    back = stored.replace('" />', '"/>')  # kses writes void tags its own way for an author
    media = wordpress.rest("GET", "/wp/v2/media", "author")
    media_id, url = media[0]["id"], media[0]["source_url"]
    assert (
        f'<!-- wp:image {{"id":{media_id},"sizeSlug":"full","linkDestination":"none"}} -->\n'
        f'<figure class="wp-block-image size-full"><img src="{url}" alt="The quay" '
        f'class="wp-image-{media_id}"/><figcaption class="wp-element-caption">The quay at six'
        "</figcaption></figure>\n<!-- /wp:image -->"
    ) in back
    assert '<!-- wp:heading {"level":3} -->\n<h3>Later</h3>' in back
    assert '<!-- wp:list {"ordered":true} -->\n<ol><!-- wp:list-item -->' in back
    assert (
        '<!-- wp:group {"tagName":"footer","className":"cd-disclaimer"} -->\n'
        '<footer class="wp-block-group cd-disclaimer"><!-- wp:paragraph -->'
    ) in back
    assert back.endswith("</footer>\n<!-- /wp:group -->")
    # what the site stored is what the block editor would save: pulled again, it is all Markdown
    copy = create(wordpress, "author", "Copy", stored)
    pulled = remote.puller.import_post(site.id, copy["id"])
    assert "<!-- copydesk:block" not in pulled.body
    assert f"{{.wp-image-{media_id} .size-full}}" in pulled.body
