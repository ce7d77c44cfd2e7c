"""The byline and the standfirst on the real WordPress: as the author, as custom fields, as the lead."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from app.core import Core
from app.errors import InvalidInputError, PermissionDenied
from app.pieces.data import PieceData
from app.remote import RemoteServices
from app.sites.mapping import SiteMapping
from tests.helpers.cli_runner import Cli
from tests.helpers.wp_server import WordPressServer
from tests.integration.conftest import AddSite
from tests.integration.test_cli_remote import add_site as cli_add_site

pytestmark = [pytest.mark.wordpress, pytest.mark.keyring]

LEAD = (
    '<!-- wp:paragraph {"className":"copydesk-standfirst"} -->\n'
    '<p class="copydesk-standfirst">The <em>last</em> bus home.</p>\n'
    "<!-- /wp:paragraph -->\n\n"
)


def new_piece(core: Core, **fields: Any) -> PieceData:
    data = PieceData(title="Night buses", standfirst="The *last* bus home.", body="It was late.\n")
    return core.pieces.create(data.copy(**fields))


def edit_view(wp: WordPressServer, post_id: int) -> dict[str, Any]:
    post = wp.rest("GET", f"/wp/v2/posts/{post_id}", params={"context": "edit"})
    assert isinstance(post, dict)
    return post


def raw_get(wp: WordPressServer, url: str, user: str, **params: Any) -> requests.Response:
    with requests.Session() as session:
        session.trust_env = False  # straight to loopback
        return session.get(url, params=params, auth=wp.auth(user), timeout=30)


def post_count(wp: WordPressServer) -> int:
    found = wp.rest("GET", "/wp/v2/posts", params={"status": "any", "context": "edit"})
    assert isinstance(found, list)
    return len(found)


@pytest.mark.parametrize("role", ["admin", "editor"])
def test_an_editor_credits_any_author(
    core: Core, remote: RemoteServices, add_site: AddSite, wordpress: WordPressServer, role: str
) -> None:
    site = add_site(role)
    piece = new_piece(core, byline="By Author")  # a leading "By" is not part of the name
    result = remote.publisher.push(piece.id, site.id, status="draft")
    assert edit_view(wordpress, result.post_id)["author"] == wordpress.users["author"]["id"]
    # the byline changed: the post is credited to the new author, even with nothing else changed
    core.pieces.save(core.pieces.get(piece.id).copy(byline="contributor"))
    again = remote.publisher.push(piece.id, site.id)
    assert not again.unchanged
    assert edit_view(wordpress, result.post_id)["author"] == wordpress.users["contributor"]["id"]
    # nobody of that name: refused before anything is sent, naming the site's authors
    core.pieces.save(core.pieces.get(piece.id).copy(byline="Ann Nobody"))
    with pytest.raises(InvalidInputError, match="called “Ann Nobody”") as refused:
        remote.publisher.push(piece.id, site.id)
    assert "Author" in refused.value.hint and "Editor" in refused.value.hint
    assert edit_view(wordpress, result.post_id)["author"] == wordpress.users["contributor"]["id"]


@pytest.mark.parametrize("role", ["author", "contributor"])
def test_others_may_credit_only_themselves(
    core: Core, remote: RemoteServices, add_site: AddSite, wordpress: WordPressServer, role: str
) -> None:
    site = add_site(role)
    name = role.capitalize()  # the test site's display names
    own = new_piece(core, byline=name)
    result = remote.publisher.push(own.id, site.id, status="pending")
    assert edit_view(wordpress, result.post_id)["author"] == wordpress.users[role]["id"]
    other = new_piece(core, title="Not mine", byline="Editor")
    with pytest.raises(PermissionDenied) as refused:
        remote.publisher.push(other.id, site.id, status="pending")
    assert refused.value.message == (
        f"The byline is “Editor”, but your role on {site.name} lets you publish only under your "
        f"own name ({name})."
    )
    assert "custom field" in refused.value.hint
    assert post_count(wordpress) == 1  # nothing was sent


def test_without_the_plugin_an_editor_still_finds_the_authors(
    core: Core, remote: RemoteServices, add_site: AddSite, wordpress_plain: WordPressServer
) -> None:
    site = add_site("editor", server=wordpress_plain)
    assert not site.companion_version
    piece = new_piece(core, byline="Author")
    result = remote.publisher.push(piece.id, site.id, status="draft")
    assert (
        edit_view(wordpress_plain, result.post_id)["author"] == (wordpress_plain.users["author"]["id"])
    )


def test_the_plugin_lists_only_the_assignable_authors(wordpress: WordPressServer) -> None:
    for role in ("admin", "editor"):
        answer = wordpress.rest("GET", "/copydesk/v1/authors", user=role)
        assert answer["may_choose"] is True
        names = {a["name"] for a in answer["authors"]}
        assert {"admin", "Editor", "Author", "Contributor"} <= names
    # core refuses an editor the list by role; the plugin is the way
    refused = raw_get(wordpress, wordpress.rest_url("/wp/v2/users"), "editor", roles="author")
    assert refused.status_code == 403
    answer = wordpress.rest("GET", "/copydesk/v1/authors", user="author")
    assert answer["may_choose"] is False
    assert [a["id"] for a in answer["authors"]] == [wordpress.users["author"]["id"]]


def test_byline_and_standfirst_as_custom_fields(
    core: Core, remote: RemoteServices, add_site: AddSite, wordpress: WordPressServer
) -> None:
    site = add_site("author")
    mapping = SiteMapping(
        byline="field", byline_field="byline_text", standfirst="field", standfirst_field="subtitle"
    )
    remote.sites.set_mapping(site.id, mapping)
    piece = new_piece(core, byline="Jo Bloggs, transport correspondent")  # anyone: only a field
    result = remote.publisher.push(piece.id, site.id, status="draft")
    assert result.notices == ()
    post = edit_view(wordpress, result.post_id)
    assert post["copydesk_fields"] == {
        "byline_text": "Jo Bloggs, transport correspondent",
        "subtitle": "The last bus home.",
    }
    assert post["author"] == wordpress.users["author"]["id"]
    assert "copydesk-standfirst" not in post["content"]["raw"]
    # a changed field is sent again
    core.pieces.save(core.pieces.get(piece.id).copy(standfirst="The *first* bus out."))
    remote.publisher.push(piece.id, site.id)
    assert edit_view(wordpress, result.post_id)["copydesk_fields"]["subtitle"] == "The first bus out."


def test_custom_fields_without_the_plugin_are_reported(
    core: Core, remote: RemoteServices, add_site: AddSite, wordpress_plain: WordPressServer
) -> None:
    site = add_site("editor", server=wordpress_plain)
    remote.sites.set_mapping(site.id, SiteMapping(byline="field", byline_field="byline_text"))
    piece = new_piece(core, byline="Jo Bloggs")
    result = remote.publisher.push(piece.id, site.id, status="draft")
    assert any("did not store the custom field “byline_text”" in n for n in result.notices)


def test_standfirst_as_lead_by_default_and_back_on_pull(
    core: Core, remote: RemoteServices, add_site: AddSite, wordpress: WordPressServer
) -> None:
    site = add_site("editor")
    assert site.mapping == SiteMapping()  # new sites: byline as author, standfirst as the lead
    piece = new_piece(core)
    result = remote.publisher.push(piece.id, site.id, status="publish")
    post = edit_view(wordpress, result.post_id)
    assert post["content"]["raw"].startswith(LEAD)  # then the body, as the push writes it
    assert post["content"]["raw"].count('class="copydesk-standfirst"') == 1
    assert post["excerpt"]["raw"] == ""  # not twice
    # the stock theme (Twenty Twenty-Three) shows it on the post's page
    page = raw_get(wordpress, result.link, "admin").text
    assert 'class="copydesk-standfirst">The <em>last</em> bus home.</p>' in page
    # a pull gives the standfirst back, and the body without it
    theirs = remote.publisher.take_theirs(piece.id, site.id)
    assert theirs.standfirst == "The *last* bus home."
    assert theirs.body.strip() == "It was late."
    # pushed again: the same post, one lead paragraph, not two, and nothing to say
    assert remote.publisher.push(piece.id, site.id).notices == ()
    content = edit_view(wordpress, result.post_id)["content"]["raw"]
    assert content.startswith(LEAD) and content.count('class="copydesk-standfirst"') == 1


def test_standfirst_as_excerpt(
    core: Core, remote: RemoteServices, add_site: AddSite, wordpress: WordPressServer
) -> None:
    site = add_site("author")
    remote.sites.set_mapping(site.id, SiteMapping(standfirst="excerpt"))
    piece = new_piece(core)
    result = remote.publisher.push(piece.id, site.id, status="draft")
    post = edit_view(wordpress, result.post_id)
    assert post["excerpt"]["raw"] == "The last bus home."
    assert "copydesk-standfirst" not in post["content"]["raw"]
    # an excerpt of its own wins, and the push says the standfirst was left out
    core.pieces.save(core.pieces.get(piece.id).copy(excerpt="Chips."))
    again = remote.publisher.push(piece.id, site.id)
    assert edit_view(wordpress, result.post_id)["excerpt"]["raw"] == "Chips."
    assert any("standfirst was not sent" in n for n in again.notices)


def test_mapping_is_checked_and_kept(remote: RemoteServices, add_site: AddSite) -> None:
    site = add_site("editor")
    with pytest.raises(InvalidInputError, match="Name the custom field"):
        remote.sites.set_mapping(site.id, SiteMapping(byline="field"))
    with pytest.raises(InvalidInputError, match="cannot be a custom field"):
        remote.sites.set_mapping(site.id, SiteMapping(standfirst="field", standfirst_field="a b"))
    with pytest.raises(InvalidInputError, match="keeps for itself"):
        remote.sites.set_mapping(site.id, SiteMapping(byline="field", byline_field="copydesk_uid"))
    kept = remote.sites.set_mapping(site.id, SiteMapping(standfirst="excerpt"))
    assert remote.sites.get(site.id).mapping == kept.mapping == SiteMapping(standfirst="excerpt")


SEO = {
    "seo_title": "Night buses | Gazette",
    "meta_description": "What the last bus home says about a city.",
    "focus_keyphrase": "night bus",  # another name for focus_keyword
}


def test_seo_fields_reach_yoast_and_rank_math_through_the_plugin(
    core: Core, remote: RemoteServices, add_site: AddSite, wordpress: WordPressServer
) -> None:
    site = add_site("author")
    piece = new_piece(core, extra=dict(SEO))
    code = "define('WPSEO_VERSION', '99.0-test'); define('RANK_MATH_VERSION', '99.0-test');"
    with wordpress.mu_plugin("seo", code):  # the two plugins' markers: the companion registers
        result = remote.publisher.push(piece.id, site.id, status="draft")
        meta = edit_view(wordpress, result.post_id)["meta"]
    assert result.notices == ()
    assert {k: v for k, v in meta.items() if k != "copydesk_uid"} == {
        "_yoast_wpseo_title": "Night buses | Gazette",
        "_yoast_wpseo_metadesc": "What the last bus home says about a city.",
        "_yoast_wpseo_focuskw": "night bus",
        "rank_math_title": "Night buses | Gazette",
        "rank_math_description": "What the last bus home says about a city.",
        "rank_math_focus_keyword": "night bus",
    }
    # without an SEO plugin the site stores none of them, and the push says so
    other = new_piece(core, title="Trams", extra=dict(SEO))
    plain = remote.publisher.push(other.id, site.id, status="draft")
    assert any("SEO title, description or focus keyword were not stored" in n for n in plain.notices)


def test_the_command_line_sets_the_mapping(cli: Cli, wordpress: WordPressServer) -> None:
    cli_add_site(cli, wordpress, "editor")
    code, out, err = cli("site", "map", "gazette")
    assert (code, out, err) == (
        0, "Gazette: byline as the post's author; standfirst as the lead paragraph.\n", "",
    )  # fmt: skip
    code, out, _ = cli("site", "map", "Gazette", "--byline", "field:byline_text")
    assert out == "Gazette: byline in the field “byline_text”; standfirst as the lead paragraph.\n"
    code, out, _ = cli("site", "map", "Gazette", "--standfirst", "excerpt")
    assert out == "Gazette: byline in the field “byline_text”; standfirst as the excerpt.\n"
    code, _, err = cli("site", "map", "Gazette", "--standfirst", "field")
    assert code == 1 and "use lead, excerpt, field:NAME" in err
    code, _, err = cli("site", "map", "Gazette", "--byline", "field:no good")
    assert code == 1 and "cannot be a custom field's name" in err
    code, out, _ = cli("site", "map", "Gazette")
    assert out == "Gazette: byline in the field “byline_text”; standfirst as the excerpt.\n"
