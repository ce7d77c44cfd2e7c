from __future__ import annotations

import uuid

from app.pieces.data import PieceData
from app.publishing.convert import (
    excerpt_of,
    marker_uid,
    removed_tags,
    wp_date,
)
from app.publishing.to_markdown import autop, html_to_markdown


def test_marker_uid_is_always_a_uuid() -> None:
    uid = str(uuid.uuid4())
    assert marker_uid(uid) == uid and marker_uid(uid.upper()) == uid
    odd = marker_uid("from-front-matter")
    assert uuid.UUID(odd) and odd == marker_uid("from-front-matter")


def test_excerpt_is_the_standfirst_unless_set() -> None:
    piece = PieceData(standfirst="The *last* bus — home.")
    assert excerpt_of(piece) == "The last bus — home."
    assert excerpt_of(piece.copy(excerpt="  Mine. ")) == "Mine."


def test_removed_tags() -> None:
    sent = '<p>Due <time datetime="x">today</time>, <em>a</em> <em>b</em></p>'
    assert removed_tags(sent, "<p>Due today, <em>a</em> <em>b</em></p>") == ["time"]
    assert removed_tags(sent, sent) == []


def test_wp_date() -> None:
    from datetime import datetime, timedelta, timezone

    moment = datetime(2026, 12, 1, 10, 30, tzinfo=timezone(timedelta(hours=2)))
    assert wp_date(moment) == "2026-12-01T08:30:00"


def test_html_to_markdown_drops_what_copydesk_adds() -> None:
    html = (
        "<!-- wp:paragraph -->\n<p>Body <em>text</em>.</p>\n<!-- /wp:paragraph -->\n"
        '<aside class="cd-cta">\n<p>Subscribe!</p>\n</aside>\n'
        '<footer class="cd-disclaimer">\n<p>Views are my own.</p>\n</footer>\n'
        "<!-- copydesk:5b1c0a7e-0000-4000-8000-000000000000 -->"
    )
    assert html_to_markdown(html) == "Body *text*.\n"
    assert "Subscribe!" in html_to_markdown(html, drop_boilerplate=False)


def test_autop_makes_paragraphs_of_classic_posts() -> None:
    assert autop("One\ntwo\n\nThree") == "<p>One<br>\ntwo</p>\n<p>Three</p>"
    assert autop("<p>Already</p>\n\nloose") == "<p>Already</p>\n\nloose"
    assert autop("Text\n\n<h2>Head</h2>") == "<p>Text</p>\n<h2>Head</h2>"
