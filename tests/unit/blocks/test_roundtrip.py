"""Block posts through pull and push without the network: nothing lost, edits saved as the editor saves.

The expected markup in the edit tests is what the WordPress 6.1 block editor writes for the edited
block (its serialisation of that block type, as in the corpus).
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from app.blocks.body import render_body
from app.blocks.markup import elements
from app.blocks.parser import parse_blocks
from app.blocks.pull import pull_body
from app.blocks.send import content_to_send, marker, with_media_ids
from app.pieces.data import Boilerplate, PieceData
from app.publishing.to_markdown import html_to_markdown
from app.render import RenderedArticle, render_article
from app.render.blocks import block_starts
from tests.helpers.block_oracle import normalise, php_parse_blocks

CORPUS = Path(__file__).resolve().parents[2] / "data" / "blocks"
NAMES = sorted(path.stem for path in CORPUS.glob("*.html"))


def post(name: str) -> str:
    return (CORPUS / f"{name}.html").read_bytes().decode("utf-8")


def pushed(markdown: str) -> str:
    return render_body(markdown).markup


@pytest.mark.parametrize("name", NAMES)
def test_unedited_pull_and_push_gives_back_the_same_bytes(name: str) -> None:
    content = post(name)
    assert pushed(pull_body(content).markdown) == content


def test_what_markdown_can_say_becomes_markdown() -> None:
    pulled = pull_body(post("31-mixed-column"))
    assert pulled.kept == ()
    assert pulled.markdown.startswith("## Fog and ferries\n\nThe ferry leaves at six.\n\n")
    assert "### What I packed\n\n- Tea\n- Scarves" in pulled.markdown
    assert "> Never trust a timetable.\n>\n> <cite>A deckhand</cite>" in pulled.markdown
    assert "| Day | Ferry |\n|---|---|\n| Mon | Late |" in pulled.markdown
    assert "![Fog over the harbour](" in pulled.markdown
    assert '/fog.jpg "Fog, again"){.wp-image-31 .size-large}' in pulled.markdown


def test_the_reported_defects_are_gone() -> None:
    """A reusable block survives, a caption stays a caption, a table gains no header row."""
    reusable = pull_body(post("25-reusable"))
    assert reusable.kept == ("core/block",)
    assert '<!-- wp:block {"ref":99} /-->' in pushed(reusable.markdown)
    caption = pushed(pull_body(post("08-image-caption")).markdown)
    assert '<figcaption class="wp-element-caption">The quay, 6 a.m.</figcaption>' in caption
    plain = pull_body(post("11-table-plain"))
    assert plain.kept == ()
    assert "<thead>" not in pushed(plain.markdown)


def test_what_markdown_cannot_say_is_kept_and_marked() -> None:
    pulled = pull_body(post("22-embed"))
    assert pulled.kept == ("core/embed",)
    assert pulled.markdown.startswith("Watch:\n\n<!-- copydesk:block core/embed -->\n<!-- wp:embed ")
    assert pulled.markdown.endswith("<!-- /wp:embed -->\n<!-- /copydesk:block -->\n")


def test_kept_blocks_show_read_only_in_the_preview() -> None:
    body = render_body(pull_body(post("22-embed")).markdown)
    assert '<div class="cd-block-kept">' in body.html
    assert "https://www.youtube.com/watch?v=dQw4w9WgXcQ" in body.html
    assert "wp:embed" not in body.html
    reusable = render_body(pull_body(post("25-reusable")).markdown)
    assert "core/block, kept as it is on the site" in reusable.html


def _edited(name: str, old: str, new: str) -> tuple[str, str]:
    """(what a push sends after *old* became *new* in the pulled Markdown, what the editor saves)."""
    content = post(name)
    markdown = pull_body(content).markdown
    assert markdown.count(old) == 1
    return pushed(markdown.replace(old, new)), content.replace(old, new)


@pytest.mark.parametrize(
    ("name", "old", "new"),
    [
        ("01-paragraphs", "nobody on the quay", "no one on the quay"),  # a paragraph
        ("02-headings", "The crossing", "The long crossing"),  # a level-3 heading
        ("03-list", "Two scarves", "Three scarves"),  # a list item
        ("04-ordered-list", "Queue", "Queue patiently"),  # an ordered list item
        ("10-table-header", "Calais", "Boulogne"),  # a table cell
        ("08-image-caption", "The quay, 6 a.m.", "The quay at six"),  # a caption
        ("31-mixed-column", "Never trust", "Do not trust"),  # a quoted paragraph
        ("31-mixed-column", "ferry.wait()", "ferry.wait(60)"),  # code
        ("05-nested-list", "Calais", "Ostend"),  # a nested list item
    ],
)
def test_an_edit_is_saved_as_the_block_editor_saves_it(name: str, old: str, new: str) -> None:
    sent, editor = _edited(name, old, new)
    assert sent == editor


def test_an_edit_next_to_a_kept_block_leaves_the_kept_block_alone() -> None:
    sent, editor = _edited("25-reusable", "After it.", "After it, at last.")
    assert sent == editor


def test_new_markdown_is_serialised_as_the_61_editor_does() -> None:
    markdown = (
        "### Three\n\n1. one\n2. two\n\n> quoted\n\n```python\nif a < b and c > d: [x]\n```\n\n"
        '| A | B |\n|:--|--:|\n| 1 | 2 |\n\n![Alt](https://example.org/a.jpg "Cap")\n\n---\n'
    )
    sent = pushed(markdown)
    assert '<!-- wp:heading {"level":3} -->\n<h3>Three</h3>\n<!-- /wp:heading -->' in sent
    assert '<!-- wp:list {"ordered":true} -->\n<ol><!-- wp:list-item -->\n<li>one</li>' in sent
    assert (
        '<!-- wp:quote -->\n<blockquote class="wp-block-quote"><!-- wp:paragraph -->\n<p>quoted</p>\n'
        "<!-- /wp:paragraph --></blockquote>\n<!-- /wp:quote -->"
    ) in sent
    assert "<code>if a &lt; b and c &gt; d: &#91;x]</code></pre>" in sent  # no language class
    assert "language-" not in sent and "style=" not in sent
    assert (
        '<table><thead><tr><th class="has-text-align-left" data-align="left">A</th>'
        '<th class="has-text-align-right" data-align="right">B</th></tr></thead>'
    ) in sent
    assert (
        '<figure class="wp-block-image"><img src="https://example.org/a.jpg" alt="Alt"/>'
        '<figcaption class="wp-element-caption">Cap</figcaption></figure>'
    ) in sent
    assert '<hr class="wp-block-separator has-alpha-channel-opacity"/>' in sent


def test_footnotes_and_raw_html_go_out_as_html_blocks() -> None:
    sent = pushed("Text[^1].\n\n[^1]: A note.\n\n<dl><dt>Term</dt><dd>Said</dd></dl>\n")
    assert sent.count("<!-- wp:html -->") == 2
    assert '<div class="footnote">' in sent


def test_uploaded_images_get_their_attachment_id() -> None:
    markup = pushed("![A gull](https://example.org/up/gull.png)\n")
    with_id = with_media_ids(markup, {"https://example.org/up/gull.png": 41})
    assert with_id == (
        '<!-- wp:image {"id":41,"sizeSlug":"full","linkDestination":"none"} -->\n'
        '<figure class="wp-block-image size-full"><img src="https://example.org/up/gull.png" '
        'alt="A gull" class="wp-image-41"/></figure>\n<!-- /wp:image -->'
    )


def _article(body: str) -> RenderedArticle:
    return render_article(
        PieceData(title="T", body=body),
        disclaimer=Boilerplate(id=1, name="d", body="Views are my own."),
        snippets=[Boilerplate(id=2, name="s", body="**Subscribe!**")],
    )


def test_call_to_action_and_disclaimer_go_out_as_group_blocks_and_come_back_out() -> None:
    article = _article("Body text.")
    markup = article.content_markup
    assert (
        '<!-- wp:group {"tagName":"aside","className":"cd-cta"} -->\n'
        '<aside class="wp-block-group cd-cta"><!-- wp:paragraph -->\n'
        "<p><strong>Subscribe!</strong></p>\n<!-- /wp:paragraph --></aside>\n<!-- /wp:group -->"
    ) in markup
    assert '<!-- wp:group {"tagName":"footer","className":"cd-disclaimer"} -->' in markup
    with_marker = markup + marker("<!-- copydesk:5b1c0a7e-0000-4000-8000-000000000000 -->", blocks=True)
    assert with_marker.endswith(
        "\n\n<!-- wp:html -->\n<!-- copydesk:5b1c0a7e-0000-4000-8000-000000000000 -->\n<!-- /wp:html -->"
    )
    assert html_to_markdown(with_marker) == "Body text.\n"


def test_a_classic_post_stays_classic_and_a_block_post_gets_blocks() -> None:
    article = _article("Body text.")
    classic = content_to_send(article, "<p>Written in the classic editor.</p>")
    assert not classic.blocks and "<!-- wp:" not in classic.text
    blocks = content_to_send(article, post("01-paragraphs"))
    assert blocks.blocks and blocks.text.startswith("<!-- wp:paragraph -->\n<p>Body text.</p>")
    assert content_to_send(article, None).blocks


def test_the_push_says_which_parts_were_kept() -> None:
    article = _article(pull_body(post("22-embed")).markdown)
    notices = content_to_send(article, None).notices
    assert notices == (
        "1 part(s) of the post were kept exactly as they are on the site (core/embed); edit them "
        "in WordPress.",
    )


def test_how_kses_writes_void_tags_for_an_author_does_not_keep_a_block() -> None:
    stored = post("08-image-caption").replace('"/>', '" />')  # as WordPress stores it for an author
    pulled = pull_body(stored)
    assert pulled.kept == ()
    assert pushed(pulled.markdown) == post("08-image-caption")  # kses makes it " />" again


_FRAGMENTS = [
    "A *word* and **another** with `code`.",
    "## A heading",
    "#### Deeper",
    "- one\n- two\n    - nested",
    "1. first\n2. second",
    "> quoted\n>\n> <cite>Someone</cite>",
    "```\nx < y & [z]\n```",
    "| a | b |\n|---|:-:|\n| 1 | 2 |",
    '![Alt](https://example.org/a.png "A caption")',
    "---",
    "Text[^n].\n\n[^n]: A note.",
    '<span title="a>b">odd attribute</span>',
    "Line one  \nline two",
    'It\'s "quoted" -- and so on...',
]


@pytest.mark.parametrize("seed", range(40))
def test_any_markdown_goes_out_as_blocks_only(seed: int) -> None:
    """Whatever the text, the markup is blocks separated by blank lines, and PHP's parser agrees."""
    rng = random.Random(seed)
    markdown = "\n\n".join(rng.choice(_FRAGMENTS) for _ in range(rng.randrange(1, 8)))
    markup = pushed(markdown)
    top = parse_blocks(markup)
    assert all(b.name or b.inner_html == "\n\n" for b in top), markdown
    assert normalise([b.as_php() for b in top]) == normalise(php_parse_blocks([markup])[0])


