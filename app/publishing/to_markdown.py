"""A post's HTML back to the Markdown a columnist edits (for pull and for “take theirs”).

``markdownify`` does the conversion. Before it, what Copydesk itself adds to a push is taken out: the
call-to-action snippets and the disclaimer (the piece keeps those as library entries and adds them
again on the next push), the hidden marker comment, and the block editor's comments. A post made of
blocks goes through :func:`app.blocks.pull.pull_body` instead, which keeps what Markdown cannot say.
Posts written in WordPress's classic editor keep paragraphs as blank lines, not ``<p>``; those are made
paragraphs first.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Comment
from markdownify import MarkdownConverter

from app.blocks.pull import has_blocks, pull_body

_BLOCK_TAG = re.compile(
    r"^\s*<(?:p|div|h[1-6]|ul|ol|li|blockquote|pre|table|figure|hr|aside|footer|section|dl)\b",
    re.IGNORECASE,
)
_HAS_PARAGRAPHS = re.compile(r"<p[\s>]", re.IGNORECASE)
BOILERPLATE_CLASSES = ("cd-cta", "cd-disclaimer")


def autop(text: str) -> str:
    """Blank-line paragraphs → ``<p>`` (what WordPress's wpautop does when it shows a classic post)."""
    if _HAS_PARAGRAPHS.search(text):
        return text
    blocks = []
    for chunk in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        if not chunk.strip():
            continue
        if _BLOCK_TAG.match(chunk):
            blocks.append(chunk)
        else:
            blocks.append("<p>" + chunk.strip().replace("\n", "<br>\n") + "</p>")
    return "\n".join(blocks)


def html_to_markdown(fragment: str, *, drop_boilerplate: bool = True) -> str:
    """A post's content as Markdown: a block post through :mod:`app.blocks.pull` (nothing lost:
    what Markdown cannot say exactly is kept as it is), other HTML through markdownify."""
    if drop_boilerplate and has_blocks(fragment):
        return pull_body(fragment).markdown
    soup = BeautifulSoup(autop(fragment), "html.parser")
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    if drop_boilerplate:
        for css_class in BOILERPLATE_CLASSES:
            for element in soup.find_all(class_=css_class):
                element.decompose()
    converter = MarkdownConverter(heading_style="ATX", bullets="-", strip=["script", "style"])
    text = converter.convert_soup(soup)
    text = re.sub(r"[ \t]+\n", lambda m: "  \n" if m.group(0).startswith("  ") else "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
