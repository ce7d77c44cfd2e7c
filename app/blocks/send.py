"""What a push sends as a post's content: block markup, or HTML for a post kept in the classic editor.

- A new post, or a post whose content on the site is made of blocks, gets block markup
  (:attr:`app.render.article.RenderedArticle.content_markup`), so wp-admin opens it block by block.
- A post that is classic on the site (written in the classic editor, or pushed by an earlier Copydesk)
  gets HTML, as before: a push does not convert it behind the user's back.

The result says which blocks are kept as they are on the site, and which parts of the Markdown have no
core block and go out as HTML blocks.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from app.blocks.markup import comment
from app.blocks.parser import Block, parse_blocks
from app.blocks.pull import has_blocks
from app.render.article import RenderedArticle

_IMAGE = re.compile(
    r"<!-- wp:image(?: (?P<attrs>\{[^\n]*?\}))? -->\n"
    r'<figure class="wp-block-image(?P<size> size-[\w-]+)?">'
    r'<img src="(?P<src>[^"]*)" alt="(?P<alt>[^"]*)"/>'
)


_DELIMITER = re.compile(r"<!--\s+/?wp:")


@dataclass(frozen=True)
class Content:
    text: str
    blocks: bool  # block markup (else classic HTML)
    notices: tuple[str, ...]

    def finish(self, text: str, ids_by_url: dict[str, int], uid_marker: str | None) -> str:
        """*text* (this content, its images uploaded) with the media ids and the marker, if any."""
        if self.blocks:
            text = with_media_ids(text, ids_by_url)
        return text if uid_marker is None else text + marker(uid_marker, blocks=self.blocks)


def content_to_send(rendered: RenderedArticle, site_content: str | None) -> Content:
    """The content for a post whose content on the site is *site_content* (None: a new post)."""
    if site_content is not None and site_content.strip() and not has_blocks(site_content):
        return Content(rendered.content_html, blocks=False, notices=())
    notices = []
    kept = rendered.parts.kept_blocks
    if kept:
        names = ", ".join(dict.fromkeys(label for label, _ in kept))
        notices.append(
            f"{len(kept)} part(s) of the post were kept exactly as they are on the site ({names}); "
            "edit them in WordPress."
        )
    changed = [(label, s) for label, s in kept if site_content and not _on_site(s, site_content)]
    broken = [label for label, source in changed if not well_formed(source)]
    if broken:
        notices.append(
            f"A part kept from the site is no longer valid block markup ({', '.join(broken)}): "
            "WordPress will show it as invalid; take the site's version of the post or fix it there."
        )
    elif changed:
        notices.append(
            f"A part kept from the site was changed here ({', '.join(n for n, _ in changed)}); it "
            "was sent as changed."
        )
    if rendered.parts.html_blocks:
        notices.append(
            f"{rendered.parts.html_blocks} part(s) of the text have no WordPress block (raw HTML, "
            "footnotes, definition lists) and were sent as HTML blocks."
        )
    return Content(rendered.content_markup, blocks=True, notices=tuple(notices))


def _on_site(source: str, site_content: str) -> bool:
    """*source* is blocks of the site as they are (whole blocks, from a block's start to one's end)."""
    top = parse_blocks(site_content)
    starts, ends = {b.start for b in top}, {b.end for b in top}
    at = site_content.find(source)
    while at >= 0:
        if at in starts and at + len(source) in ends:
            return True
        at = site_content.find(source, at + 1)
    return False


def well_formed(source: str) -> bool:
    """Every block in *source* is closed, and no delimiter is left outside a block."""

    def closed(block: Block) -> bool:
        text = source[block.start : block.end].rstrip()
        short = (block.name or "").removeprefix("core/")
        ends = text.endswith("/-->") or re.search(rf"<!--\s+/wp:{re.escape(short)}\s+-->$", text)
        return bool(ends) and all(closed(inner) for inner in block.inner_blocks)

    for block in parse_blocks(source):
        if block.name is None and "wp:" in block.inner_html and _DELIMITER.search(block.inner_html):
            return False
        if block.name is not None and not closed(block):
            return False
    return True


def marker(uid_marker: str, *, blocks: bool) -> str:
    """The hidden marker appended to a post (sites without the plugin), inside an HTML block when
    the content is blocks, so that saving in wp-admin does not turn it into a Classic block."""
    if not blocks:
        return "\n" + uid_marker
    return f"\n\n{comment('core/html')}\n{uid_marker}\n{comment('core/html', closing=True)}"


def with_media_ids(markup: str, ids_by_url: dict[str, int]) -> str:
    """Image blocks of uploaded images with the attachment id, as the editor inserts them."""

    def fill(match: re.Match[str]) -> str:
        media_id = ids_by_url.get(match["src"])
        if media_id is None:
            return match.group(0)
        attrs: dict[str, Any] = {"id": media_id}
        attrs.update(json.loads(match["attrs"]) if match["attrs"] else {})
        attrs.setdefault("sizeSlug", "full")
        attrs.setdefault("linkDestination", "none")
        size = attrs["sizeSlug"]
        return (
            f'{comment("core/image", attrs)}\n<figure class="wp-block-image size-{size}">'
            f'<img src="{match["src"]}" alt="{match["alt"]}" class="wp-image-{media_id}"/>'
        )

    return _IMAGE.sub(fill, markup)