def test_a_kept_part_changed_by_hand_is_announced_and_a_broken_one_warned_about() -> None:
    site = post("22-embed")
    body = pull_body(site).markdown
    changed = _article(body.replace("dQw4w9WgXcQ\n</div>", "abc\n</div>"))
    assert content_to_send(changed, site).notices[1] == (
        "A part kept from the site was changed here (core/embed); it was sent as changed."
    )
    broken = _article(body.replace("<!-- /wp:embed -->\n", ""))
    assert (
        content_to_send(broken, site)
        .notices[1]
        .startswith("A part kept from the site is no longer valid block markup (core/embed)")
    )
    assert content_to_send(_article(body), site).notices[1:] == ()
    invalid_on_the_site = post("32-invalid-unclosed")
    article = _article(pull_body(invalid_on_the_site).markdown)
    assert len(content_to_send(article, invalid_on_the_site).notices) == 1  # only "kept"


def test_markdown_with_no_core_block_is_announced() -> None:
    notices = content_to_send(_article("<dl><dt>T</dt><dd>D</dd></dl>\n"), None).notices
    assert notices == (
        "1 part(s) of the text have no WordPress block (raw HTML, footnotes, definition lists) and "
        "were sent as HTML blocks.",
    )


def test_a_kept_block_is_one_block_for_scrolling_the_preview() -> None:
    markdown = pull_body(post("18-columns")).markdown + "\nAfter.\n\n## End\n"
    lines = markdown.split("\n")
    assert block_starts(markdown) == [0, lines.index("After."), lines.index("## End")]
    top = [tag for tag, _attrs, _inner, _outer in elements(render_body(markdown).html)]
    assert top == ["div", "p", "h2"]  # the preview's top-level elements, one per block
