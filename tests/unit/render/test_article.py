from __future__ import annotations

from datetime import UTC, datetime

from app.pieces.data import Boilerplate, PieceData
from app.render import render_article, render_markdown
from app.render.markdown import render_inline


def test_smart_typography() -> None:
    html = render_markdown("\"Quotes\" and 'single' -- dashes --- and ellipses... it's")
    assert "“Quotes”" in html and "‘single’" in html
    assert "–" in html and "—" in html and "…" in html and "it’s" in html


def test_raw_html_cannot_run_script() -> None:
    html = render_markdown(
        '<script>alert(1)</script>\n\n<img src="x.png" onerror="alert(2)">\n\n'
        '<a href="javascript:alert(3)">link</a> <iframe src="https://evil"></iframe>'
        '<p style="position:fixed">x</p>'
    )
    for bad in ("<script", "onerror", "javascript:", "<iframe", "position"):
        assert bad not in html


def test_local_images_become_file_uris_and_remote_ones_stay() -> None:
    html = render_markdown("![a](/home/ana/pic one.jpg) ![b](https://example.org/b.png)")
    assert 'src="file:///home/ana/pic%20one.jpg"' in html
    assert 'src="https://example.org/b.png"' in html


def test_tables_footnotes_and_fenced_code() -> None:
    html = render_markdown(
        "| a | b |\n|---|--:|\n| 1 | 2 |\n\nText[^1]\n\n[^1]: Note\n\n```\ncode\n```\n"
    )
    assert "<table>" in html and 'style="text-align:right"' in html
    assert 'class="footnote"' in html and "<pre><code>code" in html


def test_inline_headline_is_not_turned_into_a_block() -> None:
    assert render_inline("# not a heading") == "# not a heading"
    assert render_inline("1984. A year") == "1984. A year"
    assert render_inline("- dash start") == "- dash start"
    assert render_inline("It's *big*") == "It’s <em>big</em>"


def test_article_has_header_body_snippets_and_disclaimer_in_order() -> None:
    piece = PieceData(
        title="Harbour",
        standfirst="Deck",
        byline="Kai <Tane>",
        body="Body text.",
        publish_at=datetime(2026, 12, 1, 23, 30, tzinfo=UTC),
    )
    out = render_article(
        piece,
        disclaimer=Boilerplate(1, "D", "*Views are mine.*"),
        snippets=[Boilerplate(2, "S", "**Subscribe**")],
        stylesheet="body{}",
        zone=UTC,
    )
    doc = out.document_html
    order = [
        doc.index(s)
        for s in (
            "cd-headline",
            "cd-standfirst",
            "Kai &lt;Tane&gt;",
            "Body text.",
            "cd-cta",
            "cd-disclaimer",
        )
    ]
    assert order == sorted(order)
    assert "1 December 2026" in out.header_html
    assert out.content_html in doc  # the content sent on push is inside the preview document
    assert out.content_html.startswith("<p>Body text.</p>")
    assert "<title>Harbour</title>" in doc and "body{}" in doc
    assert "Content-Security-Policy" in doc


def test_dateline_is_shown_in_the_given_zone() -> None:
    from zoneinfo import ZoneInfo

    piece = PieceData(title="t", publish_at=datetime(2026, 12, 1, 23, 30, tzinfo=UTC))
    out = render_article(piece, zone=ZoneInfo("Pacific/Auckland"))
    assert "2 December 2026" in out.header_html
    assert 'datetime="2026-12-02T12:30+13:00"' in out.header_html


def test_block_starts_follow_rendered_blocks() -> None:
    from app.render.blocks import block_starts

    text = (
        "# Title\n"            # 0 heading
        "First para\n"         # 1 paragraph right after a heading
        "continues\n"          # 2
        "\n"
        "- a\n"                # 4 list
        "- b\n"
        "\n"
        "- c (loose item)\n"   # 7 same list
        "\n"
        "```\n"                # 9 code
        "\n"
        "code\n"
        "```\n"
        "[ref]: https://x\n"   # 13 definition: no block
        "\n"
        "> quote\n"            # 15
    )  # fmt: skip
    assert block_starts(text) == [0, 1, 4, 9, 15]
    html = render_markdown(text)
    assert (
        html.count("<h1>")
        + html.count("<p>First")
        + html.count("<ul>")
        + html.count("<pre>")
        + html.count("<blockquote>")
        == 5
    )
