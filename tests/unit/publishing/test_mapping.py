"""The byline and standfirst mapping, the lead paragraph, and the push's guards, without a site."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from app.cms.base import PostFields, RemotePost
from app.cms.wordpress.authors import Authors, SiteAuthor, has_authors_route
from app.cms.wordpress.parse import parse_post, post_body
from app.errors import InvalidInputError
from app.pieces.data import PieceData
from app.publishing.convert import lead_block, split_lead
from app.publishing.guards import ScheduleTooSoonError, belongs_elsewhere, check_schedule
from app.publishing.links import LinkData
from app.publishing.mapping import check_fields_arrived, check_seo_arrived, mapped_fields, seo_fields
from app.sites.mapping import SiteMapping
from app.sites.registry import SiteData

UID = "6cf29419-68be-465d-a6bf-d2feddfc49fd"
OTHER = "20ac3a55-276a-47aa-93e1-6b4ffb78ee02"
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def site(mapping: SiteMapping) -> SiteData:
    return SiteData(
        id=1, name="Gazette", url="https://g.example", username="jo", api_root="",
        allow_insecure_http=False, role="editor", capabilities=frozenset(), companion_version="",
        checked_at=None, created_at=NOW, mapping=mapping,
    )  # fmt: skip


PIECE = PieceData(title="T", standfirst="The *last* bus.", byline="  Jo   Bloggs ", body="x\n")


def test_the_default_mapping_puts_the_standfirst_as_a_lead_and_the_byline_as_author() -> None:
    mapped = mapped_fields(PIECE, site(SiteMapping()))
    assert mapped.lead == (
        '<!-- wp:paragraph {"className":"copydesk-standfirst"} -->\n'
        '<p class="copydesk-standfirst">The <em>last</em> bus.</p>\n'
        "<!-- /wp:paragraph -->\n\n"
    )
    assert (mapped.excerpt, mapped.custom_fields, mapped.byline) == ("", (), "Jo Bloggs")
    assert mapped_fields(PIECE.copy(standfirst=""), site(SiteMapping())).lead == ""


def test_excerpt_and_field_mappings() -> None:
    as_excerpt = mapped_fields(PIECE, site(SiteMapping(standfirst="excerpt")))
    assert (as_excerpt.excerpt, as_excerpt.lead, as_excerpt.notices) == ("The last bus.", "", ())
    own = mapped_fields(PIECE.copy(excerpt="Mine."), site(SiteMapping(standfirst="excerpt")))
    assert own.excerpt == "Mine." and "standfirst was not sent" in own.notices[0]
    fields = SiteMapping(
        byline="field", byline_field="byline", standfirst="field", standfirst_field="dek"
    )
    mapped = mapped_fields(PIECE, site(fields))
    assert mapped.custom_fields == (("dek", "The last bus."), ("byline", "Jo Bloggs"))
    assert mapped.byline == "" and mapped.fingerprint_extra() == {
        "field:dek": "The last bus.",
        "field:byline": "Jo Bloggs",
    }


def test_split_lead_gives_back_the_standfirst_and_the_body() -> None:
    body = "<!-- wp:paragraph -->\n<p>Body.</p>\n<!-- /wp:paragraph -->"
    assert split_lead(lead_block(PIECE) + body) == (body, "The <em>last</em> bus.")
    assert split_lead(body) == (body, None)
    # a lead saved by the classic editor, without its block comment
    assert split_lead('<p class="copydesk-standfirst">Dek</p>\n<p>Body.</p>') == ("<p>Body.</p>", "Dek")


def test_the_mapping_is_stored_as_json_and_damage_reads_as_the_defaults() -> None:
    mapping = SiteMapping(byline="field", byline_field="by-line", standfirst="excerpt")
    assert SiteMapping.from_json(mapping.to_json()) == mapping
    assert SiteMapping.from_json("not json") == SiteMapping()
    assert SiteMapping.from_json('{"byline": "field"}') == SiteMapping()  # no field name
    assert SiteMapping.from_json("{}") == SiteMapping()
    assert SiteMapping(byline="field", byline_field="b").describe() == (
        "byline in the field “b”; standfirst as the lead paragraph"
    )
    with pytest.raises(InvalidInputError, match="same field"):
        SiteMapping("field", "x", "field", "x").checked()
    with pytest.raises(InvalidInputError, match="not a place"):
        SiteMapping(standfirst="subtitle").checked()


def test_check_schedule_refuses_past_and_under_a_minute() -> None:
    piece = PIECE.copy(publish_at=NOW + timedelta(seconds=59))
    with pytest.raises(ScheduleTooSoonError) as soon:
        check_schedule("future", piece, NOW)
    assert not soon.value.passed and "less than a minute away" in soon.value.message
    with pytest.raises(ScheduleTooSoonError) as late:
        check_schedule("future", piece.copy(publish_at=NOW - timedelta(hours=1)), NOW)
    assert late.value.passed and "has passed" in late.value.message
    check_schedule("future", piece.copy(publish_at=NOW + timedelta(seconds=60)), NOW)
    check_schedule("publish", piece, NOW)  # only schedules are checked
    check_schedule(None, piece, NOW)


def post(content: str = "", uid: str = "") -> RemotePost:
    return RemotePost(
        id=5, title="", content=content, excerpt="", status="draft", slug="", link="",
        date_gmt="", modified_gmt="", uid=uid,
    )  # fmt: skip


def link(pushed: datetime | None, pulled: datetime | None = None) -> LinkData:
    return LinkData(
        id=1, piece_id=1, site_id=1, remote_id=5, link="", remote_status="draft", modified_gmt="",
        remote_hash="", content_hash="", pushed_at=pushed, pulled_at=pulled,
    )  # fmt: skip


def test_belongs_elsewhere_by_the_plugins_uid_or_the_marker() -> None:
    pushed = link(NOW)
    assert not belongs_elsewhere(post(uid=UID), UID, pushed)
    assert belongs_elsewhere(post(uid=OTHER), UID, pushed)
    assert not belongs_elsewhere(post("<p>x</p>"), UID, pushed)  # nothing to tell: not proof
    assert belongs_elsewhere(post(f"<p>x</p>\n<!-- copydesk:{OTHER} -->"), UID, pushed)
    assert not belongs_elsewhere(post(f"<p>x</p>\n<!-- copydesk:{UID} -->"), UID, pushed)
    # opened here and not pushed since: the post may still carry the uid it was made with
    assert not belongs_elsewhere(post(uid=OTHER), UID, link(None, NOW))
    assert not belongs_elsewhere(post(uid=OTHER), UID, link(NOW, NOW + timedelta(seconds=1)))
    assert belongs_elsewhere(post(uid=OTHER), UID, link(NOW + timedelta(seconds=1), NOW))


def test_authors_are_found_by_name_then_slug() -> None:
    me = SiteAuthor(1, "Editor", "editor")
    authors = Authors(me=me, may_choose=True, users=(me, SiteAuthor(2, "Jo Bloggs", "jbloggs")))
    assert authors.find("by  jo bloggs") == authors.users[1]
    assert authors.find("JBloggs") == authors.users[1]
    assert authors.find("Ann") is None
    assert has_authors_route("0.5.0") and not has_authors_route("0.4.0")
    assert not has_authors_route("")


def test_the_body_carries_the_author_and_the_fields() -> None:
    base = PostFields(title="T", content="", excerpt="", slug="", comment_status="open")
    fields = (("dek", "D"),)
    plugin = post_body(replace(base, author=7, custom_fields=fields, fields_by_plugin=True, uid=UID))
    assert plugin["author"] == 7 and plugin["copydesk_fields"] == {"dek": "D"}
    assert plugin["meta"] == {"copydesk_uid": UID}
    plain = post_body(replace(base, custom_fields=fields))
    assert plain["meta"] == {"dek": "D"} and "author" not in plain
    read = parse_post(
        {"id": 1, "meta": {"dek": "D", "copydesk_uid": UID}, "copydesk_fields": {"x": "y"}}
    )
    assert read.custom_fields == (("dek", "D"), ("x", "y")) and read.uid == UID
    assert check_fields_arrived(fields, dict(read.custom_fields)) == []
    assert "“byline”" in check_fields_arrived((("byline", "Jo"),), {})[0]


def test_seo_fields_come_from_the_front_matter_under_either_name() -> None:
    piece = PIECE.copy(extra={"meta_title": " T ", "seo_description": "D", "focus_keyword": ""})
    assert seo_fields(piece) == (
        ("_yoast_wpseo_title", "T"),
        ("rank_math_title", "T"),
        ("_yoast_wpseo_metadesc", "D"),
        ("rank_math_description", "D"),
    )
    assert seo_fields(PIECE) == ()
    mapped = mapped_fields(piece, site(SiteMapping()))
    assert mapped.seo == seo_fields(piece) and "field:rank_math_title" in mapped.fingerprint_extra()
    assert check_seo_arrived(mapped.seo, {"rank_math_title": "T"}) == []
    assert "were not stored" in check_seo_arrived(mapped.seo, {})[0]
